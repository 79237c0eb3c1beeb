"""`plaindesk build` with the last build's state (docs/incremental.md): after each kind of
change, the site a warm build leaves equals, file for file and byte for byte (the search
index and the sitemap included), a cold build's of the same content in a fresh folder; what
cannot be trusted is a full build that says why."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from conftest import make_workspace
from site_cases import SMALL, build, project, snapshot_files

SOURCES = ("mkdocs.yml", "docs", "content")
SMALL_TASKS = [rel for rel in SMALL if rel.startswith("tasks/")]


def first_line(stderr: str) -> str:
    """The build's own line about what it redid (problem lines come before it)."""
    said = ("full build", "incremental", "nothing to build")
    lines = [line for line in stderr.splitlines() if line.startswith(said)]
    assert len(lines) == 1, stderr
    return lines[0]


#: Cold sites already built, by `sources_key`: a cold build of the same sources (with the
#: same options, the same day) in a fresh folder is the same site, byte for byte (the
#: builds are deterministic, tests/test_site_build.py), so each is built once per process.
COLD_SITES: dict[str, dict[str, bytes]] = {}
#: The files' bytes, one object per distinct content: the cold sites share their assets.
_BLOBS: dict[bytes, bytes] = {}


def sources_key(root: Path, *extra: str) -> str:
    """A digest of what a cold build of `root` reads (its `SOURCES`, every file by path
    and bytes), the build's options and the day (a workspace without `today:` builds
    for the date)."""
    h = hashlib.sha256(repr((extra, date.today().isoformat())).encode())
    for name in SOURCES:
        src = root / name
        files = sorted(p for p in src.rglob("*") if p.is_file()) if src.is_dir() else [src]
        for path in files:
            h.update(path.relative_to(root).as_posix().encode() + b"\0")
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def keep_cold(key: str, files: dict[str, bytes]) -> dict[str, bytes]:
    COLD_SITES[key] = {rel: _BLOBS.setdefault(data, data) for rel, data in files.items()}
    return COLD_SITES[key]


def cold_site(root: Path, where: Path, *extra: str) -> dict[str, bytes]:
    """A cold build of `root`'s sources in a fresh folder: its site's files (built once
    for the same sources, options and day: `COLD_SITES`)."""
    key = sources_key(root, *extra)
    if key in COLD_SITES:
        return COLD_SITES[key]
    shutil.rmtree(where, ignore_errors=True)
    where.mkdir()
    for name in SOURCES:
        src = root / name
        if src.is_dir():
            shutil.copytree(src, where / name)
        else:
            shutil.copy2(src, where / name)
    done = build(where, None, *extra)
    assert done.returncode == 0, done.stderr
    assert first_line(done.stderr).startswith("full build: no state"), done.stderr
    return keep_cold(key, snapshot_files(where / "site"))


def forget_inputs(root: Path) -> None:
    """Take the inputs digest out of the state: the next build cannot know that nothing
    changed, so it builds from the state (what a warm build with unchanged pages does)."""
    path = root / ".plaindesk/state/build.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["inputs"] = None
    path.write_text(json.dumps(raw), encoding="utf-8")


def warm_equals_cold(root: Path, tmp_path: Path, *extra: str) -> str:
    """Build `root` (with its state), build a copy cold; the two sites must be equal.
    Returns what the warm build said it did."""
    done = build(root, None, *extra)
    assert done.returncode == 0, done.stderr
    warm = snapshot_files(root / "site")
    cold = cold_site(root, tmp_path / "cold", *extra)
    assert sorted(warm) == sorted(cold)
    differ = [rel for rel in warm if warm[rel] != cold[rel]]
    assert differ == []
    for must in ("search/search_index.json", "sitemap.xml", "sitemap.xml.gz"):
        assert must in warm
    return first_line(done.stderr)


