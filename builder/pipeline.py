"""The one pipeline: load -> validate (fields, defaults, rules, warnings) -> model. The CLI,
the MkDocs plugin and the benchmarks all call `run_check`, so problems look the same
everywhere."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from builder.load.files import (
    SETTINGS_FILE,
    Listing,
    Loaded,
    ReadCache,
    display_path,
    load,
    load_settings,
    quoted,
    read_cached,
    relist,
)
from builder.model import Record, Settings, Workspace
from builder.model.schema import RECORD_TYPES, SECTIONS
from builder.model.settings_keys import settings_keys
from builder.problems import Problem, sort_key
from builder.validate.defaults import Copies, default_status, resolve_defaults, resolve_record
from builder.validate.fields import build_record
from builder.validate.incremental import RuleCache, settings_read
from builder.validate.rules import duplicate_id, run_rules
from builder.validate.settings import effective_today, read_settings
from builder.validate.warnings import run_warnings


@dataclass
class CheckResult:
    """The typed workspace, every problem (sorted), the today used and the files read."""

    workspace: Workspace
    problems: list[Problem] = field(default_factory=list)
    today: date = date(1970, 1, 1)
    files: int = 0
    #: record files that could not be read as records, so are not on the site (in the
    #: serve loop, those with a last good version stand in it: `Workspace.stale`)
    left_out: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    def summary(self) -> str:
        e, w = len(self.errors), len(self.warnings)
        return (
            f"{e} error{'s' if e != 1 else ''}, {w} warning{'s' if w != 1 else ''} "
            f"in {self.files} record{'s' if self.files != 1 else ''}"
        )


@dataclass
class CheckCache:
    """What the serve loop keeps between checks: parsed files (keyed by their stat) and
    typed records (keyed by file digest and the settings typing reads), so an edit
    re-reads and re-types one file; cross-record rules and warnings run for the records an edit may
    have changed the answer for (`builder.validate.incremental`). Told which files changed
    (serve's watcher), a check of edits in place starts from the last one (`last`,
    `_check_edits`) and costs what the edited files and the records reading them cost."""

    files: ReadCache = field(default_factory=dict)
    typed: dict[str, tuple[str, str, Record, list[Problem]]] = field(default_factory=dict)
    listing: Listing | None = None  # the record files found last time
    #: path -> (type, record) as last typed with no error in its file: while a bad edit
    #: is being fixed, `serve` shows this version (marked stale) instead of dropping it
    good: dict[str, tuple[str, Record]] = field(default_factory=dict)
    #: each record's problems from the cross-record rules and warnings, checked again
    #: only where an edit may change them
    rules: RuleCache = field(default_factory=RuleCache)
    #: the filled-in copies of records that leave a defaulted field empty
    copies: Copies = field(default_factory=dict)
    #: problems as quoted (by the problem's id, kept alive with it, and its file's head)
    quoted: dict[int, tuple[Problem, str, Problem]] = field(default_factory=dict)
    #: serve: a record whose file broke stands in as last good (False: a build, which
    #: stops on errors, spares working out which)
    stand_in: bool = True
    #: the last check's listing and what `_found` made of it
    found: tuple[Listing | None, dict[str, str]] | None = None
    #: what the last check made, which the next one changes where files were edited
    last: Last | None = None
    whole: int = 0  # checks made whole (not from `last` and the files edited)


@dataclass
class Last:
    """A check's answer in the pieces an edit of a few record files changes (see
    `_check_edits`): the records by type as typed, then with their defaults (before any
    stands in as last good), the problems before the cross-record rules, and what the
    rules and warnings, the quoting and `_stand_in_last_good` read."""

    today: date | None
    day: date
    settings: Settings
    typing: str
    files: int
    typed: dict[str, dict[str, Any]]  # type -> id -> record, as typed
    resolved: dict[str, dict[str, Any]]  # ... with its defaults
    #: (type, id) of records that more than one file gives
    duplicated: set[tuple[str, str]]
    before_rules: list[Problem]
    heads: dict[str, str] = field(default_factory=dict)
    unread: list[str] = field(default_factory=list)  # found record files not read as records
    bad: set[str] = field(default_factory=set)  # files with errors


#: Inside `frozen_gc`: what a paused stretch leaves alive is frozen as it ends.
_FREEZING = False


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while loading: the records we keep alive
    make each of its passes slower (a third of check's time at 13,000 records), and our
    objects form no cycles that need it; reference counting still frees everything.
    Inside `frozen_gc` (one `plaindesk build`), what is alive as the pause ends is frozen:
    the collector's next pass would walk all of it once, and its full passes again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if _FREEZING:
            gc.freeze()
        if enabled:
            gc.enable()


@contextmanager
def frozen_gc() -> Iterator[None]:
    """One `plaindesk build`: the kept records, the checked workspace and the derived
    views live until it ends (millions of objects, no cycles of ours), and each pass of
    the collector after a paused stretch would walk them again (a sixth of a 10-edit
    build's CPU at scale 1). Within it, they are kept out of its passes (`gc.freeze`,
    see `paused_gc`: still freed when no longer referenced, but a cycle among them only
    once the build ends); on leaving, the collector takes them back (`gc.unfreeze`)."""
    global _FREEZING
    before, _FREEZING = _FREEZING, True
    try:
        yield
    finally:
        _FREEZING = before
        if not before:
            gc.unfreeze()


def run_check(
    root: Path,
    today: date | None = None,
    cache: CheckCache | None = None,
    changed: set[str] | None = None,
    listing: Listing | None = None,
) -> CheckResult:
    """Load and validate the workspace at `root`; never raises on bad user data.

    `cache` keeps parsed files and typed records between runs (the serve loop); with
    `changed`, the workspace-relative paths a file watcher saw touched since the last run,
    the tree is neither walked nor stat-ed beyond them. `listing`: the tree's, walked a
    moment ago (`plaindesk build`'s inputs digest), with a `cache` and no `changed`.
    """
    with paused_gc():
        return _run_check(root, today, cache, changed, listing)


def _run_check(
    root: Path,
    today: date | None,
    cache: CheckCache | None,
    changed: set[str] | None,
    listing: Listing | None = None,
) -> CheckResult:
    if cache is not None and changed is not None:
        result = _check_edits(root, today, cache, changed)
        if result is not None:
            return result
    if cache is None:
        loaded = load(root)
    else:
        cache.whole += 1
        if changed is not None and cache.listing is not None:
            listing = relist(root, cache.listing, changed)
        loaded = load(root, cache.files, listing, changed if listing is not None else None)
        cache.listing = loaded.listing
    problems = list(loaded.problems)
    if loaded.settings_broken:
        # Typed against default settings, records would fail by the hundred (unknown
        # workflows, custom fields, currencies) and bury the one problem that matters.
        settings, _ = read_settings(None, loaded.settings_path)
        problems.sort(key=sort_key)
        return CheckResult(
            Workspace(settings), problems, effective_today(settings, today), loaded.files
        )
    settings, settings_problems = read_settings(loaded.settings, loaded.settings_path)
    problems += quoted(settings_problems, loaded.settings_text)
    settings.digest = loaded.settings_digest
    ws = Workspace(settings)
    # typing reads the settings but their workflows and pipelines (statuses and stages are
    # read as text; the cross-record rules check them): a column renamed types no record
    typing = settings_keys(settings).general if cache is not None else ""
    heads, typed, duplicated = _type_records(ws, loaded, cache, typing, problems)
    if cache is not None:
        cache.typed = typed  # deleted files drop out
        as_typed: dict[str, dict[str, Any]] = {k: ws.table(k).copy() for k in RECORD_TYPES}
    resolve_defaults(ws, cache.copies if cache is not None else None)
    day = effective_today(settings, today)
    before_rules = problems.copy()
    if cache is None:
        problems += run_rules(ws)
        problems += run_warnings(ws, day)
    else:
        problems += cache.rules.run(ws, day)
    found = _found(loaded, cache)
    read = {raw.path for raw in loaded.records}
    if cache is not None:
        cache.last = _last(today, day, loaded, typing, as_typed, ws, duplicated, before_rules)
        cache.last.heads = heads
        cache.last.unread = sorted(p for p in found if p not in read)
        cache.last.bad = {p.path for p in problems if p.is_error}
    if cache is not None and cache.stand_in:
        _stand_in_last_good(ws, cache, found, typed, problems)
    problems = _quote_records(problems, heads, cache.quoted if cache is not None else None)
    problems.sort(key=sort_key)
    stale = set(ws.stale.values())
    left_out = sorted(p for p in found if p not in read and p not in stale)
    return CheckResult(ws, problems, day, loaded.files, left_out)


def _type_records(
    ws: Workspace, loaded: Loaded, cache: CheckCache | None, typing: str, problems: list[Problem]
) -> tuple[dict[str, str], dict[str, tuple[str, str, Record, list[Problem]]], set[tuple[str, str]]]:
    """Type every record read into `ws`'s tables (`cache`: those typed last time from the
    same file under the same `typing` are taken as they are), adding their problems: each
    file's head, what is kept of each in `cache.typed`, and the (type, id)s two files give."""
    heads: dict[str, str] = {}
    typed: dict[str, tuple[str, str, Record, list[Problem]]] = {}
    duplicated: set[tuple[str, str]] = set()
    for raw in loaded.records:
        if cache is None:
            record, field_problems = build_record(raw, ws.settings)
        else:
            hit = cache.typed.get(raw.path)
            if hit is not None and hit[0] == raw.digest and hit[1] == typing:
                record, field_problems = hit[2], hit[3]
            else:
                record, field_problems = build_record(raw, ws.settings)
            # kept as read: resolving defaults gives the workspace a copy, never changes it
            typed[raw.path] = (raw.digest, typing, record, field_problems)
        heads[raw.path] = raw.head
        problems += field_problems
        if not raw.valid_id:  # reported (PD108); an unsafe id never reaches a path or link
            continue
        table = ws.table(raw.type)
        if raw.id in table:
            problems.append(duplicate_id(raw.type, table[raw.id], record))
            duplicated.add((raw.type, raw.id))
            continue
        table[raw.id] = record
    return heads, typed, duplicated


