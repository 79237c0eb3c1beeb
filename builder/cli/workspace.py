"""`plaindesk check` and `plaindesk init`: the workspace itself."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from builder.cli.base import DEFAULT_CONTENT, TODAY, cli
from builder.pipeline import run_check
from builder.report import format_github, format_json, format_text


@cli.command(short_help="Validate the workspace and report every problem.")
@click.argument(
    "path", type=click.Path(exists=True, file_okay=False, path_type=Path), default=DEFAULT_CONTENT
)
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
    """Validate the workspace at PATH (default: ./content).

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
def init(directory: Path) -> None:
    """Create a new workspace repository in DIRECTORY (refuses to overwrite anything)."""
    from builder.scaffold import ScaffoldError, create

    try:
        written = create(directory)
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from None
    for rel in written:
        click.echo(f"created {directory / rel}")
    click.echo(f"\nNext: cd {directory} && plaindesk check && plaindesk build")
