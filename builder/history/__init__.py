"""History stage: what git says happened to each record, and the numbers built on it.

Reading (one pass over git per build, cached under `.plaindesk-cache/`):

- `read_history(content_root, workspace, today) -> History`: `History.records[(type, id)]`
  is a `RecordHistory` (created, every change of status / stage / assignee / due / owner /
  amount / title, renames, deletions, the last real change); `History.status` says what is
  missing (not a repository, shallow clone, uncommitted files).

Derived data (pure: `History + Workspace -> dataclasses`, no words, no markup):

- `task_timeline`, `deal_timeline`: a card's stays per column/stage, time in each, cycle time.
- `board_flow`, `project_flow`: cycle time (median, 85th percentile) per window,
  throughput per week, cumulative-flow data, stuck cards.
- `deal_idle`: idle days of open deals from git (`idle_problems`: the same as PD402
  warnings, to replace the `updated:`-based ones); `stage_conversions`: funnel conversion.
- `feed_events`: the changes the activity feed reports, newest first.

Nothing here words, formats or draws: the views (`builder.views.activity`, `.feed`,
`.charts`) say it in the site's language, the render stage (`builder.render.svg`, `.atom`)
draws the charts and writes the Atom feed.
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
from builder.history.feed import FeedEvent, feed_events, project_of
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
    project_flow,
    task_timeline,
)
from builder.history.reader import History, HistoryStatus, read_history

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
    "FeedEvent",
    "History",
    "HistoryStatus",
    "RecordHistory",
    "Stamp",
    "Stay",
    "StuckCard",
    "Timeline",
    "WeekCount",
    "board_flow",
    "board_tasks",
    "deal_idle",
    "deal_timeline",
    "feed_events",
    "idle_problems",
    "project_flow",
    "project_of",
    "read_history",
    "stage_conversions",
    "task_timeline",
]
