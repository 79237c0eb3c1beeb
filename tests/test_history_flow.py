"""Card timelines, board flow metrics and deal history views on the scripted repository:
exact time per column, cycle times, throughput, cumulative flow, stuck and idle flags,
stage conversions."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from gitrepo import GitRepo, build_scenario, front

from builder.history import (
    History,
    board_flow,
    deal_idle,
    deal_timeline,
    idle_problems,
    project_flow,
    read_history,
    stage_conversions,
    task_timeline,
)
from builder.history.flow import percentile, project_stuck
from builder.model import Workspace
from builder.pipeline import run_check
from builder.views.activity import format_days
from builder.views.feed import feed_entries

TODAY = date(2026, 3, 16)
KYIV = timezone(timedelta(hours=2))
H = timedelta(hours=1)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[History, Workspace]:
    repo = build_scenario(tmp_path_factory.mktemp("flow"))
    ws = run_check(repo.content, TODAY).workspace
    return read_history(repo.content, ws, TODAY, use_cache=False), ws


def test_time_in_each_column(world: tuple[History, Workspace]) -> None:
    history, ws = world
    tl = task_timeline(history, ws, "mockups")
    assert tl is not None
    assert [(s.column, s.entered, s.duration, s.by.person) for s in tl.stays] == [
        ("queue", datetime(2026, 3, 2, 10, tzinfo=KYIV), 23 * H, "anna-k"),
        ("accepted", datetime(2026, 3, 3, 9, tzinfo=KYIV), 24 * H, "anna-k"),
        ("design", datetime(2026, 3, 4, 9, tzinfo=KYIV), 5 * 24 * H + 6 * H, "anna-k"),
        ("approval", datetime(2026, 3, 9, 15, tzinfo=KYIV), 3 * 24 * H + 15.5 * H, "anna-k"),
        # Released at 06:30 Kyiv on 03-13; "now" is the end of 03-16 in Kyiv.
        ("released", datetime(2026, 3, 13, 6, 30, tzinfo=KYIV), 3 * 24 * H + 17.5 * H, "anna-k"),
    ]
    assert [(c.name, round(c.days, 4)) for c in tl.totals] == [
        ("Queue", 0.9583),
        ("Accepted", 1.0),
        ("Design", 5.25),
        ("Client approval", 3.6458),
        ("Released", 3.7292),
    ]
    assert tl.started == datetime(2026, 3, 3, 9, tzinfo=KYIV)
    assert tl.cycle == 9 * 24 * H + 21.5 * H
    assert tl.complete


def test_open_card_has_no_cycle_time(world: tuple[History, Workspace]) -> None:
    history, ws = world
    tl = task_timeline(history, ws, "homepage-copy")
    assert tl is not None
    assert [(s.column, s.duration) for s in tl.stays] == [
        ("queue", 3 * 24 * H + 23 * H),  # the broken commit of 03-05 changes nothing
        ("accepted", 10 * 24 * H + 15 * H),
    ]
    assert tl.cycle is None and tl.finished is None
    assert task_timeline(history, ws, "copy") == tl  # the old id still leads here
    assert task_timeline(history, ws, "no-such-task") is None


def test_board_cycle_time_and_throughput(world: tuple[History, Workspace]) -> None:
    history, ws = world
    flow = project_flow(history, ws, "site")
    assert [(c.days, c.count, c.median, c.p85) for c in flow.cycle] == [
        (30, 1, 9.895833333333334, 9.895833333333334),
        (90, 1, 9.895833333333334, 9.895833333333334),
    ]
    assert len(flow.throughput) == 12
    assert [(w.week, w.count) for w in flow.throughput[-3:]] == [
        (date(2026, 3, 2), 0),
        (date(2026, 3, 9), 1),
        (date(2026, 3, 16), 0),
    ]


def test_cumulative_flow_counts_cards_at_the_end_of_each_day(
    world: tuple[History, Workspace],
) -> None:
    history, ws = world
    cfd = project_flow(history, ws, "site").cfd
    assert cfd.days[-1] == TODAY and len(cfd.days) == 90
    tail = {s.column: s.counts[-16:] for s in cfd.series}
    assert cfd.days[-16] == date(2026, 3, 1)
    # old-brief joins the queue on 03-03 and is deleted on 03-09.
    assert tail["queue"] == [0, 2, 2, 2, 2, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]
    assert tail["accepted"] == [0, 0, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]
    assert tail["design"] == [0, 0, 0, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1]
    assert tail["approval"] == [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0]
    assert tail["released"] == [0] * 12 + [1, 1, 1, 1]


def test_stuck_cards(world: tuple[History, Workspace]) -> None:
    history, ws = world
    stuck = project_flow(history, ws, "site").stuck
    assert [(s.task, s.column, s.days, s.threshold, s.reason) for s in stuck] == [
        ("banner", "design", 12.625, 5.0, "limit"),
    ]
    assert project_stuck(history, ws, "site") == stuck  # without the rest of the flow


def test_stuck_by_the_85th_percentile(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path)
    wf = "workflows:\n  w:\n    columns: [todo, doing, done]\n"
    cards = [f"c{i}" for i in range(6)]
    repo.write({"workspace.yml": "timezone: UTC\n" + wf})
    repo.write({"projects/p.md": front(name="P", company="x", workflow="w")})
    repo.write({f"tasks/{c}.md": front(title=c, project="p", status="doing") for c in cards})
    repo.commit("2026-03-01T00:00:00+00:00")
    for day, card in enumerate(cards[:5], start=2):  # stays in doing: 1, 2, 3, 4, 5 days
        repo.write({f"tasks/{card}.md": front(title=card, project="p", status="done")})
        repo.commit(f"2026-03-0{day}T00:00:00+00:00")
    ws = run_check(repo.content, date(2026, 3, 8)).workspace
    history = read_history(repo.content, ws, date(2026, 3, 8), use_cache=False)
    flow = project_flow(history, ws, "p")
    assert flow.column_p85 == {"doing": 5.0}
    # c5 has been in `doing` since 03-01 00:00: 8 days at the end of 03-08.
    assert [(s.task, s.days, s.threshold, s.reason) for s in flow.stuck] == [
        ("c5", 8.0, 5.0, "p85")
    ]
    assert project_stuck(history, ws, "p") == flow.stuck
    assert [c.count for c in flow.cycle] == [5, 5]
    assert flow.cycle[0].median == 3.0 and flow.cycle[0].p85 == 5.0


def test_the_dashboard_lists_the_longest_stuck_cards_and_counts_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Across boards, longest stuck first, cut at the dashboard's list length; the rest
    are counted and the line under the list points at the boards."""
    from builder.render.pages import SiteOptions
    from builder.site.generate import generate
    from builder.views import activity, dashboard

    monkeypatch.setattr(dashboard, "LIST_CAP", 2)
    repo = GitRepo(tmp_path)
    wf = "workflows:\n  w:\n    columns: [todo, {id: doing, name: Doing, limit_days: 1}, done]\n"
    repo.write({"workspace.yml": "timezone: UTC\n" + wf})
    for p in ("p", "q"):
        repo.write({f"projects/{p}.md": front(name=p.upper(), workflow="w")})
    for day, (card, project) in enumerate(
        [("a", "q"), ("b", "p"), ("c", "q"), ("d", "p")], start=1
    ):  # in doing since the 1st..4th
        repo.write({f"tasks/{card}.md": front(title=card.upper(), project=project, status="doing")})
        repo.commit(f"2026-03-0{day}T00:00:00+00:00")
    today = date(2026, 3, 10)
    ws = run_check(repo.content, today).workspace
    history = read_history(repo.content, ws, today, use_cache=False)
    views, count = activity.stuck_cards(history, ws, limit=2)
    assert [(v.card.text, v.reason) for v in views] == [
        ("A", "10 days in Doing (limit 1 day)"),
        ("B", "9 days in Doing (limit 1 day)"),
    ]
    assert count == 4
    generate(repo.content, tmp_path / "tree", SiteOptions(), today)
    home = (tmp_path / "tree" / "index.md").read_text(encoding="utf-8")
    stuck = home[home.index('<h2 id="stuck">') : home.index("</section>", home.index('id="stuck"'))]
    assert stuck.count("<li") == 2
    assert (
        '<p class="pd-more pd-muted"><a href="boards/">…and 2 more: each project&#39;s '
        "board marks its stuck cards</a></p>"
    ) in stuck


