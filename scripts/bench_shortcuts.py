"""What each of serve's shortcuts into the engine buys: the edit -> page latency of
`plaindesk serve` with all of them, and with each one switched off (the plaindesk plugin's
`engine_off` option; see builder/site/engine.py and docs/incremental.md).

Usage: python scripts/bench_shortcuts.py [--scale 1] [--rounds 1] [--keep DIR]

Generates the workspace of bench_build.py (seed 42), builds it once (to pick the tasks to
edit), then serves it once per variant and round, in turn, with bench_build.py's edits
(three tasks moved to another column, each polled until its page shows it). Prints the
median latency and the initial build time per variant, and a Markdown table."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import bench_build  # scripts/: a script's own folder is first on sys.path
import generate

from builder.site.engine import SHORTCUTS  # the installed plaindesk's, as bench_build runs

PLUGIN = "  - plaindesk:\n      content: content\n{off}"


def set_off(proj: Path, off: str | None) -> None:
    extra = f"      engine_off: [{off}]\n" if off else ""
    (proj / "mkdocs.yml").write_text(
        bench_build.MKDOCS_YML.format(extra_comment="", plugin=PLUGIN.format(off=extra)),
        encoding="utf-8",
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=float, default=1.0, help="workspace scale (default 1)")
    ap.add_argument("--rounds", type=int, default=1, help="serves per variant (default 1)")
    ap.add_argument("--only", nargs="*", default=None, help="variants: none and/or shortcut names")
    ap.add_argument("--keep", type=Path, help="work in this (new) folder and keep it")
    args = ap.parse_args(argv)
    variants: list[str | None] = [None, *SHORTCUTS]
    if args.only is not None:
        variants = [None if v == "none" else v for v in args.only]

    if args.keep:
        args.keep.mkdir(parents=True)
        tmp_ctx: Any = None
        tmp = args.keep.resolve()
    else:
        tmp_ctx = tempfile.TemporaryDirectory(prefix="plaindesk-bench-shortcuts-")
        tmp = Path(tmp_ctx.name)
    try:
        proj, site = tmp / "project", tmp / "site"
        bench_build.make_plaindesk_project(proj, generate, args.scale)
        run = bench_build.build_plaindesk(proj, site, tmp / "build.log")
        print(f"workspace (scale {args.scale:g}) built in {run.wall:.0f} s", flush=True)
        if run.rc != 0:
            print("error: the build failed; see", tmp / "build.log")
            return 2
        latencies: dict[str | None, list[float]] = {v: [] for v in variants}
        ready: dict[str | None, list[float]] = {v: [] for v in variants}
        for rnd in range(args.rounds):
            for off in variants:
                set_off(proj, off)
                (tmp / "serve").mkdir(exist_ok=True)
                res = bench_build.measure_serve(proj, site, tmp / "serve", 3600, 600)
                name = off or "none"
                if res.error:
                    print(f"round {rnd + 1}, off {name}: error: {res.error}", flush=True)
                    continue
                latencies[off].extend(res.latencies)
                if res.ready is not None:
                    ready[off].append(res.ready)
                shown = ", ".join(f"{x:.2f}" for x in res.latencies)
                print(
                    f"round {rnd + 1}, off {name}: ready {res.ready:.0f} s, edits {shown} s, "
                    f"load {os.getloadavg()[0]:.1f}",
                    flush=True,
                )
                time.sleep(2)
        print("\n| switched off | edit -> page (median) | edits | initial build |")
        print("|---|---|---|---|")
        for off in variants:
            lat, rdy = latencies[off], ready[off]
            med = f"{statistics.median(lat):.2f} s" if lat else "—"
            first = f"{statistics.median(rdy):.0f} s" if rdy else "—"
            print(f"| {off or 'nothing'} | {med} | {len(lat)} | {first} |")
        return 0
    finally:
        if tmp_ctx is not None:
            tmp_ctx.cleanup()


if __name__ == "__main__":
    sys.exit(main())
