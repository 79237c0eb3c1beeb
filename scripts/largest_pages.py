#!/usr/bin/env python3
"""The largest pages of a built site (or of a page tree), to keep every page small.

    python scripts/largest_pages.py SITE_DIR [--top 15] [--limit-kb 500]

Lists the `--top` largest `.html` pages of SITE_DIR (a `plaindesk build --site-dir`
folder; or `.plaindesk/docs`, whose `.md` pages are measured instead) with their size in
KB (1000 bytes), and how many exceed `--limit-kb`. Exit status 0 when none does, 1 when
one does: a phone on mobile data cannot open a page of megabytes.  `bench_build.py`
reports the same figures for the site it builds.
"""

from __future__ import annotations

import argparse
import heapq
import os
import sys
from pathlib import Path

LIMIT_KB = 500


def page_sizes(root: Path) -> list[tuple[int, str]]:
    """(bytes, root-relative path) of every page under `root`: its `.html` files, or its
    `.md` files when it has no HTML (a page tree)."""
    html: list[tuple[int, str]] = []
    md: list[tuple[int, str]] = []
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            into = html if name.endswith(".html") else md if name.endswith(".md") else None
            if into is not None:
                full = os.path.join(dirpath, name)
                into.append((os.path.getsize(full), os.path.relpath(full, root)))
    return html or md


def largest(root: Path, top: int) -> list[tuple[int, str]]:
    """The `top` largest pages under `root`, largest first (ties by path)."""
    return heapq.nsmallest(top, page_sizes(root), key=lambda sp: (-sp[0], sp[1]))


def over_limit(root: Path, limit_kb: float) -> list[tuple[int, str]]:
    """The pages under `root` larger than `limit_kb` KB, largest first."""
    return sorted(
        (sp for sp in page_sizes(root) if sp[0] > limit_kb * 1000), key=lambda sp: (-sp[0], sp[1])
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("root", type=Path, help="a built site folder, or a page tree")
    ap.add_argument("--top", type=int, default=15, help="pages to list (default 15)")
    ap.add_argument("--limit-kb", type=float, default=LIMIT_KB, help="default 500")
    args = ap.parse_args(argv)
    if not args.root.is_dir():
        print(f"error: {args.root} is not a folder", file=sys.stderr)
        return 2
    sizes = page_sizes(args.root)
    print(f"{len(sizes)} pages, {sum(s for s, _ in sizes) / 1e6:.1f} MB in all")
    print("| page | KB |\n|---|---:|")
    for size, path in largest(args.root, args.top):
        print(f"| {path} | {size / 1000:,.0f} |")
    over = over_limit(args.root, args.limit_kb)
    print(f"pages over {args.limit_kb:g} KB: {len(over)}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
