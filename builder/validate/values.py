"""Parsers for field values: text, numbers, dates, durations, money, choices, ids, lists.

Each takes a YAML node and returns a Python value or raises `FieldError` pointing at the
node. The per-record loop in `fields.py` turns the errors into problems.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import TypeVar

from builder.load.yamltree import Mapping, Node, Scalar, Sequence
from builder.model import Money
from builder.model.schema import ID_PATTERN
from builder.validate.currency_codes import KNOWN_CURRENCIES

Choice = TypeVar("Choice", bound=str)

_ID = ID_PATTERN
_DURATION = re.compile(r"(?:(\d+(?:\.\d+)?)\s*d)?\s*(?:(\d+(?:\.\d+)?)\s*h)?\s*(?:(\d+)\s*m)?\Z")
_MONEY = re.compile(r"(-?\d[\d_ ]*(?:\.\d+)?)(?:\s+([A-Za-z]{3}))?\Z")
_INTERVAL = re.compile(r"(\d+)\s*([dw])\Z")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?\Z")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


@cache
def currencies() -> frozenset[str]:
    """The ISO 4217 codes, from CLDR via Babel (its data loaded on the first call)."""
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


def is_currency(code: str) -> bool:
    """Whether `code` is an ISO 4217 code. The codes Babel knew when `currency_codes` was
    written answer without loading Babel's data (a tenth of an edit command's time, and
    most workspaces name a currency in workspace.yml); any other code is asked of Babel,
    so a newer Babel's codes count too."""
    return code in KNOWN_CURRENCIES or code in currencies()


_TRUE = {"true", "yes", "on"}
_FALSE = {"false", "no", "off"}

#: The dates a workspace may hold, and `--today`: any real schedule fits, and every date
#: computed from them (a timeline's months, weeks, `today - 3650 days`, history's windows)
#: stays inside Python's years 1..9999.
MIN_DATE, MAX_DATE = date(1900, 1, 1), date(2999, 12, 31)
DATE_RANGE = f"dates run from {MIN_DATE.isoformat()} to {MAX_DATE.isoformat()}"
#: Numbers and amounts of money stay below this in magnitude: far above any real figure,
#: and sums of them over any workspace still format (Babel rounds in Decimal arithmetic).
MAX_NUMBER = 10**15
MAX_NUMBER_TEXT = "1,000,000,000,000,000"
#: The longest duration (an estimate, time logged), in hours.
MAX_HOURS = 1_000_000
#: The longest calendar interval (a contact's cadence), in days: a century.
MAX_INTERVAL_DAYS = 36_500


