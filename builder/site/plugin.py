"""The `plaindesk` MkDocs plugin: a thin adapter that runs `generate` and hands the page
tree to MkDocs. It holds no logic a Zensical build (which ignores plugins) would lose."""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import sys
import threading
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from jinja2 import BytecodeCache, FileSystemLoader
from jinja2.bccache import Bucket
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files

from builder.output import MARKER, MARKER_TEXT
from builder.pipeline import CheckResult
from builder.render.pages import SiteOptions, theme_dir
from builder.report import format_text
from builder.site.generate import Generated, Kept, generate
from builder.validate.values import parse_date
from builder.views.admin import AdminError, AdminSettings, admin_settings

log = logging.getLogger("mkdocs.plugins.plaindesk")

#: A check result prepared by `plaindesk build` for a content folder, so the plugin does
#: not load the workspace a second time. Keyed by the resolved content path.
PREPARED: dict[Path, CheckResult] = {}
#: The MkDocs command of this process. `mkdocs serve` calls on_startup only on its first
#: plugin instance and makes a new one for every rebuild, so it is kept here.
_COMMAND = ["build"]
#: Whether MkDocs builds dirty (`plaindesk serve`, `mkdocs serve --dirty`): only then does
#: the site folder keep the pages a rebuild is not handed (else MkDocs empties it first).
_DIRTY = [False]
#: What the serve loop keeps between rebuilds (docs/incremental.md): an edit re-reads one
#: file and re-renders only the pages whose inputs changed.
_KEPT = Kept()


class _Site:
    """What the served site folder holds, as of the last serve build that ran to its end.
    A build that fails on the way (ours or MkDocs') leaves it as it was, so the next one
    is measured against what is really there."""

    def __init__(self) -> None:
        #: a build ran to its end and nothing since failed: the next rebuild hands MkDocs
        #: only the pages that changed and the nav's (see on_files)
        self.done = False
        #: what every page's frame shows (see `_chrome`), None before the first build
        self.chrome: tuple[Any, ...] | None = None
        self.pages: set[str] = set()  # the generated files in the site folder


_SITE = _Site()


class _KeptBytecode(BytecodeCache):
    """Compiled templates kept in memory between serve rebuilds (MkDocs makes a new Jinja
    environment for each). Jinja checks each template's source, so an edited template
    is compiled again."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


_BYTECODE = _KeptBytecode()
#: (theme folder, static templates) -> the folder's files that are theme assets: MkDocs
#: lists every theme file on every build (mkdocs-material's 12,000 icons included).
_THEME_FILES: dict[tuple[str, tuple[str, ...]], list[str]] = {}
_GC_TIMERS: list[threading.Timer] = []


class _Touched:
    """What the native watcher saw since the last rebuild began (its thread notes, the
    build takes): the paths of touched files, and whether a folder appeared, moved or
    went (then the content folder is walked again)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.paths: set[str] | None = None  # None: no native watcher, nothing to trust
        self.folder = False

    def watching(self) -> None:
        with self.lock:
            self.paths = set()

    def note(self, paths: list[str], folder_event: str | None) -> None:
        with self.lock:
            if folder_event is not None:
                # a folder's own "modified" comes with every file event in it; a new,
                # moved or deleted folder may hold files no event named
                self.folder |= folder_event in ("created", "moved", "deleted")
            elif self.paths is not None:
                self.paths.update(p for p in paths if p)

    def take(self, content: Path) -> set[str] | None:
        """The content-relative paths touched since the last call, or None when the
        content folder must be walked."""
        with self.lock:
            paths, folder = self.paths, self.folder
            if paths is not None:
                self.paths = set()
            self.folder = False
        if paths is None or folder:
            return None
        root = str(content)
        return {
            os.path.relpath(p, root).replace(os.sep, "/")
            for p in paths
            if os.path.abspath(p).startswith(root + os.sep)
        }


_TOUCHED = _Touched()


