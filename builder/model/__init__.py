"""Stage 3, model: the typed workspace that views are computed from.

`records` holds the record and settings dataclasses, `schema` the one description of every
record type and field that validation, the portal, forms and exports derive from, and this
module the `Workspace` that holds them all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from builder.model.records import (
    Column,
    Company,
    CompanyPortal,
    Contact,
    CustomField,
    Deal,
    Metric,
    Money,
    NextStep,
    Person,
    Pipeline,
    PortalDefaults,
    Pos,
    Project,
    Record,
    Settings,
    Stage,
    Task,
    TimeEntry,
    Workflow,
)
from builder.model.schema import SECTIONS

__all__ = [
    "Column",
    "Company",
    "CompanyPortal",
    "Contact",
    "CustomField",
    "Deal",
    "Metric",
    "Money",
    "NextStep",
    "Person",
    "Pipeline",
    "PortalDefaults",
    "Pos",
    "Project",
    "Record",
    "Settings",
    "Stage",
    "Task",
    "TimeEntry",
    "Workflow",
    "Workspace",
]


@dataclass
class Workspace:
    """The whole typed workspace: settings and records by type and id."""

    settings: Settings
    people: dict[str, Person] = field(default_factory=dict)
    companies: dict[str, Company] = field(default_factory=dict)
    contacts: dict[str, Contact] = field(default_factory=dict)
    projects: dict[str, Project] = field(default_factory=dict)
    tasks: dict[str, Task] = field(default_factory=dict)
    deals: dict[str, Deal] = field(default_factory=dict)
    #: Derived lookups (backlinks by id), built once by `builder.views.common.index`.
    cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def table(self, kind: str) -> dict[str, Any]:
        """The records of one type, by id (`kind` is a record type such as "task")."""
        table: dict[str, Any] = getattr(self, SECTIONS[kind])
        return table

    def workflow_of(self, project: Project | None) -> Workflow:
        s = self.settings
        if project is not None and project.workflow in s.workflows:
            return s.workflows[project.workflow]
        return s.workflows[s.default_workflow]

    def pipeline_of(self, deal: Deal) -> Pipeline:
        s = self.settings
        return s.pipelines.get(deal.pipeline) or s.pipelines[s.default_pipeline]

    @property
    def record_count(self) -> int:
        return (
            sum(
                len(t)
                for t in (
                    self.people,
                    self.companies,
                    self.contacts,
                    self.projects,
                    self.tasks,
                    self.deals,
                )
            )
            + 1
        )
