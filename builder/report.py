"""Problem reports in the three formats `check` offers: text (with the source line and a
caret), JSON, and GitHub's workflow-command annotations."""

from __future__ import annotations

import json
from collections.abc import Iterable

from builder.problems import Problem


def _printable(text: str) -> str:
    """User text with control characters (terminal escapes) shown as \\xNN."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text)


def left_out_text(left_out: list[str], stale: Iterable[str] = ()) -> str:
    """What a site built from a workspace with errors lacks, or shows as it was: one line
    each, or "" when nothing is. `left_out`: record files that could not be read (no page,
    no card); `stale`: files whose last good version stands in (the serve loop)."""
    lines = []
    if left_out:
        lines.append(
            f"left out of the site ({len(left_out)}, the file cannot be read): "
            + ", ".join(_printable(p) for p in left_out)
        )
    shown = sorted(stale)
    if shown:
        lines.append(
            f"shown in their last good version ({len(shown)}, the file has errors now): "
            + ", ".join(_printable(p) for p in shown)
        )
    return "".join(line + "\n" for line in lines)


def format_text(problems: Iterable[Problem], summary: str) -> str:
    """`path:line:col: severity code: message`, the source line with a caret, the hint."""
    out: list[str] = []
    for p in problems:
        out.append(_printable(p.headline()))
        # the line as read by the check (`source`), never read again here: the file may
        # have changed since, and a file the check refused to read must not be quoted
        src = p.source.replace("\t", " ") if p.line else ""
        # no excerpt of binary or garbled lines: they would garble the terminal too
        if src and len(src) < 300 and src.isprintable():
            out.append(f"    {src}")
            out.append("    " + " " * (max(p.col, 1) - 1) + "^")
        if p.hint:
            out.append(f"    hint: {_printable(p.hint)}")
    out.append(summary)
    return "\n".join(out) + "\n"


def format_json(problems: Iterable[Problem], summary: str, counts: dict[str, object]) -> str:
    payload = {"problems": [p.to_dict() for p in problems], "summary": summary, **counts}
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_prop(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def format_github(problems: Iterable[Problem], summary: str) -> str:
    """GitHub Actions annotations: `::error file=…,line=…,col=…,title=…::message`."""
    out = []
    for p in problems:
        level = "error" if p.is_error else "warning"
        message = p.message + (f" (hint: {p.hint})" if p.hint else "")
        out.append(
            f"::{level} file={_escape_prop(p.path)},line={max(p.line, 1)},"
            f"col={max(p.col, 1)},title={p.code}::{_escape_data(message)}"
        )
    out.append(summary)
    return "\n".join(out) + "\n"
