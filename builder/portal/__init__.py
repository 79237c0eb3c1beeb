"""Client portal stage: one private, self-contained status page per client.

For every company with `portal.enabled: true` the build writes `OUT/portal/<token>/` holding
`index.html` (CSS and JS inlined, system fonts, no requests) and `robots.txt`. The token is
HMAC-SHA256 of the company id under the secret from `PLAINDESK_PORTAL_SECRET` (see
`tokens`). Isolation is by construction: `view.build_view` copies an allow-list of fields
out of the workspace and `render` sees nothing else.

    build_portals(result, out_dir, secret) -> [PortalBundle]   # write the bundles
    portal_links(result, secret) -> [PortalLink]   # who gets which link (link.url(base))
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from builder.pipeline import CheckResult
from builder.portal.render import render_bundle
from builder.portal.tokens import SECRET_ENV, PortalSecretError, check_secret, portal_token
from builder.portal.view import build_view

__all__ = [
    "SECRET_ENV",
    "PortalBundle",
    "PortalError",
    "PortalLink",
    "PortalSecretError",
    "build_portals",
    "enabled_companies",
    "portal_links",
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


def _replace_dir(staged: Path, target: Path) -> None:
    """Swap `staged` in for `target`: the old portals stay until the new ones are complete."""
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=".portal-old-", dir=target.parent))
        os.replace(target, old / "portal")
    os.replace(staged, target)
    if old is not None:
        shutil.rmtree(old)


def build_portals(
    result: CheckResult, out_dir: Path, secret: str | None, *, theme_dir: Path | None = None
) -> list[PortalBundle]:
    """Write every portal-enabled company's bundle under `out_dir/portal/` (replacing what
    was there) and return them.

    Raises PortalError, writing nothing, when the workspace has errors or no usable secret
    is given. `theme_dir` is a workspace's own `theme/portal/` overriding built-in files.
    """
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
    rendered = [
        (link, render_bundle(build_view(result.workspace, link.company_id, result.today), override))
        for link in links
    ]
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / PORTAL_DIR
    staged = Path(tempfile.mkdtemp(prefix=".portal-new-", dir=out_dir))
    try:
        (staged / "index.html").write_text(_PLACEHOLDER, encoding="utf-8")
        for link, files in rendered:
            for rel, data in sorted(files.items()):
                path = staged / link.token / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
        # mkdtemp makes the folder private (0700); a published site must be readable
        for folder in [staged, *(p for p in staged.rglob("*") if p.is_dir())]:
            folder.chmod(0o755)
        _replace_dir(staged, target)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    return [
        PortalBundle(
            link.company_id,
            link.company_name,
            link.token,
            target / link.token,
            tuple(sorted(target / link.token / rel for rel in files)),
        )
        for link, files in rendered
    ]
