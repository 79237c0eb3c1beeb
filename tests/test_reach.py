"""One tap from a phone: phone numbers become `tel:` links in the workspace's own format,
e-mails `mailto:`, chat handles links into their app, websites real links; and the
`phone_region` setting that says where numbers written without `+` are."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_workspace
from site_cases import TODAY

from builder.pipeline import CheckResult, run_check
from builder.views import dashboard, reach
from builder.views.derived import derive
from builder.views.reach import Reach
from builder.views.records import contact_page, person_record_facts


@pytest.mark.parametrize(
    ("written", "region", "expected"),
    [
        # a home number: shown as people there write it, dialled in full
        ("+380 44 123 45 67", "UA", Reach("044 123 4567", "tel:+380441234567", "phone")),
        ("(067) 330-12-45", "UA", Reach("067 330 1245", "tel:+380673301245", "phone")),
        # another country's number: international form
        ("+48 22 395 41 20", "UA", Reach("+48 22 395 41 20", "tel:+48223954120", "phone")),
        ("+380 50 311 2040", "PL", Reach("+380 50 311 2040", "tel:+380503112040", "phone")),
        # an extension rides along in the link (RFC 3966)
        (
            "+380 44 123 45 67 ext. 12",
            "UA",
            Reach("044 123 4567 ext. 12", "tel:+380441234567;ext=12", "phone"),
        ),
        # no country code and no region, or not a number: text, never a wrong link
        ("044 123 4567", "", Reach("044 123 4567", "", "phone")),
        ("ask the office", "UA", Reach("ask the office", "", "phone")),
        ("+380 44 000", "UA", Reach("+380 44 000", "", "phone")),
    ],
)
def test_phone(written: str, region: str, expected: Reach) -> None:
    assert reach.phone(written, region) == expected


@pytest.mark.parametrize(
    ("network", "handle", "expected"),
    [
        ("telegram", "@oshevchuk", ("@oshevchuk", "https://t.me/oshevchuk", "Telegram")),
        ("Telegram", "oshevchuk", ("@oshevchuk", "https://t.me/oshevchuk", "Telegram")),
        (
            "telegram",
            "https://t.me/some_user",
            ("@some_user", "https://t.me/some_user", "Telegram"),
        ),
        (
            "telegram",
            "+380 50 311 2040",
            ("+380 50 311 2040", "https://t.me/+380503112040", "Telegram"),
        ),
        # too short for a Telegram username: text
        ("telegram", "@abc", ("@abc", "", "Telegram")),
        (
            "whatsapp",
            "+48 512 887 301",
            ("+48 512 887 301", "https://wa.me/48512887301", "WhatsApp"),
        ),
        ("whatsapp", "050 311 2040", ("050 311 2040", "https://wa.me/380503112040", "WhatsApp")),
        (
            "viber",
            "067 330 1245",
            ("067 330 1245", "viber://chat?number=%2B380673301245", "Viber"),
        ),
        (
            "signal",
            "+48 600 414 202",
            ("+48 600 414 202", "https://signal.me/#p/+48600414202", "Signal"),
        ),
        ("signal", "@someone.01", ("@someone.01", "", "Signal")),
        # networks without a known link form stay text, labelled as written
        ("discord", "adamg#0412", ("adamg#0412", "", "discord")),
        ("slack", "finlo / @kasia", ("finlo / @kasia", "", "slack")),
        # a handle given without its network (`chat: "@anna_k"`)
        ("chat", "@anna_k", ("@anna_k", "", "")),
    ],
)
def test_chat(network: str, handle: str, expected: tuple[str, str, str]) -> None:
    found = reach.chat(network, handle, "UA")
    assert (found.text, found.url, found.network) == expected
    assert found.kind == network


@pytest.mark.parametrize(
    ("written", "url"),
    [
        ("https://acme.example", "https://acme.example"),
        ("http://acme.example/about", "http://acme.example/about"),
        ("www.acme.example", "https://www.acme.example"),
        ("acme.example/ua", "https://acme.example/ua"),
        ("javascript:alert(1)", ""),
        ("our site", ""),
    ],
)
def test_website(written: str, url: str) -> None:
    assert reach.website(written) == Reach(written, url)


def test_email_is_percent_encoded() -> None:
    assert reach.email("o.shevchuk@example.org") == Reach(
        "o.shevchuk@example.org", "mailto:o.shevchuk@example.org", "email"
    )
    # a `?` would otherwise start a subject line
    assert reach.email("a?subject=x@example.org").url == "mailto:a%3Fsubject%3Dx@example.org"


def test_region_from_the_setting_else_the_language() -> None:
    assert reach.workspace_region("PL", "uk") == "PL"
    assert [reach.workspace_region("", loc) for loc in ("uk", "ru", "en")] == ["UA", "RU", "US"]


WORKSPACE = {
    "people/anna.md": '---\nname: Anna\nphone: "+380 44 390 1201"\n'
    'chat: {telegram: "@anna_pm", viber: "+380 67 412 0953"}\n---\n',
    "companies/acme.md": "---\nname: Acme\nkind: client\nwebsite: www.acme.example\n---\n",
    "contacts/olena.md": "---\nname: Olena\ncompany: acme\nemail: olena@acme.example\n"
    'phone: "067 330 1245"\nchat: {whatsapp: "+48 512 887 301", discord: "olena#1"}\n'
    "owner: anna\nfollow_up: 2026-03-12\n---\n",
}


def checked(tmp_path: Path, settings: str) -> CheckResult:
    make_workspace(tmp_path, {"workspace.yml": settings, **WORKSPACE})
    result = run_check(tmp_path / "ws", TODAY)
    assert [p.headline() for p in result.errors] == []
    return result


def test_contact_and_person_facts_are_links(tmp_path: Path) -> None:
    ws = checked(tmp_path, "name: A\nlocale: en\nphone_region: ua\n").workspace
    page = contact_page(ws, derive(ws), ws.contacts["olena"], TODAY)
    assert [(f.label, f.value, f.url) for f in page.facts if f.url.count(":")] == [
        ("E-mail", "olena@acme.example", "mailto:olena@acme.example"),
        ("Phone", "067 330 1245", "tel:+380673301245"),
        ("WhatsApp", "+48 512 887 301", "https://wa.me/48512887301"),
    ]
    assert ("discord", "olena#1", "") in [(f.label, f.value, f.url) for f in page.facts]
    assert [(f.label, f.value, f.url) for f in person_record_facts(ws, ws.people["anna"])] == [
        ("Phone", "044 390 1201", "tel:+380443901201"),
        ("Telegram", "@anna_pm", "https://t.me/anna_pm"),
        ("Viber", "067 412 0953", "viber://chat?number=%2B380674120953"),
        ("Calendar", "Open the calendar", "calendar/people/anna/"),  # her own, in the site
    ]


def test_follow_ups_carry_every_way_to_reach_the_contact(tmp_path: Path) -> None:
    ws = checked(tmp_path, "name: A\nlocale: uk\n").workspace  # uk: numbers are Ukrainian
    (row,) = dashboard.follow_ups(ws, derive(ws), TODAY)
    assert [(w.kind, w.text, w.url) for w in row.ways] == [
        ("email", "olena@acme.example", "mailto:olena@acme.example"),
        ("phone", "067 330 1245", "tel:+380673301245"),
        ("discord", "olena#1", ""),
        ("whatsapp", "+48 512 887 301", "https://wa.me/48512887301"),
    ]


def test_a_region_phone_numbers_cannot_be_read_in_is_a_problem(tmp_path: Path) -> None:
    make_workspace(tmp_path, {"workspace.yml": "name: A\nphone_region: Ukraine\n", **WORKSPACE})
    result = run_check(tmp_path / "ws", TODAY)
    assert [(p.headline().split("workspace.yml:", 1)[1], p.hint) for p in result.errors] == [
        (
            "2:15: error PD113: `Ukraine` is not a country phone numbers can be read in",
            "write a two-letter ISO 3166 country code, such as `UA` or `PL`",
        )
    ]
