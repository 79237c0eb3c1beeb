"""Contracts with the engine: one test per thing `builder.site.engine` relies on beyond the
public API of MkDocs and mkdocs-material. Each fails, saying what changed, when an upgrade
changes it; then re-check the shortcut, fix it or drop it, and add the version to
`engine.KNOWN`. Also: the hand-over from the CLI to the plugin, and what replaced the
process-wide settings (the sitemap's date, the paused collector)."""

from __future__ import annotations

import gc
import gzip
import json
import logging
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import make_workspace
from site_cases import SMALL, project

from builder.site import engine

SITE_YML = (
    "site_name: T\nsite_url: https://example.org/\ntheme:\n  name: material\nplugins:\n  - search\n"
)


@pytest.fixture
def mkdocs_project(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(SITE_YML, encoding="utf-8")
    return tmp_path / "mkdocs.yml"


# --- versions ---------------------------------------------------------------------------


def test_the_installed_engine_is_a_known_one() -> None:
    """The shortcuts are taken only on versions checked against: an upgrade lands here
    first. Run this file, then add the new release to `engine.KNOWN`."""
    for package in engine.KNOWN:
        version = engine.installed(package)
        assert engine.is_known(package, version), (
            f"{package} {version} is not in engine.KNOWN: serve runs without its shortcuts "
            "until this file passes with it and KNOWN lists it"
        )
    assert engine.Engine.check().taken == frozenset(engine.SHORTCUTS)


def test_an_unknown_version_leaves_out_its_shortcuts_loudly(
    caplog: pytest.LogCaptureFixture,
) -> None:
    versions: dict[str, str | None] = {
        "mkdocs": "1.6.1",
        "mkdocs-material": "10.0.0",
        "jinja2": "3.1.6",
    }
    checked = engine.Engine.check(versions=versions)
    assert checked.taken == {
        engine.THEME_LISTING,
        engine.WATCHER,
        engine.GC,
        engine.EMPTY_RENDER,
        engine.SERVE_BUILT,
        engine.WRITE_IN_PLACE,
    }
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.plaindesk"):
        checked.warn()
    assert caplog.messages == [
        "plaindesk: mkdocs-material 10.0.0 not known to work with serve's shortcuts into "
        "the engine; serving without nav_block, page_frame, search_index, search_write "
        "(correct, slower: see docs/incremental.md)"
    ]
    versions = {"mkdocs": "1.6.1", "mkdocs-material": "9.8.2", "jinja2": "4.0.0"}
    assert engine.Engine.check(versions=versions).taken == set(engine.SHORTCUTS) - {
        engine.NAV_BLOCK,
        engine.PAGE_FRAME,
    }
    versions = {"mkdocs": "1.7.0", "mkdocs-material": None}
    assert engine.Engine.check(versions=versions).taken == {engine.GC}
    off = engine.Engine.check([engine.WATCHER, engine.GC])
    assert off.taken == {
        engine.THEME_LISTING,
        engine.SEARCH_INDEX,
        engine.SEARCH_WRITE,
        engine.NAV_BLOCK,
        engine.PAGE_FRAME,
        engine.EMPTY_RENDER,
        engine.INCREMENTAL_BUILD,
        engine.SERVE_BUILT,
        engine.WRITE_IN_PLACE,
    }


# --- the plugin instance the CLI hands over to ---------------------------------------------


def test_mkdocs_keeps_a_plugin_with_on_startup_across_config_loads(tmp_path: Path) -> None:
    """`plaindesk serve` hands its options to the plugin of the configuration it loads;
    `mkdocs serve` loads the configuration again and must get that very instance."""
    from mkdocs.config import load_config

    root = make_workspace(tmp_path, project(SMALL))
    first = load_config(str(root / "mkdocs.yml")).plugins["plaindesk"]
    again = load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "s")).plugins
    assert again["plaindesk"] is first
    assert engine.plugin_kept(str(root / "mkdocs.yml"), first)


# --- the theme's asset listing ------------------------------------------------------------


def test_mkdocs_lists_theme_assets_with_the_filter_the_shortcut_knows(
    mkdocs_project: Path,
) -> None:
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    config = load_config(str(mkdocs_project))
    theme = config.theme
    assert callable(theme.get_env)
    assert isinstance(theme.dirs, list) and isinstance(theme.static_templates, set)
    seen: list[Any] = []

    class Env:
        def list_templates(self, extensions: Any = None, filter_func: Any = None) -> list[str]:
            seen.append((extensions, filter_func))
            return []

    Files([]).add_files_from_theme(Env(), config)  # type: ignore[arg-type]
    assert len(seen) == 1, "MkDocs no longer lists theme assets once per build"
    extensions, filter_func = seen[0]
    assert extensions is None
    assert filter_func.__qualname__ == engine.THEME_FILTER
    assert filter_func("assets/x.css") and not filter_func("main.html")


# --- mkdocs-material's search index across dirty rebuilds -----------------------------------


def with_site_url(files: dict[str, str | bytes]) -> dict[str, str | bytes]:
    """A project whose sitemap lists its pages (MkDocs needs the site's URL for that)."""
    return {**files, "mkdocs.yml": f"site_url: https://example.org/\n{files['mkdocs.yml']!s}"}


def entries(*pages: str) -> list[dict[str, str]]:
    return [
        {"location": f"{p}{anchor}", "title": p, "text": ""} for p in pages for anchor in ("", "#a")
    ]


def search_plugin_after_one_dirty_build(config_file: Path) -> tuple[Any, Any]:
    from mkdocs.config import load_config

    config = load_config(str(config_file))
    search: Any = config.plugins["material/search"]
    search.on_startup(command="serve", dirty=True)
    search.on_config(config)
    search.search_index.entries = entries("a/", "b/", "c/")
    search.on_post_build(config=config)
    assert search.search_index_prev is search.search_index, "the index is no longer kept"
    search.on_config(config)
    return config, search


def test_material_search_keeps_its_index_and_replaces_one_page_of_it(
    mkdocs_project: Path,
) -> None:
    """The behaviour `forget_search_entries` corrects: a dirty rebuild of two pages lists
    the second one twice. If this fails, mkdocs-material changed how it merges."""
    import json

    _, search = search_plugin_after_one_dirty_build(mkdocs_project)
    assert search.search_index_prev.entries == entries("a/", "b/", "c/")
    assert search.search_index.entries == []
    search.search_index.entries = entries("a/", "b/")
    merged = json.loads(search.search_index.generate_search_index(search.search_index_prev))
    locations = [e["location"] for e in merged["docs"]]
    assert sorted(locations) == sorted(["b/", "b/#a", "c/", "c/#a", "a/", "a/#a", "b/", "b/#a"])


