"""The calendar and the reports in real Chromium, at 1280 and 375 px: the month grid on a
screen and a list of days on a phone, the statement's print stylesheet, no console errors
and no request outside the site. Screenshots go to tests/artifacts/ for a person to look
at."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from browser import Probe
from conftest import make_workspace
from report_cases import CALENDAR
from site_cases import Built, build, project

pytest_plugins = ["browser"]

Open = Callable[..., Probe]
Serve = Callable[[Path], AbstractContextManager[str]]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = make_workspace(tmp_path_factory.mktemp("report-browser"), project(CALENDAR))
    result = build(root)
    assert result.returncode == 0, result.stderr
    return result


def _visible(probe: Probe, selector: str) -> list[str]:
    texts: list[str] = probe.page.eval_on_selector_all(
        selector,
        "els => els.filter(e => e.offsetParent !== null).map(e => e.innerText.trim())",
    )
    return texts


@pytest.mark.browser
def test_the_calendar_is_a_grid_on_screens_and_a_list_on_phones(
    built: Built, browser_page: Open, http_server: Serve
) -> None:
    with http_server(built.site) as base:
        wide = browser_page(width=1280)
        wide.page.goto(base + "calendar/")
        assert _visible(wide, ".pd-cal-head > div")[:2] == ["Mon", "Tue"]
        assert len(_visible(wide, ".pd-day")) == 42  # six weeks of the March grid
        wide.screenshot("calendar-1280")
        phone = browser_page(width=375)
        phone.page.goto(base + "calendar/")
        assert _visible(phone, ".pd-cal-head > div") == []
        days = _visible(phone, ".pd-day-label")
        # only the days that have something, and today
        assert days[:3] == ["Monday, 2 March", "Monday, 9 March", "Thursday, 12 March"]
        assert "Monday, 16 March · Today" in days
        width = phone.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375
        phone.screenshot("calendar-375")
        for probe in (wide, phone):
            assert probe.console_errors == [] and probe.page_errors == []
            assert probe.outside(base) == []


@pytest.mark.browser
def test_report_pages_at_both_widths(built: Built, browser_page: Open, http_server: Serve) -> None:
    with http_server(built.site) as base:
        for rel, name in (
            ("reports/", "profitability"),
            ("reports/timesheets/2026-03-09/", "timesheet-week"),
            ("reports/estimates/", "estimates"),
            ("reports/load/", "load"),
        ):
            for width in (1280, 375):
                probe = browser_page(width=width)
                probe.page.goto(base + rel)
                assert probe.console_errors == [] and probe.page_errors == [], rel
                assert probe.outside(base) == []
                # a wide table scrolls inside itself; the page does not
                assert probe.page.evaluate("document.documentElement.scrollWidth") <= width
                probe.screenshot(f"report-{name}-{width}")


@pytest.mark.browser
def test_the_statement_prints_without_the_site_around_it(
    built: Built, browser_page: Open, http_server: Serve
) -> None:
    with http_server(built.site) as base:
        probe = browser_page(width=800)
        probe.page.goto(base + "reports/statements/acme/2026-03/")
        assert _visible(probe, ".md-header") != []
        probe.page.emulate_media(media="print")
        assert _visible(probe, ".md-header, .md-sidebar, .md-footer, .pd-noprint, h1") == []
        assert _visible(probe, ".pd-statement h2") == ["Statement of work done"]
        probe.screenshot("statement-print")
