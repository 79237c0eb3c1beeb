"""Resolve defaults: the step between field validation and the cross-record rules that
fills in what a record may leave out and only the other records or the settings can
supply: a task's status (its project's workflow's backlog) and a deal's pipeline (the
default pipeline). The rules then only check.

Records are never changed: one that takes a default is replaced in its table by a copy.
The serve loop keeps typed records between checks (`builder.pipeline.CheckCache`), and a
kept record must stay as its file was read.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from builder.model import Deal, Project, Task, Workspace


def task_status(ws: Workspace, task: Task) -> str:
    """A task's status, its project's workflow's backlog when it gives none ("" when its
    project or that project's workflow is unknown: the rules report those)."""
    if task.status:
        return task.status
    return default_status(ws, ws.projects.get(task.project))


def default_status(ws: Workspace, project: Project | None) -> str:
    """The status a task of `project` that gives none takes: its workflow's backlog (""
    when the project or its workflow is unknown)."""
    if project is None or (project.workflow and project.workflow not in ws.settings.workflows):
        return ""
    return ws.workflow_of(project).backlog


def deal_pipeline(ws: Workspace, deal: Deal) -> str:
    """A deal's pipeline, the default pipeline when it names none."""
    return deal.pipeline or ws.pipeline_of(deal).id


#: The serve loop's filled-in copies, by the id of the record they copy (kept alive with
#: it) and the default given: the same copy again while neither changed.
Copies = dict[int, tuple[Task | Deal, str, Task | Deal]]


def resolve_defaults(ws: Workspace, copies: Copies | None = None) -> None:
    """Give each task without a status and each deal without a pipeline its default, as
    a copy in its table (with `copies`, the copy made last time when it is the same)."""
    before = copies.copy() if copies is not None else {}
    if copies is not None:
        copies.clear()
    for ident, task in ws.tasks.items():
        status = task_status(ws, task)
        if status != task.status:
            ws.tasks[ident] = _copy(task, status, before, copies)
    for ident, deal in ws.deals.items():
        pipeline = deal_pipeline(ws, deal)
        if pipeline != deal.pipeline:
            ws.deals[ident] = _copy(deal, pipeline, before, copies)


def resolve_record(ws: Workspace, kind: str, rec: Any, copies: Copies, last: Any) -> Any:
    """One record as `resolve_defaults` gives it, in place of `last` (the record of its
    file before, whose copy `copies` drops): the serve loop's check of a few edits."""
    before = copies.pop(id(last), None)
    if kind == "task":
        value, given = task_status(ws, rec), rec.status
    elif kind == "deal":
        value, given = deal_pipeline(ws, rec), rec.pipeline
    else:
        return rec
    if value == given:
        return rec
    return _copy(rec, value, {id(rec): before} if before is not None else {}, copies)


def _copy(rec: Task | Deal, value: str, before: Copies, copies: Copies | None) -> Any:
    """`rec` with its default `value` (the copy in `before` when it is of the very record
    and value), filed in `copies`."""
    hit = before.get(id(rec))
    if hit is not None and hit[0] is rec and hit[1] == value:
        out = hit[2]
    elif isinstance(rec, Task):
        out = replace(rec, status=value)
    else:
        out = replace(rec, pipeline=value)
    if copies is not None:
        copies[id(rec)] = (rec, value, out)
    return out
