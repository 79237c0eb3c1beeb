"""scripts/demo_history.py: the demo with four weeks of believable git history.

The script writes a project folder whose git history replays the demo agency's last four
weeks; these tests check the history itself (dates, authors, one field at a time, every
step valid, the end state is content/ byte for byte, same seed same commits) and what the
built site makes of it (a full activity feed, card timelines, stuck cards, idle deals)."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml
from site_cases import REPO, Built, Node, build, parse_html, snapshot_files

from builder.history import deal_idle, read_history
from builder.pipeline import run_check

SCRIPT = REPO / "scripts" / "demo_history.py"
TODAY = date(2026, 3, 16)
FIRST = date(2026, 2, 16)
#: the lines a step may change; everything else stays as in content/
MOVED_FIELDS = {"status", "stage", "assignee", "due", "owner", "amount", "updated", "project"}


def run_script(out: Path, *extra: str) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(out), *extra], capture_output=True, text=True, timeout=120
    )
    return done, time.perf_counter() - started


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, check=True
    ).stdout


def tree_files(root: Path, rev: str, folder: str) -> dict[str, bytes]:
    """The files under `folder` in commit `rev`, by path relative to `folder`."""
    data = subprocess.run(
        ["git", "archive", "--format=tar", rev, folder], cwd=root, capture_output=True, check=True
    ).stdout
    out: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        for member in tar.getmembers():
            if member.isfile():
                handle = tar.extractfile(member)
                assert handle is not None
                out[member.name[len(folder) + 1 :]] = handle.read()
    return out


@pytest.fixture(scope="module")
def replay(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float]:
    """The script's output folder, and how long the script took."""
    out = tmp_path_factory.mktemp("replay") / "demo"
    done, took = run_script(out)
    assert done.returncode == 0, done.stderr
    return out, took


@pytest.fixture(scope="module")
def built(replay: tuple[Path, float]) -> Built:
    result = build(replay[0])
    assert result.returncode == 0, result.stderr
    return result


def page(built: Built, rel: str) -> Node:
    return parse_html((built.site / rel).read_text(encoding="utf-8"))


def test_the_script_is_quick_and_writes_a_few_hundred_commits(replay: tuple[Path, float]) -> None:
    root, took = replay
    assert took < 20, f"the script took {took:.1f} s"
    count = int(git(root, "rev-list", "--count", "HEAD"))
    assert 150 <= count <= 300
    assert (root / "mkdocs.yml").read_bytes() == (REPO / "mkdocs.yml").read_bytes()
    theme = snapshot_files(REPO / "theme")
    assert tree_files(root, "HEAD", "theme") == {
        rel: data for rel, data in theme.items() if "__pycache__" not in rel
    }


def test_the_last_commit_is_the_demo_byte_for_byte(replay: tuple[Path, float]) -> None:
    root, _ = replay
    expected = snapshot_files(REPO / "content")
    assert tree_files(root, "HEAD", "content") == expected
    assert snapshot_files(root / "content") == expected


def test_same_seed_same_commits_and_a_non_empty_folder_is_refused(
    replay: tuple[Path, float], tmp_path: Path
) -> None:
    again = tmp_path / "again"
    done, _ = run_script(again)
    assert done.returncode == 0, done.stderr
    log = ["log", "--format=%H"]
    assert git(again, *log) == git(replay[0], *log)
    other, _ = run_script(tmp_path / "other", "--seed", "7")
    assert other.returncode == 0 and git(tmp_path / "other", *log) != git(again, *log)
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine\n")
    refused, _ = run_script(busy)
    assert refused.returncode == 2 and "not empty" in refused.stderr
    assert [p.name for p in busy.iterdir()] == ["notes.txt"]


def test_commits_are_back_dated_in_kyiv_by_the_demo_people(replay: tuple[Path, float]) -> None:
    root, _ = replay
    people = {}
    for path in sorted((REPO / "content" / "people").glob("*.md")):
        meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
        people[path.stem] = meta
    addresses = {
        (m["name"], mail)
        for m in people.values()
        for mail in [m.get("email"), *(m.get("emails") or [])]
        if mail
    }
    rows = git(root, "log", "--format=%aI%x1f%cI%x1f%aN%x1f%aE%x1f%cN%x1f%cE").splitlines()
    seen = set()
    for row in rows:
        authored, committed, name, email, c_name, c_email = row.split("\x1f")
        assert authored == committed and (name, email) == (c_name, c_email)
        when = datetime.fromisoformat(authored)
        assert FIRST <= when.date() <= TODAY and authored.endswith("+02:00"), authored
        assert (name, email) in addresses, (name, email)
        seen.add((name, email))
    inactive = {m["name"] for m in people.values() if m.get("active") is False}
    assert not {name for name, _ in seen} & inactive
    assert len({name for name, _ in seen}) >= 7
    personal = {mail for m in people.values() for mail in m.get("emails") or []}
    assert {email for _, email in seen} & personal  # a commit from a second address


