#!/usr/bin/env python3
"""Replay the demo agency's last four weeks as git history, for the history pages.

    python scripts/demo_history.py OUT_DIR [--seed 2026]

Writes a new project folder OUT_DIR (refused if it exists and is not empty): a copy of the
repo's ``mkdocs.yml``, ``theme/`` and ``content/``, inside a git repository whose commits
tell how the demo workspace came to be what it is on its pinned ``today`` (2026-03-16):

- on Monday 2026-02-16 the agency moves its boards into Plaindesk: settings and people,
  then companies and contacts, the pipelines and one commit per board. Each record comes in
  as it stood that morning (a card already at the designer is imported at the designer);
- then, day by day up to 2026-03-16, cards are planned, accepted and moved column by
  column to the status they have in ``content/``; deals move stage by stage to their
  current stage; some cards change hands or get a new due date, a few deals a new amount
  or owner; new projects, companies and contacts appear just before what refers to them.

Timings come from the records themselves: a card starts moving around its ``start:``, is
done after its last time-log entry, and a deal's last commit falls on its ``updated:``
date, so the deals that the demo shows as idle are idle in git too. Authors are the demo's
people (name and ``email`` from ``content/people/``), committing in Kyiv time; some of
Oksana's and Taras's commits come from the personal addresses listed in their ``emails``.

Every intermediate version differs from the final file only in the lines that moved
(``status:``, ``stage:``, ``assignee:``, ``due:``, ``owner:``, ``amount:``, a deal's
``updated:``, a project's ``status:``), and every commit's workspace checks without errors.
The last commit's ``content/`` is the repo's ``content/`` byte for byte.

Deterministic (one seeded ``random.Random``, nothing read from the clock: same seed, same
commit ids) and fast: the whole history goes through one ``git fast-import``.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import re
import subprocess
import sys
import time as clock
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import NotRequired, TypeAlias, TypedDict
from zoneinfo import ZoneInfo

import yaml

REPO = Path(__file__).resolve().parent.parent
KYIV = ZoneInfo("Europe/Kyiv")
FIRST_DAY = date(2026, 2, 16)  # the Monday the agency moved into Plaindesk
TODAY = date(2026, 3, 16)  # the demo's pinned today
#: import commits run on the first morning; everything else happens after IMPORT_END
IMPORT_START = datetime(2026, 2, 16, 9, 5, tzinfo=KYIV)
IMPORT_END = datetime(2026, 2, 16, 12, 0, tzinfo=KYIV)
NOW = datetime(2026, 3, 16, 17, 50, tzinfo=KYIV)  # no commit after this
GAP = timedelta(minutes=40)  # between two versions of one record
DAY = timedelta(days=1)

KINDS = ("people", "companies", "contacts", "projects", "tasks", "deals")
DESIGNERS = {"taras-b"}
DEVELOPERS = {"andrii-l", "piotr-z"}
#: who a card or deal plausibly belonged to before it changed hands
COLLEAGUE = {
    "andrii-l": "piotr-z",
    "piotr-z": "andrii-l",
    "sofiia-k": "marta-n",
    "marta-n": "sofiia-k",
    "emily-c": "sofiia-k",
    "iryna-s": "oksana-m",
    "oksana-m": "sofiia-k",
}
#: PR cards that go out to the media (the `pitching` column) before they are done
PITCHED = {
    "press-release",
    "interview",
    "radio",
    "exclusive",
    "podcast",
    "tv",
    "op-ed",
    "briefing",
    "critics",
    "spokesperson",
}
#: columns where a card waits for someone else (entered after the work, not at its start)
WAITING = {"client-approval", "internal-review", "pitching"}
PERSONAL_SHARE = 0.3  # share of a person's commits made from their personal address


# ------------------------------------------------------------------------------ records

#: a front-matter value as yaml.BaseLoader reads it: every scalar is a string
YamlValue: TypeAlias = str | list["YamlValue"] | dict[str, "YamlValue"]
#: what happened in a version, for its commit message: a kind, then its arguments
#: (("moved", from, to), ("task_created",), ...)
Note: TypeAlias = tuple[str, ...]


class Column(TypedDict):
    """A workflow column or pipeline stage written as a mapping in workspace.yml."""

    id: str
    name: NotRequired[str]


class Stage(Column):
    outcome: NotRequired[str]  # won, lost; absent for an open stage


class Workflow(TypedDict):
    columns: list[str | Column]
    backlog: NotRequired[str]
    done: NotRequired[str]


class Pipeline(TypedDict):
    stages: list[Stage]


class Settings(TypedDict):
    """The parts of workspace.yml that the history follows."""

    workflows: dict[str, Workflow]
    pipelines: dict[str, Pipeline]
    default_workflow: NotRequired[str]
    default_pipeline: NotRequired[str]


@dataclass
class Record:
    """One file of the workspace: its final bytes and front matter (all values as text)."""

    rel: str  # content-relative path
    kind: str  # folder: tasks, deals, ...
    id: str
    raw: bytes
    meta: dict[str, YamlValue]  # front matter
    versions: list[Version] = field(default_factory=list)  # oldest first

    def get(self, key: str) -> str | None:
        value = self.meta.get(key)
        return value if isinstance(value, str) and value else None

    def day(self, key: str) -> date | None:
        value = self.get(key)
        return date.fromisoformat(value) if value else None

    def items(self, key: str) -> list[YamlValue]:
        """The list under `key`; [] when there is none."""
        value = self.meta.get(key)
        return value if isinstance(value, list) else []

    @property
    def title(self) -> str:
        return self.get("title") or self.get("name") or self.id


@dataclass
class Version:
    """The record as of `when`: the fields that differ from the final file, and why."""

    when: datetime
    who: str  # person id
    fields: dict[str, str]  # field -> value, the lines that differ from the final file
    notes: list[Note]  # what happened, for the commit message
    imported: bool = False


#: (when, who, {field: value}, notes): a change to a record, before fold() orders them
Step: TypeAlias = tuple[datetime, str, dict[str, str], list[Note]]


def read_content(root: Path) -> tuple[dict[str, Record], dict[str, bytes]]:
    """The workspace's records by `kind/id`, and every file's bytes by relative path."""
    records: dict[str, Record] = {}
    files: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(root).as_posix()
        raw = path.read_bytes()
        files[rel] = raw
        kind = rel.split("/", 1)[0]
        if kind not in KINDS or not rel.endswith(".md"):
            continue
        text = raw.decode("utf-8")
        parts = re.split(r"^-{3,}\s*$", text, maxsplit=2, flags=re.MULTILINE)
        meta = yaml.load(parts[1], Loader=yaml.BaseLoader) if len(parts) == 3 else {}
        records[f"{kind}/{path.stem}"] = Record(rel, kind, path.stem, raw, meta or {})
    return records, files


def render(rec: Record, fields: dict[str, str]) -> bytes:
    """The record's file with the top-level front-matter lines of `fields` replaced."""
    if not fields:
        return rec.raw
    lines = rec.raw.decode("utf-8").splitlines(keepends=True)
    fences = [i for i, line in enumerate(lines) if re.fullmatch(r"-{3,}\s*", line.rstrip("\r\n"))]
    head, tail = fences[0], fences[1]
    todo = dict(fields)
    out = lines[: head + 1]
    i = head + 1
    while i < tail:
        key = lines[i].split(":", 1)[0]
        if key in todo and lines[i].startswith(f"{key}:"):
            ending = lines[i][len(lines[i].rstrip("\r\n")) :]
            out.append(f"{key}: {todo.pop(key)}{ending}")
            i += 1
            # a block value (a list or mapping on the lines below) goes with its key
            while i < tail and lines[i][:1] in (" ", "-"):
                i += 1
            continue
        out.append(lines[i])
        i += 1
    if todo:
        raise ValueError(f"{rec.rel}: no line for {sorted(todo)}")
    return "".join(out + lines[tail:]).encode("utf-8")


