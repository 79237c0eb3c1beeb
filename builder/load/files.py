"""Find record files in a workspace folder and read each into a `RawRecord`.

A record's type is the first folder under the workspace root; its id is the file stem.
Reading never raises: unreadable, binary, non-UTF-8, empty, huge or malformed files each
become one problem and the rest of the workspace still loads.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from builder.load.yamltree import Mapping, Node, YamlProblem, parse
from builder.model.schema import FOLDERS, ID_PATTERN
from builder.problems import Problem

SETTINGS_FILE = "workspace.yml"
MAX_FILE_BYTES = 4 * 1024 * 1024
# Never block (a FIFO named `x.md` would wait forever for a writer) and never follow a link
# we have not checked: `_open` resolves links itself and keeps them inside the workspace.
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
    | _NOFOLLOW
)
#: The front matter's boundary: a line of three or more dashes. It is python-frontmatter's
#: own (`YAMLHandler.FM_BOUNDARY`, which writes the records `new` creates), so files it reads
#: we read the same way (tests/test_edit_imports.py checks they agree); written out here because
#: importing python-frontmatter (its JSON and TOML handlers too) costs every edit command
#: time it does not otherwise need.
FRONT_MATTER_BOUNDARY = re.compile(r"^-{3,}\s*$", re.MULTILINE)
_BOUNDARY = FRONT_MATTER_BOUNDARY
_ID = ID_PATTERN
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
    head: str = ""  # the text up to the closing `---`: problem lines quote from it


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
    settings_text: str = ""
    #: workspace.yml exists but could not be read as a mapping: records are not typed
    #: against default settings, whose errors would only bury the one that matters
    settings_broken: bool = False


def display_path(root: Path, rel: str) -> str:
    """How a file is named in problem lines: the workspace path as given, plus the file.

    Called for every record file on every check: a plain workspace-relative path (what
    `discover` finds) is joined as text, which is what pathlib would make of it."""
    if "//" in rel or rel[:1] == "/" or rel[-1:] == "/" or "/." in "/" + rel:
        return (root / rel).as_posix() if str(root) not in ("", ".") else rel
    return _prefix(root) + rel


@lru_cache(maxsize=64)
def _prefix(root: Path) -> str:
    """The text `display_path` puts before a plain relative path under `root`."""
    if str(root) in ("", "."):
        return ""
    text = root.as_posix()
    return text if text.endswith("/") else text + "/"


@dataclass
class Listing:
    """What `discover` found: [(type, path)] of record files, stray Markdown paths, and
    [(path, where)] of folder links it did not follow because they lead out of the workspace."""

    found: list[tuple[str, str]]
    stray: list[str]
    links: list[tuple[str, str]] = field(default_factory=list)
    #: path -> record type ("" for a stray file) of each file listed, made once (`kinds`)
    index: dict[str, str] | None = field(default=None, compare=False, repr=False)

    def kinds(self) -> dict[str, str]:
        """Path -> record type ("" for a stray Markdown file) of every file listed."""
        if self.index is None:
            self.index = {rel: kind for kind, rel in self.found}
            self.index.update((rel, "") for rel in self.stray)
        return self.index


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


def _under_a_link(root: Path, rel: str) -> bool:
    """True when a folder on the way to `rel` is a link: `discover` never goes there."""
    folders = rel.split("/")[:-1]
    return any(os.path.islink(os.path.join(root, *folders[: i + 1])) for i in range(len(folders)))


def relist(root: Path, before: Listing, changed: set[str]) -> Listing:
    """`discover`'s answer after the files in `changed` (workspace-relative paths that a
    file watcher saw created, changed, moved or deleted) without walking the tree."""
    known = before.kinds()
    now: dict[str, str | None] = {}  # what each changed path is now (None: no file we list)
    for rel in changed:
        kind = classify(rel)
        if (
            kind is not None
            and os.path.isfile(os.path.join(root, rel))
            and not _under_a_link(root, rel)
        ):
            now[rel] = kind
        else:
            now[rel] = None
    added = any(kind is not None and rel not in known for rel, kind in now.items())
    removed = any(rel in known and known[rel] != kind for rel, kind in now.items())
    if not added and not removed:  # files edited in place: the very listing stands
        return before
    kinds = known.copy()
    for rel, kind in now.items():
        if kind is None:
            kinds.pop(rel, None)
        else:
            kinds[rel] = kind
    if not added:  # edits and deletes: the order stands
        listing = Listing(
            [(k, r) for k, r in before.found if r in kinds],
            [r for r in before.stray if r in kinds],
            before.links,
        )
    else:
        ordered = sorted(kinds, key=_walk_order)
        listing = Listing(
            [(kinds[r], r) for r in ordered if kinds[r]],
            [r for r in ordered if not kinds[r]],
            before.links,
        )
    listing.index = kinds
    return listing


def discover(root: Path) -> Listing:
    """The record files, stray .md files and outward folder links under `root`, in a
    stable order.

    Hidden files and folders (`.git`, `.DS_Store`) and non-Markdown files are skipped. A
    linked folder is never walked: one that leads inside the workspace is walked where it
    really is, one that leads out is listed in `links` (and reported, PD011).
    """
    found: list[tuple[str, str]] = []
    stray: list[str] = []
    links: list[tuple[str, str]] = []
    root_real = os.path.realpath(root)
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root)
        prefix = "" if rel_dir == "." else rel_dir.replace(os.sep, "/") + "/"
        kept = []
        for d in sorted(d for d in dirnames if not d.startswith(".")):
            full = os.path.join(dirpath, d)
            if not os.path.islink(full):
                kept.append(d)
                continue
            where = _leads_out(root_real, full)[1]
            if where:
                links.append((prefix + d, where))
        dirnames[:] = kept
        for name in sorted(filenames):
            kind = classify(prefix + name)
            if kind:
                found.append((kind, prefix + name))
            elif kind == "":
                stray.append(prefix + name)
    return Listing(found, stray, links)


def _leads_out(root_real: str, full: str) -> tuple[str, str]:
    """Where the link at `full` really leads, and "" when that is inside the workspace
    and not hidden; otherwise why it is refused ("outside the workspace" or "hidden")."""
    real = os.path.realpath(full)
    try:
        rel = os.path.relpath(real, root_real)
    except ValueError:  # another drive (Windows)
        return real, "outside the workspace"
    if rel == os.pardir or rel.startswith(os.pardir + os.sep) or os.path.isabs(rel):
        return real, "outside the workspace"
    if any(part.startswith(".") for part in rel.split(os.sep) if part != os.curdir):
        return real, "hidden"
    return real, ""


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
    loaded = load_settings(root)
    if listing is None:
        listing = discover(root)
    loaded.listing = listing
    for rel in listing.stray:
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
    for rel, where in listing.links:
        loaded.problems.append(
            Problem(
                "PD011",
                display_path(root, rel),
                1,
                1,
                f"link to a folder {_WHERE[where]} is not followed",
                "move the folder into the workspace, or remove the link",
            )
        )
    if not listing.found:
        # most likely the wrong folder: `check DIR` on a workspace's parent, or a typo
        loaded.problems.append(
            Problem(
                "PD012",
                str(root) if str(root) not in ("", ".") else ".",
                1,
                1,
                "no records here: the folder has none of " + ", ".join(f"`{f}/`" for f in FOLDERS),
                "pass the workspace (the folder with mkdocs.yml) or its content folder, or "
                "create a record, e.g. `people/me.md`",
            )
        )
    loaded.files += len(listing.found)
    for kind, rel in listing.found:
        if cache is None:
            record = read_record(root, kind, rel, loaded.problems)
        elif changed is not None and rel not in changed and rel in cache:
            hit = cache[rel]  # the watcher saw no change: not even a stat
            loaded.problems.extend(hit[2])
            record = hit[1]
        else:
            record = read_cached(root, kind, rel, loaded.problems, cache)
        if record is not None:
            loaded.records.append(record)
    return loaded


_WHERE = {"outside the workspace": "outside the workspace", "hidden": "that is hidden"}


def load_settings(root: Path, digest: bool = True) -> Loaded:
    """`workspace.yml` alone, read and parsed as `load` reads it (no record is read): what
    a command that changes one record needs (with `digest` false: no digest of the text,
    which only builds compare)."""
    settings_path = display_path(root, SETTINGS_FILE)
    loaded = Loaded(root, None, settings_path)
    if os.path.lexists(root / SETTINGS_FILE):  # a dangling link is a problem, not "no file"
        mine: list[Problem] = []
        text = _read_text(root, SETTINGS_FILE, settings_path, mine, "workspace.yml")
        if text is not None:
            loaded.settings_text = text
            loaded.settings_digest = _sha1(text) if digest else ""
            loaded.settings = _parse_mapping(
                text,
                0,
                settings_path,
                mine,
                "workspace.yml is not a mapping of settings",
                "write one `setting: value` per line, e.g. `name: My Agency`",
            )
        loaded.settings_broken = loaded.settings is None
        loaded.problems += quoted(mine, text)
        loaded.files += 1
    return loaded


def read_cached(
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


def quoted(problems: list[Problem], text: str | None) -> list[Problem]:
    """`problems` of one file, each with its line of `text` as `source` (for the caret under
    it in text reports). Only text read as a record or as workspace.yml is ever quoted: a
    file we refused to read (a link out of the workspace, a device) must not be echoed."""
    if not text:
        return problems
    lines = text.split("\n")
    return [
        replace(p, source=lines[p.line - 1]) if 0 < p.line <= len(lines) and not p.source else p
        for p in problems
    ]


def read_record(root: Path, kind: str, rel: str, problems: list[Problem]) -> RawRecord | None:
    """Read one record file; on failure append problems and return None."""
    path = display_path(root, rel)
    mine: list[Problem] = []
    _check_id(rel, path, mine)
    text = _read_text(root, rel, path, mine, "a record")
    record = None if text is None else _record(kind, _stem(rel), path, text, mine)
    problems += quoted(mine, text)
    return record


def parse_record_text(
    root: Path, kind: str, rel: str, text: str, digest: bool = True
) -> tuple[RawRecord | None, list[Problem]]:
    """A record from its text, as `read_record` reads a file at `rel` holding it (the edit
    commands check a record before it is written). `text` is decoded; CRLF and CR are
    read as newlines. With `digest` false the record has no digest (only builds compare
    them)."""
    path = display_path(root, rel)
    mine: list[Problem] = []
    _check_id(rel, path, mine)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    record = _record(kind, _stem(rel), path, text, mine, digest)
    return record, quoted(mine, text)


def _stem(rel: str) -> str:
    return rel.rsplit("/", 1)[-1][:-3]


def _check_id(rel: str, path: str, problems: list[Problem]) -> None:
    stem = _stem(rel)
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


def parse_record(kind: str, rel: str, data: bytes, problems: list[Problem]) -> RawRecord | None:
    """`read_record` for the bytes of a record file read elsewhere (a version of the file
    from git): the same checks, the same tree and the same problems, bar the file system's
    and the id's. On failure append problems and return None."""
    mine: list[Problem] = []
    text: str | None = None
    if len(data) > MAX_FILE_BYTES:
        mine.append(_too_large(rel, f"{len(data) / 1024 / 1024:.1f} MB", "a record"))
    else:
        text = decode_text(data, rel, mine, "a record")
    stem = rel.rsplit("/", 1)[-1][:-3]
    record = None if text is None else _record(kind, stem, rel, text, mine)
    problems += quoted(mine, text)
    return record