@pytest.fixture(scope="module")
def small_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small workspace's project, built once per module (cold, no state yet); its
    site is the cold site of those sources."""
    root = make_workspace(tmp_path_factory.mktemp("small"), project(SMALL))
    done = build(root)
    assert done.returncode == 0, done.stderr
    assert first_line(done.stderr) == (
        "full build: no state of a previous build (.plaindesk/state/)"
    )
    keep_cold(sources_key(root), snapshot_files(root / "site"))
    return root


@pytest.fixture(name="root")
def built_root(small_built: Path, tmp_path: Path) -> Path:
    """The small workspace's project as its cold build left it (state, caches, site and
    spare), copied for the test as a CI cache restores it: `cp -a` keeps every file's
    bytes and mtime and the spare's hard links to the site's files."""
    root = tmp_path / "ws"
    subprocess.run(["cp", "-a", str(small_built), str(root)], check=True)
    return root


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / "content" / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_edits_deletes_renames_and_new_records(root: Path, tmp_path: Path) -> None:
    # nothing changed (but the build cannot tell): only the pages without a key
    # (the dashboard, indexes; the people list has one) are rendered, only the nav's
    # pages built
    forget_inputs(root)
    unchanged = (
        "incremental build: 3 of 71 pages rendered, 17 built by MkDocs, "
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
    assert 3 < rendered < 71  # the task, its project, board, assignee, the task views

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


def tree_mtimes(root: Path) -> dict[str, int]:
    tree = root / ".plaindesk/docs"
    return {str(p.relative_to(tree)): p.stat().st_mtime_ns for p in tree.rglob("*.md")}


def test_a_workflow_column_renamed_renders_what_shows_it(root: Path, tmp_path: Path) -> None:
    # a comment in workspace.yml: no page shows it (the check reads the file again)
    ws = root / "content/workspace.yml"
    ws.write_text("# the agency's settings\n" + ws.read_text(), encoding="utf-8")
    assert warm_equals_cold(root, tmp_path) == (
        "incremental build: 3 of 71 pages rendered, 17 built by MkDocs, "
        "54 kept from the previous site"
    )

    # the web workflow's Review column renamed: the one task in it, the one project with
    # a task in it (its task list) and the 13 views that show tasks' columns (boards,
    # the people with a task in that workflow, dashboards; not the pr project's board,
    # nor Ivan's page, nor the timesheets, nor the calendar: its events show no column)
    # are rendered (15);
    # the other tasks and projects, the companies, contacts and deals are not. Written
    # are the pages whose Markdown changed
    before = tree_mtimes(root)
    edit(root, "workspace.yml", "{id: review, name: Review, wip: 1}", "{id: review, name: QA}")
    said = warm_equals_cold(root, tmp_path)
    assert said.startswith("incremental build: 15 of 71 pages rendered"), said
    after = tree_mtimes(root)
    records = ("tasks/", "projects/", "companies/", "contacts/", "deals/")
    changed = sorted(rel for rel in after if rel.startswith(records) and after[rel] != before[rel])
    assert changed == ["projects/site.md", "tasks/site-review.md"]
    assert "QA" in (root / "site/tasks/site-review/index.html").read_text(encoding="utf-8")

    # a stage renamed: the pipeline's 7 deals, the 2 companies that list deals and the
    # 11 views that show deals are rendered (20: not the contacts' lists, the timesheets
    # or the pages of people without a deal); written, the two that show the stage
    before = after
    edit(root, "workspace.yml", "{id: proposal, name: Proposal,", "{id: proposal, name: Offer,")
    said = warm_equals_cold(root, tmp_path)
    assert said.startswith("incremental build: 20 of 71 pages rendered"), said
    after = tree_mtimes(root)
    changed = sorted(rel for rel in after if rel.startswith(records) and after[rel] != before[rel])
    assert changed == ["companies/acme.md", "deals/eur-proposal.md"]


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
    raw["inputs"] = None  # else: nothing changed, nothing to build
    state.write_text(json.dumps(raw))
    assert warm_equals_cold(root, tmp_path) == "full build: another MkDocs than the last build's"

    forget_inputs(root)
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

    forget_inputs(root)
    page = root / ".plaindesk/docs/tasks/site-launch.md"
    page.unlink()
    assert warm_equals_cold(root, tmp_path) == (
        "full build: the page tree (.plaindesk/docs/) is not the last build's"
    )
    # and after each, the next build is incremental again
    forget_inputs(root)
    assert warm_equals_cold(root, tmp_path).startswith("incremental build: 3 of ")


def test_a_build_stopped_by_errors_keeps_the_state(root: Path, tmp_path: Path) -> None:
    edit(root, "tasks/site-launch.md", "project: site", "project: nowhere")
    done = build(root)
    assert done.returncode == 1
    assert "nothing was built" in done.stderr
    edit(root, "tasks/site-launch.md", "project: nowhere", "project: site")
    # the inputs are the last good build's again: its site stands
    assert warm_equals_cold(root, tmp_path) == NOTHING
    forget_inputs(root)
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
    # the spare site too: the cache's tar keeps its hard links to the site's files
    assert cache["with"]["path"].split() == [*STATE_PATHS[:2], ".plaindesk/spare", *STATE_PATHS[2:]]
    key = "plaindesk-site-${{ runner.os }}-${{ github.ref_name }}-"
    assert cache["with"]["key"] == key + "${{ github.run_id }}"  # a new entry every run
    restore = cache["with"]["restore-keys"].splitlines()
    assert restore == [key, "plaindesk-site-${{ runner.os }}-"]

    gitlab = yaml.safe_load((ci / "gitlab-ci.yml").read_text(encoding="utf-8"))
    caches = gitlab["site"]["cache"]
    assert caches[0] == {
        "key": "plaindesk-site-$CI_COMMIT_REF_SLUG",
        "fallback_keys": ["plaindesk-site-$CI_DEFAULT_BRANCH"],
        "paths": STATE_PATHS,  # no spare: GitLab's cache archive cannot keep hard links
    }
    assert caches[1] == {"paths": [".cache/pip"]}  # the job's own cache replaces the default


NOTHING = (
    "nothing to build: the content, settings, theme, mkdocs.yml, today and git history "
    "are the last build's, and so is the site"
)


def before_line(stderr: str) -> list[str]:
    """What a build printed before its line about what it redid (the check's report)."""
    lines = stderr.splitlines()
    return lines[: lines.index(first_line(stderr))]


def after_line(stderr: str) -> list[str]:
    lines = stderr.splitlines()
    return lines[lines.index(first_line(stderr)) + 1 :]


def test_nothing_to_build_when_every_input_is_the_last_builds(root: Path, tmp_path: Path) -> None:
    edit(root, "tasks/site-hosting.md", "status: doing", "status: review")
    done = build(root)
    assert first_line(done.stderr).startswith("incremental build: ")
    site = snapshot_files(root / "site")
    state = snapshot_files(root / ".plaindesk")

    again = build(root)
    assert again.returncode == 0, again.stderr
    assert first_line(again.stderr) == NOTHING
    # the check's report and the summary as the build that made the site said them
    assert before_line(again.stderr) == before_line(done.stderr)
    assert "warning PD401: task overdue" in "\n".join(before_line(again.stderr))
    assert after_line(again.stderr) == after_line(done.stderr)
    # nothing written: the site and the state are as they were
    assert snapshot_files(root / "site") == site
    assert snapshot_files(root / ".plaindesk") == state


def test_each_input_defeats_nothing_to_build(root: Path, tmp_path: Path) -> None:
    assert first_line(build(root).stderr) == NOTHING

    # a record's text
    edit(root, "tasks/site-hosting.md", "status: doing", "status: review")
    assert warm_equals_cold(root, tmp_path).startswith("incremental build: ")
    assert first_line(build(root).stderr) == NOTHING

    # a Markdown file the check names as stray (the problems page lists it)
    (root / "content/notes.md").write_text("# Notes\n", encoding="utf-8")
    assert warm_equals_cold(root, tmp_path).startswith("incremental build: ")

    # the team's own pages
    (root / "docs/help.md").write_text("# Help\n\nAsk Anna.\n", encoding="utf-8")
    assert warm_equals_cold(root, tmp_path).startswith("incremental build: ")
    assert b"Ask Anna." in (root / "site/help/index.html").read_bytes()

    # another --today than the workspace's
    assert warm_equals_cold(root, tmp_path, "--today", "2026-03-20") == (
        "full build: another today than the last build's"
    )
    assert first_line(build(root, None, "--today", "2026-03-20").stderr) == NOTHING
    assert first_line(build(root).stderr) == "full build: another today than the last build's"

    # the theme overrides, mkdocs.yml
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("Snapshot Agency", "Snapshots"))
    assert warm_equals_cold(root, tmp_path) == "full build: mkdocs.yml changed since the last build"

    # a site folder that is not the last build's
    (root / "site/sitemap.xml").write_text("<urlset/>", encoding="utf-8")
    assert warm_equals_cold(root, tmp_path) == (
        "full build: the site folder (site) is not the last build's"
    )

    # a state written by another Plaindesk is not read at all
    path = root / ".plaindesk/state/build.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["format"] = 1
    path.write_text(json.dumps(raw), encoding="utf-8")
    assert warm_equals_cold(root, tmp_path) == (
        "full build: the previous build's state is damaged (another format)"
    )
    assert first_line(build(root).stderr) == NOTHING


