"""What git says reaches a person's digest: tasks newly assigned to them, `@id` mentions
added to a record's body since their last digest, and their cards stuck past the column's
limit. A scripted repository; today is Monday 2026-03-16 (Kyiv, UTC+2)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from gitrepo import ANNA, OLEH, PEOPLE, WORKSPACE, GitRepo, front

from builder.cli import cli
from builder.history.news import mentions
from builder.notify.state import State, save_state

TODAY = "2026-03-16"


def _task(title: str, assignee: str, status: str = "queue", body: str = "Body.") -> str:
    return (
        f"---\ntitle: {title}\nproject: site\nstatus: {status}\nassignee: {assignee}\n"
        f"due: 2026-03-30\n---\n\n{body}\n"
    )


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> GitRepo:
    repo = GitRepo(tmp_path_factory.mktemp("news"))
    repo.write(
        {
            "workspace.yml": WORKSPACE + "notify:\n  site_url: https://desk.example.com/\n",
            **PEOPLE,
            "companies/acme.md": front(name="Acme", kind="client"),
            "projects/site.md": front(name="Site", company="acme", workflow="web"),
            "tasks/fonts.md": _task("Fonts", "anna-k", body="Ask @oleh-p about fonts."),
            "tasks/home.md": _task("Homepage", "anna-k"),
            "tasks/banner.md": _task("Banner", "oleh-p", status="design"),
        }
    )
    repo.commit("2026-03-10T10:00:00+02:00", ANNA, "Start")
    repo.write(
        {
            "tasks/home.md": _task("Homepage", "oleh-p"),
            "tasks/fonts.md": _task(
                "Fonts",
                "anna-k",
                body="Ask @oleh-p about fonts.\n\n@oleh-p, please check the logo too; "
                "mail me at anna@oleh-p.example.",
            ),
            "tasks/new.md": _task("New task", "oleh-p"),
        }
    )
    repo.commit("2026-03-16T08:00:00+02:00", ANNA, "Hand over")
    repo.write({"tasks/mine.md": _task("Took it myself", "oleh-p")})
    repo.commit("2026-03-16T08:30:00+02:00", OLEH, "Mine")
    return repo


def _digest(repo: GitRepo, *args: str) -> str:
    done = CliRunner().invoke(
        cli, ["digest", str(repo.content), "--person", "oleh-p", "--today", TODAY, *args]
    )
    assert done.exit_code == 0, done.output
    return done.stdout


def test_assignments_mentions_and_stuck_cards_since_yesterday(repo: GitRepo) -> None:
    """Without a state file: since the start of yesterday. A task he took himself and a
    mention that was already there are not news; an address is no mention."""
    assert _digest(repo) == (
        "Good morning, Oleh! Here is what is yours today.\n\n"
        "Newly assigned to you (2)\n"
        "- Homepage — by Anna Kovalenko · Site\n"
        "  https://desk.example.com/tasks/home/\n"
        "- New task — by Anna Kovalenko · Site\n"
        "  https://desk.example.com/tasks/new/\n\n"
        "You were mentioned (1)\n"
        "- Fonts — by Anna Kovalenko · Site\n"
        "  https://desk.example.com/tasks/fonts/\n\n"
        "Stuck past the column's limit (1)\n"
        "- Banner — 6.6 days in Design (limit 5 days) · Site\n"
        "  https://desk.example.com/tasks/banner/\n\n"
        "4 open tasks · 0 overdue · 0 due this week · 0 open deals\n"
        "Your page in Brightline: https://desk.example.com/people/oleh-p/\n"
    )


def test_since_the_last_digest_in_the_state_file(repo: GitRepo, tmp_path: Path) -> None:
    """Sent at 08:15: the 08:00 hand-over was in that digest, so it is not news now."""
    state = State(tmp_path / "state.json")
    at = datetime.fromisoformat("2026-03-16T08:15:00+02:00")
    state.record("oleh-p", "mailto://x", at, date(2026, 3, 16))
    save_state(state)
    out = _digest(repo, "--state", str(state.path))
    assert "Newly assigned" not in out and "mentioned" not in out
    assert out.startswith(
        "Good morning, Oleh! Here is what is yours today.\n\nStuck past the column's limit (1)\n"
    )


def test_a_mention_is_an_id_on_its_own() -> None:
    people = {"oleh-p", "anna-k"}
    body = "@oleh-p and (@anna-k), not x@oleh-p.com nor @oleh-pp nor @nobody; @oleh-p."
    assert dict(mentions(body, people)) == {"oleh-p": 2, "anna-k": 1}
