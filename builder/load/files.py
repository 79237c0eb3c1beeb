"""Find record files in a workspace folder and read each into a `RawRecord`.

A record's type is the first folder under the workspace root; its id is the file stem.
Reading never raises: unreadable, binary, non-UTF-8, empty, huge or malformed files each
become one problem and the rest of the workspace still loads.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from frontmatter.default_handlers import YAMLHandler
from slugify import slugify

from builder.load.yamltree import Mapping, Node, YamlProblem, parse
from builder.problems import Problem

SETTINGS_FILE = "workspace.yml"
#: folder name -> record type
FOLDERS = {
    "people": "person",
    "companies": "company",
    "contacts": "contact",
    "projects": "project",
    "tasks": "task",
    "deals": "deal",
}
MAX_FILE_BYTES = 4 * 1024 * 1024
# python-frontmatter's own YAML boundary, so files it can read we read the same way.
_BOUNDARY = YAMLHandler.FM_BOUNDARY
_ID = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
_IGNORED_AT_ROOT = {"readme.md", "index.md"}


@dataclass(slots=True)
class RawRecord:
    """One record file as read: its type, id, front matter tree and body."""

    type: str
    id: str
    path: str
    fields: Mapping
    body: str = ""
    body_line: int = 1
    valid_id: bool = True  # False: checked for problems, but never added to the workspace
    # hash of the file's path and text: what changed, for incremental rebuilds (the path
    # too: it is the record's id, in every link to it, and its page's edit link)
    digest: str = ""


@dataclass
class Loaded:
    """Everything the load stage found: the settings tree, raw records and problems."""

    root: Path
    settings: Mapping | None
    settings_path: str
    records: list[RawRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    settings_digest: str = ""
    listing: Listing | None = None


def display_path(root: Path, rel: str) -> str:
    """How a file is named in problem lines: the workspace path as given, plus the file."""
    return (root / rel).as_posix() if str(root) not in ("", ".") else rel


@dataclass
class Listing:
    """What `discover` found: [(type, path)] of record files and stray Markdown paths."""

    found: list[tuple[str, str]]
    stray: list[str]


def classify(rel: str) -> str | None:
    """How `discover` takes a workspace-relative path: a record type, "" for a stray
    Markdown file, None for a file it skips (hidden, not Markdown, README at the root)."""
    *folders, name = rel.split("/")
    if any(part.startswith(".") for part in (*folders, name)) or not name.lower().endswith(".md"):
        return None
    top = folders[0] if folders else ""
    kind = FOLDERS.get(top)
    if kind is not None:
        return kind
    return "" if top or name.lower() not in _IGNORED_AT_ROOT else None


def _walk_order(rel: str) -> list[tuple[int, str]]:
    """`discover`'s order: sorted names, a folder's files before its subfolders'."""
    *folders, name = rel.split("/")
    return [*((1, f) for f in folders), (0, name)]


def relist(root: Path, before: Listing, changed: set[str]) -> Listing:
    """`discover`'s answer after the files in `changed` (workspace-relative paths that a
    file watcher saw created, changed, moved or deleted) without walking the tree."""
    kinds = {rel: kind for kind, rel in before.found}
    kinds.update((rel, "") for rel in before.stray)
    added = False
    for rel in changed:
        known = kinds.pop(rel, None) is not None
        kind = classify(rel)
        if kind is not None and os.path.isfile(os.path.join(root, rel)):
            kinds[rel] = kind
            added |= not known
    if not added:  # edits and deletes: the order stands
        return Listing(
            [(k, r) for k, r in before.found if r in kinds], [r for r in before.stray if r in kinds]
        )
    ordered = sorted(kinds, key=_walk_order)
    return Listing(
        [(kinds[r], r) for r in ordered if kinds[r]], [r for r in ordered if not kinds[r]]
    )


def discover(root: Path) -> tuple[list[tuple[str, str]], list[str]]:
    """Return ([(type, relative path)], [stray .md paths]) in a stable order.

    Hidden files and folders (`.git`, `.DS_Store`) and non-Markdown files are skipped.
    """
    found: list[tuple[str, str]] = []
    stray: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        rel_dir = os.path.relpath(dirpath, root)
        prefix = "" if rel_dir == "." else rel_dir.replace(os.sep, "/") + "/"
        for name in sorted(filenames):
            kind = classify(prefix + name)
            if kind:
                found.append((kind, prefix + name))
            elif kind == "":
                stray.append(prefix + name)
    return found, stray


#: A read file, keyed by what `stat` says: (mtime_ns, size, inode) -> record and problems.
ReadCache = dict[str, tuple[tuple[int, int, int], "RawRecord | None", list[Problem]]]


