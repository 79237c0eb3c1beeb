"""The activity feed in words ("Anna moved *Homepage mock-ups* from Design to Client
approval"), newest first and grouped by day, from the changes `builder.history` found.

Each entry keeps its sentence as parts (person, record, values, plain text) so a page can
link the person and italicise and link the record, plus the whole sentence as plain text.
Names are today's (the current title of a renamed task), so a line and the page it links
to agree. One small function words each kind of change; the sentences themselves are
gettext messages (`history.feed.*`).
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from builder.history.blobs import title_of
from builder.history.deals import pipeline_of_deal
from builder.history.events import (
    CHANGED,
    CREATED,
    DELETED,
    RENAMED,
    RESTORED,
    Change,
    RecordHistory,
)
from builder.history.feed import feed_events, project_of
from builder.history.flow import workflow_of_task
from builder.history.reader import History
from builder.i18n import format_date, format_money, keys, t
from builder.model import Workspace

Key = tuple[str, str]
TEXT, PERSON, RECORD, VALUE = "text", "person", "record", "value"
_AMOUNT = re.compile(r"(\d[\d_ ]*(?:\.\d+)?)(?:\s+([A-Za-z]{3}))?\Z")


@dataclass(frozen=True, slots=True)
class Part:
    """A piece of a feed sentence. `ref` is what to link to: ("person", id), the record's
    (type, id), or for a value such as a project or an assignee, that record's key."""

    kind: str  # TEXT, PERSON, RECORD or VALUE
    text: str
    ref: Key | None = None


@dataclass(frozen=True)
class FeedEntry:
    """One line of the feed."""

    when: datetime  # the commit's author date, in the author's offset
    day: date  # in the workspace time zone
    commit: str
    person: str | None  # who did it, when the author maps to a person
    author: str  # the person's first name (full if ambiguous), or git's author name
    record: Key  # the record, by its current id
    target: Key | None  # the page to link: the record, unless it no longer exists
    project: str | None  # the project it belongs to (tasks, projects)
    action: str  # the sentence key, e.g. "history.feed.task_moved"
    parts: tuple[Part, ...]  # the record's title bare: the page italicises it
    text: str  # the sentence as plain text, the record's title in the locale's quotes


@dataclass(frozen=True)
class FeedDay:
    day: date
    label: str  # the day, as the locale writes it in full
    entries: list[FeedEntry]


def feed_entries(
    history: History,
    ws: Workspace,
    locale: str,
    person: str | None = None,
    project: str | None = None,
    since: date | None = None,
    limit: int | None = None,
) -> list[FeedEntry]:
    """Every feed line, newest first; optionally only those by `person`, about `project`
    (its tasks and itself), or from `since` on, at most `limit` of them."""
    names = _display_names(ws)
    entries: list[FeedEntry] = []
    for rec, ch, day in feed_events(history, ws, person, project, since):
        entry = _entry(ws, locale, names, rec, ch, day)
        if entry is not None:
            entries.append(entry)
            if limit is not None and len(entries) >= limit:
                break
    return entries


def feed(
    history: History,
    ws: Workspace,
    locale: str,
    person: str | None = None,
    project: str | None = None,
    since: date | None = None,
    limit: int | None = None,
) -> list[FeedDay]:
    """`feed_entries` grouped by day (newest day first)."""
    days: list[FeedDay] = []
    for entry in feed_entries(history, ws, locale, person, project, since, limit):
        if not days or days[-1].day != entry.day:
            days.append(FeedDay(entry.day, format_date(entry.day, locale, "full"), []))
        days[-1].entries.append(entry)
    return days


def _display_names(ws: Workspace) -> dict[str, str]:
    """Person id -> how the feed names them: the first name, or the full name when two
    people share a first name."""
    firsts: dict[str, int] = {}
    for person in ws.people.values():
        firsts[person.first_name] = firsts.get(person.first_name, 0) + 1
    return {
        pid: p.first_name if firsts[p.first_name] == 1 else (p.name or pid)
        for pid, p in ws.people.items()
    }


