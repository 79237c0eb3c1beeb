"""A page for every record: a facts box from its front matter, its body, and backlinks
(a project's tasks, a company's contacts, deals and projects, a person's work...)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from builder.model import Company, Contact, Deal, Person, Project, Record, Task, Workspace
from builder.views.calendar import follow_up_text
from builder.views.common import (
    Fmt,
    Link,
    checklist,
    due_state,
    percent_of,
    person_link,
    url,
)
from builder.views.funnels import deal_card
from builder.views.paths import board_url, funnel_url, mailto, own_calendar_url

if TYPE_CHECKING:
    from builder.model.schema import RecordType
    from builder.views.derived import Derived


@dataclass
class Fact:
    label: str
    value: str
    url: str = ""
    css: str = ""
    items: list[Link] = field(default_factory=list)  # for list values (tags, participants)
    external: bool = False  # url leaves the site (mailto:, https:)

    def __post_init__(self) -> None:
        self.external = self.url.startswith(("mailto:", "tel:", "https://", "http://"))


@dataclass
class BacklinkItem:
    link: Link
    meta: str = ""
    css: str = ""


@dataclass
class Section:
    title: str
    items: list[BacklinkItem]
    more_url: str = ""


@dataclass
class MetricView:
    name: str
    target: str
    actual: str
    unit: str
    percent: int


@dataclass
class RecordPage:
    kind: RecordType
    kind_label: str
    id: str
    title: str
    path: str  # the record's file, as given to the loader
    facts: list[Fact]
    body: str  # Markdown; the render stage turns it into sanitised HTML
    sections: list[Section]
    metrics: list[MetricView] = field(default_factory=list)
    board_url: str = ""
    time_log: list[list[str]] = field(default_factory=list)


def _ref(ws: Workspace, kind: str, ident: str | None) -> tuple[str, str]:
    if not ident:
        return "", ""
    rec: Any = ws.table(kind).get(ident)
    if rec is None:
        return ident, ""
    name = getattr(rec, "name", "") or getattr(rec, "title", "") or ident
    return name, url(kind, ident)


def _fact(fmt: Fmt, key: str, value: str, link: str = "", css: str = "") -> Fact | None:
    return Fact(fmt.t(f"field.{key}"), value, link, css) if value else None


def _custom(ws: Workspace, rec: Record, fmt: Fmt, kind: str) -> list[Fact | None]:
    out: list[Fact | None] = []
    declared = ws.settings.custom_fields.get(kind, {})
    for name, value in rec.custom.items():
        spec = declared.get(name)
        label = spec.label if spec else name
        if isinstance(value, bool):
            shown = fmt.t("yes") if value else fmt.t("no")
        elif isinstance(value, date):
            shown = fmt.date(value)
        elif isinstance(value, float):
            shown = fmt.hours(value)
        else:
            shown = str(value)
        out.append(Fact(label, shown))
    return out


def _tasks_section(ws: Workspace, fmt: Fmt, title: str, tasks: list[Task], today: date) -> Section:
    items = []
    for t in sorted(tasks, key=lambda t: (not ws.task_is_open(t), t.due or date.max, t.id)):
        flow = ws.workflow_of(ws.projects.get(t.project))
        column = flow.column(t.status)
        state = due_state(t.due, today, not flow.is_done(t.status))
        items.append(
            BacklinkItem(
                Link(t.title, url("task", t.id)),
                " · ".join(
                    x for x in (column.name if column else t.status, fmt.short_date(t.due)) if x
                ),
                state,
            )
        )
    return Section(title, items)


def task_page(ws: Workspace, derived: Derived, t: Task, today: date) -> RecordPage:
    """A task's page: its facts, its time log and its body."""
    fmt = Fmt.of(ws)
    project = ws.projects.get(t.project)
    flow = ws.workflow_of(project)
    column = flow.column(t.status)
    pname, purl = _ref(ws, "project", t.project)
    aname, aurl = _ref(ws, "person", t.assignee)
    done, total = checklist(t.body)
    facts = [
        _fact(fmt, "project", pname, purl),
        _fact(fmt, "status", column.name if column else t.status, board_url(t.project)),
        _fact(fmt, "assignee", aname, aurl),
        Fact(
            fmt.t("field.participants"), "", items=[person_link(ws, p, fmt) for p in t.participants]
        )
        if t.participants
        else None,
        _fact(fmt, "start", fmt.date(t.start)),
        _fact(fmt, "due", fmt.date(t.due), css=due_state(t.due, today, not flow.is_done(t.status))),
        _fact(fmt, "priority", fmt.t(f"priority.{t.priority}")),
        _fact(fmt, "estimate", fmt.duration(t.estimate)),
        _fact(fmt, "spent", fmt.duration(t.spent) if t.time else ""),
        _fact(fmt, "checklist", f"{done}/{total}" if total else ""),
        _fact(fmt, "price", fmt.money(t.price)),
        Fact(fmt.t("field.tags"), "", items=[Link(tag) for tag in t.tags]) if t.tags else None,
        _fact(fmt, "client_visible", fmt.t("yes") if t.client_visible else ""),
        *_custom(ws, t, fmt, "task"),
    ]
    log = [
        [fmt.date(e.date), _ref(ws, "person", e.person)[0], fmt.duration(e.minutes), e.note]
        for e in sorted(t.time, key=lambda e: (e.date, e.line))
    ]
    return RecordPage(
        kind="task",
        kind_label=fmt.t("type.task"),
        id=t.id,
        title=t.title,
        path=t.path,
        facts=[f for f in facts if f],
        body=t.body,
        sections=[],
        time_log=log,
    )


