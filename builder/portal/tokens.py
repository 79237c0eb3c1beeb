"""Portal tokens: the unguessable path of each client's bundle.

A token is HMAC-SHA256(secret, company id), truncated to 160 bits and written in lower-case
base32, so it is stable across builds, differs per company, cannot be derived without the
secret, and changes for every company at once when the secret is rotated. No token is ever
stored in the workspace.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

#: The environment variable CI and the CLI read the secret from.
SECRET_ENV = "PLAINDESK_PORTAL_SECRET"
#: Shorter secrets are refused: a short secret could be brute-forced from one token.
MIN_SECRET_LENGTH = 16
#: 20 bytes = 160 bits = 32 base32 characters, no padding.
TOKEN_BYTES = 20
# Domain separation: the same secret used elsewhere never yields a portal token.
_CONTEXT = b"plaindesk-portal-v1\x00"


class PortalSecretError(Exception):
    """No usable portal secret: portals must not be built (never a public page)."""


def check_secret(secret: str | None, companies: list[str]) -> str:
    """The secret, stripped, or PortalSecretError naming the portal-enabled `companies`."""
    value = (secret or "").strip()
    if len(value) >= MIN_SECRET_LENGTH:
        return value
    which = ", ".join(companies)
    problem = (
        f"{SECRET_ENV} is not set"
        if not value
        else f"{SECRET_ENV} is too short ({len(value)} characters; at least "
        f"{MIN_SECRET_LENGTH} are needed)"
    )
    raise PortalSecretError(
        f"client portal enabled for {which}, but {problem}. No portal was built.\n"
        f"hint: set {SECRET_ENV} to a long random string, e.g. the output of "
        '`python -c "import secrets; print(secrets.token_urlsafe(32))"`, in your shell '
        "and in the CI secrets; keep it out of the repository. Changing it changes every "
        "client's link."
    )


def portal_token(secret: str, company_id: str) -> str:
    """The token of `company_id`'s portal: 32 characters of [a-z2-7] (160 bits)."""
    digest = hmac.new(
        secret.encode("utf-8"), _CONTEXT + company_id.encode("utf-8"), hashlib.sha256
    ).digest()
    return base64.b32encode(digest[:TOKEN_BYTES]).decode("ascii").lower()
