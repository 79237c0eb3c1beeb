"""Hostile names end to end, built for real from a scripted git repository:

- commits whose authors carry control characters (`\\x01`, `\\x1f`, `\\x1e`: the old log
  format's own separators), an RTL override, quotes and ampersands, 3,000 letters, a
  commit message of markup, and an author date Python cannot hold (the year 3170843);
- a task in the folder `tasks/Q&A #1 %20 ?x/`, whose Edit link must be URL-encoded;
- contact tags whose slugs coincide (`C++`, `C`, `c`; `Index` and `index`; `++` and `😀`,
  which have none) or hold spaces (`decision maker` is not `maker`);
- records, a board and a funnel whose ids are the site's own page names (`index`, `all`),
  and a contact `tags` beside the folder of tag pages;
- a column name with a control character (YAML's `"\\x01"` escape), drawn in the SVG charts.

The site must build with its history, the activity page escape every name, activity.xml
and the charts parse as XML, the history cache read back the same commits, every page get
its own URL, and every internal link of every page resolve to a file of the site.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import browser
import pytest
from browser import Probe, serve
from gitrepo import GitRepo, front
from links import broken_links, internal_refs
from site_cases import Node, build, parse_html

from builder.history.git import parse_log
from builder.history.store import CACHE_DIR, extract
from builder.render.pages import SiteOptions, edit_url
from builder.views.paths import tag_urls

TODAY = "2026-03-16"
SITE_URL = "https://desk.example.com/"
ATOM = "{http://www.w3.org/2005/Atom}"
SVG = "{http://www.w3.org/2000/svg}"
SCRIPT = "<script>alert(1)</script>"

ANNA = ("Anna Kovalenko", "anna@brightline.agency")
# (as git stores it, as a page shows it)
SEPARATORS = ('Eve\x01\x1f\x1e "&" Mallory', 'Eve "&" Mallory')
RTL = ("\u202eRTL Override", "\u202eRTL Override")  # kept; the page isolates it (<bdi>)
LONG = ("L" + "o" * 3000 + "ng", "L" + "o" * 3000 + "ng")
FAR = ("Far Future", "Far Future")  # its author date: the year 3170843

FOLDER = "tasks/Q&A #1 %20 ?x"
EDIT = (
    "https://github.com/example/workspace/edit/main/content/"
    "tasks/Q%26A%20%231%20%2520%20%3Fx/brief.md"
)
TAGS = ["C++", "C", "c", "decision maker", "maker", "Q&A #1", "Index", "index", "++", "😀"]
DOING = "Do\x01ing"  # the column name as YAML gives it: the "\x01" escape
MAIL = "petro?cc=boss@evil.example"  # an address to validation, a query to a mail client

MKDOCS_YML = f"""\
site_name: Hostile desk
site_url: {SITE_URL}
repo_url: https://github.com/example/workspace
edit_uri: edit/main/docs/
theme:
  name: material
  font: false
plugins:
  - search
  - plaindesk:
      content: content
"""

WORKSPACE = """\
name: Hostile
locale: en
timezone: Europe/Kyiv
base_currency: USD
workflows:
  web:
    columns:
      - {id: queue, name: Queue}
      - {id: doing, name: "Do\\x01ing"}
      - {id: done, name: Done}
pipelines:
  index:
    stages:
      - {id: lead, name: Lead, probability: 10}
      - {id: won, name: Won, probability: 100, outcome: won}
