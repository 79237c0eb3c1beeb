"""The whole typed workspace as JSON, in a documented and versioned shape, and the JSON
Schema of that shape, both derived from the schema (`builder.model.schema`): a field added
there appears in the export and its schema without a line changed here.

Shape (version 1): `{"format": "plaindesk", "version": 1, "settings": {...}, "people": [...],
"companies": [...], ...}`, one list per record type (named by its folder), each record an
object with `id`, `path`, its fields and `body`. Dates are ISO text, money is `{"amount":
"1200.50", "currency": "UAH"}` (the amount as text: no rounding), durations are whole minutes and
cadences whole days, a time-log entry is `{date, person, minutes, note}`; an empty field is null
(an empty list for list fields). Custom fields are under `custom`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from builder.model import Workspace
from builder.model.records import Money, Record
from builder.model.schema import RECORD_SPECS, FieldSpec

FORMAT = "plaindesk"
VERSION = 1
_SCHEMA_ID = "https://plaindesk.example/schema/export-v1.json"


def _value(f: FieldSpec, value: Any) -> Any:
    if value is None or value == "":
        return [] if f.kind in _LIST_KINDS else None
    if isinstance(value, Money):
        return {"amount": format(value.amount, "f"), "currency": value.currency}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if f.kind == "time_log":
        return [
            {"date": e.date.isoformat(), "person": e.person, "minutes": e.minutes, "note": e.note}
            for e in value
        ]
    if f.kind in _ENTRY_LISTS:
        return [{p.name: _value(p, getattr(m, p.name, None)) for p in f.parts} for m in value]
    if f.kind in ("next_step", "portal"):
        return {p.name: _value(p, getattr(value, p.name)) for p in f.parts}
    if isinstance(value, list | tuple):
        return list(value)
    if isinstance(value, dict):
        return dict(value)
    return value


def record(r: Record, fields: tuple[FieldSpec, ...]) -> dict[str, Any]:
    """One record as an object."""
    out: dict[str, Any] = {"id": r.id, "path": r.path}
    for f in fields:
        out[f.name] = _value(f, getattr(r, f.name, None))
    out["custom"] = {k: _value(FieldSpec(k, "text", k), v) for k, v in sorted(r.custom.items())}
    out["body"] = r.body
    return out


def export(ws: Workspace) -> dict[str, Any]:
    """The workspace as one JSON object."""
    s = ws.settings
    out: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "settings": {
            "name": s.name,
            "locale": s.locale,
            "timezone": s.timezone,
            "base_currency": s.base_currency,
            "rates": {k: format(v, "f") for k, v in sorted(s.rates.items())},
            "workflows": {
                w.id: {"name": w.name, "columns": [c.id for c in w.columns], "done": w.done}
                for w in s.workflows.values()
            },
            "pipelines": {
                p.id: {"name": p.name, "stages": [st.id for st in p.stages]}
                for p in s.pipelines.values()
            },
        },
    }
    for spec in RECORD_SPECS:
        table = ws.table(spec.type)
        out[spec.folder] = [record(table[i], spec.fields) for i in sorted(table)]
    return out


_TYPES: dict[str, dict[str, Any]] = {
    "text": {"type": "string"},
    "email": {"type": "string"},
    "phone": {"type": "string"},
    "url": {"type": "string"},
    "date": {"type": "string", "format": "date"},
    "duration": {"type": "integer", "minimum": 0, "description": "minutes"},
    "interval": {"type": "integer", "minimum": 0, "description": "days"},
    "hours": {"type": "number", "description": "hours a week"},
    "money": {
        "type": "object",
        "properties": {
            "amount": {"type": "string", "pattern": r"^\d+(\.\d+)?$"},
            "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
        },
        "required": ["amount", "currency"],
        "additionalProperties": False,
    },
    "number": {"type": "number"},
    "percent": {"type": "integer", "minimum": 0, "maximum": 100},
    "bool": {"type": "boolean"},
    "choice": {"type": "string"},
    "ref": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"},
    "refs": {"type": "array", "items": {"type": "string"}},
    "tags": {"type": "array", "items": {"type": "string"}},
    "channels": {"type": "array", "items": {"type": "string"}},
    "handles": {"type": "object", "additionalProperties": {"type": "string"}},
}
#: The value kinds that are lists of entries made of the field's parts.
_ENTRY_LISTS = frozenset({"metrics", "outreach_log"})
#: The value kinds exported as lists (an empty one as []).
_LIST_KINDS = frozenset(
    {"time_log", *_ENTRY_LISTS} | {k for k, t in _TYPES.items() if t.get("type") == "array"}
)
_TIME_ENTRY = {
    "type": "object",
    "properties": {
        "date": {"type": "string", "format": "date"},
        "person": {"type": "string"},
        "minutes": {"type": "integer", "minimum": 0},
        "note": {"type": "string"},
    },
    "required": ["date", "person", "minutes", "note"],
    "additionalProperties": False,
}


def _field_schema(f: FieldSpec) -> dict[str, Any]:
    if f.kind == "time_log":
        body: dict[str, Any] = {"type": "array", "items": _TIME_ENTRY}
    elif f.kind in _ENTRY_LISTS:
        item = {"type": "object", "properties": {p.name: _field_schema(p) for p in f.parts}}
        body = {"type": "array", "items": item}
    elif f.parts:
        body = {
            "type": ["object", "null"],
            "properties": {p.name: _nullable(p) for p in f.parts},
            "additionalProperties": False,
        }
    else:
        body = _nullable(f)
    if f.choices:
        body = {**body, "enum": [*f.choices, None] if not f.required else list(f.choices)}
    return {"title": f.label, **({"description": f.help} if f.help else {}), **body}


def _nullable(f: FieldSpec) -> dict[str, Any]:
    base = dict(_TYPES.get(f.kind, {"type": "string"}))
    if base.get("type") == "array":
        return base
    return (
        {"anyOf": [base, {"type": "null"}]}
        if "properties" in base
        else {**base, "type": [base["type"], "null"]}
    )


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of `export`'s output."""
    records = {}
    for spec in RECORD_SPECS:
        props: dict[str, Any] = {
            "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"},
            "path": {"type": "string"},
        }
        props.update({f.name: _field_schema(f) for f in spec.fields})
        props["custom"] = {"type": "object"}
        props["body"] = {"type": "string", "description": spec.body}
        records[spec.folder] = {
            "type": "array",
            "description": spec.plural,
            "items": {
                "type": "object",
                "title": spec.label,
                "properties": props,
                "required": ["id", "path", *(f.name for f in spec.fields), "custom", "body"],
                "additionalProperties": False,
            },
        }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": _SCHEMA_ID,
        "title": "Plaindesk workspace export",
        "description": f"`plaindesk export json`, version {VERSION}",
        "type": "object",
        "properties": {
            "format": {"const": FORMAT},
            "version": {"const": VERSION},
            "settings": {"type": "object"},
            **records,
        },
        "required": ["format", "version", "settings", *records],
        "additionalProperties": False,
    }