def _last_activity(d: Deal, idle_days: int | None, today: date) -> date | None:
    """The day of the deal's last change: from git when the site has its history (the
    deal card's idle days come from there), else the hand-kept `updated:`."""
    if idle_days is None:
        return d.updated
    return today - timedelta(days=idle_days)


def deal_page(ws: Workspace, derived: Derived, d: Deal, today: date) -> RecordPage:
    """A deal's page: its facts (amount, stage, next step, last activity) and its body."""
    fmt = Fmt.of(ws)
    pipeline = ws.pipeline_of(d)
    stage = pipeline.stage(d.stage)
    c = deal_card(ws, derived, d, today, fmt)
    cname, curl = _ref(ws, "company", d.company)
    kname, kurl = _ref(ws, "contact", d.contact)
    oname, ourl = _ref(ws, "person", d.owner)
    amount = c.amount + (f" ≈ {c.amount_base}" if c.converted else "")
    facts = [
        _fact(fmt, "company", cname, curl),
        _fact(fmt, "contact", kname, kurl),
        _fact(fmt, "pipeline", pipeline.name, funnel_url(pipeline.id)),
        _fact(fmt, "stage", stage.name if stage else d.stage),
        _fact(fmt, "owner", oname, ourl),
        _fact(fmt, "amount", amount),
        _fact(fmt, "probability", c.probability),
        _fact(fmt, "expected_close", fmt.date(d.expected_close)),
        _fact(
            fmt,
            "next_step",
            " ".join(x for x in (c.next_step_date, c.next_step) if x),
            css="overdue" if c.next_step_overdue else "",
        ),
        _fact(
            fmt,
            "updated",
            fmt.date(_last_activity(d, c.idle_days, today)),
            css="overdue" if c.idle else "",
        ),
        _fact(fmt, "source", d.source),
        _fact(fmt, "lost_reason", d.lost_reason),
        *_custom(ws, d, fmt, "deal"),
    ]
    return RecordPage(
        kind="deal",
        kind_label=fmt.t("type.deal"),
        id=d.id,
        title=d.title,
        path=d.path,
        facts=[f for f in facts if f],
        body=d.body,
        sections=[],
    )


def project_page(ws: Workspace, derived: Derived, p: Project, today: date) -> RecordPage:
    """A project's page: its facts, metrics, tasks and body."""
    fmt = Fmt.of(ws)
    cname, curl = _ref(ws, "company", p.company)
    mname, murl = _ref(ws, "person", p.manager)
    tasks = derived.index.tasks_by_project.get(p.id, [])
    open_ = [t for t in tasks if ws.task_is_open(t)]
    facts = [
        _fact(fmt, "company", cname, curl),
        _fact(fmt, "manager", mname, murl),
        _fact(fmt, "status", fmt.t(f"project.{p.status}")),
        _fact(fmt, "start", fmt.date(p.start)),
        _fact(fmt, "due", fmt.date(p.due)),
        _fact(fmt, "workflow", ws.workflow_of(p).name),
        _fact(fmt, "budget", fmt.money(p.budget)),
        _fact(fmt, "billing", fmt.t(f"reports.billing.{p.billing}") if p.billing else ""),
        _fact(fmt, "tasks", f"{len(tasks) - len(open_)}/{len(tasks)}" if tasks else ""),
        Fact(fmt.t("nav.calendar"), fmt.t("calendar.open"), own_calendar_url("project", p.id)),
        *_custom(ws, p, fmt, "project"),
    ]
    metrics = [
        MetricView(
            name=m.name,
            target=fmt.hours(m.target) if m.target is not None else "",
            actual=fmt.hours(m.actual) if m.actual is not None else "",
            unit=m.unit,
            percent=percent_of(m.actual or 0, m.target or 0),
        )
        for m in p.metrics
    ]
    sections = [_tasks_section(ws, fmt, fmt.t("section.tasks"), tasks, today)]
    if p.client_summary:
        facts.append(_fact(fmt, "client_summary", p.client_summary))
    return RecordPage(
        kind="project",
        kind_label=fmt.t("type.project"),
        id=p.id,
        title=p.name,
        path=p.path,
        facts=[f for f in facts if f],
        body=p.body,
        sections=sections,
        metrics=metrics,
        board_url=board_url(p.id),
    )


