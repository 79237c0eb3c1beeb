"""Kanban boards: one per project, one across all projects (swimlanes by project or by
assignee, one section per workflow), one per person."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from builder.model import Task, Workflow, Workspace
from builder.model.schema import PRIORITIES
from builder.views.common import CardView, Fmt, Link, card
from builder.views.paging import LIMITS, Limits, PageLink, chunks, pager
from builder.views.paths import archive_url, board_url, unassigned_url, url

if TYPE_CHECKING:
    from builder.views.derived import Derived, KeptLane, LaneKey

#: Done columns show only their latest cards on a person's board; the rest are in the
#: board's archive (`archive_cards`), as are a project's beyond `Limits.board_done`.
DONE_CAP = 25


@dataclass
class ColumnView:
    id: str
    name: str
    wip: int | None
    count: int
    breached: bool
    cards: list[CardView] = field(default_factory=list)
    hidden: int = 0  # cards left off a capped done column
    is_done: bool = False
    archive: str = ""  # where the hidden cards are: the board's archive


@dataclass
class LaneView:
    id: str
    title: str
    url: str
    columns: list[ColumnView]
    count: int

    @property
    def finished(self) -> bool:
        """Every card stands in the done column: the board folds such a lane to one line
        rather than a row of empty columns."""
        return self.count > 0 and all(not c.count for c in self.columns if not c.is_done)


@dataclass
class BoardSection:
    """One workflow's columns, with one or more swimlanes."""

    workflow: str
    headers: list[ColumnView]
    lanes: list[LaneView]


@dataclass
class Option:
    value: str
    label: str


#: A project's board, one of the two all-projects boards, or a person's.
BoardKind = Literal["project", "all", "person"]
#: What the all-projects board's swimlanes are: projects or people.
LaneKind = Literal["project", "person"]


@dataclass
class BoardView:
    id: str
    title: str
    kind: BoardKind
    sections: list[BoardSection]
    assignees: list[Option]
    tags: list[str]
    priorities: list[Option]
    total: int
    open: int
    overdue: int
    breaches: int
    archive: str = ""  # URL of the archive of the done cards it leaves off, if any
    archived: int = 0  # how many


#: Most urgent first; a priority the schema does not know sorts as "normal".
_PRIORITY_ORDER = {p: i for i, p in enumerate(reversed(PRIORITIES))}
_NORMAL = _PRIORITY_ORDER["normal"]


def _sort_key(t: Task) -> tuple[int, date, str]:
    return (_PRIORITY_ORDER.get(t.priority, _NORMAL), t.due or date.max, t.id)


@dataclass(frozen=True)
class _Lane:
    """One swimlane to lay out: where it stands and what it holds."""

    key: LaneKey  # the board, the workflow, the lane id
    id: str
    title: str
    url: str
    tasks: list[Task]
    done_cap: int | None
    wip_applies: bool  # WIP limits are per project: judged only where a lane is one
    dirty: bool  # serve: a card in it was made anew (see `_lane_columns`)
    archive: str = ""  # URL of the board's archive of done cards


def _columns(
    ws: Workspace, derived: Derived, flow: Workflow, lane: _Lane, today: date
) -> list[ColumnView]:
    """A swimlane's columns, each with its cards in the order the board shows them."""
    fmt = Fmt.of(ws)
    by_status: dict[str, list[Task]] = {c.id: [] for c in flow.columns}
    for t in lane.tasks:
        by_status.setdefault(t.status, []).append(t)
    done_cap, wip_applies = lane.done_cap, lane.wip_applies
    out = []
    for c in flow.columns:
        items = sorted(by_status[c.id], key=_sort_key)
        is_done = flow.is_done(c.id)
        hidden = 0
        if is_done:
            items.sort(key=lambda t: (t.due or date.min, t.id), reverse=True)
            if done_cap is not None and len(items) > done_cap:
                hidden, items = len(items) - done_cap, items[:done_cap]
        count = len(items) + hidden
        out.append(
            ColumnView(
                id=c.id,
                name=c.name,
                wip=c.wip if wip_applies else None,
                count=count,
                breached=wip_applies and c.wip is not None and count > c.wip,
                cards=[card(ws, derived, t, today, fmt) for t in items],
                hidden=hidden,
                is_done=is_done,
                archive=lane.archive if hidden else "",
            )
        )
    return out


