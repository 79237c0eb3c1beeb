"""Output folders: which ones a build may replace, and replacing several of them as one.

A build replaces whole folders (the site, the portal folder). Before it does, `refuse_unsafe`
and `refuse_foreign` make sure the folder is not the workspace, the repository or someone's
files. `Transaction` then stages every new tree away from the published folders (under
`.plaindesk/tmp/`, which git ignores, on the target's file system so that a rename swaps it
in) and swaps them all in, or none: a failed swap puts back what it had already replaced,
and a build killed half-way through a swap is undone by the next build.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

#: Written into every site a build makes: only folders holding it are replaced unasked.
MARKER = ".plaindesk-build"
MARKER_TEXT = (
    "Written by a Plaindesk build (`plaindesk build` or `mkdocs build`). Every build\n"
    "replaces this whole folder: keep nothing of your own in it.\n"
)
#: Where builds stage their trees, relative to the project folder (mkdocs.yml's).
STAGING = Path(".plaindesk") / "tmp"
# Beside a published folder on another file system than the project (renames cannot cross)
_FALLBACK = ".plaindesk-tmp"
# In the staging folder of a build while it swaps: what to undo if it dies half-way
_JOURNAL = "swap.json"


def own_folder(folder: Path) -> Path:
    """Make `folder` (under `.plaindesk/` or `.plaindesk-cache/`), ignored by git whatever
    the project's .gitignore says, as the staging folder is: `git add -A` never takes a
    build's state or caches."""
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# created by plaindesk\n*\n", "utf-8")
    return folder