def _last(
    today: date | None,
    day: date,
    loaded: Loaded,
    typing: str,
    typed: dict[str, dict[str, Any]],
    ws: Workspace,
    duplicated: set[tuple[str, str]],
    before_rules: list[Problem],
) -> Last:
    """A whole check's answer kept for the next (`_check_edits`)."""
    resolved: dict[str, dict[str, Any]] = {k: ws.table(k).copy() for k in RECORD_TYPES}
    return Last(
        today, day, ws.settings, typing, loaded.files, typed, resolved, duplicated, before_rules
    )


def _check_edits(
    root: Path, today: date | None, cache: CheckCache, changed: set[str]
) -> CheckResult | None:
    """Serve: the last check's answer changed where the record files in `changed` were
    edited in place (the same files found, workspace.yml and today as they were): those
    files read and typed again, their records' defaults, the rules for them and the
    records that read them, the counting warnings for their groups (`RuleCache.run_edits`).
    None when the edit is not of that kind (a file added, deleted, renamed or unreadable;
    a duplicate id; a project whose tasks' default status changes): a whole check then."""
    standing = _standing(root, today, cache, changed)
    if standing is None:
        return None
    last, found = standing
    settings: tuple[Settings, list[Problem]] | None = None
    if SETTINGS_FILE in changed:
        settings = _settings_edit(root, last, cache.rules.settings, len(found) + 1)
        if settings is None:
            return None
        last.settings = settings[0]
    cache.last = None  # changed below: a failure half-way leaves a whole check to do
    read = _read_edits(root, cache, last, changed, found)
    if read is None:
        return None
    edits, files = read
    if settings is not None:  # its problems are the file's
        files[display_path(root, SETTINGS_FILE)] = settings[1]
    made = _edited_workspace(last, edits, cache.copies)
    if made is None:
        return None
    ws, resolved = made
    problems = [p for p in last.before_rules if p.path not in files]
    for mine in files.values():
        problems += mine
    last.before_rules = problems.copy()
    problems += cache.rules.run_edits(ws, last.day, resolved)
    bad = {p.path for p in problems if p.is_error}
    if cache.stand_in:
        _stand_in_last_good(ws, cache, found, cache.typed, problems, files.keys() | last.bad | bad)
    last.bad = bad
    cache.last = last
    problems = _quote_records(problems, last.heads, cache.quoted)
    problems.sort(key=sort_key)
    stale = set(ws.stale.values())
    left_out = [p for p in last.unread if p not in stale]
    return CheckResult(ws, problems, last.day, last.files, left_out)


