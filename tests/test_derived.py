"""Derived data (builder.views.derived): computed once from a validated workspace and its
git history, handed to the views explicitly, so that a view called on its own returns
what the build shows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import make_workspace
from gitrepo import build_scenario
from site_cases import SMALL, TODAY

from builder.history import read_history
from builder.model import Workspace
from builder.pipeline import run_check
from builder.render.pages import SiteOptions
from builder.site.generate import generate
from builder.views import boards, funnels, records
from builder.views.common import Fmt
from builder.views.derived import derive

HISTORY_TODAY = date(2026, 3, 16)


def test_derive_indexes_the_workspace(tmp_path: Path) -> None:
    ws = run_check(make_workspace(tmp_path, SMALL), TODAY).workspace
    derived = derive(ws)
    assert [t.id for t in derived.tasks_by_id] == sorted(ws.tasks)
    by_anna = [t.id for t in derived.index.tasks_by_assignee["anna"]]
    assert by_anna == sorted(t.id for t in ws.tasks.values() if t.assignee == "anna")
    assert by_anna[:2] == ["press-release", "site-brief"]
    assert {pid: flow.id for pid, flow in derived.workflows.items()} == {
        "press": "pr",
        "shop": "web",
        "site": "web",
        "": "web",  # a task whose project is unknown: the default workflow
    }
    assert sorted(derived.table_digests) == [
        "company",
        "contact",
        "deal",
        "person",
        "project",
        "task",
    ]
    assert (derived.stuck, derived.idle) == ({}, {})  # no history given


def test_a_table_digest_changes_with_any_of_its_records(tmp_path: Path) -> None:
    root = make_workspace(tmp_path, SMALL)
    before = derive(run_check(root, TODAY).workspace).table_digests
    path = root / "tasks" / "site-copy.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    after = derive(run_check(root, TODAY).workspace).table_digests
    assert [k for k in sorted(before) if before[k] != after[k]] == ["task"]


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Workspace, Path]:
    """The history scenario checked, and built into a page tree."""
    root = tmp_path_factory.mktemp("derived")
    repo = build_scenario(root)
    result = run_check(repo.content, HISTORY_TODAY)
    tree = root / "tree"
    generate(repo.content, tree, SiteOptions(), HISTORY_TODAY, result=result)
    return repo.content, result.workspace, tree


def test_a_view_called_alone_with_the_history_shows_what_the_build_shows(
    scenario: tuple[Path, Workspace, Path],
) -> None:
    """Idle days come from git when the history is given (14 days since its last commit,
    though `updated:` says the day before today), and the built pages say the same."""
    content, ws, tree = scenario
    history = read_history(content, ws, HISTORY_TODAY, use_cache=False)
    derived = derive(ws, history)
    deal = ws.deals["tau-retainer"]
    card = funnels.deal_card(ws, derived, deal, HISTORY_TODAY, Fmt.of(ws))
    assert (card.idle_days, card.idle) == (14, True)
    page = records.deal_page(ws, derived, deal, HISTORY_TODAY)
    updated = next(f for f in page.facts if f.label == "Last activity")
    assert (updated.value, updated.css) == ("Mar 2, 2026", "overdue")
    built = (tree / "deals" / "tau-retainer.md").read_text(encoding="utf-8")
    assert (
        '<div class="pd-fact pd-overdue"><dt>Last activity</dt><dd><span aria-hidden="true">'
        '⚠ </span><span class="pd-sr">needs attention: </span>Mar 2, 2026</dd>'
    ) in built
    funnel = (tree / "funnels" / "sales.md").read_text(encoding="utf-8")
    assert '<span class="pd-chip pd-stuck">idle 14 d</span>' in funnel

    # the stuck chip on a card, from the board's flow
    board = boards.project_board(ws, derived, "site", HISTORY_TODAY)
    chips = {
        c.id: c.stuck
        for s in board.sections
        for lane in s.lanes
        for col in lane.columns
        for c in col.cards
        if c.stuck
    }
    assert chips == {"banner": "stuck 12.6 days"}
    built_board = (tree / "boards" / "site.md").read_text(encoding="utf-8")
    assert built_board.count('<span class="pd-chip pd-stuck">stuck 12.6 days</span>') == 1


def test_without_the_history_a_view_reads_the_files_alone(
    scenario: tuple[Path, Workspace, Path],
) -> None:
    """The same workspace, derived without its history, before or after a build: the
    hand-kept `updated:` gives the idle days, and nothing is stuck."""
    _, ws, _ = scenario
    derived = derive(ws)
    card = funnels.deal_card(ws, derived, ws.deals["tau-retainer"], HISTORY_TODAY, Fmt.of(ws))
    assert (card.idle_days, card.idle) == (1, False)
    board = boards.project_board(ws, derived, "site", HISTORY_TODAY)
    assert not any(
        c.stuck
        for s in board.sections
        for lane in s.lanes
        for col in lane.columns
        for c in col.cards
    )
