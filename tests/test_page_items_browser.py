"""The issue's page items (7-16) in real Chromium, at a phone's 375 px and a desktop's
1280 px: the demo site (built once per session) and the demo's client portals."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import browser
import pytest
from browser import Probe, serve
from portal_cases import SECRET

from builder.pipeline import run_check
from builder.portal import build_portals

pytestmark = pytest.mark.browser

chromium = browser.chromium
browser_page = browser.browser_page

OpenPage = Callable[..., Probe]
DEMO = Path(__file__).resolve().parent.parent / "content"
WIDTHS = (375, 1280)


@pytest.fixture(scope="module")
def base(demo_site: Path) -> Iterator[str]:
    with serve(demo_site) as url:
        yield url


@pytest.fixture(scope="module")
def portal_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of the demo's Tau Coffee portal (Russian; it has a lower-is-better metric)."""
    result = run_check(DEMO)
    out = tmp_path_factory.mktemp("portals")
    [tau] = [b for b in build_portals(result, out, SECRET) if b.company_id == "tau-coffee"]
    with serve(out) as url:
        yield f"{url}portal/{tau.token}/"


def open_at(browser_page: OpenPage, url: str, width: int) -> Any:
    probe = browser_page(width=width)
    response = probe.page.goto(url, wait_until="load")
    assert response is not None and response.ok, url
    return probe.page


# --- 7. a metric where lower is better --------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_portal_metric_lower_is_better_is_not_shown_as_reached(
    browser_page: OpenPage, portal_url: str, width: int
) -> None:
    page = open_at(browser_page, portal_url, width)
    metrics = page.eval_on_selector_all(
        "li.metric",
        """items => items.map(li => {
            const bar = li.querySelector('.bar > span');
            return {
                name: li.querySelector('.metric__name').innerText,
                target: li.querySelector('.metric__target').innerText.replace(/\\s+/g, ' ').trim(),
                width: bar ? bar.offsetWidth / bar.parentElement.offsetWidth : null,
                colour: bar ? getComputedStyle(bar).backgroundColor : null,
            };
        })""",
    )
    by_name = {m["name"]: m for m in metrics}
    load = by_name["Mobile page load (LCP)"]
    assert load["target"] == "цель: не больше 2,5 s пока не достигнута"
    assert load["width"] == pytest.approx(0.66, abs=0.01)
    green = "rgb(46, 158, 107)"
    assert load["colour"] != green
    reached = [m for m in metrics if "✓" in m["target"]]
    assert reached == [m for m in metrics if m["colour"] == green]


def no_sideways_scroll(page: Any, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


# --- 13. problems a colleague can act on -----------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_problems_link_their_records_and_show_no_backticks(
    browser_page: OpenPage, base: str, width: int
) -> None:
    page = open_at(browser_page, base + "problems/", width)
    no_sideways_scroll(page, width)
    items = page.eval_on_selector_all(
        ".pd-problem-list li",
        """items => items.map(li => ({
            text: li.innerText,
            record: li.querySelector('.pd-problem-where a:not(.pd-edit)')?.href,
            edit: li.querySelector('a.pd-edit')?.href,
        }))""",
    )
    assert len(items) >= 5
    assert [i for i in items if "`" in i["text"] or not i["record"] or not i["edit"]] == []
    for item in items[:3]:
        response = page.goto(item["record"])
        assert response is not None and response.ok, item


# --- 10. boards use the page's width, every column reachable, finished lanes folded ------------

COLUMNS = """board => {
    const box = board.getBoundingClientRect();
    return Array.from(board.querySelectorAll('.pd-head .pd-col-head')).map(h => {
        const r = h.getBoundingClientRect();
        return {left: r.left - box.left + board.scrollLeft, right: r.right - box.left};
    }).concat([{wide: board.classList.contains('pd-wide'), width: board.clientWidth,
                scroll: board.scrollWidth}]);
}"""


def test_six_columns_fit_a_desktop_board(browser_page: OpenPage, base: str) -> None:
    page = open_at(browser_page, base + "boards/tau-eshop/", 1280)
    *heads, board = page.eval_on_selector(".pd-board", COLUMNS)
    assert len(heads) == 6
    assert board == {"wide": False, "width": board["width"], "scroll": board["width"]}
    assert max(h["right"] for h in heads) <= board["width"]  # the done column is not clipped
    no_sideways_scroll(page, 1280)