# --------------------------------------------------------------------------------- time


def at(day: date, hour: float) -> datetime:
    """`day` at `hour` (a float, 9.5 = 09:30) in Kyiv."""
    minutes = round(hour * 60)
    return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=KYIV)


def workday(day: date, back: bool = False) -> date:
    """`day`, or the nearest weekday after it (before it, with `back`)."""
    while day.weekday() >= 5:
        day += timedelta(days=-1 if back else 1)
    return day


def office(rng: random.Random, day: date, lo: float = 9.3, hi: float = 18.6) -> datetime:
    """A moment of the working day `day` (moved to a weekday)."""
    return at(workday(day), rng.uniform(lo, hi))


def days_later(rng: random.Random, start: datetime, lo: float, hi: float) -> datetime:
    """A working moment `lo`..`hi` days after `start`."""
    target = (start + timedelta(days=rng.uniform(lo, hi))).date()
    moment = office(rng, target)
    return moment if moment > start else start + GAP


def days_before(rng: random.Random, end: datetime, lo: float, hi: float) -> datetime:
    """A working moment `lo`..`hi` days before `end`."""
    target = workday((end - timedelta(days=rng.uniform(lo, hi))).date(), back=True)
    moment = at(target, rng.uniform(9.3, 18.6))
    return moment if moment < end else end - GAP


def snap(moment: datetime) -> datetime:
    """`moment`, or the next working morning when it falls outside 09:00-19:30 on a weekday
    (the minutes are kept, so moments snapped together stay apart)."""
    day = moment.date()
    if (moment.hour, moment.minute) >= (19, 30):
        day += DAY
    elif moment.hour >= 9 and day.weekday() < 5:
        return moment.replace(second=0, microsecond=0)
    day = workday(day)
    return at(day, 9 + 2 * (moment.minute + moment.second / 60) / 60)


def monotonic(times: list[datetime], hi: datetime = NOW) -> list[datetime]:
    """`times` made strictly increasing (at least GAP apart) and none after `hi`."""
    out = list(times)
    for i in range(1, len(out)):
        out[i] = max(out[i], out[i - 1] + GAP)
    if out and out[-1] > hi:
        out[-1] = hi
        for i in range(len(out) - 2, -1, -1):
            out[i] = min(out[i], out[i + 1] - GAP)
    return out


