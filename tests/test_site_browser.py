"""The built demo site in real Chromium: the board filters work, nothing errors, nothing is
fetched from outside the site, a phone-wide board stacks its columns, and screenshots of the
main pages land in tests/artifacts/ for a human to look at."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import browser
import pytest
from browser import Probe, serve

pytestmark = pytest.mark.browser

# The shared Chromium fixtures (bound here by assignment so pytest finds them by name).
chromium = browser.chromium
browser_page = browser.browser_page

OpenPage = Callable[..., Probe]
BOARD = "boards/opera-website/"
PAGES = {
    "dashboard": "",
    "board": BOARD,
    "funnel": "funnels/sales/",
    "task": "tasks/opera-hall-seat-map/",
}


@pytest.fixture(scope="module")
def base(demo_site: Path) -> Iterator[str]:
    with serve(demo_site) as url:
        yield url


def visible_cards(page: Any) -> list[dict[str, str]]:
    cards: list[dict[str, str]] = page.eval_on_selector_all(
        ".pd-card",
        "cards => cards.filter(c => c.offsetParent !== null)"
        ".map(c => ({assignee: c.dataset.assignee, search: c.dataset.search}))",
    )
    return cards


def open_board(browser_page: OpenPage, base: str, width: int = 1280) -> Probe:
    probe = browser_page(width=width)
    probe.page.goto(base + BOARD)
    probe.page.wait_for_selector("form.pd-filters:not([hidden])")
    return probe


def test_assignee_filter_hides_other_peoples_cards(browser_page: OpenPage, base: str) -> None:
    probe = open_board(browser_page, base)
    page = probe.page
    everyone = visible_cards(page)
    taras = [c for c in everyone if c["assignee"] == "taras-b"]
    assert len(everyone) > len(taras) > 0

    page.select_option("select[name=assignee]", "taras-b")
    shown = visible_cards(page)
    assert len(shown) == len(taras)
    assert {c["assignee"] for c in shown} == {"taras-b"}
    assert page.text_content("output.pd-count") == f"{len(taras)} / {len(everyone)}"
    assert page.url.endswith("?assignee=taras-b")  # a filtered board can be shared

    page.select_option("select[name=assignee]", "*")
    assert len(visible_cards(page)) == len(everyone)
    assert probe.console_errors == [] and probe.page_errors == []


def test_text_filter(browser_page: OpenPage, base: str) -> None:
    probe = open_board(browser_page, base)
    page = probe.page
    total = len(visible_cards(page))
    page.fill("input[name=q]", "Seat MAP")
    shown = visible_cards(page)
    assert len(shown) == 1 and "seat map" in shown[0]["search"]
    page.fill("input[name=q]", "")
    assert len(visible_cards(page)) == total
    # a filtered link opens filtered (every card here names the project, "...ticketing")
    page.goto(base + BOARD + "?q=design&assignee=taras-b")
    page.wait_for_selector("form.pd-filters:not([hidden])")
    shown = visible_cards(page)
    assert page.input_value("input[name=q]") == "design"
    assert 0 < len(shown) < total
    assert all("design" in c["search"] and c["assignee"] == "taras-b" for c in shown)


def test_without_javascript_every_card_is_shown(chromium: Any, base: str) -> None:
    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base + BOARD)
        assert page.is_hidden("form.pd-filters")
        assert len(visible_cards(page)) == page.locator(".pd-card").count() > 10
    finally:
        context.close()


def test_phone_width_board_stacks_columns(browser_page: OpenPage, base: str) -> None:
    probe = open_board(browser_page, base, width=375)
    page = probe.page
    box = page.locator(".pd-card").first.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    columns = page.locator(".pd-lane .pd-col")
    first, second = columns.nth(0).bounding_box(), columns.nth(1).bounding_box()
    assert first is not None and second is not None
    assert second["y"] >= first["y"] + first["height"]  # one under the other
    assert page.locator(".pd-col-label").first.is_visible()  # each column names itself


@pytest.mark.parametrize("width", [1280, 375])
def test_pages_load_cleanly_and_stay_local(browser_page: OpenPage, base: str, width: int) -> None:
    for name, rel in PAGES.items():
        probe = browser_page(width=width)
        # the wide pass waits for every late request (the search index); the phone pass
        # only needs the laid-out page
        probe.page.goto(base + rel, wait_until="networkidle" if width > 1000 else "load")
        assert probe.console_errors == [], (name, probe.console_errors)
        assert probe.page_errors == [], (name, probe.page_errors)
        assert probe.outside(base) == [], (name, probe.outside(base))
        assert probe.page.evaluate("document.documentElement.scrollWidth") <= width, name
        probe.screenshot(f"site-{name}-{width}")


def test_hostile_text_stays_text_in_pages_and_search(
    browser_page: OpenPage, tmp_path: Path
) -> None:
    """Record text full of markup, in a real browser: pages and Material's search results
    show it as text; no dialog opens and no injected element exists."""
    from conftest import make_workspace
    from site_cases import build, project
    from test_site_security import HOSTILE, SCRIPT

    built = build(make_workspace(tmp_path, project(HOSTILE)))
    assert built.returncode == 0, built.stderr
    injected = "script:not([src]):not([id]):not([type]), svg[onload], img[onerror], iframe"
    with serve(built.site) as url:
        for rel in ("tasks/t1/", "boards/proj/", "people/eve/"):
            probe = browser_page()
            probe.page.goto(url + rel)
            assert SCRIPT in probe.page.inner_text("article")
            assert probe.page.locator(f"article :is({injected})").count() == 0, rel
            assert probe.dialogs == [] and probe.page_errors == [], rel
        page = probe.page
        page.click(".md-search__input")
        page.keyboard.type("Proj", delay=30)
        page.wait_for_selector(".md-search-result__item")
        assert SCRIPT in page.inner_text(".md-search-result")
        assert page.locator(f".md-search-result :is({injected})").count() == 0
        assert probe.dialogs == [] and probe.page_errors == []


@pytest.mark.parametrize(
    ("query", "title"), [("Олена", "Олена Мороз"), ("Камерна", "Podil Chamber Opera")]
)
def test_search_finds_cyrillic_names_and_words(
    browser_page: OpenPage, base: str, query: str, title: str
) -> None:
    """The demo's people and notes are partly in Ukrainian: Material's search (language
    en) finds a Cyrillic name and a Cyrillic word of a company's notes."""
    probe = browser_page()
    page = probe.page
    page.goto(base, wait_until="networkidle")  # the search index is loaded
    page.click(".md-search__input")
    page.keyboard.type(query, delay=30)
    page.keyboard.press("End")  # typed text not on the keyboard sends no keyup: one key does
    page.wait_for_selector(".md-search-result__item")
    titles = page.locator(".md-search-result__item h1").all_inner_texts()
    assert titles[0] == title, titles
    assert probe.console_errors == [] and probe.page_errors == []
