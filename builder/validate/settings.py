"""Read `workspace.yml` into `Settings`, with defaults so an empty file is a valid workspace."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from builder.load.yamltree import Mapping, Node, Scalar
from builder.model import (
    Audience,
    Column,
    CustomField,
    NotifySettings,
    Pipeline,
    PortalDefaults,
    Settings,
    Stage,
    Workflow,
)
from builder.model.schema import (
    BILLINGS,
    CUSTOM_FIELD_TYPES,
    LOCALES,
    OUTCOMES,
    PORTAL_ASSIGNEES,
    RECORD_TYPES,
    SECTIONS,
    SENSITIVITIES,
    Sensitivity,
    record_fields,
)
from builder.problems import Problem
from builder.validate import values
from builder.validate.values import FieldError

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

    def __init__(self, path: str, phone_regions: bool = True) -> None:
        self.path = path
        self.phone_regions = phone_regions
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
                    f"unknown field `{values.shown(key)}` in {where}",
                    values.did_you_mean(key, allowed),
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
    "chase_after_days",
    "allow_raw_html",
    "phone_region",
    "default_workflow",
    "workflows",
    "default_pipeline",
    "pipelines",
    "custom_fields",
    "portal",
    "notify",
    "billing",
    "follow_up_from_cadence",
    "audiences",
)


def read_settings(
    root: Mapping | None, path: str, *, phone_regions: bool = True
) -> tuple[Settings, list[Problem]]:
    """Settings from the tree (None = no workspace.yml: all defaults).

    `phone_regions=False` takes `phone_region` as written (upper-cased) without checking it
    against libphonenumber's regions: for the edit commands, which read no phone number and
    should not pay phonenumbers' import (a tenth of a `plaindesk move`); `check`, `build`
    and `serve` still report a wrong one."""
    reader = _Reader(path, phone_regions)
    settings = Settings(path=path)
    if root is None:
        settings.workflows = {DEFAULT_WORKFLOW.id: DEFAULT_WORKFLOW}
        settings.pipelines = {DEFAULT_PIPELINE.id: DEFAULT_PIPELINE}
        return settings, []
    reader.known(root, SETTINGS_FIELDS, "workspace.yml")
    nodes = {k: node for k, (_, node) in root.items.items()}
    settings.pos = {k: (node.line, node.col) for k, (node, _) in root.items.items()}
    settings.name = (
        reader.read(nodes["name"], values.text) or settings.name
        if "name" in nodes
        else settings.name
    )
    _read_values(reader, nodes, settings)
    settings.workflows = _named(reader, nodes.get("workflows"), "workflows", _workflow) or {
        DEFAULT_WORKFLOW.id: DEFAULT_WORKFLOW
    }
    settings.pipelines = _named(reader, nodes.get("pipelines"), "pipelines", _pipeline) or {
        DEFAULT_PIPELINE.id: DEFAULT_PIPELINE
    }
    settings.default_workflow = _default(
        reader, nodes.get("default_workflow"), settings.workflows, "workflow"
    )
    settings.default_pipeline = _default(
        reader, nodes.get("default_pipeline"), settings.pipelines, "pipeline"
    )
    if "custom_fields" in nodes:
        settings.custom_fields = _custom_fields(reader, nodes["custom_fields"])
    if "portal" in nodes:
        settings.portal = _portal(reader, nodes["portal"])
    if "notify" in nodes:
        settings.notify = _notify(reader, nodes["notify"])
    _reports(reader, nodes, settings)
    if "audiences" in nodes:  # after the custom fields, which it may name
        settings.audiences = _named(
            reader,
            nodes["audiences"],
            "audiences",
            lambda r, ident, body: _audience(r, ident, body, settings),
        )
    return settings, reader.problems


def _read_values(reader: _Reader, nodes: dict[str, Node], settings: Settings) -> None:
    """The settings that are one value each (the locale, time zone, currency, ...)."""
    if "locale" in nodes:
        settings.locale = (
            reader.read(nodes["locale"], lambda n: values.choice(n, LOCALES), "locale")
            or settings.locale
        )
    if "timezone" in nodes:
        settings.timezone = (
            reader.read(nodes["timezone"], _timezone, "timezone") or settings.timezone
        )
    if "today" in nodes:
        settings.today = reader.read(nodes["today"], values.a_date, "today")
    if "base_currency" in nodes:
        settings.base_currency = (
            reader.read(nodes["base_currency"], _currency, "base_currency") or "USD"
        )
    if "hours_per_day" in nodes:
        settings.hours_per_day = (
            reader.read(nodes["hours_per_day"], lambda n: values.whole_number(n, 1, 24)) or 8
        )
    if "chase_after_days" in nodes:
        settings.chase_after_days = (
            reader.read(
                nodes["chase_after_days"],
                lambda n: values.whole_number(n, 1, 365),
                "chase_after_days",
            )
            or settings.chase_after_days
        )
    if "allow_raw_html" in nodes:
        settings.allow_raw_html = bool(reader.read(nodes["allow_raw_html"], values.boolean))
    if "phone_region" in nodes:
        read = _phone_region if reader.phone_regions else _region_as_written
        settings.phone_region = reader.read(nodes["phone_region"], read) or ""
    if "rates" in nodes:
        settings.rates = _rates(reader, nodes["rates"])


def _reports(reader: _Reader, nodes: dict[str, Node], settings: Settings) -> None:
    """The settings of the reports: how projects earn by default, and whether a contact's
    cadence gives a follow-up date when it has none."""
    if "billing" in nodes:
        settings.billing = (
            reader.read(nodes["billing"], lambda n: values.choice(n, BILLINGS), "billing")
            or settings.billing
        )
    if "follow_up_from_cadence" in nodes:
        found = reader.read(nodes["follow_up_from_cadence"], values.boolean)
        if found is not None:
            settings.follow_up_from_cadence = bool(found)


def _web_address(node: Node) -> str:
    url = values.text(node).strip()
    if not url.startswith(("https://", "http://")) or " " in url:
        raise FieldError(
            "PD113",
            node,
            f"`{values.shown(url)}` is not a web address",
            "write the address the portals are published at, e.g. `https://status.example.com/`",
        )
    return url


def _phone_region(node: Node) -> str:
    import phonenumbers  # its region data loads only for a workspace that sets this

    written = values.text(node).strip()
    code = written.upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise FieldError(
            "PD113",
            node,
            f"`{values.shown(written)}` is not a country phone numbers can be read in",
            "write a two-letter ISO 3166 country code, such as `UA` or `PL`",
        )
    return code


def _region_as_written(node: Node) -> str:
    return values.text(node).strip().upper()


def _timezone(node: Node) -> str:
    name = values.text(node)
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise FieldError(
            "PD103",
            node,
            f"unknown time zone `{values.shown(name)}`",
            "use an IANA name such as `Europe/Kyiv` or `UTC`",
        ) from None
    return name


def _currency(node: Node) -> str:
    code = values.text(node).strip()
    if not values.is_currency(code):
        raise FieldError(
            "PD106",
            node,
            f"bad currency code `{values.shown(code)}`",
            "use an ISO 4217 code in capitals, e.g. `USD`",
        )
    return code


def _rates(reader: _Reader, node: Node) -> dict[str, Decimal]:
    m = reader.read(node, lambda n: values.mapping(n, "rates"))
    rates: dict[str, Decimal] = {}
    for code, (knode, vnode) in m.items.items() if m else ():
        if reader.read(knode, _currency, "rates") is None:
            continue
        value = reader.read(vnode, values.number, "rates")
        if value is not None and value <= 0:
            reader.problem(
                "PD112",
                vnode,
                f"rate for {code} must be above zero",
                f"write how much one {code} is worth in the base currency",
            )
        elif value is not None:
            rates[code] = Decimal(str(value))
    return rates


def _named(
    reader: _Reader, node: Node | None, what: str, parse_one: Callable[[_Reader, str, Mapping], Any]
) -> dict[str, Any]:
    if node is None:
        return {}
    m = reader.read(node, lambda n: values.mapping(n, what))
    out: dict[str, Any] = {}
    for key, (knode, vnode) in m.items.items() if m else ():
        if reader.read(knode, values.record_id, what) is None:
            continue
        body = reader.read(vnode, lambda n: values.mapping(n, f"{what[:-1]} `{key}`"), what)
        if body is not None:
            item = parse_one(reader, key, body)
            if item is not None:
                out[key] = item
    return out


def _items(reader: _Reader, body: Mapping, key: str, what: str) -> list[tuple[str, Mapping]]:
    """A list of `- id` or `- {id: ..., name: ...}` items, each as (id, mapping)."""
    node = body.items.get(key, (None, None))[1]
    if node is None:
        reader.problem("PD113", body, f"{what} has no `{key}`", f"add a `{key}:` list", key)
        return []
    nodes = reader.read(node, lambda n: values.sequence(n, key)) or []
    out: list[tuple[str, Mapping]] = []
    for item in nodes:
        if isinstance(item, Scalar):
            item = Mapping(item.line, item.col, {"id": (item, item)})
        if not isinstance(item, Mapping) or "id" not in item.items:
            reader.problem(
                "PD113",
                item,
                f"each of {what}'s {key} needs an `id`",
                "write `- {id: review, name: Review}` or just `- review`",
                key,
            )
            continue
        ident = reader.read(item.items["id"][1], values.record_id, key)
        if ident is None:
            continue
        if any(ident == seen for seen, _ in out):
            reader.problem(
                "PD113",
                item,
                f"`{ident}` appears twice in {what}'s {key}",
                "give each one its own id",
                key,
            )
            continue
        out.append((ident, item))
    if not out and nodes:
        reader.problem("PD113", node, f"{what} has no usable {key}", "list at least one", key)
    return out


def _opt_int(reader: _Reader, item: Mapping, key: str, low: int, high: int) -> int | None:
    node = item.items.get(key, (None, None))[1]
    if node is None or (isinstance(node, Scalar) and node.is_null):
        return None
    result: int | None = reader.read(node, lambda n: values.whole_number(n, low, high), key)
    return result


def humanise(ident: str) -> str:
    """A display name for an id without one: `client-approval` -> `Client approval`. A short
    id reads as an abbreviation and stays in capitals (`pr` -> `PR`, `qa` -> `QA`, `smm` ->
    `SMM`); a three-letter one with a vowel is more likely a word (`web` -> `Web`)."""
    words = ident.replace("_", " ").replace("-", " ").split()
    short = len(words) == 1 and ident.isalnum() and len(ident) <= 3
    if short and (len(ident) <= 2 or not any(v in ident.lower() for v in "aeiouy")):
        return ident.upper()
    return " ".join(words).capitalize() if words else ident


def _title(reader: _Reader, item: Mapping, ident: str, key: str = "name") -> str:
    node = item.items.get(key, (None, None))[1]
    name = reader.read(node, values.text, key) if node is not None else None
    return name.strip() if name and name.strip() else humanise(ident)


def _workflow(reader: _Reader, ident: str, body: Mapping) -> Workflow | None:
    reader.known(body, ("name", "columns", "done", "backlog", "approval"), f"workflow `{ident}`")
    columns = []
    for cid, item in _items(reader, body, "columns", f"workflow `{ident}`"):
        reader.known(item, ("id", "name", "wip", "limit_days"), f"column `{cid}`")
        columns.append(
            Column(
                cid,
                _title(reader, item, cid),
                _opt_int(reader, item, "wip", 1, 10_000),
                _opt_int(reader, item, "limit_days", 1, 10_000),
            )
        )
    if not columns:
        return None
    ids = [c.id for c in columns]
    done = _pick(reader, body, "done", ids, ids[-1], f"workflow `{ident}`")
    backlog = _pick(reader, body, "backlog", ids, ids[0], f"workflow `{ident}`")
    approval = _pick(reader, body, "approval", ids, "", f"workflow `{ident}`")
    return Workflow(ident, _title(reader, body, ident), tuple(columns), done, backlog, approval)


def _pick(reader: _Reader, body: Mapping, key: str, ids: list[str], default: str, what: str) -> str:
    node = body.items.get(key, (None, None))[1]
    if node is None:
        return default
    value = reader.read(node, values.text, key)
    if value not in ids:
        reader.problem(
            "PD113",
            node,
            f"{key} column `{values.shown(value or '')}` is not a column of {what}",
            values.did_you_mean(value or "", ids),
            key,
        )
        return default
    return str(value)


def _pipeline(reader: _Reader, ident: str, body: Mapping) -> Pipeline | None:
    reader.known(body, ("name", "stages", "projects"), f"pipeline `{ident}`")
    projects_node = body.items.get("projects", (None, None))[1]
    # `projects: false`: won deals of this pipeline (media placements, say) do not become
    # projects, so none is flagged for lacking one
    projects = (
        reader.read(projects_node, values.boolean, "projects") is not False
        if projects_node is not None
        else True
    )
    stages = []
    for sid, item in _items(reader, body, "stages", f"pipeline `{ident}`"):
        reader.known(item, ("id", "name", "probability", "idle_days", "outcome"), f"stage `{sid}`")
        outcome_node = item.items.get("outcome", (None, None))[1]
        outcome = (
            reader.read(outcome_node, lambda n: values.choice(n, OUTCOMES), "outcome")
            if outcome_node is not None
            else None
        )
        default_p = 100 if outcome == "won" else 0 if outcome == "lost" else 50
        probability = _opt_int(reader, item, "probability", 0, 100)
        stages.append(
            Stage(
                sid,
                _title(reader, item, sid),
                default_p if probability is None else probability,
                _opt_int(reader, item, "idle_days", 1, 10_000),
                outcome,
            )
        )
    if not stages:
        return None
    return Pipeline(ident, _title(reader, body, ident), tuple(stages), projects)


def _default(reader: _Reader, node: Node | None, named: dict[str, Any], what: str) -> str:
    first = next(iter(named))
    if node is None:
        return first
    value = reader.read(node, values.text, f"default_{what}")
    if value not in named:
        reader.problem(
            "PD205",
            node,
            f"unknown {what} `{values.shown(value or '')}`",
            values.did_you_mean(value or "", named),
            f"default_{what}",
        )
        return first
    return str(value)


def _custom_fields(reader: _Reader, node: Node) -> dict[str, dict[str, CustomField]]:
    from builder.validate.fields import BUILTIN_FIELDS  # the built-ins it must not shadow

    m = reader.read(node, lambda n: values.mapping(n, "custom_fields"))
    out: dict[str, dict[str, CustomField]] = {}
    for kind, (knode, body) in m.items.items() if m else ():
        if kind not in RECORD_TYPES:
            reader.problem(
                "PD113",
                knode,
                f"custom fields for unknown record type `{values.shown(kind)}`",
                values.did_you_mean(kind, RECORD_TYPES),
                "custom_fields",
            )
            continue
        fields = reader.read(
            body, lambda n: values.mapping(n, f"custom fields of {kind}")
        ) or Mapping(0, 0)
        for name, (fnode, spec_node) in fields.items.items():
            if name in BUILTIN_FIELDS[kind]:
                reader.problem(
                    "PD113",
                    fnode,
                    f"custom field `{values.shown(name)}` shadows a built-in field",
                    "choose another name",
                    "custom_fields",
                )
                continue
            spec = reader.read(spec_node, lambda n: values.mapping(n, f"custom field `{name}`"))
            if spec is None:
                continue
            reader.known(
                spec, ("type", "label", "choices", "sensitivity"), f"custom field `{name}`"
            )
            tnode = spec.items.get("type", (None, None))[1]
            if tnode is None:
                reader.problem(
                    "PD113",
                    spec,
                    f"custom field `{name}` has no `type`",
                    "add `type:` bool, choice, text, number or date",
                    "custom_fields",
                )
                continue
            ftype = reader.read(tnode, lambda n: values.choice(n, CUSTOM_FIELD_TYPES), "type")
            if ftype is None:
                continue
            choices: list[str] = []
            if ftype == "choice":
                cnode = spec.items.get("choices", (None, None))[1]
                choices = (reader.read(cnode, values.str_list, "choices") or []) if cnode else []
                if not choices:
                    reader.problem(
                        "PD113",
                        spec,
                        f"choice field `{name}` has no `choices`",
                        "add `choices: [a, b]`",
                        "custom_fields",
                    )
                    continue
            snode = spec.items.get("sensitivity", (None, None))[1]
            sensitivity = (
                reader.read(snode, lambda n: values.choice(n, SENSITIVITIES), "sensitivity")
                if snode is not None
                else None
            )
            out.setdefault(kind, {})[name] = CustomField(
                # a custom field is named by its `label:` (README), else by its key
                name,
                ftype,
                _title(reader, spec, name, "label").replace("_", " "),
                tuple(choices),
                sensitivity or "internal",
            )
    return out


def _audience(reader: _Reader, ident: str, body: Mapping, settings: Settings) -> Audience:
    """One audience: `exclude:` names record types (`deals`), sensitivities (`money`)
    and fields (`person.capacity`, `contact.body`); `keep:` names fields a sensitivity
    would leave out (`task.price`)."""
    where = f"audience `{ident}`"
    reader.known(body, ("exclude", "keep"), where)
    types: list[str] = []
    sensitivities: list[Sensitivity] = []
    fields: list[tuple[str, str]] = []
    keep: list[tuple[str, str]] = []
    for name, node in _names(reader, body, "exclude"):
        kind = _record_type(name)
        if kind is not None:
            types.append(kind)
        elif name in SENSITIVITIES:
            sensitivities.append(name)
        else:
            field = _field_name(reader, node, name, settings, "exclude")
            if field is not None:
                fields.append(field)
    for name, node in _names(reader, body, "keep"):
        field = _field_name(reader, node, name, settings, "keep")
        if field is not None:
            keep.append(field)
    return Audience(ident, tuple(types), tuple(sensitivities), tuple(fields), tuple(keep))


def _names(reader: _Reader, body: Mapping, key: str) -> list[tuple[str, Node]]:
    node = body.items.get(key, (None, None))[1]
    if node is None:
        return []
    items = reader.read(node, lambda n: values.sequence(n, f"`{key}`"), key) or []
    out: list[tuple[str, Node]] = []
    for item in items:
        name = reader.read(item, values.text, key)
        if name is not None:
            out.append((name.strip(), item))
    return out


def _record_type(name: str) -> str | None:
    """A record type named by its type (`deal`) or its folder (`deals`)."""
    if name in RECORD_TYPES:
        return name
    return next((kind for kind, folder in SECTIONS.items() if folder == name), None)


def _field_name(
    reader: _Reader, node: Node, name: str, settings: Settings, key: str
) -> tuple[str, str] | None:
    """(record type, field) from `type.field` (`body` is the Markdown body), or None
    after a problem with a hint at the name meant."""
    kind, dot, field = name.partition(".")
    kind = _record_type(kind) or kind
    if dot and kind in RECORD_TYPES:
        names = (*(f.name for f in record_fields(kind, settings)), "body")
        if field in names:
            return kind, field
        hint = values.did_you_mean(f"{kind}.{field}", (f"{kind}.{n}" for n in names))
        reader.problem("PD113", node, f"`{kind}` has no field `{values.shown(field)}`", hint, key)
        return None
    known = (*RECORD_TYPES, *SECTIONS.values(), *SENSITIVITIES) if key == "exclude" else ()
    fields = tuple(f"{spec}.{f.name}" for spec in RECORD_TYPES for f in record_fields(spec))
    close = values.did_you_mean(name, (*known, *fields))
    close = close + " " if close.startswith("did you mean") else ""
    if key == "exclude":
        what = "a record type, a sensitivity or a field"
        hint = "name record types (`deals`), sensitivities (`money`, `private`) or fields"
        hint += " (`person.rate`)"
    else:
        what, hint = "a field", "name fields that `exclude` leaves out, e.g. `task.price`"
    reader.problem(
        "PD113", node, f"`{values.shown(name)}` in `{key}` is not {what}", close + hint, key
    )
    return None


def _portal(reader: _Reader, node: Node) -> PortalDefaults:
    m = reader.read(node, lambda n: values.mapping(n, "portal"))
    portal = PortalDefaults()
    if m is None:
        return portal
    reader.known(m, ("assignee", "done_recent_days", "base_url"), "portal")
    if "base_url" in m.items:
        portal.base_url = reader.read(m.items["base_url"][1], _web_address, "portal") or ""
    if "assignee" in m.items:
        portal.assignee = (
            reader.read(m.items["assignee"][1], lambda n: values.choice(n, PORTAL_ASSIGNEES))
            or portal.assignee
        )
    days = _opt_int(reader, m, "done_recent_days", 1, 3650)
    if days is not None:
        portal.done_recent_days = days
    return portal


def _notify(reader: _Reader, node: Node) -> NotifySettings:
    m = reader.read(node, lambda n: values.mapping(n, "notify"))
    notify = NotifySettings()
    if m is None:
        return notify
    reader.known(m, ("site_url", "hour", "escalate_after"), "notify")
    if "site_url" in m.items:
        notify.site_url = reader.read(m.items["site_url"][1], _site_address, "notify") or ""
    hour = _opt_int(reader, m, "hour", 0, 23)
    if hour is not None:
        notify.hour = hour
    days = _opt_int(reader, m, "escalate_after", 0, 3650)
    if days is not None:
        notify.escalate_after = days
    return notify


def _site_address(node: Node) -> str:
    url = values.text(node).strip()
    if not url.startswith(("https://", "http://")) or " " in url:
        raise FieldError(
            "PD113",
            node,
            f"`{values.shown(url)}` is not a web address",
            "write the address the team's site is published at, e.g. `https://desk.example.com/`",
        )
    return url


def effective_today(settings: Settings, today: date | None) -> date:
    """The CLI's --today, else the workspace's pinned today, else the date in its time zone."""
    if today is not None:
        return today
    if settings.today is not None:
        return settings.today
    from datetime import datetime

    return datetime.now(ZoneInfo(settings.timezone)).date()
