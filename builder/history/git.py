"""History stage, step 1: the git plumbing. A handful of git processes per build, never one
per file: `rev-parse` for the repository's shape, one `git log --raw` for every change to
the content folder, one `git cat-file --batch` for all the blobs those changes name, and
one `git status` for uncommitted edits.

Nothing here raises for a missing or odd repository: `repo_info` returns None with the
reason, and a failing git command raises `GitError`, which `store.py` turns into a status.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from builder.model.schema import FOLDERS

# One record per commit: a header, then the raw diff entries, all NUL-separated (`-z`).
# The header's fields are NUL-separated too: NUL is the one byte git cannot store in a
# name, an email or a date, so no author can shift the fields (a \x1f in a name once
# did, and took the whole site's history down with it). The record separator only marks
# where a header starts; fields are read by position, never searched for it.
_FIELDS = ("%H", "%P", "%aN", "%aE", "%aI", "%at", "%ct")
_HEADER = "%x1e" + "%x00".join(_FIELDS)
_ENV_OVERRIDES = {
    "GIT_OPTIONAL_LOCKS": "0",  # `git status` must not take the index lock of a live repo
    "GIT_NO_LAZY_FETCH": "1",  # a partial clone must not fetch old blobs one by one
    "GIT_TERMINAL_PROMPT": "0",
    "LC_ALL": "C",
}


class GitError(Exception):
    """A git command failed: its first line of stderr, or why it could not start."""


@dataclass(frozen=True, slots=True)
class RepoInfo:
    """Where the content folder sits in its repository, and the repository's state."""

    toplevel: Path
    prefix: str  # the content folder inside the repository, "" or ending in "/"
    git_dir: Path
    head: str | None  # None: no commit yet
    shallow: frozenset[str]  # commits whose parents this clone does not have


class FileChange(NamedTuple):
    """One file changed by one commit; paths relative to the content folder.

    `status` is A (added), M (modified), D (deleted) or R (renamed, possibly edited).
    A path outside the content folder (a rename across its edge) is None.
    """

    status: str
    old_path: str | None
    new_path: str | None
    old_blob: str | None
    new_blob: str | None


class Commit(NamedTuple):
    """A commit that touched the content folder, with its record-file changes."""

    sha: str
    parents: tuple[str, ...]
    name: str
    email: str
    when: datetime  # author date, in the author's own UTC offset
    committed: int  # committer time (epoch seconds): orders commits, never shown
    changes: tuple[FileChange, ...]


def run_git(cwd: Path, args: Sequence[str], stdin: bytes | None = None) -> bytes:
    """Run `git ARGS` in `cwd` and return its stdout; raise `GitError` on any failure."""
    done = _run(cwd, args, stdin)
    if done.returncode != 0:
        raise GitError(_first_error(done, args))
    return done.stdout


def _run(
    cwd: Path, args: Sequence[str], stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, **_ENV_OVERRIDES}
    try:
        return subprocess.run(
            ["git", "-c", "core.quotePath=false", *args],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            env=env,
            check=False,
        )
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror or exc}") from None


def _first_error(done: subprocess.CompletedProcess[bytes], args: Sequence[str]) -> str:
    err = done.stderr.decode("utf-8", "replace").strip().splitlines()
    return err[0] if err else f"git {args[0]} exited with {done.returncode}"


