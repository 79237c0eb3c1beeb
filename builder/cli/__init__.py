"""The `plaindesk` command line (click). Commands are thin: they call the pipeline and
report; logic lives in the stages. One module per group of commands; each registers its
commands on the group in `base` when imported, and the group imports a module only when
one of its commands is asked for (`base.COMMANDS`)."""

from __future__ import annotations

from builder.cli.base import COMMANDS, cli

__all__ = ["COMMANDS", "cli", "main"]


def main() -> None:
    cli()
