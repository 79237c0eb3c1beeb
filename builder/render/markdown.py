"""Record bodies: Markdown -> HTML, sanitised with nh3 unless the workspace allows raw HTML.

Bodies are rendered here rather than by the site engine so that sanitising never depends
on an engine plugin (Zensical ignores MkDocs plugins). markdown-it-py (CommonMark, with
tables and task lists) is about twice as fast as Python-Markdown on typical bodies."""

from __future__ import annotations

import hashlib

import nh3
from markdown_it import MarkdownIt
from mdit_py_plugins.tasklists import tasklists_plugin

_TAGS = set(nh3.ALLOWED_TAGS) | {"input", "label", "span"}
_ATTRIBUTES = {k: set(v) for k, v in nh3.ALLOWED_ATTRIBUTES.items()}
for tag, attrs in {"input": {"type", "checked", "disabled", "class"}, "li": {"class"},
                   "ul": {"class"}, "label": {"class"}, "span": {"class"},
                   "code": {"class"}}.items():
    _ATTRIBUTES.setdefault(tag, set()).update(attrs)


class BodyRenderer:
    """Renders bodies with one Markdown parser and a cache by content hash."""

    def __init__(self, allow_raw_html: bool = False) -> None:
        self.allow_raw_html = allow_raw_html
        self._md = MarkdownIt("commonmark", {"html": True}).enable("table").use(
            tasklists_plugin)
        self._cache: dict[str, str] = {}

    def __call__(self, body: str) -> str:
        if not body.strip():
            return ""
        key = hashlib.sha1(body.encode("utf-8")).hexdigest()
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        html: str = self._md.render(body)
        # Without a `<` in the source the HTML is all markdown-it's own (it refuses
        # javascript: links itself), so only bodies with one need the sanitiser.
        if not self.allow_raw_html and "<" in body:
            html = nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES,
                             url_schemes={"http", "https", "mailto", "tel"})
        self._cache[key] = html
        return html