def repo_info(root: Path) -> RepoInfo | str:
    """The repository holding `root`, or the reason there is none (a sentence)."""
    # One process: the last line is HEAD's commit, or (failing) the bare argument back
    # when there is no commit yet.
    args = [
        "rev-parse",
        "--show-toplevel",
        "--show-prefix",
        "--is-shallow-repository",
        "--absolute-git-dir",
        "HEAD^{commit}",
    ]
    try:
        done = _run(root, args)
    except GitError as exc:
        return str(exc)
    lines = done.stdout.decode("utf-8", "surrogateescape").split("\n")
    if len(lines) < 5 or not lines[0]:
        return _first_error(done, args) if done.returncode else "not inside a git working tree"
    toplevel, prefix, shallow_flag, git_dir, head_line = lines[:5]
    head = head_line if done.returncode == 0 and len(head_line) >= 40 else None
    shallow: frozenset[str] = frozenset()
    if shallow_flag == "true":
        try:
            text = (Path(git_dir) / "shallow").read_text("ascii")
        except OSError:
            text = ""
        shallow = frozenset(line.strip() for line in text.splitlines() if line.strip())
    return RepoInfo(Path(toplevel), prefix, Path(git_dir), head, shallow)


def read_log(info: RepoInfo, since: str | None = None) -> list[Commit]:
    """Every commit reachable from HEAD (and not from `since`) that touched the content
    folder, children first as git lists them, each with its record-file changes."""
    if info.head is None:
        return []
    revs = [info.head] if since is None else [info.head, f"^{since}"]
    pathspec = f":(top,literal){info.prefix}" if info.prefix else ":(top)"
    out = run_git(
        info.toplevel,
        [
            "log",
            "-z",
            "--raw",
            "--no-abbrev",
            "-M",
            "--topo-order",
            "--no-color",
            "--no-show-signature",
            f"--format={_HEADER}",
            *revs,
            "--",
            pathspec,
        ],
    )
    return parse_log(out, info.prefix)


def parse_log(out: bytes, prefix: str) -> list[Commit]:
    """Parse `git log -z --raw --format=<_HEADER>` output (see `read_log`)."""
    commits: list[Commit] = []
    tokens = out.split(b"\0")
    i, n = 0, len(tokens)
    header: list[str] | None = None
    changes: list[FileChange] = []
    fields = len(_FIELDS)
    while i < n:
        token = tokens[i].lstrip(b"\n")
        i += 1
        if token.startswith(b"\x1e"):
            if header is not None:
                commits.append(_commit(header, changes))
            raw = [token[1:], *tokens[i : i + fields - 1]]
            i += fields - 1
            header = [field.decode("utf-8", "replace") for field in raw]
            changes = []
        elif token.startswith(b":") and header is not None:
            meta = token[1:].split(b" ")
            status = meta[4][:1].decode("ascii") if len(meta) > 4 else "M"
            paths = 2 if status in ("R", "C") else 1
            names = [_decode(t) for t in tokens[i : i + paths]]
            i += paths
            change = _change(status, names, meta[2].decode(), meta[3].decode(), prefix)
            if change is not None:
                changes.append(change)
    if header is not None:
        commits.append(_commit(header, changes))
    return commits