def _lane_columns(
    ws: Workspace, derived: Derived, flow: Workflow, lane: _Lane, today: date
) -> list[ColumnView]:
    """A swimlane's columns; in the serve loop (see `reuse_lanes`) the very columns made
    last time when it holds the same tasks under the same workflow (its columns' names
    and limits), unchanged (the same objects: records are kept
    between checks), and none of their cards was made anew (`dirty`: a card also shows
    its project, its assignee and its stuck chip). An edit then sorts and counts only the
    lanes it touched, on each of the boards showing them."""
    memo = derived.memo
    kept = memo.kept_lanes
    if kept is None:
        return _columns(ws, derived, flow, lane, today)
    # the key (board kind and id, workflow, lane) fixes the done cap and whether WIP applies;
    # the workflow's columns (names, limits) are compared by value
    inputs = (flow, *lane.tasks)
    hit = kept.get(lane.key)
    columns = (
        hit[1]
        if not lane.dirty and hit is not None and hit[0] == inputs
        else _columns(ws, derived, flow, lane, today)
    )
    memo.lanes[lane.key] = (inputs, columns)
    return columns


#: What a build's boards keep for the next: swimlanes, and the summaries' rows.
KeptLanes: TypeAlias = "tuple[dict[LaneKey, KeptLane], dict[LaneKey, tuple[tuple[Any, ...], Any]]]"


def reuse_lanes(derived: Derived, kept: KeptLanes) -> None:
    """Let this build's boards take unchanged swimlanes (and summary rows) from an earlier
    one's."""
    derived.memo.kept_lanes, derived.memo.kept_rows = kept


def lanes_to_keep(derived: Derived) -> KeptLanes:
    """The swimlanes and summary rows this build's boards made, for the next build."""
    return dict(derived.memo.lanes), dict(derived.memo.rows)


def _header(columns: list[list[ColumnView]], flow: Workflow) -> list[ColumnView]:
    """Column headers summed over lanes. WIP is judged per project, so a header shows the
    limit only when its one lane carries it (a project board), never against a sum."""
    out = []
    for i, c in enumerate(flow.columns):
        out.append(
            ColumnView(
                id=c.id,
                name=c.name,
                wip=columns[0][i].wip if len(columns) == 1 else None,
                count=sum(lane[i].count for lane in columns),
                breached=any(lane[i].breached for lane in columns),
                is_done=flow.is_done(c.id),
            )
        )
    return out


_ASSIGNEE, _TAGS, _PRIORITY = attrgetter("assignee"), attrgetter("tags"), attrgetter("priority")
_DIGEST, _ID = attrgetter("digest"), attrgetter("id")


@dataclass(frozen=True)
class BoardTotals:
    """What a board's toolbar offers and counts: its filters, and (open, overdue)."""

    assignees: list[Option]
    tags: list[str]
    priorities: list[Option]
    open: int
    overdue: int


def _all_totals(ws: Workspace, derived: Derived, tasks: list[Task], today: date) -> BoardTotals:
    """The all-projects boards' filter totals: both show the same tasks, counted once
    (by project, each project's list counted as its own board counts it)."""
    shared = derived.memo.all_board_totals
    totals = shared.get(today)
    if totals is None:
        parts = _partition(tasks, derived.index.tasks_by_project.values())
        totals = shared[today] = _totals_of(ws, _merged(derived, parts, today))
    return totals


