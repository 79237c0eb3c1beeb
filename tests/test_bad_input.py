"""Hostile and broken input: each file gets a clean problem and the rest still loads."""

from __future__ import annotations

import json
import pathlib
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path

import pytest

from builder.load.files import MAX_FILE_BYTES
from builder.pipeline import CheckResult, run_check
from builder.problems import Problem
from builder.report import format_github, format_json, format_text

TODAY = date(2026, 3, 16)
GOOD = {
    "people/anna.md": "---\nname: Anna Kovalenko\n---\n",
    "companies/acme.md": "---\nname: Acme\nkind: client\n---\n",
    "projects/site.md": "---\nname: Site\ncompany: acme\n---\n",
    "tasks/ok.md": "---\ntitle: A good task\nproject: site\nassignee: anna\n---\nBody.\n",
}
TASK = "---\ntitle: Write copy\nproject: site\n"


Check = Callable[[Mapping[str, str | bytes]], CheckResult]
MakeWorkspace = Callable[[Path, Mapping[str, str | bytes]], Path]


@pytest.fixture
def check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_workspace: MakeWorkspace) -> Check:
    """Check GOOD plus `files` from tmp_path, so problem paths read `ws/...`."""
    monkeypatch.chdir(tmp_path)

    def run(files: Mapping[str, str | bytes]) -> CheckResult:
        make_workspace(tmp_path, {**GOOD, **files})
        return run_check(Path("ws"), TODAY)

    return run


def where(result: CheckResult) -> list[tuple[str, int, int, str]]:
    return [(p.path, p.line, p.col, p.code) for p in result.problems]


def assert_good_loaded(result: CheckResult) -> None:
    """The healthy records around the bad file are all there."""
    ws = result.workspace
    assert "anna" in ws.people and "acme" in ws.companies and "site" in ws.projects
    assert ws.tasks["ok"].title == "A good task"
    assert ws.tasks["ok"].body == "Body.\n"


def assert_reported_everywhere(result: CheckResult) -> None:
    """All three report formats render the problems without raising."""
    summary = result.summary()
    assert format_text(result.problems, summary).endswith(f"\n{summary}\n")
    assert format_github(result.problems, summary).count("\n") == len(result.problems) + 1
    payload = json.loads(format_json(result.problems, summary, {}))
    assert [Problem.from_dict(p) for p in payload["problems"]] == result.problems


