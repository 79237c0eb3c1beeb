"""`plaindesk build` with the last build's state in a git repository (every CI build): a
commit re-renders the pages that show what it changed, not every page (the history's
commit count and HEAD are in no page's key), and the warm site is byte for byte a cold
build's of the same commit (docs/incremental.md, "Page keys and the git history")."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import make_workspace
from gitrepo import ANNA, GitRepo
from site_cases import SMALL, build, project, snapshot_files
from test_incremental_build import edit, first_line

from builder.site import state


def keys(root: Path) -> dict[str, str]:
    """Each page of the last build's state, with its key digest ("": no key, rendered
    every time)."""
    found, why = state.load(root)
    assert found is not None, why
    return {rel: entry.key for rel, entry in found.pages.items()}


def rendered(before: dict[str, str], after: dict[str, str]) -> set[str]:
    """The pages a warm build had to render: those without a key, and those whose key is
    not the one the last build left."""
    return {rel for rel, key in after.items() if not key or before.get(rel) != key}


def cold_clone(root: Path, where: Path) -> dict[str, bytes]:
    """A cold build of the same commit (and working tree) in a fresh copy of the whole
    repository, without the last build's state, caches and site: its site's files."""
    shutil.rmtree(where, ignore_errors=True)
    shutil.copytree(
        root, where, ignore=shutil.ignore_patterns(".plaindesk", ".plaindesk-cache", "site")
    )
    done = build(where)
    assert done.returncode == 0, done.stderr
    assert first_line(done.stderr).startswith("full build: no state"), done.stderr
    return snapshot_files(where / "site")


def warm_build(root: Path, tmp_path: Path) -> str:
    """Build `root` with its state; the site must equal a cold build's of the same commit.
    Returns the build's line about what it redid."""
    done = build(root)
    assert done.returncode == 0, done.stderr
    warm = snapshot_files(root / "site")
    cold = cold_clone(root, tmp_path / "cold")
    assert sorted(warm) == sorted(cold)
    assert [rel for rel in warm if warm[rel] != cold[rel]] == []
    return first_line(done.stderr)


def built_repo(tmp_path: Path, *edits: tuple[str, str, str]) -> tuple[Path, GitRepo]:
    """The small workspace committed, then each edit (file, old, new) committed (a copy
    moved to Review by default), then built cold: the project and its repository."""
    root = make_workspace(tmp_path, project(SMALL))
    repo = GitRepo(root)
    (root / ".gitignore").write_text("site/\n", encoding="utf-8")
    repo.commit("2026-03-02T10:00:00+02:00", message="the workspace")
    for rel, old, new in edits or (("tasks/site-copy.md", "status: doing", "status: review"),):
        edit(root, rel, old, new)
    repo.commit("2026-03-09T10:00:00+02:00", message="edits")
    done = build(root)
    assert done.returncode == 0, done.stderr
    assert first_line(done.stderr).startswith("full build: no state")
    return root, repo


