"""One call from content folder to page tree: check, views, render, write changed pages."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from builder.history import read_history
from builder.history.audience import for_audience as history_for
from builder.model import Workspace
from builder.model.audience import audience_of, for_audience, hidden, visible_problems
from builder.pipeline import CheckCache, CheckResult, paused_gc, run_check
from builder.problems import Problem
from builder.render.admin import admin_files
from builder.render.kept import RecordPagesKept, RenderKept
from builder.render.pages import (
    LaneMemo,
    Memo,
    Prior,
    SiteOptions,
    atom_feed,
    iter_rendered,
    make_env,
    nav,
    prime_record_keys,
    site_files,
)
from builder.render.tree import KeptPages, write_tree
from builder.views.boards import KeptLanes, lanes_to_keep, reuse_lanes
from builder.views.common import KeptCards, cards_to_keep, reuse_cards
from builder.views.derived import Derived, DeriveKept, derive

NAV_FILE = "_nav.yml"
ATOM_FILE = "activity.xml"


@dataclass
class Kept:
    """What the serve loop keeps between rebuilds, so that an edit costs what it changes:
    parsed files and typed records, rendered pages and cards, and the tree's file list."""

    memo: Memo = field(default_factory=dict)
    check: CheckCache = field(default_factory=CheckCache)
    tree: set[str] = field(default_factory=set)  # the page tree's files after the last write
    cards: KeptCards | None = None  # the card views
    lanes: LaneMemo = field(default_factory=dict)  # board swimlanes' HTML
    lane_views: KeptLanes = field(default_factory=lambda: ({}, {}))  # swimlanes, summary rows
    render: RenderKept = field(default_factory=RenderKept)  # calendar events, feeds, reports
    derived: DeriveKept = field(default_factory=DeriveKept)  # the index and task lists
    #: the tree's files that are not pages (feeds, CSVs, the nav), as last handed to it
    files: dict[str, str] = field(default_factory=dict)
    pages: list[str] = field(default_factory=list)  # `Generated.pages` of `tree`
    nav: tuple[list[dict[str, object]], str] | None = None  # the nav's entries and text

    def forget(self) -> None:
        """Drop everything: the next generation is a full one (walk, render, compare)."""
        vars(self).update(vars(Kept()))


@dataclass
class Generated:
    """What a generation did: the check result, the page paths, and which files changed."""

    result: CheckResult
    pages: list[str]
    nav: list[dict[str, object]]
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)  # pages not taken from the memo


def generate(
    content: Path,
    tree: Path,
    options: SiteOptions,
    today: date | None = None,
    result: CheckResult | None = None,
    kept: Kept | None = None,
    history: bool = True,
    changed: set[str] | None = None,
    audience: str = "",
    prior: Prior | None = None,
    tree_files: set[str] | None = None,
) -> Generated:
    """Check `content` (unless `result` is given), render every page, write what changed.

    The tree holds Markdown pages plus `_nav.yml`; any engine reading a docs folder can
    build it, which keeps the product's logic out of engine plugins. `kept` (the serve
    loop's, between rebuilds) skips unchanged files and pages; `changed` (content-relative
    paths a file watcher saw touched) spares it walking the content folder. With
    `history`, the content folder's git history feeds card timelines, flow metrics, stuck
    cards, idle deals and the activity feed (a folder outside git just says so).

    With `audience` (declared in workspace.yml), the pages are that audience's: made from
    the workspace, problems and history with what it hides taken out (see
    `builder.model.audience`); UnknownAudience names the declared ones.

    `prior` (`plaindesk build` with the last build's state) skips the pages whose key is
    the one they had; `tree_files`, the files the state says the tree holds (checked),
    spares comparing them.

    A generation that raises leaves `kept` empty: its memo may already hold pages that
    were never written, so the next one starts afresh rather than trust any of it.
    """
    try:
        return _generate(
            content,
            tree,
            options,
            today,
            result,
            kept,
            history,
            changed,
            audience,
            prior,
            tree_files,
        )
    except BaseException:
        if kept is not None:
            kept.forget()
        raise


