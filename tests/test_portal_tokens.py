"""Portal tokens: unguessable, stable, per company, rotated with the secret; no secret, no
portal."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

import pytest

from builder.portal.tokens import MIN_SECRET_LENGTH, PortalSecretError, check_secret, portal_token

SECRET = "test-secret-0123456789abcdef"


def test_token_is_160_bits_of_lowercase_base32() -> None:
    token = portal_token(SECRET, "kyiv-opera")
    assert re.fullmatch(r"[a-z2-7]{32}", token)
    assert len(token) * 5 >= 128  # base32: 5 bits a character


def test_token_is_pinned() -> None:
    """Clients keep their links across Plaindesk versions: the derivation must not drift."""
    assert portal_token(SECRET, "kyiv-opera") == "ly5uf2iusbv2tcgiotzjs7xzyddilk5z"


def test_token_is_the_documented_hmac() -> None:
    digest = hmac.new(
        SECRET.encode(), b"plaindesk-portal-v1\x00kyiv-opera", hashlib.sha256
    ).digest()
    assert portal_token(SECRET, "kyiv-opera") == base64.b32encode(digest[:20]).decode().lower()


def test_tokens_differ_per_company_and_change_with_the_secret() -> None:
    ids = ["kyiv-opera", "finlo", "tau-coffee", "a", "b"]
    first = {portal_token(SECRET, i) for i in ids}
    rotated = {portal_token(SECRET + "-rotated", i) for i in ids}
    assert len(first) == len(ids) and len(rotated) == len(ids)
    assert first.isdisjoint(rotated)
    assert portal_token(SECRET, "finlo") == portal_token(SECRET, "finlo")


@pytest.mark.parametrize("secret", [None, "", "   \n"])
def test_missing_secret_is_an_error(secret: str | None) -> None:
    with pytest.raises(PortalSecretError) as err:
        check_secret(secret, ["finlo", "kyiv-opera"])
    assert str(err.value).startswith(
        "client portal enabled for finlo, kyiv-opera, but PLAINDESK_PORTAL_SECRET is not set. "
        "No portal was built.\nhint: set PLAINDESK_PORTAL_SECRET to a long random string"
    )


def test_short_secret_is_an_error() -> None:
    with pytest.raises(PortalSecretError) as err:
        check_secret("x" * (MIN_SECRET_LENGTH - 1), ["finlo"])
    assert str(err.value).startswith(
        "client portal enabled for finlo, but PLAINDESK_PORTAL_SECRET is too short "
        "(15 characters; at least 16 are needed). No portal was built."
    )


def test_secret_is_stripped_of_surrounding_whitespace() -> None:
    """A secret pasted into CI with a trailing newline still gives the same links."""
    assert check_secret(f"  {SECRET}\n", ["finlo"]) == SECRET
