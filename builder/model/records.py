"""The record types and the settings: plain dataclasses, no behaviour beyond small derived
properties. Every record keeps its file path and the line/column of each field (`pos`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from builder.model.schema import (
        Billing,
        CompanyKind,
        CustomFieldType,
        Locale,
        Outcome,
        PortalAssignee,
        Priority,
        ProjectStatus,
    )

Pos = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


@dataclass(frozen=True, slots=True)
class Column:
    id: str
    name: str
    wip: int | None = None
    limit_days: int | None = None


@dataclass(frozen=True)
class Workflow:
    id: str
    name: str
    columns: tuple[Column, ...]
    done: str
    backlog: str

    @cached_property
    def column_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.columns)

    def column(self, column_id: str) -> Column | None:
        return next((c for c in self.columns if c.id == column_id), None)

    def is_done(self, status: str) -> bool:
        """A task in this column is finished: every other column (an unknown one too)
        holds open work."""
        return status == self.done


@dataclass(frozen=True, slots=True)
class Stage:
    id: str
    name: str
    probability: int
    idle_days: int | None = None
    outcome: Outcome | None = None  # None: an open stage

    @property
    def is_open(self) -> bool:
        """A deal at this stage is still open: neither won nor lost."""
        return self.outcome is None


@dataclass(frozen=True)
class Pipeline:
    id: str
    name: str
    stages: tuple[Stage, ...]

    @cached_property
    def stage_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.stages)

    def stage(self, stage_id: str) -> Stage | None:
        return next((s for s in self.stages if s.id == stage_id), None)


@dataclass(frozen=True, slots=True)
class CustomField:
    name: str
    type: CustomFieldType
    label: str
    choices: tuple[str, ...] = ()


@dataclass
class PortalDefaults:
    assignee: PortalAssignee = "first_name"
    done_recent_days: int = 14
    base_url: str = ""  # where the portals are published: `portal links` prints full links


@dataclass
class Settings:
    name: str = "Plaindesk"
    locale: Locale = "en"
    timezone: str = "UTC"
    today: date | None = None
    base_currency: str = "USD"
    rates: dict[str, Decimal] = field(default_factory=dict)
    hours_per_day: int = 8
    allow_raw_html: bool = False
    workflows: dict[str, Workflow] = field(default_factory=dict)
    default_workflow: str = "default"
    pipelines: dict[str, Pipeline] = field(default_factory=dict)
    default_pipeline: str = "sales"
    custom_fields: dict[str, dict[str, CustomField]] = field(default_factory=dict)
    portal: PortalDefaults = field(default_factory=PortalDefaults)
    billing: Billing = "fixed"  # a project's, unless it says
    follow_up_from_cadence: bool = True  # a contact's follow-up counted from its cadence
    path: str = "workspace.yml"
    pos: dict[str, Pos] = field(default_factory=dict)
    digest: str = ""

    def to_base(self, money: Money) -> Decimal | None:
        """The amount in the base currency, or None when no rate is known."""
        if money.currency == self.base_currency:
            return money.amount
        rate = self.rates.get(money.currency)
        return None if rate is None else money.amount * rate


@dataclass
class Record:
    """Fields every record has: id, file path, body and field positions."""

    id: str
    path: str
    body: str = ""
    body_line: int = 1
    pos: dict[str, Pos] = field(default_factory=dict)
    custom: dict[str, Any] = field(default_factory=dict)
    digest: str = ""  # hash of the file's path and text (see `builder.render.keys`)

    def at(self, name: str) -> Pos:
        """Line and column of a field, or of the file's start when the field is absent."""
        return self.pos.get(name, (1, 1))


@dataclass
class Person(Record):
    name: str = ""
    role: str = ""
    email: str = ""
    phone: str = ""
    emails: list[str] = field(default_factory=list)
    chat: dict[str, str] = field(default_factory=dict)
    capacity: float | None = None  # hours per week
    rate: Money | None = None
    active: bool = True

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.split() else self.id


@dataclass
class CompanyPortal:
    enabled: bool = False
    locale: Locale | None = None


@dataclass
class Company(Record):
    name: str = ""
    kind: CompanyKind = "client"
    manager: str | None = None
    website: str = ""
    portal: CompanyPortal = field(default_factory=CompanyPortal)
    statement: bool = False


@dataclass
class Contact(Record):
    name: str = ""
    company: str | None = None
    position: str = ""
    tags: list[str] = field(default_factory=list)
    email: str = ""
    phone: str = ""
    chat: dict[str, str] = field(default_factory=dict)
    owner: str | None = None
    follow_up: date | None = None
    cadence: int | None = None  # minutes
    consent: bool = False


@dataclass(frozen=True, slots=True)
class Metric:
    name: str
    target: float | None
    actual: float | None
    unit: str = ""


@dataclass
class Project(Record):
    name: str = ""
    company: str = ""
    manager: str | None = None
    status: ProjectStatus = "active"
    start: date | None = None
    due: date | None = None
    workflow: str = ""
    budget: Money | None = None
    billing: Billing | None = None  # None: the workspace's `billing`
    metrics: list[Metric] = field(default_factory=list)
    client_summary: str = ""


@dataclass(frozen=True, slots=True)
class TimeEntry:
    date: date
    person: str
    minutes: int
    note: str
    line: int
    col: int


@dataclass
class Task(Record):
    title: str = ""
    project: str = ""
    status: str = ""
    assignee: str | None = None
    participants: list[str] = field(default_factory=list)
    start: date | None = None
    due: date | None = None
    estimate: int | None = None  # minutes
    time: list[TimeEntry] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    priority: Priority = "normal"
    client_visible: bool = False
    price: Money | None = None

    @property
    def spent(self) -> int:
        return sum(e.minutes for e in self.time)


@dataclass(frozen=True, slots=True)
class NextStep:
    date: date | None
    action: str


@dataclass
class Deal(Record):
    title: str = ""
    company: str = ""
    contact: str | None = None
    pipeline: str = ""
    stage: str = ""
    owner: str | None = None
    amount: Money | None = None
    probability: int | None = None
    expected_close: date | None = None
    next_step: NextStep | None = None
    updated: date | None = None
    source: str = ""
    lost_reason: str = ""
