"""Writing a plan: a diff for `--dry-run`, atomic writes, and a git commit for `--commit`.

A changed file is written to a hidden temporary file beside it, flushed to disk, given the
old file's permissions, and renamed over the old one; just before the rename the old file is
read again, and if it is no longer what the plan was made from (an editor saved it, a `git
pull` ran), nothing is written. A new file is linked into place, which fails when the name
is taken, so `new` never overwrites anything, even a file that appeared a moment ago.
Everything that can be checked before writing (read-only files, a folder that is not in a
git repository, git not knowing who you are) is checked before the first byte is written.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from builder.edit.desk import Desk, WriteError
from builder.edit.plan import FileChange, Plan
from builder.edit.source import Source

if TYPE_CHECKING:
    import subprocess

_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation


def diff(desk: Desk, plan: Plan) -> str:
    """A unified diff of the plan (line endings shown as newlines)."""
    import difflib

    out: list[str] = []
    for change in plan.changes:
        path = desk.path(change.rel)
        before = [] if change.before is None else Source(change.before).text.splitlines(True)
        after = Source(change.after).text.splitlines(True)
        lines = difflib.unified_diff(
            before,
            after,
            "/dev/null" if change.before is None else f"a/{path}",
            f"b/{path}",
        )
        for line in lines:
            out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def preflight(desk: Desk, plan: Plan, commit: bool) -> None:
    """Everything that would stop the plan half-way, checked before anything is written."""
    for change in plan.changes:
        full = desk.root / change.rel
        if change.before is not None:
            _writable(desk, change.rel, full)
        else:
            folder = _existing_parent(full.parent)
            if not os.access(folder, os.W_OK | os.X_OK):
                raise WriteError(f"cannot create {desk.path(change.rel)}: {folder} is read-only")
    if commit:
        _git_ready(desk)


def apply(desk: Desk, plan: Plan) -> None:
    """Write every file of the plan, or none: files this call created are removed again
    when a later one fails (a plan that changes a file changes only that one)."""
    created: list[Path] = []  # files, then the folders made for them, newest first
    for change in plan.changes:
        try:
            if change.before is None:
                created[:0] = [desk.root / change.rel, *_create(desk, change)]
            else:
                _replace(desk, change)
        except WriteError:
            for path in created:
                with contextlib.suppress(OSError):
                    path.rmdir() if path.is_dir() else path.unlink()
            raise


def commit(desk: Desk, plan: Plan) -> str:
    """Commit the plan's files (only those) with the plan's summary as the message; the
    short hash of the commit."""
    root = os.path.realpath(desk.root)
    # a record reached through a link changed where the link leads: that file is committed
    rels = [
        os.path.relpath(os.path.realpath(desk.root / change.rel), root) for change in plan.changes
    ]
    message = plan.summary[:1].upper() + plan.summary[1:]
    for args in (["add", "--", *rels], ["commit", "-q", "-m", message, "--", *rels]):
        done = _git(desk, *args)
        if done.returncode != 0:
            raise WriteError(
                f"written, but not committed: git {args[0]} failed: "
                f"{_first_line(done.stderr or done.stdout)}"
            )
    return _git(desk, "rev-parse", "--short", "HEAD").stdout.strip()


def _writable(desk: Desk, rel: str, full: Path) -> None:
    real = Path(os.path.realpath(full))
    try:
        mode = os.stat(real).st_mode
    except OSError as exc:
        raise WriteError(f"cannot write {desk.path(rel)}: {exc.strerror}") from None
    # A read-only file is someone's decision, even for a user (root) who could write it;
    # the folder must take the temporary file the new version is written to.
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(real, os.W_OK):
        raise WriteError(f"{desk.path(rel)} is read-only; nothing changed")
    if not os.access(real.parent, os.W_OK | os.X_OK):
        raise WriteError(f"cannot write {desk.path(rel)}: its folder is read-only; nothing changed")


def _existing_parent(folder: Path) -> Path:
    while not folder.exists() and folder.parent != folder:
        folder = folder.parent
    return folder


def _temporary(folder: Path, name: str, data: bytes, mode: int) -> str:
    """A new hidden file in `folder` holding `data`, flushed to disk (its path). Hidden,
    so neither `check` nor `serve` takes it for a record while it exists."""
    for _ in range(100):
        tmp = os.path.join(folder, f".{name}.{os.urandom(6).hex()}.plaindesk")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, 0o600)
            break
        except FileExistsError:
            continue
    else:  # pragma: no cover - 48 random bits taken a hundred times over
        raise FileExistsError(errno.EEXIST, "no free temporary name", str(folder))
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def _replace(desk: Desk, change: FileChange) -> None:
    path = desk.path(change.rel)
    real = Path(os.path.realpath(desk.root / change.rel))  # a link: its target changes
    try:
        mode = stat.S_IMODE(os.stat(real).st_mode)
        tmp = _temporary(real.parent, real.name, change.after, mode)
    except OSError as exc:
        raise WriteError(f"cannot write {path}: {exc.strerror or exc}; nothing changed") from None
    try:
        try:
            now = real.read_bytes()
        except OSError:
            now = None
        if now != change.before:
            raise WriteError(
                f"{path} changed on disk while this command ran; nothing written "
                "(run the command again)"
            )
        os.replace(tmp, real)
    except OSError as exc:
        raise WriteError(f"cannot write {path}: {exc.strerror or exc}; nothing changed") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    _sync_folder(real.parent)


def _create(desk: Desk, change: FileChange) -> list[Path]:
    """Create the file; the folders made for it, innermost first."""
    path = desk.path(change.rel)
    full = desk.root / change.rel
    made = [p for p in full.parents if not p.exists()]
    umask = os.umask(0)
    os.umask(umask)
    try:
        full.parent.mkdir(parents=True, exist_ok=True)
        tmp = _temporary(full.parent, full.name, change.after, 0o666 & ~umask)
    except OSError as exc:
        raise WriteError(f"cannot create {path}: {exc.strerror or exc}") from None
    try:
        try:
            os.link(tmp, full)  # fails if the name is taken: never an overwrite
        except FileExistsError:
            raise WriteError(f"{path} exists already; new never overwrites a file") from None
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
                raise
            _create_in_place(full, change.after, umask)  # a file system without links
    except OSError as exc:
        raise WriteError(f"cannot create {path}: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    _sync_folder(full.parent)
    return made


def _create_in_place(full: Path, data: bytes, umask: int) -> None:
    try:
        fd = os.open(full, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666 & ~umask)
    except FileExistsError:
        raise WriteError(f"{full} exists already; new never overwrites a file") from None
    with os.fdopen(fd, "wb") as out:
        out.write(data)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself survive a crash (POSIX; a no-op elsewhere)."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _git(desk: Desk, *args: str) -> subprocess.CompletedProcess[str]:
    import subprocess  # only --commit runs git: the other commands need not load it

    try:
        return subprocess.run(
            ["git", *args], cwd=desk.root, capture_output=True, text=True, check=False
        )
    except OSError as exc:
        raise WriteError(f"--commit: cannot run git ({exc.strerror}); nothing changed") from None


def _git_ready(desk: Desk) -> None:
    if _git(desk, "rev-parse", "--show-toplevel").returncode != 0:
        raise WriteError(
            f"--commit: {desk.root} is not in a git repository; nothing changed "
            "(run `git init` there first, or leave out --commit)"
        )
    if _git(desk, "var", "GIT_AUTHOR_IDENT").returncode != 0:
        raise WriteError(
            "--commit: git does not know who you are; nothing changed (set "
            '`git config --global user.name "Your Name"` and `user.email`)'
        )


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "no message")
