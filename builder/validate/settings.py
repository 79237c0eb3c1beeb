"""Read `workspace.yml` into `Settings`, with defaults so an empty file is a valid workspace."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from builder.load.yamltree import Mapping, Node, Scalar
from builder.model import (
    Column,
    CustomField,
    Pipeline,
    PortalDefaults,
    Settings,
    Stage,
    Workflow,
)
from builder.model.schema import CUSTOM_KINDS, LOCALES, RECORD_TYPES
from builder.problems import Problem
from builder.validate import values as v
from builder.validate.values import FieldError

FIELD_TYPES = tuple(CUSTOM_KINDS)

DEFAULT_WORKFLOW = Workflow(
    "default",
    "Default",
    (
        Column("backlog", "Backlog"),
        Column("todo", "To do"),
        Column("in-progress", "In progress", wip=5),
        Column("review", "Review", wip=3),
        Column("done", "Done"),
    ),
    done="done",
    backlog="backlog",
)
DEFAULT_PIPELINE = Pipeline(
    "sales",
    "Sales",
    (
        Stage("lead", "Lead", 10, 14),
        Stage("qualified", "Qualified", 25, 14),
        Stage("proposal", "Proposal", 50, 10),
        Stage("negotiation", "Negotiation", 70, 7),
        Stage("won", "Won", 100, None, "won"),
        Stage("lost", "Lost", 0, None, "lost"),
    ),
)


class _Reader:
    """Collects problems while reading one settings tree."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def fail(self, exc: FieldError, field: str = "") -> None:
        self.problems.append(
            Problem(exc.code, self.path, exc.node.line, exc.node.col, exc.message, exc.hint, field)
        )

    def problem(self, code: str, node: Node, message: str, hint: str, field: str = "") -> None:
        self.problems.append(Problem(code, self.path, node.line, node.col, message, hint, field))

    def read(self, node: Node, parse: Callable[[Node], Any], field: str = "") -> Any:
        try:
            return parse(node)
        except FieldError as exc:
            self.fail(exc, field)
            return None

    def known(self, m: Mapping, allowed: tuple[str, ...], where: str) -> None:
        for key, (knode, _) in m.items.items():
            if key not in allowed:
                self.problem(
                    "PD102",
                    knode,
                    f"unknown field `{v.shown(key)}` in {where}",
                    v.did_you_mean(key, allowed),
                    key,
                )


SETTINGS_FIELDS = (
    "name",
    "locale",
    "timezone",
    "today",
    "base_currency",
    "rates",
    "hours_per_day",
    "allow_raw_html",
    "default_workflow",
    "workflows",
    "default_pipeline",
    "pipelines",
    "custom_fields",
    "portal",
)


def read_settings(root: Mapping | None, path: str) -> tuple[Settings, list[Problem]]:
    """Settings from the tree (None = no workspace.yml: all defaults)."""
    r = _Reader(path)
    s = Settings(path=path)
    if root is None:
        s.workflows = {DEFAULT_WORKFLOW.id: DEFAULT_WORKFLOW}
        s.pipelines = {DEFAULT_PIPELINE.id: DEFAULT_PIPELINE}
        return s, []
    r.known(root, SETTINGS_FIELDS, "workspace.yml")
    f = {k: node for k, (_, node) in root.items.items()}
    s.pos = {k: (node.line, node.col) for k, (node, _) in root.items.items()}
    s.name = r.read(f["name"], v.text) or s.name if "name" in f else s.name
    if "locale" in f:
        s.locale = r.read(f["locale"], lambda n: v.choice(n, LOCALES), "locale") or s.locale
    if "timezone" in f:
        s.timezone = r.read(f["timezone"], _timezone, "timezone") or s.timezone
    if "today" in f:
        s.today = r.read(f["today"], v.a_date, "today")
    if "base_currency" in f:
        s.base_currency = r.read(f["base_currency"], _currency, "base_currency") or "USD"
    if "hours_per_day" in f:
        s.hours_per_day = r.read(f["hours_per_day"], lambda n: v.whole_number(n, 1, 24)) or 8
    if "allow_raw_html" in f:
        s.allow_raw_html = bool(r.read(f["allow_raw_html"], v.boolean))
    if "rates" in f:
        s.rates = _rates(r, f["rates"])
    s.workflows = _named(r, f.get("workflows"), "workflows", _workflow) or {
        DEFAULT_WORKFLOW.id: DEFAULT_WORKFLOW
    }
    s.pipelines = _named(r, f.get("pipelines"), "pipelines", _pipeline) or {
        DEFAULT_PIPELINE.id: DEFAULT_PIPELINE
    }
    s.default_workflow = _default(r, f.get("default_workflow"), s.workflows, "workflow")
    s.default_pipeline = _default(r, f.get("default_pipeline"), s.pipelines, "pipeline")
    if "custom_fields" in f:
        s.custom_fields = _custom_fields(r, f["custom_fields"])
    if "portal" in f:
        s.portal = _portal(r, f["portal"])
    return s, r.problems


