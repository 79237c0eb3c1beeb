"""Cross-record rules. Each is `rule(workspace) -> list[Problem]` with its rule as docstring.

They run after `builder.validate.defaults` has resolved the defaults, and only check: no
rule changes a record."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from builder.model import Money, Record, Workspace
from builder.model.schema import RECORD_SPECS, RecordSpec
from builder.problems import Problem
from builder.validate.values import did_you_mean, shown

Rule = Callable[..., list[Problem]]
#: the records of a type a rule checks (`every`: all of them; the serve loop's incremental
#: check gives those an edit may have changed, `builder.validate.incremental`)
Pick = Callable[[Workspace, str], Iterable[Any]]


def every(ws: Workspace, kind: str) -> Iterable[Any]:
    """Every record of `kind`."""
    return ws.table(kind).values()


def _ref(
    ws: Workspace,
    record: Record,
    field: str,
    kind: str,
    value: str | None,
    at: tuple[int, int] | None = None,
) -> list[Problem]:
    if value is None or value in ws.table(kind):
        return []
    line, col = at or record.at(field)
    return [
        Problem(
            "PD201",
            record.path,
            line,
            col,
            f"unknown {kind} `{shown(value)}`",
            did_you_mean(value, ws.table(kind)) or f"create {kind} `{shown(value)}` first",
            field,
        )
    ]


def _reference_fields(spec: RecordSpec) -> list[tuple[str, str, tuple[str, ...], str]]:
    """(field, value kind, referenced types, part) of every reference in a record type, log
    entries' people and subjects included, from the schema (`part` is "" for a field)."""
    out: list[tuple[str, str, tuple[str, ...], str]] = []
    for f in spec.fields:
        if f.ref is not None:
            out.append((f.name, f.kind, (f.ref,), ""))
        for p in f.parts:
            targets: tuple[str, ...] = (p.ref,) if p.ref is not None else p.ref_any
            if targets:
                out.append((f.name, f.kind, targets, p.name))
    return out


def _any_ref(
    ws: Workspace,
    record: Record,
    field: str,
    kinds: tuple[str, ...],
    value: str,
    at: tuple[int, int],
) -> list[Problem]:
    """A reference that may name a record of any of `kinds` (an outreach entry's `about`)."""
    if any(value in ws.table(k) for k in kinds):
        return []
    what = ", ".join(kinds[:-1]) + f" or {kinds[-1]}"
    ids = [i for k in kinds for i in ws.table(k)]
    hint = did_you_mean(value, ids) if ids else ""
    return [
        Problem(
            "PD201",
            record.path,
            at[0],
            at[1],
            f"unknown {what} `{shown(value)}`",
            hint if hint.startswith("did you mean") else f"write the id of a {what}",
            field,
        )
    ]


def references(ws: Workspace, pick: Pick = every) -> list[Problem]:
    """Every reference names an existing record of the right type."""
    out: list[Problem] = []
    for spec in RECORD_SPECS:
        fields = _reference_fields(spec)
        if not fields:
            continue
        for record in pick(ws, spec.type):
            for name, kind, targets, part in fields:
                out += _record_refs(ws, record, name, kind, targets, part)
    return out


def _record_refs(
    ws: Workspace, record: Record, name: str, kind: str, targets: tuple[str, ...], part: str
) -> list[Problem]:
    """The unknown references of one field of a record (most resolve: membership is tested
    inline, and a problem built only when one fails)."""
    value = getattr(record, name)
    out: list[Problem] = []
    if len(targets) > 1:  # log entries whose part may name one of several types
        for entry in value:
            out += _any_ref(
                ws, record, name, targets, getattr(entry, part), (entry.line, entry.col)
            )
        return out
    target = targets[0]
    table = ws.table(target)
    if kind == "ref":
        if value and value not in table:
            out += _ref(ws, record, name, target, value)
    elif kind == "refs":
        for item in value:
            if item not in table:
                out += _ref(ws, record, name, target, item)
    else:  # log entries: each points at its own line
        for entry in value:
            ident = getattr(entry, part)
            if ident not in table:
                out += _ref(ws, record, name, target, ident, (entry.line, entry.col))
    return out


