"""The calendar: every dated thing the team records as events (task due dates and spans,
project start and due, contact follow-ups, deal next steps and expected closes), and the
month grids the calendar pages show. Pure: the workspace, its git history when there is
one, and `today` in; dataclasses out. The iCalendar feeds (`builder.render.ical`) and the
digests read the same `events`.

A contact with a `cadence` and no `follow_up` gets one counted from the last time it was
touched: its last change in git, or the last dated note in its body (a line that starts
with a date), whichever is later (`cadence_follow_up`; off with
`follow_up_from_cadence: false`)."""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Literal

from builder.model import Contact, Deal, Project, Task, Workspace
from builder.views.common import Fmt, Link, url
from builder.views.reports.work import monday, month_start, next_month

if TYPE_CHECKING:
    from builder.views.derived import Derived

EventKind = Literal["task", "project_start", "project_due", "follow_up", "next_step", "close"]
#: where a computed follow-up counts from: the contact's last commit, or a dated note
TouchSource = Literal["git", "note"]

_DATED_LINE = re.compile(r"^[ \t]*(?:[-*+][ \t]+)?(?:\*\*|__)?(\d{4}-\d{2}-\d{2})\b", re.MULTILINE)


@dataclass(frozen=True)
class Event:
    """One dated thing. `start`..`end` are whole days (inclusive); most events are one day,
    a task with both start and due spans them."""

    uid: str  # stable per record and kind: feeds update the event instead of adding one
    kind: EventKind
    record: tuple[str, str]  # (record type, id)
    title: str
    detail: str  # a next step's action; a computed follow-up's "from" note
    start: date
    end: date
    people: tuple[str, ...]  # whose calendars show it
    project: str = ""
    done: bool = False


@dataclass(frozen=True)
class CadenceFollowUp:
    """A follow-up counted from a contact's cadence."""

    due: date
    touched: date
    source: TouchSource


def last_dated_note(body: str, today: date) -> date | None:
    """The latest date, up to `today`, that begins a line of the body ("2026-02-10 call",
    "- 2026-02-10: sent the deck"); None when no line does."""
    found: date | None = None
    for match in _DATED_LINE.finditer(body):
        try:
            day = date.fromisoformat(match.group(1))
        except ValueError:
            continue
        if day <= today and (found is None or day > found):
            found = day
    return found


def cadence_follow_up(
    contact: Contact, today: date, in_git: date | None = None
) -> CadenceFollowUp | None:
    """The follow-up a contact's cadence gives when it has no `follow_up`: the last touch
    (`in_git`, the day of its last change in git, or its last dated note) plus the cadence.
    None with a `follow_up`, without a cadence, or with no date to count from."""
    if contact.follow_up is not None or not contact.cadence:
        return None
    touches: list[tuple[date, TouchSource]] = []
    if in_git is not None:
        touches.append((in_git, "git"))
    note = last_dated_note(contact.body, today)
    if note is not None:
        touches.append((note, "note"))
    if not touches:
        return None
    touched, source = max(touches)
    # a cadence is a calendar interval, in days
    return CadenceFollowUp(touched + timedelta(days=contact.cadence), touched, source)


def follow_up_due(ws: Workspace, derived: Derived, c: Contact, today: date) -> date | None:
    """When to get in touch with `c`: its `follow_up`, else the day its cadence gives
    (unless `follow_up_from_cadence: false`); None when neither says."""
    if c.follow_up is not None or not ws.settings.follow_up_from_cadence:
        return c.follow_up
    computed = cadence_follow_up(c, today, derived.contact_touched.get(c.id))
    return computed.due if computed is not None else None


def task_event(task: Task, done: bool) -> Event:
    """The event of a task with a due date: its span (from `start` when that is not
    after `due`), its assignee and participants."""
    assert task.due is not None
    start = task.start if task.start is not None and task.start <= task.due else task.due
    people = tuple(dict.fromkeys(p for p in (task.assignee, *task.participants) if p))
    record = ("task", task.id)
    uid = f"task-{task.id}"
    return Event(uid, "task", record, task.title, "", start, task.due, people, task.project, done)


def events(ws: Workspace, derived: Derived, today: date) -> list[Event]:
    """Every event of the workspace, by date, then kind, then record (a computed
    follow-up counts from git through `derived.contact_touched`)."""
    kept = KeptEvents()
    kept.update(ws, derived, today)
    assert kept.index is not None
    return kept.index.all


#: a record as the calendar keeps its events: (record type, id)
Ref = tuple[str, str]
#: the record types that have events
EVENT_KINDS = ("task", "project", "contact", "deal")


