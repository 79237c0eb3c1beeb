"""History stage: `read_history`, the one entry point the pipeline calls.

It runs the git pass (`store.extract`, cached), derives per-record changes as of `today`
(`events.derive`) and says plainly what is missing: no repository, no commits, a shallow
clone's start, uncommitted files (`HistoryStatus`; the views say it in words). It never
raises on an odd repository.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from datetime import date, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from builder.history.events import (
    Derived,
    Key,
    RecordHistory,
    derive,
    local_day,
    people_by_email,
)
from builder.history.git import classify
from builder.history.store import extract
from builder.model import Workspace

OK = "ok"
NO_REPO = "no_repo"  # the folder is not in a git repository
NO_COMMITS = "no_commits"  # a repository, but no commit (up to today) touches the folder
ERROR = "error"  # git is missing, or failed


#: The last derivation, with what it was derived from (see read_history).
_DERIVED: list[tuple[tuple[Any, ...], Derived]] = []


@dataclass(frozen=True)
class HistoryStatus:
    """How complete the history is. `state` is one of OK, NO_REPO, NO_COMMITS, ERROR."""

    state: str = OK
    reason: str = ""  # git's own words, for NO_REPO and ERROR
    shallow_since: date | None = None  # a shallow clone: history starts that day
    uncommitted: tuple[str, ...] = ()  # content-relative paths with uncommitted changes
    first: date | None = None  # the day of the first commit read
    commits: int = 0  # commits read (up to today)
    later: int = 0  # commits dated after today, left out
    today: date | None = None  # the day the history is read as of

    @property
    def complete(self) -> bool:
        return self.state == OK and self.shallow_since is None and not self.uncommitted


@dataclass
class History:
    """Every record's history as of `today`, and how complete it is."""

    records: dict[Key, RecordHistory] = field(default_factory=dict)
    status: HistoryStatus = field(default_factory=HistoryStatus)
    today: date = date(1970, 1, 1)
    tz: tzinfo = field(default_factory=lambda: ZoneInfo("UTC"))
    renamed: dict[Key, str] = field(default_factory=dict)  # old id -> id it was renamed to
    timings: dict[str, float] = field(default_factory=dict, repr=False, compare=False)
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)  # views' indexes
    #: Views' results that depend on the histories alone, shared by every History read
    #: from the same commits (see `Derived.memo`)
    kept: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    _dirty: set[Key] | None = field(default=None, repr=False, compare=False)

    def get(self, kind: str, ident: str) -> RecordHistory | None:
        """The history of record (`kind`, `ident`), following renames to the current id."""
        rec = self.records.get((kind, ident))
        if rec is None and (kind, ident) in self.renamed:
            rec = self.records.get((kind, self.renamed[(kind, ident)]))
        return rec

    def is_uncommitted(self, kind: str, ident: str) -> bool:
        """True when the record's file has changes that are not committed yet."""
        return (kind, ident) in self._dirty_keys()

    def _dirty_keys(self) -> set[Key]:
        if self._dirty is None:
            keys = (classify(p) for p in self.status.uncommitted)
            self._dirty = {k for k in keys if k is not None}
        return self._dirty

    def digest(self, kind: str, ident: str) -> str:
        """A digest of everything the history says of record (`kind`, `ident`) (following
        renames, as `get` does), and whether its file has uncommitted changes: what a
        page that shows this record's history depends on. Computed once per derivation
        (kept in `kept`, which lives as long as the commits, authors' emails, today and
        time zone do); a commit that does not touch the record leaves it as it is."""
        found = self._digest(kind, ident)
        return found + "u" if self.is_uncommitted(kind, ident) else found

    def _digest(self, kind: str, ident: str) -> str:
        memo: dict[Key, str] = self.kept.setdefault("digests", {})
        found = memo.get((kind, ident))
        if found is None:
            found = memo[(kind, ident)] = record_digest(self.get(kind, ident))
        return found

    def statuses(self, ident: str) -> tuple[str | None, ...]:
        """The statuses task `ident`'s history shows it in, each once (None: the file
        had none, so the task stood in its backlog); what its timeline names."""
        memo: dict[str, tuple[str | None, ...]] = self.kept.setdefault("task_statuses", {})
        found = memo.get(ident)
        if found is None:
            rec = self.get("task", ident)
            values = () if rec is None else (v for v, _ in rec.values("status"))
            found = memo[ident] = tuple(
                dict.fromkeys(None if v is None else str(v) for v in values)
            )
        return found

    def kind_digest(self, kind: str) -> str:
        """A digest of the histories of every record of `kind`, deleted ones too (the
        funnels' conversions, the reports' done days read them all)."""
        memo: dict[str, str] = self.kept.setdefault("kind_digests", {})
        found = memo.get(kind)
        if found is None:
            parts = [
                f"{ident}\1{self._digest(k, ident)}"
                for k, ident in sorted(self.records)
                if k == kind
            ]
            parts += [f"{old}>{new}" for (k, old), new in sorted(self.renamed.items()) if k == kind]
            found = memo[kind] = hashlib.sha1("\0".join(parts).encode()).hexdigest()
        dirty = sorted(i for k, i in self._dirty_keys() if k == kind)
        return found + ("u" + "\1".join(dirty) if dirty else "")