def test_card_moved_in_the_working_tree_is_not_stuck(tmp_path: Path) -> None:
    repo = build_scenario(tmp_path)
    repo.write({"tasks/site/banner.md": front(title="Banner", project="site", status="approval")})
    ws = run_check(repo.content, TODAY).workspace
    history = read_history(repo.content, ws, TODAY, use_cache=False)
    assert project_flow(history, ws, "site").stuck == []


def test_board_of_any_task_set(world: tuple[History, Workspace]) -> None:
    history, ws = world
    flow = board_flow(history, ws, ["mockups"], ws.settings.workflows["web"], windows=(7,))
    assert [(c.days, c.count) for c in flow.cycle] == [(7, 1)]
    assert flow.stuck == []


def test_deal_idle_is_measured_from_git(world: tuple[History, Workspace]) -> None:
    history, ws = world
    idle = deal_idle(history, ws)
    assert sorted(idle) == ["kyiv-opera", "tau-retainer"]  # finlo is lost: closed
    opera = idle["kyiv-opera"]
    assert (opera.stage, opera.last, opera.days, opera.limit, opera.idle, opera.source) == (
        "negotiation",
        date(2026, 3, 13),
        3,
        5,
        False,
        "git",
    )
    tau = idle["tau-retainer"]
    # Its hand-kept `updated: 2026-03-15` says otherwise; git wins.
    assert (tau.last, tau.days, tau.limit, tau.idle, tau.source) == (
        date(2026, 3, 2),
        14,
        10,
        True,
        "git",
    )