def write_whole(path: Path, data: bytes) -> None:
    """Write `path` so that a reader sees the old file or the new one, never half: a draft
    of its own beside it (two builds in one folder at once each write their own), then a
    rename. The draft goes if the write fails."""
    fd, draft = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(draft, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(draft)
        raise


def rewrite(path: Path | str, data: bytes | list[bytes], *, compare: bool = True) -> bool | None:
    """Make an existing file hold exactly `data`, in place: whether it was written (False:
    it held `data` already; only looked at with `compare`), or None when there is no file
    of its own to rewrite there (missing, not a regular file, unreadable, or a hard link,
    which is unlinked: nothing is ever written through a link). The caller then writes
    a new file.

    The file is overwritten from its start and cut to the new length, in one open.
    Opening it with truncation instead (`open(path, "wb")`) costs ext4 dearly for a file
    written moments before, as serve's pages are at every edit: a file truncated to nothing
    is flushed to disk when it is closed (`auto_da_alloc`), and truncating it again waits
    for that write. Measured here on 1,000 files of 5 kB rewritten four times in turn:
    0.2-1.3 s a round truncated, 0.015 s in place. `data` may be a list of pieces, written
    one after the other (never compared): a large file need not be joined first."""
    try:
        handle = open(path, "r+b")  # noqa: SIM115 (the with below closes it)
    except OSError:  # missing, a folder, unreadable: written anew (or failing) by the caller
        return None
    with handle:
        if os.fstat(handle.fileno()).st_nlink > 1:
            os.unlink(path)
            return None
        # a failing read or write (a full disk) is raised, not retried as a new file
        if isinstance(data, list):
            handle.writelines(data)
        elif compare and handle.read() == data:
            return False
        else:
            handle.seek(0)
            handle.write(data)
        handle.truncate()
        return True


class OutputError(Exception):
    """An output folder cannot be used or replaced; the message says why and what to do."""


def shown(path: Path) -> str:
    """`path` relative to the current folder when it lies inside it, else absolute."""
    try:
        return str(path.relative_to(Path.cwd())) or "."
    except ValueError:
        return str(path)


def os_reason(exc: OSError) -> str:
    """An operating-system failure in words, with what usually fixes it."""
    reason = (exc.strerror or str(exc)).lower()
    where = f" ({exc.filename})" if exc.filename else ""
    hint = {
        errno.ENOSPC: "free some space",
        errno.EDQUOT: "free some space",
        errno.EROFS: "build on a writable file system",
        errno.EACCES: "check the folder's permissions",
        errno.EPERM: "check the folder's permissions and that it is not immutable (lsattr -d)",
    }.get(exc.errno or 0)
    return f"{reason}{where}" + (f"; {hint}" if hint else "")


# --- which folders a build may take --------------------------------------------------------


@dataclass(frozen=True)
class Guarded:
    """A folder no output may be, or hold: `what` names it in messages."""

    path: Path
    what: str


def guarded_folders(content: Path, home: Path) -> list[Guarded]:
    """The content folder (first), the project folder and the git work trees around them."""
    found = [Guarded(content, "the content folder"), Guarded(home, "the project folder")]
    for start in (home, content):
        root = next((f for f in (start, *start.parents) if (f / ".git").exists()), None)
        if root is not None and all(g.path != root for g in found):
            found.append(Guarded(root, "the root of the git work tree"))
    return found


def refuse_unsafe(folder: Path, label: str, guarded: list[Guarded], fix: str) -> None:
    """OutputError when `folder` (resolved) is or holds a guarded folder or a git work tree,
    or lies inside the content folder; `label` names it ("the site folder") and `fix` says
    what to choose instead."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{label} {shown(folder)} is a file, not a folder; {fix}")
    for item in guarded:
        if folder == item.path:
            raise OutputError(f"{label} {shown(folder)} is {item.what}; {fix}")
    for item in guarded:
        if item.path.is_relative_to(folder):
            raise OutputError(
                f"{label} {shown(folder)} holds {item.what} ({shown(item.path)}); {fix}"
            )
    content = guarded[0].path
    if folder.is_relative_to(content):
        raise OutputError(
            f"{label} {shown(folder)} is inside the content folder {shown(content)}; {fix}"
        )
    if (folder / ".git").exists():
        raise OutputError(f"{label} {shown(folder)} is the root of a git work tree; {fix}")


def refuse_foreign(folder: Path, label: str, ours: Callable[[Path], bool] | None = None) -> None:
    """OutputError when `folder` exists, is not empty and was not written by a build: it
    holds no marker, and `ours(folder)` (a shape only a build makes) is false."""
    if not folder.is_dir() or (folder / MARKER).is_file():
        return
    try:
        entries = sorted(os.listdir(folder))
    except OSError as exc:
        raise OutputError(f"cannot read {label} {shown(folder)}: {os_reason(exc)}") from None
    if not entries or (ours is not None and ours(folder)):
        return
    if (folder / "sitemap.xml").is_file() and (folder / "search").is_dir():
        raise OutputError(
            f"{label} {shown(folder)} holds a site built by an earlier Plaindesk (or another "
            f"MkDocs project) without the {MARKER} marker that lets a build replace it; if "
            f"it is this project's, delete it once (rm -r {shown(folder)}) and build again"
        )
    listed = ", ".join(entries[:3]) + (", ..." if len(entries) > 3 else "")
    raise OutputError(
        f"{label} {shown(folder)} holds files that Plaindesk did not write ({listed}) and a "
        "build replaces the whole folder; choose a new or empty folder, or move them away"
    )


# --- staging and swapping ------------------------------------------------------------------


@dataclass(frozen=True)
class _Part:
    target: Path  # the folder being replaced
    new: Path  # its new tree, staged
    old: Path  # where the previous tree goes while the swap runs


def _device(path: Path) -> int:
    """The file system of `path`, or of its nearest existing ancestor."""
    for folder in (path, *path.parents):
        with suppress(OSError):
            return os.stat(folder).st_dev
    return -1


def _renames_into(area: Path, parent: Path) -> None:
    """Check, before anything is built, that a tree staged in `area` can be renamed into
    `parent`: the parent may be read-only, or a bind mount of the same file system (the
    same device, yet renames across it fail)."""
    probe = Path(tempfile.mkdtemp(prefix="probe-", dir=area))
    moved = parent / f".plaindesk-probe-{os.getpid()}"
    try:
        os.rename(probe, moved)
        os.rename(moved, probe)
    finally:
        with suppress(OSError):
            probe.rmdir()


@contextmanager
def _locked(folder: Path, wait: bool = True) -> Iterator[int | None]:
    """An exclusive lock on `folder` (its fd), or None when another process holds it and
    `wait` is false. Locks die with their process: a killed build's folder is free."""
    if sys.platform == "win32":  # no flock, no folder handles: every build is alone
        yield -1
        return
    import fcntl

    fd = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield None
            return
        yield fd
    finally:
        os.close(fd)


def _roll_back(parts: list[_Part]) -> None:
    """Put every target back as it was before the swap; safe to run again at any point."""
    for part in reversed(parts):
        if not part.new.exists() and part.target.exists():
            os.replace(part.target, part.new)  # the new tree had been swapped in
        if part.old.exists():
            os.replace(part.old, part.target)


def _read_journal(path: Path) -> list[_Part]:
    rows = json.loads(path.read_text(encoding="utf-8"))
    return [_Part(Path(r["target"]), Path(r["new"]), Path(r["old"])) for r in rows]


def sweep(root: Path) -> None:
    """Undo the half-done swaps of killed builds staged in `root` and remove what they left;
    the folders of running builds stay. OutputError when a swap cannot be undone."""
    if not root.is_dir():
        return
    with _locked(root) as _:
        stale: list[Path] = []
        for entry in sorted(root.iterdir()):
            if entry.name == ".gitignore":
                continue
            if not entry.is_dir() or entry.is_symlink():
                entry.unlink()
                continue
            with _locked(entry, wait=False) as free:
                if free is not None:
                    stale.append(entry)
        for entry in stale:
            journal = entry / _JOURNAL
            if journal.is_file():
                try:
                    _roll_back(_read_journal(journal))
                except (OSError, ValueError, KeyError) as exc:
                    reason = os_reason(exc) if isinstance(exc, OSError) else f"{exc!r}"
                    raise OutputError(
                        f"a build was stopped while swapping its folders in, and they cannot "
                        f"be put back: {reason}; fix that and build again, or delete "
                        f"{shown(entry)} to keep the folders as they are"
                    ) from None
                journal.unlink()
        for entry in stale:
            shutil.rmtree(entry, ignore_errors=True)


def _drop_if_empty(root: Path) -> None:
    with suppress(OSError), _locked(root):
        if set(os.listdir(root)) <= {".gitignore"}:
            (root / ".gitignore").unlink(missing_ok=True)
            root.rmdir()


class Transaction:
    """Replace several folders as one: `stage` gives an empty folder per target, the caller
    fills them, `commit` swaps them all in (or, on failure, none). Leaving the `with` block
    removes what is staged and the previous trees.

    `home` is the project folder; staging goes to `home/.plaindesk/tmp/` when that is on the
    target's file system, else to `.plaindesk-tmp/` beside the published folder."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self._areas: dict[Path, tuple[Path, int]] = {}  # root -> (this build's folder, lock)
        self._parts: list[_Part] = []
        self._journal: Path | None = None

    def __enter__(self) -> Transaction:
        with suppress(OSError):  # a read-only project: staging says so if it needs one
            sweep(self.home / STAGING)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        keep = self._journal is not None and self._journal.exists()
        for root, (folder, fd) in self._areas.items():
            if not keep:  # else the next build needs the journal and the trees to undo
                shutil.rmtree(folder, ignore_errors=True)
            if fd >= 0:
                os.close(fd)
            if root != self.home / STAGING and not keep:
                _drop_if_empty(root)  # a fallback beside a published folder leaves no trace
        self._areas.clear()

    def _area(self, root: Path) -> Path:
        """This build's own locked folder in staging root `root` (swept first)."""
        if root in self._areas:
            return self._areas[root][0]
        root.mkdir(parents=True, exist_ok=True)
        ignore = root / ".gitignore"
        if not ignore.exists():  # git add -A never takes a temporary, whatever the project
            ignore.write_text("# created by plaindesk: temporary build folders\n*\n", "utf-8")
        sweep(root)
        with _locked(root):
            folder = Path(tempfile.mkdtemp(prefix="build-", dir=root))
            fd = -1
            if sys.platform != "win32":
                import fcntl

                fd = os.open(folder, os.O_RDONLY)
                fcntl.flock(fd, fcntl.LOCK_EX)  # held until this build ends, or dies
        self._areas[root] = (folder, fd)
        return folder

    def stage(self, target: Path, published: Path | None = None) -> Path:
        """A new empty folder to build `target`'s next tree in, on the target's file system.

        `published` is the folder published as a whole that holds `target` (default: the
        target): the fallback staging goes beside it, never inside it."""
        published = published or target
        target.parent.mkdir(parents=True, exist_ok=True)
        device = os.stat(target.parent).st_dev
        roots = [self.home / STAGING, published.parent / _FALLBACK, target.parent / _FALLBACK]
        failure: OSError | None = None
        for root in dict.fromkeys(r for r in roots if _device(r) == device):
            try:
                area = self._area(root)
                _renames_into(area, target.parent)
                break
            except OSError as exc:
                # a later candidate's reason (read-only, denied) says more than "cross-device"
                if failure is None or failure.errno == errno.EXDEV:
                    failure = exc
        else:
            raise failure or OSError(errno.EXDEV, "no folder for temporaries", str(target))
        number = len(self._parts)
        part = _Part(target, area / f"new-{number}", area / f"old-{number}")
        part.new.mkdir()
        self._parts.append(part)
        return part.new

    def keep_previous(self, target: Path, into: Path) -> bool:
        """After `commit`: move `target`'s previous tree to `into` rather than delete it
        (`plaindesk build` reuses it to assemble the next site without making every folder
        again). False when there is none or it cannot be moved (it is then deleted)."""
        if self._journal is not None and self._journal.exists():
            return False  # the swap is not done
        for part in self._parts:
            if part.target == target and part.old.is_dir():
                try:
                    if into.exists():
                        shutil.rmtree(into)
                    into.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(part.old, into)
                except OSError:
                    return False
                return True
        return False

    def commit(self) -> None:
        """Swap every staged tree in, in the order staged; if one fails, put back those
        already swapped and raise OutputError (nothing replaced)."""
        if not self._parts:
            return
        # in the project's staging folder when there is one: every build sweeps that first,
        # so the trees it names in other folders are still there to put back
        home = self._areas.get(self.home / STAGING)
        journal = (home[0] if home else self._parts[0].new.parent) / _JOURNAL
        rows = [
            {"target": str(p.target), "new": str(p.new), "old": str(p.old)} for p in self._parts
        ]
        draft = journal.with_suffix(".tmp")
        try:
            draft.write_text(json.dumps(rows), encoding="utf-8")
            os.replace(draft, journal)
        except OSError as exc:
            raise OutputError(
                f"could not start the swap: {os_reason(exc)}; nothing was replaced"
            ) from None
        self._journal = journal
        current = self._parts[0]
        try:
            for current in self._parts:
                if current.target.exists():
                    os.replace(current.target, current.old)
                os.replace(current.new, current.target)
        except OSError as exc:
            reason = os_reason(exc)
            try:
                _roll_back(self._parts)
            except OSError as again:
                raise OutputError(
                    f"could not replace {shown(current.target)}: {reason}; and could not put "
                    f"back what was already replaced: {os_reason(again)}. The next build "
                    "puts it back"
                ) from None
            journal.unlink()
            raise OutputError(
                f"could not replace {shown(current.target)}: {reason}; nothing was replaced"
            ) from None
        journal.unlink()