def _record(
    kind: str, stem: str, path: str, text: str, problems: list[Problem], digest: bool = True
) -> RawRecord | None:
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
        "front matter is not a mapping",
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
        _sha1(f"{path}\0{text}") if digest else "",
        text[: end.end()],
    )


def _sha1(text: str) -> str:
    # imported here: loading OpenSSL's hashes costs an edit command, which needs no digest
    import hashlib

    return hashlib.sha1(text.encode("utf-8")).hexdigest()


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _open(
    root: Path, rel: str, path: str, problems: list[Problem]
) -> tuple[int, os.stat_result] | None:
    """A descriptor for the regular file at `rel` and its fstat, or None and a problem.

    A link is followed only to a file inside the workspace that is not hidden: a link to
    /etc/passwd or to .git/config is PD011, never read. Opening never blocks and fstat, not
    the name, says what was opened, so a FIFO or a device is refused without reading it.
    """
    full = os.path.join(root, rel)
    try:
        if not _NOFOLLOW and os.path.islink(full):  # no O_NOFOLLOW (Windows): ask first
            raise OSError("a link")
        fd = os.open(full, _OPEN_FLAGS)  # a link fails here (ELOOP): checked below
    except OSError as exc:
        if not os.path.islink(full):  # a socket, no permission, gone since the walk
            problems.append(_unreadable(path, exc.strerror or str(exc)))
            return None
        target, where = _leads_out(os.path.realpath(root), full)
        if where:
            problems.append(
                Problem(
                    "PD011",
                    path,
                    1,
                    1,
                    f"link to a file {_WHERE[where]} is not read",
                    "copy the file into the workspace, or remove the link",
                )
            )
            return None
        try:
            fd = os.open(target, _OPEN_FLAGS)
        except OSError as exc:  # a dangling link, a link loop
            problems.append(_unreadable(path, exc.strerror or str(exc)))
            return None
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        kind = next((name for test, name in _KINDS if test(st.st_mode)), "a special file")
        problems.append(
            Problem(
                "PD001",
                path,
                1,
                1,
                f"cannot read file: it is {kind}, not a regular file",
                "replace it with a plain text file, or remove it",
            )
        )
        return None
    return fd, st


