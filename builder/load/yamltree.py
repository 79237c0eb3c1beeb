"""A positioned YAML tree built from libyaml's event stream.

We build the tree ourselves from events (not `yaml.compose`/`yaml.load`) for three reasons:
every key and value keeps its line and column; nesting depth is bounded without recursion,
so a hostile file cannot blow the C stack; and anchors, aliases and explicit tags are
refused up front, which rules out alias bombs and `!!python/object` by construction.
Scalars stay text: the field schema, not YAML's implicit typing, decides what they mean.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # libyaml's C parser; the pure-Python one is a fallback with the same events
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader

MAX_DEPTH = 32
_STANDARD_TAGS = {"tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null")}
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))


@dataclass(slots=True)
class Scalar:
    """A scalar as written (text) and where it starts; `plain`: written without quotes."""

    value: str
    line: int
    col: int
    plain: bool = True

    @property
    def is_null(self) -> bool:
        return self.plain and self.value in _NULLS


@dataclass(slots=True)
class Mapping:
    """A mapping: each key's node and value, in the order written."""

    line: int
    col: int
    items: dict[str, tuple[Scalar, Node]] = field(default_factory=dict)


@dataclass(slots=True)
class Sequence:
    """A list and its items."""

    line: int
    col: int
    items: list[Node] = field(default_factory=list)


Node = Scalar | Mapping | Sequence


class YamlProblem(Exception):
    """A problem found while building the tree: a problem code, its place and a hint."""

    def __init__(self, code: str, line: int, col: int, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.code, self.line, self.col, self.message, self.hint = code, line, col, message, hint


@dataclass(slots=True)
class ParsedYaml:
    """One parsed document: its root node and the duplicate keys found in it."""

    root: Node | None
    duplicates: list[YamlProblem]


def parse(text: str, line_offset: int = 0) -> ParsedYaml:
    """Parse one YAML document into a positioned tree. Lines are 1-based file lines.

    Raises `YamlProblem` for syntax errors and refused features; duplicate keys are
    collected (the first value wins) so the rest of the record still loads.
    """
    try:
        return _parse(text, line_offset, _Loader)
    except _LibyamlDepth:
        # libyaml 0.2.5 (PyYAML >= 6.0.4) stops nesting at 1,000 levels with an error of
        # its own, before our 32-level limit could speak. PyYAML's Python parser, which
        # has no limit of its own, finds where our limit is crossed and says so (PD007).
        return _parse(text, line_offset, yaml.SafeLoader)


class _LibyamlDepth(Exception):
    """libyaml refused the nesting before our own limit was reached."""


class _Tree:
    """The tree being built from the event stream: the open mappings and lists, the key
    each open mapping waits to give a value, the root and the duplicate keys found."""

    __slots__ = ("documents", "duplicates", "keys", "offset", "root", "stack")

    def __init__(self, line_offset: int) -> None:
        self.offset = line_offset
        self.stack: list[Mapping | Sequence] = []
        self.keys: list[Scalar | None] = []  # per open mapping: the key waiting for its value
        self.root: Node | None = None
        self.duplicates: list[YamlProblem] = []
        self.documents = 0

    def open(self, event: Any, kind: type) -> None:  # a PyYAML NodeEvent
        """A scalar, or the start of a mapping or a list: make its node and place it."""
        if event.anchor is not None or (
            event.tag is not None and event.tag != "!" and event.tag not in _STANDARD_TAGS
        ):
            raise _refused(event, self.offset)
        mark = event.start_mark
        line, col = mark.line + 1 + self.offset, mark.column + 1
        node: Node
        if kind is _SCALAR:
            node = Scalar(event.value, line, col, not event.style)
        elif kind is _MAP_START:
            node = Mapping(line, col)
        else:
            node = Sequence(line, col)
        stack = self.stack
        if stack:
            parent = stack[-1]
            if parent.__class__ is Sequence:
                parent.items.append(node)
            elif self.keys[-1] is None:
                if node.__class__ is not Scalar:
                    raise YamlProblem(
                        "PD004",
                        line,
                        col,
                        "a mapping key must be plain text",
                        "use `name: value` pairs",
                    )
                self.keys[-1] = node
            else:
                _add(parent, self.keys, node, self.duplicates)  # type: ignore[arg-type]
        elif self.root is None:
            self.root = node
        if kind is not _SCALAR:
            if len(stack) >= MAX_DEPTH:
                raise YamlProblem(
                    "PD007",
                    line,
                    col,
                    f"YAML nested deeper than {MAX_DEPTH} levels",
                    "flatten the structure; records need only a few levels",
                )
            stack.append(node)  # type: ignore[arg-type]
            self.keys.append(None)

    def close(self) -> None:
        """The end of a mapping or a list."""
        self.stack.pop()
        self.keys.pop()

    def document(self, event: Any) -> None:  # a PyYAML DocumentStartEvent
        """The start of a document: a record holds one."""
        self.documents += 1
        if self.documents > 1:
            mark = event.start_mark
            raise YamlProblem(
                "PD004",
                mark.line + 1 + self.offset,
                mark.column + 1,
                "more than one YAML document",
                "remove the extra `---` line",
            )


def _parse(text: str, line_offset: int, loader_class: type) -> ParsedYaml:
    tree = _Tree(line_offset)
    try:
        loader = loader_class(text)
    except yaml.YAMLError as exc:  # the pure-Python reader checks characters up front
        raise _reader_problem(exc, text, line_offset) from None
    opened, closed = (_SCALAR, _MAP_START, _SEQ_START), (_MAP_END, _SEQ_END)
    try:
        for event in iter(loader.get_event, None):
            kind = event.__class__
            if kind in opened:
                tree.open(event, kind)
            elif kind in closed:
                tree.close()
            elif kind is yaml.AliasEvent:
                raise _refused(event, line_offset)
            elif kind is yaml.DocumentStartEvent:
                tree.document(event)
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" in (exc.problem or "") and loader_class is not yaml.SafeLoader:
            raise _LibyamlDepth from None
        raise _syntax_problem(exc, text, line_offset) from None
    except yaml.YAMLError as exc:  # reader errors: control characters and the like
        raise _reader_problem(exc, text, line_offset) from None
    finally:
        loader.dispose()
    return ParsedYaml(tree.root, tree.duplicates)


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, line_offset: int) -> YamlProblem:
    """A YAML syntax error, placed where it can be fixed."""
    mark = exc.problem_mark or exc.context_mark
    message = (exc.problem or exc.context or "invalid YAML").strip()
    if exc.context_mark and exc.context and mark and mark.line >= text.count("\n"):
        # Found only at the end (an unclosed quote or bracket): point where it opened,
        # not at the closing `---` line.
        mark = exc.context_mark
        message = f"{message} {exc.context.strip()}"
    line = (mark.line + 1 + line_offset) if mark else 1 + line_offset
    col = (mark.column + 1) if mark else 1
    return YamlProblem("PD004", line, col, f"YAML syntax error: {message}", _syntax_hint(message))


