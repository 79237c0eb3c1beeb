"""Render stage: a board's flow charts as static SVG strings, drawn at build time (no
JavaScript), from the chart view models of `builder.views.charts`.

The cumulative-flow chart stacks one band per column, done at the bottom and the backlog
on top, as CFDs are read. The throughput chart is one bar per week. Every piece of user
text (column names, titles) is escaped and stripped of what XML forbids; coordinates are
rounded so output is byte-stable.
Each band and bar carries a class (`pd-cfd-band pd-col-N`, `pd-bar`) for the theme's CSS.
"""

from __future__ import annotations

from dataclasses import replace
from html import escape as escape_html

from builder.render.xmltext import xml_text
from builder.views.activity import FlowView
from builder.views.charts import BarChart, CfdChart

#: band colours, from the done column upwards (colour-blind-safe, Okabe-Ito order)
PALETTE = ("#009e73", "#56b4e9", "#e69f00", "#cc79a7", "#0072b2", "#d55e00", "#f0e442", "#999")
_FONT = 'font-family="sans-serif" font-size="11"'


def _escape(text: str) -> str:
    """User text for SVG markup: escaped, and without what XML forbids (SVG is XML: saved
    as a file, one control character would make it unreadable)."""
    return escape_html(xml_text(text))


def _num(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _ticks(top: int) -> list[int]:
    """Up to five round values from 0 to at least `top`."""
    if top <= 0:
        return [0]
    step = 1
    for candidate in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        step = candidate
        if top / candidate <= 4:
            break
    else:
        step = -(-top // 4)
    return list(range(0, top + step, step))


def _frame(ident: str, width: int, height: int, title: str, description: str) -> list[str]:
    tid, did = _escape(f"{ident}-title"), _escape(f"{ident}-desc")
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{tid} {did}" '
        f'class="pd-chart">',
        f'<title id="{tid}">{_escape(title)}</title>',
        f'<desc id="{did}">{_escape(description)}</desc>',
    ]


def flow_charts(flow: FlowView) -> FlowView:
    """`flow` with its charts drawn (`throughput_svg`, `cfd_svg`: what the page shows)."""
    return replace(
        flow,
        throughput_svg=throughput_svg(flow.throughput) if flow.throughput else "",
        cfd_svg=cfd_svg(flow.cfd) if flow.cfd else "",
    )


def cfd_svg(chart: CfdChart, width: int = 720, height: int = 320) -> str:
    """The cumulative-flow chart as an SVG document (a string)."""
    left, top, right = 44, 12, 12
    legend_rows = _legend_rows([s.name for s in chart.bands], width - left - right)
    bottom = 28 + 18 * len(legend_rows)
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(chart.days)
    totals = [sum(s.counts[i] for s in chart.bands) for i in range(n)]
    ticks = _ticks(max(totals, default=0))
    y_max = max(ticks[-1], 1)

    def x(i: int) -> float:
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + plot_h - plot_h * v / y_max

    out = _frame(chart.ident, width, height, chart.title, chart.description)
    for tick in ticks:
        out.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{_num(y(tick))}" y2="{_num(y(tick))}" '
            f'stroke="#ddd" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{left - 6}" y="{_num(y(tick) + 4)}" text-anchor="end" {_FONT}>{tick}</text>'
        )
    count = len(chart.bands)

    def colour(j: int) -> str:  # j: the column's index on the board; done gets the first
        return PALETTE[(count - 1 - j) % len(PALETTE)]

    below = [0] * n
    for j in reversed(range(count)):  # the done column is the last: draw it first
        series = chart.bands[j]
        above = [below[i] + series.counts[i] for i in range(n)]
        if n and any(series.counts):
            upper = [f"{_num(x(i))},{_num(y(above[i]))}" for i in range(n)]
            lower = [f"{_num(x(i))},{_num(y(below[i]))}" for i in reversed(range(n))]
            out.append(
                f'<polygon class="pd-cfd-band pd-col-{j}" fill="{colour(j)}" '
                f'points="{" ".join(upper + lower)}"><title>{_escape(series.name)}</title>'
                "</polygon>"
            )
        below = above
    out.append(
        f'<line x1="{left}" x2="{left + plot_w}" y1="{_num(y(0))}" y2="{_num(y(0))}" '
        f'stroke="#666" stroke-width="1"/>'
    )
    if n:
        marks = sorted({0, (n - 1) // 2, n - 1})
        for i in marks:
            anchor = "start" if i == 0 and n > 1 else "end" if i == n - 1 and n > 1 else "middle"
            out.append(
                f'<text x="{_num(x(i))}" y="{top + plot_h + 16}" text-anchor="{anchor}" '
                f"{_FONT}>{_escape(chart.days[i])}</text>"
            )
    legend_y = top + plot_h + 34
    j = 0
    for row in legend_rows:
        lx = left
        for name in row:
            out.append(
                f'<rect x="{lx}" y="{legend_y - 9}" width="10" height="10" fill="{colour(j)}"/>'
            )
            out.append(f'<text x="{lx + 14}" y="{legend_y}" {_FONT}>{_escape(name)}</text>')
            lx += 14 + _text_width(name) + 16
            j += 1
        legend_y += 18
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _text_width(text: str) -> int:
    return round(len(text) * 6.2)


def _legend_rows(names: list[str], width: int) -> list[list[str]]:
    rows: list[list[str]] = [[]]
    used = 0
    for name in names:
        need = 14 + _text_width(name) + 16
        if rows[-1] and used + need > width:
            rows.append([])
            used = 0
        rows[-1].append(name)
        used += need
    return rows if rows[0] else []


def throughput_svg(chart: BarChart, width: int = 720, height: int = 200) -> str:
    """Cards finished per week as a bar chart, oldest week on the left."""
    left, top, right, bottom = 44, 12, 12, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    weeks = chart.bars
    ticks = _ticks(max((w.count for w in weeks), default=0))
    y_max = max(ticks[-1], 1)
    out = _frame(chart.ident, width, height, chart.title, chart.description)
    for tick in ticks:
        ty = top + plot_h - plot_h * tick / y_max
        out.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{_num(ty)}" y2="{_num(ty)}" '
            f'stroke="#ddd" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{left - 6}" y="{_num(ty + 4)}" text-anchor="end" {_FONT}>{tick}</text>'
        )
    slot = plot_w / max(len(weeks), 1)
    for i, week in enumerate(weeks):
        bar_h = plot_h * week.count / y_max
        bx = left + slot * i + slot * 0.15
        label = _escape(week.label)
        out.append(
            f'<rect class="pd-bar" x="{_num(bx)}" y="{_num(top + plot_h - bar_h)}" '
            f'width="{_num(slot * 0.7)}" height="{_num(bar_h)}" fill="{PALETTE[4]}">'
            f"<title>{label}: {week.count}</title></rect>"
        )
        if i % max(1, len(weeks) // 6) == 0 or i == len(weeks) - 1:
            out.append(
                f'<text x="{_num(left + slot * i + slot / 2)}" y="{top + plot_h + 16}" '
                f'text-anchor="middle" {_FONT}>{label}</text>'
            )
    out.append("</svg>")
    return "\n".join(out) + "\n"
