"""What every view shares: site paths of records (from `paths`), locale formatting,
checklist counts and the task card."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from builder import i18n
from builder.model import Money, Person, Task, Workspace
from builder.model.schema import SECTIONS as SECTIONS
from builder.model.settings_keys import settings_keys
from builder.views.paths import problem_url
from builder.views.paths import url as url

if TYPE_CHECKING:
    from builder.model.schema import Priority
    from builder.render.keys import RecordKeys
    from builder.views.derived import Derived

#: A due date as a card shows it: passed, within `SOON_DAYS`, or neither.
DueState = Literal["", "overdue", "soon"]

_CHECKED = re.compile(r"^\s*[-*+]\s+\[[xX]\]\s", re.MULTILINE)
_UNCHECKED = re.compile(r"^\s*[-*+]\s+\[ \]\s", re.MULTILINE)
SOON_DAYS = 3


def checklist(body: str) -> tuple[int, int]:
    """(done, total) of Markdown task-list items in a body."""
    done = len(_CHECKED.findall(body))
    return done, done + len(_UNCHECKED.findall(body))


def percent_of(part: float, whole: float) -> int:
    """`part` as a whole percentage of `whole`, held to 0..100 (0 without a `whole`). The
    ratio is compared before it is scaled: over a tiny `whole` it may be infinite."""
    if not whole:
        return 0
    ratio = part / whole
    return 0 if not ratio > 0 else 100 if ratio >= 1 else round(100 * part / whole)


def week_bounds(today: date) -> tuple[date, date]:
    """Monday and Sunday of the week holding `today`."""
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)


@dataclass
class Fmt:
    """Locale-aware formatting bound to one workspace's locale and base currency."""

    locale: str
    base: str

    @classmethod
    def of(cls, ws: Workspace) -> Fmt:
        return cls(ws.settings.locale, ws.settings.base_currency)

    def t(self, key: str, **values: object) -> str:
        return i18n.t(self.locale, key, **values)

    def tn(self, key: str, n: int, **values: object) -> str:
        return i18n.tn(self.locale, key, n, **values)

    def date(self, day: dt.date | None) -> str:
        return i18n.format_date(day, self.locale) if day else ""

    def short_date(self, day: dt.date | None) -> str:
        return i18n.format_date(day, self.locale, "d MMM") if day else ""

    def month(self, day: dt.date) -> str:
        """The month holding `day`, as a heading: "March 2026", "Березень 2026"."""
        text = i18n.format_date(day, self.locale, "LLLL y")
        return text[:1].upper() + text[1:]

    def week(self, monday: dt.date) -> str:
        """A week by its Monday, as a column heading."""
        return self.short_date(monday)

    def weekday(self, day: dt.date) -> str:
        """A day as a column heading: "Mon 9"."""
        return i18n.format_date(day, self.locale, "EEE d")

    def weekday_name(self, day: dt.date) -> str:
        """A weekday as a calendar's column heading: "Mon"."""
        return i18n.format_date(day, self.locale, "EEE")

    def day_heading(self, day: dt.date) -> str:
        """A day as a heading in a list of days: "Monday, 16 March"."""
        text = i18n.format_date(day, self.locale, "EEEE, d MMMM")
        return text[:1].upper() + text[1:]

    def money(self, money: Money | None) -> str:
        if money is None:
            return ""
        return i18n.format_money(money.amount, money.currency, self.locale)

    def base_money(self, amount: Decimal | None) -> str:
        if amount is None:
            return ""
        # to_integral_value, not quantize: a total past the context's 28 digits rounds
        # as it is instead of failing (InvalidOperation)
        return i18n.format_money(amount.to_integral_value(), self.base, self.locale)

    def duration(self, minutes: int | None) -> str:
        if minutes is None:
            return ""
        hours, mins = divmod(minutes, 60)
        if hours and mins:
            return self.t("duration.hm", h=hours, m=mins)
        if hours:
            return self.t("duration.h", h=hours)
        return self.t("duration.m", m=mins)

    def interval(self, days: int | None) -> str:
        """A calendar interval such as a contact's cadence: "every 2 weeks", "every 30 days"."""
        if days is None:
            return ""
        if days in (1, 7):  # "every day", not "every 1 day"
            return self.t("interval.daily" if days == 1 else "interval.weekly")
        if days and days % 7 == 0:
            return self.tn("interval.every_weeks", days // 7)
        return self.tn("interval.every_days", days)

    def hours(self, value: float) -> str:
        return i18n.format_number(value, self.locale, 1 if value != int(value) else 0)

    def percent(self, value: float | None) -> str:
        return "" if value is None else f"{round(value * 100)}%"


@dataclass
class Link:
    text: str
    url: str = ""


@dataclass
class CardView:
    """A task card as boards, dashboards and people pages show it."""

    id: str
    title: str
    url: str
    status: str
    project: Link
    assignee: Link
    assignee_id: str
    due: str
    due_state: DueState
    priority: Priority
    priority_label: str
    tags: list[str] = field(default_factory=list)
    checklist: str = ""
    checklist_done: bool = False
    estimate: str = ""
    spent: str = ""
    over_estimate: bool = False
    stuck: str = ""
    search: str = ""
    stale: str = ""  # its file has errors: this is the last good version; the problem's URL


def due_state(due: date | None, today: date, is_open: bool) -> DueState:
    """How an open task's due date stands on `today` (a finished task's is no concern)."""
    if due is None or not is_open:
        return ""
    if due < today:
        return "overdue"
    if due <= today + timedelta(days=SOON_DAYS):
        return "soon"
    return ""


def person_link(ws: Workspace, person_id: str | None, fmt: Fmt) -> Link:
    """A link to a person's page, or their id (or "Unassigned") unlinked when unknown."""
    person: Person | None = ws.people.get(person_id or "")
    if person is None:
        return Link(person_id or fmt.t("card.unassigned"))
    return Link(person.name, url("person", person.id))


@dataclass
class KeptCards:
    """The card views of one workspace and day, with what each was made from."""

    today: date
    inputs: dict[str, tuple[str, ...]]  # task id -> card_inputs
    views: dict[str, CardView]  # task id -> card


def card(ws: Workspace, derived: Derived, task: Task, today: date, fmt: Fmt) -> CardView:
    """The task's card (made once per build and day: boards share it)."""
    cards = derived.memo.cards_of(today)
    found = cards.get(task.id)
    if found is None:
        found = cards[task.id] = _card(ws, derived, task, today, fmt)
    return found


def card_inputs(ws: Workspace, derived: Derived, task: Task, today: date) -> tuple[str, ...]:
    """Everything a card shows comes from these: the task's file, its project's and its
    assignee's, the settings but its workflows (`SettingsKeys.general`: locale, ...), whether
    the task is done, the day and the task's "stuck" label."""
    known = derived.memo.card_inputs_of(today)
    found = known.get(task.id)
    if found is None:
        project = ws.projects.get(task.project)
        person = ws.people.get(task.assignee or "")
        found = known[task.id] = (
            task.digest,
            project.digest if project else "-",
            person.digest if person else "-",
            settings_keys(ws.settings).general,
            "o" if ws.task_is_open(task) else "d",
            today.isoformat(),
            derived.stuck.get(task.id, ""),
        )
    return found


def reuse_cards(
    ws: Workspace,
    derived: Derived,
    today: date,
    kept: KeptCards | None,
    records: RecordKeys | None = None,
) -> None:
    """Take the card views of an earlier build (the serve loop's) whose inputs are
    unchanged: a rebuild then makes cards only for the tasks an edit touched. Their ids
    are noted (`ViewMemo.reused_cards`): a board lane holding only those is unchanged.

    With `records` (serve's record page keys, computed for this rebuild), a card whose
    task page's key was not computed again is unchanged without looking: a card shows
    what its task's page key reads (the task, its project, its assignee, its chip) under
    the same salt (settings, day) and workflows; when every key was computed (a new
    context), each card's inputs are compared."""
    reused = derived.memo.reused_cards = set()
    if kept is None or kept.today != today:
        return
    cards = derived.memo.cards_of(today)
    if records is not None and not records.full and records.derived is derived:
        again = {ident for kind, ident in records.computed if kind == "task"}
        same = (kept.views.keys() & kept.inputs.keys() & ws.tasks.keys()) - again
        known = derived.memo.card_inputs_of(today)
        _take(cards, kept.views, same)
        _take(known, kept.inputs, same)
        reused.update(same)
        for tid in again & kept.views.keys() & ws.tasks.keys():
            if kept.inputs.get(tid) == card_inputs(ws, derived, ws.tasks[tid], today):
                cards[tid] = kept.views[tid]
                reused.add(tid)
        return
    for task in ws.tasks.values():
        view = kept.views.get(task.id)
        if view is not None and kept.inputs.get(task.id) == card_inputs(ws, derived, task, today):
            cards[task.id] = view
            reused.add(task.id)


def _take(into: dict[str, Any], kept: dict[str, Any], ids: set[str]) -> None:
    """`into[i] = kept[i]` for each of `ids` (all in `kept`): when `into` is empty (a
    rebuild's new memo), a copy of `kept` less the others, without a Python loop over the
    10,000 kept."""
    if into:
        for i in ids:
            into[i] = kept[i]
        return
    into.update(kept)
    for i in kept.keys() - ids:
        del into[i]


def cards_to_keep(derived: Derived, today: date) -> KeptCards:
    """This build's cards and their inputs (every card's inputs were computed when
    `reuse_cards` ran; a card made later computed its own)."""
    memo = derived.memo
    return KeptCards(today, memo.card_inputs_of(today), memo.cards_of(today))


def _card(ws: Workspace, derived: Derived, task: Task, today: date, fmt: Fmt) -> CardView:
    project = ws.projects.get(task.project)
    is_open = not derived.workflow(task).is_done(task.status)
    done, total = checklist(task.body)
    spent = task.spent
    assignee = person_link(ws, task.assignee, fmt)
    project_link = Link(project.name, url("project", project.id)) if project else Link(task.project)
    stale_path = ws.stale.get(("task", task.id))
    return CardView(
        id=task.id,
        title=task.title,
        url=url("task", task.id),
        stale=problem_url(stale_path) if stale_path else "",
        status=task.status,
        project=project_link,
        assignee=assignee,
        assignee_id=task.assignee or "",
        due=fmt.short_date(task.due),
        due_state=due_state(task.due, today, is_open),
        priority=task.priority,
        priority_label=fmt.t(f"priority.{task.priority}"),
        tags=list(task.tags),
        checklist=f"{done}/{total}" if total else "",
        checklist_done=bool(total) and done == total,
        estimate=fmt.duration(task.estimate),
        spent=fmt.duration(spent) if spent else "",
        over_estimate=bool(task.estimate) and spent > (task.estimate or 0),
        stuck=derived.stuck.get(task.id, ""),
        search=" ".join(
            (task.title, task.id, project_link.text, assignee.text, *task.tags)
        ).lower(),
    )


_Made = TypeVar("_Made")
#: what serve keeps of a value made from known inputs: name -> (inputs, value)
KeptValues = dict[str, tuple[tuple[object, ...], Any]]


def kept_value(
    kept: KeptValues | None, name: str, inputs: tuple[object, ...], make: Callable[[], _Made]
) -> _Made:
    """`make()`, kept in `kept` (serve's; None: made every time) under `name` while its
    `inputs` are equal to those it was made from."""
    if kept is None:
        return make()
    found = kept.get(name)
    if found is not None and found[0] == inputs:
        value: _Made = found[1]
        return value
    value = make()
    kept[name] = (inputs, value)
    return value
