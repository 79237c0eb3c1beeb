"""The CI templates of scripts/ci/ run as written: their shell commands, in a fresh clone of
a workspace made by `plaindesk init` (package installs skipped: Plaindesk is installed here).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from builder.portal.tokens import portal_token

ROOT = Path(__file__).resolve().parent.parent
GITHUB = ROOT / "scripts" / "ci" / "github-actions.yml"
GITLAB = ROOT / "scripts" / "ci" / "gitlab-ci.yml"
SECRET = "ci-secret-0123456789abcdef"
GIT_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "CI Test",
    "GIT_AUTHOR_EMAIL": "ci@example.org",
    "GIT_COMMITTER_NAME": "CI Test",
    "GIT_COMMITTER_EMAIL": "ci@example.org",
}


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", *args], cwd=cwd, env={**os.environ, **GIT_ENV}, check=True, capture_output=True
    )


@pytest.fixture(scope="module")
def bin_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A `plaindesk` on PATH that is this checkout, run by this interpreter."""
    folder = tmp_path_factory.mktemp("bin")
    exe = folder / "plaindesk"
    exe.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m builder.cli "$@"\n')
    exe.chmod(0o755)
    return folder


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory, bin_dir: Path) -> Path:
    """A repository made by `plaindesk init`, with the example client's portal enabled."""
    base = tmp_path_factory.mktemp("origin")
    subprocess.run(
        [str(bin_dir / "plaindesk"), "init", "repo"], cwd=base, check=True, capture_output=True
    )
    repo = base / "repo"
    company = repo / "content" / "companies" / "example-client.md"
    text = company.read_text(encoding="utf-8")
    company.write_text(
        text.replace(
            "website: https://example.com\n",
            "website: https://example.com\nportal:\n  enabled: true\n",
        ),
        encoding="utf-8",
    )
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "--no-gpg-sign", "-m", "workspace")
    return repo


def _clone(origin: Path, where: Path) -> Path:
    _git(where, "clone", "-q", str(origin), "clone")
    return where / "clone"


def _run(
    script: str, cwd: Path, bin_dir: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if k != "PLAINDESK_PORTAL_SECRET"}
    full.update(env, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}", PLAINDESK="plaindesk")
    return subprocess.run(
        ["bash", "-eo", "pipefail", "-c", script], cwd=cwd, env=full, capture_output=True, text=True
    )


def _installs(script: str) -> bool:
    return script.strip().startswith(("pip ", "python -m pip "))


def _fill(env: dict[str, str] | None) -> dict[str, str]:
    return {
        k: SECRET if "secrets.PLAINDESK_PORTAL_SECRET" in v else v for k, v in (env or {}).items()
    }


def _jobs(template: Path) -> dict[str, tuple[str, dict[str, str]]]:
    """Job -> (its shell script without package installs, its environment)."""
    doc = yaml.safe_load(template.read_text(encoding="utf-8"))
    if template == GITHUB:
        return {
            name: (
                "\n".join(s["run"] for s in job["steps"] if "run" in s and not _installs(s["run"])),
                {k: v for s in job["steps"] for k, v in _fill(s.get("env")).items()},
            )
            for name, job in doc["jobs"].items()
        }
    jobs = {name: job for name, job in doc.items() if isinstance(job, dict) and "script" in job}
    secret = {"PLAINDESK_PORTAL_SECRET": SECRET}  # a project CI/CD variable: every job has it
    return {name: ("\n".join(job["script"]), secret) for name, job in jobs.items()}


@pytest.mark.parametrize(
    ("template", "job", "made"),
    [
        (GITHUB, "check", []),
        (GITHUB, "site", ["site/index.html"]),
        (GITHUB, "portal", ["public/portal/{token}/index.html", "public/robots.txt"]),
        (GITLAB, "check", []),
        (GITLAB, "site", ["site/index.html"]),
        (GITLAB, "pages", ["public/portal/{token}/index.html", "public/robots.txt"]),
    ],
    ids=lambda v: v.stem if isinstance(v, Path) else None,
)
def test_each_job_runs_in_a_fresh_clone(
    origin: Path, bin_dir: Path, tmp_path: Path, template: Path, job: str, made: list[str]
) -> None:
    """Each job starts from its own checkout, as on the CI host."""
    script, env = _jobs(template)[job]
    clone = _clone(origin, tmp_path)
    done = _run(script, clone, bin_dir, env)
    assert done.returncode == 0, (done.stdout, done.stderr)
    token = portal_token(SECRET, "example-client")
    assert [rel for rel in made if not (clone / rel.format(token=token)).is_file()] == []
    assert token not in done.stdout + done.stderr  # no link in the CI log


def test_the_templates_commands() -> None:
    assert {job: script for job, (script, _) in _jobs(GITHUB).items()} == {
        "check": "plaindesk check --format github",
        "site": "plaindesk build --no-portal --site-dir site",
        "portal": "plaindesk portal build --out public\n"
        "printf 'User-agent: *\\nDisallow: /\\n' > public/robots.txt\n",
    }
    assert {job: script for job, (script, _) in _jobs(GITLAB).items()} == {
        "check": "plaindesk check",
        "site": "plaindesk build --no-portal --site-dir site",
        "pages": "plaindesk portal build --out public\n"
        "printf 'User-agent: *\\nDisallow: /\\n' > public/robots.txt\n",
        "notify": "plaindesk notify --scheduled",
    }
    gitlab = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    # a pipeline schedule runs only the digests; pushes never do
    assert gitlab["notify"]["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "schedule"'}]
    for job in ("check", "site", "pages"):
        assert gitlab[job]["rules"][0] == {
            "if": '$CI_PIPELINE_SOURCE == "schedule"',
            "when": "never",
        }
    assert gitlab["variables"]["GIT_DEPTH"] == "0"
    assert [_installs(line) for line in gitlab["default"]["before_script"]] == [True]
    assert gitlab["pages"]["artifacts"]["paths"] == ["public"]


def test_github_template_gives_the_secret_to_the_portal_step_only() -> None:
    text = GITHUB.read_text(encoding="utf-8")
    assert text.count("secrets.") == 1
    workflow = yaml.safe_load(text)
    assert workflow["permissions"] == {"contents": "read"}
    site_checkout = workflow["jobs"]["site"]["steps"][0]
    assert site_checkout["with"] == {"fetch-depth": 0}  # history for the activity feed
    assert workflow["jobs"]["portal"]["permissions"] == {
        "contents": "read",
        "pages": "write",
        "id-token": "write",
    }


def test_github_portal_step_without_the_secret_publishes_nothing(
    origin: Path, bin_dir: Path, tmp_path: Path
) -> None:
    """A forgotten secret fails the job (before the Pages upload), never a public page."""
    script, _ = _jobs(GITHUB)["portal"]
    clone = _clone(origin, tmp_path)
    done = _run(script, clone, bin_dir, {"PLAINDESK_PORTAL_SECRET": ""})
    assert done.returncode == 1
    assert done.stderr.startswith(
        "error: client portal enabled for example-client, but PLAINDESK_PORTAL_SECRET is not set."
    )
    assert not (clone / "public").exists()
