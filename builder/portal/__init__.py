"""Client portal stage: one private, self-contained status page per client.

For every company with `portal.enabled: true` the build writes `OUT/portal/<token>/` holding
`index.html` (CSS and JS inlined, system fonts, no requests) and `robots.txt`. The token is
HMAC-SHA256 of the company id under the secret from `PLAINDESK_PORTAL_SECRET` (see
`tokens`). Isolation is by construction: `view.build_view` copies an allow-list of fields
out of the workspace and `render` sees nothing else.

    build_portals(result, out_dir, secret) -> [PortalBundle]   # write the bundles
    portal_links(result, secret) -> [PortalLink]   # who gets which link (link.url(base))

`plaindesk build` renders first (`render_portals`) and writes the set into a folder that
`builder.output.Transaction` swaps in together with the site; `removed_bundles` names what
a build dropped.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from builder.output import (
    MARKER,
    Guarded,
    OutputError,
    Transaction,
    os_reason,
    refuse_foreign,
    refuse_unsafe,
)
from builder.pipeline import CheckResult
from builder.portal.tokens import SECRET_ENV, PortalSecretError, check_secret, portal_token

__all__ = [
    "SECRET_ENV",
    "OutputError",
    "PortalBundle",
    "PortalError",
    "PortalLink",
    "PortalOutcome",
    "PortalSecretError",
    "PortalSet",
    "RemovedBundle",
    "build_portals",
    "bundle_tokens",
    "enabled_companies",
    "is_portal_folder",
    "portal_links",
    "removed_bundles",
    "render_portals",
    "stage_portals",
    "sweep_legacy",
]

#: Where the bundles go inside the output folder.
PORTAL_DIR = "portal"

# Written at OUT/portal/ so that a host which lists folders shows nothing of the tokens.
_PLACEHOLDER = (
    '<!doctype html><meta charset="utf-8"><meta name="robots" content="noindex,nofollow">'
    "<title>Not found</title>\n"
)


class PortalError(Exception):
    """The portals cannot be built; the message says why and how to fix it."""


@dataclass(frozen=True)
class PortalLink:
    """A client's portal address: `path` is relative to the site's root."""

    company_id: str
    company_name: str
    token: str

    @property
    def path(self) -> str:
        return f"{PORTAL_DIR}/{self.token}/"

    def url(self, base_url: str = "") -> str:
        """The full link when `base_url` (the published site's root) is given."""
        return (base_url.rstrip("/") + "/" if base_url else "") + self.path


@dataclass(frozen=True)
class PortalBundle:
    """One written bundle: its company, token, folder and files (sorted)."""

    company_id: str
    company_name: str
    token: str
    directory: Path
    files: tuple[Path, ...]


def enabled_companies(result: CheckResult) -> list[str]:
    """Ids of the companies with the portal enabled, sorted."""
    return sorted(c.id for c in result.workspace.companies.values() if c.portal.enabled)


def portal_links(result: CheckResult, secret: str | None) -> list[PortalLink]:
    """The link of every portal-enabled company; PortalSecretError without a usable secret."""
    ids = enabled_companies(result)
    if not ids:
        return []
    key = check_secret(secret, ids)
    companies = result.workspace.companies
    return [PortalLink(i, companies[i].name, portal_token(key, i)) for i in ids]


#: A bundle's folder name: a token (see `tokens.portal_token`).
_TOKEN = re.compile(r"[a-z2-7]{32}")


@dataclass(frozen=True)
class RemovedBundle:
    """A bundle of the previous build that this one drops: its token and, when the secret
    names it, the company it belonged to."""

    token: str
    company_id: str | None = None
    company_name: str | None = None
    named: bool = False  # the secret was usable, so an unnamed token is no current company's

    def describe(self) -> str:
        """One line for the build's output; never the whole token (it is a link's key)."""
        if self.company_id is not None:
            return (
                f"removed the portal of {self.company_id} ({self.company_name}): "
                "its portal is no longer enabled"
            )
        folder = f"{PORTAL_DIR}/{self.token[:6]}…/"
        if self.named:
            return (
                f"removed the bundle {folder}: no company of the workspace has that link "
                "under the current secret (a deleted or renamed company's, or an earlier "
                "secret's)"
            )
        return f"removed the bundle {folder} (set {SECRET_ENV} to see whose it was)"


@dataclass(frozen=True)
class PortalSet:
    """Every portal-enabled company's rendered bundle, not yet written."""

    rendered: tuple[tuple[PortalLink, dict[str, bytes]], ...]

    @property
    def tokens(self) -> set[str]:
        return {link.token for link, _ in self.rendered}

    def write(self, folder: Path) -> None:
        """Write the portal folder's content (bundles and placeholder) into empty `folder`."""
        writes = [(folder / "index.html", _PLACEHOLDER.encode("utf-8"))]
        for link, files in self.rendered:
            writes += [(folder / link.token / rel, data) for rel, data in sorted(files.items())]
        for path, data in writes:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
            except OSError as exc:
                # a full disk fails the write or the close, which name no file
                exc.filename = exc.filename or str(path)
                raise

    def bundles(self, target: Path) -> list[PortalBundle]:
        """The bundles as they are once written to portal folder `target`."""
        return [
            PortalBundle(
                link.company_id,
                link.company_name,
                link.token,
                target / link.token,
                tuple(sorted(target / link.token / rel for rel in files)),
            )
            for link, files in self.rendered
        ]


def render_portals(
    result: CheckResult,
    secret: str | None,
    *,
    theme_dir: Path | None = None,
    done_on: Mapping[str, date] | None = None,
) -> PortalSet:
    """Render every portal-enabled company's bundle, writing nothing.

    PortalError when the workspace has errors or portals are enabled without a usable
    secret. `theme_dir` is a workspace's own `theme/portal/` overriding built-in files;
    `done_on` the day each task reached done, from git history (None without history:
    see `done_days`)."""
    # here, not at the top: a build of the site alone (`--no-portal`, CI) spares
    # importing the portal's renderer and its templates' machinery
    from builder.portal.render import render_bundle
    from builder.portal.view import build_view

    if result.errors:
        raise PortalError(
            f"the workspace has {len(result.errors)} error(s); no portal was built "
            "(run `plaindesk check` and fix them first)"
        )
    try:
        links = portal_links(result, secret)
    except PortalSecretError as exc:
        raise PortalError(str(exc)) from None
    override = theme_dir if theme_dir and theme_dir.is_dir() else None
    return PortalSet(
        tuple(
            (
                link,
                render_bundle(
                    build_view(result.workspace, link.company_id, result.today, done_on),
                    override,
                ),
            )
            for link in links
        )
    )


def is_portal_folder(folder: Path) -> bool:
    """Whether `folder` holds only what a portal build writes: the placeholder index.html
    and folders named by tokens (a folder that Plaindesk may replace)."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return False
    return all(
        (e.name == "index.html" and e.is_file())
        or (e.name == MARKER and e.is_file())
        or (_TOKEN.fullmatch(e.name) is not None and e.is_dir() and not e.is_symlink())
        for e in entries
    )


def bundle_tokens(folder: Path) -> list[str]:
    """The tokens of the bundles in portal folder `folder` (none when it does not exist)."""
    if not folder.is_dir():
        return []
    return sorted(e.name for e in folder.iterdir() if _TOKEN.fullmatch(e.name) and e.is_dir())


def removed_bundles(
    result: CheckResult, secret: str | None, before: list[str], after: set[str]
) -> list[RemovedBundle]:
    """The bundles in `before` (tokens) that `after` drops, named by company when the
    secret gives one of the workspace's companies that token."""
    gone = [t for t in before if t not in after]
    if not gone:
        return []
    companies = result.workspace.companies
    try:
        key = check_secret(secret, sorted(companies))
    except PortalSecretError:
        return [RemovedBundle(t) for t in gone]
    owners = {portal_token(key, cid): cid for cid in companies}
    return [
        RemovedBundle(t, owners[t], companies[owners[t]].name, True)
        if t in owners
        else RemovedBundle(t, named=True)
        for t in gone
    ]


def refuse_unsafe_out(out_dir: Path, guarded: list[Guarded], option: str) -> None:
    """OutputError when `out_dir` may not hold the portals: it is or holds the workspace
    (everything in it gets published) or its portal folder holds someone else's files."""
    fix = f"choose a folder of its own for the published portals (e.g. {option} public)"
    refuse_unsafe(out_dir, "the portal folder", guarded, fix)
    refuse_foreign(out_dir / PORTAL_DIR, "the portal folder", is_portal_folder)


@dataclass(frozen=True)
class PortalOutcome:
    """What a build did to a portal folder: the bundles it holds now, those it dropped."""

    folder: Path
    bundles: list[PortalBundle]
    removed: list[RemovedBundle]


def sweep_legacy(out_dir: Path) -> None:
    """Remove the staging folders that builds before `builder.output` left in `out_dir` when
    they were killed (`.portal-new-*`, `.portal-old-*`: published with the portals)."""
    if out_dir.is_dir():
        for leftover in [*out_dir.glob(".portal-new-*"), *out_dir.glob(".portal-old-*")]:
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)


