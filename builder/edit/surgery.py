"""Changes to a record's text that touch only the lines they must: set one field's value,
add an item to a list field, add a line to the body. Each returns `Change`s in offsets of
the loader's text (see `source`); values come rendered by `render`.

A field that is not there yet is written on a line of its own after the nearest field
that comes before it in the schema's order, so records stay in the order people expect.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from builder.edit.layout import Layout
from builder.edit.source import Change

_NOTE_LINE = re.compile(r"- \d{4}-\d{2}-\d{2}\b")


def set_field(text: str, layout: Layout, name: str, rendered: str, order: Sequence[str]) -> Change:
    """`name: rendered` in place of the field's value, or as a new line."""
    value = layout.fields.get(name)
    if value is None:
        at = _new_field_at(text, layout, name, order)
        return Change(at, at, f"{name}: {rendered}\n")
    if value.empty:  # `due:` and maybe a comment: the value goes after the colon
        return Change(value.start, value.start, " " + rendered)
    if value.block_scalar:  # `|` or `>`: its end is past its last line break
        return Change(value.start, value.end, rendered + "\n")
    return Change(value.start, value.end, rendered)


def append_item(
    text: str, layout: Layout, name: str, block_item: str, flow_item: str, order: Sequence[str]
) -> Change:
    """One more item at the end of the list field `name`, written the way the list is:
    `- item` on a line of its own in a block list, `, item` before the `]` of a flow list;
    a new list is a block list."""
    value = layout.fields.get(name)
    if value is None:
        at = _new_field_at(text, layout, name, order)
        return Change(at, at, f"{name}:\n  - {block_item}\n")
    if value.empty:  # `time:` with nothing after it (a comment stays where it is)
        at = _after_line(text, value.start)
        return Change(at, at, f"  - {block_item}\n")
    if value.kind == "scalar":  # `~` or `null`
        return Change(value.start, value.end, f"[{flow_item}]")
    if value.flow:
        if not value.items:
            return Change(value.close, value.close, flow_item)
        last = value.items[-1].end
        return Change(last, last, f", {flow_item}")
    column = value.start - (text.rfind("\n", 0, value.start) + 1)
    at = _after_line(text, value.end)
    return Change(at, at, " " * column + f"- {block_item}\n")


def append_line(text: str, layout: Layout, line: str) -> Change:
    """`line` at the end of the body: after the notes already there, or after a blank
    line that ends the text before it."""
    end = len(text)
    body = text[layout.body :]
    lead = "" if text.endswith("\n") else "\n"
    last = next((ln for ln in reversed(body.split("\n")) if ln.strip()), "")
    if last and not _NOTE_LINE.match(last):
        lead += "\n"
    return Change(end, end, lead + line + "\n")


def _new_field_at(text: str, layout: Layout, name: str, order: Sequence[str]) -> int:
    """Where a new field's line goes: after the last field written that comes before it in
    `order`, else before the first that comes after it, else before the closing `---`."""
    rank = {n: i for i, n in enumerate(order)}
    mine = rank.get(name, len(rank))
    before = [n for n in layout.order if rank.get(n, len(rank)) < mine]
    if before:
        return _after_line(text, layout.fields[before[-1]].end)
    if layout.order:  # before the first key's line
        return text.rfind("\n", 0, layout.keys[layout.order[0]]) + 1
    return layout.closing


def _after_line(text: str, offset: int) -> int:
    """The start of the line after the one `offset` is on (an offset just past a line break,
    as a block scalar's end, is already there)."""
    if offset > 0 and text[offset - 1] == "\n":
        return offset
    return text.index("\n", offset) + 1
