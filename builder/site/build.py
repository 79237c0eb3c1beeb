"""`plaindesk build`: validate first, build the site and the portals into temporary folders,
then swap both in (`builder.output.Transaction`).

A failed check, a failed engine build or a failed swap leaves the previous site and portals
untouched; output folders that are not a previous build's are refused before anything."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from builder.output import (
    MARKER,
    MARKER_TEXT,
    OutputError,
    Transaction,
    guarded_folders,
    os_reason,
    own_folder,
    refuse_foreign,
    refuse_unsafe,
    shown,
)
from builder.pipeline import CheckResult, run_check

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

    from builder.portal import PortalOutcome, PortalSet
    from builder.site.checkstore import Seen
    from builder.site.inputs import Inputs
    from builder.site.plugin import PlaindeskPlugin
    from builder.site.warm import Incremental

log = logging.getLogger("plaindesk")


class BuildError(Exception):
    """The build could not be done; the message says why. The previous site is kept."""


@dataclass
class SiteConfig:
    """Where things are, read from mkdocs.yml and the plaindesk plugin's options."""

    config_file: Path
    content: Path
    site_dir: Path
    #: the plugin instance MkDocs keeps for this process (see `plugin.Run`)
    plugin: PlaindeskPlugin | None = field(default=None, repr=False, compare=False)
    docs_dir: Path | None = None  # the team's own pages
    custom_dir: str | None = None  # the team's theme overrides
    site_url: str | None = None  # mkdocs.yml's


def read_config(config_file: Path, site_dir: Path | None = None) -> SiteConfig:
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    if not config_file.is_file():
        raise BuildError(
            f"{config_file}: no such file; run `plaindesk init DIR` to create a workspace with one"
        )
    try:
        config = load_config(config_file=str(config_file))
    except (ConfigurationError, SystemExit) as exc:
        raise BuildError(f"{config_file}: {exc}") from None
    plugin = plaindesk_plugin(config, config_file)
    base = config_file.resolve().parent
    content = (base / plugin.config["content"]).resolve()
    return SiteConfig(
        config_file.resolve(),
        content,
        (site_dir or Path(config.site_dir)).resolve(),
        plugin,
        Path(config.docs_dir),
        config.theme.custom_dir,
        config.site_url,
    )


def site_inputs(cfg: SiteConfig, today: date | None, seen: Seen | None = None) -> str:
    """The digest of everything the team's site is made from (`builder.site.inputs`);
    the content's listing and each record file's print into `seen` (`check_for_build`
    reuses them)."""
    from builder.site.inputs import inputs_digest

    return inputs_digest(cfg.config_file, cfg.content, cfg.docs_dir, cfg.custom_dir, today, seen)


def nothing_to_build(cfg: SiteConfig, digest: str) -> Inputs | None:
    """The last build's inputs when they are `digest` and the site folder holds that
    build's site: then the site is the one a build would make, and nothing is built."""
    from builder.site import state

    found, site = state.peek(cfg.config_file.parent)
    if found is None or found.digest != digest or state.site_print(cfg.site_dir) != site:
        return None
    return found


def check_outputs(cfg: SiteConfig, *, site: bool, portal_dir: Path | None) -> None:
    """BuildError, before anything is touched, when an output folder may not be replaced:
    it is or holds the workspace or the repository, lies inside the content, or holds files
    a build did not write. Then clear what killed builds of earlier versions left there."""
    from builder.portal import PORTAL_DIR, is_portal_folder, refuse_unsafe_out, sweep_legacy

    guarded = guarded_folders(cfg.content, cfg.config_file.parent)
    try:
        if site:
            fix = "choose a folder of its own for the site (e.g. --site-dir site)"
            refuse_unsafe(cfg.site_dir, "the site folder", guarded, fix)
        if portal_dir is not None:
            portals = portal_dir / PORTAL_DIR
            if site and cfg.site_dir.is_relative_to(portals):
                raise OutputError(
                    f"the site folder {shown(cfg.site_dir)} is "
                    f"{'' if cfg.site_dir == portals else 'inside '}the portal folder "
                    f"{shown(portals)}, which every build replaces; keep them apart "
                    "(e.g. --site-dir site --portal-dir public)"
                )
            refuse_unsafe_out(portal_dir, guarded, "--portal-dir")
        if site:
            refuse_foreign(
                cfg.site_dir,
                "the site folder",
                # what `plaindesk portal build --out site` alone writes
                lambda f: os.listdir(f) == [PORTAL_DIR] and is_portal_folder(f / PORTAL_DIR),
            )
    except OutputError as exc:
        raise BuildError(str(exc)) from None
    if site:
        _sweep_legacy(cfg.site_dir)
    if portal_dir is not None:
        sweep_legacy(portal_dir)


