"""Edit commands change only the lines they must: key order, comments, quoting, blank
lines, flow mappings, CRLF/CR/mixed line endings, a BOM and the body stay byte for byte.

Each case runs the real command on a file and compares every byte of the result."""

from __future__ import annotations

from pathlib import Path

import pytest
from edit_cases import run, workspace

from builder.pipeline import run_check

HERO = """\
---
# the hero banner for the new site
title: "Hero: banner"   # quoted, it has a colon
project: site
status: design          # where it is now
assignee: anna
participants: [oleh]    # flow list
start: 2026-03-10

time:
  - {date: 2026-03-02, person: anna, spent: 1h, note: "sketch"}   # flow mapping
tags: [design]
client_visible: yes
---
Body with trailing spaces   \n\
- [ ] item
"""


def _as(text: str, ending: str = "\n", bom: bool = False) -> bytes:
    return (("\ufeff" if bom else "") + text.replace("\n", ending)).encode("utf-8")


STYLES = {
    "lf": {"ending": "\n"},
    "crlf": {"ending": "\r\n"},
    "crlf+bom": {"ending": "\r\n", "bom": True},
    "cr": {"ending": "\r"},
    "bom": {"bom": True},
}


def _edit(tmp_path: Path, before: bytes, *args: str, rel: str = "tasks/hero.md") -> bytes:
    root = workspace(tmp_path, {rel: before})
    result = run(root, *args)
    assert result.exit_code == 0, result.output
    after = (root / rel).read_bytes()
    assert not [p for p in run_check(root).problems if p.is_error]
    return after


@pytest.mark.parametrize("style", STYLES)
def test_move_changes_the_value_and_nothing_else(tmp_path: Path, style: str) -> None:
    fmt = STYLES[style]
    after = _edit(tmp_path, _as(HERO, **fmt), "move", "hero", "review")  # type: ignore[arg-type]
    expected = HERO.replace("status: design          #", "status: review          #")
    assert after == _as(expected, **fmt)  # type: ignore[arg-type]


@pytest.mark.parametrize("style", STYLES)
def test_a_new_field_goes_after_the_one_before_it_in_the_schema(tmp_path: Path, style: str) -> None:
    fmt = STYLES[style]
    after = _edit(tmp_path, _as(HERO, **fmt), "due", "hero", "fri")  # type: ignore[arg-type]
    expected = HERO.replace("start: 2026-03-10\n", "start: 2026-03-10\ndue: 2026-03-20\n")
    assert after == _as(expected, **fmt)  # type: ignore[arg-type]


@pytest.mark.parametrize("style", STYLES)
def test_log_adds_a_flow_mapping_after_flow_mappings(tmp_path: Path, style: str) -> None:
    fmt = STYLES[style]
    after = _edit(
        tmp_path,
        _as(HERO, **fmt),  # type: ignore[arg-type]
        "log",
        "hero",
        "1h30m",
        "copy: second pass",
        "--person",
        "oleh",
    )
    line = "  - {date: 2026-03-16, person: oleh, spent: 1h30m, note: 'copy: second pass'}\n"
    expected = HERO.replace("# flow mapping\n", "# flow mapping\n" + line)
    assert after == _as(expected, **fmt)  # type: ignore[arg-type]


@pytest.mark.parametrize("style", STYLES)
def test_note_appends_a_dated_line_to_the_body(tmp_path: Path, style: str) -> None:
    fmt = STYLES[style]
    after = _edit(tmp_path, _as(HERO, **fmt), "note", "hero", "Client liked it")  # type: ignore[arg-type]
    assert after == _as(HERO + "\n- 2026-03-16: Client liked it\n", **fmt)  # type: ignore[arg-type]


def test_mixed_line_endings_keep_each_lines_own(tmp_path: Path) -> None:
    before = b"---\r\ntitle: Hero\nproject: site\r\nstatus: design\n---\r\nBody\r\n"
    after = _edit(tmp_path, before, "assign", "hero", "oleh")
    # a new line ends the way the line above it ends (LF, under `status`)
    assert after == (
        b"---\r\ntitle: Hero\nproject: site\r\nstatus: design\nassignee: oleh\n---\r\nBody\r\n"
    )


