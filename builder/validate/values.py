"""Parsers for field values: text, numbers, dates, durations, money, choices, ids, lists.

Each takes a YAML node and returns a Python value or raises `FieldError` pointing at the
node. The per-record loop in `fields.py` turns the errors into problems.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation

from babel.numbers import list_currencies

from builder.load.yamltree import Mapping, Node, Scalar, Sequence
from builder.model import Money

_ID = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
_DURATION = re.compile(r"(?:(\d+(?:\.\d+)?)\s*d)?\s*(?:(\d+(?:\.\d+)?)\s*h)?\s*(?:(\d+)\s*m)?\Z")
_MONEY = re.compile(r"(-?\d[\d_ ]*(?:\.\d+)?)(?:\s+([A-Za-z]{3}))?\Z")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?\Z")
_CURRENCIES = frozenset(list_currencies())  # ISO 4217, from CLDR via Babel
_TRUE = {"true", "yes", "on"}
_FALSE = {"false", "no", "off"}


class FieldError(Exception):
    """A bad field value: problem code, message, hint, and the node it points at."""

    def __init__(self, code: str, node: Node, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.code, self.node, self.message, self.hint = code, node, message, hint


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """A "did you mean `x`?" hint, or a list of the valid choices when nothing is close."""
    options = sorted(set(choices))
    close = difflib.get_close_matches(value, options, n=1, cutoff=0.6)
    if close:
        return f"did you mean `{close[0]}`?"
    if not options:
        return ""
    shown = ", ".join(f"`{o}`" for o in options[:8])
    return f"expected one of {shown}" + (" ..." if len(options) > 8 else "")


def kind_of(node: Node) -> str:
    if isinstance(node, Mapping):
        return "a mapping"
    if isinstance(node, Sequence):
        return "a list"
    return "text"


def scalar(node: Node, what: str) -> Scalar:
    if not isinstance(node, Scalar):
        raise FieldError(
            "PD103",
            node,
            f"expected {what}, found {kind_of(node)}",
            f"write {what} on one line after the colon",
        )
    return node


def text(node: Node) -> str:
    s = scalar(node, "text")
    return "" if s.is_null else s.value


def boolean(node: Node) -> bool:
    s = scalar(node, "true or false")
    low = s.value.lower()
    if s.plain and low in _TRUE:
        return True
    if s.plain and low in _FALSE:
        return False
    raise FieldError(
        "PD103", node, f"expected true or false, found `{s.value}`", "write `true` or `false`"
    )


def number(node: Node) -> float:
    s = scalar(node, "a number")
    if not _NUMBER.match(s.value.strip()):
        raise FieldError(
            "PD103",
            node,
            f"expected a number, found `{s.value}`",
            "write digits only, e.g. `40` or `12.5`",
        )
    value = float(s.value)
    if not math.isfinite(value):  # hundreds of digits overflow to inf
        raise FieldError(
            "PD103", node, f"number `{s.value}` is too large", "write a smaller number"
        )
    return value


def whole_number(node: Node, low: int, high: int) -> int:
    value = number(node)
    if value != int(value) or not low <= value <= high:
        raise FieldError(
            "PD103",
            node,
            f"expected a whole number from {low} to {high}, found `{text(node)}`",
            f"write a number between {low} and {high}",
        )
    return int(value)


def parse_date(value: str) -> date:
    """An ISO date; raises ValueError with a readable reason."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value, re.ASCII):
        raise ValueError("not in YYYY-MM-DD form")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError("no such day in the calendar") from None


def a_date(node: Node) -> date:
    s = scalar(node, "a date")
    try:
        return parse_date(s.value.strip())
    except ValueError as exc:
        raise FieldError(
            "PD104",
            node,
            f"bad date `{s.value}`: {exc}",
            "write dates as YYYY-MM-DD, e.g. `2026-11-23`",
        ) from None


def parse_duration(value: str, hours_per_day: int = 8) -> int:
    """Minutes in `2h`, `1h30m`, `90m`, `1.5h`, `2d`; raises ValueError."""
    compact = value.strip().lower()
    if compact.startswith("-"):
        raise ArithmeticError("negative")
    m = _DURATION.match(compact)
    if not compact or m is None or not any(m.groups()):
        raise ValueError("not a duration")
    days, hours, minutes = m.groups()
    total = (float(days or 0) * hours_per_day + float(hours or 0)) * 60 + int(minutes or 0)
    if not math.isfinite(total):  # not negative: too many digits to be a real duration
        raise ValueError("too large")
    return round(total)


