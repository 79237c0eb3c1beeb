"""Profitability: what each project cost (hours logged x each person's hourly cost), what
it earns (its budget, or the prices of its done tasks when billed by time and materials),
the margin, and how fast the budget burns against time and done work; the same rolled up
per client and per month.

Numbers only, in the base currency, exact (`Decimal`); a cost that misses someone's rate
is `incomplete`, never a smaller number passed off as whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from builder.model import Money, Project, Task, TimeEntry, Workspace
from builder.views.reports.work import cost_of, done_on, hourly_cost, month_start, next_month

if TYPE_CHECKING:
    from builder.history import History
    from builder.model.schema import Billing
    from builder.views.derived import Derived

_ONE_DAY = timedelta(days=1)
#: Burning counts as faster than progress past this many points of the budget ahead of
#: the share of done tasks (a few points either way is noise).
BURN_TOLERANCE = 10


@dataclass
class Cost:
    """Hours and their cost. `unpriced` holds the minutes logged by people without a
    known hourly cost (person id -> minutes): while it has any, `amount` is a floor."""

    minutes: int = 0
    amount: Decimal = Decimal(0)
    unpriced: dict[str, int] = field(default_factory=dict)

    @property
    def incomplete(self) -> bool:
        return bool(self.unpriced)

    def add(self, other: Cost) -> None:
        self.minutes += other.minutes
        self.amount += other.amount
        for person, minutes in other.unpriced.items():
            self.unpriced[person] = self.unpriced.get(person, 0) + minutes


@dataclass
class ProjectMoney:
    """One project's money."""

    id: str
    company: str
    billing: Billing
    cost: Cost
    budget: Money | None
    budget_base: Decimal | None  # the budget in the base currency
    revenue: Decimal | None  # None: nothing says (no budget; no priced done task)
    unpriced_done: int  # done tasks without a price (time and materials)
    margin: Decimal | None  # revenue - cost (None without revenue)
    margin_pct: float | None  # margin / revenue
    burnt: float | None  # cost / budget (None without a budget)
    elapsed: float | None  # share of start..due gone by today (None without both)
    done: float | None  # share of the project's tasks done (None without tasks)
    tasks: int
    tasks_done: int
    over_budget: bool
    burn_ahead: bool  # burnt more than BURN_TOLERANCE points past the done share


@dataclass
class Rollup:
    """Totals of a group of projects (a client, a month, the workspace)."""

    key: str
    cost: Cost = field(default_factory=Cost)
    revenue: Decimal = Decimal(0)
    revenue_missing: int = 0  # projects in the group without a known revenue
    projects: int = 0

    @property
    def margin(self) -> Decimal:
        return self.revenue - self.cost.amount

    @property
    def margin_pct(self) -> float | None:
        return float(self.margin / self.revenue) if self.revenue else None


@dataclass
class MonthMoney:
    """One calendar month: hours logged and their cost, and the revenue earned in it
    (done tasks' prices of time-and-materials projects by the month they were done;
    fixed budgets spread over their projects' start..due by days)."""

    month: date  # its first day
    cost: Cost = field(default_factory=Cost)
    revenue: Decimal = Decimal(0)

    @property
    def margin(self) -> Decimal:
        return self.revenue - self.cost.amount


@dataclass
class MoneyReport:
    projects: list[ProjectMoney]
    clients: list[Rollup]
    months: list[MonthMoney]
    total: Rollup
    #: fixed-price projects whose budget is not spread over months (no start or due)
    unspread: list[str]
    #: person id -> minutes logged without a known hourly cost (the whole workspace)
    unpriced: dict[str, int]


def billing_of(ws: Workspace, project: Project) -> Billing:
    """How a project earns: its own `billing`, else the workspace's."""
    return project.billing or ws.settings.billing


def task_cost(ws: Workspace, task: Task, rates: dict[str, Decimal | None]) -> Cost:
    """The hours logged on a task (by whoever logged them) and their cost."""
    cost = Cost()
    for entry in task.time:
        add_entry(ws, cost, entry, rates)
    return cost


def add_entry(
    ws: Workspace, cost: Cost, entry: TimeEntry, rates: dict[str, Decimal | None]
) -> None:
    """Add one time entry at the hourly cost of the person who logged it (`rates` keeps
    each person's, looked up once)."""
    cost.minutes += entry.minutes
    if entry.person not in rates:
        rates[entry.person] = hourly_cost(ws, entry.person)
    rate = rates[entry.person]
    if rate is None:
        cost.unpriced[entry.person] = cost.unpriced.get(entry.person, 0) + entry.minutes
    else:
        cost.amount += cost_of(entry.minutes, rate)


