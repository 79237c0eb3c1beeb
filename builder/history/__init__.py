"""History stage: what git says happened to each record, and the views built on it.

Reading (one pass over git per build, cached under `.plaindesk-cache/`):

- `read_history(content_root, workspace, today) -> History`: `History.records[(type, id)]`
  is a `RecordHistory` (created, every change of status / stage / assignee / due / owner /
  amount / title, renames, deletions, the last real change); `History.status` says what is
  missing (not a repository, shallow clone, uncommitted files) and `.notes(locale)` says
  it in words.

Views (pure: `History + Workspace -> dataclasses`, no MkDocs or Jinja):

- `task_timeline`, `deal_timeline`: a card's stays per column/stage, time in each, cycle time.
- `board_flow`, `project_flow`: cycle time (median, 85th percentile) per window,
  throughput per week, cumulative-flow data, stuck cards.
- `deal_idle`: idle days of open deals from git (`idle_problems`: the same as PD402
  warnings, to replace the `updated:`-based ones); `stage_conversions`: funnel conversion.
- `feed`, `feed_entries`: the activity feed; `atom`: the same as an Atom document.
- `cfd_svg`, `throughput_svg`: the charts as static SVG.
"""

from __future__ import annotations

from builder.history.deals import (
    Conversion,
    DealIdle,
    deal_idle,
    deal_timeline,
    idle_problems,
    stage_conversions,
)
from builder.history.events import Author, Change, RecordHistory, Stamp
from builder.history.feed import FeedDay, FeedEntry, Part, atom, feed, feed_entries
from builder.history.flow import (
    BoardFlow,
    Cfd,
    CfdSeries,
    ColumnTime,
    CycleStats,
    Stay,
    StuckCard,
    Timeline,
    WeekCount,
    board_flow,
    board_tasks,
    format_days,
    project_flow,
    task_timeline,
)
from builder.history.reader import History, HistoryStatus, read_history
from builder.history.svg import cfd_svg, throughput_svg

__all__ = [
    "Author",
    "BoardFlow",
    "Cfd",
    "CfdSeries",
    "Change",
    "ColumnTime",
    "Conversion",
    "CycleStats",
    "DealIdle",
    "FeedDay",
    "FeedEntry",
    "History",
    "HistoryStatus",
    "Part",
    "RecordHistory",
    "Stamp",
    "Stay",
    "StuckCard",
    "Timeline",
    "WeekCount",
    "atom",
    "board_flow",
    "board_tasks",
    "cfd_svg",
    "deal_idle",
    "deal_timeline",
    "feed",
    "feed_entries",
    "format_days",
    "idle_problems",
    "project_flow",
    "read_history",
    "stage_conversions",
    "task_timeline",
    "throughput_svg",
]