def event_order(e: Event) -> tuple[date, str, tuple[str, str]]:
    """Where an event stands in every list of events: by date, then kind, then record (a
    record has at most one event of a kind, so no two events stand at the same place)."""
    return (e.start, e.kind, e.record)


@dataclass(frozen=True)
class EventChange:
    """What an update changed: the events that went and those that came (an event made
    again as it was is in neither)."""

    gone: list[Event]
    came: list[Event]


class KeptEvents:
    """Each record's events, with what they were made of, and their index, kept between
    `update`s: the serve loop's calendar makes again only the events of the records an
    edit touched, and changes the index by them.

    A record's events are made of the record (its file's digest) and of:
    - a task: whether it is done (its status is its project's workflow's done column:
      the task, the project it names and the workflows decide);
    - a deal: whether it is open (its stage in its pipeline: the pipelines decide);
    - a contact: the day of its last change in git (a cadence counts from it);
    - every record: today and whether follow-ups count from cadences (a change of either
      makes every event again, as does the first update).
    An update looks at the records whose digest changed, that came or went (in the tables
    whose digest changed: `Derived.table_digests`), the tasks of a project whose
    workflow's done column is another (a project changed, or a workflow: a column renamed
    looks at none), every deal when the pipelines changed, and the contacts whose last
    change in git moved. A record whose events come out as they were keeps the very
    objects (a task moved between open columns changes no event). Valid for one audience
    and one `general` part of the settings (the caller keeps one per them)."""

    def __init__(self) -> None:
        self.made: dict[Ref, tuple[tuple[object, ...], list[Event]]] = {}
        self.digests: dict[str, dict[str, str]] = {kind: {} for kind in EVENT_KINDS}
        self.words: tuple[object, ...] = ()  # today, follow-ups from cadences
        self.pipelines = ""  # the pipelines' digest
        #: the done column of the workflow of each project tasks name ("": the default's)
        self.done: dict[str, str] = {}
        self.touched: dict[str, date] = {}
        self.tables: dict[str, str] = {}  # each table's digest (`Derived.table_digests`)
        self.index: EventIndex | None = None

    def update(self, ws: Workspace, derived: Derived, today: date) -> EventChange | None:
        """Bring the events up to `ws` and `today` (`self.index`): what changed, or None
        when every event was made (the first update, another day)."""
        from builder.model.settings_keys import settings_keys

        sk = settings_keys(ws.settings)
        words = (today, ws.settings.follow_up_from_cadence)
        pipelines = sk.all_pipelines
        touched = derived.contact_touched
        if self.index is None or words != self.words:
            self.words, self.pipelines, self.touched = words, pipelines, touched
            self.done = _done_columns(derived)
            self.tables = dict(derived.table_digests)
            self._make_all(ws, today)
            return None
        looked = self._looked(ws, derived, pipelines)
        self.pipelines, self.touched = pipelines, touched
        self.tables = dict(derived.table_digests)
        gone: list[Event] = []
        came: list[Event] = []
        for kind, idents in looked.items():
            for ident in idents:
                before, after = self._remake(ws, kind, ident, today)
                gone += before
                came += after
        if gone or came:
            assert self.index is not None
            self.index = self.index.changed(gone, came)
        return EventChange(gone, came)

    def _make_all(self, ws: Workspace, today: date) -> None:
        self.made = {}
        for kind in EVENT_KINDS:
            table = ws.table(kind)
            self.digests[kind] = {ident: rec.digest for ident, rec in table.items()}
            for ident, rec in table.items():
                self.made[(kind, ident)] = self._make(ws, kind, rec, today)
        evs = [e for _, made in self.made.values() for e in made]
        evs.sort(key=event_order)
        self.index = EventIndex.of(evs)

    def _looked(self, ws: Workspace, derived: Derived, pipelines: str) -> dict[str, set[str]]:
        """The ids, by record type, of the records whose events may have changed."""
        # a table whose digest is the last one holds the same records (a task moved
        # leaves the other tables alone, a person renamed all of them)
        tables = derived.table_digests
        looked = {
            kind: _changed(ws.table(kind), self.digests[kind])
            if tables[kind] != self.tables.get(kind)
            else set()
            for kind in EVENT_KINDS
        }
        # a task is done in its project's workflow's done column: the tasks of a project
        # whose workflow's done column is another (a project changed, a workflow) are
        # looked at; when the default's changed and some task names no project, all are
        done, by_project = _done_columns(derived), derived.index.tasks_by_project
        if done[""] != self.done.get("") and sum(map(len, by_project.values())) != len(ws.tasks):
            looked["task"].update(ws.tasks)
        else:
            for pid, column in done.items():
                if pid and column != self.done.get(pid):
                    looked["task"].update(t.id for t in by_project[pid])
        self.done = done
        if pipelines != self.pipelines:
            looked["deal"].update(ws.deals)
        touched, before = derived.contact_touched, self.touched
        if touched != before:
            looked["contact"].update(
                cid for cid in touched.keys() | before.keys() if touched.get(cid) != before.get(cid)
            )
        return looked

    def _remake(
        self, ws: Workspace, kind: str, ident: str, today: date
    ) -> tuple[list[Event], list[Event]]:
        """Make a record's events again: the events that went and those that came (none
        when they come out as they were: the very objects are kept)."""
        ref, rec = (kind, ident), ws.table(kind).get(ident)
        before = self.made.get(ref)
        if rec is None:
            self.digests[kind].pop(ident, None)
            if before is None:
                return [], []
            del self.made[ref]
            return before[1], []
        self.digests[kind][ident] = rec.digest
        key = self._key(ws, kind, rec, self.touched)
        if before is not None and before[0] == key:
            return [], []
        made = self._events(ws, kind, rec, today, key)
        if before is None:
            self.made[ref] = made
            return [], made[1]
        if before[1] == made[1]:
            self.made[ref] = (made[0], before[1])  # the very events
            return [], []
        self.made[ref] = made
        return before[1], made[1]

    @staticmethod
    def _key(ws: Workspace, kind: str, rec: Any, touched: dict[str, date]) -> tuple[object, ...]:
        """What a record's events are made of (besides the words)."""
        if kind == "task":
            return (rec.digest,) if rec.due is None else (rec.digest, not ws.task_is_open(rec))
        if kind == "contact":
            return (rec.digest, touched.get(rec.id))
        if kind == "deal":
            return (rec.digest, ws.deal_is_open(rec))
        return (rec.digest,)

    def _make(
        self, ws: Workspace, kind: str, rec: Any, today: date
    ) -> tuple[tuple[object, ...], list[Event]]:
        """A record's events, with what they are made of."""
        return self._events(ws, kind, rec, today, self._key(ws, kind, rec, self.touched))

    @staticmethod
    def _events(
        ws: Workspace, kind: str, rec: Any, today: date, key: tuple[object, ...]
    ) -> tuple[tuple[object, ...], list[Event]]:
        """A record's events made of `key` (`_key`), with it."""
        if kind == "task":
            return key, [] if rec.due is None else [task_event(rec, bool(key[1]))]
        if kind == "contact":
            at = key[1]
            assert at is None or isinstance(at, date)
            cadence = ws.settings.follow_up_from_cadence
            return key, _contact_events(rec, cadence, today, at)
        if kind == "deal":
            return key, _deal_events(rec, bool(key[1]))
        return key, _project_events(rec)


