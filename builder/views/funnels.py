"""Sales funnels, one per pipeline: deals by stage with counts, sums in the base currency,
weighted forecast, stage-to-stage conversion, idle deals, owners, and won/lost this period."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from builder.model import Deal, Pipeline, Stage, Workspace
from builder.views.common import Fmt, Link, person_link, url
from builder.views.paging import PageLink, chunks, pager
from builder.views.paths import funnel_url, problem_url, stage_urls

if TYPE_CHECKING:
    from builder.views.derived import Derived


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
    project: Link = field(default_factory=lambda: Link(""))  # the project the deal became
    needs_project: bool = False  # won, and no project named yet
    stale: str = ""  # its file has errors: this is the last good version; the problem's URL


@dataclass
class StageView:
    id: str
    name: str
    probability: str
    outcome: Literal["", "won", "lost"]  # "": an open stage
    idle_limit: int | None
    count: int
    total: str
    weighted: str
    conversion: str  # to the next open stage (or won), snapshot
    idle_count: int
    width: int  # bar width in percent of the largest stage
    deals: list[DealCard] = field(default_factory=list)
    url: str = ""  # its own pages, listing all its deals (see `stage_pages`)
    more: int = 0  # deals the funnel's board leaves off, on the stage's pages


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
    lost_count: int = 0  # lost deals: the snapshot conversion cannot place them


def closed_on(deal: Deal) -> date | None:
    """When a won/lost deal closed: its last update, else its expected close date."""
    return deal.updated or deal.expected_close


def idle_days(derived: Derived, deal: Deal, today: date) -> int | None:
    """Days since the deal's last change: from git history when the build has it
    (`Derived.idle`), else from its `updated:` field."""
    from_git = derived.idle.get(deal.id)
    if from_git is not None:
        return from_git[0]
    return None if deal.updated is None else (today - deal.updated).days


def is_idle(derived: Derived, stage: Stage | None, deal: Deal, today: date) -> bool:
    """An open deal untouched for longer than its stage's idle limit."""
    days = idle_days(derived, deal, today)
    return (
        stage is not None
        and stage.is_open
        and stage.idle_days is not None
        and days is not None
        and days > stage.idle_days
    )


def probability(deal: Deal, stage: Stage | None) -> int:
    """The deal's own probability, else its stage's."""
    if deal.probability is not None:
        return deal.probability
    return stage.probability if stage else 0


def _base(ws: Workspace, deal: Deal) -> Decimal:
    if deal.amount is None:
        return Decimal(0)
    return ws.settings.to_base(deal.amount) or Decimal(0)


def _total(ws: Workspace, deals: Iterable[Deal]) -> Decimal:
    """The deals' amounts in the base currency (an amount without a rate counts 0)."""
    return sum((_base(ws, d) for d in deals), Decimal(0))


def _weighted(ws: Workspace, pipeline: Pipeline, deals: Iterable[Deal]) -> Decimal:
    """The deals' amounts in the base currency, each times its probability."""
    return sum(
        (_base(ws, d) * probability(d, pipeline.stage(d.stage)) / 100 for d in deals),
        Decimal(0),
    )


def deal_card(ws: Workspace, derived: Derived, deal: Deal, today: date, fmt: Fmt) -> DealCard:
    """A deal as funnels, dashboards and people pages list it."""
    stage = ws.stage_of(deal)
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
        idle_days=idle_days(derived, deal, today),
        idle=is_idle(derived, stage, deal, today),
        next_step=step.action if step else "",
        next_step_date=fmt.short_date(step.date if step else None),
        next_step_overdue=bool(
            step and step.date and step.date < today and stage and stage.is_open
        ),
        expected_close=fmt.short_date(deal.expected_close),
        search=" ".join(
            (deal.title, company.name if company else deal.company, owner.text)
        ).lower(),
        project=_project_link(ws, deal.project),
        needs_project=ws.deal_needs_project(deal),
        stale=problem_url(ws.stale[("deal", deal.id)]) if ("deal", deal.id) in ws.stale else "",
    )


def _project_link(ws: Workspace, project_id: str | None) -> Link:
    project = ws.projects.get(project_id or "")
    return Link(project.name, url("project", project.id)) if project else Link("")


def _quarter_start(today: date) -> date:
    return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)


def _reached(pipeline: Pipeline, deals: list[Deal]) -> dict[str, int]:
    """Open stage id -> how many deals reached it. Snapshot conversion: a deal now at open
    stage k, or won, has passed every open stage before it. Lost deals are left out
    (where they were lost is history's job)."""
    open_stages = [s.id for s in pipeline.stages if s.is_open]
    won = {s.id for s in pipeline.stages if s.outcome == "won"}
    reached = dict.fromkeys(open_stages, 0)
    for d in deals:
        if d.stage in won:
            passed = len(open_stages)
        elif d.stage in reached:
            passed = open_stages.index(d.stage) + 1
        else:
            continue
        for sid in open_stages[:passed]:
            reached[sid] += 1
    return reached


def _conversions(pipeline: Pipeline, deals: list[Deal], fmt: Fmt) -> dict[str, str]:
    """Open stage id -> the share of the deals that reached it which reached the next
    open stage (or were won, from the last one)."""
    reached = _reached(pipeline, deals)
    won = sum(1 for d in deals if (s := pipeline.stage(d.stage)) and s.outcome == "won")
    open_stages = list(reached)
    out = {}
    for i, sid in enumerate(open_stages):
        after = reached[open_stages[i + 1]] if i + 1 < len(open_stages) else won
        out[sid] = fmt.percent(after / reached[sid]) if reached[sid] else ""
    return out


