"""The admin page end to end: Decap CMS in real Chromium, phone-wide, against its real local
backend (`decap-server`, which writes to the working tree), on a copy of the demo and on a
fresh `plaindesk init` workspace. It changes a task's status through the select box in two
taps, logs time, creates a contact and saves; then `plaindesk check` passes and the files
hold the expected fields. Nothing is fetched from outside the site and the backend.

decap-server comes from tests/cms (`npm ci --prefix tests/cms`, as .ci/run does). Without
node or that install the tests are skipped locally and FAIL in CI, like the browser tests.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import browser
import pytest
import yaml
from browser import ARTIFACTS, Probe, serve, unavailable
from site_cases import build, copy_demo

pytestmark = pytest.mark.browser

chromium = browser.chromium
browser_page = browser.browser_page

OpenPage = Callable[..., Probe]
DECAP_SERVER = Path(__file__).parent / "cms" / "node_modules" / ".bin" / "decap-server"
DOCS = Path(__file__).resolve().parent.parent / "docs"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def decap_server(repo: Path) -> Iterator[str]:
    """decap-server writing to `repo`'s working tree; yields its API URL."""
    if shutil.which("node") is None:
        unavailable("node is not installed")
    if not DECAP_SERVER.exists():
        unavailable("decap-server is not installed: run `npm ci --prefix tests/cms`")
    port = free_port()
    env = {
        **os.environ,
        "GIT_REPO_DIRECTORY": str(repo),
        "PORT": str(port),
        "BIND_HOST": "127.0.0.1",
        "MODE": "fs",
        "LOG_LEVEL": "error",
    }
    proc = subprocess.Popen(
        [str(DECAP_SERVER)],
        cwd=repo,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}/api/v1"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                request = urllib.request.Request(
                    url,
                    data=json.dumps({"action": "info"}).encode(),
                    headers={"Content-Type": "application/json"},
                )
                with urllib.request.urlopen(request, timeout=2) as answer:
                    assert json.load(answer)["type"] == "local_fs"
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    err = proc.stderr.read().decode() if proc.stderr else ""
                    raise AssertionError(f"decap-server did not start: {err}") from None
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def with_local_backend(root: Path, url: str) -> None:
    """Point the admin page of the project in `root` at the local backend `url`."""
    mkdocs = root / "mkdocs.yml"
    text = mkdocs.read_text(encoding="utf-8")
    assert "      content: content\n" in text
    mkdocs.write_text(
        text.replace(
            "      content: content\n",
            f'      content: content\n      admin: {{local_backend: "{url}"}}\n',
        ),
        encoding="utf-8",
    )


