"""Real-Chromium helpers for browser tests (Playwright's sync API), reusable by any area.

    pytest_plugins = ["browser"]  # fixtures: chromium, browser_page, http_server

    @pytest.mark.browser
    def test_page(browser_page, http_server, tmp_path):
        with http_server(site_dir) as base:
            probe = browser_page(width=375)
            probe.page.goto(base + "index.html")
            assert probe.console_errors == []
            assert probe.outside(base) == []

When Playwright or /usr/bin/chromium is missing the tests are skipped locally, but they FAIL
when the CI environment variable is set: a CI run must never pass without its browser.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("PLAINDESK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).parent / "artifacts"


def unavailable(reason: str) -> None:
    """Skip the test, or fail it when running in CI (env CI set)."""
    if os.environ.get("CI"):
        pytest.fail(f"browser tests cannot run in CI: {reason}")
    pytest.skip(reason)


@dataclass
class Probe:
    """A page plus everything it did: console errors, page errors, requests, dialogs."""

    page: Any
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def outside(self, base: str) -> list[str]:
        """Requested URLs that are not under `base` (data: URLs are inline, not requests)."""
        return [u for u in self.requests if not u.startswith(base) and not u.startswith("data:")]

    def screenshot(self, name: str) -> Path:
        """Save a full-page screenshot as tests/artifacts/NAME.png and return its path."""
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


# One Playwright and one Chromium for the whole run, however many modules register the
# `chromium` fixture (by `pytest_plugins` or by an alias `chromium = browser.chromium`):
# Playwright's sync API cannot run twice at once in one process.
_SHARED: dict[str, Any] = {}


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """A launched headless Chromium, shared by the session."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed")
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        unavailable(f"no Chromium at {CHROMIUM}")
    if not _SHARED:
        playwright = sync_playwright().start()
        _SHARED.update(
            playwright=playwright,
            browser=playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS),
            users=0,
        )
    _SHARED["users"] += 1
    yield _SHARED["browser"]
    _SHARED["users"] -= 1
    if _SHARED["users"] == 0:
        _SHARED["browser"].close()
        _SHARED["playwright"].stop()
        _SHARED.clear()


@pytest.fixture
def browser_page(chromium: Any) -> Iterator[Callable[..., Probe]]:
    """`browser_page(width=1280, height=900) -> Probe`: a fresh page in its own context,
    recording console errors, uncaught errors, every request and every dialog (dismissed)."""
    contexts: list[Any] = []

    def open_page(width: int = 1280, height: int = 900) -> Probe:
        context = chromium.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        probe = Probe(page)
        page.on(
            "console",
            lambda m: probe.console_errors.append(m.text) if m.type == "error" else None,
        )
        page.on("pageerror", lambda e: probe.page_errors.append(str(e)))
        page.on("request", lambda r: probe.requests.append(r.url))

        def on_dialog(dialog: Any) -> None:
            probe.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        return probe

    yield open_page
    for context in contexts:
        context.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def http_server() -> Callable[[Path], AbstractContextManager[str]]:
    """`with http_server(folder) as base_url:` serves `folder` on 127.0.0.1."""
    return serve


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve `directory` over HTTP on 127.0.0.1 (a free port); yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