def _entry(
    ws: Workspace, locale: str, names: dict[str, str], rec: RecordHistory, ch: Change, day: date
) -> FeedEntry | None:
    sentence = _sentence(ws, rec, ch)
    if sentence is None:
        return None
    key, values = sentence
    who = ch.stamp.author
    pid = who.person if who.person in names else None
    exists = rec.id in ws.table(rec.type)
    fills: dict[str, Part] = {
        "person": Part(PERSON, names[pid] if pid else who.name, ("person", pid) if pid else None),
        "record": Part(RECORD, _title(ws, rec), rec.key if exists else None),
        "kind": Part(TEXT, t(locale, f"history.kind.{rec.type}")),
    }
    for name, (raw, what) in values.items():
        fills[name] = _value(ws, locale, rec, raw, what)
    parts = _fill(t(locale, key), fills)
    text = "".join(
        t(locale, "history.quoted", title=p.text) if p.kind == RECORD else p.text for p in parts
    )
    return FeedEntry(
        ch.stamp.when,
        day,
        ch.stamp.commit,
        who.person,
        fills["person"].text,
        rec.key,
        rec.key if exists else None,
        project_of(ws, rec, ch),
        key,
        parts,
        text,
    )


# A sentence: its key, and its value placeholders as {name: (raw value, what it is)}.
Values = dict[str, tuple[str | None, str]]
Sentence = tuple[str, Values]


def _sentence(ws: Workspace, rec: RecordHistory, ch: Change) -> Sentence | None:
    """The sentence for one change, or None for a change the feed does not report (a
    move to another folder, a field it does not follow)."""
    if ch.kind == CHANGED:
        if ch.field in ("title", "name"):
            return "history.feed.retitled", {"old": (ch.old, "text")}
        words = _CHANGED.get((rec.type, ch.field))
        return None if words is None else words(ws, rec, ch)
    lifecycle = _LIFECYCLE.get(ch.kind)
    return None if lifecycle is None else lifecycle(rec, ch)


def _created(rec: RecordHistory, ch: Change) -> Sentence:
    if rec.type == "deal":
        amount = (ch.snapshot or {}).get("amount")
        if amount:
            return "history.feed.deal_created_amount", {"amount": (amount, "amount")}
        return "history.feed.deal_created", {}
    if rec.type in ("task", "project"):
        return f"history.feed.{rec.type}_created", {}
    return "history.feed.created", {}


def _deleted(rec: RecordHistory, ch: Change) -> Sentence:
    return "history.feed.deleted", {}


def _restored(rec: RecordHistory, ch: Change) -> Sentence:
    return "history.feed.restored", {}


def _renamed(rec: RecordHistory, ch: Change) -> Sentence:
    return "history.feed.renamed", {"old": (ch.old, "id")}


_LIFECYCLE: dict[str, Callable[[RecordHistory, Change], Sentence]] = {
    CREATED: _created,
    DELETED: _deleted,
    RESTORED: _restored,
    RENAMED: _renamed,
}


def _task_moved(ws: Workspace, rec: RecordHistory, ch: Change) -> Sentence:
    return "history.feed.task_moved", {"old": (ch.old, "column"), "new": (ch.new, "column")}


def _task_assigned(ws: Workspace, rec: RecordHistory, ch: Change) -> Sentence:
    if ch.new is None:
        return "history.feed.task_unassigned", {}
    return "history.feed.task_assigned", {"new": (ch.new, "person")}


def _task_due(ws: Workspace, rec: RecordHistory, ch: Change) -> Sentence:
    if ch.new is None:
        return "history.feed.task_due_removed", {}
    return "history.feed.task_due", {"new": (ch.new, "date")}


def _task_project(ws: Workspace, rec: RecordHistory, ch: Change) -> Sentence | None:
    if ch.new is None:
        return None
    return "history.feed.task_project", {"new": (ch.new, "project")}


def _deal_moved(ws: Workspace, rec: RecordHistory, ch: Change) -> Sentence:
    stage = pipeline_of_deal(ws, rec.id, rec).stage(ch.new or "")
    if stage is not None and stage.outcome in ("won", "lost"):
        return f"history.feed.deal_{stage.outcome}", {}
    return "history.feed.deal_moved", {"old": (ch.old, "stage"), "new": (ch.new, "stage")}


def _deal_owner(ws: Workspace, rec: RecordHistory, ch: Change) -> Sentence | None:
    if ch.new is None:
        return None
    return "history.feed.deal_owner", {"new": (ch.new, "person")}


def _deal_amount(ws: Workspace, rec: RecordHistory, ch: Change) -> Sentence:
    return "history.feed.deal_amount", {"old": (ch.old, "amount"), "new": (ch.new, "amount")}


