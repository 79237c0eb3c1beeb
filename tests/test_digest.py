"""`plaindesk digest`: each person's digest, exact texts in en, ru and uk, its formats, and
who gets none (workspace: tests/digest_cases.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import make_workspace
from digest_cases import FILES, TODAY, with_locale

from builder.cli import cli
from builder.notify.run import prepare
from builder.render.digest import render_digest

ANNA_EN = """\
Good morning, Anna! Here is what is yours today.

Overdue (1)
- Write copy — 3 days overdue · Site
  https://desk.example.com/tasks/copy/

Due today (1)
- Review mock-ups — Site
  https://desk.example.com/tasks/review/

Later this week (1)
- Menu page — Thu 19 Mar · Site
  https://desk.example.com/tasks/menu/

Waiting for the client's approval (1)
- Review mock-ups — Anna Kovalenko · Site
  https://desk.example.com/tasks/review/

Follow-ups due (1)
- Олена Шевчук — Acme · 12 Mar
  https://desk.example.com/contacts/olena/

Deals that need a step (1)
- Big deal — idle 15 days (limit 10 days); next step 15 Mar: Call Olena
  https://desk.example.com/deals/big/

== Your team ==

Over capacity this week (1)
- Oleh Petrenko — 12 h this week, capacity 10 h
  https://desk.example.com/people/oleh/

Overdue by more than 3 days (2)
- Ivan's — Ivan Idle · 15 days overdue · Site
  https://desk.example.com/tasks/ivans/
- Logo — Oleh Petrenko · 6 days overdue · Site
  https://desk.example.com/tasks/logo/

WIP limits exceeded (1)
- Site — Design: 2 of 1
  https://desk.example.com/boards/site/

Stale deals of your clients (1)
- Small deal — Oleh Petrenko · idle 14 days (limit 10 days)
  https://desk.example.com/deals/small/

3 open tasks · 1 overdue · 2 due this week · 1 open deal
Your page in Test Agency: https://desk.example.com/people/anna/
"""

ANNA_RU = """\
Доброе утро, Anna! Вот что ждёт вас сегодня.

Просрочено (1)
- Write copy — просрочено на 3 дня · Site
  https://desk.example.com/tasks/copy/

Срок сегодня (1)
- Review mock-ups — Site
  https://desk.example.com/tasks/review/

Позже на этой неделе (1)
- Menu page — чт 19 мар. · Site
  https://desk.example.com/tasks/menu/

Ждут согласования клиента (1)
- Review mock-ups — Anna Kovalenko · Site
  https://desk.example.com/tasks/review/

Пора связаться (1)
- Олена Шевчук — Acme · 12 мар.
  https://desk.example.com/contacts/olena/

Сделки, которым нужен шаг (1)
- Big deal — без движения 15 дней (лимит 10 дней); следующий шаг 15 мар.: Call Olena
  https://desk.example.com/deals/big/

== Ваша команда ==

Перегружены на этой неделе (1)
- Oleh Petrenko — 12 ч на этой неделе при норме 10 ч
  https://desk.example.com/people/oleh/

Просрочено больше чем на 3 дня (2)
- Ivan's — Ivan Idle · просрочено на 15 дней · Site
  https://desk.example.com/tasks/ivans/
- Logo — Oleh Petrenko · просрочено на 6 дней · Site
  https://desk.example.com/tasks/logo/

Превышены лимиты WIP (1)
- Site — Design: 2 из 1
  https://desk.example.com/boards/site/

Зависшие сделки ваших клиентов (1)
- Small deal — Oleh Petrenko · без движения 14 дней (лимит 10 дней)
  https://desk.example.com/deals/small/

3 открытые задачи · 1 просрочена · 2 со сроком на этой неделе · 1 открытая сделка
Ваша страница в Test Agency: https://desk.example.com/people/anna/
"""

ANNA_UK = """\
Доброго ранку, Anna! Ось що чекає на вас сьогодні.

Прострочено (1)
- Write copy — прострочено на 3 дні · Site
  https://desk.example.com/tasks/copy/

Термін сьогодні (1)
- Review mock-ups — Site
  https://desk.example.com/tasks/review/

Пізніше цього тижня (1)
- Menu page — чт 19 бер. · Site
  https://desk.example.com/tasks/menu/

Чекають на погодження клієнта (1)
- Review mock-ups — Anna Kovalenko · Site
  https://desk.example.com/tasks/review/

Час звʼязатися (1)
- Олена Шевчук — Acme · 12 бер.
  https://desk.example.com/contacts/olena/

Угоди, яким потрібен крок (1)
- Big deal — без руху 15 днів (ліміт 10 днів); наступний крок 15 бер.: Call Olena
  https://desk.example.com/deals/big/

== Ваша команда ==

Перевантажені цього тижня (1)
- Oleh Petrenko — 12 год цього тижня при нормі 10 год
  https://desk.example.com/people/oleh/

Прострочено більш ніж на 3 дні (2)
- Ivan's — Ivan Idle · прострочено на 15 днів · Site
  https://desk.example.com/tasks/ivans/
- Logo — Oleh Petrenko · прострочено на 6 днів · Site
  https://desk.example.com/tasks/logo/

Перевищено ліміти WIP (1)
- Site — Design: 2 з 1
  https://desk.example.com/boards/site/

Завислі угоди ваших клієнтів (1)
- Small deal — Oleh Petrenko · без руху 14 днів (ліміт 10 днів)
  https://desk.example.com/deals/small/

