"""The portal in real Chromium: the demo agency's three client bundles and the hostile ones,
on a phone (375 px) and a desktop (1280 px), served over HTTP and opened from disk.

Screenshots go to tests/artifacts/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pytest
from portal_cases import CANARY, CANARY_FILES, SECRET, XSS_FILES, XSS_TEXTS, A, MakeWorkspace

from builder.i18n import t
from builder.pipeline import run_check
from builder.portal import PortalBundle, build_portals

if TYPE_CHECKING:
    from browser import Probe

pytestmark = pytest.mark.browser
pytest_plugins = ["browser"]  # fixtures: chromium, browser_page, http_server

DEMO = Path(__file__).resolve().parent.parent / "content"
WIDTHS = (375, 1280)
OpenPage = Callable[..., "Probe"]
Serve = Callable[[Path], AbstractContextManager[str]]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[PortalBundle]]:
    """The demo workspace's portals, built once for the module."""
    result = run_check(DEMO)
    assert [p.headline() for p in result.errors] == []
    out = tmp_path_factory.mktemp("demo-portals")
    bundles = build_portals(result, out, SECRET)
    assert len(bundles) >= 3, "the demo agency has three portal-enabled clients"
    return out, bundles


def _open(probe: Probe, url: str) -> None:
    response = probe.page.goto(url, wait_until="load")
    assert response is not None and response.ok, url


def _assert_clean(probe: Probe, bundle_base: str, width: int) -> None:
    assert probe.console_errors == []
    assert probe.page_errors == []
    assert probe.dialogs == []
    assert probe.outside(bundle_base) == []
    # nothing wider than the screen: no sideways scrolling on a phone
    assert probe.page.evaluate("document.documentElement.scrollWidth") <= width
    # the Print button is shown by the page's one script: the CSP let it run
    assert probe.page.is_visible("button.print")


@pytest.mark.parametrize("width", WIDTHS)
def test_demo_portals_render_cleanly(
    demo: tuple[Path, list[PortalBundle]],
    browser_page: OpenPage,
    http_server: Serve,
    width: int,
) -> None:
    out, bundles = demo
    result = run_check(DEMO)
    with http_server(out) as base:
        for bundle in bundles:
            company = result.workspace.companies[bundle.company_id]
            locale = company.portal.locale or result.workspace.settings.locale
            bundle_base = f"{base}portal/{bundle.token}/"
            probe = browser_page(width=width)
            _open(probe, bundle_base)
            _assert_clean(probe, bundle_base, width)
            assert probe.page.title() == t(locale, "portal.page_title", company=company.name)
            assert probe.page.locator("h1").inner_text() == company.name
            assert probe.page.locator("section.project").count() >= 1
            probe.screenshot(f"portal-{bundle.company_id}-{width}")


def test_demo_portal_prints(
    demo: tuple[Path, list[PortalBundle]], browser_page: OpenPage, http_server: Serve
) -> None:
    out, bundles = demo
    with http_server(out) as base:
        probe = browser_page(width=800)
        _open(probe, f"{base}portal/{bundles[0].token}/")
        probe.page.emulate_media(media="print")
        assert not probe.page.is_visible("button.print")
        assert not probe.page.is_visible("nav.toc")
        probe.screenshot(f"portal-{bundles[0].company_id}-print")
        assert len(probe.page.pdf(format="A4")) > 10_000
        assert probe.console_errors == [] and probe.outside(base) == []


def test_opened_from_disk_it_requests_nothing_else(
    demo: tuple[Path, list[PortalBundle]], browser_page: OpenPage
) -> None:
    _, bundles = demo
    page = bundles[0].directory / "index.html"
    probe = browser_page(width=1280)
    probe.page.goto(page.as_uri())
    assert probe.requests == [page.as_uri()]
    _assert_clean(probe, page.as_uri(), 1280)