def _decode(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


def _commit(header: list[str], changes: list[FileChange]) -> Commit:
    padded = header + [""] * len(_FIELDS)  # a header cut short reads as empty fields
    sha, parents, name, email, when, at, committed = padded[: len(_FIELDS)]
    committed_at = _int(committed)
    return Commit(
        sha,
        tuple(parents.split()),
        name,
        email,
        _author_date(when, at, committed_at),
        committed_at,
        tuple(changes),
    )


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        return 0


def _author_date(iso: str, epoch: str, committed: int) -> datetime:
    """The author date in the author's offset. A date git stores but Python cannot hold
    or move to another zone (an offset of +99:99, the year 3170843 or 9999: a hand-made
    commit can carry any) falls back to the same instant in UTC, then to the commit
    time, then to 1970: one odd commit must not cost the site its history."""
    try:
        when = datetime.fromisoformat(iso)
        if _SAFE_YEARS[0] <= when.year <= _SAFE_YEARS[1]:
            return when
    except ValueError:
        pass
    for seconds in (epoch, committed):
        try:
            when = datetime.fromtimestamp(int(seconds), UTC)
        except (ValueError, OverflowError, OSError):
            continue
        if _SAFE_YEARS[0] <= when.year <= _SAFE_YEARS[1]:
            return when
    return datetime.fromtimestamp(0, UTC)


#: years whose dates survive a move to any time zone and back
_SAFE_YEARS = (2, 9998)


_NULL_SHA = "0" * 40


def _change(
    status: str, names: list[str], old_blob: str, new_blob: str, prefix: str
) -> FileChange | None:
    if status == "R" or status == "C":
        old = record_path(names[0], prefix) if status == "R" else None
        new = record_path(names[1], prefix)
    else:
        old = new = record_path(names[0], prefix)
    old_sha = None if old_blob == _NULL_SHA else old_blob
    new_sha = None if new_blob == _NULL_SHA else new_blob
    if status in ("A", "C"):
        old, old_sha, status = None, None, "A"
    elif status == "D":
        new, new_sha = None, None
    elif status == "R":
        if old is None:
            old_sha, status = None, "A"
        elif new is None:
            new_sha, status = None, "D"
    else:  # M, T (type change), U: an edit in place
        status = "M"
    if old is None and new is None:
        return None
    return FileChange(status, old, new, old_sha, new_sha)


def record_path(repo_path: str, prefix: str) -> str | None:
    """`repo_path` relative to the content folder if it is a record file, else None."""
    if prefix:
        if not repo_path.startswith(prefix):
            return None
        repo_path = repo_path[len(prefix) :]
    return repo_path if classify(repo_path) is not None else None


@lru_cache(maxsize=1 << 16)
def classify(rel: str) -> tuple[str, str] | None:
    """(record type, id) of a content-relative path, as `builder.load.files` would read it."""
    top, _, rest = rel.partition("/")
    kind = FOLDERS.get(top)
    if kind is None or not rest or rest[-3:].lower() != ".md" or "/." in "/" + rest:
        return None
    return kind, rest.rsplit("/", 1)[-1][:-3]


def read_blobs(info: RepoInfo, shas: Iterable[str]) -> dict[str, bytes]:
    """The content of every blob in `shas`, with one `git cat-file --batch` process.
    Blobs the clone lacks (partial clones) are simply absent from the result."""
    wanted = list(dict.fromkeys(shas))
    if not wanted:
        return {}
    out = run_git(
        info.toplevel, ["cat-file", "--batch", "--buffer"], ("\n".join(wanted) + "\n").encode()
    )
    blobs: dict[str, bytes] = {}
    pos, size_out = 0, len(out)
    while pos < size_out:
        eol = out.index(b"\n", pos)
        head = out[pos:eol].split(b" ")
        pos = eol + 1
        if len(head) != 3:  # "<sha> missing" (or ambiguous)
            continue
        size = int(head[2])
        blobs[head[0].decode("ascii")] = out[pos : pos + size]
        pos += size + 1
    return blobs


def uncommitted(info: RepoInfo) -> tuple[str, ...]:
    """Content-relative paths with changes not yet committed (staged, unstaged, new)."""
    pathspec = f":(top,literal){info.prefix}" if info.prefix else ":(top)"
    out = run_git(
        info.toplevel,
        ["status", "--porcelain=v1", "-z", "--untracked-files=all", "--", pathspec],
    )
    paths: list[str] = []
    tokens = out.split(b"\0")
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        if len(token) < 4:
            continue
        code, path = token[:2], _decode(token[3:])
        if b"R" in code or b"C" in code:
            i += 1  # the rename's source path follows
        rel = path[len(info.prefix) :] if path.startswith(info.prefix) else path
        paths.append(rel)
    return tuple(sorted(set(paths)))


def is_ancestor(info: RepoInfo, older: str, newer: str) -> bool:
    """True when commit `older` is an ancestor of `newer` (and both exist)."""
    try:
        run_git(info.toplevel, ["merge-base", "--is-ancestor", older, newer])
    except GitError:
        return False
    return True
