"""`plaindesk build`: validate first, build into a temporary folder, then swap it in.

A failed check or a failed engine build leaves the previous site untouched."""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from builder.pipeline import CheckResult, run_check

log = logging.getLogger("plaindesk")


class BuildError(Exception):
    """The build could not be done; the message says why. The previous site is kept."""


@dataclass
class SiteConfig:
    """Where things are, read from mkdocs.yml and the plaindesk plugin's options."""

    config_file: Path
    content: Path
    site_dir: Path


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
    plugin = config.plugins.get("plaindesk")
    if plugin is None:
        raise BuildError(f"{config_file}: add `- plaindesk` under `plugins:`")
    base = config_file.resolve().parent
    content = (base / plugin.config["content"]).resolve()
    return SiteConfig(config_file.resolve(), content, (site_dir or Path(config.site_dir)).resolve())


def swap_in(new: Path, target: Path) -> None:
    """Replace `target` by `new` with two renames; the old tree is removed afterwards."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.replace(target, old)
    os.replace(new, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def build_site(cfg: SiteConfig, result: CheckResult) -> None:
    """Run the MkDocs build of a checked workspace into a temporary folder, then swap."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from builder.site import plugin

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    if sys.stderr.isatty():
        os.environ["PLAINDESK_PROGRESS"] = "1"
    cfg.site_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{cfg.site_dir.name}.tmp-", dir=cfg.site_dir.parent))
    try:
        config = load_config(config_file=str(cfg.config_file), site_dir=str(tmp))
        plugin.PREPARED[cfg.content] = result
        build(config)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, KeyboardInterrupt):
            raise
        raise BuildError(f"the site build failed: {describe(exc)}") from None
    finally:
        plugin.PREPARED.pop(cfg.content, None)
    tmp.chmod(0o755)
    swap_in(tmp, cfg.site_dir)


def describe(exc: BaseException) -> str:
    """An engine failure as one line, led by the template and line it happened in."""
    import traceback

    from jinja2 import TemplateSyntaxError

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


def check_for_build(content: Path, today: date | None) -> CheckResult:
    """Check the workspace; the caller reports problems and stops on errors."""
    if not content.is_dir():
        raise BuildError(f"{content}: no such folder (set `content:` of the plaindesk plugin)")
    shown = Path(os.path.relpath(content)) if content.is_absolute() else content
    return run_check(shown, today)
