"""Assemble every generated page: which view goes to which path, rendered by which template.

`render_pages` returns {docs-relative path: file text}; `tree.write_tree` writes only the files
whose bytes changed (so `mkdocs build --dirty` and the serve loop skip the rest)."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache, partial
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from slugify import slugify

from builder import i18n
from builder.model import Workspace
from builder.model.settings_keys import settings_keys
from builder.problems import Problem
from builder.render.kept import PersonKept, RenderKept
from builder.render.keys import (
    PAGE_KINDS,
    HistoryKeys,
    Ref,
    fingerprint,
    key_digest,
    record_key,
    view_key,
)
from builder.render.markdown import BodyRenderer
from builder.render.svg import flow_charts
from builder.render.tree import KeptPages
from builder.views import activity, boards, dashboard, directory, funnels, paging, people, records
from builder.views.admin import AdminSettings
from builder.views.common import SECTIONS, Fmt, Link, card_inputs, kept_value
from builder.views.derived import Derived
from builder.views.paging import Limits
from builder.views.paths import (
    archive_url,
    board_url,
    funnel_url,
    page_file,
    paged_url,
    problem_anchor,
    problem_url,
    problems_url,
    stage_urls,
    unassigned_url,
    url,
)

THEME_DIR = Path(__file__).resolve().parent.parent.parent / "theme"
#: serve keeps at most this many record bodies' HTML, then starts afresh
BODIES = 50_000


def theme_dir() -> Path:
    """The packaged theme: the repository's `theme/` (installed as `plaindesk_theme`)."""
    if (THEME_DIR / "plaindesk").is_dir():
        return THEME_DIR
    import plaindesk_theme  # type: ignore[import-not-found]  # theme/, as installed

    return Path(plaindesk_theme.__path__[0])


#: Front matter of the view pages (dashboard, directories, people, indexes): search finds
#: records, not the lists of them, so views stay out of the search index (which also
#: spares the engine's search plugin from parsing every card again).
VIEW: dict[str, Any] = {"hide": ["toc"], "search": {"exclude": True}}
WIDE_VIEW: dict[str, Any] = {"hide": ["toc", "navigation"], "search": {"exclude": True}}


@dataclass
class SiteOptions:
    """What rendering needs from outside the workspace."""

    edit_base: str = ""  # repo_url + edit_uri, to which a record's repo path is appended
    content_prefix: str = "content"  # the workspace folder's path inside the repository
    template_dirs: list[Path] = field(default_factory=list)  # user overrides first
    history: Any = None  # builder.history result, when available
    history_key: str = ""  # changes whenever the history does (e.g. the HEAD commit)
    templates_key: str = ""  # changes whenever a page template does (see templates_key)
    site_url: str = ""  # the published site's root, for absolute links in the Atom feed
    content_root: str = ""  # the workspace folder as record paths start (set by render_pages)
    admin: AdminSettings | None = None  # where the admin page's CMS writes; None: no admin
    audience: str = ""  # the audience whose site this is (`builder.model.audience`), if any
    hidden_problems: int = 0  # problems an audience's site leaves out (they quote values)
    money: bool = True  # False on an audience's site that hides money: no profitability
    # how many items a page of a paged list holds (the module's, read when made: a test
    # sets `builder.views.paging.LIMITS` to page a small workspace as a large one is)
    limits: Limits = field(default_factory=lambda: paging.LIMITS)
    #: `plaindesk build`'s cache folder (`.plaindesk-cache`): compiled page templates and
    #: calendar events kept between builds; None: nothing kept on disk
    cache_dir: Path | None = None
    #: the serve loop's per-record rendering state (`builder.render.kept`); None: a build
    kept: RenderKept | None = None
    #: Plaindesk's own code (`builder.site.state.code_stamp`): what is kept in `cache_dir`
    #: and depends on the code (task cards' HTML) is used only by the same code
    code_key: str = ""


@dataclass
class Page:
    """One page to render. `context` may be a function, so that a page whose `key` (a
    fingerprint of everything it shows) is unchanged need not compute its view at all."""

    path: str
    title: str
    template: str
    context: dict[str, Any] | Callable[[], dict[str, Any]]
    meta: dict[str, Any] = field(default_factory=dict)
    key: str | tuple[str, ...] = ""


_T = TypeVar("_T")

#: path -> (key, text) of pages rendered before; the serve loop keeps one across rebuilds.
Memo = dict[str, tuple[str | tuple[str, ...], str]]
#: (board, lane, its columns, root, show_project, salt) -> (what it showed, its HTML).
LaneMemo = dict[tuple[str, ...], tuple[tuple[Any, ...], str]]


def _root(path: str) -> str:
    """Relative prefix from a page's directory URL back to the site root."""
    parts = path[:-3].split("/")
    depth = len(parts) - 1 if parts[-1] == "index" else len(parts)
    return "../" * depth


def make_env(options: SiteOptions) -> Environment:
    """The Jinja environment for the page templates, kept per template folders so the serve
    loop does not compile them again on every rebuild (Jinja re-reads a changed file)."""
    env = _env(tuple(str(d) for d in options.template_dirs))
    if options.cache_dir is not None and env.bytecode_cache is None:
        env.bytecode_cache = disk_bytecode(options.cache_dir / "templates")
    return env


def disk_bytecode(folder: Path) -> FileSystemBytecodeCache:
    """Compiled templates kept in `folder` between processes: compiling the templates is a
    second of every build. Jinja checks each template's source digest, not its mtime."""
    folder.mkdir(parents=True, exist_ok=True)
    return FileSystemBytecodeCache(str(folder))