def test_a_new_commit_defeats_nothing_to_build(root: Path) -> None:
    from gitrepo import GitRepo

    repo = GitRepo(root)
    (root / ".gitignore").write_text("site/\n", encoding="utf-8")
    repo.commit("2026-03-10T10:00:00+02:00")
    assert first_line(build(root).stderr).startswith("incremental build: ")
    assert first_line(build(root).stderr) == NOTHING
    feed = (root / "site/activity/index.html").read_bytes()

    # an edit committed: the file's bytes are the ones the last build read, its history not
    edit(root, "tasks/site-hosting.md", "status: doing", "status: review")
    assert first_line(build(root).stderr).startswith("incremental build: ")
    assert first_line(build(root).stderr) == NOTHING
    repo.commit("2026-03-12T10:00:00+02:00", message="hosting to review")
    assert first_line(build(root).stderr).startswith("incremental build: ")
    assert (root / "site/activity/index.html").read_bytes() != feed
    assert first_line(build(root).stderr) == NOTHING


def cards_file(root: Path) -> Path:
    return root / ".plaindesk-cache/cards.bin"


def poison_cards(root: Path, stamp: str | None = None) -> None:
    """Every kept card's HTML replaced by a marker (and, given, the file's stamp)."""
    import marshal

    fmt, old_stamp, cards = marshal.loads(cards_file(root).read_bytes())
    cards = {k: (print_key, "<p>POISONED</p>") for k, (print_key, _html) in cards.items()}
    cards_file(root).write_bytes(marshal.dumps((fmt, stamp or old_stamp, cards)))


