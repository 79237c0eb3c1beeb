"""`plaindesk serve` as a user runs it: a real server on a free port, files edited the way
editors save them (a temporary file, then a rename), and the pages polled over HTTP."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import make_workspace
from site_cases import SMALL, Node, parse_html, project

POLL_SECONDS = 25.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def save(path: Path, text: str) -> None:
    """Save as editors do: write a temporary file beside the target, then rename it."""
    tmp = path.with_name(f".{path.name}.swp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


@dataclass
class Server:
    root: Path
    base: str
    proc: subprocess.Popen[bytes]
    log: Path

    def get(self, rel: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.base + rel, timeout=5) as resp:
                return resp.status, resp.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, ""

    def wait_for(self, rel: str, ok: Callable[[int, str], bool], what: str) -> str:
        """Poll `rel` until `ok(status, html)`; fail with the server's log otherwise."""
        deadline = time.monotonic() + POLL_SECONDS
        status, html = 0, ""
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"serve exited:\n{self.log.read_text()}"
            try:
                status, html = self.get(rel)
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                status, html = 0, ""
            if ok(status, html):
                return html
            time.sleep(0.3)
        pytest.fail(
            f"{what}: {rel} never matched (last status {status})\n{self.log.read_text()[-3000:]}"
        )

    def wait_log(self, text: str, what: str) -> None:
        """Wait until the server's output says `text`."""
        deadline = time.monotonic() + POLL_SECONDS
        while text not in self.log.read_text(encoding="utf-8", errors="replace"):
            assert time.monotonic() < deadline, f"{what}: never logged\n{self.log.read_text()}"
            time.sleep(0.1)

    def content(self, rel: str) -> Path:
        return self.root / "content" / rel


@contextmanager
def serving(
    root: Path,
    log: Path,
    *args: str,
    port: int | None = None,
    tmp: Path | None = None,
    command: tuple[str, ...] = ("builder.cli", "serve"),
) -> Iterator[Server]:
    """`plaindesk serve` (with `args`) in project folder `root`, its output in `log`;
    yields once the first build is served, stops the server afterwards. With `tmp`, the
    server's temporary files (its site folder, mkdocs_*) go there; `command` is the
    module and command run (`mkdocs serve`: ("mkdocs", "serve"))."""
    port = port or free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("PLAINDESK_TODAY", None)
    if tmp is not None:
        env["TMPDIR"] = str(tmp)
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", *command, "-a", f"127.0.0.1:{port}", *args],
            cwd=root,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    srv = Server(root, f"http://127.0.0.1:{port}/", proc, log)
    try:
        srv.wait_for("", lambda s, h: s == 200 and "pd-" in h, "first build")
        yield srv
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    root = make_workspace(tmp_path, project(SMALL))
    with serving(root, tmp_path / "serve.log") as srv:
        srv.wait_for("boards/site/", lambda s, h: s == 200 and "pd-board" in h, "first build")
        yield srv


def column_of(html: str, card_href: str) -> str | None:
    """The data-column of the board column holding the card linking to `card_href`."""
    for col in parse_html(html).find_all(cls="pd-col"):
        if any(a.attrs.get("href") == card_href for a in col.find_all("a", "pd-card-title")):
            return col.attrs.get("data-column")
    return None


def problems(html: str) -> list[str]:
    root: Node = parse_html(html)
    return [
        li.text()
        for li in root.find_all("li")
        if "pd-error" in li.classes or "pd-warning" in li.classes
    ]