def test_hostile_text_stays_text_in_the_browser(
    tmp_path: Path, make_workspace: MakeWorkspace, browser_page: OpenPage, http_server: Serve
) -> None:
    result = run_check(make_workspace(tmp_path, XSS_FILES))
    out = tmp_path / "out"
    (bundle,) = build_portals(result, out, SECRET)
    with http_server(out) as base:
        for width in WIDTHS:
            bundle_base = f"{base}portal/{bundle.token}/"
            probe = browser_page(width=width)
            _open(probe, bundle_base)
            for element in probe.page.query_selector_all("main li, main p, h1, h2, .person a"):
                element.hover(timeout=5000)  # would fire any injected onmouseover
            _assert_clean(probe, bundle_base, width)
            text = probe.page.inner_text("body")
            missing = [x for x in XSS_TEXTS if x not in text and x not in probe.page.title()]
            assert missing == []
            assert probe.page.evaluate("document.scripts.length") == 1
            probe.screenshot(f"portal-hostile-{width}")


def test_canary_bundle_dom_after_scripts(
    tmp_path: Path, make_workspace: MakeWorkspace, browser_page: OpenPage, http_server: Serve
) -> None:
    result = run_check(make_workspace(tmp_path, CANARY_FILES))
    out = tmp_path / "out"
    bundle = next(b for b in build_portals(result, out, SECRET) if b.company_id == A)
    with http_server(out) as base:
        probe = browser_page(width=1280)
        _open(probe, f"{base}portal/{bundle.token}/")
        _assert_clean(probe, f"{base}portal/{bundle.token}/", 1280)
        dom = probe.page.evaluate("document.documentElement.outerHTML")
        assert CANARY not in dom.casefold() and "betamark" not in dom.casefold()
        assert "Alphamark Work Task" in dom
        probe.screenshot("portal-canary-1280")


@pytest.mark.parametrize("width", WIDTHS)
def test_review_items_have_approval_buttons_that_write_to_the_manager(
    demo: tuple[Path, list[PortalBundle]],
    browser_page: OpenPage,
    http_server: Serve,
    width: int,
) -> None:
    """The opera's portal (Ukrainian): each review item has "Approve" and "Request changes",
    `mailto:` links to the project's manager with the subject and body in the client's
    language, line breaks as CRLF (RFC 6068); opening the page fetches nothing."""
    out, bundles = demo
    (bundle,) = [b for b in bundles if b.company_id == "podil-opera"]
    with http_server(out) as base:
        bundle_base = f"{base}portal/{bundle.token}/"
        probe = browser_page(width=width)
        _open(probe, bundle_base)
        _assert_clean(probe, bundle_base, width)
        item = probe.page.locator(".callout .task").filter(
            has_text="Homepage hero: final photos approval"
        )
        approve = item.get_by_role("link", name="Погодити", exact=True)
        changes = item.get_by_role("link", name="Попросити правки", exact=True)
        for button in (approve, changes):
            box = button.bounding_box()
            assert box is not None and box["height"] >= 24 and box["x"] + box["width"] <= width
        hrefs = [approve.get_attribute("href") or "", changes.get_attribute("href") or ""]
    ref = (
        "PD-"
        + base64.b32encode(
            hashlib.sha256(b"plaindesk-task:opera-homepage-hero-photos").digest()
        ).decode()[:5]
    )
    mails = [urlsplit(href) for href in hrefs]
    assert [(m.scheme, m.path) for m in mails] == [("mailto", "iryna@brightline.agency")] * 2
    assert all("+" not in href and "%0D%0A" in href for href in hrefs)  # %20 for spaces, CRLF
    title, project = "Homepage hero: final photos approval", "New website and ticketing"
    assert [parse_qs(m.query) for m in mails] == [
        {
            "subject": [f"Погоджено: {title} ({ref})"],
            "body": [f"Добрий день, Iryna!\r\n\r\nПогоджуємо «{title}» ({project}).\r\n\r\n"
                     "Коментар (за бажанням):\r\n"],
        },
        {
            "subject": [f"Потрібні правки: {title} ({ref})"],
            "body": [f"Добрий день, Iryna!\r\n\r\nПросимо внести правки до «{title}» "
                     f"({project}):\r\n\r\n- \r\n"],
        },
    ]  # fmt: skip
