"""Assemble every generated page: which view goes to which path, rendered by which template.

`render_pages` returns {docs-relative path: file text}; `tree.write_tree` writes only the files
whose bytes changed (so `mkdocs build --dirty` and the serve loop skip the rest)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache, partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from slugify import slugify

from builder import i18n
from builder.model import Workspace
from builder.problems import Problem
from builder.render.keys import fingerprint, record_key, table_digest, view_key
from builder.render.markdown import BodyRenderer
from builder.render.svg import flow_charts
from builder.views import activity, boards, dashboard, directory, funnels, people, records
from builder.views.common import SECTIONS, Fmt, Link, card_inputs, index
from builder.views.paths import board_url, funnel_url, page_file, url

THEME_DIR = Path(__file__).resolve().parent.parent.parent / "theme"


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
    return _env(tuple(str(d) for d in options.template_dirs))


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
    one while `serve` runs re-renders the pages instead of reusing them."""
    stamps = []
    for folder in (*options.template_dirs, theme_dir()):
        templates = folder / "plaindesk"
        if templates.is_dir():
            for entry in sorted(os.scandir(templates), key=lambda e: e.name):
                st = entry.stat()
                stamps.append(f"{entry.path}:{st.st_mtime_ns}:{st.st_size}")
    return fingerprint(*stamps)


def iter_pages(
    ws: Workspace, today: date, problems: list[Problem], options: SiteOptions
) -> Iterator[Page]:
    """Every page of the internal site, in a stable order.

    A page with a `key` (a fingerprint of every file it shows, see `builder.render.keys`)
    computes its view lazily: in the serve loop, an edit to one task recomputes that
    task's page, its project's board, its assignee's page and the all-projects boards,
    not the funnels, directories or the other 200 boards."""
    fmt = Fmt.of(ws)
    t = fmt.t
    salt = fingerprint(
        ws.settings.digest,
        today.isoformat(),
        options.edit_base,
        options.content_prefix,
        options.history_key,
        options.templates_key,
    )
    yield Page(  # no key: it shows a little of everything, the problems included
        "index.md",
        t("nav.dashboard"),
        "dashboard.html",
        lambda: {"d": dashboard.dashboard(ws, today, problems), **_dashboard_history(ws, options)},
        dict(VIEW),
    )
    if options.history is not None:
        yield from _activity_pages(ws, options)
    yield from _board_pages(ws, today, fmt, options, salt)
    yield from _funnel_pages(ws, today, fmt, options, salt)
    yield from _people_pages(ws, today, fmt, salt)
    yield from _directory_pages(ws, today, fmt, salt)
    yield Page(
        "projects/index.md",
        t("nav.projects"),
        "links.html",
        lambda: {
            "headers": [
                t("field.name"),
                t("field.company"),
                t("field.status"),
                t("field.due"),
                t("record.board"),
            ],
            "rows": [
                [
                    Link(p.name, url("project", p.id)),
                    Link(*_name_url(ws, "company", p.company)),
                    Link(t(f"project.{p.status}")),
                    Link(fmt.date(p.due)),
                    Link(t("record.board"), board_url(p.id)),
                ]
                for p in sorted(ws.projects.values(), key=lambda p: p.name.lower())
            ],
        },
        dict(VIEW),
        key=view_key(ws, salt, ("project", "company")),
    )
    yield from _record_pages(ws, today, options, salt)
    yield Page(
        "problems.md",
        t("nav.problems"),
        "problems.html",
        {
            "summary": _summary(problems, fmt),
            "problems": [_problem_row(p) for p in problems],
        },
        {"search": {"exclude": True}},
    )


