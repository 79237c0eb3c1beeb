#!/usr/bin/env python3
"""Benchmark the edit commands on a large workspace, as a user runs them.

    python scripts/bench_edit.py [--scale 1] [--repeat 5] [--keep DIR] [--compare SRC]

Generates a synthetic workspace (scripts/generate.py, seed 42; `phone_region: UA` added,
as the demo sets it; `content/` beside the `mkdocs.yml` that `plaindesk init` writes, as a
user's workspace is, so that the edit commands keep their folder listings in
`.plaindesk-cache/`) into a temporary folder (or DIR with --keep, reused when it already
holds one) and runs each edit command on it with the installed CLI, in a subprocess: `move`
(a task back and forth between two columns), `done` (a different open task each run),
`log` (30 minutes on a task, `--person` given), `note`, `new task` (a new file each run,
`bench-*`, removed afterwards), `assign` (between two people), `due` and `follow-up`
(between two dates). Every timed run must change a file (checked). One warm-up run, then
--repeat timed runs, then one under `-X importtime`.

For each command it reports the median and min wall time and the median CPU time (user +
sys of the child: steadier than wall time on a shared machine); the command's own work
(called in this process, everything imported already, median); and its import share: the
sum of the top-level imports `-X importtime` reports for one more run of it, as a share of
that run's wall time. The same for `python -c pass` (the interpreter's start), `plaindesk
--version` (start and the CLI's own imports), `import click, yaml` (the libraries an edit
cannot do without) and the import of every module `move` loads (nothing run): the floor.

--compare SRC runs every command a second time with SRC (a folder holding another
version's `builder` package, e.g. `git archive main builder | tar -x -C SRC`) first on
PYTHONPATH, alternating run by run with this version, so that both see the same load: the
table then has a column for each.

The subprocesses run with bytecode caching on (PYTHONDONTWRITEBYTECODE removed from their
environment), as an installed Plaindesk runs; the warm-up writes the caches.

Target: every edit command <= 0.3 s (median wall). Exit status: 0 met, 1 missed, 2 a
command failed.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import itertools
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import generate  # scripts/generate.py: a script's own folder is first on sys.path

TARGET_SECONDS = 0.3
#: What an edit command cannot take less than: the two libraries it cannot do without
#: (click reads the command line, PyYAML the front matter), then every module `move` loads,
#: imported and nothing run.
FLOOR = {
    "python: import click, yaml": "import click, yaml",
    "python: import an edit's modules": (
        "import builder.cli.edit, builder.edit.ops, builder.edit.write, builder.load.locate"
    ),
}
REPO = Path(__file__).resolve().parent.parent


@dataclass
class Variant:
    """A version of Plaindesk to run: its label and the environment that selects it."""

    label: str
    env: dict[str, str]


@dataclass
class Series:
    """The timed runs of one command under one variant."""

    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    imports: float = 0.0  # seconds of top-level imports in one `-X importtime` run
    imports_wall: float = 1.0  # that run's wall time

    @property
    def median(self) -> float:
        return statistics.median(self.walls)


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


def _import_seconds(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """(seconds of top-level imports, wall seconds) of one run under `-X importtime`."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - start
    total = 0
    for line in done.stderr.splitlines():
        # "import time: self [us] | cumulative | imported package"; top level: no indent
        if line.startswith("import time:") and "|" in line:
            _, cumulative, name = line.split("|")
            if cumulative.strip().isdigit() and not name[1:].startswith(" "):
                total += int(cumulative)
    return total / 1e6, wall


@dataclass
class Workspace:
    """The generated workspace and what the commands work on."""

    root: Path
    task: str
    columns: tuple[str, str]
    open_tasks: list[str]
    project: str
    people: tuple[str, str]
    contact: str


