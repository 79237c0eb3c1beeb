"""A small workspace whose manager, Anna, has something in every digest section (without
git history: new assignments, mentions and stuck cards need a repository, see
tests/test_digest_history.py). Today is Monday 2026-03-16."""

from __future__ import annotations

from datetime import date

TODAY = date(2026, 3, 16)


def task(ident: str, title: str, status: str, assignee: str, due: str, more: str = "") -> str:
    return (
        f"---\ntitle: {title}\nproject: site\nstatus: {status}\nassignee: {assignee}\n"
        f"due: {due}\n{more}---\n"
    )


WORKSPACE = """\
name: Test Agency
locale: en
timezone: Europe/Kyiv
workflows:
  web:
    columns:
      - {id: queue, name: Queue}
      - {id: design, name: Design, wip: 1, limit_days: 2}
      - {id: approval, name: Client approval}
      - {id: done, name: Done}
    done: done
    approval: approval
pipelines:
  sales:
    stages:
      - {id: lead, name: Lead, probability: 10, idle_days: 10}
      - {id: won, name: Won, probability: 100, outcome: won}
notify:
  site_url: https://desk.example.com
  escalate_after: 3
"""

FILES: dict[str, str] = {
    "workspace.yml": WORKSPACE,
    "people/anna.md": "---\nname: Anna Kovalenko\nemail: anna@example.com\ncapacity: 40\n---\n",
    "people/oleh.md": "---\nname: Oleh Petrenko\ncapacity: 10\n---\n",
    "people/ivan.md": "---\nname: Ivan Idle\nactive: false\n---\n",
    "companies/acme.md": "---\nname: Acme\nkind: client\nmanager: anna\n---\n",
    "projects/site.md": "---\nname: Site\ncompany: acme\nmanager: anna\nworkflow: web\n---\n",
    "tasks/copy.md": task("copy", "Write copy", "queue", "anna", "2026-03-13"),
    "tasks/logo.md": task("logo", "Logo", "design", "oleh", "2026-03-10", "estimate: 12h\n"),
    "tasks/banner.md": task("banner", "Banner", "design", "oleh", "2026-03-20"),
    "tasks/review.md": task("review", "Review mock-ups", "approval", "anna", "2026-03-16"),
    "tasks/menu.md": task("menu", "Menu page", "queue", "anna", "2026-03-19"),
    "tasks/old.md": task("old", "Old", "done", "anna", "2026-03-01"),
    "tasks/ivans.md": task("ivans", "Ivan's", "queue", "ivan", "2026-03-01"),
    "contacts/olena.md": "---\nname: Олена Шевчук\ncompany: acme\nowner: anna\n"
    "follow_up: 2026-03-12\n---\n",
    "contacts/petro.md": "---\nname: Petro\nowner: anna\nfollow_up: 2026-03-20\n---\n",
    "deals/big.md": "---\ntitle: Big deal\ncompany: acme\nstage: lead\nowner: anna\n"
    "updated: 2026-03-01\nnext_step: {date: 2026-03-15, action: Call Olena}\n---\n",
    "deals/small.md": "---\ntitle: Small deal\ncompany: acme\nstage: lead\nowner: oleh\n"
    "updated: 2026-03-02\n---\n",
}


def with_locale(locale: str) -> dict[str, str]:
    """The files with Anna's own `locale:` set."""
    files = dict(FILES)
    files["people/anna.md"] = files["people/anna.md"].replace(
        "capacity: 40\n", f"capacity: 40\nlocale: {locale}\n"
    )
    return files