def _unreadable(path: str, reason: str) -> Problem:
    return Problem(
        "PD001", path, 1, 1, f"cannot read file: {reason}", "check the file's permissions"
    )


def _read_bytes(fd: int, size: int, path: str, problems: list[Problem], what: str) -> bytes | None:
    """At most MAX_FILE_BYTES from `fd` (closed here); more is PD007, whatever `size`
    (from fstat) said."""
    try:
        if size > MAX_FILE_BYTES:
            problems.append(_too_large(path, f"{size / 1024 / 1024:.1f} MB", what))
            return None
        chunks: list[bytes] = []
        total, limit = 0, MAX_FILE_BYTES + 1
        want = size + 1  # stat's size is a hint: the file may have grown since
        while total < limit:
            ask = min(want, limit - total)
            chunk = os.read(fd, ask)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total == size and len(chunk) < ask:  # all that stat said, and no more
                break
            want = 65536
    except OSError as exc:
        problems.append(_unreadable(path, exc.strerror or str(exc)))
        return None
    finally:
        os.close(fd)
    if total > MAX_FILE_BYTES:
        problems.append(_too_large(path, "over 4 MB", what))
        return None
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _too_large(path: str, size: str, what: str) -> Problem:
    return Problem(
        "PD007",
        path,
        1,
        1,
        f"file is {size}; {what} may be at most {MAX_FILE_BYTES // 1024 // 1024} MB",
        "move large material out of the workspace and link to it",
    )


