"""move, done, log, note, follow-up, assign, due through the real command line: what each
prints, its exit status, and every kind of bad input (nothing written on any of them)."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest
from edit_cases import WORKSPACE, run, workspace

from builder.edit import desk as desk_module
from builder.pipeline import run_check


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The workspace, run from its parent so paths read `ws/...`."""
    monkeypatch.chdir(tmp_path)
    workspace(tmp_path)
    return Path("ws")


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _clean(root: Path) -> None:
    errors = [p.headline() for p in run_check(root).problems if p.is_error]
    assert errors == []


# --- what each command does and says ------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "out", "field", "value"),
    [
        (
            ("move", "hero", "review"),
            "moved task hero from design to review (ws/tasks/hero.md)\n",
            "tasks/hero.md",
            "status: review\n",
        ),
        (
            ("move", "big", "Proposal"),
            "moved deal big from lead to proposal (ws/deals/big.md)\n",
            "deals/big.md",
            "stage: proposal\n",
        ),
        (
            ("move", "release", "writing"),  # the column of its own project's workflow (pr)
            "moved task release from backlog to writing (ws/tasks/release.md)\n",
            "tasks/release.md",
            "status: writing\n",
        ),
        (
            ("done", "hero"),
            "marked task hero done (design -> released) (ws/tasks/hero.md)\n",
            "tasks/hero.md",
            "status: released\n",
        ),
        (
            ("done", "release"),
            "marked task release done (backlog -> published) (ws/tasks/release.md)\n",
            "tasks/release.md",
            "status: published\n",
        ),
        (
            ("done", "site"),
            "marked project site done (active -> done) (ws/projects/site.md)\n",
            "projects/site.md",
            "status: done\n",
        ),
        (
            ("log", "hero", "2h", "first", "draft", "--person", "oleh"),
            "logged 2h on task hero for oleh on 2026-03-16 (ws/tasks/hero.md)\n",
            "tasks/hero.md",
            "time:\n  - 2026-03-16 oleh 2h first draft\n",
        ),
        (
            ("log", "hero", "1.5h", "--person", "anna", "--date", "2026-03-13"),
            "logged 1.5h on task hero for anna on 2026-03-13 (ws/tasks/hero.md)\n",
            "tasks/hero.md",
            "  - 2026-03-13 anna 1.5h\n",
        ),
        (
            ("note", "olena", "Called: prefers", "Viber"),
            "added a note to contact olena (ws/contacts/olena.md)\n",
            "contacts/olena.md",
            "---\n- 2026-03-16: Called: prefers Viber\n",
        ),
        (
            ("follow-up", "olena", "+30d"),
            "next follow-up with contact olena on 2026-04-15 (was 2026-03-18) "
            "(ws/contacts/olena.md)\n",
            "contacts/olena.md",
            "follow_up: 2026-04-15\n",
        ),
        (
            ("follow-up", "olena", "done"),  # today plus the cadence (14d)
            "next follow-up with contact olena on 2026-03-30 (was 2026-03-18) "
            "(ws/contacts/olena.md)\n",
            "contacts/olena.md",
            "follow_up: 2026-03-30\n",
        ),
        (
            ("assign", "hero", "oleh"),
            "assignee of task hero is now oleh (was anna) (ws/tasks/hero.md)\n",
            "tasks/hero.md",
            "assignee: oleh\n",
        ),
        (
            ("assign", "big", "anna"),
            "owner of deal big is now anna (ws/deals/big.md)\n",
            "deals/big.md",
            "owner: anna\n",
        ),
        (
            ("assign", "acme", "anna"),
            "manager of company acme is now anna (ws/companies/acme.md)\n",
            "companies/acme.md",
            "manager: anna\n",
        ),
        (
            ("due", "hero", "fri"),
            "task hero is due 2026-03-20 (Fri) (ws/tasks/hero.md)\n",
            "tasks/hero.md",
            "start: 2026-03-10\ndue: 2026-03-20\n",
        ),
        (
            ("due", "site", "2026-06-30"),
            "project site is due 2026-06-30 (Tue) (ws/projects/site.md)\n",
            "projects/site.md",
            "due: 2026-06-30\n",
        ),
    ],
)
def test_commands(root: Path, args: tuple[str, ...], out: str, field: str, value: str) -> None:
    before = _snapshot(root)
    result = run(root, *args)
    assert (result.exit_code, result.stdout, result.stderr) == (0, out, "")
    after = _snapshot(root)
    assert [rel for rel in after if after[rel] != before[rel]] == [field]
    assert value in after[field].decode()
    _clean(root)


