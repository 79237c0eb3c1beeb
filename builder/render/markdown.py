"""Record bodies: Markdown -> HTML with cmark-gfm (GitHub's C implementation: tables, task
lists, autolinks), sanitised unless the workspace allows raw HTML.

Bodies are rendered here rather than by the site engine so that sanitising never depends
on an engine plugin (Zensical ignores MkDocs plugins). cmark-gfm's safe mode drops raw
HTML and javascript:/vbscript:/file: links by itself; a body that holds HTML is rendered
with it kept and then cleaned by nh3, so harmless tags (<b>, <br>) survive."""

from __future__ import annotations

import ctypes
import hashlib
import re
import sys
from functools import cache
from typing import Any

import cmarkgfm
import nh3
from cmarkgfm import _cmark
from cmarkgfm.cmark import Options
from markupsafe import escape

_TAGS = set(nh3.ALLOWED_TAGS) | {"input", "span"}
_ATTRIBUTES = {k: set(v) for k, v in nh3.ALLOWED_ATTRIBUTES.items()}
for tag, attrs in {
    "input": {"type", "checked", "disabled"},
    "span": {"class"},
    "code": {"class"},
}.items():
    _ATTRIBUTES.setdefault(tag, set()).update(attrs)
_SAFE = Options.CMARK_OPT_DEFAULT
_UNSAFE = Options.CMARK_OPT_UNSAFE
# GitHub's set without `tagfilter`: that one would print <script> as text, while nh3
# removes it, and `allow_raw_html: true` means the HTML is wanted as it is.
_EXTENSIONS = ["table", "autolink", "strikethrough", "tasklist"]
# A task list item's checkbox (`- [x] Hero`) is a form control: without a name a screen
# reader announces an unlabelled checkbox (WCAG 4.1.2). Its text follows it in the item.
_CHECKBOX = re.compile(r'<input type="checkbox"(?![^>]*aria-label)')


def _render(body: str, options: int) -> str:
    """`cmarkgfm.markdown_to_html_with_extensions`, its steps one by one so that the
    document tree and the HTML buffer are freed: cmarkgfm (as of 2025.10.22) frees
    neither, some 20 KB a body, which a build of 40,000 records held as 800 MB. Its
    binding does not expose the two frees; the C library it loaded has them. Where that
    library cannot be reached so (another platform, a cmarkgfm laid out otherwise), the
    binding's own call renders the body (and leaks): `tests/test_build_memory.py` fails in
    CI when that happens here."""
    frees = _frees()
    if frees is None:
        html: str = cmarkgfm.markdown_to_html_with_extensions(
            body, options=options, extensions=_EXTENSIONS
        )
        return html
    lib, ffi = _cmark.lib, _cmark.ffi
    parser = lib.cmark_parser_new(options)
    root = ffi.NULL
    try:
        for extension in _syntax_extensions():
            lib.cmark_parser_attach_syntax_extension(parser, extension)
        data = body.encode("utf-8")
        lib.cmark_parser_feed(parser, data, len(data))
        root = lib.cmark_parser_finish(parser)
        raw = lib.cmark_render_html(root, options, lib.cmark_parser_get_syntax_extensions(parser))
        try:
            html = ffi.string(raw).decode("utf-8")
        finally:
            frees.free(_address(raw))
    finally:
        if root != ffi.NULL:
            frees.cmark_node_free(_address(root))
        lib.cmark_parser_free(parser)
    return html


@cache
def _syntax_extensions() -> list[Any]:
    _cmark.lib.cmark_gfm_core_extensions_ensure_registered()
    found = [_cmark.lib.cmark_find_syntax_extension(name.encode()) for name in _EXTENSIONS]
    if _cmark.ffi.NULL in found:
        raise RuntimeError(f"cmark-gfm lacks one of the extensions {_EXTENSIONS}")
    return found


@cache
def _frees() -> ctypes.CDLL | None:
    """The loaded cmark-gfm library through ctypes: its `cmark_node_free`, and `free`
    (the C library's, which cmark-gfm's default allocator uses); None where it cannot be
    had (Windows' C runtimes differ per library; a cmarkgfm without these internals)."""
    if sys.platform == "win32":
        return None
    try:
        for name in ("cmark_parser_new", "cmark_parser_finish", "cmark_render_html"):
            getattr(_cmark.lib, name)
        so = ctypes.CDLL(_cmark.__file__)
        so.cmark_node_free.argtypes = [ctypes.c_void_p]
        so.cmark_node_free.restype = None
        so.free.argtypes = [ctypes.c_void_p]
        so.free.restype = None
    except (AttributeError, OSError):
        return None
    return so


def _address(pointer: Any) -> int:
    return int(_cmark.ffi.cast("uintptr_t", pointer))


class BodyRenderer:
    """Renders bodies, with a cache by content hash (a serve rebuild repeats most)."""

    def __init__(self, allow_raw_html: bool = False, checkbox_label: str = "") -> None:
        self.allow_raw_html = allow_raw_html
        self.checkbox_label = checkbox_label
        self.cache: dict[str, str] = {}  # HTML by the Markdown's digest

    def __call__(self, body: str) -> str:
        if not body.strip():
            return ""
        key = hashlib.sha1(body.encode("utf-8")).hexdigest()
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        if self.allow_raw_html:
            html = _render(body, _UNSAFE)
        elif "<" not in body:
            html = _render(body, _SAFE)
        else:
            html = nh3.clean(
                _render(body, _UNSAFE),
                tags=_TAGS,
                attributes=_ATTRIBUTES,
                url_schemes={"http", "https", "mailto", "tel"},
            )
        if self.checkbox_label:
            named = f'<input type="checkbox" aria-label="{escape(self.checkbox_label)}"'
            html = _CHECKBOX.sub(named, html)
        self.cache[key] = html
        return html