def _done_columns(derived: Derived) -> dict[str, str]:
    """The done column of the workflow of each project tasks name (a project that does not
    exist: the default workflow's), and the default's by ""."""
    flows = derived.workflows
    done = {pid: (flows.get(pid) or flows[""]).done for pid in derived.index.tasks_by_project}
    done[""] = flows[""].done
    return done


def _changed(table: dict[str, Any], digests: dict[str, str]) -> set[str]:
    """The ids of a table's records whose digest is not the one kept, came or went."""
    found = {ident for ident, rec in table.items() if digests.get(ident) != rec.digest}
    new = sum(ident not in digests for ident in found)
    if len(digests) != len(table) - new:  # some went
        found.update(digests.keys() - table.keys())
    return found


def _project_events(p: Project) -> list[Event]:
    """A project's start and due."""
    manager = (p.manager,) if p.manager else ()
    marks: tuple[tuple[EventKind, date | None], ...] = (
        ("project_start", p.start),
        ("project_due", p.due),
    )
    out = []
    for kind, day in marks:
        if day is not None:
            uid = f"{kind.replace('_', '-')}-{p.id}"
            out.append(Event(uid, kind, ("project", p.id), p.name, "", day, day, manager, p.id))
    return out


def _contact_events(c: Contact, cadence: bool, today: date, touched: date | None) -> list[Event]:
    """A contact's follow-up: written, or counted from its cadence (`cadence`: the
    workspace counts them)."""
    owner = (c.owner,) if c.owner else ()
    day, note = c.follow_up, ""
    if day is None and cadence:
        computed = cadence_follow_up(c, today, touched)
        if computed is not None:
            day, note = computed.due, f"{computed.source}:{computed.touched.isoformat()}"
    if day is None:
        return []
    uid, record = f"follow-up-{c.id}", ("contact", c.id)
    return [Event(uid, "follow_up", record, c.name, note, day, day, owner)]


