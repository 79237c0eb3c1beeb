"""`plaindesk build` for real: the demo's generated HTML (boards, funnel, task page, nav),
byte-identical rebuilds, and a failed build that leaves the previous site in place."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import make_workspace
from site_cases import (
    REPO,
    SMALL,
    Node,
    build,
    copy_demo,
    html_files,
    parse_html,
    project,
    snapshot_files,
)

from builder.pipeline import run_check

RECORD_URL = re.compile(r"^(tasks|deals|contacts|companies|projects|people)/[^/]+/$")


def page(site: Path, rel: str) -> Node:
    return parse_html((site / rel).read_text(encoding="utf-8"))


def test_project_board_columns_wip_and_breach(demo_site: Path) -> None:
    flow = run_check(REPO / "content").workspace.settings.workflows["web"]
    board = page(demo_site, "boards/opera-website/index.html")
    heads = board.find(cls="pd-head").find_all(cls="pd-col-head")
    assert [h.find(cls="pd-col-name").text() for h in heads] == [c.name for c in flow.columns]
    counts = {h.find(cls="pd-col-name").text(): h.find(cls="pd-col-count").text() for h in heads}
    assert counts["At designer"] == "4 / 3"  # the demo's breach: 4 cards, WIP 3
    assert counts["Accepted"].endswith("/ 8") and counts["Queue"].isdigit()
    breached = [h.find(cls="pd-col-name").text() for h in heads if "pd-breach" in h.classes]
    assert breached == ["At designer"]
    assert "over WIP limit" in board.find(cls="pd-breach").text()
    design = [c for c in board.find_all(cls="pd-col") if c.attrs.get("data-column") == "design"]
    assert len(design) == 1 and "pd-breach" in design[0].classes
    assert len(design[0].find_all(cls="pd-card")) == 4


def test_a_card_shows_assignee_due_checklist_and_time(demo_site: Path) -> None:
    board = page(demo_site, "boards/opera-website/index.html")
    cards = {c.find("a", "pd-card-title").attrs["href"]: c for c in board.find_all(cls="pd-card")}
    card = cards["../../tasks/opera-hall-seat-map/"]
    assert card.find(cls="pd-card-title").text() == "Hall seat map (240 seats) for ticketing"
    person = card.find(cls="pd-person")
    assert (person.text(), person.attrs["href"]) == ("Taras Bondar", "../../people/taras-b/")
    assert card.find(cls="pd-due").text() == "18 Mar"
    assert "pd-soon" in card.find(cls="pd-due").classes  # due in two days
    assert card.find(cls="pd-check").text() == "☑ 2/5"
    assert card.find(cls="pd-time").text() == "6h / 10h"
    assert card.find(cls="pd-prio").text() == "Urgent"
    assert [t.text() for t in card.find_all(cls="pd-tag")] == ["design", "ticketing"]
    assert card.attrs["data-assignee"] == "taras-b"
    # an overdue card is marked as such
    overdue = cards["../../tasks/opera-homepage-hero-photos/"]
    assert "pd-overdue" in overdue.classes and overdue.find(cls="pd-due").text().startswith("⚠")


def test_funnel_sums_are_in_the_base_currency(demo_site: Path) -> None:
    funnel = page(demo_site, "funnels/sales/index.html")
    stats = [s.text() for s in funnel.find(cls="pd-stats").find_all(cls="pd-stat-value")]
    assert re.fullmatch(r"\$[\d,]+", stats[1]) and re.fullmatch(r"\$[\d,]+", stats[2])
    rows = funnel.find("table", "pd-funnel").find("tbody").find_all("tr")
    assert [r.find_all("td")[0].text() for r in rows] == [
        "Lead",
        "Qualified",
        "Proposal sent",
        "Negotiation",
        "Won",
        "Lost",
    ]
    sums = [r.find_all("td")[4].text() for r in rows]
    assert all(re.fullmatch(r"\$[\d,]+(\.\d\d)?", s) for s in sums), sums
    conversions = [r.find_all("td")[6].text() for r in rows[:4]]
    assert all(re.fullmatch(r"→ \d+%", c) for c in conversions), conversions
    # a deal in hryvnias is shown as entered, with its value in dollars beside it
    money = [m.text() for m in funnel.find_all(cls="pd-money")]
    assert any("UAH" in m and "≈ $" in m for m in money)
    assert any(m.startswith("€") and "≈ $" in m for m in money)


def test_task_page_facts_body_and_edit_link(demo_site: Path) -> None:
    task = page(demo_site, "tasks/opera-hall-seat-map/index.html")
    facts = {
        f.find("dt").text(): f.find("dd").text()
        for f in task.find("dl", "pd-facts").find_all(cls="pd-fact")
    }
    assert facts["Project"] == "New website and ticketing"
    assert facts["Status"] == "At designer"
    assert facts["Assignee"] == "Taras Bondar"
    assert facts["Due"] == "Mar 18, 2026"
    assert (facts["Estimate"], facts["Spent"], facts["Checklist"]) == ("10h", "6h", "2/5")
    # the reference the client's approval e-mails carry (a client-visible task)
    assert facts["Portal reference"] == "PD-7I6L6"
    items = [li for li in task.find(cls="pd-body").find_all("li") if li.find("input")]
    assert [i.text() for i in items][:2] == ["Hall redrawn", "Seat ids agreed with Andrii"]
    assert ["checked" in i.find("input").attrs for i in items] == [True, True, False, False, False]
    edit = task.find("a", "pd-edit")
    assert edit.attrs["href"] == (
        "https://github.com/brightline/workspace/edit/main/content/"
        "tasks/opera-website/opera-hall-seat-map.md"
    )


def test_a_project_shows_its_client_summary_as_the_portal_does(demo_site: Path) -> None:
    """The summary written for the client is Markdown: the project page shows it formatted
    under its own heading (not as raw text in the narrow facts column)."""
    project = page(demo_site, "projects/finlo-landing/index.html")
    facts = [f.find("dt").text() for f in project.find("dl", "pd-facts").find_all(cls="pd-fact")]
    assert "Client summary" not in facts
    summary = project.find("section", "pd-client-summary")
    assert summary.find("h2").text() == "Client summary"
    assert [b.text() for b in summary.find_all("strong")] == ["Done.", "In progress.", "Next."]
    assert "**" not in summary.text()


def test_search_finds_records_by_title_and_body_not_by_their_surroundings(demo_site: Path) -> None:
    docs = json.loads((demo_site / "search/search_index.json").read_text("utf-8"))["docs"]
    by_page: dict[str, list[dict[str, str]]] = {}
    for entry in docs:
        by_page.setdefault(entry["location"].split("#")[0], []).append(entry)
    records = sum(
        len(list((REPO / "content" / d).rglob("*.md")))
        for d in ("tasks", "deals", "contacts", "companies", "projects", "people")
    )
    # one page per record, plus the help page; no views (boards, directories, dashboard)
    assert sorted(by_page) == sorted([*(u for u in by_page if RECORD_URL.match(u)), "help/"])
    assert len(by_page) == records + 1
    (task,) = by_page["tasks/opera-hall-seat-map/"]
    assert task["title"] == "Hall seat map (240 seats) for ticketing"
    assert task["text"].startswith("<p>SVG map of the hall: stalls, two side boxes, balcony.")
    assert "<li> Hall redrawn</li>" in task["text"]
    # the facts box (assignee, project) and backlinks stay out: they would make every
    # task of Taras match a search for his name
    assert "Taras" not in task["text"] and "New website" not in task["text"]
    (person,) = by_page["people/taras-b/"]
    assert person["title"] == "Taras Bondar"
    assert person["text"].startswith("<p>Lead (and only) designer")
    # the page itself is whole: facts and body
    html = page(demo_site, "tasks/opera-hall-seat-map/index.html")
    assert html.find("dl", "pd-facts") is not None and html.find(cls="pd-body") is not None


def test_dashboard_lists_what_its_counters_count(demo_site: Path) -> None:
    home = page(demo_site, "index.html")
    stats = {
        s.find(cls="pd-stat-label").text(): int(s.find(cls="pd-stat-value").text())
        for s in home.find_all("a", "pd-stat")
    }
    sections = {
        h2.attrs.get("id"): s for s in home.find_all("section") for h2 in s.find_all("h2")[:1]
    }
    assert stats["Overdue"] == len(sections["overdue"].find_all(cls="pd-card")) > 0
    assert stats["Due this week"] == len(sections["due-week"].find_all(cls="pd-card"))
    follow_rows = sections["follow-ups"].find("table", "pd-follow").find("tbody").find_all("tr")
    assert stats["Follow-ups due"] == len(follow_rows) > 0
    assert stats["WIP limits exceeded"] == 1


def test_nav_stays_bounded(demo_site: Path) -> None:
    tasks = len(list((REPO / "content" / "tasks").rglob("*.md")))
    for rel in (
        "tasks/opera-hall-seat-map/index.html",
        "index.html",
        "contacts/olena-moroz/index.html",
    ):
        nav = page(demo_site, rel).find(cls="md-nav--primary")
        links = [a.attrs.get("href", "") for a in nav.find_all("a")]
        assert 5 < len(links) < 40 < tasks, (rel, len(links))
        targets = [re.sub(r"^(\.\./|\./)+", "", h) for h in links]
        assert [t for t in targets if RECORD_URL.match(t)] == [], rel  # sections, not records


def test_no_request_to_google_fonts(demo_site: Path) -> None:
    offenders = [
        p.relative_to(demo_site).as_posix()
        for p in demo_site.rglob("*")
        if p.is_file()
        and p.suffix in (".html", ".css", ".js", ".json", ".xml")
        and b"fonts.googleapis.com" in p.read_bytes()
    ]
    assert offenders == []


def test_every_record_has_a_page(demo_site: Path) -> None:
    ws = run_check(REPO / "content").workspace
    for folder, table in (
        ("tasks", ws.tasks),
        ("deals", ws.deals),
        ("contacts", ws.contacts),
        ("companies", ws.companies),
        ("projects", ws.projects),
        ("people", ws.people),
    ):
        missing = [i for i in table if not (demo_site / folder / i / "index.html").is_file()]
        assert missing == [], folder


def test_two_builds_are_byte_identical(demo_site: Path, tmp_path: Path) -> None:
    other = copy_demo(tmp_path / "elsewhere")
    again = build(other, other / "public-site")
    assert again.returncode == 0, again.stderr
    first, second = snapshot_files(demo_site), snapshot_files(again.site)
    assert sorted(first) == sorted(second)
    differing = [rel for rel in first if first[rel] != second[rel]]
    assert differing == []
    # nothing of the build machine leaks into pages
    assert not [rel for rel, text in html_files(again.site).items() if str(tmp_path) in text]


@pytest.fixture(scope="module")
def small_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small project, built once for the module."""
    root = make_workspace(tmp_path_factory.mktemp("small"), project(SMALL))
    built = build(root)
    assert built.returncode == 0, built.stderr
    return root


