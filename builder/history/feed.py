"""History stage: the changes the activity feed reports, newest first.

`feed_events` selects and orders them (by person, by project, from a day on); wording them
is the views' job (`builder.views.feed`). The unfiltered list depends on the histories
alone, so it is kept with them (see `History.kept`) and the serve loop's rebuilds reuse it.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from builder.history.events import Change, Key, RecordHistory, local_day
from builder.history.reader import History
from builder.model import Workspace


class FeedEvent(NamedTuple):
    """One change of one record, with its day in the workspace time zone."""

    record: RecordHistory
    change: Change
    day: date


def feed_events(
    history: History,
    ws: Workspace,
    person: str | None = None,
    project: str | None = None,
    since: date | None = None,
) -> list[FeedEvent]:
    """Every change, newest first; optionally only those by `person`, about `project` (its
    tasks and itself), or from `since` on. Changes of one commit keep a stable order: by
    record, then as they happened."""
    unfiltered = person is None and project is None and since is None
    if unfiltered:
        kept: list[FeedEvent] | None = history.kept.get("feed_events")
        if kept is not None:
            return kept
    rows: list[tuple[float, str, Key, int, FeedEvent]] = []
    for key, rec in history.records.items():
        for index, ch in enumerate(rec.changes):
            if person is not None and ch.stamp.author.person != person:
                continue
            if project is not None and project_of(ws, rec, ch) != project:
                continue
            day = local_day(ch.stamp.when, history.tz)
            if since is not None and day < since:
                continue
            event = FeedEvent(rec, ch, day)
            rows.append((-ch.stamp.when.timestamp(), ch.stamp.commit, key, index, event))
    rows.sort(key=lambda r: r[:4])
    events = [row[-1] for row in rows]
    if unfiltered:  # the histories' alone: kept while they are (see History.kept)
        history.kept["feed_events"] = events
    return events


def project_of(ws: Workspace, rec: RecordHistory, ch: Change) -> str | None:
    """The project a change belongs to: a project's own, a task's current project (or the
    last one its history names, once it is deleted); None for other records."""
    if rec.type == "project":
        return rec.id
    if rec.type != "task":
        return None
    task = ws.tasks.get(rec.id)
    if task is not None:
        return task.project or None
    return (ch.snapshot or rec.snapshot or {}).get("project")
