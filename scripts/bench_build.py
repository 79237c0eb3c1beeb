#!/usr/bin/env python3
"""Benchmark `plaindesk build` and `plaindesk serve` against a raw mkdocs-material build.

    python scripts/bench_build.py [--scale 1] [--repeat N] [--keep DIR] [--ci [--git]]

Generates a synthetic workspace (scripts/generate.py, seed 42) into a temporary project
folder laid out like the repo: `content/` (the workspace), a copy of the repo's `theme/`,
`docs/help.md` and an mkdocs.yml with the repo's theme settings (material, custom_dir theme,
font false) and plugins `search` + `plaindesk`.  Then, in one run:

(a) build time - `plaindesk build --no-portal --site-dir X` (the installed CLI, in a
    subprocess) against a raw mkdocs-material build (`python -m mkdocs build`, subprocess)
    of as many plain Markdown pages as the plaindesk site has (its index.html files), each
    a record's title and body (cycled if there are more pages than records), with a nav of
    about ten entries, the same theme settings and the search plugin, no plaindesk plugin.
    The two alternate, --repeat times each (default 1 at scale >= 0.5, else 3); the median
    wall time is reported, and the CPU time (user + sys of the child, steadier on a shared
    machine).  Every plaindesk build is cold: the generated page tree (.plaindesk/) and the
    site folder are removed before it, as on a fresh CI checkout.
(c) peak memory - one more `plaindesk build`, run through a wrapper
    (`python -c` that sets sys.argv and calls builder.cli.main in-process) which prints
    VmHWM from /proc/self/status at exit (atexit): the high-water mark of the build
    process's own address space.  ru_maxrss is not used: on Linux it survives fork+exec.
(d) site size - total bytes of the files of the plaindesk site, bytes per record (records
    = files in content/, workspace.yml included, as the CLI counts them) and the raw
    site's bytes for contrast.
(b) serve latency - `plaindesk serve -a 127.0.0.1:PORT` in the project folder (own process
    group, NO_MKDOCS_2_WARNING=1); once the initial build is done (GET / answers 200),
    three times: move one task (a different one each time) to another column of its
    project's workflow (read from workspace.yml; atomic save: temp file + os.replace), start
    the clock and GET /tasks/<id>/ every 50 ms until its Status shows the new column's name.
    The median of the three is reported, and the server process's CPU time (user + sys,
    /proc) from each save until its rebuild is over, the figure that other work on the
    machine skews least.  The server is stopped (SIGINT to its process
    group, then SIGTERM/SIGKILL) at the end.  Runs last: its edits change content/.

(e) the largest pages - the five largest `.html` pages of the site (scripts/largest_pages.py).

--ci measures what a CI build costs with the last build's state present (the CI cache
restores .plaindesk/, .plaindesk-cache/ and site/): a cold build, then warm builds: nothing
changed, 10 tasks edited, 100 tasks edited, the busiest person renamed, a workflow column
renamed (each --repeat times, on the state the previous build left; the median is
reported). Each warm build must say
it was incremental (or, nothing changed, that there was nothing to build). Targets:
10 edits <= 5 s, unchanged <= 3 s. Then `plaindesk serve` on the state the last warm build
left: the time to a task page's first 200 (<= 5 s), task moves (save -> the page shows the
new column, <= 0.4 s), the busiest person renamed (save -> their page shows the name,
<= 1.5 s) and a workflow column renamed (save -> a task in it shows the name, <= 1.5 s),
wall and the server's CPU (user + sys from /proc).

--ci --git is what a real CI push costs: the workspace is a git repository with a history
(scripts/bench_history.py's: --git-commits commits that move tasks and deals, reassign,
move, delete and break records, over 180 days), and each warm round's edits are committed
(dated the workspace's today) before the build; an "empty commit" round (a commit that
changes no file) is added after "unchanged".

Targets (2 cores): build <= 1.2x raw, edit -> page <= 1 s, peak RSS <= 1 GiB, no page
over 500 KB.
Prints a Markdown table for the README; exit status 0 when every target is met, 1 when one
is missed or could not be measured.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import platform
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import generate  # scripts/generate.py: a script's own folder is first on sys.path
import largest_pages

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TARGET_RATIO = 1.2
TARGET_LATENCY = 1.0  # seconds
TARGET_PEAK_KB = 1024 * 1024  # 1 GiB
TARGET_PAGE_KB = largest_pages.LIMIT_KB  # no page over 500 KB
EDITS = 3
POLL = 0.05  # seconds between GETs of the edited task's page

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
ENV.pop("PLAINDESK_TODAY", None)  # the workspace pins its own today

MKDOCS_YML = """\
# bench_build.py: like the repo's mkdocs.yml{extra_comment}
site_name: Plaindesk benchmark
docs_dir: docs
theme:
  name: material
  custom_dir: theme
  font: false
  features:
    - navigation.sections
    - search.highlight
  palette:
    - scheme: default
      primary: indigo
      accent: indigo
plugins:
  - search
{plugin}markdown_extensions:
  - tables
"""

# The in-process wrapper for (c): the real CLI, then VmHWM of this very process at exit.
PEAK_WRAPPER = r"""
import atexit, json, sys

def _peak():
    kb, how = None, "VmHWM"
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    kb = int(line.split()[1])
    except OSError:
        import resource
        kb, how = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "ru_maxrss"
    sys.__stdout__.write("\nBENCH-PEAK " + json.dumps({"kb": kb, "method": how}) + "\n")
    sys.__stdout__.flush()

