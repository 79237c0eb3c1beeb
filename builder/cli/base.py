"""What every command shares: the `plaindesk` group, `--today`, `--config-file`."""

from __future__ import annotations

import importlib
import os
from datetime import date
from pathlib import Path
from typing import Any

import click

from builder import __version__

DEFAULT_CONTENT = "content"


class WorkspaceType(click.Path):
    """A workspace folder (with `mkdocs.yml`) or a content folder, given as the content
    folder (see `builder.load.locate`)."""

    name = "WORKSPACE"

    def __init__(self, exists: bool = True) -> None:
        super().__init__(exists=exists, file_okay=False, path_type=Path)

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
        from builder.validate.values import parse_date

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


#: command -> the module that defines it (and registers it on `cli` when imported)
COMMANDS = {
    "init": "builder.cli.workspace",
    "check": "builder.cli.workspace",
    "build": "builder.cli.site",
    "serve": "builder.cli.site",
    "portal": "builder.cli.portal",
    "new": "builder.cli.edit",
    "move": "builder.cli.edit",
    "done": "builder.cli.edit",
    "log": "builder.cli.edit",
    "note": "builder.cli.edit",
    "follow-up": "builder.cli.edit",
    "assign": "builder.cli.edit",
    "due": "builder.cli.edit",
    "export": "builder.cli.reports",
}


class LazyGroup(click.Group):
    """A group that imports a command's module only when the command is asked for, so that
    `plaindesk move` does not pay for the site's, the portal's and MkDocs' imports (a
    command should take what it does, not what the others need)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            importlib.import_module(COMMANDS[cmd_name])
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
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
