"""Serve's kept generation against a fresh one after random edits of a synthetic workspace.

The hand-written cases in test_incremental.py pin what each edit re-renders; this test
walks further: a seeded sequence of the edits a team makes (moves, reassignments, dates,
time logs, new and deleted tasks, renamed people, projects and columns, WIP limits, deal
stages), each followed by a kept generation whose page tree must equal, byte for byte, a
fresh generation's of the same content. A kept view that misses what it read shows here.
"""

from __future__ import annotations

import difflib
import importlib.util
import random
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from builder.render.pages import SiteOptions
from builder.site.generate import Kept, generate

SCRIPTS = Path(__file__).parent.parent / "scripts"
ROUNDS = 14


def make(root: Path, seed: int) -> None:
    spec = importlib.util.spec_from_file_location("generate_ws", SCRIPTS / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.generate(root, scale=0.03, seed=seed)
    # the synthetic team at this scale is one person: three more to hand work to
    for ident, name in (("olena-b", "Olena Bondar"), ("mark-t", "Mark Twain"), ("ira-s", "Ira S.")):
        (root / "people" / f"{ident}.md").write_text(
            f"---\nname: {name}\nrole: Manager\ncapacity: 30\nrate: 25 USD\n---\n",
            encoding="utf-8",
        )


def split(path: Path) -> tuple[dict[str, Any], str]:
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    data = yaml.safe_load(front)
    assert isinstance(data, dict), path
    return data, body


def save(path: Path, data: dict[str, Any], body: str) -> None:
    front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    path.write_text(f"---\n{front}---\n{body}", encoding="utf-8")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


class Editor:
    """The random edits, on the workspace at `root`; each returns what it did."""

    def __init__(self, root: Path, rng: random.Random) -> None:
        self.root, self.rng = root, rng
        settings = yaml.safe_load((root / "workspace.yml").read_text(encoding="utf-8"))
        self.today = date.fromisoformat(str(settings["today"]))
        self.made = 0

    def tasks(self) -> list[Path]:
        return sorted((self.root / "tasks").rglob("*.md"))

    def task(self) -> tuple[Path, dict[str, Any], str]:
        path = self.rng.choice(self.tasks())
        data, body = split(path)
        return path, data, body

    def people(self) -> list[str]:
        return sorted(p.stem for p in (self.root / "people").glob("*.md"))

    def columns(self, project: str) -> list[str]:
        settings = yaml.safe_load((self.root / "workspace.yml").read_text(encoding="utf-8"))
        proj, _ = split(self.root / "projects" / f"{project}.md")
        flow = settings["workflows"][proj.get("workflow") or settings["default_workflow"]]
        return [c if isinstance(c, str) else c["id"] for c in flow["columns"]]

    def day(self) -> str:
        return (self.today + timedelta(days=self.rng.randint(-40, 40))).isoformat()

    def move(self) -> str:
        path, data, body = self.task()
        data["status"] = self.rng.choice(self.columns(data["project"]))
        save(path, data, body)
        return f"move {path.stem} to {data['status']}"

    def reassign(self) -> str:
        path, data, body = self.task()
        who = self.rng.choice([*self.people(), None])
        if who is None:
            data.pop("assignee", None)
        else:
            data["assignee"] = who
        save(path, data, body)
        return f"assign {path.stem} to {who}"

    def due(self) -> str:
        path, data, body = self.task()
        data["due"] = self.day()
        if "start" in data and str(data["start"]) > data["due"]:
            data["start"] = data["due"]
        save(path, data, body)
        return f"due {path.stem} {data['due']}"

    def log(self) -> str:
        path, data, body = self.task()
        who = self.rng.choice(self.people())
        entry = {"date": self.day(), "person": who, "spent": f"{self.rng.randint(1, 5)}h"}
        data["time"] = [*(data.get("time") or []), entry]
        save(path, data, body)
        return f"log {path.stem}"

    def retitle(self) -> str:
        path, data, body = self.task()
        data["title"] = f"{data['title']} (v{self.rng.randint(2, 9)})"
        save(path, data, body)
        return f"retitle {path.stem}"

    def delete(self) -> str:
        path = self.rng.choice(self.tasks())
        path.unlink()
        return f"delete {path.stem}"

    def new(self) -> str:
        project = self.rng.choice(sorted(p.stem for p in (self.root / "projects").glob("*.md")))
        self.made += 1
        path = self.root / "tasks" / project / f"random-new-{self.made}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "title": f"New task {self.made}",
            "project": project,
            "status": self.rng.choice(self.columns(project)),
            "assignee": self.rng.choice(self.people()),
            "due": self.day(),
        }
        save(path, data, "A new one.\n")
        return f"new {path.stem} in {project}"

    def rename_person(self) -> str:
        ident = self.rng.choice(self.people())
        path = self.root / "people" / f"{ident}.md"
        data, body = split(path)
        data["name"] = f"{data['name'].split(' (')[0]} ({self.rng.randint(2, 99)})"
        save(path, data, body)
        return f"rename person {ident}"

    def rename_project(self) -> str:
        path = self.rng.choice(sorted((self.root / "projects").glob("*.md")))
        data, body = split(path)
        data["name"] = f"{data['name'].split(' (')[0]} ({self.rng.randint(2, 99)})"
        save(path, data, body)
        return f"rename project {path.stem}"

    def settings(self, pattern: str, replacement: str, what: str) -> str:
        """workspace.yml with `pattern` replaced (it must be there; the same value again
        is an edit too: the file is saved as it was)."""
        path = self.root / "workspace.yml"
        text = path.read_text(encoding="utf-8")
        assert re.search(pattern, text), what
        path.write_text(re.sub(pattern, replacement, text), encoding="utf-8")
        return what

    def rename_column(self) -> str:
        n = self.rng.randint(2, 99)
        return self.settings(
            r"\{id: design, name: [^,}]*",
            f"{{id: design, name: Design {n}",
            f"rename column design {n}",
        )

    def wip(self) -> str:
        n = self.rng.randint(1, 6)
        return self.settings(
            r"\{id: review, name: Review, wip: \d+",
            f"{{id: review, name: Review, wip: {n}",
            f"review wip {n}",
        )

    def stage(self) -> str:
        path = self.rng.choice(sorted((self.root / "deals").rglob("*.md")))
        data, body = split(path)
        settings = yaml.safe_load((self.root / "workspace.yml").read_text(encoding="utf-8"))
        flow = settings["pipelines"][data.get("pipeline") or settings["default_pipeline"]]
        data["stage"] = self.rng.choice(
            [s if isinstance(s, str) else s["id"] for s in flow["stages"]]
        )
        data["next_step"] = {"date": self.day(), "action": "Call back"}
        save(path, data, body)
        return f"deal {path.stem} to {data['stage']}"


