"""What every view shares: site paths of records (from `paths`), locale formatting,
checklist counts and the task card."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from builder import i18n
from builder.model import Contact, Deal, Money, Person, Project, Task, Workflow, Workspace
from builder.model.schema import SECTIONS as SECTIONS
from builder.views.paths import url as url

T = TypeVar("T")

_CHECKED = re.compile(r"^\s*[-*+]\s+\[[xX]\]\s", re.MULTILINE)
_UNCHECKED = re.compile(r"^\s*[-*+]\s+\[ \]\s", re.MULTILINE)
SOON_DAYS = 3


@dataclass
class Index:
    """Backlinks by id, computed once per workspace so views never rescan every record."""

    tasks_by_project: dict[str, list[Task]]
    tasks_by_assignee: dict[str, list[Task]]
    contacts_by_company: dict[str, list[Contact]]
    projects_by_company: dict[str, list[Project]]
    deals_by_company: dict[str, list[Deal]]
    deals_by_contact: dict[str, list[Deal]]
    deals_by_owner: dict[str, list[Deal]]


def _group(items: Iterable[T], key: Callable[[T], str | None]) -> dict[str, list[T]]:
    out: dict[str, list[T]] = {}
    for item in items:
        k = key(item)
        if k:
            out.setdefault(k, []).append(item)
    return out


def index(ws: Workspace) -> Index:
    """The workspace's backlink index (built on first use, then kept on the workspace)."""
    found = ws.cache.get("index")
    if found is None:
        tasks = [ws.tasks[k] for k in sorted(ws.tasks)]
        deals = [ws.deals[k] for k in sorted(ws.deals)]
        found = ws.cache["index"] = Index(
            _group(tasks, lambda t: t.project),
            _group(tasks, lambda t: t.assignee),
            _group((ws.contacts[k] for k in sorted(ws.contacts)), lambda c: c.company),
            _group((ws.projects[k] for k in sorted(ws.projects)), lambda p: p.company),
            _group(deals, lambda d: d.company),
            _group(deals, lambda d: d.contact),
            _group(deals, lambda d: d.owner),
        )
    assert isinstance(found, Index)
    return found


def project_workflows(ws: Workspace) -> dict[str, Workflow]:
    """Each project's workflow by project id, "" standing for a task whose project is
    unknown (made once per workspace: boards and the dashboard ask it of every task)."""
    found: dict[str, Workflow] | None = ws.cache.get("project_workflows")
    if found is None:
        found = ws.cache["project_workflows"] = {
            pid: ws.workflow_of(p) for pid, p in ws.projects.items()
        }
        found[""] = ws.workflow_of(None)
    return found


def checklist(body: str) -> tuple[int, int]:
    """(done, total) of Markdown task-list items in a body."""
    done = len(_CHECKED.findall(body))
    return done, done + len(_UNCHECKED.findall(body))


def percent_of(part: float, whole: float) -> int:
    """`part` as a whole percentage of `whole`, held to 0..100 (0 without a `whole`). The
    ratio is compared before it is scaled: over a tiny `whole` it may be infinite."""
    if not whole:
        return 0
    ratio = part / whole
    return 0 if not ratio > 0 else 100 if ratio >= 1 else round(100 * part / whole)


def week_bounds(today: date) -> tuple[date, date]:
    """Monday and Sunday of the week holding `today`."""
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)


@dataclass
class Fmt:
    """Locale-aware formatting bound to one workspace's locale and base currency."""

    locale: str
    base: str

    @classmethod
    def of(cls, ws: Workspace) -> Fmt:
        return cls(ws.settings.locale, ws.settings.base_currency)

    def t(self, key: str, **values: object) -> str:
        return i18n.t(self.locale, key, **values)

    def tn(self, key: str, n: int, **values: object) -> str:
        return i18n.tn(self.locale, key, n, **values)

    def date(self, day: dt.date | None) -> str:
        return i18n.format_date(day, self.locale) if day else ""

    def short_date(self, day: dt.date | None) -> str:
        return i18n.format_date(day, self.locale, "d MMM") if day else ""

    def money(self, money: Money | None) -> str:
        if money is None:
            return ""
        return i18n.format_money(money.amount, money.currency, self.locale)

    def base_money(self, amount: Decimal | None) -> str:
        if amount is None:
            return ""
        # to_integral_value, not quantize: a total past the context's 28 digits rounds
        # as it is instead of failing (InvalidOperation)
        return i18n.format_money(amount.to_integral_value(), self.base, self.locale)

    def duration(self, minutes: int | None) -> str:
        if minutes is None:
            return ""
        hours, mins = divmod(minutes, 60)
        if hours and mins:
            return self.t("duration.hm", h=hours, m=mins)
        if hours:
            return self.t("duration.h", h=hours)
        return self.t("duration.m", m=mins)

    def hours(self, value: float) -> str:
        return i18n.format_number(value, self.locale, 1 if value != int(value) else 0)

    def percent(self, value: float | None) -> str:
        return "" if value is None else f"{round(value * 100)}%"


