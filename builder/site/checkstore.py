"""The check's read and typed records kept between `plaindesk build`s (docs/incremental.md),
so that a build reads every record file but parses and types only those whose bytes
changed since the last build.

`.plaindesk-cache/check.bin` holds, per record file, the digest of its bytes, the record
as read (without its YAML tree: only typing reads that), the problems reading it gave, and
the record as typed with the problems typing gave; `check-delta.bin` the files changed
since (a build that changes a few files writes a small file, not the whole). Both are
stamped with the Plaindesk that wrote them, the folder problem lines name and what typing
reads of workspace.yml (`SettingsKeys.general`: not the workflows and pipelines, so a
column renamed keeps them): a file with another stamp is not used; one that cannot be read
is not used, and the build says so in its log.

What is kept goes into a `CheckCache` as the serve loop's would be after a first check:
each file under the stat it has now, which `load` compares, so a file edited while the
build runs is read again."""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import stat
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from builder.load.files import Listing, RawRecord, discover, load_settings
from builder.load.yamltree import Mapping
from builder.model import Record
from builder.output import write_whole
from builder.pipeline import CheckCache, paused_gc
from builder.problems import Problem

log = logging.getLogger("plaindesk")

BASE = "check.bin"
DELTA = "check-delta.bin"
FORMAT = 2  # 2: stamped with what typing reads of workspace.yml, not its text
#: the delta is folded into the base once it holds this share of the files
FOLD = 8

StatKey = tuple[int, int, int]
#: content-relative path -> `file_print` (None: not a regular file)
Prints = dict[str, "tuple[str, StatKey] | None"]
Typed = tuple[str, str, Record, list[Problem]]
#: a file's bytes digest, its record as read (no tree), reading's problems, the typed record
Entry = tuple[str, RawRecord | None, list[Problem], Typed | None]

_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_NOFOLLOW", 0)
)
_NO_TREE = Mapping(0, 0)


def file_print(path: str) -> tuple[str, StatKey] | None:
    """The digest of a regular file's bytes and its stat as `load` keys it, or None (not
    a regular file, a link, unreadable: `load` reads it and says why)."""
    try:
        fd = os.open(path, _FLAGS)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None
        h = hashlib.sha1()
        while chunk := os.read(fd, max(st.st_size + 1, 65536)):
            h.update(chunk)
    except OSError:
        return None
    finally:
        os.close(fd)
    return h.hexdigest(), (st.st_mtime_ns, st.st_size, st.st_ino)


@dataclass
class Seen:
    """What the inputs digest (`builder.site.inputs`) read of the content folder, which
    the check takes instead of walking and hashing it again: `discover`'s listing and
    each file's `file_print`."""

    prints: Prints = field(default_factory=dict)
    listing: Listing | None = None


@dataclass
class CheckStore:
    """The kept records of one project, for one build."""

    folder: Path
    stamp: str
    base_id: str = ""
    base: dict[str, Entry] = field(default_factory=dict)
    delta: dict[str, Entry | None] = field(default_factory=dict)
    seen: dict[str, tuple[str, StatKey]] = field(default_factory=dict)  # read now
    primed: int = 0  # files whose kept record the check took


def store_stamp(code: str, root: Path) -> str:
    """What the kept records depend on besides each file's bytes: Plaindesk's code, the
    folder problem lines name and what typing reads of workspace.yml (all but its
    workflows and pipelines: `SettingsKeys.general`, as `builder.pipeline` keys typed
    records). A kept record has no YAML tree to be typed again from."""
    from builder.model.settings_keys import settings_keys
    from builder.validate.settings import read_settings

    loaded = load_settings(root)
    if loaded.settings_broken:
        typing = "-"
    else:
        settings, _ = read_settings(loaded.settings, loaded.settings_path)
        typing = settings_keys(settings).general
    return f"{FORMAT}:{code}:{root.as_posix()}:{typing}"


def prime(
    root: Path, folder: Path, code: str, seen: Seen | None = None
) -> tuple[CheckCache, CheckStore]:
    """A check cache holding the kept records of the files whose bytes are unchanged.
    `seen`: the listing and the files' `file_print`s taken already (`inputs_digest`'s)."""
    store = CheckStore(folder, store_stamp(code, root))
    with paused_gc():  # a million objects unpickled: the collector would walk them often
        _load(store)
    kept = {**store.base, **store.delta}
    cache = CheckCache(stand_in=False)  # a build stops on errors: nothing stands in
    prints = seen.prints if seen is not None else None
    listing = seen.listing if seen is not None and seen.listing is not None else discover(root)
    for _kind, rel in listing.found:
        found = prints.get(rel) if prints is not None else file_print(os.path.join(root, rel))
        if found is None:
            continue
        store.seen[rel] = found
        entry = kept.get(rel)
        if entry is None or entry[0] != found[0]:
            continue
        _digest, raw, problems, typed = entry
        cache.files[rel] = (found[1], raw, problems)
        if raw is not None and typed is not None:
            cache.typed[raw.path] = typed
        store.primed += 1
    return cache, store


def _load(store: CheckStore) -> None:
    base = _read(store, BASE)
    if base is None:
        return
    store.base_id, store.base = base[0], base[1]
    delta = _read(store, DELTA)
    if delta is not None and delta[0] == store.base_id:
        store.delta = delta[1]


def _read(store: CheckStore, name: str) -> tuple[str, Any] | None:
    path = store.folder / name
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        fmt, stamp, ident, entries = pickle.loads(data)
        if not isinstance(entries, dict) or not isinstance(ident, str):
            raise ValueError("not a check cache")
    except Exception as exc:  # unpickling a damaged file raises anything
        log.warning("plaindesk: %s cannot be read (%s): every record is read anew", path, exc)
        return None
    if fmt != FORMAT or stamp != store.stamp:
        log.info("plaindesk: %s is another Plaindesk's or workspace.yml's: not used", path)
        return None
    return ident, entries


def save(store: CheckStore, cache: CheckCache) -> None:
    """Keep the records the check read now (only those of the very file version that was
    hashed: a file edited in between is read again next time)."""
    now: dict[str, Entry | None] = {}  # None: as the base holds it
    changed: dict[str, Entry | None] = {}
    for rel, (key, raw, problems) in cache.files.items():
        seen = store.seen.get(rel)
        if seen is None or seen[1] != key:
            continue
        if store.base.get(rel, ("",))[0] == seen[0]:
            now[rel] = None  # most files: no new entry to make
            continue
        typed = cache.typed.get(raw.path) if raw is not None else None
        kept = replace(raw, fields=_NO_TREE) if raw is not None else None
        now[rel] = changed[rel] = (seen[0], kept, problems, typed)
    changed.update((rel, None) for rel in store.base if rel not in now)
    try:
        if not store.base_id or len(changed) * FOLD > len(now):
            whole = {rel: e or store.base[rel] for rel, e in now.items()}
            _write(store, BASE, uuid.uuid4().hex, whole)
            (store.folder / DELTA).unlink(missing_ok=True)
        elif changed.keys() != store.delta.keys() or any(
            (e[0] if e else "") != ((store.delta[rel] or ("",))[0]) for rel, e in changed.items()
        ):
            _write(store, DELTA, store.base_id, changed)
    except OSError as exc:  # a full disk: the next build reads every record anew
        log.info("plaindesk: the check's records were not kept: %s", exc)


def _write(store: CheckStore, name: str, ident: str, entries: dict[str, Any]) -> None:
    data = pickle.dumps((FORMAT, store.stamp, ident, entries), protocol=5)
    write_whole(store.folder / name, data)
