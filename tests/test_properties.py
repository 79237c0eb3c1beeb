"""Property tests: no record file, however broken, makes the pipeline raise."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.load.yamltree import YamlProblem, parse
from builder.pipeline import CheckResult, run_check
from builder.problems import CODES
from builder.report import format_github, format_json, format_text
from builder.validate.values import (
    MAX_DATE,
    MIN_DATE,
    DateRangeError,
    parse_date,
    parse_duration,
)

FAST = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
BASE = {
    "people/anna.md": "---\nname: Anna\n---\n",
    "companies/acme.md": "---\nname: Acme\nkind: client\n---\n",
    "projects/site.md": "---\nname: Site\ncompany: acme\n---\n",
}
FIELDS = ["title", "project", "status", "due", "start", "estimate", "time", "tags", "price"]
# YAML-ish text: the characters that make YAML interesting, mixed with the field names.
YAMLISH = st.text(
    alphabet=st.sampled_from(list("-:[]{},&*!?|>'\"#%@`\n\t .0123456789abhmdUSD\r\x00\x85")),
    max_size=80,
) | st.lists(
    st.tuples(
        st.sampled_from(FIELDS),
        st.text(max_size=20),
    ),
    max_size=6,
).map(lambda pairs: "".join(f"{k}: {v}\n" for k, v in pairs))


@pytest.fixture(scope="module")
def workspace(
    make_workspace: Callable[[Path, Mapping[str, str | bytes]], Path],
) -> Iterator[Path]:
    """One workspace for all examples; each example rewrites `tasks/fuzz.md`."""
    with tempfile.TemporaryDirectory() as tmp:
        root = make_workspace(Path(tmp), BASE)
        (root / "tasks").mkdir()
        yield root


def check_file(root: Path, content: str | bytes) -> CheckResult:
    """Write one task file, check the workspace and render every report format."""
    target = root / "tasks" / "fuzz.md"
    if isinstance(content, str):
        content = content.encode("utf-8", "surrogatepass")
    target.write_bytes(content)
    result = run_check(root, date(2026, 3, 16))
    for p in result.problems:
        assert p.code in CODES
        assert p.line >= 0 and p.col >= 0
    summary = result.summary()
    format_text(result.problems, summary)
    format_json(result.problems, summary, {})
    format_github(result.problems, summary)
    # the file is either a loaded record or reported; the others always load
    loaded = "fuzz" in result.workspace.tasks
    assert loaded or any(p.path.endswith("fuzz.md") for p in result.problems)
    assert {"anna"} <= set(result.workspace.people) and "site" in result.workspace.projects
    return result


@FAST
@given(st.text())
def test_any_text_as_a_record(workspace: Path, text: str) -> None:
    check_file(workspace, text)


@FAST
@given(st.binary())
def test_any_bytes_as_a_record(workspace: Path, data: bytes) -> None:
    check_file(workspace, data)


@FAST
@given(st.text() | YAMLISH)
def test_any_text_as_front_matter(workspace: Path, text: str) -> None:
    check_file(workspace, f"---\n{text}\n---\nBody.\n")


@FAST
@given(st.binary())
def test_any_bytes_as_front_matter(workspace: Path, data: bytes) -> None:
    check_file(workspace, b"---\n" + data + b"\n---\nBody.\n")


@FAST
@given(st.text())
def test_yaml_parser_raises_only_yaml_problems(text: str) -> None:
    try:
        parsed = parse(text, 3)
    except YamlProblem as exc:
        assert exc.code in CODES and exc.line >= 4 and exc.col >= 1
        assert "\n" not in exc.message
    else:
        assert all(d.code == "PD008" for d in parsed.duplicates)


@FAST
@given(st.text(max_size=30))
def test_value_parsers_raise_only_value_errors(text: str) -> None:
    for parse_one in (parse_date, parse_duration):
        with contextlib.suppress(ValueError, ArithmeticError):
            parse_one(text)


@FAST
@given(st.dates())
def test_dates_round_trip(day: date) -> None:
    """Every day of 1900..2999 reads back; every other one is refused as out of range."""
    if MIN_DATE <= day <= MAX_DATE:
        assert parse_date(day.isoformat()) == day
    elif day.year >= 1000:
        with pytest.raises(DateRangeError):
            parse_date(day.isoformat())


@FAST
@given(st.integers(0, 10_000), st.integers(0, 59))
def test_durations_in_hours_and_minutes(hours: int, minutes: int) -> None:
    assert parse_duration(f"{hours}h{minutes}m") == hours * 60 + minutes
    assert parse_duration(f"{hours * 60 + minutes}m") == hours * 60 + minutes
