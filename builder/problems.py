"""Problems: the one shape every stage reports bad input in, and the catalogue of codes.

Stages never raise on user data; they return `Problem` values, all of them, in one run.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Code:
    """A stable problem code with its severity and a one-line title for the docs."""

    code: str
    severity: Severity
    title: str


def _codes(*items: tuple[str, Severity, str]) -> dict[str, Code]:
    return {c: Code(c, s, t) for c, s, t in items}


E, W = Severity.ERROR, Severity.WARNING

#: Every code Plaindesk reports. Codes are stable: never renumber, only add.
CODES: dict[str, Code] = _codes(
    # PD0xx: the file itself
    ("PD001", E, "file cannot be read as UTF-8 text (binary, wrong encoding, unreadable)"),
    ("PD002", E, "front matter missing"),
    ("PD003", E, "front matter not terminated"),
    ("PD004", E, "YAML syntax error"),
    ("PD005", E, "front matter is not a mapping"),
    ("PD006", E, "unsupported YAML feature (tags, anchors and aliases)"),
    ("PD007", E, "file or front matter too large or too deeply nested"),
    ("PD008", E, "duplicate key"),
    ("PD009", E, "empty file"),
    ("PD010", W, "Markdown file outside the record folders (ignored)"),
    ("PD011", E, "link to a file or folder outside the workspace (not followed)"),
    ("PD012", E, "no records in the workspace folder"),
    # PD1xx: fields of one record
    ("PD101", E, "required field missing"),
    ("PD102", E, "unknown field"),
    ("PD103", E, "wrong type"),
    ("PD104", E, "bad date"),
    ("PD105", E, "bad duration"),
    ("PD106", E, "bad money"),
    ("PD107", E, "value not one of the allowed choices"),
    ("PD108", E, "bad id"),
    ("PD109", E, "duplicate id"),
    ("PD110", E, "due before start"),
    ("PD111", E, "malformed time-log entry"),
    ("PD112", E, "negative amount or duration"),
    ("PD113", E, "bad settings (workflow, pipeline or custom field definition)"),
    ("PD114", E, "secret written in a notification channel (use an `{ENV_VAR}` placeholder)"),
    ("PD115", E, "notification channel Apprise does not know"),
    ("PD116", E, "malformed outreach-log entry"),
    # PD2xx: across records
    ("PD201", E, "unknown reference"),
    ("PD202", E, "status not in the project's workflow"),
    ("PD203", E, "stage not in the pipeline"),
    ("PD204", E, "currency without a rate"),
    ("PD205", E, "unknown workflow or pipeline"),
    # PD4xx: warnings
    ("PD401", W, "task overdue"),
    ("PD402", W, "deal idle past its stage limit"),
    ("PD403", W, "follow-up overdue"),
    ("PD404", W, "open task assigned to an inactive person"),
    ("PD405", W, "WIP limit exceeded"),
    ("PD406", W, "two contacts with the same e-mail or phone"),
    ("PD407", W, "outreach entry marked published without a link"),
    ("PD408", W, "time logged by a person without a cost rate"),
)


@dataclass(frozen=True)
class Problem:
    """One problem at one place: `path:line:col: severity code: message`, then a hint.

    `line` and `col` are 1-based; 0 means "the whole file". `source` is the offending line.
    """

    code: str
    path: str
    line: int
    col: int
    message: str
    hint: str = ""
    field: str = ""
    source: str = ""

    def __post_init__(self) -> None:
        # A message or hint quotes user values, which may hold line breaks (a quoted YAML
        # scalar, a file name): each stays one line, for reports and CI annotations.
        for name in ("message", "hint"):
            text = getattr(self, name)
            if _BREAKS.search(text):
                object.__setattr__(self, name, _BREAKS.sub(_escape, text))

    @property
    def severity(self) -> Severity:
        return CODES[self.code].severity

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def headline(self) -> str:
        where = f"{self.path}:{self.line}:{self.col}" if self.line else f"{self.path}:1:1"
        return f"{where}: {self.severity.value} {self.code}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Problem:
        fields = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**fields)


_BREAKS = re.compile("[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    return {"\n": "\\n", "\r": "\\r"}.get(ch) or f"\\u{ord(ch):04x}"


def sort_key(p: Problem) -> tuple[bool, str, int, int, str]:
    """Errors first (they stop a build), then warnings; each by file and place."""
    return (not p.is_error, p.path, p.line, p.col, p.code)
