"""The edit commands on one existing record: move, done, log, note, follow-up, assign, due.

Each finds its record by id among the types it applies to (which types those are comes from
the schema: the types with a workflow column or pipeline stage field for `move`, with a time
log for `log`, ...), reads it, works out the change in place and returns a `Plan`. Bad
arguments raise `EditError` with a one-line message; nothing is written here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from builder.edit.checks import workflow_of
from builder.edit.dates import DateInputError, parse_when
from builder.edit.desk import Current, Desk, EditError
from builder.edit.plan import Plan, checked_change
from builder.edit.render import flow, scalar
from builder.edit.surgery import append_item, append_line, set_field
from builder.model import Deal, Person, Task
from builder.model.schema import CHANNELS, RECORD_SPECS, REPLIES, SPECS, FieldSpec, record_fields
from builder.validate.values import did_you_mean, parse_duration

#: a web address in a note: the one-line form takes it as the entry's link
_URL_IN_NOTE = re.compile(r"https?://\S+")
#: the `choices_from` lists a record moves through
_STATES = ("workflow_columns", "pipeline_stages")


def kinds_with(test: Callable[[FieldSpec], bool]) -> tuple[str, ...]:
    """The record types that have a field passing `test`."""
    return tuple(s.type for s in RECORD_SPECS if any(test(f) for f in s.fields))


def field_of(kind: str, test: Callable[[FieldSpec], bool]) -> FieldSpec:
    """The first field of a type that passes `test`."""
    return next(f for f in SPECS[kind].fields if test(f))


def _is_state(f: FieldSpec) -> bool:
    return f.choices_from in _STATES


def _is_done_status(f: FieldSpec) -> bool:
    return f.name == "status" and "done" in f.choices


def _is_person(f: FieldSpec) -> bool:
    return f.kind == "ref" and f.ref == "person"


MOVE_KINDS = kinds_with(_is_state)
DONE_KINDS = kinds_with(lambda f: f.choices_from == "workflow_columns") + kinds_with(
    _is_done_status
)
LOG_KINDS = kinds_with(lambda f: f.kind == "time_log")
OUTREACH_KINDS = kinds_with(lambda f: f.kind == "outreach_log")
NOTE_KINDS = tuple(s.type for s in RECORD_SPECS)
FOLLOW_UP_KINDS = kinds_with(lambda f: f.name == "follow_up")
ASSIGN_KINDS = kinds_with(_is_person)
DUE_KINDS = kinds_with(lambda f: f.name == "due" and f.kind == "date")


def _open(desk: Desk, ident: str, kinds: tuple[str, ...]) -> Current:
    try:
        found = desk.index.find(ident, kinds)
    except LookupError as exc:
        raise EditError(str(exc)) from None
    return desk.read(found)


def _order(desk: Desk, kind: str) -> list[str]:
    return [f.name for f in record_fields(kind, desk.settings)]


def _set(desk: Desk, current: Current, name: str, value: str) -> Plan:
    """A plan that writes `value` into field `name`, summary to be filled in."""
    kind = current.found.type
    change = set_field(current.source.text, current.layout, name, scalar(value), _order(desk, kind))
    return Plan("", [checked_change(desk, current, [change])])


def _label(current: Current) -> str:
    return f"{current.found.type} {current.found.id}"


def _date(text: str, desk: Desk) -> date:
    try:
        return parse_when(text, desk.today)
    except DateInputError as exc:
        raise EditError(str(exc)) from None


def _states(desk: Desk, current: Current) -> tuple[str, str, list[tuple[str, str]], str]:
    """(field, what it is, [(id, name)] of the places it can go, where it is now)."""
    record = current.record
    name = field_of(current.found.type, _is_state).name
    if isinstance(record, Task):
        flow_ = workflow_of(desk.project_of(record), desk.settings)
        columns = [(c.id, c.name) for c in flow_.columns]
        return name, f"a column of workflow `{flow_.id}`", columns, record.status or flow_.backlog
    assert isinstance(record, Deal)
    s = desk.settings
    pipeline = s.pipelines.get(record.pipeline) or s.pipelines[s.default_pipeline]
    stages = [(st.id, st.name) for st in pipeline.stages]
    return name, f"a stage of pipeline `{pipeline.id}`", stages, record.stage


def _pick(wanted: str, options: list[tuple[str, str]], what: str) -> str:
    """The id of the option `wanted` names, by id or by name (any case)."""
    for ident, _ in options:
        if wanted == ident:
            return ident
    low = wanted.strip().lower()
    for ident, name in options:
        if low in (ident.lower(), name.lower()):
            return ident
    hint = did_you_mean(wanted, [i for i, _ in options])
    raise EditError(f"`{wanted}` is not {what}; {hint}")


def move(desk: Desk, ident: str, to: str) -> Plan:
    """A task to another column of its project's workflow, a deal to another stage."""
    current = _open(desk, ident, MOVE_KINDS)
    name, what, options, now = _states(desk, current)
    target = _pick(to, options, what)
    if target == now:
        return Plan(f"{_label(current)} is already in {target}; nothing changed")
    plan = _set(desk, current, name, target)
    plan.summary = f"moved {_label(current)} from {now} to {target}"
    return plan


