"""Kanban boards: one per project, one across all projects (swimlanes by project or by
assignee, one section per workflow), one per person."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from operator import attrgetter
from typing import Any

from builder.model import Task, Workflow, Workspace
from builder.views.common import CardView, Fmt, card, index, project_workflows
from builder.views.paths import board_url, url

#: Done columns show only their latest cards on a person's board, and fewer still in each
#: swimlane of the all-projects board, which would otherwise be mostly finished work.
DONE_CAP = 25
LANE_DONE_CAP = 3


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


@dataclass
class LaneView:
    id: str
    title: str
    url: str
    columns: list[ColumnView]
    count: int


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


@dataclass
class BoardView:
    id: str
    title: str
    kind: str  # project | all | person
    sections: list[BoardSection]
    assignees: list[Option]
    tags: list[str]
    priorities: list[Option]
    total: int
    open: int
    overdue: int
    breaches: int


_PRIORITY_ORDER = {"urgent": 0, "high": 1, "normal": 2, "low": 3}


def _sort_key(t: Task) -> tuple[int, date, str]:
    return (_PRIORITY_ORDER.get(t.priority, 2), t.due or date.max, t.id)


def _columns(
    ws: Workspace,
    flow: Workflow,
    tasks: Iterable[Task],
    today: date,
    fmt: Fmt,
    done_cap: int | None,
    wip_applies: bool,
) -> list[ColumnView]:
    by_status: dict[str, list[Task]] = {c.id: [] for c in flow.columns}
    for t in tasks:
        by_status.setdefault(t.status, []).append(t)
    out = []
    for c in flow.columns:
        items = sorted(by_status[c.id], key=_sort_key)
        is_done = c.id == flow.done
        hidden = 0
        if is_done:
            items.sort(key=lambda t: (t.due or date.min, t.id), reverse=True)
            if done_cap is not None and len(items) > done_cap:
                hidden, items = len(items) - done_cap, items[:done_cap]
        count = len(items) + hidden
        breached = wip_applies and c.wip is not None and count > c.wip
        out.append(
            ColumnView(
                c.id,
                c.name,
                c.wip if wip_applies else None,
                count,
                breached,
                [card(ws, t, today, fmt) for t in items],
                hidden,
                is_done,
            )
        )
    return out


#: A board's swimlane as made last time: what it was made from, and its columns.
KeptLane = tuple[tuple[Any, ...], list[ColumnView]]


def _lane_columns(
    ws: Workspace,
    key: tuple[str, str, str],
    flow: Workflow,
    tasks: list[Task],
    today: date,
    fmt: Fmt,
    done_cap: int | None,
    wip: bool,
    dirty: bool,
) -> list[ColumnView]:
    """A swimlane's columns; in the serve loop (see `reuse_lanes`) the very columns made
    last time when it holds the same tasks, unchanged (the same objects: records are kept
    between checks), and none of their cards was made anew (`dirty`: a card also shows
    its project, its assignee and its stuck chip). An edit then sorts and counts only the
    lanes it touched, on each of the boards showing them."""
    kept: dict[tuple[str, str, str], KeptLane] | None = ws.cache.get("kept_lanes")
    if kept is None:
        return _columns(ws, flow, tasks, today, fmt, done_cap, wip)
    made: dict[tuple[str, str, str], KeptLane] = ws.cache.setdefault("lanes", {})
    # the key (board kind and id, workflow, lane) fixes the done cap and whether WIP applies
    inputs = tuple(tasks)
    hit = kept.get(key)
    columns = (
        hit[1]
        if not dirty and hit is not None and hit[0] == inputs
        else _columns(ws, flow, tasks, today, fmt, done_cap, wip)
    )
    made[key] = (inputs, columns)
    return columns


def reuse_lanes(ws: Workspace, kept: dict[tuple[str, str, str], KeptLane]) -> None:
    """Let this workspace's boards take unchanged swimlanes from an earlier one's."""
    ws.cache["kept_lanes"] = kept


def lanes_to_keep(ws: Workspace) -> dict[tuple[str, str, str], KeptLane]:
    return dict(ws.cache.get("lanes", {}))


def _header(columns: list[list[ColumnView]], flow: Workflow) -> list[ColumnView]:
    """Column headers summed over lanes. WIP is judged per project, so a header shows the
    limit only when its one lane carries it (a project board), never against a sum."""
    out = []
    for i, c in enumerate(flow.columns):
        count = sum(lane[i].count for lane in columns)
        breached = any(lane[i].breached for lane in columns)
        wip = columns[0][i].wip if len(columns) == 1 else None
        out.append(ColumnView(c.id, c.name, wip, count, breached, is_done=c.id == flow.done))
    return out


_ASSIGNEE, _TAGS, _PRIORITY = attrgetter("assignee"), attrgetter("tags"), attrgetter("priority")


def _options(
    ws: Workspace, tasks: list[Task], fmt: Fmt
) -> tuple[list[Option], list[str], list[Option]]:
    given = set(map(_ASSIGNEE, tasks))  # (C-level passes: the all-projects boards' are long)
    people = sorted(p for p in given if p)
    assignees = [Option(p, ws.people[p].name if p in ws.people else p) for p in people]
    if None in given or "" in given:
        assignees.append(Option("", fmt.t("card.unassigned")))
    tags = sorted(set(chain.from_iterable(map(_TAGS, tasks))))
    used = set(map(_PRIORITY, tasks))
    priorities = [
        Option(p, fmt.t(f"priority.{p}")) for p in ("urgent", "high", "normal", "low") if p in used
    ]
    return assignees, tags, priorities


def board_stats(ws: Workspace, tasks: list[Task], today: date) -> tuple[int, int]:
    """(open, overdue) of `tasks`, as a board of them counts: without building the board."""
    flows = project_workflows(ws)
    default = flows[""]
    open_, overdue = 0, 0
    for t in tasks:
        if t.status != flows.get(t.project, default).done:
            open_ += 1
            if t.due is not None and t.due < today:
                overdue += 1
    return open_, overdue


def _board(
    ws: Workspace,
    ident: str,
    title: str,
    kind: str,
    tasks: list[Task],
    today: date,
    fmt: Fmt,
    lanes_by: tuple[Callable[[Task], str], Callable[[str], tuple[str, str, str]]] | None,
) -> BoardView:
    """Group `tasks` by workflow, then by lane, then column. `lanes_by` is a task's lane
    (a project or person id) and a lane's id, title and url; None: one lane."""
    flows = project_workflows(ws)
    default = flows[""]
    group = lanes_by[0] if lanes_by else None
    groups: dict[tuple[str, str], list[Task]] = {}
    for t in tasks:
        groups.setdefault((flows.get(t.project, default).id, group(t) if group else ""), []).append(
            t
        )
    reused: set[str] | None = ws.cache.get("reused_cards")
    dirty = set()
    if reused is not None:  # the lanes holding a card made anew (serve: see _lane_columns)
        on_board = {t.id for t in tasks} if kind != "all" else ws.tasks.keys()
        for tid in on_board - reused:
            t = ws.tasks[tid]
            dirty.add((flows.get(t.project, default).id, group(t) if group else ""))
    info = lanes_by[1] if lanes_by else lambda _: ("", "", "")
    order = list(ws.settings.workflows)
    sections = []
    done_cap = None if kind == "project" else DONE_CAP if kind == "person" else LANE_DONE_CAP
    for flow_id in sorted({f for f, _ in groups}, key=order.index):
        flow = ws.settings.workflows[flow_id]
        lanes_here = sorted(
            ((info(g), lts) for (f, g), lts in groups.items() if f == flow_id),
            key=lambda kv: (kv[0][1].lower(), kv[0][0]),
        )
        lanes = []
        for (lid, ltitle, lurl), lts in lanes_here:
            # WIP limits are per project board: judged only where a lane is one project
            wip = kind == "project" or lid.startswith("project:")
            cols = _lane_columns(
                ws,
                (f"{kind}:{ident}", flow_id, lid),
                flow,
                lts,
                today,
                fmt,
                done_cap,
                wip,
                (flow_id, group(lts[0]) if group else "") in dirty,
            )
            lanes.append(LaneView(lid, ltitle, lurl, cols, len(lts)))
        header = _header([lane.columns for lane in lanes], flow)
        sections.append(BoardSection(flow.name, header, lanes))
    if kind == "all":  # both all-projects boards: the same tasks, counted once
        shared = ws.cache.get("all_board_totals")
        if shared is None:
            shared = ws.cache["all_board_totals"] = (
                _options(ws, tasks, fmt),
                board_stats(ws, tasks, today),
            )
        (assignees, tags, priorities), (open_, overdue) = shared
    else:
        assignees, tags, priorities = _options(ws, tasks, fmt)
        open_, overdue = board_stats(ws, tasks, today)
    breaches = sum(1 for s in sections for lane in s.lanes for c in lane.columns if c.breached)
    return BoardView(
        ident,
        title,
        kind,
        sections,
        assignees,
        tags,
        priorities,
        len(tasks),
        open_,
        overdue,
        breaches,
    )


