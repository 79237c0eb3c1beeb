"""History stage, step 2: read the few fields history needs from an old version of a record.

A *snapshot* is a record's front matter reduced to the fields the history layer follows
(status, stage, assignee, due, title, amount, project, owner, ...), each as text or None.
Old versions are parsed far more often than current ones (every version of every card), so
the common case goes through libyaml's C loader with `BaseLoader` semantics: every scalar
stays text, exactly like `builder.load.yamltree`, and no tag can construct an object.

The C composer recurses, so deeply nested or alias-laden front matter (hostile, or just
odd) goes to `yamltree.parse`, which bounds depth without recursion and refuses anchors
the same way the loader does. A version that the loader would refuse (no front matter,
YAML syntax error, not a mapping) gives None: that version is skipped for that record.
"""

from __future__ import annotations

import re

import yaml

from builder.load.files import MAX_FILE_BYTES
from builder.load.yamltree import Mapping, Scalar, YamlProblem, parse

try:
    _FastLoader: type = yaml.CBaseLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _FastLoader = yaml.BaseLoader

Snapshot = dict[str, str | None]

#: record type -> the fields a snapshot keeps. Other types keep no fields: their history is
#: created / renamed / deleted, and their names come from the current workspace.
FIELDS: dict[str, tuple[str, ...]] = {
    "task": ("title", "project", "status", "assignee", "due"),
    "deal": ("title", "company", "pipeline", "stage", "owner", "amount"),
    "project": ("name", "company", "status", "manager"),
}
#: the fields whose changes become events, per type (title changes are events too)
TRACKED: dict[str, tuple[str, ...]] = {
    "task": ("status", "assignee", "due", "title", "project"),
    "deal": ("stage", "owner", "amount", "title", "pipeline"),
    "project": ("status", "manager", "name"),
}
# The same boundary python-frontmatter (and so builder.load.files) uses.
_BOUNDARY = re.compile(r"^-{3,}\s*$", re.MULTILINE)
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
# Above this size, or with anchors/aliases/tags, the C composer's recursion is a risk or
# its semantics differ from the loader's: use the positioned, depth-bounded parser instead.
_FAST_LIMIT = 8192
_SLOW_MARKS = ("&", "*", "!")


def snapshot(kind: str, data: bytes) -> Snapshot | None:
    """The tracked fields of one version of a record, or None if that version is broken."""
    if len(data) > MAX_FILE_BYTES or b"\x00" in data:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    start = _BOUNDARY.match(text)
    if start is None:
        return None
    end = _BOUNDARY.search(text, start.end())
    if end is None:
        return None
    front = text[start.end() : end.start()]
    names = FIELDS.get(kind, ())
    if len(front) <= _FAST_LIMIT and not any(mark in front for mark in _SLOW_MARKS):
        return _fast(front, names)
    return _safe(front, names)


def _fast(front: str, names: tuple[str, ...]) -> Snapshot | None:
    try:
        loaded = yaml.load(front, Loader=_FastLoader)  # BaseLoader: no objects built
    except (yaml.YAMLError, RecursionError):
        return None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        return None
    out: Snapshot = {}
    for name in names:
        if name in loaded:
            value = loaded[name]
            out[name] = _text(value) if isinstance(value, str) else None
    return out


def _safe(front: str, names: tuple[str, ...]) -> Snapshot | None:
    try:
        root = parse(front).root
    except YamlProblem:
        return None
    if root is None or (isinstance(root, Scalar) and root.is_null):
        return {}
    if not isinstance(root, Mapping):
        return None
    out: Snapshot = {}
    for name in names:
        item = root.items.get(name)
        if item is not None:
            node = item[1]
            out[name] = _text(node.value) if isinstance(node, Scalar) else None
    return out


def _text(value: str) -> str | None:
    value = value.strip()
    return None if value in _NULLS else value


def title_of(kind: str, snap: Snapshot | None) -> str | None:
    """The display name a snapshot holds (`title` for tasks and deals, `name` otherwise)."""
    if not snap:
        return None
    return snap.get("title") if kind in ("task", "deal") else snap.get("name")
