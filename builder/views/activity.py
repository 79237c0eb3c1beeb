"""History on the site: the activity feed, a card's timeline, a board's flow metrics,
stuck cards, idle deals and funnel conversions, as display-ready view models.

Pure like every view: `History + Workspace -> dataclasses`. The numbers come from
`builder.history`; this module only words and formats them for a page. The feed's
sentences come from `views.feed`, the charts' labels from `views.charts`; the render
stage draws the charts (`render.svg`) and writes the Atom feed (`render.atom`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from operator import attrgetter
from typing import TYPE_CHECKING

from babel.units import format_unit

from builder.history import (
    History,
    HistoryStatus,
    deal_idle,
    deal_timeline,
    project_flow,
    stage_conversions,
    task_timeline,
)
from builder.history.flow import (
    BoardFlow,
    StuckCard,
    Timeline,
    board_flow,
    project_stuck,
)
from builder.history.reader import ERROR, NO_COMMITS, NO_REPO
from builder.i18n import format_date, t
from builder.model import Workspace
from builder.views.charts import BarChart, CfdChart, cfd_chart, throughput_chart
from builder.views.common import SECTIONS, Fmt, Link, url
from builder.views.feed import FeedDay, Part, feed

if TYPE_CHECKING:
    from builder.views.derived import Derived

#: The feed page shows this many entries; the Atom file the newest `ATOM_ENTRIES`.
FEED_ENTRIES = 400
ATOM_ENTRIES = 50


@dataclass
class PartView:
    kind: str  # text | person | record | value
    text: str
    url: str = ""


@dataclass
class EntryView:
    time: str
    person: str  # person id, for the filter ("" when the author is not on the team)
    project: str  # project id, for the filter
    parts: list[PartView]


@dataclass
class DayView:
    label: str
    entries: list[EntryView]


@dataclass
class MonthLink:
    """One month of the feed, as each month's page lists them all."""

    key: str  # 2026-03
    label: str  # March 2026
    url: str  # the newest month is the feed's own page: activity/
    count: int
    #: "person|project" -> entries: the filters count their matches in every month
    pairs: dict[str, int] = field(default_factory=dict)


@dataclass
class ActivityView:
    days: list[DayView]
    people: list[Link]  # filter options: text = name, url = id
    projects: list[Link]
    notes: list[str]
    total: int
    months: list[MonthLink] = field(default_factory=list)
    month: str = ""  # the key of the month this page shows


@dataclass
class StayView:
    column: str
    entered: str
    left: str
    by: str
    duration: str


@dataclass
class TimelineView:
    title: str
    stays: list[StayView]
    totals: list[tuple[str, str, int]]  # column name, time, bar width in percent
    summary: str
    notes: list[str] = field(default_factory=list)
    column_label: str = ""  # the first column's heading: "Column" (tasks) or "Stage" (deals)


@dataclass
class StuckView:
    card: Link
    reason: str


@dataclass
class FlowView:
    cycle: list[list[str]]  # rows: window, finished, median, 85th percentile
    throughput: BarChart | None  # None: nothing to draw
    cfd: CfdChart | None
    stuck: list[StuckView]
    notes: list[str]
    # the charts as SVG markup: drawn by the render stage (`render.svg.flow_charts`)
    throughput_svg: str = ""
    cfd_svg: str = ""


def format_days(days: float, locale: str) -> str:
    """A number of days as people of `locale` say it: `3.5 days`, `3,5 дня`, `5 днів`."""
    value = round(days, 1)
    shown: float = int(value) if value == int(value) else value
    return str(format_unit(shown, "duration-day", locale=locale, length="long"))


