"""`plaindesk build` with the last build's state (docs/incremental.md): after each kind of
change, the site a warm build leaves equals, file for file and byte for byte (the search
index and the sitemap included), a cold build's of the same content in a fresh folder; what
cannot be trusted is a full build that says why."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import make_workspace
from site_cases import SMALL, build, project, snapshot_files

SOURCES = ("mkdocs.yml", "docs", "content")


def first_line(stderr: str) -> str:
    """The build's own line about what it redid (problem lines come before it)."""
    lines = [line for line in stderr.splitlines() if line.startswith(("full build", "incremental"))]
    assert len(lines) == 1, stderr
    return lines[0]


def cold_site(root: Path, where: Path) -> dict[str, bytes]:
    """A cold build of `root`'s sources in a fresh folder: its site's files."""
    shutil.rmtree(where, ignore_errors=True)
    where.mkdir()
    for name in SOURCES:
        src = root / name
        if src.is_dir():
            shutil.copytree(src, where / name)
        else:
            shutil.copy2(src, where / name)
    done = build(where)
    assert done.returncode == 0, done.stderr
    assert first_line(done.stderr).startswith("full build: no state"), done.stderr
    return snapshot_files(where / "site")


def warm_equals_cold(root: Path, tmp_path: Path) -> str:
    """Build `root` (with its state), build a copy cold; the two sites must be equal.
    Returns what the warm build said it did."""
    done = build(root)
    assert done.returncode == 0, done.stderr
    warm = snapshot_files(root / "site")
    cold = cold_site(root, tmp_path / "cold")
    assert sorted(warm) == sorted(cold)
    differ = [rel for rel in warm if warm[rel] != cold[rel]]
    assert differ == []
    for must in ("search/search_index.json", "sitemap.xml", "sitemap.xml.gz"):
        assert must in warm
    return first_line(done.stderr)


@pytest.fixture(name="root")
def built_root(tmp_path: Path) -> Path:
    """The small workspace's project, built once (cold, no state yet)."""
    root = make_workspace(tmp_path, project(SMALL))
    done = build(root)
    assert done.returncode == 0, done.stderr
    assert first_line(done.stderr) == (
        "full build: no state of a previous build (.plaindesk/state/)"
    )
    return root


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / "content" / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_edits_deletes_renames_and_new_records(root: Path, tmp_path: Path) -> None:
    # nothing changed: only the pages without a key (dashboard, indexes) are
    # rendered, only the nav's pages built
    unchanged = (
        "incremental build: 4 of 71 pages rendered, 17 built by MkDocs, "
        "54 kept from the previous site"
    )
    assert warm_equals_cold(root, tmp_path) == unchanged

    # the site before last is kept to assemble the next one in, out of git's sight
    assert (root / ".plaindesk/spare/site/index.html").is_file()
    assert (root / ".plaindesk/spare/.gitignore").read_text() == "# created by plaindesk\n*\n"
    assert (root / ".plaindesk/state/.gitignore").is_file()

    edit(root, "tasks/site-hosting.md", "status: doing", "status: review")
    said = warm_equals_cold(root, tmp_path)
    assert said.startswith("incremental build: ")
    rendered = int(said.split()[2])
    assert 4 < rendered < 71  # the task, its project, board, assignee, the task views

    (root / "content/contacts/maria.md").unlink()
    assert warm_equals_cold(root, tmp_path).startswith("incremental build: ")
    assert not (root / "site/contacts/maria/index.html").exists()

    edit(root, "people/oleh.md", "name: Oleh Petrenko", "name: Oleh Melnyk-Petrenko")
    assert warm_equals_cold(root, tmp_path).startswith("incremental build: ")
    assert b"Oleh Melnyk-Petrenko" in (root / "site/search/search_index.json").read_bytes()

    (root / "content/projects/fair.md").write_text(
        "---\nname: Trade fair\ncompany: bank\nworkflow: web\n---\nA stand.\n", encoding="utf-8"
    )
    assert warm_equals_cold(root, tmp_path).startswith("incremental build: ")
    assert (root / "site/projects/fair/index.html").is_file()


