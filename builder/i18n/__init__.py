"""Every UI string in en, ru and uk, and locale-aware formatting of dates, numbers and money
through Babel.

The strings are gettext catalogues, one per language, so translators work in the usual
tools (Poedit, Weblate, Lokalize):

    builder/i18n/locale/plaindesk.pot                 the template: every key, English text
    builder/i18n/locale/<lang>/LC_MESSAGES/plaindesk.po   en, ru, uk

A message's msgctxt is its key (`portal.heading`), its msgid the English text, its msgstr
the translation; the English catalogue leaves msgstr empty. `{name}` placeholders are
`str.format` fields. A counted message has msgid_plural and one msgstr per plural form of
the language (English 2, Russian and Ukrainian 3, as the `Plural-Forms` header from
Babel's locale data says).

Look a string up with `t(locale, key, **values)`, a counted one with
`tn(locale, key, n, **values)`: `n` picks the form and is the placeholder `{n}`. A locale
without the key gets the English text.

To add a string, run

    python scripts/i18n.py add board.archived --en "Archived" --ru "В архиве" --uk "В архіві"
    python scripts/i18n.py add board.cards_n --en "{n} card" "{n} cards" \
        --ru "{n} карточка" "{n} карточки" "{n} карточек" \
        --uk "{n} картка" "{n} картки" "{n} карток" --comment "A note for translators"

which writes it to the three catalogues and the template, after the other keys of its area
(`--replace` changes the texts of an existing key, English included). Or edit the `.po`
files (by hand or in Poedit) and run `python scripts/i18n.py pot` to bring the template in
step. `tests/test_i18n.py` checks that every message is translated in every language with
the same placeholders and the right number of plural forms, and that the template lists
exactly the catalogues' keys.

Each catalogue is read once per process, on its first lookup: importing Babel's PO reader
takes about 11 ms, reading a catalogue about 8 ms.
"""

from __future__ import annotations

import math
import re
from collections.abc import KeysView, Mapping
from datetime import date
from decimal import Decimal, localcontext
from functools import cache, lru_cache
from types import MappingProxyType

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.numbers import format_currency, format_decimal

from builder.i18n.catalogue import SOURCE, Catalogue, Text, read
from builder.model.schema import LOCALES as SCHEMA_LOCALES

LOCALES = SCHEMA_LOCALES  # the languages the UI speaks (`locale:` in settings)
_GLUED = re.compile(r"([A-Za-z]{2,})(\d)")

_catalogue = cache(read)  # each catalogue is read once per process, on its first lookup


def _lookup(locale: str, key: str) -> tuple[Catalogue, Text]:
    """The catalogue that has `key` (the locale's, else English) and its text there."""
    catalogue = _catalogue(locale if locale in LOCALES else SOURCE)
    text = catalogue.messages.get(key)
    if text is None:
        catalogue = _catalogue(SOURCE)
        text = catalogue.messages[key]
    return catalogue, text


def t(locale: str, key: str, **values: object) -> str:
    """The string `key` in `locale` (English when the locale lacks it), formatted."""
    text = _lookup(locale, key)[1]
    if isinstance(text, tuple):
        raise TypeError(f"{key} is a counted message: look it up with tn()")
    return text.format(**values) if values else text


def tn(locale: str, key: str, n: int, **values: object) -> str:
    """The counted string `key` in `locale`, in the plural form for `n`, formatted with `n`
    and `values`: `tn("en", "board.tasks_n", 1)` is `1 task`, in ru `n` = 1, 21, 101 take
    one form, 2-4, 22-24 another, the rest a third."""
    catalogue, text = _lookup(locale, key)
    if isinstance(text, str):
        raise TypeError(f"{key} is not a counted message: look it up with t()")
    return text[catalogue.plural(n)].format(n=n, **values)


def keys() -> KeysView[str]:
    """Every message key, in catalogue order."""
    return _catalogue(SOURCE).messages.keys()


@cache
def strings(locale: str) -> Mapping[str, str]:
    """Every key's unformatted text in `locale`, for the page templates (`L`). A counted
    message gives its last form (English `other`, Russian `many`), the one a template
    that fills `{n}` in itself expects; templates pick a form with `tn`."""
    out: dict[str, str] = {}
    for key in keys():
        text = _lookup(locale, key)[1]
        out[key] = text[-1] if isinstance(text, tuple) else text
    return MappingProxyType(out)


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
    return _format_money(amount, currency, locale, _signed(amount))


def _signed(value: Decimal | float) -> bool:
    """Whether `value` carries a minus sign: memoised formats are keyed by it too, as
    -0 equals 0 (one key) but is written `-0`."""
    return math.copysign(1.0, value) < 0


@lru_cache(maxsize=65536)  # the same amounts recur on boards, funnels and reports
def _format_money(amount: Decimal | float, currency: str, locale: str, negative: bool) -> str:
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
    return _format_number(value, locale, digits, _signed(value))


@lru_cache(maxsize=65536)  # Babel parses the pattern and the locale at each call
def _format_number(value: Decimal | float, locale: str, digits: int, negative: bool) -> str:
    fmt = "#,##0" + ("." + "0" * digits if digits else "")
    with localcontext(prec=_PRECISION):
        text: str = format_decimal(value, format=fmt, locale=locale)
    return text