class FieldError(Exception):
    """A bad field value: problem code, message, hint, and the node it points at."""

    def __init__(self, code: str, node: Node, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.code, self.node, self.message, self.hint = code, node, message, hint


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """A "did you mean `x`?" hint, or a list of the valid choices when nothing is close."""
    import difflib  # only a mistake needs it: an edit that goes through does not load it

    options = sorted(set(choices))
    close = difflib.get_close_matches(value, options, n=1, cutoff=0.6)
    if close:
        return f"did you mean `{close[0]}`?"
    if not options:
        return ""
    shown = ", ".join(f"`{o}`" for o in options[:8])
    return f"expected one of {shown}" + (" ..." if len(options) > 8 else "")


def shown(value: str, limit: int = 60) -> str:
    """A user's value as a problem message quotes it: at most `limit` characters (a
    quoted scalar may be megabytes long)."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


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
        "PD103",
        node,
        f"expected true or false, found `{shown(s.value)}`",
        "write `true` or `false`",
    )


def number(node: Node) -> float:
    s = scalar(node, "a number")
    if not _NUMBER.match(s.value.strip()):
        raise FieldError(
            "PD103",
            node,
            f"expected a number, found `{shown(s.value)}`",
            "write digits only, e.g. `40` or `12.5`",
        )
    value = float(s.value)
    if not abs(value) < MAX_NUMBER:  # hundreds of digits overflow to inf, too
        raise FieldError(
            "PD103",
            node,
            f"number `{shown(s.value.strip())}` is too large",
            f"numbers stay below {MAX_NUMBER_TEXT}; check for extra digits",
        )
    return value


def whole_number(node: Node, low: int, high: int) -> int:
    value = number(node)
    if value != int(value) or not low <= value <= high:
        raise FieldError(
            "PD103",
            node,
            f"expected a whole number from {low} to {high}, found `{shown(text(node))}`",
            f"write a number between {low} and {high}",
        )
    return int(value)


class DateRangeError(ValueError):
    """A real calendar day outside MIN_DATE..MAX_DATE."""


def parse_date(value: str) -> date:
    """An ISO date from MIN_DATE to MAX_DATE; raises ValueError with a readable reason
    (DateRangeError for a real day outside that range)."""
    if not _ISO_DATE.fullmatch(value):
        raise ValueError("not in YYYY-MM-DD form")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValueError("no such day in the calendar") from None
    if not MIN_DATE <= day <= MAX_DATE:
        raise DateRangeError(f"out of range: {DATE_RANGE}")
    return day


def a_date(node: Node) -> date:
    s = scalar(node, "a date")
    try:
        return parse_date(s.value.strip())
    except DateRangeError:
        raise FieldError(
            "PD104",
            node,
            f"date `{shown(s.value.strip())}` is out of range",
            f"{DATE_RANGE}; check the year",
        ) from None
    except ValueError as exc:
        raise FieldError(
            "PD104", node, f"bad date `{shown(s.value)}`: {exc}", _date_hint(s.value.strip())
        ) from None


def _date_hint(value: str) -> str:
    """How to fix a date: its form, or, in the right form, its month or day."""
    if not _ISO_DATE.fullmatch(value):
        return "write dates as YYYY-MM-DD, e.g. `2026-11-23`"
    year, month = int(value[:4]), int(value[5:7])
    if not 1 <= month <= 12:
        return "the month comes second and runs from 01 to 12 (YYYY-MM-DD)"
    import calendar  # a bad date's hint alone: reading good dates does not load it

    days = calendar.monthrange(max(year, 1), month)[1]
    return f"{value[:7]} has {days} days; check the day"


def parse_duration(value: str, hours_per_day: int = 8) -> int:
    """Minutes in `2h`, `1h30m`, `90m`, `1.5h`, `2d`; raises ValueError."""
    compact = value.strip().lower()
    if compact.startswith("-"):
        raise ArithmeticError("negative")
    m = _DURATION.match(compact)
    if not compact or m is None or not any(m.groups()):
        raise ValueError("not a duration")
    days, hours, minutes = m.groups()
    total = (float(days or 0) * hours_per_day + float(hours or 0)) * 60 + float(minutes or 0)
    if not total <= MAX_HOURS * 60:  # not negative: too many digits to be a real duration
        raise OverflowError("too long")
    return round(total)


def duration(node: Node, hours_per_day: int = 8) -> int:
    s = scalar(node, "a duration")
    try:
        return parse_duration(s.value, hours_per_day)
    except OverflowError:
        raise FieldError(
            "PD105",
            node,
            f"duration `{shown(s.value.strip())}` is too long",
            f"durations are at most {MAX_HOURS}h; check for extra digits",
        ) from None
    except ArithmeticError:
        raise FieldError(
            "PD112",
            node,
            f"negative duration `{shown(s.value)}`",
            "durations are zero or more, e.g. `2h`",
        ) from None
    except ValueError:
        raise FieldError(
            "PD105",
            node,
            f"bad duration `{shown(s.value)}`",
            "write a number with a unit: `2h`, `1h30m`, `90m`, `1.5h` or `2d`",
        ) from None


def interval(node: Node) -> int:
    """Whole days in a calendar interval: `14d`, `2w`, `30d`. Unlike a duration, a day
    here is a calendar day, not `hours_per_day` working hours."""
    s = scalar(node, "an interval")
    compact = s.value.strip().lower()
    hint = "write whole days or weeks: `14d`, `2w` or `30d`"
    if compact.startswith("-"):
        raise FieldError("PD112", node, f"negative interval `{shown(s.value)}`", hint)
    m = _INTERVAL.match(compact)
    if m is None:
        raise FieldError("PD105", node, f"bad interval `{shown(s.value)}`", hint)
    digits, unit = m.groups()
    days = int(digits) * (7 if unit == "w" else 1) if len(digits) <= 9 else MAX_INTERVAL_DAYS + 1
    if days > MAX_INTERVAL_DAYS:
        raise FieldError(
            "PD105",
            node,
            f"interval `{shown(compact)}` is too long",
            f"intervals are at most {MAX_INTERVAL_DAYS}d; check for extra digits",
        )
    return days


def money(node: Node, base_currency: str) -> Money:
    s = scalar(node, "an amount of money")
    m = _MONEY.match(s.value.strip())
    if m is None:
        raise FieldError(
            "PD106",
            node,
            f"bad money `{shown(s.value)}`",
            "write an amount and an ISO 4217 code, e.g. `12000 UAH`",
        )
    digits, code = m.groups()
    if code is not None and not code.isupper():
        raise FieldError(
            "PD106",
            node,
            f"bad money `{shown(s.value)}`: currency code in lower case",
            f"write the code in capitals: `{shown(digits)} {code.upper()}`",
        )
    if code is not None and not is_currency(code):
        raise FieldError(
            "PD106",
            node,
            f"bad money `{shown(s.value)}`: `{code}` is not an ISO 4217 currency code",
            "use an ISO 4217 code such as `USD`, `EUR` or `UAH`",
        )
    try:
        amount = Decimal(digits.replace("_", "").replace(" ", ""))
    except InvalidOperation:  # pragma: no cover - the regex admits only digits
        raise FieldError("PD106", node, f"bad money `{shown(s.value)}`", "") from None
    if amount < 0:
        raise FieldError(
            "PD112", node, f"negative amount `{shown(s.value)}`", "amounts are zero or more"
        )
    if amount >= MAX_NUMBER:
        raise FieldError(
            "PD106",
            node,
            f"amount `{shown(s.value.strip())}` is too large",
            f"amounts stay below {MAX_NUMBER_TEXT}; check for extra digits",
        )
    return Money(amount, code or base_currency)


def choice(node: Node, choices: Iterable[Choice]) -> Choice:
    """One of `choices` (typed as they are: a tuple of a `Literal`'s values gives that type)."""
    value = text(node)
    options = list(choices)
    if value not in options:
        raise FieldError(
            "PD107",
            node,
            f"`{shown(value)}` is not one of the allowed values",
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
            f"bad id `{shown(value)}` in reference",
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
            "PD103",
            node,
            f"`{shown(value)}` is not an e-mail address",
            "write it as name@example.com",
        )
    return value