"""


def brief(status: str) -> str:
    return front(title=f"'{SCRIPT}'", project="site", status=status, tags="[C++, decision maker]")


def kyiv(day: str, hour: str) -> str:
    return f"2026-{day}T{hour}:00+02:00"


def script(root: Path) -> GitRepo:
    repo = GitRepo(root)
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    (root / "docs").mkdir()
    (root / "docs" / "help.md").write_text("# Help\n", encoding="utf-8")
    repo.write(
        {
            "workspace.yml": WORKSPACE,
            "people/anna.md": front(name=ANNA[0], email=ANNA[1]),
            "people/index.md": front(name="Ivan Index"),
            "companies/acme.md": front(name="Acme", kind="client", manager="anna"),
            "projects/site.md": front(name="Site", company="acme", workflow="web"),
            "projects/all.md": front(name="Project All", company="acme", workflow="web"),
            "projects/index.md": front(name="Project Index", company="acme", workflow="web"),
            f"{FOLDER}/brief.md": brief("queue"),
            "tasks/other.md": front(title="Other", project="site", tags="[maker, C]"),
            "tasks/index.md": front(title="Task Index", project="all", status="queue"),
            "contacts/olena.md": front(
                name="Olena", company="acme", tags="[C++, C, decision maker, Index]"
            ),
            "contacts/petro.md": front(
                name="Petro", email=MAIL, tags="[c, maker, 'Q&A #1', index, '++']"
            ),
            "contacts/index.md": front(name="Ira Index", tags="['😀', c]"),
            "contacts/tags.md": front(name="Taras Tags"),  # beside the tag pages' folder
            "deals/index.md": front(
                title="Deal Index", company="acme", pipeline="index", stage="lead"
            ),
        }
    )
    repo.commit(kyiv("03-02", "10:00"), ANNA, "Start")
    repo.write({f"{FOLDER}/brief.md": brief("doing")})
    repo.commit(kyiv("03-03", "09:00"), (SEPARATORS[0], "eve\x1f@evil.example"), "Move")
    repo.write({"tasks/index.md": front(title="Task Index", project="all", status="doing")})
    repo.commit(kyiv("03-04", "09:00"), (RTL[0], "rtl@evil.example"), f"{SCRIPT}\x01\u202e")
    repo.write({f"{FOLDER}/brief.md": brief("done")})
    repo.commit(kyiv("03-05", "09:00"), (LONG[0], "long@evil.example"), "x" * 10_000)
    repo.write(
        {"deals/index.md": front(title="Deal Index", company="acme", pipeline="index", stage="won")}
    )
    repo.commit(
        kyiv("03-06", "10:00"), (FAR[0], "far@evil.example"), author_date="@99999999999999 +0000"
    )
    return repo


@dataclass
class Hostile:
    root: Path
    site: Path
    again: Path  # built a second time, the history read from the cache


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    root = tmp_path_factory.mktemp("hostile") / "repo"
    root.mkdir()
    script(root)
    first = build(root, root / "site", "--today", TODAY)
    assert first.returncode == 0, first.stderr
    again = build(root, root / "again", "--today", TODAY)
    assert again.returncode == 0, again.stderr
    return Hostile(root, first.site, again.site)


def page(site: Path, rel: str) -> Node:
    return parse_html((site / rel).read_text(encoding="utf-8"))


# --- 11: git metadata ---------------------------------------------------------------------


def header(*fields: str) -> bytes:
    return ("\x1e" + "\0".join(fields) + "\0").encode()


def test_log_fields_are_read_by_position_whatever_a_name_holds() -> None:
    sha1, sha2, sha3 = "a" * 40, "b" * 40, "c" * 40
    blob, zero = "1" * 40, "0" * 40
    out = (
        header(sha3, sha2, "\x1eX\x1f:1", "\n:e@x", "2023-11-19T02:52:20+100:39", "1700000000", "5")
        + f"\n:000000 100644 {zero} {blob} A\0tasks/a.md\0".encode()
        + header(sha2, sha1, "Y", "y@x", "%aI", "%at", "1700000000")
        + header(sha1, "", "Z", "z@x", "9999-12-31T11:46:40-12:00", "253402300000", "bad")
    )
    commits = parse_log(out, "")
    assert [(c.sha, c.name, c.email) for c in commits] == [
        (sha3, "\x1eX\x1f:1", "\n:e@x"),
        (sha2, "Y", "y@x"),
        (sha1, "Z", "z@x"),
    ]
    assert [x.new_path for x in commits[0].changes] == ["tasks/a.md"]
    # a date Python cannot hold, or not move across time zones: the instant in UTC, else
    # the commit time, else 1970
    assert [c.when.isoformat() for c in commits] == [
        "2023-11-14T22:13:20+00:00",
        "2023-11-14T22:13:20+00:00",
        "1970-01-01T00:00:00+00:00",
    ]
    assert [c.committed for c in commits] == [5, 1700000000, 0]


def feed_lines(site: Path) -> list[str]:
    activity = page(site, "activity/index.html").find(cls="pd-activity")
    return [li.text() for li in activity.find_all("li", "pd-feed-entry")]


def test_history_survives_hostile_authors_and_the_feed_names_them(hostile: Hostile) -> None:
    activity = page(hostile.site, "activity/index.html").find(cls="pd-activity")
    assert activity.find_all(cls="pd-note") == []  # a complete history, not "git failed"
    # (a page is HTML, not XML: the column's control character is harmless there)
    assert feed_lines(hostile.site)[:5] == [
        "08:00 Far Future won deal Deal Index",  # the fallback date: the commit's, in UTC
        f"09:00 {LONG[1]} moved {SCRIPT} from {DOING} to Done",
        f"09:00 {RTL[1]} moved Task Index from Queue to {DOING}",
        f"09:00 {SEPARATORS[1]} moved {SCRIPT} from Queue to {DOING}",
        "10:00 Anna added company Acme",
    ]
    # each name is user text: isolated for bidi, escaped, never markup
    isolated = [b.text() for b in activity.find_all("bdi")]
    assert RTL[1] in isolated and SEPARATORS[1] in isolated
    html = (hostile.site / "activity/index.html").read_text(encoding="utf-8")
    assert SCRIPT not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "\x1e" not in html and "\x1f" not in html  # only git's names held them


def test_activity_xml_parses_and_names_every_author(hostile: Hostile) -> None:
    text = (hostile.site / "activity.xml").read_text(encoding="utf-8")
    root = ET.fromstring(text)  # raises on any character XML forbids
    authors = [e.findtext(f"{ATOM}author/{ATOM}name") for e in root.iter(f"{ATOM}entry")]
    assert authors[:5] == [FAR[1], LONG[1], RTL[1], SEPARATORS[1], "Anna"]
    titles = [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]
    assert titles[1] == f"{LONG[1]} moved “{SCRIPT}” from Doing to Done"
    links = [e.find(f"{ATOM}link") for e in root.iter(f"{ATOM}entry")]
    assert links[1] is not None and links[1].get("href") == f"{SITE_URL}tasks/brief/"
    assert links[0] is not None and links[0].get("href") == f"{SITE_URL}deals/index_/"


def test_flow_charts_parse_as_xml_without_the_control_character(hostile: Hostile) -> None:
    html = (hostile.site / "boards/site/index.html").read_text(encoding="utf-8")
    flow = html[html.index('<section class="pd-flow">') :]
    charts = [ET.fromstring(m) for m in re.findall(r"<svg\b.*?</svg>", flow, re.S)]
    assert len(charts) == 2
    bands = [p.findtext(f"{SVG}title") for p in charts[1].iter(f"{SVG}polygon")]
    assert bands == ["Done", "Doing", "Queue"]


def test_the_history_cache_reads_back_the_same_commits(hostile: Hostile) -> None:
    content = hostile.root / "content"
    assert list((hostile.root / CACHE_DIR).glob("history-*.json"))
    cached, fresh = extract(content), extract(content, use_cache=False)
    assert cached.problem == fresh.problem == ""
    assert cached.from_cache == len(cached.commits) == 5
    assert cached.commits == fresh.commits
    assert [c.name for c in cached.commits] == [FAR[0], LONG[0], RTL[0], SEPARATORS[0], ANNA[0]]
    assert cached.snapshots == fresh.snapshots


def test_a_build_from_the_cache_is_byte_identical(hostile: Hostile) -> None:
    for rel in ("activity.xml", "activity/index.html", "tasks/brief/index.html", "index.html"):
        assert (hostile.site / rel).read_bytes() == (hostile.again / rel).read_bytes(), rel


# --- 12: folders, tags and ids in URLs --------------------------------------------------------


def test_edit_link_url_encodes_the_folder(hostile: Hostile) -> None:
    task = page(hostile.site, "tasks/brief/index.html")
    assert task.find("a", "pd-edit").attrs["href"] == EDIT
    raw = (hostile.site / "tasks/brief/index.html").read_text(encoding="utf-8")
    assert f'href="{EDIT}"' in raw  # nothing in it for HTML to escape


def test_edit_url_encodes_each_segment_and_keeps_the_slashes() -> None:
    options = SiteOptions(edit_base="https://git.example/x/edit/main/", content_prefix="my desk")
    got = edit_url(options, "/w/my desk/tasks/Q&A #1 %20 ?x/a b.md", "/w/my desk")
    assert (
        got
        == "https://git.example/x/edit/main/my%20desk/tasks/Q%26A%20%231%20%2520%20%3Fx/a%20b.md"
    )
    # a file name that is not UTF-8 keeps its own byte
    got = edit_url(SiteOptions(edit_base="https://g/e"), "/w/tasks/\udcff.md", "/w")
    assert got == "https://g/e/content/tasks/%FF.md"


def test_mailto_links_percent_encode_the_address(hostile: Hostile) -> None:
    facts = page(hostile.site, "contacts/petro/index.html").find(cls="pd-facts")
    assert [a.attrs["href"] for a in facts.find_all("a") if a.text() == MAIL] == [
        "mailto:petro%3Fcc%3Dboss@evil.example"
    ]


def test_tag_urls_are_unique_stable_and_bare_when_alone() -> None:
    urls = tag_urls(TAGS)
    assert urls == tag_urls(reversed(TAGS + TAGS))  # whatever the order met
    assert len(set(urls.values())) == len(TAGS)
    assert (urls["decision maker"], urls["maker"], urls["Q&A #1"]) == (
        "contacts/tags/decision-maker/",
        "contacts/tags/maker/",
        "contacts/tags/q-a-1/",
    )
    # a shared slug: every tag that has it gets the slug and a hash of its own text
    for tag in ("C++", "C", "c"):
        assert re.fullmatch(r"contacts/tags/c-[0-9a-f]{6}/", urls[tag]), tag
    for tag in ("++", "😀"):
        assert re.fullmatch(r"contacts/tags/tag-[0-9a-f]{6}/", urls[tag]), tag
    # `index` would be the tag list's own page: a lone `index` tag is suffixed all the same
    assert re.fullmatch(r"contacts/tags/index-[0-9a-f]{6}/", tag_urls(["index"])["index"])
    assert tag_urls(["c"])["c"] == "contacts/tags/c/"
    assert urls["c"] == tag_urls(["c", "C"])["c"]  # the hash is the tag's, not the group's
    # a tag whose bare slug reads like another's suffixed one pushes that one longer
    taken = urls["C"].split("/")[2]
    crowded = tag_urls([taken, "C", "c"])
    assert crowded[taken] == f"contacts/tags/{taken}/"
    assert re.fullmatch(rf"contacts/tags/{taken}[0-9a-f]/", crowded["C"])
    # a very long tag still fits in a file name
    assert len(tag_urls(["x" * 5000])["x" * 5000]) < 120


def tag_cloud(site: Path, rel: str = "contacts/index.html") -> dict[str, str]:
    cloud = page(site, rel).find(cls="pd-tagcloud")
    return {
        a.attrs["data-tag"]: a.attrs["href"] for a in cloud.find_all("a") if "data-tag" in a.attrs
    }


def test_every_tag_has_its_own_page_and_every_link_to_it_agrees(hostile: Hostile) -> None:
    cloud = tag_cloud(hostile.site)
    assert sorted(cloud) == sorted(TAGS)
    assert len(set(cloud.values())) == len(cloud)  # one page per tag
    directory = page(hostile.site, "contacts/index.html")
    for row in directory.find("table").find("tbody").find_all("tr"):
        chips = {a.text(): a.attrs["href"] for a in row.find_all("a", "pd-tag")}
        assert {t: cloud[t] for t in chips} == chips  # the same URL as the cloud's
        assert sorted(json.loads(row.attrs["data-tags"])) == sorted(chips)
    for tag, href in cloud.items():
        rel = href.removeprefix("../") + "index.html"
        tagged = page(hostile.site, rel)
        assert tagged.find("h1").text() == f"Contacts: {tag}", rel
        rows = tagged.find("table").find("tbody").find_all("tr")
        assert rows and all(tag in json.loads(r.attrs["data-tags"]) for r in rows), rel


def test_ids_named_like_the_sites_own_pages_get_their_own(hostile: Hostile) -> None:
    site = hostile.site
    h1 = {
        rel: page(site, rel).find("h1").text()
        for rel in (
            "people/index_/index.html",
            "projects/index_/index.html",
            "tasks/index_/index.html",
            "contacts/index_/index.html",
            "deals/index_/index.html",
            "boards/all_/index.html",
            "boards/index_/index.html",
            "funnels/index_/index.html",
        )
    }
    assert h1 == {
        "people/index_/index.html": "Ivan Index",
        "projects/index_/index.html": "Project Index",
        "tasks/index_/index.html": "Task Index",
        "contacts/index_/index.html": "Ira Index",
        "deals/index_/index.html": "Deal Index",
        "boards/all_/index.html": "Project All",
        "boards/index_/index.html": "Project Index",
        "funnels/index_/index.html": "Index",
    }
    # and the lists and the all-projects board are still theirs
    assert page(site, "contacts/tags/index.html").find("h1").text() == "Taras Tags"
    assert page(site, "people/index.html").find("h1").text() == "People"
    assert page(site, "boards/all/index.html").find("h1").text() == "All projects"
    assert page(site, "boards/index.html").find("h1").text() == "All boards"
    assert page(site, "funnels/index.html").find("h1").text() == "Funnels"
    task = page(site, "tasks/index_/index.html")
    hrefs = {a.text(): a.attrs["href"] for a in task.find(cls="pd-facts").find_all("a")}
    assert hrefs["Project All"] == "../../projects/all/"


# --- the net: every link of every page -------------------------------------------------------


def test_every_internal_link_of_the_hostile_site_resolves(hostile: Hostile) -> None:
    assert broken_links(hostile.site, SITE_URL) == []
    # the checker does look: the pages link each record, tag page and board
    refs = {
        str(f.relative_to(hostile.site))
        for _, f in internal_refs(hostile.site, "contacts/index.html", SITE_URL)
    }
    assert {"contacts/index_/index.html", "contacts/tags/index.html"} <= refs
    assert sum(bool(re.fullmatch("contacts/tags/[^/]+/index.html", r)) for r in refs) == len(TAGS)


def test_every_internal_link_of_the_demo_resolves(demo_site: Path) -> None:
    assert broken_links(demo_site) == []


def test_the_link_checker_finds_a_broken_link(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(
        '<a href="../b/">x</a><a href="#top">y</a><img src="../a/%20.png">'
        '<a href="https://elsewhere.example/">z</a><a href="mailto:x@y">m</a>'
    )
    (tmp_path / "a" / " .png").write_bytes(b"")
    assert broken_links(tmp_path) == ["a/index.html -> ../b/"]


# --- in Chromium: the tag filters match whole tags ---------------------------------------------

chromium = browser.chromium
browser_page = browser.browser_page


@pytest.fixture(scope="module")
def base(hostile: Hostile) -> Iterator[str]:
    with serve(hostile.site) as url:
        yield url


def shown(probe: Probe, selector: str) -> list[str]:
    """The first link's text of each element of `selector` that the filters left shown."""
    result: Any = probe.page.eval_on_selector_all(
        selector, "els => els.filter(e => !e.hidden).map(e => e.querySelector('a').textContent)"
    )
    return list(result)


@pytest.mark.browser
def test_tag_filters_match_whole_tags(browser_page: Any, base: str) -> None:
    probe: Probe = browser_page()
    probe.page.goto(base + "contacts/")
    probe.page.wait_for_selector("form.pd-filters:not([hidden])")
    probe.page.select_option("select[name=tag]", "maker")
    assert shown(probe, "#pd-contacts tbody tr") == ["Petro"]
    probe.page.select_option("select[name=tag]", "decision maker")
    assert shown(probe, "#pd-contacts tbody tr") == ["Olena"]
    probe.page.goto(base + "boards/site/?tag=C%2B%2B")
    probe.page.wait_for_selector("form.pd-filters:not([hidden])")
    assert shown(probe, ".pd-card") == [SCRIPT]
    probe.page.select_option("select[name=tag]", "maker")  # not the card of "decision maker"
    assert shown(probe, ".pd-card") == ["Other"]
    assert probe.console_errors == [] and probe.page_errors == []
