"""What every report needs: people's hourly cost in the base currency, when a task was
done, and the weeks and months that reports are cut into."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from builder.model import Task, Workspace

if TYPE_CHECKING:
    from builder.history import History


def hourly_cost(ws: Workspace, person_id: str) -> Decimal | None:
    """A person's cost per hour in the base currency; None when unknown (no such person,
    no `rate`, or a currency without a rate to the base)."""
    person = ws.people.get(person_id)
    if person is None or person.rate is None:
        return None
    return ws.settings.to_base(person.rate)


def cost_of(minutes: int, rate: Decimal) -> Decimal:
    """The cost of `minutes` at `rate` per hour (exact: rounding is the page's business)."""
    return Decimal(minutes) * rate / 60


def monday(day: date) -> date:
    """The Monday of the week holding `day`."""
    return day - timedelta(days=day.weekday())


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    """The first day of the month after the one holding `day`."""
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def done_on(ws: Workspace, task: Task, history: History | None) -> date | None:
    """The day a done task was finished (None for an open one, or when nothing says).

    Git knows best: the day of the commit that moved it into its done column (the last
    such move). Without history, the last day time was logged on it, else its due date."""
    if ws.task_is_open(task):
        return None
    if history is not None:
        found = _done_in_history(ws, task, history)
        if found is not None:
            return found
    if task.time:
        return max(e.date for e in task.time)
    return task.due


def _done_in_history(ws: Workspace, task: Task, history: History) -> date | None:
    from builder.history.events import local_day

    rec = history.get("task", task.id)
    if rec is None:
        return None
    done = ws.workflow_of(ws.projects.get(task.project)).done
    last: date | None = None
    before: str | None = None
    for value, stamp in rec.values("status"):
        if value == done and before != done:
            last = local_day(stamp.when, history.tz)
        before = value
    return last