def _generate(
    content: Path,
    tree: Path,
    options: SiteOptions,
    today: date | None,
    result: CheckResult | None,
    kept: Kept | None,
    history: bool,
    changed: set[str] | None,
    audience: str = "",
    prior: Prior | None = None,
    tree_files: set[str] | None = None,
) -> Generated:
    if kept is not None and kept.memo and not tree.is_dir():
        # the page tree went (deleted by hand): the memo's pages are not in it, and those
        # serve took from the last build's state are kept as "" (their text is the tree's)
        kept.memo.clear()
        kept.tree = set()
        kept.render.record_pages = RecordPagesKept()  # what it knew of the memo
    if result is None:
        result = run_check(
            content,
            today,
            kept.check if kept is not None else None,
            changed if kept is not None else None,
        )
    ws, problems = result.workspace, result.problems
    gone = None
    if audience:
        gone = hidden(ws.settings, audience_of(ws.settings, audience))
        ws = for_audience(ws, gone)
        problems, options.hidden_problems = visible_problems(problems, gone, str(content))
        options.audience = audience
        # the admin page's CMS reads and writes the whole repository, every record type
        # and field: an audience's site leaves it out (the git host's access decides)
        options.admin = None
        options.money = not gone.money
    if history:
        # authors are matched to people by every e-mail, those the audience hides too
        options.history = read_history(content, result.workspace, result.today)
        if gone is not None:
            options.history = history_for(options.history, gone)
        # what every page may word of the history (its notes): the rest is in each
        # page's own key (`keys.HistoryKeys`), so a commit re-renders only the pages
        # that show what it changed, not every page
        st = options.history.status
        options.history_key = f"git:{st.state}:{st.reason}:{st.shallow_since}"
    derived = derive(ws, options.history, kept.derived if kept is not None else None)
    if kept is not None:
        options.kept = kept.render
        kept.render.memo = kept.memo
    reused: set[str] = set()
    if kept is not None:
        prime_record_keys(ws, derived, result.today, options, str(content))
        reuse_cards(ws, derived, result.today, kept.cards, kept.render.records)
        reuse_lanes(derived, kept.lane_views)
    entries = nav(
        ws,
        activity_page=options.history is not None,
        admin=options.admin is not None,
        money=options.money,
    )
    stream = _page_stream(
        ws, derived, result.today, problems, options, str(content), kept, reused, prior, entries
    )
    before = kept.tree if kept is not None and kept.tree else tree_files
    paths: set[str] = set()
    written, removed = write_tree(stream, tree, reused, before, paths)
    if kept is not None and kept.pages and kept.tree == paths:
        pages = list(kept.pages)  # the same files as last time (most edits)
    else:
        pages = sorted(p for p in paths if p != NAV_FILE)
    if kept is not None:
        kept.tree, kept.pages = paths, pages
        for rel in removed:  # a deleted record's page, a renamed file's old one
            kept.memo.pop(rel, None)
            kept.files.pop(rel, None)
        kept.cards = cards_to_keep(derived, result.today)
        kept.lane_views = lanes_to_keep(derived)
    return Generated(
        result,
        list(pages),
        entries,
        written,
        removed,
        sorted(p for p in paths.difference(reused) if p.endswith(".md")),
    )


def _admin_files(ws: Workspace, options: SiteOptions) -> dict[str, str]:
    """The admin page and its CMS configuration: made from the settings alone, so serve
    keeps them until workspace.yml, the admin settings or the templates change."""
    assert options.admin is not None
    inputs = (ws.settings.digest, options.admin, options.templates_key)
    kept = options.kept
    if kept is not None and kept.admin is not None and kept.admin[0] == inputs:
        return kept.admin[1]
    files = admin_files(ws, options.admin, make_env(options))
    if kept is not None:
        kept.admin = (inputs, files)
    return files


def _page_stream(
    ws: Workspace,
    derived: Derived,
    today: date,
    problems: list[Problem],
    options: SiteOptions,
    content: str,
    kept: Kept | None,
    reused: set[str],
    prior: Prior | None,
    entries: list[dict[str, object]],
) -> Iterator[tuple[str, str] | KeptPages]:
    """Every file of the page tree as (path, text), rendered as the tree writer asks for
    it: the pages of a large site together would hold hundreds of megabytes at once."""
    with paused_gc():
        yield from iter_rendered(
            ws,
            derived,
            today,
            problems,
            options,
            content,
            memo=kept.memo if kept is not None else None,
            reused=reused,
            lanes=kept.lanes if kept is not None else None,
            prior=prior,
        )
    files: list[tuple[str, str]] = []
    if options.history is not None:
        files.append((ATOM_FILE, atom_feed(ws, options, options.site_url)))
    files += site_files(ws, derived, today, options).items()
    if options.admin is not None:
        files += _admin_files(ws, options).items()
    files.append((NAV_FILE, _nav_text(entries, kept)))
    if kept is not None:
        # serve: a file whose text is the one last handed to the tree is not read back
        # from it to be compared (250 feeds and CSVs at scale 1), as a kept page is not
        last = kept.files
        reused.update(path for path, text in files if last.get(path) == text)
        last.update(files)
    yield from files


def _nav_text(entries: list[dict[str, object]], kept: Kept | None) -> str:
    """`_nav.yml`: serve keeps its text while the entries are the same."""
    if kept is not None and kept.nav is not None and kept.nav[0] == entries:
        return kept.nav[1]
    text = yaml.safe_dump(entries, allow_unicode=True, sort_keys=False)
    if kept is not None:
        kept.nav = (entries, text)
    return text
