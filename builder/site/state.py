"""What one `plaindesk build` leaves for the next (`.plaindesk/state/`), so that a build with
the last one's state, page tree and site present (a CI cache restores them) redoes only what
changed (docs/incremental.md).

Content hashes only, never mtimes: a CI checkout dates every file anew. Whatever cannot be
trusted (another version, another configuration, a damaged or partial state, a site or
page tree that is not the one the state describes) is a full build, and `load` says why."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import builder
from builder.output import own_folder, write_whole
from builder.render.pages import theme_dir
from builder.site.inputs import Inputs

#: The state folder, beside the page tree (`.plaindesk/docs`).
STATE_DIR = Path(".plaindesk") / "state"
STATE_FILE = "build.json"
#: The site before the last one, kept to assemble the next site in (`warm.assemble`).
SPARE_DIR = Path(".plaindesk") / "spare" / "site"
#: One line per page of the state's `pages`: its search entries as the search plugin
#: writes them (JSON objects joined by ","), kept apart so the big part is no JSON string.
SEARCH_FILE = "search.txt"
#: The pages `plaindesk serve` wrote into (or removed from) the page tree since the state
#: was saved, one tree-relative path a line: the next build does not trust them.
STALE_FILE = "stale.txt"
FORMAT = 3

#: The site files that identify one build's site (what `site_print` hashes).
SITE_PRINTS = ("sitemap.xml", "search/search_index.json")


@dataclass
class PageEntry:
    """One page of the tree, as the last build made it."""

    key: str  # its key digest ("" for a page without a key: rendered every time)
    abs_url: str | None  # its sitemap entry
    canonical_url: str | None
    search: bytes  # its search entries, JSON objects joined by "," (b"" for none), as
    # the index holds them: from the state file to the index, never decoded
    searched: str = ""  # what they were made of (`engine.SearchPages`), "" if not known


@dataclass
class BuildState:
    """The last build, as the next one needs it."""

    stamp: dict[str, str]
    tree: list[str]  # every file of the page tree
    pages: dict[str, PageEntry]  # the tree's Markdown pages
    site: str = ""  # `site_print` of the site folder it wrote
    inputs: Inputs | None = None  # what the build was made from (`builder.site.inputs`)
    #: tree files `serve` wrote or removed since (`STALE_FILE`): not as the state says
    stale: frozenset[str] = frozenset()


@dataclass
class Prior:
    """A state found valid for this build: what `plaindesk build` hands the plugin."""

    state: BuildState
    site_dir: Path  # the previous site, whose unchanged pages are linked into the new one


# --- the stamp ---------------------------------------------------------------------------


def _digest_files(paths: list[Path], base: Path) -> str:
    h = hashlib.sha1()
    for path in sorted(paths):
        h.update(path.relative_to(base).as_posix().encode("utf-8", "surrogateescape") + b"\0")
        with open(path, "rb") as f:
            h.update(hashlib.sha1(f.read()).digest())
    return h.hexdigest()


def folder_digest(folder: Path) -> str:
    """A digest of every file under `folder` (its path and bytes), "-" for no folder."""
    if not folder.is_dir():
        return "-"
    files = [
        Path(d, n)
        for d, dirs, names in os.walk(folder)
        for n in names
        if "__pycache__" not in Path(d).parts
    ]
    return _digest_files(files, folder)


@functools.cache
def code_stamp() -> str:
    """Plaindesk itself: its version and a digest of its code and packaged theme (a
    development checkout changes without a new version)."""
    package = Path(builder.__file__).resolve().parent
    code = [p for p in package.rglob("*") if p.is_file() and p.suffix in (".py", ".po", ".html")]
    return f"{builder.__version__}:{_digest_files(code, package)}:{folder_digest(theme_dir())}"


def engine_stamp(config_file: Path, custom_dir: str | None) -> dict[str, str]:
    """What every page's frame depends on besides the nav and the locale: the engine's
    versions, mkdocs.yml and the team's theme overrides."""
    versions = {p: _version(p) for p in ("mkdocs", "mkdocs-material")}
    return {
        "python": f"{sys.version_info.major}.{sys.version_info.minor}",
        **versions,
        "mkdocs.yml": hashlib.sha1(config_file.read_bytes()).hexdigest(),
        "theme": folder_digest(Path(custom_dir)) if custom_dir else "-",
    }


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "-"


#: What a stamp's difference is said as ("a full build: ...").
CHANGED = {
    "format": "the state was written by another Plaindesk",
    "plaindesk": "Plaindesk changed since the last build",
    "python": "another Python than the last build's",
    "mkdocs": "another MkDocs than the last build's",
    "mkdocs-material": "another mkdocs-material than the last build's",
    "mkdocs.yml": "mkdocs.yml changed since the last build",
    "theme": "the theme overrides changed since the last build",
    "nav": "the nav changed (a section, project or pipeline added, renamed or gone)",
    "locale": "the locale changed",
    "today": "another today than the last build's",
}


def differs(old: dict[str, str], new: dict[str, str]) -> str | None:
    """Why a build with stamp `new` cannot trust a state stamped `old`, or None."""
    for name, value in new.items():
        if old.get(name) != value:
            return CHANGED.get(name, f"{name} changed since the last build")
    return None


# --- reading and writing -----------------------------------------------------------------


class Damaged(Exception):
    """The state cannot be read as a whole."""


def load(home: Path) -> tuple[BuildState | None, str]:
    """The state under project folder `home`, or None and why a full build is needed."""
    folder = home / STATE_DIR
    if not (folder / STATE_FILE).is_file():
        return None, "no state of a previous build (.plaindesk/state/)"
    try:
        found = _read(folder)
        found.stale = read_stale(home)
    except (OSError, ValueError, KeyError, TypeError, UnicodeError, Damaged) as exc:
        return None, f"the previous build's state is damaged ({exc})"
    # a page `serve` rewrote since: neither its key nor its HTML is the state's
    for rel in found.stale:
        found.pages.pop(rel, None)
    return found, ""