def _standing(
    root: Path, today: date | None, cache: CheckCache, changed: set[str]
) -> tuple[Last, dict[str, str]] | None:
    """The last check and its record files found (`_found`), when the files in `changed`
    leave the same files found (none added, deleted or renamed) and today is the same."""
    last = cache.last
    if (
        last is None
        or cache.listing is None
        or cache.found is None
        or last.today != today
        or cache.rules.groups is None
    ):
        return None
    listing = relist(root, cache.listing, changed)
    if listing is not cache.listing or cache.found[0] is not listing:
        return None
    return last, cache.found[1]


def _edited_workspace(
    last: Last, edits: list[tuple[str, Any, Any]], copies: Copies
) -> tuple[Workspace, list[tuple[str, Any, Any]]] | None:
    """The last check's records with those `edits` (type, record before, record now)
    gave in their place, their defaults resolved; and (type, record before, record now)
    of each as resolved. None when a project's tasks without a status take another."""
    ws = Workspace(last.settings)
    for section in RECORD_TYPES:
        setattr(ws, SECTIONS[section], last.resolved[section].copy())
    for kind, before, record in edits:
        if kind == "project" and default_status(ws, before) != default_status(ws, record):
            return None
        ws.table(kind)[record.id] = record
    resolved: list[tuple[str, Any, Any]] = []
    for kind, before, record in edits:
        ident = record.id
        now = resolve_record(ws, kind, record, copies, before)
        resolved.append((kind, last.resolved[kind][ident], now))
        ws.table(kind)[ident] = now
    for kind, _, now in resolved:
        last.resolved[kind][now.id] = now
    return ws, resolved


