"""Sending one digest on one channel through Apprise.

The channel URL is filled from the environment here and nowhere else; the filled URL is
handed to Apprise and forgotten. What a failure says is Apprise's log, with every filled
value masked, so no secret reaches a CI log.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from builder.notify.channels import fill, placeholders, scheme

#: channels that get the HTML digest (with its plain-text part); others get plain text
HTML_SCHEMES = frozenset(("mailto", "mailtos"))
#: seconds a channel may take before it counts as failed
TIMEOUT = 30


@dataclass(frozen=True)
class Outcome:
    ok: bool
    reason: str = ""  # why it failed, secrets masked


def missing_variables(url: str, env: Mapping[str, str]) -> list[str]:
    """The variables a channel names that `env` lacks."""
    return fill(url, env)[1]


def send(url: str, env: Mapping[str, str], subject: str, text: str, html: str) -> Outcome:
    """Send the digest on the channel `url` (as written, placeholders filled from `env`)."""
    filled, missing = fill(url, env)
    if missing:
        names = ", ".join(missing)
        return Outcome(False, f"not sent: {names} {'is' if len(missing) == 1 else 'are'} not set")
    import apprise

    secrets = [env[name] for name in placeholders(url) if env.get(name)]
    sender = apprise.Apprise()
    if not sender.add(filled):
        return Outcome(False, "Apprise cannot read this channel URL once filled")
    as_html = scheme(url) in HTML_SCHEMES
    result: Any = sender.notify(
        body=html if as_html else text,
        title=subject,
        body_format=apprise.NotifyFormat.HTML if as_html else apprise.NotifyFormat.TEXT,
        timeout=TIMEOUT,
    )
    if result:
        return Outcome(True)
    messages = [e.message for e in result.logs() if e.level in ("WARNING", "ERROR")]
    return Outcome(
        False, _masked(messages[-1] if messages else "Apprise reported a failure", secrets)
    )


def _masked(text: str, secrets: list[str]) -> str:
    for secret in sorted(secrets, key=len, reverse=True):
        if len(secret) >= 3:
            text = text.replace(secret, "***")
    return text.replace("\n", " ").strip()
