"""`plaindesk serve` with the last build's state (docs/incremental.md): its first build
renders only what changed since `plaindesk build`, the unchanged pages are answered from the
build's site (`engine.SERVE_BUILT`) or, without that shortcut, linked from it; either way
what it serves after edits is what a fresh build of the same content holds, the build's
site is never written, and the next `plaindesk build` (which must not trust the pages serve
wrote into the page tree) equals a cold build."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import make_workspace
from site_cases import MKDOCS_YML, SMALL, build, project, snapshot_files
from test_incremental_build import cold_site, first_line
from test_serve import Server, save, serving
from test_serve_soak import quiet, same_bytes, served

from builder.site import state

TODAY = "2026-03-16"
SITE_URL = "https://team.example/desk/"
MOUNT = "desk/"
# both paths: the server answers the build's pages (the shortcut), or they are linked
PATHS = {"answered": "", "linked": "      engine_off: [serve_built]\n"}


def workspace(tmp_path: Path, path: str) -> Path:
    mkdocs_yml = f"site_url: {SITE_URL}\n{MKDOCS_YML}{PATHS[path]}"
    return make_workspace(tmp_path, {**project(SMALL), "mkdocs.yml": mkdocs_yml})


def built(root: Path) -> None:
    done = build(root, None, "--today", TODAY)
    assert done.returncode == 0, done.stderr


#: `copy_built(tmp_path, path) -> root`: the project of `path`, built once per module,
#: copied into `tmp_path/ws` for a test.
CopyBuilt = Callable[[Path, str], Path]


@pytest.fixture(scope="module")
def copy_built(tmp_path_factory: pytest.TempPathFactory) -> CopyBuilt:
    """Each path's project built (cold) once per module; a test gets a copy made with
    `cp -a` (bytes, mtimes and the spare's hard links to the site's files), as a CI cache
    restores a build."""
    made: dict[str, Path] = {}

    def copy(tmp_path: Path, path: str) -> Path:
        if path not in made:
            made[path] = workspace(tmp_path_factory.mktemp(f"built-{path}"), path)
            built(made[path])
        root = tmp_path / "ws"
        subprocess.run(["cp", "-a", str(made[path]), str(root)], check=True)
        return root

    return copy


@contextmanager
def serving_warm(copy_built: CopyBuilt, tmp_path: Path, path: str) -> Iterator[Server]:
    """A project built, then edited, then served (from the build's state)."""
    root = copy_built(tmp_path, path)
    # an edit before serve starts: its first build renders what it changes
    task = root / "content/tasks/site-hosting.md"
    save(task, task.read_text(encoding="utf-8").replace("status: doing", "status: queue"))
    (tmp_path / "serve-tmp").mkdir()
    with serving(
        root, tmp_path / "serve.log", "--today", TODAY, tmp=tmp_path / "serve-tmp"
    ) as server:
        server.base += MOUNT
        yield server


@pytest.fixture(params=sorted(PATHS))
def warm(
    request: pytest.FixtureRequest, copy_built: CopyBuilt, tmp_path: Path
) -> Iterator[tuple[Server, str]]:
    with serving_warm(copy_built, tmp_path, request.param) as server:
        yield server, request.param


def task_text(title: str, status: str) -> str:
    return (
        f"---\ntitle: {title}\nproject: site\nstatus: {status}\nassignee: anna\n"
        "due: 2026-04-01\n---\nA body to find.\n"
    )


def test_serve_starts_from_the_build_and_ends_where_a_fresh_build_ends(
    warm: tuple[Server, str], tmp_path: Path
) -> None:
    server, path = warm
    root = server.root
    site_before = snapshot_files(root / "site")
    log = server.log.read_text(encoding="utf-8")
    assert f"serving the last build's site ({root / 'site'})" in log, log
    assert f"its pages link to {SITE_URL} (mkdocs.yml's site_url)" in log, log
    said = re.search(r"from the last build's state: incremental build: (\d+) of (\d+)", log)
    assert said is not None, log
    rendered, total = int(said[1]), int(said[2])
    assert 0 < rendered < total // 3, log
    served_dir = next((tmp_path / "serve-tmp").glob("mkdocs_*"))
    task_page = "tasks/site-copy/index.html"  # unchanged by the edit before serve
    assert (served_dir / task_page).exists() == (path == "linked")
    status, body = served(server, task_page)
    assert status == 200 and same_bytes(task_page, body, site_before[task_page])
    status, _ = served(server, "tasks/site-copy")  # a folder's URL without its slash
    assert status == 200

    # edits: a card moved, a retitled task (its search entries), a new task, a deletion
    copy = root / "content/tasks/site-copy.md"
    save(copy, copy.read_text(encoding="utf-8").replace("status: doing", "status: review"))
    save(root / "content/tasks/site-fresh.md", task_text("Fresh Soak Page", "queue"))
    (root / "content/tasks/site-launch.md").unlink()
    server.wait_for(
        "tasks/site-fresh/", lambda s, h: s == 200 and "Fresh Soak Page" in h, "new task"
    )
    server.wait_for("tasks/site-launch/", lambda s, h: s == 404, "deleted task")
    quiet(server)

    # every file a fresh build of this content holds is served, byte for byte
    fresh = cold_site(root, tmp_path / "fresh", "--today", TODAY)
    differ = []
    for rel in sorted(set(fresh) - {"sitemap.xml", "sitemap.xml.gz", ".plaindesk-build"}):
        status, body = served(server, rel)
        if status != 200 or not same_bytes(rel, body, fresh[rel]):
            differ.append(f"{rel}: {status}")
    assert not differ, "\n".join(differ[:40])
    assert snapshot_files(root / "site") == site_before, "serve wrote into the build's site"
    assert "Traceback" not in server.log.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", sorted(PATHS))
def test_the_build_after_serve_does_not_trust_what_serve_wrote(
    path: str, copy_built: CopyBuilt, tmp_path: Path
) -> None:
    with serving_warm(copy_built, tmp_path, path) as server:
        root = server.root
        task = root / "content/tasks/site-copy.md"
        save(task, task.read_text(encoding="utf-8").replace("title: ", "title: Renamed "))
        server.wait_for(
            "tasks/site-copy/", lambda s, h: s == 200 and "Renamed " in h, "retitled task"
        )
        quiet(server)
        assert {"tasks/site-copy.md", "tasks/site-hosting.md"} <= state.read_stale(root)
    # the pages serve wrote are rendered and built again, not taken from the state
    done = build(root, None, "--today", TODAY)
    assert done.returncode == 0, done.stderr
    assert first_line(done.stderr).startswith("incremental build"), done.stderr
    warm_site = snapshot_files(root / "site")
    assert warm_site == cold_site(root, tmp_path / "cold", "--today", TODAY)
    assert state.read_stale(root) == frozenset()


def test_a_serve_stopped_while_writing_leaves_the_state_untrusted(
    copy_built: CopyBuilt, tmp_path: Path
) -> None:
    root = copy_built(tmp_path, "answered")
    assert state.note_writing(root)
    found, why = state.load(root)
    assert found is None
    assert why == (
        "the previous build's state is damaged (a serve was stopped while it wrote the page tree)"
    )
    state.note_stale(root, ["tasks/site-copy.md"])
    found, why = state.load(root)
    assert found is not None and why == ""
    assert found.stale == {"tasks/site-copy.md"}
    assert "tasks/site-copy.md" not in found.pages


def test_serve_without_a_usable_state_builds_every_page(
    copy_built: CopyBuilt, tmp_path: Path
) -> None:
    root = copy_built(tmp_path, "answered")
    (root / "site" / "sitemap.xml").write_text("<urlset/>", encoding="utf-8")
    with serving(root, tmp_path / "serve.log", "--today", TODAY) as server:
        log = server.log.read_text(encoding="utf-8")
    assert "serve builds every page: the site folder (site) is not the last build's" in log
    assert "from the last build's state" not in log