def _collect_when_idle() -> None:
    """Python's cyclic collector, left to itself, runs a full pass over the kept state (a
    million objects at scale 1: most of a second) in the middle of whichever rebuild
    crosses its threshold. Serve rebuilds run with it paused; the garbage a rebuild leaves
    (MkDocs' pages, Jinja's environment) is collected once it is done, from the young
    generations only, and a full pass follows after half a minute without edits."""
    for timer in _GC_TIMERS:
        timer.cancel()
    _GC_TIMERS[:] = [threading.Timer(1.0, gc.collect, (1,)), threading.Timer(30.0, gc.collect)]
    for timer in _GC_TIMERS:
        timer.daemon = True
        timer.start()


class PlaindeskConfig(Config):
    content = c.Type(str, default="content")
    """The workspace folder, relative to mkdocs.yml."""
    tree = c.Type(str, default=".plaindesk/docs")
    """Where the generated page tree is written, relative to mkdocs.yml."""
    today = c.Optional(c.Type(str))
    """Pin today (YYYY-MM-DD); the PLAINDESK_TODAY environment variable overrides it."""
    fail_on_errors = c.Type(bool, default=True)
    """Fail `mkdocs build` when the workspace has errors (`serve` always shows them)."""
    admin = c.Type((dict, bool), default=True)
    """The `admin/` page's CMS: where it writes (backend, repo, branch...), false for none."""


def today_from(value: str | None) -> date | None:
    return parse_date(value) if value else None