def test_boards_take_the_last_builds_cards(root: Path, tmp_path: Path) -> None:
    # the cold build kept every card it made
    assert cards_file(root).is_file()
    poison_cards(root)
    edit(root, "tasks/site-hosting.md", "status: doing", "status: review")
    done = build(root)
    assert first_line(done.stderr).startswith("incremental build: ")
    board = (root / "site/boards/site/index.html").read_text(encoding="utf-8")
    # the edited card is made anew, the others are the kept ones
    assert "POISONED" in board
    assert "site-hosting" in board


def test_cards_of_another_plaindesk_or_damaged_are_not_used(root: Path, tmp_path: Path) -> None:
    poison_cards(root, stamp="another Plaindesk")
    edit(root, "tasks/site-hosting.md", "status: doing", "status: review")
    assert warm_equals_cold(root, tmp_path).startswith("incremental build: ")

    cards_file(root).write_bytes(b"\x00garbage")
    edit(root, "tasks/site-hosting.md", "status: review", "status: doing")
    done = build(root)
    assert done.returncode == 0, done.stderr
    said = [line for line in done.stderr.splitlines() if "cards.bin" in line]
    assert said == [
        f"WARNING -  plaindesk: {cards_file(root)} cannot be read (bad marshal data "
        "(unknown type code)): cards made anew"
    ]
    assert warm_equals_cold(root, tmp_path) == NOTHING
    forget_inputs(root)
    assert warm_equals_cold(root, tmp_path).startswith("incremental build: ")