def record_digest(rec: RecordHistory | None) -> str:
    """What a record's history holds, as one digest: each change (its kind, commit, the
    person its author is, the field and values, the version's fields), the commits that
    created, last changed and deleted it, the broken versions, its former ids. A commit's
    date and author are its id's: the commit stands for them."""
    if rec is None:
        return "-"
    parts: list[object] = [
        rec.type,
        rec.id,
        rec.path,
        rec.created.commit if rec.created else None,
        rec.deleted.commit if rec.deleted else None,
        rec.last_change.commit if rec.last_change else None,
        tuple(s.commit for s in rec.skipped),
        tuple(rec.former_ids),
    ]
    for ch in rec.changes:
        snap = ch.snapshot
        parts.append(
            (
                ch.kind,
                ch.stamp.commit,
                ch.stamp.author.person,
                ch.field,
                ch.old,
                ch.new,
                None if snap is None else tuple(snap.items()),
            )
        )
    return hashlib.sha1(repr(parts).encode()).hexdigest()


def workspace_tz(ws: Workspace) -> tzinfo:
    """The workspace's time zone (settings.timezone), UTC when unknown."""
    try:
        return ZoneInfo(ws.settings.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def read_history(
    content_root: Path, workspace: Workspace, today: date, use_cache: bool = True
) -> History:
    """Read the git history of the workspace folder `content_root` as of `today`.

    Authors map to people by email; days are counted in the workspace time zone; commits
    dated after `today` are left out, so an older `--today` shows the history as it was.
    """
    tz = workspace_tz(workspace)
    found = extract(Path(content_root), use_cache)
    if found.info is None:
        # "not a git repository" is the expected case; anything else (git missing, a
        # repository git refuses to read, such as one owned by another user) is an error.
        state = NO_REPO if "not a git repository" in found.problem else ERROR
        return History(status=HistoryStatus(state, found.problem), today=today, tz=tz)
    if found.problem:
        return History(status=HistoryStatus(ERROR, found.problem), today=today, tz=tz)
    started = time.perf_counter()
    emails = people_by_email(workspace)
    # A commit's changes and blobs are fixed by its id: the same HEAD (and authors' emails,
    # day and zone) derives the same histories, so a rebuild without a new commit (the
    # serve loop's) reuses the last ones
    key = (
        found.info.toplevel,
        found.info.prefix,
        found.info.head,
        found.info.shallow,
        tuple(sorted(emails.items())),
        today,
        str(tz),
    )
    if use_cache and _DERIVED and _DERIVED[0][0] == key:
        derived = _DERIVED[0][1]
    else:
        derived = derive(found.commits, found.snapshots, emails, today, tz, found.info.shallow)
        if use_cache:
            _DERIVED[:] = [(key, derived)]
    used = derived.commits
    shallow_since = None
    if found.info.shallow:
        starts = [local_day(c.when, tz) for c in used if c.sha in found.info.shallow]
        shallow_since = min(starts) if starts else today
    status = HistoryStatus(
        OK if used else NO_COMMITS,
        shallow_since=shallow_since,
        uncommitted=found.uncommitted,
        first=min((local_day(c.when, tz) for c in used), default=None),
        commits=len(used),
        later=derived.later,
        today=today,
    )
    timings = {**found.timings, "derive": time.perf_counter() - started}
    return History(derived.records, status, today, tz, derived.renamed, timings, kept=derived.memo)