def _read_text(root: Path, rel: str, path: str, problems: list[Problem], what: str) -> str | None:
    data = read_bytes(root, rel, path, problems, what)
    return None if data is None else decode_text(data, path, problems, what)


def read_bytes(
    root: Path, rel: str, path: str, problems: list[Problem], what: str = "a record"
) -> bytes | None:
    """The bytes of the file at `rel`, read as a record is read (a regular file inside the
    workspace, at most MAX_FILE_BYTES), or None and a problem."""
    opened = _open(root, rel, path, problems)
    if opened is None:
        return None
    return _read_bytes(opened[0], opened[1].st_size, path, problems, what)


def decode_text(
    data: bytes, path: str, problems: list[Problem], what: str = "a record"
) -> str | None:
    """A file's bytes as text with `\n` line endings (a BOM dropped, CRLF and CR read as
    newlines), or None and a problem for binary or non-UTF-8 data."""
    if b"\x00" in data:
        problems.append(
            Problem(
                "PD001",
                path,
                1,
                1,
                "binary file, not UTF-8 text",
                _BINARY_HINT.get(what, "records are Markdown text; move binary files elsewhere"),
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
                # a text file of ours with one bad byte: its line, the byte shown as U+FFFD
                source=_line(data.decode("utf-8-sig", "replace"), line),
            )
        )
        return None
    if "\r" in text:  # CRLF (Windows) and CR line endings read as plain newlines
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


_BINARY_HINT = {"workspace.yml": "workspace.yml is YAML text; move binary files elsewhere"}


def _line(text: str, number: int) -> str:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return lines[number - 1] if 0 < number <= len(lines) else ""


def _parse_mapping(
    text: str, offset: int, path: str, problems: list[Problem], not_mapping: str, hint: str
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
        problems.append(Problem("PD005", path, root.line, root.col, not_mapping, hint))
        return None
    return root


def suggest_id(stem: str) -> str:
    """A valid id close to `stem`: transliterated, lower case, dashes between words."""
    from slugify import slugify  # for badly named files only: not every run loads it

    return slugify(stem) or "record"
