"""One translation table for every UI string (en, ru, uk), and locale-aware formatting of
dates, numbers and money through Babel.

The table is assembled from one module per area (`site`, `portal`, `history`) so each area
keeps its strings beside the others; `tests/test_i18n.py` checks that all three languages
are complete. Look strings up with `t(locale, key, **values)`.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, localcontext
from functools import cache, lru_cache

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.numbers import format_currency, format_decimal

from builder.i18n import history, portal, site

LOCALES = ("en", "ru", "uk")
_GLUED = re.compile(r"([A-Za-z]{2,})(\d)")
TABLE: dict[str, dict[str, str]] = {**site.STRINGS, **portal.STRINGS, **history.STRINGS}


def t(locale: str, key: str, **values: object) -> str:
    """The string `key` in `locale` (English when the locale lacks it), formatted."""
    entry = TABLE[key]
    text = entry.get(locale) or entry["en"]
    return text.format(**values) if values else text


@lru_cache(maxsize=8192)  # a site formats the same few hundred dates thousands of times
def format_date(day: date, locale: str, fmt: str = "medium") -> str:
    """A date as people of `locale` write it: `Mar 16, 2026`, `16 мар. 2026 г.`."""
    return _babel_date(day, format=fmt, locale=locale)


@cache
def _whole_pattern(locale: str) -> str:
    """The locale's currency pattern without the fraction (`¤#,##0`, `#,##0 ¤`)."""
    pattern: str = Locale.parse(locale).currency_formats["standard"].pattern
    return pattern.split(";")[0].replace(".00", "")


def format_money(amount: Decimal | float, currency: str, locale: str) -> str:
    """An amount with its currency, locale style: `$1,200`, `1 200,50 ₴`, `UAH 5,000`.

    Whole amounts drop the `.00`. CLDR's English pattern glues a letter code to the digits
    (`UAH5,000`); CLDR's currency-spacing rule says to put a space there, which Babel
    does not do.
    """
    with localcontext(prec=_PRECISION):
        if Decimal(amount) == Decimal(amount).to_integral_value():
            text: str = format_currency(
                amount,
                currency,
                format=_whole_pattern(locale),
                locale=locale,
                currency_digits=False,
            )
        else:
            text = format_currency(amount, currency, locale=locale, format_type="standard")
    return _GLUED.sub("\\1\u00a0\\2", text)


# Babel rounds in the current Decimal context, whose 28 digits a total of many large
# amounts can outgrow (InvalidOperation); check bounds each amount, not their sum.
_PRECISION = 60


def format_number(value: Decimal | float, locale: str, digits: int = 0) -> str:
    fmt = "#,##0" + ("." + "0" * digits if digits else "")
    with localcontext(prec=_PRECISION):
        text: str = format_decimal(value, format=fmt, locale=locale)
    return text