# ------------------------------------------------------------------------------- tasks


@dataclass
class Context:
    rng: random.Random
    records: dict[str, Record]
    settings: Settings
    people: dict[str, Record]

    def author(self, person: str | None, fallback: str = "oksana-m") -> str:
        rec = self.people.get(person or "")
        if rec is None or rec.get("active") == "false":
            return fallback
        return rec.id

    def column_names(self, kind: str, flow: str) -> dict[str, str]:
        entries: Sequence[str | Column] = (
            self.settings["workflows"][flow]["columns"]
            if kind == "tasks"
            else self.settings["pipelines"][flow]["stages"]
        )
        return {
            (e if isinstance(e, str) else e["id"]): (
                e if isinstance(e, str) else e.get("name", e["id"])
            )
            for e in entries
        }


def task_path(ctx: Context, task: Record, flow: str) -> list[str]:
    """The columns a card passes through, backlog first, ending at its current status."""
    wf = ctx.settings["workflows"][flow]
    columns = list(ctx.column_names("tasks", flow))
    final = task.get("status") or wf.get("backlog", columns[0])
    done = wf.get("done", columns[-1])
    upto = columns[: columns.index(final) + 1]
    who = task.get("assignee") or ""
    tags = {t for t in task.items("tags") if isinstance(t, str)}
    skip: set[str] = set()
    if flow == "web":
        if who in DESIGNERS:
            skip.add("development")
        elif who in DEVELOPERS:
            skip.add("design")
        else:
            skip |= {"design", "development"}
        if final == done and task.get("client_visible") != "true":
            skip.add("client-approval")
    elif final == done and not tags & PITCHED:
        skip.add("pitching")
    return [c for i, c in enumerate(upto) if i == 0 or c == final or c not in skip]


def time_log_days(task: Record) -> list[date]:
    out = []
    for entry in task.items("time"):
        text = entry.get("date") if isinstance(entry, dict) else str(entry).split()[0]
        if not isinstance(text, str):
            raise ValueError(f"{task.rel}: a time entry without a date: {entry}")
        out.append(date.fromisoformat(text))
    return sorted(out)


def plan_task(ctx: Context, task: Record, manager: str, floor: datetime) -> None:
    """The card's versions: created in the backlog, then one column at a time."""
    rng = ctx.rng
    project = ctx.records[f"projects/{task.get('project')}"]
    flow = project.get("workflow") or ctx.settings.get("default_workflow")
    if flow is None:
        raise ValueError(f"{project.rel}: no workflow, and no default_workflow in settings")
    wf = ctx.settings["workflows"][flow]
    path = task_path(ctx, task, flow)
    final, done = path[-1], wf.get("done")
    start, due, logs = task.day("start"), task.day("due"), time_log_days(task)
    first_work = start or (logs[0] if logs else None) or (due - 4 * DAY if due else None)

    moves: list[datetime] = []  # entry into path[1:], then fixed up
    if len(path) > 1:
        begin = office(rng, first_work or TODAY - timedelta(days=rng.randint(1, 6)), 9.2, 12)
        if final == done:
            last = max([begin.date(), *logs, *([due] if due and not logs else [])])
            end = days_later(rng, at(last, 12), 0.1, 1.6)
        elif final in WAITING:
            last = max([d for d in logs if d <= TODAY] or [begin.date()])
            end = days_later(rng, at(last, 13), 0.0, 1.5)
            end = max(end, begin + rng.uniform(0.5, 2) * DAY)
        elif final == path[1] and flow == "web":  # accepted, not started yet
            end = days_before(rng, min(begin, NOW), 0.5, 5)
        else:  # a working column: entered when the work started
            end = begin + timedelta(hours=rng.uniform(0, 5))
        end = min(snap(end), NOW - timedelta(minutes=rng.randint(5, 200)))
        inner = path[1:-1]
        if flow == "web" and inner and inner[0] == "accepted":
            accepted = days_before(rng, min(begin, end), 1, 4)
            inner = inner[1:]
            head = [accepted]
            first_at = begin
        else:
            head, first_at = [], begin
        # the working column (first of `inner`) gets the largest share of the time
        weights = [
            rng.uniform(2, 4) if i == 0 else rng.uniform(0.6, 1.5) for i in range(len(inner))
        ]
        span = max(end - first_at, timedelta(hours=len(inner) + 1))
        marks, acc = [], 0.0
        for i in range(len(inner)):
            marks.append(snap(first_at + span * (acc / (sum(weights) + 0.3))))
            acc += weights[i]
        moves = monotonic([*head, *marks, end])
    if moves:
        created = max(days_before(rng, moves[0], 0.8, 9), floor)
        created = min(created, moves[0] - GAP)
    else:  # still in the backlog: planned some days or weeks before its start
        hi = min(TODAY - DAY, (start or TODAY) - 5 * DAY)
        lo = max(hi - 20 * DAY, floor.date())
        day = lo + timedelta(days=rng.randint(0, max((hi - lo).days, 0)))
        created = max(office(rng, day), floor)
    created = min(created, NOW - GAP * (len(moves) + 1))
    times = monotonic([created, *moves])

    assignee = ctx.author(task.get("assignee"), manager)
    steps: list[Step] = []
    steps.append((times[0], manager, {"status": path[0]}, [("task_created",)]))
    for col_from, col_to, when in zip(path[:-1], path[1:], times[1:], strict=True):
        if col_to == path[1] and flow == "web":
            who = manager
        elif col_to == done:
            who = manager if flow == "web" and rng.random() < 0.7 else assignee
        else:
            who = assignee
        steps.append((when, who, {"status": col_to}, [("moved", col_from, col_to)]))
    task.versions = fold(task, steps)


