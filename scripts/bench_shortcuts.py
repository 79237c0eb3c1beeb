"""What each of serve's shortcuts into the engine buys: the edit -> page latency of
`plaindesk serve` with all of them, and with each one switched off (the plaindesk plugin's
`engine_off` option; see builder/site/engine.py and docs/incremental.md).

Usage: python scripts/bench_shortcuts.py [--scale 1] [--rounds 1] [--keep DIR]

Generates the workspace of bench_build.py (seed 42), builds it once (to pick the tasks to
edit), then serves it once per variant and round, in turn, with bench_build.py's edits
(three tasks moved to another column, each polled until its page shows it). Prints, per
variant, the median latency and the median CPU time the server spent meanwhile (steadier
than wall time when other work shares the machine), as a Markdown table."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
from dataclasses import dataclass, field
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


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process `pid` so far (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Served:
    ready: float = 0.0
    latencies: list[float] = field(default_factory=list)  # save -> page shows it
    cpu: list[float] = field(default_factory=list)  # the server's CPU time meanwhile
    error: str | None = None


def serve_edits(proj: Path, site: Path, tmp: Path) -> Served:
    """bench_build's serve measure, plus the server's CPU time per edit (steadier than
    wall time on a loaded machine)."""
    res = Served()
    edits = bench_build.pick_edits(proj / "content", site, bench_build.EDITS)
    port = bench_build.free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**bench_build.ENV, "TMPDIR": str(tmp)}
    t0 = time.perf_counter()
    with open(tmp / "serve.log", "wb") as out:
        proc = subprocess.Popen(
            [*bench_build.plaindesk_cmd(), "serve", "-a", f"127.0.0.1:{port}"],
            cwd=proj,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        while not ok(base + "/"):
            if proc.poll() is not None or time.perf_counter() - t0 > 3600:
                res.error = "serve did not come up"
                return res
            time.sleep(0.5)
        res.ready = time.perf_counter() - t0
        time.sleep(3)  # let the first build's after-work settle
        for edit in edits:
            url = f"{base}/tasks/{edit.task}/"
            cpu0 = cpu_seconds(proc.pid)
            bench_build.save_status(edit)
            start = time.perf_counter()
            while time.perf_counter() - start < 600:
                status, page = fetch(url)
                if status == 200 and bench_build.shown_status(page) == edit.new_name:
                    break
                time.sleep(bench_build.POLL)
            else:
                res.error = f"{url} never showed {edit.new_name!r}"
                return res
            res.latencies.append(time.perf_counter() - start)
            res.cpu.append(cpu_seconds(proc.pid) - cpu0)
            time.sleep(1.5)
        return res
    finally:
        bench_build.stop_group(proc)


def fetch(url: str) -> tuple[int, str]:
    try:
        return bench_build.fetch(url, timeout=600)
    except (urllib.error.URLError, OSError):
        return 0, ""


def ok(url: str) -> bool:
    return fetch(url)[0] == 200


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
        cpu: dict[str | None, list[float]] = {v: [] for v in variants}
        ready: dict[str | None, list[float]] = {v: [] for v in variants}
        for rnd in range(args.rounds):
            for off in variants:
                set_off(proj, off)
                (tmp / "serve").mkdir(exist_ok=True)
                res = serve_edits(proj, site, tmp / "serve")
                name = off or "none"
                if res.error:
                    print(f"round {rnd + 1}, off {name}: error: {res.error}", flush=True)
                    continue
                latencies[off].extend(res.latencies)
                cpu[off].extend(res.cpu)
                ready[off].append(res.ready)
                print(
                    f"round {rnd + 1}, off {name}: ready {res.ready:.0f} s, edits "
                    + ", ".join(f"{x:.2f}" for x in res.latencies)
                    + " s, server CPU "
                    + ", ".join(f"{x:.2f}" for x in res.cpu)
                    + f" s, load {os.getloadavg()[0]:.1f}",
                    flush=True,
                )
        print("\n| switched off | edit -> page (median) | server CPU per edit (median) | edits |")
        print("|---|---|---|---|")
        for off in variants:
            lat, used = latencies[off], cpu[off]
            med = f"{statistics.median(lat):.2f} s" if lat else "—"
            med_cpu = f"{statistics.median(used):.2f} s" if used else "—"
            print(f"| {off or 'nothing'} | {med} | {med_cpu} | {len(lat)} |")
        return 0
    finally:
        if tmp_ctx is not None:
            tmp_ctx.cleanup()


if __name__ == "__main__":
    sys.exit(main())
