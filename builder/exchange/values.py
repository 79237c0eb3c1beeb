"""Cell values as spreadsheets hold them, read into the shapes records take: dates written
the European way (`15.03.2026`), money with symbols and separators (`1 200,50 ₴`,
`$1,200`), yes/no words in three languages, phone numbers in the international form."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from builder.model.keys import email_key, name_key, phone_key, pretty_phone

__all__ = ["email_key", "name_key", "phone_key", "pretty_phone"]

#: currency symbols and words people write after or before an amount -> ISO 4217 code
_SYMBOLS = {
    "$": "USD",
    "us$": "USD",
    "usd": "USD",
    "€": "EUR",
    "eur": "EUR",
    "₴": "UAH",
    "грн": "UAH",
    "грн.": "UAH",
    "uah": "UAH",
    "₽": "RUB",
    "руб": "RUB",
    "руб.": "RUB",
    "р.": "RUB",
    "rub": "RUB",
    "£": "GBP",
    "zł": "PLN",
    "zl": "PLN",
    "pln": "PLN",
    "₸": "KZT",
    "тг": "KZT",
}
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")
_AMOUNT = re.compile(r"[-+]?\d(?:[\d.,]|[ \u00a0\u202f'](?=\d))*")
_DAY_FIRST = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4}|\d{2})\Z")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?\Z")
_YES = {"yes", "y", "true", "1", "x", "+", "✓", "✔", "да", "так", "on"}
_NO = {"no", "n", "false", "0", "-", "нет", "ні", "off", ""}


class CellError(ValueError):
    """A cell that cannot be read as what its column holds; the message says why."""


def cell_text(value: object) -> str:
    """A cell as text: numbers without a trailing `.0`, dates as ISO, None as ``."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def to_date(value: object) -> str:
    """`15.03.2026`, `15/03/26`, `2026-03-15` (or a date cell) -> `2026-03-15`."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = cell_text(value)
    try:
        if m := _ISO.match(text):
            return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        if m := _DAY_FIRST.match(text):
            year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
            return date(year, int(m[2]), int(m[1])).isoformat()
    except ValueError:
        pass
    raise CellError(f"`{text}` is not a date (write 15.03.2026 or 2026-03-15)")


def to_number(text: str) -> Decimal:
    """`1 200,50`, `1,200.50`, `1.200,50`, `1200` -> a Decimal. The last of `,` and `.`
    is the decimal mark when both appear; a lone `,` followed by exactly three digits
    separates thousands (`$1,200`), otherwise it is the decimal mark (`12,5`)."""
    digits = _SPACES.sub("", text)
    if "," in digits and "." in digits:
        thousands = "," if digits.rfind(",") < digits.rfind(".") else "."
        digits = digits.replace(thousands, "")
    if digits.count(",") > 1 or re.fullmatch(r"[-+]?\d{1,3},\d{3}", digits):
        digits = digits.replace(",", "")
    if digits.count(".") > 1:
        digits = digits.replace(".", "")
    try:
        return Decimal(digits.replace(",", "."))
    except InvalidOperation:
        raise CellError(f"`{text}` is not a number") from None


def to_money(value: object, currency: str) -> str:
    """A money cell as a record writes it (`1200.50 UAH`); `currency` when it names none."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        amount = Decimal(str(value))
        return f"{_plain(amount)} {currency}"
    text = cell_text(value)
    m = _AMOUNT.search(text)
    if m is None:
        raise CellError(f"`{text}` is not an amount of money")
    rest = (text[: m.start()] + " " + text[m.end() :]).strip().lower()
    code = currency
    if rest:
        code = _SYMBOLS.get(rest.replace(" ", "")) or (rest.upper() if len(rest) == 3 else "")
        if not code.isalpha():
            raise CellError(f"`{text}`: `{rest}` is not a currency")
    amount = to_number(m.group())
    if amount < 0:
        raise CellError(f"`{text}` is negative")
    return f"{_plain(amount)} {code}"


def _plain(amount: Decimal) -> str:
    text = format(amount, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def to_bool(value: object) -> str:
    """yes/no in English, Russian or Ukrainian (or 1/0, x) -> `true` / `false`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = cell_text(value).lower()
    if text in _YES:
        return "true"
    if text in _NO:
        return "false"
    raise CellError(f"`{text}` is neither yes nor no")


def to_tags(value: object) -> list[str]:
    """Tags separated by commas, semicolons or Google's ` ::: `; Google's system groups
    (`* myContacts`) are not tags."""
    text = cell_text(value).replace(":::", ",").replace(";", ",")
    tags = [t.strip().lstrip("*").strip() for t in text.split(",")]
    return [t for t in dict.fromkeys(tags) if t and t.casefold() not in _SYSTEM_GROUPS]


_SYSTEM_GROUPS = {"mycontacts", "starred", "my contacts", "friends", "family", "coworkers"}


def header_key(text: str) -> str:
    """A column header as compared: `E-mail`, `e_mail` and `EMAIL` are one; apostrophes
    inside words (Ім'я) do not count."""
    text = text.casefold().replace("ё", "е")
    text = re.sub(r"['\u2019\u02bc`]", "", text)
    return " ".join(re.sub(r"[^\w]+", " ", text).replace("_", " ").split())