def fold(rec: Record, steps: list[Step]) -> list[Version]:
    """Versions from steps [(when, who, {field: value}, notes)]: each step's fields apply
    from then on; the first step's fields are the starting values. Values equal to the
    final file's are dropped, so the last version is the file itself."""
    steps = sorted(steps, key=lambda s: s[0])
    state: dict[str, str] = {}
    out: list[Version] = []
    for when, who, changes, notes in steps:
        state.update(changes)
        diff = {k: v for k, v in state.items() if rec.get(k) != v}
        if out and out[-1].when == when:
            out[-1].fields, out[-1].notes = diff, out[-1].notes + notes
            continue
        out.append(Version(when, who, diff, list(notes)))
    if out[-1].fields:
        raise ValueError(f"{rec.rel}: the last version is not the file: {out[-1].fields}")
    return out


def reassign(ctx: Context, task: Record, manager: str) -> None:
    """The card was someone else's until the step before a move (a hand-over)."""
    now = task.get("assignee") or ""
    before = COLLEAGUE.get(now)
    live = [v for v in task.versions if v.when > IMPORT_END]
    if not before or len(task.versions) < 2 or not live:
        return
    rng = ctx.rng
    lo = task.versions[0].when
    # before the new assignee's own first move, else before a random later step
    theirs = [v for v in task.versions[1:] if v.who == now]
    hi = theirs[0].when if theirs else live[rng.randrange(len(live))].when
    if hi - lo < 2 * GAP:
        return
    when = snap(lo + (hi - lo) * rng.uniform(0.3, 0.9))
    if when <= IMPORT_END:
        when = IMPORT_END + GAP * rng.uniform(1, 8)
    if not lo < when < hi:
        return
    when = when.replace(second=0, microsecond=0)
    who = ctx.author(before, manager) if manager == now else manager  # no self-assigning
    insert(task, when, who, {"assignee": now}, ("assigned", before, now), {"assignee": before})


def postpone(ctx: Context, task: Record, manager: str) -> None:
    """The card was due earlier; the due date moved when that day came close."""
    due, start = task.day("due"), task.day("start")
    if due is None or len(task.versions) < 2:
        return
    rng = ctx.rng
    earlier = workday(due - timedelta(days=rng.randint(2, 7)), back=True)
    if start and earlier < start:
        return
    lo = max(task.versions[0].when, IMPORT_END)
    hi = min(at(earlier, 18), task.versions[-1].when, NOW)
    if hi - lo < 2 * GAP:
        return
    when = snap(lo + (hi - lo) * rng.uniform(0.5, 0.95))
    if not lo < when < hi:
        return
    value, current = earlier.isoformat(), task.get("due")
    assert current is not None  # `due` was read from it
    insert(task, when, manager, {"due": current}, ("due", value, current), {"due": value})


def insert(
    rec: Record,
    when: datetime,
    who: str,
    change: dict[str, str],
    note: Note,
    before: dict[str, str],
) -> None:
    """Add a step at `when` setting `change`; versions before it get `before` instead."""
    if any(v.when == when for v in rec.versions):
        when += timedelta(minutes=7)
    out: list[Version] = []
    for v in rec.versions:
        if v.when < when:
            out.append(Version(v.when, v.who, {**v.fields, **before}, v.notes))
    prev = out[-1].fields if out else {}
    fields = {k: v for k, v in {**prev, **change}.items() if rec.get(k) != v}
    out.append(Version(when, who, fields, [note]))
    out += [v for v in rec.versions if v.when > when]
    rec.versions = out


# ------------------------------------------------------------------------------- deals


