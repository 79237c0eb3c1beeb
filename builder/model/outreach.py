"""The outreach log's domain rules: what an entry is about, which entries count as press
mentions, and when a contact is to be chased for an answer.

A media list, the dashboard's list of answers to chase and a metric counted `from:
published` all read the log through these, so the site and the client's portal agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from builder.model import Contact, OutreachEntry, Project, Workspace
from builder.model.records import Metric

#: outcomes that still wait for the contact's answer
WAITING = ("sent", "no-answer")


def project_of(ws: Workspace, entry: OutreachEntry) -> str | None:
    """The project an entry is about: its `about` when that is a project, the task's project
    when it is a task; None for a deal (or an unknown id)."""
    if entry.about in ws.projects:
        return entry.about
    task = ws.tasks.get(entry.about)
    return task.project if task is not None else None


def subject_of(ws: Workspace, entry: OutreachEntry) -> tuple[str, str]:
    """(record type, id) of what the entry is about, a task counting as its project: one
    pitch of a project's tasks is one thread with the contact."""
    project = project_of(ws, entry)
    if project is not None:
        return "project", project
    return ("deal" if entry.about in ws.deals else ""), entry.about


def latest(entries: Iterable[OutreachEntry]) -> OutreachEntry:
    """The newest entry (of one day, the one written last)."""
    return max(entries, key=lambda e: (e.date, e.line))


def waiting_days(entry: OutreachEntry, today: date) -> int:
    """Days since the entry."""
    return (today - entry.date).days


def is_to_chase(entry: OutreachEntry, today: date, days: int) -> bool:
    """A contact's latest entry on a subject still waits for an answer `days` days on."""
    return entry.outcome in WAITING and waiting_days(entry, today) >= days


def threads(ws: Workspace, contact: Contact) -> Iterator[tuple[tuple[str, str], OutreachEntry]]:
    """Each subject a contact was pitched about, with the latest entry on it."""
    by_subject: dict[tuple[str, str], list[OutreachEntry]] = {}
    for e in contact.log:
        by_subject.setdefault(subject_of(ws, e), []).append(e)
    for subject, entries in by_subject.items():
        yield subject, latest(entries)


def entries_about(ws: Workspace, project_id: str) -> list[tuple[Contact, OutreachEntry]]:
    """Every (contact, entry) about a project or one of its tasks, contacts in id order."""
    return [
        (c, e)
        for _, c in sorted(ws.contacts.items())
        for e in c.log
        if project_of(ws, e) == project_id
    ]


def published_count(entries: Iterable[tuple[Contact, OutreachEntry]]) -> int:
    """The press mentions among entries: each dated entry marked `published`."""
    return sum(1 for _, e in entries if e.outcome == "published")


def metric_actual(
    ws: Workspace,
    project: Project,
    metric: Metric,
    entries: list[tuple[Contact, OutreachEntry]] | None = None,
) -> float | None:
    """A metric's actual value: counted from the log for `from: published`, else as typed.
    `entries` are the project's outreach entries when the caller has them at hand."""
    if metric.source != "published":
        return metric.actual
    found = entries if entries is not None else entries_about(ws, project.id)
    return float(published_count(found))
