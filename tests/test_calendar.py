"""Calendar events, computed follow-ups and the iCalendar feeds. The feeds are written
with `icalendar` and read back here with another implementation, `vobject`."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
import vobject
from conftest import make_workspace
from report_cases import CALENDAR, TODAY

from builder.model import Contact
from builder.pipeline import CheckResult, run_check
from builder.render.calendar import ical_summary
from builder.render.ical import feed, uid_domain
from builder.views import calendar as cal
from builder.views.common import Fmt
from builder.views.derived import Derived, derive


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> CheckResult:
    result = run_check(make_workspace(tmp_path_factory.mktemp("cal"), CALENDAR), TODAY)
    assert [p.headline() for p in result.errors] == []
    return result


@pytest.fixture(scope="module")
def derived(checked: CheckResult) -> Derived:
    return derive(checked.workspace)


def test_events_of_every_kind(checked: CheckResult, derived: Derived) -> None:
    evs = cal.events(checked.workspace, derived, TODAY)
    found = [(e.uid, e.start.isoformat(), e.end.isoformat(), e.people, e.done) for e in evs]
    assert found == [
        ("project-start-site", "2026-03-02", "2026-03-02", (), False),
        ("task-a3", "2026-03-09", "2026-03-13", ("ivan",), False),
        ("task-s3", "2026-03-12", "2026-03-27", ("oleh",), False),
        ("follow-up-petro", "2026-03-16", "2026-03-16", ("oleh",), False),
        ("task-s5", "2026-03-16", "2026-03-20", ("oleh",), False),
        ("next-step-acme-more", "2026-03-18", "2026-03-18", ("anna",), False),
        ("task-r3", "2026-03-18", "2026-03-18", ("anna",), False),
        ("follow-up-olena", "2026-03-20", "2026-03-20", ("anna",), False),
        ("task-a1", "2026-03-20", "2026-03-20", ("anna",), False),
        ("project-due-site", "2026-03-31", "2026-03-31", (), False),
        ("close-acme-more", "2026-04-30", "2026-04-30", ("anna",), False),
        ("task-a4", "2026-05-04", "2026-05-15", ("anna",), False),
    ]
    by_uid = {e.uid: e for e in evs}
    assert (by_uid["task-s3"].start, by_uid["task-s3"].end) == (
        date(2026, 3, 12),
        date(2026, 3, 27),
    )
    assert by_uid["follow-up-petro"].detail == "note:2026-03-02"
    assert by_uid["next-step-acme-more"].detail == "Call Olena"
    assert [e.uid for e in cal.person_events(evs, "anna")] == [
        "next-step-acme-more",
        "task-r3",
        "follow-up-olena",
        "task-a1",
        "close-acme-more",
        "task-a4",
    ]
    assert [e.uid for e in cal.project_events(evs, "site")] == [
        "project-start-site",
        "task-s3",
        "task-s5",
        "project-due-site",
    ]


def test_a_cadence_gives_a_follow_up_from_the_last_touch() -> None:
    # a cadence is a calendar interval in days, as `plaindesk follow-up` counts it
    c = Contact(id="c", path="c.md", cadence=14, body="- 2026-03-02: call\n")
    assert cal.cadence_follow_up(c, TODAY) == cal.CadenceFollowUp(
        date(2026, 3, 16), date(2026, 3, 2), "note"
    )
    later = Contact(id="c", path="c.md", cadence=60, body="**2026-01-10** lunch\n")
    assert cal.cadence_follow_up(later, TODAY) == cal.CadenceFollowUp(
        date(2026, 3, 11), date(2026, 1, 10), "note"
    )
    # a date in the future, or an impossible one, is not a touch
    assert cal.last_dated_note("2026-04-01 plan\n2026-02-30 typo\n", TODAY) is None
    assert cal.cadence_follow_up(Contact(id="c", path="c.md", cadence=100), TODAY) is None
    given = Contact(id="c", path="c.md", cadence=100, follow_up=TODAY, body="2026-03-01 x\n")
    assert cal.cadence_follow_up(given, TODAY) is None


def test_the_contact_page_says_where_a_follow_up_comes_from(
    checked: CheckResult, derived: Derived
) -> None:
    from builder.views.records import contact_page

    ws = checked.workspace

    def shown(cid: str, d: Derived = derived) -> str:
        page = contact_page(ws, d, ws.contacts[cid], TODAY)
        return next(f.value for f in page.facts if f.label == "Follow up")

    assert shown("petro") == "Mar 16, 2026: every 2 weeks since the last dated note (Mar 2, 2026)"
    assert shown("olena") == "Mar 20, 2026"
    assert shown("ira") == (
        "every 30 days; no date to count from yet (no git history, no dated note)"
    )
    # a later change in git counts instead of an older note
    from dataclasses import replace

    touched = replace(
        derived, contact_touched={"petro": date(2026, 3, 10), "ira": date(2026, 3, 1)}
    )
    assert shown("petro", touched) == (
        "Mar 24, 2026: every 2 weeks since the last change in git (Mar 10, 2026)"
    )
    assert shown("ira", touched) == (
        "Mar 31, 2026: every 30 days since the last change in git (Mar 1, 2026)"
    )
    # a daily cadence reads as one ("every day", not "every 1 days")
    ira = ws.contacts["ira"]
    ws.contacts["ira"] = replace(ira, cadence=1)
    try:
        assert (
            shown("ira", touched)
            == "Mar 2, 2026: every day since the last change in git (Mar 1, 2026)"
        )
    finally:
        ws.contacts["ira"] = ira


def test_the_setting_turns_computed_follow_ups_off(tmp_path: Path) -> None:
    files = dict(CALENDAR)
    files["workspace.yml"] += "follow_up_from_cadence: false\n"
    result = run_check(make_workspace(tmp_path, files), TODAY)
    assert result.errors == []
    uids = [e.uid for e in cal.events(result.workspace, derive(result.workspace), TODAY)]
    assert "follow-up-olena" in uids and "follow-up-petro" not in uids


def _feed(checked: CheckResult, evs: list[cal.Event]) -> bytes:
    ws = checked.workspace
    fmt = Fmt.of(ws)
    return feed(
        evs,
        "Numbers Agency",
        uid_domain(ws.settings.name),
        TODAY,
        lambda e: ical_summary(fmt, e),
        lambda e: f"https://team.example/{e.record[0]}/{e.record[1]}/",
    )


def _parse(data: bytes) -> dict[str, dict[str, object]]:
    """uid -> the event's properties, as vobject reads them."""
    parsed = vobject.readOne(data.decode("utf-8"))
    out = {}
    for ev in parsed.vevent_list:
        out[ev.uid.value] = {
            "start": ev.dtstart.value,
            "end": ev.dtend.value,
            "summary": ev.summary.value,
            "url": ev.url.value if hasattr(ev, "url") else None,
            "stamp": ev.dtstamp.value.isoformat(),
        }
    return out