@pytest.mark.parametrize(
    ("args", "out"),
    [
        (("move", "hero", "design"), "task hero is already in design; nothing changed\n"),
        (("move", "hero", "At designer"), "task hero is already in design; nothing changed\n"),
        (("assign", "hero", "anna"), "task hero: assignee is anna already; nothing changed\n"),
        (("due", "hero", "2026-03-10"), "task hero is due 2026-03-10 already; nothing changed\n"),
        (("follow-up", "olena"), "contact olena: next follow-up 2026-03-18, every 14d\n"),
        (("follow-up", "olena", "wed"), "contact olena: next follow-up is 2026-03-18 already\n"),
    ],
)
def test_nothing_to_do(root: Path, args: tuple[str, ...], out: str) -> None:
    if args[0] == "due":
        (root / "tasks/hero.md").write_text(
            WORKSPACE["tasks/hero.md"].replace(
                "start: 2026-03-10\n", "start: 2026-03-10\ndue: 2026-03-10\n"
            )
        )
    before = _snapshot(root)
    result = run(root, *args)
    assert (result.exit_code, result.stdout, result.stderr) == (0, out, "")
    assert _snapshot(root) == before


def test_log_finds_you_by_your_git_email(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(
        ["git", "-C", str(root), "config", "user.email", "OLEH@home.example"], check=True
    )
    result = run(root, "log", "hero", "30m")
    assert result.stdout == "logged 30m on task hero for oleh on 2026-03-16 (ws/tasks/hero.md)\n"
    subprocess.run(["git", "-C", str(root), "config", "user.email", "who@else.example"], check=True)
    result = run(root, "log", "hero", "30m")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: say who spent the time: --person ID (your git e-mail (who@else.example) is no "
        "person's `email` or `emails`)\n",
    )


def test_today_comes_from_the_option(root: Path) -> None:
    result = run(root, "due", "hero", "tomorrow", "--today", "2026-04-01")
    assert result.stdout == "task hero is due 2026-04-02 (Thu) (ws/tasks/hero.md)\n"


# --- bad input: a clear message, an exit status, nothing written -------------------------

BAD = [
    (
        ("move", "hreo", "review"),
        2,
        "error: no task or deal has the id `hreo`; did you mean `hero`?\n",
    ),
    (
        ("move", "nothing-like-it", "review"),
        2,
        "error: no task or deal has the id `nothing-like-it`\n",
    ),
    (
        ("move", "hero", "reveiw"),
        2,
        "error: `reveiw` is not a column of workflow `web`; did you mean `review`?\n",
    ),
    (
        ("move", "hero", "writing"),  # a column of the other workflow
        2,
        "error: `writing` is not a column of workflow `web`; expected one of `design`, "
        "`queue`, `released`, `review`\n",
    ),
    (
        ("move", "big", "won-ish"),
        2,
        "error: `won-ish` is not a stage of pipeline `sales`; did you mean `won`?\n",
    ),
    (
        ("move", "deal:hero", "lead"),
        2,
        "error: no deal has the id `hero`\n",
    ),
    (
        ("move", "contact:olena", "lead"),
        2,
        "error: this command works on a task or deal, not on a contact\n",
    ),
    (
        ("move", "tsk:hero", "lead"),
        2,
        "error: `tsk` is not a record type; write task or deal:ID\n",
    ),
    (
        ("done", "big"),
        2,
        "error: `big` is a deal: a deal ends won or lost, e.g. `plaindesk move big won`\n",
    ),
    (
        ("log", "hero", "2 hours", "--person", "anna"),
        2,
        "error: `2 hours` is not a duration; write a number with a unit: "
        "2h, 1h30m, 90m, 1.5h or 2d\n",
    ),
    (
        ("log", "hero", "0h", "--person", "anna"),
        2,
        "error: `0h` is no time at all; log at least a minute\n",
    ),
    (
        ("log", "hero", "2h30", "--person", "anna"),
        2,
        "error: `2h30` is not a duration; write a number with a unit: 2h, 1h30m, 90m, 1.5h or 2d\n",
    ),
    (
        ("log", "hero", "2h", "--person", "ann"),
        2,
        "error: no person has the id `ann`; did you mean `anna`?\n",
    ),
    (("log", "big", "2h", "--person", "anna"), 2, "error: no task has the id `big`\n"),
    (
        ("due", "hero", "someday"),
        2,
        "error: `someday` is not a date (not in YYYY-MM-DD form); write YYYY-MM-DD, today, "
        "tomorrow, +3d, +2w or a weekday (fri)\n",
    ),
    (
        ("due", "big", "fri"),
        2,
        "error: no project or task has the id `big`\n",
    ),
    (
        ("follow-up", "hero", "fri"),
        2,
        "error: no contact has the id `hero`\n",
    ),
    (
        ("assign", "anna", "oleh"),
        2,
        "error: no company, contact, project, task or deal has the id `anna`\n",
    ),
    (("note", "hero", "  "), 2, "error: the note is empty; write it after the id, in quotes\n"),
]


@pytest.mark.parametrize(("args", "code", "err"), BAD)
def test_bad_input(root: Path, args: tuple[str, ...], code: int, err: str) -> None:
    before = _snapshot(root)
    result = run(root, *args)
    assert (result.exit_code, result.stdout, result.stderr) == (code, "", err)
    assert _snapshot(root) == before


def test_an_id_of_two_types_must_say_which(root: Path) -> None:
    (root / "deals/hero.md").write_text("---\ntitle: Hero deal\ncompany: acme\nstage: lead\n---\n")
    result = run(root, "move", "hero", "review")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: `hero` is a task (tasks/hero.md), deal (deals/hero.md); "
        "say which: `task:hero` or `deal:hero`\n",
    )
    assert run(root, "move", "task:hero", "review").exit_code == 0
    assert run(root, "move", "deal:hero", "won").stdout == (
        "moved deal hero from lead to won (ws/deals/hero.md)\n"
    )


