"""`plaindesk check` and `plaindesk init`: the workspace itself."""

from __future__ import annotations

import shlex
import sys
from datetime import date
from pathlib import Path

import click

from builder.cli.base import TODAY, WORKSPACE, cli
from builder.pipeline import run_check
from builder.report import format_github, format_json, format_text


@cli.command(short_help="Validate the workspace and report every problem.")
@WORKSPACE
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@TODAY
def check(path: Path, fmt: str, strict: bool, today: date | None) -> None:
    """Validate the workspace at PATH (default: here).

    PATH is a workspace (the folder with mkdocs.yml) or its content folder.

    Exit status: 0 clean, 1 errors (or warnings with --strict), 2 usage error.
    """
    result = run_check(path, today)
    summary = result.summary()
    if fmt == "json":
        counts: dict[str, object] = {
            "errors": len(result.errors),
            "warnings": len(result.warnings),
            "records": result.files,
            "today": result.today.isoformat(),
        }
        click.echo(format_json(result.problems, summary, counts), nl=False)
    elif fmt == "github":
        click.echo(format_github(result.problems, summary), nl=False)
    else:
        click.echo(format_text(result.problems, summary), nl=False)
    failed = bool(result.errors) or (strict and bool(result.warnings))
    sys.exit(1 if failed else 0)


@cli.command(short_help="Create a new workspace repository.")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--no-git", is_flag=True, help="Do not start a git repository.")
def init(directory: Path, no_git: bool) -> None:
    """Create a new workspace repository in DIRECTORY (refuses to overwrite anything).

    The workspace is a git repository (unless --no-git, or DIRECTORY is already inside
    one): the site's activity feed and card history come from its commits.
    """
    from builder.scaffold import ScaffoldError, create, inside_git, start_git

    try:
        written = create(directory)
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from None
    for rel in written:
        click.echo(f"created {directory / rel}")
    steps = [f"cd {shlex.quote(str(directory))}"]
    if no_git:
        click.echo("no git repository started (--no-git): the site will show no history")
    elif inside_git(directory):
        click.echo("inside a git repository already: commit the new files there")
    else:
        failed = start_git(directory)
        if failed is None:
            click.echo(f"started a git repository in {directory}")
            steps.append('git add -A && git commit -m "New workspace"')
        else:
            click.echo(f"warning: no git repository started: {failed}", err=True)
    steps += ["plaindesk check", "plaindesk build"]
    click.echo("\nNext: " + " && ".join(steps))
