"""A page per person ("my work"): tasks by status, overdue, this week's load against
capacity, deals owned, contacts to follow up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from builder.model import Workspace
from builder.views.boards import BoardView, person_board
from builder.views.common import Fmt, percent_of, week_bounds
from builder.views.dashboard import FollowUp, follow_ups
from builder.views.funnels import DealCard, deal_card

if TYPE_CHECKING:
    from builder.views.derived import Derived


@dataclass
class PersonView:
    id: str
    name: str
    role: str
    active: bool
    open: int
    overdue: int
    load: str  # estimated hours this week
    capacity: str
    load_percent: int
    over_capacity: bool
    board: BoardView
    deals: list[DealCard]
    follow_ups: list[FollowUp]
    has_deals: bool = True  # False on an audience's site without deals: no section for them


def week_load_minutes(ws: Workspace, derived: Derived, person_id: str, today: date) -> int:
    """Remaining estimate of the person's open tasks that fall in this week.

    A task falls in the week when it is due this week, or overdue, or runs across it
    (start on or before Sunday and due on or after Monday). Remaining = estimate - spent.
    """
    monday, sunday = week_bounds(today)
    total = 0
    for t in derived.index.tasks_by_assignee.get(person_id, []):
        if not ws.task_is_open(t) or not t.estimate or t.due is None:
            continue
        start = t.start or t.due
        if t.due < monday or (start <= sunday and t.due >= monday):
            total += max(t.estimate - t.spent, 0)
    return total


def person_load(ws: Workspace, derived: Derived, person_id: str, today: date) -> tuple[str, str]:
    """This week's estimated load and the capacity, as shown ("" without a capacity)."""
    fmt = Fmt.of(ws)
    capacity = ws.people[person_id].capacity
    load = fmt.hours(week_load_minutes(ws, derived, person_id, today) / 60)
    return load, fmt.hours(capacity or 0) if capacity is not None else ""


def person_view(ws: Workspace, derived: Derived, person_id: str, today: date) -> PersonView:
    """A person's page: their board, this week's load against capacity, open deals and
    the contacts they follow up."""
    fmt = Fmt.of(ws)
    person = ws.people[person_id]
    board = person_board(ws, derived, person_id, today)
    load = week_load_minutes(ws, derived, person_id, today) / 60
    capacity = person.capacity or 0
    shown_load, shown_capacity = person_load(ws, derived, person_id, today)
    return PersonView(
        id=person.id,
        name=person.name,
        role=person.role,
        active=person.active,
        open=board.open,
        overdue=board.overdue,
        load=shown_load,
        capacity=shown_capacity,
        load_percent=percent_of(load, capacity),
        over_capacity=bool(capacity) and load > capacity,
        board=board,
        deals=[
            deal_card(ws, derived, d, today, fmt)
            for d in derived.index.deals_by_owner.get(person_id, [])
            if ws.deal_is_open(d)
        ],
        follow_ups=follow_ups(ws, derived, today, person_id),
        has_deals=bool(ws.settings.pipelines),
    )
