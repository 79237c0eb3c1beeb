"""The `plaindesk` MkDocs plugin: a thin adapter that runs `generate` and hands the page
tree to MkDocs. It holds no logic a Zensical build (which ignores plugins) would lose.
Whatever it does past MkDocs' public API is in `builder.site.engine`."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files

from builder.model.audience import UnknownAudience
from builder.model.schema import ID_PATTERN
from builder.output import MARKER, MARKER_TEXT, own_folder
from builder.pipeline import CheckResult
from builder.render.pages import SiteOptions, disk_bytecode, theme_dir
from builder.report import format_text, left_out_text
from builder.site import engine, state
from builder.site.generate import Generated, Kept, generate
from builder.site.state import code_stamp
from builder.site.warm import Incremental, nav_pages
from builder.validate.values import parse_date
from builder.views.admin import AdminError, AdminSettings, admin_settings

log = logging.getLogger("mkdocs.plugins.plaindesk")

#: The audience whose site a plain `mkdocs build|serve` builds (`plaindesk build|serve`
#: hand theirs over, and this is not read then).
AUDIENCE_ENV = "PLAINDESK_AUDIENCE"

#: Where `plaindesk build` keeps what it may reuse (compiled templates, calendar events).
CACHE_DIR = ".plaindesk-cache"


@dataclass
class Handover:
    """What `plaindesk build` and `plaindesk serve` tell the plugin (`hand_over`) before
    MkDocs starts it; plain `mkdocs` hands nothing."""

    today: date | None = None  # --today: before the `today` option and the workspace's
    prepared: CheckResult | None = None  # the check `plaindesk build` ran already
    progress: bool = False  # count the pages written on stderr (a terminal)
    audience: str = ""  # --audience: build that audience's site (`builder.model.audience`)
    #: `plaindesk build`: build from the last build's state, make the next one's;
    #: `plaindesk serve`: start from it (the first build renders what changed since)
    incremental: Incremental | None = None
    #: `plaindesk serve` from the last build's state: the site URL the pages are built
    #: for (mkdocs.yml's, as the build's were), not the server's address
    site_url: str | None = None


@dataclass
class _Site:
    """What the served site folder holds, as of the last serve build that ran to its end.
    A build that fails on the way (ours or MkDocs') leaves it as it was, so the next one
    is measured against what is really there."""

    #: a build ran to its end and nothing since failed: the next rebuild hands MkDocs
    #: only the pages that changed and the nav's (see on_files)
    done: bool = False
    #: what every page's frame shows (see `_chrome`), None before the first build
    chrome: tuple[Any, ...] | None = None
    pages: set[str] = field(default_factory=set)  # the generated files in the site folder


@dataclass
class Run:
    """One MkDocs invocation: a build, or a serve and all its rebuilds. MkDocs keeps a
    plugin that has `on_startup` for the whole process (every config load gives the same
    instance), so each invocation starts afresh from `on_startup`, not `__init__`."""

    command: str = "build"
    dirty: bool = False
    handover: Handover = field(default_factory=Handover)
    handed: bool = False  # a `plaindesk` command handed `handover` over (else plain mkdocs)
    shortcuts: engine.Engine = field(default_factory=engine.Engine)
    #: what the serve loop keeps between rebuilds (docs/incremental.md): an edit re-reads
    #: one file and re-renders only the pages whose inputs changed
    kept: Kept = field(default_factory=Kept)
    site: _Site = field(default_factory=_Site)
    theme: engine.ThemeWork = field(default_factory=engine.ThemeWork)
    touched: engine.Touched = field(default_factory=engine.Touched)
    gc: engine.GcPause = field(default_factory=engine.GcPause)
    builds: int = 0  # started so far
    #: serve's first build, from the last build's state (`builder.site.warm`); None after
    start: Incremental | None = None
    pinned: bool = False  # serve builds for mkdocs.yml's site URL (`Handover.site_url`)
    #: the last build's pages serve did not build: site-relative path -> its file in the
    #: last build's site (answered by the server, `engine.answer_from_built`)
    built_site: dict[str, str] = field(default_factory=dict)
    #: the same pages hard-linked into serve's site folder instead (no such shortcut):
    #: unlinked before MkDocs writes one, so nothing is written through a link
    links: set[str] = field(default_factory=set)
    search_seed: list[bytes] | None = None  # every page's search entries, for the next rebuild
    #: serve's search index, page by page (`engine.SearchPages`)
    search: engine.SearchPages = field(default_factory=engine.SearchPages)

    @property
    def serving(self) -> bool:
        return self.command == "serve"


class PlaindeskConfig(Config):
    content = c.Type(str, default="content")
    """The workspace folder, relative to mkdocs.yml."""
    tree = c.Type(str, default=".plaindesk/docs")
    """Where the generated page tree is written, relative to mkdocs.yml."""
    today = c.Optional(c.Type(str))
    """Pin today (YYYY-MM-DD); `plaindesk build/serve --today` overrides it."""
    fail_on_errors = c.Type(bool, default=True)
    """Fail `mkdocs build` when the workspace has errors (`serve` always shows them)."""
    engine_off = c.ListOfItems(c.Choice(engine.SHORTCUTS), default=[])
    """Shortcuts into the engine that `serve` is not to take (docs/incremental.md says
    what each buys); for measuring, or to rule one out."""
    admin = c.Type((dict, bool), default=True)
    """The `admin/` page's CMS: where it writes (backend, repo, branch...), false for none."""


def today_from(value: str | None) -> date | None:
    return parse_date(value) if value else None


def build_moment(today: date) -> datetime:
    """The build date MkDocs shows (the sitemap's lastmod): midnight UTC of `today`, held
    to what a gzip header's 32-bit mtime holds (sitemap.xml.gz): 1970..2106."""
    midnight = datetime.combine(today, datetime.min.time(), UTC)
    return datetime.fromtimestamp(min(max(int(midnight.timestamp()), 0), 2**32 - 1), UTC)


class PlaindeskPlugin(BasePlugin[PlaindeskConfig]):
    def __init__(self) -> None:
        self.run = Run()
        self.handed: Handover | None = None
        self._new_build()

    def _new_build(self) -> None:
        """What one build works with; on_config starts each build with it."""
        self.generated: Generated | None = None
        self.done = 0
        self.page_set: set[str] = set()
        self.body = ""  # the generated page being built (see `on_page_markdown`)
        self.content = Path("content")
        self.tree = Path(".plaindesk/docs")
        self.home = Path(".")  # mkdocs.yml's folder
        self.served = False  # a serve rebuild after one that ran to its end
        self.incremental = False  # MkDocs gets the changed pages only
        self.chrome: tuple[Any, ...] = ()
        self.built: set[str] = set()  # the URLs of the pages MkDocs built this time
        self.moment = build_moment(date(1970, 1, 1))
        self.env: Any = None  # the theme's environment (on_env), the nav (on_nav)
        self.nav: Any = None

    @property
    def inc(self) -> Incremental | None:
        """`plaindesk build`'s incremental part (`builder.site.warm`), or serve's first
        build's from the last build's state; else None."""
        return self.run.handover.incremental if self.run.command == "build" else self.run.start

    def hand_over(self, handover: Handover) -> None:
        """Options for the next invocation: the `on_startup` that follows takes them."""
        self.handed = handover

    def serves_dirty(self) -> bool:
        """Whether `serve` may build dirty (incremental rebuilds): only when the search
        index can be kept right between rebuilds (`engine.SEARCH_INDEX`)."""
        return engine.Engine.check(self.config.engine_off).takes(engine.SEARCH_INDEX)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        handed, self.handed = self.handed, None
        off = [*self.config.engine_off]
        if command != "serve":
            off += sorted(set(engine.SHORTCUTS) - engine.BUILD_SHORTCUTS)
        shortcuts = engine.Engine.check(off)
        if command == "serve":
            shortcuts.warn()
        self.run.gc.stop()
        self.run = Run(command, dirty, handed or Handover(), handed is not None, shortcuts)
        engine.write_in_place(command == "serve" and shortcuts.takes(engine.WRITE_IN_PLACE))
        if command == "serve" and handed is not None and handed.incremental is not None:
            self.run.start, self.run.pinned = handed.incremental, True
            if shortcuts.takes(engine.SERVE_BUILT):
                handed.incremental.lookup = self.run.built_site

    def on_shutdown(self) -> None:
        engine.write_in_place(False)
        self.run.gc.stop()
        self.run = Run()  # let the kept state go

    @event_priority(100)  # before the search plugin's, which makes an environment too
    def _keep_theme(self, config: MkDocsConfig) -> MkDocsConfig:
        if self.run.serving and self.run.shortcuts.takes(engine.THEME_LISTING):
            engine.keep_theme_work(config.theme, self.run.theme)
        elif self.inc is not None:
            listing = self._listing(config)
            if listing is not None:
                engine.load_theme_listing(self.run.theme, listing)
                engine.keep_theme_work(config.theme, self.run.theme)
        return config

    def _listing(self, config: MkDocsConfig) -> Path | None:
        """Where `plaindesk build` keeps the installed themes' asset lists, if it may."""
        taken = engine.Engine.check(self.config.engine_off).takes(engine.THEME_LISTING)
        if not taken or not config.config_file_path:
            return None
        return Path(config.config_file_path).parent / CACHE_DIR / "theme-listing.json"

    def _on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._new_build()
        if self.run.pinned:
            # the pages kept from the last build's site link to mkdocs.yml's site URL
            config.site_url = self.run.handover.site_url
        base = self.home = Path(config.config_file_path or ".").resolve().parent
        self.content = (base / self.config.content).resolve()
        self.tree = (base / self.config.tree).resolve()
        audience = self._audience()
        if audience:
            # its own page tree: the full site's (or another audience's) is neither
            # rewritten nor read, and no stale page of one lands in the other
            self.tree = self.tree.with_name(f"{self.tree.name}-{audience}")
        try:
            self.generated = self._generate(self._options(config, base), audience)
        except UnknownAudience as exc:
            raise PluginError(str(exc)) from None
        self.page_set = {p for p in self.generated.pages if p.endswith(".md")}
        result = self.generated.result
        locale = result.workspace.settings.locale
        self._frame(config, locale)
        self._report(result)
        self.moment = build_moment(result.today)
        self._theme(config, locale)
        self._nav(config)
        if self.inc is not None:
            self.inc.decide(config, self.generated, locale, result.today.isoformat())
            if self.run.serving and not self.inc.warm:
                log.info("plaindesk: serve builds every page: %s", self.inc.reason)
                self.run.start = None
        return config

    on_config = CombinedEvent(_keep_theme, _on_config)

    def _options(self, config: MkDocsConfig, base: Path) -> SiteOptions:
        options = SiteOptions(
            edit_base=_edit_base(config),
            content_prefix=os.path.relpath(self.content, base),
            site_url=config.site_url or "",
        )
        admin: dict[str, Any] | bool = self.config.admin  # type: ignore[assignment]
        options.admin = _admin(admin, config, options.content_prefix)
        if config.theme.custom_dir:
            options.template_dirs.append(Path(config.theme.custom_dir))
        if self.inc is not None:
            # a build's, or serve's first from the last build's state: compiled templates,
            # the calendar's serialised events and the reports' texts of that build
            with contextlib.suppress(OSError):  # a read-only project: nothing is kept
                options.cache_dir = own_folder(base / CACHE_DIR)
                options.code_key = code_stamp()
        return options

    def _audience(self) -> str:
        """The audience whose site to build: the one `plaindesk build|serve` handed over,
        else (plain mkdocs) PLAINDESK_AUDIENCE's; "" for the full site."""
        run = self.run
        audience = run.handover.audience if run.handed else os.environ.get(AUDIENCE_ENV, "")
        if audience and not ID_PATTERN.match(audience):
            raise PluginError(f"{AUDIENCE_ENV}: `{audience}` is not an audience's name")
        return audience

    def _generate(self, options: SiteOptions, audience: str) -> Generated:
        """Check and render the workspace into the page tree; serving, from what the last
        rebuild kept and, after one that ran to its end, the paths the watcher saw."""
        run = self.run
        self.served, run.site.done = run.serving and run.site.done, False
        changed = run.touched.take(self.content) if self.served else None
        if run.serving and run.builds and run.shortcuts.takes(engine.GC):
            run.gc.pause()
        run.builds += 1
        prepared, run.handover.prepared = run.handover.prepared, None
        prior, tree_files = None, None
        if self.inc is not None:
            can = engine.Engine.check(self.config.engine_off).takes(engine.INCREMENTAL_BUILD)
            prior = self.inc.key_prior(self.tree, can)
            tree_files = self.inc.tree if self.inc.prior is not None else None
            if run.serving and self.inc.prior is not None:
                self._prime_check()
        # serve notes the pages it writes into the team's page tree beside the last
        # build's state: the next build does not trust them (`state.note_stale`)
        writing = run.serving and not audience and state.note_writing(self.home)
        # Shown relative to the working folder, as `plaindesk build` and `check` show it:
        # problem lines (Problems page, dashboard) read the same from every command.
        generated = generate(
            Path(os.path.relpath(self.content)),
            self.tree,
            options,
            run.handover.today or today_from(self.config.today),
            prepared,
            kept=run.kept if run.serving else None,
            changed=changed,
            audience=audience,
            prior=prior,
            tree_files=tree_files,
        )
        if writing:
            state.note_stale(self.home, [*generated.written, *generated.removed])
        return generated

    def _prime_check(self) -> None:
        """Serve's first build from the last build's state: the check's records of the
        unchanged files from the build's (`builder.site.checkstore`)."""
        from builder.site import checkstore

        folder = self.home / CACHE_DIR
        if not folder.is_dir():
            return
        cache, store = checkstore.prime(
            Path(os.path.relpath(self.content)), folder, state.code_stamp()
        )
        cache.stand_in = True
        self.run.kept.check = cache
        log.debug("plaindesk: %d records from the last build's check", store.primed)

    def _frame(self, config: MkDocsConfig, locale: str) -> None:
        """A page's frame (the nav in its sidebar, the theme's language) changed: MkDocs
        must build every page again, not only those whose Markdown changed."""
        assert self.generated is not None
        self.chrome = _chrome(config, self.generated.nav, locale)
        self.incremental = self.served and self.run.dirty and self.chrome == self.run.site.chrome
        if self.incremental:
            # the sitemap would list only this rebuild's pages: keep the full one; the
            # 404 page shows only the frame
            config.theme.static_templates.difference_update(("sitemap.xml", "404.html"))

    def _report(self, result: CheckResult) -> None:
        """Serving, the problems in full (see the Problems page); building, errors fail.
        Either way, the record files left out of the site are named."""
        if not self.run.serving and result.errors and self.config.fail_on_errors:
            raise PluginError(
                "the workspace has errors:\n" + format_text(result.problems, result.summary())
            )
        gaps = left_out_text(result.left_out, result.workspace.stale.values())
        if gaps:
            log.warning("plaindesk: %s", gaps.rstrip("\n"))
        if not self.run.serving:
            return
        if result.errors:
            log.warning("plaindesk: %s", format_text(result.errors, result.summary()))
        else:
            log.info("plaindesk: %s", result.summary())

    def _theme(self, config: MkDocsConfig, locale: str) -> None:
        ours = str(theme_dir())
        if ours not in config.theme.dirs:
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, ours)
        config.theme["language"] = locale

    def _nav(self, config: MkDocsConfig) -> None:
        assert self.generated is not None
        if not config.nav:
            has_help = (Path(config.docs_dir) / "help.md").is_file()
            config.nav = [e for e in self.generated.nav if has_help or "help.md" not in e.values()]
        config.validation.nav.omitted_files = logging.DEBUG
        config.validation.nav.absolute_links = logging.DEBUG

    def on_page_markdown(
        self, markdown: str, *, page: Any, config: MkDocsConfig, files: Files
    ) -> str:
        """A generated page's body is finished HTML: keep it away from Python-Markdown,
        which would only parse and re-emit it (most of a large build's time). Another
        engine still gets the same page through Markdown; only slower.

        Nor is the body kept until the page is built: MkDocs reads every page before it
        builds the first, and a large site's bodies together weigh hundreds of megabytes.
        `_search_body` reads it again from the page tree when the page's turn comes."""
        if page.file.src_uri in self.page_set:
            if self.run.shortcuts.takes(engine.EMPTY_RENDER):
                engine.render_empty(page)
            return ""
        return markdown

    @event_priority(100)  # before every other plugin's, the search plugin's first of all
    def _search_body(self, context: Any, *, page: Any, config: MkDocsConfig, nav: Any) -> Any:
        """Until the page is indexed, its content is only what search should find (see
        `search_slice`); `_whole_body` puts the whole page back before it is written."""
        if page.file.src_uri in self.page_set:
            self.body = engine.page_body(page.file.content_string)
            page.content = search_slice(self.body, page.meta)
        return context

    @event_priority(-100)  # after every other plugin's, the search plugin's first of all
    def _whole_body(self, context: Any, *, page: Any, config: MkDocsConfig, nav: Any) -> Any:
        self.built.add(page.url)
        if self.inc is not None:
            self.inc.page_built(
                config, page, self.page_set, self.run.search.searched(page.file.src_uri)
            )
        if page.file.src_uri in self.page_set:
            page.content, self.body = self.body, ""
        context["build_date_utc"] = self.moment
        return context

    on_page_context = CombinedEvent(_search_body, _whole_body)

    def on_template_context(self, context: Any, *, template_name: str, config: Any) -> Any:
        context["build_date_utc"] = self.moment
        return context

    @event_priority(-100)  # after every other plugin's: the page is written
    def on_post_page(self, output: str, *, page: Any, config: MkDocsConfig) -> str:
        """Progress on a terminal (`plaindesk build` asks for it there). A generated
        page's body goes as the page is written (see `on_page_markdown`)."""
        if page.file.src_uri in self.page_set:
            page.content = None
        if self.run.handover.progress and self.generated is not None:
            self.done += 1
            total = len(self.generated.pages)
            if self.done % 250 == 0 or self.done == total:
                end = "\n" if self.done >= total else ""
                sys.stderr.write(f"\rwriting pages: {self.done}/{total}{end}")
                sys.stderr.flush()
        return output

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.generated is not None
        for file in list(files):
            # the portal's templates and assets live in the theme too; they are not pages
            if file.src_uri.startswith(("portal/", "pages/")) and not file.is_documentation_page():
                files.remove(file)
        if self.inc is not None and self.inc.warm:
            return self.inc.register(files, config, self.tree, self.generated)
        pages = self.generated.pages
        if self.incremental:
            # MkDocs would set up, stat and skip every unchanged page (seconds at 10,000):
            # it gets the changed ones, and the nav's so that the nav resolves
            pages = sorted(
                {*self.generated.written, *nav_pages(self.generated.nav)}.intersection(pages)
            )
        if self.run.built_site or self.run.links:
            self._take_over(config, every=not self.incremental)
        for rel in pages:
            existing = files.get_file_from_path(rel)
            if existing is not None:
                files.remove(existing)
            files.append(File.generated(config, rel, abs_src_path=str(self.tree / rel)))
        if self.run.dirty and self.run.serving and not self.incremental and self.run.site.chrome:
            # A dirty build skips a page whose output is newer than its source: after a
            # change of frame or a failed build, every page is built again (the team's
            # own pages too), so each output is made to look older than its source
            for file in files.documentation_pages():
                with contextlib.suppress(OSError):
                    os.utime(file.abs_dest_path, ns=(0, 0))
        return files

    def _take_over(self, config: MkDocsConfig, every: bool) -> None:
        """Serve, after a start from the last build's state: the pages written now (with
        `every`, all pages) are no longer the last build's. A page linked from its site
        is unlinked first: MkDocs writes in place, which would write through the link."""
        assert self.generated is not None
        run = self.run
        dests = (
            {*run.built_site, *run.links}
            if every
            else {
                self._file(config, r).dest_uri for r in self.generated.written if r.endswith(".md")
            }
        )
        for dest in dests:
            run.built_site.pop(dest, None)
            if dest in run.links:
                run.links.discard(dest)
                with contextlib.suppress(OSError):
                    os.unlink(Path(config.site_dir, dest))

    def on_nav(self, nav: Any, *, config: MkDocsConfig, files: Files) -> Any:
        self.nav = nav
        return nav

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        self.env = env
        # Same content and today -> same bytes: every page (read now or, in a dirty
        # build, left as it was) is dated today, which the sitemap shows
        shown = self.moment.strftime("%Y-%m-%d")
        for file in files.documentation_pages():
            if file.page is not None:
                file.page.update_date = shown
        inc = self.inc
        if self.run.serving:
            env.bytecode_cache = self.run.theme.bytecode
        elif self.inc is not None and config.config_file_path:
            home = Path(config.config_file_path).parent
            with contextlib.suppress(OSError):  # a read-only project compiles them again
                env.bytecode_cache = disk_bytecode(home / CACHE_DIR / "templates")
        if self.run.shortcuts.takes(engine.NAV_BLOCK):
            engine.share_nav_block(env)
        if self.run.shortcuts.takes(engine.PAGE_FRAME):
            engine.share_page_frame(env)
        # pages searched as before get their entries unparsed: across serve's rebuilds,
        # and from the last build's state (whose pages' digests the next state keeps)
        shortcut = engine.SEARCH_WRITE if self.run.serving else engine.INCREMENTAL_BUILD
        if (self.run.serving or inc is not None) and self.run.shortcuts.takes(shortcut):
            if inc is not None and inc.warm and inc.prior is not None:
                self.run.search.remember(inc.prior.state.pages)
            self.run.search.reuse_entries(config)
        return env

    @event_priority(100)  # before the search plugin writes its index
    def _drop_gone(self, *, config: MkDocsConfig) -> None:
        """A dirty rebuild (`serve`) keeps old output: drop the pages that went since the
        last build that ran to its end (a deleted record's), and their search entries and
        those of the pages built now from the kept index."""
        assert self.generated is not None
        built, self.built = self.built, set()
        run = self.run
        pages = set(self.generated.pages)
        # serving, what went since the last build that ran to its end: one that failed
        # in between did not get here to drop its gone pages
        gone = sorted(run.site.pages.difference(pages)) if run.serving else self.generated.removed
        deleted = {self._file(config, rel).url for rel in gone if rel.endswith(".md")}
        own_index = (
            self.served
            and run.shortcuts.takes(engine.SEARCH_INDEX)
            and run.shortcuts.takes(engine.SEARCH_WRITE)
        )
        if run.search_seed is not None and self.served:
            # serve started from the last build's state: its search plugin keeps the
            # entries of the first build's pages only; from now on it keeps every page's
            if own_index:
                run.search.seed(run.search_seed)
            else:
                engine.seed_search_entries(config, run.search_seed)
            run.search_seed = None
        if own_index and run.search.update(config, built, deleted, self._drop_gone):
            pass  # serve wrote the index from every page's kept entries
        else:
            if run.search.pages is not None:
                # after a failed build: the plugin keeps the index again, from every page's
                engine.seed_search_entries(config, run.search.chunks())
                run.search.pages = None
            if run.shortcuts.takes(engine.SEARCH_INDEX):
                skip_write = run.shortcuts.takes(engine.SEARCH_WRITE)
                engine.forget_search_entries(config, built, deleted, self._drop_gone, skip_write)
        for rel in gone:
            file = self._file(config, rel)
            run.built_site.pop(file.dest_uri, None)
            run.links.discard(file.dest_uri)
            dest = Path(file.abs_dest_path)
            dest.unlink(missing_ok=True)
            folder = dest.parent
            if folder != Path(config.site_dir) and folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        if run.serving:
            run.site.done, run.site.chrome, run.site.pages = True, self.chrome, pages
        elif run.command in ("build", "gh-deploy"):
            # `mkdocs build` made this folder a build's: `plaindesk build` may replace it
            Path(config.site_dir, MARKER).write_text(MARKER_TEXT, encoding="utf-8")

    @event_priority(-100)  # after every other plugin's: the rebuild is done
    def _after_build(self, *, config: MkDocsConfig) -> None:
        if self.run.serving:
            self.run.gc.resume_soon()

    @event_priority(-100)  # after the search plugin wrote its index
    def _finish_incremental(self, *, config: MkDocsConfig) -> None:
        if self.inc is not None and self.generated is not None:
            day = self.moment.strftime("%Y-%m-%d")
            self.inc.finish(config, self.env, self.nav, self.generated, day)
            if self.run.serving:
                self._started(config, self.inc)
                return
            listing = self._listing(config)
            if listing is not None:
                engine.save_theme_listing(self.run.theme, listing)

    def _started(self, config: MkDocsConfig, inc: Incremental) -> None:
        """Serve's first build from the last build's state ran to its end: later rebuilds
        are serve's own, and its search plugin gets every page's entries at the next."""
        assert self.generated is not None
        run = self.run
        run.start, run.search_seed, run.links = None, inc.entries, inc.links
        log.info("plaindesk: from the last build's state: %s", inc.summary(self.generated))

    on_post_build = CombinedEvent(_drop_gone, _finish_incremental, _after_build)

    def on_build_error(self, *, error: Exception) -> None:
        self.built = set()
        if self.run.serving:
            self.run.gc.resume_soon()

    def _file(self, config: MkDocsConfig, rel: str) -> File:
        return File(rel, str(self.tree), config.site_dir, config.use_directory_urls)

    @event_priority(100)  # before every other plugin's: see engine.use_native_watcher
    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        if self.run.built_site and not engine.answer_from_built(server, self.run.built_site):
            # this server cannot answer them: link them into its folder after all
            for dest, source in sorted(self.run.built_site.items()):
                with contextlib.suppress(OSError):
                    _link_into(Path(source), Path(config.site_dir, dest))
                    self.run.links.add(dest)
            self.run.built_site.clear()
        if self.run.shortcuts.takes(engine.WATCHER):
            mkdocs_own = [config.docs_dir, config.config_file_path or "", *config.theme.dirs]
            engine.use_native_watcher(server, [p for p in mkdocs_own if p], self.run.touched)
        server.watch(str(self.content))
        return server


