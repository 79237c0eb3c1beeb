"""A page for every record: a facts box from its front matter, its body, and backlinks
(a project's tasks, a company's contacts, deals and projects, a person's work...)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from builder.model import Company, Contact, Deal, Person, Project, Record, Task, Workspace
from builder.model.outreach import metric_actual
from builder.views import reach
from builder.views.calendar import follow_up_text
from builder.views.common import (
    Fmt,
    Link,
    checklist,
    due_state,
    person_link,
    url,
)
from builder.views.funnels import deal_card
from builder.views.outreach import MediaList, OutreachRow, media_list, timeline
from builder.views.paths import board_url, funnel_url, own_calendar_url

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
    external: bool = False  # url leaves the site (mailto:, tel:, https:, an app's link)

    def __post_init__(self) -> None:
        self.external = self.url.startswith(reach.SCHEMES)


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
    better: str = "higher"
    reached: bool = False


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
    outreach: list[OutreachRow] = field(default_factory=list)  # a contact's, newest first
    media: MediaList | None = None  # a project's media list, when anyone was pitched
    #: a project's summary for its client (Markdown, as the portal shows it)
    client_summary: str = ""


def _ref(ws: Workspace, kind: str, ident: str | None) -> tuple[str, str]:
    if not ident:
        return "", ""
    rec: Any = ws.table(kind).get(ident)
    if rec is None:
        return ident, ""
    name = getattr(rec, "name", "") or getattr(rec, "title", "") or ident
    return name, url(kind, ident)


#: The style of a fact that asks for attention without being overdue.
WARN = "warn-text"


def _fact(fmt: Fmt, key: str, value: str, link: str = "", css: str = "") -> Fact | None:
    return Fact(fmt.t(f"field.{key}"), value, link, css) if value else None


def _reach_facts(
    ws: Workspace, fmt: Fmt, email: str, phone: str, chat: dict[str, str]
) -> list[Fact | None]:
    """E-mail, phone and chat handles as the links that write, call or open the chat."""
    region = reach.workspace_region(ws.settings.phone_region, ws.settings.locale)
    ways = reach.ways(email, phone, chat, region)
    return [Fact(w.network or fmt.t(f"field.{w.kind}"), w.text, w.url) for w in ways]


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
        _fact(fmt, "portal_ref", t.ref if t.client_visible else ""),
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
        _fact(fmt, "project", c.project.text, c.project.url)
        or _fact(fmt, "project", fmt.t("funnel.no_project") if c.needs_project else "", css=WARN),
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


def _deals_fact(derived: Derived, p: Project, fmt: Fmt) -> Fact | None:
    """The deals the project came from (those that name it)."""
    deals = derived.index.deals_by_project.get(p.id, [])
    if not deals:
        return None
    return Fact(fmt.t("type.deal"), "", items=[Link(d.title, url("deal", d.id)) for d in deals])


def project_page(ws: Workspace, derived: Derived, p: Project, today: date) -> RecordPage:
    """A project's page: its facts, metrics, media list, tasks and body."""
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
        _deals_fact(derived, p, fmt),
        Fact(fmt.t("nav.calendar"), fmt.t("calendar.open"), own_calendar_url("project", p.id)),
        *_custom(ws, p, fmt, "project"),
    ]
    pitched = derived.index.outreach_by_project.get(p.id, [])
    metrics = []
    for m in p.metrics:
        # a metric counted `from:` the outreach log: its count stands as the actual value
        counted = replace(m, actual=metric_actual(ws, p, m, pitched))
        metrics.append(
            MetricView(
                name=m.name,
                target=fmt.hours(m.target) if m.target is not None else "",
                actual=fmt.hours(counted.actual) if counted.actual is not None else "",
                unit=m.unit,
                percent=counted.progress or 0,
                better=m.better,
                reached=counted.reached,
            )
        )
    sections = [_tasks_section(ws, fmt, fmt.t("section.tasks"), tasks, today)]
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
        media=media_list(ws, derived, p.id, today) if pitched else None,
        client_summary=p.client_summary,
    )