def test_serve_follows_edits_and_survives_bad_ones(server: Server) -> None:
    card = "../../tasks/site-review/"
    html = server.wait_for("boards/site/", lambda s, h: s == 200, "board")
    assert column_of(html, card) == "review"

    # (a) a status change moves the card
    task = server.content("tasks/site-review.md")
    good = task.read_text("utf-8")
    save(task, good.replace("status: review", "status: queue"))
    server.wait_for("boards/site/", lambda s, h: column_of(h, card) == "queue", "moved card")

    # (b) a bad edit: the server stays up and the Problems page names the line
    save(task, good.replace("status: review", "status: [queue"))
    html = server.wait_for(
        "problems/",
        lambda s, h: any("site-review.md" in p and "error" in p for p in problems(h)),
        "problem shown",
    )
    line = next(p for p in problems(html) if "site-review.md" in p)
    assert line.startswith("error PD004") and "content/tasks/site-review.md:" in line, line
    assert server.proc.poll() is None
    # the card does not vanish: its last good version stays, marked, linking the problem
    board = server.wait_for("boards/site/", lambda s, h: "pd-card-stale" in h, "stale card")
    assert column_of(board, card) == "queue"
    [chip] = parse_html(board).find_all("a", "pd-stale")
    anchor = chip.attrs["href"].removeprefix("../../problems/#")
    assert anchor.startswith("file-")
    [first] = [li for li in parse_html(html).find_all("li") if li.attrs.get("id") == anchor]
    assert "site-review.md" in first.text()
    task_page = server.wait_for("tasks/site-review/", lambda s, h: "pd-stale-note" in h, "page")
    assert "this is its last good version" in task_page

    # (c) the fix clears the problem and the card is back in its column
    save(task, good)
    server.wait_for(
        "problems/",
        lambda s, h: not any("site-review.md" in p for p in problems(h)),
        "problem gone",
    )
    server.wait_for("boards/site/", lambda s, h: column_of(h, card) == "review", "card back")


def test_serve_picks_up_new_and_deleted_files(server: Server) -> None:
    new = server.content("tasks/site-newsletter.md")
    save(new, "---\ntitle: Newsletter template\nproject: site\nstatus: review\n---\n")
    server.wait_for(
        "boards/site/",
        lambda s, h: column_of(h, "../../tasks/site-newsletter/") == "review",
        "new card",
    )
    server.wait_for(
        "tasks/site-newsletter/", lambda s, h: s == 200 and "Newsletter template" in h, "new page"
    )

    server.content("tasks/site-hosting.md").unlink()
    server.wait_for(
        "boards/site/",
        lambda s, h: s == 200 and column_of(h, "../../tasks/site-hosting/") is None,
        "deleted card",
    )
    server.wait_for("tasks/site-hosting/", lambda s, h: s == 404, "deleted page")

    # a folder of records moved in at once (a `git checkout`, a `mv`) shows up too
    outside = server.root / "incoming" / "shop-extra"
    outside.mkdir(parents=True)
    save(
        outside / "shop-payments.md",
        "---\ntitle: Payments page\nproject: shop\nstatus: doing\n---\n",
    )
    os.replace(outside, server.content("tasks/shop-extra"))
    server.wait_for(
        "boards/shop/",
        lambda s, h: column_of(h, "../../tasks/shop-payments/") == "doing",
        "card from a moved-in folder",
    )

    # Rebuilds hand the engine only the changed pages; the site stays whole around them.
    # Search lists every record page once (several searchable pages were rebuilt at a
    # time: the new task and its project), the new one in, the deleted one out.
    copy = server.content("tasks/site-copy.md")
    # a card moving changes no title or body: the index is left exactly as it was
    _, before = server.get("search/search_index.json")
    save(copy, copy.read_text("utf-8").replace("status: doing", "status: review"))
    server.wait_for(
        "boards/site/",
        lambda s, h: column_of(h, "../../tasks/site-copy/") == "review",
        "moved card",
    )
    assert server.get("search/search_index.json") == (200, before)
    save(copy, copy.read_text("utf-8").replace("Copy for the hero", "Copy for the footer"))
    index = server.wait_for(
        "search/search_index.json",
        lambda s, h: (
            s == 200
            and any(
                e["location"] == "tasks/site-copy/" and "footer" in e["text"]
                for e in json.loads(h)["docs"]
            )
        ),
        "search entry updated",
    )
    pages = [e["location"] for e in json.loads(index)["docs"] if "#" not in e["location"]]
    content = server.root / "content"
    records = sorted(
        f"{p.relative_to(content).parts[0]}/{p.stem}/" for p in content.glob("*/**/*.md")
    )
    assert sorted(pages) == sorted([*records, "help/"])
    # the sitemap of the first build is kept, not replaced by one of the rebuilt pages
    status, sitemap = server.get("sitemap.xml")
    assert status == 200 and "tasks/site-review/" in sitemap and "funnels/sales/" in sitemap


