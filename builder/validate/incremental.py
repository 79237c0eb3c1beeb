"""The serve loop's cross-record check: the rules and the per-record warnings run again only
for the records an edit may have changed the answer for; every other record keeps the
problems found for it last time. The warnings that count over many records (WIP limits,
duplicate contacts, missing rates) run whole.

A record's problems are a function of the record, the records it reads (a task: its
project's workflow, its assignee's `active`), the settings, today, and which ids exist
(an unknown reference; the "did you mean" hint names the ids there are). So a record is
checked again when its own file digest, or that of a record it reads, changed; all
records of a type are checked again when the settings or today changed, or the ids of a
type it refers to (a record added, deleted or renamed: those naming it are re-checked)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from builder.model import Workspace
from builder.model.schema import RECORD_SPECS, RECORD_TYPES
from builder.problems import Problem
from builder.validate.rules import RULES
from builder.validate.warnings import PER_RECORD, WARNINGS

#: record type -> the types its fields may name (references and log entries' subjects)
_NAMES: dict[str, tuple[str, ...]] = {
    spec.type: tuple(
        sorted(
            {f.ref for f in spec.fields if f.ref is not None}
            | {t for f in spec.fields for p in f.parts for t in (p.ref, *p.ref_any) if t}
        )
    )
    for spec in RECORD_SPECS
}
_WHOLE = [w for w in WARNINGS if w not in PER_RECORD]


def _reads(ws: Workspace, kind: str, rec: Any) -> tuple[str, ...]:
    """What a record's rules read besides ids and settings: its own digest, and a task's
    status (a default from its project), project and assignee; a deal's pipeline."""
    if kind == "task":
        project = ws.projects.get(rec.project)
        person = ws.people.get(rec.assignee) if rec.assignee else None
        return (
            rec.digest,
            rec.status,
            project.digest if project is not None else "-",
            person.digest if person is not None else "-",
        )
    if kind == "deal":
        return (rec.digest, rec.pipeline)
    return (rec.digest,)


@dataclass
class RuleCache:
    """Per record (type, id): what it read and its problems from the rules and per-record
    warnings, with what they were found under (settings digest, today, the ids of each
    type)."""

    settings: tuple[str, date] | None = None
    ids: dict[str, list[str]] = field(default_factory=dict)
    found: dict[tuple[str, str], tuple[tuple[str, ...], list[Problem]]] = field(
        default_factory=dict
    )
    checked: int = 0  # records checked by the last run (the rest kept their problems)

    def run(self, ws: Workspace, today: date) -> list[Problem]:
        """The problems of every rule and warning, as `run_rules` + `run_warnings` find."""
        settings = (ws.settings.digest, today)
        ids: dict[str, list[str]] = {kind: list(ws.table(kind)) for kind in RECORD_TYPES}
        moved = {kind for kind in RECORD_TYPES if ids[kind] != self.ids.get(kind)}
        whole = settings != self.settings
        before = self.found
        found: dict[tuple[str, str], tuple[tuple[str, ...], list[Problem]]] = {}
        again: dict[str, list[Any]] = {kind: [] for kind in RECORD_TYPES}
        for kind in RECORD_TYPES:
            every = whole or any(k in moved for k in _NAMES.get(kind, ()))
            for ident, rec in ws.table(kind).items():
                reads = _reads(ws, kind, rec)
                hit = None if every else before.get((kind, ident))
                if hit is not None and hit[0] == reads:
                    found[(kind, ident)] = hit
                else:
                    found[(kind, ident)] = (reads, [])
                    again[kind].append(rec)
        self._check(ws, today, again, found)
        self.settings, self.ids, self.found = settings, ids, found
        self.checked = sum(map(len, again.values()))
        out = [p for _, mine in found.values() for p in mine]
        for warn in _WHOLE:
            out += warn(ws, today)
        return out

    @staticmethod
    def _check(
        ws: Workspace,
        today: date,
        again: dict[str, list[Any]],
        found: dict[tuple[str, str], tuple[tuple[str, ...], list[Problem]]],
    ) -> None:
        """Run the rules and per-record warnings over the records in `again`, and file
        each problem under its record (by path), in the order a whole run finds them."""
        if not any(again.values()):
            return

        def pick(_: Workspace, kind: str) -> Iterable[Any]:
            return again[kind]

        where = {rec.path: (kind, rec.id) for kind, recs in again.items() for rec in recs}
        problems: list[Problem] = []
        for rule in RULES:
            problems += rule(ws, pick)
        for warn in PER_RECORD:
            problems += warn(ws, today, pick)
        for p in problems:
            found[where[p.path]][1].append(p)