def test_two_files_with_one_id(root: Path) -> None:
    (root / "tasks/old").mkdir()
    (root / "tasks/old/hero.md").write_text("---\ntitle: Old hero\nproject: site\n---\n")
    result = run(root, "move", "hero", "review")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: two tasks have the id `hero`: tasks/hero.md and tasks/old/hero.md; rename one "
        "of them first (`plaindesk check` reports it as PD109)\n",
    )


def test_a_past_due_date_is_written_with_a_warning(root: Path) -> None:
    result = run(root, "due", "hero", "2026-03-12")
    assert result.exit_code == 0
    assert result.stderr == "warning: due 2026-03-12 is in the past (today is 2026-03-16)\n"
    assert result.stdout == "task hero is due 2026-03-12 (Thu) (ws/tasks/hero.md)\n"
    assert "due: 2026-03-12\n" in (root / "tasks/hero.md").read_text()


def test_a_change_that_breaks_the_record_is_refused(root: Path) -> None:
    before = _snapshot(root)
    result = run(root, "due", "hero", "2026-03-01")  # before its start
    assert result.exit_code == 1
    assert result.stderr == (
        "ws/tasks/hero.md:7:6: error PD110: due 2026-03-01 is before start 2026-03-10\n"
        "    due: 2026-03-01\n"
        "         ^\n"
        "    hint: move the due date later or the start earlier\n"
        "error: the change would make ws/tasks/hero.md invalid; nothing changed\n"
    )
    assert _snapshot(root) == before


def test_a_record_invalid_on_disk_is_left_alone(root: Path) -> None:
    (root / "tasks/hero.md").write_text(
        "---\ntitle: Hero\nproject: site\nestimate: two hours\n---\n"
    )
    before = _snapshot(root)
    result = run(root, "move", "hero", "review")
    assert result.exit_code == 1
    assert result.stderr == (
        "ws/tasks/hero.md:4:11: error PD105: bad duration `two hours`\n"
        "    estimate: two hours\n"
        "              ^\n"
        "    hint: write a number with a unit: `2h`, `1h30m`, `90m`, `1.5h` or `2d`\n"
        "error: ws/tasks/hero.md is already invalid on disk; fix it first (nothing changed)\n"
    )
    assert _snapshot(root) == before


