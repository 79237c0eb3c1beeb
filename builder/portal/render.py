"""Portal render stage: `PortalView` -> the files of one self-contained bundle.

Templates, CSS and JS come from `theme/portal/` (a workspace may override any of them in its
own `theme/portal/`). The page inlines its CSS and JS, uses system fonts and loads nothing
from anywhere: a Content-Security-Policy with the script's hash forbids every request, so
even a template mistake cannot make the page call out. Jinja2 autoescapes every value; the
client summary is Markdown rendered with raw HTML disabled and then sanitised.
"""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import date
from functools import lru_cache, partial
from pathlib import Path
from urllib.parse import quote

import nh3
from babel.dates import format_interval, format_skeleton
from babel.numbers import format_percent
from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    pass_context,
)
from jinja2.runtime import Context
from markdown_it import MarkdownIt
from markupsafe import Markup

from builder.i18n import format_date, format_number, t, tn
from builder.portal.view import PortalPerson, PortalProject, PortalTask, PortalView


def _theme_dir() -> Path:
    """The built-in portal theme: the repository's `theme/portal/`, or the same folder of
    the installed `plaindesk_theme` package (theme/ as shipped in the wheel)."""
    local = Path(__file__).resolve().parents[2] / "theme" / "portal"
    if local.is_dir():
        return local
    import plaindesk_theme  # type: ignore[import-not-found]

    return Path(plaindesk_theme.__path__[0]) / "portal"


THEME_DIR = _theme_dir()

# What a client summary may contain after Markdown: text structure only. No links (they
# could point into the internal site), no images (they would be requests), no attributes.
_SUMMARY_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "code", "pre",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr",
}  # fmt: skip


# CommonMark with raw HTML off: a `<script>` in a summary is shown as text, not dropped.
_MARKDOWN = MarkdownIt("commonmark", {"html": False})


def summary_html(text: str) -> Markup:
    """Markdown -> HTML with raw HTML shown as text, then stripped to `_SUMMARY_TAGS`."""
    html = _MARKDOWN.render(text)
    return Markup(nh3.clean(html, tags=_SUMMARY_TAGS, attributes={}, link_rel=None))


def _number(value: float, locale: str) -> str:
    digits = 0 if value == int(value) else (1 if round(value, 1) == value else 2)
    return format_number(round(value, digits), locale, digits)


def _skeleton(view: PortalView, *days: date) -> str:
    # The year only where it is not this year's: "Mar 9 – 20", "Dec 9, 2025 – Apr 20, 2026".
    return "MMMd" if all(d.year == view.updated.year for d in days) else "yMMMd"


@pass_context
def _short_date(ctx: Context, day: date) -> str:
    view: PortalView = ctx["view"]
    return str(format_skeleton(_skeleton(view, day), day, locale=view.locale))


@pass_context
def _period(ctx: Context, start: date | None, due: date | None) -> str:
    """Dates as a locale's interval: `Mar 9 – 20`, `9–20 мар.`, `from Mar 9`, `until Apr 1`."""
    view: PortalView = ctx["view"]
    if start and due:
        skeleton = _skeleton(view, start, due)
        return str(format_interval(start, due, skeleton, locale=view.locale))
    if start:
        return t(view.locale, "portal.from", start=_short_date(ctx, start))
    if due:
        return t(view.locale, "portal.until", due=_short_date(ctx, due))
    return ""


def _measure(value: float, unit: str, locale: str) -> str:
    if unit == "%":  # the locale's own percent style: `45%`, `45 %`
        return str(format_percent(value / 100, locale=locale, decimal_quantization=False))
    number = _number(value, locale)
    return f"{number}\u00a0{unit}" if unit else number


def _count_of(value: float, unit: str, locale: str) -> str:
    """An actual figure next to its target: a word unit (`interviews`, `pages`) goes with
    the target only ("1" over "target 6 interviews", never "1 interviews", whose plural
    a user's unit cannot follow); a symbol (`s`, `%`, `km`) stays with the number."""
    if unit.isalpha() and len(unit) > 2:
        return _number(value, locale)
    return _measure(value, unit, locale)


def _tel(phone: str) -> str:
    return "tel:" + re.sub(r"[^0-9+]", "", phone)


def _mailto(email: str) -> str:
    return "mailto:" + quote(email, safe="@.+-_")


#: The subject and body of each kind of approval e-mail.
_APPROVAL_TEXTS = {
    "approve": ("portal.approve.subject", "portal.approve.body"),
    "changes": ("portal.changes.subject", "portal.changes.body"),
}


def _approval(
    locale: str, kind: str, task: PortalTask, project: PortalProject, approver: PortalPerson
) -> str:
    """A `mailto:` URL (RFC 6068) to the project's approver with the subject and body for
    approving the review item `task` (`kind` "approve") or asking for changes ("changes"),
    in the client's language: opening it sends nothing by itself."""
    values = {
        "title": task.title,
        "ref": task.ref,
        "project": project.name,
        "name": approver.name.split()[0] if approver.name.split() else "",
    }
    subject_key, body_key = _APPROVAL_TEXTS[kind]
    subject = t(locale, subject_key, **values)
    body = t(locale, body_key, **values).replace("\n", "\r\n")
    return (
        f"{_mailto(approver.email)}?subject={quote(subject, safe='')}&body={quote(body, safe='')}"
    )


def _css_percent(value: float) -> str:
    return f"{value:.3f}%"


@lru_cache(maxsize=16)
def _environment(locale: str, override: Path | None) -> Environment:
    loaders = [FileSystemLoader(str(override))] if override else []
    env = Environment(
        loader=ChoiceLoader([*loaders, FileSystemLoader(str(THEME_DIR))]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(
        t=partial(t, locale),
        tn=partial(tn, locale),
        period=_period,
        approval=partial(_approval, locale),
    )
    env.filters.update(
        day=lambda d: format_date(d, locale, "medium"),
        short=_short_date,
        month=lambda d: format_date(d, locale, "LLL"),
        num=lambda v: _number(v, locale),
        measure=lambda v, unit: _measure(v, unit, locale),
        count_of=lambda v, unit: _count_of(v, unit, locale),
        percent=lambda v: format_percent(v / 100, locale=locale),
        css_percent=_css_percent,
        summary=summary_html,
        tel=_tel,
        mailto=_mailto,
    )
    return env


def _asset(env: Environment, name: str) -> str:
    assert env.loader is not None
    source, _, _ = env.loader.get_source(env, name)
    return source


def render_bundle(view: PortalView, override: Path | None = None) -> dict[str, bytes]:
    """The files of one client's bundle (relative path -> bytes), from its view only."""
    env = _environment(view.locale, override)
    script = _asset(env, "portal.js")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    csp = (
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
        f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    )
    html = env.get_template("index.html").render(
        view=view,
        csp=csp,
        style=Markup(_asset(env, "portal.css")),
        script=Markup(script),
    )
    return {
        "index.html": html.encode("utf-8"),
        "robots.txt": _asset(env, "robots.txt").encode("utf-8"),
    }
