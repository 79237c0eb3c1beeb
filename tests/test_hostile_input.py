"""Hostile workspaces found by an attack on `check` and `build`, one test per attack:
links out of the workspace, special files, far dates, huge numbers, a broken workspace.yml.

Each test reproduces the attack as it was found and fails without its fix."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import make_workspace
from gitrepo import GitRepo
from portal_cases import SECRET
from site_cases import REPO, SMALL, project

from builder.cli import cli
from builder.load.files import MAX_FILE_BYTES
from builder.pipeline import CheckCache, CheckResult, run_check
from builder.portal import build_portals
from builder.problems import Problem
from builder.render.pages import SiteOptions
from builder.report import format_github, format_json, format_text
from builder.site.generate import generate

TODAY = date(2026, 3, 16)
BASE = {
    "people/anna.md": "---\nname: Anna Kovalenko\n---\n",
    "companies/acme.md": "---\nname: Acme\nkind: client\n---\n",
    "projects/site.md": "---\nname: Site\ncompany: acme\n---\n",
}
SUMMARY = "1 error, 0 warnings in 4 records\n"
SECRET_LINE = "zqsecret: root:x:0:0:the first line of a file outside the workspace"


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """BASE in tmp_path/ws, checked from tmp_path (problem paths read `ws/...`), and a
    file outside it, tmp_path/outside.md, whose first line must never be shown."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "outside.md").write_text(f"{SECRET_LINE}\nzqsecret line two\n")
    return make_workspace(tmp_path, BASE)


def check_output(*args: str) -> tuple[int, str]:
    """`plaindesk check ws ARGS` in-process: exit status and everything printed."""
    run = CliRunner().invoke(cli, ["check", "ws", "--today", TODAY.isoformat(), *args])
    assert run.exception is None or isinstance(run.exception, SystemExit), run.output
    return run.exit_code, run.output


def headlines(result: CheckResult) -> list[tuple[str, str]]:
    return [(p.headline(), p.hint) for p in result.problems]


def all_reports(result: CheckResult) -> str:
    summary = result.summary()
    return (
        format_text(result.problems, summary)
        + format_json(result.problems, summary, {})
        + format_github(result.problems, summary)
    )


# --- 3. links out of the workspace ---------------------------------------------------------


@pytest.mark.parametrize("target", ["outside", "/etc/passwd"])
def test_a_link_out_of_the_workspace_is_refused_and_never_quoted(ws: Path, target: str) -> None:
    """The attack: `tasks/pw.md -> /etc/passwd` printed root's line in the CI log (PD002)."""
    if target == "/etc/passwd" and not Path(target).is_file():
        pytest.skip("no /etc/passwd here")
    (ws / "tasks").mkdir()
    (ws / "tasks" / "pw.md").symlink_to(ws.parent / "outside.md" if target == "outside" else target)
    for fmt in ("text", "json", "github"):
        status, output = check_output("--format", fmt)
        assert status == 1
        assert "zqsecret" not in output and "root:" not in output
    assert check_output() == (
        1,
        "ws/tasks/pw.md:1:1: error PD011: link to a file outside the workspace is not read\n"
        "    hint: copy the file into the workspace, or remove the link\n" + SUMMARY,
    )


def test_a_link_to_a_hidden_file_inside_is_refused(ws: Path) -> None:
    """Hidden files are never records: a link must not reach `.git/config` either."""
    (ws / ".git").mkdir()
    (ws / ".git" / "config").write_text(f"{SECRET_LINE}\n")
    (ws / "tasks").mkdir()
    (ws / "tasks" / "cfg.md").symlink_to("../.git/config")
    status, output = check_output()
    assert (status, output) == (
        1,
        "ws/tasks/cfg.md:1:1: error PD011: link to a file that is hidden is not read\n"
        "    hint: copy the file into the workspace, or remove the link\n" + SUMMARY,
    )