# (id, files, expected [(path, line, col, code)], a fragment of the first message)
BROKEN: list[tuple[str, dict[str, str | bytes], list[tuple[str, int, int, str]], str]] = [
    (
        "no-front-matter",
        {"tasks/a.md": "# Title\n\nJust text.\n"},
        [("ws/tasks/a.md", 1, 1, "PD002")],
        "front matter missing",
    ),
    (
        "blank-lines-before-front-matter",
        {"tasks/a.md": "\n\n" + TASK + "---\n"},
        [("ws/tasks/a.md", 1, 1, "PD002")],
        "front matter missing",
    ),
    (
        "unterminated",
        {"tasks/a.md": TASK + "status: todo\n"},
        [("ws/tasks/a.md", 1, 1, "PD003")],
        "not terminated",
    ),
    (
        "only-opening-line",
        {"tasks/a.md": "---\n"},
        [("ws/tasks/a.md", 1, 1, "PD003")],
        "not terminated",
    ),
    (
        "yaml-unclosed-bracket",
        {"tasks/a.md": TASK + "tags: [a, b\n---\nbody\n"},
        [("ws/tasks/a.md", 4, 7, "PD004")],
        "did not find expected ',' or ']' while parsing a flow sequence",
    ),
    (
        "yaml-unclosed-quote",
        {"tasks/a.md": '---\ntitle: "Write copy\nproject: site\n---\n'},
        [("ws/tasks/a.md", 2, 8, "PD004")],
        "while scanning a quoted scalar",
    ),
    (
        "yaml-tab-indent",
        {"tasks/a.md": "---\ntitle: A\n\tproject: site\n---\n"},
        [("ws/tasks/a.md", 3, 1, "PD004")],
        "tab character",
    ),
    (
        "yaml-bad-indent",
        {"tasks/a.md": TASK + "tags:\n  - a\n - b\n---\n"},
        [("ws/tasks/a.md", 6, 2, "PD004")],
        "did not find expected key",
    ),
    (
        "yaml-colon-in-value",
        {"tasks/a.md": "---\ntitle: Launch: phase 2\nproject: site\n---\n"},
        [("ws/tasks/a.md", 2, 14, "PD004")],
        "mapping values are not allowed",
    ),
    (
        "yaml-control-character",
        {"tasks/a.md": TASK + "note: \x01\n---\n"},
        [("ws/tasks/a.md", 4, 7, "PD004")],
        "unacceptable character #x0001",
    ),
    (
        "yaml-complex-key",
        {"tasks/a.md": "---\n? [a]\n: b\n---\n"},
        [("ws/tasks/a.md", 2, 3, "PD004")],
        "a mapping key must be plain text",
    ),
    (
        "non-utf8",
        {"tasks/a.md": b"---\ntitle: A\nproject: site\nnote: \xff\xfe\n---\n"},
        [("ws/tasks/a.md", 4, 7, "PD001")],
        "not UTF-8: byte 0xff",
    ),
    (
        "utf16",
        {"tasks/a.md": "---\ntitle: A\n---\n".encode("utf-16")},
        [("ws/tasks/a.md", 1, 1, "PD001")],
        "binary file",
    ),
    (
        "binary-png",
        {"tasks/a.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"},
        [("ws/tasks/a.md", 1, 1, "PD001")],
        "binary file",
    ),
    ("empty", {"tasks/a.md": ""}, [("ws/tasks/a.md", 1, 1, "PD009")], "empty file"),
    (
        "whitespace-only",
        {"tasks/a.md": " \n\n\t\n"},
        [("ws/tasks/a.md", 1, 1, "PD009")],
        "empty file",
    ),
    (
        "front-matter-list",
        {"tasks/a.md": "---\n- title\n- project\n---\n"},
        [("ws/tasks/a.md", 2, 1, "PD005")],
        "not a mapping",
    ),
    (
        "front-matter-scalar",
        {"tasks/a.md": "---\njust a sentence\n---\n"},
        [("ws/tasks/a.md", 2, 1, "PD005")],
        "not a mapping",
    ),
    (
        "front-matter-quoted",
        {"tasks/a.md": '---\n"null"\n---\n'},
        [("ws/tasks/a.md", 2, 1, "PD005")],
        "not a mapping",
    ),
    (
        "deep-flow-sequences",
        {"tasks/a.md": "---\ntitle: " + "[" * 100_000 + "\n---\n"},
        [("ws/tasks/a.md", 2, 39, "PD007")],
        "nested deeper than 32",
    ),
    (
        "deep-flow-mappings",
        {"tasks/a.md": "---\nx: " + "{a: " * 100_000 + "\n---\n"},
        [("ws/tasks/a.md", 2, 128, "PD007")],
        "nested deeper than 32",
    ),
    (
        "deep-block-sequences",
        {"tasks/a.md": "---\n" + "- " * 100_000 + "x\n---\n"},
        [("ws/tasks/a.md", 2, 65, "PD007")],
        "nested deeper than 32",
    ),
    (
        "alias-bomb",
        {
            "tasks/a.md": "---\n"
            + "".join(
                f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}" if i else '"lol"'] * 9) + "]\n"
                for i in range(10)
            )
            + "---\n"
        },
        [("ws/tasks/a.md", 2, 5, "PD006")],
        "YAML anchor `&l0` is not supported",
    ),
    (
        "alias-without-anchor",
        {"tasks/a.md": TASK + "tags: *x\n---\n"},
        [("ws/tasks/a.md", 4, 7, "PD006")],
        "YAML alias `*x`",
    ),
    (
        "python-apply",
        {"tasks/a.md": '---\ntitle: !!python/object/apply:os.system ["touch pwned"]\n---\n'},
        [("ws/tasks/a.md", 2, 8, "PD006")],
        "python/object/apply:os.system",
    ),
    (
        "python-name",
        {"tasks/a.md": "---\n!!python/name:os.system\n---\n"},
        [("ws/tasks/a.md", 2, 1, "PD006")],
        "python/name:os.system",
    ),
    (
        "python-verbatim",
        {"tasks/a.md": "---\ntitle: !<tag:yaml.org,2002:python/object:builtins.dict> {}\n---\n"},
        [("ws/tasks/a.md", 2, 8, "PD006")],
        "python/object:builtins.dict",
    ),
    (
        "python-tag-on-key",
        {"tasks/a.md": TASK + "? !!python/object/new:os.system [touch pwned]\n: 1\n---\n"},
        [("ws/tasks/a.md", 4, 3, "PD006")],
        "python/object/new:os.system",
    ),
    (
        "binary-tag",
        {"tasks/a.md": TASK + "note: !!binary aGVsbG8=\n---\n"},
        [("ws/tasks/a.md", 4, 7, "PD006")],
        "tag:yaml.org,2002:binary",
    ),
    (
        "set-tag",
        {"tasks/a.md": TASK + "tags: !!set {a, b}\n---\n"},
        [("ws/tasks/a.md", 4, 7, "PD006")],
        "tag:yaml.org,2002:set",
    ),
    (
        "local-tag",
        {"tasks/a.md": TASK + "note: !custom x\n---\n"},
        [("ws/tasks/a.md", 4, 7, "PD006")],
        "`!custom`",
    ),
    (
        "bad-id-space",
        {"tasks/Bad Id.md": TASK + "---\n"},
        [("ws/tasks/Bad Id.md", 1, 1, "PD108")],
        "bad id `Bad Id`",
    ),
    (
        "bad-id-dots",
        {"tasks/a..b.md": TASK + "---\n"},
        [("ws/tasks/a..b.md", 1, 1, "PD108")],
        "bad id `a..b`",
    ),
    (
        "ref-dot-dot",
        {"tasks/a.md": "---\ntitle: A\nproject: ../secret\n---\n"},
        [("ws/tasks/a.md", 3, 10, "PD108")],
        "bad id `../secret` in reference",
    ),
    (
        "ref-slash-and-space",
        {"tasks/a.md": TASK + 'participants: [anna, "x y"]\nassignee: a/b\n---\n'},
        [("ws/tasks/a.md", 4, 22, "PD108"), ("ws/tasks/a.md", 5, 11, "PD108")],
        "bad id `x y` in reference",
    ),
    (
        "date-feb-30",
        {"tasks/a.md": TASK + "due: 2026-02-30\n---\n"},
        [("ws/tasks/a.md", 4, 6, "PD104")],
        "no such day in the calendar",
    ),
    (
        "date-not-leap-year",
        {"contacts/c.md": "---\nname: C\nfollow_up: 2026-02-29\n---\n"},
        [("ws/contacts/c.md", 3, 12, "PD104")],
        "no such day",
    ),
    (
        "date-short-form",
        {"tasks/a.md": TASK + "start: 26-1-1\n---\n"},
        [("ws/tasks/a.md", 4, 8, "PD104")],
        "not in YYYY-MM-DD form",
    ),
    (
        "date-non-ascii-digits",
        {"tasks/a.md": TASK + "due: ٢٠٢٦-٠٣-١٦\n---\n"},
        [("ws/tasks/a.md", 4, 6, "PD104")],
        "not in YYYY-MM-DD form",
    ),
    (
        "negative-estimate",
        {"tasks/a.md": TASK + "estimate: -2h\n---\n"},
        [("ws/tasks/a.md", 4, 11, "PD112")],
        "negative duration `-2h`",
    ),
    (
        "negative-cadence",
        {"contacts/c.md": "---\nname: C\ncadence: -30d\n---\n"},
        [("ws/contacts/c.md", 3, 10, "PD112")],
        "negative interval `-30d`",
    ),
    (
        "negative-price",
        {"tasks/a.md": TASK + "price: -300 USD\n---\n"},
        [("ws/tasks/a.md", 4, 8, "PD112")],
        "negative amount `-300 USD`",
    ),
    (
        "negative-budget",
        {"projects/p.md": "---\nname: P\ncompany: acme\nbudget: -1\n---\n"},
        [("ws/projects/p.md", 4, 9, "PD112")],
        "negative amount",
    ),
    (
        "negative-rate-and-capacity",
        {"people/b.md": "---\nname: B\nrate: -45 USD\ncapacity: -3\n---\n"},
        [("ws/people/b.md", 3, 7, "PD112"), ("ws/people/b.md", 4, 11, "PD112")],
        "negative amount",
    ),
    (
        "negative-time-logged",
        {"tasks/a.md": TASK + "time:\n  - 2026-03-01 anna -1h\n---\n"},
        [("ws/tasks/a.md", 5, 5, "PD111")],
        "bad duration `-1h`",
    ),
    (
        "huge-number",
        {
            "deals/d.md": "---\ntitle: D\ncompany: acme\nstage: lead\nprobability: "
            + "9" * 400
            + "\n---\n"
        },
        [("ws/deals/d.md", 5, 14, "PD103")],
        "is too large",
    ),
    (
        "huge-duration",
        {"tasks/a.md": TASK + "estimate: " + "9" * 400 + "h\n---\n"},
        [("ws/tasks/a.md", 4, 11, "PD105")],
        "is too long",
    ),
    (
        "settings-not-mapping",
        {"workspace.yml": "- a\n- b\n"},
        [("ws/workspace.yml", 1, 1, "PD005")],
        "not a mapping",
    ),
    (
        "settings-binary",
        {"workspace.yml": b"\x00\x01\x02"},
        [("ws/workspace.yml", 1, 1, "PD001")],
        "binary file",
    ),
    (
        "settings-two-documents",
        {"workspace.yml": "name: A\n---\nname: B\n"},
        [("ws/workspace.yml", 2, 1, "PD004")],
        "more than one YAML document",
    ),
    (
        "settings-syntax",
        {"workspace.yml": "name: Agency\nrates: {EUR: 1.08\n"},
        [("ws/workspace.yml", 2, 8, "PD004")],
        "while parsing a flow mapping",
    ),
]


