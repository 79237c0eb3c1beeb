"""The Apprise adapter (builder/notify/channels.py): channel URLs of the common services
read by Apprise's own parser, secrets found where Apprise keeps them, placeholders filled
from the environment. Fails loudly when a new Apprise reads these URLs differently."""

from __future__ import annotations

import apprise
import pytest

from builder.notify.channels import (
    APPRISE_TESTED,
    FAST_SCHEMES,
    _manager,
    _plugin,
    apprise_major,
    check_channel,
    fill,
    placeholders,
)

# (as written in a record, the environment that fills it)
FORMS = {
    "telegram": (
        "tgram://{TELEGRAM_TOKEN}/{TELEGRAM_CHAT}",
        {
            "TELEGRAM_TOKEN": "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
            "TELEGRAM_CHAT": "-1001",
        },
    ),
    "discord": (
        "discord://{DISCORD_WEBHOOK_ID}/{DISCORD_WEBHOOK_TOKEN}",
        {"DISCORD_WEBHOOK_ID": "4174216298", "DISCORD_WEBHOOK_TOKEN": "JHMHI8qBe7bk2ZwO5U711o3dV"},
    ),
    "slack": (
        "slack://{SLACK_A}/{SLACK_B}/{SLACK_C}/#general",
        {"SLACK_A": "T1JJ3T3L2", "SLACK_B": "A1BRTD4JD", "SLACK_C": "TIiajkdnlazkcOXrIdevi7FQ"},
    ),
    "email": (
        "mailtos://{SMTP_USER}:{SMTP_PASSWORD}@smtp.example.com?to=anna@example.com",
        {"SMTP_USER": "robot", "SMTP_PASSWORD": "pw"},
    ),
}

# a secret written in the record: (URL, the part Apprise calls it)
LITERAL = {
    "telegram": ("tgram://123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/-1001", "bot_token"),
    "discord": ("discord://4174216298/JHMHI8qBe7bk2ZwO5U711o3dV", "webhook_id"),
    "slack": ("slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ/#general", "token_a"),
    "email": ("mailtos://robot:hunter2@smtp.example.com?to=anna@example.com", "password"),
    "email-query": ("mailto://robot@smtp.example.com?pass=hunter2&to=a@example.com", "password"),
    "webhook": ("json://robot:hunter2@hooks.example.com/in", "password"),
}


def test_the_apprise_this_adapter_was_written_for() -> None:
    assert apprise_major() == APPRISE_TESTED


@pytest.mark.parametrize("scheme", sorted(FAST_SCHEMES))
def test_the_short_way_to_a_plugin_finds_what_apprise_would(scheme: str) -> None:
    """The adapter imports one plugin module for these schemes: the same class as
    Apprise's own manager (which imports them all) maps the scheme to."""
    assert _plugin(scheme) is _manager()[scheme]


@pytest.mark.parametrize("service", sorted(FORMS))
def test_placeholder_forms_pass_check_and_apprise_reads_them_filled(service: str) -> None:
    written, env = FORMS[service]
    assert check_channel(written) is None
    filled, missing = fill(written, env)
    assert missing == []
    assert "{" not in filled
    assert apprise.Apprise().add(filled) is True  # Apprise's own parser accepts it


@pytest.mark.parametrize("service", sorted(LITERAL))
def test_a_literal_secret_is_refused(service: str) -> None:
    url, part = LITERAL[service]
    problem = check_channel(url)
    assert problem is not None
    assert problem.code == "PD114"
    assert f"the `{part}` of this" in problem.message


def test_a_placeholder_among_literals_is_still_a_literal() -> None:
    problem = check_channel("tgram://123456789:{TOKEN_TAIL}/-1001")
    assert problem is not None and problem.code == "PD114"


def test_unknown_schemes_are_refused() -> None:
    for url in ("telegram://{T}/1", "https://example.com/hook", "just text"):
        problem = check_channel(url)
        assert problem is not None and problem.code == "PD115", url


def test_placeholders_and_filling() -> None:
    url = "mailto://{USER}:{PASSWORD}@{HOST}?to=a@example.com&from={USER}@example.com"
    assert placeholders(url) == ["USER", "PASSWORD", "HOST"]
    assert fill(url, {"USER": "me", "PASSWORD": "", "HOST": "smtp"}) == (
        "mailto://me:@smtp?to=a@example.com&from=me@example.com",
        ["PASSWORD"],
    )