3 відкриті задачі · 1 прострочена · 2 з терміном цього тижня · 1 відкрита угода
Ваша сторінка в Test Agency: https://desk.example.com/people/anna/
"""


def _digest(root: Path, *args: str) -> tuple[int, str, str]:
    done = CliRunner().invoke(cli, ["digest", str(root), "--today", "2026-03-16", *args])
    return done.exit_code, done.stdout, done.stderr


@pytest.mark.parametrize(
    ("locale", "expected"), [("en", ANNA_EN), ("ru", ANNA_RU), ("uk", ANNA_UK)]
)
def test_a_managers_digest_in_her_own_language(tmp_path: Path, locale: str, expected: str) -> None:
    """Every section, the team's too, in the person's own `locale` (the workspace's is en)."""
    root = make_workspace(tmp_path, with_locale(locale))
    code, out, err = _digest(root, "--person", "anna")
    assert (code, err) == (0, "")
    assert out == expected


def test_without_a_locale_the_workspace_language(tmp_path: Path) -> None:
    root = make_workspace(tmp_path, FILES)
    assert _digest(root, "--person", "anna")[1] == ANNA_EN


def test_a_person_without_management_gets_no_team(tmp_path: Path) -> None:
    root = make_workspace(tmp_path, FILES)
    code, out, err = _digest(root, "--person", "oleh")
    assert (code, err) == (0, "")
    assert out == (
        "Good morning, Oleh! Here is what is yours today.\n\n"
        "Overdue (1)\n"
        "- Logo — 6 days overdue · Site\n"
        "  https://desk.example.com/tasks/logo/\n\n"
        "Later this week (1)\n"
        "- Banner — Fri 20 Mar · Site\n"
        "  https://desk.example.com/tasks/banner/\n\n"
        "Deals that need a step (1)\n"
        "- Small deal — idle 14 days (limit 10 days)\n"
        "  https://desk.example.com/deals/small/\n\n"
        "2 open tasks · 1 overdue · 1 due this week · 1 open deal\n"
        "Your page in Test Agency: https://desk.example.com/people/oleh/\n"
    )


def test_an_empty_digest_is_said_not_shown(tmp_path: Path) -> None:
    """An inactive person gets none; nor does one with nothing to do."""
    files = {**FILES, "people/zoe.md": "---\nname: Zoe Quiet\n---\n"}
    root = make_workspace(tmp_path, files)
    for pid in ("ivan", "zoe"):
        code, out, err = _digest(root, "--person", pid)
        assert (code, out, err) == (0, "", f"{pid}: nothing to do today: no digest\n")


def test_everyone_at_once_skips_the_empty(tmp_path: Path) -> None:
    root = make_workspace(tmp_path, FILES)
    code, out, _ = _digest(root)
    assert code == 0
    heads = [line for line in out.splitlines() if line.startswith("==> ")]
    assert heads == [
        "==> anna (en): Your day at Test Agency: Monday, 16 March",
        "==> oleh (en): Your day at Test Agency: Monday, 16 March",
    ]
    assert ANNA_EN in out


def test_an_unknown_person(tmp_path: Path) -> None:
    root = make_workspace(tmp_path, FILES)
    code, out, err = _digest(root, "--person", "olehh")
    assert (code, out) == (1, "")
    assert err == "error: no person `olehh` in people/; did you mean `oleh`?\n"


def test_workspace_errors_give_no_digest(tmp_path: Path) -> None:
    root = make_workspace(tmp_path, {**FILES, "tasks/bad.md": "---\ntitle: Bad\n---\n"})
    code, out, err = _digest(root, "--person", "anna")
    assert (code, out) == (1, "")
    assert err.endswith("error: no digest; fix the errors above first\n")


def test_markdown_and_html_escape_what_records_say(tmp_path: Path) -> None:
    files = dict(FILES)
    files["tasks/copy.md"] = files["tasks/copy.md"].replace(
        "Write copy", '"<script>alert(1)</script> *bold* [x](y)"'
    )
    root = make_workspace(tmp_path, files)
    prepared = prepare(root, TODAY, ["anna"], lambda _pid: None)
    view = prepared.digests["anna"]
    html = render_digest(view, "html")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; *bold* [x](y)" in html
    assert '<html lang="en">' in html
    assert '<a href="https://desk.example.com/tasks/copy/"' in html
    markdown = render_digest(view, "markdown")
    assert (
        "- [\\<script\\>alert(1)\\</script\\> \\*bold\\* \\[x\\](y)]"
        "(https://desk.example.com/tasks/copy/) — 3 days overdue · Site\n"
    ) in markdown
    assert markdown.startswith(
        "Good morning, Anna! Here is what is yours today.\n\n**Overdue** (1)\n"
    )


def test_links_are_site_relative_without_a_site_address(tmp_path: Path) -> None:
    """No `notify.site_url` and no mkdocs.yml `site_url`: paths within the site."""
    files = dict(FILES)
    files["workspace.yml"] = files["workspace.yml"].replace(
        "  site_url: https://desk.example.com\n", ""
    )
    root = make_workspace(tmp_path, files)
    out = _digest(root, "--person", "oleh")[1]
    assert "\n  tasks/logo/\n" in out


def test_mkdocs_site_url_when_the_workspace_has_none(tmp_path: Path) -> None:
    files = {"content/" + k: v for k, v in FILES.items()}
    files["content/workspace.yml"] = files["content/workspace.yml"].replace(
        "  site_url: https://desk.example.com\n", ""
    )
    files["mkdocs.yml"] = "site_name: X\nsite_url: https://team.example.org/desk/\n"
    root = make_workspace(tmp_path, files)
    out = _digest(root, "--person", "oleh")[1]
    assert "\n  https://team.example.org/desk/tasks/logo/\n" in out
