"""A scripted git repository for the history tests: files written inline, commits with
fixed author and committer dates (ISO with offset), authors by name and email."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ANNA = ("Anna Kovalenko", "anna@brightline.agency")
ANNA_HOME = ("Anna K", "anna.k@gmail.com")  # her second address, listed in `emails`
OLEH = ("Oleh Petrenko", "oleh@brightline.agency")
STRANGER = ("Bot", "ci@example.org")  # maps to no person


class GitRepo:
    """A repository in `root`; the workspace lives in `root/content`."""

    def __init__(self, root: Path, content: str = "content") -> None:
        self.root = root
        self.content = root / content if content else root
        self.content.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, env: dict[str, str] | None = None) -> str:
        full = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
        full.update(env or {})
        done = subprocess.run(
            ["git", *args], cwd=self.root, env=full, capture_output=True, text=True, check=True
        )
        return done.stdout

    def write(self, files: dict[str, str]) -> None:
        """Write content-relative files (text as given)."""
        for rel, text in files.items():
            target = self.content / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="")

    def remove(self, rel: str) -> None:
        (self.content / rel).unlink()

    def move(self, old: str, new: str) -> None:
        target = self.content / new
        target.parent.mkdir(parents=True, exist_ok=True)
        (self.content / old).rename(target)

    def commit(
        self,
        when: str,
        author: tuple[str, str] = ANNA,
        message: str = "change",
        author_date: str | None = None,
    ) -> str:
        """Commit everything at `when` (e.g. "2026-03-02T10:00:00+02:00") as `author`;
        `author_date`, in any form git takes (e.g. "@1700000000 +0000"), overrides the
        author date alone."""
        env = self._env(when, author)
        if author_date is not None:
            env["GIT_AUTHOR_DATE"] = author_date
        self.git("add", "-A", env=env)
        self.git("commit", "-q", "--no-gpg-sign", "-m", message, env=env)
        return self.git("rev-parse", "HEAD").strip()

    def merge(self, branch: str, when: str, author: tuple[str, str] = ANNA) -> None:
        self.git("merge", "-q", "--no-ff", "--no-edit", branch, env=self._env(when, author))

    @staticmethod
    def _env(when: str, author: tuple[str, str]) -> dict[str, str]:
        name, email = author
        return {
            "GIT_AUTHOR_NAME": name,
            "GIT_AUTHOR_EMAIL": email,
            "GIT_AUTHOR_DATE": when,
            "GIT_COMMITTER_NAME": name,
            "GIT_COMMITTER_EMAIL": email,
            "GIT_COMMITTER_DATE": when,
        }


def front(**fields: object) -> str:
    """A record file: front matter from `fields` (values written as given), short body."""
    lines = ["---"]
    for key, value in fields.items():
        lines.append(f"{key}: {value}")
    lines += ["---", "", "Body text.", ""]
    return "\n".join(lines)


WORKSPACE = """\
name: Brightline
locale: en
timezone: Europe/Kyiv
base_currency: USD
rates: {UAH: 0.024}
workflows:
  web:
    columns:
      - {id: queue, name: Queue}
      - {id: accepted, name: Accepted, wip: 6}
      - {id: design, name: Design, wip: 3, limit_days: 5}
      - {id: approval, name: Client approval, limit_days: 7}
      - {id: released, name: Released}
    backlog: queue
    done: released
pipelines:
  sales:
    stages:
      - {id: lead, name: Lead, probability: 10, idle_days: 10}
      - {id: qualified, name: Qualified, probability: 25, idle_days: 10}
      - {id: proposal, name: Proposal sent, probability: 50, idle_days: 10}
      - {id: negotiation, name: Negotiation, probability: 70, idle_days: 5}
      - {id: won, name: Won, probability: 100, outcome: won}
      - {id: lost, name: Lost, probability: 0, outcome: lost}
