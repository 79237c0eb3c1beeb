"""Warnings: overdue tasks, idle deals, follow-ups, inactive assignees, WIP limits (these
depend on today, always a parameter, never read from the clock here), contacts that
look like one person twice, publications without a link, and time logged without a cost
rate."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import date

from builder.model import Contact, Project, Workspace
from builder.problems import Problem
from builder.validate.rules import Pick, every

Warning_ = Callable[..., list[Problem]]


def overdue_tasks(ws: Workspace, today: date, pick: Pick = every) -> list[Problem]:
    """An open task whose due date has passed."""
    out = []
    for t in pick(ws, "task"):
        if t.due is not None and t.due < today and ws.task_is_open(t):
            line, col = t.at("due")
            days = (today - t.due).days
            out.append(
                Problem(
                    "PD401",
                    t.path,
                    line,
                    col,
                    f"task overdue by {days} day{'s' if days != 1 else ''} "
                    f"(due {t.due.isoformat()})",
                    "move it to done, or set a new `due:` date",
                    "due",
                )
            )
    return out


def idle_deals(ws: Workspace, today: date, pick: Pick = every) -> list[Problem]:
    """An open deal untouched for longer than its stage's idle limit."""
    out = []
    for d in pick(ws, "deal"):
        stage = ws.stage_of(d)
        last = d.updated
        if stage is None or not stage.is_open or stage.idle_days is None or last is None:
            continue
        idle = (today - last).days
        if idle > stage.idle_days:
            line, col = d.at("updated")
            out.append(
                Problem(
                    "PD402",
                    d.path,
                    line,
                    col,
                    f"deal idle for {idle} days in stage `{stage.id}` (limit {stage.idle_days})",
                    "take the next step and update `updated:`",
                    "updated",
                )
            )
    return out


def overdue_follow_ups(ws: Workspace, today: date, pick: Pick = every) -> list[Problem]:
    """A contact whose follow-up date has passed."""
    out = []
    for c in pick(ws, "contact"):
        if c.follow_up is not None and c.follow_up < today:
            line, col = c.at("follow_up")
            out.append(
                Problem(
                    "PD403",
                    c.path,
                    line,
                    col,
                    f"follow-up with {c.name} was due {c.follow_up.isoformat()}",
                    "get in touch, then set the next `follow_up:` date",
                    "follow_up",
                )
            )
    return out


def inactive_assignees(ws: Workspace, today: date, pick: Pick = every) -> list[Problem]:
    """An open task assigned to a person marked `active: false`."""
    out = []
    for t in pick(ws, "task"):
        person = ws.people.get(t.assignee or "")
        if person is not None and not person.active and ws.task_is_open(t):
            line, col = t.at("assignee")
            out.append(
                Problem(
                    "PD404",
                    t.path,
                    line,
                    col,
                    f"open task assigned to inactive person `{person.id}`",
                    "assign it to someone on the team",
                    "assignee",
                )
            )
    return out


def wip_limits(ws: Workspace, today: date) -> list[Problem]:
    """A column of a project's board holding more tasks than its WIP limit."""
    counts: dict[tuple[str, str], list[str]] = defaultdict(list)
    for t in ws.tasks.values():
        counts[(t.project, t.status)].append(t.id)
    out = []
    for p in ws.projects.values():
        out += project_wip(ws, p, counts)
    return out


def project_wip(
    ws: Workspace, p: Project, counts: Mapping[tuple[str, str], list[str]]
) -> list[Problem]:
    """`wip_limits` of one project, from its tasks' ids by (project, status)."""
    out = []
    for column in ws.workflow_of(p).columns:
        tasks = counts.get((p.id, column.id), [])
        if column.wip is not None and len(tasks) > column.wip:
            line, col = p.at("workflow") if "workflow" in p.pos else (1, 1)
            out.append(
                Problem(
                    "PD405",
                    p.path,
                    line,
                    col,
                    f"column `{column.id}` holds {len(tasks)} tasks, WIP limit {column.wip}",
                    "finish or move tasks: " + ", ".join(sorted(tasks)[:5]),
                    "workflow",
                )
            )
    return out


def duplicate_contacts(ws: Workspace, today: date) -> list[Problem]:
    """Two contacts with the same e-mail address or the same phone number (compared as
    `plaindesk import` compares them: case aside, and numbers in any notation)."""
    region = contact_region(ws)
    return same_contacts(
        ws.contacts.values(), {c.id: contact_keys(c, region) for c in ws.contacts.values()}
    )