def _web_address(node: Node) -> str:
    url = v.text(node).strip()
    if not url.startswith(("https://", "http://")) or " " in url:
        raise FieldError(
            "PD113",
            node,
            f"`{v.shown(url)}` is not a web address",
            "write the address the portals are published at, e.g. `https://status.example.com/`",
        )
    return url


def _timezone(node: Node) -> str:
    name = v.text(node)
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise FieldError(
            "PD103",
            node,
            f"unknown time zone `{v.shown(name)}`",
            "use an IANA name such as `Europe/Kyiv` or `UTC`",
        ) from None
    return name


def _currency(node: Node) -> str:
    code = v.text(node).strip()
    if code not in v.currencies():
        raise FieldError(
            "PD106",
            node,
            f"bad currency code `{v.shown(code)}`",
            "use an ISO 4217 code in capitals, e.g. `USD`",
        )
    return code


def _rates(r: _Reader, node: Node) -> dict[str, Decimal]:
    m = r.read(node, lambda n: v.mapping(n, "rates"))
    rates: dict[str, Decimal] = {}
    for code, (knode, vnode) in m.items.items() if m else ():
        if r.read(knode, _currency, "rates") is None:
            continue
        value = r.read(vnode, v.number, "rates")
        if value is not None and value <= 0:
            r.problem(
                "PD112",
                vnode,
                f"rate for {code} must be above zero",
                f"write how much one {code} is worth in the base currency",
            )
        elif value is not None:
            rates[code] = Decimal(str(value))
    return rates


def _named(
    r: _Reader, node: Node | None, what: str, parse_one: Callable[[_Reader, str, Mapping], Any]
) -> dict[str, Any]:
    if node is None:
        return {}
    m = r.read(node, lambda n: v.mapping(n, what))
    out: dict[str, Any] = {}
    for key, (knode, vnode) in m.items.items() if m else ():
        if r.read(knode, v.record_id, what) is None:
            continue
        body = r.read(vnode, lambda n: v.mapping(n, f"{what[:-1]} `{key}`"), what)
        if body is not None:
            item = parse_one(r, key, body)
            if item is not None:
                out[key] = item
    return out


def _items(r: _Reader, body: Mapping, key: str, what: str) -> list[tuple[str, Mapping]]:
    """A list of `- id` or `- {id: ..., name: ...}` items, each as (id, mapping)."""
    node = body.items.get(key, (None, None))[1]
    if node is None:
        r.problem("PD113", body, f"{what} has no `{key}`", f"add a `{key}:` list", key)
        return []
    nodes = r.read(node, lambda n: v.sequence(n, key)) or []
    out: list[tuple[str, Mapping]] = []
    for item in nodes:
        if isinstance(item, Scalar):
            item = Mapping(item.line, item.col, {"id": (item, item)})
        if not isinstance(item, Mapping) or "id" not in item.items:
            r.problem(
                "PD113",
                item,
                f"each of {what}'s {key} needs an `id`",
                "write `- {id: review, name: Review}` or just `- review`",
                key,
            )
            continue
        ident = r.read(item.items["id"][1], v.record_id, key)
        if ident is None:
            continue
        if any(ident == seen for seen, _ in out):
            r.problem(
                "PD113",
                item,
                f"`{ident}` appears twice in {what}'s {key}",
                "give each one its own id",
                key,
            )
            continue
        out.append((ident, item))
    if not out and nodes:
        r.problem("PD113", node, f"{what} has no usable {key}", "list at least one", key)
    return out


def _opt_int(r: _Reader, item: Mapping, key: str, low: int, high: int) -> int | None:
    node = item.items.get(key, (None, None))[1]
    if node is None or (isinstance(node, Scalar) and node.is_null):
        return None
    result: int | None = r.read(node, lambda n: v.whole_number(n, low, high), key)
    return result


def _title(r: _Reader, item: Mapping, ident: str) -> str:
    node = item.items.get("name", (None, None))[1]
    name = r.read(node, v.text) if node is not None else None
    return name or ident.replace("-", " ").capitalize()


def _workflow(r: _Reader, ident: str, body: Mapping) -> Workflow | None:
    r.known(body, ("name", "columns", "done", "backlog"), f"workflow `{ident}`")
    columns = []
    for cid, item in _items(r, body, "columns", f"workflow `{ident}`"):
        r.known(item, ("id", "name", "wip", "limit_days"), f"column `{cid}`")
        columns.append(
            Column(
                cid,
                _title(r, item, cid),
                _opt_int(r, item, "wip", 1, 10_000),
                _opt_int(r, item, "limit_days", 1, 10_000),
            )
        )
    if not columns:
        return None
    ids = [c.id for c in columns]
    done = _pick(r, body, "done", ids, ids[-1], f"workflow `{ident}`")
    backlog = _pick(r, body, "backlog", ids, ids[0], f"workflow `{ident}`")
    return Workflow(ident, _title(r, body, ident), tuple(columns), done, backlog)


