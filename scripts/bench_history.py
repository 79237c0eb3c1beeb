#!/usr/bin/env python3
"""Benchmark the history layer: one pass over git (cached) against one `git log` per file.

    python scripts/bench_history.py [--scale 1] [--commits 3000] [--naive-sample 200]
                                    [--naive-all] [--keep DIR] [--json]

Builds a repository in a temporary folder: the synthetic workspace of scripts/generate.py
(seed 42) under `content/` as the first commit, then --commits commits written with
`git fast-import` that move tasks through their workflow's columns and deals through
their pipeline's stages, reassign tasks, move task files into subfolders, delete tasks,
and break a record's YAML and fix it in the next commit. Authors are the workspace's
people (by their emails, some by their second address); commit times step through the
last 180 days before the generator's `today` in three UTC offsets.

Then it measures, in this process:

* scratch     - `read_history` with no cache (git log + cat-file + parsing + derivation,
                cache written);
* incremental - `read_history` after one more commit, with the cache;
* unchanged   - `read_history` again with nothing new;
* naive       - `git log --follow -p -- FILE` for each task and deal file, as a history
                built file by file would run it: a sample of --naive-sample files, timed
                and extrapolated to all of them (--naive-all runs every file);
* views       - the whole feed, every project's flow metrics, deal idle and conversions.

Targets (issue "History from git", 2 cores): scratch <= 10 s, incremental <= 1 s.
Exit status 0 when both are met, 1 otherwise.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import generate  # scripts/generate.py: a script's own folder is first on sys.path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from builder.history import (  # noqa: E402
    deal_idle,
    project_flow,
    read_history,
    stage_conversions,
)
from builder.history.store import CACHE_DIR  # noqa: E402
from builder.model import Workspace  # noqa: E402
from builder.pipeline import run_check  # noqa: E402
from builder.views.feed import feed_entries  # noqa: E402

TODAY = date(2026, 3, 16)  # the generator's pinned `today:`
TARGET_SCRATCH = 10.0
TARGET_INCREMENTAL = 1.0
OFFSETS = (timedelta(hours=2), timedelta(hours=3), timedelta(hours=-5))
_STATUS = re.compile(r"^status: .*$", re.MULTILINE)
_STAGE = re.compile(r"^stage: .*$", re.MULTILINE)
_ASSIGNEE = re.compile(r"^assignee: .*$", re.MULTILINE)


def git(
    repo: Path, *args: str, env: dict[str, str] | None = None, data: bytes | None = None
) -> str:
    full = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    full.update(env or {})
    done = subprocess.run(
        ["git", *args], cwd=repo, env=full, input=data, capture_output=True, check=True
    )
    return done.stdout.decode()


def _set_line(text: str, pattern: re.Pattern[str], line: str) -> str:
    if pattern.search(text):
        return pattern.sub(line, text, count=1)
    return text.replace("---\n", f"---\n{line}\n", 1)


class Story:
    """The workspace's files and the moves that make its history."""

    def __init__(self, gen: Path, ws: Workspace, rng: random.Random) -> None:
        self.rng = rng
        self.ws = ws
        self.files: dict[str, bytes] = {}
        for path in sorted(gen.rglob("*")):
            if path.is_file():
                self.files["content/" + path.relative_to(gen).as_posix()] = path.read_bytes()
        self.task_path = {tid: "content/" + _rel(gen, t.path) for tid, t in ws.tasks.items()}
        self.deal_path = {did: "content/" + _rel(gen, d.path) for did, d in ws.deals.items()}
        self.status = {tid: t.status for tid, t in ws.tasks.items()}
        self.stage = {did: d.stage for did, d in ws.deals.items()}
        self.people = sorted(ws.people.values(), key=lambda p: p.id)
        self.broken: str | None = None  # a path whose YAML the last commit broke

    def author(self) -> tuple[str, str]:
        person = self.rng.choice(self.people)
        emails = [person.email, *person.emails]
        return person.name, self.rng.choice(emails) if self.rng.random() < 0.2 else emails[0]

    def step(self) -> tuple[dict[str, bytes | None], list[tuple[str, str]], str]:
        """One commit: {path: new content or None (deleted)}, renames, message."""
        rng = self.rng
        if self.broken is not None:  # fix what the previous commit broke
            path, self.broken = self.broken, None
            return {path: self.files[path]}, [], "Fix front matter"
        roll = rng.random()
        tids = sorted(self.task_path)
        if roll < 0.70:
            changes: dict[str, bytes | None] = {}
            for tid in rng.sample(tids, rng.randint(1, 3)):
                flow = self.ws.workflow_of(self.ws.projects.get(self.ws.tasks[tid].project))
                cols = flow.column_ids
                here = cols.index(self.status[tid]) if self.status[tid] in cols else 0
                # Forward one column; done cards (and one move in ten) go back one.
                back = here == len(cols) - 1 or (here > 0 and rng.random() < 0.1)
                nxt = here - 1 if back else here + 1
                self.status[tid] = cols[nxt]
                changes[self.task_path[tid]] = self._edit(
                    self.task_path[tid], _STATUS, f"status: {cols[nxt]}"
                )
            return changes, [], "Move cards"
        if roll < 0.90:
            did = rng.choice(sorted(self.deal_path))
            stages = [s for s in self.ws.pipeline_of(self.ws.deals[did]).stages]
            ids = [s.id for s in stages]
            here = ids.index(self.stage[did]) if self.stage[did] in ids else 0
            open_ids = [s.id for s in stages if s.outcome is None]
            if self.stage[did] not in open_ids:
                new = open_ids[0]
            elif rng.random() < 0.15:
                new = next(s.id for s in stages if s.outcome == "lost")
            else:
                new = ids[min(here + 1, len(ids) - 1)]
            self.stage[did] = new
            path = self.deal_path[did]
            return {path: self._edit(path, _STAGE, f"stage: {new}")}, [], "Move deal"
        if roll < 0.94:
            tid = rng.choice(tids)
            path = self.task_path[tid]
            current = _ASSIGNEE.search(self.files[path].decode("utf-8"))
            who = rng.choice(
                [p.id for p in self.people if not current or current.group() != f"assignee: {p.id}"]
            )
            return {path: self._edit(path, _ASSIGNEE, f"assignee: {who}")}, [], "Reassign"
        if roll < 0.96:
            tid = rng.choice(tids)
            old = self.task_path[tid]
            parts = old.split("/")
            new = "/".join([*parts[:-1], "archive", parts[-1]])
            self.files[new] = self.files.pop(old)
            self.task_path[tid] = new
            return {}, [(old, new)], "Archive a card"
        if roll < 0.98:
            tid = rng.choice(tids)
            path = self.task_path.pop(tid)
            del self.files[path]
            return {path: None}, [], "Delete a card"
        tid = rng.choice(tids)
        path = self.task_path[tid]
        self.broken = path
        bad = self.files[path].replace(b"title: ", b'title: "', 1)
        return {path: bad}, [], "Edit (breaks YAML)"

    def _edit(self, path: str, pattern: re.Pattern[str], line: str) -> bytes:
        text = _set_line(self.files[path].decode("utf-8"), pattern, line)
        self.files[path] = text.encode("utf-8")
        return self.files[path]