def test_the_feed_reads_back_with_another_implementation(
    checked: CheckResult, derived: Derived
) -> None:
    evs = cal.person_events(cal.events(checked.workspace, derived, TODAY), "anna")
    data = _feed(checked, evs)
    events = _parse(data)
    assert list(events) == [f"{e.uid}@numbers-agency.plaindesk" for e in evs]
    a1 = events["task-a1@numbers-agency.plaindesk"]
    # all-day: dates, not datetimes; the end is the day after
    assert (a1["start"], a1["end"]) == (date(2026, 3, 20), date(2026, 3, 21))
    assert a1["summary"] == "Task A1"
    assert a1["url"] == "https://team.example/task/a1/"
    assert a1["stamp"] == "2026-03-16T00:00:00+00:00"
    a4 = events["task-a4@numbers-agency.plaindesk"]
    assert (a4["start"], a4["end"]) == (date(2026, 5, 4), date(2026, 5, 16))
    assert events["next-step-acme-more@numbers-agency.plaindesk"]["summary"] == (
        "Next step: Acme second site"
    )
    assert events["follow-up-olena@numbers-agency.plaindesk"]["summary"] == (
        "Follow up: Olena Shevchuk"
    )
    assert b"DTSTART;VALUE=DATE:20260320" in data
    assert _feed(checked, evs) == data  # the same input, the same bytes


