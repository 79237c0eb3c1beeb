"""The workspace as the edit commands see it: its settings, the ids in each type folder,
and single records read and checked one at a time. Nothing here loads the whole workspace:
changing one record costs reading that record, the folder names of the types it refers
to, and (for a task) its project."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from builder.edit.checks import cross_problems
from builder.edit.layout import Layout, read_layout
from builder.edit.locate import Found, Index, cache_file
from builder.edit.source import Source
from builder.load.files import (
    SETTINGS_FILE,
    decode_text,
    display_path,
    load_settings,
    parse_record_text,
    quoted,
    read_bytes,
)
from builder.model import Project, Record, Settings, Task
from builder.model.schema import SECTIONS
from builder.problems import Problem, sort_key
from builder.validate.fields import build_record
from builder.validate.settings import effective_today, read_settings


class EditError(Exception):
    """A command that cannot go ahead; `code` is its exit status, the message one line."""

    code = 2


class Refused(EditError):
    """The record is, or would be, invalid: the problems say why (exit status 1)."""

    code = 1

    def __init__(self, message: str, problems: list[Problem]) -> None:
        super().__init__(message)
        self.problems = problems


class WriteError(EditError):
    """The file system or git refused (exit status 3); nothing was changed."""

    code = 3


@dataclass
class Current:
    """A record as it is on disk: its bytes, text, layout, typed record and problems."""

    found: Found
    data: bytes
    source: Source
    layout: Layout
    record: Record
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


@dataclass
class Desk:
    """One workspace's settings and ids, for commands that change a few records."""

    root: Path
    settings: Settings
    today: date
    index: Index
    #: records this command creates, visible to the checks of the others it creates
    pending: dict[tuple[str, str], Record] = field(default_factory=dict)
    _records: dict[tuple[str, str], Record | None] = field(default_factory=dict)
    _mine: dict[str, set[str]] = field(default_factory=dict)  # pending ids by type
    _seen: int = 0  # how many of `pending` are in `_mine`

    def path(self, rel: str) -> str:
        """How problem lines and messages name a workspace file."""
        return display_path(self.root, rel)

    def ids(self, kind: str) -> set[str]:
        """Every id of a type, on disk or about to be created."""
        known = self.index.ids(kind)
        if len(self.pending) != self._seen:  # an import adds thousands: only the new ones
            for k, i in itertools.islice(self.pending, self._seen, None):
                self._mine.setdefault(k, set()).add(i)
            self._seen = len(self.pending)
        mine = self._mine.get(kind)
        return known | mine if mine else known

    def record(self, kind: str, ident: str) -> Record | None:
        """The typed record `kind`/`ident` (None when there is none, or it cannot be read)."""
        if (kind, ident) in self.pending:
            return self.pending[kind, ident]
        if (kind, ident) not in self._records:
            paths = self.index.paths_of(kind, ident)
            record = None
            if len(paths) == 1:
                problems: list[Problem] = []
                data = read_bytes(self.root, paths[0], self.path(paths[0]), problems)
                text = None if data is None else decode_text(data, self.path(paths[0]), problems)
                raw = (
                    None
                    if text is None
                    else parse_record_text(self.root, kind, paths[0], text, digest=False)[0]
                )
                record = None if raw is None else build_record(raw, self.settings)[0]
            self._records[kind, ident] = record
        return self._records[kind, ident]

    def project_of(self, task: Task) -> Project | None:
        """A task's project, when there is one to read."""
        project = self.record("project", task.project) if task.project else None
        return project if isinstance(project, Project) else None

    def check(self, kind: str, rel: str, text: str) -> tuple[Record | None, list[Problem]]:
        """The typed record a text makes at `rel`, and every problem `check` would report
        in it: its file and fields, its references, status, stage and currencies. (The
        warnings that depend on today and on other records are not computed.)"""
        raw, problems = parse_record_text(self.root, kind, rel, text, digest=False)
        if raw is None:
            return None, sorted(problems, key=sort_key)
        record, more = build_record(raw, self.settings)
        more += cross_problems(record, kind, self.settings, self.ids, self.record)
        problems += _quoted(more, text)
        return record, sorted(problems, key=sort_key)

    def read(self, found: Found) -> Current:
        """The record `found` as it is on disk; raises Refused when it cannot be read as
        a record at all (nothing can be changed in place then)."""
        problems: list[Problem] = []
        path = self.path(found.rel)
        data = read_bytes(self.root, found.rel, path, problems)
        text = None if data is None else decode_text(data, path, problems)
        if data is None or text is None:
            raise Refused(f"{path} cannot be read as a record; nothing changed", problems)
        record, problems = self.check(found.type, found.rel, text)
        if record is None:
            raise Refused(f"{path} is already invalid on disk; nothing changed", problems)
        source = Source(data)
        return Current(found, data, source, read_layout(source.text), record, problems)


def open_desk(root: Path, today: date | None) -> Desk:
    """The workspace at `root`; raises Refused when its settings cannot be trusted."""
    if not (root / SETTINGS_FILE).exists() and not any(
        (root / folder).is_dir() for folder in SECTIONS.values()
    ):
        raise EditError(
            f"{root} is not a workspace (no workspace.yml, no record folders); "
            "pass the workspace folder with -w DIR"
        )
    loaded = load_settings(root, digest=False)  # no digest: only builds compare them
    # no phone is read here: phonenumbers, which checks `phone_region`, is not imported
    settings, problems = read_settings(loaded.settings, loaded.settings_path, phone_regions=False)
    problems = loaded.problems + _quoted(problems, loaded.settings_text)
    if loaded.settings_broken or any(p.is_error for p in problems):
        raise Refused(
            f"{loaded.settings_path} has errors; fix them first (nothing changed)", problems
        )
    index = Index(root, cache_file(root))
    return Desk(root, settings, effective_today(settings, today), index)


def _quoted(problems: list[Problem], text: str) -> list[Problem]:
    return quoted(problems, text.replace("\r\n", "\n").replace("\r", "\n"))