def test_idle_problems_point_at_the_stage(world: tuple[History, Workspace]) -> None:
    history, ws = world
    problems = idle_problems(history, ws)
    assert [(p.code, p.path.rsplit("/", 2)[-2:], p.line, p.message) for p in problems] == [
        (
            "PD402",
            ["deals", "tau-retainer.md"],
            4,
            "deal idle for 14 days in stage `qualified` (limit 10; last change 2026-03-02 in git)",
        )
    ]


def test_deal_idle_without_git_uses_the_updated_field(tmp_path: Path) -> None:
    repo = build_scenario(tmp_path / "repo")
    plain = tmp_path / "plain"
    plain.mkdir()
    shutil.copytree(repo.content, plain / "content")
    ws = run_check(plain / "content", TODAY).workspace
    history = read_history(plain / "content", ws, TODAY)
    tau = deal_idle(history, ws)["tau-retainer"]
    assert (tau.last, tau.days, tau.idle, tau.source) == (date(2026, 3, 15), 1, False, "updated")
    assert deal_idle(history, ws)["kyiv-opera"].source == "none"


def test_deal_with_uncommitted_edits_was_touched_today(tmp_path: Path) -> None:
    repo = build_scenario(tmp_path)
    repo.write(
        {
            "deals/tau-retainer.md": front(
                title="Tau retainer", company="kyiv-opera", stage="qualified"
            )
        }
    )
    ws = run_check(repo.content, TODAY).workspace
    history = read_history(repo.content, ws, TODAY, use_cache=False)
    tau = deal_idle(history, ws)["tau-retainer"]
    assert (tau.days, tau.idle, tau.source) == (0, False, "uncommitted")