def done(desk: Desk, ident: str) -> Plan:
    """A task to its workflow's done column; a project's status to `done`."""
    try:
        current = _open(desk, ident, DONE_KINDS)
    except EditError:
        if ":" not in ident and any(desk.index.paths_of(k, ident) for k in MOVE_KINDS):
            raise EditError(
                f"`{ident}` is a deal: a deal ends won or lost, e.g. `plaindesk move {ident} won`"
            ) from None
        raise
    record = current.record
    if isinstance(record, Task):
        flow_ = workflow_of(desk.project_of(record), desk.settings)
        name, target, now = "status", flow_.done, record.status or flow_.backlog
    else:
        name = field_of(current.found.type, _is_done_status).name
        target, now = "done", getattr(record, name)
    if now == target:
        return Plan(f"{_label(current)} is already {target}; nothing changed")
    plan = _set(desk, current, name, target)
    plan.summary = f"marked {_label(current)} done ({now} -> {target})"
    return plan


def log(
    desk: Desk, ident: str, spent: str, note: str, person: str | None, when: str | None
) -> Plan:
    """One more time-log entry on a task: who, when, how long, what for."""
    try:
        minutes = parse_duration(spent, desk.settings.hours_per_day)
    except (ValueError, ArithmeticError):
        raise EditError(
            f"`{spent}` is not a duration; write a number with a unit: 2h, 1h30m, 90m, 1.5h or 2d"
        ) from None
    if minutes == 0:
        raise EditError(f"`{spent}` is no time at all; log at least a minute")
    current = _open(desk, ident, LOG_KINDS)
    who = _person(desk, person) if person else _me(desk)
    day = _date(when, desk) if when else desk.today
    note = " ".join(note.split())
    spent = spent.strip()
    spec = field_of(current.found.type, lambda f: f.kind == "time_log")
    name = spec.name
    values = (day.isoformat(), who, spent, note)  # an entry's parts, in the schema's order
    items = current.layout.fields[name].items if name in current.layout.fields else []
    if items and items[-1].kind == "map":  # the entries before it are mappings: so is it
        block = flow_item = flow({k: v for k, v in zip(spec.part_names, values, strict=True) if v})
    else:  # the one-line form: `2026-03-16 anna-k 2h note`
        line = " ".join(v for v in values if v)
        block, flow_item = scalar(line), flow(line)
    change = append_item(
        current.source.text,
        current.layout,
        name,
        block,
        flow_item,
        _order(desk, current.found.type),
    )
    plan = Plan(
        f"logged {spent} on {_label(current)} for {who} on {day.isoformat()}",
        [checked_change(desk, current, [change])],
    )
    if day > desk.today:
        plan.warnings.append(f"{day.isoformat()} is after today ({desk.today.isoformat()})")
    return plan


def log_entry(
    desk: Desk,
    ident: str,
    words: list[str],
    outcome: str | None,
    about: str | None,
    channel: str | None = None,
    link: str | None = None,
    person: str | None = None,
    when: str | None = None,
) -> Plan:
    """`plaindesk log`: time on a task (`words` are the duration and a note), or an
    outreach entry on a contact (with `outcome` and `about`; `words` are the note)."""
    if outcome is None and about is None and channel is None and link is None:
        bare = ident.split(":", 1)[-1]
        if not any(desk.index.paths_of(k, bare) for k in LOG_KINDS) and any(
            desk.index.paths_of(k, bare) for k in OUTREACH_KINDS
        ):
            raise EditError(
                f"`{bare}` is a contact: say what came of it and about what, e.g. "
                f"`plaindesk log {bare} --outcome replied --about PROJECT`"
            )
        if not words:
            raise EditError(f"say how long after the id, e.g. `plaindesk log {ident} 2h`")
        return log(desk, ident, words[0], " ".join(words[1:]), person, when)
    if outcome is None or about is None:
        missing = "--outcome" if outcome is None else "--about"
        raise EditError(f"an outreach entry needs {missing} too")
    return outreach(
        desk,
        ident,
        outcome,
        about,
        channel=channel,
        link=link,
        note=" ".join(words),
        person=person,
        when=when,
    )