@pytest.fixture
def small_site(small_built: Path, tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """A private copy of the built small project: (project root, the site's files)."""
    root = tmp_path / "project"
    shutil.copytree(small_built, root)
    return root, snapshot_files(root / "site")


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if ".tmp-" in p.name or ".old-" in p.name)


def test_a_record_without_a_body_is_still_found_by_its_title(small_built: Path) -> None:
    index = json.loads((small_built / "site/search/search_index.json").read_text("utf-8"))
    assert [e for e in index["docs"] if e["location"] == "people/oleh/"] == [
        {"location": "people/oleh/", "title": "Oleh Petrenko", "text": ""}
    ]


def test_workspace_errors_leave_the_previous_site(
    small_site: tuple[Path, dict[str, bytes]],
) -> None:
    root, before = small_site
    task = root / "content" / "tasks" / "site-copy.md"
    task.write_text(task.read_text("utf-8").replace("status: doing", "status: doign"), "utf-8")
    failed = build(root)
    assert failed.returncode == 1
    assert (
        "content/tasks/site-copy.md:4:9: error PD202: status `doign` is not a column of "
        "workflow `web`"
    ) in failed.stderr
    assert "did you mean `doing`?" in failed.stderr
    assert "previous site is unchanged" in failed.stderr
    assert snapshot_files(failed.site) == before
    assert leftovers(root) == []


@pytest.mark.parametrize(
    "template",
    [
        # the engine's own step: a theme override MkDocs cannot compile
        (
            "overrides/main.html",
            '{% extends "base.html" %}\n{% block content %}{{ broken( }}{% endblock %}\n',
            "main.html:2: unexpected '}'",
        ),
        # Plaindesk's generation step: a card template that fails while rendering
        (
            "overrides/plaindesk/card.html",
            "{{ c.title.no_such_method() }}\n",
            "card.html:1: 'str object' has no attribute 'no_such_method'",
        ),
    ],
)
def test_a_failing_engine_step_leaves_the_previous_site(
    small_site: tuple[Path, dict[str, bytes]], template: tuple[str, str, str]
) -> None:
    root, before = small_site
    rel, text, message = template
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).write_text(text, encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace(
            "  font: false\n", "  font: false\n  custom_dir: overrides\n"
        ),
        "utf-8",
    )
    failed = build(root)
    assert failed.returncode == 1
    assert "error: the site build failed: " in failed.stderr
    assert message in failed.stderr  # names the template and line
    assert "Traceback" not in failed.stderr
    assert snapshot_files(failed.site) == before
    assert leftovers(root) == []