def test_stage_conversions_from_actual_transitions(world: tuple[History, Workspace]) -> None:
    history, ws = world
    rows = stage_conversions(history, ws, "sales")
    assert [(r.stage, r.next_stage, r.entered, r.advanced, r.rate) for r in rows] == [
        ("lead", "qualified", 2, 1, 0.5),  # kyiv-opera skipped qualified: still went on
        ("qualified", "proposal", 1, 0, 0.0),
        ("proposal", "negotiation", 1, 1, 1.0),
        ("negotiation", "won", 1, 0, 0.0),
    ]
    since = stage_conversions(history, ws, "sales", since=date(2026, 3, 10))
    assert [(r.stage, r.entered) for r in since] == [
        ("lead", 0),
        ("qualified", 0),
        ("proposal", 1),
        ("negotiation", 1),
    ]
    assert stage_conversions(history, ws, "no-such-pipeline") == []


def test_deal_timeline(world: tuple[History, Workspace]) -> None:
    history, ws = world
    tl = deal_timeline(history, ws, "kyiv-opera")
    assert tl is not None
    assert [(s.column, s.duration, s.by.name) for s in tl.stays] == [
        ("lead", 7 * 24 * H + 21 * H, "Oleh Petrenko"),
        ("proposal", 3 * 24 * H + 1 * H, "Oleh Petrenko"),
        ("negotiation", 3 * 24 * H + 14 * H, "Bot"),
    ]
    assert tl.cycle is None
    lost = deal_timeline(history, ws, "finlo")
    assert lost is not None and lost.cycle == 7 * 24 * H + 21 * H


def test_percentile_is_nearest_rank() -> None:
    assert percentile([]) is None
    assert percentile([4.0]) == 4.0
    assert percentile([float(v) for v in range(1, 21)]) == 17.0
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]) == 6.0


@pytest.mark.parametrize(
    ("days", "locale", "text"),
    [(1, "en", "1 day"), (3.5, "en", "3.5 days"), (5, "ru", "5 дней"), (2, "uk", "2 дні")],
)
def test_format_days(days: float, locale: str, text: str) -> None:
    assert format_days(days, locale) == text


def jsonable(value: object) -> object:
    """Views as JSON values: dataclasses and named tuples as objects, times as ISO text,
    durations in seconds."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple) and hasattr(value, "_asdict"):
        return {k: jsonable(v) for k, v in value._asdict().items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    return value


def test_view_models_snapshot(
    world: tuple[History, Workspace], snapshot: Callable[[str, object], None]
) -> None:
    history, ws = world
    flow = project_flow(history, ws, "site")
    snapshot(
        "history_views",
        jsonable(
            {
                "timeline_mockups": task_timeline(history, ws, "mockups"),
                "timeline_kyiv_opera": deal_timeline(history, ws, "kyiv-opera"),
                "flow_site": dataclasses.replace(
                    flow,
                    cfd=dataclasses.replace(
                        flow.cfd,
                        days=flow.cfd.days[-16:],
                        series=[
                            dataclasses.replace(s, counts=s.counts[-16:]) for s in flow.cfd.series
                        ],
                    ),
                ),
                "deal_idle": deal_idle(history, ws),
                "conversions": stage_conversions(history, ws, "sales"),
                "feed_latest": feed_entries(history, ws, "en", limit=3),
            }
        ),
    )


def test_a_card_that_arrived_done_has_no_cycle_and_no_throughput(tmp_path: Path) -> None:
    """An import of finished work: when it was finished is unknown, so it counts for
    neither cycle time nor the week's throughput."""
    repo = build_scenario(tmp_path / "repo")
    repo.write({"tasks/imported.md": front(title="Old work", project="site", status="released")})
    repo.commit("2026-03-14T10:00:00+02:00", message="Import finished work")
    ws = run_check(repo.content, TODAY).workspace
    history = read_history(repo.content, ws, TODAY, use_cache=False)
    tl = task_timeline(history, ws, "imported")
    assert tl is not None and (tl.finished, tl.cycle) == (None, None)
    before = project_flow(
        read_history(repo.content, ws, date(2026, 3, 13), use_cache=False), ws, "site"
    )
    after = project_flow(history, ws, "site")
    week = [w for w in after.throughput if w.week == date(2026, 3, 9)]
    old = [w for w in before.throughput if w.week == date(2026, 3, 9)]
    assert week and old and week[0].count == old[0].count