def test_a_record_that_is_no_record_is_left_alone(root: Path) -> None:
    (root / "tasks/hero.md").write_text("---\ntitle: [Hero\n---\n")
    before = _snapshot(root)
    result = run(root, "move", "hero", "review")
    assert result.exit_code == 1
    assert result.stderr.endswith(
        "error: ws/tasks/hero.md is already invalid on disk; nothing changed\n"
    )
    assert "error PD004: YAML syntax error" in result.stderr
    assert _snapshot(root) == before


def test_an_edit_that_mends_the_record_is_let_through(root: Path) -> None:
    (root / "tasks/hero.md").write_text("---\ntitle: Hero\nproject: site\nassignee: ana\n---\n")
    result = run(root, "assign", "hero", "anna")
    assert (result.exit_code, result.stderr) == (0, "")
    _clean(root)


def test_bad_settings_stop_every_edit(root: Path) -> None:
    (root / "workspace.yml").write_text("name: X\nworkflows: [web]\n")
    before = _snapshot(root)
    result = run(root, "move", "hero", "review")
    assert result.exit_code == 1
    assert result.stderr.endswith(
        "error: ws/workspace.yml has errors; fix them first (nothing changed)\n"
    )
    assert "ws/workspace.yml:2:12: error PD103" in result.stderr
    assert _snapshot(root) == before


def test_not_a_workspace(tmp_path: Path) -> None:
    result = run(tmp_path / "nowhere", "move", "hero", "review")
    assert (result.exit_code, result.stderr) == (
        2,
        f"error: {tmp_path / 'nowhere'} is not a workspace (no workspace.yml, no record "
        "folders); pass the workspace folder with -w DIR\n",
    )


def test_a_file_changed_between_read_and_write_is_not_overwritten(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_check = desk_module.Desk.check
    edited = "---\ntitle: Hero (edited meanwhile)\nproject: site\nstatus: design\n---\n"

    def check_while_someone_saves(self: desk_module.Desk, kind: str, rel: str, text: str):  # type: ignore[no-untyped-def]
        result = real_check(self, kind, rel, text)
        if "review" in text:  # checking the new version: an editor saves the file now
            (root / "tasks/hero.md").write_text(edited)
        return result

    monkeypatch.setattr(desk_module.Desk, "check", check_while_someone_saves)
    result = run(root, "move", "hero", "review")
    assert (result.exit_code, result.stdout, result.stderr) == (
        3,
        "",
        "error: ws/tasks/hero.md changed on disk while this command ran; nothing written "
        "(run the command again)\n",
    )
    assert (root / "tasks/hero.md").read_text() == edited
    assert sorted(p.name for p in (root / "tasks").iterdir()) == ["hero.md", "release.md"]


def test_a_read_only_file_is_not_written(root: Path) -> None:
    target = root / "tasks/hero.md"
    target.chmod(0o444)
    before = _snapshot(root)
    result = run(root, "move", "hero", "review")
    assert (result.exit_code, result.stderr) == (
        3,
        "error: ws/tasks/hero.md is read-only; nothing changed\n",
    )
    assert _snapshot(root) == before
    assert stat.S_IMODE(target.stat().st_mode) == 0o444


def test_a_written_file_keeps_its_permissions(root: Path) -> None:
    target = root / "tasks/hero.md"
    target.chmod(0o640)
    assert run(root, "move", "hero", "review").exit_code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in (root / "tasks").iterdir()) == ["hero.md", "release.md"]


def test_a_linked_record_is_written_through_the_link(root: Path) -> None:
    (root / "notes").mkdir()
    (root / "tasks/hero.md").rename(root / "notes/hero.txt")
    os.symlink("../notes/hero.txt", root / "tasks/hero.md")
    result = run(root, "move", "hero", "review")
    assert result.exit_code == 0, result.output
    assert os.path.islink(root / "tasks/hero.md")
    assert "status: review\n" in (root / "notes/hero.txt").read_text()


# --- --dry-run and --commit ----------------------------------------------------------------