def _stage_views(
    ws: Workspace, derived: Derived, pipeline: Pipeline, deals: list[Deal], today: date
) -> list[StageView]:
    fmt = Fmt.of(ws)
    conversions = _conversions(pipeline, deals, fmt)
    by_stage: dict[str, list[Deal]] = {s.id: [] for s in pipeline.stages}
    for d in deals:
        if d.stage in by_stage:
            by_stage[d.stage].append(d)
    widest = max(map(len, by_stage.values()), default=0) or 1
    urls = stage_urls(pipeline.id, by_stage)
    out = []
    for s in pipeline.stages:
        in_stage = by_stage[s.id]
        if not s.is_open:  # the latest closed first: the board shows the recent ones
            in_stage.sort(key=lambda d: (closed_on(d) or date.min, d.id), reverse=True)
        cards = [deal_card(ws, derived, d, today, fmt) for d in in_stage]
        out.append(
            StageView(
                id=s.id,
                name=s.name,
                probability=f"{s.probability}%",
                outcome=s.outcome or "",
                idle_limit=s.idle_days,
                count=len(in_stage),
                total=fmt.base_money(_total(ws, in_stage)),
                weighted=fmt.base_money(_weighted(ws, pipeline, in_stage)) if s.is_open else "",
                conversion=conversions.get(s.id, ""),
                idle_count=sum(1 for c in cards if c.idle),
                width=round(100 * len(in_stage) / widest),
                deals=cards,
                url=urls[s.id],
            )
        )
    return out


def funnel(ws: Workspace, derived: Derived, pipeline: Pipeline, today: date) -> FunnelView:
    """A pipeline's funnel: its deals by stage, with sums, forecast and conversions."""
    fmt = Fmt.of(ws)
    deals = sorted(
        (d for d in ws.deals.values() if ws.pipeline_of(d).id == pipeline.id),
        key=lambda d: (d.expected_close or date.max, d.id),
    )
    stages = _stage_views(ws, derived, pipeline, deals, today)
    open_deals = [d for d in deals if ws.deal_is_open(d)]
    return FunnelView(
        id=pipeline.id,
        title=pipeline.name,
        stages=stages,
        open_count=len(open_deals),
        open_total=fmt.base_money(_total(ws, open_deals)),
        forecast=fmt.base_money(_weighted(ws, pipeline, open_deals)),
        owners=_owners(ws, pipeline, deals, fmt),
        periods=_periods(ws, pipeline, deals, today, fmt),
        idle_count=sum(s.idle_count for s in stages),
        lost_count=sum(s.count for s in stages if s.outcome == "lost"),
        missing_rates=sorted(
            {d.amount.currency for d in deals if d.amount and ws.settings.to_base(d.amount) is None}
        ),
    )


def capped(view: FunnelView, cap: int) -> FunnelView:
    """The funnel as its page shows it: each stage's first `cap` deals on the board, the
    rest counted and on the stage's own pages."""
    stages = [replace(s, deals=s.deals[:cap], more=max(0, s.count - cap)) for s in view.stages]
    return replace(view, stages=stages)


@dataclass
class StagePage:
    """One page of the deals of one stage."""

    funnel: Link
    stage: StageView  # its `deals`: this page's
    start: int  # 1-based position of the first
    pages: list[PageLink]


def stage_pages(view: FunnelView, stage_id: str, size: int) -> list[StagePage]:
    """The pages of one stage's deals (from the whole funnel's `view`), `size` a page."""
    [stage] = [s for s in view.stages if s.id == stage_id]
    pages = chunks(stage.deals, size)
    funnel = Link(view.title, funnel_url(view.id))
    return [
        StagePage(
            funnel=funnel,
            stage=replace(stage, deals=list(items)),
            start=(i - 1) * max(1, size) + 1,
            pages=pager(stage.url, pages, i),
        )
        for i, items in enumerate(pages, 1)
    ]


def stage_counts(ws: Workspace, pipeline: Pipeline) -> dict[str, int]:
    """How many deals stand in each stage of `pipeline` (without building its funnel)."""
    counts = dict.fromkeys((s.id for s in pipeline.stages), 0)
    for d in ws.deals.values():
        if d.stage in counts and ws.pipeline_of(d).id == pipeline.id:
            counts[d.stage] += 1
    return counts


def _owners(ws: Workspace, pipeline: Pipeline, deals: list[Deal], fmt: Fmt) -> list[OwnerRow]:
    rows: dict[str, list[Deal]] = {}
    for d in deals:
        rows.setdefault(d.owner or "", []).append(d)
    out = []
    for owner_id in sorted(rows, key=lambda o: ws.people[o].name if o in ws.people else o):
        by_outcome: dict[str | None, list[Deal]] = {None: [], "won": [], "lost": []}
        for d in rows[owner_id]:
            stage = pipeline.stage(d.stage)
            if stage is not None:
                by_outcome[stage.outcome].append(d)
        open_, won, lost = by_outcome[None], by_outcome["won"], by_outcome["lost"]
        out.append(
            OwnerRow(
                owner=person_link(ws, owner_id or None, fmt),
                owner_id=owner_id,
                open=len(open_),
                total=fmt.base_money(_total(ws, open_)),
                weighted=fmt.base_money(_weighted(ws, pipeline, open_)),
                won=len(won),
                won_total=fmt.base_money(_total(ws, won)),
                lost=len(lost),
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
            if stage is None or stage.is_open or closed is None:
                continue
            if start <= closed <= today:
                (won if stage.outcome == "won" else lost).append(d)
        out.append(
            PeriodRow(
                label=fmt.t(key),
                won=len(won),
                won_total=fmt.base_money(_total(ws, won)),
                lost=len(lost),
                lost_total=fmt.base_money(_total(ws, lost)),
            )
        )
    return out
