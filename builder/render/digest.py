"""Render stage: a `DigestView` as plain text, Markdown or HTML, from the templates in
`theme/digest/` (a workspace may override any of them in its own `theme/digest/`).

Plain text is what chat channels and the e-mail's text part get; HTML the e-mail's other
part (inline styles only: mail clients drop style sheets, and it loads nothing); Markdown
is for channels that render it. HTML autoescapes every value; Markdown escapes the
characters that would turn a title into markup.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Literal

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

from builder.views.digest import DigestView

Format = Literal["text", "markdown", "html"]
FORMATS: tuple[Format, ...] = ("text", "markdown", "html")
_FILES: dict[Format, str] = {"text": "digest.txt", "markdown": "digest.md", "html": "digest.html"}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>])")


def _theme_dir() -> Path:
    """The built-in digest templates: the repository's `theme/digest/`, or the installed
    `plaindesk_theme` package's."""
    local = Path(__file__).resolve().parents[2] / "theme" / "digest"
    if local.is_dir():
        return local
    import plaindesk_theme  # type: ignore[import-not-found]

    return Path(plaindesk_theme.__path__[0]) / "digest"


def _md(text: object) -> str:
    return _MD_SPECIAL.sub(r"\\\1", str(text))


@cache
def _environment(override: Path | None, html: bool) -> Environment:
    loaders = [FileSystemLoader(str(override))] if override is not None else []
    env = Environment(
        loader=ChoiceLoader([*loaders, FileSystemLoader(str(_theme_dir()))]),
        autoescape=html,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = _md
    return env


def render_digest(view: DigestView, fmt: Format = "text", theme: Path | None = None) -> str:
    """The digest in `fmt`; `theme` is a workspace's own `theme/digest/` folder, if any."""
    override = theme if theme is not None and theme.is_dir() else None
    template = _environment(override, fmt == "html").get_template(_FILES[fmt])
    text = template.render(d=view)
    # blank lines collapse to one: a template reads better with its own spacing
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"
