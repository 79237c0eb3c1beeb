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
        Better,
        Billing,
        CompanyKind,
        CustomFieldType,
        Locale,
        MetricSource,
        Outcome,
        PortalAssignee,
        Priority,
        ProjectStatus,
        Reply,
        Sensitivity,
    )

Pos = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in one currency (`12000 UAH`)."""

    amount: Decimal
    currency: str

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a workflow: `wip` is its work-in-progress limit; a task in it longer
    than `limit_days` is stuck."""

    id: str
    name: str
    wip: int | None = None
    limit_days: int | None = None


@dataclass(frozen=True)
class Workflow:
    """A project's task columns (`workflows:` in workspace.yml) and the special ones among them."""

    id: str
    name: str
    columns: tuple[Column, ...]
    done: str
    backlog: str
    approval: str = ""  # the column where work waits for the client's approval ("": none)

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
    """One stage of a sales pipeline, with the chance that a deal at it is won."""

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
    """A sales pipeline (`pipelines:` in workspace.yml): its stages in order."""

    id: str
    name: str
    stages: tuple[Stage, ...]
    projects: bool = True  # whether its won deals become projects (else none is flagged)

    @cached_property
    def stage_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.stages)

    def stage(self, stage_id: str) -> Stage | None:
        return next((s for s in self.stages if s.id == stage_id), None)


@dataclass(frozen=True, slots=True)
class CustomField:
    """A field workspace.yml adds to a record type (`custom_fields:`)."""

    name: str
    type: CustomFieldType
    label: str
    choices: tuple[str, ...] = ()
    sensitivity: Sensitivity = "internal"


@dataclass(frozen=True, slots=True)
class Audience:
    """A part of the team with a site of its own, and what that site leaves out
    (`builder.model.audience` turns it into the records and fields to hide)."""

    name: str
    types: tuple[str, ...] = ()  # record types left out, with every page and link of theirs
    sensitivities: tuple[Sensitivity, ...] = ()  # fields (and bodies) of these left out
    fields: tuple[tuple[str, str], ...] = ()  # (record type, field or "body") left out
    keep: tuple[tuple[str, str], ...] = ()  # kept although a sensitivity leaves them out


@dataclass
class PortalDefaults:
    """`portal:` in workspace.yml: what the client portals show by default."""

    assignee: PortalAssignee = "first_name"
    done_recent_days: int = 14
    base_url: str = ""  # where the portals are published: `portal links` prints full links


@dataclass
class NotifySettings:
    """`notify:` in workspace.yml: how `plaindesk digest` and `notify` reach people."""

    site_url: str = ""  # the internal site's address: digests link there (else mkdocs.yml's)
    hour: int = 9  # the scheduled run sends from this hour on, in the workspace's time zone
    escalate_after: int = 3  # a manager hears of a task overdue by more days than this


@dataclass
class Settings:
    """workspace.yml, read and checked, with the defaults of what it leaves out."""

    name: str = "Plaindesk"
    locale: Locale = "en"
    timezone: str = "UTC"
    today: date | None = None
    base_currency: str = "USD"
    rates: dict[str, Decimal] = field(default_factory=dict)
    hours_per_day: int = 8
    #: an outreach entry still `sent` (or `no-answer`) this many days on is to be chased
    chase_after_days: int = 5
    allow_raw_html: bool = False
    phone_region: str = ""  # ISO 3166 code for numbers written without +; "": from locale
    workflows: dict[str, Workflow] = field(default_factory=dict)
    default_workflow: str = "default"
    pipelines: dict[str, Pipeline] = field(default_factory=dict)
    default_pipeline: str = "sales"
    custom_fields: dict[str, dict[str, CustomField]] = field(default_factory=dict)
    portal: PortalDefaults = field(default_factory=PortalDefaults)
    notify: NotifySettings = field(default_factory=NotifySettings)
    billing: Billing = "fixed"  # a project's, unless it says
    follow_up_from_cadence: bool = True  # a contact's follow-up counted from its cadence
    audiences: dict[str, Audience] = field(default_factory=dict)
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
    """Someone on the agency's team: who is assigned work and logs time."""

    name: str = ""
    role: str = ""
    email: str = ""
    phone: str = ""
    emails: list[str] = field(default_factory=list)
    chat: dict[str, str] = field(default_factory=dict)
    capacity: float | None = None  # hours per week
    rate: Money | None = None
    active: bool = True
    locale: Locale | None = None  # of her digest; None: the workspace's
    notify: list[str] = field(default_factory=list)  # Apprise URLs with `{ENV}` placeholders

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.split() else self.id


