"""Per-record field validation: a schema per record type turns a front matter tree into a
typed record. Every field is parsed independently, so one bad field never hides another."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from builder.load.files import RawRecord
from builder.load.yamltree import Node, Scalar
from builder.model import (
    Company,
    CompanyPortal,
    Contact,
    CustomField,
    Deal,
    Metric,
    NextStep,
    Person,
    Project,
    Record,
    Settings,
    Task,
    TimeEntry,
)
from builder.problems import Problem
from builder.validate import values as v
from builder.validate.values import FieldError

Parser = Callable[[Node, Settings], Any]

COMPANY_KINDS = ("client", "partner", "media", "prospect")
PROJECT_STATUSES = ("planned", "active", "on-hold", "done", "cancelled")
PRIORITIES = ("low", "normal", "high", "urgent")


def _p(fn: Callable[[Node], Any]) -> Parser:
    return lambda node, _settings: fn(node)


def _choice(options: tuple[str, ...]) -> Parser:
    return lambda node, _s: v.choice(node, options)


def _duration(node: Node, s: Settings) -> int:
    return v.duration(node, s.hours_per_day)


def _money(node: Node, s: Settings) -> Any:
    return v.money(node, s.base_currency)


def _capacity(node: Node, s: Settings) -> float:
    if isinstance(node, Scalar) and node.plain and v._NUMBER.match(node.value.strip()):
        hours = v.number(node)
        if hours < 0:
            raise FieldError(
                "PD112",
                node,
                f"negative capacity `{v.shown(node.value)}`",
                "capacity is hours per week, e.g. `40`",
            )
        if hours > v.MAX_HOURS:
            raise FieldError(
                "PD103",
                node,
                f"capacity `{v.shown(node.value.strip())}` is too large",
                f"capacity is hours per week, e.g. `40`, at most {v.MAX_HOURS}",
            )
        return hours
    return v.duration(node, s.hours_per_day) / 60


def _probability(node: Node, _s: Settings) -> int:
    return v.whole_number(node, 0, 100)


def _portal(node: Node, _s: Settings) -> CompanyPortal:
    m = v.mapping(node, "portal settings")
    portal = CompanyPortal()
    for key, (knode, vnode) in m.items.items():
        if key == "enabled":
            portal.enabled = v.boolean(vnode)
        elif key == "locale":
            portal.locale = v.choice(vnode, ("en", "ru", "uk"))
        else:
            raise FieldError(
                "PD102",
                knode,
                f"unknown field `portal.{v.shown(key)}`",
                v.did_you_mean(key, ("enabled", "locale")),
            )
    return portal


def _metrics(node: Node, _s: Settings) -> list[Metric]:
    out = []
    for item in v.sequence(node, "metrics"):
        m = v.mapping(item, "a metric")
        f = {k: n for k, (_, n) in m.items.items()}
        for key, (knode, _) in m.items.items():
            if key not in ("name", "target", "actual", "unit"):
                raise FieldError(
                    "PD102",
                    knode,
                    f"unknown field `{v.shown(key)}` in a metric",
                    v.did_you_mean(key, ("name", "target", "actual", "unit")),
                )
        if "name" not in f:
            raise FieldError(
                "PD101",
                m,
                "metric without `name`",
                "write `- {name: Press mentions, target: 40, actual: 12}`",
            )

        def num(key: str) -> float | None:
            n = f.get(key)
            return None if n is None or (isinstance(n, Scalar) and n.is_null) else v.number(n)

        out.append(
            Metric(
                v.text(f["name"]),
                num("target"),
                num("actual"),
                v.text(f["unit"]) if "unit" in f else "",
            )
        )
    return out


_TIME_HINT = (
    "write `- {date: 2026-03-03, person: anna-k, spent: 2h, note: ...}` "
    "or `- 2026-03-03 anna-k 2h note`"
)


def _time_log(node: Node, s: Settings) -> list[TimeEntry]:
    entries = []
    for item in v.sequence(node, "time log"):
        if isinstance(item, Scalar):
            parts = item.value.split(None, 3)
            if len(parts) < 3:
                raise FieldError(
                    "PD111", item, f"malformed time-log entry `{v.shown(item.value)}`", _TIME_HINT
                )
            when, who, spent = parts[:3]
            note = parts[3] if len(parts) > 3 else ""
            try:
                day = v.parse_date(when)
            except ValueError as exc:
                raise FieldError(
                    "PD111",
                    item,
                    f"time-log entry has bad date `{v.shown(when)}`: {exc}",
                    _TIME_HINT,
                ) from None
            try:
                minutes = v.parse_duration(spent, s.hours_per_day)
            except (ValueError, ArithmeticError):
                raise FieldError(
                    "PD111",
                    item,
                    f"time-log entry has bad duration `{v.shown(spent)}`",
                    "write the time spent as `2h`, `1h30m` or `45m`",
                ) from None
            person = Scalar(who, item.line, item.col)
            entries.append(TimeEntry(day, v.record_id(person), minutes, note, item.line, item.col))
            continue
        m = v.mapping(item, "a time-log entry")
        f = {k: n for k, (_, n) in m.items.items()}
        for key, (knode, _) in m.items.items():
            if key not in ("date", "person", "spent", "note"):
                raise FieldError(
                    "PD111",
                    knode,
                    f"unknown field `{v.shown(key)}` in a time-log entry",
                    v.did_you_mean(key, ("date", "person", "spent", "note")),
                )
        missing = [k for k in ("date", "person", "spent") if k not in f]
        if missing:
            raise FieldError("PD111", m, f"time-log entry without `{missing[0]}`", _TIME_HINT)
        entries.append(
            TimeEntry(
                v.a_date(f["date"]),
                v.record_id(f["person"]),
                v.duration(f["spent"], s.hours_per_day),
                v.text(f["note"]) if "note" in f else "",
                m.line,
                m.col,
            )
        )
    return entries


def _next_step(node: Node, _s: Settings) -> NextStep:
    if isinstance(node, Scalar):
        head, _, rest = node.value.strip().partition(" ")
        try:
            return NextStep(v.parse_date(head), rest.strip())
        except v.DateRangeError:  # a date, but one we cannot keep
            raise FieldError(
                "PD104",
                node,
                f"date `{v.shown(head)}` is out of range",
                f"{v.DATE_RANGE}; check the year",
            ) from None
        except ValueError:
            return NextStep(None, node.value.strip())
    m = v.mapping(node, "next step")
    f = {k: n for k, (_, n) in m.items.items()}
    for key, (knode, _) in m.items.items():
        if key not in ("date", "action"):
            raise FieldError(
                "PD102",
                knode,
                f"unknown field `next_step.{v.shown(key)}`",
                v.did_you_mean(key, ("date", "action")),
            )
    return NextStep(
        v.a_date(f["date"]) if "date" in f else None, v.text(f["action"]) if "action" in f else ""
    )


TEXT, DATE = _p(v.text), _p(v.a_date)
REF, REFS, TAGS = _p(v.record_id), _p(v.id_list), _p(v.str_list)
BOOL, EMAIL = _p(v.boolean), _p(v.email)

#: record type -> field -> (parser, required)
SCHEMAS: dict[str, dict[str, tuple[Parser, bool]]] = {
    "person": {
        "name": (TEXT, True),
        "role": (TEXT, False),
        "email": (EMAIL, False),
        "phone": (TEXT, False),
        "emails": (TAGS, False),
        "chat": (_p(v.str_map), False),
        "capacity": (_capacity, False),
        "rate": (_money, False),
        "active": (BOOL, False),
    },
    "company": {
        "name": (TEXT, True),
        "kind": (_choice(COMPANY_KINDS), True),
        "manager": (REF, False),
        "website": (TEXT, False),
        "portal": (_portal, False),
    },
    "contact": {
        "name": (TEXT, True),
        "company": (REF, False),
        "position": (TEXT, False),
        "tags": (TAGS, False),
        "email": (EMAIL, False),
        "phone": (TEXT, False),
        "chat": (_p(v.str_map), False),
        "owner": (REF, False),
        "follow_up": (DATE, False),
        "cadence": (_duration, False),
        "consent": (BOOL, False),
    },
    "project": {
        "name": (TEXT, True),
        "company": (REF, True),
        "manager": (REF, False),
        "status": (_choice(PROJECT_STATUSES), False),
        "start": (DATE, False),
        "due": (DATE, False),
        "workflow": (TEXT, False),
        "budget": (_money, False),
        "metrics": (_metrics, False),
        "client_summary": (TEXT, False),
    },
    "task": {
        "title": (TEXT, True),
        "project": (REF, True),
        "status": (TEXT, False),
        "assignee": (REF, False),
        "participants": (REFS, False),
        "start": (DATE, False),
        "due": (DATE, False),
        "estimate": (_duration, False),
        "time": (_time_log, False),
        "tags": (TAGS, False),
        "priority": (_choice(PRIORITIES), False),
        "client_visible": (BOOL, False),
        "price": (_money, False),
    },
    "deal": {
        "title": (TEXT, True),
        "company": (REF, True),
        "contact": (REF, False),
        "pipeline": (TEXT, False),
        "stage": (TEXT, True),
        "owner": (REF, False),
        "amount": (_money, False),
        "probability": (_probability, False),
        "expected_close": (DATE, False),
        "next_step": (_next_step, False),
        "updated": (DATE, False),
        "source": (TEXT, False),
        "lost_reason": (TEXT, False),
    },
}
BUILTIN_FIELDS = {kind: set(schema) for kind, schema in SCHEMAS.items()}
CLASSES: dict[str, type[Record]] = {
    "person": Person,
    "company": Company,
    "contact": Contact,
    "project": Project,
    "task": Task,
    "deal": Deal,
}


def _custom_parser(field: CustomField) -> Parser:
    if field.type == "bool":
        return BOOL
    if field.type == "choice":
        return _choice(field.choices)
    if field.type == "number":
        return _p(v.number)
    if field.type == "date":
        return DATE
    return TEXT


def build_record(raw: RawRecord, settings: Settings) -> tuple[Record, list[Problem]]:
    """The typed record for one raw record, and the problems of its fields."""
    schema = SCHEMAS[raw.type]
    custom = settings.custom_fields.get(raw.type, {})
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    pos: dict[str, tuple[int, int]] = {}
    for key, (knode, vnode) in raw.fields.items.items():
        pos[key] = (vnode.line, vnode.col)  # where the value starts
        if key in schema:
            parse = schema[key][0]
        elif key in custom:
            parse = _custom_parser(custom[key])
        else:
            hint = v.did_you_mean(key, [*schema, *custom])
            if not hint.startswith("did you mean"):  # a new field, not a typo
                hint = f"declare it under custom_fields.{raw.type} in workspace.yml"
            problems.append(
                Problem(
                    "PD102",
                    raw.path,
                    knode.line,
                    knode.col,
                    f"unknown field `{v.shown(key)}`",
                    hint,
                    key,
                )
            )
            continue
        if isinstance(vnode, Scalar) and vnode.is_null:
            continue  # an empty value is the same as an absent field
        try:
            value = parse(vnode, settings)
        except FieldError as exc:
            problems.append(
                Problem(exc.code, raw.path, exc.node.line, exc.node.col, exc.message, exc.hint, key)
            )
            continue
        if key in schema and schema[key][1] and isinstance(value, str) and not value.strip():
            # `title: ""` is no title: every page and link shows it, and `stage: ""` no stage
            problems.append(
                Problem(
                    "PD101",
                    raw.path,
                    vnode.line,
                    vnode.col,
                    f"required field `{key}` is empty",
                    f"write the {key} after `{key}:`",
                    key,
                )
            )
            continue
        (values if key in schema else extra)[key] = value
    for key, (_, required) in schema.items():
        if required and key not in values and not any(p.field == key for p in problems):
            problems.append(
                Problem(
                    "PD101",
                    raw.path,
                    1,
                    1,
                    f"required field `{key}` missing",
                    f"add `{key}:` to the front matter",
                    key,
                )
            )
    record = CLASSES[raw.type](
        id=raw.id,
        path=raw.path,
        body=raw.body,
        body_line=raw.body_line,
        digest=raw.digest,
        pos=pos,
        custom=extra,
        **values,
    )
    _due_after_start(record, problems)
    return record, problems


def _due_after_start(record: Record, problems: list[Problem]) -> None:
    start: date | None = getattr(record, "start", None)
    due: date | None = getattr(record, "due", None)
    if start is not None and due is not None and due < start:
        line, col = record.at("due")
        problems.append(
            Problem(
                "PD110",
                record.path,
                line,
                col,
                f"due {due.isoformat()} is before start {start.isoformat()}",
                "move the due date later or the start earlier",
                "due",
            )
        )
