"""A page per person ("my work"): tasks by status, overdue, this week's load against
capacity, deals owned, contacts to follow up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from builder.model import Workspace
from builder.validate.warnings import deal_is_open, is_open
from builder.views.boards import BoardView, person_board
from builder.views.common import Fmt, index, percent_of, week_bounds
from builder.views.dashboard import FollowUp, follow_ups
from builder.views.funnels import DealCard, deal_card


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


def week_load_minutes(ws: Workspace, person_id: str, today: date) -> int:
    """Remaining estimate of the person's open tasks that fall in this week.

    A task falls in the week when it is due this week, or overdue, or runs across it
    (start on or before Sunday and due on or after Monday). Remaining = estimate - spent.
    """
    monday, sunday = week_bounds(today)
    total = 0
    for t in index(ws).tasks_by_assignee.get(person_id, []):
        if not is_open(ws, t) or not t.estimate or t.due is None:
            continue
        start = t.start or t.due
        if t.due < monday or (start <= sunday and t.due >= monday):
            total += max(t.estimate - t.spent, 0)
    return total


def person_load(ws: Workspace, person_id: str, today: date) -> tuple[str, str]:
    """This week's estimated load and the capacity, as shown ("" without a capacity)."""
    fmt = Fmt.of(ws)
    capacity = ws.people[person_id].capacity
    load = fmt.hours(week_load_minutes(ws, person_id, today) / 60)
    return load, fmt.hours(capacity or 0) if capacity is not None else ""


def person_view(ws: Workspace, person_id: str, today: date) -> PersonView:
    fmt = Fmt.of(ws)
    p = ws.people[person_id]
    board = person_board(ws, person_id, today)
    load = week_load_minutes(ws, person_id, today) / 60
    capacity = p.capacity or 0
    deals = [
        deal_card(ws, d, today, fmt)
        for d in index(ws).deals_by_owner.get(person_id, [])
        if deal_is_open(ws, d)
    ]
    shown_load, shown_capacity = person_load(ws, person_id, today)
    return PersonView(
        p.id,
        p.name,
        p.role,
        p.active,
        board.open,
        board.overdue,
        shown_load,
        shown_capacity,
        percent_of(load, capacity),
        bool(capacity) and load > capacity,
        board,
        deals,
        follow_ups(ws, today, person_id),
    )
