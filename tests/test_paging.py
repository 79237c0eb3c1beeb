"""Paged views: every list that grows with the workspace is cut into pages of a bounded
size, each cut list says how many more there are and links to where they are, and no
page grows past the limit however large the workspace is."""

from __future__ import annotations

import importlib.util
import os
import re
from pathlib import Path

import pytest
from conftest import make_workspace
from site_cases import SMALL, Node, parse_html

from builder.render.pages import SiteOptions
from builder.site.generate import generate
from builder.views.paging import Limits

#: small pages, so that a workspace of a few records is paged as a large one is
SMALL_LIMITS = Limits(directory=3, board_done=2, archive=1, funnel_stage=1, stage=1)


def _workspace() -> dict[str, str]:
    files = dict(SMALL)
    for stem, name, tags in (
        ("zoya", "Zoya Bondar", "[journalist]"),
        ("bohdan", "Bohdan Ivanenko", "[journalist, tv]"),
        ("ksenia", "Ksenia Lysenko", "[]"),
        ("andriy", "Andriy Adamenko", "[journalist]"),
    ):
        files[f"contacts/{stem}.md"] = f"---\nname: {name}\ntags: {tags}\n---\n"
    for i, due in enumerate(("2026-02-01", "2026-02-10", "2026-02-20")):
        files[f"tasks/site-old-{i}.md"] = (
            f"---\ntitle: Old {i}\nproject: site\nstatus: done\nassignee: anna\ndue: {due}\n---\n"
        )
    return files


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("paging")
    root = make_workspace(tmp, _workspace())
    out = tmp / "tree"
    generate(root, out, SiteOptions(limits=SMALL_LIMITS), None, history=False)
    return out


def page(tree: Path, rel: str) -> Node:
    return parse_html(tree.joinpath(rel).read_text(encoding="utf-8").split("---\n", 2)[2])


def links(node: Node) -> list[tuple[str, str]]:
    return [(a.text(), a.attrs.get("href") or "") for a in node.find_all("a")]


def names(node: Node) -> list[str]:
    return [tr.find("td").text() for tr in node.find("table").find("tbody").find_all("tr")]


def test_contacts_are_paged_alphabetically_and_each_page_says_where_the_rest_are(
    tree: Path,
) -> None:
    first = page(tree, "contacts/index.md")
    second = page(tree, "contacts/pages/2.md")
    third = page(tree, "contacts/pages/3.md")
    assert names(first) + names(second) + names(third) == [
        "Andriy Adamenko",
        "Bohdan Ivanenko",
        "Ksenia Lysenko",
        "Maria Later",
        "Olena Shevchuk",
        "Petro Melnyk",
        "Zoya Bondar",
    ]
    assert not tree.joinpath("contacts/pages/4.md").exists()
    pager = second.find("nav", "pd-pager")
    assert pager.text() == "A–K 3 · M–P 3 · Z 1"
    assert links(pager) == [("A–K 3", "../../../contacts/"), ("Z 1", "../../../contacts/pages/3/")]
    # the current page is marked, not linked; the others carry their names' range
    assert [a.attrs.get("data-first") for a in pager.find_all("a")] == [
        "andriy adamenko",
        "zoya bondar",
    ]
    [shown] = [p.text() for p in second.find_all("p", "pd-muted") if "of 7" in p.text()]
    assert shown.startswith("4–6 of 7 · ")
    # the tag filter of a paged list opens the tag's page, which lists everyone with it
    option = next(o for o in first.find_all("option") if o.text() == "journalist")
    assert option.attrs.get("data-url") == "../contacts/tags/journalist/"
    assert first.find("p", "pd-elsewhere").text().startswith("Nothing on this page matches.")


def test_a_tag_page_is_paged_too(tree: Path) -> None:
    first = page(tree, "contacts/tags/journalist.md")
    second = page(tree, "contacts/tags/journalist/pages/2.md")
    assert names(first) + names(second) == [
        "Andriy Adamenko",
        "Bohdan Ivanenko",
        "Maria Later",
        "Petro Melnyk",
        "Zoya Bondar",
    ]
    assert links(second.find("nav", "pd-pager")) == [
        ("A–M 3", "../../../../../contacts/tags/journalist/")
    ]


