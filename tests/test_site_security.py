"""Every generated page escapes user text: records full of markup, built for real, and no
script of theirs survives anywhere in the site (titles, nav, boards, filters, facts, bodies,
data- attributes, the search index). `allow_raw_html: true` is the one way to let body
HTML through."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from site_cases import Built, build, html_files, parse_html, project

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
SVG = '"><svg onload=alert(1)>'
BODY = """\
Body text <script>alert(2)</script> and <iframe src="https://evil.example/"></iframe>.

[click me](javascript:alert(3)) and <b onclick="alert(4)">bold</b>

- [x] done item
"""


def q(text: str) -> str:
    """A YAML single-quoted scalar."""
    return "'" + text.replace("'", "''") + "'"


HOSTILE: dict[str, str] = {
    "workspace.yml": f"""\
name: {q("Agency " + SCRIPT)}
today: 2026-03-16
pipelines:
  sales:
    name: {q("Sales " + IMG)}
    stages:
      - {{id: lead, name: {q("Lead " + SVG)}, probability: 10}}
      - {{id: won, outcome: won}}
""",
    "people/eve.md": f"---\nname: {q('Eve ' + SVG)}\nrole: {q(SCRIPT)}\n---\nHi {SCRIPT}\n",
    "companies/evil.md": f"---\nname: {q('Evil ' + SVG)}\nkind: client\nmanager: eve\n"
    f"website: 'javascript:alert(5)'\n---\n",
    "contacts/mallory.md": f"---\nname: {q('Mallory ' + SVG)}\ncompany: evil\n"
    f"tags: [{q(IMG)}]\nposition: {q(SCRIPT)}\nfollow_up: 2026-03-17\n"
    f"owner: eve\n---\n",
    "projects/proj.md": f"---\nname: {q('Proj ' + SCRIPT)}\ncompany: evil\nmanager: eve\n"
    f"metrics:\n  - {{name: {q(IMG)}, target: 3, actual: 1}}\n---\n",
    "tasks/t1.md": f"---\ntitle: {q(SCRIPT)}\nproject: proj\nassignee: eve\n"
    f"tags: [{q(IMG)}, plain]\ndue: 2026-03-10\n"
    f"time:\n  - {{date: 2026-03-09, person: eve, spent: 1h, note: {q(SVG)}}}\n"
    f"---\n{BODY}",
    "deals/d1.md": f"---\ntitle: {q('Deal ' + SCRIPT)}\ncompany: evil\ncontact: mallory\n"
    f"stage: lead\nowner: eve\namount: 100 USD\nupdated: 2026-01-01\n"
    f"next_step: {{date: 2026-03-01, action: {q(IMG)}}}\nsource: {q(SVG)}\n"
    f"---\n{BODY}",
}
#: What must never appear in a page's source: the markup of the records, unescaped.
#: (`javascript:` may appear as text - a website field shown unlinked; the DOM test checks
#: that no href or src carries it.)
RAW = ["<script>alert", "<svg onload", "<img src=x", "<iframe", "onclick=", '"><svg']
#: Attributes our own templates put on elements; any other on* attribute is injected.
OWN_HANDLERS = {("onsubmit", "return false")}


@pytest.fixture(scope="module")
def build_ws(
    tmp_path_factory: pytest.TempPathFactory,
) -> Callable[[Mapping[str, str]], Built]:
    from conftest import make_workspace

    def run(content: Mapping[str, str]) -> Built:
        root = make_workspace(tmp_path_factory.mktemp("xss"), project(content))
        built = build(root)
        assert built.returncode == 0, built.stderr
        return built

    return run


@pytest.fixture(scope="module")
def hostile_site(build_ws: Callable[[Mapping[str, str]], Built]) -> Path:
    return build_ws(HOSTILE).site


def test_no_record_markup_survives_in_any_page(hostile_site: Path) -> None:
    pages = html_files(hostile_site)
    assert len(pages) > 15
    leaks = [(rel, raw) for rel, text in pages.items() for raw in RAW if raw in text]
    assert leaks == []


def test_no_injected_element_or_handler_in_the_dom(hostile_site: Path) -> None:
    for rel, text in html_files(hostile_site).items():
        for node in parse_html(text).iter():
            assert node.tag != "iframe", rel
            if node.tag == "script":
                assert "alert" not in node.text(), rel
            for name, value in node.attrs.items():
                if name.startswith("on"):
                    assert (name, value) in OWN_HANDLERS, (rel, node.tag, name, value)
                if name in ("href", "src"):
                    assert not value.strip().lower().startswith("javascript:"), (rel, value)


@pytest.mark.parametrize(
    "page",
    [
        "tasks/t1/index.html",
        "boards/proj/index.html",
        "boards/all/index.html",
        "people/eve/index.html",
        "funnels/sales/index.html",
        "index.html",
        "contacts/index.html",
        "companies/evil/index.html",
        "deals/d1/index.html",
        "projects/proj/index.html",
    ],
)
def test_the_text_is_shown_escaped(hostile_site: Path, page: str) -> None:
    text = (hostile_site / page).read_text(encoding="utf-8")
    shown = parse_html(text).text()
    assert any(s in shown for s in (SCRIPT, IMG, SVG)), page
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt;" in text
        or "&lt;img src=x" in text
        or ("&gt;&lt;svg onload" in text)
    ), page


def test_titles_header_and_filters_are_escaped(hostile_site: Path) -> None:
    task = parse_html((hostile_site / "tasks/t1/index.html").read_text(encoding="utf-8"))
    assert task.find("title").text().startswith(SCRIPT)
    assert task.find("h1").text() == SCRIPT
    assert (
        SCRIPT in task.find(cls="md-header__topic").text() or SCRIPT in task.find("header").text()
    )
    body = task.find(cls="pd-body")
    assert body.text().startswith("Body text and .")
    assert [n.tag for n in body.iter() if n.tag in ("script", "iframe")] == []
    assert "click me" in body.text()  # the javascript: link is left as text, or unlinked
    assert [a.attrs["href"] for a in body.find_all("a") if "href" in a.attrs] == []
    assert "onclick" not in body.find("b").attrs

    board = parse_html((hostile_site / "boards/proj/index.html").read_text(encoding="utf-8"))
    labels = {o.attrs["value"]: o.text() for o in board.find_all("option")}
    assert labels["eve"] == "Eve " + SVG
    assert labels[IMG] == IMG  # the tag filter's value round-trips as text
    card = board.find(cls="pd-card")
    assert json.loads(card.attrs["data-tags"]) == [IMG, "plain"]  # a JSON list, for the filter
    assert SCRIPT in card.attrs["data-search"]

    nav = parse_html((hostile_site / "index.html").read_text(encoding="utf-8"))
    assert "Sales " + IMG in nav.find(cls="md-nav--primary").text()


def test_the_search_index_holds_no_markup(hostile_site: Path) -> None:
    # Material renders search results as HTML: titles and texts must arrive escaped.
    index = json.loads((hostile_site / "search/search_index.json").read_text("utf-8"))
    for doc in index["docs"]:
        for raw in RAW:
            assert raw not in doc["title"] and raw not in doc["text"], doc["location"]


def test_allow_raw_html_lets_body_html_through(
    build_ws: Callable[[Mapping[str, str]], Built],
) -> None:
    workspace = HOSTILE["workspace.yml"] + "allow_raw_html: true\n"
    site = build_ws({**HOSTILE, "workspace.yml": workspace}).site
    task = (site / "tasks/t1/index.html").read_text(encoding="utf-8")
    assert '<iframe src="https://evil.example/"></iframe>' in task
    # ... but never the fields: a title is text, whatever the setting
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>" in task