def stage_portals(
    portals: PortalSet,
    out_dir: Path,
    swap: Transaction,
    result: CheckResult,
    secret: str | None,
    *,
    into: Path | None = None,
) -> PortalOutcome | None:
    """Write `portals` as the next `out_dir/portal/` into transaction `swap` (or into
    `into`, the same folder inside a staged site that holds it); None when there is nothing
    to write, no bundle now and no portal folder before. OSError when writing fails."""
    target = out_dir / PORTAL_DIR
    before = bundle_tokens(target)
    if not portals.rendered and not target.exists():
        return None
    if into is None:
        folder = swap.stage(target, out_dir)
    else:
        folder = into
        folder.mkdir(parents=True)
    portals.write(folder)
    return PortalOutcome(
        target, portals.bundles(target), removed_bundles(result, secret, before, portals.tokens)
    )


def build_portals(
    result: CheckResult,
    out_dir: Path,
    secret: str | None,
    *,
    theme_dir: Path | None = None,
    home: Path | None = None,
) -> list[PortalBundle]:
    """Write every portal-enabled company's bundle under `out_dir/portal/` (replacing what
    was there, emptying it when no company has a portal) and return them.

    Raises PortalError, writing nothing, when the workspace has errors or no usable secret
    is given, and OutputError when the portal folder holds files of someone else's or cannot
    be written or replaced (then nothing is replaced either). `theme_dir` is a workspace's
    own `theme/portal/` overriding built-in files; `home` is the project folder whose
    `.plaindesk/tmp/` holds the staged bundles (default: `out_dir`'s parent).
    """
    portals = render_portals(result, secret, theme_dir=theme_dir)
    out_dir = out_dir.resolve()
    refuse_foreign(out_dir / PORTAL_DIR, "the portal folder", is_portal_folder)
    sweep_legacy(out_dir)
    with Transaction(home or out_dir.parent) as swap:
        try:
            outcome = stage_portals(portals, out_dir, swap, result, secret)
        except OSError as exc:
            raise OutputError(
                f"could not write the portals: {os_reason(exc)}; nothing was replaced"
            ) from None
        swap.commit()
    return outcome.bundles if outcome else []


def done_days(result: CheckResult, content: Path) -> dict[str, date] | None:
    """The day each client-visible task reached done, read from the git history of the
    workspace folder `content`; None when there is no usable history (then the portal's
    "done recently" takes a task's due or start date instead, and says so)."""
    from builder.history import done_days as history_done_days
    from builder.history import read_history
    from builder.history.reader import OK

    ws = result.workspace
    history = read_history(content, ws, result.today)
    if history.status.state != OK:
        return None
    shown = (t.id for t in ws.tasks.values() if t.client_visible)
    return history_done_days(history, ws, shown)
