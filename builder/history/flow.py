"""History stage: where a card has been and how work flows across a board.

Pure functions `History + Workspace -> dataclasses` (numbers, no words). A card's *stays*
are the intervals it spent in each column (a deal's, in each stage); from them: time per
column, cycle time (first non-backlog column -> done), completions per week, the
cumulative-flow data and the cards stuck in a column. "Now" is the end of `history.today`
in the workspace time zone, so a card that entered a column today has spent part of a day
there.

Statistics: the median is the middle value (the mean of the two middle ones for an even
count); the 85th percentile is the nearest-rank one (the smallest value with at least 85%
of the values at or below it), so it is always a real card's figure.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from builder.history.events import (
    BASELINE,
    CHANGED,
    DELETED,
    START,
    Author,
    RecordHistory,
    local_day,
)
from builder.history.reader import History
from builder.model import Workflow, Workspace

DAY = timedelta(days=1)
#: at least this many finished stays before a column's 85th percentile flags stuck cards
MIN_SAMPLES = 5


@dataclass(frozen=True, slots=True)
class Stay:
    """One interval a card spent in one column (or a deal in one stage)."""

    column: str
    entered: datetime
    left: datetime | None  # None: still there
    by: Author  # who put it there (the creator, for the first stay)
    duration: timedelta  # until it left, or until the end of today
    known_start: bool = True  # False: it was already there when the history starts
    deleted: bool = False  # the stay ended because the record was deleted

    @property
    def days(self) -> float:
        return self.duration / DAY


def now_of(history: History) -> datetime:
    """The end of `history.today` in the workspace time zone: the instant "now" means."""
    return datetime.combine(history.today + DAY, time(0), tzinfo=history.tz)


def stays(rec: RecordHistory, field: str, default: str | None, now: datetime) -> list[Stay]:
    """The intervals `rec` spent at each value of `field` (status or stage), oldest first.

    A missing value counts as `default` (a task without `status:` is in the backlog)."""
    out: list[Stay] = []
    cur: tuple[str, datetime, Author, bool] | None = None

    def close(at: datetime, deleted: bool = False) -> None:
        if cur is not None:
            col, entered, by, known = cur
            left = max(at, entered)
            out.append(Stay(col, entered, left, by, left - entered, known, deleted))

    for ch in rec.changes:
        if ch.kind in BASELINE and ch.snapshot is not None:
            value = ch.snapshot.get(field) or default
        elif ch.kind == CHANGED and ch.field == field:
            value = ch.new or default
        elif ch.kind == DELETED:
            close(ch.stamp.when, deleted=True)
            cur = None
            continue
        else:
            continue
        if value is None or (cur is not None and cur[0] == value):
            continue
        close(ch.stamp.when)
        cur = (value, ch.stamp.when, ch.stamp.author, ch.kind != START)
    if cur is not None:
        col, entered, by, known = cur
        out.append(Stay(col, entered, None, by, max(now - entered, timedelta(0)), known))
    return out


@dataclass(frozen=True, slots=True)
class ColumnTime:
    column: str
    name: str
    duration: timedelta

    @property
    def days(self) -> float:
        return self.duration / DAY


@dataclass
class Timeline:
    """A card's (or deal's) path across the board: for its page."""

    kind: str
    id: str
    stays: list[Stay]
    names: dict[str, str]  # column id -> name, for the ids in `stays`
    totals: list[ColumnTime]  # time per column, in board order
    started: datetime | None  # entered the first non-backlog column
    finished: datetime | None  # entered done (and is still there)
    cycle: timedelta | None  # started -> finished; None while open or when unknown
    complete: bool  # False: the card predates the history (shallow clone)

    @property
    def cycle_days(self) -> float | None:
        return None if self.cycle is None else self.cycle / DAY


def workflow_of_task(ws: Workspace, rec: RecordHistory) -> Workflow:
    """The workflow of a task's board: its current project's, else its last known one's."""
    task = ws.tasks.get(rec.id)
    project = task.project if task else (rec.snapshot or {}).get("project") or ""
    return ws.workflow_of(ws.projects.get(project))