def duration(node: Node, hours_per_day: int = 8) -> int:
    s = scalar(node, "a duration")
    try:
        return parse_duration(s.value, hours_per_day)
    except ArithmeticError:
        raise FieldError(
            "PD112", node, f"negative duration `{s.value}`", "durations are zero or more, e.g. `2h`"
        ) from None
    except ValueError:
        raise FieldError(
            "PD105",
            node,
            f"bad duration `{s.value}`",
            "write a number with a unit: `2h`, `1h30m`, `90m`, `1.5h` or `2d`",
        ) from None


def money(node: Node, base_currency: str) -> Money:
    s = scalar(node, "an amount of money")
    m = _MONEY.match(s.value.strip())
    if m is None:
        raise FieldError(
            "PD106",
            node,
            f"bad money `{s.value}`",
            "write an amount and an ISO 4217 code, e.g. `12000 UAH`",
        )
    digits, code = m.groups()
    if code is not None and not code.isupper():
        raise FieldError(
            "PD106",
            node,
            f"bad money `{s.value}`: currency code in lower case",
            f"write the code in capitals: `{digits} {code.upper()}`",
        )
    if code is not None and code not in _CURRENCIES:
        raise FieldError(
            "PD106",
            node,
            f"bad money `{s.value}`: `{code}` is not an ISO 4217 currency code",
            "use an ISO 4217 code such as `USD`, `EUR` or `UAH`",
        )
    try:
        amount = Decimal(digits.replace("_", "").replace(" ", ""))
    except InvalidOperation:  # pragma: no cover - the regex admits only digits
        raise FieldError("PD106", node, f"bad money `{s.value}`", "") from None
    if amount < 0:
        raise FieldError("PD112", node, f"negative amount `{s.value}`", "amounts are zero or more")
    return Money(amount, code or base_currency)


def choice(node: Node, choices: Iterable[str]) -> str:
    value = text(node)
    options = list(choices)
    if value not in options:
        raise FieldError(
            "PD107",
            node,
            f"`{value}` is not one of the allowed values",
            did_you_mean(value, options),
        )
    return value


def record_id(node: Node) -> str:
    """A reference to another record by id; existence is checked by the cross-record rules."""
    value = text(node).strip()
    if not _ID.match(value):
        raise FieldError(
            "PD108",
            node,
            f"bad id `{value}` in reference",
            "ids are lower-case letters, digits and dashes, e.g. `anna-k`",
        )
    return value


def str_list(node: Node) -> list[str]:
    """A list of short strings; one plain value is a list of one."""
    if isinstance(node, Scalar):
        return [] if node.is_null else [node.value]
    if isinstance(node, Mapping):
        raise FieldError(
            "PD103",
            node,
            "expected a list, found a mapping",
            "write `[a, b]` or one `- item` per line",
        )
    return [text(item) for item in node.items]


def id_list(node: Node) -> list[str]:
    if isinstance(node, Scalar):
        return [] if node.is_null else [record_id(node)]
    if isinstance(node, Mapping):
        raise FieldError(
            "PD103", node, "expected a list of ids, found a mapping", "write `[anna-k, oleh-p]`"
        )
    return [record_id(item) for item in node.items]


def mapping(node: Node, what: str) -> Mapping:
    if not isinstance(node, Mapping):
        raise FieldError(
            "PD103",
            node,
            f"expected {what} (a mapping), found {kind_of(node)}",
            f"write {what} as indented `key: value` lines",
        )
    return node


def sequence(node: Node, what: str) -> list[Node]:
    if isinstance(node, Scalar) and node.is_null:
        return []
    if not isinstance(node, Sequence):
        raise FieldError(
            "PD103",
            node,
            f"expected {what} (a list), found {kind_of(node)}",
            "write one `- item` per line",
        )
    return node.items


def str_map(node: Node) -> dict[str, str]:
    """Chat handles: one handle, or a mapping of network -> handle."""
    if isinstance(node, Scalar):
        return {} if node.is_null else {"chat": node.value}
    m = mapping(node, "chat handles")
    return {k: text(v) for k, (_, v) in m.items.items()}


def email(node: Node) -> str:
    value = text(node).strip()
    if value and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
        raise FieldError(
            "PD103", node, f"`{value}` is not an e-mail address", "write it as name@example.com"
        )
    return value
