"""Where each top-level field of a record's front matter sits in its text, to the character.

The loader's positioned tree (`builder.load.yamltree`) keeps where each key and value
starts, which is all `check` needs. Changing a value in place needs where it ends as well: a
quoted value, a trailing comment, the `]` of a flow list, the last item of a block list. So
this reads the same front matter through the same libyaml parser once more, keeping each
event's start and end (character offsets). It runs on one file, after the loader has
accepted that file (no aliases, tags or deep nesting reach it).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from builder.load.files import FRONT_MATTER_BOUNDARY as _BOUNDARY  # the loader's own

try:  # the loader's parser: libyaml's, else PyYAML's own with the same events
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader


@dataclass
class Value:
    """A value's place: offsets into the text (`end` is just past its last character)."""

    kind: str  # "scalar", "seq" or "map"
    start: int
    end: int
    flow: bool = False  # written in brackets: `[a, b]`, `{a: 1}`
    block_scalar: bool = False  # `|` or `>`: its end is past the line breaks it holds
    items: list[Value] = field(default_factory=list)  # a list's items, a mapping's values
    close: int = -1  # a flow collection's closing bracket

    @property
    def empty(self) -> bool:
        """Nothing written after the colon (an empty value, as `assignee:`)."""
        return self.kind == "scalar" and self.start == self.end


@dataclass
class Layout:
    """The front matter of one record text (with `\\n` line endings)."""

    fields: dict[str, Value]
    keys: dict[str, int]  # where each key starts
    order: list[str]  # the keys as written
    closing: int  # offset of the closing `---` line
    body: int  # offset just past the closing boundary


def read_layout(text: str) -> Layout:
    """The layout of a record's text; the text must be one the loader accepted."""
    opening = _BOUNDARY.match(text)
    assert opening is not None, "read_layout needs a record the loader accepted"
    ending = _BOUNDARY.search(text, opening.end())
    assert ending is not None
    fields: dict[str, Value] = {}
    keys: dict[str, int] = {}
    order: list[str] = []
    loader = _Loader(text[opening.end() : ending.start()])
    try:
        events = _Events(iter(loader.get_event, None), opening.end())
        top = events.next_node()
        if top is not None and isinstance(top, yaml.MappingStartEvent):
            while True:
                key = events.next_node()
                if key is None or isinstance(key, yaml.MappingEndEvent):
                    break
                value = events.value(events.next_node())
                name = key.value
                if name not in fields:  # a duplicate key is refused before this runs
                    fields[name] = value
                    keys[name] = events.at(key.start_mark)
                    order.append(name)
    finally:
        loader.dispose()
    return Layout(fields, keys, order, ending.start(), ending.end())


class _Events:
    """The event stream with offsets shifted to the whole text."""

    def __init__(self, events: Iterator[Any], offset: int) -> None:
        self.events, self.offset = events, offset

    def next_node(self) -> Any:
        """The next scalar, collection start or end event (None at the stream's end)."""
        for event in self.events:
            if isinstance(
                event,
                yaml.ScalarEvent
                | yaml.MappingStartEvent
                | yaml.SequenceStartEvent
                | yaml.MappingEndEvent
                | yaml.SequenceEndEvent,
            ):
                return event
        return None

    def at(self, mark: Any) -> int:
        """A mark's offset in the whole text."""
        return int(mark.index) + self.offset

    def value(self, event: Any) -> Value:
        """The value that starts with `event`, its nested events consumed."""
        start = self.at(event.start_mark)
        if isinstance(event, yaml.ScalarEvent):
            end = self.at(event.end_mark)
            return Value("scalar", start, end, block_scalar=event.style in ("|", ">"))
        is_map = isinstance(event, yaml.MappingStartEvent)
        node = Value("map" if is_map else "seq", start, start, flow=bool(event.flow_style))
        while True:
            nxt = self.next_node()
            if nxt is None or isinstance(nxt, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                break
            if is_map:  # a key; its value follows
                nxt = self.next_node()
            node.items.append(self.value(nxt))
        if node.flow and nxt is not None:
            node.close = self.at(nxt.start_mark)
            node.end = self.at(nxt.end_mark)
        elif node.items:  # a block collection ends with its last item, not the next key
            node.end = node.items[-1].end
        return node
