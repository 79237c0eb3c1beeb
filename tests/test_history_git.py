"""The history reader against a scripted git repository: created/changed/renamed/deleted
per record, broken YAML skipped, time zones, `today`, the cache, shallow clones,
uncommitted files and folders that are not repositories."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from gitrepo import ANNA, OLEH, GitRepo, build_scenario, front

from builder.history import History, read_history
from builder.history.events import CHANGED, CREATED, DELETED, MOVED, RENAMED, START
from builder.history.reader import ERROR, NO_COMMITS, NO_REPO, OK
from builder.history.store import CACHE_DIR, CACHE_VERSION, extract
from builder.pipeline import run_check
from builder.views.activity import history_notes

TODAY = date(2026, 3, 16)
KYIV = timezone(timedelta(hours=2))


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> GitRepo:
    return build_scenario(tmp_path_factory.mktemp("scenario"))


def history_of(content: Path, today: date = TODAY, use_cache: bool = False) -> History:
    ws = run_check(content, today).workspace
    return read_history(content, ws, today, use_cache=use_cache)


def changes(h: History, kind: str, ident: str) -> list[tuple[str, str, str | None, str | None]]:
    rec = h.get(kind, ident)
    assert rec is not None
    return [(c.kind, c.field, c.old, c.new) for c in rec.changes]


def test_status_of_a_complete_history(scenario: GitRepo) -> None:
    h = history_of(scenario.content)
    assert h.status.state == OK
    assert h.status.commits == 11
    assert h.status.later == 1  # the commit of 2026-03-20
    assert h.status.first == date(2026, 3, 2)
    assert h.status.shallow_since is None
    assert history_notes(h.status, "en") == ["Commits dated after Mar 16, 2026 are left out: 1."]


def test_every_status_change_with_date_and_author(scenario: GitRepo) -> None:
    h = history_of(scenario.content)
    rec = h.get("task", "mockups")
    assert rec is not None
    assert rec.created is not None
    assert rec.created.when == datetime(2026, 3, 2, 10, tzinfo=KYIV)
    assert rec.created.author.person == "anna-k"
    assert changes(h, "task", "mockups") == [
        (CREATED, "", None, None),
        (CHANGED, "status", "queue", "accepted"),
        (CHANGED, "assignee", None, "oleh-p"),
        (CHANGED, "status", "accepted", "design"),
        (CHANGED, "status", "design", "approval"),
        (CHANGED, "status", "approval", "released"),
    ]
    design = rec.changes[3].stamp
    # Committed from her second address, listed under `emails`.
    assert design.author.email == "anna.k@gmail.com"
    assert design.author.person == "anna-k"
    released = rec.changes[5].stamp
    assert released.when.utcoffset() == timedelta(hours=-5)  # the author's own offset
    assert released.when.astimezone(h.tz).date() == date(2026, 3, 13)  # Kyiv's day


def test_unknown_author_keeps_git_name(scenario: GitRepo) -> None:
    h = history_of(scenario.content)
    rec = h.get("deal", "kyiv-opera")
    assert rec is not None
    last = rec.changes[-1].stamp.author
    assert (last.name, last.email, last.person) == ("Bot", "ci@example.org", None)


def test_broken_yaml_is_skipped_for_that_record(scenario: GitRepo) -> None:
    h = history_of(scenario.content)
    rec = h.get("task", "homepage-copy")
    assert rec is not None
    assert [s.when.date() for s in rec.skipped] == [date(2026, 3, 5)]
    # The fixing commit is compared with the last good version.
    assert changes(h, "task", "homepage-copy") == [
        (CREATED, "", None, None),
        (CHANGED, "status", "queue", "accepted"),
        (CHANGED, "due", None, "2026-03-20"),
        (RENAMED, "", "copy", "homepage-copy"),
    ]
    assert rec.changes[1].stamp.when == datetime(2026, 3, 6, 9, tzinfo=KYIV)


def test_rename_keeps_history(scenario: GitRepo) -> None:
    h = history_of(scenario.content)
    rec = h.get("task", "homepage-copy")
    assert rec is not None and rec.path == "tasks/site/homepage-copy.md"
    assert rec.former_ids == ["copy"]
    assert rec.created is not None and rec.created.when.date() == date(2026, 3, 2)
    assert h.get("task", "copy") is rec  # the old id still finds it
    assert ("task", "copy") not in h.records


def test_move_to_another_folder_is_the_same_record(scenario: GitRepo) -> None:
    h = history_of(scenario.content)
    assert changes(h, "task", "banner") == [
        (CREATED, "", None, None),
        (MOVED, "", "tasks/banner.md", "tasks/site/banner.md"),
    ]


def test_deleted_record(scenario: GitRepo) -> None:
    h = history_of(scenario.content)
    rec = h.get("task", "old-brief")
    assert rec is not None and rec.deleted is not None
    assert rec.deleted.when == datetime(2026, 3, 9, 15, tzinfo=KYIV)
    assert changes(h, "task", "old-brief")[-1] == (DELETED, "", None, None)
    assert rec.snapshot is not None and rec.snapshot["title"] == "Old brief"


def test_today_leaves_out_later_commits(scenario: GitRepo) -> None:
    h = history_of(scenario.content, date(2026, 3, 9))
    assert h.status.commits == 7 and h.status.later == 5
    assert [c.new for c in h.records[("task", "mockups")].changes if c.field == "status"] == [
        "accepted",
        "design",
        "approval",
    ]
    assert h.get("task", "copy") is not None and h.get("task", "homepage-copy") is None


def test_move_without_rename_detection_keeps_history(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path)
    repo.write({"tasks/card.md": front(title="Card", project="p", status="todo")})
    repo.commit("2026-03-02T10:00:00+02:00")
    repo.remove("tasks/card.md")  # moved and rewritten: git sees a deletion and an addition
    repo.write({"tasks/q2/card.md": front(title="Other words entirely", status="doing") * 3})
    repo.commit("2026-03-03T10:00:00+02:00")
    h = history_of(repo.content)
    assert changes(h, "task", "card") == [
        (CREATED, "", None, None),
        (MOVED, "", "tasks/card.md", "tasks/q2/card.md"),
        (CHANGED, "status", "todo", "doing"),
        (CHANGED, "title", "Card", "Other words entirely"),
        (CHANGED, "project", "p", None),
    ]


def test_not_a_repository(tmp_path: Path) -> None:
    (tmp_path / "ws" / "tasks").mkdir(parents=True)
    (tmp_path / "ws" / "tasks" / "a.md").write_text(front(title="A", project="p"))
    h = history_of(tmp_path / "ws")
    assert h.status.state == NO_REPO
    assert h.records == {}
    assert history_notes(h.status, "en") == [
        "No history: the workspace is not in a git repository."
    ]
    assert history_notes(h.status, "uk") == ["Історії немає: робочий простір не в git-репозиторії."]


def test_git_missing_is_said_plainly(scenario: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = run_check(scenario.content, TODAY).workspace
    monkeypatch.setenv("PATH", "/nonexistent")
    h = read_history(scenario.content, ws, TODAY, use_cache=False)
    assert h.status.state == ERROR and h.records == {}
    assert history_notes(h.status, "en") == [
        "No history: git failed (cannot run git: No such file or directory)."
    ]


def test_repository_without_commits(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path)
    repo.write({"tasks/a.md": front(title="A", project="p")})
    h = history_of(repo.content)
    assert h.status.state == NO_COMMITS
    assert h.status.uncommitted == ("tasks/a.md",)
    assert history_notes(h.status, "en") == [
        "No history yet: nothing is committed.",
        "Files with uncommitted changes: 1. The history shows the last commit.",
    ]


def test_uncommitted_changes_are_named(scenario: GitRepo, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    shutil.copytree(scenario.root, clone)
    (clone / "content" / "tasks" / "mockups.md").write_text("changed")
    (clone / "content" / "tasks" / "new.md").write_text(front(title="New", project="site"))
    h = history_of(clone / "content")
    assert h.status.uncommitted == ("tasks/mockups.md", "tasks/new.md")
    assert h.is_uncommitted("task", "new") and not h.is_uncommitted("task", "banner")
    assert h.records[("task", "mockups")].changes[-1].new == "released"  # last commit


def test_shallow_clone_says_where_history_starts(scenario: GitRepo, tmp_path: Path) -> None:
    clone = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "4", f"file://{scenario.root}", str(clone)],
        check=True,
    )
    h = history_of(clone / "content")
    assert h.status.state == OK
    assert h.status.shallow_since == date(2026, 3, 11)  # New York's 09:00 is 16:00 in Kyiv
    assert history_notes(h.status, "en")[0] == "History starts at Mar 11, 2026: shallow clone."
    rec = h.get("task", "mockups")
    assert rec is not None and rec.created is None
    assert changes(h, "task", "mockups") == [
        (START, "", None, None),
        (CHANGED, "status", "approval", "released"),
    ]
    assert h.get("task", "old-brief") is None  # deleted before the clone's history starts


def test_cache_gives_the_same_history_and_reads_only_new_commits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = build_scenario(tmp_path / "repo")
    ws = run_check(repo.content, TODAY).workspace
    cache = repo.root / CACHE_DIR
    first = extract(repo.content)
    assert first.from_cache == 0
    base = next(cache.glob("history-*[0-9a-f].json"))
    assert (cache / ".gitignore").read_text().endswith("*\n")
    assert json.loads(base.read_text())["head"] == repo.git("rev-parse", "HEAD").strip()
    base_text = base.read_text()

    repo.write({"tasks/banner.md": front(title="Banner", project="site", status="approval")})
    repo.commit("2026-03-16T09:00:00+02:00", OLEH)
    again = extract(repo.content)
    assert again.from_cache == len(first.commits)
    assert len(again.commits) == len(first.commits) + 1
    assert base.read_text() == base_text  # only the delta file was written
    delta = json.loads(next(cache.glob("history-*.delta.json")).read_text())
    assert len(delta["commits"]) == 1 and len(delta["snapshots"]) == 1
    cached = read_history(repo.content, ws, TODAY)
    fresh = read_history(repo.content, ws, TODAY, use_cache=False)
    assert cached.records == fresh.records
    assert cached.status == fresh.status

    monkeypatch.setattr("builder.history.store.DELTA_MAX", 1)
    repo.write({"tasks/banner.md": front(title="Banner", project="site", status="released")})
    repo.commit("2026-03-16T10:00:00+02:00", OLEH)
    third = extract(repo.content)
    assert third.from_cache == len(again.commits)
    assert not list(cache.glob("history-*.delta.json"))  # folded into a new base
    assert (
        read_history(repo.content, ws, TODAY).records
        == read_history(repo.content, ws, TODAY, use_cache=False).records
    )


def test_the_cache_is_decoded_once_per_process_while_its_files_are_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The serve loop reads the history on every rebuild: the cache file is decoded again
    only when a commit (or anything else) has rewritten it."""

    repo = build_scenario(tmp_path / "repo")
    ws = run_check(repo.content, TODAY).workspace
    extract(repo.content)  # writes the cache
    decoded: list[str] = []
    loads = json.loads

    def counting(text: str) -> object:
        decoded.append(text[:20])
        return loads(text)

    monkeypatch.setattr("builder.history.store.json.loads", counting)
    first = read_history(repo.content, ws, TODAY)
    assert len(decoded) == 1  # the base file (there is no delta yet)
    second = read_history(repo.content, ws, TODAY)
    assert len(decoded) == 1 and second.records == first.records
    repo.write({"tasks/banner.md": front(title="Banner", project="site", status="approval")})
    repo.commit("2026-03-16T09:00:00+02:00", OLEH)
    third = read_history(repo.content, ws, TODAY)  # the kept cache, plus the new commit
    assert len(decoded) == 1
    assert third.records == read_history(repo.content, ws, TODAY, use_cache=False).records
    assert read_history(repo.content, ws, TODAY).records == third.records
    assert len(decoded) == 3  # the delta file written for the commit: both read again
    read_history(repo.content, ws, TODAY)
    assert len(decoded) == 3


