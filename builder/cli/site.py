"""`plaindesk build` and `plaindesk serve`: the team's site (and the portals with it)."""

from __future__ import annotations

import logging
import os
import shlex
import sys
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click

from builder.cli.base import CONFIG, TODAY, cli
from builder.report import format_text, left_out_text


@cli.command(short_help="Check, then build the site and the client portals.")
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
@click.option(
    "--audience",
    metavar="NAME",
    default="",
    help="Build the site of an audience of workspace.yml (what it leaves out is not in it), "
    "into --site-dir (default: the site folder's name + -NAME); no portal.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Fail when the portals cannot be built for want of a secret (CI=true implies it).",
)
@TODAY
def build(
    config_file: Path,
    site_dir: Path | None,
    portal_dir: Path,
    portal_only: bool,
    no_portal: bool,
    audience: str,
    strict: bool,
    today: date | None,
) -> None:
    """Check the workspace, then build the team's site and the client portals.

    With --audience NAME, build only that audience's site: the one workspace.yml's
    `audiences:` describes, without the record types and fields it leaves out.

    Nothing is replaced unless the whole build succeeds: errors leave the previous site and
    portals. Folders that hold the workspace or files a build did not write are refused.
    Exit status: 0 built, 1 workspace errors, a refused folder or a failed build, 2 usage error.
    """
    from builder.model.audience import UnknownAudience, audience_of
    from builder.output import OutputError, Transaction
    from builder.pipeline import frozen_gc
    from builder.portal import SECRET_ENV
    from builder.site.build import (
        BuildError,
        build_all,
        check_for_build,
        check_outputs,
        read_config,
        site_inputs,
    )
    from builder.site.checkstore import Seen
    from builder.site.inputs import Inputs
    from builder.site.plugin import CACHE_DIR

    if portal_only and no_portal:
        raise click.UsageError("--portal-only and --no-portal exclude each other")
    no_portal = _audience_name(audience, portal_only) or no_portal
    _quiet_mkdocs()
    try:
        cfg = read_config(config_file, site_dir)
        if audience and site_dir is None:
            cfg.site_dir = cfg.site_dir.with_name(f"{cfg.site_dir.name}-{audience}")
        portals_to = None if no_portal else portal_dir.resolve()
        with frozen_gc(), Transaction(cfg.config_file.parent) as swap:
            check_outputs(cfg, site=not portal_only, portal_dir=portals_to)
            # the team's site alone: nothing to build when its inputs are the last build's
            alone = portals_to is None and not portal_only and not audience
            seen = Seen()
            digest = site_inputs(cfg, today, seen) if alone else ""
            if _unchanged(cfg, digest):
                return
            cache = cfg.config_file.parent / CACHE_DIR
            result = check_for_build(cfg.content, today, cache, seen if alone else None)
            report = _check_report(result)
            click.echo(report, nl=False, err=True)
            if result.errors:
                raise BuildError(
                    "nothing was built; fix the errors above (the previous site is unchanged)"
                )
            if audience:
                audience_of(result.workspace.settings, audience)
            portals = (
                None
                if no_portal
                else _prepare_portals(
                    result,
                    cfg.content,
                    cfg.config_file.parent / "theme" / "portal",
                    strict or bool(os.environ.get("CI")),
                )
            )
            if portals is _SKIPPED:
                if portal_only:
                    raise BuildError("no portal was built (see the warning above)")
                portals, portals_to = None, None  # the published portals stay as they are
            built = build_all(
                cfg,
                result,
                swap,
                site=not portal_only,
                portals=portals,
                portal_dir=portals_to,
                secret=os.environ.get(SECRET_ENV),
                audience=audience,
                inputs=Inputs(digest, report, result.summary()),
            )
    except (BuildError, OutputError, UnknownAudience) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    if built.site is not None:
        _say_site(built.site, built.how, result.summary(), audience)
    if built.portals is not None:
        for removed in built.portals.removed:
            click.echo(f"portals: {removed.describe()}", err=True)
        count = len(built.portals.bundles)
        shown = portal_dir / "portal"
        click.echo(f"portals: {count} client bundle(s) in {shown}", err=True)


#: What a build says when every input is the last build's (`builder.site.inputs`).
NOTHING_CHANGED = (
    "nothing to build: the content, settings, theme, mkdocs.yml, today and git history "
    "are the last build's, and so is the site"
)


def _unchanged(cfg: Any, digest: str) -> bool:
    """True, and the site said as the last build said it, when `digest` is the inputs
    digest of the last build, whose site the site folder holds."""
    from builder.site.build import nothing_to_build

    same = nothing_to_build(cfg, digest) if digest else None
    if same is None:
        return False
    click.echo(same.report, nl=False, err=True)
    _say_site(cfg.site_dir, NOTHING_CHANGED, same.summary, "")
    return True


def _check_report(result: Any) -> str:
    """The check's problems and the record files left out, as a build prints them."""
    report: str = left_out_text(result.left_out)
    if result.problems:
        report = format_text(result.problems, result.summary()) + report
    return report


def _say_site(site: Path, how: str, summary: str, audience: str) -> None:
    """Where the site went, how it was built (in full or from the last build's state)
    and how to look at it."""
    if how:
        click.echo(how, err=True)
    whose = f"the site of audience `{audience}`" if audience else "site"
    click.echo(f"{whose}: {site} ({summary})", err=True)
    # from file:// the site's folder links open directory listings: serve it
    click.echo(
        f"view it: `plaindesk serve{f' --audience {audience}' if audience else ''}` "
        "(http://127.0.0.1:8000/), or "
        f"`python -m http.server -d {shlex.quote(str(site))} 8000`",
        err=True,
    )