def test_a_board_wider_than_the_window_keeps_its_scrollbar_in_view(
    browser_page: OpenPage, base: str
) -> None:
    page = open_at(browser_page, base + "boards/tau-eshop/", 1000)
    *_, board = page.eval_on_selector(".pd-board", COLUMNS)
    assert board["wide"] and board["scroll"] > board["width"]
    page.eval_on_selector(".pd-board", "b => b.scrollIntoView()")
    bottom = page.eval_on_selector(".pd-board", "b => b.getBoundingClientRect().bottom")
    assert bottom <= 900  # the sideways scrollbar is on screen, not below the last card
    page.eval_on_selector(".pd-board", "b => { b.scrollLeft = b.scrollWidth; }")
    done = page.eval_on_selector(
        ".pd-board",
        "b => { const d = b.querySelector('.pd-col-head.pd-done').getBoundingClientRect();"
        " const r = b.getBoundingClientRect(); return [d.left >= r.left, d.right <= r.right]; }",
    )
    assert done == [True, True]


@pytest.mark.parametrize("width", WIDTHS)
def test_all_projects_board_sums_up_its_lanes_and_names_its_workflows(
    browser_page: OpenPage, base: str, width: int
) -> None:
    # a row per project (its cards are on its own board): a finished project is one row
    # with only its done count, however many cards it had
    page = open_at(browser_page, base + "boards/all/", width)
    no_sideways_scroll(page, width)
    headings = page.eval_on_selector_all(
        ".pd-board-section > h2", "hs => hs.map(h => h.textContent)"
    )
    assert headings == ["Web studio", "PR and media relations"]  # not "Pr"
    rows = page.eval_on_selector_all(
        ".pd-lanes tbody tr",
        "rs => rs.map(r => Array.from(r.cells).map(c => c.textContent.trim()))",
    )
    finished = [r for r in rows if r[0].startswith("2025 annual report microsite")]
    assert finished == [["2025 annual report microsite 9", "", "", "", "", "", "9", ""]]
    assert page.locator(".pd-card").count() == 0
    heights = page.eval_on_selector_all(
        ".pd-lanes tbody tr", "rs => rs.map(r => r.getBoundingClientRect().height)"
    )
    if width == 1280:
        assert max(heights) < 60  # one line a project


# --- 9. tables on phones: readable lists, every column reachable, no word cut ------------------

# Each word of each row-naming cell on one line (a name never breaks mid-word), and what
# every cell shows: its label (the column's name, on a phone) and its right edge.
TABLE_CELLS = """table => {
    const words = [];
    const first = Array.from(table.querySelectorAll('tbody tr td:first-child'));
    for (const cell of first) {
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const re = /\\S+/g;
            let m;
            while ((m = re.exec(node.data))) {
                const range = document.createRange();
                range.setStart(node, m.index);
                range.setEnd(node, m.index + m[0].length);
                words.push([m[0], range.getClientRects().length]);
            }
        }
    }
    const cells = Array.from(table.querySelectorAll('tbody td')).filter(td => td.offsetParent)
        .map(td => ({label: getComputedStyle(td, '::before').content,
                     right: td.getBoundingClientRect().right,
                     scroll: td.scrollWidth > td.clientWidth + 1}));
    return {words, cells, head: getComputedStyle(table.querySelector('thead')).position,
            overflow: table.scrollWidth > table.clientWidth + 1};
}"""

TABLES = {
    "contacts/": "#pd-contacts",
    "companies/": "#pd-companies",
    "": "table.pd-follow",
    "#team": "#team ~ table",
    "funnels/sales/": "table.pd-funnel",
}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("rel", list(TABLES))
def test_tables_are_readable_without_sideways_scrolling(
    browser_page: OpenPage, base: str, width: int, rel: str
) -> None:
    page = open_at(browser_page, base + rel, width)
    no_sideways_scroll(page, width)
    seen = page.eval_on_selector(TABLES[rel], TABLE_CELLS)
    assert seen["words"] and all(lines == 1 for _, lines in seen["words"]), seen["words"]
    assert not seen["overflow"]  # no column hidden behind a sideways scroll
    assert all(c["right"] <= width and not c["scroll"] for c in seen["cells"])
    if width == 375:
        # a list: the header row is hidden, each value says which column it is
        assert seen["head"] == "absolute"
        labels = [c["label"] for c in seen["cells"]]
        assert labels.count("none") <= len(labels) // 2  # only each row's first cell
        assert all(label.startswith('"') for label in labels if label != "none")
    else:
        assert seen["head"] == "static"
