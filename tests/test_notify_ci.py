"""The notify CI templates run as written against a real SMTP server on 127.0.0.1: the
demo's people get their digests, once, in their own language (package installs and the
cache actions skipped: the clone keeps .plaindesk-cache/ between the two runs as the CI
cache would)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from notify_servers import SMTP_PASSWORD, SMTP_USER, Mailbox, smtp_server, text_and_html
from test_portal_ci import GIT_ENV, GITLAB, ROOT, _clone, _git, _installs, bin_dir

GITHUB_NOTIFY = ROOT / "scripts" / "ci" / "github-notify.yml"
__all__ = ["bin_dir"]  # the fixture, shared with the portal's CI tests

MAILED = {  # the demo's people with an e-mail channel and something to do on 2026-03-16
    "emily@brightline.agency": "Your day at Brightline Communications: Monday, 16 March",
    "iryna@brightline.agency": "Your day at Brightline Communications: Monday, 16 March",
    "marta@brightline.agency": "Your day at Brightline Communications: Monday, 16 March",
    "oksana@brightline.agency": "Ваш день у Brightline Communications: понеділок, 16 березня",
    "piotr@brightline.agency": "Your day at Brightline Communications: Monday, 16 March",
}


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    yield from smtp_server()


@pytest.fixture(scope="module")
def demo_origin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository holding the demo workspace (content/ and mkdocs.yml)."""
    repo = tmp_path_factory.mktemp("demo") / "repo"
    shutil.copytree(ROOT / "content", repo / "content")
    shutil.copy(ROOT / "mkdocs.yml", repo / "mkdocs.yml")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "--no-gpg-sign", "-m", "demo")
    return repo


def _github_job() -> tuple[str, dict[str, str]]:
    """The notify job's shell script and its step environment, secrets and variables
    named as the CI's store holds them."""
    job = yaml.safe_load(GITHUB_NOTIFY.read_text(encoding="utf-8"))["jobs"]["notify"]
    script = "\n".join(s["run"] for s in job["steps"] if "run" in s and not _installs(s["run"]))
    env: dict[str, str] = {}
    for step in job["steps"]:
        for name, value in (step.get("env") or {}).items():
            found = re.fullmatch(r"\$\{\{ (?:secrets|vars)\.(\w+) \}\}", value)
            assert found is not None and found.group(1) == name, (name, value)
            env[name] = ""  # unset in the store: GitHub gives an empty string
    return script, env


def _gitlab_job() -> tuple[str, dict[str, str]]:
    job = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))["notify"]
    return "\n".join(job["script"]), {}  # CI/CD variables reach every job's environment


def _store(mailbox: Mailbox) -> dict[str, str]:
    """What the CI's secret store holds in this test: the e-mail settings, no chat tokens."""
    return {
        "SMTP_USER": SMTP_USER,
        "SMTP_PASSWORD": SMTP_PASSWORD,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(mailbox.port),
        "SMTP_FROM": "desk@brightline.agency",
    }


def _run(
    script: str, cwd: Path, bin_dir: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("SMTP_", "TELEGRAM_"))}
    full = {
        **keep,
        **GIT_ENV,
        **env,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        # the demo's day at 09:05 in Kyiv: a Monday, at the hour the schedule waits for
        "PLAINDESK_NOW": "2026-03-16T09:05:00+02:00",
    }
    return subprocess.run(
        ["bash", "-eo", "pipefail", "-c", script],
        cwd=cwd,
        env=full,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize("template", ["github", "gitlab"])
def test_the_scheduled_job_mails_the_demos_people_once(
    demo_origin: Path, bin_dir: Path, tmp_path: Path, mailbox: Mailbox, template: str
) -> None:
    script, step_env = _github_job() if template == "github" else _gitlab_job()
    assert script == "plaindesk notify --scheduled"
    clone = _clone(demo_origin, tmp_path)
    env = {
        **step_env,
        **{k: v for k, v in _store(mailbox).items() if k in step_env or not step_env},
    }
    if template == "github":
        assert set(_store(mailbox)) <= set(step_env)  # the template lists each variable
    done = _run(script, clone, bin_dir, env)
    assert done.returncode == 0, (done.stdout, done.stderr)
    assert SMTP_PASSWORD not in done.stdout + done.stderr
    got = {to[0]: str(message["Subject"]) for _, to, message in mailbox.received}
    assert got == MAILED
    lines = done.stdout.splitlines()
    assert (
        "oksana-m: FAILED tgram://{TELEGRAM_BOT_TOKEN}/{TELEGRAM_CHAT_OKSANA}: not sent: "
        "TELEGRAM_BOT_TOKEN, TELEGRAM_CHAT_OKSANA are not set (tried again on the next run)"
        in lines
    )
    assert (
        "taras-b: skipped: no channels (list them under `notify:` in content/people/taras-b.md)"
        in lines
    )
    assert done.stderr.endswith("5 sent, 4 failed\n")
    oksana = next(m for _, to, m in mailbox.received if to == ["oksana@brightline.agency"])
    plain, html = text_and_html(oksana)
    assert plain.startswith("Доброго ранку, Oksana! Ось що чекає на вас сьогодні.\n")
    assert "Чекають на погодження клієнта (2)" in plain
    assert '<a href="https://desk.brightline.example/tasks/opera-homepage-hero-photos/"' in html

    # the next scheduled run that day (the cache kept the state): nothing is sent twice
    again = _run(script, clone, bin_dir, env)
    assert len(mailbox.received) == len(MAILED)
    assert (
        "iryna-s: mailto://{SMTP_USER}:{SMTP_PASSWORD}@{SMTP_HOST}:{SMTP_PORT}"
        "?from={SMTP_FROM}&to=iryna@brightline.agency: already sent today" in again.stdout
    )
    assert again.returncode == 1  # what it tried (the chat channels) failed again
