"""Portal timeline: the geometry of a project's schedule, computed at build time.

Positions are percentages of the project's span (whole months), so the page draws the Gantt
chart with plain HTML and CSS: no script, no canvas, and it prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from builder.portal.view import PortalTask


@dataclass(frozen=True)
class TimelineTick:
    """The first day of a month on the axis; `label` is False where labels would crowd."""

    day: date
    left: float
    label: bool
    year: bool  # show the year with this month (the first tick and every January)


@dataclass(frozen=True)
class TimelineBar:
    """One task (or the whole project) as a bar from `start` to `end`, both inclusive."""

    title: str
    phase: str
    start: date
    end: date
    left: float
    width: float
    milestone: bool  # the task has only one date


@dataclass(frozen=True)
class Timeline:
    """The axis (`start`..`end`, whole months), its ticks, the bars and today's position."""

    start: date
    end: date
    ticks: tuple[TimelineTick, ...]
    project: TimelineBar | None
    bars: tuple[TimelineBar, ...]
    today: float | None


def _month_starts(start: date, end: date) -> list[date]:
    days, day = [], start
    while day <= end:
        days.append(day)
        day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return days


def _label_step(months: int) -> int:
    for limit, step in ((6, 1), (12, 2), (24, 3)):
        if months <= limit:
            return step
    return 6


#: Up to ten years the axis ticks every month; a longer span (dates may run from 1900 to
#: 2999) ticks every January of every `step` years, so that the page stays small.
MAX_MONTH_TICKS = 120
_YEAR_STEPS = (1, 2, 5, 10, 20, 50, 100)
_MAX_YEAR_TICKS = 40


def _axis(first: date, last: date) -> tuple[list[date], int]:
    """The tick days from `first` to `last` (both month bounds) and how many ticks apart
    the labels go."""
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    if months <= MAX_MONTH_TICKS:
        return _month_starts(first, last), _label_step(months)
    years = last.year - first.year + 1
    step = next((s for s in _YEAR_STEPS if years <= s * _MAX_YEAR_TICKS), _YEAR_STEPS[-1])
    year = -(-first.year // step) * step  # the first multiple of `step` on the axis
    if date(year, 1, 1) < first:
        year += step
    days = [date(y, 1, 1) for y in range(year, last.year + 1, step)]
    return days, 1 if len(days) <= 12 else 2 if len(days) <= 24 else 4


def build_timeline(
    start: date | None, due: date | None, tasks: Sequence[PortalTask], today: date
) -> Timeline | None:
    """The timeline of a project from its dates and its client-visible tasks' dates, or None
    when there is nothing to draw."""
    dated = [t for t in tasks if t.start or t.due]
    days = [d for d in (start, due) if d] + [d for t in dated for d in (t.start, t.due) if d]
    if not dated and not (start and due):
        return None
    first = min(days).replace(day=1)
    last_month = max(days).replace(day=28) + timedelta(days=4)
    last = last_month - timedelta(days=last_month.day)
    total = (last - first).days + 1

    def bar(title: str, phase: str, s: date, e: date, milestone: bool) -> TimelineBar:
        left = (s - first).days / total * 100
        width = ((e - s).days + 1) / total * 100
        return TimelineBar(title, phase, s, e, round(left, 3), round(width, 3), milestone)

    bars = []
    for t in dated:
        s, e = t.start or t.due, t.due or t.start
        if s and e:
            bars.append(bar(t.title, t.phase, s, max(s, e), t.start is None or t.due is None))
    bars.sort(key=lambda b: (b.start, b.end, b.title.casefold()))
    project = bar("", "project", start, due, False) if start and due and due >= start else None
    months, step = _axis(first, last)
    ticks = tuple(
        TimelineTick(
            m,
            round((m - first).days / total * 100, 3),
            i % step == 0,
            i == 0 or m.month == 1,  # the template shows it on labelled ticks only
        )
        for i, m in enumerate(months)
    )
    now = round((today - first).days / total * 100, 3) if first <= today <= last else None
    return Timeline(first, last, ticks, project, tuple(bars), now)
