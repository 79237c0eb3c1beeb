"""Audiences: the workspace as one part of the team may see it.

An audience (`audiences:` in workspace.yml) leaves out record types, the fields of some
sensitivities and fields named one by one. `hidden(settings, audience)` turns that into
what is hidden, from the schema alone (never a list of its own); `for_audience` gives the
checked workspace with it gone, so that every view, page, search entry and feed built from
it has nothing to show: the hidden records are not there, hidden fields hold their empty
values, and no kept record points at a hidden one.

A record type whose required reference points at a hidden type goes too (without its
companies, a project has no company), as does a field that points at a hidden type (a
task's `assignee` when people are hidden) or whose entries do (a time log's `person`).
An entry that may name a record of one of several types (an outreach entry's `about`: a
project, task or deal) goes when it names a hidden record: it tells of that record.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from typing import Any

from builder.model import Audience, Record, Settings, Workspace
from builder.model.schema import (
    FOLDERS,
    RECORD_SPECS,
    RECORD_TYPES,
    FieldSpec,
    record_fields,
)
from builder.problems import Problem

BODY = "body"  # the name `exclude:` and `keep:` give a record's Markdown body


@dataclass(frozen=True)
class Hidden:
    """What an audience's site leaves out: whole record types, and per kept type the
    names of its hidden fields (`body` for the Markdown body)."""

    audience: str
    types: frozenset[str]
    fields: dict[str, frozenset[str]]
    #: a money value of a kept record is hidden (a rate, a budget): figures summed from
    #: money values (the profitability report) would be made of blanks
    money: bool = False

    def field_hidden(self, kind: str, name: str) -> bool:
        return kind in self.types or name in self.fields.get(kind, frozenset())

    def path_type(self, path: str, content: str) -> str | None:
        """The record type whose folder holds `path` (as problems and the history name
        files: under `content`, or relative to it), or None."""
        parts = PurePosixPath(path.replace("\\", "/")).parts
        prefix = PurePosixPath(content.replace("\\", "/")).parts if content else ()
        if prefix and parts[: len(prefix)] == prefix:
            parts = parts[len(prefix) :]
        return FOLDERS.get(parts[0]) if len(parts) > 1 else None


def hidden(settings: Settings, audience: Audience) -> Hidden:
    """What `audience` leaves out of the workspace described by `settings`."""
    types = _closed(set(audience.types))
    kept = set(audience.keep)
    fields: dict[str, frozenset[str]] = {}
    money = False
    for spec in RECORD_SPECS:
        if spec.type in types:
            continue
        names = {
            f.name
            for f in record_fields(spec.type, settings)
            if (spec.type, f.name) not in kept
            and (
                f.sensitivity in audience.sensitivities
                or (spec.type, f.name) in audience.fields
                or _points_at(f, types)
            )
        }
        if (spec.type, BODY) not in kept and (
            spec.body_sensitivity in audience.sensitivities or (spec.type, BODY) in audience.fields
        ):
            names.add(BODY)
        fields[spec.type] = frozenset(names)
        money = money or any(
            f.kind == "money" and f.name in names for f in record_fields(spec.type, settings)
        )
    return Hidden(audience.name, frozenset(types), fields, money)


def _points_at(spec: FieldSpec, types: Iterable[str]) -> bool:
    gone = set(types)
    return spec.ref in gone or any(p.ref in gone for p in spec.parts)


def _closed(types: set[str]) -> set[str]:
    """`types` and every type whose required reference points at one of them, until
    nothing more goes."""
    while True:
        more = {
            spec.type
            for spec in RECORD_SPECS
            if spec.type not in types and any(f.required and f.ref in types for f in spec.fields)
        }
        if not more:
            return types
        types |= more


def for_audience(ws: Workspace, gone: Hidden) -> Workspace:
    """A copy of the checked workspace `ws` without what `gone` hides; `ws` is unchanged."""
    settings = replace(
        ws.settings,
        custom_fields={
            kind: {n: c for n, c in declared.items() if not gone.field_hidden(kind, n)}
            for kind, declared in ws.settings.custom_fields.items()
            if kind not in gone.types
        },
        # the funnels are the deals' pages: without deals, no funnel (nor its stage names)
        pipelines={} if "deal" in gone.types else ws.settings.pipelines,
    )
    out = Workspace(settings)
    for kind in RECORD_TYPES:
        if kind in gone.types:
            continue
        names = gone.fields.get(kind, frozenset())
        table = out.table(kind)
        for ident, record in ws.table(kind).items():
            table[ident] = _without(record, names) if names else record
    for kind in RECORD_TYPES:
        if kind not in gone.types:
            _drop_entries_about_hidden(out, ws, kind, gone)
    return out


def _drop_entries_about_hidden(out: Workspace, ws: Workspace, kind: str, gone: Hidden) -> None:
    """In `out`'s records of `kind`, drop the entries of list fields whose `ref_any` part
    names a record of a hidden type in `ws` (and none of a kept type, as the views would
    read it)."""
    for spec in record_fields(kind, ws.settings):
        if spec.name in gone.fields.get(kind, frozenset()):
            continue
        parts = [p for p in spec.parts if gone.types.intersection(p.ref_any)]
        if not parts:
            continue
        table = out.table(kind)
        for ident, record in table.items():
            entries = getattr(record, spec.name, None)
            if not isinstance(entries, list):
                continue
            kept = [e for e in entries if not any(_names_hidden(e, p, ws, gone) for p in parts)]
            if len(kept) != len(entries):
                table[ident] = replace(record, **{spec.name: kept})


def _names_hidden(entry: Any, part: FieldSpec, ws: Workspace, gone: Hidden) -> bool:
    target = getattr(entry, part.name, None)
    if not isinstance(target, str) or not target:
        return False
    if any(target in ws.table(t) for t in part.ref_any if t not in gone.types):
        return False
    return any(target in ws.table(t) for t in part.ref_any if t in gone.types)


def _without(record: Record, names: frozenset[str]) -> Record:
    """A copy of `record` whose fields in `names` hold their empty values (the record
    class's defaults), its hidden custom fields and, with `body`, its body gone."""
    empty: dict[str, Any] = {}
    for f in dataclasses.fields(record):
        if f.name in names and f.name != BODY:
            factory = f.default_factory
            empty[f.name] = factory() if factory is not dataclasses.MISSING else f.default
    if BODY in names:
        empty[BODY] = ""
    if any(name in names for name in record.custom):
        empty["custom"] = {k: v for k, v in record.custom.items() if k not in names}
    return replace(record, **empty)


def visible_problems(
    problems: list[Problem], gone: Hidden, content: str
) -> tuple[list[Problem], int]:
    """The problems an audience's site may show, and how many it leaves out: those in the
    files of hidden record types, and those about hidden fields (each quotes its value)."""
    shown: list[Problem] = []
    for p in problems:
        kind = gone.path_type(p.path, content)
        if kind is not None and (
            kind in gone.types or (p.field and gone.field_hidden(kind, p.field))
        ):
            continue
        shown.append(p)
    return shown, len(problems) - len(shown)


class UnknownAudience(Exception):
    """An audience that workspace.yml does not declare; the message names those it does."""


def audience_of(settings: Settings, name: str) -> Audience:
    """The audience `name` declares, or UnknownAudience naming the declared ones."""
    found = settings.audiences.get(name)
    if found is not None:
        return found
    names = ", ".join(f"`{n}`" for n in sorted(settings.audiences))
    declared = f"declares {names}" if names else "declares none (add `audiences:`)"
    raise UnknownAudience(f"unknown audience `{name}`: workspace.yml {declared}")
