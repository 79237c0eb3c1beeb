"""Paged views in a built site: every link resolves; and in real Chromium at a phone's
375 px, a filter that finds nothing on this page says where to look, and the links it
points to keep the filter, so the card or the contact is found on the other page."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import browser
import pytest
from browser import Probe, serve
from conftest import make_workspace
from links import broken_links
from site_cases import project
from test_paging import _workspace

pytestmark = pytest.mark.browser

chromium = browser.chromium
browser_page = browser.browser_page

OpenPage = Callable[..., Probe]

#: `plaindesk build` in a subprocess, its lists paged as small as the view tests' pages
BUILD = """
import sys
from builder.views import paging
paging.LIMITS = paging.Limits(
    directory=3, board_done=2, archive=1, funnel_stage=1, stage=1,
    unassigned=0, report_projects=2, problems=3,
)
sys.argv = ["plaindesk", "build", "--no-portal", "--site-dir", sys.argv[1]]
from builder.cli import main
main()
"""


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("paged-site")
    root = make_workspace(tmp, project(_workspace()))
    site = tmp / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("PLAINDESK_TODAY", None)
    done = subprocess.run(
        [sys.executable, "-c", BUILD, str(site)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return site


@pytest.fixture(scope="module")
def base(paged_site: Path) -> Iterator[str]:
    with serve(paged_site) as url:
        yield url


def test_every_link_of_the_paged_site_resolves(paged_site: Path) -> None:
    assert (paged_site / "contacts/pages/3/index.html").is_file()
    assert (paged_site / "boards/site/done/pages/2/index.html").is_file()
    assert (paged_site / "funnels/sales/lead/pages/2/index.html").is_file()
    assert (paged_site / "problems/pages/2/index.html").is_file()
    assert (paged_site / "reports/pages/2/index.html").is_file()
    assert broken_links(paged_site) == []


def open_phone(browser_page: OpenPage, url: str) -> Any:
    probe = browser_page(width=375)
    response = probe.page.goto(url, wait_until="load")
    assert response is not None and response.ok, url
    assert probe.page.evaluate("document.documentElement.scrollWidth") <= 375
    return probe


def visible_titles(page: Any) -> list[str]:
    return list(
        page.eval_on_selector_all(
            ".pd-card:not([hidden]) .pd-card-title", "as => as.map(a => a.textContent)"
        )
    )


def test_a_boards_filter_points_to_the_archive_that_holds_the_card(
    browser_page: OpenPage, base: str
) -> None:
    probe = open_phone(browser_page, base + "boards/site/")
    page = probe.page
    note = page.locator(".pd-elsewhere")
    assert not note.is_visible()
    page.fill("input[name=q]", "old 0")
    assert visible_titles(page) == []
    assert note.is_visible()
    assert note.inner_text().startswith("No card on this page matches. The archive holds 2")
    note.locator("a").click()
    page.wait_for_load_state("load")
    assert page.url == base + "boards/site/done/?find=old+0"
    assert visible_titles(page) == []  # the archive's first page has Old 1 only
    page.click("nav.pd-pager >> text=2")
    page.wait_for_load_state("load")
    assert page.url == base + "boards/site/done/pages/2/?find=old+0"
    assert visible_titles(page) == ["Old 0"]
    assert probe.console_errors == [] and probe.page_errors == []


def test_the_all_projects_summary_filters_its_rows_and_the_board_it_opens(
    browser_page: OpenPage, base: str
) -> None:
    probe = open_phone(browser_page, base + "boards/all/")
    page = probe.page
    rows = ".pd-lanes tbody tr:not([hidden]) td:first-child a"
    assert page.eval_on_selector_all(rows, "as => as.map(a => a.textContent)") == [
        "Acme website",
        "Bank shop",
        "Acme press tour",
    ]
    page.select_option("select[name=tag]", "design")
    assert page.eval_on_selector_all(rows, "as => as.map(a => a.textContent)") == ["Acme website"]
    page.click(rows)
    page.wait_for_load_state("load")
    assert page.url == base + "boards/site/?tag=design"
    assert visible_titles(page) == ["Homepage mock-ups"]
    # a text no lane is named by says where tasks are found instead
    page.goto(base + "boards/all/", wait_until="load")
    page.fill("input[name=q]", "mock-ups")
    assert page.locator(".pd-elsewhere").inner_text().startswith("No row matches.")
    assert probe.console_errors == [] and probe.page_errors == []


def test_the_unassigned_summary_opens_a_board_showing_only_the_unassigned_cards(
    browser_page: OpenPage, base: str
) -> None:
    probe = open_phone(browser_page, base + "boards/unassigned/")
    page = probe.page
    rows = ".pd-lanes tbody tr:not([hidden]) td:first-child a"
    page.select_option("select[name=priority]", "normal")
    assert page.eval_on_selector_all(rows, "as => as.map(a => a.textContent)") == ["Acme website"]
    page.click(rows)
    page.wait_for_load_state("load")
    # the row's own filter (nobody assigned) and the one chosen here both hold
    assert page.url == base + "boards/site/?assignee=&priority=normal"
    assert page.input_value("select[name=assignee]") == ""
    assert visible_titles(page) == ["Order hosting"]
    assert probe.console_errors == [] and probe.page_errors == []


def test_a_contacts_search_marks_the_page_holding_the_name_and_finds_it_there(
    browser_page: OpenPage, base: str
) -> None:
    probe = open_phone(browser_page, base + "contacts/")
    page = probe.page
    page.fill("input[name=q]", "zoya")
    assert page.locator("#pd-contacts tbody tr:not([hidden])").count() == 0
    assert page.locator(".pd-elsewhere").is_visible()
    marked = page.locator("nav.pd-pager a.pd-match").first
    assert marked.inner_text() == "Z 1"
    marked.click()
    page.wait_for_load_state("load")
    assert page.url == base + "contacts/pages/3/?find=zoya"
    names = page.eval_on_selector_all(
        "#pd-contacts tbody tr:not([hidden]) td:first-child", "tds => tds.map(t => t.innerText)"
    )
    assert names == ["Zoya Bondar"]
    # the tag filter of a paged list opens the tag's page: everyone with the tag
    page.select_option("select[name=tag]", "tv")
    page.wait_for_url(base + "contacts/tags/tv/")
    assert page.locator("h1").inner_text() == "Contacts: tv"
    assert probe.console_errors == [] and probe.page_errors == []