def plan_deal(ctx: Context, deal: Record) -> None:
    """The deal's versions: stage by stage, the last on its `updated:` day."""
    rng = ctx.rng
    pipe = deal.get("pipeline") or ctx.settings.get("default_pipeline")
    final = deal.get("stage")
    if pipe is None or final is None:
        raise ValueError(f"{deal.rel}: no stage, or no pipeline and no default_pipeline")
    stages = ctx.settings["pipelines"][pipe]["stages"]
    open_ids = [s["id"] for s in stages if not s.get("outcome")]
    owner = ctx.author(deal.get("owner"))
    updated = deal.day("updated") or FIRST_DAY
    last = at(updated, rng.uniform(10, 18.5))
    if final in open_ids:
        path = open_ids[: open_ids.index(final) + 1]
    elif next(s for s in stages if s["id"] == final).get("outcome") == "won":
        path = [*open_ids, final]
    else:
        path = [*open_ids[: rng.randint(1, len(open_ids) - 1)], final]
    if len(path) > 3 and "qualified" in path[1:-1] and rng.random() < 0.3:
        path.remove("qualified")  # an inbound lead that came with a brief
    touch = final in open_ids and rng.random() < 0.4  # the last change is not a move
    times = [days_before(rng, last, 1, 5)] if touch else []
    times.append(last)
    for _ in path[:-1]:
        times.insert(0, days_before(rng, times[0], 2, 8))
    times = [*monotonic(times[:-1], hi=last - GAP), last] if len(times) > 1 else times
    steps: list[Step] = [(times[0], owner, {"stage": path[0]}, [("deal_created",)])]
    for i, stage in enumerate(path[1:], start=1):
        steps.append((times[i], owner, {"stage": stage}, [("stage", path[i - 1], stage)]))
    if touch:
        steps.append((times[-1], owner, {}, [("deal_touched",)]))
    for when, _, changes, _ in steps:
        changes["updated"] = when.date().isoformat()
    deal.versions = fold(deal, steps)


def reprice(ctx: Context, deal: Record) -> None:
    """An earlier quote: the amount changed at one of the deal's later steps."""
    amount = deal.get("amount") or ""
    match = re.fullmatch(r"(\d+)(\s+[A-Z]{3})?", amount)
    if not match or len(deal.versions) < 2:
        return
    value = int(match.group(1)) * ctx.rng.choice((0.8, 0.85, 1.15, 1.25))
    step = 10 ** max(len(str(int(value))) - 2, 0)
    earlier = f"{round(value / step) * step}{match.group(2) or ''}"
    index = later_step(ctx, deal)
    for v in deal.versions[:index]:
        v.fields["amount"] = earlier
    deal.versions[index].notes.append(("amount", earlier, amount))


def later_step(ctx: Context, rec: Record) -> int:
    """The index of one of the record's versions after the first, committed after the
    import (so that what changes there shows in the history)."""
    options = [i for i, v in enumerate(rec.versions) if i > 0 and v.when > IMPORT_END]
    return ctx.rng.choice(options)


def hand_over(ctx: Context, deal: Record) -> None:
    """The deal had another owner until one of its later steps."""
    now = deal.get("owner") or ""
    before = COLLEAGUE.get(now)
    if not before or len(deal.versions) < 2:
        return
    index = later_step(ctx, deal)
    for v in deal.versions[: index + 1]:  # the former owner hands it over
        if v is not deal.versions[index]:
            v.fields["owner"] = before
        v.who = ctx.author(before)
    deal.versions[index].notes.append(("owner", before, now))


# ---------------------------------------------------------------------------- projects


def project_created(ctx: Context, proj: Record, won: datetime | None) -> datetime:
    """When the project was set up: some days before its start, after its deal was won."""
    start = proj.day("start")
    if start is None:
        return IMPORT_START
    created = office(ctx.rng, start - timedelta(days=ctx.rng.randint(3, 7)))
    if won is not None:
        created = max(created, snap(won + timedelta(hours=ctx.rng.uniform(1, 20))))
    return created


def plan_project(ctx: Context, proj: Record, created: datetime, tasks: list[Record]) -> None:
    """A project: planned when set up, active from its start, then its current status."""
    rng = ctx.rng
    manager = ctx.author(proj.get("manager"))
    final = proj.get("status") or "active"
    start = proj.day("start")
    firsts = [t.versions[0].when for t in tasks if t.versions]
    if firsts:
        created = min(created, min(firsts) - GAP)
    steps: list[Step] = []
    if final in ("active", "on-hold", "done") and start and at(start, 10) > created + GAP:
        steps.append((created, manager, {"status": "planned"}, [("project_created",)]))
        steps.append(
            (
                at(start, 9.5),
                manager,
                {"status": "active"},
                [("project_status", "planned", "active")],
            )
        )
    else:
        steps.append(
            (
                created,
                manager,
                {"status": "active"} if final != "planned" else {},
                [("project_created",)],
            )
        )
    if final == "on-hold":
        when = days_later(rng, max(steps[-1][0], at(TODAY - 8 * DAY, 9)), 1, 4)
        steps.append(
            (
                min(when, NOW - DAY),
                manager,
                {"status": final},
                [("project_status", "active", final)],
            )
        )
    elif final == "done":
        ends = [t.versions[-1].when for t in tasks if t.versions]
        when = days_later(rng, max([*ends, steps[-1][0]]), 0.2, 1.5)
        steps.append(
            (min(when, NOW), manager, {"status": final}, [("project_status", "active", final)])
        )
    proj.versions = fold(proj, steps)