class PlaindeskPlugin(BasePlugin[PlaindeskConfig]):
    def __init__(self) -> None:
        self.generated: Generated | None = None
        self.done = 0
        self.page_set: set[str] = set()
        self.stash: dict[str, str] = {}
        self.full: dict[str, str] = {}
        self.content = Path("content")
        self.tree = Path(".plaindesk/docs")
        self.incremental = False  # MkDocs gets the changed pages only
        self.chrome: tuple[Any, ...] = ()
        self.built: set[str] = set()  # the URLs of the pages MkDocs built this time

    def on_startup(self, *, command: str, dirty: bool) -> None:
        _COMMAND[0] = command
        _DIRTY[0] = dirty

    @event_priority(100)  # before the search plugin's, which makes an environment too
    def _keep_theme(self, config: MkDocsConfig) -> MkDocsConfig:
        if _COMMAND[0] == "serve":
            _keep_theme_work(config.theme)
        return config

    def _on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        base = Path(config.config_file_path or ".").resolve().parent
        self.content = (base / self.config.content).resolve()
        self.tree = (base / self.config.tree).resolve()
        today = today_from(os.environ.get("PLAINDESK_TODAY") or self.config.today)
        options = SiteOptions(
            edit_base=_edit_base(config),
            content_prefix=os.path.relpath(self.content, base),
            site_url=config.site_url or "",
        )
        admin: dict[str, Any] | bool = self.config.admin  # type: ignore[assignment]
        options.admin = _admin(admin, config, options.content_prefix)
        custom = config.theme.custom_dir
        if custom:
            options.template_dirs.append(Path(custom))
        # Shown relative to the working folder, as `plaindesk build` and `check` show it:
        # problem lines (Problems page, dashboard) read the same from every command.
        shown = Path(os.path.relpath(self.content))
        serving = _COMMAND[0] == "serve"
        served, _SITE.done = serving and _SITE.done, False
        self.built = set()
        changed = _TOUCHED.take(self.content) if served else None
        if served:
            gc.disable()  # for good: see _collect_when_idle
        self.generated = generate(
            shown,
            self.tree,
            options,
            today,
            PREPARED.pop(self.content, None),
            kept=_KEPT if serving else None,
            changed=changed,
        )
        self.page_set = {p for p in self.generated.pages if p.endswith(".md")}
        result = self.generated.result
        self.chrome = _chrome(config, self.generated.nav, result.workspace.settings.locale)
        # A page's frame (the nav in its sidebar, the theme's language) changed: MkDocs
        # must build every page again, not only those whose Markdown changed
        self.incremental = served and _DIRTY[0] and self.chrome == _SITE.chrome
        if self.incremental:
            # the sitemap would list only this rebuild's pages: keep the full one; the
            # 404 page shows only the frame
            config.theme.static_templates.difference_update(("sitemap.xml", "404.html"))
        if result.errors and self.config.fail_on_errors and _COMMAND[0] != "serve":
            raise PluginError(
                "the workspace has errors:\n" + format_text(result.problems, result.summary())
            )
        if _COMMAND[0] == "serve":  # errors in full (see the Problems page); else a count
            if result.errors:
                log.warning("plaindesk: %s", format_text(result.errors, result.summary()))
            else:
                log.info("plaindesk: %s", result.summary())
        # Same content and today -> same bytes: pin the build date the sitemap shows.
        midnight = datetime.combine(result.today, datetime.min.time(), UTC)
        # held to what a gzip header's 32-bit mtime holds (sitemap.xml.gz): 1970..2106
        epoch = min(max(int(midnight.timestamp()), 0), 2**32 - 1)
        os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
        ours = str(theme_dir())
        if ours not in config.theme.dirs:
            config.theme.dirs.insert(1 if custom else 0, ours)
        config.theme["language"] = result.workspace.settings.locale
        if not config.nav:
            has_help = (Path(config.docs_dir) / "help.md").is_file()
            config.nav = [e for e in self.generated.nav if has_help or "help.md" not in e.values()]
        config.validation.nav.omitted_files = logging.DEBUG
        config.validation.nav.absolute_links = logging.DEBUG
        return config

    on_config = CombinedEvent(_keep_theme, _on_config)

    def on_page_markdown(
        self, markdown: str, *, page: Any, config: MkDocsConfig, files: Files
    ) -> str:
        """A generated page's body is finished HTML: keep it away from Python-Markdown,
        which would only parse and re-emit it (most of a large build's time). Another
        engine still gets the same page through Markdown; only slower."""
        if page.file.src_uri in self.page_set:
            self.stash[page.file.src_uri] = markdown
            return ""
        return markdown

    def on_page_content(self, html: str, *, page: Any, config: MkDocsConfig, files: Files) -> str:
        """Until the page is indexed, its content is only what search should find (see
        `search_slice`); `on_page_context` puts the whole page back before it is written."""
        stashed = self.stash.pop(page.file.src_uri, None)
        if stashed is None:
            return html
        self.full[page.file.src_uri] = stashed
        return search_slice(stashed, page.meta)

    @event_priority(-100)  # after every other plugin's, the search plugin's first of all
    def on_page_context(self, context: Any, *, page: Any, config: MkDocsConfig, nav: Any) -> Any:
        self.built.add(page.url)
        full = self.full.pop(page.file.src_uri, None)
        if full is not None:
            page.content = full
        return context

    def on_post_page(self, output: str, *, page: Any, config: MkDocsConfig) -> str:
        """Progress on a terminal (`plaindesk build` sets PLAINDESK_PROGRESS there)."""
        if os.environ.get("PLAINDESK_PROGRESS") and self.generated is not None:
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
        pages = self.generated.pages
        if self.incremental:
            # MkDocs would set up, stat and skip every unchanged page (seconds at 10,000):
            # it gets the changed ones, and the nav's so that the nav resolves
            pages = sorted(
                {*self.generated.written, *_nav_pages(self.generated.nav)}.intersection(pages)
            )
        for rel in pages:
            existing = files.get_file_from_path(rel)
            if existing is not None:
                files.remove(existing)
            files.append(File.generated(config, rel, abs_src_path=str(self.tree / rel)))
        if _DIRTY[0] and _COMMAND[0] == "serve" and not self.incremental and _SITE.chrome:
            # A dirty build skips a page whose output is newer than its source: after a
            # change of frame or a failed build, every page is built again (the team's
            # own pages too), so each output is made to look older than its source
            for file in files.documentation_pages():
                with contextlib.suppress(OSError):
                    os.utime(file.abs_dest_path, ns=(0, 0))
        return files

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        if _COMMAND[0] == "serve":
            env.bytecode_cache = _BYTECODE
        return env

    @event_priority(100)  # before the search plugin writes its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """A dirty rebuild (`serve`) keeps old output: drop the pages that went since the
        last build that ran to its end (a deleted record's), and their search entries and
        those of the pages built now from the kept index."""
        assert self.generated is not None
        built, self.built = self.built, set()
        serving = _COMMAND[0] == "serve"
        pages = set(self.generated.pages)
        # serving, what went since the last build that ran to its end: one that failed
        # in between did not get here to drop its gone pages
        gone = sorted(_SITE.pages.difference(pages)) if serving else self.generated.removed
        deleted = {self._file(config, rel).url for rel in gone if rel.endswith(".md")}
        _update_search_index(config, built, deleted, self.on_post_build)
        for rel in gone:
            dest = Path(self._file(config, rel).abs_dest_path)
            dest.unlink(missing_ok=True)
            folder = dest.parent
            if folder != Path(config.site_dir) and folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        if serving:
            _SITE.done, _SITE.chrome, _SITE.pages = True, self.chrome, pages
            _collect_when_idle()
        if _COMMAND[0] in ("build", "gh-deploy"):
            # `mkdocs build` made this folder a build's: `plaindesk build` may replace it
            Path(config.site_dir, MARKER).write_text(MARKER_TEXT, encoding="utf-8")

    def on_build_error(self, *, error: Exception) -> None:
        self.built = set()
        if _COMMAND[0] == "serve":
            _collect_when_idle()

    def _file(self, config: MkDocsConfig, rel: str) -> File:
        return File(rel, str(self.tree), config.site_dir, config.use_directory_urls)

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(str(self.content))
        _use_native_watcher(server)
        return server


def _keep_theme_work(theme: Any) -> None:
    """While serving, the theme's Jinja environments (MkDocs' and its search plugin's, made
    anew for every rebuild) share compiled templates, and the list of theme assets, which
    MkDocs gets by walking every theme folder, is kept for the installed themes. The
    user's `custom_dir` is walked each time, so an asset added to it shows up."""
    get_env = getattr(theme, "get_env", None)
    if get_env is None or getattr(get_env, "plaindesk", False):
        return

    def kept_env() -> Any:
        env = get_env()
        env.bytecode_cache = _BYTECODE
        listed = env.list_templates

        def list_templates(extensions: Any = None, filter_func: Any = None) -> list[str]:
            if extensions is not None or getattr(filter_func, "__qualname__", "") != (
                "Files.add_files_from_theme.<locals>.filter"
            ):
                return list(listed(extensions, filter_func))
            static = tuple(sorted(theme.static_templates))
            found: set[str] = set()
            for folder in theme.dirs:
                names = _THEME_FILES.get((folder, static))
                if names is None:
                    names = [n for n in FileSystemLoader(folder).list_templates() if filter_func(n)]
                    if folder != theme.custom_dir:
                        _THEME_FILES[(folder, static)] = names
                found.update(names)
            return sorted(found)

        env.list_templates = list_templates
        return env

    kept_env.plaindesk = True  # type: ignore[attr-defined]
    theme.get_env = kept_env


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


