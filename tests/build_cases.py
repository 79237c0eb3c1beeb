"""Helpers of the build-safety tests: a small project in a git repository whose client has a
portal, builds in a subprocess, and what a build may leave behind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import make_workspace
from site_cases import SMALL, project, snapshot_files

from builder.output import MARKER, STAGING
from builder.portal.tokens import SECRET_ENV, portal_token

SECRET = "a-test-secret-of-32-characters!!"
CLIENT = "---\nname: Portal Client\nkind: client\nportal: {enabled: true}\n---\n"
# .plaindesk/tmp/ is left out on purpose: the staging folder must ignore itself
GITIGNORE = "site/\npublic/\n.plaindesk/docs/\n"
GIT_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "T",
    "GIT_AUTHOR_EMAIL": "t@example.org",
    "GIT_COMMITTER_NAME": "T",
    "GIT_COMMITTER_EMAIL": "t@example.org",
}
TOKEN = portal_token(SECRET, "client")


def git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args],
        cwd=root,
        env={**os.environ, **GIT_ENV},
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def untracked(root: Path) -> list[str]:
    """What `git add -A` would pick up that is not ours."""
    lines = git(root, "status", "--porcelain", "--untracked-files=all").splitlines()
    return [line[3:] for line in lines if line.startswith("??")]


def subprocess_build(
    root: Path, *args: str, secret: str | None = SECRET, prefix: list[str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in (SECRET_ENV, "PLAINDESK_TODAY")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    if secret is not None:
        env[SECRET_ENV] = secret
    return subprocess.run(
        [*(prefix or []), sys.executable, "-m", "builder.cli", "build", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def new_project(where: Path) -> Path:
    """A git repository holding a small project whose client has a portal."""
    files = project({**SMALL, "companies/client.md": CLIENT})
    root = make_workspace(where, {**files, ".gitignore": GITIGNORE})
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "--no-gpg-sign", "-m", "workspace")
    return root


def everything(root: Path) -> dict[str, bytes]:
    return snapshot_files(root)


def published(root: Path) -> tuple[dict[str, bytes], dict[str, bytes]]:
    return snapshot_files(root / "site"), snapshot_files(root / "public")


def temporaries(root: Path) -> list[str]:
    """Whatever a build left: staged folders, and the dot-folders of earlier versions."""
    staged = root / STAGING
    found = [p for p in staged.glob("*") if p.name != ".gitignore"] if staged.is_dir() else []
    for folder in (root, root / "public", root / "site", root / "public" / "portal"):
        known = {".git", ".gitignore", ".plaindesk", ".plaindesk-cache", MARKER}
        found += [p for p in folder.glob(".*") if p.name not in known]
    return sorted(p.relative_to(root).as_posix() for p in found)


def rename_client(root: Path, name: str = "Portal Client Renamed") -> None:
    """A change that shows on the site and in the portal bundle."""
    (root / "content/companies/client.md").write_text(
        CLIENT.replace("Portal Client", name), "utf-8"
    )


def break_content(root: Path) -> None:
    (root / "content/tasks/broken.md").write_text(
        "---\ntitle: Broken\nproject: nowhere\n---\n", "utf-8"
    )
