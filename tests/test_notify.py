"""`plaindesk notify`: digests delivered through Apprise to real servers on 127.0.0.1 (an
SMTP server, an HTTP server for webhooks), once a day per person and channel, a failing
channel reported and retried, secrets only from the environment and never printed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from click.testing import CliRunner
from conftest import make_workspace
from digest_cases import FILES
from notify_servers import (
    SMTP_PASSWORD,
    SMTP_USER,
    Hooks,
    Mailbox,
    free_port,
    smtp_server,
    text_and_html,
    webhook_server,
)

from builder.cli import cli
from builder.notify.state import load_state

MAIL = (
    "mailto://{SMTP_USER}:{SMTP_PASSWORD}@127.0.0.1:{SMTP_PORT}"
    "?from=desk@example.com&to=%s&name=Бюро Test"
)


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    yield from smtp_server()


@pytest.fixture
def hooks() -> Iterator[Hooks]:
    yield from webhook_server()


def _person(name: str, channels: list[str], more: str = "") -> str:
    listed = "".join(f'  - "{c}"\n' for c in channels)
    return f"---\nname: {name}\ncapacity: 40\n{more}notify:\n{listed}---\n"


def _workspace(tmp_path: Path, anna: list[str], oleh: list[str] | None = None) -> Path:
    files = {
        **FILES,
        "people/anna.md": _person("Анна Коваленко", anna, "email: anna@example.com\nlocale: uk\n"),
    }
    if oleh is not None:
        files["people/oleh.md"] = _person("Oleh Petrenko", oleh).replace(
            "capacity: 40", "capacity: 10"
        )
    return make_workspace(tmp_path, files)


def _env(mailbox: Mailbox | None = None, hooks: Hooks | None = None) -> dict[str, str]:
    env = {"SMTP_USER": SMTP_USER, "SMTP_PASSWORD": SMTP_PASSWORD}
    if mailbox is not None:
        env["SMTP_PORT"] = str(mailbox.port)
    if hooks is not None:
        env["HOOK_PORT"] = str(hooks.port)
    return env


def _notify(root: Path, env: dict[str, str], *args: str) -> tuple[int, str]:
    done = CliRunner().invoke(
        cli,
        ["notify", str(root), "--today", "2026-03-16", "--now", "2026-03-16T09:05:00", *args],
        env=env,
    )
    out = done.output
    assert SMTP_PASSWORD not in out  # never a secret in the log
    return done.exit_code, out


def test_an_email_digest_reaches_a_real_smtp_server(tmp_path: Path, mailbox: Mailbox) -> None:
    """Subject, recipients, a plain-text and an HTML part, Cyrillic in the subject, the
    sender's name and the body, all readable back."""
    root = _workspace(tmp_path, [MAIL % "anna@example.com"])
    code, out = _notify(root, _env(mailbox), "--only", "anna")
    assert code == 0, out
    assert out == (f"anna: sent to {MAIL % 'anna@example.com'}\n1 sent, 0 failed\n")
    assert len(mailbox.received) == 1
    sender, recipients, message = mailbox.received[0]
    assert (sender, recipients) == ("desk@example.com", ["anna@example.com"])
    assert message["Subject"] == "Ваш день у Test Agency: понеділок, 16 березня"
    assert message["To"] == "anna@example.com"
    assert str(message["From"]) == "Бюро Test <desk@example.com>"
    assert message.get_content_type() == "multipart/alternative"
    plain, html = text_and_html(message)
    assert plain.startswith("Доброго ранку, Анна! Ось що чекає на вас сьогодні.\n")
    assert "Прострочено більш ніж на 3 дні (2)" in plain
    assert "3 відкриті задачі · 1 прострочена · 2 з терміном цього тижня" in plain
    assert '<html lang="uk">' in html
    assert '<a href="https://desk.example.com/tasks/copy/"' in html
    assert "Write copy" in html and "прострочено на 3 дні" in html


