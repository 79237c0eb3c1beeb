"""The edit commands check one record the way `check` checks the workspace (the same
problems, word for word), while reading only that record, its project and workspace.yml."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest
from edit_cases import WORKSPACE, run, workspace

import builder.load.files as files
from builder.edit.desk import open_desk
from builder.pipeline import run_check

CASES = {
    "unknown references": (
        "tasks/t.md",
        "---\ntitle: T\nproject: sit\nassignee: anne\nparticipants: [oleh, olek]\n"
        "time:\n  - 2026-03-02 anna 1h x\n  - {date: 2026-03-03, person: ann, spent: 1h}\n---\n",
    ),
    "a reference to a missing project": (
        "tasks/t.md",
        "---\ntitle: T\nproject: nothing-like-it\nstatus: anything\n---\n",
    ),
    "status not in its project's workflow": (
        "tasks/t.md",
        "---\ntitle: T\nproject: press\nstatus: review\n---\n",
    ),
    "stage, pipeline, currency": (
        "deals/d.md",
        "---\ntitle: D\ncompany: acme\nstage: proposl\namount: 10 GBP\nfree: maybe\n---\n",
    ),
    "unknown pipeline": (
        "deals/d.md",
        "---\ntitle: D\ncompany: acme\npipeline: sale\nstage: x\n---\n",
    ),
    "unknown workflow": ("projects/p.md", "---\nname: P\ncompany: acme\nworkflow: wbe\n---\n"),
    "field values": (
        "tasks/t.md",
        "---\ntitle: ''\nproject: site\nstart: 2026-03-10\ndue: 2026-03-01\nestimate: 2x\n"
        "priority: hgih\nasignee: anna\nprice: -5 USD\n---\n",
    ),
    "a person's money and a contact's company": (
        "people/p.md",
        "---\nname: P\nrate: 10 PLN\ncapacity: lots\n---\n",
    ),
    "duplicate key": ("contacts/c.md", "---\nname: C\nname: D\ncompany: acm\n---\n"),
    "yaml error": ("contacts/c.md", "---\nname: [C\n---\n"),
    "bad id": ("contacts/Big C.md", "---\nname: C\n---\n"),
    "bad reference id": ("tasks/t.md", "---\ntitle: T\nproject: Site Two\n---\n"),
}


@pytest.mark.parametrize("case", CASES)
def test_same_problems_as_check(tmp_path: Path, case: str) -> None:
    rel, text = CASES[case]
    root = workspace(tmp_path, {rel: text})
    expected = [p for p in run_check(root).problems if p.path == str(root / rel) and p.is_error]
    assert expected, "the case must have problems"
    desk = open_desk(root, None)
    kind = files.classify(rel)
    assert kind
    _, problems = desk.check(kind, rel, text)
    assert problems == expected


def _generate(target: Path) -> dict[str, int]:
    spec = importlib.util.spec_from_file_location(
        "generate", Path(__file__).parent.parent / "scripts" / "generate.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    counts: dict[str, int] = module.generate(target, scale=0.05, seed=1)
    return counts


def test_a_move_reads_three_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "ws"
    _generate(root)
    task = sorted((root / "tasks").rglob("*.md"))[0]
    opened: list[str] = []
    real_open = files._open

    def counting(root_: Path, rel: str, path: str, problems: list[Any]) -> Any:
        opened.append(rel)
        return real_open(root_, rel, path, problems)

    monkeypatch.setattr(files, "_open", counting)
    project = next(
        line.split(": ", 1)[1]
        for line in task.read_text().splitlines()
        if line.startswith("project:")
    )
    result = run(root, "assign", task.stem, sorted((root / "people").iterdir())[0].stem)
    assert result.exit_code == 0, result.output
    # workspace.yml, the task and its project: no other record is read
    assert sorted(opened) == sorted(
        [
            "workspace.yml",
            task.relative_to(root).as_posix(),
            next((root / "projects").rglob(f"{project}.md")).relative_to(root).as_posix(),
        ]
    )


def test_the_checks_see_every_record_type(tmp_path: Path) -> None:
    # the references the edit checks follow come from the schema, as check's rules do
    root = workspace(tmp_path)
    desk = open_desk(root, None)
    for rel, text in WORKSPACE.items():
        kind = files.classify(rel)
        if kind:
            assert desk.check(kind, rel, text)[1] == []