"""

PEOPLE = {
    "people/anna-k.md": front(
        name="Anna Kovalenko", email="anna@brightline.agency", emails="[anna.k@gmail.com]"
    ),
    "people/oleh-p.md": front(name="Oleh Petrenko", email="oleh@brightline.agency"),
}

BROKEN_COPY = '---\ntitle: "Homepage copy\nstatus: accepted\n---\n'


def build_scenario(root: Path) -> GitRepo:
    """The story every history test reads (Kyiv is UTC+2 in early March 2026).

    Cards: `mockups` goes queue -> accepted -> design -> approval -> released; `copy` has
    a commit with broken YAML, then is fixed into `accepted` and renamed to
    `homepage-copy`; `banner` sits in design from 03-04; `old-brief` is created and
    deleted. Deals: `kyiv-opera` lead -> proposal -> negotiation, `tau-retainer` stays in
    qualified, `finlo` lead -> lost. One commit is dated after today (2026-03-16).
    """
    repo = GitRepo(root)
    repo.write(
        {
            "workspace.yml": WORKSPACE,
            **PEOPLE,
            "companies/kyiv-opera.md": front(name="Kyiv Opera", kind="client"),
            "projects/site.md": front(
                name="Opera website", company="kyiv-opera", workflow="web", manager="anna-k"
            ),
            "tasks/mockups.md": front(title="Homepage mock-ups", project="site", status="queue"),
            "tasks/copy.md": front(title="Homepage copy", project="site", status="queue"),
        }
    )
    repo.commit("2026-03-02T10:00:00+02:00", ANNA, "Start the opera website")
    repo.write(
        {
            "deals/kyiv-opera.md": front(
                title="Kyiv Opera sponsorship",
                company="kyiv-opera",
                stage="lead",
                owner="oleh-p",
                amount="50000 UAH",
            ),
            "deals/tau-retainer.md": front(
                title="Tau retainer",
                company="kyiv-opera",
                stage="qualified",
                owner="anna-k",
                updated="2026-03-15",
            ),
            "deals/finlo.md": front(title="Finlo launch", company="kyiv-opera", stage="lead"),
        }
    )
    repo.commit("2026-03-02T12:00:00+02:00", OLEH, "Deals")
    repo.write(
        {
            "tasks/mockups.md": front(
                title="Homepage mock-ups", project="site", status="accepted", assignee="oleh-p"
            ),
            "tasks/old-brief.md": front(title="Old brief", project="site", status="queue"),
        }
    )
    repo.commit("2026-03-03T09:00:00+02:00", ANNA, "Accept mock-ups")
    repo.write(
        {
            "tasks/mockups.md": front(
                title="Homepage mock-ups", project="site", status="design", assignee="oleh-p"
            ),
            "tasks/banner.md": front(title="Banner <b>&</b>", project="site", status="design"),
        }
    )
    repo.commit("2026-03-04T09:00:00+02:00", ANNA_HOME, "Design starts")
    repo.write({"tasks/copy.md": BROKEN_COPY})
    repo.commit("2026-03-05T09:00:00+02:00", ANNA, "Broken YAML")
    repo.write(
        {
            "tasks/copy.md": front(
                title="Homepage copy", project="site", status="accepted", due="2026-03-20"
            )
        }
    )
    repo.commit("2026-03-06T09:00:00+02:00", ANNA, "Fix YAML")
    repo.write(
        {
            "tasks/mockups.md": front(
                title="Homepage mock-ups", project="site", status="approval", assignee="oleh-p"
            )
        }
    )
    repo.remove("tasks/old-brief.md")
    repo.commit("2026-03-09T15:00:00+02:00", ANNA, "To the client")
    repo.write(
        {
            "deals/kyiv-opera.md": front(
                title="Kyiv Opera sponsorship",
                company="kyiv-opera",
                stage="proposal",
                owner="oleh-p",
                amount="50000 UAH",
            ),
            "deals/finlo.md": front(title="Finlo launch", company="kyiv-opera", stage="lost"),
        }
    )
    repo.commit("2026-03-10T09:00:00+02:00", OLEH, "Proposal sent")
    repo.move("tasks/copy.md", "tasks/site/homepage-copy.md")
    repo.move("tasks/banner.md", "tasks/site/banner.md")
    repo.commit("2026-03-11T09:00:00-05:00", ANNA, "Sort tasks into a folder")
    repo.write(
        {
            "tasks/mockups.md": front(
                title="Homepage mock-ups", project="site", status="released", assignee="oleh-p"
            )
        }
    )
    # 23:30 in New York is already 06:30 the next morning in Kyiv.
    repo.commit("2026-03-12T23:30:00-05:00", ANNA, "Released")
    repo.write(
        {
            "deals/kyiv-opera.md": front(
                title="Kyiv Opera sponsorship",
                company="kyiv-opera",
                stage="negotiation",
                owner="oleh-p",
                amount="50000 UAH",
            )
        }
    )
    repo.commit("2026-03-13T10:00:00+02:00", STRANGER, "Negotiation")
    repo.write(
        {
            "projects/site.md": front(
                name="Opera website",
                company="kyiv-opera",
                workflow="web",
                manager="anna-k",
                status="on-hold",
            )
        }
    )
    repo.commit("2026-03-20T10:00:00+02:00", OLEH, "After today: left out")
    return repo