def test_webhooks_get_the_text_digest(tmp_path: Path, hooks: Hooks) -> None:
    root = _workspace(
        tmp_path,
        [],
        [
            "json://127.0.0.1:{HOOK_PORT}/hook",
            "form://127.0.0.1:{HOOK_PORT}/form",
        ],
    )
    code, out = _notify(root, _env(hooks=hooks), "--only", "oleh")
    assert code == 0, out
    assert [(path, kind.split(";")[0]) for path, kind, _ in hooks.received] == [
        ("/hook", "application/json"),
        ("/form", "application/x-www-form-urlencoded"),
    ]
    posted = json.loads(hooks.received[0][2])
    assert posted["title"] == "Your day at Test Agency: Monday, 16 March"
    assert posted["message"].startswith("Good morning, Oleh! Here is what is yours today.\n\n")
    assert (
        "- Logo — 6 days overdue · Site\n  https://desk.example.com/tasks/logo/\n"
        in (posted["message"])
    )
    form = parse_qs(hooks.received[1][2].decode())
    assert form["message"] == [posted["message"]]


def test_once_a_day_per_person_and_channel(tmp_path: Path, mailbox: Mailbox) -> None:
    """A re-run the same day sends nothing; --force sends again; the state says when."""
    root = _workspace(tmp_path, [MAIL % "anna@example.com"])
    state = tmp_path / "state.json"
    assert _notify(root, _env(mailbox), "--only", "anna", "--state", str(state))[0] == 0
    code, out = _notify(root, _env(mailbox), "--only", "anna", "--state", str(state))
    assert code == 0
    assert out == f"anna: {MAIL % 'anna@example.com'}: already sent today\n0 sent, 0 failed\n"
    assert len(mailbox.received) == 1
    saved = load_state(state)
    sent = saved.sent["anna"][MAIL % "anna@example.com"]
    assert (sent.at.isoformat(), sent.day.isoformat()) == (
        "2026-03-16T09:05:00+02:00",
        "2026-03-16",
    )
    assert SMTP_PASSWORD not in state.read_text(encoding="utf-8")
    assert _notify(root, _env(mailbox), "--only", "anna", "--state", str(state), "--force")[0] == 0
    assert len(mailbox.received) == 2


def test_the_default_state_lives_in_the_cache_folder(tmp_path: Path, mailbox: Mailbox) -> None:
    root = _workspace(tmp_path, [MAIL % "anna@example.com"])
    assert _notify(root, _env(mailbox), "--only", "anna")[0] == 0
    assert (root / ".plaindesk-cache" / "notify-state.json").is_file()


def test_one_failing_channel_among_three(tmp_path: Path, mailbox: Mailbox, hooks: Hooks) -> None:
    """The others still go, the run succeeds, and the next run retries only the failed."""
    closed = free_port()
    channels = [
        MAIL % "anna@example.com",
        f"json://127.0.0.1:{closed}/down",
        "form://127.0.0.1:{HOOK_PORT}/form",
    ]
    root = _workspace(tmp_path, channels)
    env = _env(mailbox, hooks)
    code, out = _notify(root, env, "--only", "anna")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"anna: sent to {channels[0]}"
    assert lines[1].startswith(f"anna: FAILED {channels[1]}: ")
    assert lines[1].endswith(" (tried again on the next run)")
    assert lines[2:] == [f"anna: sent to {channels[2]}", "2 sent, 1 failed"]
    assert (len(mailbox.received), len(hooks.received)) == (1, 1)
    code, out = _notify(root, env, "--only", "anna")
    assert code == 1  # the one it tried failed again: everything it tried failed
    assert out.splitlines()[0] == f"anna: {channels[0]}: already sent today"
    assert out.splitlines()[1].startswith(f"anna: FAILED {channels[1]}: ")
    assert (len(mailbox.received), len(hooks.received)) == (1, 1)