#: `_prepare_portals`' answer when the portals are skipped for want of a secret.
_SKIPPED = object()


def _prepare_portals(result: Any, content: Path, overrides: Path, strict: bool) -> Any:
    """Render the portals before the site is built, so that a missing secret stops a
    strict build before anything is written; `content` is the workspace folder (its git
    history dates "done recently"); `overrides` is the workspace's own theme/portal/, as
    `plaindesk portal build` uses. Without a usable secret and not
    strict, the site is still built and the portals are skipped with a warning."""
    from builder.portal import (
        SECRET_ENV,
        PortalError,
        PortalSecretError,
        done_days,
        render_portals,
    )
    from builder.portal import portal_links as links_of
    from builder.site.build import BuildError

    secret = os.environ.get(SECRET_ENV)
    try:
        links_of(result, secret)
    except PortalSecretError as exc:
        if strict:
            raise BuildError(
                f"{exc} (or pass --no-portal to build only the internal site)"
            ) from None
        problem, _, hint = str(exc).partition("\n")
        click.echo(
            f"warning: {problem.removesuffix(' No portal was built.')} The site is built; "
            "the client portals are not (those published before stay as they are; "
            "--strict, or CI=true, makes this an error).\n" + hint,
            err=True,
        )
        return _SKIPPED
    try:
        return render_portals(
            result, secret, theme_dir=overrides, done_on=done_days(result, content)
        )
    except PortalError as exc:
        raise BuildError(str(exc)) from None


@cli.command(short_help="Serve the site live; edits rebuild what they change.")
@CONFIG
@click.option(
    "-a",
    "--dev-addr",
    default="127.0.0.1:8000",
    show_default=True,
    metavar="IP:PORT",
    help="Address to serve on.",
)
@click.option(
    "--audience",
    metavar="NAME",
    default="",
    help="Serve the site of an audience of workspace.yml.",
)
@TODAY
def serve(config_file: Path, dev_addr: str, audience: str, today: date | None) -> None:
    """Serve the site, rebuilding what an edit changes and reloading the browser.

    A bad edit shows its problems in the terminal and on the site's Problems page; the
    server keeps running.
    """
    from mkdocs.commands.serve import serve as mkdocs_serve

    from builder.site.build import BuildError, read_config, serve_start
    from builder.site.engine import plugin_kept
    from builder.site.plugin import AUDIENCE_ENV, Handover

    _audience_name(audience)
    _quiet_mkdocs(level=logging.INFO)
    try:
        cfg = read_config(config_file)
        if audience:
            _declared(cfg.content, audience)
    except BuildError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    assert cfg.plugin is not None
    # the last build's state (an audience's site keeps none): its unchanged pages are
    # served from its site, built for mkdocs.yml's site URL, which serve keeps then
    start, why = serve_start(cfg) if not audience else (None, "")
    host, _, port = dev_addr.rpartition(":")
    if start is not None:
        click.echo(
            f"serving the last build's site ({cfg.site_dir}) and what changed since, at "
            f"http://{host}:{port}{urlsplit(cfg.site_url or '/').path}; its pages link to "
            f"{cfg.site_url or 'no site_url'} (mkdocs.yml's site_url)",
            err=True,
        )
    elif why:
        click.echo(f"serve builds every page: {why}", err=True)
    # `mkdocs serve` loads the configuration itself: the instance handed over here is the
    # one it gets, MkDocs keeping a plugin with on_startup for the process
    cfg.plugin.hand_over(
        Handover(today=today, audience=audience, incremental=start, site_url=cfg.site_url)
    )
    if audience:
        # should this MkDocs make a new plugin instance after all, it reads the audience
        # from here: never the full site when an audience's was asked for
        os.environ[AUDIENCE_ENV] = audience
    if today is not None and not plugin_kept(str(config_file), cfg.plugin):
        logging.getLogger("plaindesk").warning(
            "plaindesk: this MkDocs makes a new plugin per configuration; --today is ignored"
        )
    # serve rebuilds only what changed by design; MkDocs warns about that on every rebuild
    logging.getLogger("mkdocs.commands.build").addFilter(
        lambda record: not record.getMessage().startswith("A 'dirty' build")
    )
    mkdocs_serve(
        config_file=str(config_file),
        livereload=True,
        build_type="dirty" if cfg.plugin.serves_dirty() else None,
        dev_addr=dev_addr,
    )


def _audience_name(name: str, portal_only: bool = False) -> bool:
    """Whether an audience is named (its site is built, no portal); a usage error for a
    name no audience can have (it becomes part of a folder's) or with --portal-only."""
    from builder.model.schema import ID_PATTERN

    if name and not ID_PATTERN.match(name):
        raise click.BadParameter(
            f"`{name}`: an audience's name is lower-case letters, digits and dashes",
            param_hint="--audience",
        )
    if name and portal_only:
        raise click.UsageError("--audience builds a site, which --portal-only leaves out")
    return bool(name)


def _declared(content: Path, audience: str) -> None:
    """BuildError unless workspace.yml declares `audience` (it is read alone, quickly:
    the first build reports any other problem)."""
    from builder.load.files import load_settings
    from builder.model.audience import UnknownAudience, audience_of
    from builder.site.build import BuildError
    from builder.validate.settings import read_settings

    loaded = load_settings(content)
    settings, _ = read_settings(loaded.settings, loaded.settings_path)
    try:
        audience_of(settings, audience)
    except UnknownAudience as exc:
        raise BuildError(str(exc)) from None


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
