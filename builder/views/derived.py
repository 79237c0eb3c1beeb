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
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import compress
from operator import attrgetter, is_not
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
    #: what boards count of a list of tasks (`boards.tally`), by the list's id: the lists
    #: of `Derived` are never changed once made (serve's are kept while their tasks are
    #: the same objects), so a list counted is counted again only under other workflows
    #: or another day; serve hands the last build's over (`kept_tallies`)
    tallies: dict[int, tuple[Any, ...]] = field(default_factory=dict)
    kept_tallies: dict[int, tuple[Any, ...]] | None = None

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
    #: the tasks nobody (known) is assigned to, in id order
    unassigned: list[Task] = field(default_factory=list)
    #: what a count of tasks reads of `workflows` (`boards.tally`): each project's
    #: workflow id and done column; serve keeps the very tuple while they are the same
    flow_marks: tuple[tuple[str, str, str], ...] = ()
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


def derive(
    ws: Workspace, history: History | None = None, kept: DeriveKept | None = None
) -> Derived:
    """The derived data of a validated workspace, and of its git history when given.

    `kept` (the serve loop's, between rebuilds) makes it from the last rebuild's: the
    index, the task lists and the table digests of the record types whose records are
    the very objects they were (the check keeps unchanged records) are taken as they
    were, and a task edit updates only the lists holding the tasks it changed. The result
    equals a fresh `derive`'s (`tests/test_incremental_boards.py`)."""
    if kept is None:
        tasks = [ws.tasks[k] for k in sorted(ws.tasks)]
        workflows = _project_workflows(ws)
        return Derived(
            index=_index(ws, tasks),
            workflows=workflows,
            flow_marks=_flow_marks(workflows),
            tasks_by_id=tasks,
            contact_tag_urls=_tag_urls(ws),
            table_digests={kind: _table_digest(ws.table(kind)) for kind in RECORD_TYPES},
            unassigned=[t for t in tasks if t.assignee not in ws.people],
            **_from_history(ws, history),
        )
    return kept.derive(ws, history)


def _from_history(ws: Workspace, history: History | None) -> dict[str, Any]:
    """What the derived data reads of the git history: the stuck chips, idle deals and
    the contacts' last changes."""
    if history is None:
        return {}
    return {
        "stuck": stuck_labels(history, ws),
        "idle": idle_from_history(history, ws),
        "contact_touched": _contact_touches(history, ws),
    }


def _tag_urls(ws: Workspace) -> dict[str, str]:
    return tag_urls(tag for c in ws.contacts.values() for tag in c.tags)


def _contact_touches(history: History, ws: Workspace) -> dict[str, date]:
    """The day each contact last changed in git (only contacts with a cadence and no
    follow-up need it)."""
    from builder.history.events import local_day

    out: dict[str, date] = {}
    if not history.records:  # no record has a history (a folder outside git)
        return out
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


def _flow_marks(workflows: dict[str, Workflow]) -> tuple[tuple[str, str, str], ...]:
    return tuple((pid, flow.id, flow.done) for pid, flow in workflows.items())


def _table_digest(table: dict[str, Any]) -> str:
    """One digest over a table (in the listing's order, which a fresh run keeps: at worst
    a reordering counts as a change)."""
    ids = "\1".join(table)
    digests = "\1".join(map(attrgetter("digest"), table.values()))
    return hashlib.sha1(f"{ids}\0{digests}".encode()).hexdigest()


#: Serve: beyond this many records changed (of every type), `DeriveKept` derives afresh.
_FEW = 500