def test_a_board_shows_its_latest_done_cards_and_links_the_archive_of_the_rest(
    tree: Path,
) -> None:
    board = page(tree, "boards/site.md")
    done = [c for c in board.find_all("div", "pd-col") if c.attrs.get("data-column") == "done"]
    [column] = done
    assert [a.text() for a in column.find_all("a", "pd-card-title")] == ["Agree the brief", "Old 2"]
    assert links(column.find("p", "pd-more")) == [
        ("+ 2 more done cards in the archive", "../../boards/site/done/")
    ]
    note = board.find("p", "pd-elsewhere")
    assert note.text() == (
        "No card on this page matches. The archive holds 2 more done cards: Archive of done cards"
    )
    first = page(tree, "boards/site/done.md")
    second = page(tree, "boards/site/done/pages/2.md")
    titles = [a.text() for p in (first, second) for a in p.find_all("a", "pd-card-title")]
    assert titles == ["Old 1", "Old 0"]  # newest first
    assert first.find("p", "pd-summary").text() == "Acme website · 1–1 of 2"
    assert links(first.find("nav", "pd-pager")) == [("2 1", "../../../boards/site/done/pages/2/")]
    assert links(second.find("nav", "pd-pager")) == [("1 1", "../../../../../boards/site/done/")]


def test_the_all_projects_board_is_a_summary_whose_rows_link_the_boards(tree: Path) -> None:
    summary = page(tree, "boards/all.md")
    assert summary.find("p", "pd-summary").text() == ("8 open of 12 tasks · 2 overdue · 3 projects")
    web = summary.find("table", "pd-lanes")
    assert [[td.text() for td in tr.find_all("td")] for tr in web.find("tbody").find_all("tr")] == [
        ["Acme website 9", "1", "3", "1", "4", "1"],
        ["Bank shop 1", "", "1", "", "", ""],
    ]
    by_person = page(tree, "boards/all-by-person.md")
    assert [a.attrs.get("href") for a in by_person.find_all("a", "pd-keep-query")] == [
        "../../people/anna/",
        "../../people/oleh/",
        "../../boards/unassigned/",
        "../../people/anna/",
        "../../people/oleh/",
    ]
    unassigned = page(tree, "boards/unassigned.md")
    assert [a.text() for a in unassigned.find_all("a", "pd-card-title")] == ["Order hosting"]


def test_a_funnel_shows_each_stages_first_deals_and_pages_the_rest(tree: Path) -> None:
    funnel = page(tree, "funnels/sales.md")
    columns = {c.attrs.get("data-column"): c for c in funnel.find_all("div", "pd-col")}
    assert [a.text() for a in columns["won"].find_all("a", "pd-card-title")] == ["March win"]
    assert links(columns["won"].find("p", "pd-more")) == [
        ("+ 1 more in this stage", "../../funnels/sales/won/")
    ]
    assert links(funnel.find("p", "pd-elsewhere"))[0] == ("Lead", "../../funnels/sales/lead/")
    assert columns["proposal"].find_all("p", "pd-more") == []
    lead = [page(tree, "funnels/sales/lead.md"), page(tree, "funnels/sales/lead/pages/2.md")]
    assert [a.text() for p in lead for a in p.find_all("a", "pd-card-title")] == [
        "Hryvnia lead",
        "Big lead",
    ]
    assert lead[0].find("p", "pd-summary").text() == "Sales · 2 deals in this stage · 1–1 of 2"
    assert not tree.joinpath("funnels/sales/proposal.md").exists()  # one deal: on the board


