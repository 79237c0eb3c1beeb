"""The calendar pages (the team's months, a page per person and per project), their
iCalendar feeds, and the clients' monthly statements."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from builder import i18n
from builder.model.settings_keys import settings_keys
from builder.render.kept import CalendarKept
from builder.render.keys import fingerprint
from builder.views import calendar as cal
from builder.views import statement as st
from builder.views.common import Fmt, Link
from builder.views.paths import (
    calendar_url,
    feed_url,
    own_calendar_url,
    page_file,
    report_url,
    statement_url,
    url,
)
from builder.views.reports.pages import report_links
from builder.views.reports.work import month_start, next_month

if TYPE_CHECKING:
    from builder.render.pages import Page, _Site

Pick = Callable[[cal.EventIndex, str], list[cal.Event]]
#: the team calendar's months: this many before today's, and after it
MONTHS_BEFORE, MONTHS_AFTER = 1, 3


def _kept(site: _Site) -> CalendarKept:
    """The serve loop's calendar state for this workspace's settings and audience (a fresh
    one, which nothing keeps, for a build)."""
    # the settings as typing reads them (`general`), not workspace.yml's text: a column
    # renamed changes no event (a task's done is in its event's key, a deal's open too)
    words = (settings_keys(site.ws.settings).general, site.options.audience)
    holder = site.options.kept
    if holder is None:
        return CalendarKept(words)
    if holder.calendar.words != words:
        holder.calendar = CalendarKept(words)
    return holder.calendar


def _events(site: _Site) -> cal.EventIndex:
    """The workspace's events, grouped once per build, and each one's text for the page
    keys. In the serve loop, the events of the records an edit touched are made again
    (`cal.KeptEvents`) and the index changed by them; the digests of the pages' spans and
    the feeds those events are on are dropped, the others kept (an edit that changes no
    event, a person renamed or a task moved between open columns, keeps them all)."""
    memo = site.derived.memo.reports
    key = ("calendar", site.today)
    if key not in memo:
        kept = _kept(site)
        change = kept.events.update(site.ws, site.derived, site.today)
        index = kept.events.index
        assert index is not None
        if change is None:
            # by identity: hashing an event (all its fields) costs more than its repr
            kept.texts = {id(e): (e, repr(e)) for e in index.all}
            kept.shown, kept.stale = {}, None
        elif change.gone or change.came:
            texts = kept.texts
            for e in change.gone:
                del texts[id(e)]
            for e in change.came:
                texts[id(e)] = (e, repr(e))
            kept.shown = _still_shown(kept.shown, change)
            if kept.stale is not None:
                kept.stale.update(path for e in _changed(change) for path in _feeds_of(e))
        memo[key] = index
        memo[("calendar-texts", site.today)] = kept.texts
    found: cal.EventIndex = memo[key]
    return found


def _changed(change: cal.EventChange) -> Iterator[cal.Event]:
    yield from change.gone
    yield from change.came


def _lists_of(e: cal.Event) -> Iterator[str]:
    """The lists of events `e` is on (`_shown_key`'s `which`)."""
    yield "team"
    for person in e.people:
        yield f"person:{person}"
    if e.project:
        yield f"project:{e.project}"


def _feeds_of(e: cal.Event) -> Iterator[str]:
    """The feeds that may hold `e`."""
    yield feed_url()
    for person in e.people:
        yield feed_url("person", person)
    if e.project:
        yield feed_url("project", e.project)


def _still_shown(
    shown: dict[tuple[str, date, date], str], change: cal.EventChange
) -> dict[tuple[str, date, date], str]:
    """The span digests no changed event (gone or come) falls in."""
    marks: dict[str, list[tuple[date, date]]] = {}
    for e in _changed(change):
        for which in _lists_of(e):
            marks.setdefault(which, []).append((e.start, e.end))
    return {
        span: digest
        for span, digest in shown.items()
        if not any(end >= span[1] and start < span[2] for start, end in marks.get(span[0], ()))
    }


def _texts(site: _Site) -> dict[int, tuple[cal.Event, str]]:
    """Each event's text (its repr) by the event's id, as `_events` keeps them."""
    _events(site)
    found: dict[int, tuple[cal.Event, str]] = site.derived.memo.reports[
        ("calendar-texts", site.today)
    ]
    return found


def _shown_key(
    site: _Site, which: str, evs: list[cal.Event], first: date, after: date, *parts: str
) -> str:
    """A calendar page's key: the events it shows (those between `first` and `after`) and
    what else it names (`parts`). An edit that changes no event of a page's months (a
    card moved between open columns) leaves it as it is: a task edit re-renders only the
    months and the person's and project's pages its event is on. The digest of the events
    shown is kept with the index it was made from, by `which` of its lists `evs` is (the
    team's, a person's or a project's) and the span."""
    texts = _texts(site)
    kept = _kept(site) if site.options.kept is not None else None
    span = (which, first, after)
    shown = kept.shown.get(span) if kept is not None else None
    if shown is None:
        shown = fingerprint(*(texts[id(e)][1] for e in evs if e.end >= first and e.start < after))
        if kept is not None:
            kept.shown[span] = shown
    # what an event shows of the workflows and pipelines (done, an open deal's date) is in
    # its text: the salt without them (a column renamed changes no calendar page)
    return fingerprint(site.record_salt, *parts, shown)


def team_months(today: date) -> list[date]:
    """The first days of the team calendar's months, oldest first."""
    first = month_start(today)
    for _ in range(MONTHS_BEFORE):
        first = month_start(first - timedelta(days=1))
    out = [first]
    while len(out) < MONTHS_BEFORE + 1 + MONTHS_AFTER:
        out.append(next_month(out[-1]))
    return out


def calendar_pages(site: _Site) -> Iterator[Page]:
    """The team calendar (today's month at `calendar/`, and a page per month around it),
    and a calendar page per person and per project (this month and the next)."""
    from builder.render.pages import WIDE_VIEW, Page

    ws, fmt, today = site.ws, site.fmt, site.today
    months = team_months(today)

    def month_link(m: date) -> Link:
        return Link(fmt.month(m), calendar_url(m) if m in months else "")

    def team(m: date) -> dict[str, Any]:
        prev = month_start(m - timedelta(days=1))
        view = cal.month_view(
            ws, _events(site).all, m, today, (month_link(prev), month_link(next_month(m)))
        )
        return {"months": [view], "feed": feed_url(), "others": others}

    others = [
        (
            fmt.t("nav.people"),
            [
                Link(p.name, own_calendar_url("person", p.id))
                for p in sorted(ws.people.values(), key=lambda p: (p.name.lower(), p.id))
                if p.active
            ],
        ),
        (
            fmt.t("nav.projects"),
            [
                Link(p.name, own_calendar_url("project", p.id))
                for p in sorted(ws.projects.values(), key=lambda p: (p.name.lower(), p.id))
                if p.status in ("planned", "active", "on-hold")
            ],
        ),
    ]

    named = repr(others)

    def key(m: date) -> str:
        return _shown_key(site, "team", _events(site).all, m, next_month(m), "team", named)

    for m in months:
        yield Page(
            page_file(calendar_url(m)),
            fmt.month(m),
            "calendar.html",
            partial(team, m),
            dict(WIDE_VIEW),
            key=key(m),
        )
    yield Page(
        "calendar/index.md",
        fmt.t("nav.calendar"),
        "calendar.html",
        partial(team, month_start(today)),
        dict(WIDE_VIEW),
        key=key(month_start(today)),
    )
    yield from _own_pages(site)


def _own_pages(site: _Site) -> Iterator[Page]:
    from builder.render.pages import WIDE_VIEW, Page

    ws, fmt, today = site.ws, site.fmt, site.today
    this = month_start(today)

    def own(kind: str, ident: str, pick: Pick) -> dict[str, Any]:
        evs = pick(_events(site), ident)
        views = [
            cal.month_view(ws, evs, m, today, (Link(""), Link("")))
            for m in (this, next_month(this))
        ]
        return {
            "months": views,
            "feed": feed_url(kind, ident),
            "record": Link(fmt.t("calendar.record_page"), url(kind, ident)),
        }

    after = next_month(next_month(this))
    index = _events(site)
    owners: tuple[tuple[str, dict[str, Any], Pick], ...] = (
        ("person", ws.people, cal.EventIndex.person),
        ("project", ws.projects, cal.EventIndex.project),
    )
    for kind, records, pick in owners:
        for ident in sorted(records):
            name = records[ident].name
            yield Page(
                page_file(own_calendar_url(kind, ident)),
                f"{fmt.t('nav.calendar')}: {name}",
                "calendar.html",
                partial(own, kind, ident, pick),
                dict(WIDE_VIEW),
                key=_shown_key(
                    site, f"{kind}:{ident}", pick(index, ident), this, after, kind, ident, name
                ),
            )


def calendar_files(site: _Site) -> dict[str, str]:
    """The iCalendar feeds: the team's, one per person and one per project. `serve` keeps
    a feed's text while its name and words are the same and none of its events changed
    (`CalendarKept.stale`)."""
    from builder.render.ical import FeedWriter, uid_domain

    ws, fmt, today = site.ws, site.fmt, site.today
    index = _events(site)
    base = site.options.site_url.rstrip("/") + "/" if site.options.site_url else ""
    domain = uid_domain(ws.settings.name)
    kept = _kept(site)
    words: tuple[object, ...] = (domain, today, fmt.locale, base)
    feeds = [(feed_url(), index.all, ws.settings.name)]
    feeds += [
        (feed_url("person", p.id), index.person(p.id), f"{p.name} · {ws.settings.name}")
        for p in sorted(ws.people.values(), key=lambda p: p.id)
    ]
    feeds += [
        (feed_url("project", pr.id), index.project(pr.id), f"{pr.name} · {ws.settings.name}")
        for pr in sorted(ws.projects.values(), key=lambda p: p.id)
    ]
    memo, stale = kept.feeds, kept.stale
    now = {}
    todo = []
    for path, events, name in feeds:
        hit = memo.get(path)
        if stale is None or path in stale or hit is None or hit[:2] != (words, name):
            todo.append((path, events, name))
        else:
            now[path] = hit
    if todo:
        texts = _texts(site)

        def link(e: cal.Event) -> str | None:
            return f"{base}{url(*e.record)}" if base else None

        cache = site.options.cache_dir
        writer = FeedWriter(
            domain,
            today,
            partial(ical_summary, fmt),
            link,
            (fmt.locale, base),
            cache / "ical-events.json" if cache is not None else None,
            lambda e: texts[id(e)][1],  # its repr, made once for the pages' keys
        )
        if writer.store is not None and todo[0][0] != feed_url():
            # the store keeps what this build's feeds hold: the team's holds every event
            for e in index.all:
                if cal.in_feeds(e, today):
                    writer.event(e)
        for path, events, name in todo:
            chosen = [e for e in events if cal.in_feeds(e, today)]
            now[path] = (words, name, writer.feed(chosen, name).decode("utf-8"))
        writer.save()
    kept.feeds, kept.stale = now, set()
    return {path: now[path][2] for path, _, _ in feeds}


def ical_summary(fmt: Fmt, e: cal.Event) -> str:
    """An event's title line in a calendar app: what it is, then the record's title."""
    label = {
        "task": "",
        "project_start": fmt.t("calendar.project_start"),
        "project_due": fmt.t("calendar.project_due"),
        "follow_up": fmt.t("calendar.follow_up"),
        "next_step": fmt.t("field.next_step"),
        "close": fmt.t("calendar.close"),
    }[e.kind]
    text = f"{label}: {e.title}" if label else e.title
    return f"✓ {text}" if e.done else text


# --- statements --------------------------------------------------------------------------


def statement_pages(site: _Site) -> Iterator[Page]:
    """A statement per opted-in client and month (this one and the two before), and the
    list of them."""
    from builder.render.pages import VIEW, Page

    ws, derived, today, fmt = site.ws, site.derived, site.today, site.fmt
    history = site.options.history
    # a done task is on the statement of the month git says it was done in
    key = site.view_key(("task", "project", "company"), site.hk.kind("task"))
    companies = st.statement_companies(ws)
    months = st.statement_months(today)
    rows = []

    def page(company: str, month: date) -> dict[str, Any]:
        view = st.statement(ws, derived, company, month, today, history)
        return {"s": view, "S": i18n.strings(view.locale)}

    for c in companies:
        cells = [Link(c.name, url("company", c.id))]
        for m in months:
            cells.append(Link(fmt.month(m), statement_url(c.id, m)))
            yield Page(
                page_file(statement_url(c.id, m)),
                f"{c.name}: {fmt.month(m)}",
                "statement.html",
                partial(page, c.id, m),
                {**VIEW, "hide": ["toc", "navigation"]},
                key=key,
            )
        rows.append(cells)
    yield Page(
        page_file(report_url("statements/index")),
        fmt.t("reports.statements"),
        "links.html",
        {
            "report_links": report_links(fmt, "statements", site.options.money),
            "intro": fmt.t("reports.statements_intro"),
            "headers": [fmt.t("field.company"), *(fmt.month(m) for m in months)],
            "rows": rows,
        },
        dict(VIEW),
        key=key,
    )
