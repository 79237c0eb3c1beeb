"""History stage, the sales funnel: a deal's path through its stages, how long it has
been idle (measured from git, not from a hand-kept date) and stage-to-stage conversion
from the transitions deals actually made. Pure functions, like `flow`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from builder.history.events import RecordHistory, Stamp, local_day
from builder.history.flow import Timeline, now_of, timeline
from builder.history.reader import History
from builder.model import Pipeline, Workspace
from builder.problems import Problem


def pipeline_of_deal(ws: Workspace, ident: str, rec: RecordHistory | None) -> Pipeline:
    """A deal's pipeline: the current record's, else the last one its history names."""
    deal = ws.deals.get(ident)
    if deal is not None:
        return ws.pipeline_of(deal)
    name = ((rec.snapshot if rec else None) or {}).get("pipeline") or ""
    s = ws.settings
    return s.pipelines.get(name) or s.pipelines[s.default_pipeline]


def deal_timeline(history: History, ws: Workspace, deal_id: str) -> Timeline | None:
    """A deal's stage timeline; its cycle runs from its first stage to won or lost."""
    rec = history.get("deal", deal_id)
    if rec is None:
        return None
    pipe = pipeline_of_deal(ws, rec.id, rec)
    columns = [(s.id, s.name) for s in pipe.stages]
    closed = {s.id for s in pipe.stages if s.outcome}
    return timeline(rec, columns, "stage", None, None, closed, now_of(history))


@dataclass(frozen=True, slots=True)
class DealIdle:
    """How long an open deal has gone without a change, against its stage's limit."""

    deal: str
    stage: str
    last: date | None  # the day of the last change
    days: int | None  # days since then (None: unknown)
    limit: int | None  # the stage's idle_days
    idle: bool  # days > limit
    source: str  # "git", "uncommitted" (edited, not committed), "updated" (the field), "none"


def deal_idle(history: History, ws: Workspace) -> dict[str, DealIdle]:
    """Idle time of every open deal of the workspace, by deal id.

    The last change is the last commit that changed the deal's file; a deal with
    uncommitted edits was touched today. Without git history for the deal (no repository,
    a new file) the hand-kept `updated:` date is used."""
    out: dict[str, DealIdle] = {}
    today = history.today
    for ident in sorted(ws.deals):
        deal = ws.deals[ident]
        stage = ws.pipeline_of(deal).stage(deal.stage)
        if stage is None or stage.outcome:
            continue
        rec = history.get("deal", ident)
        last: date | None
        if history.is_uncommitted("deal", ident):
            last, source = today, "uncommitted"
        elif rec is not None and rec.last_change is not None:
            last, source = local_day(rec.last_change.when, history.tz), "git"
        elif deal.updated is not None:
            last, source = deal.updated, "updated"
        else:
            last, source = None, "none"
        days = None if last is None else max((today - last).days, 0)
        limit = stage.idle_days
        idle = days is not None and limit is not None and days > limit
        out[ident] = DealIdle(ident, stage.id, last, days, limit, idle, source)
    return out


def idle_problems(history: History, ws: Workspace) -> list[Problem]:
    """PD402 from git: an open deal unchanged for longer than its stage's idle limit.

    A drop-in for `validate.warnings.idle_deals` when history is available: it points at
    the `stage:` field (there may be no `updated:`) and names the day of the last change."""
    out = []
    for ident, idle in deal_idle(history, ws).items():
        if not idle.idle or idle.last is None:
            continue
        deal = ws.deals[ident]
        field = "updated" if idle.source == "updated" else "stage"
        line, col = deal.at(field)
        where = "in git" if idle.source == "git" else "by `updated:`"
        out.append(
            Problem(
                "PD402",
                deal.path,
                line,
                col,
                f"deal idle for {idle.days} days in stage `{idle.stage}` (limit {idle.limit}; "
                f"last change {idle.last.isoformat()} {where})",
                "take the next step and commit the change",
                field,
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class Conversion:
    """Of the deals that entered `stage`, how many went on to a later stage, and how many
    of them stand won or lost now (a lost deal counts at every stage it passed)."""

    stage: str
    name: str
    next_stage: str
    next_name: str
    entered: int
    advanced: int
    won: int = 0
    lost: int = 0

    @property
    def rate(self) -> float | None:
        return self.advanced / self.entered if self.entered else None


def _entered(
    stages: list[tuple[str, Stamp]], rank: dict[str, int], history: History, since: date | None
) -> Iterator[tuple[int, bool]]:
    """The ranks of the stages a deal entered (from `since` on), once each, and whether it
    later reached a stage after that one (skipping a stage still counts as going on)."""
    path = [(value, stamp) for value, stamp in stages if value in rank]
    seen: set[int] = set()
    for i, (value, stamp) in enumerate(path):
        k = rank[value]
        if k in seen or (since is not None and local_day(stamp.when, history.tz) < since):
            continue
        seen.add(k)
        yield k, any(rank[v] > k for v, _ in path[i + 1 :])


def stage_conversions(
    history: History, ws: Workspace, pipeline: str, since: date | None = None
) -> list[Conversion]:
    """Stage-to-stage conversion of `pipeline` from the deals' actual transitions.

    Stages are taken in pipeline order without the lost ones. A deal *entered* stage k
    if it was ever there (from `since` on, when given); it *advanced* if it later reached
    any stage after k (skipping a stage still counts as going on). Deleted deals count."""
    pipe = ws.settings.pipelines.get(pipeline)
    if pipe is None:
        return []
    order = [s for s in pipe.stages if s.outcome != "lost"]
    rank = {s.id: i for i, s in enumerate(order)}
    outcome = {s.id: s.outcome for s in pipe.stages}
    entered = [0] * len(order)
    advanced = [0] * len(order)
    won = [0] * len(order)
    lost = [0] * len(order)
    for (kind, ident), rec in sorted(history.records.items()):
        if kind != "deal" or pipeline_of_deal(ws, ident, rec).id != pipe.id:
            continue
        stages = [(value, stamp) for value, stamp in rec.values("stage") if value is not None]
        last = outcome.get(stages[-1][0]) if stages else None
        for k, went_on in _entered(stages, rank, history, since):
            entered[k] += 1
            advanced[k] += went_on
            won[k] += last == "won"
            lost[k] += last == "lost"
    return [
        Conversion(
            order[k].id,
            order[k].name,
            order[k + 1].id,
            order[k + 1].name,
            entered[k],
            advanced[k],
            won[k],
            lost[k],
        )
        for k in range(len(order) - 1)
    ]
