"""Dates as people type them on a command line: `2026-03-20`, `today`, `tomorrow`,
`yesterday`, `+3d`, `+2w`, `-1d`, and weekday names (`fri`, `friday`).

A weekday is the next one after today, never today itself ("due fri" said on a Friday means
a week from now); `today` is today. Every result is checked against the dates a workspace may
hold, so what this returns is always a date `check` accepts.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from builder.validate.values import DATE_RANGE, MAX_DATE, MIN_DATE, parse_date

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_NAMED = {"today": 0, "tomorrow": 1, "yesterday": -1}
_OFFSET = re.compile(r"([+-])\s*(\d{1,5})\s*([dw])\Z", re.ASCII)

#: What the parser takes, for messages and `--help`.
DATE_FORMS = "YYYY-MM-DD, today, tomorrow, +3d, +2w or a weekday (fri)"


class DateInputError(ValueError):
    """A date that could not be read; the message says what was typed and what works."""


def parse_when(text: str, today: date) -> date:
    """The date `text` names, counted from `today`; raises `DateInputError`."""
    word = text.strip().lower()
    day: date | None = None
    if word in _NAMED:
        day = today + timedelta(days=_NAMED[word])
    elif (m := _OFFSET.match(word)) is not None:
        sign, count, unit = m.groups()
        days = int(count) * (7 if unit == "w" else 1)
        day = _shifted(today, -days if sign == "-" else days, text)
    elif len(word) >= 3 and (weekday := _weekday(word)) is not None:
        ahead = (weekday - today.weekday() - 1) % 7 + 1
        day = today + timedelta(days=ahead)
    else:
        try:
            return parse_date(word)
        except ValueError as exc:
            raise DateInputError(f"`{text}` is not a date ({exc}); write {DATE_FORMS}") from None
    if not MIN_DATE <= day <= MAX_DATE:
        raise DateInputError(f"`{text}` falls outside the dates a workspace holds: {DATE_RANGE}")
    return day


def _weekday(word: str) -> int | None:
    """Monday = 0 for a weekday name or its start (`fri`, `thu`, `wednes`)."""
    for number, name in enumerate(_WEEKDAYS):
        if name.startswith(word):
            return number
    return None


def _shifted(today: date, days: int, text: str) -> date:
    try:
        return today + timedelta(days=days)
    except OverflowError:
        raise DateInputError(
            f"`{text}` falls outside the dates a workspace holds: {DATE_RANGE}"
        ) from None