def test_a_missing_variable_is_said_and_the_rest_still_go(
    tmp_path: Path, hooks: Hooks, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _workspace(
        tmp_path,
        ["json://{HOOK_USER}:{HOOK_PASSWORD}@127.0.0.1:{HOOK_PORT}/a"],
        ["json://127.0.0.1:{HOOK_PORT}/b"],
    )
    code, out = _notify(Path("ws"), _env(hooks=hooks))
    assert code == 0
    assert out.splitlines() == [
        "anna: FAILED json://{HOOK_USER}:{HOOK_PASSWORD}@127.0.0.1:{HOOK_PORT}/a: "
        "not sent: HOOK_USER, HOOK_PASSWORD are not set (tried again on the next run)",
        "oleh: sent to json://127.0.0.1:{HOOK_PORT}/b",
        "1 sent, 1 failed",
    ]


def test_everything_failing_exits_non_zero(tmp_path: Path) -> None:
    root = _workspace(tmp_path, ["json://127.0.0.1:{NOPE_PORT}/a"])
    code, out = _notify(root, {}, "--only", "anna")
    assert code == 1
    assert out == (
        "anna: FAILED json://127.0.0.1:{NOPE_PORT}/a: not sent: NOPE_PORT is not set "
        "(tried again on the next run)\n0 sent, 1 failed\n"
    )


def test_a_person_without_channels_is_skipped_and_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The inactive (ivan) get no digest at all."""
    monkeypatch.chdir(tmp_path)
    make_workspace(tmp_path, FILES)
    code, out = _notify(Path("ws"), {})
    assert code == 0
    assert out == (
        "anna: skipped: no channels (list them under `notify:` in ws/people/anna.md)\n"
        "oleh: skipped: no channels (list them under `notify:` in ws/people/oleh.md)\n"
        "0 sent, 0 failed\n"
    )


def test_dry_run_says_what_would_go_where_and_sends_nothing(
    tmp_path: Path, mailbox: Mailbox
) -> None:
    root = _workspace(tmp_path, [MAIL % "anna@example.com", "tgram://{TELEGRAM_TOKEN}/12345"])
    code, out = _notify(root, _env(mailbox), "--only", "anna", "--dry-run")
    assert code == 0
    lines = out.splitlines()
    assert lines[:3] == [
        f"anna: would send to {MAIL % 'anna@example.com'}: "
        "Ваш день у Test Agency: понеділок, 16 березня",
        "anna: would send to tgram://{TELEGRAM_TOKEN}/12345 (not set: TELEGRAM_TOKEN): "
        "Ваш день у Test Agency: понеділок, 16 березня",
        "Доброго ранку, Анна! Ось що чекає на вас сьогодні.",
    ]
    assert mailbox.received == []
    assert not (root / ".plaindesk-cache").exists()


def test_the_scheduled_run_waits_for_the_hour_on_weekdays(tmp_path: Path, mailbox: Mailbox) -> None:
    """`notify.hour` defaults to 9 in the workspace's zone (Kyiv, UTC+2 in March)."""
    root = _workspace(tmp_path, [MAIL % "anna@example.com"])
    runner = CliRunner()

    def run(now: str) -> tuple[int, str]:
        done = runner.invoke(
            cli,
            ["notify", str(root), "--scheduled", "--now", now, "--today", "2026-03-16"],
            env=_env(mailbox),
        )
        return done.exit_code, done.output

    assert run("2026-03-16T06:05:00+00:00") == (
        0,
        "not now: digests go on weekdays from 09:00 (Europe/Kyiv); it is Mon 08:05 there\n",
    )
    assert run("2026-03-14T09:05:00+02:00") == (
        0,
        "not now: digests go on weekdays from 09:00 (Europe/Kyiv); it is Sat 09:05 there\n",
    )
    assert mailbox.received == []
    code, out = run("2026-03-16T07:05:00+00:00")
    assert code == 0 and out.endswith("1 sent, 0 failed\n")
    assert len(mailbox.received) == 1


def test_a_broken_state_file_is_said_and_replaced(tmp_path: Path, mailbox: Mailbox) -> None:
    root = _workspace(tmp_path, [MAIL % "anna@example.com"])
    state = tmp_path / "state.json"
    state.write_text("{not json", encoding="utf-8")
    code, out = _notify(root, _env(mailbox), "--only", "anna", "--state", str(state))
    assert code == 0
    assert out.startswith(f"warning: ignored {state}: ")
    assert load_state(state).problem == ""