def test_a_record_linked_from_outside_reaches_neither_the_site_nor_a_portal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The attack: a link to an outside file with valid front matter was built into the
    site and into the client's portal."""
    outside = tmp_path / "elsewhere" / "leak.md"
    outside.parent.mkdir()
    outside.write_text(
        "---\ntitle: Zqleak title\nproject: site\nclient_visible: true\n---\nZqleak body.\n"
    )
    files = {
        **SMALL,
        "companies/acme.md": SMALL["companies/acme.md"].replace(
            "website:", "portal: {enabled: true}\nwebsite:"
        ),
    }
    root = make_workspace(tmp_path, project(files))
    (root / "content" / "tasks" / "leak.md").symlink_to(outside)
    monkeypatch.chdir(root)
    runner = CliRunner()
    env = {"PLAINDESK_PORTAL_SECRET": SECRET}
    built = runner.invoke(cli, ["build", "--site-dir", "site", "--portal-dir", "public"], env=env)
    assert built.exit_code == 1
    assert (
        "content/tasks/leak.md:1:1: error PD011: link to a file outside the workspace is not "
        "read\n    hint: copy the file into the workspace, or remove the link\n"
    ) in built.stderr
    assert built.stderr.endswith(
        "error: nothing was built; fix the errors above (the previous site is unchanged)\n"
    )
    portal = runner.invoke(cli, ["portal", "build", "content", "--out", "public"], env=env)
    assert portal.exit_code == 1
    assert "zqleak" not in (built.output + portal.output).casefold()
    assert not (root / "site").exists() and not (root / "public").exists()


def test_a_link_inside_the_workspace_is_read(ws: Path) -> None:
    """A link to another file of the workspace reads it: nothing new becomes visible, and
    git keeps such links (a shared record filed under two names)."""
    (ws / "tasks" / "archive").mkdir(parents=True)
    (ws / "tasks" / "archive" / "real.md").write_text("---\ntitle: Real\nproject: site\n---\n")
    (ws / "tasks" / "alias.md").symlink_to("archive/real.md")
    (ws / "tasks" / "absolute.md").symlink_to(ws.resolve() / "tasks" / "archive" / "real.md")
    result = run_check(Path("ws"), TODAY)
    assert result.problems == []
    assert sorted(result.workspace.tasks) == ["absolute", "alias", "real"]
    assert result.workspace.tasks["alias"].title == "Real"


def test_a_linked_folder_is_never_walked(ws: Path, tmp_path: Path) -> None:
    """A folder link out of the workspace is reported and not walked; one inside is walked
    where it really is, once."""
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "leak.md").write_text("---\ntitle: Zqleak\nproject: site\n---\n")
    (ws / "tasks" / "real").mkdir(parents=True)
    (ws / "tasks" / "real" / "a.md").write_text("---\ntitle: A\nproject: site\n---\n")
    (ws / "tasks" / "again").symlink_to("real")  # inside: not walked twice
    (ws / "tasks" / "shared").symlink_to(shared)
    (ws / "deals").symlink_to(shared)
    result = run_check(Path("ws"), TODAY)
    hint = "move the folder into the workspace, or remove the link"
    assert headlines(result) == [
        ("ws/deals:1:1: error PD011: link to a folder outside the workspace is not followed", hint),
        (
            "ws/tasks/shared:1:1: error PD011: link to a folder outside the workspace is not "
            "followed",
            hint,
        ),
    ]
    assert sorted(result.workspace.tasks) == ["a"] and result.workspace.deals == {}
    assert "zqleak" not in all_reports(result).casefold()


def test_a_watched_change_under_a_folder_link_is_not_read(ws: Path, tmp_path: Path) -> None:
    """The serve loop lists changed files without a walk: a path through a folder link is
    skipped there too."""
    cache = CheckCache()
    assert run_check(Path("ws"), TODAY, cache).problems == []
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "leak.md").write_text("---\ntitle: Zqleak\nproject: site\n---\n")
    (ws / "tasks").mkdir()
    (ws / "tasks" / "shared").symlink_to(shared)
    result = run_check(Path("ws"), TODAY, cache, changed={"tasks/shared/leak.md"})
    assert result.workspace.tasks == {}


def test_problem_lines_quote_the_text_the_check_read(ws: Path) -> None:
    """The report quotes the line the check read, and never opens a file again."""
    task = ws / "tasks" / "a.md"
    task.parent.mkdir()
    task.write_text("---\ntitle: A\nproject: site\nstatus: doing\n---\n")
    result = run_check(Path("ws"), TODAY)
    task.write_text(f"---\n{SECRET_LINE}\n{SECRET_LINE}\n{SECRET_LINE}\n---\n")
    assert format_text(result.problems, result.summary()) == (
        "ws/tasks/a.md:4:9: error PD202: status `doing` is not a column of workflow `default`\n"
        "    status: doing\n"
        "            ^\n"
        "    hint: did you mean `done`?\n" + SUMMARY
    )
    assert result.problems[0].source == "status: doing"