@pytest.mark.parametrize(
    ("files", "expected", "message"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN]
)
def test_broken_file(
    files: dict[str, str | bytes],
    expected: list[tuple[str, int, int, str]],
    message: str,
    check: Check,
) -> None:
    result = check(files)
    assert where(result) == expected
    assert message in result.problems[0].message
    assert all("\n" not in p.message and p.hint for p in result.problems)
    if "workspace.yml" in files:  # broken settings: records are not typed against defaults
        assert result.workspace.tasks == {} and result.workspace.people == {}
    else:
        assert_good_loaded(result)
    assert_reported_everywhere(result)


def test_python_tags_run_nothing(check: Check, tmp_path: Path) -> None:
    result = check(
        {"tasks/a.md": '---\ntitle: !!python/object/apply:os.system ["touch pwned"]\n---\n'},
    )
    assert where(result) == [("ws/tasks/a.md", 2, 8, "PD006")]
    assert not (tmp_path / "pwned").exists()


def test_duplicate_key_keeps_first_value_and_loads(check: Check) -> None:
    result = check({"tasks/a.md": TASK + "title: Second\n---\n"})
    assert where(result) == [("ws/tasks/a.md", 4, 1, "PD008")]
    assert result.workspace.tasks["a"].title == "Write copy"
    assert_good_loaded(result)