def _nav_pages(entries: list[Any]) -> set[str]:
    found: set[str] = set()
    for entry in entries:
        for target in entry.values():
            if isinstance(target, list):
                found |= _nav_pages(target)
            else:
                found.add(target)
    return found


def _update_search_index(
    config: MkDocsConfig, rebuilt: set[str], deleted: set[str], ours: Any
) -> None:
    """mkdocs-material's search keeps its index between dirty rebuilds and, trusting that
    one page changed, replaces only the first rebuilt page's entries: the others would be
    listed twice, and deleted pages forever. Drop the entries of every page rebuilt or
    deleted now; the search plugin then adds the new ones.

    When the rebuilt pages index exactly as before (a card moved: its facts changed, its
    title and body did not), the kept index stays as it is and the search plugin's
    post_build handler, which would write all of it again (44 MB at scale 1), is taken
    off this build's list of handlers; `ours` (running first) is the one running now."""
    for plugin in config.plugins.values():
        prev: Any = getattr(plugin, "search_index_prev", None)
        entries = getattr(prev, "entries", None)
        now = getattr(getattr(plugin, "search_index", None), "entries", None)
        if not isinstance(entries, list) or not isinstance(now, list):
            continue
        gone = rebuilt | deleted

        def page(entry: dict[str, Any]) -> str:
            return str(entry.get("location", "")).partition("#")[0]

        before = [e for e in entries if page(e) in gone]
        if (
            not deleted
            and sorted(before, key=page) == sorted(now, key=page)
            and _drop_handler(config, "post_build", ours, getattr(plugin, "on_post_build", None))
        ):
            continue
        if gone:
            prev.entries = [e for e in entries if page(e) not in gone]


