"""History views: the activity feed ("Anna moved *Homepage mock-ups* from Design to Client
approval"), newest first and grouped by day, and the same entries as an Atom feed.

Each entry keeps its sentence as parts (person, record, values, plain text) so a page can
link the person and italicise and link the record, plus the whole sentence as plain text.
Names are today's (the current title of a renamed task), so a line and the page it links
to agree.

Atom is written with `xml.etree` rather than feedgen: an Atom feed is a dozen elements,
etree escapes text and attributes correctly, and the output is byte-stable; feedgen would
bring lxml and dateutil for no gain.
"""

from __future__ import annotations

import re
import string
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
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
    local_day,
)
from builder.history.flow import workflow_of_task
from builder.history.reader import History
from builder.history.xmltext import xml_text
from builder.i18n import format_date, format_money, keys, t
from builder.model import Pipeline, Workflow, Workspace

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
    unfiltered = person is None and project is None and since is None
    rows: list[tuple[float, str, Key, int, RecordHistory, Change, date]] | None = (
        history.kept.get("feed_rows") if unfiltered else None
    )
    if rows is None:
        rows = []
        for key, rec in history.records.items():
            for index, ch in enumerate(rec.changes):
                if person is not None and ch.stamp.author.person != person:
                    continue
                if project is not None and _project_of(ws, rec, ch) != project:
                    continue
                day = local_day(ch.stamp.when, history.tz)
                if since is not None and day < since:
                    continue
                rows.append((-ch.stamp.when.timestamp(), ch.stamp.commit, key, index, rec, ch, day))
        rows.sort(key=lambda r: r[:4])
        if unfiltered:  # the histories' alone: kept while they are (see History.kept)
            history.kept["feed_rows"] = rows
    names = _display_names(ws)
    entries: list[FeedEntry] = []
    for *_, rec, ch, day in rows:
        entry = _entry(ws, locale, names, rec, ch, day)
        if entry is not None:
            entries.append(entry)
            if limit is not None and len(entries) >= limit:
                break
    return entries


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


def _entry(
    ws: Workspace,
    locale: str,
    names: dict[str, str],
    rec: RecordHistory,
    ch: Change,
    day: date,
) -> FeedEntry | None:
    sentence = _sentence(ws, rec, ch)
    if sentence is None:
        return None
    key, values = sentence
    who = ch.stamp.author
    pid = who.person if who.person in names else None
    exists = rec.id in ws.table(rec.type)
    record_title = _title(ws, rec)
    fills: dict[str, Part] = {
        "person": Part(PERSON, names[pid] if pid else who.name, ("person", pid) if pid else None),
        "record": Part(RECORD, record_title, rec.key if exists else None),
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
        _project_of(ws, rec, ch),
        key,
        parts,
        text,
    )


# A sentence: its key, and its value placeholders as {name: (raw value, what it is)}.
_Sentence = tuple[str, dict[str, tuple[str | None, str]]]


def _sentence(ws: Workspace, rec: RecordHistory, ch: Change) -> _Sentence | None:
    kind = rec.type
    if ch.kind == CREATED:
        if kind == "deal":
            amount = (ch.snapshot or {}).get("amount")
            if amount:
                return "history.feed.deal_created_amount", {"amount": (amount, "amount")}
            return "history.feed.deal_created", {}
        if kind in ("task", "project"):
            return f"history.feed.{kind}_created", {}
        return "history.feed.created", {}
    if ch.kind == DELETED:
        return "history.feed.deleted", {}
    if ch.kind == RESTORED:
        return "history.feed.restored", {}
    if ch.kind == RENAMED:
        return "history.feed.renamed", {"old": (ch.old, "id")}
    if ch.kind != CHANGED:
        return None
    old, new, field = ch.old, ch.new, ch.field
    if field in ("title", "name"):
        return "history.feed.retitled", {"old": (old, "text")}
    if kind == "task":
        if field == "status":
            both = {"old": (old, "column"), "new": (new, "column")}
            return "history.feed.task_moved", both
        if field == "assignee":
            if new is None:
                return "history.feed.task_unassigned", {}
            return "history.feed.task_assigned", {"new": (new, "person")}
        if field == "due":
            if new is None:
                return "history.feed.task_due_removed", {}
            return "history.feed.task_due", {"new": (new, "date")}
        if field == "project" and new is not None:
            return "history.feed.task_project", {"new": (new, "project")}
        return None
    if kind == "deal":
        if field == "stage":
            stage = _pipeline(ws, rec).stage(new or "")
            if stage is not None and stage.outcome in ("won", "lost"):
                return f"history.feed.deal_{stage.outcome}", {}
            return "history.feed.deal_moved", {"old": (old, "stage"), "new": (new, "stage")}
        if field == "owner" and new is not None:
            return "history.feed.deal_owner", {"new": (new, "person")}
        if field == "amount":
            return "history.feed.deal_amount", {"old": (old, "amount"), "new": (new, "amount")}
        return None
    if kind == "project":
        if field == "status":
            both = {"old": (old, "project_status"), "new": (new, "project_status")}
            return "history.feed.project_status", both
        if field == "manager" and new is not None:
            return "history.feed.project_manager", {"new": (new, "person")}
    return None