def project_board(ws: Workspace, project_id: str, today: date) -> BoardView:
    fmt = Fmt.of(ws)
    project = ws.projects[project_id]
    tasks = index(ws).tasks_by_project.get(project_id, [])
    return _board(ws, project_id, project.name, "project", tasks, today, fmt, None)


def all_board(ws: Workspace, today: date, lanes: str = "project") -> BoardView:
    """Every task; swimlanes by project (default) or by assignee."""
    fmt = Fmt.of(ws)
    tasks: list[Task] | None = ws.cache.get("tasks_by_id")
    if tasks is None:  # both all-projects boards show them in this order
        tasks = ws.cache["tasks_by_id"] = [ws.tasks[k] for k in sorted(ws.tasks)]

    def project_lane(pid: str) -> tuple[str, str, str]:
        p = ws.projects.get(pid)
        return (f"project:{pid}", p.name if p else pid, board_url(pid))

    people = ws.people

    def person_lane(person_id: str) -> tuple[str, str, str]:
        if not person_id:
            return ("person:", fmt.t("card.unassigned"), "")
        return (f"person:{person_id}", people[person_id].name, url("person", person_id))

    if lanes == "project":
        return _board(
            ws,
            "all",
            fmt.t("board.all"),
            "all",
            tasks,
            today,
            fmt,
            (attrgetter("project"), project_lane),
        )
    return _board(
        ws,
        "all-by-person",
        fmt.t("board.all_by_person"),
        "all",
        tasks,
        today,
        fmt,
        (lambda t: t.assignee if t.assignee in people else "", person_lane),
    )


def person_board(ws: Workspace, person_id: str, today: date) -> BoardView:
    fmt = Fmt.of(ws)
    person = ws.people[person_id]
    tasks = index(ws).tasks_by_assignee.get(person_id, [])
    return _board(ws, person_id, person.name, "person", tasks, today, fmt, None)