@pytest.fixture(scope="module")
def default_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`built_repo` with its default edit, made once per module."""
    root, _repo = built_repo(tmp_path_factory.mktemp("default"))
    return root


def copy_of(default_repo: Path, tmp_path: Path) -> tuple[Path, GitRepo]:
    """A copy of the default built repository (`cp -a`: its history, state, caches, site
    and the spare's hard links, every mtime), as a CI cache and checkout restore it."""
    root = tmp_path / "ws"
    subprocess.run(["cp", "-a", str(default_repo), str(root)], check=True)
    return root, GitRepo(root)


def test_a_commit_rerenders_only_the_pages_that_show_it(default_repo: Path, tmp_path: Path) -> None:
    root, repo = copy_of(default_repo, tmp_path)
    first = keys(root)
    unkeyed = {rel for rel, key in first.items() if not key}
    # the dashboard, the activity feed (and its months) and the boards' list: always made
    assert unkeyed == {
        "index.md",
        "activity.md",
        "boards/index.md",
    }
    total = len(first)

    # one task moved and committed: its page, its project's page and board, the boards
    # of all projects, the tasks nobody is assigned to (it is one), the profitability
    # report and the statements (a done task counts in the month git says it was done:
    # every task's history), and the Problems page (Review's WIP limit of 1 is exceeded)
    edit(root, "tasks/site-hosting.md", "status: doing", "status: review")
    repo.commit("2026-03-12T10:00:00+02:00", message="hosting to review")
    said = warm_build(root, tmp_path)
    second = keys(root)
    redone = rendered(first, second)
    assert redone - unkeyed == {
        "tasks/site-hosting.md",
        "projects/site.md",
        "boards/site.md",
        "boards/all.md",
        "boards/all-by-person.md",
        "boards/unassigned.md",
        "reports/index.md",
        "problems.md",
    } | {rel for rel in second if rel.startswith("reports/statements/")}
    assert said == (
        f"incremental build: {len(redone)} of {total} pages rendered, "
        + said.split(" rendered, ", 1)[1]
    )

    # a deal moved on and committed: its page, the funnel (its board, conversions and
    # the funnels' index), its company's page, its owner's page, the companies' list
    # (it counts open deals; the contacts' lists show no deal) and the Problems page
    # (its idle warning names the stage)
    edit(root, "deals/big-lead.md", "stage: lead", "stage: proposal")
    repo.commit("2026-03-13T10:00:00+02:00", message="big lead: proposal")
    said = warm_build(root, tmp_path)
    third = keys(root)
    redone = rendered(second, third)
    assert redone - unkeyed == {
        "deals/big-lead.md",
        "funnels/sales.md",
        "funnels/index.md",
        "companies/bank.md",
        "people/anna.md",
        "companies/index.md",
        "problems.md",
    }
    assert said.startswith(f"incremental build: {len(redone)} of {total} pages rendered, ")
    second = third

    # an edit built before it is committed, then committed: the second build reads the
    # same files, only the history differs. The pages that show that task's history
    # change: its page (its timeline; "not committed" before), its project's board (the
    # flow charts, and their note on uncommitted files), the reports that count the day
    # it was done, and the funnels (their note on uncommitted files is gone)
    edit(root, "tasks/site-launch.md", "status: queue", "status: doing")
    assert warm_build(root, tmp_path).startswith("incremental build: ")
    third = keys(root)
    repo.commit("2026-03-14T09:00:00+02:00", message="launch started")
    said = warm_build(root, tmp_path)
    second = keys(root)
    redone = rendered(third, second)
    assert redone - unkeyed == {
        "tasks/site-launch.md",
        "boards/site.md",
        "boards/press.md",
        "boards/shop.md",
        "funnels/sales.md",
        "funnels/index.md",
        "reports/index.md",
    } | {rel for rel in second if rel.startswith("reports/statements/")}
    assert said.startswith(f"incremental build: {len(redone)} of {total} pages rendered, ")

    # a commit that changes no file: no record's history changes, nor the status any
    # page words (the number of commits is shown nowhere), so only the pages without a
    # key are made again
    when = GitRepo._env("2026-03-14T10:00:00+02:00", ANNA)
    repo.git("commit", "-q", "--allow-empty", "--no-gpg-sign", "-m", "nothing", env=when)
    said = warm_build(root, tmp_path)
    assert keys(root) == second
    assert said.startswith(f"incremental build: {len(unkeyed)} of {total} pages rendered, ")


def test_a_column_renamed_rerenders_the_tasks_that_stood_in_it(
    default_repo: Path, tmp_path: Path
) -> None:
    # a task's timeline names each column it stood in: renaming Doing re-renders the
    # tasks in it and the one that left it for Review, not the tasks that never were
    # in it; of the record pages besides, only the web projects' (their task lists)
    root, repo = copy_of(default_repo, tmp_path)
    first = keys(root)

    edit(root, "workspace.yml", "{id: doing, name: Doing, wip: 2}", "{id: doing, name: Making}")
    repo.commit("2026-03-10T10:00:00+02:00", message="Doing is Making")
    assert warm_build(root, tmp_path).startswith("incremental build: ")
    redone = rendered(first, keys(root))
    records = ("tasks/", "projects/", "companies/", "contacts/", "deals/")
    record_pages = [
        rel for rel in redone if rel.startswith(records) and (root / "content" / rel).is_file()
    ]
    assert sorted(record_pages) == [
        "projects/shop.md",
        "projects/site.md",
        "tasks/shop-catalog.md",
        "tasks/site-copy.md",
        "tasks/site-hosting.md",
        "tasks/site-mockups.md",
    ]
    # a project's board shows its own workflow
    assert {"boards/site.md", "boards/shop.md"} <= redone
    assert "boards/press.md" not in redone
    page = (root / "site/tasks/site-copy/index.html").read_text(encoding="utf-8")
    assert "Making" in page


def test_a_person_renamed_rerenders_the_boards_of_their_tasks_only(tmp_path: Path) -> None:
    # Oleh has tasks on the site and press boards, none on the shop's: renaming him
    # re-renders those two boards, not the shop's; warm equals cold
    root, repo = built_repo(tmp_path, ("tasks/shop-catalog.md", "assignee: oleh", "assignee: anna"))
    first = keys(root)

    edit(root, "people/oleh.md", "name: Oleh Petrenko", "name: Oleh Bondar")
    repo.commit("2026-03-10T10:00:00+02:00", message="Oleh's new name")
    assert warm_build(root, tmp_path).startswith("incremental build: ")
    boards = sorted(rel for rel in rendered(first, keys(root)) if rel.startswith("boards/"))
    assert "boards/shop.md" not in boards
    assert {"boards/site.md", "boards/press.md", "boards/all-by-person.md"} <= set(boards)
    assert "Oleh Bondar" in (root / "site/boards/press/index.html").read_text(encoding="utf-8")
