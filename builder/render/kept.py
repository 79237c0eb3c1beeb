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
from builder.views.calendar import Event, EventIndex, TaskEvents
from builder.views.dashboard import DashboardKept


@dataclass
class CalendarKept:
    """The task events (made again only for the tasks an edit touched), each event's text
    (its repr: what page keys hash) and each feed's text, with the words and the events'
    texts it was made from."""

    words: tuple[str, str] = ("", "")
    tasks: TaskEvents = field(default_factory=TaskEvents)
    texts: dict[int, tuple[Event, str]] = field(default_factory=dict)  # by id(event)
    feeds: dict[str, tuple[tuple[object, ...], tuple[str, ...], str]] = field(default_factory=dict)
    #: the last index of the events, with the digest of what they were made from
    #: (`calendar._made_from`), and the digest of the events each page's span shows, by
    #: (whose list: "team", "person:<id>", "project:<id>"; first day, day after): valid
    #: while that index is kept
    index: tuple[str, EventIndex] | None = None
    shown: dict[tuple[str, date, date], str] = field(default_factory=dict)
    #: the events' texts in the order of the last index (`shown` holds while it is the same)
    sequence: list[str] = field(default_factory=list)


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
    deals, compared by identity) and what it gave: the page's and archive's keys and the
    row of the people list."""

    person: Any
    tasks: list[Any]
    deals: list[Any]
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
class RenderKept:
    """The serve loop's: one of each, replaced when its words (settings, audience) change."""

    calendar: CalendarKept = field(default_factory=CalendarKept)
    reports: ReportsKept = field(default_factory=ReportsKept)
    records: RecordKeys = field(default_factory=RecordKeys)  # record pages' keys
    people: PeopleKept = field(default_factory=PeopleKept)  # the people pages' parts
    dashboard: DashboardKept = field(default_factory=DashboardKept)  # the dashboard's parts
    admin: tuple[tuple[object, ...], dict[str, str]] | None = None  # the admin page's files
    #: the record bodies' HTML by the Markdown's digest (`BodyRenderer`), with the
    #: settings they were rendered under (raw HTML allowed, the checkbox label)
    bodies: tuple[tuple[bool, str], dict[str, str]] | None = None
    #: the serve loop's page memo (`pages.Memo`: path -> (key, text)), and record pages'
    #: paths by (kind, id)
    memo: dict[str, tuple[Any, str]] | None = None
    paths: dict[tuple[str, str], str] = field(default_factory=dict)