def _sweep_legacy(site_dir: Path) -> None:
    """Remove what builds before `builder.output` left beside the site when killed."""
    if not site_dir.parent.is_dir():
        return
    for pattern in (f".{site_dir.name}.tmp-*", f".{site_dir.name}.old-*"):
        for leftover in site_dir.parent.glob(pattern):
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)


@dataclass
class Built:
    """What a build replaced: the site (or None) and the portal folder (or None)."""

    site: Path | None
    portals: PortalOutcome | None
    how: str = ""  # full or incremental, and why (`builder.site.warm`)


def build_all(
    cfg: SiteConfig,
    result: CheckResult,
    swap: Transaction,
    *,
    site: bool,
    portals: PortalSet | None,
    portal_dir: Path | None,
    secret: str | None,
    audience: str = "",
    inputs: Inputs | None = None,
) -> Built:
    """Build the site and the portals into `swap`'s temporaries, then swap both in (or,
    when either fails, neither). Portals whose folder lies inside the site are built into
    the staged site itself. `inputs` (the team's site alone) goes into the state, so that
    the next build with the same inputs has nothing to do."""
    from builder.portal import PORTAL_DIR, stage_portals
    from builder.site.state import SPARE_DIR
    from builder.site.warm import assemble, link_copy

    staged = None
    inc = None
    if site:
        try:
            staged = swap.stage(cfg.site_dir)
        except OSError as exc:
            raise BuildError(
                f"could not start the site build: {os_reason(exc)}; nothing was replaced"
            ) from None
        inc = build_site(cfg, result, staged, audience)
        try:
            if inc is not None:
                assemble(inc, staged)
        except OSError as exc:
            raise BuildError(
                f"could not assemble the site: {os_reason(exc)}; nothing was replaced"
            ) from None
    outcome = None
    if portals is not None and portal_dir is not None:
        target = portal_dir / PORTAL_DIR
        into = None
        if staged is not None and target.is_relative_to(cfg.site_dir):
            into = staged / target.relative_to(cfg.site_dir)
        try:
            outcome = stage_portals(portals, portal_dir, swap, result, secret, into=into)
        except OSError as exc:
            raise BuildError(
                f"could not write the portals: {os_reason(exc)}; nothing was replaced"
            ) from None
    try:
        swap.commit()
    except OutputError as exc:
        raise BuildError(str(exc)) from None
    how = ""
    if inc is not None:
        how = keep_state(cfg, inc, inputs if inputs is not None and inputs.digest else None)
        # the next build assembles its site in a spare one: after a warm build the site
        # before it (it differs by the pages this build changed); after a full build,
        # whose previous site differs in every file, the new site's own files, linked
        spare = cfg.config_file.parent / SPARE_DIR
        with contextlib.suppress(OSError):
            own_folder(spare.parent)
            if inc.warm:
                swap.keep_previous(cfg.site_dir, spare)
            elif site and inc.result is not None:
                link_copy(cfg.site_dir, spare)
    return Built(cfg.site_dir if site else None, outcome, how)


def start_incremental(cfg: SiteConfig) -> Incremental:
    """The last build's state, if its site is the one in the site folder (else a full
    build, and why); then the state is deleted: a build that fails or is killed from
    here on leaves none, so the next one is full."""
    from builder.site import state
    from builder.site.warm import Incremental

    home = cfg.config_file.parent
    found, reason = state.load(home)
    prior = None
    if found is not None:
        if state.site_print(cfg.site_dir) != found.site:
            reason = f"the site folder ({shown(cfg.site_dir)}) is not the last build's"
        else:
            prior = state.Prior(found, cfg.site_dir)
    state.discard(home)
    inc = Incremental(prior, reason)
    spare = home / state.SPARE_DIR
    if prior is not None and spare.is_dir():
        inc.spare = spare
    return inc


def serve_start(cfg: SiteConfig) -> tuple[Incremental | None, str]:
    """`plaindesk serve`: the last build's state, if its site is the one in the site folder,
    to start from (else None, and why). Nothing is deleted: serve writes no site and no
    state; the pages it writes into the page tree are noted beside the state
    (`state.note_stale`), so that the next build does not trust them."""
    from builder.site import state
    from builder.site.warm import Incremental

    found, reason = state.load(cfg.config_file.parent)
    if found is None:
        return None, reason
    if state.site_print(cfg.site_dir) != found.site:
        return None, f"the site folder ({shown(cfg.site_dir)}) is not the last build's"
    return Incremental(state.Prior(found, cfg.site_dir)), ""


