"""The home page: what needs attention today across the whole workspace."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from builder.model import Contact, Deal, Person, Task, Workspace
from builder.problems import Problem
from builder.views.calendar import follow_up_due
from builder.views.common import CardView, Fmt, Link, card, kept_value, url, week_bounds
from builder.views.funnels import DealCard, deal_card, idle_days, is_idle
from builder.views.outreach import ChaseItem, to_chase
from builder.views.paths import board_url
from builder.views.reach import Reach, ways, workspace_region

if TYPE_CHECKING:
    from builder.views.derived import Derived

T = TypeVar("T")
#: a record as (kind, id), as `builder.render.keys.RecordKeys` names the changed ones
Ref = tuple[str, str]


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
    return _breaches(ws, counts)


def _breaches(ws: Workspace, counts: dict[tuple[str, str], int]) -> list[Breach]:
    """The breaches of the tasks counted by (project, status)."""
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
    people = sorted(ws.people.values(), key=lambda p: p.name.lower())
    return [_team_row(ws, derived, p, today) for p in people if p.active]


def _team_row(ws: Workspace, derived: Derived, p: Person, today: date) -> PersonRow:
    """A person's row of the team table."""
    monday, sunday = week_bounds(today)
    flows = derived.workflows
    default = flows[""]
    ix = derived.index
    mine = [
        t
        for t in ix.tasks_by_assignee.get(p.id, [])
        if not flows.get(t.project, default).is_done(t.status)
    ]
    return PersonRow(
        person=Link(p.name, url("person", p.id)),
        open=len(mine),
        overdue=sum(1 for t in mine if t.due and t.due < today),
        due_week=sum(1 for t in mine if t.due and monday <= t.due <= sunday and t.due >= today),
        deals=sum(1 for d in ix.deals_by_owner.get(p.id, []) if ws.deal_is_open(d)),
    )


def _by_due(t: Task) -> tuple[date | None, str]:
    return (t.due, t.id)


@dataclass
class DashboardKept:
    """Serve's: the dashboard's parts as the last rebuild made them, with what they were
    made from, so that an edit makes again only the parts it can change (`kept_parts`)."""

    #: what whether a task is due, open or counted depends on besides the task: today,
    #: the projects' and settings' digests
    context: tuple[object, ...] = ()
    #: the open tasks due by Sunday, overdue and later this week, by id
    overdue: dict[str, Task] = field(default_factory=dict)
    due_week: dict[str, Task] = field(default_factory=dict)
    #: the tasks per (project, status), and where each task was counted
    counts: dict[tuple[str, str], int] = field(default_factory=dict)
    placed: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: each active person's row, with their record, tasks and deals (compared by identity)
    team: dict[str, tuple[Person, list[Task], list[Deal], PersonRow]] = field(default_factory=dict)
    updates: int = -1  # `RecordKeys.updates` of the rebuild that made it
    #: the other parts (stale deals, follow-ups, won deals without a project, contacts
    #: to chase): each one's inputs and value
    parts: dict[str, tuple[tuple[object, ...], Any]] = field(default_factory=dict)


def _task_places(
    ws: Workspace, derived: Derived, today: date, kept: DashboardKept, changed: set[Ref] | None
) -> None:
    """Bring the kept open tasks due by Sunday and the WIP counts up to date: from the
    tasks that changed, or from every task when the context is another one."""
    sunday = week_bounds(today)[1]
    flows = derived.workflows
    default = flows[""]
    context = (
        today,
        derived.table_digests["project"],
        ws.settings.digest,
    )
    if changed is None or context != kept.context:
        kept.context = context
        kept.overdue, kept.due_week, kept.counts, kept.placed = {}, {}, {}, {}
        # the team's rows count open tasks and deals: the workflows and pipelines decide
        kept.team = {}
        ids: Iterable[str] = ws.tasks
    else:
        ids = [ident for kind, ident in changed if kind == "task"]
    overdue, due_week, counts, placed = kept.overdue, kept.due_week, kept.counts, kept.placed
    for ident in ids:
        overdue.pop(ident, None)
        due_week.pop(ident, None)
        was = placed.pop(ident, None)
        if was is not None:
            counts[was] -= 1
        t = ws.tasks.get(ident)
        if t is None:
            continue
        place = placed[ident] = (t.project, t.status)
        counts[place] = counts.get(place, 0) + 1
        if (
            t.due is not None
            and t.due <= sunday
            and not flows.get(t.project, default).is_done(t.status)
        ):
            (overdue if t.due < today else due_week)[ident] = t


def _kept_team(
    ws: Workspace, derived: Derived, today: date, kept: DashboardKept
) -> list[PersonRow]:
    """`_team`, each row kept while the person's record, tasks and deals are the very
    same (`kept.context` holds the rest: today, the projects, the settings)."""
    ix = derived.index
    team = {}
    rows = []
    for p in sorted(ws.people.values(), key=lambda p: p.name.lower()):
        if not p.active:
            continue
        tasks = ix.tasks_by_assignee.get(p.id, [])
        deals = ix.deals_by_owner.get(p.id, [])
        made = kept.team.get(p.id)
        if made is None or made[0] is not p or made[1] != tasks or made[2] != deals:
            made = (p, list(tasks), list(deals), _team_row(ws, derived, p, today))
        team[p.id] = made
        rows.append(made[3])
    kept.team = team
    return rows