def link_project(ctx: Context, deal: Record) -> None:
    """A deal that names its project names it from a little after the project was set up
    (and after the import, which brings the boards in after the deals); before that its
    `project:` is empty."""
    pid = deal.get("project")
    proj = ctx.records.get(f"projects/{pid}") if pid else None
    if proj is None or not proj.versions or not deal.versions:
        return
    link = proj.versions[0].when + timedelta(minutes=ctx.rng.randint(10, 50))
    if link <= IMPORT_END:
        link = IMPORT_END + timedelta(minutes=ctx.rng.randint(20, 60))
    link = min(link, NOW)
    before = [v for v in deal.versions if v.when < link]
    if not before:
        return
    after = [v for v in deal.versions if v.when >= link]
    state = dict(before[-1].fields)
    for v in before:
        v.fields = {**v.fields, "project": ""}
    linked = Version(link, ctx.author(proj.get("manager")), state, [("deal_linked", pid or "")])
    deal.versions = [*before, linked, *after]


def log_after(ctx: Context, contact: Record) -> None:
    """A contact's outreach log names projects, tasks and deals that may come later than
    the contact: it is empty (`log: []`) until they all exist (and the import is over),
    then written by whoever wrote its last entry."""
    entries = contact.items("log")
    if not entries or not contact.versions:
        return
    about: list[datetime] = []
    for entry in entries:
        # the one-line form: DATE PERSON [CHANNEL] ABOUT OUTCOME NOTE
        words = [entry.get("about")] if isinstance(entry, dict) else str(entry).split()[2:4]
        for ident, kind in itertools.product(words, ("projects", "tasks", "deals")):
            rec = ctx.records.get(f"{kind}/{ident}")
            if rec is not None and rec.versions:
                about.append(rec.versions[0].when)
    when = max([IMPORT_END, *about]) + timedelta(minutes=ctx.rng.randint(20, 90))
    when = min(snap(when), NOW)
    if when <= contact.versions[0].when:
        return
    for v in contact.versions:
        v.fields = {**v.fields, "log": "[]"}
    last = entries[-1]
    who = last.get("person") if isinstance(last, dict) else str(last).split()[1]
    contact.versions.append(Version(when, ctx.author(str(who)), {}, [("outreach",)]))


def plan_simple(ctx: Context, rec: Record, before: list[datetime], who: str) -> None:
    """A company, contact or person: created once, before whatever refers to it."""
    rng = ctx.rng
    if before and min(before) - IMPORT_END > 2 * DAY and rng.random() < 0.85:
        when = days_before(rng, min(before), 0.05, 2)
        if when <= IMPORT_END:
            when = IMPORT_START
    else:
        when = IMPORT_START
    rec.versions = [Version(when, who, {}, [("created",)])]


# ----------------------------------------------------------------------------- history


@dataclass
class Commit:
    when: datetime
    who: str
    files: dict[str, bytes]  # path in the repository -> bytes
    message: str


#: (when, who, record key, version): one version of one record to commit
Event: TypeAlias = tuple[datetime, str, str, Version]


def plan(records: dict[str, Record], settings: Settings, seed: int) -> None:
    """Give every record its versions."""
    rng = random.Random(seed)
    people = {r.id: r for r in records.values() if r.kind == "people"}
    ctx = Context(rng, records, settings, people)
    by_kind: dict[str, list[Record]] = {k: [] for k in KINDS}
    for key in sorted(records):
        by_kind[records[key].kind].append(records[key])

    # deals first: a won deal is what sets a new project up
    for deal in by_kind["deals"]:
        plan_deal(ctx, deal)
    wins: dict[str, list[datetime]] = {}
    for deal in by_kind["deals"]:
        if deal.get("stage") == "won" and deal.versions:
            wins.setdefault(deal.get("company") or "", []).append(deal.versions[-1].when)
    tasks_of: dict[str, list[Record]] = {}
    for task in by_kind["tasks"]:
        tasks_of.setdefault(task.get("project") or "", []).append(task)
    set_up: dict[str, datetime] = {}
    for proj in by_kind["projects"]:
        start = proj.day("start") or TODAY
        won = max(
            (w for w in wins.get(proj.get("company") or "", []) if w.date() <= start + 3 * DAY),
            default=None,
        )
        set_up[proj.id] = project_created(ctx, proj, won if won and won > IMPORT_END else None)
        manager = ctx.author(proj.get("manager"))
        for task in tasks_of.get(proj.id, []):
            plan_task(ctx, task, manager, set_up[proj.id] + GAP)
    movers = [t for t in by_kind["tasks"] if sum(v.when > IMPORT_END for v in t.versions) >= 2]
    for task in rng.sample(movers, min(12, len(movers))):
        proj = records[f"projects/{task.get('project')}"]
        reassign(ctx, task, ctx.author(proj.get("manager")))
    for task in rng.sample(movers, min(10, len(movers))):
        proj = records[f"projects/{task.get('project')}"]
        postpone(ctx, task, ctx.author(proj.get("manager")))

    live = [d for d in by_kind["deals"] if sum(v.when > IMPORT_END for v in d.versions) >= 3]
    chosen = rng.sample(live, min(6, len(live)))
    for deal in chosen[:3]:
        reprice(ctx, deal)
    for deal in chosen[3:]:
        hand_over(ctx, deal)
    for proj in by_kind["projects"]:
        plan_project(ctx, proj, set_up[proj.id], tasks_of.get(proj.id, []))
    for deal in by_kind["deals"]:
        link_project(ctx, deal)

    refs: dict[str, list[datetime]] = {}
    for rec in [*by_kind["deals"], *by_kind["projects"]]:
        for key in ("company", "contact"):
            target = rec.get(key)
            if target and rec.versions:
                kind = "companies" if key == "company" else "contacts"
                refs.setdefault(f"{kind}/{target}", []).append(rec.versions[0].when)
    for contact in by_kind["contacts"]:
        who = ctx.author(contact.get("owner"))
        plan_simple(ctx, contact, refs.get(f"contacts/{contact.id}", []), who)
        if contact.get("company"):
            refs.setdefault(f"companies/{contact.get('company')}", []).append(
                contact.versions[0].when
            )
    for contact in by_kind["contacts"]:
        log_after(ctx, contact)
    for company in by_kind["companies"]:
        who = ctx.author(company.get("manager"))
        plan_simple(ctx, company, refs.get(f"companies/{company.id}", []), who)
    for person in by_kind["people"]:
        person.versions = [Version(IMPORT_START, "oksana-m", {}, [("created",)])]

    for rec in records.values():  # what happened before the import is in the import
        before = [v for v in rec.versions if v.when <= IMPORT_END]
        after = [v for v in rec.versions if v.when > IMPORT_END]
        if before:
            base = before[-1]
            rec.versions = [Version(IMPORT_START, base.who, base.fields, [], True), *after]


