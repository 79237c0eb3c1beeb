"""Serve's kept calendar (`views.calendar.KeptEvents`, `render.kept.CalendarKept`) equals
a fresh one after every kind of edit: each record's events, their index, the events'
texts, the pages' span digests and the feeds are those a new generation makes, and the
page tree is the one a fresh run writes, byte for byte."""

from __future__ import annotations

from pathlib import Path

from conftest import make_workspace
from site_cases import SMALL, TODAY
from test_incremental import edit, snapshot

from builder.render.kept import CalendarKept
from builder.render.pages import SiteOptions
from builder.site.generate import Generated, Kept, generate
from builder.views import calendar as cal
from builder.views.derived import derive

NEW_TASK = (
    "---\ntitle: New page\nproject: site\nstatus: queue\nassignee: oleh\ndue: 2026-03-25\n---\n"
)
NEW_DEAL = (
    "---\ntitle: New lead\ncompany: acme\nstage: lead\nowner: oleh\namount: 100 USD\n"
    "expected_close: 2026-04-15\nnext_step: {date: 2026-03-20, action: Send the deck}\n---\n"
)
LOOSE_TASK = "---\ntitle: Loose end\nstatus: review\ndue: 2026-03-27\n---\n"
WEB2 = "  web2:\n    done: review\n    columns: [queue, doing, review, done]\n  pr:"

#: (file, old text, new text); "" old: the file is written whole, None new: deleted. Each
#: edit is applied on top of the ones before it.
EDITS: list[tuple[str, str, str | None]] = [
    ("tasks/site-new.md", "", NEW_TASK),  # a task added
    ("tasks/loose.md", "", LOOSE_TASK),  # one with no project (an error): the default workflow
    ("tasks/site-copy.md", "status: doing", "status: review"),  # moved: no event changes
    ("tasks/site-new.md", "due: 2026-03-25", "due: 2026-04-05"),  # re-dated, another month
    ("tasks/site-new.md", "status: queue", "status: done"),  # closed
    ("tasks/site-new.md", "assignee: oleh", "assignee: anna\nstart: 2026-03-30"),  # a span
    ("tasks/press-release.md", "project: press\nstatus: writing", "project: site\nstatus: doing"),
    ("tasks/site-launch.md", "", None),  # a task deleted
    ("deals/new-lead.md", "", NEW_DEAL),  # a deal added
    ("deals/new-lead.md", "2026-04-15", "2026-04-25"),  # its close re-dated
    ("deals/new-lead.md", "stage: lead", "stage: proposal"),  # an open stage to another
    ("deals/big-lead.md", "stage: lead", "stage: won"),  # closed: its events go
    ("deals/uah-lead.md", "", None),  # a deal deleted
    ("people/oleh.md", "name: Oleh Petrenko", "name: Oleh P."),  # a person renamed
    ("projects/site.md", "name: Acme website", "name: Acme web shop"),  # a project renamed
    ("projects/site.md", "due: 2026-04-30", "due: 2026-05-15"),  # a project re-dated
    ("workspace.yml", "{id: doing, name: Doing, wip: 2}", "{id: doing, name: In work, wip: 2}"),
    # the default workflow's done column: the task with no project is done too
    ("workspace.yml", "  web:\n    columns:", "  web:\n    done: review\n    columns:"),
    ("workspace.yml", "  web:\n    done: review\n", "  web:\n"),  # and back
    ("workspace.yml", "  pr:", WEB2),  # a workflow added: no event changes
    ("projects/site.md", "workflow: web", "workflow: web2"),  # its tasks in review are done
    ("workspace.yml", "{id: proposal, name: Proposal,", "{id: proposal, name: Offer,"),
    ("workspace.yml", "name: Offer,", "name: Offer, outcome: lost,"),  # its deals closed
    ("contacts/petro.md", "follow_up: 2026-03-19", "follow_up: 2026-03-26"),
    ("projects/shop.md", "", None),  # a project deleted (its task names it still)
]


def same_calendar(kept: CalendarKept, fresh: CalendarKept, done: Generated) -> None:
    """The kept calendar holds what a new one made from the same workspace holds."""
    ws = done.result.workspace
    index, other = kept.index, fresh.index
    assert index is not None and other is not None
    assert index.all == cal.events(ws, derive(ws), TODAY) == other.all
    assert index.by_person == other.by_person
    assert index.by_project == other.by_project
    assert kept.events.made == fresh.events.made
    assert kept.events.digests == fresh.events.digests
    assert kept.events.tables == fresh.events.tables
    assert {i: t for i, (_, t) in kept.texts.items()} == {id(e): repr(e) for e in index.all}
    assert all(kept.texts[id(e)][0] is e for e in index.all)
    # every page's span digest is the one a new calendar makes (a page that went, a
    # project deleted, may leave its span's: valid while no event of it changes)
    assert fresh.shown.items() <= kept.shown.items()
    assert kept.feeds == fresh.feeds


def test_the_kept_calendar_equals_a_fresh_one_after_each_edit(tmp_path: Path) -> None:
    root = make_workspace(tmp_path, SMALL)
    kept, tree = Kept(), tmp_path / "kept"
    generate(root, tree, SiteOptions(), None, kept=kept, history=False)
    for n, (rel, old, new) in enumerate(EDITS):
        edit(root, rel, old, new)
        done = generate(root, tree, SiteOptions(), None, kept=kept, history=False)
        fresh_kept, fresh_tree = Kept(), tmp_path / f"fresh-{n}"
        generate(root, fresh_tree, SiteOptions(), None, kept=fresh_kept, history=False)
        assert snapshot(tree) == snapshot(fresh_tree), (rel, new)
        same_calendar(kept.render.calendar, fresh_kept.render.calendar, done)


def test_serves_event_store_is_a_builds_and_is_left_alone_while_no_feed_changes(
    tmp_path: Path,
) -> None:
    """With a store of serialised events (`cache_dir`), serve reads and writes it only when
    a feed is made again, and then it holds what a build's holds: every event of the
    feeds, not only those of the feeds made."""
    root = make_workspace(tmp_path, SMALL)
    kept, tree = Kept(), tmp_path / "kept"
    serving = SiteOptions(cache_dir=tmp_path / "serve-cache")
    generate(root, tree, serving, None, kept=kept, history=False)
    store = tmp_path / "serve-cache" / "ical-events.json"
    first, stamp = store.read_bytes(), store.stat().st_mtime_ns
    edit(root, "tasks/site-copy.md", "status: doing", "status: review")  # no event changes
    generate(root, tree, serving, None, kept=kept, history=False)
    assert store.read_bytes() == first and store.stat().st_mtime_ns == stamp
    # an event changed (the team's feed is made again), then a person's name (their feed)
    edits = [
        ("tasks/site-copy.md", "due: 2026-03-18", "due: 2026-03-19"),
        ("people/oleh.md", "name: Oleh Petrenko", "name: Oleh P."),
    ]
    for n, (rel, old, new) in enumerate(edits):
        edit(root, rel, old, new)
        generate(root, tree, serving, None, kept=kept, history=False)
        built = SiteOptions(cache_dir=tmp_path / f"build-cache-{n}")
        generate(root, tmp_path / f"fresh-{n}", built, None, history=False)
        assert snapshot(tree) == snapshot(tmp_path / f"fresh-{n}")
        assert store.read_bytes() != first
        assert store.read_bytes() == (tmp_path / f"build-cache-{n}/ical-events.json").read_bytes()