@dataclass
class DeriveKept:
    """What serve keeps of derivation between rebuilds: the last workspace's record
    tables (as the objects the check kept: an unchanged record is the very same object)
    and what was derived from them. `derive` then updates only what the records that
    changed feed: a task moved recounts the two projects' (and assignees') lists; a
    change of workspace.yml makes the workflows again (a column renamed types no record
    again: the lists stay, and so do their counts while `flow_marks` are the same)."""

    tables: dict[str, dict[str, Any]] = field(default_factory=dict)
    settings: str = ""  # the settings' digest
    derived: Derived | None = None
    #: every outreach entry's `about` (an entry about a task follows its project)
    abouts: frozenset[str | None] = frozenset()

    def derive(self, ws: Workspace, history: History | None) -> Derived:
        last = self.derived
        tables: dict[str, dict[str, Any]] = {kind: dict(ws.table(kind)) for kind in RECORD_TYPES}
        changed: dict[str, set[str]] | None = None
        if last is not None:
            changed = {kind: _changed(self.tables[kind], tables[kind]) for kind in RECORD_TYPES}
            if sum(map(len, changed.values())) > _FEW:
                changed = None
        if last is None or changed is None:
            derived = derive(ws, history)
            self.abouts = _abouts(ws)
        else:
            derived = self._update(ws, history, last, changed)
            # the counts of the lists that are still the same objects (`boards.tally`)
            derived.memo.kept_tallies = last.memo.tallies
        self.tables, self.settings, self.derived = tables, ws.settings.digest, derived
        return derived

    def _update(
        self, ws: Workspace, history: History | None, last: Derived, changed: dict[str, set[str]]
    ) -> Derived:
        before = self.tables
        ix = last.index
        tasks, by_project, by_assignee, unassigned = (
            last.tasks_by_id,
            ix.tasks_by_project,
            ix.tasks_by_assignee,
            last.unassigned,
        )
        ids = changed["task"]
        if ids:
            old = [before["task"][i] for i in sorted(ids) if i in before["task"]]
            new = [ws.tasks[i] for i in sorted(ids) if i in ws.tasks]
            tasks = _replaced(tasks, ids, ws.tasks)
            by_project = _regroup(by_project, ids, old, new, attrgetter("project"))
            by_assignee = _regroup(by_assignee, ids, old, new, attrgetter("assignee"))
        if before["person"].keys() != ws.people.keys():
            unassigned = [t for t in tasks if t.assignee not in ws.people]
        elif ids:
            people = ws.people
            unassigned = _sublist(unassigned, ids, [t for t in new if t.assignee not in people])
        contacts, projects, deals = changed["contact"], changed["project"], changed["deal"]
        outreach = ix.outreach_by_project
        if contacts or projects or not ids.isdisjoint(self.abouts):
            outreach = _outreach(ws)
            self.abouts = _abouts(ws)
        if deals:
            deal_list = [ws.deals[k] for k in sorted(ws.deals)]
        index = Index(
            tasks_by_project=by_project,
            tasks_by_assignee=by_assignee,
            contacts_by_company=_group(
                (ws.contacts[k] for k in sorted(ws.contacts)), attrgetter("company")
            )
            if contacts
            else ix.contacts_by_company,
            projects_by_company=_group(
                (ws.projects[k] for k in sorted(ws.projects)), attrgetter("company")
            )
            if projects
            else ix.projects_by_company,
            deals_by_company=_group(deal_list, attrgetter("company"))
            if deals
            else ix.deals_by_company,
            deals_by_contact=_group(deal_list, attrgetter("contact"))
            if deals
            else ix.deals_by_contact,
            deals_by_project=_group(deal_list, attrgetter("project"))
            if deals
            else ix.deals_by_project,
            deals_by_owner=_group(deal_list, attrgetter("owner")) if deals else ix.deals_by_owner,
            outreach_by_project=outreach,
        )
        workflows, marks = last.workflows, last.flow_marks
        if projects or self.settings != ws.settings.digest:
            workflows = _project_workflows(ws)
            marks = _flow_marks(workflows)
            marks = last.flow_marks if marks == last.flow_marks else marks
        digests = dict(last.table_digests)
        for kind in RECORD_TYPES:
            table = ws.table(kind)
            if changed[kind] or list(table) != list(before[kind]):
                digests[kind] = _table_digest(table)
        return Derived(
            index=index,
            workflows=workflows,
            flow_marks=marks,
            tasks_by_id=tasks,
            contact_tag_urls=_tag_urls(ws) if contacts else last.contact_tag_urls,
            table_digests=digests,
            unassigned=unassigned,
            **_from_history(ws, history),
        )


def _changed(before: dict[str, Any], now: dict[str, Any]) -> set[str]:
    """The ids of the records that came, went or are not the object they were."""
    # (C-level passes: 10,000 tasks each rebuild)
    out = set(compress(now, map(is_not, now.values(), map(before.get, now))))
    if len(before) + len(out) != len(now):  # some went
        out.update(before.keys() - now.keys())
    return out


def _abouts(ws: Workspace) -> frozenset[str | None]:
    return frozenset(e.about for c in ws.contacts.values() for e in c.log)


_ID = attrgetter("id")


def _replaced(tasks: list[Task], ids: set[str], now: dict[str, Task]) -> list[Task]:
    """`tasks` (in id order) with the tasks of `ids` as `now` has them: replaced, added
    or left out. A new list: the last rebuild's views may still hold the old one."""
    out = list(tasks)
    for i in sorted(ids):
        pos = bisect_left(out, i, key=_ID)
        present = pos < len(out) and out[pos].id == i
        if i in now:
            if present:
                out[pos] = now[i]
            else:
                out.insert(pos, now[i])
        elif present:
            del out[pos]
    return out


def _sublist(tasks: list[Task], ids: set[str], now: list[Task]) -> list[Task]:
    """`tasks` (in id order) without those of `ids`, with `now` (theirs now) in."""
    out = [t for t in tasks if t.id not in ids]
    out += now
    out.sort(key=_ID)
    return out


def _regroup(
    groups: dict[str, list[Task]],
    ids: set[str],
    old: list[Task],
    new: list[Task],
    key: Callable[[Task], str | None],
) -> dict[str, list[Task]]:
    """`_group`'s result after the tasks of `ids` changed from `old` to `new`: the groups
    they were or are in made again (new lists), the others the very lists they were."""
    affected = {key(t) for t in old} | {key(t) for t in new}
    out = dict(groups)
    for k in affected:
        if not k:
            continue
        members = _sublist(groups.get(k, []), ids, [t for t in new if key(t) == k])
        if members:
            out[k] = members
        else:
            out.pop(k, None)
    # in `_group`'s order: by each group's first task
    return dict(sorted(out.items(), key=lambda item: item[1][0].id))
