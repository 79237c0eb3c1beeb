"""A build's memory stays bounded as the workspace grows: the generator writes each page
as it renders it instead of holding the whole site, and MkDocs holds no generated page's
body between reading the pages and building them, nor after writing one."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from conftest import make_workspace
from site_cases import SMALL, project

from builder.render import pages as render_pages
from builder.render.pages import SiteOptions
from builder.site.generate import generate


def test_each_page_is_on_disk_before_the_next_is_rendered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_workspace(tmp_path, SMALL)
    tree = tmp_path / "tree"
    rendered: list[str] = []
    missing: list[str] = []
    render = render_pages._Renderer.render

    def spy(self: Any, page: Any, options: Any, content_root: str) -> str:
        missing.extend(rel for rel in rendered[-1:] if not (tree / rel).is_file())
        rendered.append(page.path)
        return render(self, page, options, content_root)

    monkeypatch.setattr(render_pages._Renderer, "render", spy)
    done = generate(root, tree, SiteOptions(), None, history=False)
    assert len(rendered) > 50 and missing == []
    # and the generation still knows every page it wrote
    assert set(rendered) <= set(done.pages) == set(done.written) - {"_nav.yml"}


def test_mkdocs_holds_no_generated_page_body_between_reading_and_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """MkDocs reads every page before it builds the first and keeps each page's content
    to the end: a generated page's body is read from the page tree when its turn comes
    and dropped once it is written. The pages and the search index are as whole as ever."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    root = make_workspace(tmp_path, project(SMALL))
    monkeypatch.chdir(root)
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    held: dict[str, list[str]] = {"read": [], "written": []}

    class Spy:
        def on_env(self, env: Any, *, config: Any, files: Any) -> Any:
            held["read"] = [f.src_uri for f in _generated(files) if f.page.content]
            return env

        def on_files(self, files: Any, *, config: Any) -> Any:
            self.files = files
            return files

        def on_post_build(self, *, config: Any) -> None:
            held["written"] = [f.src_uri for f in _generated(self.files) if f.page.content]

    spy = Spy()
    config.plugins["spy"] = spy  # type: ignore[assignment]
    # MkDocs keeps mkdocs-material's search plugin for the whole process: after a `serve`
    # earlier in this process (tests/test_engine_contract.py) it would merge that serve's
    # last index into this build's. A user's build is its process's first.
    search = config.plugins["material/search"]
    search.is_dirtyreload, search.search_index_prev = False, None  # type: ignore[attr-defined]
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    assert len(_generated(spy.files)) > 50
    assert held == {"read": [], "written": []}
    site = tmp_path / "site"
    board = (site / "boards/site/index.html").read_text(encoding="utf-8")
    assert "Review the sitemap" in board
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    [entry] = [d for d in index["docs"] if d["location"] == "tasks/site-review/"]
    assert entry["title"] == "Review the sitemap"


def _generated(files: Any) -> list[Any]:
    tree = os.path.join(".plaindesk", "docs")
    return [
        f
        for f in files.documentation_pages()
        if f.page is not None and tree in (f.abs_src_path or "")
    ]


BODY = (
    "Some **text**, a [link](https://example.org), www.example.com, ~~old~~:\n\n"
    "- [ ] one\n- [x] two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n<b>kept</b> <script>x</script>\n"
)


def _rss_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def test_a_rendered_body_leaves_nothing_behind() -> None:
    """Bodies are rendered as cmarkgfm renders them, without what its binding leaks (the
    document tree and the HTML buffer, some 20 KB a body: 100 MB here)."""
    import cmarkgfm

    from builder.render import markdown

    assert markdown._frees() is not None, "cmarkgfm's C library is not reachable: bodies leak"
    for options in (markdown._SAFE, markdown._UNSAFE):
        assert markdown._render(BODY, options) == cmarkgfm.markdown_to_html_with_extensions(
            BODY, options=options, extensions=markdown._EXTENSIONS
        )
    markdown._render(BODY, markdown._SAFE)  # the extensions registered, the library loaded
    before = _rss_kb()
    for i in range(5000):
        markdown._render(f"{BODY}{i}\n" * 4, markdown._SAFE)
    assert _rss_kb() - before < 10_000


def test_without_the_c_library_bodies_render_through_the_binding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import cmarkgfm

    from builder.render import markdown

    monkeypatch.setattr(markdown, "_frees", lambda: None)
    assert markdown._render(BODY, markdown._SAFE) == cmarkgfm.markdown_to_html_with_extensions(
        BODY, options=markdown._SAFE, extensions=markdown._EXTENSIONS
    )
