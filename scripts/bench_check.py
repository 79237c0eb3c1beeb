#!/usr/bin/env python3
"""Benchmark `check` against the cost of merely parsing the workspace.

    python scripts/bench_check.py [--scale 1] [--repeat 5]

Generates a synthetic workspace (scripts/generate.py, seed 42) into a temporary folder, then
measures, in this process, after one warm-up run of each and with a gc.collect() before each
timed run (the two phases alternate so that drift hits both alike):

* floor - walk the workspace, read every file, split off the front matter and parse it with
  ``yaml.load(..., Loader=yaml.CSafeLoader)`` (workspace.yml included), nothing else: the
  least any checker must do;
* check - the builder's in-process pipeline, ``builder.pipeline.run_check(path, today)``.

Timings are the median (and min) of --repeat runs, wall clock and CPU (process time; CPU
time is far less disturbed by other load on the machine).  Memory is the peak RSS of a fresh
subprocess that runs the phase once: VmHWM from /proc/self/status, the high-water mark of that
process's own address space (ru_maxrss where there is no /proc; on Linux ru_maxrss survives
fork+exec and would report the parent's peak).  The same measure for a subprocess that only
imports the modules is shown as the baseline.  That subprocess's total wall time (interpreter
start and imports included) is reported as "fresh process".

Targets: check <= 2x floor and check <= 3 s (on 2 cores).  Exit status: 0 targets met,
1 a target missed, 2 check could not be run (only the floor is reported).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias, TypedDict

import generate  # scripts/generate.py: a script's own folder is first on sys.path

if TYPE_CHECKING:  # the builder is imported at run time only once it is on sys.path
    from builder.pipeline import CheckResult
    from builder.problems import Problem

    RunCheck: TypeAlias = Callable[[Path, date], CheckResult]

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TODAY = date(2026, 3, 16)  # the generator's pinned `today:`
TARGET_RATIO = 2.0
TARGET_SECONDS = 3.0


def _import_builder_path() -> None:
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))


# --------------------------------------------------------------------------- phases


def floor(root: Path) -> list[object]:
    """Read every file and parse its front matter with libyaml; return what was parsed
    (kept, like any checker keeps its records; freed after the clock stops)."""
    import yaml

    load, loader = yaml.load, yaml.CSafeLoader
    with open(root / "workspace.yml", encoding="utf-8") as f:
        out = [load(f.read(), Loader=loader)]
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            if not name.endswith(".md"):
                continue
            with open(os.path.join(dirpath, name), encoding="utf-8") as f:
                text = f.read()
            if text.startswith("---\n"):
                end = text.find("\n---\n", 3)
                out.append(load(text[4 : end + 1], Loader=loader))
    return out


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    """(wall, CPU) seconds of one call after a gc.collect(); its result is freed afterwards,
    outside the measurement (a CLI process would just exit)."""
    gc.collect()
    w0, c0 = time.perf_counter(), time.process_time()
    keep = fn()
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    del keep
    return wall, cpu


def get_run_check() -> RunCheck:
    """builder.pipeline.run_check, or raise ImportError/AttributeError."""
    _import_builder_path()
    from builder import pipeline

    return pipeline.run_check


def check(run_check: RunCheck, root: Path) -> CheckResult:
    return run_check(root, TODAY)


# --------------------------------------------------------------------------- child mode


def child(phase: str, root: Path) -> None:
    """Run one phase once in this fresh process; print JSON with its time and peak RSS."""
    import yaml  # noqa: F401  (the floor's only dependency; imported in the baseline too)

    run_check = get_run_check() if phase.startswith("check") else None
    t0 = time.perf_counter()
    keep: object = None
    if phase == "floor":
        keep = floor(root)
    elif phase == "check":
        assert run_check is not None
        keep = check(run_check, root)
    seconds = time.perf_counter() - t0
    del keep
    print(json.dumps({"phase": phase, "seconds": seconds, "maxrss_kb": peak_rss_kb()}))


def peak_rss_kb() -> int:
    """Peak resident set size of this process in KiB.

    VmHWM from /proc (Linux): the high-water mark of this process's own address space.
    ru_maxrss is not used where /proc exists because Linux keeps it across fork+exec, so a
    child started by a big parent would report the parent's peak."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss // 1024 if sys.platform == "darwin" else rss  # bytes on macOS, KiB elsewhere


