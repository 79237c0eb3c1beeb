#!/usr/bin/env python3
"""Benchmark the edit commands: `plaindesk move` on a large workspace, as a user runs it.

    python scripts/bench_edit.py [--scale 1] [--repeat 5] [--keep DIR]

Generates a synthetic workspace (scripts/generate.py, seed 42) into a temporary folder (or
DIR with --keep, reused when it already holds one), picks its first task and moves it back
and forth between two columns of its workflow with the installed CLI, in a subprocess, one
warm-up run and then --repeat timed runs. Each run must really change the file (checked).
It reports the median and min wall time of `plaindesk move`, its CPU time (user + sys of
the child: far steadier than wall time on a shared machine), the same for `plaindesk
--version` (interpreter start and the CLI's imports, no work) and for `python -c pass`,
the move's own work (the CLI called in this process, everything imported already), and the
load average.

The subprocesses run with bytecode caching on (PYTHONDONTWRITEBYTECODE removed from their
environment), as an installed Plaindesk runs; the warm-up writes the caches.

Target: move <= 0.3 s (median wall). Exit status: 0 met, 1 missed, 2 a move failed.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import generate  # scripts/generate.py: a script's own folder is first on sys.path

TARGET_SECONDS = 0.3


def _timed(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds of the child, stdout) of one run; raises on failure."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}): {done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def _columns(root: Path, task: Path) -> tuple[str, str]:
    """Two columns of the task's workflow other than the one it is in."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from builder.edit.checks import workflow_of
    from builder.edit.desk import open_desk
    from builder.edit.locate import Found
    from builder.model import Task

    desk = open_desk(root, None)
    current = desk.read(Found("task", task.stem, task.relative_to(root).as_posix()))
    assert isinstance(current.record, Task)
    columns = workflow_of(desk.project_of(current.record), desk.settings).column_ids
    others = [c for c in columns if c != current.record.status]
    return others[0], others[1]


def _series(
    label: str, make_args: list[list[str]], cwd: Path, env: dict[str, str], repeat: int
) -> dict[str, float]:
    walls, cpus = [], []
    _timed(make_args[0], cwd, env)  # warm-up: bytecode caches, the page cache
    for i in range(repeat):
        wall, cpu, _ = _timed(make_args[(i + 1) % len(make_args)], cwd, env)
        walls.append(wall)
        cpus.append(cpu)
    result = {
        "median": statistics.median(walls),
        "min": min(walls),
        "cpu": statistics.median(cpus),
    }
    print(
        f"{label:<28} median {result['median']:.3f} s  min {result['min']:.3f} s  "
        f"CPU {result['cpu']:.3f} s",
        flush=True,
    )
    return result


def _in_process(moves: list[list[str]], repeat: int) -> float:
    """Median seconds of the move's own work: the CLI called in this process, where
    everything is imported already (after a warm-up that imports what the move loads)."""
    import contextlib
    import io

    from builder.cli import cli

    def once(args: list[str]) -> float:
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            cli.main(args[1:], standalone_mode=False)
        return time.perf_counter() - start

    once(moves[0])
    seconds = statistics.median(once(moves[(i + 1) % len(moves)]) for i in range(repeat))
    print(f"{'move, in process':<28} median {seconds:.3f} s (no start, no imports)", flush=True)
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--keep", type=Path, default=None, help="generate into (or reuse) DIR")
    args = parser.parse_args()

    temp = None if args.keep else tempfile.mkdtemp(prefix="plaindesk-bench-edit-")
    root = (args.keep or Path(temp or ".")) / "content"
    try:
        if not (root / "workspace.yml").exists():
            started = time.perf_counter()
            generate.generate(root, scale=args.scale, seed=args.seed)
            print(f"generated {root} in {time.perf_counter() - started:.1f} s", flush=True)
        files = sum(len(names) for _, _, names in os.walk(root))
        task = sorted((root / "tasks").rglob("*.md"))[0]
        first, second = _columns(root, task)
        plaindesk = shutil.which("plaindesk") or "plaindesk"
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        print(f"{files:,} files; moving task {task.stem} between {first} and {second}")
        print(f"load average before: {os.getloadavg()[0]:.2f}", flush=True)
        startup = _series(
            "python -c pass", [[sys.executable, "-c", "pass"]], root, env, args.repeat
        )
        version = _series("plaindesk --version", [[plaindesk, "--version"]], root, env, args.repeat)
        moves = [
            [plaindesk, "move", task.stem, column, "-w", str(root)] for column in (first, second)
        ]
        try:
            move = _series("plaindesk move", moves, root, env, args.repeat)
        except RuntimeError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        work = _in_process(moves, args.repeat)
        status = next(
            line
            for line in task.read_text(encoding="utf-8").splitlines()
            if line.startswith("status:")
        )
        assert status in (f"status: {first}", f"status: {second}"), status
        print(f"load average after: {os.getloadavg()[0]:.2f}")
        met = move["median"] <= TARGET_SECONDS
        print()
        print("| measure | value | target |")
        print("|---|---:|---|")
        print(
            f"| interpreter start (`python -c pass`), median of {args.repeat} "
            f"| {startup['median']:.3f} s | |"
        )
        print(
            f"| `plaindesk --version` (start + imports), median of {args.repeat} "
            f"| {version['median']:.3f} s | |"
        )
        print(
            f"| the move's own work (in process, no start or imports), median of "
            f"{args.repeat} | {work:.3f} s | |"
        )
        print(
            f"| `plaindesk move` at scale {args.scale:g} ({files:,} files), median of "
            f"{args.repeat} | {move['median']:.3f} s (CPU {move['cpu']:.3f} s) "
            f"| ≤ {TARGET_SECONDS} s — {'met' if met else 'missed'} |"
        )
        return 0 if met else 1
    finally:
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
