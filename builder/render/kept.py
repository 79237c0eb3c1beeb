"""What `serve`'s rebuilds keep of rendering besides whole pages (`builder.site.generate.Kept`
holds one `RenderKept`): per record, what the calendar and the reports read of it, so that
an edit makes again only what the records it touched give, and the calendar feeds whose
events did not change are not serialised again.

Each part is valid for one audience and one `general` part of the settings
(`SettingsKeys.general`: all but the workflows and pipelines): typed records depend on it,
and an audience's records have fields emptied under the same file digests. What the
workflows and pipelines decide (whether a task is done, a deal open) is in each event's
key and beside each task's text, so a column renamed keeps them all."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from builder.render.keys import RecordKeys
from builder.views.calendar import Event, EventIndex, KeptEvents
from builder.views.dashboard import DashboardKept


@dataclass
class CalendarKept:
    """Each record's events and their index (`KeptEvents`: made again only for the records
    an edit touched), each event's text (its repr: what page keys hash), the digest of
    the events each calendar page's span shows, and each feed's text: an edit drops the
    digests and feeds its changed events are on, and keeps the others."""

    words: tuple[object, ...] = ()
    events: KeptEvents = field(default_factory=KeptEvents)
    texts: dict[int, tuple[Event, str]] = field(default_factory=dict)  # by id(event)
    #: the digest of the events a page's span shows, by (whose list: "team",
    #: "person:<id>", "project:<id>"; first day, day after)
    shown: dict[tuple[str, date, date], str] = field(default_factory=dict)
    #: each feed's text by path, with the words and the name it was made with
    feeds: dict[str, tuple[tuple[object, ...], str, str]] = field(default_factory=dict)
    #: the feeds whose events changed since they were made (None: all of them)
    stale: set[str] | None = None

    @property
    def index(self) -> EventIndex | None:
        """The events' index as the last rebuild left it."""
        return self.events.index


@dataclass
class ReportsKept:
    """Per task file (by digest): what the reports read of it, as text; and the recent
    weeks' timesheets, made again only when the time logged (or the people) changed."""

    words: tuple[str, str] = ("", "")
    shown: dict[str, str] = field(default_factory=dict)
    #: per task file: its project and time entries (what the timesheets read), as text
    logged: dict[str, str] = field(default_factory=dict)
    #: the recent weeks' timesheets, with the digest of what they were made from
    weeks: tuple[str, Any] | None = None
    #: serve: per task id, (its text, whether it is done, its time log's text), as the
    #: last key was made from them, with that key, the digest of the time logs, what else
    #: they depend on (the projects' digest, the workflows) and `RecordKeys.updates` then
    tasks: dict[str, tuple[str, bool, str]] = field(default_factory=dict)
    key: str = ""
    logged_key: str = ""
    context: tuple[object, ...] = ()
    updates: int = -1
    #: each timesheet page's key and each week's CSV, with what they were made from
    week_keys: dict[object, tuple[tuple[object, ...], str]] = field(default_factory=dict)
    csv: dict[object, tuple[tuple[object, ...], str]] = field(default_factory=dict)


@dataclass
class PersonKept:
    """What a person's entry on the people pages was made from (their record, tasks and
    deals, compared by identity) and what it gave: the page's and archive's keys, the
    archive's size and the row of the people list."""

    person: Any
    tasks: list[Any]
    deals: list[Any]
    archived: int  # how many done cards their archive holds (`boards.done_beyond_count`)
    page_key: str
    archive_key: str
    row: list[Any]


@dataclass
class PeopleKept:
    """The people pages' per-person parts, valid for one `context` (the settings, today,
    the projects', companies' and contacts' digests, the history's chips)."""

    context: tuple[object, ...] = ()
    people: dict[str, PersonKept] = field(default_factory=dict)


@dataclass
class RecordPagesKept:
    """Serve: the record pages the memo held under their very key (path -> text, as
    `tree.KeptPages` hands them on) and those that went through one by one, as the last
    rebuild left them, with what that was made from (the keys, the memo and
    `RecordKeys.updates` then). The next rebuild looks again only at the pages whose key
    was computed again or went, and at those that went through one by one (the memo holds
    them now); every other page is in the memo as it was, under the same key object."""

    updates: int = -1
    keys: dict[Any, tuple[str, ...]] | None = None
    memo: dict[str, tuple[Any, str]] | None = None
    texts: dict[str, str] = field(default_factory=dict)
    one_by_one: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ProblemsKept:
    """The Problems page's key, with what it was made from: the salt and options (`head`),
    the problems as shown, the records in their files (by (kind, id)) and
    `RecordKeys.updates` then."""

    head: tuple[str, ...] = ()
    shown: list[str] = field(default_factory=list)
    read: set[tuple[str, str]] = field(default_factory=set)
    key: str = ""
    updates: int = -1


@dataclass
class RenderKept:
    """The serve loop's: one of each, replaced when its words (settings, audience) change."""

    calendar: CalendarKept = field(default_factory=CalendarKept)
    reports: ReportsKept = field(default_factory=ReportsKept)
    records: RecordKeys = field(default_factory=RecordKeys)  # record pages' keys
    people: PeopleKept = field(default_factory=PeopleKept)  # the people pages' parts
    dashboard: DashboardKept = field(default_factory=DashboardKept)  # the dashboard's parts
    admin: tuple[tuple[object, ...], dict[str, str]] | None = None  # the admin page's files
    record_pages: RecordPagesKept = field(default_factory=RecordPagesKept)
    problems: ProblemsKept = field(default_factory=ProblemsKept)  # the Problems page's key
    #: small values a page list needs (a funnel's stage counts, the contact tags), by
    #: name, with what they were made from (`pages._kept_value`)
    values: dict[str, tuple[tuple[object, ...], Any]] = field(default_factory=dict)
    #: the record bodies' HTML by the Markdown's digest (`BodyRenderer`), with the
    #: settings they were rendered under (raw HTML allowed, the checkbox label)
    bodies: tuple[tuple[bool, str], dict[str, str]] | None = None
    #: the serve loop's page memo (`pages.Memo`: path -> (key, text)), and record pages'
    #: paths by (kind, id)
    memo: dict[str, tuple[Any, str]] | None = None
    paths: dict[tuple[str, str], str] = field(default_factory=dict)