def _funnel_pages(
    ws: Workspace, today: date, fmt: Fmt, options: SiteOptions, salt: str
) -> Iterator[Page]:
    t = fmt.t
    pipelines = ws.settings.pipelines
    key = view_key(ws, salt, ("deal", "company", "contact", "person"))
    views: dict[str, funnels.FunnelView] = {}

    def view(pid: str) -> funnels.FunnelView:
        """Each funnel once: its page and the funnels index both show it."""
        if pid not in views:
            views[pid] = funnels.funnel(ws, pipelines[pid], today)
        return views[pid]

    def page(pid: str) -> dict[str, Any]:
        conversions = (
            activity.conversions(options.history, ws, pid) if options.history is not None else []
        )
        return {"f": view(pid), "conversions": conversions}

    for pid in sorted(pipelines):
        yield Page(
            page_file(funnel_url(pid)),
            pipelines[pid].name,
            "funnel.html",
            partial(page, pid),
            dict(VIEW),
            key=key,
        )
    yield Page(
        "funnels/index.md",
        t("nav.funnels"),
        "links.html",
        lambda: {
            "headers": [
                t("field.pipeline"),
                t("funnel.open_deals"),
                t("funnel.open_total"),
                t("funnel.forecast"),
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


def _directory_pages(ws: Workspace, today: date, fmt: Fmt, salt: str) -> Iterator[Page]:
    t = fmt.t
    key = view_key(ws, salt, ("company", "contact", "deal", "person", "project"))
    whole: list[directory.DirectoryView] = []

    def everyone() -> directory.DirectoryView:
        if not whole:
            whole.append(directory.directory(ws, today))
        return whole[0]

    def contacts_only() -> directory.DirectoryView:
        d = everyone()
        return directory.DirectoryView([], d.contacts, d.tags, d.kinds)

    yield Page(
        "companies/index.md",
        t("nav.companies"),
        "directory.html",
        lambda: {"dir": everyone(), "contacts_list": False},
        dict(VIEW),
        key=key,
    )
    yield Page(
        "contacts/index.md",
        t("nav.contacts"),
        "directory.html",
        lambda: {"dir": contacts_only(), "contacts_list": True},
        dict(VIEW),
        key=key,
    )

    def tagged(tag: str) -> dict[str, Any]:
        return {"dir": directory.directory(ws, today, tag), "contacts_list": True}

    for tc in directory.tag_counts(ws):
        yield Page(
            page_file(tc.url),
            f"{t('nav.contacts')}: {tc.tag}",
            "directory.html",
            partial(tagged, tc.tag),
            dict(VIEW),
            key=key,
        )


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
    t = Fmt.of(ws).t
    yield Page(
        "activity.md",
        t("nav.activity"),
        "activity.html",
        {"a": activity.activity(options.history, ws)},
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


def _problem_row(p: Problem) -> dict[str, Any]:
    return {
        "where": f"{p.path}:{p.line}:{p.col}",
        "severity": p.severity.value,
        "code": p.code,
        "message": p.message,
        "hint": p.hint,
    }


def _board_pages(
    ws: Workspace, today: date, fmt: Fmt, options: SiteOptions, salt: str
) -> Iterator[Page]:
    t = fmt.t
    switch = [
        Link(t("board.lanes_project"), "boards/all/"),
        Link(t("board.lanes_person"), "boards/all-by-person/"),
    ]
    all_key = view_key(ws, salt, ("task", "project", "person"))

    def whole(lanes: str, links: list[Link]) -> dict[str, Any]:
        return {
            "board": boards.all_board(ws, today, lanes),
            "show_project": lanes == "person",
            "links": links,
        }

    for lanes, ident, title in (
        ("project", "all", t("board.all")),
        ("person", "all-by-person", t("board.all_by_person")),
    ):
        links = [Link(s.text, "" if s.url == f"boards/{ident}/" else s.url) for s in switch]
        yield Page(
            f"boards/{ident}.md",
            title,
            "board.html",
            partial(whole, lanes, links),
            dict(WIDE_VIEW),
            key=all_key,
        )
    rows = [
        [Link(t("board.all"), "boards/all/"), Link(""), Link("")],
        [Link(t("board.all_by_person"), "boards/all-by-person/"), Link(""), Link("")],
    ]
    ix = index(ws)
    people_digest = table_digest(ws, "person")
    for p in sorted(ws.projects.values(), key=lambda p: p.name.lower()):
        tasks = ix.tasks_by_project.get(p.id, [])
        open_, overdue = boards.board_stats(ws, tasks, today)
        rows.append(
            [
                Link(p.name, board_url(p.id)),
                Link(str(open_)),
                Link(str(overdue) if overdue else ""),
            ]
        )

        def context(p: Any = p) -> dict[str, Any]:
            return {
                "board": boards.project_board(ws, p.id, today),
                "show_project": False,
                "links": [Link(t("record.project_page"), url("project", p.id))],
                "flow": flow_charts(activity.flow(options.history, ws, p.id))
                if options.history is not None
                else None,
            }

        yield Page(
            page_file(board_url(p.id)),
            p.name,
            "board.html",
            context,
            dict(WIDE_VIEW),
            key=fingerprint(salt, people_digest, p.digest, *(task.digest for task in tasks)),
        )
    yield Page(
        "boards/index.md",
        t("nav.boards"),
        "links.html",
        {"headers": [t("nav.boards"), t("dashboard.open"), t("dashboard.overdue")], "rows": rows},
        dict(VIEW),
    )


def _people_pages(ws: Workspace, today: date, fmt: Fmt, salt: str) -> Iterator[Page]:
    t = fmt.t
    ix = index(ws)
    # a person's page shows their tasks and deals, with project, company and contact names
    shared = [table_digest(ws, k) for k in ("person", "project", "company", "contact")]
    rows = []

    def page(p: Any) -> dict[str, Any]:
        return {
            "p": people.person_view(ws, p.id, today),
            "facts": records.person_record_facts(ws, p),
            "body_md": p.body,
            "record_path": p.path,
        }

    for p in sorted(ws.people.values(), key=lambda p: (not p.active, p.name.lower())):
        tasks = ix.tasks_by_assignee.get(p.id, [])
        deals = ix.deals_by_owner.get(p.id, [])
        open_, overdue = boards.board_stats(ws, tasks, today)
        load, capacity = people.person_load(ws, p.id, today)
        rows.append(
            [
                Link(p.name, url("person", p.id)),
                Link(p.role),
                Link(str(open_)),
                Link(str(overdue)),
                Link(f"{load} / {capacity}" if capacity else load),
            ]
        )
        yield Page(
            page_file(url("person", p.id)),
            p.name,
            "person.html",
            partial(page, p),
            # a person is found by name: in the index with the profile text (see the
            # plugin's search_slice), the rest of the page being a board
            {"hide": ["toc", "navigation"]},
            key=fingerprint(salt, *shared, *(x.digest for x in (*tasks, *deals))),
        )
    yield Page(
        "people/index.md",
        t("nav.people"),
        "links.html",
        {
            "headers": [
                t("field.name"),
                t("field.role"),
                t("dashboard.open"),
                t("dashboard.overdue"),
                t("person.load"),
            ],
            "rows": rows,
        },
        dict(VIEW),
    )


def _record_pages(ws: Workspace, today: date, options: SiteOptions, salt: str) -> Iterator[Page]:
    builders: list[tuple[str, dict[str, Any], Callable[..., records.RecordPage]]] = [
        ("project", ws.projects, records.project_page),
        ("company", ws.companies, records.company_page),
        ("contact", ws.contacts, records.contact_page),
        ("deal", ws.deals, records.deal_page),
        ("task", ws.tasks, records.task_page),
    ]
    for kind, table, build in builders:
        for ident in sorted(table):
            rec = table[ident]

            def context(rec: Any = rec, build: Callable[..., Any] = build) -> dict[str, Any]:
                r = build(ws, rec, today)
                timeline = None
                if options.history is not None and r.kind in ("task", "deal"):
                    timeline = activity.card_history(options.history, ws, r.kind, r.id)
                return {"r": r, "body_md": r.body, "record_path": r.path, "timeline": timeline}

            yield Page(
                page_file(url(kind, ident)),
                getattr(rec, "title", "") or rec.name,
                "record.html",
                context,
                key=record_key(ws, kind, rec, salt),
            )


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


def render_pages(
    ws: Workspace,
    today: date,
    problems: list[Problem],
    options: SiteOptions,
    content_root: str,
    memo: Memo | None = None,
    reused: set[str] | None = None,
    lanes: LaneMemo | None = None,
) -> dict[str, str]:
    """{docs-relative path: Markdown page text} for the whole site.

    With a `memo`, a page whose key is unchanged since the last call is taken from it
    instead of being computed and rendered again (the serve loop's incremental rebuild);
    so is a task card. The paths of pages taken from the memo are added to `reused`.
    `lanes` keeps board swimlanes the same way: an edit re-renders the all-projects
    boards, but of their 200 lanes only the one (or two) holding the edited card.
    """
    env = make_env(options)
    strings = i18n.strings(ws.settings.locale)
    tn = partial(i18n.tn, ws.settings.locale)  # templates pick a counted string's form
    body = BodyRenderer(ws.settings.allow_raw_html)
    templates: dict[str, Any] = {}
    out: dict[str, str] = {}
    card_template = env.get_template("plaindesk/card.html")
    cards: dict[tuple[str, str, bool], Markup] = {}
    options.templates_key = templates_key(options)
    salt = fingerprint(
        ws.settings.digest, today.isoformat(), options.history_key, options.templates_key
    )

    def card_html(c: Any, root: str, show_project: bool) -> Markup:
        """A task card, rendered once: the same card stands on up to four boards, and in
        the serve loop it is kept until one of the files it shows changes."""
        key = (c.id, root, bool(show_project))
        html = cards.get(key)
        if html is not None:
            return html
        if memo is None:
            html = cards[key] = Markup(
                card_template.render(c=c, root=root, L=strings, show_project=show_project)
            )
            return html
        memo_key = f"card:{c.id}:{root}:{bool(show_project)}"
        task = ws.tasks.get(c.id)
        print_key = fingerprint(salt, *(card_inputs(ws, task, today) if task else ()))
        hit = memo.get(memo_key)
        if hit is not None and hit[0] == print_key:
            html = cards[key] = Markup(hit[1])
            return html
        html = cards[key] = Markup(
            card_template.render(c=c, root=root, L=strings, show_project=show_project)
        )
        memo[memo_key] = (print_key, str(html))
        return html

    lane_template = env.get_template("plaindesk/lane.html")
    board_id = [""]  # the board being rendered: lanes are kept per board
    lanes_used: set[tuple[str, ...]] = set()

    def lane_html(lane: Any, root: str, show_project: bool) -> Markup:
        """A board's swimlane. What it shows is compared by value (column counts and
        limits, and the card views, which the serve loop keeps while unchanged)."""
        if lanes is None:
            return Markup(
                lane_template.render(
                    lane=lane,
                    root=root,
                    L=strings,
                    tn=tn,
                    show_project=show_project,
                    card_html=card_html,
                )
            )
        # the columns compare by value; unchanged, they are the very list kept by the view
        shown = (lane.title, lane.url, lane.count, lane.columns)
        # a lane id repeats in each workflow's section of a board: its columns tell them
        key = (
            board_id[0],
            lane.id,
            *(c.id for c in lane.columns),
            root,
            str(bool(show_project)),
            salt,
        )
        lanes_used.add(key)
        hit = lanes.get(key)
        if hit is not None and hit[0] == shown:
            return Markup(hit[1])
        html = lane_template.render(
            lane=lane, root=root, L=strings, tn=tn, show_project=show_project, card_html=card_html
        )
        lanes[key] = (shown, html)
        return Markup(html)

    rendered_paths: set[str] = set()  # pages rendered (not taken from the memo)
    for page in iter_pages(ws, today, problems, options):
        board_id[0] = page.path
        if memo is not None and page.key:
            hit = memo.get(page.path)
            if hit is not None and hit[0] == page.key:
                out[page.path] = hit[1]
                if reused is not None:
                    reused.add(page.path)
                continue
        rendered_paths.add(page.path)
        template = templates.get(page.template)
        if template is None:
            template = templates[page.template] = env.get_template(f"plaindesk/{page.template}")
        context = dict(page.context() if callable(page.context) else page.context)
        context["root"] = _root(page.path)
        context["L"] = strings
        context["tn"] = tn
        context["card_html"] = card_html
        context["lane_html"] = lane_html
        if "body_md" in context:
            context["body"] = body(context.pop("body_md"))  # nh3-cleaned; templates mark it safe
            context["edit_url"] = edit_url(options, context.pop("record_path"), content_root)
        html = template.render(context)
        # Engine templates print a page's title raw (<title>, h1, header, search results),
        # so a title is HTML here: user text in it is escaped once, at the source.
        meta = {"title": str(escape(page.title)), **page.meta}
        # JSON is YAML: the front matter as one JSON line is valid for any engine, and
        # twenty times cheaper to write than yaml.safe_dump.
        front = json.dumps(meta, ensure_ascii=False)
        out[page.path] = text = f"---\n{front}\n---\n\n{html}\n"
        if memo is not None and page.key:
            memo[page.path] = (page.key, text)
    if lanes is not None:  # drop the lanes of boards that were rendered without them
        for gone in [k for k in lanes if k[0] in rendered_paths and k not in lanes_used]:
            del lanes[gone]
    return out


def nav(ws: Workspace, activity_page: bool = False) -> list[dict[str, Any]]:
    """The small, bounded nav: sections and views, never one entry per record."""
    t = Fmt.of(ws).t
    entries: list[dict[str, Any]] = [
        {t("nav.dashboard"): "index.md"},
        {
            t("nav.boards"): [
                {t("nav.boards_index"): "boards/index.md"},
                {t("board.all"): "boards/all.md"},
                {t("board.all_by_person"): "boards/all-by-person.md"},
            ]
        },
        {
            t("nav.funnels"): [
                {p.name: page_file(funnel_url(p.id))} for p in ws.settings.pipelines.values()
            ]
        },
        {t("nav.people"): "people/index.md"},
        {t("nav.companies"): "companies/index.md"},
        {t("nav.contacts"): "contacts/index.md"},
        {t("nav.projects"): "projects/index.md"},
        *([{t("nav.activity"): "activity.md"}] if activity_page else []),
        {t("nav.problems"): "problems.md"},
        {t("nav.help"): "help.md"},
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
