"""Portal view model: the narrow, allow-listed data a client's page is rendered from.

`build_view(workspace, company_id, today)` is the only place that reads the workspace for the
portal. It copies, field by field, what a client may see:

- the company's name; its manager's (and a project's own manager's) name, role, work e-mail
  and phone;
- per project that is not cancelled: name, status, start, due, metrics (a metric counted
  `from: published` as the count of the outreach log's published entries about the project,
  nothing else of the log), client_summary, and a progress figure computed from the
  client-visible tasks only;
- per task with `client_visible: true`: title, a client-facing phase derived from its column,
  start, due, the assignee's first name or role (`settings.portal.assignee`), and the day it
  reached done when git history shows it (`done_on`, for "done recently"), and a short
  reference derived from its id by a one-way hash (`Task.ref`) for the client's e-mails.

Nothing else crosses: no ids, bodies, time logs, estimates, prices, budgets, tags, deals,
contacts, settings or other companies' records. The renderer receives only `PortalView`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Literal

from builder.model import Company, Metric, Person, Project, Task, Workflow, Workspace
from builder.model.outreach import metric_actual
from builder.portal.timeline import Timeline, build_timeline

Phase = Literal["next", "work", "review", "done"]
#: Where "done recently" takes its days from: "history" (the day each task reached done,
#: as git shows it), or "dates" (no history: a task's due or start date stands in).
DoneFrom = Literal["history", "dates"]
PHASES: tuple[Phase, ...] = ("review", "work", "next", "done")

#: Project statuses shown to clients, in page order (cancelled projects are left out).
SHOWN_STATUSES = ("active", "on-hold", "planned", "done")

# A column whose id or name mentions one of these waits on the client (English, Russian,
# Ukrainian spellings): "Client approval", "Согласование", "Погодження з клієнтом".
_REVIEW_WORDS = ("approv", "client", "клиент", "клієнт", "соглас", "погодж")


@dataclass(frozen=True)
class PortalPerson:
    """A team member as the client sees them: name and public work contacts."""

    name: str
    role: str
    email: str
    phone: str

    @property
    def initials(self) -> str:
        """Up to two initials for the avatar: "Oksana Melnyk" -> "OM"."""
        return "".join(word[0] for word in self.name.split()[:2]).upper()


@dataclass(frozen=True)
class PortalTask:
    """A client-visible task: title, phase, dates and who is on it."""

    title: str
    phase: Phase
    start: date | None
    due: date | None
    assignee: str
    done: date | None = None  # the day it reached done, when the history shows it
    ref: str = ""  # a short reference for the client's e-mails (`Task.ref`)


@dataclass(frozen=True)
class PortalMetric:
    """A success metric; `percent` (0..100) fills its bar, None when there is nothing to
    measure against; it is 100 only when the target is `reached` (in the `better` direction:
    a page load of 3.8 s against 2.5 s is not reached)."""

    name: str
    target: float | None
    actual: float | None
    unit: str
    percent: int | None
    better: str = "higher"
    reached: bool = False


@dataclass(frozen=True)
class PortalProject:
    """One project of the client, with its tasks grouped by phase."""

    anchor: str
    name: str
    status: str
    start: date | None
    due: date | None
    manager: PortalPerson | None  # only when it differs from the company's manager
    summary: str  # Markdown; the renderer turns it into sanitised HTML
    tasks_done: int
    tasks_total: int
    progress: int | None  # percent of client-visible tasks done
    metrics: tuple[PortalMetric, ...]
    review: tuple[PortalTask, ...]
    in_work: tuple[PortalTask, ...]
    next_up: tuple[PortalTask, ...]
    done_recent: tuple[PortalTask, ...]
    timeline: Timeline | None
    #: whom the client's approvals are written to: the project's manager, else the
    #: company's (None when neither has an e-mail)
    approver: PortalPerson | None = None


@dataclass(frozen=True)
class PortalView:
    """Everything one client's portal shows, and nothing more."""

    company: str
    locale: str
    manager: PortalPerson | None
    projects: tuple[PortalProject, ...]
    updated: date
    done_recent_days: int
    done_from: DoneFrom = "dates"


