"""`plaindesk portal links` and `plaindesk portal build` through the real command line."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from portal_cases import CANARY_FILES, SECRET, A, B, MakeWorkspace

from builder.cli import cli
from builder.portal.tokens import portal_token

ENV = {"PLAINDESK_PORTAL_SECRET": SECRET}
NO_SECRET: dict[str, str | None] = {"PLAINDESK_PORTAL_SECRET": None}


def test_build_writes_the_bundles_and_prints_no_token(
    tmp_path: Path, make_workspace: MakeWorkspace
) -> None:
    root, out = make_workspace(tmp_path, CANARY_FILES), tmp_path / "public"
    run = CliRunner().invoke(cli, ["portal", "build", str(root), "--out", str(out)], env=ENV)
    assert run.exit_code == 0, run.output
    assert run.stdout == (
        f"built the portal of {A} (Alphamark Opera & Co)\n"
        f"built the portal of {B} (Betamark Books)\n"
        f"2 client portals in {out / 'portal'} (see `plaindesk portal links`)\n"
    )
    for company in (A, B):
        token = portal_token(SECRET, company)
        assert token not in run.output  # CI logs are not the place for the keys
        assert (out / "portal" / token / "index.html").is_file()


def test_build_uses_today(tmp_path: Path, make_workspace: MakeWorkspace) -> None:
    root, out = make_workspace(tmp_path, CANARY_FILES), tmp_path / "public"
    args = ["portal", "build", str(root), "--out", str(out), "--today", "2026-04-02"]
    assert CliRunner().invoke(cli, args, env=ENV).exit_code == 0
    page = out / "portal" / portal_token(SECRET, A) / "index.html"
    assert "Last updated Apr 2, 2026" in page.read_text(encoding="utf-8")


def test_build_without_a_secret_fails_and_writes_nothing(
    tmp_path: Path, make_workspace: MakeWorkspace
) -> None:
    root, out = make_workspace(tmp_path, CANARY_FILES), tmp_path / "public"
    run = CliRunner().invoke(cli, ["portal", "build", str(root), "--out", str(out)], env=NO_SECRET)
    assert run.exit_code == 1
    assert run.stdout == ""
    assert run.stderr.startswith(
        f"error: client portal enabled for {A}, {B}, but PLAINDESK_PORTAL_SECRET is not set. "
        "No portal was built.\nhint: set PLAINDESK_PORTAL_SECRET"
    )
    assert not out.exists()


def test_build_with_workspace_errors_fails_and_writes_nothing(
    tmp_path: Path, make_workspace: MakeWorkspace
) -> None:
    files = {**CANARY_FILES, "tasks/broken.md": "---\ntitle: Broken\nproject: nowhere\n---\n"}
    root, out = make_workspace(tmp_path, files), tmp_path / "public"
    run = CliRunner().invoke(cli, ["portal", "build", str(root), "--out", str(out)], env=ENV)
    assert run.exit_code == 1
    assert run.stderr.startswith(
        f"{root / 'tasks' / 'broken.md'}:3:10: error PD201: unknown project `nowhere`\n"
    )
    assert run.stderr.endswith("error: no portal was built; fix the errors above first\n")
    assert not out.exists()


def test_links(tmp_path: Path, make_workspace: MakeWorkspace) -> None:
    root = make_workspace(tmp_path, CANARY_FILES)
    ta, tb = portal_token(SECRET, A), portal_token(SECRET, B)
    run = CliRunner().invoke(cli, ["portal", "links", str(root)], env=ENV)
    assert (run.exit_code, run.stdout) == (
        0,
        f"{A}\tAlphamark Opera & Co\tportal/{ta}/\n{B}\tBetamark Books\tportal/{tb}/\n",
    )
    args = ["portal", "links", str(root), "--base-url", "https://status.example.com"]
    run = CliRunner().invoke(cli, args, env=ENV)
    assert run.stdout.splitlines()[0] == (
        f"{A}\tAlphamark Opera & Co\thttps://status.example.com/portal/{ta}/"
    )


def test_links_without_a_secret_fail(tmp_path: Path, make_workspace: MakeWorkspace) -> None:
    root = make_workspace(tmp_path, CANARY_FILES)
    run = CliRunner().invoke(cli, ["portal", "links", str(root)], env=NO_SECRET)
    assert run.exit_code == 1
    assert run.stderr.startswith(
        f"Error: client portal enabled for {A}, {B}, but PLAINDESK_PORTAL_SECRET is not set."
    )


def test_links_when_no_portal_is_enabled(tmp_path: Path, make_workspace: MakeWorkspace) -> None:
    files = {k: v.replace("enabled: true", "enabled: false") for k, v in CANARY_FILES.items()}
    run = CliRunner().invoke(
        cli, ["portal", "links", str(make_workspace(tmp_path, files))], env=NO_SECRET
    )
    assert (run.exit_code, run.stdout) == (
        0,
        "No company has the portal enabled (set `portal: {enabled: true}`).\n",
    )