def _about(desk: Desk, ident: str, kinds: tuple[str, ...]) -> str:
    ident = ident.strip()
    if any(ident in desk.ids(k) for k in kinds):
        return ident
    ids = [i for k in kinds for i in desk.ids(k)]
    hint = did_you_mean(ident, ids) if ids else ""
    what = ", ".join(kinds[:-1]) + f" or {kinds[-1]}"
    more = f"; {hint}" if hint.startswith("did you mean") else ""
    raise EditError(f"no {what} has the id `{ident}`{more}")


def _one_of(value: str, options: tuple[str, ...], what: str) -> str:
    value = value.strip().lower()
    if value not in options:
        raise EditError(f"`{value}` is not {what}; {did_you_mean(value, options)}")
    return value


def outreach(
    desk: Desk,
    ident: str,
    outcome: str,
    about: str,
    *,
    channel: str | None = None,
    link: str | None = None,
    note: str = "",
    person: str | None = None,
    when: str | None = None,
) -> Plan:
    """One more entry in a contact's outreach log: who, when, about what, by which
    channel, and what came of it (a publication's link for `published`)."""
    current = _open(desk, ident, OUTREACH_KINDS)
    spec = field_of(current.found.type, lambda f: f.kind == "outreach_log")
    result = _one_of(outcome, REPLIES, "an outreach outcome")
    by = _one_of(channel, CHANNELS, "a channel") if channel else ""
    subject_spec = next(p for p in spec.parts if p.ref_any)
    subject = _about(desk, about, subject_spec.ref_any)
    who = _person(desk, person) if person else _me(desk, "was in touch")
    day = _date(when, desk) if when else desk.today
    note = " ".join(note.split())
    link = (link or "").strip()
    if link and not link.startswith(("https://", "http://")):
        raise EditError(f"`{link}` is not a web address; a link starts with https://")
    if link and _URL_IN_NOTE.search(note):
        raise EditError("the note holds a web address and --link gives another: keep one")
    values = dict(date=day.isoformat(), person=who, channel=by, about=subject, outcome=result)
    values.update(link=link, note=note)
    name = spec.name
    items = current.layout.fields[name].items if name in current.layout.fields else []
    if items and items[-1].kind == "map":  # the entries before it are mappings: so is it
        block = flow_item = flow({k: values[k] for k in spec.part_names if values[k]})
    else:  # the one-line form: `2026-03-16 anna-k email season-2026 replied note link`
        line = " ".join(values[k] for k in (*spec.part_names[:5], "note", "link") if values[k])
        block, flow_item = scalar(line), flow(line)
    change = append_item(
        current.source.text, current.layout, name, block, flow_item, _order(desk, "contact")
    )
    plan = Plan(
        f"logged {result} about {subject} with {_label(current)} for {who} on {day.isoformat()}",
        [checked_change(desk, current, [change])],
    )
    if result == "published" and not link and not _URL_IN_NOTE.search(note):
        plan.warnings.append("published without a link: add it with --link URL")
    if day > desk.today:
        plan.warnings.append(f"{day.isoformat()} is after today ({desk.today.isoformat()})")
    return plan


def note(desk: Desk, ident: str, text: str) -> Plan:
    """A dated line at the end of a record's body."""
    lines = [ln.strip() for ln in text.strip().splitlines()]
    if not any(lines):
        raise EditError("the note is empty; write it after the id, in quotes")
    current = _open(desk, ident, NOTE_KINDS)
    line = f"- {desk.today.isoformat()}: " + "\n  ".join(ln for ln in lines if ln)
    change = append_line(current.source.text, current.layout, line)
    return Plan(f"added a note to {_label(current)}", [checked_change(desk, current, [change])])


def follow_up(desk: Desk, ident: str, when: str | None) -> Plan:
    """A contact's next follow-up: a date, or `done` (today plus the contact's cadence);
    without one, says when it is."""
    current = _open(desk, ident, FOLLOW_UP_KINDS)
    record = current.record
    now: date | None = getattr(record, "follow_up", None)
    cadence: int | None = getattr(record, "cadence", None)
    every = f", every {cadence}d" if cadence else ""
    if when is None:
        shown = now.isoformat() if now else "not set"
        return Plan(f"{_label(current)}: next follow-up {shown}{every}")
    if when.strip().lower() == "done":
        if not cadence:
            raise EditError(
                f"{_label(current)} has no cadence; give a date "
                f"(`plaindesk follow-up {current.found.id} +30d`) or set `cadence:`"
            )
        day = desk.today + timedelta(days=cadence)
    else:
        day = _date(when, desk)
    if day == now:
        return Plan(f"{_label(current)}: next follow-up is {day.isoformat()} already")
    plan = _set(desk, current, "follow_up", day.isoformat())
    was = f" (was {now.isoformat()})" if now else ""
    plan.summary = f"next follow-up with {_label(current)} on {day.isoformat()}{was}"
    if day < desk.today:
        plan.warnings.append(f"{day.isoformat()} is in the past (today is {desk.today})")
    return plan