def _link_into(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    os.link(source, target)


def _chrome(config: MkDocsConfig, nav: list[Any], locale: str) -> tuple[Any, ...]:
    """What the frame of every page (the theme's, around a page's body) is made of: the
    nav, in every page's sidebar, the theme's language, and the rest of the configuration,
    for which mkdocs.yml's stat stands."""
    try:
        st = os.stat(config.config_file_path or "mkdocs.yml")
        stamp = (st.st_mtime_ns, st.st_size)
    except OSError:
        stamp = (0, 0)
    return (nav, locale, stamp)


SEARCH_START, SEARCH_END = "<!--pd:search-->", "<!--/pd:search-->"


def search_slice(html: str, meta: dict[str, Any]) -> str:
    """What the search index gets of a generated page: nothing for a page kept out of it,
    the part between the `pd:search` markers for a record (its Markdown body; the facts
    box, backlinks and history would only make every related record match), else all.

    Besides better results, this spares the engine's search plugin from parsing the
    markup around the body: most of a large build's search time."""
    if (meta.get("search") or {}).get("exclude"):
        return ""
    start = html.find(SEARCH_START)
    if start < 0:
        return html
    end = html.rfind(SEARCH_END)
    body = html[start + len(SEARCH_START) : end if end > start else len(html)]
    # an empty page yields no search entry at all: keep one, titled by the page title
    return body if body.strip() else "<p></p>"


def _admin(
    given: dict[str, Any] | bool, config: MkDocsConfig, content: str
) -> AdminSettings | None:
    """The admin page's settings: `admin:` of the plugin, the rest from mkdocs.yml."""
    if given is False:
        return None
    try:
        return admin_settings(
            given if isinstance(given, dict) else {},
            config.repo_url or "",
            config.edit_uri or "",
            content.replace(os.sep, "/"),
            config.site_url or "",
        )
    except AdminError as exc:
        raise PluginError(f"mkdocs.yml: plaindesk: {exc}") from None


def _edit_base(config: MkDocsConfig) -> str:
    """repo_url + edit_uri's repository root, to which a record's repo path is appended."""
    repo = config.repo_url or ""
    edit_uri = config.edit_uri or ""
    if not repo or not edit_uri:
        return ""
    # edit_uri points at the docs folder (e.g. edit/main/docs/); records live beside it.
    parts = edit_uri.strip("/").split("/")
    root = "/".join(parts[:2]) if len(parts) >= 2 else edit_uri.strip("/")
    return f"{repo.rstrip('/')}/{root}"
