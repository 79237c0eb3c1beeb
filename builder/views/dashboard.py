"""The home page: what needs attention today across the whole workspace."""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from datetime import date, timedelta

from builder.model import Task, Workspace
from builder.problems import Problem
from builder.validate.warnings import deal_is_open
from builder.views.common import (
    CardView,
    Fmt,
    Link,
    card,
    index,
    project_workflows,
    url,
    week_bounds,
)
from builder.views.funnels import DealCard, deal_card, idle_days, is_idle
from builder.views.paths import board_url


@dataclass
class FollowUp:
    contact: Link
    company: Link
    owner: Link
    date: str
    overdue: bool
    tags: list[str] = field(default_factory=list)


@dataclass
class Breach:
    project: Link
    column: str
    count: int
    wip: int


@dataclass
class PersonRow:
    person: Link
    open: int
    overdue: int
    due_week: int
    deals: int


@dataclass
class DashboardView:
    """The lists show their first `LIST_CAP` items (most overdue, longest idle, earliest
    follow-up); the counts are of all of them."""

    title: str
    today: str
    overdue: list[CardView]
    due_week: list[CardView]
    breaches: list[Breach]
    stale_deals: list[DealCard]
    follow_ups: list[FollowUp]
    people: list[PersonRow]
    errors: int
    warnings: int
    problem_lines: list[str]
    overdue_count: int = 0
    due_week_count: int = 0
    stale_count: int = 0
    follow_ups_count: int = 0


FOLLOW_UP_DAYS = 7
#: A home page is read at a glance: each list stops here, and the team table below (each
#: person's page) has the rest. At 10,000 tasks the lists would run to a thousand cards.
LIST_CAP = 20


def follow_ups(ws: Workspace, today: date, owner: str | None = None) -> list[FollowUp]:
    """Contacts whose follow-up falls within the next week (or is overdue)."""
    fmt = Fmt.of(ws)
    horizon = today + timedelta(days=FOLLOW_UP_DAYS)
    out = []
    contacts = sorted(ws.contacts.values(), key=lambda c: (c.follow_up or date.max, c.id))
    for c in contacts:
        if c.follow_up is None or c.follow_up > horizon or (owner and c.owner != owner):
            continue
        company = ws.companies.get(c.company or "")
        out.append(
            FollowUp(
                Link(c.name, url("contact", c.id)),
                Link(company.name, url("company", company.id)) if company else Link(""),
                Link(ws.people[c.owner].name, url("person", c.owner))
                if c.owner in ws.people
                else Link(""),
                fmt.short_date(c.follow_up),
                c.follow_up < today,
                list(c.tags),
            )
        )
    return out


def wip_breaches(ws: Workspace) -> list[Breach]:
    counts: dict[tuple[str, str], int] = {}
    for t in ws.tasks.values():
        counts[(t.project, t.status)] = counts.get((t.project, t.status), 0) + 1
    out = []
    for p in sorted(ws.projects.values(), key=lambda p: p.name.lower()):
        for c in ws.workflow_of(p).columns:
            n = counts.get((p.id, c.id), 0)
            if c.wip is not None and n > c.wip:
                out.append(Breach(Link(p.name, board_url(p.id)), c.name, n, c.wip))
    return out


def dashboard(ws: Workspace, today: date, problems: list[Problem]) -> DashboardView:
    fmt = Fmt.of(ws)
    monday, sunday = week_bounds(today)
    flows = project_workflows(ws)
    default = flows[""]
    # open tasks due by Sunday: overdue or due this week, in one pass over the tasks
    overdue: list[Task] = []
    due_week: list[Task] = []
    for t in ws.tasks.values():
        if t.due is not None and t.due <= sunday and t.status != flows.get(t.project, default).done:
            (overdue if t.due < today else due_week).append(t)
    by_due = lambda t: (t.due, t.id)  # noqa: E731
    stale = sorted(
        (
            (idle_days(ws, d, today) or 0, d.id, d)
            for d in ws.deals.values()
            if deal_is_open(ws, d) and is_idle(ws, ws.pipeline_of(d).stage(d.stage), d, today)
        ),
        key=lambda s: (-s[0], s[1]),
    )
    people = []
    ix = index(ws)
    for p in sorted(ws.people.values(), key=lambda p: p.name.lower()):
        if not p.active:
            continue
        mine = [
            t
            for t in ix.tasks_by_assignee.get(p.id, [])
            if t.status != flows.get(t.project, default).done
        ]
        people.append(
            PersonRow(
                Link(p.name, url("person", p.id)),
                len(mine),
                sum(1 for t in mine if t.due and t.due < today),
                sum(1 for t in mine if t.due and monday <= t.due <= sunday and t.due >= today),
                sum(1 for d in ix.deals_by_owner.get(p.id, []) if deal_is_open(ws, d)),
            )
        )
    errors = sum(1 for p in problems if p.is_error)
    follow = follow_ups(ws, today)
    return DashboardView(
        ws.settings.name,
        fmt.date(today),
        [card(ws, t, today, fmt) for t in heapq.nsmallest(LIST_CAP, overdue, key=by_due)],
        [card(ws, t, today, fmt) for t in heapq.nsmallest(LIST_CAP, due_week, key=by_due)],
        wip_breaches(ws),
        [deal_card(ws, d, today, fmt) for _, _, d in stale[:LIST_CAP]],
        follow[:LIST_CAP],
        people,
        errors,
        len(problems) - errors,
        [p.headline() for p in problems[:10]],
        overdue_count=len(overdue),
        due_week_count=len(due_week),
        stale_count=len(stale),
        follow_ups_count=len(follow),
    )