atexit.register(_peak)
sys.argv = ["plaindesk", *sys.argv[1:]]
from builder.cli import main
main()
"""

_SUMMARY = re.compile(r"(\d+) errors?, (\d+) warnings? in (\d+) records?")
_LOGLINE = re.compile(r"^(WARNING|ERROR|CRITICAL)\b")
_STATUS_FACT = re.compile(r"<dt>Status</dt>\s*<dd>(.*?)</dd>", re.S)
_TAG = re.compile(r"<[^>]+>")
_DIRTY = "A 'dirty' build is being performed"  # mkdocs serve --dirty says so every build


def compile_builder() -> None:
    """Write Plaindesk's bytecode, as `pip install` does: an editable checkout under
    PYTHONDONTWRITEBYTECODE (set on this project's machines) would otherwise compile every
    module again in each timed process (about 0.4 s a build)."""
    import compileall

    import builder

    compileall.compile_dir(str(Path(builder.__file__).parent), quiet=1)


def plaindesk_cmd() -> list[str]:
    """The installed console script next to this interpreter (else on PATH)."""
    here = Path(sys.executable).parent / "plaindesk"
    if here.is_file():
        return [str(here)]
    found = shutil.which("plaindesk")
    if found:
        return [found]
    return [
        sys.executable,
        "-c",
        "import sys; from builder.cli import main; sys.argv[0] = 'plaindesk'; main()",
    ]


# --------------------------------------------------------------------------- helpers


def tree_bytes(root: Path) -> tuple[int, int]:
    """(files, bytes) under root; file sizes only, no directory entries."""
    files = total = 0
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            files += 1
            total += os.lstat(os.path.join(dirpath, name)).st_size
    return files, total


def count_pages(site: Path) -> int:
    return sum(names.count("index.html") for _d, _s, names in os.walk(site))


def split_front(text: str) -> tuple[str, str]:
    if text.startswith("---\n"):
        end = text.find("\n---\n", 3)
        if end != -1:
            return text[4 : end + 1], text[end + 5 :]
    return "", text


def front_value(front: str, key: str) -> str | None:
    m = re.search(rf"^{re.escape(key)}:[ \t]*(.*)$", front, re.M)
    if not m:
        return None
    value = m.group(1).strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]
    return value or None


@dataclass
class Run:
    """One subprocess run: wall and CPU seconds, exit status, its log lines of interest."""

    wall: float
    cpu: float
    rc: int
    log: Path
    notes: list[str] = field(default_factory=list)


def run_timed(cmd: list[str], cwd: Path, log: Path) -> Run:
    """Run cmd with stdout+stderr to `log`; wall clock and the child's user+sys CPU."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    with open(log, "wb") as out:
        rc = subprocess.run(cmd, cwd=cwd, env=ENV, stdout=out, stderr=subprocess.STDOUT).returncode
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(wall, cpu, rc, log)


def reported(run: Run, what: str, i: int, repeat: int, problems: list[str]) -> bool:
    """Print one timed build; on failure, its log's tail and a problem. True if it passed."""
    print(
        f"{what} {i + 1}/{repeat}: {run.wall:.1f} s wall, {run.cpu:.1f} s CPU, exit {run.rc}",
        flush=True,
    )
    if run.rc == 0:
        return True
    tail = run.log.read_text(errors="replace").splitlines()[-15:]
    print("\n".join("  " + line for line in tail))
    problems.append(f"{what} exited with {run.rc}")
    return False


def engine_lines(log: Path, limit: int = 12) -> tuple[int, list[str]]:
    """MkDocs/engine log lines at WARNING or above, and tracebacks (not workspace problems,
    which the CLI prints as `path:line:col: warning PDnnn`)."""
    hits: list[str] = []
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        if _LOGLINE.match(line) or line.startswith("Traceback") or line.startswith("error:"):
            hits.append(line.rstrip())
    return len(hits), hits[:limit]


def workspace_summary(log: Path) -> str | None:
    found = _SUMMARY.findall(log.read_text(encoding="utf-8", errors="replace"))
    if not found:
        return None
    e, w, r = found[-1]
    return f"{e} errors, {w} warnings in {r} records"


# --------------------------------------------------------------------------- projects


def make_plaindesk_project(proj: Path, gen: Any, scale: float) -> dict[str, int]:
    counts: dict[str, int] = gen.generate(proj / "content", scale=scale, seed=42)
    shutil.copytree(REPO / "theme", proj / "theme")
    (proj / "docs").mkdir()
    shutil.copyfile(REPO / "theme" / "pages" / "help.md", proj / "docs" / "help.md")
    (proj / "mkdocs.yml").write_text(
        MKDOCS_YML.format(extra_comment="", plugin="  - plaindesk:\n      content: content\n"),
        encoding="utf-8",
    )
    return counts


def make_raw_project(raw: Path, content: Path, pages: int) -> int:
    """`pages` plain Markdown pages (index, help, then one per record body, cycled)."""
    docs = raw / "docs"
    docs.mkdir(parents=True)
    shutil.copytree(REPO / "theme", raw / "theme")
    shutil.copyfile(REPO / "theme" / "pages" / "help.md", docs / "help.md")
    (docs / "index.md").write_text(
        "# Workspace\n\nA raw mkdocs-material site of plain pages, for comparison.\n",
        encoding="utf-8",
    )
    records: list[tuple[str, str, str]] = []  # (folder, stem, markdown)
    for kind in ("people", "companies", "contacts", "projects", "tasks", "deals"):
        for path in sorted((content / kind).rglob("*.md")):
            front, body = split_front(path.read_text(encoding="utf-8"))
            title = front_value(front, "title") or front_value(front, "name") or path.stem
            records.append((kind, path.stem, f"# {title}\n\n{body.strip()}\n"))
    want = max(0, pages - 2)
    firsts: dict[str, str] = {}
    for i in range(want):
        kind, stem, text = records[i % len(records)]
        lap = i // len(records)
        rel = f"{kind}/{stem}.md" if lap == 0 else f"{kind}-{lap + 1}/{stem}.md"
        dest = docs / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(text, encoding="utf-8")
        firsts.setdefault(kind, rel)
    # about ten nav entries, shaped like plaindesk's (one section of three)
    nav = ["  - Dashboard: index.md"]
    task_pages = sorted(p.relative_to(docs).as_posix() for p in (docs / "tasks").glob("*.md"))[:3]
    if task_pages:
        nav.append("  - Boards:")
        nav += [f"    - Board {i + 1}: {rel}" for i, rel in enumerate(task_pages)]
    nav += [f"  - {kind.capitalize()}: {rel}" for kind, rel in firsts.items() if kind != "tasks"]
    nav.append("  - How to edit: help.md")
    (raw / "mkdocs.yml").write_text(
        MKDOCS_YML.format(extra_comment=", without the plaindesk plugin", plugin="")
        + "validation:\n  nav:\n    omitted_files: ignore\n"  # plaindesk sets it to DEBUG
        + "nav:\n"
        + "\n".join(nav)
        + "\n",
        encoding="utf-8",
    )
    return want + 2


def build_plaindesk(proj: Path, site: Path, log: Path) -> Run:
    shutil.rmtree(site, ignore_errors=True)
    shutil.rmtree(proj / ".plaindesk", ignore_errors=True)  # cold: no page tree yet
    return run_timed([*plaindesk_cmd(), "build", "--no-portal", "--site-dir", str(site)], proj, log)


def build_raw(raw: Path, site: Path, log: Path) -> Run:
    shutil.rmtree(site, ignore_errors=True)
    return run_timed([sys.executable, "-m", "mkdocs", "build", "-d", str(site)], raw, log)


def peak_build(proj: Path, site: Path, log: Path) -> tuple[Run, int | None, str]:
    shutil.rmtree(site, ignore_errors=True)
    shutil.rmtree(proj / ".plaindesk", ignore_errors=True)
    cmd = [sys.executable, "-c", PEAK_WRAPPER, "build", "--no-portal", "--site-dir", str(site)]
    run = run_timed(cmd, proj, log)
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("BENCH-PEAK "):
            data = json.loads(line.split(" ", 1)[1])
            return run, data["kb"], data["method"]
    return run, None, "?"


# --------------------------------------------------------------------------- serve


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def fetch(url: str, timeout: float) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as e:
        return e.code, ""


def shown_status(page: str) -> str | None:
    m = _STATUS_FACT.search(page)
    return html.unescape(_TAG.sub("", m.group(1))).strip() if m else None


@dataclass
class Edit:
    path: Path
    task: str
    old: str
    new: str
    new_name: str


def column_names(spec: Any) -> list[tuple[str, str, bool]]:
    """[(id, name, has_limits)] of a workflow's columns (names as the site shows them)."""
    out = []
    for col in spec.get("columns", []):
        if isinstance(col, str):
            out.append((col, col.replace("-", " ").capitalize(), False))
        else:
            ident = str(col["id"])
            name = col.get("name") or ident.replace("-", " ").capitalize()
            out.append((ident, str(name), "wip" in col or "limit_days" in col))
    return out


def pick_edits(content: Path, site: Path, n: int) -> list[Edit]:
    """n tasks of different projects, each with a column to move to: not its current
    one, not the done or backlog column, preferably without a WIP or time limit."""
    import yaml

    ws = yaml.safe_load((content / "workspace.yml").read_text(encoding="utf-8"))
    workflows = ws["workflows"]
    default = ws.get("default_workflow") or next(iter(workflows))
    project_wf: dict[str, str] = {}
    for p in (content / "projects").glob("*.md"):
        front, _ = split_front(p.read_text(encoding="utf-8"))
        project_wf[p.stem] = front_value(front, "workflow") or default
    edits: list[Edit] = []
    used_projects: set[str] = set()
    for path in sorted((content / "tasks").rglob("*.md")):
        front, _ = split_front(path.read_text(encoding="utf-8"))
        project, status = front_value(front, "project"), front_value(front, "status")
        if not project or not status or project in used_projects:
            continue
        if not (site / "tasks" / path.stem / "index.html").is_file():
            continue
        wf = workflows[project_wf.get(project, default)]
        cols = column_names(wf)
        names = {ident: name for ident, name, _ in cols}
        done = wf.get("done") or cols[-1][0]  # the defaults: last and first column
        backlog = wf.get("backlog") or cols[0][0]
        if status == done:  # reopening a finished task is not the everyday edit
            continue
        skip = {status, done, backlog}
        options = [
            (ident, name, lim)
            for ident, name, lim in cols
            if ident not in skip and name != names.get(status)
        ]
        if not options:
            continue
        ident, name, _ = sorted(options, key=lambda o: o[2])[0]  # unlimited columns first
        edits.append(Edit(path, path.stem, status, ident, name))
        used_projects.add(project)
        if len(edits) == n:
            break
    return edits


def save_status(edit: Edit) -> None:
    """Atomic save, as an editor does: a temp file beside it, then os.replace."""
    text = edit.path.read_text(encoding="utf-8")
    new, count = re.subn(r"^status:.*$", f"status: {edit.new}", text, count=1, flags=re.M)
    assert count == 1, edit.path
    tmp = edit.path.with_name(f".{edit.path.name}.tmp")
    tmp.write_text(new, encoding="utf-8")
    os.replace(tmp, edit.path)


@dataclass
class ServeResult:
    ready: float | None = None
    latencies: list[float] = field(default_factory=list)
    #: the server process's CPU time (user + sys) from each save to its rebuild's end
    cpu: list[float] = field(default_factory=list)
    edits: list[str] = field(default_factory=list)
    rebuilds: int = 0
    dirty: int = 0
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of process `pid` so far (Linux /proc; 0 elsewhere): the
    steadier figure for an edit on a machine shared with other work."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def stop_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGINT (mkdocs then removes its temp site), then SIGTERM, then SIGKILL."""
    for sig, wait in ((signal.SIGINT, 15), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        if proc.poll() is not None:
            break
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
    proc.wait()


def start_serve(proj: Path, tmp: Path, log: Path) -> tuple[subprocess.Popen[bytes], str, float]:
    """`plaindesk serve` in `proj` on a free port, its output in `log`: the process, its
    address and when it was started."""
    port = free_port()
    env = {**ENV, "TMPDIR": str(tmp)}  # mkdocs serve's own temp site goes under ours
    t0 = time.perf_counter()
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [*plaindesk_cmd(), "serve", "-a", f"127.0.0.1:{port}"],
            cwd=proj,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return proc, f"http://127.0.0.1:{port}", t0


def measure_serve(
    proj: Path, site: Path, tmp: Path, ready_timeout: float, edit_timeout: float
) -> ServeResult:
    res = ServeResult()
    edits = pick_edits(proj / "content", site, EDITS)
    if len(edits) < EDITS:
        res.error = f"found only {len(edits)} tasks to edit"
        return res
    log = tmp / "serve.log"
    proc, base, t0 = start_serve(proj, tmp, log)
    try:
        deadline = t0 + ready_timeout
        while True:
            if proc.poll() is not None:
                res.error = f"plaindesk serve exited with {proc.returncode} before serving"
                return res
            try:
                status, _ = fetch(base + "/", timeout=max(1.0, deadline - time.perf_counter()))
                if status == 200:
                    break
            except (urllib.error.URLError, OSError):
                pass
            if time.perf_counter() > deadline:
                res.error = f"no 200 from {base}/ within {ready_timeout:.0f} s"
                return res
            time.sleep(0.5)
        res.ready = time.perf_counter() - t0
        detected_before = log.read_text(errors="replace").count("Detected file changes")
        for edit in edits:
            url = f"{base}/tasks/{edit.task}/"
            status, page = fetch(url, timeout=edit_timeout)
            before = shown_status(page)
            cpu_before = process_cpu(proc.pid)
            save_status(edit)
            latency = wait_shows(url, partial(_shows_column, edit.new_name), edit_timeout)
            res.edits.append(
                f"{edit.task}: {edit.old} -> {edit.new} ({before} -> "
                f"{edit.new_name}): " + (f"{latency:.2f} s" if latency is not None else "TIMEOUT")
            )
            if latency is None:
                res.error = f"{url} did not show {edit.new_name!r} within {edit_timeout:.0f} s"
                return res
            res.latencies.append(latency)
            # let a trailing rebuild (if the watcher saw the save twice) finish
            time.sleep(1.5)
            fetch(base + "/", timeout=edit_timeout)
            res.cpu.append(process_cpu(proc.pid) - cpu_before)
        text = log.read_text(errors="replace")
        res.rebuilds = text.count("Detected file changes") - detected_before
        lines = [
            line for line in text.splitlines() if _LOGLINE.match(line) and "plaindesk:" not in line
        ]
        res.dirty = sum(_DIRTY in line for line in lines)
        res.warnings = [line for line in lines if _DIRTY not in line][:12]
        return res
    finally:
        stop_group(proc)


# --------------------------------------------------------------------------- report


def fmt_s(x: float | None) -> str:
    return "—" if x is None else (f"{x:.2f} s" if x < 100 else f"{x:.0f} s")


def fmt_mb(n: float) -> str:
    return f"{n / 1e6:.1f} MB"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=float, default=1.0, help="workspace scale (default 1)")
    ap.add_argument(
        "--repeat",
        type=int,
        default=None,
        help="timed builds of each kind (default 1 at scale >= 0.5, else 3)",
    )
    ap.add_argument(
        "--ready-timeout",
        type=float,
        default=3600,
        help="seconds to wait for `serve`'s initial build (default 3600)",
    )
    ap.add_argument(
        "--edit-timeout",
        type=float,
        default=600,
        help="seconds to wait for one edit to show (default 600)",
    )
    ap.add_argument("--keep", type=Path, help="work in this (new) folder and keep it")
    ap.add_argument(
        "--ci", action="store_true", help="the CI scenario: warm builds with the state present"
    )
    ap.add_argument(
        "--git",
        action="store_true",
        help="with --ci: the workspace in a git repository with a history, each round's "
        "edits committed (a real CI push)",
    )
    ap.add_argument(
        "--git-commits",
        type=int,
        default=1000,
        help="with --git: commits of history before the first build (default 1000)",
    )
    args = ap.parse_args(argv)
    compile_builder()
    if args.ci:
        return ci_main(args)
    repeat = max(1, args.repeat if args.repeat is not None else (1 if args.scale >= 0.5 else 3))

    import mkdocs
    import yaml

    try:
        from importlib.metadata import version

        material = version("mkdocs-material")
    except Exception:
        material = "?"
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"Python {platform.python_version()}, MkDocs {mkdocs.__version__}, mkdocs-material "
        f"{material}, PyYAML {yaml.__version__}, {cores} cores available",
        flush=True,
    )
    load_before = os.getloadavg()

    if args.keep:
        args.keep.mkdir(parents=True)
        tmp_ctx: Any = None
        tmp = args.keep.resolve()
    else:
        tmp_ctx = tempfile.TemporaryDirectory(prefix="plaindesk-bench-build-")
        tmp = Path(tmp_ctx.name)
    problems: list[str] = []
    try:
        proj, raw = tmp / "project", tmp / "raw"
        t0 = time.perf_counter()
        counts = make_plaindesk_project(proj, generate, args.scale)
        records, content_bytes = tree_bytes(proj / "content")
        print(
            f"workspace (scale {args.scale:g}): "
            + ", ".join(f"{v} {k}" for k, v in counts.items())
            + f"; {records} files, {fmt_mb(content_bytes)}; generated in "
            f"{time.perf_counter() - t0:.1f} s",
            flush=True,
        )

        pd_site, raw_site = tmp / "site-plaindesk", tmp / "site-raw"
        pd_runs: list[Run] = []
        raw_runs: list[Run] = []
        pages = raw_pages = 0
        for i in range(repeat):
            run = build_plaindesk(proj, pd_site, tmp / f"build-{i}.log")
            pd_runs.append(run)
            if not reported(run, "plaindesk build", i, repeat, problems):
                break
            if i == 0:
                # the admin page is a static page of the site, not one MkDocs builds
                pages = count_pages(pd_site) - (pd_site / "admin" / "index.html").is_file()
                tree_pages = sum(1 for _ in (proj / ".plaindesk" / "docs").rglob("*.md"))
                if tree_pages + 1 != pages:  # + docs/help.md
                    problems.append(
                        f"plaindesk site has {pages} pages, the page tree {tree_pages} + help.md"
                    )
                raw_pages = make_raw_project(raw, proj / "content", pages)
            rrun = build_raw(raw, raw_site, tmp / f"raw-{i}.log")
            raw_runs.append(rrun)
            if not reported(rrun, "raw mkdocs build", i, repeat, problems):
                break

        built = bool(pd_runs) and pd_runs[-1].rc == 0
        raw_ok = bool(raw_runs) and raw_runs[-1].rc == 0
        site_files = site_size = raw_size = 0
        raw_built_pages = 0
        biggest: list[tuple[int, str]] = []
        if built:
            site_files, site_size = tree_bytes(pd_site)
            biggest = largest_pages.largest(pd_site, 5)
            print("largest pages: " + ", ".join(f"{p} {n / 1000:,.0f} KB" for n, p in biggest))
        if raw_ok:
            _, raw_size = tree_bytes(raw_site)
            raw_built_pages = count_pages(raw_site)
            if raw_built_pages != raw_pages:
                problems.append(f"raw site has {raw_built_pages} pages of {raw_pages} written")

        peak_kb: int | None = None
        peak_how = "?"
        peak_run: Run | None = None
        if built:
            peak_run, peak_kb, peak_how = peak_build(proj, tmp / "site-peak", tmp / "peak.log")
            print(
                f"peak-memory build: {peak_run.wall:.1f} s wall, exit {peak_run.rc}, "
                f"{peak_how} {peak_kb} KiB",
                flush=True,
            )
            if peak_run.rc != 0 or peak_kb is None:
                problems.append(f"the peak-memory build failed (exit {peak_run.rc})")
                peak_kb = None

        serve = ServeResult(error="not run: the build failed")
        if built:
            serve = measure_serve(proj, pd_site, tmp, args.ready_timeout, args.edit_timeout)
            if serve.ready is not None:
                print(f"serve: first 200 after {serve.ready:.1f} s", flush=True)
            for line in serve.edits:
                print(f"  edit {line}", flush=True)
            if serve.error:
                problems.append(f"serve: {serve.error}")
                tail = (
                    (tmp / "serve.log").read_text(errors="replace").splitlines()[-15:]
                    if (tmp / "serve.log").is_file()
                    else []
                )
                print("\n".join("  " + line for line in tail))

        # ------------------------------------------------------------------ notes
        print()
        if pd_runs:
            summary = workspace_summary(pd_runs[0].log)
            print(f"workspace check (plaindesk build): {summary or 'no summary line'}")
            n, lines = engine_lines(pd_runs[0].log)
            print(f"engine warnings/errors in the plaindesk build's output: {n}")
            for line in lines:
                print("  " + line)
        if raw_runs:
            n, lines = engine_lines(raw_runs[0].log)
            print(f"warnings/errors in the raw mkdocs build's output: {n}")
            for line in lines:
                print("  " + line)
        if serve.ready is not None:
            print(
                f"serve: {serve.rebuilds} rebuild(s) for {len(serve.latencies)} edit(s); "
                f"engine warnings in its log: {len(serve.warnings)}, besides MkDocs' "
                f"'dirty build' notice ({serve.dirty}×, expected with dirty rebuilds)"
            )
            for line in serve.warnings:
                print("  " + line)
        for p in problems:
            print(f"PROBLEM: {p}")

        # ------------------------------------------------------------------ table
        pd_wall = statistics.median(r.wall for r in pd_runs) if built else None
        pd_cpu = statistics.median(r.cpu for r in pd_runs) if built else None
        raw_wall = statistics.median(r.wall for r in raw_runs) if raw_ok else None
        raw_cpu = statistics.median(r.cpu for r in raw_runs) if raw_ok else None
        ratio = pd_wall / raw_wall if pd_wall and raw_wall else None
        cpu_ratio = pd_cpu / raw_cpu if pd_cpu and raw_cpu else None
        latency = statistics.median(serve.latencies) if len(serve.latencies) == EDITS else None
        ok_ratio = ratio is not None and ratio <= TARGET_RATIO
        ok_latency = latency is not None and latency <= TARGET_LATENCY
        ok_peak = peak_kb is not None and peak_kb <= TARGET_PEAK_KB
        ok_page = bool(biggest) and biggest[0][0] <= TARGET_PAGE_KB * 1000
        runs = f"median of {repeat}" if repeat > 1 else "1 run"

        def mark(ok: bool) -> str:
            return "PASS" if ok else "FAIL"

        print()
        print(
            f"| measure (scale {args.scale:g}: {records} records, {fmt_mb(content_bytes)}, "
            f"{pages} pages) | value | target |"
        )
        print("|---|---:|---|")
        print(
            f"| `plaindesk build --no-portal`, wall ({runs}) | {fmt_s(pd_wall)} "
            f"(CPU {fmt_s(pd_cpu)}) | |"
        )
        print(
            f"| raw mkdocs-material build of {raw_pages} plain pages, wall ({runs}) | "
            f"{fmt_s(raw_wall)} (CPU {fmt_s(raw_cpu)}) | |"
        )
        print(
            "| build / raw, wall (CPU) | "
            + (f"{ratio:.2f}× ({cpu_ratio:.2f}×)" if ratio and cpu_ratio else "—")
            + f" | ≤ {TARGET_RATIO:g}× {mark(ok_ratio)} |"
        )
        print(
            f"| `serve`: edit a task's status → its page shows it (median of {EDITS}) | "
            + (
                f"{latency:.2f} s ({', '.join(f'{x:.2f}' for x in serve.latencies)})"
                if latency is not None
                else "—"
            )
            + f" | ≤ {TARGET_LATENCY:g} s {mark(ok_latency)} |"
        )
        if len(serve.cpu) == EDITS and any(serve.cpu):
            print(
                f"| `serve`: the server's CPU time per edit (median of {EDITS}) | "
                f"{statistics.median(serve.cpu):.2f} s "
                f"({', '.join(f'{x:.2f}' for x in serve.cpu)}) | |"
            )
        print(f"| `serve`: initial build until the first page (1 run) | {fmt_s(serve.ready)} | |")
        print(
            f"| peak RSS of `plaindesk build` ({peak_how} of the build process) | "
            + (f"{peak_kb / 1024:.0f} MiB" if peak_kb else "—")
            + f" | ≤ 1 GiB {mark(ok_peak)} |"
        )
        print(
            "| largest page | "
            + (f"{biggest[0][1]}: {biggest[0][0] / 1000:,.0f} KB" if biggest else "—")
            + f" | ≤ {TARGET_PAGE_KB} KB {mark(ok_page)} |"
        )
        print(f"| site size ({site_files} files) | {fmt_mb(site_size)} | |")
        print(
            "| site bytes per record | "
            + (f"{site_size / records / 1e3:.1f} kB" if site_size else "—")
            + " | |"
        )
        print(f"| raw site size ({raw_built_pages} pages) | {fmt_mb(raw_size)} | |")
        print()
        print(
            f"{cores} cores; CPU = user + sys of the build process. Every plaindesk build "
            "is cold (no .plaindesk/ page tree). Peak RSS: one more build, run in-process by "
            "`python -c` calling builder.cli.main, printing /proc/self/status VmHWM at exit"
            + (f" ({peak_run.wall:.0f} s wall)." if peak_run else ".")
        )
        print(
            f"load average (1 min) before/after: {load_before[0]:.2f} / "
            f"{os.getloadavg()[0]:.2f} (other work on the machine skews the wall times)"
        )
        ok = ok_ratio and ok_latency and ok_peak and ok_page and not problems
        print(f"targets: {'all met' if ok else 'NOT all met'}")
        return 0 if ok else 1
    finally:
        if tmp_ctx is not None:
            tmp_ctx.cleanup()


