"""Sales funnels, one per pipeline: deals by stage with counts, sums in the base currency,
weighted forecast, stage-to-stage conversion, idle deals, owners, and won/lost this period."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from builder.model import Deal, Pipeline, Stage, Workspace
from builder.views.common import Fmt, Link, person_link, url


@dataclass
class DealCard:
    id: str
    title: str
    url: str
    company: Link
    owner: Link
    owner_id: str
    amount: str  # as entered: 50 000 UAH
    amount_base: str  # converted: $1,200
    converted: bool  # amount is in another currency than the base
    probability: str
    idle_days: int | None
    idle: bool
    next_step: str
    next_step_date: str
    next_step_overdue: bool
    expected_close: str
    search: str


@dataclass
class StageView:
    id: str
    name: str
    probability: str
    outcome: str
    idle_limit: int | None
    count: int
    total: str
    weighted: str
    conversion: str  # to the next open stage (or won), snapshot
    idle_count: int
    width: int  # bar width in percent of the largest stage
    deals: list[DealCard] = field(default_factory=list)


@dataclass
class OwnerRow:
    owner: Link
    owner_id: str
    open: int
    total: str
    weighted: str
    won: int
    won_total: str
    lost: int


@dataclass
class PeriodRow:
    label: str
    won: int
    won_total: str
    lost: int
    lost_total: str


@dataclass
class FunnelView:
    id: str
    title: str
    stages: list[StageView]
    open_count: int
    open_total: str
    forecast: str
    owners: list[OwnerRow]
    periods: list[PeriodRow]
    idle_count: int
    missing_rates: list[str]


def closed_on(deal: Deal) -> date | None:
    """When a won/lost deal closed: its last update, else its expected close date."""
    return deal.updated or deal.expected_close


def idle_days(ws: Workspace, deal: Deal, today: date) -> int | None:
    """Days since the deal's last change: from git history when the site has it
    (`ws.cache["idle"]`, set by the render stage), else from its `updated:` field."""
    from_git: dict[str, tuple[int, bool]] = ws.cache.get("idle", {})
    if deal.id in from_git:
        return from_git[deal.id][0]
    return None if deal.updated is None else (today - deal.updated).days


def is_idle(ws: Workspace, stage: Stage | None, deal: Deal, today: date) -> bool:
    days = idle_days(ws, deal, today)
    return (
        stage is not None
        and stage.outcome is None
        and stage.idle_days is not None
        and days is not None
        and days > stage.idle_days
    )


def probability(deal: Deal, stage: Stage | None) -> int:
    if deal.probability is not None:
        return deal.probability
    return stage.probability if stage else 0


def _base(ws: Workspace, deal: Deal) -> Decimal:
    if deal.amount is None:
        return Decimal(0)
    return ws.settings.to_base(deal.amount) or Decimal(0)


def deal_card(ws: Workspace, deal: Deal, today: date, fmt: Fmt) -> DealCard:
    stage = ws.pipeline_of(deal).stage(deal.stage)
    company = ws.companies.get(deal.company)
    owner = person_link(ws, deal.owner, fmt)
    amount = deal.amount
    step = deal.next_step
    return DealCard(
        id=deal.id,
        title=deal.title,
        url=url("deal", deal.id),
        company=Link(company.name, url("company", company.id)) if company else Link(deal.company),
        owner=owner,
        owner_id=deal.owner or "",
        amount=fmt.money(amount),
        amount_base=fmt.base_money(_base(ws, deal)) if amount else "",
        converted=amount is not None and amount.currency != fmt.base,
        probability=f"{probability(deal, stage)}%",
        idle_days=idle_days(ws, deal, today),
        idle=is_idle(ws, stage, deal, today),
        next_step=step.action if step else "",
        next_step_date=fmt.short_date(step.date if step else None),
        next_step_overdue=bool(
            step and step.date and step.date < today and stage and stage.outcome is None
        ),
        expected_close=fmt.short_date(deal.expected_close),
        search=" ".join(
            (deal.title, company.name if company else deal.company, owner.text)
        ).lower(),
    )


def _quarter_start(today: date) -> date:
    return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)


def funnel(ws: Workspace, pipeline: Pipeline, today: date) -> FunnelView:
    fmt = Fmt.of(ws)
    deals = sorted(
        (d for d in ws.deals.values() if ws.pipeline_of(d).id == pipeline.id),
        key=lambda d: (d.expected_close or date.max, d.id),
    )
    index = {s.id: i for i, s in enumerate(pipeline.stages)}
    open_stages = [s for s in pipeline.stages if s.outcome is None]
    won_stage_ids = {s.id for s in pipeline.stages if s.outcome == "won"}
    # Snapshot conversion: a deal now at open stage k, or won, has passed every open
    # stage before it. Lost deals are left out (where they were lost is history's job).
    reached: dict[str, int] = {s.id: 0 for s in open_stages}
    for d in deals:
        if d.stage in won_stage_ids:
            for s in open_stages:
                reached[s.id] += 1
        elif d.stage in reached:
            for s in open_stages[: open_stages.index(pipeline.stages[index[d.stage]]) + 1]:
                reached[s.id] += 1
    won_total_count = sum(1 for d in deals if d.stage in won_stage_ids)

    stages: list[StageView] = []
    max_count = (
        max((sum(1 for d in deals if d.stage == s.id) for s in pipeline.stages), default=0) or 1
    )
    for s in pipeline.stages:
        in_stage = [d for d in deals if d.stage == s.id]
        total = sum((_base(ws, d) for d in in_stage), Decimal(0))
        weighted = sum((_base(ws, d) * probability(d, s) / 100 for d in in_stage), Decimal(0))
        conversion = ""
        if s.outcome is None:
            pos = open_stages.index(s)
            nxt = (
                reached[open_stages[pos + 1].id]
                if pos + 1 < len(open_stages)
                else (won_total_count)
            )
            conversion = fmt.percent(nxt / reached[s.id]) if reached[s.id] else ""
        cards = [deal_card(ws, d, today, fmt) for d in in_stage]
        stages.append(
            StageView(
                s.id,
                s.name,
                f"{s.probability}%",
                s.outcome or "",
                s.idle_days,
                len(in_stage),
                fmt.base_money(total),
                fmt.base_money(weighted) if s.outcome is None else "",
                conversion,
                sum(1 for c in cards if c.idle),
                round(100 * len(in_stage) / max_count),
                cards,
            )
        )
    open_deals = [d for d in deals if (st := pipeline.stage(d.stage)) and st.outcome is None]
    open_total = sum((_base(ws, d) for d in open_deals), Decimal(0))
    forecast = sum(
        (_base(ws, d) * probability(d, pipeline.stage(d.stage)) / 100 for d in open_deals),
        Decimal(0),
    )
    missing = sorted(
        {d.amount.currency for d in deals if d.amount and ws.settings.to_base(d.amount) is None}
    )
    return FunnelView(
        pipeline.id,
        pipeline.name,
        stages,
        len(open_deals),
        fmt.base_money(open_total),
        fmt.base_money(forecast),
        _owners(ws, pipeline, deals, today, fmt),
        _periods(ws, pipeline, deals, today, fmt),
        sum(s.idle_count for s in stages),
        missing,
    )


def _owners(
    ws: Workspace, pipeline: Pipeline, deals: list[Deal], today: date, fmt: Fmt
) -> list[OwnerRow]:
    rows: dict[str, list[Deal]] = {}
    for d in deals:
        rows.setdefault(d.owner or "", []).append(d)
    out = []
    for owner_id in sorted(rows, key=lambda o: ws.people[o].name if o in ws.people else o):
        ds = rows[owner_id]
        open_ = [d for d in ds if (s := pipeline.stage(d.stage)) and s.outcome is None]
        won = [d for d in ds if (s := pipeline.stage(d.stage)) and s.outcome == "won"]
        lost = [d for d in ds if (s := pipeline.stage(d.stage)) and s.outcome == "lost"]
        out.append(
            OwnerRow(
                person_link(ws, owner_id or None, fmt),
                owner_id,
                len(open_),
                fmt.base_money(sum((_base(ws, d) for d in open_), Decimal(0))),
                fmt.base_money(
                    sum(
                        (
                            _base(ws, d) * probability(d, pipeline.stage(d.stage)) / 100
                            for d in open_
                        ),
                        Decimal(0),
                    )
                ),
                len(won),
                fmt.base_money(sum((_base(ws, d) for d in won), Decimal(0))),
                len(lost),
            )
        )
    return out


def _periods(
    ws: Workspace, pipeline: Pipeline, deals: list[Deal], today: date, fmt: Fmt
) -> list[PeriodRow]:
    out = []
    for key, start in (
        ("funnel.this_month", today.replace(day=1)),
        ("funnel.this_quarter", _quarter_start(today)),
    ):
        won: list[Deal] = []
        lost: list[Deal] = []
        for d in deals:
            stage = pipeline.stage(d.stage)
            closed = closed_on(d)
            if stage is None or stage.outcome is None or closed is None:
                continue
            if start <= closed <= today:
                (won if stage.outcome == "won" else lost).append(d)
        out.append(
            PeriodRow(
                fmt.t(key),
                len(won),
                fmt.base_money(sum((_base(ws, d) for d in won), Decimal(0))),
                len(lost),
                fmt.base_money(sum((_base(ws, d) for d in lost), Decimal(0))),
            )
        )
    return out
