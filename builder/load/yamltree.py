"""A positioned YAML tree built from libyaml's event stream.

We build the tree ourselves from events (not `yaml.compose`/`yaml.load`) for three reasons:
every key and value keeps its line and column; nesting depth is bounded without recursion,
so a hostile file cannot blow the C stack; and anchors, aliases and explicit tags are
refused up front, which rules out alias bombs and `!!python/object` by construction.
Scalars stay text: the field schema, not YAML's implicit typing, decides what they mean.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
    value: str
    line: int
    col: int
    plain: bool = True

    @property
    def is_null(self) -> bool:
        return self.plain and self.value in _NULLS


@dataclass(slots=True)
class Mapping:
    line: int
    col: int
    items: dict[str, tuple[Scalar, Node]] = field(default_factory=dict)


@dataclass(slots=True)
class Sequence:
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
    root: Node | None
    duplicates: list[YamlProblem]


def parse(text: str, line_offset: int = 0) -> ParsedYaml:
    """Parse one YAML document into a positioned tree. Lines are 1-based file lines.

    Raises `YamlProblem` for syntax errors and refused features; duplicate keys are
    collected (the first value wins) so the rest of the record still loads.
    """
    duplicates: list[YamlProblem] = []
    stack: list[Mapping | Sequence] = []
    pending_key: list[Scalar | None] = []
    root: Node | None = None
    documents = 0
    loader = _Loader(text)
    try:
        while True:
            event = loader.get_event()
            if event is None:
                break
            line = event.start_mark.line + 1 + line_offset
            col = event.start_mark.column + 1
            kind = type(event)
            if (
                kind is yaml.ScalarEvent
                or kind is yaml.MappingStartEvent
                or (kind is yaml.SequenceStartEvent)
            ):
                if event.anchor is not None:
                    raise YamlProblem(
                        "PD006",
                        line,
                        col,
                        f"YAML anchor `&{event.anchor}` is not supported",
                        "write the value out in full; anchors and aliases are refused",
                    )
                tag = event.tag
                if tag is not None and tag != "!" and tag not in _STANDARD_TAGS:
                    raise YamlProblem(
                        "PD006",
                        line,
                        col,
                        f"YAML tag `{tag}` is not allowed",
                        "remove the tag; record fields are plain text, numbers and lists",
                    )
            if kind is yaml.ScalarEvent:
                node: Node = Scalar(event.value, line, col, not event.style)
            elif kind is yaml.MappingStartEvent:
                node = Mapping(line, col)
            elif kind is yaml.SequenceStartEvent:
                node = Sequence(line, col)
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                stack.pop()
                if isinstance(stack[-1] if stack else None, Mapping):
                    pending_key[-1] = None
                continue
            elif kind is yaml.AliasEvent:
                raise YamlProblem(
                    "PD006",
                    line,
                    col,
                    f"YAML alias `*{event.anchor}` is not supported",
                    "write the value out in full; anchors and aliases are refused",
                )
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise YamlProblem(
                        "PD004",
                        line,
                        col,
                        "more than one YAML document",
                        "remove the extra `---` line",
                    )
                continue
            else:  # stream start/end, document end
                continue
            _attach(node, stack, pending_key, duplicates)
            if not stack and root is None:
                root = node
            if isinstance(node, (Mapping, Sequence)):
                if len(stack) >= MAX_DEPTH:
                    raise YamlProblem(
                        "PD007",
                        line,
                        col,
                        f"YAML nested deeper than {MAX_DEPTH} levels",
                        "flatten the structure; records need only a few levels",
                    )
                stack.append(node)
                pending_key.append(None)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + line_offset) if mark else 1 + line_offset
        col = (mark.column + 1) if mark else 1
        message = (exc.problem or exc.context or "invalid YAML").strip()
        raise YamlProblem(
            "PD004", line, col, f"YAML syntax error: {message}", _syntax_hint(message)
        ) from None
    except yaml.YAMLError as exc:  # reader errors: control characters and the like
        raise YamlProblem(
            "PD004",
            1 + line_offset,
            1,
            f"YAML error: {exc}",
            "remove control characters from the front matter",
        ) from None
    finally:
        loader.dispose()
    return ParsedYaml(root, duplicates)


def _attach(
    node: Node,
    stack: list[Mapping | Sequence],
    pending_key: list[Scalar | None],
    duplicates: list[YamlProblem],
) -> None:
    if not stack:
        return
    parent = stack[-1]
    if isinstance(parent, Sequence):
        parent.items.append(node)
        return
    key = pending_key[-1]
    if key is None:
        if not isinstance(node, Scalar):
            raise YamlProblem(
                "PD004",
                node.line,
                node.col,
                "a mapping key must be plain text",
                "use `name: value` pairs",
            )
        pending_key[-1] = node
        return
    pending_key[-1] = None
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
    parent.items[key.value] = (key, node)


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