def describe(ctx: Context, rec: Record, note: Note) -> str:
    """One line of a commit message."""
    kind, title = note[0], rec.title
    if kind == "task_created":
        return f"New card: {title}"
    if kind == "moved":
        proj = ctx.records[f"projects/{rec.get('project')}"]
        names = ctx.column_names("tasks", proj.get("workflow") or "web")
        return f"{title}: {names[note[1]]} → {names[note[2]]}"
    if kind == "assigned":
        return f"{title}: hand over to {first_name(ctx, note[2])}"
    if kind == "due":
        return f"{title}: due {note[2]} (was {note[1]})"
    if kind == "deal_created":
        return f"New deal: {title}"
    if kind == "stage":
        stages = ctx.settings["pipelines"][rec.get("pipeline") or "sales"]["stages"]
        stage = next(s for s in stages if s["id"] == note[2])
        if stage.get("outcome") == "won":
            return f"Won: {title}"
        if stage.get("outcome") == "lost":
            return f"{stage.get('name', 'Lost')}: {title}"
        return f"{title}: {stage.get('name', note[2])}"
    if kind == "deal_touched":
        return f"{title}: updated"
    if kind == "amount":
        return f"{title}: amount {note[2]} (was {note[1]})"
    if kind == "owner":
        return f"{title}: {first_name(ctx, note[2])} takes over"
    if kind == "outreach":
        return f"{title}: outreach log"
    if kind == "deal_linked":
        return f"{title}: project {ctx.records[f'projects/{note[1]}'].title}"
    if kind == "project_created":
        return f"New project: {title}"
    if kind == "project_status":
        return f"{title}: {note[2]}"
    return f"Add {title}"


def first_name(ctx: Context, person: str) -> str:
    rec = ctx.people.get(person)
    return rec.title.split()[0] if rec else person


IMPORT_BATCHES: list[tuple[int, str, tuple[str, ...], str]] = [
    # (minutes after IMPORT_START, author, kinds, message)
    (0, "oksana-m", ("people",), "Set up the Brightline workspace in Plaindesk"),
    (22, "oksana-m", ("companies", "contacts"), "Import companies and contacts from the old CRM"),
    (41, "oksana-m", ("deals",), "Import the sales and media pipelines"),
]


def commits(
    records: dict[str, Record],
    settings: Settings,
    site_files: dict[str, bytes],
    loose: dict[str, bytes],
    seed: int,
) -> list[Commit]:
    """The commits, oldest first: the import on the first morning, then the rest.
    `site_files` (mkdocs.yml, theme/) and `loose` (workspace.yml) come in the first."""
    rng = random.Random(seed + 1)
    people = {r.id: r for r in records.values() if r.kind == "people"}
    ctx = Context(rng, records, settings, people)
    out: list[Commit] = []
    imported = {k: r for k, r in records.items() if r.versions and r.versions[0].imported}
    for minutes, who, kinds, message in IMPORT_BATCHES:
        files = {
            f"content/{r.rel}": render(r, r.versions[0].fields)
            for k, r in sorted(imported.items())
            if r.kind in kinds
        }
        if kinds == ("people",):
            files = {**site_files, **loose, **files}
        out.append(Commit(IMPORT_START + timedelta(minutes=minutes), who, files, message))
    minutes = 63
    for proj in sorted((r for r in records.values() if r.kind == "projects"), key=lambda p: p.id):
        board = [r for r in imported.values() if r.kind == "tasks" and r.get("project") == proj.id]
        mine = sorted([*board, *([proj] if proj.versions[0].imported else [])], key=lambda r: r.rel)
        if not mine:
            continue
        files = {f"content/{r.rel}": render(r, r.versions[0].fields) for r in mine}
        who = ctx.author(proj.get("manager"))
        message = f"Move the {proj.title} board into Plaindesk"
        out.append(Commit(IMPORT_START + timedelta(minutes=minutes), who, files, message))
        minutes += rng.randint(6, 14)

    events: list[Event] = []
    for key in sorted(records):
        rec = records[key]
        for v in rec.versions:
            if not v.imported:
                events.append((v.when, v.who, key, v))
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    group: list[Event] = []
    for event in [*events, None]:
        if group and (
            event is None
            or event[1] != group[0][1]
            or event[0] - group[0][0] > timedelta(minutes=25)
            or len(group) >= 5
            or any(g[2] == event[2] for g in group)
        ):
            out.append(make_commit(ctx, group))
            group = []
        if event is not None:
            group.append(event)
    return out