def test_what_cannot_be_trusted_is_a_full_build(root: Path, tmp_path: Path) -> None:
    # a pipeline added: every page's nav shows it
    ws = root / "content/workspace.yml"
    ws.write_text(ws.read_text() + "  grants:\n    stages: [ask, got]\n", encoding="utf-8")
    assert warm_equals_cold(root, tmp_path) == (
        "full build: the nav changed (a section, project or pipeline added, renamed or gone)"
    )

    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("Snapshot Agency", "Snapshots"))
    assert warm_equals_cold(root, tmp_path) == "full build: mkdocs.yml changed since the last build"

    state = root / ".plaindesk/state/build.json"
    raw = json.loads(state.read_text())
    raw["stamp"]["mkdocs"] = "1.5.3"
    state.write_text(json.dumps(raw))
    assert warm_equals_cold(root, tmp_path) == "full build: another MkDocs than the last build's"

    search = root / ".plaindesk/state/search.txt"
    search.write_bytes(search.read_bytes()[:100])
    said = warm_equals_cold(root, tmp_path)
    assert said == (
        "full build: the previous build's state is damaged (search.txt is not the one it describes)"
    )

    state.write_bytes(state.read_bytes()[:50])
    said = warm_equals_cold(root, tmp_path)
    assert said.startswith("full build: the previous build's state is damaged (")

    shutil.rmtree(root / "site")
    assert warm_equals_cold(root, tmp_path) == (
        "full build: the site folder (site) is not the last build's"
    )

    page = root / ".plaindesk/docs/tasks/site-launch.md"
    page.unlink()
    assert warm_equals_cold(root, tmp_path) == (
        "full build: the page tree (.plaindesk/docs/) is not the last build's"
    )
    # and after each, the next build is incremental again
    assert warm_equals_cold(root, tmp_path).startswith("incremental build: 4 of ")


def test_a_build_stopped_by_errors_keeps_the_state(root: Path, tmp_path: Path) -> None:
    edit(root, "tasks/site-launch.md", "project: site", "project: nowhere")
    done = build(root)
    assert done.returncode == 1
    assert "nothing was built" in done.stderr
    edit(root, "tasks/site-launch.md", "project: nowhere", "project: site")
    assert warm_equals_cold(root, tmp_path).startswith("incremental build: ")


STATE_PATHS = [".plaindesk/docs", ".plaindesk/state", ".plaindesk-cache", "site"]


def test_the_ci_templates_cache_the_last_builds_state() -> None:
    import yaml

    ci = Path(__file__).resolve().parent.parent / "scripts" / "ci"
    github = yaml.safe_load((ci / "github-actions.yml").read_text(encoding="utf-8"))
    steps = github["jobs"]["site"]["steps"]
    [cache] = [s for s in steps if str(s.get("uses", "")).startswith("actions/cache@")]
    build_at = next(i for i, s in enumerate(steps) if "plaindesk build" in s.get("run", ""))
    assert steps.index(cache) < build_at
    assert cache["with"]["path"].split() == STATE_PATHS
    key = "plaindesk-site-${{ runner.os }}-${{ github.ref_name }}-"
    assert cache["with"]["key"] == key + "${{ github.run_id }}"  # a new entry every run
    restore = cache["with"]["restore-keys"].splitlines()
    assert restore == [key, "plaindesk-site-${{ runner.os }}-"]

    gitlab = yaml.safe_load((ci / "gitlab-ci.yml").read_text(encoding="utf-8"))
    caches = gitlab["site"]["cache"]
    assert caches[0] == {
        "key": "plaindesk-site-$CI_COMMIT_REF_SLUG",
        "fallback_keys": ["plaindesk-site-$CI_DEFAULT_BRANCH"],
        "paths": STATE_PATHS,
    }
    assert caches[1] == {"paths": [".cache/pip"]}  # the job's own cache replaces the default