# moves, the everyday edit, come up most often
KINDS = [
    "move", "move", "move", "reassign", "due", "log", "retitle", "delete", "new",
    "rename_person", "rename_project", "rename_column", "wip", "stage",
]  # fmt: skip


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize(
    ("seed", "told"),
    [(3, False), (11, False), (5, True), (17, True)],
    ids=["walked-3", "walked-11", "told-5", "told-17"],
)
def test_random_edits_keep_the_kept_tree_equal_to_a_fresh_one(
    tmp_path: Path, seed: int, told: bool
) -> None:
    """`told`: the kept generation is told which files changed, as serve's watcher tells
    it (the check is then made from the last one where it can,
    `builder.pipeline._check_edits`); else it walks the content folder."""
    root = tmp_path / "ws"
    make(root, seed)
    rng = random.Random(seed)
    editor = Editor(root, rng)
    kept, tree = Kept(), tmp_path / "kept"
    generate(root, tree, SiteOptions(), None, kept=kept, history=False)
    done: list[str] = []
    edits_checked = 0
    for n in range(ROUNDS):
        before = files(root) if told else {}
        # one or two edits between rebuilds, as a save or a quick pair of saves
        for _ in range(rng.choice((1, 1, 2))):
            done.append(getattr(editor, rng.choice(KINDS))())
        after = files(root) if told else {}
        changed = {rel for rel in before.keys() | after.keys() if before.get(rel) != after.get(rel)}
        wholes = kept.check.whole
        made = generate(
            root,
            tree,
            SiteOptions(),
            None,
            kept=kept,
            history=False,
            changed=changed if told else None,
        )
        edits_checked += kept.check.whole == wholes
        # serve shows a record with an error as it last was without: a fresh run cannot
        errors = [p.message for p in made.result.problems if p.is_error]
        assert errors == [], f"after {done}"
        fresh = tmp_path / f"fresh-{n}"
        generate(root, fresh, SiteOptions(), None, history=False)
        kept_files, fresh_files = snapshot(tree), snapshot(fresh)
        differ = sorted(
            p
            for p in kept_files.keys() | fresh_files.keys()
            if kept_files.get(p) != fresh_files.get(p)
        )
        assert differ == [], f"after {done}: {differ[:10]}\n" + first_difference(
            kept_files, fresh_files, differ[0]
        )
    if told:
        assert edits_checked > ROUNDS // 2  # most edits are checked from the last check


def first_difference(kept: dict[str, bytes], fresh: dict[str, bytes], rel: str) -> str:
    """The kept and the fresh text of `rel`, as a unified diff."""
    old, new = ((files.get(rel) or b"").decode("utf-8", "replace") for files in (kept, fresh))
    diff = difflib.unified_diff(
        old.splitlines(), new.splitlines(), f"kept/{rel}", f"fresh/{rel}", lineterm="", n=1
    )
    return "\n".join(list(diff)[:40])
