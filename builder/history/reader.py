"""History stage: `read_history`, the one entry point the pipeline calls.

It runs the git pass (`store.extract`, cached), derives per-record changes as of `today`
(`events.derive`) and says plainly what is missing: no repository, no commits, a shallow
clone's start, uncommitted files (`HistoryStatus`; the views say it in words). It never
raises on an odd repository.
"""

from __future__ import annotations

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
        if self._dirty is None:
            keys = (classify(p) for p in self.status.uncommitted)
            self._dirty = {k for k in keys if k is not None}
        return (kind, ident) in self._dirty


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
