"""The portal view model: phases, grouping, progress, people and the timeline, exactly."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import asdict
from datetime import date
from pathlib import Path

import pytest
from portal_cases import MakeWorkspace

from builder.model import Column, Task, Workflow
from builder.pipeline import run_check
from builder.portal.timeline import Timeline, TimelineBar, TimelineTick
from builder.portal.view import (
    PortalMetric,
    PortalPerson,
    PortalTask,
    PortalView,
    build_view,
    phase_of,
)

FILES = {
    "workspace.yml": """\
name: Agency
locale: en
today: 2026-03-16
workflows:
  web:
    columns:
      - queue
      - doing
      - {id: approval, name: Client approval}
      - released
portal:
  assignee: role
  done_recent_days: 7
""",
    "people/anna.md": """\
---
name: Anna Kovalenko
role: Account director
email: anna@agency.example
phone: "+380 44 000 0000"
rate: 45 USD
---
""",
    "people/oleh.md": "---\nname: Oleh Petrenko\nrole: Designer\nemail: oleh@agency.example\n---\n",
    "companies/opera.md": """\
---
name: Kyiv Opera
kind: client
manager: anna
portal: {enabled: true, locale: uk}
---
""",
    "projects/season.md": """\
---
name: Season 2026
company: opera
manager: anna
status: active
start: 2026-02-01
due: 2026-04-30
metrics:
  - {name: Press mentions, target: 40, actual: 12, unit: articles}
  - {name: Reach, target: 0, actual: 5}
  - {name: Tickets, target: 10, actual: 15}
  - {name: Not measured yet, target: 10}
  - {name: Page load, target: 2.5, actual: 3.8, unit: s, better: lower}
  - {name: Cost per lead, target: 12, actual: 9, better: lower}
  - {name: Almost, target: 1000, actual: 999}
client_summary: Hello **there**.
---
""",
    "projects/archive.md": """\
---
name: Archive
company: opera
status: done
start: 2025-09-01
---
""",
    "projects/dropped.md": "---\nname: Dropped\ncompany: opera\nstatus: cancelled\n---\n",
    "projects/later.md": "---\nname: Later\ncompany: opera\nstatus: planned\nmanager: oleh\n---\n",
    "tasks/t1.md": """\
---
title: Mockups
project: season
status: doing
assignee: oleh
start: 2026-03-02
due: 2026-03-12
client_visible: true
---
""",
    "tasks/t2.md": """\
---
title: Approve mockups
project: season
status: approval
assignee: oleh
due: 2026-03-18
client_visible: true
---
""",
    "tasks/t3.md": """\
---
title: Press list
project: season
status: queue
client_visible: true
---
""",
    "tasks/t4.md": """\
---
title: Release
project: season
status: released
due: 2026-03-10
client_visible: true
---
""",
    "tasks/t5.md": """\