def history_notes(status: HistoryStatus, locale: str) -> list[str]:
    """Plain sentences saying what the history lacks; empty when it is complete."""
    out: list[str] = []
    if status.state == NO_REPO:
        out.append(t(locale, "history.note.no_repo"))
    elif status.state == ERROR:
        out.append(t(locale, "history.note.error", reason=status.reason))
    elif status.state == NO_COMMITS and not status.later:
        out.append(t(locale, "history.note.no_commits"))
    if status.shallow_since is not None:
        day = format_date(status.shallow_since, locale)
        out.append(t(locale, "history.note.shallow", date=day))
    if status.later:
        today = format_date(status.today, locale) if status.today else ""
        out.append(t(locale, "history.note.later", count=status.later, date=today))
    if status.uncommitted:
        out.append(t(locale, "history.note.uncommitted", count=len(status.uncommitted)))
    return out


def _project_flow(
    history: History, ws: Workspace, project: str, derived: Derived | None = None
) -> BoardFlow:
    """A project's flow, computed once per build: the board, its cards' stuck chips and
    the dashboard all read it (with `derived`, its tasks are found in its index)."""
    key = f"views.flow.{project}"
    found = history.memo.get(key)
    if found is None and derived is not None:
        tasks = board_task_ids(history, ws, derived, project)
        workflow = ws.workflow_of(ws.projects.get(project))
        found = history.memo[key] = board_flow(history, ws, tasks, workflow)
    elif found is None:
        found = history.memo[key] = project_flow(history, ws, project)
    assert isinstance(found, BoardFlow)
    return found


def board_task_ids(history: History, ws: Workspace, derived: Derived, project: str) -> list[str]:
    """The tasks a project board's flow reads: its tasks, and deleted ones last on it
    (`history.flow.board_tasks`'s ids), its tasks from the derived index rather than from
    every task of the workspace."""
    live = list(map(attrgetter("id"), derived.index.tasks_by_project.get(project, ())))
    gone = _gone_by_project(history, ws).get(project)
    return sorted({*live, *gone}) if gone else live


def _gone_by_project(history: History, ws: Workspace) -> dict[str, list[str]]:
    """The deleted tasks of the history, by the project each was last in (once per
    history and workspace)."""
    found = history.memo.get("views.gone_tasks")
    if found is None or found[0] is not ws:
        tasks = ws.tasks
        gone: dict[str, list[str]] = {}
        for (kind, ident), rec in history.records.items():
            if kind == "task" and ident not in tasks:
                last = (rec.snapshot or {}).get("project")
                if last:
                    gone.setdefault(last, []).append(ident)
        found = history.memo["views.gone_tasks"] = (ws, gone)
    by_project: dict[str, list[str]] = found[1]
    return by_project


def _part_url(part: Part) -> str:
    if part.ref is None or part.ref[0] not in SECTIONS:
        return ""
    return url(part.ref[0], part.ref[1])


def month_url(key: str, newest: bool) -> str:
    """A month's feed page: the newest is the feed's own page."""
    return "activity/" if newest else f"activity/{key}/"


def activity_months(history: History, ws: Workspace) -> list[ActivityView]:
    """The whole feed, one page per month (newest first): each with the same filter
    options and the list of months, with what each month holds for the filters."""
    fmt = Fmt.of(ws)
    days = feed(history, ws, fmt.locale)
    whole = _activity_view(history, ws, fmt, days)
    if not whole.days:
        return [whole]
    keys: list[str] = []
    grouped: dict[str, list[DayView]] = {}
    for day, view in zip(days, whole.days, strict=True):
        key = day.day.strftime("%Y-%m")
        if key not in grouped:
            keys.append(key)
            grouped[key] = []
        grouped[key].append(view)
    months = []
    for i, key in enumerate(keys):
        pairs: dict[str, int] = {}
        for view in grouped[key]:
            for e in view.entries:
                pair = f"{e.person}|{e.project}"
                pairs[pair] = pairs.get(pair, 0) + 1
        first = date.fromisoformat(f"{key}-01")
        label = format_date(first, fmt.locale, "LLLL yyyy")
        count = sum(pairs.values())
        months.append(
            MonthLink(key, label, month_url(key, i == 0), count, dict(sorted(pairs.items())))
        )
    return [
        ActivityView(
            grouped[key], whole.people, whole.projects, whole.notes, whole.total, months, key
        )
        for key in keys
    ]