def _project_status(ws: Workspace, rec: RecordHistory, ch: Change) -> Sentence:
    both: Values = {"old": (ch.old, "project_status"), "new": (ch.new, "project_status")}
    return "history.feed.project_status", both


def _project_manager(ws: Workspace, rec: RecordHistory, ch: Change) -> Sentence | None:
    if ch.new is None:
        return None
    return "history.feed.project_manager", {"new": (ch.new, "person")}


#: (record type, field) -> the words for a change of that field
_CHANGED: dict[Key, Callable[[Workspace, RecordHistory, Change], Sentence | None]] = {
    ("task", "status"): _task_moved,
    ("task", "assignee"): _task_assigned,
    ("task", "due"): _task_due,
    ("task", "project"): _task_project,
    ("deal", "stage"): _deal_moved,
    ("deal", "owner"): _deal_owner,
    ("deal", "amount"): _deal_amount,
    ("project", "status"): _project_status,
    ("project", "manager"): _project_manager,
}


def _title(ws: Workspace, rec: RecordHistory) -> str:
    current = ws.table(rec.type).get(rec.id)
    if current is not None:
        name = getattr(current, "title", "") or getattr(current, "name", "")
        if name:
            return str(name)
    return title_of(rec.type, rec.snapshot) or rec.id


def _value(ws: Workspace, locale: str, rec: RecordHistory, raw: str | None, what: str) -> Part:
    """A field value as the page shows it: column and stage names, people's names, dates
    and money in the locale's style."""
    if raw is None:
        if what != "column" or rec.type != "task":
            return Part(VALUE, t(locale, "history.none"))
        raw = workflow_of_task(ws, rec).backlog
    shown = _VALUES.get(what)
    return Part(VALUE, raw) if shown is None else shown(ws, locale, rec, raw)


def _column(ws: Workspace, locale: str, rec: RecordHistory, raw: str) -> Part:
    column = workflow_of_task(ws, rec).column(raw)
    return Part(VALUE, column.name if column else raw)


def _stage(ws: Workspace, locale: str, rec: RecordHistory, raw: str) -> Part:
    stage = pipeline_of_deal(ws, rec.id, rec).stage(raw)
    return Part(VALUE, stage.name if stage else raw)


def _person(ws: Workspace, locale: str, rec: RecordHistory, raw: str) -> Part:
    person = ws.people.get(raw)
    return Part(VALUE, person.name if person else raw, ("person", raw) if person else None)


def _project(ws: Workspace, locale: str, rec: RecordHistory, raw: str) -> Part:
    project = ws.projects.get(raw)
    return Part(VALUE, project.name if project else raw, ("project", raw) if project else None)


def _project_status_name(ws: Workspace, locale: str, rec: RecordHistory, raw: str) -> Part:
    key = f"history.project_status.{raw}"
    return Part(VALUE, t(locale, key) if key in keys() else raw)


def _date(ws: Workspace, locale: str, rec: RecordHistory, raw: str) -> Part:
    try:
        return Part(VALUE, format_date(date.fromisoformat(raw), locale))
    except ValueError:
        return Part(VALUE, raw)


def _money(ws: Workspace, locale: str, rec: RecordHistory, raw: str) -> Part:
    match = _AMOUNT.match(raw.strip())
    if match is None:
        return Part(VALUE, raw)
    try:
        amount = Decimal(match.group(1).replace("_", "").replace(" ", ""))
    except InvalidOperation:
        return Part(VALUE, raw)
    currency = (match.group(2) or ws.settings.base_currency).upper()
    return Part(VALUE, format_money(amount, currency, locale))


#: what a value is -> how the page shows it (anything else: as written)
_VALUES: dict[str, Callable[[Workspace, str, RecordHistory, str], Part]] = {
    "column": _column,
    "stage": _stage,
    "person": _person,
    "project": _project,
    "project_status": _project_status_name,
    "date": _date,
    "amount": _money,
}


def _fill(template: str, fills: dict[str, Part]) -> tuple[Part, ...]:
    parts: list[Part] = []
    for literal, name, _, _ in string.Formatter().parse(template):
        if literal:
            parts.append(Part(TEXT, literal))
        if name is not None:
            parts.append(fills.get(name, Part(TEXT, "")))
    return tuple(parts)