def test_forgetting_rebuilt_and_deleted_pages_gives_the_index_of_a_full_build(
    mkdocs_project: Path,
) -> None:
    import json

    config, search = search_plugin_after_one_dirty_build(mkdocs_project)
    search.search_index.entries = entries("a/", "b/")
    engine.forget_search_entries(config, {"a/", "b/"}, {"c/"}, None, skip_write=False)
    merged = json.loads(search.search_index.generate_search_index(search.search_index_prev))
    assert sorted(e["location"] for e in merged["docs"]) == sorted(
        e["location"] for e in entries("a/", "b/")
    )


def test_seeding_the_kept_index_gives_the_next_rebuild_every_pages_entries(
    mkdocs_project: Path,
) -> None:
    """serve's first build from the last build's state built a few pages: the index the
    search plugin keeps is made every page's (`seed_search_entries`), then a rebuild
    replaces the pages it builds."""
    import json

    config, search = search_plugin_after_one_dirty_build(mkdocs_project)
    every = entries("a/", "b/", "c/", "d/")
    chunks = [engine.search_json(every[:4]).encode(), b"", engine.search_json(every[4:]).encode()]
    assert engine.seed_search_entries(config, chunks)
    assert search.search_index_prev.entries == every
    search.search_index.entries = entries("b/")
    engine.forget_search_entries(config, {"b/"}, {"d/"}, None, skip_write=False)
    merged = json.loads(search.search_index.generate_search_index(search.search_index_prev))
    search.search_index_prev = None  # MkDocs keeps the plugin for the next tests' loads
    assert sorted(e["location"] for e in merged["docs"]) == sorted(
        e["location"] for e in entries("a/", "b/", "c/")
    )


def test_serves_index_joined_page_by_page_is_the_one_the_plugin_writes(
    mkdocs_project: Path, tmp_path: Path
) -> None:
    """`SearchPages`: seeded with every page's entries, a rebuild of b/ (its entries
    changed) with d/ and e/ deleted writes, instead of the search plugin, the bytes the plugin
    writes for the same index (its configuration part, then the entries, b/ last as the
    plugin puts a rebuilt page); an unchanged rebuild writes nothing."""
    import json

    from mkdocs.config import load_config

    config, search = search_plugin_after_one_dirty_build(mkdocs_project)
    config.site_dir = str(tmp_path / "site")
    every = entries("a/", "b/", "c/", "d/", "e/", "")
    chunks = [engine.search_json(every[i : i + 2]).encode() for i in range(0, 12, 2)]
    pages = engine.SearchPages()
    pages.seed([*chunks[:2], b"", *chunks[2:]])

    def rebuild(built: list[dict[str, str]], urls: set[str], deleted: set[str]) -> None:
        search.on_config(config)  # a rebuild's new, empty index
        search.search_index.entries = list(built)

        def ours(*, config: Any) -> None:
            assert pages.update(config, urls, deleted, ours)

        handlers = [ours, search.on_post_build]
        config.plugins.events["post_build"] = handlers
        config.plugins.on_post_build(config=config)
        assert handlers == [ours], "the plugin's own post_build was not taken off"

    index = tmp_path / "site/search/search_index.json"
    rebuilt = [{**e, "text": "new"} for e in entries("b/")]
    try:
        rebuild(rebuilt, {"b/"}, {"d/", "e/"})
    finally:
        search.search_index_prev = None  # MkDocs keeps the plugin for the next tests' loads
    written = index.read_bytes()
    # the plugin's own index of the same pages, in the same order, from a full build
    full = load_config(str(mkdocs_project), site_dir=str(tmp_path / "full"))
    plugin: Any = full.plugins["material/search"]
    plugin.on_startup(command="build", dirty=False)
    plugin.on_config(full)
    plugin.search_index.entries = [*entries("a/", "c/", ""), *rebuilt]
    plugin.on_post_build(config=full)
    assert written == (tmp_path / "full/search/search_index.json").read_bytes()
    assert [e["location"] for e in json.loads(written)["docs"]][-2:] == ["b/", "b/#a"]
    # a rebuild whose pages index as before (x/ has no entries, then as now) writes nothing
    index.write_bytes(b"unchanged")
    search.search_index_prev = search.search_index
    try:
        rebuild(rebuilt, {"b/", "x/"}, set())
    finally:
        search.search_index_prev = None
    assert index.read_bytes() == b"unchanged"


