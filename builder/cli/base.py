"""What every command shares: the `plaindesk` group, `--today`, `--config-file`."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

import click

from builder import __version__
from builder.validate.values import parse_date

DEFAULT_CONTENT = "content"


class WorkspaceType(click.Path):
    """A workspace folder (with `mkdocs.yml`) or a content folder, given as the content
    folder (see `builder.load.locate`)."""

    name = "WORKSPACE"

    def __init__(self) -> None:
        super().__init__(exists=True, file_okay=False, path_type=Path)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from builder.load.locate import content_folder

        given = super().convert(value, param, ctx)
        return content_folder(Path(os.fsdecode(given)))


#: The PATH argument of the commands that read a workspace: the current folder by default.
WORKSPACE = click.argument("path", type=WorkspaceType(), default=".")


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


CONFIG = click.option(
    "-f",
    "--config-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("mkdocs.yml"),
    show_default=True,
    help="The site's mkdocs.yml (its plaindesk plugin names the content).",
)