def _pick(root: Path, count: int) -> Workspace:
    """A task and two columns of its workflow other than its own, `count` open tasks for
    `done`, a project, two people and a contact."""
    sys.path.insert(0, str(REPO))
    from builder.edit.checks import workflow_of
    from builder.edit.desk import open_desk
    from builder.edit.locate import Found
    from builder.model import Task

    desk = open_desk(root, None)

    def task_of(rel: Path) -> Task:
        current = desk.read(Found("task", rel.stem, rel.relative_to(root).as_posix()))
        assert isinstance(current.record, Task)
        return current.record

    paths = sorted((root / "tasks").rglob("*.md"))
    first = task_of(paths[0])
    flow = workflow_of(desk.project_of(first), desk.settings)
    others = [c for c in flow.column_ids if c != first.status]
    open_tasks = []
    for path in paths[1:]:
        task = task_of(path)
        if task.status != workflow_of(desk.project_of(task), desk.settings).done:
            open_tasks.append(task.id)
        if len(open_tasks) == count:
            break
    people = sorted(desk.ids("person"))
    return Workspace(
        root,
        first.id,
        (others[0], others[1]),
        open_tasks,
        first.project,
        (people[0], people[1]),
        sorted(desk.ids("contact"))[0],
    )


def _fixed(code: str) -> Callable[[int], list[str]]:
    """The same `python -c CODE` for every run."""
    return lambda i: [sys.executable, "-c", code]


COMMAND_LABELS = ("move", "done", "log", "note", "new task", "assign", "due", "follow-up")


def _commands(ws: Workspace, plaindesk: str) -> dict[str, Callable[[int], list[str]]]:
    """command label -> the arguments of its run number `i` (counted over every run of
    every variant, so that each run changes what the one before left)."""
    w = ["-w", str(ws.root)]
    dates = ("2031-05-05", "2031-05-12")
    return {
        "move": lambda i: [plaindesk, "move", ws.task, ws.columns[i % 2], *w],
        # a command's runs have consecutive numbers: no open task is done twice
        "done": lambda i: [plaindesk, "done", ws.open_tasks[i % len(ws.open_tasks)], *w],
        "log": lambda i: [plaindesk, "log", ws.task, "30m", "--person", ws.people[0], *w],
        "note": lambda i: [plaindesk, "note", ws.task, "bench", "note", str(i), *w],
        "new task": lambda i: [
            plaindesk, "new", "task", f"Bench {i}", "--project", ws.project, "--no-input", *w
        ],  # the id: bench-I
        "assign": lambda i: [plaindesk, "assign", ws.task, ws.people[i % 2], *w],
        "due": lambda i: [plaindesk, "due", ws.task, dates[i % 2], *w],
        "follow-up": lambda i: [plaindesk, "follow-up", ws.contact, dates[i % 2], *w],
    }  # fmt: skip


def _series(
    make: Callable[[int], list[str]],
    variants: list[Variant],
    cwd: Path,
    repeat: int,
    runs: Iterator[int],
    edits: bool = True,
) -> dict[str, Series]:
    """Runs alternating between the variants: one warm-up each, then `repeat` timed, then
    one under `-X importtime`. An edit's run must change a file."""
    out = {v.label: Series() for v in variants}
    for i in range(repeat + 1):
        for v in variants:
            args = make(next(runs))
            wall, cpu, stdout = _timed(args, cwd, v.env)
            # the warm-up may find its change made (a workspace kept from an earlier run)
            if edits and i and ("nothing changed" in stdout or "(" not in stdout):
                raise RuntimeError(f"{' '.join(args)} changed nothing: {stdout.strip()}")
            if i:
                out[v.label].walls.append(wall)
                out[v.label].cpus.append(cpu)
    for v in variants:
        args = make(next(runs))
        program = args[0] if args[0] == sys.executable else shutil.which(args[0]) or args[0]
        python_args = args[1:] if program == sys.executable else [program, *args[1:]]
        out[v.label].imports, out[v.label].imports_wall = _import_seconds(python_args, cwd, v.env)
    return out


