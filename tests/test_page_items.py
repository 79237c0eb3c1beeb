"""What a new user tripped over on the pages (the issue's items 7-16), checked on built
pages and view models; tests/test_page_items_browser.py looks at the same in Chromium."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path

import pytest
from conftest import make_workspace
from site_cases import SMALL, Node, build, parse_html, project

from builder.pipeline import run_check

TODAY = date(2026, 3, 16)
MakeWorkspace = Callable[[Path, Mapping[str, str | bytes]], Path]
BASE = {
    "workspace.yml": "name: Agency\nlocale: en\ntoday: 2026-03-16\n",
    "people/anna.md": "---\nname: Anna Kovalenko\n---\n",
    "companies/acme.md": "---\nname: Acme\nkind: client\n---\n",
}


# The small site of tests/site_cases.py (no git history) with a few additions, built once.
SITE_FILES = {**SMALL}


@pytest.fixture(scope="module")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_workspace(tmp_path_factory.mktemp("small"), project(SITE_FILES))
    built = build(root)
    assert built.returncode == 0, built.stderr
    return built.site


def page(site: Path, rel: str) -> Node:
    return parse_html((site / rel).read_text(encoding="utf-8"))


# --- 7. metrics where lower is better ------------------------------------------------------


def test_a_metrics_better_part_is_read_and_checked_against_the_schema(
    tmp_path: Path, make_workspace: MakeWorkspace
) -> None:
    files = {
        **BASE,
        "projects/site.md": "---\nname: Site\ncompany: acme\nmetrics:\n"
        "  - {name: Page load, target: 2.5, actual: 3.8, unit: s, better: lower}\n"
        "  - {name: Leads, target: 40, actual: 12}\n---\n",
        "projects/bad.md": "---\nname: Bad\ncompany: acme\nmetrics:\n"
        "  - {name: Page load, target: 2.5, better: less}\n---\n",
    }
    result = run_check(make_workspace(tmp_path, files), TODAY)
    metrics = result.workspace.projects["site"].metrics
    assert [(m.better, m.reached, m.progress) for m in metrics] == [
        ("lower", False, 66),
        ("higher", False, 30),
    ]
    [problem] = result.problems
    assert problem.headline().endswith(
        "projects/bad.md:5:44: error PD107: `less` is not one of the allowed values"
    )
    assert problem.hint == "expected one of `higher`, `lower`"


def test_the_site_shows_a_lower_is_better_metric_as_not_reached(demo_site: Path) -> None:
    page = parse_html((demo_site / "projects/tau-eshop/index.html").read_text(encoding="utf-8"))
    metrics = {m.find(cls="pd-metric-name").text(): m for m in page.find_all(cls="pd-metric")}
    load = metrics["Mobile page load (LCP)"]
    assert "pd-reached" not in load.classes
    assert load.find(cls="pd-metric-value").text() == "3.8 / ≤ 2.5 s not reached yet"
    [bar] = load.find(cls="pd-meter").children
    assert isinstance(bar, Node) and bar.attrs["style"] == "width: 66%"


# --- 8. a cadence is calendar days, not working hours -----------------------------------------


def test_a_cadence_is_read_in_calendar_days_and_weeks(
    tmp_path: Path, make_workspace: MakeWorkspace
) -> None:
    files = {
        **BASE,
        "workspace.yml": BASE["workspace.yml"] + "hours_per_day: 6\n",
        "contacts/a.md": "---\nname: A\ncadence: 14d\n---\n",
        "contacts/b.md": "---\nname: B\ncadence: 2w\n---\n",
        "contacts/c.md": "---\nname: C\ncadence: 30d\n---\n",
        "contacts/d.md": "---\nname: D\ncadence: 48h\n---\n",
    }
    result = run_check(make_workspace(tmp_path, files), TODAY)
    contacts = result.workspace.contacts
    assert [contacts[c].cadence for c in "abcd"] == [14, 14, 30, None]
    [problem] = result.problems
    assert problem.headline().endswith("contacts/d.md:3:10: error PD105: bad interval `48h`")
    assert problem.hint == "write whole days or weeks: `14d`, `2w` or `30d`"


def test_a_cadence_shows_as_every_n_days_or_weeks(demo_site: Path) -> None:
    def cadence(contact: str) -> str:
        page = parse_html((demo_site / f"contacts/{contact}/index.html").read_text("utf-8"))
        [fact] = [f for f in page.find_all(cls="pd-fact") if f.find("dt").text() == "Cadence"]
        return fact.find("dd").text()

    assert cadence("andrii-hnatyshyn") == "every 2 weeks"  # cadence: 14d, not "112h"
    assert cadence("michal-kaminski") == "every 30 days"


# --- 11. workflows and pipelines have display names -----------------------------------------


def test_a_workflow_or_pipeline_without_a_name_gets_a_sensible_one(
    tmp_path: Path, make_workspace: MakeWorkspace
) -> None:
    files = {
        **BASE,
        "workspace.yml": BASE["workspace.yml"] + "workflows:\n"
        "  pr: {columns: [backlog, qa, client-approval, done]}\n"
        "  smm: {columns: [a, b]}\n"
        "  web: {columns: [a, b]}\n"
        "  launch-events: {columns: [a, b]}\n"
        "  named: {name: '  Press office ', columns: [a, b]}\n"
        "  bad: {name: [not, a, name], columns: [a, b]}\n"
        "pipelines:\n  b2b: {stages: [lead, won]}\n  media: {name: Media deals, stages: [x]}\n",
    }
    result = run_check(make_workspace(tmp_path, files), TODAY)
    settings = result.workspace.settings
    assert {w.id: w.name for w in settings.workflows.values()} == {
        "pr": "PR",
        "smm": "SMM",
        "web": "Web",
        "launch-events": "Launch events",
        "named": "Press office",
        "bad": "Bad",
    }
    assert [c.name for c in settings.workflows["pr"].columns] == [
        "Backlog",
        "QA",
        "Client approval",
        "Done",
    ]
    assert {p.id: p.name for p in settings.pipelines.values()} == {
        "b2b": "B2B",
        "media": "Media deals",
    }
    [problem] = result.problems
    assert problem.headline().endswith(
        "workspace.yml:10:15: error PD103: expected text, found a list"
    )


# --- 13. the problems page: links to act on, code shown as code ------------------------------


def test_each_problem_links_its_record_and_edit_page_and_shows_code_as_code(
    small_site: Path,
) -> None:
    items = page(small_site, "problems/index.html").find_all("li")
    [late] = [li for li in items if "site-mockups.md" in li.text()]
    assert late.text() == (
        "warning PD401: task overdue by 3 days (due 2026-03-13)"  # <br>: no space
        "move it to done, or set a new due: date"
        "Homepage mock-ups · ✎ Edit · content/tasks/site-mockups.md:6:6"
    )
    assert [c.text() for c in late.find_all("code")] == [
        "due:",
        "content/tasks/site-mockups.md:6:6",
    ]
    record, edit = late.find_all("a")
    assert record.attrs["href"] == "../tasks/site-mockups/"
    assert edit.attrs["href"] == (
        "https://github.com/example/workspace/edit/main/content/tasks/site-mockups.md"
    )


# --- 10. a lane whose cards are all done folds ------------------------------------------------


def test_a_lane_is_finished_when_its_open_columns_are_empty(
    tmp_path: Path, make_workspace: MakeWorkspace
) -> None:
    from builder.views.boards import all_board
    from builder.views.derived import derive

    files = {
        **SMALL,
        "projects/old.md": "---\nname: Old site\ncompany: acme\nworkflow: web\n---\n",
        "tasks/old-a.md": "---\ntitle: A\nproject: old\nstatus: done\n---\n",
        "tasks/old-b.md": "---\ntitle: B\nproject: old\nstatus: done\n---\n",
        "projects/empty.md": "---\nname: Empty\ncompany: acme\nworkflow: web\n---\n",
    }
    result = run_check(make_workspace(tmp_path, files), TODAY)
    board = all_board(result.workspace, derive(result.workspace, None), TODAY, "project")
    web = board.sections[0]
    assert [(lane.title, lane.count, lane.finished) for lane in web.lanes] == [
        ("Acme website", 6, False),
        ("Bank shop", 1, False),
        ("Old site", 2, True),
    ]


# --- 12. no history: say why instead of an empty heading or a table of zeros ------------------


def test_dashboard_recent_activity_says_why_it_is_empty(demo_site: Path) -> None:
    dashboard = page(demo_site, "index.html")
    [section] = [
        s for s in dashboard.find_all("section") if s.find("h2").text() == "Recent activity"
    ]
    notes = [p.text() for p in section.find_all("p", "pd-note")]
    assert len(notes) == 1 and "git" in notes[0], notes  # the copy is not in a repository
    assert section.find_all("li") == []


def test_funnel_defines_its_conversion_and_counts_the_lost_deals(small_site: Path) -> None:
    funnel = page(small_site, "funnels/sales/index.html")
    [definition] = funnel.find_all("p", "pd-definition")
    assert definition.text() == (
        "To next stage: of the deals now at the stage or further on (won deals included), the "
        "share that is further on. 2 lost deals are not counted: the stages they were lost at "
        "are unknown here, so the figures are higher than the real conversion."
    )


# --- 16. smaller things ----------------------------------------------------------------------


def test_participants_are_separated(demo_site: Path) -> None:
    task = page(demo_site, "tasks/finlo-staging-review/index.html")
    [fact] = [f for f in task.find_all(cls="pd-fact") if f.find("dt").text() == "Participants"]
    assert fact.find("dd").text() == "Piotr Zieliński, Marta Nowak"


def test_a_records_body_comes_before_its_history() -> None:
    from builder.i18n import strings
    from builder.render.pages import SiteOptions, make_env
    from builder.views.activity import StayView, TimelineView
    from builder.views.records import RecordPage

    record = RecordPage("task", "Task", "t", "T", "tasks/t.md", [], "", [])
    timeline = TimelineView("Time per column", [StayView("Doing", "1", "2", "Anna", "1 d")], [], "")
    html = (
        make_env(SiteOptions())
        .get_template("plaindesk/record.html")
        .render(
            r=record, body="<p>The description.</p>", timeline=timeline, L=strings("en"), root=""
        )
    )
    assert html.index("The description.") < html.index("pd-history") < html.index("Doing")


def test_a_portal_metric_never_glues_a_count_to_a_plural_unit(tmp_path: Path) -> None:
    from portal_cases import SECRET

    from builder.portal import build_portals

    result = run_check(Path(__file__).resolve().parent.parent / "content")
    [finlo] = [b for b in build_portals(result, tmp_path, SECRET) if b.company_id == "finlo"]
    html = parse_html((tmp_path / "portal" / finlo.token / "index.html").read_text("utf-8"))
    shown = {
        m.find(cls="metric__name").text(): (
            m.find(cls="metric__value").text(),
            m.find(cls="metric__target").text(),
        )
        for m in html.find_all("li", "metric")
    }
    assert shown["Spokesperson interviews"] == ("1", "target 6 interviews 17% · not reached yet")
    assert shown["Sign-up conversion (pilot traffic)"][0] == "0%"  # a symbol stays


# --- 14. serve: a record whose file breaks keeps its last good version, marked ---------------


def test_a_broken_file_stands_in_its_last_good_version_while_serving(
    tmp_path: Path, make_workspace: MakeWorkspace
) -> None:
    from builder.pipeline import CheckCache

    root = make_workspace(tmp_path, SMALL)
    task = root / "tasks" / "site-review.md"
    good = task.read_text("utf-8")
    cache = CheckCache()
    first = run_check(root, TODAY, cache)
    assert first.workspace.stale == {} and first.left_out == []
    before = first.workspace.tasks["site-review"]

    for broken in (
        good.replace("status: review", "status: [review"),  # unreadable: a YAML error
        good.replace("status: review", "status: reveiw"),  # a rule's error: no such column
        good.replace("due: 2026-04-10", "due: 2026-04-31"),  # a field's error
    ):
        task.write_text(broken, "utf-8")
        result = run_check(root, TODAY, cache)
        assert result.errors and result.left_out == []
        shown = result.workspace.tasks["site-review"]
        assert (shown.status, shown.due) == ("review", date(2026, 4, 10))
        assert shown.digest == f"stale:{before.digest}"  # every page showing it is made anew
        assert result.workspace.stale == {("task", "site-review"): str(task)}

    task.write_text(good.replace("status: review", "status: doing"), "utf-8")
    fixed = run_check(root, TODAY, cache)
    assert fixed.workspace.stale == {} and fixed.workspace.tasks["site-review"].status == "doing"

    # without the serve loop's cache (build, check) nothing stands in: it is left out
    task.write_text(good.replace("status: review", "status: [review"), "utf-8")
    plain = run_check(root, TODAY)
    assert "site-review" not in plain.workspace.tasks
    assert plain.left_out == [str(task)]


def test_build_says_what_it_left_out(tmp_path: Path, make_workspace: MakeWorkspace) -> None:
    files = project({**SMALL, "tasks/site-review.md": "---\ntitle: [broken\n---\n"})
    built = build(make_workspace(tmp_path, files))
    assert built.returncode == 1
    assert (
        "left out of the site (1, the file cannot be read): content/tasks/site-review.md\n"
    ) in built.stderr