def keep_state(cfg: SiteConfig, inc: Incremental, inputs: Inputs | None = None) -> str:
    """Save the state of the build now in the site folder; what it did, in one line."""
    from builder.site import state

    if inc.result is None or cfg.plugin is None or cfg.plugin.generated is None:
        return "full build" + (f": {inc.reason}" if inc.reason else "")
    summary = inc.summary(cfg.plugin.generated)
    try:
        known = {"search/search_index.json": inc.index} if inc.index is not None else None
        inc.result.site = state.site_print(cfg.site_dir, known)
        inc.result.inputs = inputs
        state.save(cfg.config_file.parent, inc.result)
    except OSError as exc:
        log.warning("plaindesk: the build's state was not saved: %s", os_reason(exc))
    return summary


def build_site(
    cfg: SiteConfig, result: CheckResult, staged: Path, audience: str = ""
) -> Incremental | None:
    """Run the MkDocs build of a checked workspace into empty folder `staged`, and mark
    it as a build (see `builder.output.MARKER`); with `audience`, that audience's site.
    The plugin is handed the check's result, so that it does not load the workspace a
    second time, and the last build's state (`start_incremental`); what it did and the
    next build's state are returned. An audience's site is always built in full, and
    leaves the state of the team's site as it was (None)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from builder.site.plugin import Handover

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    inc = start_incremental(cfg) if not audience else None
    try:
        config = load_config(config_file=str(cfg.config_file), site_dir=str(staged))
        plugin = plaindesk_plugin(config, cfg.config_file)
        plugin.hand_over(
            Handover(
                today=result.today,
                prepared=result,
                progress=sys.stderr.isatty(),
                audience=audience,
                incremental=inc,
            )
        )
        cfg.plugin = plugin
        # as `mkdocs build` runs a build
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
        (staged / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        return inc
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        raise BuildError(f"the site build failed: {describe(exc)}; nothing was replaced") from None


def plaindesk_plugin(config: MkDocsConfig, config_file: Path) -> PlaindeskPlugin:
    """The plaindesk plugin instance of a loaded configuration."""
    from builder.site.plugin import PlaindeskPlugin

    plugin = config.plugins.get("plaindesk")
    if not isinstance(plugin, PlaindeskPlugin):
        raise BuildError(f"{config_file}: add `- plaindesk` under `plugins:`")
    return plugin


def describe(exc: BaseException) -> str:
    """An engine failure as one line, led by the template and line it happened in."""
    import traceback

    from jinja2 import TemplateSyntaxError

    if isinstance(exc, OSError) and exc.errno is not None:
        return os_reason(exc)
    message = str(exc) or type(exc).__name__
    if isinstance(exc, TemplateSyntaxError):
        return f"{exc.filename or exc.name}:{exc.lineno}: {exc.message}"
    # Jinja rewrites tracebacks so that template frames name the template file and line
    frames = [
        f
        for f in traceback.extract_tb(exc.__traceback__)
        if f.filename.endswith((".html", ".jinja", ".j2"))
    ]
    if frames:
        return f"{frames[-1].filename}:{frames[-1].lineno}: {message}"
    return message


def check_for_build(
    content: Path, today: date | None, cache: Path | None = None, seen: Seen | None = None
) -> CheckResult:
    """Check the workspace; the caller reports problems and stops on errors. With
    `cache` (the project's `.plaindesk-cache`), the records whose files are unchanged
    since the last build are taken from it, and this check's are kept there
    (`builder.site.checkstore`); `seen`, the listing and the files' prints taken already."""
    if not content.is_dir():
        raise BuildError(f"{content}: no such folder (set `content:` of the plaindesk plugin)")
    shown = Path(os.path.relpath(content)) if content.is_absolute() else content
    if cache is None:
        return run_check(shown, today)
    from builder.site import checkstore
    from builder.site.state import code_stamp

    try:
        kept, store = checkstore.prime(shown, own_folder(cache), code_stamp(), seen)
    except OSError:  # a read-only project: every record is read
        return run_check(shown, today)
    result = run_check(shown, today, kept, listing=seen.listing if seen is not None else None)
    checkstore.save(store, kept)
    return result