# --------------------------------------------------------------------------- --ci

TARGET_CI = {"unchanged": 3.0, "10 edits": 5.0}


def edit_tasks(content: Path, n: int, round_no: int) -> None:
    """Edit the bodies of n tasks spread over the workspace (a line appended: the record
    changes, so do its project's, board's and people's pages)."""
    tasks = sorted((content / "tasks").rglob("*.md"))
    step = max(1, len(tasks) // n)
    for path in tasks[round_no % step :: step][:n]:
        with open(path, "a", encoding="utf-8") as f:
            f.write(f"\nEdited in round {round_no}.\n")


def rename_busiest(content: Path, round_no: int) -> str:
    """Rename the person assigned the most tasks; their id."""
    counts = assigned(content)
    ident = busiest(content, counts)
    path = content / "people" / f"{ident}.md"
    text = path.read_text(encoding="utf-8")
    new = re.sub(r"^name:.*$", f"name: Renamed Person {round_no}", text, count=1, flags=re.M)
    path.write_text(new, encoding="utf-8")
    return f"{ident} ({counts[ident]} tasks)"


def make_git_project(tmp: Path, scale: float, commits: int) -> tuple[Path, dict[str, int]]:
    """The --git project: scripts/bench_history.py's repository (the synthetic workspace
    in content/ and `commits` commits of history), with the project's other files (theme,
    docs, mkdocs.yml) committed on top; the build's outputs are ignored, as in a team's
    repository. Returns the project folder and the workspace's counts."""
    import bench_history  # scripts/bench_history.py

    made = bench_history.build_repo(tmp / "git", scale, commits)
    proj: Path = made["repo"]
    content = proj / "content"
    counts = {
        kind: sum(1 for _ in (content / kind).rglob("*.md"))
        for kind in ("people", "companies", "contacts", "projects", "tasks", "deals")
    }
    shutil.copytree(REPO / "theme", proj / "theme")
    (proj / "docs").mkdir()
    shutil.copyfile(REPO / "theme" / "pages" / "help.md", proj / "docs" / "help.md")
    (proj / "mkdocs.yml").write_text(
        MKDOCS_YML.format(extra_comment="", plugin="  - plaindesk:\n      content: content\n"),
        encoding="utf-8",
    )
    (proj / ".gitignore").write_text("site/\n.plaindesk/\n.plaindesk-cache/\n", encoding="utf-8")
    commit_all(proj, "The site's files", 0)
    counts["commits"] = int(bench_history.git(proj, "rev-list", "--count", "HEAD").strip())
    return proj, counts


def commit_all(proj: Path, message: str, round_no: int, empty: bool = False) -> None:
    """Commit the working tree, dated the workspace's today (minutes apart per round)."""
    import bench_history

    when = f"{bench_history.TODAY.isoformat()}T08:{round_no % 60:02d}:00+00:00"
    env = {
        "GIT_AUTHOR_NAME": "Bench",
        "GIT_AUTHOR_EMAIL": "bench@example.org",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_NAME": "Bench",
        "GIT_COMMITTER_EMAIL": "bench@example.org",
        "GIT_COMMITTER_DATE": when,
    }
    bench_history.git(proj, "add", "-A", env=env)
    extra = ["--allow-empty"] if empty else []
    bench_history.git(proj, "commit", "-q", "--no-gpg-sign", *extra, "-m", message, env=env)


def warm_build(proj: Path, site: Path, log: Path) -> tuple[Run, str]:
    run = run_timed([*plaindesk_cmd(), "build", "--no-portal", "--site-dir", str(site)], proj, log)
    said = next(
        (
            line
            for line in log.read_text(encoding="utf-8", errors="replace").splitlines()
            if line.startswith(("incremental build", "full build", "nothing to build"))
        ),
        "?",
    )
    return run, said


def rename_column(content: Path, round_no: int) -> None:
    """Rename the agency workflow's "At designer" column (workspace.yml): the tasks that
    stand or stood in it, their projects and the views that read tasks show its name."""
    path = content / "workspace.yml"
    text = path.read_text(encoding="utf-8")
    new = re.sub(r"\{id: design, name: [^,}]*", f"{{id: design, name: Design {round_no}", text)
    assert new != text, "no design column in workspace.yml"
    path.write_text(new, encoding="utf-8")


TARGET_SERVE = {"first page": 5.0, "task move": 0.4, "person rename": 1.5, "column rename": 1.5}


@dataclass
class Timed:
    wall: float
    cpu: float  # the server's user + sys CPU seconds over the same span


def wait_shows(url: str, shown: Callable[[int, str], bool], timeout: float) -> float | None:
    """Seconds until `url` answers what `shown` accepts (polled every POLL s), or None."""
    start = time.perf_counter()
    deadline = start + timeout
    while time.perf_counter() < deadline:
        tick = time.perf_counter()
        try:  # the server holds requests while it rebuilds
            status, page = fetch(url, timeout=max(1.0, deadline - tick))
        except (urllib.error.URLError, OSError):
            status, page = 0, ""
        if shown(status, page):
            return time.perf_counter() - start
        time.sleep(max(0.0, POLL - (time.perf_counter() - tick)))
    return None


def serve_from_state(
    proj: Path, tmp: Path, repeat: int, problems: list[str]
) -> dict[str, list[Timed]]:
    """`plaindesk serve` started on the last build's state: the time to a task page's first
    200, then task moves (save -> the page shows the new column), renames of the busiest
    person (save -> their page shows the name) and of a workflow column (save -> a task in
    it shows the name); wall and the server's CPU.
    The CPU of an edit is read once its rebuild is over (its page shows it) and the
    server idles again (1.5 s later)."""
    found: dict[str, list[Timed]] = {}
    edits = pick_edits(proj / "content", proj / "site", EDITS * repeat)
    if not edits:
        problems.append("serve from the state: no task to move")
        return found
    log = tmp / "serve-warm.log"
    proc, base, t0 = start_serve(proj, tmp, log)
    try:
        first = f"{base}/tasks/{edits[0].task}/"
        ready = wait_shows(first, lambda st, _p: st == 200, 900)
        if ready is None:
            problems.append(f"serve from the state: no 200 from {first}")
            return found
        found["first page"] = [Timed(time.perf_counter() - t0, process_cpu(proc.pid))]
        said = log.read_text(errors="replace")
        if "from the last build's state" not in said:
            problems.append("serve did not start from the last build's state")
        for line in said.splitlines():
            if "last build's" in line or "builds every page" in line:
                print(f"  {line.strip()}")

        def timed(
            name: str, url: str, shown: Callable[[int, str], bool], change: Callable[[], Any]
        ) -> None:
            cpu = process_cpu(proc.pid)
            change()
            took = wait_shows(url, shown, 600)
            if took is None:
                problems.append(f"serve from the state: {url} never showed the edit")
                return
            time.sleep(1.5)
            fetch(base + "/", timeout=60)
            found.setdefault(name, []).append(Timed(took, process_cpu(proc.pid) - cpu))

        for edit in edits:
            timed(
                "task move",
                f"{base}/tasks/{edit.task}/",
                partial(_shows_status, edit.new_name),
                partial(save_status, edit),
            )
        for i in range(repeat):
            who = busiest(proj / "content")
            timed(
                "person rename",
                f"{base}/people/{who}/",
                partial(_shows_text, f"Renamed Person {100 + i}"),
                partial(rename_busiest, proj / "content", 100 + i),
            )
        designed = in_design(proj / "content")
        for i in range(repeat if designed else 0):
            timed(
                "column rename",
                f"{base}/tasks/{designed}/",
                partial(_shows_status, f"Design {100 + i}"),
                partial(rename_column, proj / "content", 100 + i),
            )
        return found
    finally:
        stop_group(proc)


def _shows_column(name: str, status: int, page: str) -> bool:
    """The task page shows column `name`: in its status fact, or anywhere on a page whose
    facts box reads otherwise."""
    got = shown_status(page)
    return status == 200 and (got == name if got is not None else html.escape(name) in page)


def _shows_status(name: str, status: int, page: str) -> bool:
    return status == 200 and shown_status(page) == name


def _shows_text(text: str, status: int, page: str) -> bool:
    return status == 200 and text in page


def in_design(content: Path) -> str:
    """A task in the column `rename_column` renames ("" when none is)."""
    for path in sorted((content / "tasks").rglob("*.md")):
        front, _ = split_front(path.read_text(encoding="utf-8"))
        if front_value(front, "status") == "design":
            return path.stem
    return ""


def assigned(content: Path) -> dict[str, int]:
    """Person id -> the number of tasks assigned to them."""
    counts: dict[str, int] = {}
    for path in (content / "tasks").rglob("*.md"):
        front, _ = split_front(path.read_text(encoding="utf-8"))
        who = front_value(front, "assignee")
        if who:
            counts[who] = counts.get(who, 0) + 1
    return counts


def busiest(content: Path, counts: dict[str, int] | None = None) -> str:
    """The id of the person assigned the most tasks (`rename_busiest` renames them)."""
    counts = assigned(content) if counts is None else counts
    return max(sorted(counts), key=lambda k: counts[k])


def ci_main(args: argparse.Namespace) -> int:
    """The --ci scenario (see the module's docstring)."""
    repeat = max(1, args.repeat if args.repeat is not None else (1 if args.scale >= 0.5 else 3))
    if args.keep:
        args.keep.mkdir(parents=True)
        tmp_ctx: Any = None
        tmp = args.keep.resolve()
    else:
        tmp_ctx = tempfile.TemporaryDirectory(prefix="plaindesk-bench-ci-")
        tmp = Path(tmp_ctx.name)
    problems: list[str] = []
    try:
        if args.git:
            proj, counts = make_git_project(tmp, args.scale, args.git_commits)
        else:
            proj = tmp / "project"
            counts = make_plaindesk_project(proj, generate, args.scale)
        content, site = proj / "content", proj / "site"
        print(
            f"workspace (scale {args.scale:g}{', git' if args.git else ''}): "
            + ", ".join(f"{v} {k}" for k, v in counts.items())
        )
        cold = run_timed(
            [*plaindesk_cmd(), "build", "--no-portal", "--site-dir", str(site)],
            proj,
            tmp / "cold.log",
        )
        reported(cold, "cold build", 0, 1, problems)
        steps: list[tuple[str, Any]] = [
            ("unchanged", lambda i: None),
            ("10 edits", lambda i: edit_tasks(content, 10, i)),
            ("100 edits", lambda i: edit_tasks(content, 100, i)),
            ("person rename", lambda i: rename_busiest(content, i)),
            ("column rename", lambda i: rename_column(content, i)),
        ]
        if args.git:
            steps.insert(1, ("empty commit", lambda i: None))
        results: dict[str, list[Run]] = {}
        rounds = 0
        for name, change in steps:
            for i in range(repeat):
                change(i)
                if args.git and name != "unchanged":
                    rounds += 1
                    commit_all(proj, f"{name} {i}", rounds, empty=name == "empty commit")
                run, said = warm_build(proj, site, tmp / f"{name.replace(' ', '-')}-{i}.log")
                reported(run, name, i, repeat, problems)
                print(f"  {said}", flush=True)
                if not said.startswith(("incremental build", "nothing to build")):
                    problems.append(f"{name}: not incremental: {said}")
                results.setdefault(name, []).append(run)
        print()
        where = ", git" if args.git else ""
        print(f"| `plaindesk build`, scale {args.scale:g}{where} | wall (median) | CPU | target |")
        print("|---|---:|---:|---|")
        print(f"| cold (no state) | {cold.wall:.2f} s | {cold.cpu:.2f} s | |")
        ok = not problems
        for name, runs in results.items():
            wall = statistics.median(r.wall for r in runs)
            cpu = statistics.median(r.cpu for r in runs)
            target = TARGET_CI.get(name)
            verdict = ""
            if target is not None:
                met = wall <= target
                ok = ok and met
                verdict = f"≤ {target:g} s {'PASS' if met else 'FAIL'}"
            share = f"{wall / cold.wall:.0%} of cold"
            print(f"| {name} ({share}) | {wall:.2f} s | {cpu:.2f} s | {verdict} |")
        print(f"load average (1 min) before serve: {os.getloadavg()[0]:.2f}", flush=True)
        served = serve_from_state(proj, tmp, repeat, problems)
        print()
        print(
            f"| `plaindesk serve` from the state, scale {args.scale:g}{where} "
            "| wall (median) | server CPU | target |"
        )
        print("|---|---:|---:|---|")
        for name, target in TARGET_SERVE.items():
            times = served.get(name, [])
            if not times:
                print(f"| {name} | — | — | ≤ {target:g} s FAIL |")
                ok = False
                continue
            wall = statistics.median(t.wall for t in times)
            cpu = statistics.median(t.cpu for t in times)
            met = wall <= target
            ok = ok and met
            print(
                f"| {name} (n={len(times)}) | {wall:.2f} s | {cpu:.2f} s | "
                f"≤ {target:g} s {'PASS' if met else 'FAIL'} |"
            )
        for p in problems:
            print(f"PROBLEM: {p}")
        print(f"load average (1 min) at the end: {os.getloadavg()[0]:.2f}")
        return 0 if ok else 1
    finally:
        if tmp_ctx is not None:
            tmp_ctx.cleanup()


if __name__ == "__main__":
    sys.exit(main())