def contact_region(ws: Workspace) -> str | None:
    """The region phone numbers are read in (None: no contact has one)."""
    from builder.model.keys import region_of

    return region_of(ws.settings.timezone) if any(c.phone for c in ws.contacts.values()) else None


#: what `duplicate_contacts` compares of a contact: (field, what, key), e-mail first
ContactKeys = list[tuple[str, str, str]]


def contact_keys(c: Contact, region: str | None) -> ContactKeys:
    """A contact's e-mail and phone keys, as `duplicate_contacts` compares them."""
    from builder.model.keys import email_key, phone_key

    keys = []
    if c.email:
        keys.append(("email", "e-mail", "e:" + email_key(c.email)))
    if c.phone and len(digits := phone_key(c.phone, region)) >= 6:
        keys.append(("phone", "phone", "p:" + digits))
    return keys


def same_contacts(contacts: Iterable[Contact], keys: Mapping[str, ContactKeys]) -> list[Problem]:
    """`duplicate_contacts` among `contacts` (by id, `keys`: each one's `contact_keys`):
    each contact that shares a key with one before it (by path), once."""
    first: dict[str, str] = {}
    out = []
    for c in sorted(contacts, key=lambda c: (c.path, c.id)):
        for name, what, key in keys[c.id]:
            other = first.setdefault(key, c.id)
            if other == c.id:
                continue
            line, col = c.at(name)
            out.append(
                Problem(
                    "PD406",
                    c.path,
                    line,
                    col,
                    f"contact `{c.id}` has the same {what} as contact `{other}`",
                    f"if they are one person, keep one record (move the notes over) and "
                    f"replace `{c.id}` with `{other}` where it is used",
                    name,
                )
            )
            break
    return out


def published_without_link(ws: Workspace, today: date, pick: Pick = every) -> list[Problem]:
    """An outreach entry marked `published` with no link to the publication: the media list
    and the client's count of mentions show it, but no one can open it."""
    return [
        Problem(
            "PD407",
            c.path,
            e.line,
            e.col,
            f"outreach entry of {e.date.isoformat()} is published but has no link",
            "add the publication's address to the entry (`link:`, or anywhere in its note)",
            "log",
        )
        for c in pick(ws, "contact")
        for e in c.log
        if e.outcome == "published" and not e.link
    ]


def missing_rates(ws: Workspace, today: date) -> list[Problem]:
    """A person who logged time but has no `rate`: reports show their projects' cost as
    incomplete rather than count the hours as free."""
    logged: dict[str, int] = defaultdict(int)
    for t in ws.tasks.values():
        for entry in t.time:
            logged[entry.person] += entry.minutes
    out = []
    for pid in sorted(logged):
        out += missing_rate(ws, pid, logged[pid])
    return out


def missing_rate(ws: Workspace, pid: str, minutes: int) -> list[Problem]:
    """`missing_rates` of one person, who logged `minutes` in all."""
    person = ws.people.get(pid)
    if person is None or person.rate is not None or not minutes:
        return []
    hours, minutes = divmod(minutes, 60)
    spent = f"{hours}h{minutes}m" if hours and minutes else f"{hours}h" if hours else f"{minutes}m"
    return [
        Problem(
            "PD408",
            person.path,
            1,
            1,
            f"{spent} logged by `{pid}` has no cost: no `rate`",
            "add their cost per hour, e.g. `rate: 40 USD`, so reports can count it",
            "rate",
        )
    ]


WARNINGS: list[Warning_] = [
    overdue_tasks,
    idle_deals,
    overdue_follow_ups,
    inactive_assignees,
    wip_limits,
    duplicate_contacts,
    published_without_link,
    missing_rates,
]
#: the warnings about one record each, from it and the records it names (they take a
#: `pick`); the others count over many records and run whole
PER_RECORD: list[Warning_] = [
    overdue_tasks,
    idle_deals,
    overdue_follow_ups,
    inactive_assignees,
    published_without_link,
]


def run_warnings(ws: Workspace, today: date) -> list[Problem]:
    out: list[Problem] = []
    for warn in WARNINGS:
        out += warn(ws, today)
    return out