def assign(desk: Desk, ident: str, person: str) -> Plan:
    """A record's person: a task's assignee, a deal's or contact's owner, a project's or
    company's manager (the first person field of its type)."""
    current = _open(desk, ident, ASSIGN_KINDS)
    who = _person(desk, person)
    name = field_of(current.found.type, _is_person).name
    now = getattr(current.record, name)
    if now == who:
        return Plan(f"{_label(current)}: {name} is {who} already; nothing changed")
    plan = _set(desk, current, name, who)
    was = f" (was {now})" if now else ""
    plan.summary = f"{name} of {_label(current)} is now {who}{was}"
    return plan


def due(desk: Desk, ident: str, when: str) -> Plan:
    """A task's or project's due date."""
    current = _open(desk, ident, DUE_KINDS)
    day = _date(when, desk)
    now: date | None = getattr(current.record, "due", None)
    if day == now:
        return Plan(f"{_label(current)} is due {day.isoformat()} already; nothing changed")
    plan = _set(desk, current, "due", day.isoformat())
    was = f" (was {now.isoformat()})" if now else ""
    plan.summary = f"{_label(current)} is due {day.isoformat()} ({day:%a}){was}"
    if day < desk.today:
        plan.warnings.append(
            f"due {day.isoformat()} is in the past (today is {desk.today.isoformat()})"
        )
    return plan


def _person(desk: Desk, ident: str) -> str:
    ident = ident.strip()
    people = desk.ids("person")
    if ident not in people:
        hint = did_you_mean(ident, people)
        raise EditError(f"no person has the id `{ident}`" + (f"; {hint}" if hint else ""))
    return ident


def _me(desk: Desk, doing: str = "spent the time") -> str:
    """The person whose `email` or `emails` is git's user.email."""
    import subprocess

    try:
        done_ = subprocess.run(
            ["git", "config", "user.email"], cwd=desk.root, capture_output=True, text=True
        )
        email = done_.stdout.strip().lower()
    except OSError:
        email = ""
    if email:
        for ident in sorted(desk.ids("person")):
            person = desk.record("person", ident)
            if isinstance(person, Person) and email in {
                e.strip().lower() for e in [person.email, *person.emails]
            }:
                return ident
    said = (
        f"your git e-mail ({email}) is no person's `email` or `emails`"
        if email
        else ("git has no user.email to find you by")
    )
    raise EditError(f"say who {doing}: --person ID ({said})")


def project_from_deal(desk: Desk, deal_id: str, make: Callable[[dict[str, object]], Plan]) -> Plan:
    """A won deal becomes a project: `make` creates the project (through `new`) from the
    deal's values (its title as the name, company, owner as manager, amount as budget)
    under what the command line gave, and the deal is linked to it (`project:`), so each
    page links the other. Refuses a deal that names a project already."""
    current = _open(desk, deal_id, ("deal",))
    deal = current.record
    assert isinstance(deal, Deal)
    if deal.project:
        raise EditError(f"deal {deal.id} already names project `{deal.project}`; nothing written")
    defaults: dict[str, object] = {
        "name": deal.title,
        "company": deal.company,
        "manager": deal.owner,
        "budget": str(deal.amount) if deal.amount is not None else None,
    }
    plan = make({k: v for k, v in defaults.items() if v})
    created = next(c for c in plan.changes if c.before is None and c.rel.startswith("projects/"))
    project_id = created.rel.rsplit("/", 1)[-1].removesuffix(".md")
    link = set_field(
        current.source.text, current.layout, "project", scalar(project_id), _order(desk, "deal")
    )
    plan.changes.append(checked_change(desk, current, [link]))
    plan.summary += f" from deal {deal.id} (the deal now names it)"
    if not _is_won(desk, deal):
        plan.warnings.append(f"deal {deal.id} is not won yet (stage `{deal.stage}`)")
    return plan


def _is_won(desk: Desk, deal: Deal) -> bool:
    settings = desk.settings
    pipeline = settings.pipelines.get(deal.pipeline) or settings.pipelines.get(
        settings.default_pipeline
    )
    stage = pipeline.stage(deal.stage) if pipeline is not None else None
    return stage is not None and stage.outcome == "won"
