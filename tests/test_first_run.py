"""A new user's first steps: `init`, then `check` and `portal links` from the folder they
are in, whatever folder they name."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from builder.cli import cli

SECRET = "a-test-secret-of-32-characters!!"


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def test_init_starts_a_git_repository_with_search_and_says_what_next(tmp_path: Path) -> None:
    target = tmp_path / "agency"
    done = run("init", str(target))
    assert done.exit_code == 0, done.output
    assert (target / ".git").is_dir()
    assert "started a git repository in" in done.output
    assert done.output.splitlines()[-1] == (
        f'Next: cd {target} && git add -A && git commit -m "New workspace" && '
        "plaindesk check && plaindesk build"
    )
    config = (target / "mkdocs.yml").read_text(encoding="utf-8")
    assert "plugins:\n  - search\n  - plaindesk:\n" in config


def test_init_without_git_and_inside_a_repository(tmp_path: Path) -> None:
    alone = run("init", "--no-git", str(tmp_path / "alone"))
    assert alone.exit_code == 0
    assert not (tmp_path / "alone" / ".git").exists()
    assert "no git repository started (--no-git)" in alone.output
    subprocess.run(["git", "init", "-q", str(tmp_path / "repo")], check=True)
    nested = run("init", str(tmp_path / "repo" / "workspace"))
    assert nested.exit_code == 0
    assert not (tmp_path / "repo" / "workspace" / ".git").exists()
    assert "inside a git repository already" in nested.output


@pytest.mark.parametrize("named", ["{ws}", "{ws}/content", "."])
def test_check_takes_the_workspace_or_its_content_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, named: str
) -> None:
    ws = tmp_path / "agency"
    assert run("init", "--no-git", str(ws)).exit_code == 0
    monkeypatch.chdir(ws if named == "." else tmp_path)
    done = run("check", named.format(ws="agency"))
    assert done.exit_code == 0, done.output
    assert done.output == "0 errors, 0 warnings in 7 records\n"


def test_check_finds_the_content_folder_its_mkdocs_yml_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = tmp_path / "agency"
    assert run("init", "--no-git", str(ws)).exit_code == 0
    (ws / "content").rename(ws / "records")
    config = ws / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("content: content", "content: records")
    # tags MkDocs users keep in mkdocs.yml are read as nothing, never run
    config.write_text(text + "extra:\n  emoji: !!python/name:os.system\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    done = run("check", "agency", "--today", "2026-03-16")
    assert done.exit_code == 0, done.output
    bad = ws / "records" / "tasks" / "site-map.md"
    bad.write_text(bad.read_text(encoding="utf-8").replace("status: todo", "status: tood"))
    done = run("check", "agency")
    assert done.output.startswith("agency/records/tasks/site-map.md:4:9: error PD202: ")


def test_a_folder_without_records_is_an_error(tmp_path: Path) -> None:
    done = run("check", str(tmp_path))
    assert done.exit_code == 1
    assert done.output.splitlines()[0] == (
        f"{tmp_path}:1:1: error PD012: no records here: the folder has none of `people/`, "
        "`companies/`, `contacts/`, `projects/`, `tasks/`, `deals/`"
    )
    assert done.output.splitlines()[-1] == "1 error, 0 warnings in 0 records"


def test_portal_links_take_the_base_url_from_the_settings(tmp_path: Path) -> None:
    ws = tmp_path / "agency"
    assert run("init", "--no-git", str(ws)).exit_code == 0
    client = ws / "content" / "companies" / "example-client.md"
    client.write_text(
        client.read_text(encoding="utf-8").replace(
            "kind: client", "kind: client\nportal: {enabled: true}"
        )
    )
    env = {**os.environ, "PLAINDESK_PORTAL_SECRET": SECRET}
    bare = CliRunner().invoke(cli, ["portal", "links", str(ws)], env=env)
    assert bare.exit_code == 0
    assert bare.stdout.startswith("example-client\tExample Client\tportal/")
    assert "note: these paths are relative to where the portals are published" in bare.stderr
    settings = ws / "content" / "workspace.yml"
    settings.write_text(
        settings.read_text(encoding="utf-8") + "portal: {base_url: https://status.example.com/}\n"
    )
    full = CliRunner().invoke(cli, ["portal", "links", str(ws)], env=env)
    assert full.stdout.startswith(
        "example-client\tExample Client\thttps://status.example.com/portal/"
    )
    assert full.stderr == ""


def test_every_command_is_listed_for_the_lazy_group() -> None:
    import importlib

    from builder.cli import COMMANDS

    for module in set(COMMANDS.values()):
        importlib.import_module(module)
    assert sorted(cli.commands) == sorted(COMMANDS)


def test_an_edit_command_imports_neither_the_site_nor_babel() -> None:
    """`plaindesk move` should cost what it does: no MkDocs, site, portal or Babel."""
    probe = (
        "import sys\n"
        "from builder.cli import cli\n"
        "import click\n"
        "cli.get_command(click.Context(cli), 'move')\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('mkdocs', 'babel', 'jinja2')"
        " or m.startswith(('builder.site', 'builder.portal', 'builder.views', 'builder.render')))\n"
        "print(heavy)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout == "[]\n"
