"""Serve's boards and derived data kept between rebuilds (`derived.DeriveKept`, the lists'
tallies `boards.tally`): after each kind of task, person, project and settings edit, the
kept derived data equals a fresh `derive`'s and the boards, archives and summaries are
written byte for byte as a fresh run writes them; a task move counts again only the lists
it changed."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_workspace
from site_cases import SMALL
from test_incremental import edit, snapshot

from builder.model import Task
from builder.pipeline import run_check
from builder.render.pages import SiteOptions, _Renderer
from builder.site.generate import Kept, generate
from builder.views import boards
from builder.views.derived import Derived, derive
from builder.views.paging import LIMITS, Limits

#: (file, old text, new text), each applied on top of the ones before it; "" as the old
#: text writes the file anew, None as the new text deletes it
EDITS: list[tuple[str, str, str | None]] = [
    ("tasks/site-copy.md", "status: doing", "status: review"),  # a move between columns
    ("tasks/site-copy.md", "assignee: anna", "assignee: oleh"),  # reassigned
    ("tasks/site-hosting.md", "status: doing", "status: doing\nassignee: anna"),  # assigned
    ("tasks/site-review.md", "assignee: anna\n", ""),  # unassigned
    # to another project (and workflow)
    ("tasks/press-list.md", "project: press\nstatus: backlog", "project: site\nstatus: queue"),
    ("tasks/site-launch.md", "status: queue", "status: done"),  # done
    ("tasks/site-brief.md", "status: done", "status: doing"),  # reopened
    ("tasks/site-mockups.md", "due: 2026-03-13", "due: 2026-03-30"),  # no longer overdue
    ("tasks/site-mockups.md", "tags: [design]", "tags: [design, ux]"),  # a new tag
    ("workspace.yml", "{id: doing, name: Doing, wip: 2}", "{id: doing, name: Doing, wip: 1}"),
    ("workspace.yml", "{id: review, name: Review, wip: 1}", "{id: review, name: Checking}"),
    ("projects/shop.md", "workflow: web", "workflow: pr"),  # its tasks in another workflow
    ("projects/shop.md", "workflow: pr", "workflow: web"),
    ("people/oleh.md", "name: Oleh Petrenko", "name: Oleh P."),  # renamed
    ("tasks/site-new.md", "", "---\ntitle: New one\nproject: site\nstatus: done\n---\n"),
    ("tasks/shop-new.md", "", "---\ntitle: Newer\nproject: shop\nassignee: oleh\n---\n"),
    # first in id order: its project's and assignee's lists come first in the index
    ("tasks/aaa-first.md", "", "---\ntitle: First\nproject: shop\nassignee: oleh\n---\n"),
    ("tasks/site-launch.md", "", None),  # deleted
    ("people/maria.md", "", "---\nname: Maria\n---\n"),  # a new person (the people's keys)
    ("tasks/site-review.md", "status: review", "status: review\nassignee: maria"),
    ("people/ivan.md", "", None),  # a person gone
    ("tasks/site-copy.md", "project: site", "project: shop"),  # moved, its column in both
    ("tasks/press-release.md", "status: writing", "status: published"),  # done
]


def files(done_cards: int) -> dict[str, str]:
    """SMALL with `done_cards` more done tasks on the site board (its archive)."""
    out = dict(SMALL)
    for n in range(done_cards):
        out[f"tasks/old-{n}.md"] = (
            f"---\ntitle: Old {n}\nproject: site\nstatus: done\ndue: 2026-01-0{n + 1}\n"
            + ("assignee: anna\n" if n % 2 else "")
            + "---\n"
        )
    return out


def same_derived(kept: Derived, fresh: Derived) -> None:
    """Equal, the dictionaries in the same order (as a fresh run lists them)."""
    assert kept == fresh
    for name in ("tasks_by_project", "tasks_by_assignee"):
        assert list(getattr(kept.index, name)) == list(getattr(fresh.index, name)), name
    assert kept.unassigned == fresh.unassigned
    assert list(kept.table_digests.items()) == list(fresh.table_digests.items())


@pytest.mark.parametrize(
    "limits",
    [LIMITS, Limits(board_done=1, archive=2, unassigned=0)],
    ids=["default", "archives-and-summaries"],
)
def test_kept_boards_and_derived_data_equal_fresh_ones(tmp_path: Path, limits: Limits) -> None:
    root = make_workspace(tmp_path, files(5))
    kept, tree = Kept(), tmp_path / "kept"

    def options() -> SiteOptions:
        return SiteOptions(limits=limits)

    generate(root, tree, options(), None, kept=kept, history=False)
    for n, (rel, old, new) in enumerate(EDITS):
        edit(root, rel, old, new)
        generate(root, tree, options(), None, kept=kept, history=False)
        fresh = tmp_path / f"fresh-{n}"
        generate(root, fresh, options(), None, history=False)
        assert snapshot(tree) == snapshot(fresh), (rel, new)
        assert kept.derived.derived is not None
        same_derived(kept.derived.derived, derive(run_check(root).workspace))


def test_a_task_move_counts_again_only_the_lists_it_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A task moved to another project: its old and new project's lists (and its
    assignee's, which hold the task as it is now) are new lists, counted again; every
    other list is the very one the last rebuild counted, and is not counted again."""
    root = make_workspace(tmp_path, files(3))
    kept, tree = Kept(), tmp_path / "kept"
    generate(root, tree, SiteOptions(), None, kept=kept, history=False)
    before = kept.derived.derived
    assert before is not None
    counted: list[list[object]] = []
    tally = boards._tally

    def counting(derived: Derived, tasks: list[Task], today: object) -> boards.Tally:
        counted.append(list(tasks))
        return tally(derived, tasks, today)  # type: ignore[arg-type]

    monkeypatch.setattr(boards, "_tally", counting)
    rows: list[str] = []
    render_row = _Renderer._render_row

    def rendering(self: _Renderer, row: boards.LaneRow, headers: list[object], root: str) -> str:
        rows.append(row.id)
        return render_row(self, row, headers, root)

    monkeypatch.setattr(_Renderer, "_render_row", rendering)
    edit(root, "tasks/press-list.md", "project: press\nstatus: backlog", "project: site")
    generate(root, tree, SiteOptions(), None, kept=kept, history=False)
    after = kept.derived.derived
    assert after is not None
    ix0, ix1 = before.index, after.index
    moved = after.index.tasks_by_project["site"]
    assert "press-list" in {t.id for t in moved}
    assert ix1.tasks_by_project["shop"] is ix0.tasks_by_project["shop"]
    assert ix1.tasks_by_project["press"] is not ix0.tasks_by_project["press"]
    assert ix1.contacts_by_company is ix0.contacts_by_company
    assert after.workflows is before.workflows
    # nothing counted twice, and none of the lists that stayed as they were
    ids = [tuple(t.id for t in c) for c in counted if c]  # type: ignore[attr-defined]
    assert len(ids) == len(set(ids))
    shop = tuple(t.id for t in ix1.tasks_by_project["shop"])
    assert shop not in ids
    assert tuple(t.id for t in moved) in ids
    # the summaries' rows rendered again: the two projects' and the assignee's lanes
    assert set(rows) == {"project:press", "project:site", "person:oleh"}
    generate(root, tmp_path / "fresh", SiteOptions(), None, history=False)
    assert snapshot(tree) == snapshot(tmp_path / "fresh")
    # a column renamed: the same lists, the same done columns: nothing counted again
    counted.clear()
    edit(root, "workspace.yml", "name: Doing", "name: In work")
    generate(root, tree, SiteOptions(), None, kept=kept, history=False)
    assert [c for c in counted if c] == []
    assert kept.derived.derived.index.tasks_by_project["site"] is moved  # type: ignore[union-attr]
    generate(root, tmp_path / "fresh-2", SiteOptions(), None, history=False)
    assert snapshot(tree) == snapshot(tmp_path / "fresh-2")


def test_another_done_column_recounts_the_boards(tmp_path: Path) -> None:
    """A workflow's done column changed (a column added after it): what was done is open
    again on every board and summary, as a fresh run counts it (the counts are kept by
    each project's workflow and done column, `Derived.flow_marks`)."""
    root = make_workspace(tmp_path, files(5))
    kept, tree = Kept(), tmp_path / "kept"
    edit(root, "tasks/press-release.md", "status: writing", "status: published")
    generate(root, tree, SiteOptions(), None, kept=kept, history=False)
    edit(
        root,
        "workspace.yml",
        "[backlog, writing, published]",
        "[backlog, writing, published, gone]",
    )
    generate(root, tree, SiteOptions(), None, kept=kept, history=False)
    generate(root, tmp_path / "fresh", SiteOptions(), None, history=False)
    assert snapshot(tree) == snapshot(tmp_path / "fresh")
    assert kept.derived.derived is not None
    same_derived(kept.derived.derived, derive(run_check(root).workspace))
