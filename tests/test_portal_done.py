"""The portal's "Done recently" dates a task by the day git shows it reached done; without
history a task's due (or start) date stands in, and the page says which it used."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner
from gitrepo import PEOPLE, WORKSPACE, GitRepo, front

from builder.cli import cli
from builder.portal.tokens import portal_token

SECRET = "done-recently-secret-0123456789"
ENV = {"PLAINDESK_PORTAL_SECRET": SECRET}
TODAY = "2026-03-20"

FILES = {
    "workspace.yml": WORKSPACE,
    **PEOPLE,
    "companies/kadr.md": front(
        name="Kadr Studio", kind="client", manager="anna-k", portal="{enabled: true}"
    ),
    "projects/site.md": front(name="Kadr site", company="kadr", status="active", workflow="web"),
    # due long ago, finished (moved to released) three days before today
    "tasks/site/late.md": front(
        title="Late hero banner",
        project="site",
        status="design",
        due="2026-01-10",
        client_visible="true",
    ),
    # done with no dates at all: only the history can date it
    "tasks/site/undated.md": front(
        title="Undated copy edit", project="site", status="design", client_visible="true"
    ),
    # due within the last 14 days and done from its first commit (the history cannot date it)
    "tasks/site/imported.md": front(
        title="Imported logo",
        project="site",
        status="released",
        due="2026-03-12",
        client_visible="true",
    ),
}


def portal_page(root: Path, out: Path) -> str:
    args = ["portal", "build", str(root / "content"), "--out", str(out), "--today", TODAY]
    run = CliRunner().invoke(cli, args, env=ENV)
    assert run.exit_code == 0, run.output
    page = out / "portal" / portal_token(SECRET, "kadr") / "index.html"
    return page.read_text(encoding="utf-8")


def done_section(page: str) -> list[str]:
    """The "Done recently" block's note and each task's title and date, in order."""
    block = page.split("<h3>Done recently</h3>", 1)[1].split("</ul>", 1)[0]
    note = re.search(r'<p class="note">(.*?)</p>', block)
    rows = re.findall(
        r'<span class="task__title">(.*?)</span>.*?<span class="task__when">(.*?)</span>',
        block,
        re.S,
    )
    return [note.group(1) if note else "", *(f"{title} | {when}" for title, when in rows)]


def test_done_recently_takes_the_day_git_shows_the_task_reached_done(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "repo")
    repo.write(FILES)
    repo.commit("2026-02-02T10:00:00+02:00")
    late = FILES["tasks/site/late.md"].replace("status: design", "status: released")
    repo.write({"tasks/site/late.md": late})
    repo.commit("2026-03-17T16:30:00+02:00")
    undated = FILES["tasks/site/undated.md"].replace("status: design", "status: released")
    repo.write({"tasks/site/undated.md": undated})
    repo.commit("2026-03-19T23:30:00+00:00")  # 01:30 on the 20th in Kyiv

    assert done_section(portal_page(repo.root, tmp_path / "public")) == [
        "Finished in the last 14 days, each on the day it was completed.",
        "Undated copy edit | done Mar 20, 2026",
        "Late hero banner | done Mar 17, 2026",
        "Imported logo | until Mar 12",
    ]


def test_without_history_the_due_date_stands_in_and_the_page_says_so(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    files = {
        **FILES,
        "tasks/site/late.md": FILES["tasks/site/late.md"].replace("design", "released"),
        "tasks/site/undated.md": FILES["tasks/site/undated.md"].replace("design", "released"),
    }
    for rel, text in files.items():
        (root / "content" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "content" / rel).write_text(text, encoding="utf-8")

    # the late task's due date is two months old and the undated one has none: neither is
    # "recent" by its dates; the imported one's due date is
    assert done_section(portal_page(root, tmp_path / "public")) == [
        "Finished in the last 14 days. The day a task was completed is not recorded here, "
        "so its due date stands in.",
        "Imported logo | until Mar 12",
    ]