def project_money(
    ws: Workspace,
    derived: Derived,
    project: Project,
    today: date,
    rates: dict[str, Decimal | None] | None = None,
) -> ProjectMoney:
    """One project's cost, revenue, margin and burn as of `today`."""
    rates = {} if rates is None else rates
    tasks = derived.index.tasks_by_project.get(project.id, [])
    cost = Cost()
    done_tasks = [t for t in tasks if not ws.task_is_open(t)]
    for t in tasks:
        cost.add(task_cost(ws, t, rates))
    billing = billing_of(ws, project)
    budget_base = ws.settings.to_base(project.budget) if project.budget else None
    unpriced_done = 0
    revenue: Decimal | None
    if billing == "fixed":
        revenue = budget_base
    else:
        prices = [ws.settings.to_base(t.price) for t in done_tasks if t.price is not None]
        unpriced_done = len(done_tasks) - len(prices)
        known = [p for p in prices if p is not None]
        revenue = sum(known, Decimal(0)) if known else None
    margin = None if revenue is None else revenue - cost.amount
    burnt = float(cost.amount / budget_base) if budget_base else None
    done = len(done_tasks) / len(tasks) if tasks else None
    return ProjectMoney(
        id=project.id,
        company=project.company,
        billing=billing,
        cost=cost,
        budget=project.budget,
        budget_base=budget_base,
        revenue=revenue,
        unpriced_done=unpriced_done,
        margin=margin,
        margin_pct=float(margin / revenue) if margin is not None and revenue else None,
        burnt=burnt,
        elapsed=elapsed_share(project, today),
        done=done,
        tasks=len(tasks),
        tasks_done=len(done_tasks),
        over_budget=budget_base is not None and cost.amount > budget_base,
        burn_ahead=burnt is not None
        and done is not None
        and burnt * 100 > done * 100 + BURN_TOLERANCE,
    )


def elapsed_share(project: Project, today: date) -> float | None:
    """The share of the project's start..due that has passed by the end of `today`
    (0 before it starts, 1 from its due date on)."""
    if project.start is None or project.due is None:
        return None
    days = (project.due - project.start).days + 1
    gone = (today - project.start).days + 1
    return min(max(gone / days, 0.0), 1.0)


def money_report(
    ws: Workspace, derived: Derived, today: date, history: History | None = None, months: int = 12
) -> MoneyReport:
    """Every project's money, the totals per client, and the last `months` months up to
    the one holding `today`."""
    rates: dict[str, Decimal | None] = {}
    projects = [
        project_money(ws, derived, ws.projects[pid], today, rates) for pid in sorted(ws.projects)
    ]
    clients: dict[str, Rollup] = {}
    total = Rollup("")
    for pm in projects:
        for group in (clients.setdefault(pm.company, Rollup(pm.company)), total):
            group.projects += 1
            group.cost.add(pm.cost)
            if pm.revenue is None:
                group.revenue_missing += 1
            else:
                group.revenue += pm.revenue
    by_month, unspread = month_money(ws, derived, today, history, months, rates)
    return MoneyReport(
        projects=projects,
        clients=sorted(clients.values(), key=lambda r: r.key),
        months=by_month,
        total=total,
        unspread=unspread,
        unpriced=dict(sorted(total.cost.unpriced.items())),
    )


def month_money(
    ws: Workspace,
    derived: Derived,
    today: date,
    history: History | None,
    months: int,
    rates: dict[str, Decimal | None],
) -> tuple[list[MonthMoney], list[str]]:
    """The last `months` calendar months up to today's, oldest first, and the fixed-price
    projects whose budget could not be spread (no start or no due)."""
    first = month_start(today)
    for _ in range(months - 1):
        first = month_start(first.replace(day=1) - _ONE_DAY)
    table: dict[date, MonthMoney] = {}
    day = first
    while day <= today:
        table[day] = MonthMoney(day)
        day = next_month(day)
    for task in derived.tasks_by_id:
        for entry in task.time:
            row = table.get(month_start(entry.date))
            if row is not None:
                add_entry(ws, row.cost, entry, rates)
    unspread: list[str] = []
    for pid in sorted(ws.projects):
        project = ws.projects[pid]
        if billing_of(ws, project) == "fixed":
            if not _spread_budget(ws, project, table) and project.budget is not None:
                unspread.append(pid)
            continue
        for task in derived.index.tasks_by_project.get(pid, []):
            when = done_on(ws, task, history)
            price = ws.settings.to_base(task.price) if task.price else None
            row = table.get(month_start(when)) if when else None
            if row is not None and price is not None:
                row.revenue += price
    return list(table.values()), unspread


def _spread_budget(ws: Workspace, project: Project, table: dict[date, MonthMoney]) -> bool:
    """Add a fixed budget to the months of start..due, by the days of each; False when
    the project has no budget, start or due."""
    budget = ws.settings.to_base(project.budget) if project.budget else None
    if budget is None or project.start is None or project.due is None:
        return False
    days = Decimal((project.due - project.start).days + 1)
    month = month_start(project.start)
    while month <= project.due:
        end = min(next_month(month), project.due + _ONE_DAY)
        begin = max(month, project.start)
        row = table.get(month)
        if row is not None:
            row.revenue += budget * Decimal((end - begin).days) / days
        month = next_month(month)
    return True