def _drop_handler(config: MkDocsConfig, event: str, running: Any, later: Any) -> bool:
    """Take `later` off this build's handlers of `event` while `running`, an earlier one,
    runs: MkDocs' run_event walks the very list, so removing an entry after the current
    one skips it (the list is made anew for every build). False if the order is not so."""
    handlers = getattr(config.plugins, "events", {}).get(event)
    if not isinstance(handlers, list) or running not in handlers or later not in handlers:
        return False
    if handlers.index(later) < handlers.index(running):
        return False
    handlers.remove(later)
    return True


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


_IGNORED_PARTS = frozenset((".git", ".plaindesk", ".plaindesk-cache"))


def _use_native_watcher(server: Any) -> None:
    """Swap MkDocs' polling watcher (it stats every watched file twice a second: a constant
    load on a large workspace, and up to half a second before an edit is seen) for
    watchdog's native one (inotify on Linux). A watched file, such as mkdocs.yml, is
    watched through its folder with events for other files dropped, so the page tree's
    own writes never set off a rebuild. Anything unexpected keeps MkDocs' watcher."""
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer

    paths = getattr(server, "_watched_paths", None)
    cond = getattr(server, "_rebuild_cond", None)
    if (
        not isinstance(paths, dict)
        or not isinstance(cond, threading.Condition)
        or server.observer.is_alive()
    ):
        return
    rebuild: threading.Condition = cond

    class Handler(FileSystemEventHandler):
        def __init__(self, only: str | None) -> None:
            self.only = only

        def on_any_event(self, event: FileSystemEvent) -> None:
            if event.event_type in ("opened", "closed_no_write"):
                return
            touched = [str(event.src_path), str(getattr(event, "dest_path", "") or "")]
            if self.only is not None and self.only not in touched:
                return
            if any(_IGNORED_PARTS.intersection(Path(p).parts) for p in touched if p):
                return
            _TOUCHED.note(touched, event.event_type if event.is_directory else None)
            if event.is_directory:
                return  # the files in it have events of their own
            with rebuild:
                server._want_rebuild = True
                rebuild.notify_all()

    observer = Observer()
    _TOUCHED.watching()
    # MkDocs waits for 0.1 s without events before rebuilding (a debounce sized for its
    # polling watcher); native events of one save (an editor's temp file and rename)
    # arrive within a millisecond or two, and a `git checkout` keeps them coming
    server.build_delay = 0.05
    for path in paths:
        if os.path.isdir(path):
            observer.schedule(Handler(None), path, recursive=True)
        else:
            observer.schedule(Handler(path), os.path.dirname(path) or ".", recursive=False)
    server.observer = observer


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