@cache
def _env(template_dirs: tuple[str, ...]) -> Environment:
    dirs = [*template_dirs, str(theme_dir())]
    env = Environment(
        loader=FileSystemLoader(dirs),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    return env


def templates_key(options: SiteOptions) -> str:
    """A fingerprint of the page templates (a user's overrides first, then ours): editing
    one re-renders the pages instead of reusing them. Their bytes, not their mtimes: the
    key is kept across builds (a CI checkout dates every file anew)."""
    parts = []
    for i, folder in enumerate((*options.template_dirs, theme_dir())):
        templates = folder / "plaindesk"
        if templates.is_dir():
            for entry in sorted(os.scandir(templates), key=lambda e: e.name):
                if entry.is_file():
                    with open(entry.path, "rb") as f:
                        parts.append(f"{i}:{entry.name}:{hashlib.sha1(f.read()).hexdigest()}")
    return fingerprint(*parts)


@dataclass(frozen=True)
class _Site:
    """What every page maker reads: the workspace and its derived data, the day, the
    formatter, the options and the salt of every page key."""

    ws: Workspace
    derived: Derived
    today: date
    fmt: Fmt
    options: SiteOptions
    salt: str  # every page's key holds it: the workspace.yml, day and options they show
    record_salt: str  # the salt less the workflows and pipelines (`SettingsKeys`)
    hk: HistoryKeys  # what pages show of the git history, for their keys

    def view_key(self, kinds: Iterable[str], *parts: str) -> str:
        """A view page's key from the kinds of records it reads: the workflows only if it
        reads tasks, the pipelines only if it reads deals (a column renamed leaves the
        directory and the funnels as they are)."""
        kinds = tuple(kinds)
        sk = settings_keys(self.ws.settings)
        flows = (
            sk.all_workflows if "task" in kinds else "-",
            sk.all_pipelines if "deal" in kinds else "-",
        )
        return view_key(self.derived, self.record_salt, kinds, *flows, *parts)


def iter_pages(
    ws: Workspace,
    derived: Derived,
    today: date,
    problems: list[Problem],
    options: SiteOptions,
) -> Iterator[Page | KeptPages]:
    """Every page of the internal site, in a stable order (in serve, the record pages
    kept as they were come as one `KeptPages`).

    A page with a `key` (a fingerprint of every file it shows, see `builder.render.keys`)
    computes its view lazily: in the serve loop, an edit to one task recomputes that
    task's page, its project's board, its assignee's page and the all-projects boards,
    not the funnels, directories or the other 200 boards."""
    from builder.render.calendar import calendar_pages, statement_pages
    from builder.render.reports import report_pages

    site = _site(ws, derived, today, options)
    yield _dashboard_page(site, problems)
    if options.history is not None:
        yield from _activity_pages(ws, options)
    yield from _board_pages(site)
    yield from _funnel_pages(site)
    yield from _people_pages(site)
    yield from _directory_pages(site)
    yield _projects_page(site)
    yield from report_pages(site)
    yield from statement_pages(site)
    yield from calendar_pages(site)
    yield from _record_pages(site)
    yield from _problems_pages(site, problems)


def _site(ws: Workspace, derived: Derived, today: date, options: SiteOptions) -> _Site:
    sk = settings_keys(ws.settings)
    record_salt = fingerprint(
        sk.general,
        today.isoformat(),
        options.edit_base,
        options.content_prefix,
        options.history_key,
        options.templates_key,
        repr(options.limits),
    )
    return _Site(
        ws=ws,
        derived=derived,
        today=today,
        fmt=Fmt.of(ws),
        options=options,
        # the view pages show several workflows and pipelines; a record page only what
        # `record_key` adds of them
        salt=fingerprint(record_salt, sk.flows),
        record_salt=record_salt,
        hk=HistoryKeys(options.history, derived),
    )


def site_files(
    ws: Workspace, derived: Derived, today: date, options: SiteOptions
) -> dict[str, str]:
    """Files that are not pages, written with them: timesheet CSVs, iCalendar feeds."""
    from builder.render.calendar import calendar_files
    from builder.render.reports import report_files

    site = _site(ws, derived, today, options)
    return {**report_files(site), **calendar_files(site)}


def _dashboard_page(site: _Site, problems: list[Problem]) -> Page:
    ws, options = site.ws, site.options
    title = site.fmt.t("nav.dashboard")
    holder = options.kept
    if holder is None:

        def context() -> dict[str, Any]:
            view = dashboard.dashboard(ws, site.derived, site.today, problems)
            return {"d": view, **_dashboard_history(ws, options)}

        # no key: it shows a little of everything, the problems included
        return Page("index.md", title, "dashboard.html", context, dict(VIEW))
    # serve: its parts are kept and made again from what changed (`DashboardKept`), and
    # the page is keyed by what it shows, so an edit that changes none of it renders none
    kept = holder.dashboard
    changed = holder.records.changed_since(kept.updates)
    view = dashboard.dashboard(ws, site.derived, site.today, problems, kept, changed)
    kept.updates = holder.records.updates
    values = {"d": view, **_dashboard_history(ws, options)}
    key = fingerprint(site.salt, repr(values))
    return Page("index.md", title, "dashboard.html", values, dict(VIEW), key=key)


def _projects_page(site: _Site) -> Page:
    ws, fmt = site.ws, site.fmt
    return Page(
        "projects/index.md",
        fmt.t("nav.projects"),
        "links.html",
        lambda: {
            "headers": [
                fmt.t("field.name"),
                fmt.t("field.company"),
                fmt.t("field.status"),
                fmt.t("field.due"),
                fmt.t("record.board"),
            ],
            "rows": [
                [
                    Link(p.name, url("project", p.id)),
                    Link(*_name_url(ws, "company", p.company)),
                    Link(fmt.t(f"project.{p.status}")),
                    Link(fmt.date(p.due)),
                    Link(fmt.t("record.board"), board_url(p.id)),
                ]
                for p in sorted(ws.projects.values(), key=lambda p: p.name.lower())
            ],
        },
        dict(VIEW),
        key=site.view_key(("project", "company")),
    )


def _problems_pages(site: _Site, problems: list[Problem]) -> Iterator[Page]:
    """The Problems page, paged (`paging.problem_pages`): every page sums up all of them,
    and the first holds every error. Each page's key is the whole list's: every page shows
    the summary and the pager."""
    fmt, options = site.fmt, site.options
    errors = sum(1 for p in problems if p.is_error)
    pages = paging.problem_pages(problems, errors, options.limits.problems)
    key = _problems_key(site, problems)
    records: dict[str, Link] = {}

    def context(i: int, shown: Sequence[Problem], start: int) -> dict[str, Any]:
        if not records:
            records.update(
                (
                    rec.path,
                    Link(
                        getattr(rec, "title", "") or getattr(rec, "name", "") or rec.id,
                        url(k, ident),
                    ),
                )
                for k in SECTIONS
                for ident, rec in site.ws.table(k).items()
            )
        hidden = options.hidden_problems
        return {
            "summary": _summary(problems, fmt),
            "problems": _problem_rows(shown, records, options),
            "hidden": fmt.tn("problems.hidden_n", hidden) if hidden else "",
            "pages": paging.pager(problems_url(), pages, i),
            "start": start,
            "total": len(problems),
        }

    start = 1
    for i, shown in enumerate(pages, 1):
        yield Page(
            page_file(problems_url(i)),
            fmt.t("nav.problems") + (f" ({i}/{len(pages)})" if len(pages) > 1 else ""),
            "problems.html",
            partial(context, i, shown, start),
            {"search": {"exclude": True}},
            key=key,
        )
        start += len(shown)


def _problems_key(site: _Site, problems: list[Problem]) -> str:
    """The Problems page's key: every problem as shown, and the digest of the record each
    is in (its title links to it); an edit that changes no problem leaves it as it is.
    Serve keeps it while the problems are shown as they were and no record in one of
    their files changed, came or went (`RecordKeys.changed`), instead of looking at every
    record for those in the problems' files."""
    head = (site.salt, site.options.content_root, str(site.options.hidden_problems))
    shown = [
        "\1".join((p.code, p.path, str(p.line), str(p.col), p.message, p.hint, p.field, p.source))
        for p in problems
    ]
    paths = {p.path for p in problems}
    holder = site.options.kept
    kept = holder.problems if holder is not None else None
    if holder is not None and kept is not None:
        changed = holder.records.changed_since(kept.updates)
        kept.updates = holder.records.updates
        if (
            changed is not None
            and kept.head == head
            and kept.shown == shown
            and not any(ref in kept.read or _record_in(site.ws, ref, paths) for ref in changed)
        ):
            return kept.key
    digests: dict[str, str] = {}
    read: set[tuple[str, str]] = set()
    for k in SECTIONS:
        for ident, rec in site.ws.table(k).items():
            if rec.path in paths:
                digests[rec.path] = rec.digest
                read.add((k, ident))
    key = fingerprint(
        *head,
        *(line + "\1" + digests.get(p.path, "-") for line, p in zip(shown, problems, strict=True)),
    )
    if kept is not None:
        kept.head, kept.shown, kept.read, kept.key = head, shown, read, key
    return key


def _record_in(ws: Workspace, ref: Ref, paths: set[str]) -> bool:
    """Whether the record `ref` names is in one of `paths` (False: there is none, or
    it is a workflow or a pipeline)."""
    if ref[0] not in SECTIONS:
        return False
    rec = ws.table(ref[0]).get(ref[1])
    return rec is not None and rec.path in paths


def _funnel_pages(site: _Site) -> Iterator[Page]:
    ws, fmt, options = site.ws, site.fmt, site.options
    pipelines = ws.settings.pipelines
    if not pipelines:  # an audience's site without deals
        return
    # the deal cards' idle days, the conversions (every deal's history) and their notes
    key = site.view_key(
        ("deal", "company", "contact", "person", "project"),
        site.hk.all_chips("deal"),
        site.hk.kind("deal"),
    )
    views: dict[str, funnels.FunnelView] = {}

    def view(pid: str) -> funnels.FunnelView:
        """Each funnel once: its page and the funnels index both show it."""
        if pid not in views:
            views[pid] = funnels.funnel(ws, site.derived, pipelines[pid], site.today)
        return views[pid]

    def page(pid: str) -> dict[str, Any]:
        conversions = (
            activity.conversions(options.history, ws, pid) if options.history is not None else []
        )
        # no moves to count (no repository, no commits yet): say why, not a table of zeros
        notes = (
            [fmt.t("funnel.no_moves"), *activity.history_notes(options.history.status, fmt.locale)]
            if options.history is not None and not any(c.entered for c in conversions)
            else []
        )
        if notes:
            conversions = []
        return {
            "f": funnels.capped(view(pid), options.limits.funnel_stage),
            "conversions": conversions,
            "conversion_notes": notes,
        }

    def stage(pid: str, sid: str, i: int) -> dict[str, Any]:
        return {"s": funnels.stage_pages(view(pid), sid, options.limits.stage)[i]}

    for pid in sorted(pipelines):
        yield Page(
            page_file(funnel_url(pid)),
            pipelines[pid].name,
            "funnel.html",
            partial(page, pid),
            dict(WIDE_VIEW),  # its deal board wants the page's width, as task boards do
            key=key,
        )
        # a stage with more deals than the funnel's board shows has pages of its own
        pipeline = pipelines[pid]
        urls = stage_urls(pid, (st.id for st in pipeline.stages))
        names = {st.id: st.name for st in pipeline.stages}
        counts = _kept_value(
            site,
            f"stage_counts:{pid}",
            (site.derived.table_digests["deal"],),
            partial(funnels.stage_counts, ws, pipeline),
        )
        for sid, count in counts.items():
            if count <= options.limits.funnel_stage:
                continue
            pages = -(-count // max(1, options.limits.stage))
            for i in range(pages):
                yield Page(
                    page_file(paged_url(urls[sid], i + 1)),
                    f"{pipeline.name}: {names[sid]}" + (f" ({i + 1}/{pages})" if pages > 1 else ""),
                    "stage.html",
                    partial(stage, pid, sid, i),
                    dict(VIEW),
                    key=key,
                )
    yield Page(
        "funnels/index.md",
        fmt.t("nav.funnels"),
        "links.html",
        lambda: {
            "headers": [
                fmt.t("field.pipeline"),
                fmt.t("funnel.open_deals"),
                fmt.t("funnel.open_total"),
                fmt.t("funnel.forecast"),
            ],
            "rows": [
                [
                    Link(f.title, funnel_url(f.id)),
                    Link(str(f.open_count)),
                    Link(f.open_total),
                    Link(f.forecast),
                ]
                for f in (view(pid) for pid in pipelines)
            ],
        },
        dict(VIEW),
        key=key,
    )


def _directory_pages(site: _Site) -> Iterator[Page]:
    ws, derived, today, fmt = site.ws, site.derived, site.today, site.fmt
    # the companies' list names their managers and counts contacts, open deals and
    # projects; the contacts' lists (all, by tag) show contacts and their companies only
    # (a follow-up as written, not the cadence's): a person renamed or a deal moved
    # leaves them as they are. Neither shows the git history.
    key = site.view_key(("company", "contact", "deal", "person", "project"))
    contacts_key = site.view_key(("company", "contact"))
    whole: list[directory.DirectoryView] = []

    def everyone() -> directory.DirectoryView:
        if not whole:
            whole.append(directory.directory(ws, derived, today))
        return whole[0]

    size = site.options.limits.directory
    paged: dict[str, list[directory.DirectoryView]] = {}

    def companies(i: int) -> dict[str, Any]:
        if "companies" not in paged:
            d = everyone()
            only = directory.DirectoryView(
                companies=d.companies, contacts=[], tags=d.tags, kinds=d.kinds
            )
            paged["companies"] = directory.paged(only, "companies/", size, contacts=False)
        return {"dir": paged["companies"][i], "contacts_list": False}

    def contacts(i: int) -> dict[str, Any]:
        if "contacts" not in paged:
            d = everyone()
            only = directory.DirectoryView(
                companies=[], contacts=d.contacts, tags=d.tags, kinds=d.kinds
            )
            paged["contacts"] = directory.paged(only, "contacts/", size, contacts=True)
        return {"dir": paged["contacts"][i], "contacts_list": True}

    def tagged(tag: str, first: str, i: int) -> dict[str, Any]:
        if paged.get("tag", [None])[0] is None or paged["tag"][0].tag != tag:
            whole = directory.directory(ws, derived, today, tag)
            paged["tag"] = directory.paged(whole, first, size, contacts=True)
        return {"dir": paged["tag"][i], "contacts_list": True}

    lists: list[tuple[str, str, int, Callable[[int], dict[str, Any]]]] = [
        ("companies/", fmt.t("nav.companies"), len(ws.companies), companies),
        ("contacts/", fmt.t("nav.contacts"), len(ws.contacts), contacts),
    ]
    tags = _kept_value(
        site,
        "tag_counts",
        (derived.table_digests["contact"],),
        partial(directory.tag_counts, ws, derived),
    )
    for tc in tags:
        title = f"{fmt.t('nav.contacts')}: {tc.tag}"
        lists.append((tc.url, title, tc.count, partial(tagged, tc.tag, tc.url)))
    for first, title, count, context in lists:
        pages = max(1, -(-count // max(1, size)))
        for i in range(pages):
            # a section's own list is its folder's index page (the nav names that file)
            own = i == 0 and first in ("companies/", "contacts/")
            yield Page(
                f"{first}index.md" if own else page_file(paged_url(first, i + 1)),
                title + (f" ({i + 1}/{pages})" if pages > 1 else ""),
                "directory.html",
                partial(context, i),
                dict(VIEW),
                key=key if first == "companies/" else contacts_key,
            )


def _kept_value(site: _Site, name: str, inputs: tuple[object, ...], make: Callable[[], _T]) -> _T:
    """`make()`, which reads only the records that `inputs` digest and the settings:
    serve keeps it while they, the salt and the audience are the same."""
    holder = site.options.kept
    kept = holder.values if holder is not None else None
    return kept_value(kept, name, (site.salt, site.options.audience, *inputs), make)
    value = make()
    holder.values[name] = (inputs, value)
    return value


def _dashboard_history(ws: Workspace, options: SiteOptions) -> dict[str, Any]:
    if options.history is None:
        return {}
    stuck, stuck_count = activity.stuck_cards(options.history, ws, dashboard.LIST_CAP)
    return {
        "stuck": stuck,
        "stuck_count": stuck_count,
        "recent": activity.activity(options.history, ws, limit=10),
    }


def _activity_pages(ws: Workspace, options: SiteOptions) -> Iterator[Page]:
    """The activity feed page and its Atom file (not a page: MkDocs copies it as is)."""
    assert options.history is not None
    fmt = Fmt.of(ws)
    # one page per month: the newest is the feed's own page (activity/), the others
    # activity/YYYY-MM/; each lists the months, and the filters count across them
    for i, view in enumerate(activity.activity_months(options.history, ws)):
        current = next((m for m in view.months if m.key == view.month), None)
        yield Page(
            "activity.md" if i == 0 else page_file(activity.month_url(view.month, False)),
            fmt.t("nav.activity") + (f" · {current.label}" if current and i else ""),
            "activity.html",
            {"a": view},
            dict(VIEW),
        )


def atom_feed(ws: Workspace, options: SiteOptions, site_url: str) -> str:
    """The newest feed entries as an Atom document, links absolute under `site_url`."""
    from builder.render.atom import atom
    from builder.views.common import url as record_url
    from builder.views.feed import feed_entries

    assert options.history is not None
    locale = ws.settings.locale
    entries = feed_entries(options.history, ws, locale, limit=activity.ATOM_ENTRIES)
    base = site_url.rstrip("/") + "/" if site_url else ""
    return atom(
        entries,
        title=i18n.t(locale, "history.feed.atom_title", name=ws.settings.name),
        # an Atom id must be absolute: without site_url, a stable URN stands in
        feed_url=f"{base}activity.xml"
        if base
        else f"urn:plaindesk:{slugify(ws.settings.name) or 'workspace'}:activity",
        site_url=base or "./",
        href=lambda key: f"{base}{record_url(*key)}" if key[0] in SECTIONS else None,
        locale=locale,
        today=options.history.today,
    )


def _name_url(ws: Workspace, kind: str, ident: str | None) -> tuple[str, str]:
    from builder.views.records import _ref

    return _ref(ws, kind, ident)


def _summary(problems: list[Problem], fmt: Fmt) -> str:
    errors = sum(1 for p in problems if p.is_error)
    return fmt.t(
        "problems.summary",
        errors=fmt.tn("problems.errors_n", errors),
        warnings=fmt.tn("problems.warnings_n", len(problems) - errors),
    )


def _problem_rows(
    problems: Iterable[Problem], records: dict[str, Link], options: SiteOptions
) -> list[dict[str, Any]]:
    """The Problems page's rows; the first of each file carries the anchor that a stale
    card's or page's mark links to."""
    rows, anchored = [], set()
    for p in problems:
        row = _problem_row(p, records.get(p.path), options)
        if p.path not in anchored:
            anchored.add(p.path)
            row["anchor"] = problem_anchor(p.path)
        rows.append(row)
    return rows


def _problem_row(p: Problem, record: Link | None, options: SiteOptions) -> dict[str, Any]:
    """A problem as a colleague can act on it: the record's page and the file's Edit link
    next to the place, and `code` in the message and hint shown as code."""
    return {
        "where": f"{p.path}:{p.line}:{p.col}",
        "record": record,
        "edit_url": edit_url(options, p.path, options.content_root),
        "severity": p.severity.value,
        "code": p.code,
        "message": _code_spans(p.message),
        "hint": _code_spans(p.hint),
    }


def _code_spans(text: str) -> list[tuple[str, bool]]:
    """`text` cut at its backticks: (part, is_code) pairs, so `bad date` prints as code.
    An unpaired backtick stays text."""
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an odd number of backticks: the last one is just a character
        parts[-2:] = [parts[-2] + "`" + parts[-1]]
    return [(part, i % 2 == 1) for i, part in enumerate(parts) if part]


def _board_pages(site: _Site) -> Iterator[Page]:
    ws, derived, today, fmt, options = site.ws, site.derived, site.today, site.fmt, site.options
    switch = [
        Link(fmt.t("board.lanes_project"), "boards/all/"),
        Link(fmt.t("board.lanes_person"), "boards/all-by-person/"),
    ]
    all_key = site.view_key(("task", "project", "person"), site.hk.all_chips("task"))

    def whole(lanes: boards.LaneKind, links: list[Link]) -> dict[str, Any]:
        return {"board": boards.board_summary(ws, derived, today, lanes), "links": links}

    both: tuple[tuple[boards.LaneKind, str, str], ...] = (
        ("project", "all", fmt.t("board.all")),
        ("person", "all-by-person", fmt.t("board.all_by_person")),
    )
    for lanes, ident, title in both:
        links = [Link(s.text, "" if s.url == f"boards/{ident}/" else s.url) for s in switch]
        yield Page(
            f"boards/{ident}.md",
            title,
            "board_summary.html",
            partial(whole, lanes, links),
            dict(WIDE_VIEW),
            key=all_key,
        )
    nobody = boards.unassigned_tasks(ws, derived)
    nobody_open, nobody_overdue = boards.board_stats(derived, nobody, today)
    rows = [
        [Link(fmt.t("board.all"), "boards/all/"), Link(""), Link("")],
        [Link(fmt.t("board.all_by_person"), "boards/all-by-person/"), Link(""), Link("")],
        [
            Link(fmt.t("card.unassigned"), unassigned_url()),
            Link(str(nobody_open)),
            Link(str(nobody_overdue) if nobody_overdue else ""),
        ],
    ]
    team = ws.people
    for p in sorted(ws.projects.values(), key=lambda p: p.name.lower()):
        tasks = derived.index.tasks_by_project.get(p.id, [])
        open_, overdue = boards.board_stats(derived, tasks, today)
        rows.append(
            [
                Link(p.name, board_url(p.id)),
                Link(str(open_)),
                Link(str(overdue) if overdue else ""),
            ]
        )

        def context(p: Any = p) -> dict[str, Any]:
            return {
                "board": boards.project_board(ws, derived, p.id, today, options.limits),
                "show_project": False,
                "links": [Link(fmt.t("record.project_page"), url("project", p.id))],
                "flow": flow_charts(activity.flow(options.history, ws, p.id, derived))
                if options.history is not None
                else None,
            }

        # its cards and filter name their assignees: a person renamed re-renders the
        # boards they have tasks on, not every board
        counted = boards.tally(derived, tasks, today)
        assignees = sorted({a or "" for a in counted.assignees})
        shown = fingerprint(
            site.record_salt,
            *(f"{a}:{team[a].digest if a in team else '-'}" for a in assignees),
            p.digest,
            counted.digest,
            site.hk.chips("task", counted.ids),
        )
        workflow = ws.workflow_of(p)
        # the board shows its own workflow, not every one; its archive only which of
        # its cards are done (a column renamed leaves the archive as it is)
        cards = fingerprint(shown, settings_keys(ws.settings).workflow(workflow))
        archived = fingerprint(shown, "done:" + workflow.done)
        flow = (
            site.hk.board(activity.board_task_ids(options.history, ws, derived, p.id))
            if options.history is not None
            else ""
        )
        yield Page(
            page_file(board_url(p.id)),
            p.name,
            "board.html",
            context,
            dict(WIDE_VIEW),
            key=fingerprint(cards, flow),
        )
        yield from _archive_pages(
            site, Link(p.name, board_url(p.id)), tasks, options.limits.board_done, archived
        )
    yield from _unassigned_pages(site)
    yield Page(
        "boards/index.md",
        fmt.t("nav.boards"),
        "links.html",
        {
            "headers": [fmt.t("nav.boards"), fmt.t("dashboard.open"), fmt.t("dashboard.overdue")],
            "rows": rows,
        },
        dict(VIEW),
    )


def _archive_pages(
    site: _Site, board: Link, tasks: list[Any], cap: int, key: str, left: int | None = None
) -> Iterator[Page]:
    """The archive of a board's done cards beyond the latest `cap` per column, paged; the
    pages are known without building them (their number follows from the counts, or
    `left`: how many cards it holds, when the caller kept it)."""
    limits = site.options.limits
    if left is None:
        left = boards.done_beyond_count(site.derived, tasks, cap, site.today)
    views: list[boards.ArchiveView] = []

    def context(i: int) -> dict[str, Any]:
        if not views:
            views.extend(
                boards.archive_pages(site.ws, site.derived, board, tasks, cap, site.today, limits)
            )
        return {"a": views[i]}

    pages = -(-left // max(1, limits.archive))
    for i in range(pages):
        yield Page(
            page_file(archive_url(board.url, i + 1)),
            f"{board.text}: {site.fmt.t('board.archive')}"
            + (f" ({i + 1}/{pages})" if pages > 1 else ""),
            "archive.html",
            partial(context, i),
            dict(VIEW),
            key=fingerprint(key, str(i)),
        )


def _unassigned_pages(site: _Site) -> Iterator[Page]:
    """The board of the tasks nobody is assigned to, and its archive."""
    ws, derived, fmt = site.ws, site.derived, site.fmt
    tasks = boards.unassigned_tasks(ws, derived)
    counted = boards.tally(derived, tasks, site.today)
    key = fingerprint(
        site.salt,
        derived.table_digests["person"],
        derived.table_digests["project"],
        counted.digest,
        site.hk.chips("task", counted.ids),
    )
    title = fmt.t("card.unassigned")
    if boards.unassigned_is_summary(ws, derived, site.today, site.options.limits):
        # its cards are on their projects' boards (and archives), which its rows open
        yield Page(
            page_file(unassigned_url()),
            title,
            "board_summary.html",
            lambda: {
                "board": boards.unassigned_summary(ws, derived, site.today),
                "links": [],
                "note": fmt.t("board.unassigned_note"),
            },
            dict(WIDE_VIEW),
            key=key,
        )
        return
    yield Page(
        page_file(unassigned_url()),
        title,
        "board.html",
        lambda: {
            "board": boards.unassigned_board(ws, derived, site.today),
            "show_project": True,
            "links": [],
            "flow": None,
        },
        dict(WIDE_VIEW),
        key=key,
    )
    yield from _archive_pages(site, Link(title, unassigned_url()), tasks, boards.DONE_CAP, key)


def _person_settings(site: _Site, tasks: list[Any], deals: list[Any]) -> str:
    """What a person's page (or archive) shows of workspace.yml besides `general`: the
    workflows of its tasks (a board section each, every column) and the pipelines of its
    deals (which are open, a won deal's project warning), not every one."""
    sk = settings_keys(site.ws.settings)
    workflow, pipeline_of = site.derived.workflow, site.ws.pipeline_of
    flows = sorted({sk.workflow(workflow(t)) for t in tasks})
    pipes = sorted({sk.pipeline(pipeline_of(d)) for d in deals})
    return repr((flows, pipes, bool(site.ws.settings.pipelines)))


def _person_parts(
    site: _Site, p: Any, tasks: list[Any], deals: list[Any], shared: list[str]
) -> PersonKept:
    """A person's page key, archive key and row of the people list."""
    derived, today, hk = site.derived, site.today, site.hk
    open_, overdue = boards.board_stats(derived, tasks, today)
    load, capacity = people.person_load(site.ws, derived, p.id, today)
    task_chips = hk.chips("task", [t.id for t in tasks])
    return PersonKept(
        person=p,
        tasks=list(tasks),
        deals=list(deals),
        # their tasks' workflows (the projects' digest and the workflows are in the
        # context) and statuses (the very tasks) decide it
        archived=boards.done_beyond_count(derived, tasks, boards.DONE_CAP, today),
        page_key=fingerprint(
            site.record_salt,
            _person_settings(site, tasks, deals),
            p.digest,
            *shared,
            *(x.digest for x in (*tasks, *deals)),
            task_chips,
            hk.chips("deal", [d.id for d in deals]),
        ),
        archive_key=fingerprint(
            site.record_salt,
            _person_settings(site, tasks, []),
            p.digest,
            *shared,
            *(x.digest for x in tasks),
            task_chips,
        ),
        row=[
            Link(p.name, url("person", p.id)),
            Link(p.role),
            Link(str(open_)),
            Link(str(overdue)),
            Link(f"{load} / {capacity}" if capacity else load),
        ],
    )


def _people_pages(site: _Site) -> Iterator[Page]:
    ws, derived, today = site.ws, site.derived, site.today
    ix = derived.index
    # a person's page shows their own record, their tasks and deals (with their projects',
    # companies' and contacts' names) and the contacts they follow up: not the other
    # people (every card and deal on it is theirs), so a person renamed renders their own
    # page and archive, not everyone's
    shared = [derived.table_digests[k] for k in ("project", "company", "contact")]
    # and of the history: the follow-ups (every contact's last change in git)
    shared.append(site.hk.all_chips("contact"))
    # serve keeps each person's keys and row while their record, tasks and deals are the
    # very same objects under the same settings, day, tables and chips
    kept = site.options.kept.people if site.options.kept is not None else None
    if kept is not None:
        context = (site.salt, today, *shared, derived.stuck, derived.idle)
        if kept.context != context:
            kept.context, kept.people = context, {}
    rows = []

    def page(p: Any) -> dict[str, Any]:
        return {
            "p": people.person_view(ws, derived, p.id, today),
            "facts": records.person_record_facts(ws, p),
            "body_md": p.body,
            "record_path": p.path,
        }

    for p in sorted(ws.people.values(), key=lambda p: (not p.active, p.name.lower())):
        tasks = ix.tasks_by_assignee.get(p.id, [])
        deals = ix.deals_by_owner.get(p.id, [])
        made = kept.people.get(p.id) if kept is not None else None
        if made is None or made.person is not p or made.tasks != tasks or made.deals != deals:
            made = _person_parts(site, p, tasks, deals, shared)
            if kept is not None:
                kept.people[p.id] = made
        rows.append(made.row)
        yield Page(
            page_file(url("person", p.id)),
            p.name,
            "person.html",
            partial(page, p),
            # a person is found by name: in the index with the profile text (see the
            # plugin's search_slice), the rest of the page being a board
            {"hide": ["toc", "navigation"]},
            key=made.page_key,
        )
        yield from _archive_pages(
            site,
            Link(p.name, url("person", p.id)),
            tasks,
            boards.DONE_CAP,
            made.archive_key,
            made.archived,
        )
    fmt = site.fmt
    yield Page(
        "people/index.md",
        fmt.t("nav.people"),
        "links.html",
        {
            "headers": [
                fmt.t("field.name"),
                fmt.t("field.role"),
                fmt.t("dashboard.open"),
                fmt.t("dashboard.overdue"),
                fmt.t("person.load"),
            ],
            "rows": rows,
        },
        dict(VIEW),
        # its rows are all it shows besides the words (in the salt)
        key=fingerprint(site.salt, repr(rows)),
    )


def _record_pages(site: _Site) -> Iterator[Page | KeptPages]:
    ws, derived, today, options = site.ws, site.derived, site.today, site.options
    builders: dict[str, tuple[dict[str, Any], Callable[..., records.RecordPage]]] = {
        "project": (ws.projects, records.project_page),
        "company": (ws.companies, records.company_page),
        "contact": (ws.contacts, records.contact_page),
        "deal": (ws.deals, records.deal_page),
        "task": (ws.tasks, records.task_page),
    }
    kept = _kept_record_keys(site)
    if kept is None:
        refs = [(kind, ident) for kind, (table, _) in builders.items() for ident in sorted(table)]
    else:
        refs, unchanged = _kept_record_pages(site, kept)
        if unchanged.texts:
            yield unchanged
    for kind, ident in refs:
        table, build = builders[kind]
        rec = table[ident]

        def context(rec: Any = rec, build: Callable[..., Any] = build) -> dict[str, Any]:
            r = build(ws, derived, rec, today)
            timeline = None
            if options.history is not None and r.kind in ("task", "deal"):
                timeline = activity.card_history(options.history, ws, r.kind, r.id)
            # its file has errors now: this is its last good version (serve)
            stale = ws.stale.get((r.kind, r.id))
            return {
                "r": r,
                "body_md": r.body,
                "summary_md": r.client_summary,
                "record_path": r.path,
                "timeline": timeline,
                "stale": problem_url(stale) if stale else "",
            }

        yield Page(
            page_file(url(kind, ident)),
            getattr(rec, "title", "") or rec.name,
            "record.html",
            context,
            key=kept[(kind, ident)]
            if kept is not None
            else record_key(ws, derived, kind, rec, site.record_salt, site.hk),
        )


def _kept_record_pages(
    site: _Site, keys: dict[Ref, tuple[str, ...]]
) -> tuple[list[Ref], KeptPages]:
    """Serve: the record pages to go through one by one (their keys were computed again,
    or the memo lacks them), in the site's order, and those the memo holds under their
    very key, as one `KeptPages` (13,500 pages that would each be a `Page` looked up in
    the memo and passed to the tree writer).

    After a rebuild that kept its record keys (`RecordKeys.full` false), only the pages
    whose key was computed again or went and those that went one by one last time are
    looked at (`RecordPagesKept`): the others' keys are the very objects they were, and
    the memo holds them as it did (it changes where a page is rendered, and is emptied,
    with `RecordPagesKept`, when the tree goes)."""
    holder = site.options.kept
    assert holder is not None
    memo, records, kept = holder.memo, holder.records, holder.record_pages
    paths, computed = holder.paths, records.computed
    changed = records.changed_since(kept.updates)
    refs: list[Ref] = []
    if (
        changed is None
        or records.full
        or memo is None
        or kept.keys is not keys
        or kept.memo is not memo
    ):
        texts = kept.texts = {}
        for ref, key in keys.items():
            path = paths.get(ref)
            if path is None:
                path = paths[ref] = page_file(url(*ref))
            if memo is not None and ref not in computed:
                hit = memo.get(path)
                if hit is not None and hit[0] is key:
                    texts[path] = hit[1]
                    continue
            refs.append(ref)
    else:
        texts = kept.texts
        again = {*kept.one_by_one, *computed}
        again.update(ref for ref in changed if ref[0] in PAGE_KINDS)  # those gone
        for ref in again:
            path = paths.get(ref)
            if path is None:
                path = paths[ref] = page_file(url(*ref))
            now = keys.get(ref)
            if now is None:  # its record went
                texts.pop(path, None)
                continue
            if ref not in computed:
                hit = memo.get(path)
                if hit is not None and hit[0] is now:
                    texts[path] = hit[1]
                    continue
            texts.pop(path, None)
            refs.append(ref)
    order = {kind: i for i, kind in enumerate(PAGE_KINDS)}
    refs.sort(key=lambda ref: (order[ref[0]], ref[1]))
    kept.updates, kept.keys, kept.memo, kept.one_by_one = records.updates, keys, memo, refs
    return refs, KeptPages(texts)


def prime_record_keys(
    ws: Workspace, derived: Derived, today: date, options: SiteOptions, content_root: str
) -> None:
    """Serve: compute the record pages' keys now (`keys.RecordKeys`), before the boards'
    cards are taken from the last rebuild (`views.common.reuse_cards` reads which keys an
    edit computed again); the record pages then take them as they are."""
    options.templates_key = templates_key(options)
    options.content_root = content_root
    _kept_record_keys(_site(ws, derived, today, options))


def _kept_record_keys(site: _Site) -> dict[Ref, tuple[str, ...]] | None:
    """Serve's record page keys, computed again only where an edit can change them
    (`keys.RecordKeys`); None in a build, which computes each once."""
    options = site.options
    if options.kept is None:
        return None
    history = options.history
    status = history.status if history is not None else None
    settings = site.ws.settings
    context = (
        site.record_salt,
        # which workflow or pipeline a record has (its own, else the default: in the salt);
        # what pages show of each is read as records are (`keys.SETTINGS_KINDS`)
        tuple(settings.workflows),
        tuple(settings.pipelines),
        options.audience,
        site.hk.status,
        status.uncommitted if status is not None else (),
        # the history's own digests live as long as its commits do (`History.kept`);
        # without any record's history they are all the same (and `kept` is new each time)
        history.kept.setdefault("record_keys", object())
        if history is not None and history.records
        else None,
    )
    return options.kept.records.update(site.ws, site.derived, site.record_salt, site.hk, context)


def edit_url(options: SiteOptions, record_path: str, content_root: str) -> str:
    """Link to the record's file on the git host, or "" when the site has no repo_url.

    The file's path is URL-encoded segment by segment: a folder named `Q&A #1 ?x` would
    otherwise end the path at `#` or `?` (the template escapes the result for HTML)."""
    if not options.edit_base or not record_path:
        return ""
    rel = os.path.relpath(record_path, content_root).replace(os.sep, "/")
    prefix = options.content_prefix.replace(os.sep, "/").strip("/")
    path = f"{prefix}/{rel}" if prefix else rel
    # surrogateescape: a file name that is not UTF-8 keeps its own bytes
    return f"{options.edit_base.rstrip('/')}/{quote(path, safe='/', errors='surrogateescape')}"


class _Renderer:
    """Renders pages with the page templates. A task card stands on up to four boards and
    is rendered once; with a `memo` (the serve loop's) a page, a card or (`lanes`) a
    board's swimlane is taken from an earlier build while what it shows is unchanged."""

    def __init__(
        self,
        ws: Workspace,
        derived: Derived,
        today: date,
        options: SiteOptions,
        memo: Memo | None,
        lanes: LaneMemo | None,
    ) -> None:
        self.ws, self.derived, self.today = ws, derived, today
        self.memo, self.lanes = memo, lanes
        self.env = make_env(options)
        self.store = None
        if memo is None and options.cache_dir is not None and options.code_key:
            from builder.render.cardstore import CardStore

            self.store = CardStore(options.cache_dir, options.code_key)
        locale = ws.settings.locale
        self.strings = i18n.strings(locale)
        self.tn = partial(i18n.tn, locale)  # templates pick a counted string's form
        self.body = BodyRenderer(
            ws.settings.allow_raw_html, i18n.t(locale, "record.checklist_item")
        )
        kept = options.kept
        if kept is not None:
            # serve: a body renders as it did at the last rebuild (a person renamed
            # re-renders hundreds of task pages whose bodies did not change)
            made_as = (self.body.allow_raw_html, self.body.checkbox_label)
            if kept.bodies is None or kept.bodies[0] != made_as or len(kept.bodies[1]) > BODIES:
                kept.bodies = (made_as, {})
            self.body.cache = kept.bodies[1]
        self.templates: dict[str, Any] = {}
        self.card_template = self.env.get_template("plaindesk/card.html")
        self.lane_template = self.env.get_template("plaindesk/lane.html")
        self.row_template = self.env.get_template("plaindesk/summary_row.html")
        self.cards: dict[tuple[str, str, bool], Markup] = {}
        # a card shows none of the workflows' names (`card_inputs` says whether it is
        # done); a lane's column names are compared with what it showed
        self.salt = fingerprint(
            settings_keys(ws.settings).general,
            today.isoformat(),
            options.history_key,
            options.templates_key,
        )
        self.board = ""  # the page being rendered: swimlanes are kept per board
        self.lanes_used: set[tuple[str, ...]] = set()
        self.rendered: set[str] = set()  # pages rendered (not taken from the memo)

    def card_html(self, c: Any, root: str, show_project: bool) -> Markup:
        """A task card: rendered once per build, and in the serve loop kept until one of
        the files it shows changes."""
        key = (c.id, root, bool(show_project))
        html = self.cards.get(key)
        if html is None:
            html = self.cards[key] = (
                self._render_card(c, root, show_project)
                if self.memo is None and self.store is None
                else self._memo_card(c, root, show_project)
            )
        return html

    def _render_card(self, c: Any, root: str, show_project: bool) -> Markup:
        return Markup(
            self.card_template.render(c=c, root=root, L=self.strings, show_project=show_project)
        )

    def _memo_card(self, c: Any, root: str, show_project: bool) -> Markup:
        """A card from the serve loop's memo, or (`plaindesk build`) the last build's
        cards (`cardstore`), while what it shows is unchanged."""
        memo_key = f"card:{c.id}:{root}:{bool(show_project)}"
        task = self.ws.tasks.get(c.id)
        inputs = card_inputs(self.ws, self.derived, task, self.today) if task else ()
        print_key = fingerprint(self.salt, *inputs)
        if self.memo is None:
            assert self.store is not None
            kept = self.store.get(memo_key, print_key)
            if kept is not None:
                return Markup(kept)
            html = self._render_card(c, root, show_project)
            self.store.put(memo_key, print_key, str(html))
            return html
        hit = self.memo.get(memo_key)
        if hit is not None and hit[0] == print_key:
            return Markup(hit[1])
        html = self._render_card(c, root, show_project)
        self.memo[memo_key] = (print_key, str(html))
        return html

    def lane_html(self, lane: Any, root: str, show_project: bool) -> Markup:
        """A board's swimlane. What it shows is compared by value (column counts and
        limits, and the card views, which the serve loop keeps while unchanged)."""
        if self.lanes is None:
            return Markup(self._render_lane(lane, root, show_project))
        # the columns compare by value; unchanged, they are the very list kept by the view
        shown = (lane.title, lane.url, lane.count, lane.columns)
        # a lane id repeats in each workflow's section of a board: its columns tell them
        key = (
            self.board,
            lane.id,
            *(c.id for c in lane.columns),
            root,
            str(bool(show_project)),
            self.salt,
        )
        self.lanes_used.add(key)
        hit = self.lanes.get(key)
        if hit is not None and hit[0] == shown:
            return Markup(hit[1])
        html = self._render_lane(lane, root, show_project)
        self.lanes[key] = (shown, html)
        return Markup(html)

    def row_html(self, row: Any, headers: list[Any], root: str) -> Markup:
        """A board summary's row (`boards.LaneRow`) under its section's column headers; in
        the serve loop kept (with the swimlanes) while it shows the same values."""
        if self.lanes is None:
            return Markup(self._render_row(row, headers, root))
        shown = (
            row.title,
            row.url,
            row.query,
            row.search,
            row.total,
            row.overdue,
            tuple(row.counts),
            tuple(row.assignees),
            tuple(row.tags),
            tuple(row.priorities),
        )
        key = (self.board, "row", row.id, *(h.name for h in headers), root, self.salt)
        self.lanes_used.add(key)
        hit = self.lanes.get(key)
        if hit is not None and hit[0] == shown:
            return Markup(hit[1])
        html = self._render_row(row, headers, root)
        self.lanes[key] = (shown, html)
        return Markup(html)

    def _render_row(self, row: Any, headers: list[Any], root: str) -> str:
        return self.row_template.render(lane=row, headers=headers, root=root, L=self.strings)

    def _render_lane(self, lane: Any, root: str, show_project: bool) -> str:
        return self.lane_template.render(
            lane=lane,
            root=root,
            L=self.strings,
            tn=self.tn,
            show_project=show_project,
            card_html=self.card_html,
        )

    def from_memo(self, page: Page) -> str | None:
        """The page as an earlier build rendered it, when its key is unchanged."""
        if self.memo is None or not page.key:
            return None
        hit = self.memo.get(page.path)
        if hit is None or hit[0] != page.key:
            return None
        if hit[0] is not page.key:
            # the same key made again (a record page's, after a new context): kept as
            # this one, the record pages find it by identity next time (`RecordPagesKept`)
            self.memo[page.path] = (page.key, hit[1])
        return hit[1]

    def render(self, page: Page, options: SiteOptions, content_root: str) -> str:
        """The page's file: front matter, then the template's HTML."""
        self.rendered.add(page.path)
        template = self.templates.get(page.template)
        if template is None:
            template = self.templates[page.template] = self.env.get_template(
                f"plaindesk/{page.template}"
            )
        context = dict(page.context() if callable(page.context) else page.context)
        context["root"] = _root(page.path)
        context["L"] = self.strings
        context["tn"] = self.tn
        context["card_html"] = self.card_html
        context["lane_html"] = self.lane_html
        context["row_html"] = self.row_html
        if "body_md" in context:
            # nh3-cleaned; templates mark it safe
            context["body"] = self.body(context.pop("body_md"))
            summary = context.pop("summary_md", "")
            context["client_summary"] = self.body(summary) if summary else ""
            context["edit_url"] = edit_url(options, context.pop("record_path"), content_root)
        html = template.render(context)
        # Engine templates print a page's title raw (<title>, h1, header, search results),
        # so a title is HTML here: user text in it is escaped once, at the source.
        meta = {"title": str(escape(page.title)), **page.meta}
        # JSON is YAML: the front matter as one JSON line is valid for any engine, and
        # twenty times cheaper to write than yaml.safe_dump.
        front = json.dumps(meta, ensure_ascii=False)
        text = f"---\n{front}\n---\n\n{html}\n"
        if self.memo is not None and page.key:
            self.memo[page.path] = (page.key, text)
        return text

    def drop_unused_lanes(self) -> None:
        """Forget the swimlanes of boards that were rendered without them."""
        if self.lanes is not None:
            for gone in [
                k for k in self.lanes if k[0] in self.rendered and k not in self.lanes_used
            ]:
                del self.lanes[gone]


def render_pages(
    ws: Workspace,
    derived: Derived,
    today: date,
    problems: list[Problem],
    options: SiteOptions,
    content_root: str,
    memo: Memo | None = None,
    reused: set[str] | None = None,
    lanes: LaneMemo | None = None,
    prior: Prior | None = None,
) -> dict[str, str]:
    """{docs-relative path: Markdown page text} for the whole site (`iter_rendered`'s
    pages, held together: a caller that writes them as they come should iterate instead).
    """
    pages: dict[str, str] = {}
    for item in iter_rendered(
        ws, derived, today, problems, options, content_root, memo, reused, lanes, prior
    ):
        if isinstance(item, KeptPages):
            pages.update(item.texts)
        else:
            pages[item[0]] = item[1]
    return pages


def iter_rendered(
    ws: Workspace,
    derived: Derived,
    today: date,
    problems: list[Problem],
    options: SiteOptions,
    content_root: str,
    memo: Memo | None = None,
    reused: set[str] | None = None,
    lanes: LaneMemo | None = None,
    prior: Prior | None = None,
) -> Iterator[tuple[str, str] | KeptPages]:
    """(docs-relative path, Markdown page text) of every page of the site, one at a time:
    a large site's pages together weigh hundreds of megabytes, so a build writes each as
    it comes and keeps none.

    With a `memo`, a page whose key is unchanged since the last call is taken from it
    instead of being computed and rendered again (the serve loop's incremental rebuild);
    so is a task card. The paths of pages taken from the memo are added to `reused`.
    `lanes` keeps board swimlanes the same way: an edit re-renders the all-projects
    boards, but of their 200 lanes only the one (or two) holding the edited card.

    With a `prior` (`plaindesk build`'s, from the last build's state), a page whose key
    digest is the one it had is not rendered either: its text is in the page tree already,
    so it comes as "" here and goes to `reused`; `prior.keys` receives every page's key
    digest for the next build.
    """
    options.templates_key = templates_key(options)
    options.content_root = content_root
    renderer = _Renderer(ws, derived, today, options, memo, lanes)
    for page in iter_pages(ws, derived, today, problems, options):
        if isinstance(page, KeptPages):  # serve: record pages kept under their keys
            if reused is not None:
                reused.update(page.texts)
            yield page
            continue
        renderer.board = page.path
        kept = renderer.from_memo(page)
        if kept is None and prior is not None:
            kept = prior.take(page)
            if kept is not None and memo is not None and page.key:
                # serve from the last build's state: the text is in the tree; "" is
                # enough for the memo (`write_tree` skips a page kept in the tree)
                memo[page.path] = (page.key, kept)
        if kept is not None:
            if reused is not None:
                reused.add(page.path)
            yield page.path, kept
        else:
            yield page.path, renderer.render(page, options, content_root)
    renderer.drop_unused_lanes()
    if renderer.store is not None:
        renderer.store.save(ws.tasks.keys())


@dataclass
class Prior:
    """The key digests of the pages the page tree holds, as the last build left them
    (`plaindesk build`'s state), and those of this build's pages."""

    before: dict[str, str]
    keys: dict[str, str] = field(default_factory=dict)

    def take(self, page: Page) -> str | None:
        """ "" (the text is in the tree) when the page's key is the one it had, else None."""
        if not page.key:
            return None
        digest = self.keys[page.path] = key_digest(page.key)
        return "" if self.before.get(page.path) == digest else None


#: The admin page (see `builder.render.admin`): a static page, outside the engine's theme.
ADMIN_PAGE = "admin/index.html"


def nav(
    ws: Workspace, activity_page: bool = False, admin: bool = False, money: bool = True
) -> list[dict[str, Any]]:
    """The small, bounded nav: sections and views, never one entry per record (`money`:
    whether the profitability report is there)."""
    fmt = Fmt.of(ws)
    entries: list[dict[str, Any]] = [
        {fmt.t("nav.dashboard"): "index.md"},
        {
            fmt.t("nav.boards"): [
                {fmt.t("nav.boards_index"): "boards/index.md"},
                {fmt.t("board.all"): "boards/all.md"},
                {fmt.t("board.all_by_person"): "boards/all-by-person.md"},
            ]
        },
        *(
            [
                {
                    fmt.t("nav.funnels"): [
                        {p.name: page_file(funnel_url(p.id))}
                        for p in ws.settings.pipelines.values()
                    ]
                }
            ]
            if ws.settings.pipelines
            else []
        ),
        {fmt.t("nav.people"): "people/index.md"},
        {fmt.t("nav.companies"): "companies/index.md"},
        {fmt.t("nav.contacts"): "contacts/index.md"},
        {fmt.t("nav.projects"): "projects/index.md"},
        {
            fmt.t("nav.reports"): [
                *([{fmt.t("reports.profitability"): "reports/index.md"}] if money else []),
                {fmt.t("reports.timesheets"): "reports/timesheets/index.md"},
                {fmt.t("reports.estimates"): "reports/estimates.md"},
                {fmt.t("reports.load"): "reports/load.md"},
                {fmt.t("reports.statements"): "reports/statements/index.md"},
            ]
        },
        {fmt.t("nav.calendar"): "calendar/index.md"},
        *([{fmt.t("nav.activity"): "activity.md"}] if activity_page else []),
        {fmt.t("nav.problems"): "problems.md"},
        {fmt.t("nav.help"): "help.md"},
        *([{fmt.t("nav.admin"): ADMIN_PAGE}] if admin else []),
    ]
    return _escape_titles(entries)


def _escape_titles(entries: list[Any]) -> list[dict[str, Any]]:
    """Nav titles are printed raw by the engine's templates: escape them (pipeline names
    come from workspace.yml)."""
    return [
        {
            str(escape(title)): _escape_titles(target) if isinstance(target, list) else target
            for title, target in entry.items()
        }
        for entry in entries
    ]