def test_rewritten_history_is_read_again(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path)
    repo.write({"tasks/a.md": front(title="A", project="p", status="todo")})
    repo.commit("2026-03-02T10:00:00+02:00")
    repo.write({"tasks/a.md": front(title="A", project="p", status="doing")})
    repo.commit("2026-03-03T10:00:00+02:00")
    assert history_of(repo.content, use_cache=True).records[("task", "a")].changes[-1].new == (
        "doing"
    )
    repo.git("reset", "-q", "--hard", "HEAD~1")  # the cached HEAD is gone from the branch
    repo.write({"tasks/a.md": front(title="A", project="p", status="review")})
    repo.commit("2026-03-04T10:00:00+02:00", ANNA)
    h = history_of(repo.content, use_cache=True)
    assert changes(h, "task", "a") == [
        (CREATED, "", None, None),
        (CHANGED, "status", "todo", "review"),
    ]


def test_corrupt_cache_is_ignored(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path)
    repo.write({"tasks/a.md": front(title="A", project="p", status="todo")})
    repo.commit("2026-03-02T10:00:00+02:00")
    history_of(repo.content, use_cache=True)
    for file in (repo.root / CACHE_DIR).glob("history-*.json"):
        file.write_text(f'{{"version": {CACHE_VERSION}, "prefix": "content/", "commits": [[1]]}}')
    h = history_of(repo.content, use_cache=True)
    assert changes(h, "task", "a") == [(CREATED, "", None, None)]


