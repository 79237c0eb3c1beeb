"""Every place where Plaindesk reaches past the public API of MkDocs or mkdocs-material, in
one module. Each such shortcut is taken only on the versions it is known to work with
(`KNOWN`); on any other version it is left out, loudly, and the public behaviour it
shortcuts is used instead. The plugin's `engine_off` option leaves out named ones, so that
what each buys can be measured (docs/incremental.md). `tests/test_engine_contract.py`
holds one contract test per shortcut: it fails when an upgrade changes what it relies on.

The shortcuts serve `serve`'s rebuilds, except `nav_block`, `page_frame` and
`empty_render`, which every build takes, and `incremental_build`: `plaindesk build` with the
last build's state (`builder.site.warm`). `mkdocs build` takes those three only
(`BUILD_SHORTCUTS`)."""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import operator
import os
import posixpath
import re
import threading
import urllib.parse
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path, PurePath
from typing import Any

from jinja2 import BytecodeCache, FileSystemLoader
from jinja2.bccache import Bucket
from mkdocs import utils as mkdocs_utils
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils.meta import YAML_RE

from builder.output import rewrite

log = logging.getLogger("mkdocs.plugins.plaindesk")

#: The releases (major.minor) each shortcut was checked against, by package.
KNOWN: dict[str, tuple[str, ...]] = {
    "mkdocs": ("1.6",),
    "mkdocs-material": ("9.8",),
    "jinja2": ("3.1",),
}

#: The shortcuts, with the packages whose internals each relies on.
THEME_LISTING = "theme_listing"
SEARCH_INDEX = "search_index"
SEARCH_WRITE = "search_write"
WATCHER = "watcher"
GC = "gc"
NAV_BLOCK = "nav_block"
PAGE_FRAME = "page_frame"
EMPTY_RENDER = "empty_render"
INCREMENTAL_BUILD = "incremental_build"
SERVE_BUILT = "serve_built"
WRITE_IN_PLACE = "write_in_place"
NEEDS: dict[str, tuple[str, ...]] = {
    # MkDocs' theme asset listing, told apart by its filter function's __qualname__
    THEME_LISTING: ("mkdocs",),
    # mkdocs-material search's kept index (`search_index_prev.entries`): what makes dirty
    # rebuilds, and so incremental ones, correct
    SEARCH_INDEX: ("mkdocs-material",),
    # MkDocs' per-build list of event handlers, and the search plugin's post_build
    SEARCH_WRITE: ("mkdocs", "mkdocs-material"),
    # the live-reload server's `observer` and which paths `mkdocs serve` watches itself
    WATCHER: ("mkdocs",),
    # Python's own collector: no engine internal
    GC: (),
    # the compiled `site_nav` block of mkdocs-material's base.html (Jinja's `Template.blocks`)
    NAV_BLOCK: ("mkdocs", "mkdocs-material", "jinja2"),
    # the compiled root of the page template (Jinja's `Template.root_render_func`) and what
    # MkDocs' `get_context` and mkdocs-material's templates read of a page
    PAGE_FRAME: ("mkdocs", "mkdocs-material", "jinja2"),
    # what MkDocs' `Page.render` leaves on a page whose Markdown is empty
    EMPTY_RENDER: ("mkdocs",),
    # MkDocs' sitemap rendering (`_build_theme_template`) and the search plugin's index
    # (`search_index.entries`, the JSON it writes): a build that builds the changed pages
    # only writes both for every page (`write_sitemap`, `write_search_index`); which of
    # `Files`' lookups MkDocs' build uses, and where it writes a page (`KeptFiles`,
    # `page_dest`: the unchanged pages are made into files only when looked up)
    INCREMENTAL_BUILD: ("mkdocs", "mkdocs-material"),
    # the live-reload server's request handling (`_serve_request`: its root, mount path,
    # epochs, script injection, content types): serve answers the pages it did not build
    # from the last build's site
    SERVE_BUILT: ("mkdocs",),
    # the one function MkDocs' build writes every page with (the search plugin its index
    # too), `mkdocs.utils.write_file`, looked up on the module at each call
    WRITE_IN_PLACE: ("mkdocs",),
}
SHORTCUTS = tuple(NEEDS)
#: The shortcuts a build takes too; the others serve only `serve`'s rebuilds.
BUILD_SHORTCUTS = frozenset({NAV_BLOCK, PAGE_FRAME, EMPTY_RENDER, INCREMENTAL_BUILD})

#: The filter function MkDocs passes when it lists a theme's static files.
THEME_FILTER = "Files.add_files_from_theme.<locals>.filter"


