"""The page tree on disk: written file by file, only where the bytes changed."""

from __future__ import annotations

import os
from pathlib import Path


def write_tree(pages: dict[str, str], out: Path,
               unchanged: set[str] | None = None) -> tuple[list[str], list[str]]:
    """Write pages whose bytes changed and delete pages that are gone. Pages in
    `unchanged` (the memo's, identical to what the last call wrote) are not even compared.

    Returns (written, removed) docs-relative paths.
    """
    written: list[str] = []
    out.mkdir(parents=True, exist_ok=True)
    for rel, text in pages.items():
        if unchanged is not None and rel in unchanged and (out / rel).is_file():
            continue
        target = out / rel
        data = text.encode("utf-8")
        try:
            if target.read_bytes() == data:
                continue
        except OSError:
            target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)
        written.append(rel)
    removed = []
    for dirpath, _dirs, files in os.walk(out):
        for name in files:
            rel = os.path.relpath(os.path.join(dirpath, name), out).replace(os.sep, "/")
            if rel not in pages:
                os.remove(os.path.join(dirpath, name))
                removed.append(rel)
    return written, sorted(removed)