def workflows_and_pipelines(ws: Workspace, pick: Pick = every) -> list[Problem]:
    """A project's workflow and a deal's pipeline exist in workspace.yml."""
    out: list[Problem] = []
    settings = ws.settings
    for p in pick(ws, "project"):
        if p.workflow and p.workflow not in settings.workflows:
            line, col = p.at("workflow")
            out.append(
                Problem(
                    "PD205",
                    p.path,
                    line,
                    col,
                    f"unknown workflow `{shown(p.workflow)}`",
                    did_you_mean(p.workflow, settings.workflows),
                    "workflow",
                )
            )
    for d in pick(ws, "deal"):
        if d.pipeline and d.pipeline not in settings.pipelines:
            line, col = d.at("pipeline")
            out.append(
                Problem(
                    "PD205",
                    d.path,
                    line,
                    col,
                    f"unknown pipeline `{shown(d.pipeline)}`",
                    did_you_mean(d.pipeline, settings.pipelines),
                    "pipeline",
                )
            )
    return out


def statuses(ws: Workspace, pick: Pick = every) -> list[Problem]:
    """A task's status is a column of its project's workflow."""
    out: list[Problem] = []
    for t in pick(ws, "task"):
        project = ws.projects.get(t.project)
        if project is None or (project.workflow and project.workflow not in ws.settings.workflows):
            continue
        flow = ws.workflow_of(project)
        if t.status not in flow.column_ids:
            line, col = t.at("status")
            out.append(
                Problem(
                    "PD202",
                    t.path,
                    line,
                    col,
                    f"status `{shown(t.status)}` is not a column of workflow `{flow.id}`",
                    did_you_mean(t.status, flow.column_ids),
                    "status",
                )
            )
    return out


def stages(ws: Workspace, pick: Pick = every) -> list[Problem]:
    """A deal's stage is a stage of its pipeline."""
    out: list[Problem] = []
    for d in pick(ws, "deal"):
        if d.pipeline and d.pipeline not in ws.settings.pipelines:
            continue
        pipeline = ws.pipeline_of(d)
        if d.stage and d.stage not in pipeline.stage_ids:
            line, col = d.at("stage")
            out.append(
                Problem(
                    "PD203",
                    d.path,
                    line,
                    col,
                    f"stage `{shown(d.stage)}` is not a stage of pipeline `{pipeline.id}`",
                    did_you_mean(d.stage, pipeline.stage_ids),
                    "stage",
                )
            )
    return out


def _money_fields(ws: Workspace, pick: Pick) -> Iterable[tuple[Record, str, Money | None]]:
    for person in pick(ws, "person"):
        yield person, "rate", person.rate
    for p in pick(ws, "project"):
        yield p, "budget", p.budget
    for t in pick(ws, "task"):
        yield t, "price", t.price
    for d in pick(ws, "deal"):
        yield d, "amount", d.amount


def currencies(ws: Workspace, pick: Pick = every) -> list[Problem]:
    """Every currency used is the base currency or has a rate in workspace.yml."""
    settings = ws.settings
    out: list[Problem] = []
    for record, field, money in _money_fields(ws, pick):
        if (
            money is None
            or money.currency == settings.base_currency
            or money.currency in settings.rates
        ):
            continue
        line, col = record.at(field)
        out.append(
            Problem(
                "PD204",
                record.path,
                line,
                col,
                f"currency `{money.currency}` has no rate to {settings.base_currency}",
                f"add `{money.currency}` to rates in workspace.yml",
                field,
            )
        )
    return out


RULES: list[Rule] = [references, workflows_and_pipelines, statuses, stages, currencies]


def run_rules(ws: Workspace, rules: list[Rule] | None = None) -> list[Problem]:
    """The problems every rule finds (`RULES` unless `rules` is given)."""
    out: list[Problem] = []
    for rule in rules or RULES:
        out += rule(ws)
    return out


def duplicate_id(kind: str, first: Any, second: Any) -> Problem:
    return Problem(
        "PD109",
        second.path,
        1,
        1,
        f"duplicate {kind} id `{second.id}`: also {first.path}",
        "rename one of the files; ids are unique per record type",
    )