@pytest.mark.parametrize(
    ("before", "args", "after"),
    [
        # an empty value with a comment: filled in, the comment stays
        (
            "---\ntitle: Hero\nproject: site\nassignee:   # who\n---\n",
            ("assign", "hero", "oleh"),
            "---\ntitle: Hero\nproject: site\nassignee: oleh   # who\n---\n",
        ),
        # null written out
        (
            "---\ntitle: Hero\nproject: site\nassignee: ~\n---\n",
            ("assign", "hero", "oleh"),
            "---\ntitle: Hero\nproject: site\nassignee: oleh\n---\n",
        ),
        # a quoted value is replaced whole, quotes and all
        (
            "---\ntitle: Hero\nproject: site\nstatus: 'design'  # c\n---\n",
            ("move", "hero", "review"),
            "---\ntitle: Hero\nproject: site\nstatus: review  # c\n---\n",
        ),
        # a value on the line after its key
        (
            "---\ntitle: Hero\nproject: site\nstatus:\n  design\ndue: 2026-03-20\n---\n",
            ("move", "hero", "review"),
            "---\ntitle: Hero\nproject: site\nstatus:\n  review\ndue: 2026-03-20\n---\n",
        ),
        # a folded block scalar becomes one plain line
        (
            "---\ntitle: Hero\nproject: site\nstatus: >\n  design\n\ndue: 2026-03-20\n---\n",
            ("move", "hero", "review"),
            "---\ntitle: Hero\nproject: site\nstatus: review\ndue: 2026-03-20\n---\n",
        ),
        # a column given by its name, in any case
        (
            "---\ntitle: Hero\nproject: site\nstatus: queue\n---\n",
            ("move", "hero", "at DESIGNER"),
            "---\ntitle: Hero\nproject: site\nstatus: design\n---\n",
        ),
        # after the last field written that comes before it in the schema, wherever that is
        (
            "---\n# comment\ndue: 2026-03-20\ntitle: Hero\nproject: site\n---\n",
            ("move", "hero", "review"),
            "---\n# comment\ndue: 2026-03-20\ntitle: Hero\nproject: site\nstatus: review\n---\n",
        ),
        # after a block scalar, past its last line
        (
            "---\ntitle: |\n  Hero\n  banner\nproject: site\nstatus: queue\n---\nx\n",
            ("assign", "hero", "anna"),
            "---\ntitle: |\n  Hero\n  banner\nproject: site\nstatus: queue\nassignee: anna\n"
            "---\nx\n",
        ),
        # time logs: a one-line entry after one-line entries, the list's own indentation
        (
            "---\ntitle: Hero\nproject: site\ntime:\n- 2026-03-02 anna 1h sketch\ntags: [x]\n---\n",
            ("log", "hero", "2h", "--person", "anna", "--date", "yesterday"),
            "---\ntitle: Hero\nproject: site\ntime:\n- 2026-03-02 anna 1h sketch\n"
            "- 2026-03-15 anna 2h\ntags: [x]\n---\n",
        ),
        # ... into a flow list, before its bracket
        (
            "---\ntitle: Hero\nproject: site\ntime: [2026-03-02 anna 1h sketch]  # log\n---\n",
            ("log", "hero", "2h", "copy", "--person", "anna"),
            "---\ntitle: Hero\nproject: site\n"
            "time: [2026-03-02 anna 1h sketch, 2026-03-16 anna 2h copy]  # log\n---\n",
        ),
        # ... a flow list over several lines
        (
            "---\ntitle: Hero\nproject: site\ntime: [\n  2026-03-02 anna 1h sketch\n]\n---\n",
            ("log", "hero", "2h", "--person", "anna"),
            "---\ntitle: Hero\nproject: site\ntime: [\n  2026-03-02 anna 1h sketch, "
            "2026-03-16 anna 2h\n]\n---\n",
        ),
        # ... an empty flow list
        (
            "---\ntitle: Hero\nproject: site\ntime: []\n---\n",
            ("log", "hero", "2h", "--person", "anna"),
            "---\ntitle: Hero\nproject: site\ntime: [2026-03-16 anna 2h]\n---\n",
        ),
        # ... an empty value, its comment kept on its line
        (
            "---\ntitle: Hero\nproject: site\ntime:  # log here\nestimate: 2h\n---\n",
            ("log", "hero", "2h", "--person", "anna"),
            "---\ntitle: Hero\nproject: site\ntime:  # log here\n  - 2026-03-16 anna 2h\n"
            "estimate: 2h\n---\n",
        ),
        # ... no log yet: a block list, after the estimate
        (
            "---\ntitle: Hero\nproject: site\nestimate: 2h\ntags: [x]\n---\n",
            ("log", "hero", "45m", "a #1 fix", "--person", "anna"),
            "---\ntitle: Hero\nproject: site\nestimate: 2h\ntime:\n"
            "  - '2026-03-16 anna 45m a #1 fix'\ntags: [x]\n---\n",  # ` #` would start a comment
        ),
        # notes: right under the notes before, after a blank line under other text
        (
            "---\ntitle: Hero\nproject: site\n---\n- 2026-03-01: first\n",
            ("note", "hero", "second\nline two"),
            "---\ntitle: Hero\nproject: site\n---\n- 2026-03-01: first\n"
            "- 2026-03-16: second\n  line two\n",
        ),
        (
            "---\ntitle: Hero\nproject: site\n---\nNo newline at the end",
            ("note", "hero", "n"),
            "---\ntitle: Hero\nproject: site\n---\nNo newline at the end\n\n- 2026-03-16: n\n",
        ),
        (
            "---\ntitle: Hero\nproject: site\n---\n",
            ("note", "hero", "first"),
            "---\ntitle: Hero\nproject: site\n---\n- 2026-03-16: first\n",
        ),
    ],
)
def test_in_place(tmp_path: Path, before: str, args: tuple[str, ...], after: str) -> None:
    assert _edit(tmp_path, before.encode(), *args).decode() == after


def test_follow_up_and_due_keep_the_rest_of_a_contact(tmp_path: Path) -> None:
    before = (
        "\ufeff---\r\nname: \"Олена Шевчук\"\r\ncompany: acme\r\nchat: {telegram: '@o'}\r\n"
        "follow_up: 2026-03-18   # after the premiere\r\ncadence: 14d\r\n---\r\n"
        "Private notes.\r\n"
    ).encode()
    after = _edit(tmp_path, before, "follow-up", "olena", "done", rel="contacts/olena.md")
    assert after == before.replace(b"2026-03-18", b"2026-03-30")