# --- 4. special files: devices, FIFOs, endless files ---------------------------------------


def _limited() -> None:  # pragma: no cover - runs in the child process
    limit = 2 * 1024**3  # an unbounded read fails here, not by filling the machine
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def plaindesk(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real command in a child with a memory cap and a timeout: a hang or an endless
    read fails the test instead of the machine."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PLAINDESK_PORTAL_SECRET": SECRET}
    env.pop("PLAINDESK_TODAY", None)
    return subprocess.run(
        [sys.executable, "-m", "builder.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_limited,
    )


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
@pytest.mark.parametrize("name", ["tasks/z.md", "workspace.yml"])
def test_a_link_to_a_device_is_refused_without_reading(ws: Path, device: str, name: str) -> None:
    """The attack: `tasks/z.md -> /dev/zero` was read without end (MemoryError)."""
    (ws / name).parent.mkdir(exist_ok=True)
    (ws / name).symlink_to(device)
    done = plaindesk(ws.parent, "check", "ws", "--today", TODAY.isoformat())
    assert (done.returncode, done.stderr) == (1, "")
    assert done.stdout == (
        f"ws/{name}:1:1: error PD011: link to a file outside the workspace is not read\n"
        "    hint: copy the file into the workspace, or remove the link\n" + SUMMARY
    )


@pytest.mark.parametrize("name", ["tasks/x.md", "workspace.yml"])
def test_a_fifo_is_refused_without_waiting(ws: Path, name: str) -> None:
    """The attack: a FIFO named `x.md` made `check` and `build` wait forever for a writer."""
    (ws / name).parent.mkdir(exist_ok=True)
    os.mkfifo(ws / name)
    expected = (
        f"ws/{name}:1:1: error PD001: cannot read file: it is a FIFO (named pipe), "
        "not a regular file\n"
        "    hint: replace it with a plain text file, or remove it\n"
    )
    done = plaindesk(ws.parent, "check", "ws", "--today", TODAY.isoformat())
    assert (done.returncode, done.stdout, done.stderr) == (1, expected + SUMMARY, "")
    done = plaindesk(ws.parent, "portal", "build", "ws", "--today", TODAY.isoformat())
    assert done.returncode == 1 and done.stderr.startswith(expected)


def test_a_read_stops_past_the_limit_whatever_the_size_said() -> None:
    """What fstat says is only a hint (a device or /proc file says 0): reading stops one
    byte past the limit."""
    from builder.load.files import _read_bytes  # the loader's one read, fed from a pipe

    read_fd, write_fd = os.pipe()

    def feed() -> None:
        with os.fdopen(write_fd, "wb") as out:
            try:
                while True:
                    out.write(b"x" * 65536)
            except BrokenPipeError:
                pass

    writer = threading.Thread(target=feed)
    writer.start()
    problems: list[Problem] = []
    assert _read_bytes(read_fd, 0, "ws/tasks/endless.md", problems, "a record") is None
    writer.join(timeout=10)
    assert [(p.headline(), p.hint) for p in problems] == [
        (
            "ws/tasks/endless.md:1:1: error PD007: file is over 4 MB; a record may be at most "
            f"{MAX_FILE_BYTES // 1024 // 1024} MB",
            "move large material out of the workspace and link to it",
        )
    ]


# --- 6. dates: 1900-01-01 to 2999-12-31 -----------------------------------------------------

RANGE_HINT = "dates run from 1900-01-01 to 2999-12-31; check the year"
TASK = "---\ntitle: T\nproject: site\n"


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1899-12-31", "3000-01-01"])
@pytest.mark.parametrize(
    ("rel", "text", "where", "code"),
    [
        ("tasks/t.md", TASK + "due: {day}\n---\n", "4:6", "PD104"),
        ("projects/p.md", "---\nname: P\ncompany: acme\nstart: {day}\n---\n", "4:8", "PD104"),
        ("contacts/c.md", "---\nname: C\nfollow_up: {day}\n---\n", "3:12", "PD104"),
        (
            "deals/d.md",
            "---\ntitle: D\ncompany: acme\nstage: lead\nexpected_close: {day}\n---\n",
            "5:17",
            "PD104",
        ),
        (
            "deals/d.md",
            "---\ntitle: D\ncompany: acme\nstage: lead\nnext_step: {day} Call them\n---\n",
            "5:12",
            "PD104",
        ),
        ("tasks/t.md", TASK + "time:\n  - {day} anna 1h\n---\n", "5:5", "PD111"),
        ("tasks/t.md", TASK + "signed: {day}\n---\n", "4:9", "PD104"),
        ("workspace.yml",
         "custom_fields: {{task: {{signed: {{type: date}}}}}}\ntoday: {day}\n", "2:8", "PD104"),
    ],
    ids=["due", "start", "follow_up", "expected_close", "next_step", "time", "custom", "today"],
)  # fmt: skip
def test_a_date_out_of_range_is_refused(
    ws: Path, rel: str, text: str, where: str, code: str, day: str
) -> None:
    """The attack: `due: 9999-12-31` passed `check` and crashed the portal's timeline."""
    files: dict[str, str] = {rel: text.format(day=day)}
    if rel != "workspace.yml":
        files["workspace.yml"] = "custom_fields: {task: {signed: {type: date}}}\n"
    make_workspace(ws.parent, files)
    result = run_check(Path("ws"))
    if code == "PD111":
        expected = (
            f"ws/{rel}:{where}: error PD111: time-log entry has bad date `{day}`: out of range: "
            "dates run from 1900-01-01 to 2999-12-31"
        )
        assert [p.headline() for p in result.problems] == [expected]
    else:
        assert headlines(result) == [
            (f"ws/{rel}:{where}: error PD104: date `{day}` is out of range", RANGE_HINT)
        ]


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1899-12-31", "3000-01-01"])
@pytest.mark.parametrize("command", [["check", "ws"], ["build"], ["portal", "build", "ws"]])
def test_today_out_of_range_is_a_usage_error(ws: Path, command: list[str], day: str) -> None:
    run = CliRunner().invoke(cli, [*command, "--today", day])
    assert run.exit_code == 2
    assert (
        f"Invalid value for '--today': '{day}' is not a date (out of range: dates run from "
        "1900-01-01 to 2999-12-31); use YYYY-MM-DD"
    ) in run.output


EXTREMES = {
    **SMALL,
    "companies/client.md": "---\nname: Far Client\nkind: client\nmanager: anna\n"
    "portal: {enabled: true}\n---\n",
    "projects/far.md": "---\nname: Far project\ncompany: client\nmanager: anna\nstatus: active\n"
    "start: 1900-01-01\ndue: 2999-12-31\nbudget: 999999999999999.99 USD\n"
    "metrics:\n  - {name: Reach, target: 0.000000001, actual: 999999999999999}\n"
    "  - {name: Tiny, target: 999999999999999, actual: -999999999999999}\n---\n",
    "tasks/far-first.md": "---\ntitle: First day\nproject: far\nclient_visible: true\n"
    "start: 1900-01-01\ndue: 1900-01-01\nstatus: done\n---\n",
    "tasks/far-last.md": "---\ntitle: Last day\nproject: far\nclient_visible: true\n"
    "assignee: anna\nstart: 1900-01-01\ndue: 2999-12-31\nestimate: 1000000h\n"
    "time:\n  - 1900-01-01 anna 1000000h\n  - 2999-12-31 anna 1000000h\n"
    "price: 999999999999999.99 EUR\n---\n",
    "contacts/far.md": "---\nname: Far Contact\nfollow_up: 1900-01-01\ncadence: 36500d\n---\n",
    "people/max.md": "---\nname: Max Capacity\ncapacity: 1000000\n"
    "rate: 999999999999999.99 EUR\n---\n",
    "people/min.md": "---\nname: Min Capacity\ncapacity: 0.000000001\n---\n",
    "deals/far-open.md": "---\ntitle: Far open\ncompany: client\nstage: lead\nowner: max\n"
    "amount: 999999999999999.99 EUR\nexpected_close: 2999-12-31\nupdated: 1900-01-01\n"
    "next_step: 2999-12-31 Call\n---\n",
    "deals/far-won.md": "---\ntitle: Far won\ncompany: client\nstage: won\nowner: max\n"
    "amount: 999999999999999.99 EUR\nupdated: 2999-12-31\n---\n",
}
EXTREMES["workspace.yml"] = (
    SMALL["workspace.yml"]
    .replace("today: 2026-03-16\n", "")
    .replace("EUR: 1.10", "EUR: 999999999999999")
)


@pytest.fixture(scope="module")
def extremes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A site project in a git repository whose workspace holds the extreme dates and the
    largest values `check` accepts everywhere, with a portal-enabled client."""
    root = tmp_path_factory.mktemp("extremes")
    repo = GitRepo(root)
    for rel, text in project(EXTREMES).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(str(text), encoding="utf-8")
    repo.commit("2026-03-02T10:00:00+02:00")
    (repo.content / "tasks" / "far-last.md").write_text(
        EXTREMES["tasks/far-last.md"].replace("assignee: anna", "assignee: oleh")
    )
    repo.commit("2026-03-09T10:00:00+02:00")
    yield root


@pytest.mark.parametrize("today", ["1900-01-01", "2999-12-31"])
def test_the_extreme_dates_and_values_build_with_a_portal(extremes: Path, today: str) -> None:
    """The attack: a far date passed `check` and failed the build (OverflowError in the
    timeline, after the new site was swapped in); so did `--today 9999-12-31`."""
    check = plaindesk(extremes, "check", "content", "--today", today)
    assert check.returncode == 0, check.stdout
    done = plaindesk(extremes, "build", "--today", today)
    assert done.returncode == 0, done.stderr
    (page,) = (extremes / "public" / "portal").glob("*/index.html")
    html = page.read_text(encoding="utf-8")
    # the axis spans 1900..2999 in ticks every 50 years, not 13,200 months
    assert html.count('class="tl-gridline"') == 22
    assert 'Jan<span class="tl-year"> 1900</span>' in html
    assert 'Jan<span class="tl-year"> 2900</span>' in html
    assert "Last day" in html and "Far project" in html
    deal = (extremes / "site" / "deals" / "far-open" / "index.html").read_text(encoding="utf-8")
    assert "€999,999,999,999,999.99" in deal and "Dec 31, 2999" in deal
    far = (extremes / "site" / "projects" / "far" / "index.html").read_text(encoding="utf-8")
    assert "Jan 1, 1900" in far and "Dec 31, 2999" in far


# --- 7. numbers: each bounded, and their sums still format ----------------------------------

NUMBER_HINT = "numbers stay below 1,000,000,000,000,000; check for extra digits"
AMOUNT_HINT = "amounts stay below 1,000,000,000,000,000; check for extra digits"
DURATION_HINT = "durations are at most 1000000h; check for extra digits"
BIG = "1" + "0" * 28


@pytest.mark.parametrize(
    ("rel", "text", "expected"),
    [
        ("deals/d.md", f"---\ntitle: D\ncompany: acme\nstage: lead\namount: {BIG} USD\n---\n",
         ("ws/deals/d.md:5:9: error PD106: amount `" + BIG + " USD` is too large", AMOUNT_HINT)),
        ("tasks/t.md", TASK + "price: 1000000000000000\n---\n",
         ("ws/tasks/t.md:4:8: error PD106: amount `1000000000000000` is too large", AMOUNT_HINT)),
        ("people/p.md", "---\nname: P\nrate: 1000000000000000.00 EUR\n---\n",
         ("ws/people/p.md:3:7: error PD106: amount `1000000000000000.00 EUR` is too large",
          AMOUNT_HINT)),
        ("projects/p.md", f"---\nname: P\ncompany: acme\nbudget: {BIG}\n---\n",
         ("ws/projects/p.md:4:9: error PD106: amount `" + BIG + "` is too large", AMOUNT_HINT)),
        ("people/p.md", f"---\nname: P\ncapacity: 1{'0' * 30}\n---\n",
         (f"ws/people/p.md:3:11: error PD103: number `1{'0' * 30}` is too large", NUMBER_HINT)),
        ("people/p.md", "---\nname: P\ncapacity: 1000001\n---\n",
         ("ws/people/p.md:3:11: error PD103: capacity `1000001` is too large",
          "capacity is hours per week, e.g. `40`, at most 1000000")),
        ("people/p.md", "---\nname: P\ncapacity: 1000001h\n---\n",
         ("ws/people/p.md:3:11: error PD105: duration `1000001h` is too long", DURATION_HINT)),
        ("projects/p.md",
         f"---\nname: P\ncompany: acme\nmetrics:\n  - {{name: M, target: {BIG}}}\n---\n",
         ("ws/projects/p.md:5:23: error PD103: number `" + BIG + "` is too large", NUMBER_HINT)),
        ("projects/p.md",
         "---\nname: P\ncompany: acme\nmetrics:\n  - {name: M, actual: -1000000000000000}\n---\n",
         ("ws/projects/p.md:5:23: error PD103: number `-1000000000000000` is too large",
          NUMBER_HINT)),
        ("tasks/t.md", TASK + f"score: {BIG}\n---\n",
         ("ws/tasks/t.md:4:8: error PD103: number `" + BIG + "` is too large", NUMBER_HINT)),
        ("tasks/t.md", TASK + "estimate: 125001d\n---\n",
         ("ws/tasks/t.md:4:11: error PD105: duration `125001d` is too long", DURATION_HINT)),
        ("contacts/c.md", "---\nname: C\ncadence: 5215w\n---\n",
         ("ws/contacts/c.md:3:10: error PD105: interval `5215w` is too long",
          "intervals are at most 36500d; check for extra digits")),
        ("tasks/t.md", TASK + "time:\n  - 2026-03-02 anna 1000001h\n---\n",
         ("ws/tasks/t.md:5:5: error PD111: time-log entry has bad duration `1000001h`",
          "write the time spent as `2h`, `1h30m` or `45m`")),
        ("workspace.yml", "custom_fields: {task: {score: {type: number}}}\n"
         f"rates: {{EUR: {BIG}}}\n",
         ("ws/workspace.yml:2:14: error PD103: number `" + BIG + "` is too large",
          NUMBER_HINT)),
    ],
    ids=["amount", "price", "rate", "budget", "capacity", "capacity-hours",
         "capacity-duration", "metric-target", "metric-actual", "custom-number", "estimate",
         "cadence", "time", "rates"],
)  # fmt: skip
def test_a_number_too_large_is_refused(
    ws: Path, rel: str, text: str, expected: tuple[str, str]
) -> None:
    """The attack: money of 10^28 (or `capacity: 10^30`) passed `check`, then the build
    failed with `[<class 'decimal.InvalidOperation'>]` from locale formatting."""
    files = {rel: text}
    if rel != "workspace.yml":
        files["workspace.yml"] = "custom_fields: {task: {score: {type: number}}}\n"
    make_workspace(ws.parent, files)
    assert headlines(run_check(Path("ws"), TODAY)) == [expected]


def test_the_largest_values_just_pass() -> None:
    """The bounds are inclusive where the hints say so."""
    from builder.load.yamltree import Scalar
    from builder.validate import values

    assert values.money(Scalar("999999999999999.99 USD", 1, 1), "USD").amount == (
        Decimal("999999999999999.99")
    )
    assert values.duration(Scalar("1000000h", 1, 1)) == 60_000_000
    assert values.number(Scalar("-999999999999999", 1, 1)) == -999999999999999


def test_a_thousand_deals_at_the_largest_amount_still_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each amount is bounded, not their sum: 1,000 deals at the largest amount, at the
    largest rate, total 10^33, past the 28 digits Babel rounds in by default."""
    deal = (
        "---\ntitle: Deal {i}\ncompany: acme\nstage: {stage}\nowner: anna\n"
        "amount: 999999999999999.99 EUR\nprobability: 99\nupdated: 2026-03-10\n---\n"
    )
    files = dict(BASE)
    files["companies/acme.md"] = "---\nname: Acme\nkind: client\nportal: {enabled: true}\n---\n"
    files["workspace.yml"] = "rates: {EUR: 999999999999999}\n"
    for i in range(1000):
        files[f"deals/d{i:04}.md"] = deal.format(i=i, stage=("lead", "won", "lost")[i % 3])
    monkeypatch.chdir(tmp_path)
    make_workspace(tmp_path, files)
    result = run_check(Path("ws"), TODAY)
    assert result.errors == []
    generated = generate(Path("ws"), tmp_path / "tree", SiteOptions(), TODAY, result)
    funnel = (tmp_path / "tree" / "funnels" / "sales.md").read_text(encoding="utf-8")
    # 334 open deals of 999,999,999,999,998.99 x 10^15 USD each (at 28 digits)
    assert "$333,999,999,999,999,662,660,000,000,000,000" in funnel
    assert generated.pages
    assert len(build_portals(result, tmp_path / "public", SECRET)) == 1


# --- 13. a broken workspace.yml -------------------------------------------------------------


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        (
            "- a list\n- of things\n",
            (
                "content/workspace.yml:1:1: error PD005: workspace.yml is not a mapping of "
                "settings",
                "write one `setting: value` per line, e.g. `name: My Agency`",
            ),
        ),
        (
            "just some text\n",
            (
                "content/workspace.yml:1:1: error PD005: workspace.yml is not a mapping of "
                "settings",
                "write one `setting: value` per line, e.g. `name: My Agency`",
            ),
        ),
        (
            "name: Agency\nrates: {EUR: 1.08\n",
            (
                "content/workspace.yml:2:8: error PD004: YAML syntax error: did not find "
                "expected ',' or '}' while parsing a flow mapping",
                "check indentation and quoting on this line and the one above",
            ),
        ),
        (
            b"name: \xff\n",
            (
                "content/workspace.yml:1:7: error PD001: not UTF-8: byte 0xff cannot be decoded",
                "save the file as UTF-8 in your editor",
            ),
        ),
    ],
    ids=["list", "text", "syntax", "encoding"],
)
def test_a_broken_workspace_yml_is_the_only_problem(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    settings: str | bytes,
    expected: tuple[str, str],
) -> None:
    """The attack: a broken workspace.yml said "front matter is not a mapping" and buried
    it under ~105 errors in records that only followed from the missing settings."""
    shutil.copytree(REPO / "content", tmp_path / "content")
    target = tmp_path / "content" / "workspace.yml"
    if isinstance(settings, bytes):
        target.write_bytes(settings)
    else:
        target.write_text(settings)
    monkeypatch.chdir(tmp_path)
    result = run_check(Path("content"))
    assert headlines(result) == [expected]
    assert result.files > 100  # the records were found, just not typed