def _settings_edit(
    root: Path, last: Last, rules: tuple[str, date] | None, files: int
) -> tuple[Settings, list[Problem]] | None:
    """workspace.yml as edited and its problems, when the check made last can stand: the
    records typed and checked as they were (`settings_keys(...).general` and
    `settings_read` the same: a workflow's column renamed), today the same; else None.
    `files`: the files a check reads with workspace.yml, which the last one read too."""
    loaded = load_settings(root)
    if loaded.settings is None or loaded.files != 1 or files != last.files:
        return None
    settings, problems = read_settings(loaded.settings, loaded.settings_path)
    settings.digest = loaded.settings_digest
    if (
        settings_keys(settings).general != last.typing
        or effective_today(settings, last.today) != last.day
        or rules != (settings_read(settings), last.day)
    ):
        return None
    return settings, loaded.problems + quoted(problems, loaded.settings_text)


def _read_edits(
    root: Path, cache: CheckCache, last: Last, changed: set[str], found: dict[str, str]
) -> tuple[list[tuple[str, Any, Any]], dict[str, list[Problem]]] | None:
    """The record files in `changed` read and typed again: (type, record before, record
    now) of each, and each file's problems from reading and typing it. None when one is
    not read as a record now, or was not then, or its id is another file's too."""
    edits: list[tuple[str, Any, Any]] = []
    files: dict[str, list[Problem]] = {}
    for rel in sorted(changed):
        path = display_path(root, rel)
        kind = found.get(path)
        if kind is None:  # not a record file: a stray .md file's problem is its name's
            continue
        mine: list[Problem] = []
        raw = read_cached(root, kind, rel, mine, cache.files)
        now = cache.typed.get(path)
        if raw is None or now is None:
            return None
        before = now[2]
        if last.typed[kind].get(before.id) is not before or (kind, before.id) in last.duplicated:
            return None
        if now[0] == raw.digest and now[1] == last.typing:
            record, field_problems = now[2], now[3]
        else:
            record, field_problems = build_record(raw, last.settings)
        cache.typed[path] = (raw.digest, last.typing, record, field_problems)
        last.heads[path] = raw.head
        last.typed[kind][record.id] = record
        edits.append((kind, before, record))
        files[path] = mine + field_problems
    return edits, files