def _totals(ws: Workspace, derived: Derived, tasks: list[Task], today: date) -> BoardTotals:
    return _totals_of(ws, tally(derived, tasks, today))


def _totals_of(ws: Workspace, counted: Tally) -> BoardTotals:
    fmt = Fmt.of(ws)
    given = counted.assignees
    people = sorted(p for p in given if p)
    assignees = [Option(p, ws.people[p].name if p in ws.people else p) for p in people]
    if None in given or "" in given:
        assignees.append(Option("", fmt.t("card.unassigned")))
    used = counted.priorities
    return BoardTotals(
        assignees=assignees,
        tags=sorted(counted.tags),
        priorities=[Option(p, fmt.t(f"priority.{p}")) for p in reversed(PRIORITIES) if p in used],
        open=counted.open,
        overdue=counted.overdue,
    )


@dataclass(frozen=True)
class Tally:
    """What a board counts and offers of its tasks: (open, overdue), the assignees,
    priorities and tags its filters list, how many cards stand in each done column (by
    workflow and column), a digest of the tasks' files and their ids (in order), and the
    tasks by workflow."""

    open: int
    overdue: int
    assignees: frozenset[str | None]
    priorities: frozenset[str]
    tags: frozenset[str]
    done: dict[tuple[str, str], int]
    digest: str
    ids: tuple[str, ...]
    #: the tasks by their workflow's id, each list in the tasks' order
    by_flow: dict[str, list[Task]]


def tally(derived: Derived, tasks: list[Task], today: date) -> Tally:
    """`tasks` counted; once per list (`ViewMemo.tallies`: the derived lists are never
    changed, and serve keeps them while their tasks are the same objects; what it reads of
    the workflows is `Derived.flow_marks`, kept while the same), so a board,
    a person's page, the dashboard and the summaries count a list once, and serve's
    rebuild counts only the lists an edit made anew. A list is not changed once counted
    (a derived list, or one made for the call: appending to it is noticed, no more)."""
    memo = derived.memo
    found = memo.tallies.get(id(tasks))
    if found is None and memo.kept_tallies is not None:
        found = memo.kept_tallies.get(id(tasks))
    if (
        found is not None
        and found[0] is tasks
        and found[1] is derived.flow_marks
        and found[2] == today
        and found[3] == len(tasks)
    ):
        counted: Tally = found[4]
    else:
        counted = _tally(derived, tasks, today)
    memo.tallies[id(tasks)] = (tasks, derived.flow_marks, today, len(tasks), counted)
    return counted


def _tally(derived: Derived, tasks: list[Task], today: date) -> Tally:
    flows = derived.workflows
    default = flows[""]
    open_, overdue = 0, 0
    done: dict[tuple[str, str], int] = {}
    by_flow: dict[str, list[Task]] = {}
    for t in tasks:
        flow = flows.get(t.project, default)
        found = by_flow.get(flow.id)
        if found is None:
            by_flow[flow.id] = [t]
        else:
            found.append(t)
        if flow.is_done(t.status):
            column = (flow.id, t.status)
            done[column] = done.get(column, 0) + 1
        else:
            open_ += 1
            if t.due is not None and t.due < today:
                overdue += 1
    if len(by_flow) == 1:  # (the list itself: its tally is this one)
        by_flow = dict.fromkeys(by_flow, tasks)
    return Tally(
        open=open_,
        overdue=overdue,
        # (C-level passes: the all-projects boards' are long)
        assignees=frozenset(map(_ASSIGNEE, tasks)),
        priorities=frozenset(map(_PRIORITY, tasks)),
        tags=frozenset(chain.from_iterable(map(_TAGS, tasks))),
        done=done,
        digest=hashlib.sha1("\0".join(map(_DIGEST, tasks)).encode()).hexdigest(),
        ids=tuple(map(_ID, tasks)),
        by_flow=by_flow,
    )


