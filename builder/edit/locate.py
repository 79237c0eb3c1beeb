"""Find records by id without loading the workspace: a record's file is `<id>.md`
somewhere under its type's folder, so one walk of that folder (names only, no file read)
gives every id of the type and where each lives.

The walk skips what the loader skips (hidden files and folders, linked folders), so an id
found here is one `check` reads, and one `check` reads is found here.

Listing 10,000 task files costs an edit command more than the rest of its work, so a
workspace with a `mkdocs.yml` beside its content folder keeps the listings between
commands (`.plaindesk-cache/record-folders-<content folder>`, which git ignores): each
folder's names, with the folder's modification time then. A folder's listing is used
while the folder's time is unchanged (a file added, removed or renamed in it changes it),
else the folder is listed again; one that had changed less than two seconds before it was
listed is listed again too, as a change within one tick of a coarse file-system clock
would leave its time as it was. Nothing is written into the content folder.
"""

from __future__ import annotations

import marshal
import os
import time
from collections.abc import Callable, Set
from dataclasses import dataclass, field
from pathlib import Path

from builder.model.schema import ID_PATTERN, SECTIONS, SPECS
from builder.validate.values import did_you_mean

CACHE_DIR = ".plaindesk-cache"
#: 1: {"version": 1, "folders": {"tasks/site/": (mtime_ns, listed_at_ns, [*.md names],
#: [folder names])}} in Python's marshal format (a cache of another Python's is listed anew)
CACHE_VERSION = 1
#: how long before its listing a folder must have last changed for the listing to be used
_RACY_NS = 2_000_000_000

_SUFFIXES = (".md", ".mD", ".Md", ".MD")
_now = time.time_ns  # the clock listings are timed by (tests move it on)
_Listing = tuple[list[str], list[str]]  # (Markdown file names, folder names), hidden left out


@dataclass(frozen=True)
class Found:
    """One record file: its type, id and workspace-relative path."""

    type: str
    id: str
    rel: str


class NotFound(LookupError):
    """No record of the wanted types has the id; the message has a "did you mean"."""


class Ambiguous(LookupError):
    """Records of more than one type (or two files of one type) have the id."""


