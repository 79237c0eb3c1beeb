"""Derived data: what the views read beyond the records, typed and computed once per
workspace (and git history) by `derive`, right after validation, then handed to each view
that needs it. A view called on its own with `derive(ws, history)` returns what it returns
in a build: nothing reaches it through a side channel.

`ViewMemo` is the other thing a view may be handed (as `Derived.memo`): what one build's
views make once and share (a card stands on up to four boards), and what the serve loop
carries from one build to the next (`builder.site.generate.Kept`). It never changes a
view's result, only how much work it takes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from builder.history import History
from builder.model import Contact, Deal, OutreachEntry, Project, Task, Workflow, Workspace
from builder.model.outreach import project_of
from builder.model.schema import RECORD_TYPES
from builder.views.activity import idle_from_history, stuck_labels
from builder.views.paths import tag_urls

if TYPE_CHECKING:
    from builder.views.boards import BoardTotals, ColumnView
    from builder.views.common import CardView

T = TypeVar("T")


@dataclass(frozen=True)
class Index:
    """Backlinks by id, each list in id order, so views never rescan every record."""

    tasks_by_project: dict[str, list[Task]]
    tasks_by_assignee: dict[str, list[Task]]
    contacts_by_company: dict[str, list[Contact]]
    projects_by_company: dict[str, list[Project]]
    deals_by_company: dict[str, list[Deal]]
    deals_by_contact: dict[str, list[Deal]]
    deals_by_project: dict[str, list[Deal]]
    deals_by_owner: dict[str, list[Deal]]
    #: project id -> (contact, entry) of each outreach entry about it or one of its tasks
    outreach_by_project: dict[str, list[tuple[Contact, OutreachEntry]]] = field(
        default_factory=dict
    )


#: Where a board's swimlane stands: the board ("kind:id"), the workflow, the lane.
LaneKey = tuple[str, str, str]
#: A swimlane as a board made it: the tasks it holds, and its columns.
KeptLane: TypeAlias = "tuple[tuple[object, ...], list[ColumnView]]"  # (workflow, *tasks)


@dataclass
class ViewMemo:
    """What views make once per build and day, and what the serve loop hands over."""

    cards: dict[date, dict[str, CardView]] = field(default_factory=dict)
    card_inputs: dict[date, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    #: what both all-projects boards count and offer alike (the same tasks)
    all_board_totals: dict[date, BoardTotals] = field(default_factory=dict)
    #: serve: the ids of the cards taken from the last build (None: a build of its own)
    reused_cards: set[str] | None = None
    #: serve: the last build's swimlanes (None: every lane is made anew)
    kept_lanes: dict[LaneKey, KeptLane] | None = None
    #: the swimlanes made now, for the next build (only while `kept_lanes` is given)
    lanes: dict[LaneKey, KeptLane] = field(default_factory=dict)
    #: serve: the summaries' rows of the last build, and those made now (`boards.LaneRow`
    #: by summary, workflow and lane, with what each was made from)
    kept_rows: dict[LaneKey, tuple[tuple[Any, ...], Any]] | None = None
    rows: dict[LaneKey, tuple[tuple[Any, ...], Any]] = field(default_factory=dict)
    #: what the reports and the calendar compute once per build and day (the recent
    #: weeks' timesheets, the calendar's events), by name
    reports: dict[tuple[str, date], Any] = field(default_factory=dict)

    def cards_of(self, today: date) -> dict[str, CardView]:
        """This day's cards by task id."""
        return self.cards.setdefault(today, {})

    def card_inputs_of(self, today: date) -> dict[str, tuple[str, ...]]:
        """This day's card inputs by task id."""
        return self.card_inputs.setdefault(today, {})


