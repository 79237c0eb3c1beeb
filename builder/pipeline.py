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

from builder.load.files import Listing, Loaded, ReadCache, display_path, load, quoted, relist
from builder.model import Record, Workspace
from builder.model.settings_keys import settings_keys
from builder.problems import Problem, sort_key
from builder.validate.defaults import Copies, resolve_defaults
from builder.validate.fields import build_record
from builder.validate.incremental import RuleCache
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
    have changed the answer for (`builder.validate.incremental`)."""

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
    if cache is None:
        loaded = load(root)
    else:
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
    heads: dict[str, str] = {}
    typed: dict[str, tuple[str, str, Record, list[Problem]]] = {}
    # typing reads the settings but their workflows and pipelines (statuses and stages are
    # read as text; the cross-record rules check them): a column renamed types no record
    typing = settings_keys(settings).general if cache is not None else ""
    for raw in loaded.records:
        if cache is None:
            record, field_problems = build_record(raw, settings)
        else:
            hit = cache.typed.get(raw.path)
            if hit is not None and hit[0] == raw.digest and hit[1] == typing:
                record, field_problems = hit[2], hit[3]
            else:
                record, field_problems = build_record(raw, settings)
            # kept as read: resolving defaults gives the workspace a copy, never changes it
            typed[raw.path] = (raw.digest, typing, record, field_problems)
        heads[raw.path] = raw.head
        problems += field_problems
        if not raw.valid_id:  # reported (PD108); an unsafe id never reaches a path or link
            continue
        table = ws.table(raw.type)
        if raw.id in table:
            problems.append(duplicate_id(raw.type, table[raw.id], record))
            continue
        table[raw.id] = record
    if cache is not None:
        cache.typed = typed  # deleted files drop out
    resolve_defaults(ws, cache.copies if cache is not None else None)
    day = effective_today(settings, today)
    if cache is None:
        problems += run_rules(ws)
        problems += run_warnings(ws, day)
    else:
        problems += cache.rules.run(ws, day)
    found = _found(loaded, cache)
    if cache is not None and cache.stand_in:
        _stand_in_last_good(ws, cache, found, typed, problems)
    problems = _quote_records(problems, heads, cache.quoted if cache is not None else None)
    problems.sort(key=sort_key)
    read = {raw.path for raw in loaded.records}
    stale = set(ws.stale.values())
    left_out = sorted(p for p in found if p not in read and p not in stale)
    return CheckResult(ws, problems, day, loaded.files, left_out)


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
) -> None:
    """Serve: a record whose file has errors now (unreadable, a bad field, a broken rule)
    stands in the version last typed without one, marked in `ws.stale`, so its card stays
    on its boards while the file is being fixed. Its digest is marked too: every page and
    card that shows it is made again, with the mark, and again once the file is fixed.
    `found`: path -> record type of every record file found (`_found`)."""
    bad = {p.path for p in problems if p.is_error}
    good = {
        path: (found[path], record)
        for path, (_, _, record, _) in typed.items()
        if path in found and path not in bad
    }
    for path in sorted(bad & cache.good.keys()):
        kind, last = cache.good[path]
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
