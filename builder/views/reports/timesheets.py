"""Timesheets: the hours each person logged per day and per project in a week, against
their weekly capacity. Time counts for whoever logged it, not the task's assignee."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from builder.model import Workspace
from builder.views.reports.work import monday

if TYPE_CHECKING:
    from builder.views.derived import Derived


@dataclass
class PersonWeek:
    """One person's week: minutes per day (Monday first) and per project."""

    person: str
    days: list[int] = field(default_factory=lambda: [0] * 7)
    projects: dict[str, list[int]] = field(default_factory=dict)  # project -> per day
    capacity: float | None = None  # hours

    @property
    def minutes(self) -> int:
        return sum(self.days)

    @property
    def utilisation(self) -> float | None:
        """Hours logged / capacity (None without a capacity)."""
        if not self.capacity:
            return None
        return self.minutes / 60 / self.capacity


@dataclass
class Week:
    """The team's week: a row per person (every active person, and anyone who logged
    time in it), in name order."""

    monday: date
    people: list[PersonWeek]

    @property
    def minutes(self) -> int:
        return sum(p.minutes for p in self.people)

    @property
    def capacity(self) -> float:
        return sum(p.capacity or 0 for p in self.people)


def weeks_back(today: date, count: int) -> list[date]:
    """The Mondays of the `count` weeks up to the one holding `today`, newest first."""
    first = monday(today)
    return [first - timedelta(weeks=n) for n in range(count)]


def timesheets(ws: Workspace, derived: Derived, mondays: list[date]) -> list[Week]:
    """The weeks starting on `mondays`, in that order."""
    wanted = set(mondays)
    rows: dict[date, dict[str, PersonWeek]] = {m: {} for m in mondays}
    for task in derived.tasks_by_id:
        for entry in task.time:
            week = monday(entry.date)
            if week not in wanted:
                continue
            row = rows[week].get(entry.person)
            if row is None:
                row = rows[week][entry.person] = _row(ws, entry.person)
            weekday = entry.date.weekday()
            row.days[weekday] += entry.minutes
            row.projects.setdefault(task.project, [0] * 7)[weekday] += entry.minutes
    for people in rows.values():
        for person in ws.people.values():
            if person.active and person.id not in people:
                people[person.id] = _row(ws, person.id)
    return [Week(m, sorted(rows[m].values(), key=lambda r: _name(ws, r.person))) for m in mondays]


def _row(ws: Workspace, person_id: str) -> PersonWeek:
    person = ws.people.get(person_id)
    return PersonWeek(person_id, capacity=person.capacity if person else None)


def _name(ws: Workspace, person_id: str) -> tuple[str, str]:
    person = ws.people.get(person_id)
    return ((person.name if person else person_id).lower(), person_id)