def installed(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def is_known(package: str, version: str | None) -> bool:
    """Whether `version` of `package` is one the shortcuts were checked against."""
    if version is None:
        return False
    return ".".join(version.split(".")[:2]) in KNOWN.get(package, ())


@dataclass(frozen=True)
class Engine:
    """Which shortcuts one MkDocs invocation takes: those not switched off whose packages
    are at a known version."""

    taken: frozenset[str] = frozenset()
    unknown: tuple[str, ...] = ()  # "package version" of each package not known to work

    @classmethod
    def check(
        cls, off: Iterable[str] = (), versions: dict[str, str | None] | None = None
    ) -> Engine:
        found = versions if versions is not None else {p: installed(p) for p in KNOWN}
        unknown = tuple(
            f"{p} {found.get(p) or '(missing)'}" for p in KNOWN if not is_known(p, found.get(p))
        )
        bad = {p for p in KNOWN if not is_known(p, found.get(p))}
        taken = frozenset(
            name for name, needs in NEEDS.items() if name not in off and not bad.intersection(needs)
        )
        return cls(taken, unknown)

    def takes(self, name: str) -> bool:
        return name in self.taken

    def warn(self) -> None:
        """Say, once per invocation, which shortcuts an unknown version turned off."""
        if not self.unknown:
            return
        lost = sorted(set(SHORTCUTS) - self.taken - {GC, INCREMENTAL_BUILD})
        log.warning(
            "plaindesk: %s not known to work with serve's shortcuts into the engine; "
            "serving without %s (correct, slower: see docs/incremental.md)",
            ", ".join(self.unknown),
            ", ".join(lost),
        )


# --- plugins kept between config loads -------------------------------------------------------


def plugin_kept(config_file: str, plugin: Any, name: str = "plaindesk") -> bool:
    """Whether loading `config_file` again gives the very `plugin` instance: MkDocs keeps a
    plugin that has `on_startup` for the whole process, which is how `plaindesk serve`
    hands its options to the instance `mkdocs serve` builds with. Trusted on a known
    MkDocs; else checked by loading the configuration again."""
    if is_known("mkdocs", installed("mkdocs")):
        return True
    from mkdocs.config import load_config

    try:
        return load_config(config_file=config_file).plugins.get(name) is plugin
    except Exception:  # an unknown MkDocs may fail in any way: it is only not kept
        return False


# --- the theme: compiled templates, and the installed themes' file list -------------------


class KeptBytecode(BytecodeCache):
    """Compiled templates kept in memory between serve rebuilds (MkDocs makes a new Jinja
    environment for each; `Environment.bytecode_cache` is Jinja's public API). Jinja
    checks each template's source, so an edited template is compiled again."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


@dataclass
class ThemeWork:
    """What serve rebuilds share of the theme."""

    bytecode: KeptBytecode = field(default_factory=KeptBytecode)
    #: (theme folder, static templates) -> the folder's files that are theme assets
    listing: dict[tuple[str, tuple[str, ...]], list[str]] = field(default_factory=dict)


def keep_theme_work(theme: Any, work: ThemeWork) -> None:
    """While serving, the theme's Jinja environments (MkDocs' and its search plugin's, made
    anew for every rebuild) share compiled templates, and MkDocs' listing of theme assets,
    which walks every theme folder (mkdocs-material's 12,000 icons), is answered from a
    kept list for the installed themes. The user's `custom_dir` is walked each time, so an
    asset added to it shows up. Only MkDocs' own listing (its filter function, by
    qualified name) is answered so; anything else is passed on."""
    get_env = getattr(theme, "get_env", None)
    if get_env is None or getattr(get_env, "plaindesk", False):
        return

    def kept_env() -> Any:
        env = get_env()
        env.bytecode_cache = work.bytecode
        listed = env.list_templates

        def list_templates(extensions: Any = None, filter_func: Any = None) -> list[str]:
            if extensions is not None or getattr(filter_func, "__qualname__", "") != THEME_FILTER:
                return list(listed(extensions, filter_func))
            static = tuple(sorted(theme.static_templates))
            found: set[str] = set()
            for folder in theme.dirs:
                names = work.listing.get((folder, static))
                if names is None:
                    names = [n for n in FileSystemLoader(folder).list_templates() if filter_func(n)]
                    if folder != theme.custom_dir:
                        work.listing[(folder, static)] = names
                found.update(names)
            return sorted(found)

        env.list_templates = list_templates
        return env

    kept_env.plaindesk = True  # type: ignore[attr-defined]
    theme.get_env = kept_env


def _packaged(folder: str) -> bool:
    """Whether a theme folder is an installed engine package's (whose files change only
    with its version): MkDocs' own themes, mkdocs-material's."""
    import material  # type: ignore[import-untyped]
    import mkdocs

    roots = [Path(m.__file__ or "").parent for m in (mkdocs, material)]
    return any(Path(folder).is_relative_to(r) for r in roots)


def _listing_key() -> str:
    return f"mkdocs {installed('mkdocs')}, mkdocs-material {installed('mkdocs-material')}"


def load_theme_listing(work: ThemeWork, path: Path) -> None:
    """`plaindesk build`: the installed themes' asset lists an earlier build kept in `path`
    (mkdocs-material's 12,000 files are walked and filtered once per version, not per
    build); a listing of another version, or an unreadable one, is not used."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if raw.get("versions") != _listing_key():
            return
        for folder, static, names in raw["listing"]:
            work.listing[(str(folder), tuple(static))] = [str(n) for n in names]
    except (OSError, ValueError, KeyError, TypeError):
        return


def save_theme_listing(work: ThemeWork, path: Path) -> None:
    """Keep the installed themes' asset lists for the next build (see load_theme_listing)."""
    rows = [[f, list(st), names] for (f, st), names in work.listing.items() if _packaged(f)]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"versions": _listing_key(), "listing": rows}), "utf-8")
    except OSError:
        return


# --- mkdocs-material's search index across dirty rebuilds ----------------------------------


def _page(entry: dict[str, Any]) -> str:
    return str(entry.get("location", "")).partition("#")[0]


def search_plugins(config: Any) -> list[Any]:
    """The plugins that keep a search index the way mkdocs-material's does."""
    found = []
    for plugin in config.plugins.values():
        prev = getattr(plugin, "search_index_prev", None)
        now = getattr(getattr(plugin, "search_index", None), "entries", None)
        if isinstance(getattr(prev, "entries", None), list) and isinstance(now, list):
            found.append(plugin)
    return found


