"""Finding records by id without loading the workspace (builder/edit/locate.py): the walks
keep only what is asked for, and what they keep is what a whole listing would say."""

from __future__ import annotations

import marshal
import os
import shutil
import time
from pathlib import Path

import pytest
from edit_cases import run, workspace

from builder.edit import locate
from builder.edit.locate import Index, cache_file


def _files(root: Path, *rels: str) -> None:
    for rel in rels:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("---\ntitle: x\n---\n", encoding="utf-8")


def test_taken_walks_for_a_prefix_once_then_lists_the_type(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _files(
        tmp_path,
        "tasks/hero.md",
        "tasks/site/hero-2.md",
        "tasks/site/heron.md",
        "tasks/site/Hero-3.md",  # not an id: `check` reports it
        "tasks/.hidden/hero-4.md",  # hidden: `check` skips it
        "tasks/menu.md",
        "deals/hero-5.md",  # another type
    )
    walks: list[tuple[str | None, bool]] = []
    walk = locate._walk

    def counted(
        root: Path, folder: str, want: str | None = None, whole: bool = True
    ) -> dict[str, list[str]]:
        walks.append((want, whole))
        return walk(root, folder, want, whole)

    monkeypatch.setattr(locate, "_walk", counted)
    index = Index(tmp_path)
    first = index.taken("task", "hero")
    assert set(first) == {"hero", "hero-2", "heron"}
    assert walks == [("hero", False)]
    # from the second call on, the whole listing (walked once), which holds the same ids
    second = index.taken("task", "menu")
    assert set(second) == {"hero", "hero-2", "heron", "menu"}
    assert set(index.taken("task", "hero")) == set(second)
    assert walks == [("hero", False), (None, True)]
    assert set(second) == index.ids("task")


def test_taken_after_a_listing_walks_nothing_more(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _files(tmp_path, "tasks/hero.md")
    index = Index(tmp_path)
    assert index.ids("task") == {"hero"}
    monkeypatch.setattr(locate, "_walk", None)  # any walk now fails
    assert set(index.taken("task", "he")) == {"hero"}


# --- the listings kept between commands (a workspace with a mkdocs.yml) ---------------------

_AN_HOUR_AGO_NS = 3600 * 10**9


def _project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The edit cases' workspace as `ws/` beside a mkdocs.yml; returns it."""
    monkeypatch.chdir(tmp_path)
    root = workspace(tmp_path)
    (tmp_path / "mkdocs.yml").write_text("site_name: Edit\nplugins:\n  - plaindesk\n")
    return root.relative_to(tmp_path)  # problem lines and messages name `ws/...`


def _age(root: Path) -> None:
    """Every folder under `root` last changed an hour ago (a listing of it can be kept)."""
    past = time.time_ns() - _AN_HOUR_AGO_NS
    for folder in [root, *(p for p in root.rglob("*") if p.is_dir())]:
        os.utime(folder, ns=(past, past))


def _listed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The folders listed from now on (their paths)."""
    listed: list[str] = []
    real = locate._list

    def counted(path: str) -> tuple[list[str], list[str]] | None:
        listed.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(locate, "_list", counted)
    return listed


def test_a_workspace_with_mkdocs_yml_keeps_its_listings_outside_the_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path, monkeypatch)
    (root / "tasks/site").mkdir()
    (root / "tasks/site/menu.md").write_text("---\ntitle: Menu\nproject: site\n---\n")
    _age(root)
    before = sorted(root.rglob("*"))
    assert run(root, "move", "menu", "review").exit_code == 0
    cache = tmp_path / ".plaindesk-cache"
    assert sorted(p.name for p in cache.iterdir()) == [".gitignore", "record-folders-ws"]
    assert (cache / ".gitignore").read_text() == "# created by plaindesk\n*\n"
    assert sorted(root.rglob("*")) == before  # nothing new in the content folder
    # the next command lists only the folder the move wrote in (its time changed)
    listed = _listed(monkeypatch)
    moved = run(root, "move", "menu", "design")
    assert moved.stdout == "moved task menu from review to design (ws/tasks/site/menu.md)\n"
    assert listed == ["site"]
    # listed again by each command in the two seconds after it changed
    assert run(root, "move", "menu", "design").stdout.endswith("nothing changed\n")
    assert listed == ["site", "site"]
    later = time.time_ns() + 3 * 10**9
    monkeypatch.setattr(locate, "_now", lambda: later)
    assert run(root, "move", "menu", "design").stdout.endswith("nothing changed\n")
    assert listed == ["site", "site", "site"]
    listed.clear()
    assert run(root, "note", "hero", "looks good").exit_code == 0
    # a note looks in every type's folder: those no command had listed yet are listed
    assert sorted(listed) == ["companies", "contacts", "people"]
    listed.clear()
    assert run(root, "note", "hero", "again").exit_code == 0
    assert listed == ["tasks"]  # where the first note wrote


def test_a_file_added_renamed_or_removed_is_seen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path, monkeypatch)
    (root / "tasks/site").mkdir()
    _age(root)
    assert run(root, "move", "hero", "review").exit_code == 0
    _age(root)
    assert run(root, "move", "hero", "design").exit_code == 0  # listings kept now
    (root / "tasks/hero.md").rename(root / "tasks/site/hero.md")
    assert run(root, "move", "hero", "review").stdout == (
        "moved task hero from design to review (ws/tasks/site/hero.md)\n"
    )
    (root / "tasks/site/extra").mkdir()
    (root / "tasks/site/extra/hero.md").write_text("---\ntitle: Twin\nproject: site\n---\n")
    twice = run(root, "move", "hero", "design")
    assert twice.exit_code == 2
    assert "two tasks have the id `hero`" in twice.stderr
    shutil.rmtree(root / "tasks/site/extra")
    assert run(root, "move", "hero", "design").exit_code == 0
    cache = tmp_path / ".plaindesk-cache/record-folders-ws"
    _age(root)
    assert run(root, "move", "hero", "review").exit_code == 0
    kept = marshal.loads(cache.read_bytes())["folders"]
    assert "tasks/site/extra/" not in kept  # a folder gone is dropped
    assert {"tasks/", "tasks/site/", "deals/"} <= set(kept)


def test_a_change_within_a_tick_of_the_clock_is_not_missed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file system whose clock has coarse ticks may leave a folder's time as it was when
    a file is added just after the folder was listed: a listing made less than two seconds
    after its folder changed is never used."""
    root = _project(tmp_path, monkeypatch)
    tasks = root / "tasks"
    (tasks / "site").mkdir()
    _age(root)
    now = time.time_ns()
    os.utime(tasks, ns=(now, now))  # changed just now: its listing is kept, never used
    index = Index(root, cache_file(root))
    assert index.paths_of("task", "menu") == []
    assert "tasks/" in marshal.loads(cache_file(root).read_bytes())["folders"]  # type: ignore[union-attr]
    (tasks / "menu.md").write_text("---\ntitle: Menu\nproject: site\n---\n")
    os.utime(tasks, ns=(now, now))  # the same tick
    assert Index(root, cache_file(root)).paths_of("task", "menu") == ["tasks/menu.md"]


def test_a_cache_that_cannot_be_read_or_written_is_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path, monkeypatch)
    cache = tmp_path / ".plaindesk-cache"
    cache.mkdir()
    (cache / "record-folders-ws").write_bytes(b"\x00not marshal")
    _age(root)
    assert run(root, "move", "hero", "review").exit_code == 0
    assert marshal.loads((cache / "record-folders-ws").read_bytes())["version"] == 1
    (cache / "record-folders-ws").unlink()
    cache.chmod(0o500)  # read-only
    try:
        assert run(root, "move", "hero", "design").exit_code == 0
    finally:
        cache.chmod(0o700)


def test_a_bare_content_folder_gets_no_cache(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    assert cache_file(root) is None
    assert run(root, "move", "hero", "review").exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ws"]


@pytest.mark.parametrize("cached", [False, True])
def test_a_record_file_is_found_whatever_the_case_of_its_suffix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cached: bool
) -> None:
    """As `check` reads `hero.MD` as the record `hero`, so the look-up finds it."""
    root = _project(tmp_path, monkeypatch) if cached else workspace(tmp_path)
    (root / "tasks/site").mkdir()
    (root / "tasks/hero.md").rename(root / "tasks/site/hero.MD")
    (root / "tasks/release.md").rename(root / "tasks/release.Md")
    (root / "tasks/site/hero.txt").write_text("not a record")
    (root / "tasks/site/hero").mkdir()  # a folder is no record
    _age(root)
    for _ in range(2):  # the second time from the listings kept, when they are
        index = Index(root, cache_file(root))
        assert index.paths_of("task", "hero") == ["tasks/site/hero.MD"]
        assert index.paths_of("task", "release") == ["tasks/release.Md"]
        assert index.paths_of("task", "site") == []
        assert index.paths("task") == {
            "hero": ["tasks/site/hero.MD"],
            "release": ["tasks/release.Md"],
        }
    assert (tmp_path / ".plaindesk-cache").is_dir() == cached
