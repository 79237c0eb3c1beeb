"""The outreach log on pages: a contact's timeline, a project's media list, and the
dashboard's answers to chase."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from builder.model import Contact, OutreachEntry, Workspace
from builder.model.outreach import is_to_chase, latest, threads, waiting_days
from builder.views.common import Fmt, Link, url

if TYPE_CHECKING:
    from builder.views.derived import Derived


@dataclass
class OutreachRow:
    """One entry of a contact's timeline."""

    date: str
    person: Link
    channel: str
    about: Link
    outcome: str
    outcome_key: str  # the outcome's id, for its colour
    link: str  # where it was published ("" without)
    note: str


@dataclass
class MediaRow:
    """One contact on a project's media list: where the thread stands."""

    contact: Link
    outlet: Link  # the contact's company
    outcome: str
    outcome_key: str
    date: str  # of the latest entry
    person: Link  # who wrote the latest entry
    note: str  # of the latest entry
    publications: list[Link] = field(default_factory=list)
    chase: bool = False
    waiting: str = ""  # "waiting 6 days", for those to chase


@dataclass
class MediaList:
    rows: list[MediaRow]
    hint: str
    published: int = 0
    to_chase: int = 0


@dataclass
class ChaseItem:
    """A contact whose answer on a subject is overdue, for the dashboard."""

    contact: Link
    about: Link
    person: Link
    date: str
    waiting: str
    days: int


#: The order of a media list after those to chase: who wants something from us first, who
#: is still deciding, then the finished threads.
_ACTION_ORDER = ("interested", "replied", "sent", "no-answer", "published", "declined")


def _name(ws: Workspace, kind: str, ident: str) -> Link:
    rec = ws.table(kind).get(ident) if kind else None
    if rec is None:
        return Link(ident)
    return Link(getattr(rec, "name", "") or getattr(rec, "title", "") or ident, url(kind, ident))


def _about(ws: Workspace, entry: OutreachEntry) -> Link:
    for kind in ("project", "task", "deal"):
        if entry.about in ws.table(kind):
            return _name(ws, kind, entry.about)
    return Link(entry.about)


def timeline(ws: Workspace, contact: Contact, fmt: Fmt) -> list[OutreachRow]:
    """A contact's outreach entries, newest first."""
    return [
        OutreachRow(
            date=fmt.date(e.date),
            person=_name(ws, "person", e.person),
            channel=fmt.t(f"channel.{e.channel}") if e.channel else "",
            about=_about(ws, e),
            outcome=fmt.t(f"reply.{e.outcome}"),
            outcome_key=e.outcome,
            link=e.link if e.link.startswith(("https://", "http://")) else "",
            note=e.note,
        )
        for e in sorted(contact.log, key=lambda e: (e.date, e.line), reverse=True)
    ]


def _rank(entry: OutreachEntry, chase: bool) -> tuple[int, int]:
    """Those to chase first (the longest waiting first), then by `_ACTION_ORDER`, each
    newest first."""
    if chase:
        return 0, entry.date.toordinal()
    return 1 + _ACTION_ORDER.index(entry.outcome), -entry.date.toordinal()


def media_list(ws: Workspace, derived: Derived, project_id: str, today: date) -> MediaList:
    """Every contact pitched about a project (or its tasks): their latest outcome, their
    publications, and whether to chase them, sorted by what needs action."""
    fmt = Fmt.of(ws)
    days = ws.settings.chase_after_days
    by_contact: dict[str, list[OutreachEntry]] = {}
    contacts: dict[str, Contact] = {}
    for contact, entry in derived.index.outreach_by_project.get(project_id, ()):
        by_contact.setdefault(contact.id, []).append(entry)
        contacts[contact.id] = contact
    ranked = []
    for cid, entries in by_contact.items():
        c, last = contacts[cid], latest(entries)
        chase = is_to_chase(last, today, days)
        published = sorted(
            (e for e in entries if e.outcome == "published" and e.link), key=lambda e: e.date
        )
        row = MediaRow(
            contact=Link(c.name, url("contact", c.id)),
            outlet=_name(ws, "company", c.company) if c.company else Link(""),
            outcome=fmt.t(f"reply.{last.outcome}"),
            outcome_key=last.outcome,
            date=fmt.short_date(last.date),
            person=_name(ws, "person", last.person),
            note=last.note,
            publications=[
                Link(f"{urlsplit(e.link).hostname or e.link} · {fmt.short_date(e.date)}", e.link)
                for e in published
                if e.link.startswith(("https://", "http://"))
            ],
            chase=chase,
            waiting=fmt.tn("media.waiting", waiting_days(last, today)) if chase else "",
        )
        ranked.append((_rank(last, chase), c.name.casefold(), cid, row))
    ranked.sort(key=lambda r: r[:3])
    rows = [r[3] for r in ranked]
    return MediaList(
        rows=rows,
        hint=fmt.tn("media.hint", days),
        published=sum(
            1 for entries in by_contact.values() for e in entries if e.outcome == "published"
        ),
        to_chase=sum(1 for r in rows if r.chase),
    )


def to_chase(ws: Workspace, today: date) -> list[ChaseItem]:
    """Every contact whose latest entry on a subject waits for an answer past the
    workspace's `chase_after_days`, the longest waiting first."""
    fmt = Fmt.of(ws)
    days = ws.settings.chase_after_days
    found = []
    for cid in sorted(ws.contacts):
        c = ws.contacts[cid]
        for (kind, ident), last in threads(ws, c):
            if not is_to_chase(last, today, days):
                continue
            wait = waiting_days(last, today)
            about = _name(ws, kind, ident)
            if kind == "project" and about.url:  # straight to the project's media list
                about = Link(about.text, f"{about.url}#media-list")
            item = ChaseItem(
                contact=Link(c.name, url("contact", c.id)),
                about=about,
                person=_name(ws, "person", last.person),
                date=fmt.short_date(last.date),
                waiting=fmt.tn("media.waiting", wait),
                days=wait,
            )
            found.append((-wait, c.name.casefold(), cid, ident, item))
    found.sort(key=lambda f: f[:4])
    return [f[4] for f in found]