def _rel(gen: Path, path: str) -> str:
    return Path(path).resolve().relative_to(gen.resolve()).as_posix()


def _data(payload: bytes) -> bytes:
    return b"data %d\n" % len(payload) + payload + b"\n"


def _ident(name: str, email: str, when: datetime) -> bytes:
    offset = when.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    tz = f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"
    return f"{name} <{email}> {int(when.timestamp())} {tz}".encode()


def build_repo(root: Path, scale: float, commits: int, seed: int = 42) -> dict[str, Any]:
    """Generate the workspace and write its history; return counts and timings."""
    gen = root / "generated"
    repo = root / "repo"
    t0 = time.perf_counter()
    generate.generate(gen, scale=scale, seed=seed)
    ws = run_check(gen, TODAY).workspace
    t_gen = time.perf_counter() - t0
    rng = random.Random(seed)
    story = Story(gen, ws, rng)
    repo.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    start = datetime.combine(TODAY - timedelta(days=180), datetime.min.time(), UTC)
    span = 179 * 86400  # seconds: commits end the day before today
    stream: list[bytes] = []
    when = start.astimezone(timezone(OFFSETS[0]))
    first = [b"commit refs/heads/main\nmark :1\n"]
    name, email = story.people[0].name, story.people[0].email
    first.append(b"author " + _ident(name, email, when) + b"\n")
    first.append(b"committer " + _ident(name, email, when) + b"\n")
    first.append(_data(b"Import the workspace"))
    for path, payload in sorted(story.files.items()):
        first.append(f"M 100644 inline {path}\n".encode() + _data(payload))
    stream.append(b"".join(first))
    for n in range(2, commits + 2):
        seconds = span * (n - 1) / (commits + 1)
        offset = OFFSETS[rng.randrange(len(OFFSETS))]
        when = (start + timedelta(seconds=seconds)).astimezone(timezone(offset))
        changes, renames, message = story.step()
        name, email = story.author()
        parts = [f"commit refs/heads/main\nmark :{n}\n".encode()]
        parts.append(b"author " + _ident(name, email, when) + b"\n")
        parts.append(b"committer " + _ident(name, email, when) + b"\n")
        parts.append(_data(message.encode()))
        parts.append(f"from :{n - 1}\n".encode())
        for old, new in renames:
            parts.append(f'R "{old}" "{new}"\n'.encode())
        for path, change in changes.items():
            if change is None:
                parts.append(f"D {path}\n".encode())
            else:
                parts.append(f"M 100644 inline {path}\n".encode() + _data(change))
        stream.append(b"".join(parts))
    t1 = time.perf_counter()
    git(repo, "fast-import", "--quiet", data=b"".join(stream) + b"done\n")
    git(repo, "reset", "-q", "--hard", "main")
    t_import = time.perf_counter() - t1
    shutil.rmtree(gen)
    return {
        "repo": repo,
        "records": ws.record_count,
        "commits": int(git(repo, "rev-list", "--count", "HEAD").strip()),
        "content_commits": int(git(repo, "rev-list", "--count", "HEAD", "--", "content").strip()),
        "generate_s": t_gen,
        "import_s": t_import,
    }