def _found(loaded: Loaded, cache: CheckCache | None = None) -> dict[str, str]:
    """Path -> record type of every record file the load stage found (serve: the last
    check's answer when the listing is the very same, `relist`'s after edits in place)."""
    listing = loaded.listing
    if cache is not None and cache.found is not None and cache.found[0] is listing:
        return cache.found[1]
    found = {display_path(loaded.root, rel): kind for kind, rel in listing.found} if listing else {}
    if cache is not None:
        cache.found = (listing, found)
    return found


def _stand_in_last_good(
    ws: Workspace,
    cache: CheckCache,
    found: dict[str, str],
    typed: dict[str, tuple[str, str, Record, list[Problem]]],
    problems: list[Problem],
    touched: set[str] | None = None,
) -> None:
    """Serve: a record whose file has errors now (unreadable, a bad field, a broken rule)
    stands in the version last typed without one, marked in `ws.stale`, so its card stays
    on its boards while the file is being fixed. Its digest is marked too: every page and
    card that shows it is made again, with the mark, and again once the file is fixed.
    `found`: path -> record type of every record file found (`_found`). `touched`: the
    only files whose record or errors may have changed since the last check, if known."""
    bad = {p.path for p in problems if p.is_error}
    before = cache.good
    stand = [(path, before[path]) for path in sorted(bad & before.keys())]
    if touched is None:
        good = {
            path: (found[path], record)
            for path, (_, _, record, _) in typed.items()
            if path in found and path not in bad
        }
    else:
        good = before
        for path in touched:
            now = typed.get(path)
            if now is not None and path in found and path not in bad:
                good[path] = (found[path], now[2])
            else:
                good.pop(path, None)
    for path, (kind, last) in stand:
        now = typed.get(path)
        # deleted: gone for good; unchanged (another file broke a rule of it): as it is
        if path not in found or (now is not None and now[2] is last):
            continue
        table = ws.table(kind)
        current = table.get(last.id)
        if current is not None and current.path != path:  # its id is another file's now
            continue
        table[last.id] = replace(last, digest=f"stale:{last.digest}")
        ws.stale[(kind, last.id)] = path
        good[path] = (kind, last)
    cache.good = good
    if ws.stale:
        resolve_defaults(ws)


def _quote_records(
    problems: list[Problem],
    heads: dict[str, str],
    kept: dict[int, tuple[Problem, str, Problem]] | None = None,
) -> list[Problem]:
    """Each problem in a record's front matter with its line as `source`; problems
    elsewhere (a file that was never read as a record) stay unquoted. `kept` (the serve
    loop's) holds the quoted problems of the last run: the same problem of the same file
    head is not quoted again."""
    by_path: dict[str, list[Problem]] = {}
    out: list[Problem] = []
    before = kept.copy() if kept is not None else {}
    if kept is not None:
        kept.clear()
    for p in problems:
        if p.source or p.line <= 0 or p.path not in heads:
            out.append(p)
            continue
        head = heads[p.path]
        hit = before.get(id(p))
        if hit is not None and hit[0] is p and hit[1] is head:
            out.append(hit[2])
            if kept is not None:
                kept[id(p)] = hit
        else:
            by_path.setdefault(p.path, []).append(p)
    if kept is not None:
        for path, mine in by_path.items():
            done = quoted(mine, heads[path])
            for p, q in zip(mine, done, strict=True):
                kept[id(p)] = (p, heads[path], q)
            out += done
        return out
    for path, mine in by_path.items():
        out += quoted(mine, heads[path])
    return out