def test_dry_run_prints_the_diff_and_writes_nothing(root: Path) -> None:
    before = _snapshot(root)
    result = run(root, "move", "hero", "review", "--dry-run")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        "--- a/ws/tasks/hero.md\n"
        "+++ b/ws/tasks/hero.md\n"
        "@@ -1,7 +1,7 @@\n"
        " ---\n"
        " title: Hero banner\n"
        " project: site\n"
        "-status: design\n"
        "+status: review\n"
        " assignee: anna\n"
        " start: 2026-03-10\n"
        " ---\n"
        "dry run, nothing written: moved task hero from design to review (ws/tasks/hero.md)\n"
    )
    assert _snapshot(root) == before


def _git(root: Path, *args: str) -> str:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    done = subprocess.run(
        ["git", "-C", str(root), *args], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


@pytest.fixture
def repo(root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The workspace in a repository of its own, git configured for this test alone."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "config", "user.name", "Anna Kovalenko")
    _git(root, "config", "user.email", "anna@example.com")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "start")
    return root


def test_commit_commits_the_record_alone(repo: Path) -> None:
    (repo / "notes.txt").write_text("not mine to commit\n")
    (repo / "companies/acme.md").write_text("---\nname: Acme Ltd\nkind: client\n---\n")
    _git(repo, "add", "companies/acme.md")  # staged by hand: stays staged, uncommitted
    result = run(repo, "move", "hero", "review", "--commit")
    assert result.exit_code == 0, result.output
    sha = _git(repo, "rev-parse", "--short", "HEAD").strip()
    assert result.stdout == (
        f"moved task hero from design to review (ws/tasks/hero.md) [committed {sha}]\n"
    )
    assert _git(repo, "log", "-1", "--format=%an <%ae>|%s").strip() == (
        "Anna Kovalenko <anna@example.com>|Moved task hero from design to review"
    )
    assert _git(repo, "show", "--name-only", "--format=", "HEAD").split() == ["tasks/hero.md"]
    assert _git(repo, "status", "--short").splitlines() == ["M  companies/acme.md", "?? notes.txt"]


def test_commit_of_a_linked_record_commits_the_file_it_leads_to(repo: Path) -> None:
    (repo / "notes").mkdir()
    (repo / "tasks/hero.md").rename(repo / "notes/hero.txt")
    os.symlink("../notes/hero.txt", repo / "tasks/hero.md")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "link")
    result = run(repo, "move", "hero", "review", "--commit")
    assert result.exit_code == 0, result.output
    assert _git(repo, "show", "--name-only", "--format=", "HEAD").split() == ["notes/hero.txt"]
    assert _git(repo, "status", "--short") == ""


def test_commit_outside_a_repository_changes_nothing(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(root.resolve().parent))
    before = _snapshot(root)
    result = run(root, "move", "hero", "review", "--commit")
    assert (result.exit_code, result.stderr) == (
        3,
        "error: --commit: ws is not in a git repository; nothing changed (run `git init` "
        "there first, or leave out --commit)\n",
    )
    assert _snapshot(root) == before


def test_commit_without_a_git_identity_changes_nothing(repo: Path) -> None:
    _git(repo, "config", "--unset", "user.name")
    _git(repo, "config", "--unset", "user.email")
    before = _snapshot(repo)
    result = run(repo, "move", "hero", "review", "--commit")
    assert (result.exit_code, result.stderr) == (
        3,
        "error: --commit: git does not know who you are; nothing changed (set "
        '`git config --global user.name "Your Name"` and `user.email`)\n',
    )
    assert _snapshot(repo) == before


# --- the help list ---------------------------------------------------------------------------


@pytest.mark.parametrize("group", [(), ("portal",), ("new",)])
def test_help_lists_every_command_with_its_whole_short_help(group: tuple[str, ...]) -> None:
    import click
    from click.testing import CliRunner

    from builder.cli import cli

    result = CliRunner().invoke(cli, [*group, "--help"], terminal_width=80)
    listing = result.stdout.split("Commands:\n", 1)[1]
    assert "..." not in listing
    command: click.Group = cli
    for name in group:
        sub = command.commands[name]
        assert isinstance(sub, click.Group)
        command = sub
    ctx = click.Context(command)
    shown = dict(line.split(None, 1) for line in listing.splitlines() if line.strip())
    commands = {name: command.get_command(ctx, name) for name in command.list_commands(ctx)}
    # every row is one command and its short help, whole: no "...", no wrapped line
    assert shown == {name: sub.short_help for name, sub in commands.items() if sub is not None}