class ChildRun(TypedDict):
    """What a child process reports (see child()), and its wall time seen from outside."""

    phase: str
    seconds: float
    maxrss_kb: int
    wall: float


def run_child(phase: str, root: Path) -> ChildRun | None:
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--phase", phase, str(root)],
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        print(f"  subprocess for {phase} failed:\n{proc.stderr.strip()}", file=sys.stderr)
        return None
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    return {
        "phase": data["phase"],
        "seconds": data["seconds"],
        "maxrss_kb": data["maxrss_kb"],
        "wall": wall,
    }


# --------------------------------------------------------------------------- report


def _severity(problem: Problem) -> str:
    if isinstance(getattr(problem, "is_error", None), bool):
        return "error" if problem.is_error else "warning"
    sev = getattr(problem, "severity", "?")
    return str(getattr(sev, "value", sev)).lower()


def summarize_problems(result: CheckResult) -> tuple[str, int]:
    problems = list(getattr(result, "problems", []) or [])
    by_sev: dict[str, int] = {}
    by_code: dict[str, int] = {}
    for p in problems:
        by_sev[_severity(p)] = by_sev.get(_severity(p), 0) + 1
        code = str(getattr(p, "code", "?"))
        by_code[code] = by_code.get(code, 0) + 1
    errors = [p for p in problems if "err" in _severity(p)]
    codes = ", ".join(f"{k} {v}" for k, v in sorted(by_code.items(), key=lambda kv: -kv[1])[:8])
    line = (
        f"{len(problems)} problems ("
        + ", ".join(f"{v} {k}" for k, v in sorted(by_sev.items()))
        + ")"
        + (f"; by code: {codes}" if codes else "")
    )
    if errors:
        line += "\n  first errors:\n" + "\n".join(
            "    " + (str(p).splitlines() or [""])[0] for p in errors[:10]
        )
    return line, len(errors)


def fmt_s(x: float | None) -> str:
    return "—" if x is None else f"{x:.3f}"


