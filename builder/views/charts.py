"""The board's flow charts as view models: what to draw, every label in the site's
language. `builder.render.svg` draws them; nothing here knows SVG."""

from __future__ import annotations

from dataclasses import dataclass

from builder.history.flow import Cfd, WeekCount
from builder.views.common import Fmt


@dataclass
class Band:
    """One column of the cumulative-flow chart: its cards at the end of each day."""

    name: str
    counts: list[int]


@dataclass
class CfdChart:
    """Cumulative flow: one band per column in board order (the done column last)."""

    ident: str  # unique on the page: the SVG's title and description ids derive from it
    title: str
    description: str
    days: list[str]  # each day's label, oldest first
    bands: list[Band]


@dataclass
class Bar:
    label: str
    count: int


@dataclass
class BarChart:
    """Bars from left to right, oldest first: cards finished per week."""

    ident: str
    title: str
    description: str
    bars: list[Bar]


def _cfd_description(cfd: Cfd, fmt: Fmt) -> str:
    # The text alternative says what the picture shows: the span, and where the cards
    # stand on its last day (the bands' heights at the right edge).
    if not cfd.days:
        return ""
    span = fmt.t("history.flow.cfd_desc", start=fmt.date(cfd.days[0]), end=fmt.date(cfd.days[-1]))
    counts = ", ".join(f"{s.name} {s.counts[-1]}" for s in cfd.series if s.counts)
    last = fmt.t("history.flow.cfd_now", day=fmt.date(cfd.days[-1]), counts=counts)
    return f"{span}; {last}" if counts else span


def cfd_chart(cfd: Cfd, fmt: Fmt, ident: str) -> CfdChart:
    """A board's cumulative-flow data as a chart, its days in the short style."""
    return CfdChart(
        ident,
        fmt.t("history.flow.cfd"),
        _cfd_description(cfd, fmt),
        [fmt.short_date(day) for day in cfd.days],
        [Band(s.name, s.counts) for s in cfd.series],
    )


def throughput_chart(weeks: list[WeekCount], fmt: Fmt, ident: str) -> BarChart:
    """Cards finished per week as bars, each labelled with its Monday."""
    title = fmt.t("history.flow.throughput")
    bars = [Bar(fmt.short_date(w.week), w.count) for w in weeks]
    # the text alternative carries every bar's number, as the picture does
    weeks_text = "; ".join(f"{b.label}: {b.count}" for b in bars)
    return BarChart(ident, title, fmt.t("history.flow.throughput_desc", weeks=weeks_text), bars)