def check_file(root: Path) -> Path:
    return root / ".plaindesk-cache/check.bin"


def rewrite_check_file(root: Path, name: str | None = None, stamp: str | None = None) -> None:
    """The kept records as they are, but Anna's name (and, given, the file's stamp)."""
    import pickle
    from dataclasses import replace

    fmt, old_stamp, ident, entries = pickle.loads(check_file(root).read_bytes())
    if name is not None:
        sha, raw, problems, (digest, settings, record, typed_problems) = entries["people/anna.md"]
        record = replace(record, name=name)
        entries["people/anna.md"] = (sha, raw, problems, (digest, settings, record, typed_problems))
    blob = pickle.dumps((fmt, stamp or old_stamp, ident, entries), protocol=5)
    check_file(root).write_bytes(blob)


def test_the_check_takes_the_last_builds_records(root: Path, tmp_path: Path) -> None:
    # a file whose bytes are the ones the last build read is neither parsed nor typed
    rewrite_check_file(root, name="Kept Name")
    edit(root, "tasks/site-hosting.md", "status: doing", "status: review")
    assert first_line(build(root).stderr).startswith("incremental build: ")
    # the dashboard (rendered every build) names her
    assert "Kept Name" in (root / "site/index.html").read_text(encoding="utf-8")
    # the file changed: read again
    edit(root, "people/anna.md", "name: Anna Kovalenko", "name: Anna Kovalenko-Bright")
    assert warm_equals_cold(root, tmp_path).startswith("incremental build: ")


def test_the_kept_records_outlive_a_column_renamed_not_a_setting_typing_reads(
    root: Path, tmp_path: Path
) -> None:
    # typing reads no workflow: a column renamed keeps the typed records
    rewrite_check_file(root, name="Kept Name")
    edit(root, "workspace.yml", "{id: review, name: Review, wip: 1}", "{id: review, name: QA}")
    assert first_line(build(root).stderr).startswith("incremental build: ")
    assert "Kept Name" in (root / "site/index.html").read_text(encoding="utf-8")
    # hours per day: a duration is typed from it, every record is read and typed again
    rewrite_check_file(root, name="Kept Name")
    edit(root, "workspace.yml", "base_currency: USD", "base_currency: USD\nhours_per_day: 7")
    assert warm_equals_cold(root, tmp_path).startswith("incremental build: ")
    assert "Kept Name" not in (root / "site/index.html").read_text(encoding="utf-8")


def test_kept_records_of_another_plaindesk_or_damaged_are_not_used(
    root: Path, tmp_path: Path
) -> None:
    rewrite_check_file(root, name="Kept Name", stamp="another Plaindesk")
    edit(root, "tasks/site-hosting.md", "status: doing", "status: review")
    assert warm_equals_cold(root, tmp_path).startswith("incremental build: ")

    check_file(root).write_bytes(b"\x80\x05garbage")
    edit(root, "tasks/site-hosting.md", "status: review", "status: doing")
    done = build(root)
    assert done.returncode == 0, done.stderr
    said = [line for line in done.stderr.splitlines() if "check.bin" in line]
    assert len(said) == 1 and said[0].startswith(f"WARNING -  plaindesk: {check_file(root)} ")
    assert said[0].endswith(": every record is read anew")
    assert warm_equals_cold(root, tmp_path) == NOTHING


def texts_file(root: Path) -> Path:
    return root / ".plaindesk-cache/report-texts.bin"


