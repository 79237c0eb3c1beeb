"""The reports' numbers against the hand-computed ones in tests/report_cases.py."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import make_workspace
from hypothesis import given
from hypothesis import strategies as st
from report_cases import REPORTS, TODAY

from builder.model import Task
from builder.pipeline import CheckResult, run_check
from builder.views.derived import Derived, derive
from builder.views.reports.estimates import estimate_report
from builder.views.reports.load import load_report, spread
from builder.views.reports.money import money_report
from builder.views.reports.timesheets import timesheets


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> CheckResult:
    result = run_check(make_workspace(tmp_path_factory.mktemp("reports"), REPORTS), TODAY)
    assert [p.headline() for p in result.errors] == []
    return result


@pytest.fixture(scope="module")
def derived(checked: CheckResult) -> Derived:
    return derive(checked.workspace)


def cents(x: Decimal | None) -> Decimal | None:
    return None if x is None else x.quantize(Decimal("0.01"))


def test_project_cost_revenue_margin_and_burn(checked: CheckResult, derived: Derived) -> None:
    report = money_report(checked.workspace, derived, TODAY)
    site, retainer, ads = (
        next(p for p in report.projects if p.id == i) for i in ("site", "retainer", "ads")
    )
    assert (site.cost.minutes, cents(site.cost.amount), site.cost.unpriced) == (
        18 * 60,
        Decimal("828.00"),
        {},
    )
    assert (site.billing, cents(site.revenue), cents(site.margin)) == (
        "fixed",
        Decimal("2200.00"),
        Decimal("1372.00"),
    )
    assert site.margin_pct == pytest.approx(1372 / 2200)
    assert site.burnt == pytest.approx(828 / 2200)
    assert (site.elapsed, site.done, site.over_budget, site.burn_ahead) == (0.5, 0.4, False, False)

    assert retainer.billing == "time-and-materials"
    assert (retainer.cost.minutes, cents(retainer.cost.amount)) == (450, Decimal("225.00"))
    assert retainer.cost.unpriced == {"ivan": 180} and retainer.cost.incomplete
    assert (cents(retainer.revenue), retainer.unpriced_done) == (Decimal("325.00"), 1)
    assert cents(retainer.margin) == Decimal("100.00")
    assert (retainer.burnt, retainer.elapsed) == (None, None)

    assert (ads.cost.minutes, ads.revenue, ads.burnt, ads.done) == (0, Decimal(1000), 0.0, 0.0)


def test_clients_months_and_totals(checked: CheckResult, derived: Derived) -> None:
    report = money_report(checked.workspace, derived, TODAY)
    acme, beta = report.clients
    assert (acme.key, cents(acme.cost.amount), acme.cost.unpriced, cents(acme.revenue)) == (
        "acme",
        Decimal("1053.00"),
        {"ivan": 180},
        Decimal("2525.00"),
    )
    assert cents(acme.margin) == Decimal("1472.00")
    assert (beta.key, beta.cost.amount, beta.revenue, beta.margin_pct) == (
        "beta",
        Decimal(0),
        Decimal(1000),
        1.0,
    )
    assert cents(report.total.revenue) == Decimal("3525.00")
    assert report.unpriced == {"ivan": 180} and report.unspread == ["ads"]
    months = {m.month: m for m in report.months}
    assert len(report.months) == 12 and report.months[-1].month == date(2026, 3, 1)
    feb, march = months[date(2026, 2, 1)], months[date(2026, 3, 1)]
    assert (cents(feb.cost.amount), cents(feb.revenue)) == (Decimal("25.00"), Decimal("25.00"))
    assert (cents(march.cost.amount), march.cost.unpriced) == (Decimal("1028.00"), {"ivan": 180})
    assert cents(march.revenue) == Decimal("2500.00")
    assert all(m.cost.minutes == 0 for m in report.months[:-2])


def test_a_fixed_budget_spreads_over_its_months_by_days(
    checked: CheckResult, derived: Derived
) -> None:
    ws = checked.workspace
    site = ws.projects["site"]
    site.start, site.due = date(2026, 2, 20), date(2026, 3, 31)  # 9 days in Feb, 31 in March
    try:
        months = {m.month: m for m in money_report(ws, derived, TODAY).months}
    finally:
        site.start, site.due = date(2026, 3, 2), date(2026, 3, 31)
    assert cents(months[date(2026, 2, 1)].revenue) == Decimal("520.00")  # 25 + 2200 * 9/40
    assert cents(months[date(2026, 3, 1)].revenue) == Decimal("2005.00")  # 300 + 2200 * 31/40


def test_timesheets_per_person_day_and_project(checked: CheckResult, derived: Derived) -> None:
    weeks = timesheets(
        checked.workspace, derived, [date(2026, 3, 16), date(2026, 3, 9), date(2026, 3, 2)]
    )
    rows = [{r.person: r for r in w.people} for w in weeks]
    assert [list(r) for r in rows] == [["anna", "ivan", "oleh"]] * 3
    this, last, first = rows
    assert (this["anna"].days, this["anna"].utilisation) == ([240, 0, 0, 0, 0, 0, 0], 0.1)
    assert last["oleh"].days == [0, 360, 0, 120, 0, 0, 0]
    assert last["oleh"].projects == {"site": [0, 360, 0, 120, 0, 0, 0]}
    assert last["oleh"].utilisation == 0.4 and last["anna"].utilisation == 0.0
    assert [first[p].utilisation for p in ("anna", "oleh", "ivan")] == [0.15, 0.2, 0.075]
    assert first["ivan"].projects == {"retainer": [0, 0, 0, 180, 0, 0, 0]}
    assert (weeks[2].minutes, weeks[2].capacity) == (13 * 60, 100)


def test_estimate_accuracy(checked: CheckResult, derived: Derived) -> None:
    report = estimate_report(checked.workspace, derived)
    summary = {
        kind: [(a.key, a.count, a.median, a.low, a.high) for a in groups]
        for kind, groups in (
            ("person", report.by_person),
            ("tag", report.by_tag),
            ("project", report.by_project),
        )
    }
    assert summary == {
        "person": [("anna", 3, 1.0, 0.75, 1.25), ("oleh", 1, 1.5, 1.5, 1.5)],
        "tag": [("copy", 2, 1.0, 0.75, 1.25), ("design", 2, 1.5, 1.5, 1.5)],
        "project": [("retainer", 2, 1.0, 0.75, 1.25), ("site", 2, 1.25, 1.125, 1.375)],
    }
    assert [(r.task, r.ratio) for r in report.worst] == [("r1", 1.5), ("s2", 1.5)]
    assert [(o.task, o.estimate, o.spent) for o in report.open_over] == [("r3", 180, 240)]
    assert report.overall is not None and report.overall.count == 4


def test_load_ahead(checked: CheckResult, derived: Derived) -> None:
    report = load_report(checked.workspace, derived, TODAY)
    assert report.mondays[0] == TODAY and report.mondays[-1] == date(2026, 5, 4)
    people = {p.person: p for p in report.people}
    anna, oleh, ivan = people["anna"], people["oleh"], people["ivan"]
    assert (anna.weeks, anna.later) == ([360, 0, 0, 0, 0, 0, 0, 480], 480)
    assert (anna.no_estimate, anna.no_due) == (["s4"], ["a2"])
    assert (oleh.weeks, oleh.capacity) == ([1680, 240, 0, 0, 0, 0, 0, 0], 20)
    assert [oleh.over(w) for w in range(2)] == [True, False]
    assert (ivan.weeks[0], ivan.over(0)) == (720, False)
    assert report.unassigned == []


@given(
    remaining=st.integers(0, 100_000),
    start=st.dates(date(2026, 1, 1), date(2026, 12, 31)),
    length=st.integers(0, 120),
    has_start=st.booleans(),
    today=st.dates(date(2026, 1, 1), date(2026, 12, 31)),
)
def test_the_load_spread_over_weeks_sums_to_the_remaining_estimate(
    remaining: int, start: date, length: int, has_start: bool, today: date
) -> None:
    task = Task(
        id="t", path="t.md", start=start if has_start else None, due=start + timedelta(length)
    )
    weeks = spread(remaining, task, today)
    assert sum(weeks.values()) == remaining
    assert all(m.weekday() == 0 and m >= today - timedelta(6) for m in weeks)
    assert all(v > 0 for v in weeks.values())
    if task.due is not None and task.due >= today:  # nothing lands after the due week
        assert all(m <= task.due for m in weeks)


def test_a_missing_rate_is_a_warning(tmp_path: Path) -> None:
    result = run_check(make_workspace(tmp_path, REPORTS), TODAY)
    assert [p.headline() for p in result.problems if p.code == "PD408"] == [
        f"{tmp_path}/ws/people/ivan.md:1:1: warning PD408: "
        "3h logged by `ivan` has no cost: no `rate`"
    ]