def test_bad_file_name_still_reports_its_fields(check: Check) -> None:
    result = check({"tasks/Bad Id.md": TASK + "due: 2026-02-30\n---\n"})
    assert where(result) == [
        ("ws/tasks/Bad Id.md", 1, 1, "PD108"),
        ("ws/tasks/Bad Id.md", 4, 6, "PD104"),
    ]
    assert result.problems[0].hint == "rename the file to `bad-id.md`"


BOM = b"\xef\xbb\xbf"
BAD_STATUS = ["---", "title: A", "project: site", "status: bad", "---", "Body line.", ""]


@pytest.mark.parametrize(
    "raw",
    [
        BOM + "\n".join(BAD_STATUS).encode(),
        "\r\n".join(BAD_STATUS).encode(),
        BOM + "\r\n".join(BAD_STATUS).encode(),
        "\r".join(BAD_STATUS).encode(),
    ],
    ids=["bom", "crlf", "bom-crlf", "cr"],
)
def test_bom_and_line_endings_load_with_right_lines(raw: bytes, check: Check) -> None:
    result = check({"tasks/a.md": raw})
    assert where(result) == [("ws/tasks/a.md", 4, 9, "PD202")]
    task = result.workspace.tasks["a"]
    assert (task.title, task.body, task.body_line) == ("A", "Body line.\n", 6)
    assert task.at("status") == (4, 9)
    assert_good_loaded(result)
    text = format_text(result.problems, result.summary())
    assert "    status: bad\n            ^\n" in text