def _partition(tasks: list[Task], parts: Iterable[list[Task]]) -> list[list[Task]] | None:
    """`parts` when they hold every one of `tasks` (each task in one part), else None."""
    found = list(parts)
    return found if sum(map(len, found)) == len(tasks) else None


def _merged(derived: Derived, parts: list[list[Task]] | None, today: date) -> Tally:
    """The tally of every task, from those of `parts` (None: of `derived.tasks_by_id`)."""
    if parts is None:
        return tally(derived, derived.tasks_by_id, today)
    tallies = [tally(derived, part, today) for part in parts]
    done: dict[tuple[str, str], int] = {}
    for t in tallies:
        for column, n in t.done.items():
            done[column] = done.get(column, 0) + n
    return Tally(
        open=sum(t.open for t in tallies),
        overdue=sum(t.overdue for t in tallies),
        assignees=frozenset().union(*(t.assignees for t in tallies)),
        priorities=frozenset().union(*(t.priorities for t in tallies)),
        tags=frozenset().union(*(t.tags for t in tallies)),
        done=done,
        digest="",  # (not of the whole list)
        ids=(),
        by_flow={},
    )


def board_stats(derived: Derived, tasks: list[Task], today: date) -> tuple[int, int]:
    """(open, overdue) of `tasks`, as a board of them counts: without building the board."""
    counted = tally(derived, tasks, today)
    return counted.open, counted.overdue


@dataclass(frozen=True)
class Lanes:
    """How a board splits into swimlanes: a task's lane (a project or a person id), and a
    lane's id, title and url."""

    of: Callable[[Task], str]
    info: Callable[[str], tuple[str, str, str]]


ONE_LANE = Lanes(lambda _: "", lambda _: ("", "", ""))


def _groups(
    derived: Derived, tasks: Iterable[Task], lanes: Lanes
) -> dict[tuple[str, str], list[Task]]:
    """The tasks by (workflow id, lane)."""
    flows = derived.workflows
    default, lane_of = flows[""], lanes.of
    groups: dict[tuple[str, str], list[Task]] = {}
    for t in tasks:
        groups.setdefault((flows.get(t.project, default).id, lane_of(t)), []).append(t)
    return groups


def _dirty_groups(
    ws: Workspace, derived: Derived, kind: BoardKind, tasks: list[Task], lanes: Lanes
) -> set[tuple[str, str]]:
    """Serve: the (workflow, lane) groups holding a card made anew in this build."""
    reused = derived.memo.reused_cards
    if reused is None:
        return set()
    on_board = {t.id for t in tasks} if kind != "all" else ws.tasks.keys()
    return set(_groups(derived, (ws.tasks[tid] for tid in on_board - reused), lanes))


def _done_cap(kind: BoardKind, limits: Limits) -> int | None:
    return limits.board_done if kind == "project" else DONE_CAP if kind == "person" else None


def _section(
    ws: Workspace, derived: Derived, flow: Workflow, lanes: list[_Lane], today: date
) -> BoardSection:
    views = [
        LaneView(
            id=lane.id,
            title=lane.title,
            url=lane.url,
            columns=_lane_columns(ws, derived, flow, lane, today),
            count=len(lane.tasks),
        )
        for lane in lanes
    ]
    return BoardSection(flow.name, _header([v.columns for v in views], flow), views)