def test_workspace_at_the_top_of_the_repository(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path, content="")
    repo.write({"tasks/a.md": front(title="A", project="p", status="todo"), "notes/x.md": "x"})
    repo.commit("2026-03-02T10:00:00+02:00")
    h = history_of(repo.content)
    assert list(h.records) == [("task", "a")]


def test_merged_branch_changes_are_attributed_to_their_commits(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path)
    repo.write(
        {
            "tasks/a.md": front(title="A", project="p", status="todo"),
            "tasks/b.md": front(title="B", project="p", status="todo"),
        }
    )
    repo.commit("2026-03-02T10:00:00+02:00")
    repo.git("checkout", "-q", "-b", "side")
    repo.write({"tasks/a.md": front(title="A", project="p", status="doing")})
    repo.commit("2026-03-03T10:00:00+02:00", OLEH)
    repo.git("checkout", "-q", "main")
    repo.write({"tasks/b.md": front(title="B", project="p", status="done")})
    repo.commit("2026-03-04T10:00:00+02:00", ANNA)
    repo.merge("side", "2026-03-05T10:00:00+02:00")
    h = history_of(repo.content)
    a = h.records[("task", "a")].changes[-1]
    assert (a.old, a.new, a.stamp.author.name) == ("todo", "doing", "Oleh Petrenko")
    assert a.stamp.when == datetime(2026, 3, 3, 10, tzinfo=KYIV)
    b = h.records[("task", "b")].changes[-1]
    assert (b.old, b.new, b.stamp.author.name) == ("todo", "done", "Anna Kovalenko")


def test_the_history_stage_neither_words_nor_draws() -> None:
    """builder/history reads git and computes; wording (i18n, Babel), views and markup
    belong to the later stages, which import it, never the other way round."""
    import ast

    import builder.history

    folder = Path(builder.history.__file__).parent
    imported: dict[str, set[str]] = {}
    for file in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(file.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.setdefault(node.module, set()).add(file.name)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    imported.setdefault(alias.name, set()).add(file.name)
    forbidden = ("builder.views", "builder.render", "builder.i18n", "builder.site", "babel")
    assert {m: f for m, f in imported.items() if m.startswith(forbidden)} == {}