def test_a_changed_due_date_moves_the_event_under_the_same_uid(tmp_path: Path) -> None:
    files = dict(CALENDAR)
    files["tasks/a1.md"] = files["tasks/a1.md"].replace("due: 2026-03-20", "due: 2026-03-25")
    moved = run_check(make_workspace(tmp_path, files), TODAY)
    evs = cal.events(moved.workspace, derive(moved.workspace), TODAY)
    events = _parse(_feed(moved, evs))
    a1 = events["task-a1@numbers-agency.plaindesk"]
    assert (a1["start"], a1["end"]) == (date(2026, 3, 25), date(2026, 3, 26))
    assert len(events) == len(evs)


def test_feeds_reach_three_months_back_and_keep_open_tasks() -> None:
    def task(end: date, done: bool, kind: cal.EventKind = "task") -> cal.Event:
        return cal.Event("t", kind, ("task", "t"), "T", "", end, end, (), "", done)

    cutoff = date(2025, 12, 14)  # 92 days before 2026-03-16
    assert cal.in_feeds(task(cutoff, True), TODAY)
    assert not cal.in_feeds(task(cutoff - timedelta(days=1), True), TODAY)
    assert cal.in_feeds(task(date(2025, 1, 1), False), TODAY)  # open: however overdue
    assert not cal.in_feeds(task(date(2025, 1, 1), False, "follow_up"), TODAY)


def test_the_month_grid(checked: CheckResult, derived: Derived) -> None:
    from builder.views.common import Link

    ws = checked.workspace
    evs = cal.events(ws, derived, TODAY)
    view = cal.month_view(ws, evs, TODAY, TODAY, (Link("February 2026"), Link("April 2026")))
    assert view.title == "March 2026"
    assert view.weekdays == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    days = {d.day: d for week in view.weeks for d in week}
    assert min(days) == date(2026, 2, 23) and max(days) == date(2026, 4, 5)
    assert [d.day for d in days.values() if d.today] == [TODAY]
    today = days[TODAY]
    assert [(c.text, c.note) for c in today.chips] == [
        ("Petro Bondar", "Follow up"),
        ("Task S5", "starts"),
    ]
    assert [(c.text, c.note) for c in days[date(2026, 3, 27)].chips] == [("Task S3", "due")]
    assert view.count == 10  # the events of March (a3 and s3 run into it)
    small = cal.month_view(ws, evs, TODAY, TODAY, (Link(""), Link("")), cap=1)
    cells = {d.day: d for week in small.weeks for d in week}
    assert (len(cells[TODAY].chips), cells[TODAY].more) == (1, 1)


def test_a_cadence_counts_from_the_contact_s_last_commit(tmp_path: Path) -> None:
    from gitrepo import GitRepo

    from builder.history import read_history

    repo = GitRepo(tmp_path)
    repo.write(
        {
            "workspace.yml": "name: Git Agency\ntoday: 2026-03-16\n",
            "contacts/petro.md": "---\nname: Petro\ncadence: 14d\n---\n- 2026-03-02: call\n",
        }
    )
    repo.commit("2026-03-01T10:00:00+02:00")
    repo.write(
        {"contacts/petro.md": "---\nname: Petro\ncadence: 14d\n---\n- 2026-03-02: call\nOK\n"}
    )
    repo.commit("2026-03-09T23:30:00+02:00")  # the 9th in Kyiv, the 9th in UTC too
    result = run_check(repo.content, TODAY)
    ws = result.workspace
    derived = derive(ws, read_history(repo.content, ws, TODAY))
    assert derived.contact_touched == {"petro": date(2026, 3, 9)}
    petro = [e for e in cal.events(ws, derived, TODAY) if e.uid == "follow-up-petro"]
    assert [(e.start, e.detail) for e in petro] == [(date(2026, 3, 23), "git:2026-03-09")]


def test_a_writer_serialises_an_event_once_across_feeds_and_rebuilds(
    checked: CheckResult, derived: Derived
) -> None:
    from builder.render.ical import FeedWriter

    evs = cal.events(checked.workspace, derived, TODAY)
    calls: list[str] = []

    def summary(e: cal.Event) -> str:
        calls.append(e.uid)
        return e.title

    first = FeedWriter("x.plaindesk", TODAY, summary, lambda e: None, ("en", ""))
    team = first.feed(evs, "Team")
    first.feed(cal.person_events(evs, "anna"), "Anna")
    assert sorted(calls) == sorted(e.uid for e in evs)  # each event once
    calls.clear()
    again = FeedWriter("x.plaindesk", TODAY, summary, lambda e: None, ("en", ""))
    assert again.feed(evs, "Team") == team and calls == []  # the next build: none again
    other = FeedWriter("x.plaindesk", TODAY, summary, lambda e: None, ("uk", ""))
    other.feed(evs[:1], "Team")
    assert calls == [evs[0].uid]  # another language is another summary