def _part(
    kept: DashboardKept | None, name: str, inputs: tuple[object, ...], make: Callable[[], T]
) -> T:
    """A part of the dashboard, kept while its inputs are equal."""
    return kept_value(kept.parts if kept is not None else None, name, inputs, make)
    value = make()
    kept.parts[name] = (inputs, value)
    return value


def dashboard(
    ws: Workspace,
    derived: Derived,
    today: date,
    problems: list[Problem],
    kept: DashboardKept | None = None,
    changed: set[Ref] | None = None,
) -> DashboardView:
    """The home page: what needs attention today across the whole workspace.

    With `kept` (serve's) and `changed` (the records changed since the last rebuild that
    made it; None: unknown), the parts are made again only from what changed: the tasks
    due and the WIP counts from the changed tasks, each person's row when their tasks or
    deals changed, the deal, contact and outreach parts when the tables they read did."""
    fmt = Fmt.of(ws)
    if kept is None:
        overdue, due_week = _due_by(derived, ws, today)
        breaches = wip_breaches(ws)
        team = _team(ws, derived, today)
    else:
        _task_places(ws, derived, today, kept, changed)
        overdue, due_week = list(kept.overdue.values()), list(kept.due_week.values())
        breaches = _part(
            kept,
            "breaches",
            (kept.context, tuple(kept.counts.items())),
            lambda: _breaches(ws, kept.counts),
        )
        team = _kept_team(ws, derived, today, kept)
    digests = derived.table_digests
    # what the deal cards read (a deal's company, contact, owner, project; idle days)
    deal_inputs = (
        today,
        ws.settings.digest,
        *(digests[k] for k in ("deal", "company", "contact", "person", "project")),
        derived.idle,
    )
    stale = _part(kept, "stale", deal_inputs, lambda: _stale_cards(ws, derived, today, fmt))
    won = _part(kept, "won", deal_inputs, lambda: _won_cards(ws, derived, today, fmt))
    if kept is not None:
        # kept across rebuilds, and given to this rebuild's memo: the people pages show them
        every = _part(
            kept,
            "follow_ups",
            (
                today,
                ws.settings.digest,
                *(digests[k] for k in ("contact", "company", "person")),
                derived.contact_touched,
            ),
            lambda: _follow_ups(ws, derived, today),
        )
        derived.memo.reports.setdefault(("follow_ups", today), (derived.contact_touched, every))
    follow = follow_ups(ws, derived, today)
    chase = to_chase(ws, today) if kept is None else _kept_chase(ws, derived, today, kept, changed)
    errors = sum(1 for p in problems if p.is_error)

    def cards(tasks: list[Task]) -> list[CardView]:
        first = heapq.nsmallest(LIST_CAP, tasks, key=_by_due)
        return [card(ws, derived, t, today, fmt) for t in first]

    return DashboardView(
        title=ws.settings.name,
        today=fmt.date(today),
        overdue=cards(overdue),
        due_week=cards(due_week),
        breaches=breaches,
        stale_deals=stale[1],
        follow_ups=follow[:LIST_CAP],
        won_without_project=won[1],
        won_without_project_count=won[0],
        people=team,
        errors=errors,
        warnings=len(problems) - errors,
        problem_lines=[p.headline() for p in problems[:10]],
        overdue_count=len(overdue),
        due_week_count=len(due_week),
        stale_count=stale[0],
        follow_ups_count=len(follow),
        chase=chase[:LIST_CAP],
        chase_count=len(chase),
        chase_days=ws.settings.chase_after_days,
        deals=bool(ws.settings.pipelines),
    )


def _stale_cards(
    ws: Workspace, derived: Derived, today: date, fmt: Fmt
) -> tuple[int, list[DealCard]]:
    """How many open deals are stale, and the first `LIST_CAP` as cards."""
    stale = _stale_deals(ws, derived, today)
    return len(stale), [deal_card(ws, derived, d, today, fmt) for d in stale[:LIST_CAP]]


def _won_cards(
    ws: Workspace, derived: Derived, today: date, fmt: Fmt
) -> tuple[int, list[DealCard]]:
    """How many won deals lack their project, and the first `LIST_CAP` as cards."""
    won = sorted((d for d in ws.deals.values() if ws.deal_needs_project(d)), key=lambda d: d.id)
    return len(won), [deal_card(ws, derived, d, today, fmt) for d in won[:LIST_CAP]]


def _kept_chase(
    ws: Workspace, derived: Derived, today: date, kept: DashboardKept, changed: set[Ref] | None
) -> list[ChaseItem]:
    """`to_chase`, kept while the contacts, people, projects and deals are the same and
    no task an outreach entry is about changed (a task counts as its project)."""
    digests = derived.table_digests
    inputs = (
        today,
        ws.settings.digest,
        *(digests[k] for k in ("contact", "person", "project", "deal")),
    )
    found = kept.parts.get("chase")
    if (
        found is None
        or found[0] != inputs
        or changed is None
        or any(kind == "task" and ident in found[1][0] for kind, ident in changed)
    ):
        about = {e.about for c in ws.contacts.values() for e in c.log}
        found = kept.parts["chase"] = (inputs, (about, to_chase(ws, today)))
    chase: list[ChaseItem] = found[1][1]
    return chase
