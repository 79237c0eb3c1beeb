"""The cross-record checks of one record, without loading the workspace: what
`builder.validate.rules` checks for every record, for the one about to be written, against
the ids in the type folders (`locate.Index`) and the one project a task's workflow comes
from. Problems read exactly as `check` prints them (tests/test_edit_checks.py holds the two
side by side)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from builder.model import Deal, Project, Record, Settings, Task, Workflow
from builder.model.schema import SPECS, FieldSpec
from builder.problems import Problem
from builder.validate.values import did_you_mean, shown

#: (type, id) -> the typed record, or None when there is none
Lookup = Callable[[str, str], Record | None]
#: type -> every id of that type
Ids = Callable[[str], set[str]]


def cross_problems(
    record: Record, kind: str, settings: Settings, ids: Ids, lookup: Lookup
) -> list[Problem]:
    """Every cross-record problem of `record` (of type `kind`)."""
    out: list[Problem] = []
    for spec in SPECS[kind].fields:
        out += _references(record, spec, ids)
        if spec.kind == "money":
            out += _currency(record, spec.name, settings)
    if isinstance(record, Project):
        out += _named(record, "workflow", record.workflow, settings.workflows)
    if isinstance(record, Deal):
        out += _named(record, "pipeline", record.pipeline, settings.pipelines)
        out += _stage(record, settings)
    if isinstance(record, Task):
        project = lookup("project", record.project) if record.project else None
        if isinstance(project, Project):
            out += _status(record, project, settings)
    return out


def workflow_of(project: Project | None, settings: Settings) -> Workflow:
    """The workflow a project's tasks move through (its own, else the default)."""
    if project is not None and project.workflow in settings.workflows:
        return settings.workflows[project.workflow]
    return settings.workflows[settings.default_workflow]


def _unknown(
    record: Record, name: str, kind: str, value: str, at: tuple[int, int], ids: set[str]
) -> Problem:
    return Problem(
        "PD201",
        record.path,
        at[0],
        at[1],
        f"unknown {kind} `{shown(value)}`",
        did_you_mean(value, ids) or f"create {kind} `{shown(value)}` first",
        name,
    )


def _references(record: Record, spec: FieldSpec, ids: Ids) -> list[Problem]:
    value: Any = getattr(record, spec.name, None)
    out: list[Problem] = []
    if spec.ref is not None and value:
        known = ids(spec.ref)
        for item in [value] if spec.kind == "ref" else value:
            if item not in known:
                out.append(_unknown(record, spec.name, spec.ref, item, record.at(spec.name), known))
    for part in spec.parts:  # time-log entries name a person, each on its own line
        if part.ref is None or not value:
            continue
        known = ids(part.ref)
        for entry in value:
            person = getattr(entry, part.name)
            if person not in known:
                out.append(
                    _unknown(record, spec.name, part.ref, person, (entry.line, entry.col), known)
                )
    return out


def _currency(record: Record, name: str, settings: Settings) -> list[Problem]:
    money = getattr(record, name, None)
    if (
        money is None
        or money.currency == settings.base_currency
        or money.currency in settings.rates
    ):
        return []
    line, col = record.at(name)
    return [
        Problem(
            "PD204",
            record.path,
            line,
            col,
            f"currency `{money.currency}` has no rate to {settings.base_currency}",
            f"add `{money.currency}` to rates in workspace.yml",
            name,
        )
    ]


def _named(record: Record, name: str, value: str, known: dict[str, Any]) -> list[Problem]:
    if not value or value in known:
        return []
    line, col = record.at(name)
    return [
        Problem(
            "PD205",
            record.path,
            line,
            col,
            f"unknown {name} `{shown(value)}`",
            did_you_mean(value, known),
            name,
        )
    ]


def _status(task: Task, project: Project, settings: Settings) -> list[Problem]:
    if project.workflow and project.workflow not in settings.workflows:
        return []
    flow = workflow_of(project, settings)
    if not task.status or task.status in flow.column_ids:
        return []
    line, col = task.at("status")
    return [
        Problem(
            "PD202",
            task.path,
            line,
            col,
            f"status `{shown(task.status)}` is not a column of workflow `{flow.id}`",
            did_you_mean(task.status, flow.column_ids),
            "status",
        )
    ]


def _stage(deal: Deal, settings: Settings) -> list[Problem]:
    if deal.pipeline and deal.pipeline not in settings.pipelines:
        return []
    pipeline = (
        settings.pipelines.get(deal.pipeline) or settings.pipelines[settings.default_pipeline]
    )
    if not deal.stage or deal.stage in pipeline.stage_ids:
        return []
    line, col = deal.at("stage")
    return [
        Problem(
            "PD203",
            deal.path,
            line,
            col,
            f"stage `{shown(deal.stage)}` is not a stage of pipeline `{pipeline.id}`",
            did_you_mean(deal.stage, pipeline.stage_ids),
            "stage",
        )
    ]
