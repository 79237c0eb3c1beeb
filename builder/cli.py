"""The `plaindesk` command line (click). Commands are thin: they call the pipeline and
report; logic lives in the stages."""

from __future__ import annotations

import logging
import os
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


CONFIG = click.option(
    "-f",
    "--config-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("mkdocs.yml"),
    show_default=True,
    help="The site's mkdocs.yml (its plaindesk plugin names the content).",
)


@cli.command()
@CONFIG
@click.option(
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where the internal site goes (default: mkdocs.yml's site_dir).",
)
@click.option(
    "--portal-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("public"),
    show_default=True,
    help="Where client portals go: PORTAL_DIR/portal/<token>/, separate from the site.",
)
@click.option("--portal-only", is_flag=True, help="Build only the client portals.")
@click.option("--no-portal", is_flag=True, help="Build only the internal site.")
@TODAY
def build(
    config_file: Path,
    site_dir: Path | None,
    portal_dir: Path,
    portal_only: bool,
    no_portal: bool,
    today: date | None,
) -> None:
    """Check the workspace, then build the team's site and the client portals.

    Nothing is replaced unless the whole build succeeds: errors leave the previous site and
    portals. Folders that hold the workspace or files a build did not write are refused.
    Exit status: 0 built, 1 workspace errors, a refused folder or a failed build, 2 usage error.
    """
    from builder.output import OutputError, Transaction
    from builder.portal import SECRET_ENV
    from builder.site.build import (
        BuildError,
        build_all,
        check_for_build,
        check_outputs,
        read_config,
    )

    if portal_only and no_portal:
        raise click.UsageError("--portal-only and --no-portal exclude each other")
    _quiet_mkdocs()
    try:
        cfg = read_config(config_file, site_dir)
        portals_to = None if no_portal else portal_dir.resolve()
        with Transaction(cfg.config_file.parent) as swap:
            check_outputs(cfg, site=not portal_only, portal_dir=portals_to)
            result = check_for_build(cfg.content, today)
            if result.problems:
                click.echo(format_text(result.problems, result.summary()), nl=False, err=True)
            if result.errors:
                raise BuildError(
                    "nothing was built; fix the errors above (the previous site is unchanged)"
                )
            portals = (
                None
                if no_portal
                else _prepare_portals(result, cfg.config_file.parent / "theme" / "portal")
            )
            built = build_all(
                cfg,
                result,
                swap,
                site=not portal_only,
                portals=portals,
                portal_dir=portals_to,
                secret=os.environ.get(SECRET_ENV),
            )
    except (BuildError, OutputError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    if built.site is not None:
        click.echo(f"site: {built.site} ({result.summary()})", err=True)
    if built.portals is not None:
        for removed in built.portals.removed:
            click.echo(f"portals: {removed.describe()}", err=True)
        count = len(built.portals.bundles)
        shown = portal_dir / "portal"
        click.echo(f"portals: {count} client bundle(s) in {shown}", err=True)


def _prepare_portals(result: Any, overrides: Path) -> Any:
    """Render the portals before the site is built, so that a missing secret stops the
    build before anything is written; `overrides` is the workspace's own theme/portal/,
    as `plaindesk portal build` uses."""
    from builder.portal import SECRET_ENV, PortalError, PortalSecretError, render_portals
    from builder.portal import portal_links as links_of
    from builder.site.build import BuildError

    secret = os.environ.get(SECRET_ENV)
    try:
        links_of(result, secret)
    except PortalSecretError as exc:
        raise BuildError(f"{exc} (or pass --no-portal to build only the internal site)") from None
    try:
        return render_portals(result, secret, theme_dir=overrides)
    except PortalError as exc:
        raise BuildError(str(exc)) from None


@cli.command()
@CONFIG
@click.option(
    "-a",
    "--dev-addr",
    default="127.0.0.1:8000",
    show_default=True,
    metavar="IP:PORT",
    help="Address to serve on.",
)
@TODAY
def serve(config_file: Path, dev_addr: str, today: date | None) -> None:
    """Serve the site, rebuilding what an edit changes and reloading the browser.

    A bad edit shows its problems in the terminal and on the site's Problems page; the
    server keeps running.
    """
    import os

    from mkdocs.commands.serve import serve as mkdocs_serve

    from builder.site.build import BuildError, read_config

    _quiet_mkdocs(level=logging.INFO)
    try:
        read_config(config_file)
    except BuildError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    if today is not None:
        os.environ["PLAINDESK_TODAY"] = today.isoformat()
    # serve rebuilds only what changed by design; MkDocs warns about that on every rebuild
    logging.getLogger("mkdocs.commands.build").addFilter(
        lambda record: not record.getMessage().startswith("A 'dirty' build")
    )
    mkdocs_serve(
        config_file=str(config_file), livereload=True, build_type="dirty", dev_addr=dev_addr
    )


def _quiet_mkdocs(level: int = logging.WARNING) -> None:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    for name in ("mkdocs", "plaindesk"):
        logger = logging.getLogger(name)
        if not logger.handlers:
            logger.addHandler(handler)
        logger.setLevel(level)
        logger.propagate = False


@cli.group()
def portal() -> None:
    """Client portals: one private, self-contained status page per client.

    Links are derived from the secret in the PLAINDESK_PORTAL_SECRET environment variable
    (at least 16 characters); changing the secret changes every client's link.
    """


@portal.command("links")
@click.argument(
    "path", type=click.Path(exists=True, file_okay=False, path_type=Path), default=DEFAULT_CONTENT
)
@click.option(
    "--base-url",
    default="",
    metavar="URL",
    help="Root of the published portal site, e.g. https://status.example.com/ "
    "(default: print paths relative to it).",
)
def portal_links(path: Path, base_url: str) -> None:
    """Print each portal-enabled client's link (keep them private: they are the key)."""
    import os

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
    for link in links:
        click.echo(f"{link.company_id}\t{link.company_name}\t{link.url(base_url)}")


@portal.command("build")
@click.argument(
    "path", type=click.Path(exists=True, file_okay=False, path_type=Path), default=DEFAULT_CONTENT
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("site"),
    show_default=True,
    help="Output folder; the bundles go to OUT/portal/<token>/ (that folder is replaced).",
)
@TODAY
def portal_build(path: Path, out: Path, today: date | None) -> None:
    """Build only the client portals of the workspace at PATH (default: ./content).

    Exit status: 0 built, 1 workspace errors, no usable secret or a refused or failed
    output folder (nothing is replaced).
    """
    import os

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


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
