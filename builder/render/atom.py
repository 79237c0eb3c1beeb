"""Render stage: the newest activity-feed entries as an Atom 1.0 document (`activity.xml`).

Atom is written with `xml.etree` rather than feedgen: an Atom feed is a dozen elements,
etree escapes text and attributes correctly, and the output is byte-stable; feedgen would
bring lxml and dateutil for no gain.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date, datetime, time

from builder.render.xmltext import xml_text
from builder.views.feed import FeedEntry, Key

_NS = "http://www.w3.org/2005/Atom"


def atom(
    entries: list[FeedEntry],
    *,
    title: str,
    feed_url: str,
    site_url: str,
    href: Callable[[Key], str | None],
    locale: str,
    today: date,
) -> str:
    """The entries as an Atom 1.0 document (a string). `href(key)` gives a record's page
    URL, or None; the feed's `updated` is its newest entry's time (or `today`)."""
    ET.register_namespace("", _NS)
    root = ET.Element(f"{{{_NS}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": locale})
    _sub(root, "id", feed_url)
    _sub(root, "title", title)
    newest = entries[0].when if entries else datetime.combine(today, time(0))
    _sub(root, "updated", _rfc3339(newest))
    if "://" in feed_url:  # a URN id (no site_url known) is no address to link to
        _sub(root, "link", rel="self", href=feed_url)
    _sub(root, "link", rel="alternate", href=site_url)
    _sub(root, "generator", "Plaindesk")
    for entry in entries:
        _entry(root, entry, href)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _entry(root: ET.Element, entry: FeedEntry, href: Callable[[Key], str | None]) -> None:
    item = _sub(root, "entry")
    ident = f"{entry.commit}/{entry.record[0]}/{entry.record[1]}/{entry.action}"
    _sub(item, "id", f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, ident)}")
    _sub(item, "title", entry.text)
    _sub(item, "updated", _rfc3339(entry.when))
    author = _sub(item, "author")
    _sub(author, "name", entry.author)
    url = href(entry.target) if entry.target else None
    if url:
        _sub(item, "link", rel="alternate", href=url)
    _sub(item, "content", entry.text, type="text")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    # etree escapes markup but writes a control character as is: strip what XML forbids
    el = ET.SubElement(parent, f"{{{_NS}}}{tag}", {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        el.text = xml_text(text)
    return el


def _rfc3339(when: datetime) -> str:
    if when.tzinfo is None:
        return when.isoformat() + "Z"
    return when.isoformat()
