"""Reading the tracked fields of old record versions, and the git log parser."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.history.blobs import FIELDS, snapshot, title_of
from builder.history.git import classify, parse_log
from builder.load.files import parse_record, read_record
from builder.load.yamltree import plain_value
from builder.problems import Problem


def test_fields_are_text_like_the_loader_reads_them() -> None:
    data = (
        b"---\ntitle: Homepage mock-ups\nproject: site\nstatus: design\nassignee: ~\n"
        b"due: 2026-03-12\nestimate: 6h\ntime:\n  - 2026-03-03 oleh-p 2h\n---\nBody\n"
    )
    assert snapshot("task", data) == {
        "title": "Homepage mock-ups",
        "project": "site",
        "status": "design",
        "assignee": None,
        "due": "2026-03-12",
    }
    assert snapshot("deal", b"---\ntitle: X\namount: 50000 UAH\nstage: lead\n---\n") == {
        "title": "X",
        "amount": "50000 UAH",
        "stage": "lead",
    }
    assert snapshot("contact", b"---\nname: Olena\n---\n") == {}


def test_bom_crlf_and_empty_front_matter() -> None:
    assert snapshot("task", b"\xef\xbb\xbf---\r\ntitle: A\r\nstatus: todo\r\n---\r\n") == {
        "title": "A",
        "status": "todo",
    }
    assert snapshot("task", b"---\n---\nbody\n") == {}


def test_text_with_yaml_marks_is_read_as_text() -> None:
    assert snapshot("task", b"---\ntitle: R&D *plan*!\nstatus: todo\n---\n") == {
        "title": "R&D *plan*!",
        "status": "todo",
    }
    assert snapshot("task", b"---\ntitle: [a, b]\nstatus: todo\n---\n") == {
        "title": None,
        "status": "todo",
    }


@pytest.mark.parametrize(
    "data",
    [
        b"no front matter\n",
        b"---\ntitle: unterminated\n",
        b'---\ntitle: "broken\nstatus: x\n---\n',
        b"---\n- a list\n---\n",
        b"---\ntitle: x\n\x00\n---\n",
        b"---\ntitle: \xff\n---\n",
        b"---\ntitle: &a x\nstatus: *a\n---\n",  # anchors are refused, as by the loader
        b"---\ntitle: !!python/object/apply:os.system [echo]\n---\n",
        b"---\na: " + b"[" * 100_000 + b"]" * 100_000 + b"\n---\n",  # no C-stack overflow
        b"---\na:\n" + b"- " * 60_000 + b"x\n---\n",
    ],
)
def test_broken_versions_give_none(data: bytes) -> None:
    assert snapshot("task", data) is None


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_never_raises_on_any_bytes(data: bytes) -> None:
    snapshot("task", b"---\n" + data + b"\n---\n")


def test_a_version_reads_as_the_loader_reads_the_file() -> None:
    """One parser: a duplicate key keeps its first value (as the record's page shows it),
    and nesting the loader refuses makes the version unreadable for history too."""
    twice = b"---\ntitle: A\nstatus: design\nstatus: done\n---\n"
    assert snapshot("task", twice) == {"title": "A", "status": "design"}
    deep = b"---\ntitle: A\nx: " + b"[" * 40 + b"]" * 40 + b"\n---\n"
    assert snapshot("task", deep) is None


def _both(data: bytes) -> tuple[object, list[Problem], object, list[Problem]]:
    """`parse_record` on bytes and `read_record` on the same bytes in a file."""
    from_bytes: list[Problem] = []
    from_file: list[Problem] = []
    record = parse_record("task", "tasks/a.md", data, from_bytes)
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "tasks").mkdir()
        (Path(tmp) / "tasks" / "a.md").write_bytes(data)
        read = read_record(Path(tmp), "task", "tasks/a.md", from_file)
    fields = None if record is None else (plain_value(record.fields), record.body, record.head)
    again = None if read is None else (plain_value(read.fields), read.body, read.head)
    return fields, from_bytes, again, from_file


@pytest.mark.parametrize(
    "data",
    [
        b"---\ntitle: A\nstatus: x\n---\nBody\n",
        b"\xef\xbb\xbf---\r\ntitle: A\r\n---\r\n",
        b"---\ntitle: A\ntitle: B\n---\n",
        b"---\ntitle: [\n---\n",
        b"---\ntitle: \xff\n---\n",
        b"---\n- a\n---\n",
        b"no front matter\n",
        b"",
        b"---\n" + b"x" * (4 * 1024 * 1024) + b"\n---\n",
    ],
)
def test_parse_record_on_bytes_is_read_record_on_a_file(data: bytes) -> None:
    fields, problems, again, file_problems = _both(data)
    assert fields == again
    assert [(p.code, p.line, p.col, p.message) for p in problems] == [
        (p.code, p.line, p.col, p.message) for p in file_problems
    ]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="ab: -[]{}\"'#\n\t&*!|>~", max_size=80))
def test_a_snapshot_is_the_loaders_tree(front: str) -> None:
    data = f"---\n{front}\n---\n".encode()
    fields, _, again, _ = _both(data)
    assert fields == again
    snap = snapshot("task", data)
    if again is None:
        assert snap is None
    else:
        tree = again[0]  # type: ignore[index]
        assert isinstance(tree, dict) and snap is not None
        assert set(snap) == {name for name in FIELDS["task"] if name in tree}


def test_title_of() -> None:
    assert title_of("task", {"title": "T"}) == "T"
    assert title_of("project", {"name": "P"}) == "P"
    assert title_of("task", None) is None


def test_classify_follows_the_loader() -> None:
    assert classify("tasks/site/x.md") == ("task", "x")
    assert classify("deals/a.MD") == ("deal", "a")
    assert classify("tasks/.hidden/x.md") is None
    assert classify("notes/x.md") is None
    assert classify("workspace.yml") is None
    assert classify("tasks/x.png") is None


def header(*fields: str) -> str:
    """A commit header as `git log --format=<_HEADER>` writes it, NUL-terminated (`-z`)."""
    return "\x1e" + "\0".join(fields) + "\0"


def test_parse_log_raw_output() -> None:
    sha1, sha2 = "a" * 40, "b" * 40
    blob1, blob2, zero = "1" * 40, "2" * 40, "0" * 40
    out = (
        header(sha2, sha1, "Anna", "anna@x", "2026-03-03T09:00:00+02:00", "1772521200", "1")
        + f"\n:100644 100644 {blob1} {blob2} R090\0content/tasks/a.md\0content/tasks/b/c.md\0"
        + f":000000 100644 {zero} {blob1} A\0content/notes.txt\0"
        + header(sha1, "", "Oleh", "oleh@x", "2026-03-02T09:00:00-05:00", "1772460000", "2")
        + f"\n:000000 100644 {zero} {blob1} A\0content/tasks/a.md\0"
    ).encode()
    commits = parse_log(out, "content/")
    assert [c.sha for c in commits] == [sha2, sha1]
    first = commits[0]
    assert (first.parents, first.name, first.email) == ((sha1,), "Anna", "anna@x")
    assert [(x.status, x.old_path, x.new_path) for x in first.changes] == [
        ("R", "tasks/a.md", "tasks/b/c.md")
    ]
    assert commits[1].parents == ()
    assert commits[1].when.utcoffset() is not None
    assert [(x.status, x.old_blob, x.new_blob) for x in commits[1].changes] == [("A", None, blob1)]