def _sections(
    ws: Workspace,
    derived: Derived,
    kind: BoardKind,
    ident: str,
    tasks: list[Task],
    today: date,
    lanes: Lanes,
    limits: Limits = LIMITS,
    archive: str = "",
) -> list[BoardSection]:
    """One section per workflow the tasks use, in the settings' order, each with its
    swimlanes sorted by title."""
    groups = _groups(derived, tasks, lanes)
    dirty = _dirty_groups(ws, derived, kind, tasks, lanes)
    order = list(ws.settings.workflows)
    board = f"{kind}:{ident}"
    sections = []
    for flow_id in sorted({f for f, _ in groups}, key=order.index):
        here = []
        for (f, group), lane_tasks in groups.items():
            if f != flow_id:
                continue
            lane_id, title, lane_url = lanes.info(group)
            here.append(
                _Lane(
                    key=(board, flow_id, lane_id),
                    id=lane_id,
                    title=title,
                    url=lane_url,
                    tasks=lane_tasks,
                    done_cap=_done_cap(kind, limits),
                    wip_applies=kind == "project" or lane_id.startswith("project:"),
                    dirty=(flow_id, group) in dirty,
                    archive=archive,
                )
            )
        here.sort(key=lambda lane: (lane.title.lower(), lane.id))
        sections.append(_section(ws, derived, ws.settings.workflows[flow_id], here, today))
    return sections


def _board(
    ws: Workspace,
    derived: Derived,
    kind: BoardKind,
    ident: str,
    title: str,
    tasks: list[Task],
    today: date,
    lanes: Lanes = ONE_LANE,
    limits: Limits = LIMITS,
    archive: str = "",
) -> BoardView:
    """Group `tasks` by workflow, then by lane, then column."""
    sections = _sections(ws, derived, kind, ident, tasks, today, lanes, limits, archive)
    if kind == "all":
        totals = _all_totals(ws, derived, tasks, today)
    else:
        totals = _totals(ws, derived, tasks, today)
    return BoardView(
        id=ident,
        title=title,
        kind=kind,
        sections=sections,
        assignees=totals.assignees,
        tags=totals.tags,
        priorities=totals.priorities,
        total=len(tasks),
        open=totals.open,
        overdue=totals.overdue,
        breaches=sum(1 for s in sections for lane in s.lanes for c in lane.columns if c.breached),
        archive=archive,
        archived=sum(c.hidden for s in sections for lane in s.lanes for c in lane.columns),
    )


def project_board(
    ws: Workspace, derived: Derived, project_id: str, today: date, limits: Limits = LIMITS
) -> BoardView:
    """A project's board: its tasks in its workflow's columns, WIP limits judged; done
    columns show their latest `limits.board_done` cards, the rest are in its archive."""
    project = ws.projects[project_id]
    tasks = derived.index.tasks_by_project.get(project_id, [])
    board = board_url(project_id)
    return _board(
        ws,
        derived,
        "project",
        project_id,
        project.name,
        tasks,
        today,
        ONE_LANE,
        limits,
        archive=archive_url(board),
    )


def all_board(
    ws: Workspace, derived: Derived, today: date, lanes: LaneKind = "project"
) -> BoardView:
    """Every task; swimlanes by project (default) or by assignee."""
    fmt = Fmt.of(ws)
    tasks = derived.tasks_by_id
    people = ws.people

    def project_lane(pid: str) -> tuple[str, str, str]:
        project = ws.projects.get(pid)
        return (f"project:{pid}", project.name if project else pid, board_url(pid))

    def person_lane(person_id: str) -> tuple[str, str, str]:
        if not person_id:
            return ("person:", fmt.t("card.unassigned"), "")
        return (f"person:{person_id}", people[person_id].name, url("person", person_id))

    if lanes == "project":
        by_project = Lanes(attrgetter("project"), project_lane)
        title = fmt.t("board.all")
        return _board(ws, derived, "all", "all", title, tasks, today, lanes=by_project)
    by_person = Lanes(lambda t: t.assignee if t.assignee in people else "", person_lane)
    title = fmt.t("board.all_by_person")
    return _board(ws, derived, "all", "all-by-person", title, tasks, today, lanes=by_person)


def person_board(ws: Workspace, derived: Derived, person_id: str, today: date) -> BoardView:
    """A person's board: the tasks assigned to them, a section per workflow; done columns
    show their latest cards, the rest are in the archive."""
    person = ws.people[person_id]
    tasks = derived.index.tasks_by_assignee.get(person_id, [])
    return _board(
        ws,
        derived,
        "person",
        person_id,
        person.name,
        tasks,
        today,
        archive=archive_url(url("person", person_id)),
    )