def front_matter(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
    return data


@dataclass
class Case:
    """A workspace to edit: the task, its new status (value and label), the person who
    logs time, the company of the new contact."""

    task: str  # content-relative path, without .md
    status: str
    status_label: str
    person: str
    person_name: str
    company: str
    company_name: str


DEMO = Case(
    "tasks/opera-website/opera-astro-setup",
    "client-approval",
    "Client approval (Web studio)",
    "piotr-z",
    "Piotr Zieliński",
    "finlo",
    "Finlo",
)
INIT = Case(
    "tasks/site-map",
    "in-progress",
    "In progress",
    "me",
    "Your Name",
    "example-client",
    "Example Client",
)


def make_project(kind: str, root: Path) -> Case:
    if kind == "demo":
        copy_demo(root)
        return DEMO
    done = subprocess.run(
        [sys.executable, "-m", "builder.cli", "init", str(root)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return INIT


def field(page: Any, label: str) -> Any:
    """The input of the first field whose label starts with `label`."""
    ident = page.locator("label", has_text=re.compile("^" + re.escape(label))).first
    return page.locator(f"[id='{ident.get_attribute('for')}']")


def select_box(page: Any, label: str) -> Any:
    """The box a thumb taps to open a select (react-select's control)."""
    return field(page, label).locator("xpath=ancestor::div[contains(@class,'control')][1]")


def publish(page: Any) -> None:
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("Publish now").click()
    page.get_by_text("Changes saved").wait_for()


def shot(page: Any, name: str) -> None:
    """The viewport as tests/artifacts/NAME.png, after checking that the page fits it."""
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") == width
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def login(page: Any, base: str) -> None:
    """Past the local backend's login button (no password: it is the working tree)."""
    page.goto(base + "admin/")
    page.get_by_role("button", name="Login").click()


def desktop(browser_page: OpenPage, base: str, entry: str) -> None:
    """The task form 1280 px wide, its status list open."""
    probe = browser_page(width=1280, height=800)
    login(probe.page, base)
    probe.page.goto(f"{base}admin/#/collections/tasks/entries/{entry}")
    select_box(probe.page, "Status").click()
    probe.page.get_by_role("option").first.wait_for()
    shot(probe.page, "admin-status-open-1280")
    assert probe.page_errors == []


def two_taps(chromium: Any) -> None:
    """The two phone screenshots side by side (docs/admin-status-two-taps.png is a copy)."""
    page = chromium.new_page(viewport={"width": 812, "height": 860})
    try:
        page.set_content(
            "<body style='margin:0;padding:20px;background:#e8eaf0;display:flex;gap:20px;"
            "font:15px system-ui'>"
            + "".join(
                "<figure style='margin:0'><img src='data:image/png;base64,"
                + base64.b64encode((ARTIFACTS / name).read_bytes()).decode()
                + "' "
                + "style='border:1px solid #aab;display:block' width='375' height='800'>"
                + f"<figcaption>{caption}</figcaption></figure>"
                for name, caption in (
                    ("admin-status-open-375.png", "1. tap the status"),
                    ("admin-status-chosen-375.png", "2. tap the new column"),
                )
            )
        )
        page.screenshot(path=str(ARTIFACTS / "admin-status-two-taps.png"))
    finally:
        page.close()


@pytest.mark.parametrize("kind", ["demo", "init"])
def test_admin_edits_check_clean(browser_page: OpenPage, tmp_path: Path, kind: str) -> None:
    root = tmp_path / "project"
    case = make_project(kind, root)
    with decap_server(root) as api:
        with_local_backend(root, api)
        built = build(root, tmp_path / "site")
        assert built.returncode == 0, built.stderr
        with serve(built.site) as base:
            probe = browser_page(width=375, height=800)
            page = probe.page
            login(page, base)
            page.goto(f"{base}admin/#/collections/tasks/entries/{case.task.split('/', 1)[1]}")
            status = select_box(page, "Status")
            status.wait_for()
            # opening a record changes nothing (one-line time-log entries included)
            assert page.get_by_text("Changes saved").is_visible()
            # the status change: one tap opens the list, one picks the column
            status.click()
            option = page.get_by_role("option", name=case.status_label, exact=True)
            option.wait_for()
            if kind == "demo":
                shot(page, "admin-status-open-375")
            option.click()
            assert status.inner_text() == case.status_label
            if kind == "demo":
                shot(page, "admin-status-chosen-375")
                desktop(browser_page, base, case.task.split("/", 1)[1])
                two_taps(probe.page.context.browser)
            page.get_by_role("button", name=re.compile("^Add time log")).click()
            field(page, "Date").fill("2026-03-16")
            select_box(page, "Person").click()
            page.keyboard.type(case.person_name[:4])
            page.get_by_role("option", name=case.person_name, exact=True).click()
            field(page, "Spent").fill("1h30m")
            field(page, "Note").fill("review with the client")
            publish(page)

            page.goto(base + "admin/#/collections/contacts/new")
            field(page, "Name").fill("Marta Test")
            select_box(page, "Company").click()
            page.keyboard.type(case.company_name[:4])
            page.get_by_role("option", name=case.company_name, exact=True).click()
            field(page, "E-mail").fill("marta@example.com")
            publish(page)
            assert probe.page_errors == []
            proxy = api.rsplit("/api/", 1)[0]
            assert [u for u in probe.outside(base) if not u.startswith(proxy)] == []

    task = front_matter(root / "content" / f"{case.task}.md")
    assert task["status"] == case.status
    assert task["time"][0] == {
        "date": __import__("datetime").date(2026, 3, 16),
        "person": case.person,
        "spent": "1h30m",
        "note": "review with the client",
    }
    contact = front_matter(root / "content" / "contacts" / "marta-test.md")
    assert contact == {
        "name": "Marta Test",
        "company": case.company,
        "email": "marta@example.com",
        "consent": False,
    }
    checked = subprocess.run(
        [sys.executable, "-m", "builder.cli", "check", str(root / "content")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode == 0, checked.stdout
    assert " 0 errors" in " " + checked.stdout.splitlines()[-1]
