"""The Reports section's pages (profitability, timesheets, estimates, load ahead) and
the files that go with them (a CSV per timesheet week)."""

from __future__ import annotations

import logging
import marshal
import os
from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from builder.model.settings_keys import settings_keys
from builder.render.kept import RenderKept, ReportsKept
from builder.render.keys import RecordKeys, fingerprint
from builder.views.paths import (
    page_file,
    paged_url,
    report_url,
    timesheet_csv_url,
    timesheet_url,
)
from builder.views.reports import pages as rp
from builder.views.reports.timesheets import weeks_back
from builder.views.reports.work import hourly_cost

log = logging.getLogger("plaindesk")

if TYPE_CHECKING:
    from builder.model import Workspace
    from builder.render.pages import Page, _Site
    from builder.views.derived import Derived

#: what every report reads besides tasks: people (rates, capacity), projects (budgets,
#: dates), companies (names)
_KINDS = ("person", "project", "company")


def tasks_key(ws: Workspace, derived: Derived, audience: str, holder: RenderKept | None) -> str:
    """The part of the reports' key that the tasks make: of each task what a report reads
    (its fields but the body, the participants, the priority and its status, of which
    only whether it is done), so that a card moved between open columns or a body edited
    leaves the reports as they are.

    In serve (`holder`), the last rebuild's key is taken as it is when every task that
    changed since reads as it did (`ReportsKept.tasks`) and what whether a task is done
    depends on (the projects, the workflows) is the same: a move between open columns
    walks no other task."""
    # the settings as typing reads them (`general`): a column renamed leaves the texts
    # (whether a task is done is added apart)
    sk = settings_keys(ws.settings)
    words = (sk.general, audience)
    kept = holder.reports if holder is not None else ReportsKept()
    if kept.words != words:
        kept = ReportsKept(words)
    flows, default = derived.workflows, derived.workflows[""]
    context = (derived.table_digests["project"], sk.flows)
    if holder is not None and _kept_tasks_key(ws, derived, holder.records, kept, context):
        kept.updates = holder.records.updates
        holder.reports = kept
        return kept.key
    now = ReportsKept(words)
    before, shown = kept.shown, now.shown
    logged_before, logged = kept.logged, now.logged
    now.weeks, now.week_keys, now.csv = kept.weeks, kept.week_keys, kept.csv
    parts: list[str] = []
    add = parts.append
    for t in derived.tasks_by_id:
        text = before.get(t.digest)
        if text is None:
            text = _task_text(t)
        shown[t.digest] = text
        add(text)
        time = ""
        if t.time:
            time = logged_before.get(t.digest) or repr((t.id, t.project, t.time))
            logged[t.digest] = time
        done = (flows.get(t.project) or default).is_done(t.status)
        add("d" if done else "o")
        if holder is not None:  # serve's, for `_kept_tasks_key`
            now.tasks[t.id] = (text, done, time)
    now.key = fingerprint(*parts)
    now.logged_key = fingerprint(*logged.values())
    now.context = context
    if holder is not None:
        now.updates = holder.records.updates
        holder.reports = now
    return now.key


def _task_text(t: Any) -> str:
    """What the reports read of a task, but whether it is done."""
    fields = (t.id, t.title, t.project, t.assignee, t.start, t.due, t.estimate)
    return repr((*fields, t.time, t.tags, t.price, t.custom))


def _kept_tasks_key(
    ws: Workspace,
    derived: Derived,
    records: RecordKeys,
    kept: ReportsKept,
    context: tuple[object, ...],
) -> bool:
    """Whether the last rebuild's tasks key holds: the same projects and workflows, and
    every task that changed since (none came or went) reads as it did."""
    changed = records.changed_since(kept.updates)
    if not kept.key or kept.context != context or changed is None:
        return False
    flows, default = derived.workflows, derived.workflows[""]
    for kind, ident in changed:
        if kind != "task":
            continue
        t = ws.tasks.get(ident)
        was = kept.tasks.get(ident)
        if t is None or was is None:
            return False
        time = repr((t.id, t.project, t.time)) if t.time else ""
        done = (flows.get(t.project) or default).is_done(t.status)
        if (_task_text(t), done, time) != was:
            return False
    return True