def activity(history: History, ws: Workspace, limit: int | None = FEED_ENTRIES) -> ActivityView:
    """The feed, newest day first, with what the page's person/project filters offer."""
    fmt = Fmt.of(ws)
    return _activity_view(history, ws, fmt, feed(history, ws, fmt.locale, limit=limit))


def _activity_view(history: History, ws: Workspace, fmt: Fmt, days: list[FeedDay]) -> ActivityView:
    people: dict[str, str] = {}
    projects: dict[str, str] = {}
    out = []
    total = 0
    for day in days:
        entries = []
        for e in day.entries:
            total += 1
            if e.person and e.person in ws.people:
                people[e.person] = ws.people[e.person].name
            if e.project and e.project in ws.projects:
                projects[e.project] = ws.projects[e.project].name
            parts = [
                PartView(
                    p.kind,
                    p.text,
                    _part_url(p) if p.kind != "record" or e.target is not None else "",
                )
                for p in e.parts
            ]
            entries.append(
                EntryView(e.when.strftime("%H:%M"), e.person or "", e.project or "", parts)
            )
        out.append(DayView(day.label, entries))
    return ActivityView(
        out,
        [Link(n, i) for i, n in sorted(people.items(), key=lambda kv: kv[1].lower())],
        [Link(n, i) for i, n in sorted(projects.items(), key=lambda kv: kv[1].lower())],
        history_notes(history.status, fmt.locale),
        total,
    )


def _when(fmt: Fmt, moment: datetime | None) -> str:
    return fmt.date(moment.date()) if moment else ""


#: marks a time that is only a lower bound: the stay began before the history does
AT_LEAST = "≥\u00a0"


def _timeline(history: History, ws: Workspace, tl: Timeline, stage: bool) -> TimelineView:
    fmt = Fmt.of(ws)
    locale = fmt.locale
    now = fmt.t("history.card.now")
    # A stay already under way when a shallow clone's history starts: git does not say who
    # put the card there (the boundary commit's author did not), nor since when.
    stays = [
        StayView(
            tl.names.get(s.column, s.column),
            _when(fmt, s.entered) if s.known_start else fmt.t("history.card.before_history"),
            _when(fmt, s.left) if s.left else now,
            s.by.name if s.known_start else "",
            ("" if s.known_start else AT_LEAST) + format_days(s.days, locale),
        )
        for s in tl.stays
    ]
    partial = {s.column for s in tl.stays if not s.known_start}
    longest = max((c.days for c in tl.totals), default=0) or 1
    totals = [
        (
            c.name,
            (AT_LEAST if c.column in partial else "") + format_days(c.days, locale),
            round(100 * c.days / longest),
        )
        for c in tl.totals
    ]
    if tl.cycle_days is not None:
        summary = fmt.t("history.card.cycle_time", days=format_days(tl.cycle_days, locale))
    elif tl.started is not None:
        started = (history.today - tl.started.date()).days
        summary = fmt.t("history.card.in_progress", days=format_days(started, locale))
    else:
        summary = ""
    notes = [] if tl.complete else history_notes(history.status, locale)
    title = fmt.t("history.card.time_in_stage" if stage else "history.card.time_in_column")
    label = fmt.t("history.card.stage" if stage else "history.card.column")
    return TimelineView(title, stays, totals, summary, notes, label)


def card_history(history: History, ws: Workspace, kind: str, ident: str) -> TimelineView | None:
    """A task's or a deal's timeline for its page; None when git knows nothing of it."""
    if history.is_uncommitted(kind, ident) and history.get(kind, ident) is None:
        fmt = Fmt.of(ws)
        return TimelineView("", [], [], fmt.t("history.card.not_committed"))
    tl = task_timeline(history, ws, ident) if kind == "task" else deal_timeline(history, ws, ident)
    return None if tl is None else _timeline(history, ws, tl, kind == "deal")


