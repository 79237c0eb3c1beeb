"""History stage, step 3: the one pass over git, made incremental by a cache.

`extract(root)` returns every commit that touched the content folder and a snapshot of
every record version those commits name. The cache (`.plaindesk-cache/history-*.json` at
the repository's top, per content folder) keeps both, keyed by the HEAD it was made at. A
new build asks git only for `cached_head..HEAD` and for blobs it has not parsed yet, and
writes just those to a small delta file beside the base file (the base is rewritten once
the delta grows past `DELTA_MAX` commits). A rewritten history (rebase, force-push)
re-reads the log but keeps the parsed blobs, since a blob's id is its content.

The cache is JSON, not pickle: it lives inside a repository that others can write to, and
loading it must never run code. A cache that is unreadable, of another version or for
another content folder is ignored and rewritten; failing to write it only costs speed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from builder.history.blobs import FIELDS, Snapshot, snapshot
from builder.history.git import (
    Commit,
    FileChange,
    GitError,
    RepoInfo,
    classify,
    is_ancestor,
    read_blobs,
    read_log,
    repo_info,
    uncommitted,
)

CACHE_DIR = ".plaindesk-cache"
#: 2: versions are read by the loader's own parser (`blobs`): the first of two duplicate
#: keys now wins, as on the record's page, so snapshots cached before are read again
CACHE_VERSION = 2


@dataclass
class Extracted:
    """What one pass over git found (before any interpretation)."""

    info: RepoInfo | None
    commits: list[Commit] = field(default_factory=list)  # children first, as git lists
    snapshots: dict[str, Snapshot | None] = field(default_factory=dict)  # "kind:blob" ->
    uncommitted: tuple[str, ...] = ()
    problem: str = ""  # why there is no history (not a repository, git failed, ...)
    from_cache: int = 0  # commits reused from the cache (for the benchmark and tests)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per step


def extract(root: Path, use_cache: bool = True) -> Extracted:
    """Read the history of the content folder `root`; never raises."""
    info = repo_info(root)
    if isinstance(info, str):
        return Extracted(None, problem=info)
    try:
        return _extract(info, use_cache)
    except (GitError, ValueError, OSError) as exc:
        return Extracted(info, problem=str(exc) or type(exc).__name__)


def _extract(info: RepoInfo, use_cache: bool) -> Extracted:
    clock = _Clock()
    files = _Files(info.toplevel / CACHE_DIR, _key(info.prefix))
    cached = _load(files, info) if use_cache else None
    clock.lap("cache_load")
    commits: list[Commit]
    reused = 0
    snapshots: dict[str, Snapshot | None] = dict(cached.snapshots) if cached else {}
    if info.head is None:
        commits = []
    elif cached is not None and cached.head == info.head:
        commits, reused = cached.commits, len(cached.commits)
    elif cached is not None and is_ancestor(info, cached.head, info.head):
        commits = read_log(info, since=cached.head) + cached.commits
        reused = len(cached.commits)
    else:
        commits, cached = read_log(info), None
    clock.lap("git_log")
    if cached is not None and commits is cached.commits:  # HEAD unchanged
        if cached.wanted is None:
            cached.wanted = _wanted(commits)
        wanted = cached.wanted
    else:
        wanted = _wanted(commits)
    missing = {key: sha for key, sha in wanted.items() if key not in snapshots}
    if missing:
        blobs = read_blobs(info, set(missing.values()))
        clock.lap("git_cat_file")
        for key, sha in missing.items():
            data = blobs.get(sha)
            snapshots[key] = None if data is None else snapshot(key.split(":", 1)[0], data)
        clock.lap("parse_blobs")
    if use_cache and info.head is not None and (cached is None or cached.head != info.head):
        _save(files, info, commits, snapshots, wanted, cached)
        clock.lap("cache_save")
    try:
        dirty = uncommitted(info)
    except GitError:
        dirty = ()
    clock.lap("git_status")
    return Extracted(info, commits, snapshots, dirty, "", reused, clock.laps)


class _Clock:
    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = now - self._last
        self._last = now


def _wanted(commits: list[Commit]) -> dict[str, str]:
    """Map "kind:blob" -> blob for every record version whose fields history follows."""
    wanted: dict[str, str] = {}
    for commit in commits:
        for ch in commit.changes:
            for path, blob in ((ch.old_path, ch.old_blob), (ch.new_path, ch.new_blob)):
                if path is None or blob is None:
                    continue
                kind = classify(path)
                if kind is not None and kind[0] in FIELDS:
                    wanted[f"{kind[0]}:{blob}"] = blob
    return wanted


def _key(prefix: str) -> str:
    return hashlib.sha1(prefix.encode("utf-8", "surrogateescape")).hexdigest()[:12]


@dataclass
class _Files:
    """The cache: a base file, rewritten now and then, and a small delta file with the
    commits since the base, rewritten on every new commit."""

    folder: Path
    key: str

    @property
    def base(self) -> Path:
        return self.folder / f"history-{self.key}.json"

    @property
    def delta(self) -> Path:
        return self.folder / f"history-{self.key}.delta.json"


@dataclass
class _Cached:
    head: str
    commits: list[Commit]  # newest first
    snapshots: dict[str, Snapshot | None]
    base_head: str  # the head of the base file
    base_commits: int  # how many of `commits` (the oldest) the base file holds
    base_snapshots: int
    wanted: dict[str, str] | None = None  # `_wanted(commits)`, once it is asked for


#: rewrite the base file once the delta holds this many commits
DELTA_MAX = 500


#: The cache as last loaded by this process (the serve loop reads the history on every
#: rebuild), by base file, with the files' stamps: decoding it again is most of a read.
_LOADED: dict[Path, tuple[tuple[Any, ...], _Cached | None]] = {}


def _stamp(files: _Files, info: RepoInfo) -> tuple[Any, ...]:
    out: list[Any] = [info.prefix, tuple(sorted(info.shallow))]
    for file in (files.base, files.delta):
        try:
            st = file.stat()
            out += [st.st_mtime_ns, st.st_size, st.st_ino]
        except OSError:
            out += [None, None, None]
    return tuple(out)


def _load(files: _Files, info: RepoInfo) -> _Cached | None:
    """The cache, from memory while its files are unchanged (callers only read it)."""
    stamp = _stamp(files, info)
    kept = _LOADED.get(files.base)
    if kept is not None and kept[0] == stamp:
        return kept[1]
    cached = _load_files(files, info)
    _LOADED.clear()  # one content folder per process, in practice: keep one
    _LOADED[files.base] = (stamp, cached)
    return cached


def _load_files(files: _Files, info: RepoInfo) -> _Cached | None:
    base = _read(files.base, info)
    if base is None:
        return None
    head, commits, snapshots = base
    cached = _Cached(head, commits, snapshots, head, len(commits), len(snapshots))
    delta = _read(files.delta, info, base=head)
    if delta is not None:
        cached.head = delta[0]
        cached.commits = delta[1] + commits
        cached.snapshots = {**snapshots, **delta[2]}
    return cached


def _read(
    file: Path, info: RepoInfo, base: str | None = None
) -> tuple[str, list[Commit], dict[str, Snapshot | None]] | None:
    try:
        data = json.loads(file.read_text("utf-8"))
        if (
            data.get("version") != CACHE_VERSION
            or data.get("prefix") != info.prefix
            or sorted(data.get("shallow", [])) != sorted(info.shallow)
            or data.get("base") != base
        ):
            return None
        commits = [_commit_from(row) for row in data["commits"]]
        snapshots: dict[str, Snapshot | None] = data["snapshots"]
        if not isinstance(snapshots, dict):
            return None
        return str(data["head"]), commits, snapshots
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


def _save(
    files: _Files,
    info: RepoInfo,
    commits: list[Commit],
    snapshots: dict[str, Snapshot | None],
    wanted: dict[str, str],
    cached: _Cached | None,
) -> None:
    new = len(commits) - cached.base_commits if cached else len(commits)
    if cached is not None and new <= DELTA_MAX:
        base_keys = len(snapshots) - cached.base_snapshots
        added = dict(list(snapshots.items())[len(snapshots) - base_keys :]) if base_keys else {}
        _write(files.delta, info, commits[:new], added, base=cached.base_head)
        return
    kept = {k: v for k, v in snapshots.items() if k in wanted}  # drop rewritten history's
    if _write(files.base, info, commits, kept):
        with contextlib.suppress(OSError):
            files.delta.unlink()


def _write(
    file: Path,
    info: RepoInfo,
    commits: list[Commit],
    snapshots: dict[str, Snapshot | None],
    base: str | None = None,
) -> bool:
    data = {
        "version": CACHE_VERSION,
        "prefix": info.prefix,
        "shallow": sorted(info.shallow),
        "base": base,
        "head": info.head,
        "commits": [_commit_row(c) for c in commits],
        "snapshots": snapshots,
    }
    tmp: str | None = None
    try:
        file.parent.mkdir(exist_ok=True)
        ignore = file.parent / ".gitignore"
        if not ignore.exists():  # the cache folder ignores itself, like .pytest_cache
            ignore.write_text("# created by plaindesk\n*\n", "utf-8")
        fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=".history-", suffix=".tmp")
        text = json.dumps(data, separators=(",", ":"))  # one shot: twice as fast as dump()
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, file)
        return True
    except OSError:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        return False


def _commit_row(c: Commit) -> list[Any]:
    return [
        c.sha,
        list(c.parents),
        c.name,
        c.email,
        c.when.isoformat(),
        c.committed,
        [[x.status, x.old_path, x.new_path, x.old_blob, x.new_blob] for x in c.changes],
    ]


def _commit_from(row: list[Any]) -> Commit:
    sha, parents, name, email, when, committed, changes = row
    return Commit(
        str(sha),
        tuple(parents),
        str(name),
        str(email),
        datetime.fromisoformat(when),
        int(committed),
        tuple(map(FileChange._make, changes)),
    )
