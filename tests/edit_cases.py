"""A small workspace for the edit-command tests, and a helper that runs the real CLI on it.

Pinned to 2026-03-16 (a Monday). Workflow `web` (the default): queue, design, review,
released (done); workflow `pr`: backlog, writing, published. Pipeline `sales`: lead,
proposal, won, lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from click.testing import CliRunner, Result

from builder.cli import cli

WORKSPACE: dict[str, str] = {
    "workspace.yml": """\
name: Edit Agency
today: 2026-03-16
rates: {EUR: 1.1}
workflows:
  web:
    columns:
      - queue
      - {id: design, name: At designer}
      - review
      - {id: released, name: Released}
  pr:
    columns: [backlog, writing, published]
pipelines:
  sales:
    stages: [lead, proposal, {id: won, outcome: won}, {id: lost, outcome: lost}]
custom_fields:
  deal:
    free: {type: bool, label: Free placement}
""",
    "people/anna.md": "---\nname: Anna Kovalenko\nemail: anna@example.com\n---\n",
    "people/oleh.md": "---\nname: Oleh Petrenko\nemails: [oleh@home.example]\n---\n",
    "companies/acme.md": "---\nname: Acme\nkind: client\n---\n",
    "contacts/olena.md": (
        "---\nname: Олена Шевчук\ncompany: acme\nfollow_up: 2026-03-18\ncadence: 14d\n---\n"
    ),
    "projects/site.md": "---\nname: Site\ncompany: acme\nworkflow: web\n---\n",
    "projects/press.md": "---\nname: Press\ncompany: acme\nworkflow: pr\n---\n",
    "tasks/hero.md": (
        "---\ntitle: Hero banner\nproject: site\nstatus: design\nassignee: anna\n"
        "start: 2026-03-10\n---\n"
    ),
    "tasks/release.md": "---\ntitle: Release\nproject: press\n---\n",
    "deals/big.md": "---\ntitle: Big deal\ncompany: acme\nstage: lead\n---\n",
}


def workspace(tmp_path: Path, files: Mapping[str, str | bytes] | None = None) -> Path:
    """WORKSPACE (with `files` added or replaced) written under tmp_path/ws; returns it."""
    root = tmp_path / "ws"
    for rel, content in {**WORKSPACE, **(files or {})}.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8", newline="")
    return root


def run(root: Path, *args: str, stdin: str | None = None) -> Result:
    """`plaindesk ARGS -w ROOT` through click's runner (stderr apart from stdout)."""
    return CliRunner().invoke(cli, [*args, "-w", str(root)], input=stdin)