def _in_process(args: list[list[str]]) -> float:
    """Median seconds of a command's own work: the CLI called in this process, where
    everything is imported already (after a warm-up run)."""
    from builder.cli import cli

    def once(argv: list[str]) -> float:
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            cli.main(argv[1:], standalone_mode=False)
        return time.perf_counter() - start

    once(args[0])
    return statistics.median(once(a) for a in args[1:])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--keep", type=Path, default=None, help="generate into (or reuse) DIR")
    parser.add_argument("--compare", type=Path, default=None, help="another version's source")
    parser.add_argument("--only", nargs="*", default=None, help="these commands only")
    args = parser.parse_args()

    temp = None if args.keep else tempfile.mkdtemp(prefix="plaindesk-bench-edit-")
    root = (args.keep or Path(temp or ".")) / "content"
    try:
        if not (root / "workspace.yml").exists():
            started = time.perf_counter()
            generate.generate(root, scale=args.scale, seed=args.seed)
            print(f"generated {root} in {time.perf_counter() - started:.1f} s", flush=True)
        settings = root / "workspace.yml"
        if "\nphone_region:" not in settings.read_text(encoding="utf-8"):
            with settings.open("a", encoding="utf-8") as out:
                out.write("phone_region: UA\n")
        if not (root.parent / "mkdocs.yml").exists():
            sys.path.insert(0, str(REPO))
            from builder.scaffold import FILES

            (root.parent / "mkdocs.yml").write_text(FILES["mkdocs.yml"], encoding="utf-8")
        files = sum(len(names) for _, _, names in os.walk(root))
        ws = _pick(root, 2 * args.repeat + 8)
        runs = itertools.count()
        plaindesk = shutil.which("plaindesk") or "plaindesk"
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        variants = [Variant("this", env)]
        if args.compare:
            source = os.pathsep.join([str(args.compare.resolve()), env.get("PYTHONPATH", "")])
            variants.insert(0, Variant(args.compare.name, {**env, "PYTHONPATH": source}))
        print(f"{files:,} files; task {ws.task}, columns {ws.columns[0]} and {ws.columns[1]}")
        print(f"load average before: {os.getloadavg()[0]:.2f}", flush=True)

        results: dict[str, dict[str, Series]] = {}
        results["python -c pass"] = _series(
            lambda i: [sys.executable, "-c", "pass"], variants, root, args.repeat, runs, False
        )
        results["plaindesk --version"] = _series(
            lambda i: [plaindesk, "--version"], variants, root, args.repeat, runs, False
        )
        for label, code in FLOOR.items():
            results[label] = _series(_fixed(code), variants, root, args.repeat, runs, False)
        commands = _commands(ws, plaindesk)
        work: dict[str, float] = {}
        for label, make in commands.items():
            if args.only and label not in args.only:
                continue
            try:
                results[label] = _series(make, variants, root, args.repeat, runs)
            except RuntimeError as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 2
            work[label] = _in_process([make(next(runs)) for _ in range(4)])
            row = "  ".join(f"{v}: {s.median:.3f} s" for v, s in results[label].items())
            print(f"{label:<20} {row}", flush=True)
        print(f"load average after: {os.getloadavg()[0]:.2f}")
        return _report(results, work, variants, args, files)
    finally:
        for path in (root / "tasks").rglob("bench-*.md"):  # what `new task` created
            path.unlink()
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)


def _report(
    results: dict[str, dict[str, Series]],
    work: dict[str, float],
    variants: list[Variant],
    args: argparse.Namespace,
    files: int,
) -> int:
    labels = [v.label for v in variants]
    print()
    print(
        f"Scale {args.scale:g} ({files:,} files), median of {args.repeat} runs each, "
        f"the variants alternating run by run; target <= {TARGET_SECONDS} s."
    )
    print()
    head = " | ".join(f"{label}: median (min) wall, CPU" for label in labels)
    ratio = " | this / " + labels[0] if len(labels) > 1 else ""
    print(f"| command | {head}{ratio} | imports (this) | own work | target |")
    print("|---|" + "---:|" * len(labels) + ("---:|" if ratio else "") + "---:|---:|---|")
    met = True
    for label, by_variant in results.items():
        cells = [
            f"{s.median:.3f} ({min(s.walls):.3f}) s, {statistics.median(s.cpus):.3f} s"
            for s in by_variant.values()
        ]
        if ratio:
            cells.append(f"{by_variant['this'].median / by_variant[labels[0]].median:.2f}")
        mine = by_variant["this"]
        share = f"{mine.imports:.3f} s ({mine.imports / mine.imports_wall:.0%})"
        own = f"{work[label]:.3f} s" if label in work else ""
        target = ""
        if label in COMMAND_LABELS:
            ok = mine.median <= TARGET_SECONDS
            met = met and ok
            target = "met" if ok else "missed"
        print(f"| {label} | " + " | ".join(cells) + f" | {share} | {own} | {target} |")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
