"""The `plaindesk` command line (click). Commands are thin: they call the pipeline and
report; logic lives in the stages."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from builder import __version__
from builder.pipeline import run_check
from builder.report import format_github, format_json, format_text
from builder.validate.values import parse_date

DEFAULT_CONTENT = "content"


class DateType(click.ParamType):  # type: ignore[type-arg]
    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return parse_date(str(value))
        except ValueError as exc:
            self.fail(f"{value!r} is not a date ({exc}); use YYYY-MM-DD", param, ctx)


TODAY = click.option(
    "--today",
    type=DateType(),
    default=None,
    help="Treat this date as today (YYYY-MM-DD). Default: the workspace's "
    "pinned `today`, else the current date in its time zone.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="plaindesk")
def cli() -> None:
    """Plaindesk: an agency's CRM, task tracker and client portal as Markdown in git."""


@cli.command()
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


@cli.command()
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


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
