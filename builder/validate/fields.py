"""Per-record field validation: a schema per record type turns a front matter tree into a
typed record. Every field is parsed independently, so one bad field never hides another."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any, cast

from builder.load.files import RawRecord
from builder.load.yamltree import Node, Scalar
from builder.model import (
    CompanyPortal,
    Metric,
    NextStep,
    OutreachEntry,
    Record,
    Settings,
    TimeEntry,
)
from builder.model.schema import (
    CHANNELS,
    LOCALES,
    METRIC_SOURCES,
    RECORD_SPECS,
    REPLIES,
    SPECS,
    Better,
    FieldSpec,
    Reply,
    ValueKind,
    record_fields,
)
from builder.problems import Problem
from builder.validate import values
from builder.validate.values import FieldError

Parser = Callable[[Node, Settings], Any]


def _spec(record_type: str, name: str) -> FieldSpec:
    spec = SPECS[record_type].field(name)
    assert spec is not None
    return spec


# the keys a structured field's mappings may hold, from the schema
_PORTAL_KEYS = _spec("company", "portal").part_names
_METRIC_KEYS = _spec("project", "metrics").part_names
_METRIC_BETTER = next(p for p in _spec("project", "metrics").parts if p.name == "better")
_TIME_KEYS = _spec("task", "time").part_names
_TIME_REQUIRED = tuple(p.name for p in _spec("task", "time").parts if p.required)
_NEXT_STEP_KEYS = _spec("deal", "next_step").part_names
_OUTREACH_KEYS = _spec("contact", "log").part_names
_OUTREACH_REQUIRED = tuple(p.name for p in _spec("contact", "log").parts if p.required)


def _p(fn: Callable[[Node], Any]) -> Parser:
    return lambda node, _settings: fn(node)


def _choice(options: tuple[str, ...]) -> Parser:
    return lambda node, _settings: values.choice(node, options)


def _duration(node: Node, settings: Settings) -> int:
    return values.duration(node, settings.hours_per_day)


def _money(node: Node, settings: Settings) -> Any:
    return values.money(node, settings.base_currency)


def _capacity(node: Node, settings: Settings) -> float:
    if isinstance(node, Scalar) and node.plain and values._NUMBER.match(node.value.strip()):
        hours = values.number(node)
        if hours < 0:
            raise FieldError(
                "PD112",
                node,
                f"negative capacity `{values.shown(node.value)}`",
                "capacity is hours per week, e.g. `40`",
            )
        if hours > values.MAX_HOURS:
            raise FieldError(
                "PD103",
                node,
                f"capacity `{values.shown(node.value.strip())}` is too large",
                f"capacity is hours per week, e.g. `40`, at most {values.MAX_HOURS}",
            )
        return hours
    return values.duration(node, settings.hours_per_day) / 60


def _probability(node: Node, _settings: Settings) -> int:
    return values.whole_number(node, 0, 100)


def _portal(node: Node, _settings: Settings) -> CompanyPortal:
    m = values.mapping(node, "portal settings")
    portal = CompanyPortal()
    for key, (knode, vnode) in m.items.items():
        if key == "enabled":
            portal.enabled = values.boolean(vnode)
        elif key == "locale":
            portal.locale = values.choice(vnode, LOCALES)
        else:
            raise FieldError(
                "PD102",
                knode,
                f"unknown field `portal.{values.shown(key)}`",
                values.did_you_mean(key, _PORTAL_KEYS),
            )
    return portal


def _better(node: Node | None) -> Better:
    # the choices and the default are the schema's (a metric's `better` part)
    if node is None or (isinstance(node, Scalar) and node.is_null):
        return cast(Better, _METRIC_BETTER.default)
    return cast(Better, values.choice(node, _METRIC_BETTER.choices))


def _metrics(node: Node, _settings: Settings) -> list[Metric]:
    out = []
    for item in values.sequence(node, "metrics"):
        m = values.mapping(item, "a metric")
        nodes = {k: n for k, (_, n) in m.items.items()}
        for key, (knode, _) in m.items.items():
            if key not in _METRIC_KEYS:
                raise FieldError(
                    "PD102",
                    knode,
                    f"unknown field `{values.shown(key)}` in a metric",
                    values.did_you_mean(key, _METRIC_KEYS),
                )
        if "name" not in nodes:
            raise FieldError(
                "PD101",
                m,
                "metric without `name`",
                "write `- {name: Press mentions, target: 40, actual: 12}`",
            )

        def num(key: str) -> float | None:
            n = nodes.get(key)
            if n is None or (isinstance(n, Scalar) and (n.is_null or n.value == "")):
                return None  # `""`: a number the CMS's form left empty
            return values.number(n)

        better = nodes.get("better")
        source = nodes.get("from")
        out.append(
            Metric(
                values.text(nodes["name"]),
                num("target"),
                num("actual"),
                values.text(nodes["unit"]) if "unit" in nodes else "",
                source=None
                if source is None or (isinstance(source, Scalar) and source.is_null)
                else values.choice(source, METRIC_SOURCES),
                better=_better(better),
            )
        )
    return out


_TIME_HINT = (
    "write `- {date: 2026-03-03, person: anna-k, spent: 2h, note: ...}` "
    "or `- 2026-03-03 anna-k 2h note`"
)


def _time_log(node: Node, settings: Settings) -> list[TimeEntry]:
    entries = []
    for item in values.sequence(node, "time log"):
        if isinstance(item, Scalar):
            parts = item.value.split(None, 3)
            if len(parts) < 3:
                raise FieldError(
                    "PD111",
                    item,
                    f"malformed time-log entry `{values.shown(item.value)}`",
                    _TIME_HINT,
                )
            when, who, spent = parts[:3]
            note = parts[3] if len(parts) > 3 else ""
            try:
                day = values.parse_date(when)
            except ValueError as exc:
                raise FieldError(
                    "PD111",
                    item,
                    f"time-log entry has bad date `{values.shown(when)}`: {exc}",
                    _TIME_HINT,
                ) from None
            try:
                minutes = values.parse_duration(spent, settings.hours_per_day)
            except (ValueError, ArithmeticError):
                raise FieldError(
                    "PD111",
                    item,
                    f"time-log entry has bad duration `{values.shown(spent)}`",
                    "write the time spent as `2h`, `1h30m` or `45m`",
                ) from None
            person = Scalar(who, item.line, item.col)
            entries.append(
                TimeEntry(day, values.record_id(person), minutes, note, item.line, item.col)
            )
            continue
        m = values.mapping(item, "a time-log entry")
        nodes = {k: n for k, (_, n) in m.items.items()}
        for key, (knode, _) in m.items.items():
            if key not in _TIME_KEYS:
                raise FieldError(
                    "PD111",
                    knode,
                    f"unknown field `{values.shown(key)}` in a time-log entry",
                    values.did_you_mean(key, _TIME_KEYS),
                )
        missing = [k for k in _TIME_REQUIRED if k not in nodes]
        if missing:
            raise FieldError("PD111", m, f"time-log entry without `{missing[0]}`", _TIME_HINT)
        entries.append(
            TimeEntry(
                values.a_date(nodes["date"]),
                values.record_id(nodes["person"]),
                values.duration(nodes["spent"], settings.hours_per_day),
                values.text(nodes["note"]) if "note" in nodes else "",
                m.line,
                m.col,
            )
        )
    return entries


_OUTREACH_HINT = (
    "write `- 2026-03-10 anna-k email season-2026 replied note` (the channel may be left "
    "out) or `- {date: 2026-03-10, person: anna-k, about: season-2026, outcome: replied}`"
)
#: a web address in a one-line entry's note: the entry's link
_URL = re.compile(r"https?://\S+")


def _outcome(value: str, node: Node) -> Reply:
    if value not in REPLIES:
        raise FieldError(
            "PD107",
            node,
            f"`{values.shown(value)}` is not an outreach outcome",
            values.did_you_mean(value, REPLIES),
        )
    return value


def _outreach_line(item: Scalar) -> OutreachEntry:
    """`DATE PERSON [CHANNEL] ABOUT OUTCOME [NOTE]`; a web address in the note is the link."""
    words = item.value.split()
    rest = words[2:]
    channel = ""
    if rest and rest[0] in CHANNELS and not (len(rest) > 1 and rest[1] in REPLIES):
        # a subject may be named like a channel (a project `other`): an outcome right after
        # it says which it is
        channel = rest.pop(0)
    elif len(rest) > 2 and rest[1] not in REPLIES and rest[2] in REPLIES:
        # three words before a known outcome: the first of them meant to be a channel
        raise FieldError(
            "PD107",
            item,
            f"`{values.shown(rest[0])}` is not a channel",
            values.did_you_mean(rest[0], CHANNELS),
        )
    if len(words) < 2 or len(rest) < 2:
        raise FieldError(
            "PD116",
            item,
            f"malformed outreach entry `{values.shown(item.value)}`",
            _OUTREACH_HINT,
        )
    try:
        day = values.parse_date(words[0])
    except ValueError as exc:
        raise FieldError(
            "PD116",
            item,
            f"outreach entry has bad date `{values.shown(words[0])}`: {exc}",
            _OUTREACH_HINT,
        ) from None
    person = values.record_id(Scalar(words[1], item.line, item.col))
    about = values.record_id(Scalar(rest[0], item.line, item.col))
    note = " ".join(rest[2:])
    found = _URL.search(note)
    link = found.group() if found else ""
    if found:
        note = " ".join(f"{note[: found.start()]} {note[found.end() :]}".split())
    outcome = _outcome(rest[1], item)
    return OutreachEntry(day, person, channel, about, outcome, link, note, item.line, item.col)


def _outreach_log(node: Node, _settings: Settings) -> list[OutreachEntry]:
    entries = []
    for item in values.sequence(node, "outreach log"):
        if isinstance(item, Scalar):
            entries.append(_outreach_line(item))
            continue
        m = values.mapping(item, "an outreach entry")
        nodes = {k: n for k, (_, n) in m.items.items()}
        for key, (knode, _) in m.items.items():
            if key not in _OUTREACH_KEYS:
                raise FieldError(
                    "PD116",
                    knode,
                    f"unknown field `{values.shown(key)}` in an outreach entry",
                    values.did_you_mean(key, _OUTREACH_KEYS),
                )
        missing = [k for k in _OUTREACH_REQUIRED if k not in nodes]
        if missing:
            raise FieldError("PD116", m, f"outreach entry without `{missing[0]}`", _OUTREACH_HINT)

        def text(key: str) -> str:
            return values.text(nodes[key]).strip() if key in nodes else ""

        entries.append(
            OutreachEntry(
                values.a_date(nodes["date"]),
                values.record_id(nodes["person"]),
                values.choice(nodes["channel"], CHANNELS) if "channel" in nodes else "",
                values.record_id(nodes["about"]),
                _outcome(values.text(nodes["outcome"]).strip(), nodes["outcome"]),
                text("link"),
                text("note"),
                m.line,
                m.col,
            )
        )
    return entries


def _next_step(node: Node, _settings: Settings) -> NextStep:
    if isinstance(node, Scalar):
        head, _, rest = node.value.strip().partition(" ")
        try:
            return NextStep(values.parse_date(head), rest.strip())
        except values.DateRangeError:  # a date, but one we cannot keep
            raise FieldError(
                "PD104",
                node,
                f"date `{values.shown(head)}` is out of range",
                f"{values.DATE_RANGE}; check the year",
            ) from None
        except ValueError:
            return NextStep(None, node.value.strip())
    m = values.mapping(node, "next step")
    nodes = {k: n for k, (_, n) in m.items.items()}
    for key, (knode, _) in m.items.items():
        if key not in _NEXT_STEP_KEYS:
            raise FieldError(
                "PD102",
                knode,
                f"unknown field `next_step.{values.shown(key)}`",
                values.did_you_mean(key, _NEXT_STEP_KEYS),
            )
    return NextStep(
        values.a_date(nodes["date"]) if "date" in nodes else None,
        values.text(nodes["action"]) if "action" in nodes else "",
    )


def _channels(node: Node, _settings: Settings) -> list[str]:
    """Notification channels: Apprise URLs whose secrets are `{ENV_VAR}` placeholders.
    A secret written in the record would sit in git for good, readable by everyone who
    can clone it: refused (PD114), as is a scheme Apprise does not know (PD115)."""
    urls = values.str_list(node)
    items: list[Node] = [node] if isinstance(node, Scalar) else list(getattr(node, "items", []))
    if not urls:
        return []
    from builder.notify.channels import check_channel

    for url, item in zip(urls, items, strict=False):
        problem = check_channel(url)
        if problem is not None:
            raise FieldError(problem.code, item, problem.message, problem.hint)
    return urls


TEXT, DATE, BOOL = _p(values.text), _p(values.a_date), _p(values.boolean)

#: value kind -> parser (`choice` is special: its options come from the field)
KIND_PARSERS: dict[ValueKind, Parser] = {
    "text": TEXT,
    "email": _p(values.email),
    "phone": TEXT,
    "url": TEXT,
    "date": DATE,
    "duration": _duration,
    "interval": _p(values.interval),
    "hours": _capacity,
    "money": _money,
    "number": _p(values.number),
    "percent": _probability,
    "bool": BOOL,
    "ref": _p(values.record_id),
    "refs": _p(values.id_list),
    "tags": _p(values.str_list),
    "handles": _p(values.str_map),
    "portal": _portal,
    "metrics": _metrics,
    "time_log": _time_log,
    "outreach_log": _outreach_log,
    "next_step": _next_step,
    "channels": _channels,
}


def parser_for(spec: FieldSpec) -> Parser:
    """The parser of a field. A choice among the settings' workflows, columns, pipelines or
    stages is read as text here: which list applies depends on other records, so the
    cross-record rules check it."""
    if spec.kind != "choice":
        return KIND_PARSERS[spec.kind]
    if spec.choices:
        return _choice(spec.choices)
    if spec.choices_from == "locales":
        return _choice(LOCALES)
    return TEXT


#: record type -> field -> (parser, required), derived from the schema
SCHEMAS: dict[str, dict[str, tuple[Parser, bool]]] = {
    spec.type: {f.name: (parser_for(f), f.required) for f in spec.fields} for spec in RECORD_SPECS
}
BUILTIN_FIELDS = {spec.type: set(spec.names) for spec in RECORD_SPECS}


def build_record(raw: RawRecord, settings: Settings) -> tuple[Record, list[Problem]]:
    """The typed record for one raw record, and the problems of its fields."""
    schema = SCHEMAS[raw.type]
    custom = {f.name: f for f in record_fields(raw.type, settings) if f.custom}
    problems: list[Problem] = []
    given: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    pos: dict[str, tuple[int, int]] = {}
    for key, (knode, vnode) in raw.fields.items.items():
        pos[key] = (vnode.line, vnode.col)  # where the value starts
        if key in schema:
            parse = schema[key][0]
        elif key in custom:
            parse = parser_for(custom[key])
        else:
            hint = values.did_you_mean(key, [*schema, *custom])
            if not hint.startswith("did you mean"):  # a new field, not a typo
                hint = f"declare it under custom_fields.{raw.type} in workspace.yml"
            problems.append(
                Problem(
                    "PD102",
                    raw.path,
                    knode.line,
                    knode.col,
                    f"unknown field `{values.shown(key)}`",
                    hint,
                    key,
                )
            )
            continue
        if isinstance(vnode, Scalar) and (
            vnode.is_null or (vnode.value == "" and not (key in schema and schema[key][1]))
        ):
            # an empty value is the same as an absent field; so is an optional field's
            # `""`, which is how the admin page's CMS saves a field someone emptied
            continue
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
        (given if key in schema else extra)[key] = value
    for key, (_, required) in schema.items():
        if required and key not in given and not any(p.field == key for p in problems):
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
    record = SPECS[raw.type].cls(
        id=raw.id,
        path=raw.path,
        body=raw.body,
        body_line=raw.body_line,
        digest=raw.digest,
        pos=pos,
        custom=extra,
        **given,
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
