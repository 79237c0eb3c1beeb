"""History stage: what reached a person since a moment, for their digest.

- `assigned_since`: tasks that became a person's (created for them, or reassigned to them)
  after `since`; a person who took a task themselves is not told about it.
- `mentioned_since`: records whose body gained an `@person-id` after `since`. History
  follows fields, not bodies, so this reads the body as it stood at `since` from git (one
  `git show` per record changed since then, of the few that mention anyone now) and
  counts the mentions the current body has beyond it.

Pure data, no words: the digest view says it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Container
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from builder.history.events import CHANGED, CREATED, RESTORED, RecordHistory, Stamp
from builder.history.git import GitError, repo_info, run_git
from builder.history.reader import History
from builder.load.files import parse_record
from builder.model import Record, Workspace
from builder.model.schema import RECORD_TYPES

#: `@anna-k`: not inside an e-mail address or a longer word
MENTION = re.compile(r"(?<![\w@.])@([a-z0-9][a-z0-9-]*[a-z0-9]|[a-z0-9])(?![\w@])")


class News(NamedTuple):
    """One record that reached a person: (type, id), and the commit that did it."""

    kind: str
    id: str
    stamp: Stamp


def mentions(body: str, people: Container[str]) -> Counter[str]:
    """How often each known person id is mentioned (`@id`) in a body."""
    return Counter(m for m in MENTION.findall(body) if m in people)


def assigned_since(history: History, since: datetime) -> dict[str, list[News]]:
    """person id -> tasks assigned to them after `since` (oldest first)."""
    out: dict[str, list[News]] = {}
    for rh in history.records.values():
        if rh.type != "task" or rh.deleted is not None:
            continue
        for ch in rh.changes:
            if ch.stamp.when <= since:
                continue
            if ch.kind == CHANGED and ch.field == "assignee":
                person = ch.new
            elif ch.kind in (CREATED, RESTORED) and ch.snapshot is not None:
                person = ch.snapshot.get("assignee")
            else:
                continue
            if person and person != ch.stamp.author.person:
                out.setdefault(person, []).append(News("task", rh.id, ch.stamp))
    for items in out.values():
        items.sort(key=lambda n: (n.stamp.when, n.id))
    return out


def mentioned_since(
    content_root: Path, ws: Workspace, history: History, since: datetime
) -> dict[str, list[News]]:
    """person id -> records whose body mentions them more often now than at `since`."""
    out: dict[str, list[News]] = {}
    info = repo_info(content_root)
    if isinstance(info, str):
        return out
    for kind in RECORD_TYPES:
        for record in ws.table(kind).values():
            rh = history.get(kind, record.id)
            if rh is None or rh.last_change is None or rh.last_change.when <= since:
                continue
            now = mentions(record.body, ws.people)
            if not now:
                continue
            before = _mentions_at(info.toplevel, info.prefix, rh, record, ws, since)
            if before is None:
                continue
            for person, count in sorted(now.items()):
                if count > before.get(person, 0) and person != rh.last_change.author.person:
                    out.setdefault(person, []).append(News(kind, record.id, rh.last_change))
    for items in out.values():
        items.sort(key=lambda n: (n.stamp.when, n.kind, n.id))
    return out


def _mentions_at(
    top: Path, prefix: str, rh: RecordHistory, record: Record, ws: Workspace, since: datetime
) -> Counter[str] | None:
    """The mentions in the record's body as it was at `since` (none before it existed);
    None when git cannot show that version."""
    earlier = [ch for ch in rh.changes if ch.stamp.when <= since]
    if not earlier:
        return Counter()
    try:
        data = run_git(top, ["show", f"{earlier[-1].stamp.commit}:{prefix}{rh.path}"])
    except GitError:
        return None
    old = parse_record(rh.type, record.path, data, [])
    return Counter() if old is None else mentions(old.body, ws.people)
