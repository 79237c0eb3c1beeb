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
