"""One test per problem code: the exact `path:line:col: severity code: message` and hint."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from builder.pipeline import CheckResult, run_check
from builder.problems import CODES, Severity
from builder.report import format_text

TODAY = date(2026, 3, 16)
BASE = {
    "workspace.yml": "name: Test Agency\nrates:\n  EUR: 1.08\n",
    "people/anna.md": "---\nname: Anna Kovalenko\n---\n",
    "companies/acme.md": "---\nname: Acme\nkind: client\n---\n",
    "projects/site.md": "---\nname: Site\ncompany: acme\n---\n",
}
TASK = "---\ntitle: Write copy\nproject: site\n"
DEAL = "---\ntitle: Big deal\ncompany: acme\n"
NEST = "[" * 40 + "]" * 40
TIME_HINT = (
    "write `- {date: 2026-03-03, person: anna-k, spent: 2h, note: ...}` "
    "or `- 2026-03-03 anna-k 2h note`"
)


@dataclass(frozen=True)
class Link:
    """A symbolic link to `target` (relative to the link's folder) instead of a file."""

    target: str


#: Instead of files: check an empty folder (no BASE either).
EMPTY: dict[str, str | bytes | Link] = {}

Check = Callable[[Mapping[str, str | bytes | Link]], CheckResult]


@pytest.fixture
def check(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    make_workspace: Callable[[Path, Mapping[str, str | bytes]], Path],
) -> Check:
    """Check BASE plus `files` from tmp_path, so problem paths read `ws/...`; a `Link`
    becomes a symbolic link, and tmp_path/outside.md a record outside the workspace."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "outside.md").write_text("---\ntitle: Outside\nproject: site\n---\n")

    def run(files: Mapping[str, str | bytes | Link]) -> CheckResult:
        plain = {k: v for k, v in files.items() if not isinstance(v, Link)}
        root = make_workspace(tmp_path, {**BASE, **plain} if files is not EMPTY else {})
        for rel, link in files.items():
            if isinstance(link, Link):
                (root / rel).parent.mkdir(parents=True, exist_ok=True)
                (root / rel).symlink_to(link.target)
        return run_check(Path("ws"), TODAY)

    return run


# (code, files added to BASE, exact headline, exact hint)
CASES: list[tuple[str, dict[str, str | bytes | Link], str, str]] = [
    (
        "PD001",
        {"tasks/copy.md": b"---\ntitle: Caf\xe9 menu\nproject: site\n---\n"},
        "ws/tasks/copy.md:2:11: error PD001: not UTF-8: byte 0xe9 cannot be decoded",
        "save the file as UTF-8 in your editor",
    ),
    (
        "PD002",
        {"tasks/copy.md": "Just notes, no fields.\n"},
        "ws/tasks/copy.md:1:1: error PD002: front matter missing",
        "start the file with a `---` line, the fields, then `---`",
    ),
    (
        "PD003",
        {"tasks/copy.md": TASK + "Body without the closing line.\n"},
        "ws/tasks/copy.md:1:1: error PD003: front matter not terminated",
        "add a `---` line after the last field",
    ),
    (
        "PD004",
        {"tasks/copy.md": "---\ntitle: Launch: phase 2\nproject: site\n---\n"},
        "ws/tasks/copy.md:2:14: error PD004: "
        "YAML syntax error: mapping values are not allowed in this context",
        'quote values that contain `: `, e.g. title: "Launch: phase 2"',
    ),
    (
        "PD005",
        {"tasks/copy.md": "---\n- title\n- project\n---\n"},
        "ws/tasks/copy.md:2:1: error PD005: front matter is not a mapping",
        "front matter must be `field: value` lines",
    ),
    (
        "PD006",
        {"tasks/copy.md": '---\ntitle: !!python/object/apply:os.system ["echo pwned"]\n---\n'},
        "ws/tasks/copy.md:2:8: error PD006: "
        "YAML tag `tag:yaml.org,2002:python/object/apply:os.system` is not allowed",
        "remove the tag; record fields are plain text, numbers and lists",
    ),
    (
        "PD007",
        {"tasks/copy.md": TASK + "tags: " + NEST + "\n---\n"},
        "ws/tasks/copy.md:4:38: error PD007: YAML nested deeper than 32 levels",
        "flatten the structure; records need only a few levels",
    ),
    (
        "PD008",
        {"tasks/copy.md": TASK + "title: Write more copy\n---\n"},
        "ws/tasks/copy.md:4:1: error PD008: duplicate key `title` (first on line 2)",
        "remove one of them; the first value is used",
    ),
    (
        "PD009",
        {"tasks/copy.md": ""},
        "ws/tasks/copy.md:1:1: error PD009: empty file",
        "add front matter between `---` lines, or delete the file",
    ),
    (
        "PD010",
        {"notes.md": "# Meeting notes\n"},
        "ws/notes.md:1:1: warning PD010: Markdown file outside the record folders is ignored",
        "move it into `people/`, `companies/`, `contacts/`, `projects/`, `tasks/`, `deals/`",
    ),
    (
        "PD011",
        {"tasks/copy.md": Link("../../outside.md")},
        "ws/tasks/copy.md:1:1: error PD011: link to a file outside the workspace is not read",
        "copy the file into the workspace, or remove the link",
    ),
    (
        "PD012",
        EMPTY,
        "ws:1:1: error PD012: no records here: the folder has none of `people/`, `companies/`, "
        "`contacts/`, `projects/`, `tasks/`, `deals/`",
        "pass the workspace (the folder with mkdocs.yml) or its content folder, or create a "
        "record, e.g. `people/me.md`",
    ),
    (
        "PD101",
        {"tasks/copy.md": "---\nproject: site\n---\n"},
        "ws/tasks/copy.md:1:1: error PD101: required field `title` missing",
        "add `title:` to the front matter",
    ),
    (
        "PD102",
        {"tasks/copy.md": TASK + "statuss: todo\n---\n"},
        "ws/tasks/copy.md:4:1: error PD102: unknown field `statuss`",
        "did you mean `status`?",
    ),
    (
        "PD103",
        {"tasks/copy.md": TASK + "client_visible: maybe\n---\n"},
        "ws/tasks/copy.md:4:17: error PD103: expected true or false, found `maybe`",
        "write `true` or `false`",
    ),
    (
        "PD104",
        {"tasks/copy.md": TASK + "due: 2026-02-30\n---\n"},
        "ws/tasks/copy.md:4:6: error PD104: bad date `2026-02-30`: no such day in the calendar",
        "2026-02 has 28 days; check the day",
    ),
    (
        "PD105",
        {"tasks/copy.md": TASK + "estimate: 2 hours\n---\n"},
        "ws/tasks/copy.md:4:11: error PD105: bad duration `2 hours`",
        "write a number with a unit: `2h`, `1h30m`, `90m`, `1.5h` or `2d`",
    ),
    (
        "PD106",
        {"tasks/copy.md": TASK + "price: 300 dollars\n---\n"},
        "ws/tasks/copy.md:4:8: error PD106: bad money `300 dollars`",
        "write an amount and an ISO 4217 code, e.g. `12000 UAH`",
    ),
    (
        "PD107",
        {"tasks/copy.md": TASK + "priority: hgh\n---\n"},
        "ws/tasks/copy.md:4:11: error PD107: `hgh` is not one of the allowed values",
        "did you mean `high`?",
    ),
    (
        "PD108",
        {"tasks/Bad Id.md": TASK + "---\n"},
        "ws/tasks/Bad Id.md:1:1: error PD108: "
        "bad id `Bad Id`: ids are lower-case letters, digits and dashes",
        "rename the file to `bad-id.md`",
    ),
    (
        "PD109",
        {"tasks/copy.md": TASK + "---\n", "tasks/old/copy.md": TASK + "---\n"},
        "ws/tasks/old/copy.md:1:1: error PD109: duplicate task id `copy`: also ws/tasks/copy.md",
        "rename one of the files; ids are unique per record type",
    ),
    (
        "PD110",
        {"tasks/copy.md": TASK + "start: 2026-03-20\ndue: 2026-03-18\n---\n"},
        "ws/tasks/copy.md:5:6: error PD110: due 2026-03-18 is before start 2026-03-20",
        "move the due date later or the start earlier",
    ),
    (
        "PD111",
        {"tasks/copy.md": TASK + "time:\n  - 2026-03-03 anna\n---\n"},
        "ws/tasks/copy.md:5:5: error PD111: malformed time-log entry `2026-03-03 anna`",
        TIME_HINT,
    ),
    (
        "PD112",
        {"tasks/copy.md": TASK + "estimate: -2h\n---\n"},
        "ws/tasks/copy.md:4:11: error PD112: negative duration `-2h`",
        "durations are zero or more, e.g. `2h`",
    ),
    (
        "PD113",
        {"workspace.yml": "workflows:\n  agency:\n    name: Agency\n"},
        "ws/workspace.yml:3:5: error PD113: workflow `agency` has no `columns`",
        "add a `columns:` list",
    ),
    (
        "PD114",
        {
            "people/anna.md": "---\nname: Anna Kovalenko\nnotify:\n"
            '  - "tgram://{TELEGRAM_TOKEN}/123456789"\n'
            '  - "mailto://anna:hunter22@smtp.example.com?to=anna@example.com"\n---\n'
        },
        "ws/people/anna.md:5:5: error PD114: "
        "the `password` of this `mailto://` channel is written in the record",
        "put the secret in an environment variable (your CI's secret store) and write its "
        "name in braces instead, e.g. `{MAILTO_PASSWORD}`",
    ),
    (
        "PD115",
        {"people/anna.md": "---\nname: Anna Kovalenko\nnotify: telegram://{TOKEN}/1234\n---\n"},
        "ws/people/anna.md:3:9: error PD115: "
        "`telegram` is not a notification channel Apprise knows",
        "write an Apprise URL such as `mailto://...`, `tgram://...`, `discord://...`, "
        "`slack://...` (see https://github.com/caronc/apprise/wiki)",
    ),
    (
        "PD116",
        {"contacts/olena.md": "---\nname: Olena\nlog:\n  - 2026-03-03 anna\n---\n"},
        "ws/contacts/olena.md:4:5: error PD116: malformed outreach entry `2026-03-03 anna`",
        "write `- 2026-03-10 anna-k email season-2026 replied note` (the channel may be left "
        "out) or `- {date: 2026-03-10, person: anna-k, about: season-2026, outcome: replied}`",
    ),
    (
        "PD201",
        {"tasks/copy.md": "---\ntitle: Write copy\nproject: sit\n---\n"},
        "ws/tasks/copy.md:3:10: error PD201: unknown project `sit`",
        "did you mean `site`?",
    ),
    (
        "PD202",
        {"tasks/do.md": "---\ntitle: Do it\nproject: site\nstatus: in-progres\n---\n"},
        "ws/tasks/do.md:4:9: error PD202: "
        "status `in-progres` is not a column of workflow `default`",
        "did you mean `in-progress`?",
    ),
    (
        "PD203",
        {"deals/big.md": DEAL + "stage: leed\n---\n"},
        "ws/deals/big.md:4:8: error PD203: stage `leed` is not a stage of pipeline `sales`",
        "did you mean `lead`?",
    ),
    (
        "PD204",
        {"deals/big.md": DEAL + "stage: lead\namount: 5000 GBP\n---\n"},
        "ws/deals/big.md:5:9: error PD204: currency `GBP` has no rate to USD",
        "add `GBP` to rates in workspace.yml",
    ),
    (
        "PD205",
        {"deals/big.md": DEAL + "pipeline: sale\nstage: lead\n---\n"},
        "ws/deals/big.md:4:11: error PD205: unknown pipeline `sale`",
        "did you mean `sales`?",
    ),
    (
        "PD401",
        {"tasks/copy.md": TASK + "due: 2026-03-13\n---\n"},
        "ws/tasks/copy.md:4:6: warning PD401: task overdue by 3 days (due 2026-03-13)",
        "move it to done, or set a new `due:` date",
    ),
    (
        "PD402",
        {"deals/big.md": DEAL + "stage: negotiation\nupdated: 2026-03-01\n---\n"},
        "ws/deals/big.md:5:10: warning PD402: "
        "deal idle for 15 days in stage `negotiation` (limit 7)",
        "take the next step and update `updated:`",
    ),
    (
        "PD403",
        {"contacts/olena.md": "---\nname: Olena Shevchuk\nfollow_up: 2026-03-10\n---\n"},
        "ws/contacts/olena.md:3:12: warning PD403: "
        "follow-up with Olena Shevchuk was due 2026-03-10",
        "get in touch, then set the next `follow_up:` date",
    ),
    (
        "PD404",
        {
            "people/oleh.md": "---\nname: Oleh\nactive: false\n---\n",
            "tasks/copy.md": TASK + "assignee: oleh\n---\n",
        },
        "ws/tasks/copy.md:4:11: warning PD404: open task assigned to inactive person `oleh`",
        "assign it to someone on the team",
    ),
    (
        "PD405",
        {
            f"tasks/t{i}.md": f"---\ntitle: Task {i}\nproject: site\nstatus: review\n---\n"
            for i in range(1, 5)
        },
        "ws/projects/site.md:1:1: warning PD405: column `review` holds 4 tasks, WIP limit 3",
        "finish or move tasks: t1, t2, t3, t4",
    ),
    (
        "PD406",
        {
            "workspace.yml": "name: Test Agency\ntimezone: Europe/Kyiv\nrates:\n  EUR: 1.08\n",
            "contacts/olena.md": '---\nname: Olena\nphone: "067 000 0001"\n---\n',
            "contacts/olena-s.md": '---\nname: Olena S.\nphone: "+380670000001"\n---\n',
        },
        "ws/contacts/olena.md:3:8: warning PD406: "
        "contact `olena` has the same phone as contact `olena-s`",
        "if they are one person, keep one record (move the notes over) and replace `olena` "
        "with `olena-s` where it is used",
    ),
    (
        "PD407",
        {
            "people/anna.md": "---\nname: Anna Kovalenko\n---\n",
            "contacts/olena.md": (
                "---\nname: Olena\nlog:\n  - 2026-03-10 anna site published\n---\n"
            ),
        },
        "ws/contacts/olena.md:4:5: warning PD407: "
        "outreach entry of 2026-03-10 is published but has no link",
        "add the publication's address to the entry (`link:`, or anywhere in its note)",
    ),
    (
        "PD408",
        {
            "people/oleh.md": "---\nname: Oleh\n---\n",
            "tasks/copy.md": TASK + "time: [2026-03-02 oleh 1h30m]\n---\n",
        },
        "ws/people/oleh.md:1:1: warning PD408: 1h30m logged by `oleh` has no cost: no `rate`",
        "add their cost per hour, e.g. `rate: 40 USD`, so reports can count it",
    ),
]


@pytest.mark.parametrize(
    ("code", "files", "headline", "hint"), CASES, ids=[case[0] for case in CASES]
)
def test_code(
    code: str,
    files: dict[str, str | bytes | Link],
    headline: str,
    hint: str,
    check: Check,
) -> None:
    result = check(files)
    assert [(p.headline(), p.hint) for p in result.problems] == [(headline, hint)]
    assert result.problems[0].code == code
    assert headline.split(": ")[1] == f"{CODES[code].severity.value} {code}"


def test_every_code_has_a_case() -> None:
    assert [case[0] for case in CASES] == list(CODES)


def test_codes_are_stable_and_well_formed() -> None:
    for key, code in CODES.items():
        assert key == code.code
        assert len(key) == 5 and key.startswith("PD") and key[2:].isdigit()
        assert code.title and code.severity in (Severity.ERROR, Severity.WARNING)
    warnings = {k for k, c in CODES.items() if c.severity is Severity.WARNING}
    assert warnings == {
        "PD010",
        "PD401",
        "PD402",
        "PD403",
        "PD404",
        "PD405",
        "PD406",
        "PD407",
        "PD408",
    }


def test_text_report_quotes_the_line_with_a_caret_and_the_hint(check: Check) -> None:
    result = check({"tasks/do.md": "---\ntitle: Do it\nproject: site\nstatus: in-progres\n---\n"})
    assert format_text(result.problems, result.summary()) == (
        "ws/tasks/do.md:4:9: error PD202: status `in-progres` is not a column of workflow "
        "`default`\n"
        "    status: in-progres\n"
        "            ^\n"
        "    hint: did you mean `in-progress`?\n"
        "1 error, 0 warnings in 5 records\n"
    )


def test_all_problems_in_one_run(check: Check) -> None:
    """Never stop at the first: every bad field of every file is reported, in order."""
    result = check(
        {
            "tasks/a.md": TASK + "due: 2026-02-30\nestimate: 2x\npriority: hgh\n---\n",
            "tasks/b.md": "---\ntitle: B\nproject: sit\nstatus: don\n---\n",
        }
    )
    assert [(p.path, p.line, p.col, p.code) for p in result.problems] == [
        ("ws/tasks/a.md", 4, 6, "PD104"),
        ("ws/tasks/a.md", 5, 11, "PD105"),
        ("ws/tasks/a.md", 6, 11, "PD107"),
        ("ws/tasks/b.md", 3, 10, "PD201"),
    ]
