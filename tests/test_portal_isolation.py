"""The client portal shows a client its own allowed data and nothing else, in any byte.

The workspace of `portal_cases` plants a canary in every field a client must not see, of
every record type; the bundles are decoded every way a value could hide and searched.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from portal_cases import (
    ALLOWED,
    CANARY,
    CANARY_FILES,
    FOREIGN,
    SECRET,
    XSS_FILES,
    XSS_TEXTS,
    A,
    B,
    MakeWorkspace,
    all_text,
    leaks,
)

from builder.pipeline import CheckResult, run_check
from builder.portal import PortalBundle, PortalError, build_portals, portal_links
from builder.portal.render import THEME_DIR
from builder.portal.tokens import portal_token
from builder.portal.view import build_view


@pytest.fixture
def checked(tmp_path: Path, make_workspace: MakeWorkspace) -> CheckResult:
    result = run_check(make_workspace(tmp_path, CANARY_FILES))
    assert [p.headline() for p in result.errors] == []
    return result


@pytest.fixture
def bundles(checked: CheckResult, tmp_path: Path) -> dict[str, PortalBundle]:
    return {b.company_id: b for b in build_portals(checked, tmp_path / "out", SECRET)}


def test_a_bundle_per_enabled_company_and_nothing_else(
    bundles: dict[str, PortalBundle], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    ta, tb = portal_token(SECRET, A), portal_token(SECRET, B)
    assert sorted(bundles) == [A, B]
    assert bundles[A].token == ta and bundles[A].directory == out / "portal" / ta
    assert bundles[A].files == (
        out / "portal" / ta / "index.html",
        out / "portal" / ta / "robots.txt",
    )
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()) == sorted(
        [
            "portal/index.html",  # a blank page, so that no host lists the tokens
            f"portal/{ta}/index.html",
            f"portal/{ta}/robots.txt",
            f"portal/{tb}/index.html",
            f"portal/{tb}/robots.txt",
        ]
    )


@pytest.mark.parametrize("company", [A, B])
def test_no_private_value_in_any_byte_of_the_bundle(
    bundles: dict[str, PortalBundle], company: str
) -> None:
    assert leaks(bundles[company].directory, (CANARY, FOREIGN[company])) == []


def test_no_private_value_outside_the_bundles(
    bundles: dict[str, PortalBundle], tmp_path: Path
) -> None:
    placeholder = tmp_path / "out" / "portal" / "index.html"
    assert placeholder.read_text(encoding="utf-8") == (
        '<!doctype html><meta charset="utf-8"><meta name="robots" content="noindex,nofollow">'
        "<title>Not found</title>\n"
    )


@pytest.mark.parametrize("company", [A, B])
def test_each_bundle_shows_its_own_allowed_data(
    bundles: dict[str, PortalBundle], company: str
) -> None:
    page = bundles[company].directory / "index.html"
    texts = all_text(bundles[company].directory)[page]
    missing = [value for value in ALLOWED[company] if not any(value in t for t in texts)]
    assert missing == []


def test_the_canaries_are_really_in_the_workspace(checked: CheckResult) -> None:
    """Guard against a vacuous pass: the private values did load into the workspace."""
    ws = checked.workspace
    task = ws.tasks["zqcanary-task-work"]
    assert task.body.startswith("zqcanary task body")
    assert task.spent == 234567 + 60 and task.estimate == 123457
    assert str(task.price) == "5432109 UAH"
    assert ws.people["zqcanary-person-dev"].capacity == 975318
    assert str(ws.projects["zqcanary-project-a1"].budget) == "6543210 USD"
    assert str(ws.deals["zqcanary-deal-a"].amount) == "4321098 EUR"
    assert ws.contacts["zqcanary-contact-a"].custom == {"zqcanary_beat": "zqcanary beat value"}
    assert str(ws.settings.rates["EUR"]) == "1.0837291"
    log = ws.contacts["zqcanary-contact-a"].log
    assert [(e.outcome, e.link, e.note) for e in log] == [
        ("sent", "", "zqcanary outreach pitch note"),
        ("published", "https://zqcanary-published.example/a", "zqcanary outreach published note"),
        ("published", "https://zqcanary-mapping-link.example/b", "zqcanary mapping note"),
        ("published", "https://zqcanary-beta.example/c", ""),
    ]


def test_a_metric_from_the_log_crosses_as_its_count_alone(checked: CheckResult) -> None:
    """Alpha's project counts the two publications about it and its task, not Beta's."""
    view = build_view(checked.workspace, A, checked.today)
    metric = view.projects[0].metrics[1]
    assert (metric.name, metric.target, metric.actual, metric.unit) == (
        "alphamark-unit mentions",
        10,
        2.0,
        "alphamark-unit-mentions",
    )


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def _parse(page: Path) -> _Tags:
    parser = _Tags()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


URL_ATTRIBUTES = ("href", "src", "srcset", "action", "formaction", "poster", "data", "xlink:href")


def test_no_link_leaves_the_bundle_except_the_managers_contacts(
    bundles: dict[str, PortalBundle],
) -> None:
    page = bundles[A].directory / "index.html"
    html = page.read_text(encoding="utf-8")
    urls = [
        (tag, attrs[name])
        for tag, attrs in _parse(page).tags
        for name in URL_ATTRIBUTES
        if attrs.get(name) is not None
    ]
    outside = [
        (tag, url)
        for tag, url in urls
        if url is None or not (url.startswith(("#", "mailto:", "tel:")) or url == "data:,")
    ]
    assert outside == []
    assert sorted(u for _, u in urls if u and u.startswith(("mailto:", "tel:"))) == [
        "mailto:alphamark.manager@agency.example",
        "mailto:alphamark.pm@agency.example",
        # the review item's approval buttons, to the project's manager
        "mailto:alphamark.pm@agency.example?subject=Approved%3A%20Alphamark%20Review%20Task"
        "%20%28PD-YPLXF%29&body=Hello%20Alphamark%2C%0D%0A%0D%0AWe%20approve%20%E2%80%9C"
        "Alphamark%20Review%20Task%E2%80%9D%20%28Alphamark%20Project%20One%29.%0D%0A%0D%0A"
        "Comment%20%28optional%29%3A%0D%0A",
        "mailto:alphamark.pm@agency.example?subject=Changes%20requested%3A%20Alphamark%20Review"
        "%20Task%20%28PD-YPLXF%29&body=Hello%20Alphamark%2C%0D%0A%0D%0APlease%20make%20these"
        "%20changes%20to%20%E2%80%9CAlphamark%20Review%20Task%E2%80%9D%20%28Alphamark%20Project"
        "%20One%29%3A%0D%0A%0D%0A-%20%0D%0A",
        "tel:+380441111111",
        "tel:+380503333333",
    ]
    assert ("link", {"rel": "icon", "href": "data:,"}) in _parse(page).tags
    for pattern in ("url(", "@import", "http://", "https://"):
        assert pattern not in html.replace("<!doctype html>", ""), pattern


def test_noindex_everywhere(bundles: dict[str, PortalBundle]) -> None:
    for bundle in bundles.values():
        tags = _parse(bundle.directory / "index.html").tags
        assert ("meta", {"name": "robots", "content": "noindex,nofollow,noarchive"}) in tags
        assert ("meta", {"name": "referrer", "content": "no-referrer"}) in tags
        assert (bundle.directory / "robots.txt").read_text() == "User-agent: *\nDisallow: /\n"
        assert not any("sitemap" in p.name or "search" in p.name for p in bundle.files)


def test_the_only_script_is_ours_and_the_csp_allows_exactly_it(
    bundles: dict[str, PortalBundle],
) -> None:
    parsed = _parse(bundles[A].directory / "index.html")
    assert [t for t, _ in parsed.tags].count("script") == 1
    script = (THEME_DIR / "portal.js").read_text(encoding="utf-8")
    assert parsed.scripts == [script]
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    csp = next(
        a["content"] for t, a in parsed.tags if a.get("http-equiv") == "Content-Security-Policy"
    )
    assert csp == (
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
        f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    )


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_two_builds_are_byte_identical(
    checked: CheckResult, tmp_path: Path, make_workspace: MakeWorkspace
) -> None:
    build_portals(checked, tmp_path / "one", SECRET)
    again = run_check(make_workspace(tmp_path, CANARY_FILES))  # a fresh load, too
    build_portals(again, tmp_path / "two", SECRET)
    one, two = _tree(tmp_path / "one"), _tree(tmp_path / "two")
    assert len(one) == 5
    assert one == two


@pytest.mark.parametrize(
    ("secret", "reason"),
    [
        (None, "PLAINDESK_PORTAL_SECRET is not set"),
        (
            "short-secret",
            "PLAINDESK_PORTAL_SECRET is too short (12 characters; at least 16 are needed)",
        ),
    ],
)
def test_no_usable_secret_builds_nothing(
    checked: CheckResult, tmp_path: Path, secret: str | None, reason: str
) -> None:
    with pytest.raises(PortalError) as err:
        build_portals(checked, tmp_path / "out", secret)
    assert str(err.value).startswith(
        f"client portal enabled for {A}, {B}, but {reason}. No portal was built."
    )
    assert not (tmp_path / "out").exists()


def test_a_workspace_with_errors_builds_nothing(
    tmp_path: Path, make_workspace: MakeWorkspace
) -> None:
    files = dict(CANARY_FILES)
    files["tasks/broken.md"] = "---\ntitle: Broken\nproject: nowhere\n---\n"
    result = run_check(make_workspace(tmp_path, files))
    with pytest.raises(PortalError) as err:
        build_portals(result, tmp_path / "out", SECRET)
    assert str(err.value) == (
        "the workspace has 1 error(s); no portal was built "
        "(run `plaindesk check` and fix them first)"
    )
    assert not (tmp_path / "out").exists()


def test_rotating_the_secret_changes_every_link_and_drops_the_old_bundles(
    checked: CheckResult, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    old = {b.token for b in build_portals(checked, out, SECRET)}
    new = {b.token for b in build_portals(checked, out, SECRET + "-rotated")}
    assert old.isdisjoint(new) and len(new) == 2
    assert {p.name for p in (out / "portal").iterdir() if p.is_dir()} == new
    assert [p.name for p in out.iterdir()] == ["portal"]  # no staging folder left behind


def test_disabling_a_portal_removes_its_bundle(
    tmp_path: Path, make_workspace: MakeWorkspace
) -> None:
    out = tmp_path / "out"
    build_portals(run_check(make_workspace(tmp_path, CANARY_FILES)), out, SECRET)
    files = dict(CANARY_FILES)
    files[f"companies/{B}.md"] = files[f"companies/{B}.md"].replace(
        "enabled: true", "enabled: false"
    )
    built = build_portals(run_check(make_workspace(tmp_path, files)), out, SECRET)
    assert [b.company_id for b in built] == [A]
    assert sorted(p.name for p in (out / "portal").iterdir()) == sorted(
        ["index.html", portal_token(SECRET, A)]
    )


def test_no_enabled_portal_needs_no_secret(tmp_path: Path, make_workspace: MakeWorkspace) -> None:
    files = {k: v.replace("enabled: true", "enabled: false") for k, v in CANARY_FILES.items()}
    result = run_check(make_workspace(tmp_path, files))
    assert build_portals(result, tmp_path / "out", None) == []
    assert portal_links(result, None) == []


def test_links(checked: CheckResult) -> None:
    links = portal_links(checked, SECRET)
    assert [(link.company_id, link.company_name) for link in links] == [
        (A, "Alphamark Opera & Co"),
        (B, "Betamark Books"),
    ]
    token = portal_token(SECRET, A)
    assert links[0].path == f"portal/{token}/"
    assert (
        links[0].url("https://status.example.com") == f"https://status.example.com/portal/{token}/"
    )
    assert (
        links[0].url("https://status.example.com/") == f"https://status.example.com/portal/{token}/"
    )


@pytest.fixture
def xss_page(tmp_path: Path, make_workspace: MakeWorkspace) -> Path:
    result = run_check(make_workspace(tmp_path, XSS_FILES))
    assert [p.headline() for p in result.errors] == []
    (bundle,) = build_portals(result, tmp_path / "out", SECRET)
    return bundle.directory / "index.html"


def test_html_in_allowed_fields_renders_as_text(xss_page: Path) -> None:
    import html as html_lib

    raw = xss_page.read_text(encoding="utf-8")
    text = html_lib.unescape(raw)
    assert [t for t in XSS_TEXTS if t not in text] == []
    parsed = _parse(xss_page)
    tags = [t for t, _ in parsed.tags]
    for tag in ("img", "iframe", "svg", "b"):
        assert tag not in tags, tag
    assert tags.count("script") == 1
    handlers = [(t, a) for t, a in parsed.tags for name in a if name.startswith("on")]
    assert handlers == []
    hrefs = [href for _, a in parsed.tags if (href := a.get("href"))]
    assert not [h for h in hrefs if not h.startswith(("#", "mailto:", "tel:", "data:"))]
    assert not [h for h in hrefs if "javascript" in h.lower() or "internal" in h]
    assert "49" not in re.sub(r"<style>.*?</style>", "", raw, flags=re.S)  # no template ran
    # Markdown still works, and its links and images are reduced to their text
    assert "Plain <strong>bold</strong>" in raw
    assert "a link" in raw and "pixel.png" not in raw
    # the e-mail is one escaped mailto link, not an injection
    assert 'href="mailto:%22%3E%3Cscript%3Ealert%282%29%3C%2Fscript%3E@evil.example"' in raw