def company_page(ws: Workspace, derived: Derived, co: Company, today: date) -> RecordPage:
    """A company's page: its facts, contacts, projects, deals and body."""
    fmt = Fmt.of(ws)
    mname, murl = _ref(ws, "person", co.manager)
    facts = [
        _fact(fmt, "kind", fmt.t(f"kind.{co.kind}")),
        _fact(fmt, "manager", mname, murl),
        _fact(fmt, "website", co.website, reach.website(co.website).url),
        _fact(fmt, "portal", fmt.t("yes") if co.portal.enabled else ""),
        *_custom(ws, co, fmt, "company"),
    ]
    ix = derived.index
    contacts = sorted(ix.contacts_by_company.get(co.id, []), key=lambda c: c.name.lower())
    deals = ix.deals_by_company.get(co.id, [])
    facts.append(_fact(fmt, "won", _won(ws, deals, fmt)))
    projects = sorted(ix.projects_by_company.get(co.id, []), key=lambda p: p.name.lower())
    sections = [
        Section(
            fmt.t("section.contacts"),
            [BacklinkItem(Link(c.name, url("contact", c.id)), c.position) for c in contacts],
        ),
        Section(
            fmt.t("section.projects"),
            [
                BacklinkItem(
                    Link(p.name, url("project", p.id)),
                    " · ".join(
                        [fmt.t(f"project.{p.status}")]
                        + [_deal_meta(ws, d, fmt) for d in deals if d.project == p.id]
                    ),
                )
                for p in projects
            ],
        ),
        Section(
            fmt.t("section.deals"),
            [BacklinkItem(Link(d.title, url("deal", d.id)), _deal_line(ws, d, fmt)) for d in deals],
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


def _deal_line(ws: Workspace, d: Deal, fmt: Fmt) -> str:
    """A deal as its company lists it: stage, amount, and the project it became."""
    project = ws.projects.get(d.project or "")
    if project is not None:
        return f"{_deal_meta(ws, d, fmt)} → {project.name}"
    if ws.deal_needs_project(d):
        return f"{_deal_meta(ws, d, fmt)} · {fmt.t('funnel.no_project')}"
    return _deal_meta(ws, d, fmt)


def _won(ws: Workspace, deals: list[Deal], fmt: Fmt) -> str:
    """The money won from a client: its won deals' amounts in the base currency, plus any
    amount without a rate to convert it, as it is."""
    won = [d.amount for d in deals if d.amount is not None and ws.deal_is_won(d)]
    if not won:
        return ""
    base = [ws.settings.to_base(m) for m in won]
    total = fmt.base_money(sum((b for b in base if b is not None), Decimal(0)))
    unconverted = [fmt.money(m) for m, b in zip(won, base, strict=True) if b is None]
    shown = unconverted if len(unconverted) == len(won) else [total, *unconverted]
    return " + ".join(shown)


def contact_page(ws: Workspace, derived: Derived, c: Contact, today: date) -> RecordPage:
    """A contact's page: their facts, outreach timeline, deals and body."""
    fmt = Fmt.of(ws)
    cname, curl = _ref(ws, "company", c.company)
    oname, ourl = _ref(ws, "person", c.owner)
    facts = [
        _fact(fmt, "company", cname, curl),
        _fact(fmt, "position", c.position),
        Fact(fmt.t("field.tags"), "", items=[Link(tag) for tag in c.tags]) if c.tags else None,
        *_reach_facts(ws, fmt, c.email, c.phone, c.chat),
        _fact(fmt, "owner", oname, ourl),
        _fact(
            fmt,
            "follow_up",
            fmt.date(c.follow_up) or follow_up_text(ws, derived, c, today),
            css="overdue" if c.follow_up and c.follow_up < today else "",
        ),
        _fact(fmt, "cadence", fmt.interval(c.cadence)),
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
        outreach=timeline(ws, c, fmt),
    )


def person_record_facts(ws: Workspace, p: Person) -> list[Fact]:
    """The facts box of a person's page (their board and work come from `views.people`)."""
    fmt = Fmt.of(ws)
    facts = [
        _fact(fmt, "role", p.role),
        *_reach_facts(ws, fmt, p.email, p.phone, p.chat),
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