def _deal_events(d: Deal, is_open: bool) -> list[Event]:
    """An open deal's next step and expected close (`is_open`: whether it is)."""
    if not is_open:
        return []
    out = []
    owner = (d.owner,) if d.owner else ()
    record = ("deal", d.id)
    if d.next_step is not None and d.next_step.date is not None:
        day, action = d.next_step.date, d.next_step.action
        out.append(
            Event(f"next-step-{d.id}", "next_step", record, d.title, action, day, day, owner)
        )
    if d.expected_close is not None:
        day = d.expected_close
        out.append(Event(f"close-{d.id}", "close", record, d.title, "", day, day, owner))
    return out


def person_events(evs: list[Event], person_id: str) -> list[Event]:
    """A person's events: their tasks (assigned or taking part), follow-ups, deals'
    next steps and closes, and the projects they manage."""
    return [e for e in evs if person_id in e.people]


def project_events(evs: list[Event], project_id: str) -> list[Event]:
    """A project's events: its start and due, and its tasks."""
    return [e for e in evs if e.project == project_id]


#: the feeds reach this many days back (calendar apps keep no more than they are sent)
FEED_PAST_DAYS = 92


def in_feeds(e: Event, today: date) -> bool:
    """Whether a feed holds `e`: everything from FEED_PAST_DAYS ago on, and every open
    task, however overdue (the calendar pages show every month's events)."""
    return e.end >= today - timedelta(days=FEED_PAST_DAYS) or (e.kind == "task" and not e.done)


@dataclass(frozen=True)
class EventIndex:
    """The events, and the same grouped by person and by project (each page and feed
    picks its own without scanning them all)."""

    all: list[Event]
    by_person: dict[str, list[Event]]
    by_project: dict[str, list[Event]]

    @classmethod
    def of(cls, evs: list[Event]) -> EventIndex:
        """The index of `evs` (kept in their order in every group)."""
        people: dict[str, list[Event]] = {}
        projects: dict[str, list[Event]] = {}
        for e in evs:
            for person in e.people:
                people.setdefault(person, []).append(e)
            if e.project:
                projects.setdefault(e.project, []).append(e)
        return cls(evs, people, projects)

    def changed(self, gone: list[Event], came: list[Event]) -> EventIndex:
        """The index with the events `gone` taken out and those that `came` put in, each
        at its place (`event_order`): the lists no event of either is on are shared with
        this one, the others copied."""
        people: dict[str, list[Event]] = dict(self.by_person)
        projects: dict[str, list[Event]] = dict(self.by_project)
        copied: dict[str, set[str]] = {"person": set(), "project": set()}

        def own(kind: str, name: str) -> list[Event]:
            """The list of `name`'s events in the new index (a copy of the old one)."""
            groups = people if kind == "person" else projects
            if name not in copied[kind]:
                copied[kind].add(name)
                groups[name] = list(groups.get(name, ()))
            return groups[name]

        def lists(e: Event) -> list[list[Event]]:
            found = [own("person", p) for p in e.people]
            return [*found, own("project", e.project)] if e.project else found

        evs = list(self.all)
        for e in gone:
            for lst in (evs, *lists(e)):
                _take_out(lst, e)
        for e in came:
            for lst in (evs, *lists(e)):
                insort(lst, e, key=event_order)
        for kind, groups in (("person", people), ("project", projects)):
            for name in copied[kind]:
                if not groups[name]:
                    del groups[name]
        return EventIndex(evs, people, projects)

    def person(self, person_id: str) -> list[Event]:
        """Same as `person_events(self.all, person_id)`."""
        return self.by_person.get(person_id, [])

    def project(self, project_id: str) -> list[Event]:
        """Same as `project_events(self.all, project_id)`."""
        return self.by_project.get(project_id, [])


def _take_out(evs: list[Event], e: Event) -> None:
    """Take the very event `e` out of `evs` (in `event_order`)."""
    at = bisect_left(evs, event_order(e), key=event_order)
    if at == len(evs) or evs[at] is not e:
        raise LookupError(f"the kept calendar lacks the event {e.uid}")
    del evs[at]


# --- the month grid ----------------------------------------------------------------------


@dataclass
class Chip:
    """An event on a day, as the grid shows it."""

    text: str
    url: str
    kind: str  # css: task, project_start, ...
    note: str = ""  # "starts", "due", an action, ...
    done: bool = False


@dataclass
class Day:
    day: date
    label: str  # "Mon 16 Mar", for the phone's list
    number: int
    in_month: bool
    today: bool
    weekend: bool
    chips: list[Chip] = field(default_factory=list)
    more: int = 0


