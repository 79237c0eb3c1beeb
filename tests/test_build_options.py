"""`plaindesk build`'s portal options and locales (the strings themselves: test_i18n.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import make_workspace
from site_cases import SMALL, project

SECRET = "a-test-secret-of-32-characters!!"
PORTAL_COMPANY = "---\nname: Portal Client\nkind: client\nportal: {enabled: true}\n---\n"


def _build(
    root: Path, *args: str, secret: str | None = None, ci: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PLAINDESK_PORTAL_SECRET", "CI")}
    if ci is not None:
        env["CI"] = ci
    env["NO_MKDOCS_2_WARNING"] = "1"
    if secret is not None:
        env["PLAINDESK_PORTAL_SECRET"] = secret
    return subprocess.run(
        [sys.executable, "-m", "builder.cli", "build", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


@pytest.fixture(scope="module")
def portal_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("portal-project")
    make_workspace(root, project({**SMALL, "companies/client.md": PORTAL_COMPANY}))
    return root / "ws"


def test_a_strict_build_without_a_secret_stops_before_anything_is_written(
    portal_project: Path,
) -> None:
    for args, ci in ((["--strict"], None), ([], "true")):  # CI=true makes a build strict
        done = _build(portal_project, *args, ci=ci)
        assert done.returncode == 1
        assert "PLAINDESK_PORTAL_SECRET" in done.stderr and "--no-portal" in done.stderr
        assert not (portal_project / "site").exists()
        assert not (portal_project / "public").exists()


def test_without_a_secret_the_site_is_built_and_the_portals_skipped(tmp_path: Path) -> None:
    make_workspace(tmp_path, project({**SMALL, "companies/client.md": PORTAL_COMPANY}))
    root = tmp_path / "ws"
    first = _build(root, secret=SECRET)
    assert first.returncode == 0, first.stderr
    before = sorted(p.relative_to(root).as_posix() for p in (root / "public").rglob("*"))
    assert len(before) == 5  # portal/, its placeholder page, the bundle and its two files
    done = _build(root)
    assert done.returncode == 0, done.stderr
    warning = [line for line in done.stderr.splitlines() if line.startswith("warning:")]
    assert warning == [
        "warning: client portal enabled for client, but PLAINDESK_PORTAL_SECRET is not set. "
        "The site is built; the client portals are not (those published before stay as they "
        "are; --strict, or CI=true, makes this an error)."
    ]
    assert "\nhint: set PLAINDESK_PORTAL_SECRET to a long random string" in done.stderr
    assert (root / "site" / "index.html").is_file()
    assert sorted(p.relative_to(root).as_posix() for p in (root / "public").rglob("*")) == before
    view = [line for line in done.stderr.splitlines() if line.startswith("view it:")]
    assert view == [
        "view it: `plaindesk serve` (http://127.0.0.1:8000/), or "
        f"`python -m http.server -d {root / 'site'} 8000`"
    ]


def test_portal_only_builds_the_bundles_and_not_the_site(portal_project: Path) -> None:
    done = _build(portal_project, "--portal-only", secret=SECRET)
    assert done.returncode == 0, done.stderr
    bundles = sorted(p.parent.name for p in (portal_project / "public/portal").glob("*/index.html"))
    assert len(bundles) == 1 and len(bundles[0]) == 32
    assert not (portal_project / "site").exists()


def test_portal_only_and_no_portal_exclude_each_other(portal_project: Path) -> None:
    done = _build(portal_project, "--portal-only", "--no-portal", secret=SECRET)
    assert done.returncode == 2
    assert "exclude each other" in done.stderr


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        ("ru", ["Сводка", "Просрочено", "Воронки", 'lang="ru"']),
        ("uk", ["Зведення", "Прострочено", "Воронки", 'lang="uk"']),
    ],
)
def test_the_site_speaks_the_workspace_locale(
    tmp_path: Path, locale: str, words: list[str]
) -> None:
    settings = SMALL["workspace.yml"]
    assert isinstance(settings, str)
    content = {**SMALL, "workspace.yml": settings.replace("locale: en", f"locale: {locale}")}
    if "locale:" not in settings:
        content["workspace.yml"] = f"locale: {locale}\n" + settings
    make_workspace(tmp_path, project(content))
    done = _build(tmp_path / "ws", "--no-portal")
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "ws/site/index.html").read_text(encoding="utf-8")
    assert [w for w in words if w not in page] == []


def test_build_uses_the_workspace_portal_overrides(tmp_path: Path) -> None:
    """A workspace's own theme/portal/ restyles its bundles, through `plaindesk build` too."""
    files = {
        **project({**SMALL, "companies/client.md": PORTAL_COMPANY}),
        "theme/portal/portal.css": "body { --agency-brand: #123456; }\n",
    }
    make_workspace(tmp_path, files)
    done = _build(tmp_path / "ws", "--portal-only", secret=SECRET)
    assert done.returncode == 0, done.stderr
    [bundle] = (tmp_path / "ws/public/portal").glob("*/index.html")
    assert "--agency-brand: #123456" in bundle.read_text(encoding="utf-8")
