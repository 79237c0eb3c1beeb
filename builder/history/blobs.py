"""History stage, step 2: read the few fields history needs from an old version of a record.

A *snapshot* is a record's front matter reduced to the fields the history layer follows
(status, stage, assignee, due, title, amount, project, owner, ...), each as text or None.
A version is read exactly as the loader reads the file today (`load.files.parse_record`
on the blob's bytes): the same size and encoding checks, the same front-matter boundary,
the same depth-bounded YAML tree that refuses anchors and tags, the first of two duplicate
keys. So a card's history and its page never disagree about what a file says. A version
the loader would refuse (no front matter, broken YAML, not a mapping) gives None: that
version is skipped for that record.
"""

from __future__ import annotations

from builder.load.files import parse_record
from builder.load.yamltree import Scalar

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
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))


def snapshot(kind: str, data: bytes) -> Snapshot | None:
    """The tracked fields of one version of a record, or None if that version is broken."""
    record = parse_record(kind, f"{kind}.md", data, [])
    if record is None:
        return None
    out: Snapshot = {}
    items = record.fields.items
    for name in FIELDS.get(kind, ()):
        item = items.get(name)
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