---
title: Old release
project: season
status: released
due: 2026-02-20
client_visible: true
---
""",
    "tasks/t6.md": "---\ntitle: Internal\nproject: season\nstatus: doing\n---\n",
    "tasks/t7.md": "---\ntitle: Kickoff\nproject: season\nclient_visible: true\n---\n",
}


@pytest.fixture
def view(tmp_path: Path, make_workspace: MakeWorkspace) -> PortalView:
    result = run_check(make_workspace(tmp_path, FILES))
    assert [p.headline() for p in result.errors] == []
    return build_view(result.workspace, "opera", result.today)


def test_company_card_locale_and_date(view: PortalView) -> None:
    assert view.company == "Kyiv Opera"
    assert view.locale == "uk"
    assert view.updated == date(2026, 3, 16)
    assert view.done_recent_days == 7
    assert view.manager == PortalPerson(
        "Anna Kovalenko", "Account director", "anna@agency.example", "+380 44 000 0000"
    )
    assert view.manager.initials == "AK"


def test_projects_are_ordered_by_status_and_cancelled_ones_left_out(view: PortalView) -> None:
    assert [(p.anchor, p.name, p.status) for p in view.projects] == [
        ("project-1", "Season 2026", "active"),
        ("project-2", "Later", "planned"),
        ("project-3", "Archive", "done"),
    ]


def ref(task_id: str) -> str:
    """A task's portal reference as documented: "PD-" and the first five base32 letters
    of the SHA-256 of "plaindesk-task:<id>"."""
    digest = hashlib.sha256(f"plaindesk-task:{task_id}".encode()).digest()
    return "PD-" + base64.b32encode(digest).decode()[:5]


def test_tasks_are_grouped_by_client_phase(view: PortalView) -> None:
    season = view.projects[0]
    assert season.in_work == (
        PortalTask(
            "Mockups", "work", date(2026, 3, 2), date(2026, 3, 12), "Designer", ref=ref("t1")
        ),
    )
    assert season.review == (
        PortalTask("Approve mockups", "review", None, date(2026, 3, 18), "Designer", ref=ref("t2")),
    )
    assert season.next_up == (
        PortalTask("Kickoff", "next", None, None, "", ref=ref("t7")),
        PortalTask("Press list", "next", None, None, "", ref=ref("t3")),
    )
    # done within the last 7 days only; the hidden task is nowhere
    assert season.done_recent == (
        PortalTask("Release", "done", None, date(2026, 3, 10), "", ref=ref("t4")),
    )
    # whom the client's approvals go to: the company's manager, the project's being the same
    assert season.approver == PortalPerson(
        "Anna Kovalenko", "Account director", "anna@agency.example", "+380 44 000 0000"
    )
    assert (season.tasks_done, season.tasks_total, season.progress) == (2, 6, 33)


def test_progress_summary_manager_and_metrics(view: PortalView) -> None:
    season, later, archive = view.projects
    assert season.summary == "Hello **there**."
    assert season.manager is None  # the same person as the company's manager
    assert later.manager == PortalPerson("Oleh Petrenko", "Designer", "oleh@agency.example", "")
    assert (later.progress, later.timeline) == (None, None)
    assert (archive.progress, archive.tasks_total) == (100, 0)
    assert season.metrics == (
        PortalMetric("Press mentions", 40, 12, "articles", 30),
        PortalMetric("Reach", 0, 5, "", 100, reached=True),
        PortalMetric("Tickets", 10, 15, "", 100, reached=True),
        PortalMetric("Not measured yet", 10, None, "", None),
        # lower is better: 3.8 s against 2.5 s is two thirds of the way, not 100%
        PortalMetric("Page load", 2.5, 3.8, "s", 66, "lower"),
        PortalMetric("Cost per lead", 12, 9, "", 100, "lower", reached=True),
        # a target missed by a hair is not rounded up to "reached"
        PortalMetric("Almost", 1000, 999, "", 99),
    )


def test_timeline_geometry(view: PortalView) -> None:
    tl = view.projects[0].timeline
    # Feb 1 .. Apr 30 is 89 days; positions are percent of that, to three decimals
    assert tl == Timeline(
        start=date(2026, 2, 1),
        end=date(2026, 4, 30),
        ticks=(
            TimelineTick(date(2026, 2, 1), 0.0, True, True),
            TimelineTick(date(2026, 3, 1), 31.461, True, False),
            TimelineTick(date(2026, 4, 1), 66.292, True, False),
        ),
        project=TimelineBar("", "project", date(2026, 2, 1), date(2026, 4, 30), 0.0, 100.0, False),
        bars=(
            TimelineBar(
                "Old release", "done", date(2026, 2, 20), date(2026, 2, 20), 21.348, 1.124, True
            ),
            TimelineBar(
                "Mockups", "work", date(2026, 3, 2), date(2026, 3, 12), 32.584, 12.36, False
            ),
            TimelineBar(
                "Release", "done", date(2026, 3, 10), date(2026, 3, 10), 41.573, 1.124, True
            ),
            TimelineBar(
                "Approve mockups",
                "review",
                date(2026, 3, 18),
                date(2026, 3, 18),
                50.562,
                1.124,
                True,
            ),
        ),
        today=48.315,
    )


def test_first_name_mode_names_the_assignee_by_first_name(
    tmp_path: Path, make_workspace: MakeWorkspace
) -> None:
    files = dict(FILES)
    files["workspace.yml"] = FILES["workspace.yml"].replace(
        "assignee: role", "assignee: first_name"
    )
    result = run_check(make_workspace(tmp_path, files))
    season = build_view(result.workspace, "opera", result.today).projects[0]
    assert [t.assignee for t in season.in_work + season.review] == ["Oleh", "Oleh"]


def _leaves(value: object) -> list[object]:
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    if isinstance(value, list | tuple):
        return [leaf for v in value for leaf in _leaves(v)]
    return [value]


def test_view_holds_only_allow_listed_text(view: PortalView) -> None:
    """Every string in the whole view: allowed values and our own keywords, nothing else (no
    ids, no hidden task, no cancelled project, no rate, no body)."""
    texts = {leaf for leaf in _leaves(asdict(view)) if isinstance(leaf, str)}
    assert texts == {
        "", "Kyiv Opera", "uk",
        "Anna Kovalenko", "Account director", "anna@agency.example", "+380 44 000 0000",
        "Oleh Petrenko", "Designer", "oleh@agency.example",
        "Season 2026", "Later", "Archive", "Hello **there**.",
        "Press mentions", "Reach", "Tickets", "Not measured yet", "articles",
        "Page load", "Cost per lead", "Almost", "s", "higher", "lower",
        "Mockups", "Approve mockups", "Press list", "Kickoff", "Release", "Old release",
        "active", "planned", "done", "work", "review", "next", "project", "dates",
        "project-1", "project-2", "project-3",
        *(ref(task) for task in ("t1", "t2", "t3", "t4", "t7")),  # no hidden task's
    }  # fmt: skip


@pytest.mark.parametrize(
    ("status", "phase"),
    [
        ("queue", "next"),
        ("", "next"),  # no status: the backlog column
        ("done", "done"),
        ("doing", "work"),
        ("review", "work"),  # an internal review is work, not the client's
        ("client-approval", "review"),
        ("sign-off", "review"),  # by its name, "Согласование с клиентом"
        ("pogodzhennia", "review"),  # by its name, "Погодження"
    ],
)
def test_phase_of_a_column(status: str, phase: str) -> None:
    workflow = Workflow(
        "w",
        "w",
        (
            Column("queue", "Queue"),
            Column("doing", "Doing"),
            Column("review", "Review"),
            Column("client-approval", "Approval"),
            Column("sign-off", "Согласование с клиентом"),
            Column("pogodzhennia", "Погодження"),
            Column("done", "Done"),
        ),
        done="done",
        backlog="queue",
    )
    assert phase_of(Task(id="t", path="t.md", status=status), workflow) == phase
