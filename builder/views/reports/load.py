"""The load ahead: per person and week, the remaining estimate (estimate - spent) of their
open tasks, spread over the working days of each task's start..due (from today on), against
their weekly capacity. Tasks that cannot be placed (no estimate, no due date) are counted
and named, never dropped without a word."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from builder.model import Task, Workspace
from builder.views.reports.work import monday

if TYPE_CHECKING:
    from builder.views.derived import Derived

WEEKS = 8


def working_days(first: date, last: date) -> list[date]:
    """Monday-to-Friday days of first..last; every day of it when none is a weekday (a
    task planned for a weekend is still work)."""
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    weekdays = [d for d in days if d.weekday() < 5]
    return weekdays or days


def spread(remaining: int, task: Task, today: date) -> dict[date, int]:
    """`remaining` minutes of an open task spread over the Mondays of the weeks it falls
    in: evenly over the working days from max(start, today) to due (a task without a
    start, over its due date's day; an overdue one, today). Whole minutes that add up to
    `remaining` exactly."""
    assert task.due is not None
    last = max(task.due, today)
    first = min(max(task.start or task.due, today), last)
    days = working_days(first, last)
    weeks: dict[date, int] = {}
    n = len(days)
    for i, day in enumerate(days):
        share = remaining * (i + 1) // n - remaining * i // n
        if share:
            week = monday(day)
            weeks[week] = weeks.get(week, 0) + share
    return weeks


@dataclass
class PersonLoad:
    """One person's weeks ahead: minutes per week (index 0: this week), what falls past
    the last week, and the open tasks that could not be placed."""

    person: str
    capacity: float | None  # hours a week
    weeks: list[int]
    later: int = 0
    no_estimate: list[str] = field(default_factory=list)  # task ids
    no_due: list[str] = field(default_factory=list)  # estimated, but no due date

    def over(self, week: int) -> bool:
        """Whether the load of week `week` exceeds the capacity."""
        return self.capacity is not None and self.weeks[week] > self.capacity * 60


@dataclass
class LoadReport:
    mondays: list[date]
    people: list[PersonLoad]
    #: open tasks with nobody assigned (their load is nobody's)
    unassigned: list[str]


def person_load(
    ws: Workspace, derived: Derived, person_id: str, today: date, weeks: int = WEEKS
) -> PersonLoad:
    """The load of the person's open tasks over the `weeks` weeks from today's."""
    person = ws.people.get(person_id)
    first = monday(today)
    load = PersonLoad(person_id, person.capacity if person else None, [0] * weeks)
    for task in derived.index.tasks_by_assignee.get(person_id, []):
        if not ws.task_is_open(task):
            continue
        if not task.estimate:
            load.no_estimate.append(task.id)
            continue
        if task.due is None:
            load.no_due.append(task.id)
            continue
        remaining = max(task.estimate - task.spent, 0)
        for week, minutes in spread(remaining, task, today).items():
            n = (week - first).days // 7
            if n < weeks:
                load.weeks[n] += minutes
            else:
                load.later += minutes
    return load


def load_report(ws: Workspace, derived: Derived, today: date, weeks: int = WEEKS) -> LoadReport:
    """Every active person's load (and an inactive one's who still has open tasks)."""
    first = monday(today)
    ids = [
        p.id
        for p in sorted(ws.people.values(), key=lambda p: (p.name.lower(), p.id))
        if p.active or derived.index.tasks_by_assignee.get(p.id)
    ]
    unassigned = [t.id for t in derived.tasks_by_id if not t.assignee and ws.task_is_open(t)]
    return LoadReport(
        mondays=[first + timedelta(weeks=n) for n in range(weeks)],
        people=[person_load(ws, derived, pid, today, weeks) for pid in ids],
        unassigned=unassigned,
    )