def company_page(ws: Workspace, derived: Derived, co: Company, today: date) -> RecordPage:
    """A company's page: its facts, contacts, projects, deals and body."""
    fmt = Fmt.of(ws)
    mname, murl = _ref(ws, "person", co.manager)
    facts = [
        _fact(fmt, "kind", fmt.t(f"kind.{co.kind}")),
        _fact(fmt, "manager", mname, murl),
        _fact(
            fmt,
            "website",
            co.website,
            co.website if co.website.startswith(("https://", "http://")) else "",
        ),
        _fact(fmt, "portal", fmt.t("yes") if co.portal.enabled else ""),
        *_custom(ws, co, fmt, "company"),
    ]
    ix = derived.index
    contacts = sorted(ix.contacts_by_company.get(co.id, []), key=lambda c: c.name.lower())
    deals = ix.deals_by_company.get(co.id, [])
    projects = sorted(ix.projects_by_company.get(co.id, []), key=lambda p: p.name.lower())
    sections = [
        Section(
            fmt.t("section.contacts"),
            [BacklinkItem(Link(c.name, url("contact", c.id)), c.position) for c in contacts],
        ),
        Section(
            fmt.t("section.projects"),
            [
                BacklinkItem(Link(p.name, url("project", p.id)), fmt.t(f"project.{p.status}"))
                for p in projects
            ],
        ),
        Section(
            fmt.t("section.deals"),
            [BacklinkItem(Link(d.title, url("deal", d.id)), _deal_meta(ws, d, fmt)) for d in deals],
        ),
    ]
    return RecordPage(
        kind="company",
        kind_label=fmt.t("type.company"),
        id=co.id,
        title=co.name,
        path=co.path,
        facts=[f for f in facts if f],
        body=co.body,
        sections=sections,
    )


def _deal_meta(ws: Workspace, d: Deal, fmt: Fmt) -> str:
    stage = ws.stage_of(d)
    return " · ".join(x for x in (stage.name if stage else d.stage, fmt.money(d.amount)) if x)


def contact_page(ws: Workspace, derived: Derived, c: Contact, today: date) -> RecordPage:
    """A contact's page: their facts, deals and body."""
    fmt = Fmt.of(ws)
    cname, curl = _ref(ws, "company", c.company)
    oname, ourl = _ref(ws, "person", c.owner)
    facts = [
        _fact(fmt, "company", cname, curl),
        _fact(fmt, "position", c.position),
        Fact(fmt.t("field.tags"), "", items=[Link(tag) for tag in c.tags]) if c.tags else None,
        _fact(fmt, "email", c.email, mailto(c.email) if c.email else ""),
        _fact(fmt, "phone", c.phone),
        *[Fact(k, v) for k, v in sorted(c.chat.items())],
        _fact(fmt, "owner", oname, ourl),
        _fact(
            fmt,
            "follow_up",
            fmt.date(c.follow_up) or follow_up_text(ws, derived, c, today),
            css="overdue" if c.follow_up and c.follow_up < today else "",
        ),
        _fact(fmt, "cadence", fmt.duration(c.cadence)),
        _fact(fmt, "consent", fmt.t("yes") if c.consent else fmt.t("no")),
        *_custom(ws, c, fmt, "contact"),
    ]
    deals = derived.index.deals_by_contact.get(c.id, [])
    sections = [
        Section(
            fmt.t("section.deals"), [BacklinkItem(Link(d.title, url("deal", d.id))) for d in deals]
        )
    ]
    return RecordPage(
        kind="contact",
        kind_label=fmt.t("type.contact"),
        id=c.id,
        title=c.name,
        path=c.path,
        facts=[f for f in facts if f],
        body=c.body,
        sections=sections,
    )


def person_record_facts(ws: Workspace, p: Person) -> list[Fact]:
    """The facts box of a person's page (their board and work come from `views.people`)."""
    fmt = Fmt.of(ws)
    facts = [
        _fact(fmt, "role", p.role),
        _fact(fmt, "email", p.email, mailto(p.email) if p.email else ""),
        _fact(fmt, "phone", p.phone),
        *[Fact(k, v) for k, v in sorted(p.chat.items())],
        _fact(
            fmt,
            "capacity",
            fmt.t("hours_per_week", h=fmt.hours(p.capacity)) if p.capacity is not None else "",
        ),
        _fact(fmt, "active", "" if p.active else fmt.t("no")),
        Fact(fmt.t("nav.calendar"), fmt.t("calendar.open"), own_calendar_url("person", p.id)),
        *_custom(ws, p, fmt, "person"),
    ]
    return [f for f in facts if f]
