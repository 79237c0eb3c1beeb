"""History stage, step 4: turn commits into per-record changes.

`derive` walks the commits parents-first and, for every record file a commit touched,
records what happened: created, field changed (status, stage, assignee, due, ...), renamed,
moved to another folder, deleted, restored. Records are keyed by (type, id) like the
workspace, so a card moved to another subfolder is the same card by construction; a
rename that changes the id (git's rename detection) carries the history to the new id.

Field changes compare each commit's own before/after versions of the file, not a running
state, so work merged from a branch is attributed to the commit that made it. A version
whose YAML is broken is skipped for that record; the next good version is compared with
the last good one.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any, NamedTuple

from builder.history.blobs import TRACKED, Snapshot
from builder.history.git import Commit, FileChange, classify
from builder.model import Workspace

Key = tuple[str, str]  # (record type, id)

# C0 and C1 controls, DEL, and what XML cannot hold: none of it is part of a name; a run
# of them, with the spaces around it, reads as one space. Git stores a name as given, so
# a `\x01` in an author's name would otherwise reach every page (and the Atom feed).
_CONTROL = "\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
_NOT_NAME = re.compile(f"[ {_CONTROL}]*[{_CONTROL}][ {_CONTROL}]*")

# Change kinds
CREATED = "created"  # the file first appeared
START = "start"  # present when a shallow clone's history starts: creation unknown
KNOWN = "known"  # first readable version after a broken creation: values known from here
CHANGED = "changed"  # a tracked field changed: `field`, `old`, `new`
RENAMED = "renamed"  # the id changed: `old` and `new` are ids
MOVED = "moved"  # the file moved to another folder, same id: `old` and `new` are paths
DELETED = "deleted"
RESTORED = "restored"  # added again after being deleted
#: kinds after which a record's fields have known values (from the change's snapshot)
BASELINE = frozenset((CREATED, START, KNOWN, RESTORED))


class Author(NamedTuple):
    """Who made a commit: git's name (as a page shows it) and email, and the person they
    map to, if any."""

    name: str
    email: str
    person: str | None


class Stamp(NamedTuple):
    """When and by whom: a commit, its author date (with the author's offset), its author."""

    commit: str
    when: datetime
    author: Author


class Change(NamedTuple):
    """One thing that happened to one record in one commit.

    `snapshot` is the record's tracked fields after the change (before it, for deletions);
    None when that version could not be read.
    """

    kind: str
    stamp: Stamp
    field: str = ""
    old: str | None = None
    new: str | None = None
    snapshot: Snapshot | None = None


@dataclass(slots=True)
class RecordHistory:
    """Everything git says about one record, oldest change first."""

    type: str
    id: str
    path: str
    changes: list[Change] = field(default_factory=list)
    created: Stamp | None = None  # None when the history starts after the creation
    deleted: Stamp | None = None  # set while the record is deleted
    last_change: Stamp | None = None  # the last commit that changed the file's content
    snapshot: Snapshot | None = None  # the last readable version's fields
    skipped: list[Stamp] = field(default_factory=list)  # versions with broken YAML
    former_ids: list[str] = field(default_factory=list)

    @property
    def key(self) -> Key:
        return (self.type, self.id)

    @property
    def first(self) -> Stamp | None:
        """The first commit that shows this record (its creation, or the history's start)."""
        return self.changes[0].stamp if self.changes else None

    def values(self, name: str) -> list[tuple[str | None, Stamp]]:
        """The successive values of field `name`, each with the commit that set it
        (deletions are not values: `flow.stays` gives intervals that end at them)."""
        out: list[tuple[str | None, Stamp]] = []
        for ch in self.changes:
            if ch.kind in BASELINE and ch.snapshot is not None:
                out.append((ch.snapshot.get(name), ch.stamp))
            elif ch.kind == CHANGED and ch.field == name:
                out.append((ch.new, ch.stamp))
        return out


def display_name(text: str) -> str:
    """A name from git as a page shows it: each run of control characters (tabs and
    newlines too) becomes one space, and the name is trimmed."""
    return _NOT_NAME.sub(" ", text).strip()


def people_by_email(ws: Workspace) -> dict[str, str]:
    """Lower-cased email -> person id, from each person's `email` and `emails`."""
    out: dict[str, str] = {}
    for pid in sorted(ws.people):
        person = ws.people[pid]
        for mail in [person.email, *person.emails]:
            if mail:
                out.setdefault(mail.strip().lower(), pid)
    return out


def ordered(commits: Iterable[Commit]) -> list[Commit]:
    """Commits parents-first; independent ones by committer time, then id.

    The order depends only on the set of commits, so a history read from the cache and one
    read afresh give the same result."""
    by_sha = {c.sha: c for c in commits}
    waiting = {sha: sum(1 for p in c.parents if p in by_sha) for sha, c in by_sha.items()}
    children: dict[str, list[str]] = {}
    for c in by_sha.values():
        for p in c.parents:
            if p in by_sha:
                children.setdefault(p, []).append(c.sha)
    heap = [(c.committed, c.sha) for c in by_sha.values() if waiting[c.sha] == 0]
    heapq.heapify(heap)
    out: list[Commit] = []
    while heap:
        _, sha = heapq.heappop(heap)
        out.append(by_sha[sha])
        for child in children.get(sha, ()):
            waiting[child] -= 1
            if waiting[child] == 0:
                heapq.heappush(heap, (by_sha[child].committed, child))
    return out


@dataclass
class Derived:
    """The per-record histories and the commits they were derived from."""

    records: dict[Key, RecordHistory]
    renamed: dict[Key, str]  # an id that was renamed -> the id it was renamed to
    commits: list[Commit]  # the commits used (parents first), up to `today`
    later: int = 0  # commits left out because they are dated after `today`
    #: What views work out from these histories alone, kept as long as they are (the
    #: serve loop reads the history on every rebuild; it changes with each commit)
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


def derive(
    commits: Iterable[Commit],
    snapshots: dict[str, Snapshot | None],
    emails: dict[str, str],
    today: date,
    tz: tzinfo,
    shallow: frozenset[str] = frozenset(),
) -> Derived:
    """Per-record histories from `commits`, leaving out commits dated after `today` (in
    the workspace time zone `tz`). Commits in `shallow` start a shallow clone's history:
    what they add was there before, not created by them."""
    records: dict[Key, RecordHistory] = {}
    renamed: dict[Key, str] = {}
    authors: dict[tuple[str, str], Author] = {}
    used: list[Commit] = []
    later = 0
    for commit in ordered(commits):
        if commit.when.astimezone(tz).date() > today:
            later += 1
            continue
        used.append(commit)
        who = authors.get((commit.name, commit.email))
        if who is None:
            who = Author(
                display_name(commit.name) or display_name(commit.email) or "?",
                commit.email,
                emails.get(commit.email.strip().lower()),
            )
            authors[(commit.name, commit.email)] = who
        stamp = Stamp(commit.sha, commit.when, who)
        appear = START if commit.sha in shallow else CREATED
        for ch in _pair_moves(commit.changes):
            _apply(records, renamed, snapshots, ch, stamp, appear)
    return Derived(records, renamed, used, later)


def _pair_moves(changes: tuple[FileChange, ...]) -> list[FileChange]:
    """Join a deletion and an addition of the same id in one commit into a move: git's
    rename detection misses moves whose content also changed a lot (or too many at once),
    but the id, the file stem, says it is the same record."""
    if not any(ch.status == "D" for ch in changes):
        return list(changes)
    gone: dict[Key, int] = {}
    came: dict[Key, int] = {}
    for i, ch in enumerate(changes):
        if ch.status == "D" and ch.old_path:
            key = classify(ch.old_path)
            if key:
                gone[key] = -1 if key in gone else i
        elif ch.status == "A" and ch.new_path:
            key = classify(ch.new_path)
            if key:
                came[key] = -1 if key in came else i
    pairs = {gone[k]: came[k] for k in gone.keys() & came.keys() if gone[k] >= 0 <= came[k]}
    if not pairs:
        return list(changes)
    out: list[FileChange] = []
    added = set(pairs.values())
    for i, ch in enumerate(changes):
        if i in pairs:
            a = changes[pairs[i]]
            out.append(FileChange("R", ch.old_path, a.new_path, ch.old_blob, a.new_blob))
        elif i not in added:
            out.append(ch)
    return out


def _apply(
    records: dict[Key, RecordHistory],
    renamed: dict[Key, str],
    snapshots: dict[str, Snapshot | None],
    ch: FileChange,
    stamp: Stamp,
    appear: str,
) -> None:
    old_key = classify(ch.old_path) if ch.old_path else None
    new_key = classify(ch.new_path) if ch.new_path else None
    if ch.status == "R" and old_key and new_key and old_key[0] != new_key[0]:
        # Moved to another record type's folder: a deletion and a creation.
        _delete(records, old_key, ch, stamp, snapshots)
        _add(records, new_key, ch, stamp, snapshots, appear)
        return
    if ch.status == "A" and new_key:
        _add(records, new_key, ch, stamp, snapshots, appear)
        return
    if ch.status == "D" and old_key:
        _delete(records, old_key, ch, stamp, snapshots)
        return
    if old_key is None or new_key is None or ch.new_path is None:
        return
    rec = records.get(old_key)
    if rec is None or rec.deleted is not None:  # history begins mid-way: treat as added
        _add(records, new_key, ch, stamp, snapshots, appear)
        return
    if old_key != new_key:
        del records[old_key]
        renamed[old_key] = new_key[1]
        renamed.pop(new_key, None)
        rec.former_ids.append(rec.id)
        rec.changes.append(Change(RENAMED, stamp, "", rec.id, new_key[1], rec.snapshot))
        rec.id = new_key[1]
        records[new_key] = rec
    elif ch.old_path != ch.new_path:
        rec.changes.append(Change(MOVED, stamp, "", ch.old_path, ch.new_path, rec.snapshot))
    rec.path = ch.new_path
    _edit(rec, ch, stamp, snapshots)


def _snap(snapshots: dict[str, Snapshot | None], kind: str, blob: str | None) -> Snapshot | None:
    return None if blob is None else snapshots.get(f"{kind}:{blob}")


def _add(
    records: dict[Key, RecordHistory],
    key: Key,
    ch: FileChange,
    stamp: Stamp,
    snapshots: dict[str, Snapshot | None],
    appear: str,
) -> None:
    snap = _snap(snapshots, key[0], ch.new_blob) if key[0] in TRACKED else {}
    rec = records.get(key)
    path = ch.new_path or ""
    if rec is None:
        rec = RecordHistory(key[0], key[1], path)
        records[key] = rec
        if appear == CREATED:
            rec.created = stamp
        kind = appear
    elif rec.deleted is not None:
        rec.deleted = None
        kind = RESTORED
    else:  # a second file with the same id (a duplicate): follow the first one
        return
    rec.path = path
    rec.changes.append(Change(kind, stamp, snapshot=snap))
    rec.last_change = stamp
    if snap is None:
        rec.skipped.append(stamp)
    else:
        rec.snapshot = snap


def _delete(
    records: dict[Key, RecordHistory],
    key: Key,
    ch: FileChange,
    stamp: Stamp,
    snapshots: dict[str, Snapshot | None],
) -> None:
    rec = records.get(key)
    if rec is None or rec.deleted is not None or rec.path != ch.old_path:
        return  # unknown, already gone, or a duplicate file with the same id
    rec.deleted = stamp
    rec.last_change = stamp
    rec.changes.append(Change(DELETED, stamp, snapshot=rec.snapshot))


def _edit(
    rec: RecordHistory, ch: FileChange, stamp: Stamp, snapshots: dict[str, Snapshot | None]
) -> None:
    if ch.old_blob == ch.new_blob:
        return  # a pure move: no content change
    fields = TRACKED.get(rec.type)
    if fields is None:
        rec.last_change = stamp
        return
    new = _snap(snapshots, rec.type, ch.new_blob)
    if new is None:
        rec.skipped.append(stamp)
        return
    rec.last_change = stamp
    old = _snap(snapshots, rec.type, ch.old_blob)
    if old is None:  # the version before was broken (or is missing): use the last good one
        old = rec.snapshot
    if old is None:
        rec.changes.append(Change(KNOWN, stamp, snapshot=new))
    else:
        for name in fields:
            before, after = old.get(name), new.get(name)
            if before != after:
                rec.changes.append(Change(CHANGED, stamp, name, before, after, new))
    rec.snapshot = new


def local_day(when: datetime, tz: tzinfo) -> date:
    """The calendar day of an instant in the workspace time zone."""
    return when.astimezone(tz).date()
