"""The page tree on disk: written file by file, only where the bytes changed."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from builder.output import rewrite


class KeptPages:
    """Pages a serve rebuild takes from its memo as they are, handed to `write_tree` in one
    piece (path -> text; "" when the text is in the tree already): each stays unless the
    tree lost it since, and is then written from its text."""

    __slots__ = ("texts",)

    def __init__(self, texts: dict[str, str]) -> None:
        self.texts = texts


def write_tree(
    pages: Mapping[str, str] | Iterable[tuple[str, str] | KeptPages],
    out: Path,
    unchanged: set[str] | None = None,
    before: set[str] | None = None,
    paths: set[str] | None = None,
) -> tuple[list[str], list[str]]:
    """Write pages whose bytes changed and delete pages that are gone. `pages` is a dict
    or a stream of (path, text) pairs, written as they come (a build then holds one page
    at a time); `paths`, if given, receives every page's path. Pages in
    `unchanged` (the memo's: the same text as when last rendered) are not even compared
    if the last call left them in the tree; `before`, the files the last call left, spares
    walking the tree to find the gone ones. A new tree (a fresh checkout, CI) is written
    straight, without comparing anything.

    No temporary file and rename: nothing reads the tree while it is written, and a page
    cut short by a crash differs from its next rendering, so the next run rewrites it.
    A changed page is overwritten in place (`rewrite`), never truncated to nothing first.

    Returns (written, removed) docs-relative paths.
    """
    fresh = not out.is_dir()
    if fresh:  # the tree was removed (or never written): nothing in it can be trusted
        unchanged = before = None
    written: list[str] = []
    folders: set[str] = set()
    seen = paths if paths is not None else set()
    for item in pages.items() if isinstance(pages, Mapping) else pages:
        if isinstance(item, KeptPages):
            seen.update(item.texts)
            if before is not None:
                lost: Iterable[str] = item.texts.keys() - before
            else:
                lost = [rel for rel in item.texts if not (out / rel).is_file()]
            items: Iterable[tuple[str, str]] = [(rel, item.texts[rel]) for rel in sorted(lost)]
        else:
            items = (item,)
        for rel, text in items:
            seen.add(rel)
            if _write(out, rel, text, unchanged, before, fresh, folders):
                written.append(rel)
    if before is not None:
        removed = _remove_gone(out, before.difference(seen))
    else:
        removed = [] if fresh else _sweep(out, seen)
    return written, sorted(removed)


def _write(
    out: Path,
    rel: str,
    text: str,
    unchanged: set[str] | None,
    before: set[str] | None,
    fresh: bool,
    folders: set[str],
) -> bool:
    """Write one page where its bytes changed: whether it was written."""
    if unchanged is not None and rel in unchanged and _still_there(out, rel, before):
        return False
    if not text and unchanged is not None and rel in unchanged:
        # a page kept in the tree (`render_pages`' prior) must be there
        raise FileNotFoundError(f"{out / rel}: a kept page is missing from the page tree")
    target = out / rel
    data = text.encode("utf-8")
    if not fresh:
        changed = rewrite(target, data)
        if changed is not None:
            return changed
    folder = rel.rpartition("/")[0]
    if folder not in folders:
        (out / folder).mkdir(parents=True, exist_ok=True)
        folders.add(folder)
    target.write_bytes(data)
    return True


def _still_there(out: Path, rel: str, before: set[str] | None) -> bool:
    """Whether the last write left this page in the tree. A page rendered as before may
    still be gone: it went since (its pipeline dropped by broken settings, its record
    deleted) and came back as it was."""
    return rel in before if before is not None else (out / rel).is_file()


def _remove_gone(out: Path, gone: set[str]) -> list[str]:
    for rel in gone:
        (out / rel).unlink(missing_ok=True)
    return list(gone)


def _sweep(out: Path, pages: set[str]) -> list[str]:
    """Walk the tree and delete every file that is not a page now."""
    removed = []
    for dirpath, _dirs, files in os.walk(out):
        for name in files:
            rel = os.path.relpath(os.path.join(dirpath, name), out).replace(os.sep, "/")
            if rel not in pages:
                os.remove(os.path.join(dirpath, name))
                removed.append(rel)
    return removed
