"""The activity feed (exact lines in three languages, filters, parts for links), the Atom
document and the SVG charts."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from gitrepo import build_scenario

from builder.history import History, project_flow, read_history
from builder.history.events import Author, derive, display_name
from builder.history.flow import Cfd, CfdSeries, WeekCount
from builder.history.git import Commit, FileChange
from builder.i18n import format_money
from builder.model import Workspace
from builder.pipeline import run_check
from builder.render.atom import atom
from builder.render.svg import cfd_svg, throughput_svg
from builder.render.xmltext import xml_text
from builder.views.charts import cfd_chart, throughput_chart
from builder.views.common import Fmt
from builder.views.feed import PERSON, RECORD, TEXT, VALUE, Part, feed, feed_entries

TODAY = date(2026, 3, 16)
ANNA_MAIL = "anna@brightline.agency"
ATOM = "{http://www.w3.org/2005/Atom}"
UAH_50K = format_money(50000, "UAH", "en")  # the site's money style, whatever it is


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[History, Workspace]:
    repo = build_scenario(tmp_path_factory.mktemp("feed"))
    ws = run_check(repo.content, TODAY).workspace
    return read_history(repo.content, ws, TODAY, use_cache=False), ws


def lines(days: list, n: int | None = None) -> list[str]:  # type: ignore[type-arg]
    out = []
    for day in days:
        out.append(f"# {day.label}")
        out += [e.text for e in day.entries]
    return out[:n]


def test_feed_lines_newest_first_grouped_by_day(world: tuple[History, Workspace]) -> None:
    history, ws = world
    assert lines(feed(history, ws, "en")) == [
        "# Friday, March 13, 2026",
        "Bot moved deal “Kyiv Opera sponsorship” from Proposal sent to Negotiation",
        # Committed at 23:30 on the 12th in New York: the 13th in Kyiv.
        "Anna moved “Homepage mock-ups” from Client approval to Released",
        "# Wednesday, March 11, 2026",
        "Anna changed the id of “Homepage copy” (was copy)",
        "# Tuesday, March 10, 2026",
        "Oleh lost deal “Finlo launch”",
        "Oleh moved deal “Kyiv Opera sponsorship” from Lead to Proposal sent",
        "# Monday, March 9, 2026",
        "Anna moved “Homepage mock-ups” from Design to Client approval",
        "Anna deleted task “Old brief”",
        "# Friday, March 6, 2026",
        "Anna moved “Homepage copy” from Queue to Accepted",
        "Anna set the due date of “Homepage copy” to Mar 20, 2026",
        "# Wednesday, March 4, 2026",
        "Anna created task “Banner <b>&</b>”",
        "Anna moved “Homepage mock-ups” from Accepted to Design",
        "# Tuesday, March 3, 2026",
        "Anna moved “Homepage mock-ups” from Queue to Accepted",
        "Anna assigned “Homepage mock-ups” to Oleh Petrenko",
        "Anna created task “Old brief”",
        "# Monday, March 2, 2026",
        "Oleh created deal “Finlo launch”",
        f"Oleh created deal “Kyiv Opera sponsorship” ({UAH_50K})",
        "Oleh created deal “Tau retainer”",
        "Anna added company “Kyiv Opera”",
        "Anna added team member “Anna Kovalenko”",
        "Anna added team member “Oleh Petrenko”",
        "Anna created project “Opera website”",
        "Anna created task “Homepage copy”",
        "Anna created task “Homepage mock-ups”",
    ]


def test_feed_in_russian_and_ukrainian(world: tuple[History, Workspace]) -> None:
    history, ws = world
    assert lines(feed(history, ws, "ru"), 4) == [
        "# пятница, 13 марта 2026\u202fг.",  # Babel's narrow no-break space
        "Bot перевел(а) сделку «Kyiv Opera sponsorship»: Proposal sent → Negotiation",
        "Anna переместил(а) «Homepage mock-ups»: Client approval → Released",
        "# среда, 11 марта 2026\u202fг.",
    ]
    uk = [e.text for e in feed_entries(history, ws, "uk", since=date(2026, 3, 9))]
    assert uk[-2:] == [
        "Anna перемістив(ла) «Homepage mock-ups»: Design → Client approval",
        "Anna видалив(ла) завдання «Old brief»",
    ]


def test_entry_parts_for_links(world: tuple[History, Workspace]) -> None:
    history, ws = world
    entry = feed_entries(history, ws, "en", limit=2)[1]
    assert entry.parts == (
        Part(PERSON, "Anna", ("person", "anna-k")),
        Part(TEXT, " moved "),
        Part(RECORD, "Homepage mock-ups", ("task", "mockups")),
        Part(TEXT, " from "),
        Part(VALUE, "Client approval"),
        Part(TEXT, " to "),
        Part(VALUE, "Released"),
    )
    assert (entry.person, entry.project, entry.target, entry.day) == (
        "anna-k",
        "site",
        ("task", "mockups"),
        date(2026, 3, 13),
    )
    assigned = next(e for e in feed_entries(history, ws, "en") if "assigned" in e.text)
    assert assigned.parts[-1] == Part(VALUE, "Oleh Petrenko", ("person", "oleh-p"))
    deleted = next(e for e in feed_entries(history, ws, "en") if "deleted" in e.text)
    assert deleted.target is None and deleted.record == ("task", "old-brief")
    bot = feed_entries(history, ws, "en", limit=1)[0]
    assert bot.parts[0] == Part(PERSON, "Bot", None) and bot.person is None


def test_feed_filters(world: tuple[History, Workspace]) -> None:
    history, ws = world
    oleh = [e.text for e in feed_entries(history, ws, "en", person="oleh-p")]
    assert oleh == [
        "Oleh lost deal “Finlo launch”",
        "Oleh moved deal “Kyiv Opera sponsorship” from Lead to Proposal sent",
        "Oleh created deal “Finlo launch”",
        f"Oleh created deal “Kyiv Opera sponsorship” ({UAH_50K})",
        "Oleh created deal “Tau retainer”",
    ]
    site = feed_entries(history, ws, "en", project="site", since=date(2026, 3, 9))
    assert [e.text for e in site] == [
        "Anna moved “Homepage mock-ups” from Client approval to Released",
        "Anna changed the id of “Homepage copy” (was copy)",
        "Anna moved “Homepage mock-ups” from Design to Client approval",
        "Anna deleted task “Old brief”",
    ]
    assert len(feed_entries(history, ws, "en", limit=3)) == 3


def test_atom_feed(world: tuple[History, Workspace]) -> None:
    history, ws = world
    entries = feed_entries(history, ws, "en", since=date(2026, 3, 4))
    xml = atom(
        entries,
        title="Brightline: activity",
        feed_url="https://team.example/activity.xml",
        site_url="https://team.example/",
        href=lambda key: f"https://team.example/{key[0]}s/{key[1]}/",
        locale="en",
        today=TODAY,
    )
    assert xml.startswith('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns=')
    assert "Banner &lt;b&gt;&amp;&lt;/b&gt;" in xml  # escaped, never markup
    root = ET.fromstring(xml)
    assert root.findtext(f"{ATOM}updated") == "2026-03-13T10:00:00+02:00"
    items = root.findall(f"{ATOM}entry")
    assert len(items) == len(entries) == 11
    first = items[0]
    assert first.findtext(f"{ATOM}title") == entries[0].text
    assert first.findtext(f"{ATOM}author/{ATOM}name") == "Bot"
    assert first.find(f"{ATOM}link").get("href") == "https://team.example/deals/kyiv-opera/"  # type: ignore[union-attr]
    ids = [i.findtext(f"{ATOM}id") for i in items]
    assert len(set(ids)) == len(ids) and all(i and i.startswith("urn:uuid:") for i in ids)
    deleted = next(i for i in items if "deleted" in (i.findtext(f"{ATOM}title") or ""))
    assert deleted.find(f"{ATOM}link") is None
    again = atom(
        entries,
        title="Brightline: activity",
        feed_url="https://team.example/activity.xml",
        site_url="https://team.example/",
        href=lambda key: f"https://team.example/{key[0]}s/{key[1]}/",
        locale="en",
        today=TODAY,
    )
    assert again == xml


def test_cfd_svg_is_valid_escaped_and_stable(world: tuple[History, Workspace]) -> None:
    history, ws = world
    chart = replace(
        cfd_chart(project_flow(history, ws, "site").cfd, Fmt("en", "USD"), "cfd-site"),
        title="Cumulative flow <site>",
    )
    assert chart.description == (
        "Cards in each column at the end of each day, Dec 17, 2025 to Mar 16, 2026; "
        "on Mar 16, 2026: Queue 0, Accepted 1, Design 1, Client approval 0, Released 1"
    )
    assert (len(chart.days), chart.days[-1]) == (90, "16 Mar")
    svg = cfd_svg(chart)
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.findtext(f"{ns}title") == "Cumulative flow <site>"
    assert root.get("aria-labelledby") == "cfd-site-title cfd-site-desc"
    bands = root.findall(f"{ns}polygon")
    assert [b.findtext(f"{ns}title") for b in bands] == [
        "Released",
        "Client approval",
        "Design",
        "Accepted",
        "Queue",
    ]
    assert [t.text for t in root.findall(f"{ns}text")][-8:-5] == ["17 Dec", "30 Jan", "16 Mar"]
    assert "&lt;site&gt;" in svg
    assert svg == cfd_svg(chart)


def test_charts_escape_column_names_and_survive_no_data() -> None:
    fmt = Fmt("en", "USD")
    cfd = Cfd([date(2026, 3, 1)], [CfdSeries("x", "<script>alert(1)</script>", [0])])
    svg = cfd_svg(cfd_chart(cfd, fmt, "c"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    ET.fromstring(svg)
    ET.fromstring(cfd_svg(cfd_chart(Cfd([], []), fmt, "c")))
    weeks = [WeekCount(date(2026, 3, 2), 3), WeekCount(date(2026, 3, 9), 0)]
    chart = replace(throughput_chart(weeks, fmt, "tp"), title="Finished <per> week")
    bars = ET.fromstring(throughput_svg(chart))
    rects = bars.findall("{http://www.w3.org/2000/svg}rect")
    assert [r.findtext("{http://www.w3.org/2000/svg}title") for r in rects] == [
        "2 Mar: 3",
        "9 Mar: 0",
    ]


def test_atom_and_charts_leave_out_what_xml_forbids(world: tuple[History, Workspace]) -> None:
    # Escaping cannot carry a control character into XML: etree would write it raw, and
    # no XML parser (no feed reader) would read the document.
    history, ws = world
    entry = feed_entries(history, ws, "en", limit=1)[0]
    hostile = replace(entry, author="Ev\x01e\ufffe", text="Moved \x1fT\ud800\x0b")
    xml = atom(
        [hostile],
        title="A\x08",
        feed_url="https://team.example/activity.xml",
        site_url="https://team.example/",
        href=lambda key: None,
        locale="en",
        today=TODAY,
    )
    root = ET.fromstring(xml)
    assert root.findtext(f"{ATOM}title") == "A"
    assert root.findtext(f"{ATOM}entry/{ATOM}author/{ATOM}name") == "Eve"
    assert root.findtext(f"{ATOM}entry/{ATOM}title") == "Moved T"
    assert "\t" in xml_text("a\tb\n") and xml_text("😀é\u202e") == "😀é\u202e"  # all allowed

    cfd = Cfd([date(2026, 3, 1)], [CfdSeries("x", "Do\x01ing", [1])])
    chart = replace(cfd_chart(cfd, Fmt("en", "USD"), "c"), title="t\x02")
    svg = ET.fromstring(cfd_svg(chart))
    ns = "{http://www.w3.org/2000/svg}"
    assert svg.findtext(f"{ns}title") == "t"
    assert [p.findtext(f"{ns}title") for p in svg.iter(f"{ns}polygon")] == ["Doing"]


def test_git_names_are_shown_without_control_characters() -> None:
    assert display_name(' Eve\x01 \x1f\x1e "&" Mallory\n') == 'Eve "&" Mallory'
    assert display_name("Anna  K\u00a0Kovalenko") == "Anna  K\u00a0Kovalenko"  # as typed
    assert display_name("\x01\x02") == ""


def test_an_author_named_only_in_control_characters_is_shown_by_email() -> None:
    when = datetime(2026, 3, 2, 10, tzinfo=UTC)
    a, b = (FileChange("A", None, f"tasks/{x}.md", None, "1" * 40) for x in "ab")
    commits = [
        Commit("a" * 40, (), "\x01\x02", "x@example.org", when, 1, (a,)),
        Commit("b" * 40, ("a" * 40,), "\x03", "", when, 2, (b,)),
    ]
    records = derive(commits, {}, {}, TODAY, UTC).records
    assert records["task", "a"].changes[0].stamp.author == Author(
        "x@example.org", "x@example.org", None
    )
    assert records["task", "b"].changes[0].stamp.author == Author("?", "", None)


# One commit per step: (path, version of the file after it, or None for a deletion).
# A version is the snapshot of its tracked fields, stored under a made-up blob id.
STORY: list[tuple[str, dict[str, str | None] | None]] = [
    ("people/oleh-p.md", {}),
    ("projects/site.md", {"name": "Opera website", "status": "active", "manager": "anna-k"}),
    ("projects/site.md", {"name": "Opera website", "status": "on-hold", "manager": "anna-k"}),
    ("projects/site.md", {"name": "Opera website", "status": "paused", "manager": "oleh-p"}),
    ("projects/site.md", {"name": "Opera website", "status": "paused", "manager": None}),
    (
        "tasks/mockups.md",
        {"title": "v1", "project": "site", "assignee": "oleh-p", "due": "2026-03-20"},
    ),
    (
        "tasks/mockups.md",
        {"title": "v1", "project": "site", "status": "design", "due": "2026-03-20"},
    ),
    ("tasks/mockups.md", {"title": "v1", "project": "site", "status": "design", "due": "soon"}),
    ("tasks/mockups.md", {"title": "v1", "project": "site", "status": "design"}),
    ("tasks/mockups.md", {"title": "v1", "project": "other", "status": "design"}),
    ("tasks/mockups.md", {"title": "v1", "status": "design"}),
    ("tasks/mockups.md", {"title": "Homepage mock-ups", "status": "design"}),
    ("tasks/mockups.md", None),
    ("tasks/mockups.md", {"title": "Homepage mock-ups", "status": "design"}),
    ("deals/kyiv-opera.md", {"title": "K", "stage": "lead", "owner": "oleh-p", "amount": "5"}),
    ("deals/kyiv-opera.md", {"title": "K", "stage": "lead", "owner": "anna-k", "amount": "5"}),
    ("deals/kyiv-opera.md", {"title": "K", "stage": "lead", "amount": "5"}),
    ("deals/kyiv-opera.md", {"title": "K", "stage": "lead", "amount": "50_000 uah"}),
    ("deals/kyiv-opera.md", {"title": "K", "stage": "proposal", "amount": "50_000 uah"}),
    ("deals/kyiv-opera.md", {"title": "K", "stage": "proposal", "amount": "a lot"}),
    ("deals/kyiv-opera.md", {"title": "K", "stage": "proposal"}),
    ("deals/kyiv-opera.md", {"title": "K", "stage": "won"}),
    ("deals/tau-retainer.md", {"title": "Tau", "stage": "lost"}),
]


def test_every_kind_of_change_has_its_words(world: tuple[History, Workspace]) -> None:
    """One sentence per kind of change (and none for what the feed leaves out), values as
    the site shows them: names for ids, dates and money in the locale's style."""
    _, ws = world
    snapshots: dict[str, dict[str, str | None] | None] = {}
    commits: list[Commit] = []
    blobs: dict[str, str] = {}
    for n, (path, version) in enumerate(STORY):
        kind = {"people": "person"}.get(path.split("/")[0], path.split("/")[0][:-1])
        blob = None if version is None else f"{n:040x}"
        if blob is not None:
            snapshots[f"{kind}:{blob}"] = version
        old = blobs.get(path)
        status = "D" if blob is None else "M" if old else "A"
        change = FileChange(
            status, path if old else None, None if blob is None else path, old, blob
        )
        if blob is None:
            blobs.pop(path)
        else:
            blobs[path] = blob
        when = datetime(2026, 3, 2, 8, n, tzinfo=UTC)
        parents = (commits[-1].sha,) if commits else ()
        commits.append(Commit(f"{n + 1:040x}", parents, "A", ANNA_MAIL, when, n, (change,)))
    derived = derive(commits, snapshots, {ANNA_MAIL: "anna-k"}, TODAY, UTC)
    history = History(derived.records, today=TODAY, renamed=derived.renamed)
    # oldest first, a commit's lines in the feed's order (the sort is stable)
    texts = [e.text for e in sorted(feed_entries(history, ws, "en"), key=lambda e: e.when)]
    assert texts == [
        "Anna added team member “Oleh Petrenko”",
        "Anna created project “Opera website”",
        "Anna changed the status of project “Opera website” from active to on hold",
        "Anna changed the status of project “Opera website” from on hold to paused",
        "Anna made Oleh Petrenko the manager of project “Opera website”",
        # a manager removed: no line
        "Anna created task “Homepage mock-ups”",
        "Anna moved “Homepage mock-ups” from Queue to Design",  # no status: the backlog
        "Anna unassigned “Homepage mock-ups”",
        "Anna set the due date of “Homepage mock-ups” to soon",  # not a date: as written
        "Anna removed the due date of “Homepage mock-ups”",
        "Anna moved “Homepage mock-ups” to project other",
        # taken out of its project: no line
        "Anna renamed “Homepage mock-ups” (was v1)",
        "Anna deleted task “Homepage mock-ups”",
        "Anna restored task “Homepage mock-ups”",
        f"Anna created deal “Kyiv Opera sponsorship” ({format_money(5, 'USD', 'en')})",
        "Anna handed deal “Kyiv Opera sponsorship” to Anna Kovalenko",
        # the owner removed: no line
        "Anna changed the amount of deal “Kyiv Opera sponsorship” from "
        f"{format_money(5, 'USD', 'en')} to {format_money(50000, 'UAH', 'en')}",
        "Anna moved deal “Kyiv Opera sponsorship” from Lead to Proposal sent",
        "Anna changed the amount of deal “Kyiv Opera sponsorship” from "
        f"{format_money(50000, 'UAH', 'en')} to a lot",
        "Anna changed the amount of deal “Kyiv Opera sponsorship” from a lot to none",
        "Anna won deal “Kyiv Opera sponsorship”",
        "Anna created deal “Tau retainer”",
    ]
    entries = {e.text: e for e in feed_entries(history, ws, "en")}
    other = entries["Anna moved “Homepage mock-ups” to project other"]
    assert other.parts[-1] == Part(VALUE, "other")  # no such project: nothing to link
    manager = entries["Anna made Oleh Petrenko the manager of project “Opera website”"]
    assert manager.parts[2] == Part(VALUE, "Oleh Petrenko", ("person", "oleh-p"))
    assert manager.project == "site" and manager.target == ("project", "site")