def test_a_build_takes_the_last_builds_events_by_the_text_it_gives(
    checked: CheckResult, derived: Derived, tmp_path: Path
) -> None:
    """With a store (`plaindesk build`), the events written are kept by a digest of the
    text the caller gives for each (the calendar pages' keys' text): the next process
    serialises none of them again, and again the one whose text changed."""
    from builder.render import ical
    from builder.render.ical import FeedWriter

    evs = cal.events(checked.workspace, derived, TODAY)
    texts = {id(e): repr(e) for e in evs}
    store = tmp_path / "ical-events.json"
    calls: list[str] = []

    def summary(e: cal.Event) -> str:
        calls.append(e.uid)
        return e.title

    def feed() -> bytes:
        ical._KEPT.clear()  # a new process
        calls.clear()
        writer = FeedWriter(
            "x.plaindesk", TODAY, summary, lambda e: None, ("en", ""), store, lambda e: texts[id(e)]
        )
        made = writer.feed(evs, "Team")
        writer.save()
        return made

    team = feed()
    assert sorted(calls) == sorted(e.uid for e in evs)
    assert feed() == team and calls == []
    texts[id(evs[0])] += " (changed)"
    assert feed() == team and calls == [evs[0].uid]


def test_a_name_with_line_breaks_is_one_line_in_a_feed() -> None:
    """A project named over two lines (YAML allows it) once made icalendar refuse to write
    the feed's calendar name, an extension property it does not escape."""
    from builder.render.ical import FeedWriter, one_line

    assert one_line("| a | b |\n|---|\r\n  x") == "| a | b | |---| x"
    feed = FeedWriter("agency.plaindesk", TODAY, lambda e: "", lambda e: "").feed(
        [], "Site\nlaunch · Agency"
    )
    assert b"X-WR-CALNAME:Site launch \xc2\xb7 Agency\r\n" in feed


def test_the_dashboard_people_pages_and_digests_chase_a_cadence_s_follow_up(
    checked: CheckResult, derived: Derived, tmp_path: Path
) -> None:
    """A follow-up a cadence gives is due like a written one: on the home page's list, the
    owner's page and the owner's digest (petro: every 14 days since a note of Mar 2)."""
    from builder.views.dashboard import follow_ups

    ws = checked.workspace

    def listed(d: Derived = derived, owner: str | None = None) -> list[tuple[str, str, bool]]:
        return [(f.contact.text, f.date, f.overdue) for f in follow_ups(ws, d, TODAY, owner)]

    assert listed() == [("Petro Bondar", "16 Mar", False), ("Olena Shevchuk", "20 Mar", False)]
    assert listed(owner="oleh") == [("Petro Bondar", "16 Mar", False)]
    # a later change in git moves it past the week ahead; an older one makes it overdue
    from dataclasses import replace

    later = replace(derived, contact_touched={"petro": date(2026, 3, 10)})
    assert listed(later) == [("Olena Shevchuk", "20 Mar", False)]
    earlier = replace(derived, contact_touched={"ira": date(2026, 2, 1)})
    assert listed(earlier)[0] == ("Ira Lysenko", "3 Mar", True)
    # oleh's digest names petro's follow-up, due today
    from builder.views.digest import digest, digest_inputs

    mine = digest(digest_inputs(ws, derived, None, TODAY), "oleh")
    due = [s for s in mine.sections if s.key == "follow_ups"]
    assert [(i.text, i.note) for s in due for i in s.items] == [("Petro Bondar", "16 Mar")]
    files = dict(CALENDAR)
    files["workspace.yml"] += "follow_up_from_cadence: false\n"
    off = run_check(make_workspace(tmp_path, files), TODAY).workspace
    assert [f.contact.text for f in follow_ups(off, derive(off), TODAY)] == ["Olena Shevchuk"]