def _pick(r: _Reader, body: Mapping, key: str, ids: list[str], default: str, what: str) -> str:
    node = body.items.get(key, (None, None))[1]
    if node is None:
        return default
    value = r.read(node, v.text, key)
    if value not in ids:
        r.problem(
            "PD113",
            node,
            f"{key} column `{v.shown(value or '')}` is not a column of {what}",
            v.did_you_mean(value or "", ids),
            key,
        )
        return default
    return str(value)


def _pipeline(r: _Reader, ident: str, body: Mapping) -> Pipeline | None:
    r.known(body, ("name", "stages"), f"pipeline `{ident}`")
    stages = []
    for sid, item in _items(r, body, "stages", f"pipeline `{ident}`"):
        r.known(item, ("id", "name", "probability", "idle_days", "outcome"), f"stage `{sid}`")
        outcome_node = item.items.get("outcome", (None, None))[1]
        outcome = (
            r.read(outcome_node, lambda n: v.choice(n, ("won", "lost")), "outcome")
            if outcome_node is not None
            else None
        )
        default_p = 100 if outcome == "won" else 0 if outcome == "lost" else 50
        probability = _opt_int(r, item, "probability", 0, 100)
        stages.append(
            Stage(
                sid,
                _title(r, item, sid),
                default_p if probability is None else probability,
                _opt_int(r, item, "idle_days", 1, 10_000),
                outcome,
            )
        )
    if not stages:
        return None
    return Pipeline(ident, _title(r, body, ident), tuple(stages))


def _default(r: _Reader, node: Node | None, named: dict[str, Any], what: str) -> str:
    first = next(iter(named))
    if node is None:
        return first
    value = r.read(node, v.text, f"default_{what}")
    if value not in named:
        r.problem(
            "PD205",
            node,
            f"unknown {what} `{v.shown(value or '')}`",
            v.did_you_mean(value or "", named),
            f"default_{what}",
        )
        return first
    return str(value)


def _custom_fields(r: _Reader, node: Node) -> dict[str, dict[str, CustomField]]:
    from builder.validate.fields import BUILTIN_FIELDS  # the built-ins it must not shadow

    m = r.read(node, lambda n: v.mapping(n, "custom_fields"))
    out: dict[str, dict[str, CustomField]] = {}
    for kind, (knode, body) in m.items.items() if m else ():
        if kind not in RECORD_TYPES:
            r.problem(
                "PD113",
                knode,
                f"custom fields for unknown record type `{v.shown(kind)}`",
                v.did_you_mean(kind, RECORD_TYPES),
                "custom_fields",
            )
            continue
        fields = r.read(body, lambda n: v.mapping(n, f"custom fields of {kind}")) or Mapping(0, 0)
        for name, (fnode, spec_node) in fields.items.items():
            if name in BUILTIN_FIELDS[kind]:
                r.problem(
                    "PD113",
                    fnode,
                    f"custom field `{v.shown(name)}` shadows a built-in field",
                    "choose another name",
                    "custom_fields",
                )
                continue
            spec = r.read(spec_node, lambda n: v.mapping(n, f"custom field `{name}`"))
            if spec is None:
                continue
            r.known(spec, ("type", "label", "choices"), f"custom field `{name}`")
            tnode = spec.items.get("type", (None, None))[1]
            if tnode is None:
                r.problem(
                    "PD113",
                    spec,
                    f"custom field `{name}` has no `type`",
                    "add `type:` bool, choice, text, number or date",
                    "custom_fields",
                )
                continue
            ftype = r.read(tnode, lambda n: v.choice(n, FIELD_TYPES), "type")
            if ftype is None:
                continue
            choices: list[str] = []
            if ftype == "choice":
                cnode = spec.items.get("choices", (None, None))[1]
                choices = (r.read(cnode, v.str_list, "choices") or []) if cnode else []
                if not choices:
                    r.problem(
                        "PD113",
                        spec,
                        f"choice field `{name}` has no `choices`",
                        "add `choices: [a, b]`",
                        "custom_fields",
                    )
                    continue
            out.setdefault(kind, {})[name] = CustomField(
                name, ftype, _title(r, spec, name).replace("_", " "), tuple(choices)
            )
    return out


def _portal(r: _Reader, node: Node) -> PortalDefaults:
    m = r.read(node, lambda n: v.mapping(n, "portal"))
    p = PortalDefaults()
    if m is None:
        return p
    r.known(m, ("assignee", "done_recent_days", "base_url"), "portal")
    if "base_url" in m.items:
        p.base_url = r.read(m.items["base_url"][1], _web_address, "portal") or ""
    if "assignee" in m.items:
        p.assignee = (
            r.read(m.items["assignee"][1], lambda n: v.choice(n, ("first_name", "role")))
            or p.assignee
        )
    days = _opt_int(r, m, "done_recent_days", 1, 3650)
    if days is not None:
        p.done_recent_days = days
    return p


def effective_today(settings: Settings, today: date | None) -> date:
    """The CLI's --today, else the workspace's pinned today, else the date in its time zone."""
    if today is not None:
        return today
    if settings.today is not None:
        return settings.today
    from datetime import datetime

    return datetime.now(ZoneInfo(settings.timezone)).date()