def test_a_page_searched_as_before_gets_its_entries_without_a_parse(
    mkdocs_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`SearchPages.reuse_entries`: the search plugin's page hook reaches the index's
    `add_entry_from_context` through the instance; a page whose searched HTML, URL and
    title are unchanged gets the entries the plugin made of it, unparsed; a changed one
    is parsed again."""
    from types import SimpleNamespace

    from material.plugins.search import plugin as search_module  # type: ignore[import-untyped]

    config, search = search_plugin_after_one_dirty_build(mkdocs_project)
    search.search_index_prev = None
    parsed: list[str] = []
    feed = search_module.Parser.feed

    def counted(self: Any, data: str) -> None:
        parsed.append(data)
        feed(self, data)

    monkeypatch.setattr(search_module.Parser, "feed", counted)
    pages = engine.SearchPages()

    def build(html: str) -> list[dict[str, Any]]:
        search.on_config(config)  # a rebuild's new, empty index
        pages.reuse_entries(config)
        page = SimpleNamespace(
            url="tasks/a/",
            title="Task A",
            meta={"title": "Task A"},
            toc=[],
            content=html,
            file=SimpleNamespace(src_uri="tasks/a.md"),
        )
        search.on_page_context({}, page=page, config=config, nav=None)
        return list(search.search_index.entries)

    first = build("<p>Body of A.</p>")
    assert [e["location"] for e in first] == ["tasks/a/"] and len(parsed) == 1
    assert build("<p>Body of A.</p>") == first and len(parsed) == 1
    # the kept entries are the very ones encoded before: their JSON is not made again
    chunk = pages._encoded("tasks/a/", first)
    assert pages._encoded("tasks/a/", search.search_index.entries) is chunk
    assert pages._encoded("tasks/a/", [dict(e) for e in first]) == chunk
    again = build("<p>Body of A, edited.</p>")
    assert again[0]["text"] == "<p>Body of A, edited.</p>" and len(parsed) == 2
    # from a build's state: what the page was searched by, and its entries as JSON
    searched = pages.searched("tasks/a.md")
    pages = engine.SearchPages()
    state_page = SimpleNamespace(searched=searched, search=engine.search_json(again).encode())
    pages.remember({"tasks/a.md": state_page})
    assert build("<p>Body of A, edited.</p>") == again and len(parsed) == 2


# --- serve: the last build's pages answered by the live-reload server --------------------


def wsgi_get(server: Any, path: str) -> tuple[str, dict[str, str], bytes]:
    """A GET through the server's WSGI app, as its request handler makes one."""
    said: list[Any] = []
    body = server.serve_request(
        {"PATH_INFO": path, "REQUEST_METHOD": "GET"},
        lambda status, headers: said.append((status, headers)),
    )
    data = b"".join(body)
    if hasattr(body, "close"):
        body.close()
    ((status, headers),) = said
    return status, dict(headers), data


def test_the_live_reload_server_answers_the_built_pages_as_its_own(tmp_path: Path) -> None:
    """What `answer_from_built` does for a page of the last build's site is what MkDocs'
    server does for the same file in its own folder: status, headers, the live-reload
    script, a folder's URL without its slash redirected; its own files go first."""
    import re

    from mkdocs.livereload import LiveReloadServer

    own, built = tmp_path / "own", tmp_path / "built"
    page = b"<html><body><p>page</p></body></html>"
    for root, name in ((own, "mine"), (built, "kept")):
        (root / name).mkdir(parents=True)
        (root / name / "index.html").write_bytes(page)
        (root / name / "data.json").write_bytes(b"{}")
    (built / "mine").mkdir()
    (built / "mine" / "index.html").write_bytes(b"<html><body>old</body></html>")
    server = LiveReloadServer(
        builder=lambda: None, host="127.0.0.1", port=0, root=str(own), mount_path="/desk/"
    )
    try:
        server.watch(str(tmp_path / "own"))
        kept = {
            rel: str(built / rel)
            for rel in ("kept/index.html", "kept/data.json", "mine/index.html")
        }
        assert engine.answer_from_built(server, kept)
        request_id = re.compile(rb"livereload\(\d+, \d+\)")

        def same(a: str, b: str) -> None:
            x, y = wsgi_get(server, a), wsgi_get(server, b)
            assert x[:2] == y[:2]
            assert request_id.sub(b"", x[2]) == request_id.sub(b"", y[2])

        status, headers, body = wsgi_get(server, "/desk/kept/")
        assert status == "200 OK" and b"livereload(" in body and b"<p>page</p>" in body
        assert headers["Content-Type"] == "text/html"
        same("/desk/kept/", "/desk/mine/")
        same("/desk/kept/data.json", "/desk/mine/data.json")
        # a folder's URL without its slash: redirected to it
        assert wsgi_get(server, "/desk/mine")[:2] == ("302 Found", {"Location": "/desk/mine/"})
        assert wsgi_get(server, "/desk/kept")[:2] == ("302 Found", {"Location": "/desk/kept/"})
        assert wsgi_get(server, "/desk/gone/")[0] == "404 Not Found"
        # the server's own file wins over the built one; one taken out is not answered
        assert b"<p>page</p>" in wsgi_get(server, "/desk/mine/")[2]
        del kept["kept/data.json"]
        assert wsgi_get(server, "/desk/kept/data.json")[0] == "404 Not Found"
    finally:
        server.observer.stop()
    assert not engine.answer_from_built(object(), {})


# --- incremental builds: the sitemap and the search index of pages not built now -----------


def test_the_search_index_is_its_config_then_every_pages_entries(
    mkdocs_project: Path, tmp_path: Path
) -> None:
    """`write_search_index` keeps the configuration part the search plugin wrote and puts
    every page's entries (as `search_json` wrote them) after it: the very bytes the plugin
    writes when it has built every page."""
    from mkdocs.config import load_config

    def index(pages: list[dict[str, str]], site: Path) -> Any:
        config = load_config(str(mkdocs_project), site_dir=str(site))
        search: Any = config.plugins["material/search"]
        search.on_startup(command="build", dirty=False)
        search.on_config(config)
        search.search_index.entries = pages
        search.on_post_build(config=config)
        return config

    whole = entries("a/", "b/", "c/")
    index(whole, tmp_path / "full")
    config = index(entries("b/"), tmp_path / "part")  # only b/ was built
    assert engine.search_entries(config) == entries("b/")
    chunks = [engine.search_json(whole[i : i + 2]).encode("utf-8") for i in (0, 2, 4)]
    merged = engine.write_search_index(config, chunks)
    written = (tmp_path / "part/search/search_index.json").read_bytes()
    assert written == merged == (tmp_path / "full/search/search_index.json").read_bytes()


def test_the_sitemap_of_given_pages_is_mkdocs_own(tmp_path: Path) -> None:
    """`write_sitemap` renders MkDocs' sitemap (and its .gz) with MkDocs' own function,
    given every page: the bytes of the sitemap MkDocs writes when it builds them all."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    (tmp_path / "docs/b").mkdir(parents=True)
    for rel in ("index.md", "a.md", "b/c.md"):
        (tmp_path / "docs" / rel).write_text("# x\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(SITE_YML, encoding="utf-8")
    config = load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "full"))
    shown: list[engine.ShownPage] = []
    kept: dict[str, Any] = {}

    class Keep:  # the pages and the nav and environment of a real build
        def on_env(self, env: Any, *, config: Any, files: Any) -> Any:
            kept["env"] = env
            for f in files.documentation_pages():
                shown.append(engine.ShownPage(f.page.abs_url, f.page.canonical_url, "2026-03-16"))
                f.page.update_date = "2026-03-16"
            return env

        def on_nav(self, nav: Any, *, config: Any, files: Any) -> Any:
            kept["nav"] = nav
            return nav

    config.plugins["keep"] = Keep()  # type: ignore[assignment]
    build(config)
    assert [p.abs_url for p in shown] == ["/", "/a/", "/b/c/"]
    config.site_dir = str(tmp_path / "given")
    os.makedirs(config.site_dir)
    engine.write_sitemap(kept["env"], config, kept["nav"], shown)
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        given = (tmp_path / "given" / name).read_bytes()
        assert given == (tmp_path / "full" / name).read_bytes(), name
    assert b"https://example.org/b/c/" in gzip.decompress(given)


def test_mkdocs_runs_the_live_list_of_handlers_so_one_can_be_dropped_mid_event(
    mkdocs_project: Path,
) -> None:
    """`search_write`: our post_build, running first, takes the search plugin's off this
    build's list; MkDocs walks that very list, so the search plugin does not run."""
    from mkdocs.config import load_config

    from builder.site.plugin import PlaindeskPlugin

    config = load_config(str(mkdocs_project))
    ours = PlaindeskPlugin()
    config.plugins["plaindesk"] = ours
    handlers = config.plugins.events["post_build"]
    search = config.plugins["material/search"]
    assert isinstance(handlers, list)
    assert handlers.index(ours._drop_gone) < handlers.index(search.on_post_build)
    assert handlers.index(ours._after_build) == len(handlers) - 1
    ran: list[str] = []

    class First:
        @staticmethod
        def on_post_build(*, config: Any) -> None:
            ran.append("first")
            assert engine.drop_handler(
                config, "post_build", First.on_post_build, Later.on_post_build
            )

    class Later:
        @staticmethod
        def on_post_build(*, config: Any) -> None:
            ran.append("later")

    config.plugins.events["post_build"] = [First.on_post_build, Later.on_post_build]
    config.plugins.on_post_build(config=config)
    assert ran == ["first"]
    assert not engine.drop_handler(config, "post_build", Later.on_post_build, First.on_post_build)


# --- the file watcher -----------------------------------------------------------------------


@pytest.fixture
def stopped_serve(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Run `mkdocs serve` up to the point it would start serving; yield the servers."""
    from mkdocs.livereload import LiveReloadServer

    servers: list[Any] = []

    def serve(self: Any, **_: Any) -> None:
        scheduled = {(e.watch.path, e.watch.is_recursive) for e in self.observer.emitters}
        servers.append((self, dict(self._watched_paths), self.observer.is_alive(), scheduled))
        raise KeyboardInterrupt

    monkeypatch.setattr(LiveReloadServer, "serve", serve)
    yield servers


def test_mkdocs_serve_watches_only_the_docs_and_the_config_before_its_plugins(
    mkdocs_project: Path, stopped_serve: list[Any]
) -> None:
    from mkdocs.commands.serve import serve

    serve(config_file=str(mkdocs_project), livereload=True, dev_addr="127.0.0.1:0")
    ((server, watched, running, _),) = stopped_serve
    root = mkdocs_project.parent
    assert set(watched) == {str(root / "docs"), str(mkdocs_project)}
    assert not running
    assert isinstance(server.build_delay, float)


def test_the_native_watcher_is_swapped_in_through_watch_and_unwatch(
    tmp_path: Path, stopped_serve: list[Any]
) -> None:
    from mkdocs.commands.serve import serve

    root = make_workspace(tmp_path, project(SMALL))
    with pytest.raises(KeyError):  # how `unwatch` says a path was not watched
        from mkdocs.livereload import LiveReloadServer

        LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=".").unwatch("x")
    cwd = os.getcwd()
    os.chdir(root)
    try:
        serve(
            config_file=str(root / "mkdocs.yml"),
            livereload=True,
            build_type="dirty",
            dev_addr="127.0.0.1:0",
        )
    finally:
        os.chdir(cwd)
    ((server, watched, _, scheduled),) = stopped_serve
    assert type(server.observer).__name__ == "Native"
    assert server.build_delay == 0.05
    assert set(watched) == {str(root / "docs"), str(root / "mkdocs.yml"), str(root / "content")}
    assert scheduled == {
        (str(root / "docs"), True),
        (str(root), False),
        (str(root / "content"), True),
    }


def test_the_native_watcher_has_the_kernel_queue_changes_only(tmp_path: Path) -> None:
    """Reading files queues nothing: a check or a grep over every record while serve runs
    would otherwise overflow the kernel's queue, and the next save's events are lost."""
    from mkdocs.livereload import LiveReloadServer

    if not sys.platform.startswith("linux"):
        pytest.skip("inotify is Linux's")
    from watchdog.observers.inotify_c import InotifyConstants as IN

    (tmp_path / "content").mkdir()
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    assert engine.use_native_watcher(server, [], engine.Touched())
    server.watch(str(tmp_path / "content"))
    server.watch(str(tmp_path / "mkdocs.yml"))
    server.observer.start()
    try:
        emitters: list[Any] = list(server.observer.emitters)  # inotify's
        masks = [e.get_event_mask_from_filter() for e in emitters]
        assert len(masks) == 2
        for mask in masks:
            assert not mask & (IN.IN_OPEN | IN.IN_ACCESS | IN.IN_CLOSE_NOWRITE)
            for change in (IN.IN_CLOSE_WRITE, IN.IN_MODIFY, IN.IN_MOVE, IN.IN_CREATE):
                assert mask & change
            assert mask & IN.IN_DELETE
    finally:
        server.observer.stop()
        server.observer.join()


def test_the_native_watcher_notes_writes_and_wakes_mkdocs(tmp_path: Path) -> None:
    from mkdocs.livereload import LiveReloadServer

    (tmp_path / "content" / "tasks").mkdir(parents=True)
    task = tmp_path / "content" / "tasks" / "a.md"
    task.write_text("a", encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text("x", encoding="utf-8")
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    server.watch(str(config))
    touched = engine.Touched()
    assert engine.use_native_watcher(server, [str(config), str(tmp_path / "nope")], touched)
    server.watch(str(tmp_path / "content"))
    server.observer.start()
    try:
        task.read_text(encoding="utf-8")  # reading wakes nothing
        (tmp_path / "other.txt").write_text("x", encoding="utf-8")  # beside the config
        time.sleep(0.3)
        assert not server._want_rebuild
        assert touched.take(tmp_path / "content") == set()
        tmp = task.with_name(".a.md.swp")
        tmp.write_text("b", encoding="utf-8")
        os.replace(tmp, task)
        deadline = time.monotonic() + 5
        while not server._want_rebuild and time.monotonic() < deadline:
            time.sleep(0.02)
        assert server._want_rebuild
        # the save's events (the temp file written, then moved over the task) arrive one
        # by one: the first wakes MkDocs, the move may come a moment later
        seen: set[str] = set()
        deadline = time.monotonic() + 5
        while seen != {"tasks/a.md", "tasks/.a.md.swp"} and time.monotonic() < deadline:
            seen |= touched.take(tmp_path / "content") or set()
            time.sleep(0.02)
        assert seen == {"tasks/a.md", "tasks/.a.md.swp"}
        server._want_rebuild = False
        config.write_text("y", encoding="utf-8")
        deadline = time.monotonic() + 5
        while not server._want_rebuild and time.monotonic() < deadline:
            time.sleep(0.02)
        assert server._want_rebuild
    finally:
        server.observer.stop()
        server.observer.join()


# --- the collector --------------------------------------------------------------------------


def test_the_collector_is_paused_during_a_rebuild_and_resumed_after_it() -> None:
    assert gc.isenabled()
    pause = engine.GcPause(resume_after=0.1, full_after=0.2)
    try:
        pause.pause()
        assert not gc.isenabled()
        pause.resume_soon()
        assert not gc.isenabled()  # until the browser has its page
        pause.pause()  # the next rebuild began: the earlier timer does nothing
        time.sleep(0.3)
        assert not gc.isenabled()
        pause.resume_soon()
        time.sleep(0.3)
        assert gc.isenabled()
        pause.pause()
        pause.stop()
        assert gc.isenabled()
    finally:
        gc.enable()
    assert pause.timers == []


# --- the hand-over, and what no longer changes the process ---------------------------------


def test_builds_in_one_process_keep_to_their_own_today_and_leave_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plugin instance lives as long as the process: two builds with their own
    --today each date their sitemap by it, and the environment is left as it was."""
    from builder.cli import cli

    root = make_workspace(tmp_path, with_site_url(project(SMALL)))
    monkeypatch.chdir(root)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    before = dict(os.environ)
    for today, site in (("2026-03-20", "s1"), ("2026-04-02", "s2")):
        done = CliRunner().invoke(
            cli, ["build", "--no-portal", "--site-dir", site, "--today", today]
        )
        assert done.exit_code == 0, done.output
        sitemap = (root / site / "sitemap.xml").read_text(encoding="utf-8")
        assert sitemap.count("<lastmod>") == sitemap.count(f"<lastmod>{today}</lastmod>") > 10
        with gzip.open(root / site / "sitemap.xml.gz") as gz:
            assert gz.read().decode("utf-8") == sitemap
        stamp = int.from_bytes((root / site / "sitemap.xml.gz").read_bytes()[4:8], "little")
        assert time.strftime("%Y-%m-%d", time.gmtime(stamp)) == today
    after = dict(os.environ)
    after.pop("NO_MKDOCS_2_WARNING", None)
    before.pop("NO_MKDOCS_2_WARNING", None)
    assert after == before
    assert gc.isenabled()


def test_serve_hands_today_over_to_the_plugin(tmp_path: Path) -> None:
    from test_serve import serving

    root = make_workspace(tmp_path, project(SMALL))
    with serving(root, tmp_path / "serve.log", "--today", "2026-04-02") as srv:
        html = srv.wait_for("sitemap.xml", lambda s, h: s == 200, "sitemap")
        assert "<lastmod>2026-04-02</lastmod>" in html
        assert "<lastmod>2026-03-16</lastmod>" not in html  # (URLs may hold dates)
    log = (tmp_path / "serve.log").read_text(encoding="utf-8")
    assert "not known to work" not in log and "is ignored" not in log


def test_plain_mkdocs_build_runs_without_a_hand_over(tmp_path: Path) -> None:
    root = make_workspace(tmp_path, with_site_url(project(SMALL)))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(tmp_path / "site")],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    sitemap = (tmp_path / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<lastmod>2026-03-16</lastmod>" in sitemap  # the workspace's pinned today


def test_serve_without_any_shortcut_is_slower_but_right(tmp_path: Path) -> None:
    """What an unknown engine version gets: no shortcut, full rebuilds (no dirty build),
    MkDocs' own watcher. Edits, a new page and a deleted one still show, and search
    lists every page once."""
    import json

    from test_serve import column_of, save, serving

    files = project(SMALL)
    off = ", ".join(engine.SHORTCUTS)
    files["mkdocs.yml"] = f"{files['mkdocs.yml']!s}      engine_off: [{off}]\n"
    root = make_workspace(tmp_path, files)
    with serving(root, tmp_path / "serve.log") as srv:
        card = "../../tasks/site-review/"
        task = srv.content("tasks/site-review.md")
        save(task, task.read_text("utf-8").replace("status: review", "status: queue"))
        srv.wait_for("boards/site/", lambda s, h: column_of(h, card) == "queue", "moved card")
        save(srv.content("tasks/site-new.md"), "---\ntitle: New\nproject: site\n---\nFresh.\n")
        srv.content("tasks/site-hosting.md").unlink()
        srv.wait_for("tasks/site-new/", lambda s, h: s == 200, "new page")
        srv.wait_for("tasks/site-hosting/", lambda s, h: s == 404, "deleted page")
        _, index = srv.get("search/search_index.json")
        pages = [e["location"] for e in json.loads(index)["docs"] if "#" not in e["location"]]
        assert len(pages) == len(set(pages))
        assert "tasks/site-new/" in pages and "tasks/site-hosting/" not in pages
    log = (tmp_path / "serve.log").read_text(encoding="utf-8")
    assert "Cleaning site directory" in log  # no dirty build


# --- mkdocs-material's nav block, shared by the pages of a folder ---------------------------

NAV_HOOK = """\
import json
from pathlib import Path

from builder.site import engine

SHARED = []


def on_env(env, config, files):
    SHARED.append(engine.share_nav_block(env))
    return env


def on_post_build(config):
    keys = sorted(list(k) for shared in SHARED for k in shared)
    Path(config.config_file_path).with_name("nav-keys.json").write_text(json.dumps(keys))
"""

NAV_DOCS = {
    "index.md": "Home page.\n",
    "about.md": "# About\n\n## Team\n\nIn the nav, with a table of contents.\n",
    "notes/index.md": "Notes.\n",
    "notes/deep/leaf.md": "A nav page under a page that is not in the nav.\n",
    "notes/deep.md": "Not in the nav, yet a nav page lies under it.\n",
    "tasks/a.md": "Task a, not in the nav.\n",
    "tasks/b.md": "<p>Task b, an HTML body.</p>\n",
    "tasks/c.md": "---\nhide: [navigation]\n---\nTask c hides the nav.\n",
    "tasks/d.md": "## Heading\n\nTask d has a table of contents.\n",
    "tasks/e.md": "---\nhide: [navigation]\n---\nTask e hides the nav too.\n",
    "deep/one/two.md": "Two folders down.\n",
}
NAV_YML = """\
site_name: T
theme:
  name: material
  features: [navigation.sections]
use_directory_urls: {urls}
nav:
  - index.md
  - about.md
  - Notes:
      - notes/index.md
      - notes/deep/leaf.md
{hooks}"""


def _build_nav_site(root: Path, urls: bool, shared: bool) -> dict[str, bytes]:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    for rel, text in NAV_DOCS.items():
        (root / "docs" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / rel).write_text(text, encoding="utf-8")
    (root / "hook.py").write_text(NAV_HOOK, encoding="utf-8")
    hooks = "hooks:\n  - hook.py\n" if shared else ""
    yml = root / "mkdocs.yml"
    yml.write_text(NAV_YML.format(urls=str(urls).lower(), hooks=hooks), encoding="utf-8")
    build(load_config(config_file=str(yml), site_dir=str(root / "site")))
    site = root / "site"
    return {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*") if p.is_file()}


@pytest.mark.parametrize("urls", [True, False], ids=["directory-urls", "file-urls"])
def test_the_nav_block_shared_in_a_folder_is_the_one_material_renders_per_page(
    tmp_path: Path, urls: bool
) -> None:
    """mkdocs-material's base.html has a `site_nav` block in Jinja's `Template.blocks`; a
    page out of the nav without a table of contents gets the same HTML as its folder's
    others, so the shortcut renders it once per folder and hidden parts: every byte of
    the site is what Material renders page by page."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    plain = _build_nav_site(tmp_path / "a", urls, shared=False)
    shared = _build_nav_site(tmp_path / "b", urls, shared=True)
    assert sorted(shared) == sorted(plain)
    assert [rel for rel in plain if shared[rel] != plain[rel]] == []
    keys = json.loads((tmp_path / "b" / "nav-keys.json").read_text(encoding="utf-8"))
    base = "../.." if urls else ".."
    # tasks a and b share one render, c and e another; d (a table of contents) and the
    # nav's pages are rendered as Material does, and so is notes/deep/ (a nav page lies
    # under it), while notes/deep.html is a page like any other of its folder
    notes = [] if urls else [["notes", "..", "()"]]
    assert keys == [
        ["deep/one", "../../.." if urls else "../..", "()"],
        *notes,
        ["tasks", base, "()"],
        ["tasks", base, "['navigation']"],
    ]


def test_the_demo_built_with_the_shared_nav_and_frames_is_the_one_built_without(
    demo_site: Path, tmp_path: Path
) -> None:
    """The shortcuts through the plugin, on the demo (boards, records, reports, feeds):
    `plaindesk build` writes the same bytes with them (the session's demo build,
    `demo_site`) as with `engine_off: [nav_block, page_frame, empty_render]`."""
    from site_cases import build, copy_demo, snapshot_files

    plain = copy_demo(tmp_path / "plain")
    yml = plain / "mkdocs.yml"
    text = yml.read_text(encoding="utf-8")
    assert "      content: content\n" in text
    yml.write_text(
        text.replace(
            "      content: content\n",
            "      content: content\n      engine_off: [nav_block, page_frame, empty_render]\n",
        ),
        encoding="utf-8",
    )
    without = build(plain, plain / "out" / "site")
    assert without.returncode == 0, without.stderr
    a, b = snapshot_files(demo_site), snapshot_files(without.site)
    assert sorted(a) == sorted(b)
    assert [rel for rel in a if a[rel] != b[rel]] == []


# --- mkdocs-material's page frame, rendered once per folder ---------------------------------

FRAME_HOOK = """\
import json
from pathlib import Path

from builder.site import engine

FRAMES = []


def on_env(env, config, files):
    FRAMES.append(engine.share_page_frame(env))
    return env


def on_post_build(config):
    keys = sorted([k[0], k[2], k[3], k[4], v is not None] for f in FRAMES for k, v in f.items())
    Path(config.config_file_path).with_name("frame-keys.json").write_text(json.dumps(keys))
"""

FRAME_DOCS = {
    "index.md": "Home page.\n",
    "notes.md": "---\ntitle: In the nav\n---\nA nav page with a title in its meta.\n",
    "tasks/a.md": '---\ntitle: Smith & Co <b>bold</b> "quoted"\n---\nTask a.\n',
    "tasks/b.md": "---\ntitle: Plain\n---\n<h1>Its own heading</h1>\n\nTask b.\n",
    "tasks/c.md": '---\ntitle: "  Spaced   out "\n---\n<p>Task c &amp; more.</p>\n',
    "tasks/d.md": "---\ntitle: Hidden nav\nhide: [navigation]\n---\nTask d.\n",
    "tasks/e.md": "---\ntitle: Has a toc\n---\n## Heading\n\nTask e.\n",
    "tasks/f.md": "# No meta title\n\nTask f.\n",
    "tasks/g.md": "---\ntitle: Other meta\nstatus: new\n---\nTask g.\n",
    "tasks/h.md": "---\ntitle: Кириллица ✓\n---\nЗадача h.\n",
    "tasks/i.md": "---\ntitle: <h1>Plain\n---\n<h1>Its own heading</h1>\n",
    "deep/one/two.md": "---\ntitle: Two down\n---\nTwo folders down.\n",
}
FRAME_YML = """\
site_name: T
site_url: https://example.org/docs/
repo_url: https://example.org/repo
edit_uri: edit/main/docs/
theme:
  name: material
  features: [navigation.sections]
{custom}use_directory_urls: {urls}
nav:
  - index.md
  - notes.md
{hooks}"""


def _build_frame_site(
    root: Path, urls: bool, framed: bool, main: str | None = None
) -> dict[str, bytes]:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    for rel, text in FRAME_DOCS.items():
        (root / "docs" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / rel).write_text(text, encoding="utf-8")
    custom = ""
    if main is not None:
        (root / "overrides").mkdir()
        (root / "overrides" / "main.html").write_text(main, encoding="utf-8")
        custom = "  custom_dir: overrides\n"
    (root / "hook.py").write_text(FRAME_HOOK, encoding="utf-8")
    hooks = "hooks:\n  - hook.py\n" if framed else ""
    yml = root / "mkdocs.yml"
    yml.write_text(
        FRAME_YML.format(urls=str(urls).lower(), hooks=hooks, custom=custom), encoding="utf-8"
    )
    build(load_config(config_file=str(yml), site_dir=str(root / "site")))
    site = root / "site"
    return {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*") if p.is_file()}


@pytest.mark.parametrize("urls", [True, False], ids=["directory-urls", "file-urls"])
def test_a_folders_frame_filled_is_the_page_material_renders(
    tmp_path: Path, urls: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The compiled root of the page template (`Template.root_render_func`) is what renders
    a page, and a page's frame differs from its folder's others only in its title, body,
    URL, edit and canonical links: a record page filled into its folder's frame is, byte
    for byte, the page Material renders, whatever its title holds (markup, quotes, spaces,
    Cyrillic). Pages in the nav, with a table of contents, without a meta title or with
    other meta are rendered as Material does. (MkDocs dates each page with the time it
    renders it unless SOURCE_DATE_EPOCH is set; Plaindesk sets the day.)"""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764547200")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    plain = _build_frame_site(tmp_path / "a", urls, framed=False)
    framed = _build_frame_site(tmp_path / "b", urls, framed=True)
    assert sorted(framed) == sorted(plain)
    assert [rel for rel in plain if framed[rel] != plain[rel]] == []
    page = "tasks/a/index.html" if urls else "tasks/a.html"
    assert b"<title>Smith & Co <b>bold</b> " in plain[page]  # a title as Material shows it
    keys = json.loads((tmp_path / "b" / "frame-keys.json").read_text(encoding="utf-8"))
    base = "../.." if urls else ".."
    # a, c and h share a frame; b and i (their own <h1>) another; d (hidden nav) a third
    assert keys == [
        ["deep/one/", "../../.." if urls else "../..", "()", False, True],
        ["tasks/", base, "()", False, True],
        ["tasks/", base, "()", True, True],
        ["tasks/", base, "['navigation']", False, True],
    ]


def test_a_template_that_filters_a_field_gets_no_frame(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A theme override that escapes the title shows it other than raw: the filter changes
    the frame's marker, the first page's check refuses the frame, and every page is
    rendered as the theme does."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764547200")
    main = (
        '{% extends "base.html" %}\n{% block extrahead %}'
        '{% if page %}<meta name="t" content="{{ page.meta.title | e }}">{% endif %}'
        "{% endblock %}\n"
    )
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    plain = _build_frame_site(tmp_path / "a", True, framed=False, main=main)
    framed = _build_frame_site(tmp_path / "b", True, framed=True, main=main)
    assert [rel for rel in plain if framed[rel] != plain[rel]] == []
    assert b'content="Smith &amp; Co &lt;b&gt;bold' in plain["tasks/a/index.html"]
    keys = json.loads((tmp_path / "b" / "frame-keys.json").read_text(encoding="utf-8"))
    assert keys and not any(ok for *_, ok in keys)


# --- a generated page's empty Markdown ------------------------------------------------------


def test_an_empty_pages_render_leaves_what_mkdocs_render_leaves(tmp_path: Path) -> None:
    """MkDocs' `Page.render` of a page whose Markdown is blank (what the plugin's
    `on_page_markdown` gives a generated page) leaves the same fields as `render_empty`,
    with every Markdown extension the demo and the bench use and more; a page whose
    Markdown is not blank is rendered by MkDocs."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("---\ntitle: A\n---\n# Heading\n", encoding="utf-8")
    yml = tmp_path / "mkdocs.yml"
    yml.write_text(
        "site_name: T\nmarkdown_extensions: [tables, toc, attr_list, admonition, md_in_html]\n",
        encoding="utf-8",
    )
    config = load_config(config_file=str(yml))
    fields = ("content", "toc", "_title_from_render", "present_anchor_ids", "links_to_anchors")

    def rendered(markdown: str, shortcut: bool) -> dict[str, object]:
        file = File("a.md", str(docs), str(tmp_path / "site"), use_directory_urls=True)
        files = Files([file])
        page = Page(None, file, config)
        page.read_source(config)
        page.markdown = markdown
        if shortcut:
            engine.render_empty(page)
        page.render(config, files)
        got = {name: getattr(page, name) for name in fields}
        got["toc"] = [(item.title, item.url, item.level) for item in page.toc]
        return got

    for markdown in ("", "  \n\n", "# Heading\n\nText.\n"):
        assert rendered(markdown, True) == rendered(markdown, False)
    assert rendered("", True)["content"] == ""
    assert rendered("# Heading\n", True)["toc"] != []


# --- incremental builds: the unchanged pages registered only when looked up -----------------


def test_a_pages_destination_is_mkdocs_own() -> None:
    """`page_dest` is where MkDocs writes a page (`File.dest_uri`), both URL styles."""
    from mkdocs.structure.files import File

    names = ["index.md", "a.md", "README.md", "x/README.md", "x/index.md", "x/y/b.c.md"]
    names += ["tasks/T-0001.md", "people/ana-lima.md", "x/index.html.md"]
    for directory_urls in (True, False):
        for name in names:
            made = File(name, "/docs", "/site", use_directory_urls=directory_urls)
            assert engine.page_dest(name, directory_urls) == made.dest_uri, name


def test_pages_made_when_looked_up_build_the_site_excluded_files_build(tmp_path: Path) -> None:
    """MkDocs finds a file it links to or names in the nav through the lookups that
    `KeptFiles` answers (`get_file_from_path`): a site whose unchanged pages are made only
    when looked up is, byte for byte, the site of the same pages registered up front as
    excluded files; only the pages looked up are made."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.structure.files import File, InclusionLevel

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/index.md").write_text(
        "# Home\n\n[A](k/a.md), [I](k/index.md#x), [none](k/none.md)\n", encoding="utf-8"
    )
    (tmp_path / "docs/more.md").write_text("# More\n\n[C](k/c.md)\n", encoding="utf-8")
    tree = tmp_path / "tree"
    kept = {"k/a.md", "k/b.md", "k/c.md", "k/d.md", "k/index.md"}
    for rel in kept:
        (tree / rel).parent.mkdir(parents=True, exist_ok=True)
        (tree / rel).write_text(f"# {rel}\n", encoding="utf-8")
    nav = "nav:\n  - Home: index.md\n  - More: more.md\n  - B: k/b.md\n  - E: https://e.org/\n"
    (tmp_path / "mkdocs.yml").write_text(SITE_YML + nav, encoding="utf-8")
    made: list[int] = []

    def site(lazy: bool) -> dict[str, bytes]:
        out = tmp_path / ("lazy" if lazy else "eager")
        config = load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(out))

        class Register:
            def on_files(self, files: Any, *, config: Any) -> Any:
                if lazy:
                    found = engine.KeptFiles(list(files), config, tree, set(kept))
                    made.append(found.made)
                    return found
                for rel in sorted(kept):
                    file = File.generated(config, rel, abs_src_path=str(tree / rel))
                    file.inclusion = InclusionLevel.EXCLUDED
                    files.append(file)
                return files

            def on_env(self, env: Any, *, config: Any, files: Any) -> Any:
                if lazy:
                    made.append(files.made)
                return env

        config.plugins["register"] = Register()  # type: ignore[assignment]
        build(config)
        return {
            p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()
        }

    eager, lazy = site(False), site(True)
    assert sorted(lazy) == sorted(eager)
    for name, data in eager.items():
        assert lazy[name] == data, name
    assert b'href="k/a/"' in lazy["index.html"] and b'href="k/#x"' in lazy["index.html"]
    assert b'href="../k/c/"' in lazy["more/index.html"]
    # none made when registered; then the nav's (k/b.md) and the linked ones (k/a.md,
    # k/index.md, k/c.md); k/d.md, which nothing names, never
    assert made == [0, 4]


# --- serve: pages written over the files already there -----------------------------------


def test_mkdocs_writes_pages_and_the_search_index_through_the_one_write_file(
    mkdocs_project: Path,
) -> None:
    """`write_in_place` swaps `mkdocs.utils.write_file`, which MkDocs' build and the search
    plugin look up on the module at each call: a dirty build again then rewrites every page
    and the index in place (same inode, new bytes) and writes nothing through a hard link;
    MkDocs' own function, put back, writes through one."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    docs = mkdocs_project.parent / "docs"
    site = mkdocs_project.parent / "site"
    outside = mkdocs_project.parent / "outside.html"

    def built(text: str) -> dict[str, int]:
        (docs / "index.md").write_text(f"# {text}\n", encoding="utf-8")
        config = load_config(str(mkdocs_project), site_dir=str(site))
        build(config, dirty=True)
        assert text in (site / "index.html").read_text(encoding="utf-8")
        assert text in (site / "search" / "search_index.json").read_text(encoding="utf-8")
        return {
            name: (site / name).stat().st_ino
            for name in ("index.html", "404.html", "search/search_index.json")
        }

    first = built("First")
    try:
        engine.write_in_place()
        assert built("Second") == first
        (site / "404.html").unlink()
        outside.write_text("mine", encoding="utf-8")
        os.link(outside, site / "404.html")
        again = built("Third")
    finally:
        engine.write_in_place(False)
    assert again["index.html"] == first["index.html"]
    assert again["404.html"] != outside.stat().st_ino
    assert outside.read_text(encoding="utf-8") == "mine"
    (site / "404.html").unlink()
    os.link(outside, site / "404.html")
    built("Fourth")
    assert outside.read_text(encoding="utf-8") != "mine"


def test_a_file_rewritten_in_place_holds_exactly_the_new_bytes(tmp_path: Path) -> None:
    from builder.output import rewrite

    path = tmp_path / "page.md"
    assert rewrite(path, b"new") is None and not path.exists()
    path.write_bytes(b"a longer first text")
    inode = path.stat().st_ino
    assert rewrite(path, b"short") is True
    assert path.read_bytes() == b"short" and path.stat().st_ino == inode
    assert rewrite(path, b"short") is False
    assert rewrite(path, b"short", compare=False) is True
    assert rewrite(path, [b"in ", b"", b"pieces"]) is True  # written one after the other
    assert path.read_bytes() == b"in pieces" and path.stat().st_ino == inode
    assert rewrite(path, b"short") is True
    assert rewrite(tmp_path, b"x") is None
    os.link(path, tmp_path / "link.md")
    assert rewrite(tmp_path / "link.md", b"other") is None
    assert not (tmp_path / "link.md").exists() and path.read_bytes() == b"short"


def test_a_pages_body_is_what_mkdocs_reads_past_its_front_matter() -> None:
    """`page_body` finds a tree page's front matter with MkDocs' own pattern and gives
    the Markdown MkDocs gives `on_page_markdown` (`get_data`, which also parses it)."""
    from mkdocs.utils.meta import get_data

    texts = [
        '---\n{"title": "A &amp; B", "hide": ["toc"]}\n---\n\n<div>body</div>\n',
        '---\n{"title": "x"}\n---\n\n\n# Heading\n\ntext\n',
        "no front matter at all\n",
        '---\n{"title": "empty"}\n---\n',
    ]
    for text in texts:
        assert engine.page_body(text) == get_data(text)[0], text


def test_a_full_disk_while_rewriting_in_place_is_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that fails half-way (a full disk) is the caller's error, as with MkDocs'
    own write: not taken for a missing file and tried again with truncation."""
    import errno

    from builder import output

    path = tmp_path / "page.md"
    path.write_bytes(b"old")
    real_open = open

    class FullDisk:
        def __init__(self, handle: Any) -> None:
            self.handle = handle

        def __enter__(self) -> FullDisk:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def __getattr__(self, name: str) -> Any:
            return getattr(self.handle, name)

        def write(self, data: bytes) -> int:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(output, "open", lambda p, m: FullDisk(real_open(p, m)), raising=False)
    with pytest.raises(OSError) as raised:
        output.rewrite(path, b"new")
    assert raised.value.errno == errno.ENOSPC