def unassigned_tasks(ws: Workspace, derived: Derived) -> list[Task]:
    """The tasks nobody (known) is assigned to, in the order of `tasks_by_id`."""
    return derived.unassigned


def unassigned_board(ws: Workspace, derived: Derived, today: date) -> BoardView:
    """The tasks nobody is assigned to, as a person's board: the lane of the all-projects
    board by person that has no person's page."""
    title = Fmt.of(ws).t("card.unassigned")
    tasks = unassigned_tasks(ws, derived)
    return _board(
        ws, derived, "person", "", title, tasks, today, archive=archive_url(unassigned_url())
    )


@dataclass
class LaneRow:
    """One swimlane of the all-projects board as its summary shows it: counts per column,
    a link to the board holding its cards, and what the filters look for in them."""

    id: str
    title: str
    url: str
    counts: list[int]
    total: int
    open: int
    overdue: int
    assignees: list[str]  # ids ("" for nobody) of the people its cards are assigned to
    tags: list[str]
    priorities: list[str]
    search: str  # the lane's title, lower-cased
    query: str = ""  # what the link to its board adds to the URL (filters it opens with)


@dataclass
class SummarySection:
    workflow: str
    headers: list[ColumnView]
    lanes: list[LaneRow]


@dataclass
class BoardSummary:
    """The all-projects board as a compact table: a row per project (or person), a column
    per workflow column; each row links to the page holding that lane's cards."""

    id: str
    title: str
    lanes_by: LaneKind
    sections: list[SummarySection]
    assignees: list[Option]
    tags: list[str]
    priorities: list[Option]
    total: int
    open: int
    overdue: int
    lane_count: int


def _summary_row(
    derived: Derived,
    page: str,
    flow: Workflow,
    info: tuple[str, str, str],
    tasks: list[Task],
    today: date,
) -> LaneRow:
    """A summary's row; in the serve loop (see `reuse_lanes`) the very row made last time
    when it counts the same tasks (the same objects: records are kept between checks)
    under the same workflow, title and day: a task moved recounts its lane only."""
    memo = derived.memo
    kept = memo.kept_rows
    if kept is None:
        return _lane_row(derived, flow, info, tasks, today)
    key = (page, flow.id, info[0])
    inputs = (info, today, flow, tasks)
    hit = kept.get(key)
    # (a list that is the very one counted last time holds the same tasks: `tally`)
    row: LaneRow = (
        hit[1]
        if hit is not None and hit[0][:3] == inputs[:3] and _same(hit[0][3], tasks)
        else _lane_row(derived, flow, info, tasks, today)
    )
    memo.rows[key] = (inputs, row)
    return row


def _same(before: list[Task], now: list[Task]) -> bool:
    return before is now or before == now


def _lane_row(
    derived: Derived, flow: Workflow, info: tuple[str, str, str], tasks: list[Task], today: date
) -> LaneRow:
    lane_id, title, lane_url = info
    counts = {c.id: 0 for c in flow.columns}
    for t in tasks:
        counts[t.status] = counts.get(t.status, 0) + 1
    counted = tally(derived, tasks, today)
    return LaneRow(
        id=lane_id,
        title=title,
        url=lane_url,
        counts=[counts[c.id] for c in flow.columns],
        total=len(tasks),
        open=counted.open,
        overdue=counted.overdue,
        assignees=sorted({a or "" for a in counted.assignees}),
        tags=sorted(counted.tags),
        priorities=sorted(counted.priorities),
        search=title.lower(),
    )


