"""Finding records by id without loading the workspace (builder/edit/locate.py): the walks
keep only what is asked for, and what they keep is what a whole listing would say."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.edit import locate
from builder.edit.locate import Index


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