def test_clean_bom_crlf_workspace_has_no_problems(check: Check) -> None:
    files: dict[str, str | bytes] = {
        rel: BOM + text.replace("\n", "\r\n").encode() for rel, text in GOOD.items()
    }
    files["workspace.yml"] = BOM + b"name: Windows Agency\r\nbase_currency: EUR\r\n"
    result = check(files)
    assert result.problems == []
    assert result.workspace.settings.name == "Windows Agency"
    assert_good_loaded(result)


def test_huge_file_is_rejected_by_size_without_reading(
    check: Check, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    huge = tmp_path / "ws" / "tasks" / "huge.md"
    huge.parent.mkdir(parents=True)
    with huge.open("wb") as out:  # sparse: 50 MB on paper, nothing on disk
        out.truncate(50 * 1024 * 1024)
    read: list[str] = []
    real_read_bytes = pathlib.Path.read_bytes

    def spy(self: pathlib.Path) -> bytes:
        read.append(self.name)
        return real_read_bytes(self)

    monkeypatch.setattr(pathlib.Path, "read_bytes", spy)
    result = check({})
    assert [(p.headline(), p.hint) for p in result.problems] == [
        (
            "ws/tasks/huge.md:1:1: error PD007: file is 50.0 MB; a record may be at most 4 MB",
            "move large material out of the workspace and link to it",
        )
    ]
    assert_good_loaded(result)
    text = format_text(result.problems, result.summary())  # quoting a line must not read it
    assert text.startswith("ws/tasks/huge.md:1:1: error PD007")
    assert "huge.md" not in read


def test_file_just_under_the_limit_is_read(check: Check) -> None:
    body = "x" * (MAX_FILE_BYTES - 100) + "\n"
    result = check({"tasks/big.md": TASK + "---\n" + body[: -len(TASK) - 4]})
    assert result.problems == []
    assert "big" in result.workspace.tasks


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: p.symlink_to(p.with_name("nowhere.md")), "No such file or directory"),
        (lambda p: p.symlink_to(p), "Too many levels of symbolic links"),
    ],
    ids=["dangling-symlink", "symlink-loop"],
)
def test_unreadable_file(make: object, reason: str, check: Check, tmp_path: Path) -> None:
    """An OSError on read is PD001 (a symlink fails even for root, unlike chmod 000)."""
    target = tmp_path / "ws" / "tasks" / "gone.md"
    target.parent.mkdir(parents=True)
    make(target)  # type: ignore[operator]
    result = check({})
    assert [(p.headline(), p.hint) for p in result.problems] == [
        (
            f"ws/tasks/gone.md:1:1: error PD001: cannot read file: {reason}",
            "check the file's permissions",
        )
    ]
    assert_good_loaded(result)
    assert_reported_everywhere(result)


def test_non_markdown_and_hidden_files_are_ignored(check: Check) -> None:
    result = check(
        {
            "tasks/photo.png": b"\x89PNG\r\n\x1a\n\x00\x00",
            "tasks/.DS_Store": b"\x00\x00\x00\x01Bud1",
            "people/avatar.jpg": b"\xff\xd8\xff\xe0",
            "tasks/.hidden.md": b"\x00binary",
            ".git/HEAD.md": b"\x00",
            "companies/notes.txt": "not a record",
            "README.md": "# The workspace\n",
            "index.md": "Start here.\n",
        },
    )
    assert result.problems == []
    assert result.files == len(GOOD)
    assert_good_loaded(result)


def test_folder_named_like_a_record_is_a_folder(check: Check) -> None:
    result = check({"tasks/x.md/inner.md": TASK + "---\n"})
    assert result.problems == []
    assert "inner" in result.workspace.tasks and "x" not in result.workspace.tasks


def test_many_broken_files_at_once(check: Check) -> None:
    """One run reports every broken file; none stops the others."""
    files: dict[str, str | bytes] = {
        f"tasks/b{i}.md": case[1]["tasks/a.md"]
        for i, case in enumerate(BROKEN)
        if "tasks/a.md" in case[1]
    }
    assert len(files) > 30
    result = check(files)
    assert {p.path for p in result.problems} == {f"ws/{rel}" for rel in files}
    assert_good_loaded(result)