#: `plaindesk build`'s copy of the reports' per-task texts (`ReportsKept.shown`), in its
#: cache folder: a build makes the text of the tasks whose file changed, not of all 10,000
TEXTS_FILE = "report-texts.bin"
TEXTS_FORMAT = 1


def _build_tasks_key(site: _Site) -> str:
    """`tasks_key` for a `plaindesk build` (no serve loop to keep the texts in memory):
    the texts are kept in the cache folder under the code's stamp and the words (settings
    and audience) they were made with; another stamp, other words or a file that cannot be
    read means every text is made again. Written only when a text was made or dropped."""
    ws, derived, options = site.ws, site.derived, site.options
    if options.cache_dir is None or not options.code_key:
        return tasks_key(ws, derived, options.audience, None)
    path = options.cache_dir / TEXTS_FILE
    words = (settings_keys(ws.settings).general, options.audience)
    holder = RenderKept()
    try:
        fmt, stamp, kept_words, shown, logged = marshal.loads(path.read_bytes())
        if fmt == TEXTS_FORMAT and stamp == options.code_key and tuple(kept_words) == words:
            holder.reports = ReportsKept(words, shown=dict(shown), logged=dict(logged))
    except (OSError, ValueError, EOFError, TypeError):
        pass  # made anew (and saved) below
    before = holder.reports.shown
    key = tasks_key(ws, derived, options.audience, holder)
    now = holder.reports
    if now.shown.keys() != before.keys():
        draft = path.with_name(TEXTS_FILE + ".tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            dump = (TEXTS_FORMAT, options.code_key, words, now.shown, now.logged)
            draft.write_bytes(marshal.dumps(dump))
            os.replace(draft, path)
        except OSError as exc:  # a full disk: the next build makes them again
            log.info("plaindesk: %s not saved: %s", path, exc)
    return key


def _recent_weeks(site: _Site) -> dict[Any, Any]:
    """The recent weeks' timesheets (`reports.pages.recent_weeks`); in the serve loop, the
    last rebuild's while the time logged, the people and today are the same (they are
    read, never changed, by the views)."""
    ws, derived, today = site.ws, site.derived, site.today
    holder = site.options.kept
    if holder is not None:
        key = fingerprint(
            derived.table_digests["person"], today.isoformat(), holder.reports.logged_key
        )
        weeks = holder.reports.weeks
        if weeks is not None and weeks[0] == key:
            derived.memo.reports.setdefault(("timesheets", today), weeks[1])
        holder.reports.weeks = (key, rp.recent_weeks(ws, derived, today))
    return rp.recent_weeks(ws, derived, today)


def _costs(ws: Workspace) -> str:
    """What profitability reads of the people: each one's hourly cost, and the name of
    each one without a known cost (its note lists them), so that a person renamed leaves
    it as it is (`hourly_cost` reads `rate` and the settings' rates, which `general`
    holds)."""
    parts = []
    for p in sorted(ws.people.values(), key=lambda p: p.id):
        priced = hourly_cost(ws, p.id) is not None
        parts.append(repr((p.id, p.rate, "" if priced else p.name)))
    return fingerprint(*parts)


def _week_key(site: _Site, *shown: Any) -> str:
    """A timesheet's key: the weeks it shows (who logged what, per day and project) and
    the people and projects it names; a card moved leaves it as it is. Serve keeps it
    while the weeks are the same and the people and projects are too."""
    if site.options.kept is None:
        return _made_week_key(site, *shown)
    keys = site.options.kept.reports.week_keys
    digests = site.derived.table_digests
    inputs = (site.record_salt, digests["person"], digests["project"])
    slot = shown[0].monday if len(shown) == 1 else None
    found = keys.get(slot)
    if found is not None and found[0] == (inputs, shown):
        return found[1]
    key = _made_week_key(site, *shown)
    keys[slot] = ((inputs, shown), key)
    return key


def _made_week_key(site: _Site, *shown: Any) -> str:
    ws = site.ws
    named: set[tuple[str, str]] = set()
    for w in shown:
        for row in w.people:
            named.add(("person", row.person))
            named.update(("project", pid) for pid in row.projects)
    digests = [f"{k}:{i}:{getattr(ws.table(k).get(i), 'digest', '-')}" for k, i in sorted(named)]
    # no workflow or pipeline: a column renamed leaves the timesheets as they are
    return fingerprint(site.record_salt, *map(repr, shown), *digests)


def report_pages(site: _Site) -> Iterator[Page]:
    """Profitability, the timesheets (the team's weeks, and a page per week), estimate
    accuracy and the load ahead."""
    from builder.render.pages import WIDE_VIEW, Page

    ws, derived, today, fmt = site.ws, site.derived, site.today, site.fmt
    history = site.options.history
    tasks = (
        tasks_key(ws, derived, site.options.audience, site.options.kept)
        if site.options.kept is not None
        else _build_tasks_key(site)
    )
    key = site.view_key(_KINDS, tasks)
    # profitability spreads a done task's money over the month git says it was done in;
    # of the people it reads each one's hourly cost, and names only those without one
    money_key = fingerprint(
        site.view_key(("project", "company"), tasks, _costs(ws)), site.hk.kind("task")
    )
    weeks = _recent_weeks(site)

    def week_key(*shown: Any) -> str:
        return _week_key(site, *shown)

    def ctx(name: str, **values: Any) -> dict[str, Any]:
        return {"report_links": rp.report_links(fmt, name, site.options.money), **values}

    if site.options.money:
        size = site.options.limits.report_projects
        count = max(1, -(-len(ws.projects) // max(1, size)))  # one page per `size` projects
        money: list[rp.MoneyPage] = []

        def money_page(i: int) -> dict[str, Any]:
            if not money:  # the report once, for all its pages
                money.extend(rp.money_pages(rp.money_view(ws, derived, today, history), size))
            return ctx("", p=money[i])

        for i in range(count):
            title = fmt.t("reports.profitability")
            yield Page(
                page_file(paged_url(report_url(), i + 1)) if i else page_file(report_url("index")),
                title + (f" ({i + 1}/{count})" if count > 1 else ""),
                "money.html",
                partial(money_page, i),
                dict(WIDE_VIEW),
                key=fingerprint(money_key, str(i)),
            )
    yield Page(
        page_file(report_url("timesheets/index")),
        fmt.t("reports.timesheets"),
        "timesheets.html",
        lambda: ctx("timesheets", t=rp.timesheets_view(ws, derived, today)),
        dict(WIDE_VIEW),
        key=week_key(*weeks.values()),
    )
    for monday in weeks_back(today, rp.TIMESHEET_WEEKS):

        def week(monday: Any = monday) -> dict[str, Any]:
            return ctx("week", w=rp.week_view(ws, derived, monday, today))

        yield Page(
            page_file(timesheet_url(monday)),
            fmt.t("reports.week_of", week=fmt.week(monday)),
            "week.html",
            week,
            dict(WIDE_VIEW),
            key=week_key(weeks[monday]) if monday in weeks else key,
        )
    yield Page(
        page_file(report_url("estimates")),
        fmt.t("reports.estimates"),
        "estimates.html",
        lambda: ctx("estimates", e=rp.estimates_view(ws, derived)),
        dict(WIDE_VIEW),
        key=key,
    )
    yield Page(
        page_file(report_url("load")),
        fmt.t("reports.load"),
        "load.html",
        lambda: ctx("load", l=rp.load_view(ws, derived, today)),
        dict(WIDE_VIEW),
        key=key,
    )


def report_files(site: _Site) -> dict[str, str]:
    """Files next to the report pages: each timesheet week as CSV."""
    ws, derived, today = site.ws, site.derived, site.today
    kept = site.options.kept.reports.csv if site.options.kept is not None else None
    recent = rp.recent_weeks(ws, derived, today) if kept is not None else {}
    out = {}
    for monday in weeks_back(today, rp.TIMESHEET_WEEKS):
        # serve keeps a week's CSV while its timesheet and the people (names) are the same
        week = recent.get(monday)
        inputs = (week, derived.table_digests["person"], today)
        found = kept.get(monday) if kept is not None and week is not None else None
        if found is not None and found[0] == inputs:
            text = found[1]
        else:
            text = rp.week_csv(ws, derived, monday, today)
            if kept is not None:
                kept[monday] = (inputs, text)
        out[timesheet_csv_url(monday)] = text
    return out
