"""The outreach log: a contact's `log:` in both forms and its problems, the contact's
timeline, a project's media list, the dashboard's answers to chase, a metric counted from
the log, page keys, and `plaindesk log CONTACT --outcome ... --about ...`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path

import pytest
from edit_cases import run, workspace

from builder.model import OutreachEntry
from builder.pipeline import CheckResult, run_check
from builder.render.keys import record_key
from builder.views.dashboard import dashboard
from builder.views.derived import derive
from builder.views.records import contact_page, project_page

MakeWorkspace = Callable[[Path, Mapping[str, str | bytes]], Path]
TODAY = date(2026, 3, 16)
DEMO = Path(__file__).resolve().parent.parent / "content"
HINT = (
    "write `- 2026-03-10 anna-k email season-2026 replied note` (the channel may be left "
    "out) or `- {date: 2026-03-10, person: anna-k, about: season-2026, outcome: replied}`"
)

BASE = {
    "workspace.yml": "name: Agency\ntoday: 2026-03-16\n",
    "people/anna.md": "---\nname: Anna Kovalenko\n---\n",
    "people/oleh.md": "---\nname: Oleh Petrenko\n---\n",
    "companies/acme.md": "---\nname: Acme\nkind: client\n---\n",
    "companies/daily.md": "---\nname: The Daily\nkind: media\n---\n",
    "projects/site.md": (
        "---\nname: Site launch\ncompany: acme\nmetrics:\n"
        "  - {name: Press mentions, target: 10, from: published, unit: articles}\n"
        "  - {name: Typed, target: 4, actual: 3}\n---\n"
    ),
    "projects/other.md": "---\nname: Other\ncompany: acme\n---\n",
    "tasks/pitch.md": "---\ntitle: Pitch the launch\nproject: site\n---\n",
    "deals/big.md": "---\ntitle: Big deal\ncompany: acme\nstage: lead\n---\n",
}


def _contact(name: str, log: str, company: str = "") -> str:
    extra = f"company: {company}\n" if company else ""
    return f"---\nname: {name}\n{extra}log:\n{log}---\n"


MEDIA = {
    # to chase: sent 11 days ago, no answer since
    "contacts/ann.md": _contact("Ann Chase", "  - 2026-03-05 anna email site sent the pitch\n"),
    # to chase too, waiting longer: the first of the list
    "contacts/bob.md": _contact("Bob Longer", "  - 2026-03-01 oleh pitch no-answer\n"),
    # sent 3 days ago: waiting, not yet to chase
    "contacts/cid.md": _contact("Cid Recent", "  - 2026-03-13 anna email site sent\n"),
    "contacts/dee.md": _contact(
        "Dee Published",
        "  - 2026-03-02 anna email site sent\n"
        "  - 2026-03-09 anna pitch published https://daily.example/a front page story\n"
        "  - {date: 2026-03-12, person: oleh, channel: phone, about: site, outcome: published,"
        " link: 'https://daily.example/b'}\n",
        company="daily",
    ),
    "contacts/eve.md": _contact("Eve Interested", "  - 2026-03-10 anna site interested\n"),
    "contacts/fay.md": _contact("Fay Declined", "  - 2026-03-11 anna site declined\n"),
    "contacts/gus.md": _contact("Gus Replied", "  - 2026-03-14 anna site replied\n"),
    # about other things: another project, a deal (on the dashboard, not this media list)
    "contacts/hal.md": _contact(
        "Hal Elsewhere",
        "  - 2026-03-01 anna other sent\n  - 2026-03-02 anna big sent\n",
    ),
}


@pytest.fixture
def media(tmp_path: Path, make_workspace: MakeWorkspace) -> CheckResult:
    result = run_check(make_workspace(tmp_path, {**BASE, **MEDIA}), TODAY)
    assert [p.headline() for p in result.problems] == []
    return result


# --- parsing -------------------------------------------------------------------------------


def test_both_forms_parse_to_the_same_entries(media: CheckResult) -> None:
    log = media.workspace.contacts["dee"].log
    assert log == [
        OutreachEntry(date(2026, 3, 2), "anna", "email", "site", "sent", "", "", 5, 5),
        OutreachEntry(
            date(2026, 3, 9),
            "anna",
            "",
            "pitch",
            "published",
            "https://daily.example/a",
            "front page story",
            6,
            5,
        ),
        OutreachEntry(
            date(2026, 3, 12), "oleh", "phone", "site", "published", "https://daily.example/b",
            "", 7, 5,
        ),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("log", "problem", "hint"),
    [
        (
            "  - 2026-03-10 anna site\n",
            "error PD116: malformed outreach entry `2026-03-10 anna site`",
            HINT,
        ),
        (
            "  - 2026-02-30 anna site sent\n",
            "error PD116: outreach entry has bad date `2026-02-30`: no such day in the calendar",
            HINT,
        ),
        (
            "  - 2026-03-10 anna site replyed thanks\n",
            "error PD107: `replyed` is not an outreach outcome",
            "did you mean `replied`?",
        ),
        (
            "  - 2026-03-10 anna emial site sent\n",
            "error PD107: `emial` is not a channel",
            "did you mean `email`?",
        ),
        (
            "  - 2026-03-10 bob site sent\n",
            "error PD201: unknown person `bob`",
            "expected one of `anna`, `oleh`",
        ),
        (
            "  - 2026-03-10 anna sitr sent\n",
            "error PD201: unknown project, task or deal `sitr`",
            "did you mean `site`?",
        ),
        (
            "  - 2026-03-10 anna site published\n",
            "warning PD407: outreach entry of 2026-03-10 is published but has no link",
            "add the publication's address to the entry (`link:`, or anywhere in its note)",
        ),
        (
            "  - {date: 2026-03-10, person: anna, outcome: sent}\n",
            "error PD116: outreach entry without `about`",
            HINT,
        ),
        (
            "  - {date: 2026-03-10, person: anna, about: site, outcome: sent, url: x}\n",
            "error PD116: unknown field `url` in an outreach entry",
            "expected one of `about`, `channel`, `date`, `link`, `note`, `outcome`, `person`",
        ),
        (
            "  - {date: 2026-03-10, person: anna, about: site, outcome: sent, channel: fax}\n",
            "error PD107: `fax` is not one of the allowed values",
            "expected one of `email`, `meeting`, `messenger`, `other`, `phone`, `social`",
        ),
    ],
)
def test_every_problem_of_a_log(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    make_workspace: MakeWorkspace,
    log: str,
    problem: str,
    hint: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    make_workspace(tmp_path, {**BASE, "contacts/olena.md": _contact("Olena", log)})
    result = run_check(Path("ws"), TODAY)
    # a one-line entry's problems point at the entry, a mapping's at its key or value
    col = {"url": 66, "fax": 75}.get(next((w for w in ("url", "fax") if w in log), ""), 5)
    assert [(p.headline(), p.hint) for p in result.problems] == [
        (f"ws/contacts/olena.md:4:{col}: {problem}", hint)
    ]


# --- pages ---------------------------------------------------------------------------------


def test_the_contact_timeline_is_newest_first(media: CheckResult) -> None:
    ws = media.workspace
    page = contact_page(ws, derive(ws), ws.contacts["dee"], TODAY)
    assert [
        (r.date, r.outcome, r.about.text, r.about.url, r.person.text, r.channel, r.link, r.note)
        for r in page.outreach
    ] == [
        ("Mar 12, 2026", "Published", "Site launch", "projects/site/", "Oleh Petrenko", "Phone",
         "https://daily.example/b", ""),
        ("Mar 9, 2026", "Published", "Pitch the launch", "tasks/pitch/", "Anna Kovalenko", "",
         "https://daily.example/a", "front page story"),
        ("Mar 2, 2026", "Sent", "Site launch", "projects/site/", "Anna Kovalenko", "E-mail", "",
         ""),
    ]  # fmt: skip


def test_the_media_list_puts_what_needs_action_first(media: CheckResult) -> None:
    ws = media.workspace
    page = project_page(ws, derive(ws), ws.projects["site"], TODAY)
    assert page.media is not None
    assert [
        (r.contact.text, r.outcome, r.date, r.chase, r.waiting, [p.text for p in r.publications])
        for r in page.media.rows
    ] == [
        ("Bob Longer", "No answer", "1 Mar", True, "waiting 15 days", []),
        ("Ann Chase", "Sent", "5 Mar", True, "waiting 11 days", []),
        ("Eve Interested", "Interested", "10 Mar", False, "", []),
        ("Gus Replied", "Replied", "14 Mar", False, "", []),
        ("Cid Recent", "Sent", "13 Mar", False, "", []),
        ("Dee Published", "Published", "12 Mar", False, "",
         ["daily.example · 9 Mar", "daily.example · 12 Mar"]),
        ("Fay Declined", "Declined", "11 Mar", False, "", []),
    ]  # fmt: skip
    assert (page.media.published, page.media.to_chase) == (2, 2)
    assert page.media.rows[5].outlet.text == "The Daily"
    assert page.media.hint.endswith("an answer is chased 5 days after the pitch.")
    # the metric counts the two publications; the typed one stays as typed
    assert [(m.name, m.actual, m.target) for m in page.metrics] == [
        ("Press mentions", "2", "10"),
        ("Typed", "3", "4"),
    ]
    other = project_page(ws, derive(ws), ws.projects["other"], TODAY)
    assert other.media is not None and [r.contact.text for r in other.media.rows] == [
        "Hal Elsewhere"
    ]


def test_a_project_without_outreach_has_no_media_list(
    tmp_path: Path, make_workspace: MakeWorkspace
) -> None:
    ws = run_check(make_workspace(tmp_path, BASE), TODAY).workspace
    page = project_page(ws, derive(ws), ws.projects["site"], TODAY)
    assert page.media is None
    assert [m.actual for m in page.metrics] == ["0", "3"]


def test_the_setting_moves_the_chase_line(tmp_path: Path, make_workspace: MakeWorkspace) -> None:
    files = {**BASE, **MEDIA, "workspace.yml": "name: Agency\nchase_after_days: 12\n"}
    ws = run_check(make_workspace(tmp_path, files), TODAY).workspace
    page = project_page(ws, derive(ws), ws.projects["site"], TODAY)
    assert page.media is not None
    assert [r.contact.text for r in page.media.rows if r.chase] == ["Bob Longer"]


def test_the_dashboard_lists_answers_to_chase(media: CheckResult) -> None:
    ws = media.workspace
    view = dashboard(ws, derive(ws), TODAY, [])
    assert [(c.contact.text, c.about.text, c.about.url, c.waiting) for c in view.chase] == [
        ("Bob Longer", "Site launch", "projects/site/#media-list", "waiting 15 days"),
        ("Hal Elsewhere", "Other", "projects/other/#media-list", "waiting 15 days"),
        ("Hal Elsewhere", "Big deal", "deals/big/", "waiting 14 days"),
        ("Ann Chase", "Site launch", "projects/site/#media-list", "waiting 11 days"),
    ]
    assert (view.chase_count, view.chase_days) == (4, 5)


def test_the_project_page_key_follows_the_contacts_pitched(
    tmp_path: Path, make_workspace: MakeWorkspace
) -> None:
    root = make_workspace(tmp_path, {**BASE, **MEDIA})
    before = run_check(root, TODAY).workspace
    (root / "contacts/eve.md").write_text(
        _contact("Eve Interested", "  - 2026-03-15 anna site published https://x.example/\n"),
        encoding="utf-8",
    )
    after = run_check(root, TODAY).workspace

    def key(ws: object, kind: str, ident: str) -> tuple[str, ...]:
        from builder.model import Workspace

        assert isinstance(ws, Workspace)
        return record_key(ws, derive(ws), kind, ws.table(kind)[ident], "salt")

    assert key(before, "project", "site") != key(after, "project", "site")
    assert key(before, "project", "other") == key(after, "project", "other")
    # a contact's page names the task its entry is about
    (root / "tasks/pitch.md").write_text("---\ntitle: Renamed\nproject: site\n---\n")
    renamed = run_check(root, TODAY).workspace
    assert key(after, "contact", "dee") != key(renamed, "contact", "dee")
    assert key(after, "contact", "ann") == key(renamed, "contact", "ann")


# --- the demo ------------------------------------------------------------------------------


def test_the_demo_has_media_lists_and_a_counted_metric() -> None:
    result = run_check(DEMO)
    ws, today = result.workspace, result.today
    assert [p.headline() for p in result.problems if p.code in ("PD116", "PD407")] == []
    derived = derive(ws)
    finlo = project_page(ws, derived, ws.projects["finlo-ua-launch"], today)
    assert finlo.media is not None
    assert [(r.contact.text, r.outcome, r.chase) for r in finlo.media.rows] == [
        ("Michał Kamiński", "Sent", True),
        ("Ewa Jankowska", "Sent", True),
        ("Agnieszka Dąbrowska", "Interested", False),
        ("Роман Даниленко", "Published", False),
        ("Олександра Поліщук", "Published", False),
        ("Paweł Szymański", "Declined", False),
    ]
    assert finlo.metrics[0].actual == "3"  # three publications, none typed by hand
    opera = project_page(ws, derived, ws.projects["opera-season-2026"], today)
    assert opera.media is not None and opera.media.to_chase == 2
    view = dashboard(ws, derived, today, [])
    assert view.chase_count == 4


# --- plaindesk log CONTACT -----------------------------------------------------------------

EDIT = {
    "contacts/olena.md": (
        "---\nname: Olena\nlog:\n  - 2026-03-02 anna email site sent\n---\nNotes.\n"
    ),
    "contacts/petro.md": "---\nname: Petro\n---\n",
    "contacts/maria.md": (
        "---\nname: Maria\nlog:\n  - {date: 2026-03-02, person: anna, about: site, outcome: sent}"
        "\n---\n"
    ),
}


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    workspace(tmp_path, EDIT)
    return Path("ws")


def test_log_appends_a_one_line_entry(root: Path) -> None:
    result = run(
        root, "log", "olena", "--outcome", "published", "--about", "site", "--channel", "phone",
        "--link", "https://daily.example/a", "--person", "anna", "--today", "2026-03-16",
        "front", "page",
    )  # fmt: skip
    assert (result.exit_code, result.output) == (
        0,
        "logged published about site with contact olena for anna on 2026-03-16 "
        "(ws/contacts/olena.md)\n",
    )
    assert (root / "contacts/olena.md").read_bytes() == (
        b"---\nname: Olena\nlog:\n  - 2026-03-02 anna email site sent\n"
        b"  - 2026-03-16 anna phone site published front page https://daily.example/a\n"
        b"---\nNotes.\n"
    )
    entry = run_check(root).workspace.contacts["olena"].log[-1]
    assert (entry.link, entry.note, entry.channel) == (
        "https://daily.example/a",
        "front page",
        "phone",
    )


def test_log_starts_a_log_and_follows_the_mapping_form(root: Path) -> None:
    args = ("--about", "site", "--person", "anna", "--today", "2026-03-16")
    assert run(root, "log", "petro", "--outcome", "sent", *args).exit_code == 0
    assert (root / "contacts/petro.md").read_bytes() == (
        b"---\nname: Petro\nlog:\n  - 2026-03-16 anna site sent\n---\n"
    )
    assert run(root, "log", "maria", "--outcome", "replied", *args, "yes").exit_code == 0
    assert (root / "contacts/maria.md").read_bytes() == (
        b"---\nname: Maria\nlog:\n  - {date: 2026-03-02, person: anna, about: site, outcome: sent}"
        b"\n  - {date: 2026-03-16, person: anna, about: site, outcome: replied, note: yes}\n---\n"
    )
    assert [p.headline() for p in run_check(root).problems if p.is_error] == []


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (
            ("olena", "--outcome", "replyed", "--about", "site"),
            "error: `replyed` is not an outreach outcome; did you mean `replied`?\n",
        ),
        (
            ("olena", "--outcome", "sent", "--about", "sit"),
            "error: no project, task or deal has the id `sit`; did you mean `site`?\n",
        ),
        (
            ("olena", "--outcome", "sent", "--about", "site", "--channel", "fax"),
            "error: `fax` is not a channel; expected one of `email`, `meeting`, `messenger`, "
            "`other`, `phone`, `social`\n",
        ),
        (("olena", "--outcome", "sent"), "error: an outreach entry needs --about too\n"),
        (
            ("olena", "replied"),
            "error: `olena` is a contact: say what came of it and about what, e.g. "
            "`plaindesk log olena --outcome replied --about PROJECT`\n",
        ),
    ],
)
def test_log_refuses_bad_arguments_and_writes_nothing(
    root: Path, args: tuple[str, ...], error: str
) -> None:
    before = (root / "contacts/olena.md").read_bytes()
    result = run(root, "log", *args, "--person", "anna")
    assert (result.exit_code, result.output) == (2, error)
    assert (root / "contacts/olena.md").read_bytes() == before


def test_log_warns_of_a_publication_without_a_link(root: Path) -> None:
    result = run(
        root, "log", "olena", "--outcome", "published", "--about", "site", "--person", "anna",
        "--today", "2026-03-16",
    )  # fmt: skip
    assert result.exit_code == 0
    assert result.output.startswith("warning: published without a link: add it with --link URL\n")


def test_log_still_takes_a_task_and_a_duration(root: Path) -> None:
    result = run(root, "log", "hero", "2h", "banner", "--person", "anna", "--today", "2026-03-16")
    assert result.exit_code == 0, result.output
    assert "  - 2026-03-16 anna 2h banner\n" in (root / "tasks/hero.md").read_text()