def timeline(
    rec: RecordHistory,
    columns: list[tuple[str, str]],
    field: str,
    default: str | None,
    starts: set[str] | None,
    done: set[str],
    now: datetime,
) -> Timeline:
    """The timeline of `rec` over `columns` [(id, name)]. The cycle starts on entering a
    column in `starts` (None: any column) and ends on entering one in `done`."""
    path = stays(rec, field, default, now)
    order = {cid: i for i, (cid, _) in enumerate(columns)}
    total: dict[str, timedelta] = {}
    for s in path:
        total[s.column] = total.get(s.column, timedelta(0)) + s.duration
    names = dict(columns)
    ranked = sorted(total, key=lambda c: (order.get(c, len(order)), c))
    totals = [ColumnTime(c, names.get(c, c), total[c]) for c in ranked]
    first = next((s for s in path if starts is None or s.column in starts), None)
    started = first.entered if first is not None and first.known_start else None
    last = path[-1] if path else None
    # A card deleted (archived) after it was done still counts as finished. A card that
    # was never anywhere but done arrived finished (an import): when it was finished is
    # unknown, so it counts towards neither cycle time nor throughput.
    arrived_done = bool(path) and all(s.column in done for s in path)
    finished = (
        last.entered if last is not None and last.column in done and not arrived_done else None
    )
    cycle = finished - started if finished and started and finished >= started else None
    complete = rec.created is not None
    return Timeline(rec.type, rec.id, path, names, totals, started, finished, cycle, complete)


def task_timeline(history: History, ws: Workspace, task_id: str) -> Timeline | None:
    """A task's column timeline, time per column and cycle time; None without history."""
    rec = history.get("task", task_id)
    if rec is None:
        return None
    flow = workflow_of_task(ws, rec)
    columns = [(c.id, c.name) for c in flow.columns]
    starts = {c.id for c in flow.columns if c.id != flow.backlog}
    return timeline(rec, columns, "status", flow.backlog, starts, {flow.done}, now_of(history))


def done_days(history: History, ws: Workspace, task_ids: Iterable[str]) -> dict[str, date]:
    """The day (in the workspace's time zone) each of `task_ids` last reached its
    workflow's done column, for the tasks whose history shows it: not those without
    history, nor those that were done from their first commit (an import)."""
    days: dict[str, date] = {}
    for tid in task_ids:
        line = task_timeline(history, ws, tid)
        if line is not None and line.finished is not None:
            days[tid] = local_day(line.finished, history.tz)
    return days


@dataclass(frozen=True, slots=True)
class CycleStats:
    """Cycle times of the cards finished in the last `days` days (today included)."""

    days: int
    count: int
    median: float | None  # days
    p85: float | None  # days


@dataclass(frozen=True, slots=True)
class WeekCount:
    week: date  # the Monday
    count: int


@dataclass(frozen=True, slots=True)
class CfdSeries:
    column: str
    name: str
    counts: list[int]  # cards in the column at the end of each day of `Cfd.days`


@dataclass(frozen=True, slots=True)
class Cfd:
    """Cumulative-flow data: per column (board order), cards at the end of each day."""

    days: list[date]
    series: list[CfdSeries]


@dataclass(frozen=True, slots=True)
class StuckCard:
    task: str
    column: str
    name: str
    entered: datetime
    days: float  # in the column so far
    threshold: float  # days
    reason: str  # "limit" (the column's limit_days) or "p85" (the column's 85th percentile)


