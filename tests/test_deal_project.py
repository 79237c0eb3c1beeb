"""Deals that become projects: a deal's `project:`, checked like every reference; a won deal
without one flagged on the funnel and the dashboard; the company page with the money won
and each project's deal; `plaindesk new project --from-deal` linking both ways."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from conftest import make_workspace
from site_cases import Node, parse_html

from builder.cli import cli
from builder.pipeline import run_check

WORKSPACE = """\
name: Brightline
base_currency: USD
rates: {EUR: 1.08, PLN: 0.25}
pipelines:
  sales:
    stages:
      - {id: lead, name: Lead, probability: 10}
      - {id: won, name: Won, probability: 100, outcome: won}
      - {id: lost, name: Lost, probability: 0, outcome: lost}
"""
FILES = {
    "workspace.yml": WORKSPACE,
    "people/anna-k.md": "---\nname: Anna Kovalenko\n---\n",
    "companies/finlo.md": "---\nname: Finlo\nkind: client\n---\n",
    "projects/landing.md": "---\nname: Landing pages\ncompany: finlo\n---\n",
    "deals/landing-deal.md": (
        "---\ntitle: Finlo landing pages\ncompany: finlo\nproject: landing\nstage: won\n"
        "amount: 38000 PLN\n---\n"
    ),
    "deals/launch-deal.md": (
        "---\ntitle: Finlo launch PR\ncompany: finlo\nstage: won\nowner: anna-k\n"
        "amount: 24000 EUR\n---\nScope: launch PR in Ukraine.\n"
    ),
    "deals/lead-deal.md": "---\ntitle: Finlo podcast\ncompany: finlo\nstage: lead\n---\n",
}


def test_a_deal_naming_an_unknown_project_is_an_error_with_the_projects_to_choose(
    tmp_path: Path,
) -> None:
    files = dict(FILES)
    files["deals/lead-deal.md"] = files["deals/lead-deal.md"].replace(
        "stage: lead", "project: landng\nstage: lead"
    )
    root = make_workspace(tmp_path, files)
    result = run_check(root)
    assert [p.headline() for p in result.errors] == [
        f"{root / 'deals/lead-deal.md'}:4:10: error PD201: unknown project `landng`"
    ]
    assert result.errors[0].hint == "did you mean `landing`?"


def test_won_deals_need_a_project_open_and_lost_ones_do_not(tmp_path: Path) -> None:
    ws = run_check(make_workspace(tmp_path, FILES)).workspace
    assert [d for d in sorted(ws.deals) if ws.deal_needs_project(ws.deals[d])] == ["launch-deal"]


def test_a_pipeline_whose_deals_do_not_become_projects_flags_none(tmp_path: Path) -> None:
    files = {
        **FILES,
        "workspace.yml": WORKSPACE.replace("  sales:\n", "  sales:\n    projects: false\n"),
    }
    result = run_check(make_workspace(tmp_path, files))
    assert result.problems == []
    ws = result.workspace
    assert [d for d in ws.deals.values() if ws.deal_needs_project(d)] == []


def test_a_pipelines_projects_key_must_be_yes_or_no(tmp_path: Path) -> None:
    files = {
        **FILES,
        "workspace.yml": WORKSPACE.replace("  sales:\n", "  sales:\n    projects: sometimes\n"),
    }
    root = make_workspace(tmp_path, files)
    assert [p.headline() for p in run_check(root).errors] == [
        f"{root / 'workspace.yml'}:6:15: error PD103: expected true or false, found `sometimes`"
    ]


def invoke(*args: str) -> tuple[int, str, str]:
    run = CliRunner().invoke(cli, list(args))
    return run.exit_code, run.stdout, run.stderr


def test_new_project_from_deal_copies_its_values_and_links_the_deal(tmp_path: Path) -> None:
    root = make_workspace(tmp_path, FILES)
    code, out, err = invoke(
        "new", "project", "--from-deal", "launch-deal", "-w", str(root), "--no-input",
        "--today", "2026-03-16",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out == (
        "created project finlo-launch-pr from deal launch-deal (the deal now names it) "
        f"({root / 'projects/finlo-launch-pr.md'})\n"
    )
    assert (root / "projects/finlo-launch-pr.md").read_text(encoding="utf-8") == (
        "---\nname: Finlo launch PR\ncompany: finlo\nmanager: anna-k\nstatus: active\n"
        "start: 2026-03-16\ndue:\nworkflow:\nbudget: 24000 EUR\n---\n"
    )
    assert (root / "deals/launch-deal.md").read_text(encoding="utf-8") == (
        "---\ntitle: Finlo launch PR\ncompany: finlo\nproject: finlo-launch-pr\nstage: won\n"
        "owner: anna-k\namount: 24000 EUR\n---\nScope: launch PR in Ukraine.\n"
    )
    assert run_check(root).problems == []

    # the deal names a project now: a second project from it is refused, nothing written
    before = sorted(p.name for p in (root / "projects").iterdir())
    code, out, err = invoke("new", "project", "--from-deal", "launch-deal", "-w", str(root))
    assert (code, out) == (2, "")
    assert err == (
        "error: deal launch-deal already names project `finlo-launch-pr`; nothing written\n"
    )
    assert sorted(p.name for p in (root / "projects").iterdir()) == before


def test_options_win_over_the_deal_and_an_open_deal_gets_a_warning(tmp_path: Path) -> None:
    root = make_workspace(tmp_path, FILES)
    code, _, err = invoke(
        "new", "project", "Podcast season", "--from-deal", "lead-deal", "--status", "planned",
        "-w", str(root), "--no-input", "--today", "2026-03-16",
    )  # fmt: skip
    assert code == 0
    assert err == "warning: deal lead-deal is not won yet (stage `lead`)\n"
    assert (root / "projects/podcast-season.md").read_text(encoding="utf-8") == (
        "---\nname: Podcast season\ncompany: finlo\nmanager:\nstatus: planned\n"
        "start: 2026-03-16\ndue:\nworkflow:\nbudget:\n---\n"
    )
    assert "project: podcast-season\n" in (root / "deals/lead-deal.md").read_text("utf-8")


def test_from_deal_of_a_missing_deal_says_so(tmp_path: Path) -> None:
    root = make_workspace(tmp_path, FILES)
    code, out, err = invoke("new", "project", "--from-deal", "nope", "-w", str(root))
    assert (code, out) == (2, "")
    assert err == "error: no deal has the id `nope`\n"


def page(site: Path, rel: str) -> Node:
    return parse_html((site / rel).read_text(encoding="utf-8"))


def facts(node: Node) -> dict[str, str]:
    return {
        f.find("dt").text(): f.find("dd").text()
        for f in node.find("dl", "pd-facts").find_all(cls="pd-fact")
    }


def test_demo_pages_link_deals_and_projects_both_ways(demo_site: Path) -> None:
    deal = page(demo_site, "deals/finlo-landing-pages/index.html")
    assert facts(deal)["Project"] == "Ukrainian landing pages"
    links = [a.attrs.get("href") for a in deal.find("dl", "pd-facts").find_all("a")]
    assert "../../projects/finlo-landing/" in links
    project = page(demo_site, "projects/finlo-landing/index.html")
    assert facts(project)["Deal"] == "Finlo Ukrainian landing pages"
    # the money won from Finlo: 38,000 PLN x 0.25 + 24,000 EUR x 1.08 + 9,000 PLN x 0.25
    company = page(demo_site, "companies/finlo/index.html")
    assert facts(company)["Won"] == "$37,670"
    text = company.text()
    assert "Ukrainian landing pages Active · Won · PLN 38,000" in text
    assert "Finlo Ukrainian landing pages Won · PLN 38,000 → Ukrainian landing pages" in text


def test_demo_flags_won_deals_without_a_project(demo_site: Path) -> None:
    home = page(demo_site, "index.html")
    (section,) = [
        s for s in home.find_all("section") if s.find("h2").attrs.get("id") == "won-no-project"
    ]
    assert section.find("h2").text() == "Won deals without a project"
    # the media pipeline's placements are won deals too, but its deals become no projects
    assert [a.text() for a in section.find_all("a", cls="pd-card-title")] == [
        "Tau Coffee Kyiv opening PR"
    ]
    funnel = page(demo_site, "funnels/sales/index.html")
    flagged = [
        card.find("a", cls="pd-card-title").text()
        for card in funnel.find_all("article", cls="pd-deal")
        if any(c.text() == "Won, no project yet" for c in card.find_all("span", cls="pd-chip"))
    ]
    assert flagged == ["Tau Coffee Kyiv opening PR"]
    linked = [
        a.text() for a in funnel.find_all("a", cls="pd-chip") if a.text().startswith("Project:")
    ]
    assert linked == [  # in the won column's order: newest first
        "Project: Ukrainian landing pages",
        "Project: Ukraine market launch",
        "Project: New website and ticketing",
        "Project: Online shop redesign",
        "Project: Season 2026 launch",
    ]