def flow(history: History, ws: Workspace, project: str, derived: Derived | None = None) -> FlowView:
    """A project board's flow metrics and what its charts show (`render.svg` draws them);
    `derived`, when given, finds its tasks (`board_task_ids`)."""
    fmt = Fmt.of(ws)
    locale = fmt.locale
    f = _project_flow(history, ws, project, derived)

    def days(value: float | None) -> str:
        return "—" if value is None else format_days(value, locale)

    cycle = [
        [fmt.tn("history.flow.cycle_time", c.days), str(c.count), days(c.median), days(c.p85)]
        for c in f.cycle
    ]
    has_data = any(w.count for w in f.throughput) or any(any(s.counts) for s in f.cfd.series)
    return FlowView(
        cycle,
        throughput_chart(f.throughput, fmt, f"tp-{project}") if has_data else None,
        cfd_chart(f.cfd, fmt, f"cfd-{project}") if has_data and f.cfd.days else None,
        _stuck_views(ws, fmt, f.stuck),
        history_notes(history.status, locale)
        if not has_data or not history.status.complete
        else [],
    )


def _stuck_views(ws: Workspace, fmt: Fmt, stuck: list[StuckCard]) -> list[StuckView]:
    out = []
    for s in stuck:
        task = ws.tasks.get(s.task)
        key = "history.flow.stuck_limit" if s.reason == "limit" else "history.flow.stuck_p85"
        out.append(
            StuckView(
                Link(task.title if task else s.task, url("task", s.task)),
                fmt.t(
                    key,
                    days=format_days(s.days, fmt.locale),
                    column=s.name,
                    limit=format_days(s.threshold, fmt.locale),
                    share=fmt.percent(0.85),  # stuck_p85's percentile
                ),
            )
        )
    return out


def stuck_labels(history: History, ws: Workspace) -> dict[str, str]:
    """task id -> "stuck" chip text, across every project's board."""
    fmt = Fmt.of(ws)
    out: dict[str, str] = {}
    # a board's labels, kept with the very list of its stuck cards they were made from
    kept: dict[str, tuple[list[StuckCard], str, dict[str, str]]] = history.kept.setdefault(
        "stuck_labels", {}
    )
    for pid in sorted(ws.projects):
        stuck = _project_stuck(history, ws, pid)
        hit = kept.get(pid)
        if hit is None or hit[0] is not stuck or hit[1] != fmt.locale:
            hit = kept[pid] = (
                stuck,
                fmt.locale,
                {
                    s.task: fmt.t("history.flow.stuck_chip", days=format_days(s.days, fmt.locale))
                    for s in stuck
                },
            )
        out.update(hit[2])
    return out


def stuck_cards(
    history: History, ws: Workspace, limit: int | None = None
) -> tuple[list[StuckView], int]:
    """The stuck cards of every board, longest stuck first (the first `limit` of them),
    and how many there are."""
    stuck = [s for pid in sorted(ws.projects) for s in _project_stuck(history, ws, pid)]
    stuck.sort(key=lambda s: (-s.days, s.task))
    return _stuck_views(ws, Fmt.of(ws), stuck[:limit]), len(stuck)


def _project_stuck(history: History, ws: Workspace, project: str) -> list[StuckCard]:
    """A project's stuck cards: from its flow when that was computed, else on their own."""
    found = history.memo.get(f"views.flow.{project}")
    if isinstance(found, BoardFlow):
        return found.stuck
    return project_stuck(history, ws, project)


def idle_from_history(history: History, ws: Workspace) -> dict[str, tuple[int, bool]]:
    """deal id -> (idle days, past the stage's limit) measured from git where it knows."""
    return {d: (i.days, i.idle) for d, i in deal_idle(history, ws).items() if i.days is not None}


@dataclass
class ConversionView:
    stage: str
    next: str
    entered: int
    advanced: int
    rate: str
    won: int = 0
    lost: int = 0


def conversions(
    history: History, ws: Workspace, pipeline: str, since: date | None = None
) -> list[ConversionView]:
    fmt = Fmt.of(ws)
    return [
        ConversionView(
            c.name, c.next_name, c.entered, c.advanced, fmt.percent(c.rate), c.won, c.lost
        )
        for c in stage_conversions(history, ws, pipeline, since)
    ]