@dataclass
class BoardFlow:
    """Flow metrics of one board (a set of tasks on one workflow)."""

    workflow: str
    cycle: list[CycleStats]
    throughput: list[WeekCount]  # oldest week first; the last one is the current week
    cfd: Cfd
    stuck: list[StuckCard]
    column_p85: dict[str, float]  # column -> 85th percentile of finished stays (days)


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def percentile(values: list[float], pct: float = 85) -> float | None:
    """The nearest-rank percentile: the smallest value with `pct`% at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(pct / 100 * len(ordered)) - 1, 0)]


def board_tasks(history: History, ws: Workspace, project: str) -> list[str]:
    """The ids of a project's tasks, including deleted ones that were last in it."""
    index = history.memo.get("board_tasks")
    if index is None or index[0] is not ws:
        by_project: dict[str, set[str]] = {}
        for tid, task in ws.tasks.items():
            by_project.setdefault(task.project, set()).add(tid)
        for (kind, ident), rec in history.records.items():
            if kind == "task" and ident not in ws.tasks:
                last = (rec.snapshot or {}).get("project")
                if last:
                    by_project.setdefault(last, set()).add(ident)
        index = (ws, {p: sorted(ids) for p, ids in by_project.items()})
        history.memo["board_tasks"] = index
    return list(index[1].get(project, []))


def project_flow(history: History, ws: Workspace, project: str) -> BoardFlow:
    """`board_flow` of a project's board (its tasks on its workflow), default windows."""
    flow = ws.workflow_of(ws.projects.get(project))
    return board_flow(history, ws, board_tasks(history, ws, project), flow)


def project_stuck(
    history: History, ws: Workspace, project: str, stay_days: int = 90
) -> list[StuckCard]:
    """The stuck cards of a project's board, as `project_flow` finds them, without the
    rest of the flow (the serve loop's rebuilds need the chips on every card, but the
    flow only of the boards they re-render)."""
    if not history.records:  # no repository, no commits: no timeline to be stuck in
        return []
    record = ws.projects.get(project)
    workflow = ws.workflow_of(record)
    tasks = board_tasks(history, ws, project)
    # the same histories, files and settings find the same cards: kept between rebuilds
    # (`history.kept` lives as long as the commits do), so an edit recomputes one board
    inputs = (
        stay_days,
        ws.settings.digest,
        record.digest if record else "",
        *((t, ws.tasks[t].digest if t in ws.tasks else "-") for t in tasks),
    )
    memo: dict[str, tuple[tuple[Any, ...], list[StuckCard]]] = history.kept.setdefault("stuck", {})
    hit = memo.get(project)
    if hit is not None and hit[0] == inputs:
        return hit[1]
    now = now_of(history)
    lines = _timelines(history, tasks, workflow, now)
    since = history.today - timedelta(days=stay_days)
    found = _stuck(lines, ws, workflow, _column_p85(lines, workflow, since, history), now)
    memo[project] = (inputs, found)
    return found


def _timelines(
    history: History, task_ids: Iterable[str], workflow: Workflow, now: datetime
) -> list[Timeline]:
    columns = [(c.id, c.name) for c in workflow.columns]
    starts = {c.id for c in workflow.columns if c.id != workflow.backlog}
    lines: list[Timeline] = []
    for tid in task_ids:
        rec = history.get("task", tid)
        if rec is not None:
            lines.append(
                timeline(rec, columns, "status", workflow.backlog, starts, {workflow.done}, now)
            )
    return lines


