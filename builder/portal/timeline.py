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
    months = _month_starts(first, last)
    step = _label_step(len(months))
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
