"""Estimate accuracy: spent / estimate of done tasks, per person, per tag and per
project (median and the middle half's spread), the worst misses, and the open tasks
already over their estimate."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import TYPE_CHECKING

from builder.model import Task, Workspace

if TYPE_CHECKING:
    from builder.views.derived import Derived


@dataclass(frozen=True)
class Ratio:
    """One done task: its estimate, the time spent on it and their ratio."""

    task: str
    estimate: int  # minutes
    spent: int  # minutes

    @property
    def ratio(self) -> float:
        return self.spent / self.estimate


@dataclass(frozen=True)
class Accuracy:
    """Ratios of a group of done tasks: how many, the median, and the spread (the 25th
    and 75th percentiles)."""

    key: str
    count: int
    median: float
    low: float
    high: float


@dataclass(frozen=True)
class Overrun:
    """An open task past its estimate."""

    task: str
    estimate: int
    spent: int


@dataclass
class EstimateReport:
    by_person: list[Accuracy]
    by_tag: list[Accuracy]
    by_project: list[Accuracy]
    overall: Accuracy | None
    worst: list[Ratio]  # highest ratio first
    open_over: list[Overrun]  # most minutes over first
    #: done tasks with an estimate but no time logged: left out of the ratios
    no_time: int


def accuracy(key: str, ratios: list[float]) -> Accuracy:
    """The summary of `ratios` (at least one)."""
    ordered = sorted(ratios)
    if len(ordered) == 1:
        low = high = ordered[0]
    else:
        low, _, high = statistics.quantiles(ordered, n=4, method="inclusive")
    return Accuracy(key, len(ordered), statistics.median(ordered), low, high)


def estimate_report(ws: Workspace, derived: Derived, worst: int = 10) -> EstimateReport:
    """Accuracy over every done task with an estimate and time logged."""
    done: list[tuple[Task, Ratio]] = []
    no_time = 0
    overruns: list[Overrun] = []
    for task in derived.tasks_by_id:
        if not task.estimate:
            continue
        spent = task.spent
        if ws.task_is_open(task):
            if spent > task.estimate:
                overruns.append(Overrun(task.id, task.estimate, spent))
        elif spent:
            done.append((task, Ratio(task.id, task.estimate, spent)))
        else:
            no_time += 1
    groups: dict[str, dict[str, list[float]]] = {"person": {}, "tag": {}, "project": {}}
    for task, r in done:
        if task.assignee:
            groups["person"].setdefault(task.assignee, []).append(r.ratio)
        for tag in dict.fromkeys(task.tags):
            groups["tag"].setdefault(tag, []).append(r.ratio)
        groups["project"].setdefault(task.project, []).append(r.ratio)

    def summed(kind: str) -> list[Accuracy]:
        return [accuracy(k, v) for k, v in sorted(groups[kind].items())]

    ranked = sorted((r for _, r in done), key=lambda r: (-r.ratio, r.task))
    return EstimateReport(
        by_person=summed("person"),
        by_tag=summed("tag"),
        by_project=summed("project"),
        overall=accuracy("", [r.ratio for _, r in done]) if done else None,
        worst=[r for r in ranked[:worst] if r.ratio > 1],
        open_over=sorted(overruns, key=lambda o: (o.estimate - o.spent, o.task)),
        no_time=no_time,
    )
