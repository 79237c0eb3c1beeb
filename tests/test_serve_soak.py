"""A burst of edits against a real `plaindesk serve`, then every page it serves compared
with a fresh `plaindesk build --no-portal` of the final content: whatever order the
rebuilds saw the edits in, the server must end where a build from scratch ends.

The script of edits is drawn from a seeded generator (the same edits, the same pauses on
every run); only where the rebuilds fall between them varies, which is what is tested.

Compared: every file of the fresh build, fetched over HTTP, and nothing more in the
server's site folder; the pages of records that went answer 404. Only what serving adds
on purpose is set aside: the live-reload script in every HTML response, the order of the
kept search index's entries, and the sitemap, kept from the last full rebuild (and the
build's `.plaindesk-build` marker, which only `plaindesk build` writes)."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from conftest import make_workspace
from site_cases import MKDOCS_YML, SMALL, build, project
from test_serve import Server, free_port, problems, save, serving

SEED = 20260316
TODAY = "2026-03-16"
STEPS = 40
WORKFLOWS = {"web": ["queue", "doing", "review", "done"], "pr": ["backlog", "writing", "published"]}
# the injected live-reload script (mkdocs.livereload._inject_js_into_html): one <script>
# right before the last </body> of every HTML file served, with an epoch and request id
LIVERELOAD = re.compile(
    rb"<script>\s*var livereload = function\(epoch, requestId\) \{.*?</script>(?=</body>)", re.S
)
MARKER = f"Soak marker {SEED}"
SETTLE_QUIET = 1.5  # seconds without a rebuild starting or running: the server is settled


@dataclass
class Task:
    rel: str  # content-relative path
    project: str
    text: str  # what the file holds once any breakage is repaired

    def set(self, name: str, value: str) -> None:
        self.text = re.sub(rf"^{name}: .*$", f"{name}: {value}", self.text, count=1, flags=re.M)


@dataclass
class Burst:
    """The workspace as the script has left it so far (the files on disk may be broken
    for a while: a pending repair writes the good text back)."""

    root: Path
    rng: random.Random
    server: Server
    tasks: dict[str, Task] = field(default_factory=dict)
    projects: dict[str, str] = field(default_factory=dict)  # id -> workflow
    settings: str = ""
    repairs: list[tuple[int, Callable[[], None]]] = field(default_factory=list)
    ever: set[str] = field(default_factory=set)  # URLs of every page that ever existed
    made: int = 0

    def path(self, rel: str) -> Path:
        return self.root / "content" / rel

    def add(self, tid: str, rel: str, project: str, status: str, title: str) -> None:
        text = f"---\ntitle: {title}\nproject: {project}\nstatus: {status}\n---\nNotes.\n"
        self.tasks[tid] = Task(rel, project, text)
        self.ever.add(f"tasks/{tid}/")

    def write(self, tid: str) -> None:
        save(self.path(self.tasks[tid].rel), self.tasks[tid].text)
        self.ever.add(f"tasks/{tid}/")

    def pick(self) -> str:
        return self.rng.choice(sorted(self.tasks))

    def new_id(self, stem: str) -> str:
        self.made += 1
        return f"{stem}-{self.made}"


def status_change(b: Burst, step: int) -> None:
    status_change_of(b, b.pick())


def retitle(b: Burst, step: int) -> None:  # the search index changes too
    tid = b.pick()
    b.tasks[tid].set("title", f"Retitled {tid} at {step}")
    b.write(tid)


def quick_succession(b: Burst, step: int) -> None:
    """Three saves of one task with no pause: the watcher sees them as one or several."""
    tid = b.pick()
    for _ in range(3):
        status_change_of(b, tid)


def status_change_of(b: Burst, tid: str) -> None:
    task = b.tasks[tid]
    task.set("status", b.rng.choice(WORKFLOWS[b.projects[task.project]]))
    b.write(tid)


def invalid_yaml(b: Burst, step: int) -> None:
    tid = b.pick()
    save(b.path(b.tasks[tid].rel), b.tasks[tid].text.replace("status: ", "status: ["))
    b.repairs.append((step + b.rng.randint(1, 4), lambda: repair_task(b, tid)))


def repair_task(b: Burst, tid: str) -> None:
    if tid in b.tasks:  # renamed since: the broken text moved with it; deleted: gone
        b.write(tid)


def broken_settings(b: Burst, step: int) -> None:
    """Unreadable settings: default workflow and pipeline, so boards, funnels and the nav
    change, and every task's status is an error until they are restored. A rebuild sees
    them (the Problems page says so) before the burst goes on: the funnels of the other
    pipelines go, and must come back."""
    save(b.path("workspace.yml"), b.settings.replace("name: Snapshot", "name: [Brightline"))
    b.server.wait_for(
        "problems/",
        lambda s, h: any("workspace.yml" in p and "PD004" in p for p in problems(h)),
        "broken settings",
    )
    b.repairs.append(
        (step + b.rng.randint(1, 4), lambda: save(b.path("workspace.yml"), b.settings))
    )


def delete(b: Burst, step: int) -> None:
    if len(b.tasks) > 6:
        b.path(b.tasks.pop(b.pick()).rel).unlink()


def delete_and_undo(b: Burst, step: int) -> None:
    """A record deleted, its page gone, then the very file back (an editor's undo)."""
    tid = b.pick()
    b.path(b.tasks[tid].rel).unlink()
    b.server.wait_for(f"tasks/{tid}/", lambda s, h: s == 404, "deleted page")
    b.write(tid)


def rename(b: Burst, step: int, new: str = "") -> None:
    old = b.pick()
    task = b.tasks.pop(old)
    new = new.format(old) or b.new_id("renamed")
    rel = f"{task.rel.rpartition('/')[0]}/{new}.md"
    os.replace(b.path(task.rel), b.path(rel))
    task.rel = rel
    b.tasks[new] = task
    b.ever.add(f"tasks/{new}/")


def folder_move(b: Burst, step: int) -> None:
    """A folder of new tasks moved in at once, or a folder inside renamed (a `mv`)."""
    folders = sorted({t.rel.rsplit("/", 2)[1] for t in b.tasks.values() if t.rel.count("/") > 1})
    if folders and b.rng.random() < 0.5:
        old = b.rng.choice(folders)
        new = b.new_id("batch")
        os.replace(b.path(f"tasks/{old}"), b.path(f"tasks/{new}"))
        for task in b.tasks.values():
            if task.rel.startswith(f"tasks/{old}/"):
                task.rel = f"tasks/{new}/" + task.rel.rpartition("/")[2]
        return
    folder = b.new_id("batch")
    outside = b.root / "incoming" / folder
    outside.mkdir(parents=True)
    for _ in range(2):
        tid = b.new_id("moved")
        b.add(tid, f"tasks/{folder}/{tid}.md", "shop", "queue", f"Moved in {tid}")
        (outside / f"{tid}.md").write_text(b.tasks[tid].text, encoding="utf-8")
    os.replace(outside, b.path(f"tasks/{folder}"))


def new_task(b: Burst, step: int) -> None:
    tid = b.new_id("new")
    prj = b.rng.choice(sorted(b.projects))
    b.add(tid, f"tasks/{tid}.md", prj, WORKFLOWS[b.projects[prj]][0], f"New {tid}")
    b.write(tid)


def new_project(b: Burst, step: int) -> None:
    pid = b.new_id("project")
    workflow = b.rng.choice(sorted(WORKFLOWS))
    save(
        b.path(f"projects/{pid}.md"),
        f"---\nname: Project {pid}\ncompany: acme\nworkflow: {workflow}\n---\n",
    )
    b.projects[pid] = workflow
    b.ever.update({f"projects/{pid}/", f"boards/{pid}/"})
    tid = b.new_id("task")
    b.add(tid, f"tasks/{tid}.md", pid, WORKFLOWS[workflow][-1], f"First of {pid}")
    b.write(tid)


def new_pipeline(b: Burst, step: int) -> None:
    """A funnel more: the nav changes, so every page's sidebar does."""
    pid = b.new_id("pipeline")
    b.settings += f"  {pid}:\n    stages: [inquiry, offer, placed]\n"
    save(b.path("workspace.yml"), b.settings)
    b.ever.add(f"funnels/{pid}/")


def drop_pipeline(b: Burst, step: int) -> None:
    """A funnel less (the last one added): its page goes, the nav changes again."""
    found = re.findall(r"^  (pipeline-\d+):\n    stages: .*\n", b.settings, re.M)
    if found:
        b.settings = re.sub(rf"^  {found[-1]}:\n    stages: .*\n", "", b.settings, flags=re.M)
        save(b.path("workspace.yml"), b.settings)


def deal_stage(b: Burst, step: int) -> None:
    """A deal moves in its funnel (the funnel, its owner's and company's pages)."""
    deal = b.path(b.rng.choice(["deals/big-lead.md", "deals/eur-proposal.md"]))
    stage = b.rng.choice(["lead", "proposal", "won", "lost"])
    save(deal, re.sub(r"^stage: .*$", f"stage: {stage}", deal.read_text("utf-8"), flags=re.M))


def rename_person(b: Burst, step: int) -> None:
    """A name shown on cards, boards and every page that names the person."""
    person = b.path("people/oleh.md")
    name = f"Oleh {b.rng.choice(['Petrenko', 'P.', 'Petrenko-Shevchenko'])}"
    save(person, re.sub(r"^name: .*$", f"name: {name}", person.read_text("utf-8"), flags=re.M))


OPS: list[Callable[[Burst, int], None]] = [
    status_change,
    retitle,
    quick_succession,
    invalid_yaml,
    broken_settings,
    delete,
    delete_and_undo,
    rename,
    folder_move,
    new_task,
    new_project,
    new_pipeline,
    drop_pipeline,
    deal_stage,
    rename_person,
]


def script(b: Burst) -> str:
    """Run the burst; returns the page the last edit adds, with MARKER on it."""
    # every kind of edit at least twice, then as many more drawn at random
    ops = OPS * 2
    ops += [b.rng.choice(OPS) for _ in range(STEPS - len(ops))]
    b.rng.shuffle(ops)
    for step, op in enumerate(ops):
        op(b, step)
        for due, repair in [r for r in b.repairs if r[0] <= step]:
            b.repairs.remove((due, repair))
            repair()
        # mostly no pause (edits pile up during a rebuild), sometimes long enough for a
        # rebuild to start or finish in between
        time.sleep(b.rng.choice([0, 0, 0, 0.02, 0.08, 0.2, 0.5]))
    for _, repair in b.repairs:
        repair()
    # Last, on their own (after the burst's rebuilds, which may re-render everything:
    # settings restored), files renamed and moved as they are: no text changes, and no
    # later edit re-renders the pages that show their names and paths (a project's board
    # and page, the record's edit link). The marker is a new contact, shown on none of them.
    quiet(b.server)
    rename(b, STEPS, "{}-again")  # in the same place among the project's tasks
    tid = b.pick()
    folder = b.new_id("folder")
    b.path(f"tasks/{folder}").mkdir()
    rel = f"tasks/{folder}/{tid}.md"
    os.replace(b.path(b.tasks[tid].rel), b.path(rel))
    b.tasks[tid].rel = rel
    save(b.path("contacts/soak-marker.md"), f"---\nname: {MARKER}\n---\n")
    return "contacts/soak-marker/"


def settle(server: Server, page: str, marker: str) -> None:
    """Wait until the last edit shows, then until the server is quiet: a save's events
    may be split over two rebuilds."""
    server.wait_for(page, lambda s, h: s == 200 and marker in h, "last edit")
    quiet(server)


def quiet(server: Server) -> None:
    """Wait until no rebuild has started or run for SETTLE_QUIET seconds (a rebuild starts
    50 ms after the last file event)."""
    deadline = time.monotonic() + 30
    last, quiet_since = "", time.monotonic()
    while time.monotonic() < deadline:
        log = server.log.read_text(encoding="utf-8", errors="replace")
        started = log.count("Building documentation...")
        ended = log.count("Documentation built in") + log.count("error happened during")
        if log != last or started != ended:
            last, quiet_since = log, time.monotonic()
        elif time.monotonic() - quiet_since >= SETTLE_QUIET:
            return
        time.sleep(0.1)
    raise AssertionError(f"serve never settled:\n{last[-3000:]}")


def served(server: Server, rel: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(server.base + rel, timeout=10) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def same_bytes(rel: str, got: bytes, want: bytes) -> bool:
    """Whether a served file is the built one, but for what serving legitimately adds."""
    if rel.endswith(".html"):
        got, injected = LIVERELOAD.subn(b"", got)
        assert injected == 1, rel
    if rel == "search/search_index.json":
        # the kept index gets the entries of rebuilt pages appended (mkdocs-material's
        # dirty-reload handling): the same entries, in another order
        got_index, want_index = json.loads(got), json.loads(want)
        for index in (got_index, want_index):
            index["docs"].sort(key=json.dumps)
        return bool(got_index == want_index)
    return got == want


def files_in(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def fresh_build(root: Path, target: Path) -> Path:
    """`plaindesk build --no-portal` of a copy of the project; returns its site folder."""
    for name in ("content", "docs", "mkdocs.yml"):
        src = root / name
        if src.is_dir():
            shutil.copytree(src, target / name)
        else:
            shutil.copy2(src, target / name)
    built = build(target, target / "site", "--today", TODAY)
    assert built.returncode == 0, built.stderr
    return built.site


def test_serve_ends_where_a_fresh_build_ends(tmp_path: Path) -> None:
    port = free_port()
    # serve sets site_url to its own address; pinning the same one in mkdocs.yml gives the
    # fresh build the very same canonical links, so nothing needs normalising for it
    mkdocs_yml = f"site_url: http://127.0.0.1:{port}/\n{MKDOCS_YML}"
    root = make_workspace(tmp_path, {**project(SMALL), "mkdocs.yml": mkdocs_yml})
    (tmp_path / "serve-tmp").mkdir()
    with serving(
        root, tmp_path / "serve.log", "--today", TODAY, port=port, tmp=tmp_path / "serve-tmp"
    ) as server:
        b = Burst(root, random.Random(SEED), server, settings=SMALL["workspace.yml"])
        b.projects = {"site": "web", "shop": "web", "press": "pr"}
        for rel in (r for r in SMALL if r.startswith("tasks/")):
            found = re.search(r"^project: (.*)$", SMALL[rel], re.M)
            assert found is not None
            b.tasks[rel[len("tasks/") : -3]] = Task(rel, found[1], SMALL[rel])
        b.ever.update(f"tasks/{t}/" for t in b.tasks)
        started = time.monotonic()
        page = script(b)
        settle(server, page, MARKER)
        burst = time.monotonic() - started

        site = fresh_build(root, tmp_path / "fresh")
        (serve_site,) = (tmp_path / "serve-tmp").glob("mkdocs_*")
        # The sitemap is kept from the last serve build that rebuilt every page (the
        # first, or one after a change of nav): it may miss records added since
        # (docs/incremental.md). Everything else must be the same, file for file.
        built = files_in(site)
        # `.plaindesk-build` marks a folder `plaindesk build` made (builder/output.py); a
        # served site is no such folder
        wanted = built - {"sitemap.xml", "sitemap.xml.gz", ".plaindesk-build"}
        differ = [f"{rel}: served, not built" for rel in sorted(files_in(serve_site) - built)]
        for rel in sorted(wanted):
            status, body = served(server, rel)
            if status != 200 or not same_bytes(rel, body, (site / rel).read_bytes()):
                differ.append(f"{rel}: {status}")
                copy = tmp_path / "served" / rel  # left for a diff with fresh/site
                copy.parent.mkdir(parents=True, exist_ok=True)
                copy.write_bytes(LIVERELOAD.sub(b"", body))
        # and over HTTP, the pages of deleted, renamed and moved records are gone
        built_pages = {rel.removesuffix("index.html") for rel in wanted}
        for url in sorted(b.ever - built_pages):
            status, _ = served(server, url)
            if status != 404:
                differ.append(f"{url}: {status}, not in the fresh build")
        log = server.log.read_text(encoding="utf-8")
        assert not differ, (
            f"{len(differ)} of {len(wanted)} files differ after a {burst:.1f} s burst "
            f"(served copies in {tmp_path / 'served'}):\n"
            + "\n".join(differ[:40])
            + "\n\n"
            + log[-3000:]
        )
        assert "Traceback" not in log
