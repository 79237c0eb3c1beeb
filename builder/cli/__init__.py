"""The `plaindesk` command line (click). Commands are thin: they call the pipeline and
report; logic lives in the stages. One module per group of commands; each registers its
commands on the group in `base` when imported here."""

from __future__ import annotations

from builder.cli import edit, portal, site, workspace
from builder.cli.base import cli

__all__ = ["cli", "edit", "main", "portal", "site", "workspace"]


def main() -> None:
    cli()