def _read(folder: Path) -> BuildState:
    raw = json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))
    if raw.get("format") != FORMAT:
        raise Damaged("another format")
    text = (folder / SEARCH_FILE).read_bytes()
    if hashlib.sha1(text).hexdigest() != raw["search"]:
        raise Damaged(f"{SEARCH_FILE} is not the one it describes")
    lines = text.split(b"\n")
    rows = raw["pages"]
    if len(lines) != len(rows):
        raise Damaged(f"{SEARCH_FILE} has {len(lines)} lines for {len(rows)} pages")
    pages = {
        str(rel): PageEntry(str(key), absu, canon, line, str(searched))
        for (rel, key, absu, canon, searched), line in zip(rows, lines, strict=True)
    }
    return BuildState(
        stamp={str(k): str(v) for k, v in raw["stamp"].items()},
        tree=[str(p) for p in raw["tree"]],
        pages=pages,
        site=str(raw["site"]),
        inputs=_inputs(raw),
    )


def _inputs(raw: dict[str, Any]) -> Inputs | None:
    found = raw.get("inputs")
    if not isinstance(found, dict):
        return None
    return Inputs(str(found["digest"]), str(found["report"]), str(found["summary"]))


def peek(home: Path) -> tuple[Inputs | None, str]:
    """The last build's inputs and the `site_print` of its site, from the state file
    alone (the search lines are not read), or (None, "") without a usable state."""
    try:
        raw = json.loads((home / STATE_DIR / STATE_FILE).read_text(encoding="utf-8"))
        if raw.get("format") != FORMAT:
            return None, ""
        return _inputs(raw), str(raw["site"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None, ""


def discard(home: Path) -> None:
    """Delete the state before a build writes anything: one that fails or is killed
    leaves the tree or the site unlike what the state says, so the next build is full."""
    folder = home / STATE_DIR
    for name in (STATE_FILE, SEARCH_FILE, STALE_FILE):
        (folder / name).unlink(missing_ok=True)


def save(home: Path, state: BuildState) -> None:
    """Write the state (the search lines first: the state file names their digest)."""
    folder = own_folder(home / STATE_DIR)
    order = sorted(state.pages)
    text = b"\n".join(state.pages[rel].search for rel in order)
    (folder / SEARCH_FILE).write_bytes(text)
    rows = [
        [rel, page.key, page.abs_url, page.canonical_url, page.searched]
        for rel, page in ((rel, state.pages[rel]) for rel in order)
    ]
    raw = {
        "format": FORMAT,
        "stamp": state.stamp,
        "site": state.site,
        "inputs": vars(state.inputs) if state.inputs is not None else None,
        "search": hashlib.sha1(text).hexdigest(),
        "tree": sorted(state.tree),
        "pages": rows,
    }
    write_whole(folder / STATE_FILE, json.dumps(raw, separators=(",", ":")).encode("utf-8"))


def read_stale(home: Path) -> frozenset[str]:
    """The tree files `serve` wrote or removed since the state was saved. Damaged when a
    serve was stopped while it wrote the tree (which pages it wrote is not known)."""
    try:
        text = (home / STATE_DIR / STALE_FILE).read_bytes().decode("utf-8")
    except FileNotFoundError:
        return frozenset()
    lines = text.split("\n")
    if lines[-1]:
        raise Damaged(f"{STALE_FILE} was cut short")
    marks = [line for line in lines if line in (WRITING, WRITTEN)]
    if marks and marks[-1] == WRITING:
        raise Damaged("a serve was stopped while it wrote the page tree")
    return frozenset(line for line in lines if line and line not in (WRITING, WRITTEN))


#: `STALE_FILE`'s lines around one serve generation (no page path has a leading space)
WRITING, WRITTEN = " writing", " written"


def note_writing(home: Path) -> bool:
    """`serve` is about to write the page tree: noted first, so that a serve stopped on
    the way leaves the state untrusted. False (nothing noted) without a state."""
    return _append(home, [WRITING])


def note_stale(home: Path, rels: list[str]) -> None:
    """`serve` wrote or removed these tree files (after `note_writing`): the state no
    longer describes them."""
    _append(home, [*rels, WRITTEN])


def _append(home: Path, lines: list[str]) -> bool:
    folder = home / STATE_DIR
    if not (folder / STATE_FILE).is_file():
        return False
    with open(folder / STALE_FILE, "ab") as f:
        f.write("".join(f"{line}\n" for line in lines).encode("utf-8"))
    return True


def site_print(site_dir: Path, known: dict[str, bytes] | None = None) -> str:
    """A digest of the files that identify a build's site: a restored site folder that is
    not the one the state was written with is not trusted. `known`: some of them (by
    `SITE_PRINTS` name) as the build wrote them, not read again."""
    h = hashlib.sha1()
    for name in SITE_PRINTS:
        try:
            data = (known or {}).get(name)
            h.update(
                hashlib.sha1(data if data is not None else (site_dir / name).read_bytes()).digest()
            )
        except OSError:
            h.update(b"-")
    return h.hexdigest()


def tree_files(tree: Path) -> set[str]:
    """Every file of the page tree, tree-relative with "/"."""
    found: set[str] = set()
    for dirpath, _dirs, names in os.walk(tree):
        rel = os.path.relpath(dirpath, tree).replace(os.sep, "/")
        prefix = "" if rel == "." else rel + "/"
        found.update(prefix + n for n in names)
    return found