@dataclass
class Link:
    text: str
    url: str = ""


@dataclass
class CardView:
    """A task card as boards, dashboards and people pages show it."""

    id: str
    title: str
    url: str
    status: str
    project: Link
    assignee: Link
    assignee_id: str
    due: str
    due_state: str  # "", "overdue", "soon"
    priority: str
    priority_label: str
    tags: list[str] = field(default_factory=list)
    checklist: str = ""
    checklist_done: bool = False
    estimate: str = ""
    spent: str = ""
    over_estimate: bool = False
    stuck: str = ""
    search: str = ""


def due_state(due: date | None, today: date, is_open: bool) -> str:
    if due is None or not is_open:
        return ""
    if due < today:
        return "overdue"
    if due <= today + timedelta(days=SOON_DAYS):
        return "soon"
    return ""


def person_link(ws: Workspace, person_id: str | None, fmt: Fmt) -> Link:
    person: Person | None = ws.people.get(person_id or "")
    if person is None:
        return Link(person_id or fmt.t("card.unassigned"))
    return Link(person.name, url("person", person.id))


def _of_day(ws: Workspace, name: str, today: date) -> dict[str, Any]:
    """A per-task memo of the workspace's, for one day (views take today as a parameter)."""
    days: dict[date, dict[str, Any]] = ws.cache.setdefault(name, {})
    found = days.get(today)
    if found is None:
        found = days[today] = {}
    return found


def card(ws: Workspace, task: Task, today: date, fmt: Fmt) -> CardView:
    """The task's card (made once per workspace and day: boards share it)."""
    cards: dict[str, CardView] = _of_day(ws, "cards", today)
    found = cards.get(task.id)
    if found is None:
        found = cards[task.id] = _card(ws, task, today, fmt)
    return found


@dataclass
class KeptCards:
    """The card views of one workspace and day, with what each was made from."""

    today: date
    inputs: dict[str, tuple[str, ...]]  # task id -> card_inputs
    views: dict[str, CardView]  # task id -> card


def card_inputs(ws: Workspace, task: Task, today: date) -> tuple[str, ...]:
    """Everything a card shows comes from these: the task's file, its project's and its
    assignee's, the settings (workflows, locale), the day and the task's "stuck" label
    (found once per workspace and day, after the history has set the labels)."""
    known: dict[str, tuple[str, ...]] = _of_day(ws, "card_inputs", today)
    found = known.get(task.id)
    if found is None:
        project = ws.projects.get(task.project)
        person = ws.people.get(task.assignee or "")
        found = known[task.id] = (
            task.digest,
            project.digest if project else "-",
            person.digest if person else "-",
            ws.settings.digest,
            today.isoformat(),
            ws.cache.get("stuck", {}).get(task.id, ""),
        )
    return found


def reuse_cards(ws: Workspace, today: date, kept: KeptCards | None) -> None:
    """Give this workspace the card views of an earlier one (the serve loop's) whose inputs
    are unchanged: a rebuild then makes cards only for the tasks an edit touched. Their
    ids are noted (`reused_cards`): a board lane holding only those is unchanged."""
    reused: set[str] = ws.cache.setdefault("reused_cards", set())
    if kept is None or kept.today != today:
        return
    cards: dict[str, CardView] = _of_day(ws, "cards", today)
    for task in ws.tasks.values():
        view = kept.views.get(task.id)
        if view is not None and kept.inputs.get(task.id) == card_inputs(ws, task, today):
            cards[task.id] = view
            reused.add(task.id)


def cards_to_keep(ws: Workspace, today: date) -> KeptCards:
    """This workspace's cards and their inputs (every card's inputs were computed when
    `reuse_cards` ran; a card made later computed its own)."""
    return KeptCards(today, _of_day(ws, "card_inputs", today), _of_day(ws, "cards", today))


def _card(ws: Workspace, task: Task, today: date, fmt: Fmt) -> CardView:
    project = ws.projects.get(task.project)
    flow = ws.workflow_of(project)
    is_open = task.status != flow.done
    done, total = checklist(task.body)
    spent = task.spent
    assignee = person_link(ws, task.assignee, fmt)
    project_link = Link(project.name, url("project", project.id)) if project else Link(task.project)
    return CardView(
        id=task.id,
        title=task.title,
        url=url("task", task.id),
        status=task.status,
        project=project_link,
        assignee=assignee,
        assignee_id=task.assignee or "",
        due=fmt.short_date(task.due),
        due_state=due_state(task.due, today, is_open),
        priority=task.priority,
        priority_label=fmt.t(f"priority.{task.priority}"),
        tags=list(task.tags),
        checklist=f"{done}/{total}" if total else "",
        checklist_done=bool(total) and done == total,
        estimate=fmt.duration(task.estimate),
        spent=fmt.duration(spent) if spent else "",
        over_estimate=bool(task.estimate) and spent > (task.estimate or 0),
        stuck=ws.cache.get("stuck", {}).get(task.id, ""),
        search=" ".join(
            (task.title, task.id, project_link.text, assignee.text, *task.tags)
        ).lower(),
    )