def board_flow(
    history: History,
    ws: Workspace,
    task_ids: Iterable[str],
    workflow: Workflow,
    windows: tuple[int, ...] = (30, 90),
    weeks: int = 12,
    cfd_days: int = 90,
    stay_days: int = 90,
) -> BoardFlow:
    """Cycle time per window, throughput per week, cumulative flow over `cfd_days` and
    stuck cards, for the tasks `task_ids` measured against `workflow`'s columns.

    A card is stuck when it has been in one column longer than the column's `limit_days`,
    or, for a column without a limit (the backlog excepted), longer than the 85th
    percentile of the stays that ended there in the last `stay_days` days."""
    now, today, tz = now_of(history), history.today, history.tz
    columns = [(c.id, c.name) for c in workflow.columns]
    lines = _timelines(history, task_ids, workflow, now)
    finished = [(tl.finished.astimezone(tz).date(), tl) for tl in lines if tl.finished]
    cycle = []
    for window in windows:
        values = [
            tl.cycle_days
            for day, tl in finished
            if tl.cycle_days is not None and (today - day).days < window
        ]
        cycle.append(CycleStats(window, len(values), median(values), percentile(values)))
    monday = today - timedelta(days=today.weekday())
    first_week = monday - timedelta(weeks=weeks - 1)
    per_week = [0] * weeks
    for day, _ in finished:
        index = (day - first_week).days // 7
        if 0 <= index < weeks:
            per_week[index] += 1
    throughput = [WeekCount(first_week + timedelta(weeks=i), n) for i, n in enumerate(per_week)]
    cfd = _cfd(lines, columns, today, cfd_days, history)
    column_p85 = _column_p85(lines, workflow, today - timedelta(days=stay_days), history)
    stuck = _stuck(lines, ws, workflow, column_p85, now)
    return BoardFlow(workflow.id, cycle, throughput, cfd, stuck, column_p85)


def _cfd(
    lines: list[Timeline], columns: list[tuple[str, str]], today: date, n: int, history: History
) -> Cfd:
    first = today - timedelta(days=n - 1)
    days = [first + timedelta(days=i) for i in range(n)]
    delta = {cid: [0] * (n + 1) for cid, _ in columns}
    tz = history.tz
    for tl in lines:
        for s in tl.stays:
            if s.column not in delta:
                continue
            # In the column at the end of day d: entered on or before d, not left by then.
            lo = max((s.entered.astimezone(tz).date() - first).days, 0)
            hi = n if s.left is None else min((s.left.astimezone(tz).date() - first).days, n)
            if lo < hi:
                delta[s.column][lo] += 1
                delta[s.column][hi] -= 1
    series = []
    for cid, name in columns:
        run, counts = 0, []
        for i in range(n):
            run += delta[cid][i]
            counts.append(run)
        series.append(CfdSeries(cid, name, counts))
    return Cfd(days, series)


def _column_p85(
    lines: list[Timeline], workflow: Workflow, since: date, history: History
) -> dict[str, float]:
    samples: dict[str, list[float]] = {}
    for tl in lines:
        for s in tl.stays:
            ended = s.left is not None and not s.deleted and s.known_start
            if ended and s.left is not None and s.left.astimezone(history.tz).date() >= since:
                samples.setdefault(s.column, []).append(s.days)
    out: dict[str, float] = {}
    for c in workflow.columns:
        values = samples.get(c.id, [])
        p85 = percentile(values)
        if p85 is not None and len(values) >= MIN_SAMPLES:
            out[c.id] = p85
    return out


def _stuck(
    lines: list[Timeline],
    ws: Workspace,
    workflow: Workflow,
    column_p85: dict[str, float],
    now: datetime,
) -> list[StuckCard]:
    out = []
    for tl in lines:
        last = tl.stays[-1] if tl.stays else None
        if last is None or last.left is not None or last.column == workflow.done:
            continue
        task = ws.tasks.get(tl.id)
        if task is not None and (task.status or workflow.backlog) != last.column:
            continue  # moved in the working tree, not committed yet: it has just arrived
        column = workflow.column(last.column)
        if column is None:
            continue
        if column.limit_days is not None:
            threshold, reason = float(column.limit_days), "limit"
        elif column.id != workflow.backlog and column.id in column_p85:
            threshold, reason = column_p85[column.id], "p85"
        else:
            continue
        if last.days > threshold:
            out.append(
                StuckCard(tl.id, column.id, column.name, last.entered, last.days, threshold, reason)
            )
    out.sort(key=lambda s: (-s.days, s.task))
    return out
