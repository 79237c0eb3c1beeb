"""The home page: what needs attention today across the whole workspace."""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from builder.model import Contact, Deal, Task, Workspace
from builder.problems import Problem
from builder.views.calendar import follow_up_due
from builder.views.common import CardView, Fmt, Link, card, url, week_bounds
from builder.views.funnels import DealCard, deal_card, idle_days, is_idle
from builder.views.outreach import ChaseItem, to_chase
from builder.views.paths import board_url
from builder.views.reach import Reach, ways, workspace_region

if TYPE_CHECKING:
    from builder.views.derived import Derived


@dataclass
class FollowUp:
    contact: Link
    company: Link
    owner: Link
    date: str
    overdue: bool
    tags: list[str] = field(default_factory=list)
    ways: list[Reach] = field(default_factory=list)  # call, write, chat: one tap each


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
    won_without_project: list[DealCard]
    people: list[PersonRow]
    errors: int
    warnings: int
    problem_lines: list[str]
    overdue_count: int = 0
    due_week_count: int = 0
    stale_count: int = 0
    follow_ups_count: int = 0
    chase: list[ChaseItem] = field(default_factory=list)
    chase_count: int = 0
    chase_days: int = 5
    deals: bool = True  # an audience's site without deals shows none of their parts
    won_without_project_count: int = 0


FOLLOW_UP_DAYS = 7
#: A home page is read at a glance: each list stops here, and the team table below (each
#: person's page) has the rest. At 10,000 tasks the lists would run to a thousand cards.
LIST_CAP = 20


def follow_ups(
    ws: Workspace, derived: Derived, today: date, owner: str | None = None
) -> list[FollowUp]:
    """Contacts whose follow-up falls within the next week (or is overdue): the date
    written, or the one a contact's cadence gives (`views.calendar.follow_up_due`).

    Made once per build and day for every owner (the dashboard, the directory's pages and
    each person's page show them); `owner` picks one person's."""
    memo = derived.memo.reports
    key = ("follow_ups", today)
    # with the git touches they count from (a copy of `derived` may share its memo)
    hit = memo.get(key)
    if hit is None or hit[0] is not derived.contact_touched:
        hit = memo[key] = (derived.contact_touched, _follow_ups(ws, derived, today))
    every: list[tuple[str | None, FollowUp]] = hit[1]
    # a fresh list each time: a caller may cap or extend its own
    return [f for who, f in every if not owner or who == owner]


def _follow_ups(ws: Workspace, derived: Derived, today: date) -> list[tuple[str | None, FollowUp]]:
    """(owner, follow-up) of every contact due within the next week, by day."""
    fmt = Fmt.of(ws)
    horizon = today + timedelta(days=FOLLOW_UP_DAYS)
    region = workspace_region(ws.settings.phone_region, ws.settings.locale)
    due: list[tuple[date, Contact]] = []
    for c in ws.contacts.values():
        day = follow_up_due(ws, derived, c, today)
        if day is not None and day <= horizon:
            due.append((day, c))
    out = []
    for day, c in sorted(due, key=lambda d: (d[0], d[1].id)):
        company = ws.companies.get(c.company or "")
        out.append(
            (
                c.owner,
                FollowUp(
                    contact=Link(c.name, url("contact", c.id)),
                    company=Link(company.name, url("company", company.id)) if company else Link(""),
                    owner=Link(ws.people[c.owner].name, url("person", c.owner))
                    if c.owner in ws.people
                    else Link(""),
                    date=fmt.short_date(day),
                    overdue=day < today,
                    tags=list(c.tags),
                    ways=ways(c.email, c.phone, c.chat, region),
                ),
            )
        )
    return out


def wip_breaches(ws: Workspace) -> list[Breach]:
    """Every column of a project's board holding more tasks than its WIP limit."""
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


def _due_by(derived: Derived, ws: Workspace, today: date) -> tuple[list[Task], list[Task]]:
    """Open tasks due by Sunday: (overdue, due later this week), in one pass."""
    sunday = week_bounds(today)[1]
    flows = derived.workflows
    default = flows[""]
    overdue: list[Task] = []
    due_week: list[Task] = []
    for t in ws.tasks.values():
        if (
            t.due is not None
            and t.due <= sunday
            and not flows.get(t.project, default).is_done(t.status)
        ):
            (overdue if t.due < today else due_week).append(t)
    return overdue, due_week


def _stale_deals(ws: Workspace, derived: Derived, today: date) -> list[Deal]:
    """Open deals past their stage's idle limit, longest idle first."""
    stale = [
        (idle_days(derived, d, today) or 0, d.id, d)
        for d in ws.deals.values()
        if ws.deal_is_open(d) and is_idle(derived, ws.stage_of(d), d, today)
    ]
    stale.sort(key=lambda s: (-s[0], s[1]))
    return [d for _, _, d in stale]


def _team(ws: Workspace, derived: Derived, today: date) -> list[PersonRow]:
    """A row per active person: their open, overdue and due-this-week tasks, open deals."""
    monday, sunday = week_bounds(today)
    flows = derived.workflows
    default = flows[""]
    ix = derived.index
    rows = []
    for p in sorted(ws.people.values(), key=lambda p: p.name.lower()):
        if not p.active:
            continue
        mine = [
            t
            for t in ix.tasks_by_assignee.get(p.id, [])
            if not flows.get(t.project, default).is_done(t.status)
        ]
        rows.append(
            PersonRow(
                person=Link(p.name, url("person", p.id)),
                open=len(mine),
                overdue=sum(1 for t in mine if t.due and t.due < today),
                due_week=sum(
                    1 for t in mine if t.due and monday <= t.due <= sunday and t.due >= today
                ),
                deals=sum(1 for d in ix.deals_by_owner.get(p.id, []) if ws.deal_is_open(d)),
            )
        )
    return rows


def _by_due(t: Task) -> tuple[date | None, str]:
    return (t.due, t.id)


def dashboard(
    ws: Workspace, derived: Derived, today: date, problems: list[Problem]
) -> DashboardView:
    """The home page: what needs attention today across the whole workspace."""
    fmt = Fmt.of(ws)
    overdue, due_week = _due_by(derived, ws, today)
    stale = _stale_deals(ws, derived, today)
    follow = follow_ups(ws, derived, today)
    chase = to_chase(ws, today)
    errors = sum(1 for p in problems if p.is_error)
    won = sorted((d for d in ws.deals.values() if ws.deal_needs_project(d)), key=lambda d: d.id)

    def cards(tasks: list[Task]) -> list[CardView]:
        first = heapq.nsmallest(LIST_CAP, tasks, key=_by_due)
        return [card(ws, derived, t, today, fmt) for t in first]

    return DashboardView(
        title=ws.settings.name,
        today=fmt.date(today),
        overdue=cards(overdue),
        due_week=cards(due_week),
        breaches=wip_breaches(ws),
        stale_deals=[deal_card(ws, derived, d, today, fmt) for d in stale[:LIST_CAP]],
        follow_ups=follow[:LIST_CAP],
        won_without_project=[deal_card(ws, derived, d, today, fmt) for d in won[:LIST_CAP]],
        won_without_project_count=len(won),
        people=_team(ws, derived, today),
        errors=errors,
        warnings=len(problems) - errors,
        problem_lines=[p.headline() for p in problems[:10]],
        overdue_count=len(overdue),
        due_week_count=len(due_week),
        stale_count=len(stale),
        follow_ups_count=len(follow),
        chase=chase[:LIST_CAP],
        chase_count=len(chase),
        chase_days=ws.settings.chase_after_days,
        deals=bool(ws.settings.pipelines),
    )