def phase_of(task: Task, workflow: Workflow) -> Phase:
    """The client-facing phase of a task's column: backlog -> next, done -> done, columns
    waiting on the client -> review, everything else -> work."""
    status = task.status or workflow.backlog
    if workflow.is_done(status):
        return "done"
    if status == workflow.backlog:
        return "next"
    column = workflow.column(status)
    words = f"{status} {column.name if column else ''}".lower()
    if any(w in words for w in _REVIEW_WORDS):
        return "review"
    return "work"


def _person(person: Person | None) -> PortalPerson | None:
    if person is None:
        return None
    return PortalPerson(person.name, person.role, person.email, person.phone)


def _assignee(ws: Workspace, task: Task) -> str:
    person = ws.people.get(task.assignee or "")
    if person is None:
        return ""
    return person.role if ws.settings.portal.assignee == "role" else person.first_name


def _task_order(task: PortalTask) -> tuple[date, date, str]:
    return (task.due or date.max, task.start or date.max, task.title.casefold())


def _metric(m: Metric) -> PortalMetric:
    return PortalMetric(m.name, m.target, m.actual, m.unit, m.progress, m.better, m.reached)


def _done_day(task: PortalTask) -> date | None:
    # Without the day from git history, the task's own due (or start) date stands in.
    return task.done or task.due or task.start


def _is_recent(task: PortalTask, since: date) -> bool:
    day = _done_day(task)
    return day is not None and day >= since


def _project(
    ws: Workspace,
    project: Project,
    company: Company,
    anchor: str,
    today: date,
    done_on: Mapping[str, date],
) -> PortalProject:
    workflow = ws.workflow_of(project)
    tasks = [
        PortalTask(
            t.title,
            phase_of(t, workflow),
            t.start,
            t.due,
            _assignee(ws, t),
            done_on.get(t.id),
            t.ref,
        )
        for t in sorted(ws.tasks.values(), key=lambda t: t.id)
        if t.project == project.id and t.client_visible
    ]
    tasks.sort(key=_task_order)
    by_phase = {p: tuple(t for t in tasks if t.phase == p) for p in PHASES}
    done = len(by_phase["done"])
    if tasks:
        progress: int | None = round(done / len(tasks) * 100)
    else:
        progress = 100 if project.status == "done" else None
    since = today - timedelta(days=ws.settings.portal.done_recent_days)
    recent = tuple(
        sorted(
            (t for t in by_phase["done"] if _is_recent(t, since)),
            key=lambda t: (_done_day(t) or date.min, t.title.casefold()),
            reverse=True,
        )
    )
    manager = None
    if project.manager and project.manager != company.manager:
        manager = _person(ws.people.get(project.manager))
    approver = manager or _person(ws.people.get(company.manager or ""))
    return PortalProject(
        anchor=anchor,
        name=project.name,
        status=project.status,
        start=project.start,
        due=project.due,
        manager=manager,
        summary=project.client_summary,
        tasks_done=done,
        tasks_total=len(tasks),
        progress=progress,
        # a metric counted `from:` the outreach log crosses as its count alone
        metrics=tuple(
            _metric(replace(m, actual=metric_actual(ws, project, m))) for m in project.metrics
        ),
        review=by_phase["review"],
        in_work=by_phase["work"],
        next_up=by_phase["next"],
        done_recent=recent,
        timeline=build_timeline(project.start, project.due, tasks, today),
        approver=approver if approver and approver.email else None,
    )


def _project_order(project: Project) -> tuple[int, date, str, str]:
    return (
        SHOWN_STATUSES.index(project.status),
        project.start or date.max,
        project.name.casefold(),
        project.id,
    )


def build_view(
    ws: Workspace, company_id: str, today: date, done_on: Mapping[str, date] | None = None
) -> PortalView:
    """The allow-listed view of one company's portal (the company must exist).

    `done_on` maps task ids to the day each reached done, from git history; None when
    there is no history (then a task's due or start date stands in)."""
    company = ws.companies[company_id]
    projects = sorted(
        (p for p in ws.projects.values() if p.company == company_id and p.status in SHOWN_STATUSES),
        key=_project_order,
    )
    return PortalView(
        company=company.name,
        locale=company.portal.locale or ws.settings.locale,
        manager=_person(ws.people.get(company.manager or "")),
        projects=tuple(
            _project(ws, p, company, f"project-{i}", today, done_on or {})
            for i, p in enumerate(projects, 1)
        ),
        updated=today,
        done_recent_days=ws.settings.portal.done_recent_days,
        done_from="dates" if done_on is None else "history",
    )
