"""A client's statement of work done in a month: the printable "act of work done" an
agency sends with its invoice. Opt-in per company (`statement: true`).

Like the client portal, it is built from an explicit allow-list (`STATEMENT_FIELDS`): the
view copies those fields and nothing else, so no rate, cost, margin, budget, estimate,
person, note or body can reach the page, whatever the records hold. Only tasks the team
marked `client_visible` are listed. Prices are totalled per currency as written, never
converted: the client is billed in the currency of the prices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from builder.model import Company, Money, Workspace
from builder.views.common import Fmt
from builder.views.reports.work import done_on, month_start, next_month

if TYPE_CHECKING:
    from builder.history import History
    from builder.views.derived import Derived

#: The fields a statement reads (record type -> field names; `time` only as a total).
STATEMENT_FIELDS: dict[str, tuple[str, ...]] = {
    "settings": ("name",),
    "company": ("name", "statement", "portal"),  # portal: only its language
    "project": ("name", "company"),
    "task": ("title", "project", "status", "client_visible", "time", "price"),
}
#: months a statement page is made for: this one and the ones before it
MONTHS = 3


@dataclass(frozen=True)
class StatementRow:
    done: str
    title: str
    project: str
    hours: str
    price: str


@dataclass(frozen=True)
class StatementView:
    agency: str
    client: str
    period: str  # "March 2026"
    dates: str  # "1 Mar 2026 – 31 Mar 2026"
    rows: tuple[StatementRow, ...]
    hours: str
    totals: tuple[str, ...]  # one per currency
    count: int
    prepared: str
    locale: str


def statement_companies(ws: Workspace) -> list[Company]:
    """The companies that opted in, by name."""
    return sorted(
        (c for c in ws.companies.values() if c.statement), key=lambda c: (c.name.lower(), c.id)
    )


def statement_months(today: date, months: int = MONTHS) -> list[date]:
    """The first days of this month and the `months - 1` before it, newest first."""
    out = [month_start(today)]
    while len(out) < months:
        out.append(month_start(out[-1] - timedelta(days=1)))
    return out


def statement(
    ws: Workspace,
    derived: Derived,
    company_id: str,
    month: date,
    today: date,
    history: History | None = None,
) -> StatementView:
    """The statement of company `company_id` for the month holding `month`."""
    company = ws.companies[company_id]
    locale = company.portal.locale or ws.settings.locale
    fmt = Fmt(locale, ws.settings.base_currency)
    first, after = month_start(month), next_month(month)
    found = []
    for project in derived.index.projects_by_company.get(company_id, []):
        for task in derived.index.tasks_by_project.get(project.id, []):
            if not task.client_visible:
                continue
            day = done_on(ws, task, history)
            if day is not None and first <= day < after:
                found.append((day, project.name, task.title, task.spent, task.price))
    found.sort(key=lambda r: (r[0], r[1].lower(), r[2].lower()))
    totals: dict[str, Decimal] = {}
    for *_, price in found:
        if price is not None:
            totals[price.currency] = totals.get(price.currency, Decimal(0)) + price.amount
    minutes = sum(r[3] for r in found)
    return StatementView(
        agency=ws.settings.name,
        client=company.name,
        period=fmt.month(first),
        dates=f"{fmt.date(first)} – {fmt.date(after - timedelta(days=1))}",
        rows=tuple(
            StatementRow(
                fmt.date(day),
                title,
                project,
                fmt.hours(round(spent / 60, 2)) if spent else "",
                fmt.money(price),
            )
            for day, project, title, spent, price in found
        ),
        hours=fmt.hours(round(minutes / 60, 2)),
        totals=tuple(fmt.money(Money(totals[c], c)) for c in sorted(totals)),
        count=len(found),
        prepared=fmt.date(today),
        locale=locale,
    )