def load(
    root: Path,
    cache: ReadCache | None = None,
    listing: Listing | None = None,
    changed: set[str] | None = None,
) -> Loaded:
    """Read the settings and every record under `root`; collect every problem.

    With a `cache` (the serve loop keeps one), files whose stat is unchanged since the
    last call are not read or parsed again. With a `listing` (see `relist`) the tree is
    not walked, and with `changed` (what a file watcher saw) only those files are stat-ed.
    """
    settings_path = display_path(root, SETTINGS_FILE)
    loaded = Loaded(root, None, settings_path)
    settings_file = root / SETTINGS_FILE
    if settings_file.exists():
        text = _read_text(settings_file, settings_path, loaded.problems)
        if text is not None:
            loaded.settings_digest = hashlib.sha1(text.encode("utf-8")).hexdigest()
            loaded.settings = _parse_mapping(
                text,
                0,
                settings_path,
                loaded.problems,
                "workspace.yml must be a mapping of settings",
            )
        loaded.files += 1
    found, stray = (listing.found, listing.stray) if listing is not None else discover(root)
    loaded.listing = Listing(found, stray)
    for rel in stray:
        loaded.problems.append(
            Problem(
                "PD010",
                display_path(root, rel),
                1,
                1,
                "Markdown file outside the record folders is ignored",
                "move it into " + ", ".join(f"`{f}/`" for f in FOLDERS),
            )
        )
    loaded.files += len(found)
    for kind, rel in found:
        if cache is None:
            record = read_record(root, kind, rel, loaded.problems)
        elif changed is not None and rel not in changed and rel in cache:
            hit = cache[rel]  # the watcher saw no change: not even a stat
            loaded.problems.extend(hit[2])
            record = hit[1]
        else:
            record = _read_cached(root, kind, rel, loaded.problems, cache)
        if record is not None:
            loaded.records.append(record)
    return loaded


def _read_cached(
    root: Path, kind: str, rel: str, problems: list[Problem], cache: ReadCache
) -> RawRecord | None:
    try:
        st = os.stat(os.path.join(root, rel))
        key = (st.st_mtime_ns, st.st_size, st.st_ino)
    except OSError:
        return read_record(root, kind, rel, problems)
    hit = cache.get(rel)
    if hit is not None and hit[0] == key:
        problems.extend(hit[2])
        return hit[1]
    mine: list[Problem] = []
    record = read_record(root, kind, rel, mine)
    cache[rel] = (key, record, mine)
    problems.extend(mine)
    return record


def read_record(root: Path, kind: str, rel: str, problems: list[Problem]) -> RawRecord | None:
    """Read one record file; on failure append problems and return None."""
    path = display_path(root, rel)
    stem = rel.rsplit("/", 1)[-1][:-3]
    if not _ID.match(stem):
        problems.append(
            Problem(
                "PD108",
                path,
                1,
                1,
                f"bad id `{stem}`: ids are lower-case letters, digits and dashes",
                f"rename the file to `{suggest_id(stem)}.md`",
            )
        )
    text = _read_text(root / rel, path, problems)
    if text is None:
        return None
    if not text.strip():
        problems.append(
            Problem(
                "PD009",
                path,
                1,
                1,
                "empty file",
                "add front matter between `---` lines, or delete the file",
            )
        )
        return None
    start = _BOUNDARY.match(text)
    if start is None:
        problems.append(
            Problem(
                "PD002",
                path,
                1,
                1,
                "front matter missing",
                "start the file with a `---` line, the fields, then `---`",
            )
        )
        return None
    end = _BOUNDARY.search(text, start.end())
    if end is None:
        problems.append(
            Problem(
                "PD003",
                path,
                1,
                1,
                "front matter not terminated",
                "add a `---` line after the last field",
            )
        )
        return None
    offset = text.count("\n", 0, start.end())
    fields = _parse_mapping(
        text[start.end() : end.start()],
        offset,
        path,
        problems,
        "front matter must be `field: value` lines",
    )
    if fields is None:
        return None
    body = text[end.end() :].lstrip("\n")
    body_line = text.count("\n", 0, len(text) - len(body)) + 1
    return RawRecord(
        kind,
        stem,
        path,
        fields,
        body,
        body_line,
        _ID.match(stem) is not None,
        hashlib.sha1(f"{path}\0{text}".encode()).hexdigest(),
    )


def _read_text(file: Path, path: str, problems: list[Problem]) -> str | None:
    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.append(
                Problem(
                    "PD007",
                    path,
                    1,
                    1,
                    f"file is {size / 1024 / 1024:.1f} MB; a record may be at most "
                    f"{MAX_FILE_BYTES // 1024 // 1024} MB",
                    "move large material out of the workspace and link to it",
                )
            )
            return None
        data = file.read_bytes()
    except OSError as exc:
        problems.append(
            Problem(
                "PD001",
                path,
                1,
                1,
                f"cannot read file: {exc.strerror}",
                "check the file's permissions",
            )
        )
        return None
    if b"\x00" in data:
        problems.append(
            Problem(
                "PD001",
                path,
                1,
                1,
                "binary file, not UTF-8 text",
                "records are Markdown text; move binary files elsewhere",
            )
        )
        return None
    try:
        text = data.decode("utf-8-sig")  # a BOM from Windows editors is fine
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.append(
            Problem(
                "PD001",
                path,
                line,
                col,
                f"not UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded",
                "save the file as UTF-8 in your editor",
            )
        )
        return None
    if "\r" in text:  # CRLF (Windows) and CR line endings read as plain newlines
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _parse_mapping(
    text: str, offset: int, path: str, problems: list[Problem], not_mapping: str
) -> Mapping | None:
    try:
        parsed = parse(text, offset)
    except YamlProblem as exc:
        problems.append(Problem(exc.code, path, exc.line, exc.col, exc.message, exc.hint))
        return None
    for dup in parsed.duplicates:
        problems.append(Problem(dup.code, path, dup.line, dup.col, dup.message, dup.hint))
    root: Node | None = parsed.root
    if root is None or (not isinstance(root, Mapping) and getattr(root, "is_null", False)):
        return Mapping(offset + 1, 1)
    if not isinstance(root, Mapping):
        problems.append(
            Problem(
                "PD005", path, root.line, root.col, "front matter is not a mapping", not_mapping
            )
        )
        return None
    return root


def suggest_id(stem: str) -> str:
    """A valid id close to `stem`: transliterated, lower case, dashes between words."""
    return slugify(stem) or "record"