def test_each_step_changes_only_the_fields_that_move(replay: tuple[Path, float]) -> None:
    root, _ = replay
    diff = git(root, "log", "-p", "-U0", "--diff-filter=M", "--format=", "--", "content")
    changed: dict[str, int] = {}
    for line in diff.splitlines():
        if line[:1] in "+-" and not line.startswith(("+++ ", "--- ")):
            if line[1:2] in (" ", "-") or line[1:] in ("log:", "log: []"):
                continue  # a contact's outreach log: empty until what it is about exists
            key = re.match(r"[+-]([a-z_]+): ", line)
            assert key and key.group(1) in MOVED_FIELDS, line
            changed[key.group(1)] = changed.get(key.group(1), 0) + 1
    assert changed["status"] > 150 and changed["stage"] > 40
    assert changed["assignee"] >= 4 and changed["due"] >= 4
    # won deals name their projects once the projects exist
    assert changed["project"] >= 2
    assert not git(root, "log", "--diff-filter=DR", "--format=%H", "--", "content")


def test_every_sampled_step_checks_without_errors(replay: tuple[Path, float]) -> None:
    root, _ = replay
    shas = git(root, "rev-list", "--reverse", "HEAD").split()
    sample = sorted({*shas[:10], *shas[10::20], shas[-1]}, key=shas.index)
    for sha in sample:
        files = tree_files(root, sha, "content")
        with tempfile.TemporaryDirectory() as tmp:
            for rel, data in files.items():
                target = Path(tmp) / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            result = run_check(Path(tmp), TODAY)
            assert result.errors == [], (sha, [p.message for p in result.errors][:3])


def test_the_activity_page_is_full(built: Built, replay: tuple[Path, float]) -> None:
    activity = page(built, "activity/index.html").find(cls="pd-activity")
    entries = activity.find_all("li", "pd-feed-entry")
    assert len(entries) >= 100
    assert activity.find_all(cls="pd-note") == []  # nothing left out, nothing missing
    assert "left out" not in activity.text()
    days = [h.text() for h in activity.find_all("h2")]
    # the feed's own page is its newest month; each older month has a page, listed here
    assert len(days) >= 10 and days[0] == "Monday, March 16, 2026"
    months = activity.find("nav", "pd-months").find_all("a", "pd-month")
    assert len(months) >= 1  # February (March is this page)
    for a in months:
        assert (built.site / "activity" / a.attrs["href"] / "index.html").resolve().is_file()
    text = " ".join(e.text() for e in entries)
    for words in (" moved ", " created task ", " moved deal ", " won deal "):
        assert words in text, words
    assert git(replay[0], "status", "--porcelain") == ""  # the build wrote only ignored files


def test_a_card_that_moved_has_a_history_table(built: Built) -> None:
    history = page(built, "tasks/opera-homepage-build/index.html").find(cls="pd-history")
    rows = history.find("table", "pd-timeline").find("tbody").find_all("tr")
    columns = [r.find_all("td")[0].text() for r in rows]
    assert len(columns) > 1 and len(set(columns)) == len(columns)
    assert {"Accepted", "In development", "Released"} <= set(columns)
    assert "Cycle time" in history.find(cls="pd-summary").text()


def test_a_board_shows_stuck_cards(built: Built) -> None:
    stuck = {}
    for board in sorted((built.site / "boards").glob("*/index.html")):
        flows = parse_html(board.read_text(encoding="utf-8")).find_all(cls="pd-flow")
        cards = [li.text() for f in flows for li in f.find_all("li", "pd-overdue")]
        if cards:
            stuck[board.parent.name] = cards
    assert stuck, "no board shows a stuck card"
    design = [c for c in stuck.get("opera-website", []) if "in At designer" in c]
    assert len(design) >= 2, stuck  # the demo's bottleneck: the designer


def test_idle_deals_come_from_git_and_agree_with_updated(replay: tuple[Path, float]) -> None:
    content = replay[0] / "content"
    ws = run_check(content, TODAY).workspace
    history = read_history(content, ws, TODAY, use_cache=False)
    assert history.status.complete and history.status.later == 0
    idle = deal_idle(history, ws)
    assert {d for d, i in idle.items() if i.idle} == {
        "karpaty-ploshcha-travel",
        "medyk-clinics-site",
        "orbita-games-launch-pr",
    }
    for ident, info in idle.items():
        assert info.source == "git"
        updated = ws.deals[ident].updated
        assert updated is not None and (updated < FIRST or info.last == updated), ident


def test_the_build_is_deterministic(built: Built, tmp_path: Path) -> None:
    other = tmp_path / "other"
    done, _ = run_script(other)
    assert done.returncode == 0, done.stderr
    again = build(other)
    assert again.returncode == 0, again.stderr
    first, second = snapshot_files(built.site), snapshot_files(again.site)
    assert sorted(first) == sorted(second)
    assert [rel for rel in first if first[rel] != second[rel]] == []
