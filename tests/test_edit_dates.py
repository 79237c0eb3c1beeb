"""The command line's date parser: ISO dates, today/tomorrow/yesterday, +Nd/+Nw/-Nd and
weekday names, all within the dates a workspace may hold."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder.edit.dates import DateInputError, parse_when

MONDAY = date(2026, 3, 16)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-04-01", date(2026, 4, 1)),
        (" 2026-04-01 ", date(2026, 4, 1)),
        ("today", MONDAY),
        ("Today", MONDAY),
        ("tomorrow", date(2026, 3, 17)),
        ("yesterday", date(2026, 3, 15)),
        ("+3d", date(2026, 3, 19)),
        ("+0d", MONDAY),
        ("+2w", date(2026, 3, 30)),
        ("-1d", date(2026, 3, 15)),
        ("+30d", date(2026, 4, 15)),
        ("fri", date(2026, 3, 20)),
        ("friday", date(2026, 3, 20)),
        ("FRI", date(2026, 3, 20)),
        ("tue", date(2026, 3, 17)),
        ("wednes", date(2026, 3, 18)),
        ("sun", date(2026, 3, 22)),
        # a weekday is the next one, never today: "mon" on a Monday is a week on
        ("mon", date(2026, 3, 23)),
        ("monday", date(2026, 3, 23)),
    ],
)
def test_forms(text: str, expected: date) -> None:
    assert parse_when(text, MONDAY) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "2026-02-30",
            "`2026-02-30` is not a date (no such day in the calendar); write YYYY-MM-DD, "
            "today, tomorrow, +3d, +2w or a weekday (fri)",
        ),
        (
            "next week",
            "`next week` is not a date (not in YYYY-MM-DD form); write YYYY-MM-DD, today, "
            "tomorrow, +3d, +2w or a weekday (fri)",
        ),
        (
            "fr",  # two letters name no weekday: `t` and `s` would be ambiguous
            "`fr` is not a date (not in YYYY-MM-DD form); write YYYY-MM-DD, today, "
            "tomorrow, +3d, +2w or a weekday (fri)",
        ),
        (
            "+3m",
            "`+3m` is not a date (not in YYYY-MM-DD form); write YYYY-MM-DD, today, "
            "tomorrow, +3d, +2w or a weekday (fri)",
        ),
        (
            "+99999w",
            "`+99999w` falls outside the dates a workspace holds: dates run from "
            "1900-01-01 to 2999-12-31",
        ),
        (
            "1899-12-31",
            "`1899-12-31` is not a date (out of range: dates run from 1900-01-01 "
            "to 2999-12-31); write YYYY-MM-DD, today, tomorrow, +3d, +2w or a weekday (fri)",
        ),
    ],
)
def test_refused(text: str, message: str) -> None:
    with pytest.raises(DateInputError) as caught:
        parse_when(text, MONDAY)
    assert str(caught.value) == message


@given(st.dates(date(1900, 1, 1), date(2999, 12, 31)))
def test_iso_dates_read_as_themselves(day: date) -> None:
    assert parse_when(day.isoformat(), MONDAY) == day


@given(st.dates(date(1950, 1, 1), date(2900, 1, 1)), st.integers(0, 9999))
def test_offsets_count_days_and_weeks(today: date, n: int) -> None:
    assert parse_when(f"+{n}d", today) == today + timedelta(days=n)
    assert parse_when(f"-{n}d", today) == today - timedelta(days=n)
    assert parse_when(f"+{n // 7}w", today) == today + timedelta(weeks=n // 7)


@given(st.dates(date(1950, 1, 1), date(2900, 1, 1)), st.integers(0, 6))
def test_a_weekday_is_within_the_next_seven_days(today: date, weekday: int) -> None:
    names = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    day = parse_when(names[weekday], today)
    assert day.weekday() == weekday
    assert 1 <= (day - today).days <= 7