def forget_search_entries(
    config: Any, rebuilt: set[str], deleted: set[str], running: Any, skip_write: bool
) -> None:
    """mkdocs-material's search keeps its index between dirty rebuilds and, trusting that
    one page changed, replaces only the first rebuilt page's entries: the others would be
    listed twice, and deleted pages forever. Drop the entries of every page rebuilt or
    deleted now; the search plugin then adds the new ones.

    With `skip_write`, when the rebuilt pages index exactly as before (a card moved: its
    facts changed, its title and body did not), the kept index stays as it is and the
    search plugin's post_build handler, which would write all of it again (44 MB at scale
    1), is taken off this build's list of handlers; `running` (which must run before it)
    is the handler running now."""
    gone = rebuilt | deleted
    for plugin in search_plugins(config):
        prev = plugin.search_index_prev
        entries: list[dict[str, Any]] = prev.entries
        if skip_write and not deleted:
            before = sorted((e for e in entries if _page(e) in gone), key=_page)
            if before == sorted(plugin.search_index.entries, key=_page) and drop_handler(
                config, "post_build", running, getattr(plugin, "on_post_build", None)
            ):
                continue
        if gone:
            prev.entries = [e for e in entries if _page(e) not in gone]


#: where a page's entries begin in `search_json`: its first entry's location
_FIRST_LOCATION = re.compile(rb'\{"location":("(?:[^"\\]|\\.)*")')


class SearchPages:
    """serve's search index as each page's entries, already encoded (`search_json`), in
    the order the search plugin would list them. A rebuild encodes the entries of the
    pages it built, and the index is written by joining every page's: the plugin's own
    post_build, taken off, encodes all of them again (44 MB at scale 1, a seventh of a
    person rename). The plugin's kept index (`search_index_prev`) is then no longer kept
    up; it is made from these pages again should the plugin ever have to write."""

    def __init__(self) -> None:
        self.pages: dict[str, bytes] | None = None  # page URL -> its entries' JSON
        #: page URL -> entries and their JSON as last encoded (or read from the state)
        self.encoded: dict[str, tuple[list[dict[str, Any]], bytes]] = {}
        #: page (`src_uri`) -> what its search entries were made of (a digest), and the
        #: entries (None: not decoded yet) or their JSON (`search_json`)
        self.made: dict[str, tuple[str, list[dict[str, Any]] | bytes]] = {}

    def remember(self, pages: Mapping[str, Any]) -> None:
        """What the last build's pages were searched by and their entries (the state's
        `PageEntry.searched` and `.search`), for `reuse_entries`."""
        for rel, page in pages.items():
            if page.searched:
                self.made[rel] = (page.searched, page.search)

    def searched(self, rel: str) -> str:
        """What the entries of page `rel` were made of when it was last built ("")."""
        made = self.made.get(rel)
        return made[0] if made is not None else ""

    def reuse_entries(self, config: Any) -> None:
        """on_env: the search plugin parses a built page's HTML for its entries
        (`html.parser`, half of MkDocs' time for a person renamed); a page whose searched
        part, URL, title and search settings are what they were when it was last built
        (in this serve, or in the build whose state it came from) gets the entries it got
        then. Pages with a table of contents (the team's own) are parsed as before."""
        indexes: list[Any] = [
            getattr(plugin, "search_index", None) for plugin in config.plugins.values()
        ]
        indexes = [
            index
            for index in indexes
            if isinstance(getattr(index, "entries", None), list)
            and callable(getattr(index, "add_entry_from_context", None))
        ]
        if len(indexes) != 1:
            return
        index = indexes[0]
        parse = index.add_entry_from_context
        made, encoded = self.made, self.encoded

        def add_entry_from_context(page: Any) -> None:
            if page.toc:
                parse(page)
                return
            meta, rel = page.meta, page.file.src_uri
            made_of = repr(
                (page.url, page.title, meta.get("title"), meta.get("tags"), meta.get("search"))
            )
            key = hashlib.blake2b(made_of.encode("utf-8"), digest_size=16)
            key.update(str(page.content).encode("utf-8"))
            digest = key.hexdigest()
            kept = made.get(rel)
            if kept is not None and kept[0] == digest:
                entries = kept[1]
                if isinstance(entries, bytes):
                    chunk, entries = entries, json.loads(b"[" + entries + b"]")
                    made[rel] = (digest, entries)
                    encoded[page.url] = (entries, chunk)
                index.entries.extend(entries)
                return
            start = len(index.entries)
            parse(page)
            made[rel] = (digest, index.entries[start:])

        index.add_entry_from_context = add_entry_from_context

    def seed(self, chunks: Iterable[bytes]) -> None:
        """Every page's entries as the last build's state holds them (`search_json`, one
        chunk a page; a page without entries, b""): read without decoding them."""
        self.pages = {}
        for chunk in chunks:
            first = _FIRST_LOCATION.match(chunk)
            if first is not None:
                self.pages[_page({"location": json.loads(first.group(1))})] = chunk

    def update(self, config: Any, built: set[str], deleted: set[str], running: Any) -> bool:
        """post_build of a dirty rebuild (before the search plugin's): the entries of the
        pages `built` (URLs) replace theirs, `deleted` pages' go, and the index is written
        (not when no page's entries changed: a card moved). `running` is the handler
        running now. False when there is no single search plugin to do this for."""
        plugins = search_plugins(config)
        if len(plugins) != 1:
            return False
        plugin = plugins[0]
        prev = plugin.search_index_prev
        if self.pages is None:  # serve's first build was a full one: the plugin's index
            self.pages = {}
            for url, group in _by_page(prev.entries).items():
                self.pages[url] = search_json(group).encode("utf-8")
        prev.entries = []  # not kept up from now on: `chunks` has every page's
        pages, now = self.pages, _by_page(plugin.search_index.entries)
        dropped = [pages.pop(url, None) for url in deleted]
        changed = any(chunk is not None for chunk in dropped)
        for url in built:
            chunk = self._encoded(url, now[url]) if url in now else b""
            if pages.get(url, b"") != chunk:  # a page without entries has no chunk
                changed = True
                pages.pop(url, None)  # a page built again goes last, as the plugin puts it
                if chunk:
                    pages[url] = chunk
        if not drop_handler(config, "post_build", running, plugin.on_post_build):
            # the plugin writes after all: its kept index is every page's but those built
            gone = built | deleted
            prev.entries = [e for e in json.loads(self.joined(b"[", b"]")) if _page(e) not in gone]
            return True
        path = Path(config.site_dir, *SEARCH_INDEX_FILE)
        if changed or not path.is_file():
            entries, plugin.search_index.entries = plugin.search_index.entries, []
            try:
                head = plugin.search_index.generate_search_index(None)
            finally:
                plugin.search_index.entries = entries
            if not head.endswith(_NO_DOCS):
                raise EngineChanged(f"the search plugin's index is not {{config, docs}}: {head}")
            start = head[: -len(_NO_DOCS)].encode("utf-8") + b',"docs":['
            pieces = self.pieces(start, b"]}")
            if rewrite(path, pieces, compare=False) is None:
                with open(path, "wb") as out:
                    out.writelines(pieces)
        return True

    def _encoded(self, url: str, entries: list[dict[str, Any]]) -> bytes:
        """The JSON of a built page's entries: the last one, when they are the very
        entries encoded then (`reuse_entries` gave the page its kept ones)."""
        last = self.encoded.get(url)
        same = last is not None and len(last[0]) == len(entries)
        if last is not None and same and all(map(operator.is_, last[0], entries)):
            return last[1]
        chunk = search_json(entries).encode("utf-8")
        self.encoded[url] = (entries, chunk)
        return chunk

    def chunks(self) -> list[bytes]:
        return list(self.pages.values()) if self.pages is not None else []

    def pieces(self, start: bytes, end: bytes) -> list[bytes]:
        """Every page's entries, between `start` and `end`, as the pieces of the index."""
        assert self.pages is not None
        pieces = [start]
        for chunk in self.pages.values():
            pieces += (chunk, b",")
        if len(pieces) > 1:
            pieces.pop()
        pieces.append(end)
        return pieces

    def joined(self, start: bytes, end: bytes) -> bytes:
        return b"".join(self.pieces(start, end))


