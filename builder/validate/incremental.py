"""The serve loop's cross-record check: the rules and the per-record warnings run again only
for the records an edit may have changed the answer for; every other record keeps the
problems found for it last time. The warnings that count over many records (WIP limits,
duplicate contacts, missing rates) are kept by group (`Groups`): a whole check counts
them all; an edit in place (`RuleCache.run_edits`) counts again the groups its records
were and are in.

A record's problems are a function of the record, the records it reads (a task: its
project's workflow, its assignee's `active`), the settings (`settings_read`), today, and
which ids exist (an unknown reference; the "did you mean" hint names the ids there are).
So a record is checked again when its own file digest, or that of a record it reads,
changed; all records of a type are checked again when the settings or today changed, or
the ids of a type it refers to (a record added, deleted or renamed: those naming it are
re-checked)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from builder.model import Project, Settings, Workspace
from builder.model.keys import region_of
from builder.model.schema import RECORD_SPECS, RECORD_TYPES
from builder.problems import Problem
from builder.validate.rules import RULES
from builder.validate.warnings import (
    PER_RECORD,
    WARNINGS,
    ContactKeys,
    contact_keys,
    contact_region,
    duplicate_contacts,
    missing_rate,
    missing_rates,
    project_wip,
    same_contacts,
    wip_limits,
)

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
#: the counting warnings, which `Groups` counts by group in this order
_WHOLE = [w for w in WARNINGS if w not in PER_RECORD]
assert [wip_limits, duplicate_contacts, missing_rates] == _WHOLE, "a new warning: see Groups"


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


def settings_read(settings: Settings) -> str:
    """What the rules and warnings read of the settings: all of them but the names of the
    workflows and their columns, and of the pipelines and their stages (which no problem
    words): a column renamed checks no record again."""
    bare = replace(
        settings,
        workflows={
            k: replace(w, name="", columns=tuple(replace(c, name="") for c in w.columns))
            for k, w in settings.workflows.items()
        },
        pipelines={
            k: replace(p, name="", stages=tuple(replace(s, name="") for s in p.stages))
            for k, p in settings.pipelines.items()
        },
        pos={},
        digest="",
        path="",
    )
    return repr(bare)


@dataclass
class RuleCache:
    """Per record (type, id): what it read and its problems from the rules and per-record
    warnings, with what they were found under (settings digest, today, the ids of each
    type); and the counting warnings by group (`Groups`)."""

    settings: tuple[str, date] | None = None  # `settings_read`, today
    ids: dict[str, list[str]] = field(default_factory=dict)
    found: dict[tuple[str, str], tuple[tuple[str, ...], list[Problem]]] = field(
        default_factory=dict
    )
    checked: int = 0  # records checked by the last run (the rest kept their problems)
    #: the problems of `found`, one list (the serve loop's edits replace a few records')
    problems: list[Problem] = field(default_factory=list)
    groups: Groups | None = None

    def run(self, ws: Workspace, today: date) -> list[Problem]:
        """The problems of every rule and warning, as `run_rules` + `run_warnings` find."""
        settings = (settings_read(ws.settings), today)
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
        self.problems = [p for _, mine in found.values() for p in mine]
        self.groups = Groups.of(ws)
        return self.problems + self.groups.problems()

    def run_edits(
        self, ws: Workspace, today: date, edits: list[tuple[str, Any, Any]]
    ) -> list[Problem]:
        """`run`'s answer after the records in `edits` ((type, record before, record now),
        each of the same id, as their defaults resolved) changed and no other: no record
        added or removed, the settings and today as the last run's. The rules and
        per-record warnings run again for those records and the records that read them
        (a project's tasks, a person's tasks); the counting warnings for their groups."""
        assert self.groups is not None and self.settings is not None
        groups = self.groups
        groups.edit(ws, edits)
        again: dict[str, dict[str, Any]] = {kind: {} for kind in RECORD_TYPES}
        for kind, _, rec in edits:
            again[kind][rec.id] = rec
            readers = groups.by_project if kind == "project" else groups.by_assignee
            if kind in ("project", "person"):
                for ident in readers.get(rec.id, ()):
                    again["task"][ident] = ws.tasks[ident]
        picked = {kind: list(recs.values()) for kind, recs in again.items()}
        for kind, recs in picked.items():
            for rec in recs:
                self.found[(kind, rec.id)] = (_reads(ws, kind, rec), [])
        self._check(ws, today, picked, self.found)
        self.checked = sum(map(len, picked.values()))
        paths = {rec.path for recs in picked.values() for rec in recs}
        self.problems = [p for p in self.problems if p.path not in paths]
        for kind, recs in picked.items():
            for rec in recs:
                self.problems += self.found[(kind, rec.id)][1]
        return self.problems + groups.problems()

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


@dataclass
class Groups:
    """The counting warnings by the group each counts: WIP limits per project (its tasks
    by status), missing rates per person (the minutes their tasks log), duplicate
    contacts per set of contacts that share a key (e-mail or phone). An edit counts
    again the groups its records were and are in."""

    #: project id -> its tasks' ids; person id -> the ids of the tasks assigned to them
    by_project: dict[str, set[str]] = field(default_factory=dict)
    by_assignee: dict[str, set[str]] = field(default_factory=dict)
    logged: dict[str, int] = field(default_factory=dict)  # person id -> minutes logged
    #: contact id -> its keys; key -> the ids of the contacts that have it
    keys: dict[str, ContactKeys] = field(default_factory=dict)
    holders: dict[str, set[str]] = field(default_factory=dict)
    #: project, contact, person id -> its problems (those with some)
    wip: dict[str, list[Problem]] = field(default_factory=dict)
    same: dict[str, list[Problem]] = field(default_factory=dict)
    rates: dict[str, list[Problem]] = field(default_factory=dict)

    @classmethod
    def of(cls, ws: Workspace) -> Groups:
        """The groups of a whole workspace, counted."""
        groups = cls()
        for t in ws.tasks.values():
            groups._add_task(t)
        region = contact_region(ws)
        for c in ws.contacts.values():
            groups._add_contact(c.id, contact_keys(c, region))
        groups._wip(ws, ws.projects)
        groups._same(ws, ws.contacts)
        groups._rates(ws, sorted(groups.logged))
        return groups

    def problems(self) -> list[Problem]:
        """Every group's problems, as `wip_limits`, `duplicate_contacts` and
        `missing_rates` find them (in another order: a check sorts them)."""
        return [p for kept in (self.wip, self.same, self.rates) for ps in kept.values() for p in ps]

    def edit(self, ws: Workspace, edits: list[tuple[str, Any, Any]]) -> None:
        """Count again the groups `edits` ((type, record before, record now)) touch."""
        projects: set[str] = set()
        people: set[str] = set()
        contacts: set[str] = set()
        for kind, last, rec in edits:
            if kind == "task":
                self._add_task(last, -1)
                self._add_task(rec)
                projects |= {last.project, rec.project}
                people.update(e.person for t in (last, rec) for e in t.time)
            elif kind == "project":
                projects.add(rec.id)
            elif kind == "person":
                people.add(rec.id)
            elif kind == "contact":
                old = self.keys[rec.id]
                # every phone number is read in the time zone's region (`contact_region`)
                region = region_of(ws.settings.timezone) if rec.phone else None
                self._add_contact(rec.id, old, -1)
                self._add_contact(rec.id, contact_keys(rec, region))
                contacts.add(rec.id)
                contacts.update(i for _, _, key in old for i in self.holders.get(key, ()))
        self._wip(ws, {p: ws.projects[p] for p in projects if p in ws.projects})
        self._same(ws, {c: ws.contacts[c] for c in self._sharing(contacts)})
        self._rates(ws, people)

    def _add_task(self, t: Any, sign: int = 1) -> None:
        for index, key in ((self.by_project, t.project), (self.by_assignee, t.assignee)):
            if key is None:
                continue
            if sign > 0:
                index.setdefault(key, set()).add(t.id)
            else:
                index[key].discard(t.id)
        for e in t.time:
            self.logged[e.person] = self.logged.get(e.person, 0) + sign * e.minutes

    def _add_contact(self, ident: str, keys: ContactKeys, sign: int = 1) -> None:
        if sign > 0:
            self.keys[ident] = keys
        for _, _, key in keys:
            if sign > 0:
                self.holders.setdefault(key, set()).add(ident)
            else:
                self.holders[key].discard(ident)

    def _sharing(self, contacts: set[str]) -> set[str]:
        """`contacts` and every contact that shares a key with one of them, and so on."""
        out, todo = set(contacts), list(contacts)
        while todo:
            for _, _, key in self.keys[todo.pop()]:
                for other in self.holders[key]:
                    if other not in out:
                        out.add(other)
                        todo.append(other)
        return out

    def _wip(self, ws: Workspace, projects: Mapping[str, Project]) -> None:
        for pid, p in projects.items():
            counts: dict[tuple[str, str], list[str]] = {}
            for ident in self.by_project.get(pid, ()):
                counts.setdefault((pid, ws.tasks[ident].status), []).append(ident)
            self._file(self.wip, pid, project_wip(ws, p, counts))

    def _same(self, ws: Workspace, contacts: Mapping[str, Any]) -> None:
        problems = same_contacts(contacts.values(), self.keys)
        ident = {c.path: c.id for c in contacts.values()}
        for c in contacts:
            self.same.pop(c, None)
        for p in problems:
            self.same.setdefault(ident[p.path], []).append(p)

    def _rates(self, ws: Workspace, people: Iterable[str]) -> None:
        for pid in people:
            self._file(self.rates, pid, missing_rate(ws, pid, self.logged.get(pid, 0)))

    @staticmethod
    def _file(kept: dict[str, list[Problem]], key: str, problems: list[Problem]) -> None:
        if problems:
            kept[key] = problems
        else:
            kept.pop(key, None)
