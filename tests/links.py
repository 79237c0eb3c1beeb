"""A small link checker over a built site: every internal `href` and `src` of every HTML
page (and every `<loc>` of the sitemap) must name a file of the site, the way a static
file server would resolve it: percent-decoded, a directory URL served by its index.html."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

_HOST = "http://site.invalid/"  # stands for the site's root while resolving relative URLs


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.refs += [v for k, v in attrs if k in ("href", "src") and v is not None]

    handle_startendtag = handle_starttag


def page_refs(html: str) -> list[str]:
    """Every href and src value of a page, unescaped, in document order."""
    parser = _Refs()
    parser.feed(html)
    parser.close()
    return parser.refs


def target(site: Path, page: str, ref: str, site_url: str = "") -> Path | None:
    """The file that `ref`, found on `page` (site-relative), points at; None for a link
    out of the site (another host, mailto:, ...) or to the page itself (`#id`)."""
    if ref.startswith("#"):
        return None
    if site_url and ref.startswith(site_url):
        ref = "/" + ref[len(site_url) :]
    parts = urlsplit(urljoin(_HOST + page, ref))
    if f"{parts.scheme}://{parts.netloc}/" != _HOST:
        return None
    path = unquote(parts.path, errors="strict")[1:]
    if path == "" or path.endswith("/"):
        path += "index.html"
    return site / path


def broken_links(site: Path, site_url: str = "") -> list[str]:
    """`page -> ref` for each internal link of `site` that names no file."""
    broken = []
    for file in sorted(site.rglob("*.html")):
        page = file.relative_to(site).as_posix()
        for ref in page_refs(file.read_text(encoding="utf-8")):
            found = target(site, page, ref, site_url)
            if found is not None and not found.is_file():
                broken.append(f"{page} -> {ref}")
    sitemap = site / "sitemap.xml"
    if site_url and sitemap.is_file():
        for loc in (
            ET.parse(sitemap).getroot().iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
        ):
            found = target(site, "sitemap.xml", loc.text or "", site_url)
            if found is None or not found.is_file():
                broken.append(f"sitemap.xml -> {loc.text}")
    return broken


def internal_refs(site: Path, page: str, site_url: str = "") -> Iterator[tuple[str, Path]]:
    """(ref, file it names) of each internal link of `page`."""
    for ref in page_refs((site / page).read_text(encoding="utf-8")):
        found = target(site, page, ref, site_url)
        if found is not None:
            yield ref, found
