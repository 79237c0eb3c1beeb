"""`plaindesk portal ...`: the client portals on their own."""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

import click

from builder.cli.base import TODAY, WORKSPACE, cli
from builder.pipeline import run_check
from builder.report import format_text


@cli.group(short_help="Client portals: a private status page per client.")
def portal() -> None:
    """Client portals: one private, self-contained status page per client.

    Links are derived from the secret in the PLAINDESK_PORTAL_SECRET environment variable
    (at least 16 characters); changing the secret changes every client's link.
    """


@portal.command("links", short_help="Print each client's portal link.")
@WORKSPACE
@click.option(
    "--base-url",
    default="",
    metavar="URL",
    help="Root of the published portal site, e.g. https://status.example.com/ "
    "(default: `portal.base_url` in workspace.yml).",
)
def portal_links(path: Path, base_url: str) -> None:
    """Print each portal-enabled client's link (keep them private: they are the key)."""

    from builder.portal import SECRET_ENV, PortalSecretError
    from builder.portal import portal_links as links_of

    result = run_check(path)
    try:
        links = links_of(result, os.environ.get(SECRET_ENV))
    except PortalSecretError as exc:
        raise click.ClickException(str(exc)) from None
    if result.errors:
        click.echo(f"warning: {result.summary()}; run `plaindesk check`", err=True)
    if not links:
        click.echo("No company has the portal enabled (set `portal: {enabled: true}`).")
    base_url = base_url or result.workspace.settings.portal.base_url
    if links and not base_url:
        click.echo(
            "note: these paths are relative to where the portals are published; set "
            "`portal: {base_url: https://...}` in workspace.yml (or pass --base-url) to print "
            "whole links",
            err=True,
        )
    for link in links:
        click.echo(f"{link.company_id}\t{link.company_name}\t{link.url(base_url)}")


@portal.command("build", short_help="Build only the client portals.")
@WORKSPACE
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("public"),
    show_default=True,
    help="Output folder, as `plaindesk build --portal-dir`; the bundles go to "
    "OUT/portal/<token>/ (that folder is replaced).",
)
@TODAY
def portal_build(path: Path, out: Path, today: date | None) -> None:
    """Build only the client portals of the workspace at PATH (default: here).

    Exit status: 0 built, 1 workspace errors, no usable secret or a refused or failed
    output folder (nothing is replaced).
    """

    from builder.output import OutputError, Transaction, guarded_folders, os_reason
    from builder.portal import (
        SECRET_ENV,
        PortalError,
        refuse_unsafe_out,
        render_portals,
        stage_portals,
        sweep_legacy,
    )

    result = run_check(path, today)
    if result.errors:
        click.echo(format_text(result.errors, result.summary()), nl=False, err=True)
        click.echo("error: no portal was built; fix the errors above first", err=True)
        sys.exit(1)
    content = path.resolve()
    secret = os.environ.get(SECRET_ENV)
    try:
        portals = render_portals(result, secret, theme_dir=content.parent / "theme" / "portal")
        with Transaction(content.parent) as swap:
            refuse_unsafe_out(out.resolve(), guarded_folders(content, content.parent), "--out")
            sweep_legacy(out.resolve())
            try:
                outcome = stage_portals(portals, out.resolve(), swap, result, secret)
            except OSError as exc:
                raise OutputError(
                    f"could not write the portals: {os_reason(exc)}; nothing was replaced"
                ) from None
            swap.commit()
    except (PortalError, OutputError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    # The links themselves are not printed: CI logs are often readable by more people
    # than the clients' pages should be. `plaindesk portal links` shows them.
    bundles = outcome.bundles if outcome else []
    for bundle in bundles:
        click.echo(f"built the portal of {bundle.company_id} ({bundle.company_name})")
    for removed in outcome.removed if outcome else []:
        click.echo(removed.describe())
    click.echo(
        f"{len(bundles)} client portal{'s' if len(bundles) != 1 else ''} in {out / 'portal'}"
        " (see `plaindesk portal links`)"
    )
