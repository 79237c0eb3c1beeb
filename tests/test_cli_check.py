"""`plaindesk check` and `plaindesk init` through the real command line."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from builder.cli import cli
from builder.pipeline import run_check
from builder.problems import Problem

CLEAN = {
    "workspace.yml": "name: Test Agency\n",
    "people/anna.md": "---\nname: Anna Kovalenko\n---\n",
    "companies/acme.md": "---\nname: Acme\nkind: client\n---\n",
    "projects/site.md": "---\nname: Site\ncompany: acme\n---\n",
    "tasks/copy.md": "---\ntitle: Write copy\nproject: site\nassignee: anna\n---\n",
}
ERRORS = {
    "tasks/copy.md": "---\ntitle: Write copy\nproject: sit\nestimate: 2x\n---\n",
    "deals/big.md": "---\ntitle: Big deal\ncompany: acme\nstage: leed\n---\n",
}
WARNINGS = {
    "workspace.yml": """\
name: Test Agency
today: 2026-01-01
workflows:
  agency:
    columns:
      - queue
      - {id: design, name: At designer, wip: 1}
      - released
pipelines:
  sales:
    stages:
      - {id: lead, probability: 10, idle_days: 10}
      - {id: won, outcome: won}
""",
    "people/anna.md": "---\nname: Anna Kovalenko\n---\n",
    "people/oleh.md": "---\nname: Oleh Petrenko\nactive: false\n---\n",
    "companies/acme.md": "---\nname: Acme\nkind: client\n---\n",
    "contacts/olena.md": "---\nname: Olena Shevchuk\ncompany: acme\nfollow_up: 2026-03-10\n---\n",
    "projects/site.md": "---\nname: Site\ncompany: acme\nworkflow: agency\n---\n",
    "tasks/hero.md": (
        "---\ntitle: Hero banner\nproject: site\nstatus: design\nassignee: oleh\n"
        "due: 2026-03-13\n---\n"
    ),
    "tasks/menu.md": "---\ntitle: Menu\nproject: site\nstatus: design\nassignee: anna\n---\n",
    "tasks/old.md": (
        "---\ntitle: Old\nproject: site\nstatus: released\nassignee: oleh\ndue: 2026-01-02\n---\n"
    ),
    "deals/opera.md": "---\ntitle: Opera\ncompany: acme\nstage: lead\nupdated: 2026-03-01\n---\n",
    "deals/won.md": "---\ntitle: Won one\ncompany: acme\nstage: won\nupdated: 2025-01-01\n---\n",
}
TODAY = "2026-03-16"


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


Write = Callable[[Mapping[str, str | bytes]], Path]


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from tmp_path, so problem paths read `ws/...`."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def write(in_tmp: Path, make_workspace: Callable[[Path, Mapping[str, str | bytes]], Path]) -> Write:
    """Write the workspace `ws` in the current folder."""
    return lambda files: make_workspace(in_tmp, files)


def test_clean_workspace_exits_0(write: Write) -> None:
    write(CLEAN)
    result = invoke("check", "ws", "--today", TODAY)
    assert (result.exit_code, result.output) == (0, "0 errors, 0 warnings in 5 records\n")


def test_errors_exit_1_with_every_problem(write: Write) -> None:
    write({**CLEAN, **ERRORS})
    result = invoke("check", "ws", "--today", TODAY)
    assert result.exit_code == 1
    assert result.output == (
        "ws/deals/big.md:4:8: error PD203: stage `leed` is not a stage of pipeline `sales`\n"
        "    stage: leed\n"
        "           ^\n"
        "    hint: did you mean `lead`?\n"
        "ws/tasks/copy.md:3:10: error PD201: unknown project `sit`\n"
        "    project: sit\n"
        "             ^\n"
        "    hint: did you mean `site`?\n"
        "ws/tasks/copy.md:4:11: error PD105: bad duration `2x`\n"
        "    estimate: 2x\n"
        "              ^\n"
        "    hint: write a number with a unit: `2h`, `1h30m`, `90m`, `1.5h` or `2d`\n"
        "3 errors, 0 warnings in 6 records\n"
    )


def test_warnings_with_a_fixed_today(write: Write) -> None:
    write(WARNINGS)
    result = invoke("check", "ws", "--today", TODAY)
    assert result.exit_code == 0
    assert result.output == (
        "ws/contacts/olena.md:4:12: warning PD403: "
        "follow-up with Olena Shevchuk was due 2026-03-10\n"
        "    follow_up: 2026-03-10\n"
        "               ^\n"
        "    hint: get in touch, then set the next `follow_up:` date\n"
        "ws/deals/opera.md:5:10: warning PD402: deal idle for 15 days in stage `lead` (limit 10)\n"
        "    updated: 2026-03-01\n"
        "             ^\n"
        "    hint: take the next step and update `updated:`\n"
        "ws/projects/site.md:4:11: warning PD405: column `design` holds 2 tasks, WIP limit 1\n"
        "    workflow: agency\n"
        "              ^\n"
        "    hint: finish or move tasks: hero, menu\n"
        "ws/tasks/hero.md:5:11: warning PD404: open task assigned to inactive person `oleh`\n"
        "    assignee: oleh\n"
        "              ^\n"
        "    hint: assign it to someone on the team\n"
        "ws/tasks/hero.md:6:6: warning PD401: task overdue by 3 days (due 2026-03-13)\n"
        "    due: 2026-03-13\n"
        "         ^\n"
        "    hint: move it to done, or set a new `due:` date\n"
        "0 errors, 5 warnings in 11 records\n"
    )


def test_strict_fails_on_warnings_only(write: Write) -> None:
    write(WARNINGS)
    result = invoke("check", "ws", "--today", TODAY, "--strict")
    assert result.exit_code == 1
    assert result.output.endswith("0 errors, 5 warnings in 11 records\n")


def test_strict_passes_a_clean_workspace(write: Write) -> None:
    write(CLEAN)
    assert invoke("check", "ws", "--today", TODAY, "--strict").exit_code == 0


def test_today_comes_from_the_workspace_unless_given(write: Write) -> None:
    """`today: 2026-01-01` in workspace.yml: only the WIP breach (not date-bound) remains."""
    write(WARNINGS)
    result = invoke("check", "ws", "--format", "json")
    payload = json.loads(result.output)
    assert payload["today"] == "2026-01-01"
    assert [p["code"] for p in payload["problems"]] == ["PD405", "PD404"]
    later = json.loads(invoke("check", "ws", "--format", "json", "--today", TODAY).output)
    assert later["today"] == TODAY and later["warnings"] == 5


@pytest.mark.parametrize("bad", ["2026-02-30", "16.03.2026", "tomorrow", ""])
def test_bad_today_is_a_usage_error(write: Write, bad: str) -> None:
    write(CLEAN)
    result = invoke("check", "ws", "--today", bad)
    assert result.exit_code == 2
    assert f"Invalid value for '--today': {bad!r} is not a date" in result.output


def test_missing_path_is_a_usage_error(in_tmp: Path) -> None:
    result = invoke("check", "no-such-folder")
    assert result.exit_code == 2
    assert "Directory 'no-such-folder' does not exist" in result.output


def test_file_instead_of_folder_is_a_usage_error(in_tmp: Path) -> None:
    (in_tmp / "notes.md").write_text("hi\n")
    assert invoke("check", "notes.md").exit_code == 2


def test_default_path_is_content(write: Write, in_tmp: Path) -> None:
    write(CLEAN)
    (in_tmp / "ws").rename(in_tmp / "content")
    result = invoke("check", "--today", TODAY)
    assert (result.exit_code, result.output) == (0, "0 errors, 0 warnings in 5 records\n")


@pytest.mark.parametrize(
    ("files", "summary"),
    [
        ({}, "1 error, 0 warnings in 0 records"),  # no records (PD012)
        ({"workspace.yml": "name: A\n"}, "1 error, 0 warnings in 1 record"),
        (
            {"workspace.yml": "name: A\n", "people/a.md": "---\nname: A\n---\n"},
            "0 errors, 0 warnings in 2 records",
        ),
        (
            {"tasks/a.md": "---\ntitle: A\nproject: p\ndue: 2026-01-01\n---\n"},
            "1 error, 1 warning in 1 record",  # unknown project; overdue
        ),
        (
            {
                "notes.md": "x\n",
                "tasks/a.md": "---\ntitle: A\nproject: p\n---\n",
                "tasks/b.md": "---\ntitle: B\nproject: p\n---\n",
            },
            "2 errors, 1 warning in 2 records",
        ),
    ],
)
def test_summary_line(write: Write, files: dict[str, str], summary: str) -> None:
    write(files)
    result = invoke("check", "ws", "--today", TODAY)
    assert result.output.splitlines()[-1] == summary


def test_json_round_trips(write: Write) -> None:
    write({**WARNINGS, **ERRORS})
    result = invoke("check", "ws", "--format", "json", "--today", TODAY)
    assert result.exit_code == 1
    payload = json.loads(result.output)
    expected = run_check(Path("ws"), date.fromisoformat(TODAY))
    assert [Problem.from_dict(p) for p in payload["problems"]] == expected.problems
    assert [p["severity"] for p in payload["problems"]] == [
        p.severity.value for p in expected.problems
    ]
    assert {k: payload[k] for k in ("errors", "warnings", "records", "today", "summary")} == {
        "errors": 3,
        "warnings": 5,
        "records": 13,
        "today": TODAY,
        "summary": "3 errors, 5 warnings in 13 records",
    }


def test_json_keeps_unicode_readable(write: Write) -> None:
    write({"contacts/olena.md": "---\nname: Олена\nfollow_up: 2026-03-01\n---\n"})
    result = invoke("check", "ws", "--format", "json", "--today", TODAY)
    assert "follow-up with Олена was due 2026-03-01" in result.output
    assert json.loads(result.output)["problems"][0]["message"].startswith("follow-up with Олена")


def test_github_annotations(write: Write) -> None:
    late = "---\ntitle: Late\nproject: site\ndue: 2026-03-01\n---\n"
    write({**CLEAN, **ERRORS, "tasks/late.md": late})
    result = invoke("check", "ws", "--format", "github", "--today", TODAY)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "::error file=ws/deals/big.md,line=4,col=8,title=PD203::"
        "stage `leed` is not a stage of pipeline `sales` (hint: did you mean `lead`?)",
        "::error file=ws/tasks/copy.md,line=3,col=10,title=PD201::"
        "unknown project `sit` (hint: did you mean `site`?)",
        "::error file=ws/tasks/copy.md,line=4,col=11,title=PD105::bad duration `2x` "
        "(hint: write a number with a unit: `2h`, `1h30m`, `90m`, `1.5h` or `2d`)",
        "::warning file=ws/tasks/late.md,line=4,col=6,title=PD401::task overdue by 15 days "
        "(due 2026-03-01) (hint: move it to done, or set a new `due:` date)",
        "3 errors, 1 warning in 7 records",
    ]


def test_github_escapes_properties_and_data(write: Write) -> None:
    write({"tasks/a,b.md": "---\ntitle: A\nproject: p\nx%y: 1\n---\n"})
    lines = invoke("check", "ws", "--format", "github").output.splitlines()
    assert lines == [
        "::error file=ws/tasks/a%2Cb.md,line=1,col=1,title=PD108::bad id `a,b`: ids are "
        "lower-case letters, digits and dashes (hint: rename the file to `a-b.md`)",
        "::error file=ws/tasks/a%2Cb.md,line=4,col=1,title=PD102::unknown field `x%25y` "
        "(hint: declare it under custom_fields.task in workspace.yml)",
        "2 errors, 0 warnings in 1 record",
    ]


def test_installed_command(
    tmp_path: Path, make_workspace: Callable[[Path, Mapping[str, str | bytes]], Path]
) -> None:
    """The console script is installed and behaves like the click command."""
    exe = shutil.which("plaindesk")
    assert exe is not None, "`pip install -e .` should install the plaindesk command"
    make_workspace(tmp_path, {**CLEAN, **ERRORS})
    done = subprocess.run(
        [exe, "check", "ws", "--format", "github", "--today", TODAY],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr == ""
    assert done.stdout.splitlines()[-1] == "3 errors, 0 warnings in 6 records"
    assert done.stdout == invoke_in(tmp_path, "check", "ws", "--format", "github", "--today", TODAY)


def invoke_in(folder: Path, *args: str) -> str:
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(folder)
        return invoke(*args).output


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_init_creates_a_workspace_that_checks_clean(in_tmp: Path) -> None:
    result = invoke("init", "agency")
    assert result.exit_code == 0, result.output
    assert "created agency/content/workspace.yml\n" in result.output
    assert (in_tmp / "agency" / "mkdocs.yml").is_file()
    checked = invoke("check", "agency/content", "--strict", "--today", TODAY)
    assert (checked.exit_code, checked.output) == (0, "0 errors, 0 warnings in 7 records\n")
    loaded = run_check(in_tmp / "agency" / "content", date.fromisoformat(TODAY))
    assert loaded.problems == []
    ws = loaded.workspace
    assert [len(t) for t in (ws.people, ws.companies, ws.contacts, ws.projects)] == [1, 1, 1, 1]
    assert [len(ws.tasks), len(ws.deals)] == [1, 1]


def test_init_refuses_to_overwrite(in_tmp: Path) -> None:
    assert invoke("init", "agency").exit_code == 0
    (in_tmp / "agency" / "content" / "people" / "me.md").write_text("---\nname: Edited\n---\n")
    before = snapshot(in_tmp / "agency")
    result = invoke("init", "agency")
    assert result.exit_code == 1
    assert "nothing was written (init never overwrites files)" in result.output
    assert snapshot(in_tmp / "agency") == before


def test_init_refuses_if_any_one_file_exists(in_tmp: Path) -> None:
    (in_tmp / "agency").mkdir()
    (in_tmp / "agency" / "mkdocs.yml").write_text("site_name: Mine\n")
    result = invoke("init", "agency")
    assert result.exit_code == 1
    assert "agency already has mkdocs.yml; nothing was written" in result.output
    assert snapshot(in_tmp / "agency") == {"mkdocs.yml": b"site_name: Mine\n"}


def test_init_into_an_existing_empty_folder(in_tmp: Path) -> None:
    (in_tmp / "agency").mkdir()
    assert invoke("init", "agency").exit_code == 0
    assert run_check(in_tmp / "agency" / "content").problems == []


def test_errors_come_before_warnings(write: Write) -> None:
    write({**WARNINGS, **ERRORS})
    result = invoke("check", "ws", "--today", TODAY)
    headlines = [line for line in result.output.splitlines() if line.startswith("ws/")]
    severities = [line.split(": ")[1].split()[0] for line in headlines]
    assert "warning" in severities and "error" in severities
    assert severities == sorted(severities)  # every "error" before every "warning"