def _existing(repo: Path) -> dict[str, Any]:
    files = sum(1 for p in (repo / "content").rglob("*") if p.is_file())
    return {
        "repo": repo,
        "records": files,
        "commits": int(git(repo, "rev-list", "--count", "HEAD").strip()),
        "content_commits": int(git(repo, "rev-list", "--count", "HEAD", "--", "content").strip()),
        "generate_s": 0.0,
        "import_s": 0.0,
    }


def _one_more_commit(repo: Path) -> None:
    task = sorted((repo / "content" / "tasks").rglob("*.md"))[0]
    text = task.read_text("utf-8")
    count = git(repo, "rev-list", "--count", "HEAD").strip()
    task.write_text(_set_line(text, _ASSIGNEE, f"assignee: bench-{count}"), "utf-8")
    when = f"{TODAY.isoformat()}T09:00:00+02:00"
    env = {
        "GIT_AUTHOR_NAME": "Bench",
        "GIT_AUTHOR_EMAIL": "bench@example.org",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_NAME": "Bench",
        "GIT_COMMITTER_EMAIL": "bench@example.org",
        "GIT_COMMITTER_DATE": when,
    }
    git(repo, "commit", "-q", "-a", "-m", "One more", env=env)


def naive(repo: Path, sample: int | None, rng: random.Random) -> dict[str, Any]:
    """Time `git log --follow -p -- FILE` per task/deal file (a sample, extrapolated)."""
    content = repo / "content"
    files = sorted(
        p.relative_to(repo).as_posix()
        for folder in ("tasks", "deals")
        for p in (content / folder).rglob("*.md")
    )
    chosen = files if sample is None or sample >= len(files) else rng.sample(files, sample)
    t0 = time.perf_counter()
    for rel in chosen:
        git(repo, "log", "--follow", "-p", "--format=%H%x1f%aI%x1f%aE", "--", rel)
    spent = time.perf_counter() - t0
    return {
        "files": len(files),
        "sampled": len(chosen),
        "sample_s": spent,
        "estimated_all_s": spent / len(chosen) * len(files) if chosen else 0.0,
    }