class Listings:
    """The listings of a workspace's record folders kept in `file` between commands."""

    def __init__(self, file: Path) -> None:
        self.file = file
        self.known: dict[str, tuple[int, int, list[str], list[str]]] = {}
        self.changed = False  # a listing made since the last save
        try:
            data = marshal.loads(file.read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            data = None  # none yet, unreadable, or another Python's: listed anew
        if isinstance(data, dict) and data.get("version") == CACHE_VERSION:
            folders = data.get("folders")
            self.known = folders if isinstance(folders, dict) else {}

    def listing(self, path: str, key: str) -> _Listing | None:
        """The folder `path`'s listing (`key`: its workspace-relative name), kept or made
        now; None when it cannot be read."""
        try:
            mtime = os.stat(path).st_mtime_ns
        except OSError:
            return None
        kept = self.known.get(key)
        if kept is not None and len(kept) == 4 and kept[0] == mtime < kept[1] - _RACY_NS:
            return kept[2], kept[3]
        listed_at = _now()
        made = _list(path)
        if made is not None:
            self.known[key] = (mtime, listed_at, *made)
            # a listing that will never be used (its folder had just changed) is not saved
            self.changed = self.changed or mtime < listed_at - _RACY_NS
        return made

    def save(self, folder: str, seen: set[str]) -> None:
        """Keep the listings made: those of the type folder `folder` that the walk did not
        see are dropped (folders gone). A cache that cannot be written is no error."""
        kept = {
            key: value
            for key, value in self.known.items()
            if key in seen or not key.startswith(folder + "/")
        }
        home = self.file.parent
        try:
            if not home.is_dir():
                from builder.output import own_folder  # once per workspace: git ignores it

                own_folder(home)
            draft = home / f".{self.file.name}.{os.getpid()}"
            draft.write_bytes(marshal.dumps({"version": CACHE_VERSION, "folders": kept}))
            os.replace(draft, self.file)
        except OSError:
            return
        self.known = kept
        self.changed = False


def cache_file(root: Path) -> Path | None:
    """Where the listings of the content folder `root`'s record folders are kept: in
    `.plaindesk-cache/` beside the `mkdocs.yml` of its parent; None without one (no
    folder outside the workspace is known to be the project's)."""
    content = root.resolve()
    if not (content.parent / "mkdocs.yml").is_file():
        return None
    return content.parent / CACHE_DIR / f"record-folders-{content.name}"


@dataclass
class Index:
    """The ids of each record type in a workspace, each walked at most once."""

    root: Path
    #: where the folder listings are kept between commands (None: walked every time)
    cache: Path | None = None
    _listings: Listings | None = None
    _by_type: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    _ids: dict[str, frozenset[str]] = field(default_factory=dict)
    _one: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # paths_of's walks
    _narrow: set[str] = field(default_factory=set)  # types `taken` walked for a prefix

    def paths(self, kind: str) -> dict[str, list[str]]:
        """id -> workspace-relative paths of the files with that id, for one type."""
        if kind not in self._by_type:
            self._by_type[kind] = self._walk(SECTIONS[kind])
        return self._by_type[kind]

    def ids(self, kind: str) -> set[str]:
        """Every (valid) id of a type (a new set: the caller may change it)."""
        return set(self._valid(kind))

    def _valid(self, kind: str) -> frozenset[str]:
        if kind not in self._ids:
            self._ids[kind] = frozenset(i for i in self.paths(kind) if ID_PATTERN.match(i))
        return self._ids[kind]

    def taken(self, kind: str, prefix: str) -> Set[str]:
        """The (valid) ids of a type among which every id starting with `prefix` is: the
        first time a walk keeps only those (`new` makes one id: listing 10,000 tasks would
        cost more than the rest of the command), from the second on the whole listing,
        walked once (an import makes thousands)."""
        if kind in self._by_type or kind in self._narrow:
            return self._valid(kind)
        self._narrow.add(kind)
        found = self._walk(SECTIONS[kind], prefix, whole=False)
        return {i for i in found if ID_PATTERN.match(i)}

    def paths_of(self, kind: str, ident: str) -> list[str]:
        """The files of one id of one type (a walk that keeps only those, unless the type
        was listed already)."""
        if kind in self._by_type:
            return self._by_type[kind].get(ident, [])
        if (kind, ident) not in self._one:  # `log` asks twice: walking 10,000 tasks is ms
            self._one[kind, ident] = self._walk(SECTIONS[kind], ident).get(ident, [])
        return self._one[kind, ident]

    def _walk(
        self, folder: str, want: str | None = None, whole: bool = True
    ) -> dict[str, list[str]]:
        if self.cache is None:
            return _walk(self.root, folder, want, whole)
        if self._listings is None:
            self._listings = Listings(self.cache)
        listings = self._listings
        seen: set[str] = set()

        def listing(path: str, key: str) -> _Listing | None:
            seen.add(key)
            return listings.listing(path, key)

        found = _walk(self.root, folder, want, whole, listing)
        gone = any(k not in seen for k in listings.known if k.startswith(folder + "/"))
        if listings.changed or gone:
            listings.save(folder, seen)
        return found

    def find(self, ident: str, kinds: tuple[str, ...]) -> Found:
        """The one record with this id among `kinds`. `ident` may say its type
        (`task:hero`) when an id is both a task and a deal; raises NotFound or Ambiguous."""
        kinds = _narrowed(ident, kinds)
        ident = ident.split(":", 1)[1] if ":" in ident else ident
        hits = [(kind, rel) for kind in kinds for rel in self.paths_of(kind, ident)]
        if not hits:
            known = {i for kind in kinds for i in self.paths(kind)}
            hint = did_you_mean(ident, known) if known else ""
            hint = hint if hint.startswith("did you mean") else ""
            raise NotFound(
                f"no {_either(kinds)} has the id `{ident}`" + (f"; {hint}" if hint else "")
            )
        if len({kind for kind, _ in hits}) > 1:
            which = " or ".join(f"`{kind}:{ident}`" for kind, _ in hits)
            found = ", ".join(f"{kind} ({rel})" for kind, rel in hits)
            raise Ambiguous(f"`{ident}` is a {found}; say which: {which}")
        if len(hits) > 1:
            raise Ambiguous(
                f"two {SECTIONS[hits[0][0]]} have the id `{ident}`: "
                + " and ".join(rel for _, rel in hits)
                + "; rename one of them first (`plaindesk check` reports it as PD109)"
            )
        kind, rel = hits[0]
        return Found(kind, ident, rel)


def _narrowed(ident: str, kinds: tuple[str, ...]) -> tuple[str, ...]:
    if ":" not in ident:
        return kinds
    said = ident.split(":", 1)[0]
    if said in kinds:
        return (said,)
    if said in SPECS:
        raise NotFound(f"this command works on a {_either(kinds)}, not on a {said}")
    raise NotFound(f"`{said}` is not a record type; write {' or '.join(kinds)}:ID")


def _either(kinds: tuple[str, ...]) -> str:
    return " or ".join(kinds) if len(kinds) < 3 else ", ".join(kinds[:-1]) + " or " + kinds[-1]


def _walk(
    root: Path,
    folder: str,
    want: str | None = None,
    whole: bool = True,
    listing: Callable[[str, str], _Listing | None] | None = None,
) -> dict[str, list[str]]:
    """id -> paths of the record files under a type's folder (only those of id `want`,
    when given: a look-up then compares names and keeps nothing else; with `whole` false,
    those of the ids that start with `want`). `listing` lists a folder (path, key)."""
    out: dict[str, list[str]] = {}
    top = root / folder
    if not top.is_dir():
        return out
    stack = [(str(top), folder + "/")]
    while stack:
        path, prefix = stack.pop()
        listed = _list(path) if listing is None else listing(path, prefix)
        if listed is None:
            continue  # an unreadable folder: check reports nothing from it either
        names, folders = listed
        stack += ((os.path.join(path, name), prefix + name + "/") for name in folders)
        if want is None:
            for name in names:
                out.setdefault(name[:-3], []).append(prefix + name)
        elif whole:  # `<want>.md` in any case of its suffix, each a test over the folder
            for name in (want + ext for ext in _SUFFIXES if want + ext in names):
                out.setdefault(want, []).append(prefix + name)
        else:
            for name in names:
                if name.startswith(want):
                    out.setdefault(name[:-3], []).append(prefix + name)
    for paths in out.values():
        paths.sort()
    return out


def _list(path: str) -> _Listing | None:
    """The Markdown files and the folders in a folder, hidden ones left out (the loader
    skips them), linked folders counted as neither (not followed); None when it cannot
    be read."""
    try:
        entries = list(os.scandir(path))
    except OSError:
        return None
    names: list[str] = []
    folders: list[str] = []
    for entry in entries:
        name = entry.name
        if name[0] == ".":
            continue
        if entry.is_dir(follow_symlinks=False):
            folders.append(name)
        elif name[-3:].lower() == ".md":
            names.append(name)
    return names, folders
