"""What an edit command will write, worked out before anything is written: each file's
bytes before and after, one sentence saying what changes, and warnings. A plan is only made
of a record that checks clean as it will be written."""

from __future__ import annotations

from dataclasses import dataclass, field

from builder.edit.desk import Current, Desk, Refused
from builder.edit.source import Change, Source


@dataclass(frozen=True)
class FileChange:
    """One file: its workspace-relative path, its bytes now (None: a new file) and after."""

    rel: str
    before: bytes | None
    after: bytes


@dataclass
class Plan:
    """One command's changes; no changes means there is nothing to do."""

    summary: str
    changes: list[FileChange] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def checked_change(desk: Desk, current: Current, changes: list[Change]) -> FileChange:
    """The file `current` with `changes` made, once the result checks clean.

    Raises Refused: with the file's own problems when it is invalid on disk already (and
    the change does not mend it), else with the problems the change would bring.
    """
    after = current.source.apply(changes)
    found = current.found
    _, problems = desk.check(found.type, found.rel, Source(after).text)
    if any(p.is_error for p in problems):
        path = desk.path(found.rel)
        if current.errors:
            raise Refused(
                f"{path} is already invalid on disk; fix it first (nothing changed)",
                current.problems,
            )
        raise Refused(f"the change would make {path} invalid; nothing changed", problems)
    return FileChange(found.rel, current.data, after)