def _reader_problem(exc: yaml.YAMLError, text: str, line_offset: int) -> YamlProblem:
    """A reader error (a control character), placed at the character itself.

    libyaml reports a byte position, so we find the character in the text instead.
    """
    char = getattr(exc, "character", None)
    reason = getattr(exc, "reason", None) or "invalid character"
    at = text.find(chr(char)) if isinstance(char, int) else -1
    line, col = 1 + line_offset, 1
    if at >= 0:
        line = text.count("\n", 0, at) + 1 + line_offset
        col = at - (text.rfind("\n", 0, at) + 1) + 1
    what = f"unacceptable character #x{char:04x}: " if isinstance(char, int) else ""
    return YamlProblem(
        "PD004",
        line,
        col,
        f"YAML error: {what}{reason}",
        "remove control characters from the front matter",
    )


_SCALAR, _MAP_START, _SEQ_START = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
_MAP_END, _SEQ_END = yaml.MappingEndEvent, yaml.SequenceEndEvent


def _add(
    parent: Mapping, keys: list[Scalar | None], value: Node, duplicates: list[YamlProblem]
) -> None:
    """Store `value` under the mapping's pending key; a repeated key is a problem."""
    key = keys[-1]
    assert key is not None
    keys[-1] = None
    if key.value in parent.items:
        first = parent.items[key.value][0]
        duplicates.append(
            YamlProblem(
                "PD008",
                key.line,
                key.col,
                f"duplicate key `{key.value}` (first on line {first.line})",
                "remove one of them; the first value is used",
            )
        )
        return
    parent.items[key.value] = (key, value)


def _refused(event: yaml.Event, line_offset: int) -> YamlProblem:
    """The problem for an anchor, alias or explicit tag: refused to rule out alias bombs
    and `!!python/object` by construction."""
    mark = event.start_mark
    line, col = (mark.line + 1 + line_offset, mark.column + 1) if mark else (1 + line_offset, 1)
    if isinstance(event, yaml.AliasEvent):
        return YamlProblem(
            "PD006",
            line,
            col,
            f"YAML alias `*{event.anchor}` is not supported",
            "write the value out in full; anchors and aliases are refused",
        )
    if event.anchor is not None:  # type: ignore[attr-defined]
        return YamlProblem(
            "PD006",
            line,
            col,
            f"YAML anchor `&{event.anchor}` is not supported",  # type: ignore[attr-defined]
            "write the value out in full; anchors and aliases are refused",
        )
    return YamlProblem(
        "PD006",
        line,
        col,
        f"YAML tag `{event.tag}` is not allowed",  # type: ignore[attr-defined]
        "remove the tag; record fields are plain text, numbers and lists",
    )


def _syntax_hint(message: str) -> str:
    if "tab" in message:
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in message:
        return 'quote values that contain `: `, e.g. title: "Launch: phase 2"'
    if "found character" in message or "expected" in message:
        return "check indentation and quoting on this line and the one above"
    return "check the YAML around this line"


def plain_value(node: Node) -> object:
    """Convert a tree back to plain Python values (strings, lists, dicts) for display."""
    if isinstance(node, Scalar):
        return None if node.is_null else node.value
    if isinstance(node, Sequence):
        return [plain_value(n) for n in node.items]
    return {k: plain_value(v) for k, (_, v) in node.items.items()}