@dataclass(frozen=True)
class Derived:
    """Each concern's derived data, typed. Built by `derive`; views only read it (its
    `memo` aside, which only saves work)."""

    index: Index
    #: project id -> its workflow; "" -> the default (for a task whose project is unknown)
    workflows: dict[str, Workflow]
    #: every task, in id order (both all-projects boards list them so)
    tasks_by_id: list[Task]
    #: each contact tag's page URL
    contact_tag_urls: dict[str, str]
    #: record type -> one digest over the ids and digests of all its records (page keys)
    table_digests: dict[str, str]
    #: task id -> its "stuck" chip, from git history (empty without it)
    stuck: dict[str, str] = field(default_factory=dict)
    #: deal id -> (idle days, past its stage's limit), from git history where it knows
    idle: dict[str, tuple[int, bool]] = field(default_factory=dict)
    #: contact id -> the day of its last change in git (a cadence counts from it)
    contact_touched: dict[str, date] = field(default_factory=dict)
    memo: ViewMemo = field(default_factory=ViewMemo, compare=False)

    def workflow(self, task: Task) -> Workflow:
        """The workflow of a task's project (the default one for an unknown project)."""
        return self.workflows.get(task.project) or self.workflows[""]


def derive(ws: Workspace, history: History | None = None) -> Derived:
    """The derived data of a validated workspace, and of its git history when given."""
    tasks = [ws.tasks[k] for k in sorted(ws.tasks)]
    return Derived(
        index=_index(ws, tasks),
        workflows=_project_workflows(ws),
        tasks_by_id=tasks,
        contact_tag_urls=tag_urls(tag for c in ws.contacts.values() for tag in c.tags),
        table_digests={kind: _table_digest(ws.table(kind)) for kind in RECORD_TYPES},
        stuck=stuck_labels(history, ws) if history is not None else {},
        idle=idle_from_history(history, ws) if history is not None else {},
        contact_touched=_contact_touches(history, ws) if history is not None else {},
    )


def _contact_touches(history: History, ws: Workspace) -> dict[str, date]:
    """The day each contact last changed in git (only contacts with a cadence and no
    follow-up need it)."""
    from builder.history.events import local_day

    out = {}
    for c in ws.contacts.values():
        if c.cadence and c.follow_up is None:
            rec = history.get("contact", c.id)
            if rec is not None and rec.last_change is not None:
                out[c.id] = local_day(rec.last_change.when, history.tz)
    return out


def _group(items: Iterable[T], key: Callable[[T], str | None]) -> dict[str, list[T]]:
    out: dict[str, list[T]] = {}
    for item in items:
        k = key(item)
        if k:
            out.setdefault(k, []).append(item)
    return out


def _index(ws: Workspace, tasks: list[Task]) -> Index:
    deals = [ws.deals[k] for k in sorted(ws.deals)]
    return Index(
        tasks_by_project=_group(tasks, attrgetter("project")),
        tasks_by_assignee=_group(tasks, attrgetter("assignee")),
        contacts_by_company=_group(
            (ws.contacts[k] for k in sorted(ws.contacts)), attrgetter("company")
        ),
        projects_by_company=_group(
            (ws.projects[k] for k in sorted(ws.projects)), attrgetter("company")
        ),
        deals_by_company=_group(deals, attrgetter("company")),
        deals_by_contact=_group(deals, attrgetter("contact")),
        deals_by_project=_group(deals, attrgetter("project")),
        deals_by_owner=_group(deals, attrgetter("owner")),
        outreach_by_project=_outreach(ws),
    )


def _outreach(ws: Workspace) -> dict[str, list[tuple[Contact, OutreachEntry]]]:
    out: dict[str, list[tuple[Contact, OutreachEntry]]] = {}
    for cid in sorted(ws.contacts):
        contact = ws.contacts[cid]
        for entry in contact.log:
            project = project_of(ws, entry)
            if project is not None:
                out.setdefault(project, []).append((contact, entry))
    return out


def _project_workflows(ws: Workspace) -> dict[str, Workflow]:
    found = {pid: ws.workflow_of(p) for pid, p in ws.projects.items()}
    found[""] = ws.workflow_of(None)
    return found


def _table_digest(table: dict[str, Any]) -> str:
    """One digest over a table (in the listing's order, which a fresh run keeps: at worst
    a reordering counts as a change)."""
    ids = "\1".join(table)
    digests = "\1".join(map(attrgetter("digest"), table.values()))
    return hashlib.sha1(f"{ids}\0{digests}".encode()).hexdigest()
