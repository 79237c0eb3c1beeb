"""The reports as pages show them: the numbers of `money`, `timesheets`, `estimates` and
`load`, worded and formatted in the workspace's language (money in the base currency,
with the original amount where it differs; an incomplete cost marked, never shown as if
whole). Every view here is a dataclass of strings and links; templates only lay it out."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from builder import i18n
from builder.model import Money, Workspace
from builder.views.common import Fmt, Link, url
from builder.views.paging import PageLink, chunks, pager
from builder.views.paths import (
    report_url,
    timesheet_csv_url,
    timesheet_url,
)
from builder.views.reports import estimates as est
from builder.views.reports import load as ld
from builder.views.reports import money as mn
from builder.views.reports import timesheets as ts

if TYPE_CHECKING:
    from builder.history import History
    from builder.views.derived import Derived

#: weeks on the timesheets' team page; each has a page of its own
TIMESHEET_WEEKS = 8
#: open tasks past their estimate, and tasks not placed on the load page, listed by name
LIST_CAP = 30
NAMES_CAP = 5


@dataclass
class Amount:
    """A money figure as shown: the base-currency text, the original amount when it was
    in another currency, and whether it is a floor (someone's hours had no cost)."""

    text: str
    original: str = ""
    incomplete: bool = False
    negative: bool = False


@dataclass
class Bar:
    label: str
    percent: int  # 0..100, the bar's width
    text: str  # the share as written (may exceed 100%)
    bad: bool = False


@dataclass
class ProjectRow:
    project: Link
    client: Link
    billing: str
    hours: str
    cost: Amount
    revenue: Amount
    margin: Amount
    margin_pct: str
    bars: list[Bar]
    flags: list[str]
    notes: list[str]


@dataclass
class RollupRow:
    name: Link
    projects: str
    hours: str
    cost: Amount
    revenue: Amount
    margin: Amount
    margin_pct: str


@dataclass
class MoneyView:
    stats: list[tuple[str, Amount]]
    projects: list[ProjectRow]
    clients: list[RollupRow]
    months: list[RollupRow]
    notes: list[str]  # what the totals miss, in words
    unpriced: list[Link]  # people whose hours have no cost


@dataclass
class MoneyPage:
    """One page of the profitability report: the first shows the whole report with the
    first projects of its table, the next ones only more of the table."""

    m: MoneyView  # its `projects`: this page's
    first: bool
    start: int  # 1-based position of this page's first project
    total: int  # projects over all the pages
    pages: list[PageLink]


def money_pages(view: MoneyView, size: int) -> list[MoneyPage]:
    """The profitability report (`view`, every project) cut into pages of `size` projects,
    flagged ones first as the table orders them."""
    pages = chunks(view.projects, size)
    return [
        MoneyPage(
            m=replace(view, projects=list(rows)),
            first=i == 1,
            start=(i - 1) * max(1, size) + 1,
            total=len(view.projects),
            pages=pager(report_url(), pages, i),
        )
        for i, rows in enumerate(pages, 1)
    ]


def _pct(fmt: Fmt, share: float | None) -> str:
    return "" if share is None else fmt.percent(share)


def _amount(fmt: Fmt, value: Decimal | None, incomplete: bool = False) -> Amount:
    if value is None:
        return Amount("—")
    return Amount(fmt.base_money(value), "", incomplete, value < 0)


def _with_original(fmt: Fmt, value: Decimal | None, money: Money | None) -> Amount:
    amount = _amount(fmt, value)
    if money is not None and money.currency != fmt.base:
        amount.original = fmt.money(money)
    return amount


def _bars(fmt: Fmt, pm: mn.ProjectMoney) -> list[Bar]:
    out = []
    for key, share, bad in (
        ("reports.burnt", pm.burnt, pm.over_budget or pm.burn_ahead),
        ("reports.elapsed", pm.elapsed, False),
        ("reports.done", pm.done, False),
    ):
        if share is not None:
            width = max(0, min(100, round(share * 100)))
            out.append(Bar(fmt.t(key), width, fmt.percent(share), bad))
    return out


def _project_row(ws: Workspace, fmt: Fmt, pm: mn.ProjectMoney) -> ProjectRow:
    project = ws.projects[pm.id]
    company = ws.companies.get(pm.company)
    flags = []
    if pm.over_budget:
        flags.append(fmt.t("reports.over_budget"))
    if pm.burn_ahead:
        flags.append(fmt.t("reports.burn_ahead"))
    notes = []
    if pm.cost.incomplete:
        notes.append(fmt.t("reports.cost_incomplete", hours=_hours(fmt, pm.cost.unpriced)))
    if pm.unpriced_done:
        notes.append(fmt.tn("reports.unpriced_done_n", pm.unpriced_done))
    revenue = (
        _with_original(fmt, pm.revenue, project.budget)
        if pm.billing == "fixed"
        else _amount(fmt, pm.revenue)
    )
    return ProjectRow(
        project=Link(project.name, url("project", project.id)),
        client=Link(company.name, url("company", company.id)) if company else Link(pm.company),
        billing=fmt.t(f"reports.billing.{pm.billing}"),
        hours=fmt.hours(pm.cost.minutes / 60),
        cost=_amount(fmt, pm.cost.amount, pm.cost.incomplete),
        revenue=revenue,
        margin=_amount(fmt, pm.margin, pm.cost.incomplete),
        margin_pct=_pct(fmt, pm.margin_pct),
        bars=_bars(fmt, pm),
        flags=flags,
        notes=notes,
    )


def _hours(fmt: Fmt, unpriced: dict[str, int]) -> str:
    return fmt.hours(sum(unpriced.values()) / 60)


def _rollup_row(fmt: Fmt, name: Link, r: mn.Rollup) -> RollupRow:
    return RollupRow(
        name=name,
        projects=str(r.projects),
        hours=fmt.hours(r.cost.minutes / 60),
        cost=_amount(fmt, r.cost.amount, r.cost.incomplete),
        revenue=_amount(fmt, r.revenue, bool(r.revenue_missing)),
        margin=_amount(fmt, r.margin, r.cost.incomplete),
        margin_pct=_pct(fmt, r.margin_pct),
    )


def money_view(
    ws: Workspace, derived: Derived, today: date, history: History | None = None
) -> MoneyView:
    """The profitability page: projects (flagged ones first), clients, months."""
    fmt = Fmt.of(ws)
    report = mn.money_report(ws, derived, today, history)
    ordered = sorted(
        report.projects,
        key=lambda p: (not (p.over_budget or p.burn_ahead), ws.projects[p.id].name.lower()),
    )
    clients = []
    for r in report.clients:
        company = ws.companies.get(r.key)
        name = Link(company.name, url("company", r.key)) if company else Link(r.key)
        clients.append(_rollup_row(fmt, name, r))
    months = []
    active = [m for m in report.months if m.cost.minutes or m.revenue]
    since = active[0].month if active else report.months[-1].month
    for m in reversed(report.months):
        if m.month < since:  # months before anything was logged or earned
            continue
        roll = mn.Rollup(m.month.isoformat(), m.cost, m.revenue)
        row = _rollup_row(fmt, Link(fmt.month(m.month)), roll)
        row.projects = ""
        months.append(row)
    notes = []
    if report.unspread:
        names = ", ".join(ws.projects[p].name for p in report.unspread)
        notes.append(fmt.t("reports.unspread", projects=names))
    total = report.total
    return MoneyView(
        stats=[
            (fmt.t("reports.hours"), Amount(fmt.hours(total.cost.minutes / 60))),
            (fmt.t("reports.cost"), _amount(fmt, total.cost.amount, total.cost.incomplete)),
            (fmt.t("reports.revenue"), _amount(fmt, total.revenue, bool(total.revenue_missing))),
            (fmt.t("reports.margin"), _amount(fmt, total.margin, total.cost.incomplete)),
        ],
        projects=[_project_row(ws, fmt, pm) for pm in ordered],
        clients=clients,
        months=months,
        notes=notes,
        unpriced=[
            Link(
                f"{_name(ws, pid)} ({fmt.hours(minutes / 60)})",
                url("person", pid) if pid in ws.people else "",
            )
            for pid, minutes in report.unpriced.items()
        ],
    )


def _person_link(ws: Workspace, person_id: str) -> Link:
    return Link(_name(ws, person_id), url("person", person_id) if person_id in ws.people else "")


def _project_link(ws: Workspace, project_id: str) -> Link:
    known = project_id in ws.projects
    return Link(_project_name(ws, project_id), url("project", project_id) if known else "")


def _name(ws: Workspace, person_id: str) -> str:
    person = ws.people.get(person_id)
    return person.name if person else person_id


# --- timesheets --------------------------------------------------------------------------


@dataclass
class Cell:
    text: str
    heat: int = 0  # 0 nothing .. 4 over capacity
    url: str = ""


@dataclass
class TeamRow:
    person: Link
    cells: list[Cell]


@dataclass
class TimesheetsView:
    weeks: list[Link]  # oldest first
    rows: list[TeamRow]
    totals: list[Cell]


def heat(share: float | None) -> int:
    """A utilisation or load share as a colour step: 0 none, 1 under half, 2 under 80%,
    3 up to capacity, 4 over it."""
    if not share:
        return 0
    if share > 1:
        return 4
    return 1 if share < 0.5 else 2 if share < 0.8 else 3


def _util_cell(fmt: Fmt, minutes: int, capacity: float | None, link: str = "") -> Cell:
    hours = fmt.hours(round(minutes / 60, 1))
    if not capacity or not minutes:
        return Cell(hours if minutes else "—", 0, link)
    share = minutes / 60 / capacity
    return Cell(f"{hours} · {fmt.percent(share)}", heat(share) if minutes else 0, link)


def recent_weeks(ws: Workspace, derived: Derived, today: date) -> dict[date, ts.Week]:
    """The last TIMESHEET_WEEKS weeks' timesheets by Monday, oldest first: made once per
    build (the team page, each week's page and each week's CSV read them)."""
    memo = derived.memo.reports
    key = ("timesheets", today)
    if key not in memo:
        mondays = list(reversed(ts.weeks_back(today, TIMESHEET_WEEKS)))
        memo[key] = dict(zip(mondays, ts.timesheets(ws, derived, mondays), strict=True))
    found: dict[date, ts.Week] = memo[key]
    return found


def _week(ws: Workspace, derived: Derived, monday: date, today: date) -> ts.Week:
    recent = recent_weeks(ws, derived, today)
    return recent[monday] if monday in recent else ts.timesheets(ws, derived, [monday])[0]


def timesheets_view(ws: Workspace, derived: Derived, today: date) -> TimesheetsView:
    """The team's last TIMESHEET_WEEKS weeks: hours and utilisation per person."""
    fmt = Fmt.of(ws)
    weeks = list(recent_weeks(ws, derived, today).values())
    people: dict[str, list[Cell]] = {}
    for n, week in enumerate(weeks):
        for row in week.people:
            cells = people.setdefault(row.person, [Cell("—")] * len(weeks))
            cells[n] = _util_cell(fmt, row.minutes, row.capacity)
    order = sorted(people, key=lambda pid: (_name(ws, pid).lower(), pid))
    return TimesheetsView(
        weeks=[Link(fmt.week(w.monday), timesheet_url(w.monday)) for w in weeks],
        rows=[
            TeamRow(
                Link(_name(ws, pid), url("person", pid) if pid in ws.people else ""), people[pid]
            )
            for pid in order
        ],
        totals=[_util_cell(fmt, w.minutes, w.capacity) for w in weeks],
    )


@dataclass
class WeekRow:
    person: Link
    days: list[str]
    total: str
    capacity: str
    utilisation: Cell
    projects: list[tuple[Link, list[str], str]]  # project, hours per day, total


@dataclass
class WeekView:
    title: str
    days: list[str]  # column headings, Monday first
    rows: list[WeekRow]
    day_totals: list[str]
    total: str
    csv: str
    previous: Link | None
    next: Link | None


def _day_hours(fmt: Fmt, minutes: int) -> str:
    return fmt.hours(round(minutes / 60, 2)) if minutes else ""


def week_view(ws: Workspace, derived: Derived, monday: date, today: date) -> WeekView:
    """One week's timesheet: per person, hours per day and per project, against capacity."""
    fmt = Fmt.of(ws)
    week = _week(ws, derived, monday, today)
    rows = []
    for r in week.people:
        projects = []
        for pid in sorted(r.projects, key=lambda p: (_project_name(ws, p).lower(), p)):
            days = r.projects[pid]
            hours = [_day_hours(fmt, m) for m in days]
            projects.append((_project_link(ws, pid), hours, _day_hours(fmt, sum(days))))
        rows.append(
            WeekRow(
                person=Link(
                    _name(ws, r.person), url("person", r.person) if r.person in ws.people else ""
                ),
                days=[_day_hours(fmt, m) for m in r.days],
                total=fmt.hours(round(r.minutes / 60, 2)),
                capacity=fmt.hours(r.capacity) if r.capacity is not None else "",
                utilisation=Cell(_pct(fmt, r.utilisation), heat(r.utilisation)),
                projects=projects,
            )
        )
    later = monday + timedelta(weeks=1)
    earlier = monday - timedelta(weeks=1)
    return WeekView(
        title=fmt.t("reports.week_of", week=fmt.week(monday)),
        days=[fmt.weekday(monday + timedelta(days=n)) for n in range(7)],
        rows=rows,
        day_totals=[_day_hours(fmt, sum(r.days[n] for r in week.people)) for n in range(7)],
        total=fmt.hours(round(week.minutes / 60, 2)),
        csv=timesheet_csv_url(monday),
        previous=Link(fmt.week(earlier), timesheet_url(earlier))
        if earlier in ts.weeks_back(today, TIMESHEET_WEEKS)
        else None,
        next=Link(fmt.week(later), timesheet_url(later)) if later <= today else None,
    )


def week_csv(ws: Workspace, derived: Derived, monday: date, today: date) -> str:
    """The week's timesheet as CSV: a row per person and project, hours per day (decimal
    hours with a dot, for spreadsheets), the total, the person's capacity and utilisation."""
    import csv
    import io

    week = _week(ws, derived, monday, today)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    days = [(monday + timedelta(days=n)).isoformat() for n in range(7)]
    writer.writerow(["person", "name", "project", *days, "total", "capacity", "utilisation"])
    for r in week.people:
        share = r.utilisation
        for pid in sorted(r.projects):
            minutes = r.projects[pid]
            writer.writerow(
                [
                    r.person,
                    _name(ws, r.person),
                    pid,
                    *map(_csv_hours, minutes),
                    _csv_hours(sum(minutes)),
                    "",
                    "",
                ]
            )
        writer.writerow(
            [
                r.person,
                _name(ws, r.person),
                "",
                *map(_csv_hours, r.days),
                _csv_hours(r.minutes),
                "" if r.capacity is None else f"{r.capacity:g}",
                "" if share is None else f"{share:.4f}",
            ]
        )
    return out.getvalue()


def _csv_hours(minutes: int) -> str:
    return f"{minutes / 60:.2f}".rstrip("0").rstrip(".") if minutes else "0"


def _project_name(ws: Workspace, pid: str) -> str:
    project = ws.projects.get(pid)
    return project.name if project else pid


# --- estimates ---------------------------------------------------------------------------


@dataclass
class AccuracyRow:
    name: Link
    count: str
    median: str
    spread: str
    heat: int


@dataclass
class TaskRow:
    task: Link
    who: Link
    estimate: str
    spent: str
    ratio: str


@dataclass
class EstimatesView:
    overall: str
    tables: list[tuple[str, list[AccuracyRow]]]
    worst: list[TaskRow]
    open_over: list[TaskRow]
    open_over_more: int
    note: str


def _ratio(fmt: Fmt, value: float) -> str:
    return "×" + i18n.format_number(round(value, 2), fmt.locale, 2)


def _ratio_heat(median: float) -> int:
    """How far off a median is: 0 within 10% either way, 3 within 30%, 4 beyond."""
    off = abs(median - 1)
    return 0 if off <= 0.1 else 3 if off <= 0.3 else 4


def estimates_view(ws: Workspace, derived: Derived) -> EstimatesView:
    """Spent / estimate of done tasks per person, tag and project; the worst; open overruns."""
    fmt = Fmt.of(ws)
    report = est.estimate_report(ws, derived)

    def rows(groups: list[est.Accuracy], kind: str) -> list[AccuracyRow]:
        out = []
        for a in groups:
            if kind == "person":
                name = Link(_name(ws, a.key), url("person", a.key) if a.key in ws.people else "")
            elif kind == "project":
                name = Link(
                    _project_name(ws, a.key), url("project", a.key) if a.key in ws.projects else ""
                )
            else:
                name = Link(a.key)
            out.append(
                AccuracyRow(
                    name,
                    str(a.count),
                    _ratio(fmt, a.median),
                    f"{_ratio(fmt, a.low)} – {_ratio(fmt, a.high)}",
                    _ratio_heat(a.median),
                )
            )
        return out

    def task_row(task_id: str, estimate: int, spent: int) -> TaskRow:
        task = ws.tasks[task_id]
        who = ws.people.get(task.assignee or "")
        return TaskRow(
            Link(task.title, url("task", task_id)),
            Link(who.name, url("person", who.id)) if who else Link(""),
            fmt.duration(estimate),
            fmt.duration(spent),
            _ratio(fmt, spent / estimate),
        )

    overall = report.overall
    return EstimatesView(
        overall=fmt.t(
            "reports.estimates_overall",
            median=_ratio(fmt, overall.median),
            tasks=fmt.tn("board.tasks_n", overall.count),
        )
        if overall
        else fmt.t("reports.estimates_none"),
        tables=[
            (fmt.t("reports.by_person"), rows(report.by_person, "person")),
            (fmt.t("reports.by_tag"), rows(report.by_tag, "tag")),
            (fmt.t("reports.by_project"), rows(report.by_project, "project")),
        ],
        worst=[task_row(r.task, r.estimate, r.spent) for r in report.worst],
        open_over=[task_row(o.task, o.estimate, o.spent) for o in report.open_over[:LIST_CAP]],
        open_over_more=max(0, len(report.open_over) - LIST_CAP),
        note=fmt.tn("reports.no_time_n", report.no_time) if report.no_time else "",
    )


# --- load ahead --------------------------------------------------------------------------


@dataclass
class LoadRow:
    person: Link
    capacity: str
    cells: list[Cell]
    later: str
    unplaced: list[tuple[str, list[Link], int]]  # what is missing, tasks named, how many more


@dataclass
class LoadView:
    weeks: list[str]
    rows: list[LoadRow]
    unassigned: list[Link]
    unassigned_more: int
    over_count: int


def _names(ws: Workspace, ids: list[str]) -> tuple[list[Link], int]:
    shown = [Link(ws.tasks[i].title, url("task", i)) for i in ids[:NAMES_CAP]]
    return shown, max(0, len(ids) - NAMES_CAP)


def load_view(ws: Workspace, derived: Derived, today: date) -> LoadView:
    """The heat map of people x the next weeks, and what could not be placed."""
    fmt = Fmt.of(ws)
    report = ld.load_report(ws, derived, today)
    rows = []
    over = 0
    for p in report.people:
        cells = []
        for n, minutes in enumerate(p.weeks):
            cell = _util_cell(fmt, minutes, p.capacity)
            over += p.over(n)
            cells.append(cell)
        unplaced = []
        for key, ids in (("reports.no_estimate", p.no_estimate), ("reports.no_due", p.no_due)):
            if ids:
                shown, more = _names(ws, ids)
                unplaced.append((fmt.t(key, n=len(ids)), shown, more))
        rows.append(
            LoadRow(
                person=Link(_name(ws, p.person), url("person", p.person)),
                capacity=fmt.hours(p.capacity) if p.capacity is not None else "",
                cells=cells,
                later=fmt.hours(round(p.later / 60, 1)) if p.later else "",
                unplaced=unplaced,
            )
        )
    unassigned, more = _names(ws, report.unassigned)
    return LoadView(
        weeks=[fmt.short_date(m) for m in report.mondays],
        rows=rows,
        unassigned=unassigned,
        unassigned_more=more,
        over_count=over,
    )


def report_links(fmt: Fmt, current: str, money: bool = True) -> list[Link]:
    """The section's own menu: every report page, the `current` one unlinked (without
    `money`, an audience's site that hides money values, no profitability)."""
    pages = (
        ("", "reports.profitability"),
        ("timesheets", "reports.timesheets"),
        ("estimates", "reports.estimates"),
        ("load", "reports.load"),
        ("statements", "reports.statements"),
    )
    return [
        Link(fmt.t(key), "" if name == current else report_url(name))
        for name, key in pages
        if money or name
    ]
