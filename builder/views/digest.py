"""A person's daily digest: what is theirs to do today, in their language, each item linked
to its page on the team's site.

Pure like every view: `Workspace + Derived + History + today + what reached them since
the last digest -> DigestView`. The notions are the dashboard's and the people pages'
(overdue, due this week, follow-ups, idle deals, WIP breaches, this week's load), taken
from their modules rather than computed again another way. `render.digest` writes the
view as text, Markdown or HTML; `builder.notify` sends it.

Personal sections: overdue, due today, due later this week, newly assigned, mentioned,
stuck past the column's limit, waiting in a client-approval column of a project they
manage, follow-ups due, deals that need a step (idle past the stage's limit, or the next
step due). A manager (of an open project, directly or as its client's manager) also gets
the team: people over capacity this week, tasks overdue by more than
`notify.escalate_after` days, WIP breaches and other people's stale deals, all within the
projects and clients they manage. A digest with no item is empty and is not sent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from builder.history.flow import StuckCard, project_stuck
from builder.history.news import News
from builder.i18n import format_date
from builder.model import Contact, Deal, Person, Project, Task, Workspace
from builder.views.activity import format_days
from builder.views.calendar import follow_up_due
from builder.views.common import Fmt, url, week_bounds
from builder.views.dashboard import wip_breaches
from builder.views.funnels import idle_days, is_idle
from builder.views.paths import board_url
from builder.views.people import week_load_minutes

if TYPE_CHECKING:
    from builder.history import History
    from builder.views.derived import Derived

#: the order of a digest's sections (each a `digest.<key>` heading in the catalogues)
PERSONAL = (
    "overdue",
    "due_today",
    "due_week",
    "assigned",
    "mentioned",
    "stuck",
    "approval",
    "follow_ups",
    "deals",
)
TEAM = ("over_capacity", "escalations", "wip", "stale")


@dataclass
class DigestItem:
    text: str  # the record's title
    url: str  # its page: absolute under the site's address when it is known
    note: str = ""  # why it is here: "3 days overdue", "from Iryna Savchuk", ...


@dataclass
class DigestSection:
    key: str
    title: str
    items: list[DigestItem]


@dataclass
class DigestView:
    person: str
    name: str
    email: str
    locale: str
    subject: str
    greeting: str
    sections: list[DigestSection]
    team: list[DigestSection]
    team_title: str
    counts: str
    site_url: str
    footer: str
    html_lang: str = "en"

    @property
    def empty(self) -> bool:
        """Nothing to tell: such a digest is not sent."""
        return not any(s.items for s in (*self.sections, *self.team))


@dataclass(frozen=True)
class DigestInputs:
    """What every person's digest of one run reads: computed once per run."""

    ws: Workspace
    derived: Derived
    today: date
    site_url: str
    assigned: dict[str, list[News]]
    mentioned: dict[str, list[News]]
    stuck: dict[str, StuckCard]  # task id -> past its column's limit


def digest_inputs(
    ws: Workspace,
    derived: Derived,
    history: History | None,
    today: date,
    site_url: str = "",
    assigned: dict[str, list[News]] | None = None,
    mentioned: dict[str, list[News]] | None = None,
) -> DigestInputs:
    """The run's shared data: the stuck cards of every board (from git history, when
    there is one) and what reached each person since their last digest."""
    stuck: dict[str, StuckCard] = {}
    if history is not None:
        for pid in sorted(ws.projects):
            for card in project_stuck(history, ws, pid):
                if card.reason == "limit":
                    stuck[card.task] = card
    base = site_url.rstrip("/") + "/" if site_url else ""
    return DigestInputs(ws, derived, today, base, assigned or {}, mentioned or {}, stuck)


def person_locale(ws: Workspace, person: Person) -> str:
    """The language of a person's digest: their own `locale`, else the workspace's."""
    return person.locale or ws.settings.locale


