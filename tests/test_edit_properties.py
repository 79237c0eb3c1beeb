"""Property tests of the in-place changes: whatever the front matter looks like (comments,
quoting, flow and block lists, block scalars, empty values, blank lines, CRLF, CR, a BOM)
and whatever text is set, the result reads back as the same fields with one value changed,
and every line that did not hold that field is still there, byte for byte."""

from __future__ import annotations

from collections.abc import Callable

import yaml
from frontmatter.default_handlers import YAMLHandler
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.edit.layout import read_layout
from builder.edit.render import flow, scalar
from builder.edit.source import Source
from builder.edit.surgery import append_item, set_field

BOUNDARY = YAMLHandler.FM_BOUNDARY
KEYS = ["title", "project", "status", "assignee", "due", "tags", "time", "note"]

# how a value may be written: (text after `key:`, extra lines) for a value of `word`
STYLES: dict[str, Callable[[str], tuple[str, list[str]]]] = {
    "plain": lambda w: (f" {w}", []),
    "single": lambda w: (f" '{w}'", []),
    "double": lambda w: (f' "{w}"', []),
    "empty": lambda w: ("", []),
    "null": lambda w: (" ~", []),
    "flow": lambda w: (f" [{w}, b]", []),
    "flow-map": lambda w: (f" {{a: {w}, b: c}}", []),
    "block": lambda w: ("", [f"  - {w}", "  - {a: b}"]),
    "literal": lambda w: (" |", [f"  {w}", "  second line"]),
}

WORDS = st.text(alphabet="abcxyz019-", min_size=1, max_size=8).filter(
    lambda w: w not in ("y", "n") and not w.startswith("-")
)
# anything a person may type as a value: quotes, colons, hashes, Cyrillic, brackets...
VALUES = st.text(
    alphabet=st.sampled_from(list("abc xyz:#'\"[]{},&*!|>%@`-?ОлеґЇ0129.")),
    min_size=0,
    max_size=20,
)


@st.composite
def front_matter(draw: st.DrawFn) -> tuple[list[str], list[str]]:
    """(lines of a record file, the keys it holds in order)."""
    keys = draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=6, unique=True))
    lines = ["---"]
    for key in keys:
        if draw(st.booleans()):
            lines.append(draw(st.sampled_from(["", "# a comment", "   ", "#"])))
        head, more = STYLES[draw(st.sampled_from(sorted(STYLES)))](draw(WORDS))
        comment = draw(st.sampled_from(["", "  # why", " #"]))
        lines.append(f"{key}:{head}{comment if not more or head else ''}")
        lines += more
    lines += ["---", *draw(st.lists(st.sampled_from(["Body", "", "- [ ] item"]), max_size=3))]
    return lines, keys


def _read(data: bytes) -> dict[str, object]:
    """The front matter as YAML reads it (every scalar a string)."""
    text = Source(data).text
    opening = BOUNDARY.match(text)
    assert opening is not None
    closing = BOUNDARY.search(text, opening.end())
    assert closing is not None
    loaded = yaml.load(text[opening.end() : closing.start()], Loader=yaml.BaseLoader) or {}
    assert isinstance(loaded, dict)
    return loaded


def _encode(lines: list[str], ending: str, bom: bool) -> bytes:
    return (("\ufeff" if bom else "") + ending.join(lines) + ending).encode("utf-8")


@settings(max_examples=300, deadline=None)
@given(
    front_matter(),
    st.sampled_from(KEYS),
    VALUES,
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.booleans(),
)
def test_set_field_changes_one_value_only(
    doc: tuple[list[str], list[str]], key: str, value: str, ending: str, bom: bool
) -> None:
    lines, _ = doc
    before = _encode(lines, ending, bom)
    source = Source(before)
    change = set_field(source.text, read_layout(source.text), key, scalar(value), KEYS)
    after = source.apply([change])
    expected = _read(before)
    expected[key] = value
    assert _read(after) == expected
    assert after.startswith(b"\xef\xbb\xbf") == bom
    # every line that does not hold the field is kept, in order, with its own ending
    held = _held_lines(source, key)
    kept = [line for i, line in enumerate(_split(before)) if i not in held]
    assert _subsequence(kept, _split(after))


@settings(max_examples=200, deadline=None)
@given(front_matter(), VALUES, st.sampled_from(["\n", "\r\n"]))
def test_append_item_adds_one_item_to_a_list(
    doc: tuple[list[str], list[str]], value: str, ending: str
) -> None:
    lines, _ = doc
    before = _encode(lines, ending, False)
    source = Source(before)
    layout = read_layout(source.text)
    now = _read(before).get("time")
    if now not in (None, "") and not isinstance(now, list):
        return  # a list field holds a list; other values are the check's business
    change = append_item(source.text, layout, "time", scalar(value), flow(value), KEYS)
    after = _read(source.apply([change]))
    assert after["time"] == [*(now or []), value]
    assert {k: v for k, v in after.items() if k != "time"} == {
        k: v for k, v in _read(before).items() if k != "time"
    }


def _split(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


def _held_lines(source: Source, key: str) -> set[int]:
    """The lines (0-based) the field's key and value are written on."""
    layout = read_layout(source.text)
    if key not in layout.fields:
        return set()
    start, end = layout.keys[key], max(layout.fields[key].end, layout.keys[key] + 1)
    first = source.text.count("\n", 0, start)
    last = source.text.count("\n", 0, end - 1)
    return set(range(first, last + 1))


def _subsequence(kept: list[bytes], after: list[bytes]) -> bool:
    it = iter(after)
    return all(any(line == other for other in it) for line in kept)