def test_serve_recovers_from_broken_settings_and_deleted_records(server: Server) -> None:
    """Broken settings fall back to the default pipeline, so the funnel of another one
    goes; restored, it comes back exactly as it was. A record deleted and restored as it
    was likewise. Both pages must be served again, and later edits shown."""
    settings = server.content("workspace.yml")
    good = settings.read_text("utf-8") + "  media:\n    stages: [inquiry, placed]\n"
    save(settings, good)
    server.wait_for("funnels/media/", lambda s, h: s == 200, "new funnel")
    save(settings, good.replace("name: Snapshot Agency", "name: [Brightline"))
    server.wait_for(
        "problems/",
        lambda s, h: any("workspace.yml" in p and "PD004" in p for p in problems(h)),
        "broken settings shown",
    )
    server.wait_for("funnels/media/", lambda s, h: s == 404, "funnel gone")
    save(settings, good)
    server.wait_for("funnels/media/", lambda s, h: s == 200 and "Inquiry" in h, "funnel back")

    task = server.content("tasks/site-launch.md")
    text = task.read_text("utf-8")
    task.unlink()
    server.wait_for("tasks/site-launch/", lambda s, h: s == 404, "deleted page")
    save(task, text)
    server.wait_for("tasks/site-launch/", lambda s, h: s == 200, "restored page")

    card = "../../tasks/site-review/"
    review = server.content("tasks/site-review.md")
    save(review, review.read_text("utf-8").replace("status: review", "status: queue"))
    server.wait_for("boards/site/", lambda s, h: column_of(h, card) == "queue", "later edit")
    assert "Traceback" not in server.log.read_text()


def test_a_failed_rebuild_is_followed_by_a_full_one(server: Server) -> None:
    """A rebuild that raises half-way (here the dashboard cannot be written: a folder is in
    its way, as a full disk would stop it) has kept pages it never wrote; once the cause
    is gone, the next rebuild starts afresh and the site shows the content."""
    obstacle = server.root / ".plaindesk/docs/index.md"
    obstacle.unlink()
    obstacle.mkdir()
    copy = server.content("tasks/site-copy.md")
    moved = copy.read_text("utf-8").replace("status: doing", "status: review")
    save(copy, moved)
    server.wait_log("An error happened during the rebuild", "failed rebuild")
    obstacle.rmdir()
    save(copy, moved)  # the same text again: only a new rebuild
    card = "../../tasks/site-copy/"
    server.wait_for("boards/site/", lambda s, h: column_of(h, card) == "review", "moved card")
    server.wait_for("", lambda s, h: s == 200 and "pd-" in h, "dashboard")
    review = server.content("tasks/site-review.md")
    save(review, review.read_text("utf-8").replace("status: review", "status: queue"))
    server.wait_for(
        "boards/site/",
        lambda s, h: column_of(h, "../../tasks/site-review/") == "queue",
        "later edit",
    )


def test_plain_mkdocs_serve_keeps_the_pages_an_edit_does_not_change(tmp_path: Path) -> None:
    """`mkdocs serve` without --dirty empties the site folder before every rebuild: it
    must be handed every page, not only the changed ones as `plaindesk serve` is."""
    root = make_workspace(tmp_path, project(SMALL))
    with serving(root, tmp_path / "serve.log", command=("mkdocs", "serve")) as server:
        assert server.get("tasks/site-launch/")[0] == 200
        copy = server.content("tasks/site-copy.md")
        save(copy, copy.read_text("utf-8").replace("status: doing", "status: review"))
        server.wait_for(
            "boards/site/",
            lambda s, h: column_of(h, "../../tasks/site-copy/") == "review",
            "moved card",
        )
        assert server.get("tasks/site-launch/")[0] == 200
        assert server.get("deals/big-lead/")[0] == 200
