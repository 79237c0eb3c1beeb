"""The serve loop's caches give the same answers as a fresh run: after every edit, a check
with the kept CheckCache equals a check from scratch (records and problems)."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import make_workspace
from site_cases import SMALL

from builder.pipeline import CheckCache, CheckResult, run_check

TABLES = ("people", "companies", "contacts", "projects", "tasks", "deals")


def tables(result: CheckResult) -> dict[str, object]:
    return {name: getattr(result.workspace, name) for name in TABLES}


def write(path: Path, text: str) -> None:
    """Save as an editor does, and make sure the stat differs even on a coarse clock."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 10**9, before + 10**9))


def test_a_kept_check_cache_answers_as_a_fresh_check(tmp_path: Path) -> None:
    root = make_workspace(tmp_path, SMALL)
    cache = CheckCache()

    def same() -> CheckResult:
        kept, fresh = run_check(root, None, cache), run_check(root)
        assert kept.problems == fresh.problems
        assert tables(kept) == tables(fresh)
        return kept

    same()
    task = root / "tasks/site-copy.md"
    text = task.read_text(encoding="utf-8")
    write(task, text.replace("status: doing", "status: review"))
    assert same().workspace.tasks["site-copy"].status == "review"
    # no status: the first column of the project's workflow, which changes with the project
    write(task, text.replace("status: doing\n", ""))
    assert same().workspace.tasks["site-copy"].status == "queue"
    project = root / "projects/site.md"
    write(project, project.read_text(encoding="utf-8").replace("workflow: web", "workflow: pr"))
    assert same().workspace.tasks["site-copy"].status == "backlog"
    # settings change every record's typing (custom fields, currencies)
    settings = root / "workspace.yml"
    write(settings, settings.read_text(encoding="utf-8").replace("UAH: 0.025", "UAH: 0.03"))
    same()
    write(task, text.replace("status: doing", "status: nowhere"))
    assert [p.code for p in same().problems if p.path.endswith("site-copy.md")] == ["PD202"]
    (root / "contacts/petro.md").unlink()
    assert "petro" not in same().workspace.contacts
    assert len(cache.typed) == len(list(root.rglob("*.md")))