def board_summary(
    ws: Workspace, derived: Derived, today: date, lanes: LaneKind = "project"
) -> BoardSummary:
    """Every task, counted by swimlane (project, or person) and column, one section per
    workflow; the cards themselves are on each lane's own page (a project's board, a
    person's page, the unassigned board), which a lane's row links to."""
    fmt = Fmt.of(ws)
    tasks = derived.tasks_by_id
    people = ws.people

    def person_lane(person_id: str) -> tuple[str, str, str]:
        if not person_id:
            return ("person:", fmt.t("card.unassigned"), unassigned_url())
        return (f"person:{person_id}", people[person_id].name, url("person", person_id))

    ix = derived.index
    if lanes == "project":
        split = _by_project(ws)
        ident, title = "all", fmt.t("board.all")
        parts = {pid: ix.tasks_by_project[pid] for pid in ix.tasks_by_project}
    else:
        split = Lanes(lambda t: t.assignee if t.assignee in people else "", person_lane)
        ident, title = "all-by-person", fmt.t("board.all_by_person")
        parts = {pid: ix.tasks_by_assignee[pid] for pid in people if pid in ix.tasks_by_assignee}
        parts[""] = derived.unassigned
    groups = _lane_groups(derived, tasks, parts, today)
    sections = _summary_sections(ws, derived, tasks, split, today, ident, groups)
    totals = _all_totals(ws, derived, tasks, today)
    return BoardSummary(
        id=ident,
        title=title,
        lanes_by=lanes,
        sections=sections,
        assignees=totals.assignees,
        tags=totals.tags,
        priorities=totals.priorities,
        total=len(tasks),
        open=totals.open,
        overdue=totals.overdue,
        lane_count=len({r.id for s in sections for r in s.lanes}),
    )


def _by_project(ws: Workspace) -> Lanes:
    """Swimlanes by project, each linking to the project's board."""

    def info(pid: str) -> tuple[str, str, str]:
        project = ws.projects.get(pid)
        return (f"project:{pid}", project.name if project else pid, board_url(pid))

    return Lanes(attrgetter("project"), info)


def _lane_groups(
    derived: Derived, tasks: list[Task], parts: dict[str, list[Task]], today: date
) -> dict[tuple[str, str], list[Task]] | None:
    """`_groups` of `tasks` from the lists of each lane's tasks (`parts`, by lane), each
    split by workflow as its tally has it: the lists stay the same objects while their
    tasks are (a summary's rows are then the last rebuild's); None when the lanes do not
    hold every task once (a task without a project)."""
    if _partition(tasks, parts.values()) is None:
        return None
    groups: dict[tuple[str, str], list[Task]] = {}
    for lane, part in parts.items():
        by_flow = tally(derived, part, today).by_flow
        for flow_id, flow_tasks in by_flow.items():
            groups[flow_id, lane] = flow_tasks
            if len(by_flow) > 1:  # its rows count it: kept for the next rebuild's too
                tally(derived, flow_tasks, today)
    return groups


def _summary_sections(
    ws: Workspace,
    derived: Derived,
    tasks: list[Task],
    split: Lanes,
    today: date,
    page: str,
    groups: dict[tuple[str, str], list[Task]] | None = None,
) -> list[SummarySection]:
    """`tasks` counted by swimlane and column, one section per workflow (`page`: which
    summary, for the rows kept between serve's rebuilds); `groups`, when given, are
    `_groups` of them."""
    if groups is None:
        groups = _groups(derived, tasks, split)
    order = list(ws.settings.workflows)
    sections = []
    for flow_id in sorted({f for f, _ in groups}, key=order.index):
        flow = ws.settings.workflows[flow_id]
        rows = [
            _summary_row(derived, page, flow, split.info(group), lane_tasks, today)
            for (f, group), lane_tasks in groups.items()
            if f == flow_id
        ]
        rows.sort(key=lambda r: (r.title.lower(), r.id))
        headers = [
            ColumnView(
                id=c.id,
                name=c.name,
                wip=None,
                count=sum(r.counts[i] for r in rows),
                breached=False,
                is_done=flow.is_done(c.id),
            )
            for i, c in enumerate(flow.columns)
        ]
        sections.append(SummarySection(flow.name, headers, rows))
    return sections