_NO_DOCS = ',"docs":[]}'


def _by_page(entries: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Search entries by the page they are of (its URL), in their order."""
    pages: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        pages.setdefault(_page(entry), []).append(entry)
    return pages


def drop_handler(config: Any, event: str, running: Any, later: Any) -> bool:
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


# --- incremental builds: the sitemap and the search index of every page ------------------


class EngineChanged(Exception):
    """The engine did not do what a shortcut relies on (a contract test says what)."""


def search_entries(config: Any) -> list[dict[str, Any]] | None:
    """The search index entries of the build running now (mkdocs-material's search plugin
    adds a page's in its `on_page_context`), or None without such a plugin."""
    for plugin in config.plugins.values():
        entries = getattr(getattr(plugin, "search_index", None), "entries", None)
        if isinstance(entries, list) and callable(getattr(plugin, "on_post_build", None)):
            return entries
    return None


def search_json(entries: list[dict[str, Any]]) -> str:
    """Entries as the search plugin writes them in its index, joined by ","."""
    return ",".join(json.dumps(e, separators=(",", ":"), default=str) for e in entries)


SEARCH_INDEX_FILE = ("search", "search_index.json")


def write_search_index(config: Any, chunks: list[bytes]) -> bytes | None:
    """Rewrite the index the search plugin wrote (only the pages built now) with `chunks`,
    every page's entries (`search_json`, UTF-8) in the site's page order: its
    configuration part is kept as the plugin wrote it. The index's bytes, or None without
    a search plugin or its index."""
    entries = search_entries(config)
    path = Path(config.site_dir, *SEARCH_INDEX_FILE)
    if entries is None or not path.is_file():
        return None
    text = path.read_bytes()
    tail = b',"docs":[' + search_json(entries).encode("utf-8") + b"]}"
    if not text.endswith(tail):
        raise EngineChanged(f"{path}: the search plugin's index is not {{config, docs}}")
    merged = text[: -len(tail)] + b',"docs":[' + b",".join(c for c in chunks if c) + b"]}"
    path.write_bytes(merged)
    return merged


@dataclass(frozen=True)
class ShownPage:
    """What MkDocs' sitemap template reads of a page (`file.page.*`)."""

    abs_url: str | None
    canonical_url: str | None
    update_date: str
    is_link: bool = False


@dataclass(frozen=True)
class _ShownFile:
    page: ShownPage


class _ShownFiles(list[_ShownFile]):
    """The pages as MkDocs' sitemap rendering takes them (a `Files`' documentation pages)."""

    def documentation_pages(self) -> list[_ShownFile]:
        return list(self)


def write_sitemap(env: Any, config: Any, nav: Any, pages: list[ShownPage]) -> None:
    """Write sitemap.xml (and .gz) of `pages` as MkDocs writes those of a full build: with
    its own function and the theme's template, given every page instead of those built."""
    from mkdocs.commands import build

    render = getattr(build, "_build_theme_template", None)
    if render is None:
        raise EngineChanged("mkdocs.commands.build has no _build_theme_template")
    render("sitemap.xml", env, _ShownFiles(_ShownFile(p) for p in pages), config, nav)


# --- serve: the pages of the last build's site ----------------------------------------

#: What `answer_from_built` reads of MkDocs' live-reload server.
SERVER_PARTS = (
    "_serve_request",
    "_epoch_cond",
    "_visible_epoch",
    "_wanted_epoch",
    "_watched_paths",
    "_inject_js_into_html",
    "_guess_type",
    "root",
    "mount_path",
)


def page_body(text: str) -> str:
    """A page tree file's body, as MkDocs hands it to `on_page_markdown`: the text past
    its front matter (which the generator always writes as a YAML mapping), found with
    MkDocs' own pattern without parsing the YAML again (`mkdocs.utils.meta.get_data`)."""
    found = YAML_RE.match(text)
    return text[found.end() :].lstrip("\n") if found else text


#: MkDocs' own `write_file`, put back by `write_in_place(False)`.
_MKDOCS_WRITE = mkdocs_utils.write_file


def _write_in_place(content: bytes, output_path: str) -> None:
    if rewrite(output_path, content, compare=False) is None:
        _MKDOCS_WRITE(content, output_path)


def write_in_place(on: bool = True) -> None:
    """Have MkDocs write its pages over the files already there (`output.rewrite`) instead
    of truncating them first: serve rewrites the same pages at every edit, and on ext4 a
    file truncated moments after its last write waits for that write to reach the disk
    (a person renamed: 1,000 pages, seconds). A hard-linked file is unlinked, not written
    through; a missing one is written by MkDocs' own function. `False` puts MkDocs'
    function back (serve's end; any other function found there is left as it is)."""
    if on:
        mkdocs_utils.write_file = _write_in_place
    elif mkdocs_utils.write_file is _write_in_place:
        mkdocs_utils.write_file = _MKDOCS_WRITE


def answer_from_built(server: Any, built: dict[str, str]) -> bool:
    """Have the live-reload server answer the files of `built` (site-relative path -> a
    file of the last build's site) that its own site folder lacks, as it answers its own:
    the same waiting for a rebuild to end, the same live-reload script in HTML, the same
    headers. `built` is read at each request: what a rebuild writes (it is then in the
    server's folder) or drops (the caller takes it out of `built`) wins. False, and
    nothing changed, when the server is not as this relies on."""
    if not all(hasattr(server, part) for part in SERVER_PARTS):
        return False
    original = server._serve_request

    def serve_request(environ: dict[str, Any], start_response: Any) -> Any:
        answer = _answer_built(server, built, environ, start_response)
        return original(environ, start_response) if answer is None else answer

    server._serve_request = serve_request
    return True


def _answer_built(
    server: Any, built: dict[str, str], environ: dict[str, Any], start_response: Any
) -> list[bytes] | None:
    if not built:
        return None
    # as `LiveReloadServer._serve_request` maps a request to a file
    path = environ["PATH_INFO"].encode("latin-1").decode("utf-8", "ignore")
    mount = server.mount_path
    if path.startswith("/livereload/") or not (path + "/").startswith(mount):
        return None
    rel = path[len(mount) :] + ("index.html" if path.endswith("/") else "")
    rel = posixpath.normpath("/" + rel).lstrip("/")
    if rel not in built:
        if not path.endswith("/") and f"{rel}/index.html" in built:
            if os.path.exists(os.path.join(server.root, rel)):
                return None
            start_response("302 Found", [("Location", urllib.parse.quote(path) + "/")])
            return []
        return None
    with server._epoch_cond:
        server._epoch_cond.wait_for(lambda: server._visible_epoch == server._wanted_epoch)
        epoch = server._visible_epoch
    source = built.get(rel)
    if source is None or os.path.exists(os.path.join(server.root, rel)):
        return None
    try:
        with open(source, "rb") as f:
            content = f.read()
    except OSError:
        return None
    if server._watched_paths and source.endswith(".html"):
        content = server._inject_js_into_html(content, epoch)
    start_response(
        "200 OK",
        [("Content-Type", server._guess_type(source)), ("Content-Length", str(len(content)))],
    )
    return [content]


def seed_search_entries(config: Any, chunks: list[bytes]) -> bool:
    """Make the search index that serve's search plugin keeps between rebuilds (its
    `search_index_prev`) hold `chunks`, every page's entries as JSON (`search_json`):
    its first build built a few pages and wrote the others' entries from the last
    build's state. False without such a plugin."""
    plugins = search_plugins(config)
    if not plugins:
        return False
    entries = json.loads(b"[" + b",".join(c for c in chunks if c) + b"]")
    for plugin in plugins:
        plugin.search_index_prev.entries = list(entries)
    return True


# --- the file watcher --------------------------------------------------------------------


class Touched:
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


IGNORED_PARTS = frozenset((".git", ".plaindesk", ".plaindesk-cache"))
#: events that change nothing (watchdog's native observer reports reads too)
QUIET_EVENTS = ("opened", "closed_no_write")


def changes_only() -> list[type]:
    """The watchdog events a save, a new, moved or deleted file or folder give."""
    from watchdog import events as ev

    return [
        ev.FileCreatedEvent,
        ev.FileDeletedEvent,
        ev.FileModifiedEvent,
        ev.FileMovedEvent,
        ev.FileClosedEvent,
        ev.DirCreatedEvent,
        ev.DirDeletedEvent,
        ev.DirModifiedEvent,
        ev.DirMovedEvent,
    ]


def native_observer(touched: Touched) -> Any:
    """watchdog's native observer (inotify on Linux), for the handlers MkDocs' public
    `watch` schedules on it: events that change nothing and those under ignored folders
    (.git, the page tree, the history cache) are dropped, the rest noted in `touched`; a
    watched file is watched through its folder, since an editor's save replaces it."""
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer

    class Filtered(FileSystemEventHandler):
        def __init__(self, inner: Any, only: str | None) -> None:
            self.inner, self.only = inner, only

        def dispatch(self, event: FileSystemEvent) -> None:
            if event.event_type in QUIET_EVENTS:
                return
            paths = [str(event.src_path), str(getattr(event, "dest_path", "") or "")]
            if self.only is not None and self.only not in paths:
                return
            if any(IGNORED_PARTS.intersection(Path(p).parts) for p in paths if p):
                return
            touched.note(paths, event.event_type if event.is_directory else None)
            self.inner.dispatch(event)

    class Native(Observer):  # type: ignore[misc,valid-type]
        def schedule(
            self, event_handler: Any, path: str, *, recursive: bool = False, **more: Any
        ) -> Any:
            only = None
            if not os.path.isdir(path):
                only = os.path.abspath(path)
                path, recursive = os.path.dirname(only), False
            # the kernel queues only events that change something: a file read (an open
            # and a close without writing) is not queued, so `plaindesk check` or a grep
            # over 13,000 files while serve runs cannot overflow the queue (16,384 events
            # by default), which loses the events of the next save
            more.setdefault("event_filter", changes_only())
            return super().schedule(
                Filtered(event_handler, only), path, recursive=recursive, **more
            )

    return Native()


def use_native_watcher(server: Any, candidates: list[str], touched: Touched) -> bool:
    """Swap MkDocs' polling watcher (it stats every watched file twice a second: a constant
    load on a large workspace, and up to half a second before an edit is seen) for the
    native one, through the server's public `unwatch`/`watch` and its `observer`. Runs
    before every other plugin's on_serve: what is watched then is what `mkdocs serve`
    itself watches, among `candidates` (the docs folder, the config file, the theme's
    folders); `unwatch` raises for a path not watched. Later watches land on the native
    observer. False, with MkDocs' watcher kept, if the observer runs already."""
    observer = getattr(server, "observer", None)
    if observer is None or observer.is_alive():
        return False
    moved: list[str] = []
    for path in dict.fromkeys(candidates):
        while True:
            try:
                server.unwatch(path)
            except KeyError:
                break
            moved.append(path)
    server.observer = native_observer(touched)
    touched.watching()
    # MkDocs waits for 0.1 s without events before rebuilding (a debounce sized for its
    # polling watcher); native events of one save (an editor's temp file and rename)
    # arrive within a millisecond or two, and a `git checkout` keeps them coming
    server.build_delay = 0.05
    for path in moved:
        server.watch(path)
    return True


# --- Python's cyclic collector ------------------------------------------------------------


class GcPause:
    """Python's cyclic collector, left to itself, runs a full pass over the kept state (a
    million objects at scale 1: most of a second) in the middle of whichever rebuild
    crosses its threshold. It is paused while a serve rebuild runs; a second after the
    rebuild (when the browser has its page) the garbage the rebuild left (MkDocs' pages,
    Jinja's environment) is collected from the young generations and the collector runs
    again, and a full pass follows after half a minute without edits."""

    def __init__(self, resume_after: float = 1.0, full_after: float = 30.0) -> None:
        self.lock = threading.Lock()
        self.paused = False
        self.epoch = 0  # one more at each pause: a timer of an earlier one does nothing
        self.timers: list[threading.Timer] = []
        self.delays = (resume_after, full_after)

    def pause(self) -> None:
        with self.lock:
            self.epoch += 1
            self._cancel()
            if not self.paused and gc.isenabled():
                gc.disable()
                self.paused = True

    def resume_soon(self) -> None:
        with self.lock:
            self._cancel()
            epoch = self.epoch
            self.timers = [
                threading.Timer(self.delays[0], self._resume, (epoch,)),
                threading.Timer(self.delays[1], self._full, (epoch,)),
            ]
            for timer in self.timers:
                timer.daemon = True
                timer.start()

    def stop(self) -> None:
        """Resume now and for good (the invocation ends)."""
        with self.lock:
            self.epoch += 1
            self._cancel()
            self._enable()

    def _resume(self, epoch: int) -> None:
        with self.lock:
            if epoch == self.epoch and self.paused:
                gc.collect(1)
                self._enable()

    def _full(self, epoch: int) -> None:
        with self.lock:
            if epoch == self.epoch:
                gc.collect()

    def _enable(self) -> None:
        if self.paused:
            gc.enable()
            self.paused = False

    def _cancel(self) -> None:
        for timer in self.timers:
            timer.cancel()
        self.timers = []


# --- mkdocs-material's navigation, rendered once per folder ---------------------------------


class _NavPages:
    """Whether a page is in the nav or has a nav page under its URL (such a page's
    sidebars mark it), for the nav of the build at hand."""

    def __init__(self) -> None:
        self.nav = 0
        self.ids: set[int] = set()
        self.urls: tuple[str, ...] = ()

    def holds(self, nav: Any, page: Any) -> bool:
        if id(nav) != self.nav:
            self.nav = id(nav)
            self.ids = {id(p) for p in nav.pages}
            self.urls = tuple(p.url for p in nav.pages)
        return id(page) in self.ids or any(u.startswith(page.url) for u in self.urls if page.url)


def share_nav_block(env: Any) -> dict[tuple[object, ...], str]:
    """mkdocs-material renders its navigation sidebars (`site_nav`, the same bounded nav)
    again on every page: a fifth of a build's time on a site of record pages. A page
    that is not in the nav and has no table of contents gets the very HTML any other
    such page in the same folder gets (the nav's links are relative to the page's
    folder, and nothing in it is marked active), so the block is rendered once per
    folder and hidden parts (`hide:`) and given to the others. Pages in the nav, pages
    with a table of contents and pages under which a nav entry lies are rendered as the
    theme does. Works on the environment MkDocs renders pages with (`on_env`); returns
    the shared HTML by (folder, base URL, hidden parts), filled in as pages render."""
    rendered: dict[tuple[object, ...], str] = {}
    base = env.get_template("base.html")
    block = base.blocks.get("site_nav")
    if block is None or getattr(block, "plaindesk", False):
        return rendered
    in_nav = _NavPages()

    def key(context: Any) -> tuple[object, ...] | None:
        page, nav = context.get("page"), context.get("nav")
        if page is None or nav is None or len(page.toc) or not isinstance(page.url, str):
            return None
        if in_nav.holds(nav, page):
            return None
        hide = (page.meta or {}).get("hide") or ()
        folder = page.url.rstrip("/").rpartition("/")[0]
        return folder, context.get("base_url"), str(hide)

    def site_nav(context: Any) -> Iterable[str]:
        found = key(context)
        if found is None:
            yield from block(context)
            return
        html = rendered.get(found)
        if html is None:
            html = rendered[found] = "".join(block(context))
        yield html

    site_nav.plaindesk = True  # type: ignore[attr-defined]
    base.blocks["site_nav"] = site_nav
    return rendered


# --- mkdocs-material's page frame, rendered once per folder ---------------------------------

#: What MkDocs' `get_context` gives a page's template; a plugin that adds to it may make
#: pages differ in ways a frame cannot see, so such a page is rendered as the theme does.
PAGE_CONTEXT = frozenset(
    {
        "nav",
        "pages",
        "base_url",
        "extra_css",
        "extra_javascript",
        "mkdocs_version",
        "build_date_utc",
        "config",
        "page",
    }
)
#: The page fields a frame leaves holes for, and the meta keys a framed page may have.
FRAME_FIELDS = ("title", "content", "url", "canonical_url", "edit_url")
FRAME_META = frozenset({"title", "hide"})


def _marker(name: str) -> str:
    """A hole's marker. Any filter that changes text changes it (escaping, stripping tags
    or spaces, case, URL encoding), so a template that filters a field leaves no marker
    where it shows it, and the frame is refused."""
    return f" \x00Pd-{name}&<i>\"'  x\x00 "


#: A body with its own <h1> gets no heading from the theme: its marker holds one too.
_H1 = "content\u003ch1"
_MARKERS = {_marker(name): name for name in FRAME_FIELDS} | {_marker(_H1): "content"}


def _url_parts(url: str) -> tuple[str, str, str] | None:
    """A page URL as (folder part, name, ending): `tasks/x/` is ("tasks/", "x", "/"),
    `tasks/x.html` ("tasks/", "x", ".html"); None for another shape."""
    if "\x00" in url:
        return None
    body = url[:-1] if url.endswith("/") else url
    head, sep, tail = body.rpartition("/")
    end = url[len(body) :]
    if not end:
        tail, dot, ext = tail.rpartition(".")
        end = dot + ext
        if not dot:
            return None
    return (head + sep, tail, end) if tail else None


class _FramePage:
    """A page of a folder as its frame is rendered: every field a marker, the URL's last
    part too (links are relative to the folder, which stays)."""

    previous_page = None
    next_page = None
    is_homepage = False
    toc: tuple[()] = ()

    def __init__(self, page: Any, url: tuple[str, str, str]) -> None:
        self.title = _marker("title")
        self.meta = {**page.meta, "title": self.title}
        self.content = _marker(_H1 if "\u003ch1" in page.content else "content")
        self.url = url[0] + _marker("url") + url[2]
        self.canonical_url = _marker("canonical_url") if page.canonical_url else None
        self.edit_url = _marker("edit_url") if page.edit_url else None


def _frame_key(context: Any, globals_: Any, in_nav: _NavPages) -> tuple[object, ...] | None:
    """The frame a page shares with its folder's others (see `share_page_frame`), or None
    for a page rendered as the theme does."""
    page, nav = context.get("page"), context.get("nav")
    if page is None or nav is None or not isinstance(page.url, str):
        return None
    if not PAGE_CONTEXT.issuperset(k for k in context.parent if k not in globals_):
        return None
    meta, content, title = page.meta, page.content, page.title
    if not isinstance(meta, dict) or not meta or not FRAME_META.issuperset(meta):
        return None
    if not isinstance(title, str) or not title or meta.get("title") != title:
        return None
    if not isinstance(content, str) or len(page.toc) or page.is_homepage:
        return None
    if page.previous_page is not None or page.next_page is not None:
        return None
    parts = _url_parts(page.url)
    if parts is None or in_nav.holds(nav, page):
        return None
    return (
        parts[0],
        parts[2],
        context.get("base_url"),
        str(meta.get("hide") or ()),
        "\u003ch1" in content,
        page.canonical_url is not None,
        page.edit_url is not None,
        tuple(map(str, context.get("extra_css") or ())),
        tuple(map(str, context.get("extra_javascript") or ())),
        str(context.get("build_date_utc")),
    )


def _fill(pieces: list[str], page: Any) -> str:
    """A frame (text, marker, text, ...) with `page`'s fields in its holes."""
    parts = _url_parts(page.url)
    values = {
        "title": page.title,
        "content": page.content,
        "url": parts[1] if parts else "",
        "canonical_url": page.canonical_url or "",
        "edit_url": page.edit_url or "",
    }
    return "".join(p if i % 2 == 0 else values[_MARKERS[p]] for i, p in enumerate(pieces))


def share_page_frame(
    env: Any, template: str = "main.html"
) -> dict[tuple[object, ...], list[str] | None]:
    """mkdocs-material wraps every page in the same frame (head, header, search, sidebars,
    footer, scripts): after `nav_block`, most of a build's template time, though a record
    page's frame differs from its folder's others only in its title, body, URL and edit
    and canonical links. For a page out of the nav, with no table of contents, a title in
    its meta and nothing else but `hide:`, the frame is rendered once per folder (and
    base URL, hidden parts, whether the body has its own <h1>, which links it has) with a
    marker in each hole, and each such page gets it with its own fields in the holes.

    A frame is trusted only once the first page of its folder, rendered as the theme
    does, is byte for byte the frame filled with that page's fields; otherwise its
    folder is rendered page by page. The markers hold characters every text filter
    changes, so a template that filters a field (escapes it, URL-encodes it) shows no
    marker there and the check refuses the frame. Wraps the compiled root of `template`
    in the environment MkDocs renders pages with (`on_env`); returns the frames by key
    (None where refused), filled in as pages render."""
    frames: dict[tuple[object, ...], list[str] | None] = {}
    try:
        tmpl = env.get_template(template)
    except Exception:  # no such template: nothing to share
        return frames
    root = tmpl.root_render_func
    if getattr(root, "plaindesk", False):
        return frames
    in_nav = _NavPages()
    split = re.compile("(" + "|".join(map(re.escape, _MARKERS)) + ")")

    def frame(context: Any) -> list[str]:
        page = context.get("page")
        parts = _url_parts(page.url)
        assert parts is not None  # _frame_key said so
        ctx = tmpl.new_context({**context.parent, "page": _FramePage(page, parts)})
        return split.split("".join(root(ctx)))

    def render(context: Any) -> Iterable[str]:
        found = _frame_key(context, tmpl.globals, in_nav)
        pieces = frames.get(found) if found is not None else None
        if pieces is not None:
            yield _fill(pieces, context.get("page"))
        elif found is None or found in frames:
            yield from root(context)
        else:
            html = "".join(root(context))
            pieces = frame(context)
            frames[found] = pieces if _fill(pieces, context.get("page")) == html else None
            yield html

    render.plaindesk = True  # type: ignore[attr-defined]
    tmpl.root_render_func = render
    return frames


# --- a generated page's empty Markdown, not handed to Python-Markdown -----------------------


def render_empty(page: Any) -> None:
    """A generated page's Markdown is made empty (`on_page_markdown`: its body is HTML
    already), yet MkDocs' `Page.render` still builds a Python-Markdown instance with every
    extension for it, about 0.2 ms a page, to convert nothing (Python-Markdown returns ""
    for a blank source before any extension runs). This page's `render` leaves what that
    would: no content, no table of contents, no title from the body, no anchors, no links
    to anchors."""
    from mkdocs.structure.toc import get_toc

    pages_log = logging.getLogger("mkdocs.structure.pages")

    def render(config: Any, files: Any) -> None:
        if page.markdown is None or page.markdown.strip():
            type(page).render(page, config, files)
            return
        page.content = ""
        page.toc = get_toc([])
        page._title_from_render = None
        page.present_anchor_ids = set()
        if pages_log.getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = {}

    page.render = render


# --- a warm build's unchanged pages, registered only when looked up --------------------------


def page_dest(src_uri: str, use_directory_urls: bool) -> str:
    """Where MkDocs writes the page at `src_uri` (`File.dest_uri`), without a `File`:
    `a/b.md` -> `a/b/index.html` (`a/b.html` without directory URLs), `index.md` and
    `README.md` -> `index.html`."""
    parent, filename = posixpath.split(src_uri)
    stem = posixpath.splitext(filename)[0]
    if stem == "README":
        stem = "index"
    if not use_directory_urls or stem == "index":
        return posixpath.join(parent, stem + ".html")
    return posixpath.join(parent, stem, "index.html")


class KeptFiles(Files):
    """A warm build's files (`warm.Incremental.register`): what MkDocs builds or copies is
    in it as usual; the unchanged pages (13,000 at scale 1), which MkDocs neither reads nor
    writes, are made into `File` objects (excluded, so that links to them resolve as in a
    full build) only when MkDocs looks one up. MkDocs 1.6 looks files up only through
    `get_file_from_path` (the nav, the links of the pages it renders, an extra template)
    and `in`; `src_uris` makes every kept page first. Iterating gives the files MkDocs
    builds and copies: the kept pages are excluded, which every iteration of MkDocs'
    build skips (`documentation_pages`, `copy_static_files`, `set_exclusions` only sets
    an undefined inclusion). `tests/test_engine_contract.py` holds MkDocs to it."""

    def __init__(self, files: Iterable[File], config: Any, tree: Path, kept: set[str]) -> None:
        super().__init__(files)
        self._config, self._tree = config, tree
        self._kept = kept  # src_uris of pages not made into a File yet
        self.made = 0  # kept pages looked up, so made

    def _made(self, uri: str) -> File | None:
        if uri not in self._kept:
            return None
        self._kept.discard(uri)
        file = File.generated(
            self._config,
            uri,
            abs_src_path=str(self._tree / uri),
            inclusion=InclusionLevel.EXCLUDED,
        )
        self.append(file)
        self.made += 1
        return file

    def get_file_from_path(self, path: str) -> File | None:
        found = super().get_file_from_path(path)
        if found is None and self._kept:
            found = self._made(PurePath(path).as_posix())
        return found

    def __contains__(self, path: str) -> bool:
        return self.get_file_from_path(path) is not None

    @property
    def src_uris(self) -> Mapping[str, File]:
        for uri in sorted(self._kept):
            self._made(uri)
        return super().src_uris