class _Digest:
    """One person's digest under construction (the helpers share the person and words)."""

    def __init__(self, inputs: DigestInputs, person: Person) -> None:
        self.x = inputs
        self.ws = inputs.ws
        self.person = person
        self.fmt = Fmt(person_locale(inputs.ws, person), inputs.ws.settings.base_currency)
        self.today = inputs.today
        flows = inputs.derived.workflows
        self.mine = [
            t
            for t in inputs.derived.index.tasks_by_assignee.get(person.id, [])
            if not flows.get(t.project, flows[""]).is_done(t.status)
        ]

    def link(self, kind: str, ident: str) -> str:
        return self.x.site_url + url(kind, ident)

    def days(self, n: float) -> str:
        return format_days(n, self.fmt.locale)

    def task_item(self, task: Task, note: str = "") -> DigestItem:
        project = self.ws.projects.get(task.project)
        where = project.name if project else task.project
        return DigestItem(task.title, self.link("task", task.id), _join(note, where))

    def name_of(self, person_id: str | None) -> str:
        person = self.ws.people.get(person_id or "")
        return person.name if person else (person_id or self.fmt.t("card.unassigned"))

    def section(self, key: str, items: Iterable[DigestItem], **values: object) -> DigestSection:
        return DigestSection(key, self.fmt.t(f"digest.{key}", **values), list(items))

    # --- the person's own sections ---------------------------------------------------

    def due(self) -> list[DigestSection]:
        sunday = week_bounds(self.today)[1]
        dated = sorted((t for t in self.mine if t.due is not None), key=_by_due)
        overdue = [t for t in dated if t.due and t.due < self.today]
        today = [t for t in dated if t.due == self.today]
        week = [t for t in dated if t.due and self.today < t.due <= sunday]
        fmt = self.fmt
        return [
            self.section(
                "overdue",
                (
                    self.task_item(
                        t, fmt.t("digest.overdue_by", days=self.days((self.today - t.due).days))
                    )
                    for t in overdue
                    if t.due
                ),
            ),
            self.section("due_today", (self.task_item(t) for t in today)),
            self.section(
                "due_week",
                (
                    self.task_item(t, format_date(t.due, fmt.locale, "EEE d MMM"))
                    for t in week
                    if t.due
                ),
            ),
        ]

    def news(self, key: str, found: list[News]) -> DigestSection:
        items = []
        seen: set[tuple[str, str]] = set()
        for n in found:
            record = self.ws.table(n.kind).get(n.id)
            if record is None or (n.kind, n.id) in seen:
                continue
            if n.kind == "task" and key == "assigned" and record not in self.mine:
                continue  # finished or handed on since: nothing to do
            seen.add((n.kind, n.id))
            title = getattr(record, "title", "") or getattr(record, "name", "") or n.id
            who = n.stamp.author.name
            if n.stamp.author.person in self.ws.people:
                who = self.ws.people[n.stamp.author.person].name
            note = self.fmt.t("digest.from", name=who)
            if isinstance(record, Task):
                items.append(self.task_item(record, note))
            else:
                items.append(DigestItem(title, self.link(n.kind, n.id), note))
        return self.section(key, items)

    def stuck(self) -> DigestSection:
        items = []
        for t in self.mine:
            card = self.x.stuck.get(t.id)
            if card is not None:
                note = self.fmt.t(
                    "history.flow.stuck_limit",
                    days=self.days(card.days),
                    column=card.name,
                    limit=self.days(card.threshold),
                )
                items.append(self.task_item(t, note))
        return self.section("stuck", items)

    def approval(self, projects: list[Project]) -> DigestSection:
        items = []
        for p in projects:
            column = self.ws.workflow_of(p).approval
            if not column:
                continue
            for t in self.x.derived.index.tasks_by_project.get(p.id, []):
                if t.status == column:
                    items.append(self.task_item(t, self.name_of(t.assignee)))
        return self.section("approval", items)

    def follow_ups(self) -> DigestSection:
        due: list[tuple[date, Contact]] = []
        for c in self.ws.contacts.values():
            if c.owner != self.person.id:
                continue
            # the date written, or the one the contact's cadence gives
            day = follow_up_due(self.ws, self.x.derived, c, self.today)
            if day is not None and day <= self.today:
                due.append((day, c))
        items = []
        for day, c in sorted(due, key=lambda d: (d[0], d[1].id)):
            company = self.ws.companies.get(c.company or "")
            note = _join(company.name if company else "", self.fmt.short_date(day))
            items.append(DigestItem(c.name, self.link("contact", c.id), note))
        return self.section("follow_ups", items)

    def deal_note(self, deal: Deal) -> str:
        """Why a deal needs a step today ("" when it does not)."""
        notes = []
        stage = self.ws.stage_of(deal)
        if is_idle(self.x.derived, stage, deal, self.today) and stage and stage.idle_days:
            idle = idle_days(self.x.derived, deal, self.today) or 0
            notes.append(
                self.fmt.t("digest.idle", days=self.days(idle), limit=self.days(stage.idle_days))
            )
        step = deal.next_step
        if step is not None and step.date is not None and step.date <= self.today:
            notes.append(
                self.fmt.t(
                    "digest.next_step", date=self.fmt.short_date(step.date), action=step.action
                ).rstrip(": ")
            )
        return "; ".join(notes)

    def deals(self) -> DigestSection:
        items = []
        for d in self.x.derived.index.deals_by_owner.get(self.person.id, []):
            if self.ws.deal_is_open(d):
                note = self.deal_note(d)
                if note:
                    items.append(DigestItem(d.title, self.link("deal", d.id), note))
        return self.section("deals", items)

    # --- a manager's team -------------------------------------------------------------

    def managed(self) -> list[Project]:
        """Open projects this person manages, or whose client they manage."""
        out = []
        for pid in sorted(self.ws.projects):
            p = self.ws.projects[pid]
            company = self.ws.companies.get(p.company)
            if p.status in ("done", "cancelled"):
                continue
            if p.manager == self.person.id or (company and company.manager == self.person.id):
                out.append(p)
        return out

    def team(self, projects: list[Project]) -> list[DigestSection]:
        if not projects:
            return []
        ids = {p.id for p in projects}
        tasks = [
            t
            for p in projects
            for t in self.x.derived.index.tasks_by_project.get(p.id, [])
            if self.ws.task_is_open(t)
        ]
        return [
            self.over_capacity(tasks),
            self.escalations(tasks),
            self.section(
                "wip",
                (
                    DigestItem(
                        b.project.text,
                        self.x.site_url + b.project.url,
                        self.fmt.t("digest.wip_count", column=b.column, count=b.count, wip=b.wip),
                    )
                    for b in wip_breaches(self.ws)
                    if b.project.url in {board_url(i) for i in ids}
                ),
            ),
            self.stale(projects),
        ]

    def over_capacity(self, tasks: list[Task]) -> DigestSection:
        items = []
        people = sorted({t.assignee for t in tasks if t.assignee in self.ws.people})
        for pid in people:
            person = self.ws.people[pid]
            if not person.active or not person.capacity:
                continue
            load = week_load_minutes(self.ws, self.x.derived, pid, self.today) / 60
            if load > person.capacity:
                note = self.fmt.t(
                    "digest.load",
                    load=self.fmt.hours(load),
                    capacity=self.fmt.hours(person.capacity),
                )
                items.append(DigestItem(person.name, self.link("person", pid), note))
        return self.section("over_capacity", items)

    def escalations(self, tasks: list[Task]) -> DigestSection:
        limit = self.ws.settings.notify.escalate_after
        late = sorted(
            (t for t in tasks if t.due and (self.today - t.due).days > limit), key=_by_due
        )
        return self.section(
            "escalations",
            (
                self.task_item(
                    t,
                    _join(
                        self.name_of(t.assignee),
                        self.fmt.t("digest.overdue_by", days=self.days((self.today - t.due).days)),
                    ),
                )
                for t in late
                if t.due
            ),
            days=self.days(limit),
        )

    def stale(self, projects: list[Project]) -> DigestSection:
        companies = {p.company for p in projects} | {
            c.id for c in self.ws.companies.values() if c.manager == self.person.id
        }
        items = []
        for cid in sorted(companies):
            for d in self.x.derived.index.deals_by_company.get(cid, []):
                if d.owner == self.person.id or not self.ws.deal_is_open(d):
                    continue
                stage = self.ws.stage_of(d)
                if is_idle(self.x.derived, stage, d, self.today):
                    idle = idle_days(self.x.derived, d, self.today) or 0
                    note = _join(
                        self.name_of(d.owner),
                        self.fmt.t(
                            "digest.idle",
                            days=self.days(idle),
                            limit=self.days(stage.idle_days if stage and stage.idle_days else 0),
                        ),
                    )
                    items.append(DigestItem(d.title, self.link("deal", d.id), note))
        return self.section("stale", items)

    # --- the whole ---------------------------------------------------------------------

    def counts(self) -> str:
        sunday = week_bounds(self.today)[1]
        fmt = self.fmt
        deals = sum(
            1
            for d in self.x.derived.index.deals_by_owner.get(self.person.id, [])
            if self.ws.deal_is_open(d)
        )
        parts = [
            fmt.tn("digest.open_n", len(self.mine)),
            fmt.tn("digest.overdue_n", sum(1 for t in self.mine if t.due and t.due < self.today)),
            fmt.tn(
                "digest.week_n",
                sum(1 for t in self.mine if t.due and self.today <= t.due <= sunday),
            ),
            fmt.tn("digest.deals_n", deals),
        ]
        return " · ".join(parts)

    def view(self) -> DigestView:
        fmt = self.fmt
        pid = self.person.id
        projects = self.managed()
        sections = [
            *self.due(),
            self.news("assigned", self.x.assigned.get(pid, [])),
            self.news("mentioned", self.x.mentioned.get(pid, [])),
            self.stuck(),
            self.approval(projects),
            self.follow_ups(),
            self.deals(),
        ]
        team = self.team(projects)
        day = format_date(self.today, fmt.locale, "EEEE, d MMMM")
        workspace = self.ws.settings.name
        home = self.link("person", pid)
        return DigestView(
            person=pid,
            name=self.person.name,
            email=self.person.email,
            locale=fmt.locale,
            subject=fmt.t("digest.subject", workspace=workspace, date=day),
            greeting=fmt.t("digest.greeting", name=self.person.first_name, date=day),
            sections=[s for s in sections if s.items],
            team=[s for s in team if s.items],
            team_title=fmt.t("digest.team"),
            counts=self.counts(),
            site_url=self.x.site_url,
            footer=fmt.t("digest.footer", workspace=workspace, url=home),
            html_lang=fmt.locale,
        )


def _join(*parts: str) -> str:
    return " · ".join(p for p in parts if p)


def _by_due(t: Task) -> tuple[date, str]:
    return (t.due or date.max, t.id)


def digest(inputs: DigestInputs, person_id: str) -> DigestView:
    """The digest of one person (empty for an inactive one: they get none)."""
    person = inputs.ws.people[person_id]
    view = _Digest(inputs, person).view()
    if not person.active:
        view.sections, view.team = [], []
    return view
