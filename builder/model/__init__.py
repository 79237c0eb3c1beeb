"""Stage 3, model: the typed workspace that views are computed from.

`records` holds the record and settings dataclasses, `schema` the one description of every
record type and field that validation, the portal, forms and exports derive from, and this
module the `Workspace` that holds them all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from builder.model.records import (
    Audience,
    Column,
    Company,
    CompanyPortal,
    Contact,
    CustomField,
    Deal,
    Metric,
    Money,
    NextStep,
    NotifySettings,
    OutreachEntry,
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
    "Audience",
    "Column",
    "Company",
    "CompanyPortal",
    "Contact",
    "CustomField",
    "Deal",
    "Metric",
    "Money",
    "NextStep",
    "NotifySettings",
    "OutreachEntry",
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
    #: (type, id) -> file path of each record shown in its last good version because its
    #: file has errors now (the serve loop only; see `builder.pipeline`)
    stale: dict[tuple[str, str], str] = field(default_factory=dict)

    def table(self, kind: str) -> dict[str, Any]:
        """The records of one type, by id (`kind` is a record type such as "task")."""
        table: dict[str, Any] = getattr(self, SECTIONS[kind])
        return table

    def workflow_of(self, project: Project | None) -> Workflow:
        """A project's workflow: its own when workspace.yml has it, else the default."""
        settings = self.settings
        if project is not None and project.workflow in settings.workflows:
            return settings.workflows[project.workflow]
        return settings.workflows[settings.default_workflow]

    def pipeline_of(self, deal: Deal) -> Pipeline:
        """A deal's pipeline: its own when workspace.yml has it, else the default."""
        settings = self.settings
        return (
            settings.pipelines.get(deal.pipeline) or settings.pipelines[settings.default_pipeline]
        )

    def stage_of(self, deal: Deal) -> Stage | None:
        """The deal's stage in its pipeline (None for a stage the pipeline lacks)."""
        return self.pipeline_of(deal).stage(deal.stage)

    def task_is_open(self, task: Task) -> bool:
        """A task is open until it reaches its project's workflow's done column."""
        return not self.workflow_of(self.projects.get(task.project)).is_done(task.status)

    def deal_is_open(self, deal: Deal) -> bool:
        """A deal is open while it stands at an open stage of its pipeline."""
        stage = self.stage_of(deal)
        return stage is not None and stage.is_open

    def deal_is_won(self, deal: Deal) -> bool:
        """A deal is won when it stands at a stage whose outcome is `won`."""
        stage = self.stage_of(deal)
        return stage is not None and stage.outcome == "won"

    def deal_needs_project(self, deal: Deal) -> bool:
        """A won deal names the project it became (unless its pipeline's deals do not
        become projects); until it does, pages flag it."""
        return not deal.project and self.pipeline_of(deal).projects and self.deal_is_won(deal)

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