#: what a project board's URL takes to show only the cards nobody is assigned to (its
#: assignee filter set to nobody, see plaindesk.js)
NOBODY_QUERY = "assignee="


def unassigned_is_summary(ws: Workspace, derived: Derived, today: date, limits: Limits) -> bool:
    """Whether the unassigned board has more open cards than one page holds, and is a
    summary by project instead (`unassigned_summary`)."""
    return board_stats(derived, unassigned_tasks(ws, derived), today)[0] > limits.unassigned


def unassigned_summary(ws: Workspace, derived: Derived, today: date) -> BoardSummary:
    """The tasks nobody is assigned to, too many for one board: counted by project and
    column; a row opens the project's board showing only them."""
    tasks = unassigned_tasks(ws, derived)

    sections = _summary_sections(ws, derived, tasks, _by_project(ws), today, "unassigned")
    for section in sections:
        for row in section.lanes:
            row.query = NOBODY_QUERY
    totals = _totals(ws, derived, tasks, today)
    return BoardSummary(
        id="unassigned",
        title=Fmt.of(ws).t("card.unassigned"),
        lanes_by="project",
        sections=sections,
        assignees=totals.assignees,
        tags=totals.tags,
        priorities=totals.priorities,
        total=len(tasks),
        open=totals.open,
        overdue=totals.overdue,
        lane_count=len({r.id for s in sections for r in s.lanes}),
    )


@dataclass
class ArchiveView:
    """One page of a board's done cards that the board itself leaves off."""

    title: str
    board: Link  # the board (or person's page) they belong to
    cards: list[CardView]
    total: int  # done cards in the archive, over all its pages
    start: int  # 1-based position of this page's first card
    pages: list[PageLink]


def done_beyond_cap(ws: Workspace, derived: Derived, tasks: list[Task], cap: int) -> list[Task]:
    """The done tasks a board leaves off: each done column's beyond its latest `cap`
    (latest = due date, then id, as the board orders them), the newest first."""
    flows = derived.workflows
    default = flows[""]
    by_column: dict[tuple[str, str], list[Task]] = {}
    for t in tasks:
        flow = flows.get(t.project, default)
        if flow.is_done(t.status):
            by_column.setdefault((flow.id, t.status), []).append(t)
    out: list[Task] = []
    for column in by_column.values():
        column.sort(key=lambda t: (t.due or date.min, t.id), reverse=True)
        out += column[cap:]
    out.sort(key=lambda t: (t.due or date.min, t.id), reverse=True)
    return out


def archive_pages(
    ws: Workspace,
    derived: Derived,
    board: Link,
    tasks: list[Task],
    cap: int,
    today: date,
    limits: Limits = LIMITS,
) -> list[ArchiveView]:
    """The archive of a board (the project's, or a person's: `board`) holding `tasks`,
    paged by `limits.archive`; no pages when the board shows every card itself."""
    fmt = Fmt.of(ws)
    left = done_beyond_cap(ws, derived, tasks, cap)
    if not left:
        return []
    pages = chunks(left, limits.archive)
    first = archive_url(board.url)
    return [
        ArchiveView(
            title=board.text,
            board=board,
            cards=[card(ws, derived, t, today, fmt) for t in items],
            total=len(left),
            start=(i - 1) * limits.archive + 1,
            pages=pager(first, pages, i),
        )
        for i, items in enumerate(pages, 1)
    ]


def done_beyond_count(derived: Derived, tasks: list[Task], cap: int, today: date) -> int:
    """How many done tasks a board of `tasks` leaves off (see `done_beyond_cap`), counted
    without sorting them: what the archive's pages need to be named."""
    done = tally(derived, tasks, today).done
    return sum(max(0, n - cap) for n in done.values())