def make_commit(ctx: Context, group: list[Event]) -> Commit:
    files: dict[str, bytes] = {}
    lines: list[str] = []
    for _, _, key, v in group:
        rec = ctx.records[key]
        files[f"content/{rec.rel}"] = render(rec, v.fields)
        lines += [describe(ctx, rec, n) for n in v.notes]
    if len(lines) == 1:
        message = lines[0]
    else:
        first = lines[0] if len(lines[0]) < 60 else f"{lines[0][:57]}..."
        message = f"{first} (+{len(lines) - 1} more)\n\n" + "\n".join(f"- {s}" for s in lines)
    return Commit(group[-1][0], group[0][1], files, message)


# ------------------------------------------------------------------------------- output


def fast_import_stream(
    history: list[Commit], people: dict[str, Record], rng: random.Random
) -> bytes:
    chunks: list[bytes] = []
    for n, c in enumerate(history, start=1):
        person = people[c.who]
        email = person.get("email") or f"{c.who}@example.org"
        personal = [e for e in person.items("emails") if isinstance(e, str)]
        evening = c.when.hour >= 19 or c.when.weekday() >= 5
        if personal and (evening or rng.random() < PERSONAL_SHARE):
            email = personal[0]
        offset = c.when.strftime("%z")
        stamp = f"{person.title} <{email}> {int(c.when.timestamp())} {offset}"
        message = c.message.encode("utf-8") + b"\n"
        chunks.append(
            f"commit refs/heads/main\nmark :{n}\nauthor {stamp}\ncommitter {stamp}\n"
            f"data {len(message)}\n".encode()
            + message
        )
        for path in sorted(c.files):
            data = c.files[path]
            chunks.append(f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n")
        chunks.append(b"\n")
    return b"".join(chunks)


def git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C"}
    done = subprocess.run(
        ["git", *args], cwd=root, input=stdin, capture_output=True, env=env, check=False
    )
    if done.returncode != 0:
        err = done.stderr.decode("utf-8", "replace").strip()
        raise RuntimeError(f"git {args[0]} failed: {err}")
    return done.stdout


def site_files(source: Path) -> dict[str, bytes]:
    """mkdocs.yml and theme/ as they are on disk (like the site tests' copy of the demo),
    and a .gitignore for what builds write."""
    out = {
        "mkdocs.yml": (source / "mkdocs.yml").read_bytes(),
        ".gitignore": b"/site/\n/public/\n.plaindesk/\n.plaindesk-cache/\n",
    }
    for path in sorted((source / "theme").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            out[path.relative_to(source).as_posix()] = path.read_bytes()
    return out


def generate(out: Path, seed: int = 2026, source: Path = REPO) -> int:
    """Write the project with its history into `out` (new or empty); return the number
    of commits."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise FileExistsError(f"{out} exists and is not empty")
    records, content = read_content(source / "content")
    settings: Settings = yaml.safe_load(content["workspace.yml"].decode("utf-8"))
    plan(records, settings, seed)
    rels = {r.rel for r in records.values()}
    loose = {f"content/{rel}": data for rel, data in content.items() if rel not in rels}
    history = commits(records, settings, site_files(source), loose, seed)
    # the end state is exactly the source's content/
    final: dict[str, bytes] = {}
    for c in history:
        final.update(c.files)
    ends = {p[len("content/") :]: d for p, d in final.items() if p.startswith("content/")}
    if ends != content:
        wrong = sorted(set(ends) ^ set(content) | {p for p in ends if ends[p] != content.get(p)})
        raise RuntimeError(f"the last commit does not match content/: {wrong[:5]}")
    people = {r.id: r for r in records.values() if r.kind == "people"}
    stream = fast_import_stream(history, people, random.Random(seed + 2))
    out.mkdir(parents=True, exist_ok=True)
    git(out, "init", "-q", "-b", "main")
    git(out, "fast-import", "--quiet", "--done", stdin=stream + b"done\n")
    git(out, "-c", "core.autocrlf=false", "reset", "-q", "--hard", "main")
    return len(history)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="new (or empty) folder for the project")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    started = clock.perf_counter()
    try:
        count = generate(args.out, args.seed)
    except FileExistsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    took = clock.perf_counter() - started
    print(
        f"{count} commits in {args.out} ({took:.1f} s); "
        f"build it with: cd {args.out} && plaindesk build"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