def _generated(target: Path, scale: float) -> None:
    spec = importlib.util.spec_from_file_location(
        "generate_script", Path(__file__).parent.parent / "scripts" / "generate.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.generate(target, scale=scale, seed=42)


def test_no_page_grows_past_the_limit_with_the_workspace(tmp_path: Path) -> None:
    """The generated workspace at scale 0.2 (2,000 tasks, 400 contacts), its lists paged
    five times smaller than by default: every page stays under a fifth of the 500 KB
    limit, as at scale 1 with the default sizes (its pages' HTML adds the theme's 35 KB).
    Before paging, the all-projects boards were 600 KB here."""
    root = tmp_path / "ws"
    _generated(root, 0.2)
    limits = Limits(directory=50, board_done=4, archive=20, funnel_stage=4, stage=20)
    out = tmp_path / "tree"
    done = generate(root, out, SiteOptions(limits=limits), None, history=False)
    # pages only: the iCalendar feeds are files for calendar apps, not pages to open
    sizes = {rel: out.joinpath(rel).stat().st_size for rel in done.pages if rel.endswith(".md")}
    # a person's page is their open work and the latest done: it grows with their load,
    # not with the workspace (here and at scale 1: 250 tasks each)
    over = {rel: n for rel, n in sizes.items() if n > 100_000 and not rel.startswith("people/")}
    assert over == {}
    assert max(sizes.values()) < 250_000
    assert re.search(r"contacts/pages/\d+\.md", " ".join(sizes))


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.md")}


def test_a_kept_memo_writes_the_paged_pages_a_fresh_run_writes(tmp_path: Path) -> None:
    """Serve's incremental rebuild with paging: archives, directory pages and stage pages
    come, change and go as a fresh generation has them."""
    from builder.site.generate import Kept

    root = make_workspace(tmp_path, _workspace())
    kept, kept_tree = Kept(), tmp_path / "kept"
    options = SiteOptions(limits=SMALL_LIMITS)
    generate(root, kept_tree, options, None, kept=kept, history=False)
    edits = [
        ("tasks/site-review.md", "status: review", "status: done"),  # one more archived
        ("contacts/zoya.md", "Zoya Bondar", "Alla Bondar"),  # moves to the first page
        ("deals/big-lead.md", "stage: lead", "stage: proposal"),  # lead fits the board
    ]
    for n, (rel, old, new) in enumerate(edits):
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, rel
        before = path.stat().st_mtime_ns
        path.write_text(text.replace(old, new), encoding="utf-8")
        os.utime(path, ns=(before + 10**9, before + 10**9))  # seen even on a coarse clock
        generate(root, kept_tree, SiteOptions(limits=SMALL_LIMITS), None, kept=kept, history=False)
        fresh = tmp_path / f"fresh-{n}"
        generate(root, fresh, SiteOptions(limits=SMALL_LIMITS), None, history=False)
        assert _tree(kept_tree) == _tree(fresh), rel
    assert (kept_tree / "boards/site/done/pages/3.md").is_file()
    assert not (kept_tree / "funnels/sales/lead/pages/2.md").exists()


def test_the_problems_page_holds_every_error_and_pages_the_warnings(tmp_path: Path) -> None:
    """Errors stay on the first page (they stop a build, and a stale record's mark links
    to its file's first problem there, by `problem_url`); the warnings fill the pages."""
    from dataclasses import replace

    from builder.views.paths import problem_anchor, problem_url

    files = _workspace()
    files["tasks/broken.md"] = (
        "---\ntitle: Broken\nproject: site\nstatus: todo\ndue: 2026-13-45\n---\n"
    )
    files["contacts/zz-broken.md"] = "---\nname: Broken\nemail: not-an-email\nfollow_up: x\n---\n"
    root = make_workspace(tmp_path, files)
    out = tmp_path / "tree"
    options = SiteOptions(limits=replace(SMALL_LIMITS, problems=3))
    done = generate(root, out, options, None, history=False)
    assert [p for p in done.pages if p.startswith("problem")] == [
        "problems.md",
        "problems/pages/2.md",
        "problems/pages/3.md",
    ]
    pages = [
        page(out, rel) for rel in ("problems.md", "problems/pages/2.md", "problems/pages/3.md")
    ]

    def rows(node: Node) -> list[str]:
        return [
            li.find("strong").text() + " " + li.find("code", "pd-path").text().split("/ws/")[1]
            for li in node.find_all("li")
        ]

    assert [rows(p) for p in pages] == [
        [
            "error PD103 contacts/zz-broken.md:3:8",
            "error PD104 contacts/zz-broken.md:4:12",
            "error PD202 tasks/broken.md:4:9",
            "error PD104 tasks/broken.md:5:6",
            "warning PD403 contacts/olena.md:7:12",
            "warning PD402 deals/big-lead.md:8:10",
            "warning PD402 deals/eur-proposal.md:9:10",
        ],
        [
            "warning PD408 people/anna.md:1:1",
            "warning PD408 people/oleh.md:1:1",
            "warning PD405 projects/site.md:5:11",
        ],
        ["warning PD401 tasks/press-release.md:6:6", "warning PD401 tasks/site-mockups.md:6:6"],
    ]
    # each page sums up all of them, says which it shows and links the others
    assert [[p.text() for p in node.find_all("p")][:2] for node in pages] == [
        ["4 errors, 8 warnings", "1–7 of 12"],
        ["4 errors, 8 warnings", "8–10 of 12"],
        ["4 errors, 8 warnings", "11–12 of 12"],
    ]
    assert links(pages[1].find("nav", "pd-pager")) == [
        ("1 7", "../../../problems/"),
        ("3 2", "../../../problems/pages/3/"),
    ]
    # a file's first problem on the first page carries the anchor a stale mark links to
    broken = str(root / "tasks/broken.md")
    assert problem_url(broken) == f"problems/#{problem_anchor(broken)}"
    anchored = [li for li in pages[0].find_all("li") if li.attrs.get("id")]
    assert problem_anchor(broken) in [li.attrs["id"] for li in anchored]


def test_the_profitability_report_pages_its_projects(tmp_path: Path) -> None:
    """The first page is the whole report with the table's first projects; the next ones
    carry on the table, each saying which projects it shows and linking the others."""
    from dataclasses import replace

    root = make_workspace(tmp_path, _workspace())
    out = tmp_path / "tree"
    options = SiteOptions(limits=replace(SMALL_LIMITS, report_projects=2))
    done = generate(root, out, options, None, history=False)
    assert [p for p in done.pages if p.startswith(("reports/index", "reports/pages"))] == [
        "reports/index.md",
        "reports/pages/2.md",
    ]
    first, second = page(out, "reports/index.md"), page(out, "reports/pages/2.md")
    assert [h.text() for h in first.find_all("h2")] == ["By project", "By client", "By month"]
    assert [h.text() for h in second.find_all("h2")] == ["By project"]

    def projects(node: Node) -> list[str]:
        table = node.find("table", "pd-money")
        return [tr.find("td").find("a").text() for tr in table.find("tbody").find_all("tr")]

    # flagged projects first, then by name, across the pages
    assert projects(first) + projects(second) == ["Acme press tour", "Acme website", "Bank shop"]
    assert second.find("p", "pd-muted").text() == "3–3 of 3"
    assert links(first.find("nav", "pd-pager")) == [("2 1", "../reports/pages/2/")]
    assert links(second.find("nav", "pd-pager")) == [("1 2", "../../../reports/")]
    assert "Profitability (2/2)" in out.joinpath("reports/pages/2.md").read_text(encoding="utf-8")


def test_too_many_unassigned_tasks_make_a_summary_whose_rows_open_the_filtered_boards(
    tmp_path: Path,
) -> None:
    """Past `Limits.unassigned` open cards, the unassigned board counts its tasks by
    project and column; a row opens the project's board with its assignee filter set to
    nobody. Its cards are on the projects' boards and archives: it has no archive."""
    from dataclasses import replace

    root = make_workspace(tmp_path, _workspace())
    out = tmp_path / "tree"
    options = SiteOptions(limits=replace(SMALL_LIMITS, unassigned=0))
    done = generate(root, out, options, None, history=False)
    assert [p for p in done.pages if p.startswith("boards/unassigned")] == ["boards/unassigned.md"]
    summary = page(out, "boards/unassigned.md")
    assert summary.find("p", "pd-summary").text() == "1 open of 1 task · 1 project"
    assert summary.find("p", "pd-note").text().startswith("Too many tasks nobody is assigned")
    lanes = summary.find("table", "pd-lanes")
    assert [
        [td.text() for td in tr.find_all("td")] for tr in lanes.find("tbody").find_all("tr")
    ] == [["Acme website 1", "", "1", "", "", ""]]
    [row] = summary.find_all("a", "pd-keep-query")
    assert row.attrs.get("href") == "../../boards/site/?assignee="
    assert row.attrs.get("data-query") == "assignee="
    # the project's board has the filter's option for nobody
    board = page(out, "boards/site.md")
    options_ = board.find("select").find_all("option")
    assert ("Unassigned", "") in [(o.text(), o.attrs.get("value")) for o in options_]
    # with the default limit the board is the board
    default = tmp_path / "default"
    generate(root, default, SiteOptions(limits=SMALL_LIMITS), None, history=False)
    cards = page(default, "boards/unassigned.md").find_all("a", "pd-card-title")
    assert [a.text() for a in cards] == ["Order hosting"]