@dataclass
class MonthView:
    title: str
    weekdays: list[str]
    weeks: list[list[Day]]
    previous: Link
    next: Link
    count: int  # events in the month
    empty: bool


#: chips a day shows before "n more" (the feeds hold them all)
DAY_CAP = 6


def month_view(
    ws: Workspace,
    evs: list[Event],
    month: date,
    today: date,
    links: tuple[Link, Link],
    cap: int = DAY_CAP,
) -> MonthView:
    """The month holding `month` as weeks of days (Monday first), each day with the
    events that start or end on it; `links` lead to the previous and next months."""
    fmt = Fmt.of(ws)
    first, after = month_start(month), next_month(month)
    grid_start = monday(first)
    grid_end = monday(after - timedelta(days=1)) + timedelta(days=7)
    days: dict[date, Day] = {}
    d = grid_start
    while d < grid_end:
        days[d] = Day(
            d,
            i18n_day(fmt, d),
            d.day,
            first <= d < after,
            d == today,
            d.weekday() >= 5,
        )
        d += timedelta(days=1)
    count = 0
    placed: dict[date, list[tuple[int, Chip]]] = {}
    words = _Words.of(fmt)
    for e in evs:
        if e.end < first or e.start >= after:
            continue
        count += 1
        for day, note, rank in _placements(words, e):
            if first <= day < after:
                placed.setdefault(day, []).append((rank, _chip(words, e, note)))
    for day, chips in placed.items():
        # what is due that day first, then what starts; each kind in the events' order
        chips.sort(key=lambda rc: rc[0])
        cell = days[day]
        cell.chips = [c for _, c in chips[:cap]]
        cell.more = max(0, len(chips) - cap)
    ordered = list(days.values())
    return MonthView(
        title=fmt.month(first),
        weekdays=[fmt.weekday_name(grid_start + timedelta(days=n)) for n in range(7)],
        weeks=[ordered[i : i + 7] for i in range(0, len(ordered), 7)],
        previous=links[0],
        next=links[1],
        count=count,
        empty=count == 0,
    )


def i18n_day(fmt: Fmt, day: date) -> str:
    """A day as the phone's list heads it."""
    return fmt.day_heading(day)


@dataclass(frozen=True)
class _Words:
    """The grid's words, looked up once per month."""

    starts: str
    due: str
    kinds: dict[str, str]

    @classmethod
    def of(cls, fmt: Fmt) -> _Words:
        return cls(
            fmt.t("calendar.starts"),
            fmt.t("calendar.due"),
            {
                "project_start": fmt.t("calendar.project_start"),
                "project_due": fmt.t("calendar.project_due"),
                "follow_up": fmt.t("calendar.follow_up"),
                "next_step": fmt.t("field.next_step"),
                "close": fmt.t("calendar.close"),
            },
        )


def _placements(words: _Words, e: Event) -> list[tuple[date, str, int]]:
    """The days an event shows on, with a note and a rank (lower shows first): one day,
    or a span's first day ("starts") and its last ("due")."""
    if e.start == e.end:
        return [(e.start, "", 0)]
    return [(e.start, words.starts, 1), (e.end, words.due, 0)]


_URL_KIND = {"task": "task", "project": "project", "contact": "contact", "deal": "deal"}


def _chip(words: _Words, e: Event, note: str) -> Chip:
    kind_note = (e.detail or words.kinds[e.kind]) if e.kind == "next_step" else ""
    kind_note = kind_note or words.kinds.get(e.kind, "")
    return Chip(
        e.title,
        url(_URL_KIND[e.record[0]], e.record[1]),
        e.kind.replace("_", "-"),
        " · ".join(n for n in (note, kind_note) if n),
        e.done,
    )


def follow_up_text(ws: Workspace, derived: Derived, c: Contact, today: date) -> str:
    """What a contact page says of a follow-up counted from the cadence ("" when the
    contact has its own `follow_up`, no cadence, or the setting is off)."""
    if c.follow_up is not None or not c.cadence or not ws.settings.follow_up_from_cadence:
        return ""
    fmt = Fmt.of(ws)
    every = fmt.interval(c.cadence)  # "every 2 weeks", never "every 1 days"
    computed = cadence_follow_up(c, today, derived.contact_touched.get(c.id))
    if computed is None:
        return fmt.t("calendar.follow_up_none", every=every)
    return fmt.t(
        f"calendar.follow_up_{computed.source}",
        date=fmt.date(computed.due),
        every=every,
        touched=fmt.date(computed.touched),
    )