def test_a_record_file_problem_still_shows_beside_broken_settings(ws: Path) -> None:
    """Problems of a file itself do not follow from the settings: they are kept; those
    of fields are not (`score` is declared in the broken settings)."""
    files = {
        "workspace.yml": "custom_fields: {task: {score: {type: number}}\n",
        "tasks/t.md": "no front matter\n",
        "tasks/u.md": TASK + "score: 5\n---\n",
    }
    make_workspace(ws.parent, files)
    assert [p.code for p in run_check(Path("ws"), TODAY).problems] == ["PD002", "PD004"]


def test_json_carries_the_line_the_check_read(ws: Path) -> None:
    """Problems carry their source line into JSON too, read once by the check."""
    make_workspace(ws.parent, {"tasks/t.md": TASK + "due: 9999-12-31\n---\n"})
    status, output = check_output("--format", "json")
    assert status == 1
    assert '"source": "due: 9999-12-31"' in output


# --- found by tests/test_property_build.py ---------------------------------------------------


@pytest.mark.parametrize(
    ("rel", "text", "expected"),
    [
        ("tasks/t.md", '---\ntitle: ""\nproject: site\n---\n', "ws/tasks/t.md:2:8: error PD101: "
         "required field `title` is empty"),
        ("people/p.md", '---\nname: "  "\n---\n', "ws/people/p.md:2:7: error PD101: "
         "required field `name` is empty"),
        ("deals/d.md", '---\ntitle: D\ncompany: acme\nstage: ""\n---\n', "ws/deals/d.md:4:8: "
         "error PD101: required field `stage` is empty"),
    ],
    ids=["title", "name", "stage"],
)  # fmt: skip
def test_an_empty_required_field_is_refused(ws: Path, rel: str, text: str, expected: str) -> None:
    """`title: ""` passed `check`, then the build failed: `'Task' object has no attribute
    'name'` (its page fell back to a name for the empty title)."""
    make_workspace(ws.parent, {rel: text})
    result = run_check(Path("ws"), TODAY)
    assert [p.headline() for p in result.problems] == [expected]
    assert result.problems[0].hint.startswith("write the ")


def test_a_message_quoting_a_value_stays_one_short_line(ws: Path) -> None:
    """A quoted scalar may hold line breaks and megabytes: a problem quotes it on one line,
    cut short, so that JSON and CI annotations stay one problem per line."""
    long = "x" * 100_000
    make_workspace(
        ws.parent,
        {
            "tasks/t.md": TASK + 'priority: "high\\nlow\\u2028"\n'
            f'estimate: "{long}"\nstatus: "a\\rb"\n---\n'
        },
    )
    result = run_check(Path("ws"), TODAY)
    assert [p.message for p in result.problems] == [
        "`high\\nlow\\u2028` is not one of the allowed values",
        f"bad duration `{'x' * 59}…`",
        "status `a\\rb` is not a column of workflow `default`",
    ]
