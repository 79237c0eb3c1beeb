"""The reports, calendar and statements as built pages and files: a real build of the
report workspace (tests/report_cases.py), its feeds read back with `vobject`, its CSV, its
links; and the client statement's allow-list against planted canaries."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
import vobject
from conftest import make_workspace
from links import broken_links
from report_cases import CALENDAR, TODAY
from site_cases import Built, build, parse_html, project

from builder.model.schema import RECORD_SPECS
from builder.pipeline import run_check
from builder.render.pages import SiteOptions, render_pages
from builder.views.derived import derive
from builder.views.statement import STATEMENT_FIELDS


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = make_workspace(tmp_path_factory.mktemp("report-site"), project(CALENDAR))
    result = build(root)
    assert result.returncode == 0, result.stderr
    return result


def page(built: Built, rel: str) -> str:
    return (built.site / rel).read_text(encoding="utf-8")


def test_every_report_page_and_file_is_built_and_linked(built: Built) -> None:
    site = built.site
    for rel in (
        "reports/index.html",
        "reports/timesheets/index.html",
        "reports/timesheets/2026-03-02/index.html",
        "reports/timesheets/2026-01-26/index.html",
        "reports/estimates/index.html",
        "reports/load/index.html",
        "reports/statements/index.html",
        "reports/statements/acme/2026-03/index.html",
        "reports/statements/acme/2026-01/index.html",
        "calendar/index.html",
        "calendar/2026-02/index.html",
        "calendar/2026-06/index.html",
        "calendar/people/anna/index.html",
        "calendar/projects/site/index.html",
    ):
        assert (site / rel).is_file(), rel
    assert not (site / "reports/timesheets/2026-01-19").exists()  # eight weeks back, no more
    assert not (site / "reports/statements/beta").exists()  # beta did not opt in
    assert broken_links(site) == []


def test_the_profitability_page_marks_an_incomplete_cost(built: Built) -> None:
    doc = parse_html(page(built, "reports/index.html"))
    rows = {r.find("a").text(): r for r in doc.find("table", "pd-money").find_all("tr")[1:]}
    assert list(rows) == ["Ads", "Retainer", "Website"]
    retainer = [td.text() for td in rows["Retainer"].find_all("td")]
    assert retainer[1:6] == ["Acme Foods", "7.5", "$225+", "$325", "$100+31%"]
    assert "cost incomplete: 3 h without a rate" in retainer[0]
    assert "1 done task without a price" in retainer[0]
    website = [td.text() for td in rows["Website"].find_all("td")]
    assert website[2:6] == ["18", "$828", "$2,200€2,000", "$1,37262%"]
    assert "budget38%time50%tasks40%" in website[6]
    assert "Ivan Shevchenko (3)" in doc.find(None, "pd-note").text()


def test_the_timesheet_csv_holds_the_week_s_numbers(built: Built) -> None:
    text = (built.site / "reports/timesheets/2026-03-02.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "person",
        "name",
        "project",
        "2026-03-02",
        "2026-03-03",
        "2026-03-04",
        "2026-03-05",
        "2026-03-06",
        "2026-03-07",
        "2026-03-08",
        "total",
        "capacity",
        "utilisation",
    ]
    assert rows[1:] == [
        ["anna", "Anna Kovalenko", "site", "0", "6", "0", "0", "0", "0", "0", "6", "", ""],
        ["anna", "Anna Kovalenko", "", "0", "6", "0", "0", "0", "0", "0", "6", "40", "0.1500"],
        ["ivan", "Ivan Shevchenko", "retainer", "0", "0", "0", "3", "0", "0", "0", "3", "", ""],
        ["ivan", "Ivan Shevchenko", "", "0", "0", "0", "3", "0", "0", "0", "3", "40", "0.0750"],
        ["oleh", "Oleh Petrenko", "site", "0", "0", "4", "0", "0", "0", "0", "4", "", ""],
        ["oleh", "Oleh Petrenko", "", "0", "0", "4", "0", "0", "0", "0", "4", "20", "0.2000"],
    ]
    week = parse_html(page(built, "reports/timesheets/2026-03-02/index.html"))
    assert "reports/timesheets/2026-03-02.csv" in page(
        built, "reports/timesheets/2026-03-02/index.html"
    )
    assert [td.text() for td in week.find("tr", "pd-person-row").find_all("td")] == [
        "",
        "6",
        "",
        "",
        "",
        "",
        "",
        "6",
        "40",
        "15%",
    ]


def test_the_load_page_marks_weeks_over_capacity_and_names_unplaced_tasks(built: Built) -> None:
    doc = parse_html(page(built, "reports/load/index.html"))
    rows = {r.find("th").text(): r for r in doc.find("table").find_all("tr")[1:]}
    oleh = rows["Oleh Petrenko"].find_all("td")
    assert [td.text() for td in oleh[:3]] == ["20", "28 · 140%", "4 · 20%"]
    assert "pd-heat-4" in oleh[1].classes
    unplaced = doc.find("ul", "pd-unplaced").text()
    assert "Anna Kovalenko — no estimate (1): Task S4" in unplaced
    assert "Anna Kovalenko — no due date (1): Task A2" in unplaced


def test_every_feed_reads_back_with_another_implementation(built: Built) -> None:
    feeds = sorted(built.site.glob("calendar/**/*.ics"))
    names = [f.relative_to(built.site).as_posix() for f in feeds]
    assert names == [
        "calendar/people/anna.ics",
        "calendar/people/ivan.ics",
        "calendar/people/oleh.ics",
        "calendar/projects/ads.ics",
        "calendar/projects/retainer.ics",
        "calendar/projects/site.ics",
        "calendar/team.ics",
    ]
    uids: dict[str, list[str]] = {}
    for f in feeds:
        cal = vobject.readOne(f.read_text(encoding="utf-8"))
        events = list(getattr(cal, "vevent_list", []))
        uids[f.stem] = [e.uid.value.split("@")[0] for e in events]
        for e in events:
            assert isinstance(e.dtstart.value, date) and e.dtend.value > e.dtstart.value
    assert uids["oleh"] == ["task-s3", "follow-up-petro", "task-s5"]
    assert uids["site"] == ["project-start-site", "task-s3", "task-s5", "project-due-site"]
    assert len(uids["team"]) == 12 and len(set(uids["team"])) == 12
    assert 'href="../../calendar/team.ics"' in page(built, "calendar/2026-03/index.html")


def test_the_calendar_page_marks_today_and_lists_days(built: Built) -> None:
    doc = parse_html(page(built, "calendar/index.html"))
    today = doc.find(None, "pd-today")
    assert today.find(None, "pd-day-label").text() == "Monday, 16 March · Today"
    assert [a.text() for a in today.find_all("a", "pd-ev")] == [
        "Petro BondarFollow up",
        "Task S5starts",
    ]


def _statement_canaries() -> tuple[dict[str, str], list[str]]:
    """The report workspace with a canary in every field the statement may not show."""
    files = dict(CALENDAR)
    canary = "zqstatement"
    traces = [canary, "731337", "Anna Kovalenko", "Oleh", "Ivan", "Likes short calls"]
    # fields outside the allow-list, in the records the March statement of acme reads
    files["companies/acme.md"] = (
        "---\nname: Acme Foods\nkind: client\nstatement: true\n"
        f"website: https://{canary}.example\nmanager: anna\n---\n{canary} body\n"
    )
    files["projects/site.md"] = (
        files["projects/site.md"]
        .replace("---\nname", f"---\nclient_summary: {canary} summary\nname")
        .replace("\n---\n", f"\n---\n{canary} project notes\n")
    )
    for ident in ("s1", "r1"):
        files[f"tasks/{ident}.md"] = files[f"tasks/{ident}.md"].replace(
            "\n---\n", f"\nparticipants: [oleh]\n---\n{canary} task body\n"
        )
    files["tasks/s1.md"] = files["tasks/s1.md"].replace(
        "---\ntitle", f"---\ntags: [{canary}]\ntitle"
    )
    files["tasks/r1.md"] = (
        files["tasks/r1.md"]
        .replace("[2026-03-05 ivan 3h]", f"[2026-03-05 ivan 3h {canary} note]")
        .replace("estimate: 2h", "estimate: 731337m")
    )
    # done in March, but not client-visible; and another client's visible task
    files["tasks/secret.md"] = (
        f"---\ntitle: {canary} internal\nproject: site\nstatus: done\n"
        "time: [2026-03-09 anna 1h]\n---\n"
    )
    files["tasks/other.md"] = (
        f"---\ntitle: {canary} other client\nproject: ads\nstatus: done\nclient_visible: true\n"
        "time: [2026-03-09 anna 1h]\n---\n"
    )
    return files, traces


def test_the_statement_shows_the_allowed_fields_and_nothing_else(tmp_path: Path) -> None:
    files, traces = _statement_canaries()
    root = make_workspace(tmp_path, files)
    result = run_check(root, TODAY)
    assert [p.headline() for p in result.errors] == []
    ws = result.workspace
    assert ws.tasks["r1"].estimate == 731337 and ws.companies["acme"].website
    pages = render_pages(ws, derive(ws), TODAY, [], SiteOptions(), str(root))
    march = pages["reports/statements/acme/2026-03.md"]
    body = march.split("\n---\n", 1)[1]
    # the allowed values are there
    for shown in ("Numbers Agency", "Acme Foods", "Task S1", "Task R1", "Website", "$300"):
        assert shown in body, shown
    assert [t for t in traces if t in body] == []
    doc = parse_html(body)
    rows = [[td.text() for td in tr.find_all("td")] for tr in doc.find("tbody").find_all("tr")]
    assert rows == [
        ["Mar 4, 2026", "Task S1", "Website", "10", ""],
        ["Mar 5, 2026", "Task R1", "Retainer", "3", "$300"],
    ]
    assert doc.find("tfoot").text() == "Total13$300"
    february = pages["reports/statements/acme/2026-02.md"]
    assert "Task R2" in february and "Task R1" not in february
    # nothing but the listed fields: a field added to the allow-list is a decision
    assert STATEMENT_FIELDS == {
        "settings": ("name",),
        "company": ("name", "statement", "portal"),
        "project": ("name", "company"),
        "task": ("title", "project", "status", "client_visible", "time", "price"),
    }
    assert {spec.type for spec in RECORD_SPECS} >= set(STATEMENT_FIELDS) - {"settings"}


def test_export_ical_writes_the_site_s_feeds(built: Built, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from builder.cli import cli

    root = built.site.parent
    out = tmp_path / "feeds"
    result = CliRunner().invoke(cli, ["export", "ical", str(root), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.endswith(f"7 feeds in {out}\n")
    written = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.ics")}
    site = {
        p.relative_to(built.site / "calendar").as_posix(): p.read_bytes()
        for p in (built.site / "calendar").rglob("*.ics")
    }
    assert written == site and len(written) == 7
    linked = tmp_path / "linked"
    result = CliRunner().invoke(
        cli, ["export", "ical", str(root), "-o", str(linked), "--site-url", "https://t.example/"]
    )
    assert result.exit_code == 0, result.output
    team = vobject.readOne((linked / "team.ics").read_text(encoding="utf-8"))
    urls = {e.uid.value.split("@")[0]: e.url.value for e in team.vevent_list}
    assert urls["task-a1"] == "https://t.example/tasks/a1/"
    assert urls["follow-up-olena"] == "https://t.example/contacts/olena/"