def report_keys(root: Path) -> dict[str, str]:
    from builder.site import state

    found, why = state.load(root)
    assert found is not None, why
    return {rel: e.key for rel, e in found.pages.items() if rel.startswith("reports/")}


def test_the_reports_take_the_last_builds_task_texts(root: Path, tmp_path: Path) -> None:
    import marshal

    # the cold build kept what the reports read of each task, by the task file's digest
    fmt, stamp, words, shown, logged = marshal.loads(texts_file(root).read_bytes())
    assert len(shown) == len(SMALL_TASKS)
    assert sorted(logged.values()) == [
        "('site-copy', 'site', [TimeEntry(date=datetime.date(2026, 3, 10), person='anna', "
        "minutes=90, note='first draft', line=10, col=5)])",
        "('site-mockups', 'site', [TimeEntry(date=datetime.date(2026, 3, 11), person='oleh', "
        "minutes=180, note='mock-ups', line=9, col=5)])",
    ]
    before = report_keys(root)

    # a kept text is taken as it is: a false one (no file changed) changes the reports' key
    first = next(iter(shown))
    shown[first] += " (false)"
    texts_file(root).write_bytes(marshal.dumps((fmt, stamp, words, shown, logged)))
    forget_inputs(root)
    assert first_line(build(root).stderr).startswith("incremental build: ")
    assert report_keys(root)["reports/estimates.md"] != before["reports/estimates.md"]

    # another Plaindesk's texts, or a damaged file: made anew, the site a cold build's
    texts_file(root).write_bytes(marshal.dumps((fmt, "another", words, shown, logged)))
    forget_inputs(root)
    assert warm_equals_cold(root, tmp_path).startswith("incremental build: ")
    assert report_keys(root) == before
    texts_file(root).write_bytes(b"\x00garbage")
    edit(root, "tasks/site-hosting.md", "status: doing", "status: done")
    assert warm_equals_cold(root, tmp_path).startswith("incremental build: ")
    assert marshal.loads(texts_file(root).read_bytes())[3].keys() != shown.keys()


def test_pages_named_in_mkdocs_yml_own_nav_are_built(root: Path, tmp_path: Path) -> None:
    """A page of the tree that mkdocs.yml's own `nav` names is built in a warm build
    too, unchanged or not: every page's sidebar shows its title, which MkDocs reads from
    the page only when it builds it (an untitled nav entry)."""
    yml = root / "mkdocs.yml"
    nav = "nav:\n  - index.md\n  - tasks/site-brief.md\n  - Shop: projects/shop.md\n"
    yml.write_text(yml.read_text(encoding="utf-8") + nav, encoding="utf-8")
    done = build(root)
    assert first_line(done.stderr) == "full build: mkdocs.yml changed since the last build"
    edit(root, "tasks/press-list.md", "\n---\n", "\n---\nEdited.\n")
    said = warm_equals_cold(root, tmp_path)
    assert said.startswith("incremental build: "), said
    page = (root / "site/tasks/site-brief/index.html").read_text(encoding="utf-8")
    assert page.count("Agree the brief") >= 2  # its title, and its nav entry


def test_a_full_build_leaves_its_own_site_as_the_spare(root: Path, tmp_path: Path) -> None:
    """After a full build the spare (`.plaindesk/spare/site`) is the new site, its files
    hard links to the site's: the first warm build after it assembles its site there and
    links no unchanged page again."""
    site, spare = root / "site", root / ".plaindesk/spare/site"
    files = sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(spare) for p in spare.rglob("*") if p.is_file())
    assert all((site / f).stat().st_ino == (spare / f).stat().st_ino for f in files)
    before = (site / "people/anna/index.html").stat().st_ino
    edit(root, "tasks/press-list.md", "\n---\n", "\n---\nEdited.\n")
    assert warm_equals_cold(root, tmp_path).startswith("incremental build: ")
    # an unchanged page is the very file it was (in the site, and now in the spare)
    assert (site / "people/anna/index.html").stat().st_ino == before
    assert (spare / "people/anna/index.html").stat().st_ino == before
