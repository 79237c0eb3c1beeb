"""Resolving defaults (builder.validate.defaults) between field validation and the
cross-record rules: a task's status and a deal's pipeline are filled in on copies, and
neither the rules nor the warnings ever change a record."""

from __future__ import annotations

import copy
import dataclasses
from datetime import date
from pathlib import Path

from conftest import make_workspace

from builder.model import Deal, Record, Task, Workspace
from builder.pipeline import CheckCache, run_check
from builder.validate.defaults import resolve_defaults
from builder.validate.rules import run_rules
from builder.validate.warnings import run_warnings

TODAY = date(2026, 3, 16)

FILES = {
    "workspace.yml": """\
workflows:
  web:
    columns: [idea, queue, doing, done]
    backlog: queue
  pr: {columns: [draft, out]}
default_workflow: pr
pipelines:
  sales: {stages: [lead, {id: won, outcome: won}]}
  partners: {stages: [intro, signed]}
default_pipeline: partners
""",
    "companies/acme.md": "---\nname: Acme\nkind: client\n---\n",
    "projects/site.md": "---\nname: Site\ncompany: acme\nworkflow: web\n---\n",
    "projects/press.md": "---\nname: Press\ncompany: acme\n---\n",
    "tasks/plain.md": "---\ntitle: Plain\nproject: site\n---\n",
    "tasks/placed.md": "---\ntitle: Placed\nproject: site\nstatus: doing\n---\n",
    "tasks/default-flow.md": "---\ntitle: Default flow\nproject: press\n---\n",
    "deals/bare.md": "---\ntitle: Bare\ncompany: acme\nstage: intro\n---\n",
    "deals/named.md": "---\ntitle: Named\ncompany: acme\npipeline: sales\nstage: lead\n---\n",
}


def records(ws: Workspace) -> dict[str, Record]:
    return {f"{kind}:{k}": r for kind in ("task", "deal") for k, r in ws.table(kind).items()}


def test_a_task_starts_in_its_workflows_backlog_and_a_deal_in_the_default_pipeline(
    tmp_path: Path,
) -> None:
    result = run_check(make_workspace(tmp_path, FILES), TODAY)
    assert result.problems == []
    ws = result.workspace
    assert {k: t.status for k, t in ws.tasks.items()} == {
        "default-flow": "draft",  # the default workflow's first column
        "placed": "doing",
        "plain": "queue",  # its workflow's `backlog:`, not its first column
    }
    assert {k: d.pipeline for k, d in ws.deals.items()} == {"bare": "partners", "named": "sales"}


def test_an_unknown_project_or_workflow_leaves_the_status_to_the_rules(tmp_path: Path) -> None:
    files = {
        **FILES,
        "projects/odd.md": "---\nname: Odd\ncompany: acme\nworkflow: nope\n---\n",
        "tasks/orphan.md": "---\ntitle: Orphan\nproject: gone\n---\n",
        "tasks/odd-one.md": "---\ntitle: Odd one\nproject: odd\n---\n",
    }
    result = run_check(make_workspace(tmp_path, files), TODAY)
    ws = result.workspace
    assert (ws.tasks["orphan"].status, ws.tasks["odd-one"].status) == ("", "")
    assert [(p.path.rsplit("/", 1)[-1], p.code) for p in result.problems] == [
        ("odd.md", "PD205"),
        ("orphan.md", "PD201"),
    ]


def test_resolving_replaces_records_and_changes_none(tmp_path: Path) -> None:
    ws = run_check(make_workspace(tmp_path, FILES), TODAY).workspace
    plain = ws.tasks["plain"] = dataclasses.replace(ws.tasks["plain"], status="")
    bare = ws.deals["bare"] = dataclasses.replace(ws.deals["bare"], pipeline="")
    placed = ws.tasks["placed"]
    resolve_defaults(ws)
    assert (plain.status, bare.pipeline) == ("", "")  # the records as read
    assert (ws.tasks["plain"].status, ws.deals["bare"].pipeline) == ("queue", "partners")
    assert ws.tasks["plain"] is not plain and ws.deals["bare"] is not bare
    assert ws.tasks["placed"] is placed  # nothing to fill in: the record itself


def test_the_rules_and_warnings_only_check(tmp_path: Path) -> None:
    """Run on a workspace whose defaults were never resolved, they change no record (an
    empty status is then no column of the workflow either)."""
    files = {
        **FILES,
        "tasks/late.md": "---\ntitle: Late\nproject: site\nstatus: nowhere\ndue: 2026-01-05\n---\n",
    }
    ws = run_check(make_workspace(tmp_path, files), TODAY).workspace
    ws.tasks["plain"] = dataclasses.replace(ws.tasks["plain"], status="")
    ws.deals["bare"] = dataclasses.replace(ws.deals["bare"], pipeline="")
    before = copy.deepcopy(records(ws))
    problems = run_rules(ws) + run_warnings(ws, TODAY)
    assert [(p.path.rsplit("/", 1)[-1], p.code) for p in problems] == [
        ("late.md", "PD202"),
        ("plain.md", "PD202"),
        ("late.md", "PD401"),
    ]
    assert records(ws) == before


def test_the_serve_cache_keeps_records_as_read(tmp_path: Path) -> None:
    """Typed records are reused across checks: the kept ones never take a default, and the
    workspace of every check gets the default on a copy of its own."""
    root = make_workspace(tmp_path, FILES)
    cache = CheckCache()
    first = run_check(root, TODAY, cache).workspace
    kept = {path: entry[2] for path, entry in cache.typed.items()}
    second = run_check(root, TODAY, cache).workspace
    assert all(cache.typed[path][2] is record for path, record in kept.items())  # reused
    plain = next(r for p, r in kept.items() if p.endswith("plain.md"))
    bare = next(r for p, r in kept.items() if p.endswith("bare.md"))
    assert isinstance(plain, Task) and isinstance(bare, Deal)
    assert (plain.status, bare.pipeline) == ("", "")
    for ws in (first, second):
        assert (ws.tasks["plain"].status, ws.deals["bare"].pipeline) == ("queue", "partners")
        assert ws.tasks["plain"] is not plain and ws.deals["bare"] is not bare
    assert second.tasks["placed"] is first.tasks["placed"]  # no default: shared as kept