def views(content: Path, ws: Workspace) -> dict[str, float]:
    h = read_history(content, ws, TODAY)
    out: dict[str, float] = {}
    t0 = time.perf_counter()
    entries = feed_entries(h, ws, ws.settings.locale)
    out["feed_all_s"] = time.perf_counter() - t0
    out["feed_entries"] = len(entries)
    t0 = time.perf_counter()
    feed_entries(h, ws, ws.settings.locale, limit=50)
    out["feed_50_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    for pid in sorted(ws.projects):
        project_flow(h, ws, pid)
    out["project_flows_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    deal_idle(h, ws)
    for pipeline in ws.settings.pipelines:
        stage_conversions(h, ws, pipeline)
    out["deals_s"] = time.perf_counter() - t0
    return out


Run = tuple[float, float, dict[str, float]]


def timed(fn: Any) -> Run:
    """(wall seconds, CPU seconds of this process and its git children, steps) of one call,
    after a full garbage collection."""
    gc.collect()
    wall, cpu, kids = time.perf_counter(), time.process_time(), _children_cpu()
    history = fn()
    return (
        time.perf_counter() - wall,
        time.process_time() - cpu + _children_cpu() - kids,
        history.timings,
    )


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _median(runs: list[Run]) -> Run:
    """The run with the median wall time."""
    return sorted(runs, key=lambda r: r[0])[len(runs) // 2]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--commits", type=int, default=3000)
    ap.add_argument("--naive-sample", type=int, default=200)
    ap.add_argument("--naive-all", action="store_true")
    ap.add_argument(
        "--keep", type=Path, help="build the repository here and keep it (reused if there)"
    )
    ap.add_argument("--repeat", type=int, default=3, help="timed runs of each kind (median)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="plaindesk-history-")) if args.keep is None else args.keep
    try:
        if args.keep is not None and (args.keep / "repo" / ".git").is_dir():
            built = _existing(args.keep / "repo")  # built by an earlier --keep run
        else:
            built = build_repo(tmp, args.scale, args.commits)
        repo: Path = built.pop("repo")
        content = repo / "content"
        t0 = time.perf_counter()
        ws = run_check(content, TODAY).workspace
        check_s = time.perf_counter() - t0
        scratch_runs, incremental_runs, unchanged_runs = [], [], []
        for _ in range(args.repeat):
            shutil.rmtree(repo / CACHE_DIR, ignore_errors=True)
            scratch_runs.append(timed(lambda: read_history(content, ws, TODAY)))
        for _ in range(args.repeat):
            _one_more_commit(repo)
            incremental_runs.append(timed(lambda: read_history(content, ws, TODAY)))
            unchanged_runs.append(timed(lambda: read_history(content, ws, TODAY)))
        scratch, scratch_cpu, scratch_steps = _median(scratch_runs)
        incremental, incremental_cpu, incremental_steps = _median(incremental_runs)
        unchanged, unchanged_cpu, _ = _median(unchanged_runs)
        h2 = read_history(content, ws, TODAY)
        cache_bytes = sum(f.stat().st_size for f in (repo / CACHE_DIR).glob("*.json"))
        naive_result = naive(repo, None if args.naive_all else args.naive_sample, random.Random(1))
        view_result = views(content, ws)
        report = {
            **built,
            "check_s": check_s,
            "repeat": args.repeat,
            "scratch_s": scratch,
            "scratch_cpu_s": scratch_cpu,
            "scratch_steps": scratch_steps,
            "incremental_s": incremental,
            "incremental_cpu_s": incremental_cpu,
            "incremental_steps": incremental_steps,
            "unchanged_s": unchanged,
            "unchanged_cpu_s": unchanged_cpu,
            "cache_bytes": cache_bytes,
            "records_with_history": len(h2.records),
            "naive": naive_result,
            "views": view_result,
            "load": " ".join(f"{x:.1f}" for x in os.getloadavg()),
        }
    finally:
        if args.keep is None:
            shutil.rmtree(tmp, ignore_errors=True)
    ok = scratch <= TARGET_SCRATCH and incremental <= TARGET_INCREMENTAL
    if args.json:
        print(json.dumps(report, indent=2, default=str))
    else:
        _print(report, ok)
    return 0 if ok else 1


def _print(r: dict[str, Any], ok: bool) -> None:
    def steps(d: dict[str, float]) -> str:
        return ", ".join(f"{k} {v:.2f}" for k, v in d.items())

    n = r["naive"]
    print(
        f"repository: {r['records']} records, {r['commits']} commits "
        f"({r['content_commits']} change the workspace)"
    )
    print(f"  (generated in {r['generate_s']:.1f} s, fast-import + checkout {r['import_s']:.1f} s)")
    print(f"check (for the workspace): {r['check_s']:.2f} s wall")
    print(f"load average when done: {r['load']}")
    runs = f"median of {r['repeat']}"
    print(
        f"history from scratch ({runs}): {r['scratch_s']:.2f} s wall, "
        f"{r['scratch_cpu_s']:.2f} s CPU  (target <= {TARGET_SCRATCH:.0f} s)"
    )
    print(f"    {steps(r['scratch_steps'])}")
    print(
        f"history, 1 new commit ({runs}): {r['incremental_s']:.2f} s wall, "
        f"{r['incremental_cpu_s']:.2f} s CPU  (target <= {TARGET_INCREMENTAL:.0f} s)"
    )
    print(f"    {steps(r['incremental_steps'])}")
    print(
        f"history, nothing new ({runs}): {r['unchanged_s']:.2f} s wall, "
        f"{r['unchanged_cpu_s']:.2f} s CPU"
    )
    size, with_history = r["cache_bytes"] / 1e6, r["records_with_history"]
    print(f"cache file: {size:.1f} MB; records with history: {with_history}")
    label = "all" if n["sampled"] == n["files"] else f"{n['sampled']} sampled"
    print(
        f"naive `git log --follow -p -- FILE` per file: {n['sample_s']:.1f} s for {label} "
        f"of {n['files']} files -> {n['estimated_all_s']:.0f} s for all"
    )
    v = r["views"]
    print(
        f"views: full feed {v['feed_all_s']:.2f} s ({int(v['feed_entries'])} lines), "
        f"latest 50 {v['feed_50_s']:.2f} s, every project's flow {v['project_flows_s']:.2f} s, "
        f"deals {v['deals_s']:.2f} s"
    )
    print("targets met" if ok else "TARGET MISSED")


if __name__ == "__main__":
    raise SystemExit(main())