def fmt_mb(d: ChildRun | None) -> str:
    return "—" if d is None else f"{d['maxrss_kb'] / 1024:.0f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=float, default=1.0, help="workspace scale (default 1)")
    ap.add_argument("--repeat", type=int, default=5, help="timed runs per phase (default 5)")
    ap.add_argument("--phase", help=argparse.SUPPRESS)
    ap.add_argument("workspace", nargs="?", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.phase:
        child(args.phase, args.workspace)
        return 0
    repeat = max(1, args.repeat)

    import yaml

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"Python {platform.python_version()}, PyYAML {yaml.__version__} "
        f"(libyaml {'yes' if yaml.__with_libyaml__ else 'NO'}), {cores} cores available"
    )

    load_before = os.getloadavg() if hasattr(os, "getloadavg") else None
    with tempfile.TemporaryDirectory(prefix="plaindesk-bench-") as tmp:
        root = Path(tmp) / "ws"
        t0 = time.perf_counter()
        counts = generate.generate(root, scale=args.scale, seed=42)
        t_gen = time.perf_counter() - t0
        files = total = 0
        for dirpath, _d, names in os.walk(root):
            for name in names:
                files += 1
                total += os.path.getsize(os.path.join(dirpath, name))
        print(
            f"workspace (scale {args.scale:g}): "
            + ", ".join(f"{v} {k}" for k, v in counts.items())
            + f"; {files} files, {total / 1e6:.1f} MB; generated in {t_gen:.2f} s"
        )

        try:
            run_check = get_run_check()
            check_error = None
        except (ImportError, AttributeError) as e:
            run_check = None
            check_error = f"builder.pipeline.run_check is not available ({type(e).__name__}: {e})"

        # warm-up (also warms the page cache)
        floor(root)
        summary: tuple[str, int] | None = None
        if run_check is not None:
            try:
                summary = summarize_problems(check(run_check, root))
            except Exception:
                check_error = "run_check raised:\n" + traceback.format_exc()
                run_check = None

        t_floor: list[tuple[float, float]] = []
        t_check: list[tuple[float, float]] = []
        rc = run_check
        for _ in range(repeat):
            t_floor.append(timed(lambda: floor(root)))
            if rc is not None:
                t_check.append(timed(lambda: check(rc, root)))

        mem = {"floor": run_child("floor", root), "floor-idle": run_child("floor-idle", root)}
        if run_check is not None:
            mem["check"] = run_child("check", root)
            mem["check-idle"] = run_child("check-idle", root)

    f_med = statistics.median(w for w, _ in t_floor)
    f_min = min(w for w, _ in t_floor)
    f_cpu = statistics.median(c for _, c in t_floor)
    c_med = statistics.median(w for w, _ in t_check) if t_check else None
    c_min = min(w for w, _ in t_check) if t_check else None
    c_cpu = statistics.median(c for _, c in t_check) if t_check else None
    ratio = c_med / f_med if c_med is not None else None

    print()
    if summary is not None:
        line, errors = summary
        print(f"check found {line}")
        if errors:
            print(
                "NOTE: the generated workspace is meant to be free of errors; "
                "the problems above point to a bug in the generator or the checker."
            )
    if check_error:
        print(f"check: {check_error}")
    print()
    print(
        f"| phase (scale {args.scale:g}, {files} files, {total / 1e6:.1f} MB) "
        "| median s | min s | median CPU s | fresh process s¹ | peak RSS MB (import-only)² |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    fl, fi = mem.get("floor"), mem.get("floor-idle")
    print(
        f"| floor: read + libyaml front matter | {fmt_s(f_med)} | {fmt_s(f_min)} | "
        f"{fmt_s(f_cpu)} | {fmt_s(fl['wall'] if fl else None)} | {fmt_mb(fl)} ({fmt_mb(fi)}) |"
    )
    if c_med is not None and c_min is not None and c_cpu is not None and ratio is not None:
        ch, ci = mem.get("check"), mem.get("check-idle")
        print(
            f"| `check` (builder.pipeline.run_check) | {fmt_s(c_med)} | {fmt_s(c_min)} | "
            f"{fmt_s(c_cpu)} | {fmt_s(ch['wall'] if ch else None)} | {fmt_mb(ch)} ({fmt_mb(ci)}) |"
        )
        fresh = f"{ch['wall'] / fl['wall']:.2f}×" if ch and fl and fl["wall"] > 0 else "—"
        print(
            f"| check / floor | {ratio:.2f}× | {c_min / f_min:.2f}× | {c_cpu / f_cpu:.2f}× "
            f"| {fresh} | |"
        )
    else:
        print("| `check` (builder.pipeline.run_check) | not available | | | | |")
    print()
    print(
        f"Median and min of {repeat} in-process runs after a warm-up (CPU: process time), "
        f"{cores} cores. "
        "¹ one run in a new interpreter, start-up and imports included. "
        "² VmHWM of that process; in brackets a process that only imports the same modules."
    )
    if load_before is not None:
        print(
            f"load average (1 min) before/after: {load_before[0]:.2f} / {os.getloadavg()[0]:.2f} "
            f"(other work on the machine skews the timings)"
        )
    if c_med is None or ratio is None:
        return 2
    ok_ratio = ratio <= TARGET_RATIO
    ok_time = c_med <= TARGET_SECONDS
    print(
        f"targets: check/floor {ratio:.2f} <= {TARGET_RATIO:g}: "
        f"{'PASS' if ok_ratio else 'FAIL'}; check {c_med:.2f} s <= {TARGET_SECONDS:g} s: "
        f"{'PASS' if ok_time else 'FAIL'}"
    )
    return 0 if ok_ratio and ok_time else 1


if __name__ == "__main__":
    sys.exit(main())