@dataclass
class CompanyPortal:
    """`portal:` of a company: whether it gets a client portal, in which language."""

    enabled: bool = False
    locale: Locale | None = None


@dataclass
class Company(Record):
    """A client, partner or supplier of the agency."""

    name: str = ""
    kind: CompanyKind = "client"
    manager: str | None = None
    website: str = ""
    portal: CompanyPortal = field(default_factory=CompanyPortal)
    statement: bool = False


@dataclass
class Contact(Record):
    """A person at a company (or on their own) the agency talks to."""

    name: str = ""
    company: str | None = None
    position: str = ""
    tags: list[str] = field(default_factory=list)
    email: str = ""
    phone: str = ""
    chat: dict[str, str] = field(default_factory=dict)
    owner: str | None = None
    follow_up: date | None = None
    cadence: int | None = None  # days (a calendar interval, not working time)
    consent: bool = False
    log: list[OutreachEntry] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class OutreachEntry:
    """One touch of a contact: who pitched them what (`about`: a project, task or deal id),
    by which channel, and what came of it; `link` is where it was published."""

    date: date
    person: str
    channel: str  # one of `CHANNELS`, or "" when not said
    about: str
    outcome: Reply
    link: str
    note: str
    line: int
    col: int


@dataclass(frozen=True, slots=True)
class Metric:
    """A number a project is measured by: its target and the actual figure."""

    name: str
    target: float | None
    actual: float | None
    unit: str = ""
    source: MetricSource | None = None  # `from:` in front matter: what `actual` counts
    better: Better = "higher"

    @property
    def reached(self) -> bool:
        """Whether `actual` meets `target` in the direction that counts as better."""
        if self.target is None or self.actual is None:
            return False
        if self.better == "lower":
            return self.actual <= self.target
        return self.actual >= self.target

    @property
    def progress(self) -> int | None:
        """How far towards the target, 0..100; 100 only when reached; None without both
        numbers (or a zero target to measure a higher-is-better metric against)."""
        if self.target is None or self.actual is None:
            return None
        if self.reached:
            return 100
        # Compared before they are scaled: over a tiny divisor the ratio may be infinite.
        part, whole = (
            (self.target, self.actual) if self.better == "lower" else (self.actual, self.target)
        )
        if not whole > 0:
            return None if self.better == "higher" else 0
        ratio = part / whole
        return 0 if not ratio > 0 else min(99, round(ratio * 100))


@dataclass
class Project(Record):
    """A piece of work for a client, with its tasks on a workflow."""

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
    """One entry of a task's time log: who spent how many minutes when."""

    date: date
    person: str
    minutes: int
    note: str
    line: int
    col: int


@dataclass
class Task(Record):
    """One piece of work on a project, in a column of its workflow."""

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

    @property
    def ref(self) -> str:
        """A short, stable reference ("PD-7KQ2M") that the client's approval e-mails carry
        and the task's page shows: a one-way hash of the id, which never reaches a portal."""
        import base64  # imported here: loading OpenSSL's hashes costs every edit command
        import hashlib

        digest = hashlib.sha256(f"plaindesk-task:{self.id}".encode()).digest()
        return "PD-" + base64.b32encode(digest).decode("ascii")[:5]


@dataclass(frozen=True, slots=True)
class NextStep:
    """A deal's next step: what is to be done, and by when."""

    date: date | None
    action: str


@dataclass
class Deal(Record):
    """A sale in progress, at a stage of a pipeline."""

    title: str = ""
    company: str = ""
    contact: str | None = None
    project: str | None = None  # the project the deal became
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
