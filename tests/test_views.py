"""View models (builder.views) on a small inline workspace with a fixed today: JSON snapshots
in tests/snapshots/, plus explicit asserts on the numbers a wrong snapshot could hide.

The expected numbers are worked out by hand in the docstring of tests/site_cases.py."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import make_workspace
from site_cases import SMALL, TODAY

from builder.pipeline import CheckResult, run_check
from builder.views import boards, dashboard, funnels, people
from builder.views.boards import BoardView, ColumnView
from builder.views.derived import Derived, derive

Snapshot = Callable[[str, object], None]


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> CheckResult:
    tmp = tmp_path_factory.mktemp("views")
    make_workspace(tmp, SMALL)
    # Problem lines carry the path as given; a relative one keeps the snapshots stable.
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(tmp)
        result = run_check(Path("ws"), TODAY)
    assert result.errors == []
    return result


@pytest.fixture(scope="module")
def derived(checked: CheckResult) -> Derived:
    return derive(checked.workspace)


def columns(board: BoardView, section: int = 0, lane: int = 0) -> dict[str, ColumnView]:
    return {c.id: c for c in board.sections[section].lanes[lane].columns}


def card_ids(column: ColumnView) -> list[str]:
    return [c.id for c in column.cards]


def test_project_board(checked: CheckResult, derived: Derived, snapshot: Snapshot) -> None:
    board = boards.project_board(checked.workspace, derived, "site", TODAY)
    snapshot("board_project_site", board)

    headers = board.sections[0].headers
    assert [(h.id, h.name) for h in headers] == [
        ("queue", "Queue"),
        ("doing", "Doing"),
        ("review", "Review"),
        ("done", "Done"),
    ]
    assert [(h.count, h.wip, h.breached) for h in headers] == [
        (1, None, False),
        (3, 2, True),
        (1, 1, False),
        (1, None, False),
    ]
    cols = columns(board)
    # urgent before high before normal; then by due date
    assert card_ids(cols["doing"]) == ["site-mockups", "site-copy", "site-hosting"]
    assert (board.total, board.open, board.overdue, board.breaches) == (6, 5, 1, 1)

    mockups, copy, hosting = cols["doing"].cards
    assert (mockups.due, mockups.due_state) == ("13 Mar", "overdue")
    assert (mockups.spent, mockups.estimate, mockups.over_estimate) == ("3h", "2h", True)
    assert (copy.due_state, copy.checklist, copy.checklist_done) == ("soon", "1/3", False)
    assert (copy.assignee.text, copy.assignee.url) == ("Anna Kovalenko", "people/anna/")
    assert copy.spent == "1h 30m"
    assert hosting.assignee.text == "Unassigned" and hosting.assignee_id == ""
    done = cols["done"].cards[0]
    assert (done.checklist, done.checklist_done, done.due_state) == ("2/2", True, "")
    assert [o.value for o in board.assignees] == ["anna", "oleh", ""]
    assert board.tags == ["copy", "design", "web"]


def test_all_projects_board_has_a_lane_per_project_and_a_section_per_workflow(
    checked: CheckResult, derived: Derived, snapshot: Snapshot
) -> None:
    board = boards.all_board(checked.workspace, derived, TODAY)
    snapshot("board_all", board)

    assert [s.workflow for s in board.sections] == ["Web", "PR"]
    web, pr = board.sections
    assert [(lane.id, lane.title, lane.url, lane.count) for lane in web.lanes] == [
        ("project:site", "Acme website", "boards/site/", 6),
        ("project:shop", "Bank shop", "boards/shop/", 1),
    ]
    assert [(lane.id, lane.count) for lane in pr.lanes] == [("project:press", 2)]
    # WIP is judged in each project's lane; the header sums the lanes and shows no limit
    site, shop = columns(board, 0, 0)["doing"], columns(board, 0, 1)["doing"]
    assert (site.count, site.wip, site.breached) == (3, 2, True)
    assert (shop.count, shop.wip, shop.breached) == (1, 2, False)
    assert [(h.count, h.wip, h.breached) for h in web.headers][1] == (4, None, True)
    assert (board.total, board.open, board.overdue, board.breaches) == (9, 8, 2, 1)


def test_the_all_projects_summary_counts_each_lane_and_links_its_board(
    checked: CheckResult, derived: Derived, snapshot: Snapshot
) -> None:
    summary = boards.board_summary(checked.workspace, derived, TODAY)
    snapshot("board_summary", summary)

    assert [s.workflow for s in summary.sections] == ["Web", "PR"]
    web, pr = summary.sections
    assert [(h.name, h.count) for h in web.headers] == [
        ("Queue", 1),
        ("Doing", 4),
        ("Review", 1),
        ("Done", 1),
    ]
    assert [(r.title, r.url, r.counts, r.total, r.open, r.overdue) for r in web.lanes] == [
        ("Acme website", "boards/site/", [1, 3, 1, 1], 6, 5, 1),
        ("Bank shop", "boards/shop/", [0, 1, 0, 0], 1, 1, 0),
    ]
    site = web.lanes[0]
    assert (site.assignees, site.tags, site.priorities) == (
        ["", "anna", "oleh"],
        ["copy", "design", "web"],
        ["high", "low", "normal", "urgent"],
    )
    assert [(r.title, r.counts) for r in pr.lanes] == [("Acme press tour", [1, 1, 0])]
    assert (summary.total, summary.open, summary.overdue, summary.lane_count) == (9, 8, 2, 3)

    by_person = boards.board_summary(checked.workspace, derived, TODAY, "person")
    assert [(r.title, r.url, r.total) for r in by_person.sections[0].lanes] == [
        ("Anna Kovalenko", "people/anna/", 3),
        ("Oleh Petrenko", "people/oleh/", 3),
        ("Unassigned", "boards/unassigned/", 1),
    ]
    assert by_person.lane_count == 3  # Anna and Oleh in both workflows, nobody in one


def test_all_board_by_person_never_judges_wip(
    checked: CheckResult, derived: Derived, snapshot: Snapshot
) -> None:
    board = boards.all_board(checked.workspace, derived, TODAY, lanes="person")
    snapshot("board_all_by_person", board)

    web = board.sections[0]
    assert [lane.title for lane in web.lanes] == ["Anna Kovalenko", "Oleh Petrenko", "Unassigned"]
    assert board.breaches == 0
    assert all(h.wip is None and not h.breached for h in web.headers)


def test_person_board_and_page(checked: CheckResult, derived: Derived, snapshot: Snapshot) -> None:
    board = boards.person_board(checked.workspace, derived, "anna", TODAY)
    snapshot("board_person_anna", board)

    assert [s.workflow for s in board.sections] == ["Web", "PR"]
    assert card_ids(columns(board)["doing"]) == ["site-copy"]
    assert card_ids(columns(board, 1)["writing"]) == ["press-release"]
    assert (board.total, board.open, board.overdue, board.breaches) == (4, 3, 1, 0)
    # a project's WIP limit says nothing about one person's share of the column
    assert all(h.wip is None for s in board.sections for h in s.headers)

    view = people.person_view(checked.workspace, derived, "anna", TODAY)
    snapshot("person_anna", view)
    # this week: site-copy only (4h estimate - 1h30m spent); the rest has no estimate
    assert (view.load, view.capacity, view.load_percent, view.over_capacity) == (
        "2.5",
        "40",
        6,
        False,
    )
    assert [d.id for d in view.deals] == ["big-lead", "eur-proposal"]
    assert [f.contact.text for f in view.follow_ups] == ["Olena Shevchuk"]


def test_funnel_numbers(checked: CheckResult, derived: Derived, snapshot: Snapshot) -> None:
    ws = checked.workspace
    f = funnels.funnel(ws, derived, ws.settings.pipelines["sales"], TODAY)
    snapshot("funnel_sales", f)

    stages = {s.id: s for s in f.stages}
    assert [(s.id, s.count) for s in f.stages] == [
        ("lead", 2),
        ("proposal", 1),
        ("won", 2),
        ("lost", 2),
    ]
    # snapshot conversion: 5 deals reached lead, 3 reached proposal, 2 were won
    assert (stages["lead"].conversion, stages["proposal"].conversion) == ("60%", "67%")
    assert stages["won"].conversion == stages["lost"].conversion == ""
    # sums in the base currency; UAH 0.025 and EUR 1.10 per USD
    assert (stages["lead"].total, stages["proposal"].total) == ("$2,000", "$2,200")
    assert (f.open_count, f.open_total) == (3, "$4,200")
    # weighted: 1000 x 10% + 1000 x 20% (override) + 2200 x 50%
    assert (stages["lead"].weighted, stages["proposal"].weighted) == ("$300", "$1,100")
    assert f.forecast == "$1,400"
    assert f.missing_rates == []

    deals = {d.id: d for s in f.stages for d in s.deals}
    uah, eur, usd = deals["uah-lead"], deals["eur-proposal"], deals["big-lead"]
    assert (uah.amount_base, uah.converted, uah.probability) == ("$1,000", True, "20%")
    assert "40,000" in uah.amount and "UAH" in uah.amount
    assert (eur.amount, eur.amount_base, eur.converted) == ("€2,000", "$2,200", True)
    assert (usd.amount, usd.converted) == ("$1,000", False)

    # idle past the stage limit: big-lead 15 d > 10, eur-proposal 11 d > 7; uah-lead 6 d
    assert [(d.id, d.idle_days, d.idle) for d in (usd, eur, uah)] == [
        ("big-lead", 15, True),
        ("eur-proposal", 11, True),
        ("uah-lead", 6, False),
    ]
    assert (stages["lead"].idle_count, stages["proposal"].idle_count, f.idle_count) == (1, 1, 2)
    assert uah.next_step_overdue  # the call back was due on the 12th
    assert not deals["march-win"].idle  # closed deals are never idle

    # won/lost: March and Q1 2026 (the December loss is outside both)
    assert [(p.label, p.won, p.won_total, p.lost, p.lost_total) for p in f.periods] == [
        ("This month", 1, "$500", 1, "$300"),
        ("This quarter", 2, "$1,600", 1, "$300"),
    ]
    assert [
        (o.owner_id, o.open, o.total, o.weighted, o.won, o.won_total, o.lost) for o in f.owners
    ] == [
        ("anna", 2, "$3,200", "$1,200", 1, "$500", 1),
        ("oleh", 1, "$1,000", "$200", 1, "$1,100", 1),
    ]


def test_funnel_names_a_currency_without_a_rate(
    make_workspace: Callable[..., Path], tmp_path: Path
) -> None:
    files = {
        **SMALL,
        "deals/pln.md": "---\ntitle: Zloty\ncompany: acme\nstage: lead\namount: 100 PLN\n---\n",
    }
    result = run_check(make_workspace(tmp_path, files), TODAY)
    ws = result.workspace
    f = funnels.funnel(ws, derive(ws), ws.settings.pipelines["sales"], TODAY)
    assert f.missing_rates == ["PLN"]
    assert f.open_total == "$4,200"  # the unconvertible amount is left out, not guessed


def test_dashboard(checked: CheckResult, derived: Derived, snapshot: Snapshot) -> None:
    d = dashboard.dashboard(checked.workspace, derived, TODAY, checked.problems)
    snapshot("dashboard", d)

    assert d.today == "Mar 16, 2026"
    assert [c.id for c in d.overdue] == ["site-mockups", "press-release"]
    # the week of Monday 16 March runs to Sunday the 22nd
    assert [c.id for c in d.due_week] == ["site-copy", "site-hosting"]
    assert [(b.project.text, b.project.url, b.column, b.count, b.wip) for b in d.breaches] == [
        ("Acme website", "boards/site/", "Doing", 3, 2)
    ]
    assert [(c.id, c.idle_days) for c in d.stale_deals] == [("big-lead", 15), ("eur-proposal", 11)]
    # overdue or within the next 7 days; May is too far
    assert [(f.contact.text, f.date, f.overdue) for f in d.follow_ups] == [
        ("Olena Shevchuk", "12 Mar", True),
        ("Petro Melnyk", "19 Mar", False),
    ]
    # inactive people are left off
    assert [(p.person.text, p.open, p.overdue, p.due_week, p.deals) for p in d.people] == [
        ("Anna Kovalenko", 3, 1, 1, 2),
        ("Oleh Petrenko", 4, 1, 0, 1),
    ]
    assert (d.errors, d.warnings) == (
        0,
        8,
    )  # two of them PD408: anna and oleh log time without a rate
    assert d.problem_lines[0] == (
        "ws/contacts/olena.md:7:12: warning PD403: follow-up with Olena Shevchuk was due 2026-03-12"
    )


def test_views_take_today_as_a_parameter(checked: CheckResult, derived: Derived) -> None:
    """A week later the same files give other overdue cards: nothing reads the clock."""
    later = TODAY.replace(day=23)
    d = dashboard.dashboard(checked.workspace, derived, later, [])
    assert [c.id for c in d.overdue] == [
        "site-mockups",
        "press-release",
        "site-copy",
        "site-hosting",
    ]


def test_dashboard_lists_stop_at_the_cap_and_count_the_rest(tmp_path: Path) -> None:
    """At agency scale the home page stays a page: each list shows its first LIST_CAP
    items (most overdue first), the counters count them all, and a line says how many
    more there are and where to find them."""
    from builder.render.pages import SiteOptions
    from builder.site.generate import generate

    files = {
        "workspace.yml": "name: Busy\nlocale: en\n",
        "people/anna.md": "---\nname: Anna\n---\n",
        "projects/p.md": "---\nname: Client work\n---\n",
    }
    late = dashboard.LIST_CAP + 3
    for i in range(late):  # due 1..23 March: all overdue on the 30th
        files[f"tasks/late-{i:02}.md"] = (
            f"---\ntitle: Late {i:02}\nproject: p\nassignee: anna\ndue: 2026-03-{i + 1:02}\n---\n"
        )
    files["tasks/done.md"] = "---\ntitle: Done\nproject: p\nstatus: done\ndue: 2026-03-01\n---\n"
    for i in range(dashboard.LIST_CAP + 1):
        files[f"contacts/c-{i:02}.md"] = (
            f"---\nname: Contact {i:02}\nowner: anna\nfollow_up: 2026-03-{i + 1:02}\n---\n"
        )
    files["workspace.yml"] += (
        "pipelines:\n  sales:\n    stages:\n      - {id: lead}\n"
        "      - {id: won, outcome: won}\n      - {id: lost, outcome: lost}\n"
    )
    files["companies/acme.md"] = "---\nname: Acme\n---\n"
    for i in range(dashboard.LIST_CAP + 2):  # won, and no project named yet
        files[f"deals/won-{i:02}.md"] = f"---\ntitle: Won {i:02}\ncompany: acme\nstage: won\n---\n"
    root = make_workspace(tmp_path, files)
    day = TODAY.replace(day=30)
    result = run_check(root, day)
    d = dashboard.dashboard(result.workspace, derive(result.workspace), day, result.problems)
    assert d.overdue_count == late and d.follow_ups_count == dashboard.LIST_CAP + 1
    assert [c.id for c in d.overdue] == [f"late-{i:02}" for i in range(dashboard.LIST_CAP)]
    assert len(d.follow_ups) == dashboard.LIST_CAP
    assert d.follow_ups[0].contact.text == "Contact 00"
    assert (d.due_week_count, d.due_week, d.stale_count) == (0, [], 0)
    assert d.people[0].overdue == late  # the team table counts every one
    assert d.won_without_project_count == dashboard.LIST_CAP + 2
    assert [x.id for x in d.won_without_project] == [
        f"won-{i:02}" for i in range(dashboard.LIST_CAP)
    ]

    generate(root, tmp_path / "tree", SiteOptions(), day, history=False)
    home = (tmp_path / "tree" / "index.md").read_text(encoding="utf-8")
    assert f'<span class="pd-stat-value">{late}</span>' in home
    assert home.count('class="pd-card ') == 2 * dashboard.LIST_CAP  # overdue, won deals
    assert re.findall(r'<p class="pd-more pd-muted"><a href="#team">(.*?)</a>', home) == [
        "…and 3 more: see each person in Team below",
        "…and 1 more: see each person in Team below",
    ]
    assert re.findall(r'<p class="pd-more pd-muted"><a href="funnels/">(.*?)</a>', home) == [
        "…and 2 more: each funnel&#39;s won stage lists them"
    ]
    assert '<h2 id="team">' in home