def _title(ws: Workspace, rec: RecordHistory) -> str:
    current = ws.table(rec.type).get(rec.id)
    if current is not None:
        name = getattr(current, "title", "") or getattr(current, "name", "")
        if name:
            return str(name)
    return title_of(rec.type, rec.snapshot) or rec.id


def _pipeline(ws: Workspace, rec: RecordHistory) -> Pipeline:
    return pipeline_of_deal(ws, rec.id, rec)


def _value(ws: Workspace, locale: str, rec: RecordHistory, raw: str | None, what: str) -> Part:
    """A field value as the page shows it: column and stage names, people's names, dates
    and money in the locale's style."""
    if raw is None:
        if what == "column" and rec.type == "task":
            raw = _workflow(ws, rec).backlog
        else:
            return Part(VALUE, t(locale, "history.none"))
    if what == "column":
        column = _workflow(ws, rec).column(raw)
        return Part(VALUE, column.name if column else raw)
    if what == "stage":
        stage = pipeline_of_deal(ws, rec.id, rec).stage(raw)
        return Part(VALUE, stage.name if stage else raw)
    if what == "person":
        person = ws.people.get(raw)
        return Part(VALUE, person.name if person else raw, ("person", raw) if person else None)
    if what == "project":
        project = ws.projects.get(raw)
        return Part(VALUE, project.name if project else raw, ("project", raw) if project else None)
    if what == "project_status":
        key = f"history.project_status.{raw}"
        return Part(VALUE, t(locale, key) if _known(key) else raw)
    if what == "date":
        try:
            return Part(VALUE, format_date(date.fromisoformat(raw), locale))
        except ValueError:
            return Part(VALUE, raw)
    if what == "amount":
        return Part(VALUE, _money(ws, locale, raw))
    return Part(VALUE, raw)


def _known(key: str) -> bool:
    return key in keys()


def _workflow(ws: Workspace, rec: RecordHistory) -> Workflow:
    return workflow_of_task(ws, rec)


def _money(ws: Workspace, locale: str, raw: str) -> str:
    match = _AMOUNT.match(raw.strip())
    if match is None:
        return raw
    try:
        amount = Decimal(match.group(1).replace("_", "").replace(" ", ""))
    except InvalidOperation:
        return raw
    return format_money(amount, (match.group(2) or ws.settings.base_currency).upper(), locale)


def _project_of(ws: Workspace, rec: RecordHistory, ch: Change) -> str | None:
    if rec.type == "project":
        return rec.id
    if rec.type != "task":
        return None
    task = ws.tasks.get(rec.id)
    if task is not None:
        return task.project or None
    return (ch.snapshot or rec.snapshot or {}).get("project")


def _fill(template: str, fills: dict[str, Part]) -> tuple[Part, ...]:
    parts: list[Part] = []
    for literal, name, _, _ in string.Formatter().parse(template):
        if literal:
            parts.append(Part(TEXT, literal))
        if name is not None:
            parts.append(fills.get(name, Part(TEXT, "")))
    return tuple(parts)


def atom(
    entries: list[FeedEntry],
    *,
    title: str,
    feed_url: str,
    site_url: str,
    href: Callable[[Key], str | None],
    locale: str,
    today: date,
) -> str:
    """The entries as an Atom 1.0 document (a string). `href(key)` gives a record's page
    URL, or None; the feed's `updated` is its newest entry's time (or `today`)."""
    ns = "http://www.w3.org/2005/Atom"
    ET.register_namespace("", ns)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        # etree escapes markup but writes a control character as is: strip what XML forbids
        el = ET.SubElement(parent, f"{{{ns}}}{tag}", {k: xml_text(v) for k, v in attrs.items()})
        if text is not None:
            el.text = xml_text(text)
        return el

    root = ET.Element(f"{{{ns}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": locale})
    sub(root, "id", feed_url)
    sub(root, "title", title)
    newest = entries[0].when if entries else datetime.combine(today, time(0))
    sub(root, "updated", _rfc3339(newest))
    if "://" in feed_url:  # a URN id (no site_url known) is no address to link to
        sub(root, "link", rel="self", href=feed_url)
    sub(root, "link", rel="alternate", href=site_url)
    sub(root, "generator", "Plaindesk")
    for entry in entries:
        item = sub(root, "entry")
        ident = f"{entry.commit}/{entry.record[0]}/{entry.record[1]}/{entry.action}"
        sub(item, "id", f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, ident)}")
        sub(item, "title", entry.text)
        sub(item, "updated", _rfc3339(entry.when))
        author = sub(item, "author")
        sub(author, "name", entry.author)
        url = href(entry.target) if entry.target else None
        if url:
            sub(item, "link", rel="alternate", href=url)
        sub(item, "content", entry.text, type="text")
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _rfc3339(when: datetime) -> str:
    if when.tzinfo is None:
        return when.isoformat() + "Z"
    return when.isoformat()
