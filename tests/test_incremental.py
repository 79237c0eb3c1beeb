"""The serve loop's caches give the same answers as a fresh run: after every edit, a check
with the kept CheckCache equals a check from scratch (records and problems)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

import pytest
from conftest import make_workspace
from site_cases import SMALL

from builder.pipeline import CheckCache, CheckResult, run_check
from builder.render.ical import FeedWriter
from builder.render.pages import SiteOptions
from builder.site.generate import Kept, generate
from builder.views.calendar import Event

TABLES = ("people", "companies", "contacts", "projects", "tasks", "deals")
KINDS = dict(zip(TABLES, ("person", "company", "contact", "project", "task", "deal"), strict=True))


def tables(result: CheckResult) -> dict[str, object]:
    return {name: getattr(result.workspace, name) for name in TABLES}


def write(path: Path, text: str) -> None:
    """Save as an editor does, and make sure the stat differs even on a coarse clock."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 10**9, before + 10**9))


def edit(root: Path, rel: str, old: str, new: str | None) -> None:
    """Edit `rel` under `root`: `old` replaced by `new`; a new file when `old` is empty;
    deleted when `new` is None."""
    path = root / rel
    if new is None:
        path.unlink()
    elif not old:
        write(path, new)
    else:
        text = path.read_text(encoding="utf-8")
        assert old in text, rel
        write(path, text.replace(old, new))


def test_a_kept_check_cache_answers_as_a_fresh_check(tmp_path: Path) -> None:
    root = make_workspace(tmp_path, SMALL)
    cache = CheckCache()

    def same() -> CheckResult:
        kept, fresh = run_check(root, None, cache), run_check(root)
        assert kept.problems == fresh.problems
        # but a record whose edited file has errors stands in its last good version
        stale = kept.workspace.stale
        assert fresh.workspace.stale == {}
        assert (
            {
                name: {i: r for i, r in table.items() if (name[:-1], i) not in stale}  # type: ignore[attr-defined]
                for name, table in tables(kept).items()
            }
            == {
                name: {i: r for i, r in table.items() if (name[:-1], i) not in stale}  # type: ignore[attr-defined]
                for name, table in tables(fresh).items()
            }
        )
        return kept

    same()
    task = root / "tasks/site-copy.md"
    text = task.read_text(encoding="utf-8")
    write(task, text.replace("status: doing", "status: review"))
    assert same().workspace.tasks["site-copy"].status == "review"
    # no status: the first column of the project's workflow, which changes with the project
    write(task, text.replace("status: doing\n", ""))
    assert same().workspace.tasks["site-copy"].status == "queue"
    project = root / "projects/site.md"
    write(project, project.read_text(encoding="utf-8").replace("workflow: web", "workflow: pr"))
    assert same().workspace.tasks["site-copy"].status == "backlog"
    # settings change every record's typing (custom fields, currencies)
    settings = root / "workspace.yml"
    write(settings, settings.read_text(encoding="utf-8").replace("UAH: 0.025", "UAH: 0.03"))
    same()
    write(task, text.replace("status: doing", "status: nowhere"))
    broken = same()
    assert [p.code for p in broken.problems if p.path.endswith("site-copy.md")] == ["PD202"]
    assert broken.workspace.stale == {("task", "site-copy"): str(task)}
    assert broken.workspace.tasks["site-copy"].status == "backlog"  # as last checked clean
    (root / "contacts/petro.md").unlink()
    assert "petro" not in same().workspace.contacts
    # the rules run again for the records an edit may change the answer for, only
    write(task, text.replace("Write the homepage copy", "Write the copy"))
    same()
    assert cache.rules.checked == 1
    anna = root / "people/anna.md"
    anna_text = anna.read_text(encoding="utf-8")
    write(anna, anna_text.replace("role:", "active: false\nrole:"))  # her tasks: PD404
    assert "PD404" in {p.code for p in same().problems}
    assert cache.rules.checked == 1 + sum(
        t.assignee == "anna" for t in run_check(root).workspace.tasks.values()
    )
    write(anna, anna_text)
    same()
    oleh = root / "people/oleh.md"
    oleh_text = oleh.read_text(encoding="utf-8")
    oleh.unlink()  # every record that may name a person: PD201 where one did
    assert "PD201" in {p.code for p in same().problems}
    assert cache.rules.checked == sum(
        len(run_check(root).workspace.table(k))
        for k in ("company", "contact", "project", "task", "deal")
    )
    write(oleh, oleh_text)
    assert "PD201" not in {p.code for p in same().problems}
    assert len(cache.typed) == len(list(root.rglob("*.md")))


#: more for the counting warnings: contacts that share an e-mail or a phone (PD406), a
#: published outreach entry without a link (PD407)
CONTACTS = {
    "contacts/dup-a.md": "---\nname: Dup A\nemail: same@example.com\n---\n",
    "contacts/dup-b.md": "---\nname: Dup B\nemail: Same@example.com\n"
    "phone: +380 44 123 4567\n---\n",
    "contacts/dup-c.md": "---\nname: Dup C\nphone: +380441234567\n---\n",
    "contacts/dup-d.md": "---\nname: Dup D\nemail: d@example.com\n---\n",
    "contacts/press.md": "---\nname: Press\nlog:\n  - 2026-03-10 anna site published\n---\n",
}

#: (file, old text, new text) applied in turn: "" old text writes the file anew, None new
#: text deletes it; `whole`: the check is made whole (not from the last one and the edit)
EDITED: list[tuple[str, str | None, str | None, bool]] = [
    ("tasks/site-review.md", "status: review", "status: doing", False),  # WIP over (PD405)
    ("tasks/site-copy.md", "status: doing", "status: review", False),
    ("tasks/site-copy.md", "project: site\nstatus: review", "project: shop\nstatus: doing", False),
    ("tasks/site-copy.md", "assignee: anna", "assignee: ivan", False),  # inactive (PD404)
    # out of a column over its limit, into another
    ("tasks/site-review.md", "project: site\nstatus: doing", "project: shop\nstatus: doing", False),
    ("people/ivan.md", "active: false", "active: true", False),  # the person read by tasks
    ("people/anna.md", "capacity: 40", "capacity: 40\nrate: 40 USD", False),  # PD408 gone
    ("people/anna.md", "rate: 40 USD", "rate: 40 GBP", False),  # no rate to USD (PD204)
    ("tasks/site-mockups.md", "oleh 3h", "ivan 3h", False),  # the minutes move to ivan
    ("tasks/site-mockups.md", "ivan 3h", "nobody 3h", False),  # unknown person (PD201)
    ("tasks/site-hosting.md", "due: 2026-03-20", "due: 2026-03-02", False),  # overdue
    ("tasks/site-hosting.md", "status: doing", "status: nowhere", False),  # PD202, stands in
    ("tasks/site-hosting.md", "status: nowhere", "status: done", False),
    ("tasks/site-hosting.md", "status: done\n", "", False),  # the project's first column
    ("projects/site.md", "name: Acme website", "name: Acme web", False),
    ("projects/shop.md", "workflow: web", "workflow: none", True),  # tasks' default changes
    ("projects/shop.md", "workflow: none", "workflow: web", True),
    ("projects/site.md", "budget: 5000 USD", "budget: 5000 GBP", False),
    ("deals/uah-lead.md", "stage: lead", "stage: nowhere", False),  # PD203
    ("deals/uah-lead.md", "updated: 2026-03-10", "updated: 2026-01-10", False),
    ("deals/uah-lead.md", "stage: nowhere", "stage: proposal", False),  # idle (PD402)
    ("deals/big-lead.md", "stage: lead", "pipeline: none\nstage: lead", False),  # PD205
    ("contacts/olena.md", "follow_up: 2026-03-12", "follow_up: 2026-03-20", False),
    ("contacts/dup-a.md", "same@example.com", "a@example.com", False),  # B alone now
    ("contacts/dup-a.md", "a@example.com", "same@example.com", False),
    ("contacts/dup-b.md", "Same@example.com", "other@example.com", False),  # phone now: C
    ("contacts/dup-a.md", "same@example.com", "d@example.com", False),  # A and D
    ("contacts/dup-c.md", "+380441234567", "+380 44 765 4321", False),
    ("contacts/dup-b.md", "name: Dup B", "name: Dup B\nemail: d@example.com", False),  # twice
    ("contacts/dup-b.md", "name: Dup B\nemail: d@example.com", "name: Dup B", False),
    ("contacts/dup-c.md", "765 4321", "123 4567", False),
    ("contacts/press.md", "site published", "site published https://x.example/a", False),
    ("contacts/press.md", "https://x.example/a", "", False),  # published, no link (PD407)
    ("contacts/petro.md", "name: Petro Melnyk", "name: Petro", False),
    ("contacts/petro.md", "", None, True),  # deleted: who named him (PD201)
    ("contacts/petro.md", "", "---\nname: Petro\ncompany: bank\n---\n", True),  # back
    ("tasks/site-launch.md", "title: Launch", "title: Launch: [", True),  # unreadable
    ("tasks/site-launch.md", "title: Launch: [", "title: Launch it", True),
    ("tasks/sub/site-launch.md", "", "---\ntitle: Twin\nproject: site\n---\n", True),
    ("tasks/sub/site-launch.md", "title: Twin", "title: Twin again", True),  # duplicate id
    ("tasks/site-launch.md", "title: Launch it", "title: Launch", True),
    ("tasks/sub/site-launch.md", "", None, True),
    ("tasks/site-brief.md", "status: done", "status: done", False),  # saved, unchanged
    ("notes/stray.md", "", "# Notes\n", True),  # a Markdown file outside the folders
    ("notes/stray.md", "# Notes", "# More notes", False),
    ("workspace.yml", "wip: 1", "wip: 3", True),  # the settings: every record
    # names no problem words: the records as checked, the settings' problems read again
    ("workspace.yml", "{id: review, name: Review", "{id: review, name: Checking", False),
    ("workspace.yml", "{id: lead, name: Lead", "{id: lead, name: Leads", False),
    ("workspace.yml", "name: Snapshot Agency", "name: Snapshot Agency\nfoo: bar", False),
    ("workspace.yml", "name: Snapshot Agency\nfoo: bar", "name: Snapshot Agency", False),
    ("workspace.yml", "UAH: 0.025", "UAH: 0.03", True),  # what typing reads
    ("tasks/shop-catalog.md", "status: doing", "status: review", False),
    # another workflow of the same first column: a task's status is not in it (PD202, the
    # task stands in as last good), then is again, then is not
    ("projects/shop.md", "workflow: web", "workflow: kanban", False),
    ("projects/shop.md", "workflow: kanban", "workflow: web", False),
    ("projects/shop.md", "workflow: web", "workflow: kanban", False),
    # edited while its project breaks it, made good by its project, then broken by an
    # edit of its own: the version its project made good stands in
    ("tasks/shop-catalog.md", "title: Catalogue page", "title: Catalogue", False),
    ("projects/shop.md", "workflow: kanban", "workflow: web", False),
    ("tasks/shop-catalog.md", "status: review", "status: nowhere", False),
]


def test_a_kept_check_of_the_files_edited_answers_as_a_fresh_check(tmp_path: Path) -> None:
    """Serve's check with the watcher's paths (`changed`): after every edit, the same
    problems in the same order, records and files left out as a check from scratch; edits
    of records in place are made from the last check, the others whole."""
    settings = SMALL["workspace.yml"].replace(
        "pipelines:", "  kanban:\n    columns: [queue, doing, done]\npipelines:"
    )
    root = make_workspace(tmp_path, {**SMALL, **CONTACTS, "workspace.yml": settings})
    cache, whole_cache = CheckCache(), CheckCache()  # the other checks whole each time
    run_check(root, None, cache)
    run_check(root, None, whole_cache)
    seen: set[str] = set()
    for rel, old, new, whole in EDITED:
        path = root / rel
        if new is None:
            path.unlink()
        elif not old:
            path.parent.mkdir(parents=True, exist_ok=True)
            write(path, new)
        else:
            text = path.read_text(encoding="utf-8")
            assert old in text, rel
            write(path, text.replace(old, new))
        wholes = cache.whole
        kept, fresh = run_check(root, None, cache, {rel}), run_check(root)
        assert (cache.whole > wholes) == whole, rel
        # as a kept check made whole: the same records stand in as last good
        made = run_check(root, None, whole_cache)
        assert (kept.problems, kept.left_out) == (made.problems, made.left_out)
        assert kept.workspace.stale == made.workspace.stale
        assert tables(kept) == tables(made)
        assert kept.problems == fresh.problems, (rel, old, new)
        stale = kept.workspace.stale  # files with errors that stand in as last good
        assert kept.left_out == [p for p in fresh.left_out if p not in stale.values()]
        for name, table in tables(kept).items():
            kind = KINDS[name]
            mine = {i: r for i, r in table.items() if (kind, i) not in stale}  # type: ignore[attr-defined]
            theirs = {
                i: r for i, r in getattr(fresh.workspace, name).items() if (kind, i) not in stale
            }
            assert list(mine.items()) == list(theirs.items()), (rel, name)
        seen |= {p.code for p in kept.problems}
    # every rule and warning was found on the way
    assert {
        f"PD{n}" for n in (201, 202, 203, 204, 205, 401, 402, 403, 404, 405, 406, 407, 408)
    } <= seen
    # a task moved: the check read one file and checked one record
    write(
        root / "tasks/site-review.md",
        (root / "tasks/site-review.md")
        .read_text(encoding="utf-8")
        .replace("status: doing", "status: queue"),
    )
    wholes = cache.whole
    assert (
        run_check(root, None, cache, {"tasks/site-review.md"}).problems == run_check(root).problems
    )
    assert (cache.whole, cache.rules.checked) == (wholes, 1)


# --- the serve loop's page memo: an edit re-renders only what it changes, and the pages
# --- it reuses are exactly what a fresh run writes ----------------------------------------

EDITS: list[tuple[str, str, str]] = [
    # (file, old text, new text): each edit is applied on top of the ones before it
    ("tasks/site-copy.md", "status: doing", "status: review"),  # columns, WIP, dashboard
    ("tasks/site-copy.md", "assignee: anna", "assignee: oleh"),  # two people's pages
    # two project boards (a column of the new project's workflow: a status that no longer
    # fits is an error, and serve would keep the card's last good version, see pipeline)
    ("tasks/press-list.md", "project: press\nstatus: backlog", "project: site\nstatus: queue"),
    ("projects/site.md", "name: Acme website", "name: Acme web shop"),  # names on cards
    ("people/oleh.md", "name: Oleh Petrenko", "name: Oleh P."),  # names everywhere
    ("contacts/petro.md", "tags: [journalist]", "tags: [journalist, radio]"),  # a new tag page
    ("deals/big-lead.md", "stage: lead", "stage: proposal"),  # funnels
    ("deals/big-lead.md", "amount: 1000 USD", "amount: 1500 USD"),  # its owner's page too
    ("companies/bank.md", "name: Kyiv Bank", "name: Kyiv Bank JSC"),  # directory, deal cards
    ("workspace.yml", "UAH: 0.025", "UAH: 0.03"),  # every money figure
    ("tasks/site-hosting.md", "due: 2026-03-20", "due: 2026-03-10"),  # now overdue
    ("tasks/site-mockups.md", "oleh 3h mock-ups", "oleh 4h mock-ups"),  # one timesheet week
    ("tasks/site-copy.md", "Copy for the hero", "Copy for the top"),  # its body: no report
    ("tasks/site-hosting.md", "status: doing", "status: done"),  # done: reports, events
    ("tasks/site-launch.md", "title: Launch", "title: Go live"),  # feeds, calendar pages
]


def test_a_kept_generation_told_the_files_edited_writes_what_a_fresh_one_writes(
    tmp_path: Path,
) -> None:
    """As serve generates: with the watcher's paths, the check is made from the last one
    (`pipeline._check_edits`) and every page is what a fresh generation writes."""
    root = make_workspace(tmp_path, SMALL)
    kept = Kept()
    kept_tree = tmp_path / "kept"
    generate(root, kept_tree, SiteOptions(), None, kept=kept, history=False)
    for n, (rel, old, new) in enumerate(EDITS):
        path = root / rel
        write(path, path.read_text(encoding="utf-8").replace(old, new))
        wholes = kept.check.whole
        generate(root, kept_tree, SiteOptions(), None, kept=kept, history=False, changed={rel})
        assert (kept.check.whole > wholes) == (rel == "workspace.yml"), rel
        fresh_tree = tmp_path / f"fresh-{n}"
        generate(root, fresh_tree, SiteOptions(), None, history=False)
        assert snapshot(kept_tree) == snapshot(fresh_tree), rel


@pytest.fixture
def feeds_made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the calendar feeds serialised since the test began (or was cleared)."""
    made: list[str] = []
    feed = FeedWriter.feed

    def counted(self: FeedWriter, events: Iterable[Event], name: str) -> bytes:
        made.append(name)
        out: bytes = feed(self, events, name)
        return out

    monkeypatch.setattr(FeedWriter, "feed", counted)
    return made


def test_a_kept_memo_writes_what_a_fresh_run_writes(tmp_path: Path, feeds_made: list[str]) -> None:
    root = make_workspace(tmp_path, SMALL)
    made = feeds_made  # the names of the calendar feeds the kept run made
    kept = Kept()
    kept_tree = tmp_path / "kept"
    generate(root, kept_tree, SiteOptions(), None, kept=kept, history=False)
    for n, (rel, old, new) in enumerate(EDITS):
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, rel
        write(path, text.replace(old, new))
        made.clear()
        done = generate(root, kept_tree, SiteOptions(), None, kept=kept, history=False)
        kept_made = list(made)
        fresh_tree = tmp_path / f"fresh-{n}"
        generate(root, fresh_tree, SiteOptions(), None, history=False)
        made[:] = kept_made
        assert snapshot(kept_tree) == snapshot(fresh_tree), rel
        assert done.written, rel  # every edit shows somewhere
        if n == 0:
            # a task's status: its page, its project's page and board, its assignee's page,
            # the all-projects boards and the pages with no key (they show everything);
            # no calendar page, no timesheet and no report (a move between open columns
            # changes no event, logs no time and leaves the task open)
            assert done.rendered == [
                "boards/all-by-person.md",
                "boards/all.md",
                "boards/index.md",
                "boards/site.md",
                "index.md",
                "people/anna.md",
                "problems.md",
                "projects/site.md",
                "reports/statements/index.md",
                "tasks/site-copy.md",
            ]
        reports = {r for r in done.rendered if r.startswith("reports/") and r.count("/") == 1}
        feeds = sorted(r for r in done.written if r.endswith(".ics"))
        if old == "Copy for the hero":  # no problem changed either
            assert reports == set()
            assert "problems.md" not in done.rendered
            assert feeds == []
        if new == "status: done":
            assert reports == {"reports/estimates.md", "reports/index.md", "reports/load.md"}
        if new == "title: Go live":  # the team's, its project's and its assignee's feeds
            assert feeds == [
                "calendar/people/oleh.ics",
                "calendar/projects/site.ics",
                "calendar/team.ics",
            ]
        # a feed is made again only when its events changed (the first edit's move between
        # open columns changed none)
        if n == 0 or old == "Copy for the hero":
            assert made == [], rel
        if new == "title: Go live":
            assert sorted(made) == [
                "Acme web shop · Snapshot Agency",
                "Oleh P. · Snapshot Agency",
                "Snapshot Agency",
            ]
        made.clear()
        if rel == "tasks/site-hosting.md":
            # a due date moved within March: the month's calendar pages (the team's March,
            # also the calendar's first page) and its project's; nobody is assigned
            shown = [r for r in done.rendered if r.startswith("calendar/")]
            assert shown == [
                "calendar/2026-03.md",
                "calendar/index.md",
                "calendar/projects/site.md",
            ]
        if rel == "tasks/site-mockups.md":
            shown = [r for r in done.rendered if r.startswith("reports/timesheets/")]
            assert shown == ["reports/timesheets/2026-03-09.md", "reports/timesheets/index.md"]
    # a deleted record's page goes, a new record's page comes
    (root / "tasks/site-launch.md").unlink()
    (root / "tasks/shop-new.md").write_text(
        "---\ntitle: New one\nproject: shop\n---\n", encoding="utf-8"
    )
    done = generate(root, kept_tree, SiteOptions(), None, kept=kept, history=False)
    generate(root, tmp_path / "fresh-last", SiteOptions(), None, history=False)
    assert snapshot(kept_tree) == snapshot(tmp_path / "fresh-last")
    assert done.removed == ["tasks/site-launch.md"] and "tasks/shop-new.md" in done.written


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def renders(
    root: Path, kept: Kept, tree: Path, rel: str, old: str, new: str, made: list[str] | None = None
) -> list[str]:
    """Apply one edit, generate with `kept`; what the kept run wrote must be what a fresh
    run writes. Returns the pages it rendered (not taken from the memo); `made`, the
    feeds' names the counting writer noted, is left as the kept run left it."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, rel
    write(path, text.replace(old, new))
    done = generate(root, tree, SiteOptions(), None, kept=kept, history=False)
    kept_made = list(made or ())
    fresh = tree.with_name(tree.name + "-fresh")
    generate(root, fresh, SiteOptions(), None, history=False)
    assert snapshot(tree) == snapshot(fresh), rel
    if made is not None:
        made[:] = kept_made
    return done.rendered


def test_a_person_renamed_renders_the_pages_that_show_their_name(tmp_path: Path) -> None:
    files = dict(SMALL)
    # Anna has an hourly cost: profitability shows her hours, not her name
    files["people/anna.md"] = files["people/anna.md"].replace(
        "capacity: 40", "capacity: 40\nrate: 50 USD"
    )
    root = make_workspace(tmp_path, files)
    kept, tree = Kept(), tmp_path / "kept"
    generate(root, tree, SiteOptions(), None, kept=kept, history=False)
    index = kept.render.calendar.index
    assert index is not None
    rendered = renders(root, kept, tree, "people/anna.md", "name: Anna Kovalenko", "name: Anna K.")
    # no event shows a person's name: the calendar's events are the last rebuild's
    assert kept.render.calendar.index is index
    # her page, calendar, tasks, deals, contact, company, projects; the boards and
    # funnels with her cards; the companies' list (she manages Acme); the team calendar
    # (its people list), the timesheets, load ahead and estimates (they name people);
    # the unkeyed pages. Not: the other people's pages, the contacts' lists (all and by
    # tag), profitability
    assert rendered == [
        "boards/all-by-person.md",
        "boards/all.md",
        "boards/index.md",
        "boards/press.md",
        "boards/site.md",
        "boards/unassigned.md",
        *(f"calendar/2026-0{m}.md" for m in range(2, 7)),
        "calendar/index.md",
        "calendar/people/anna.md",
        "companies/acme.md",
        "companies/index.md",
        "contacts/olena.md",
        "deals/big-lead.md",
        "deals/eur-proposal.md",
        "deals/march-loss.md",
        "deals/march-win.md",
        "funnels/index.md",
        "funnels/sales.md",
        "index.md",
        "people/anna.md",
        "people/index.md",
        "projects/press.md",
        "projects/site.md",
        "reports/estimates.md",
        "reports/load.md",
        *(
            f"reports/timesheets/{d}.md"
            for d in ("2026-01-26", "2026-02-02", "2026-02-09", "2026-02-16", "2026-02-23")
        ),
        *(f"reports/timesheets/{d}.md" for d in ("2026-03-02", "2026-03-09", "2026-03-16")),
        "reports/timesheets/index.md",
        "tasks/press-release.md",
        "tasks/site-brief.md",
        "tasks/site-copy.md",
        "tasks/site-review.md",
    ]
    # Oleh has no hourly cost: profitability names him; his page and its archive, not
    # Anna's
    rendered = renders(root, kept, tree, "people/oleh.md", "name: Oleh Petrenko", "name: Oleh P.")
    assert [r for r in rendered if r.startswith(("people/", "reports/index", "contacts/"))] == [
        "contacts/petro.md",
        "people/index.md",
        "people/oleh.md",
        "reports/index.md",
    ]
    # a person's rate: profitability, not the other people's pages
    rendered = renders(root, kept, tree, "people/anna.md", "rate: 50 USD", "rate: 60 USD")
    assert kept.render.calendar.index is index
    # a task's due date: the events are made again (the task's only)
    renders(root, kept, tree, "tasks/site-hosting.md", "due: 2026-03-20", "due: 2026-03-10")
    assert kept.render.calendar.index is not index
    # (the people list shows no rate: not made again)
    assert [r for r in rendered if r.startswith(("people/", "reports/index"))] == [
        "people/anna.md",
        "reports/index.md",
    ]


def test_a_stage_renamed_keeps_the_calendars_events_and_the_reports_texts(
    tmp_path: Path, feeds_made: list[str]
) -> None:
    """What serve keeps of the calendar and the reports is valid for the settings as
    typing reads them, not workspace.yml's text: a stage (or a column) renamed makes no
    event, no report text and no feed again; a setting typing reads (hours per day)
    makes them all."""
    made = feeds_made
    root = make_workspace(tmp_path, SMALL)
    kept, tree = Kept(), tmp_path / "kept"
    generate(root, tree, SiteOptions(), None, kept=kept, history=False)
    events = dict(kept.render.calendar.events.made)
    texts = dict(kept.render.reports.shown)
    made.clear()
    stage = ("{id: proposal, name: Proposal,", "{id: proposal, name: Offer,")
    rendered = renders(root, kept, tree, "workspace.yml", *stage, made=made)
    assert not [r for r in rendered if r.startswith(("calendar/", "reports/"))]
    assert made == []
    now = kept.render.calendar.events.made
    assert now.keys() == events.keys() and all(now[k][1] is events[k][1] for k in events)
    assert all(kept.render.reports.shown[k] is texts[k] for k in texts)
    # hours per day: every estimate is typed again, so the texts and events are made anew
    hours = ("base_currency: USD", "base_currency: USD\nhours_per_day: 7")
    made.clear()
    renders(root, kept, tree, "workspace.yml", *hours, made=made)
    now = kept.render.calendar.events.made
    assert not any(now[k][1] is events[k][1] for k in events if k in now)
    assert not any(kept.render.reports.shown[k] is texts[k] for k in texts)
    assert "Snapshot Agency" in made


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("{id: review, name: Review, wip: 1}", "{id: review, name: Checking, wip: 1}"),
        ("{id: review, name: Review, wip: 1}", "{id: review, name: Review}"),
        ("{id: doing, name: Doing, wip: 2}", "{id: doing, name: Doing, wip: 1}"),
    ],
    ids=["renamed", "limit-removed", "limit-lowered"],
)
def test_a_column_changed_shows_on_every_kept_swimlane(tmp_path: Path, old: str, new: str) -> None:
    """The boards' and people pages' swimlanes kept between rebuilds show their columns'
    names and WIP limits: a column renamed, or its limit changed, is on each of them as a
    fresh run shows it (they were once kept with the tasks they hold only)."""
    root = make_workspace(tmp_path, SMALL)
    kept, tree = Kept(), tmp_path / "kept"
    generate(root, tree, SiteOptions(), None, kept=kept, history=False)
    settings = root / "workspace.yml"
    write(settings, settings.read_text(encoding="utf-8").replace(old, new))
    generate(root, tree, SiteOptions(), None, kept=kept, history=False)
    generate(root, tmp_path / "fresh", SiteOptions(), None, history=False)
    assert snapshot(tree) == snapshot(tmp_path / "fresh")


def test_a_column_renamed_leaves_the_boards_archives_as_they_are(tmp_path: Path) -> None:
    """A board's archive shows its done cards beyond the board's cap, not its columns: a
    column renamed re-renders the board, not the archive (it is written as a fresh run
    writes it either way)."""
    from builder.views.paging import Limits

    files = dict(SMALL)
    for n in range(3):
        files[f"tasks/old-{n}.md"] = (
            f"---\ntitle: Old {n}\nproject: site\nstatus: done\ndue: 2026-01-0{n + 1}\n---\n"
        )
    root = make_workspace(tmp_path, files)
    kept, tree = Kept(), tmp_path / "kept"
    first = generate(
        root, tree, SiteOptions(limits=Limits(board_done=1)), None, kept=kept, history=False
    )
    assert "boards/site/done.md" in first.pages
    settings = root / "workspace.yml"
    write(settings, settings.read_text(encoding="utf-8").replace("name: Doing", "name: In work"))
    done = generate(
        root, tree, SiteOptions(limits=Limits(board_done=1)), None, kept=kept, history=False
    )
    assert "boards/site.md" in done.rendered
    assert "boards/site/done.md" not in done.rendered
    generate(
        root, tmp_path / "fresh", SiteOptions(limits=Limits(board_done=1)), None, history=False
    )
    assert snapshot(tree) == snapshot(tmp_path / "fresh")


def test_a_task_moved_between_open_columns_keeps_the_calendars_span_digests(
    tmp_path: Path,
) -> None:
    """A task moved between open columns gets its events made again, as they were: the
    calendar pages' digests of the events their spans show are kept (not hashed again for
    every page); a due date changed makes them anew."""
    root = make_workspace(tmp_path, SMALL)
    kept, tree = Kept(), tmp_path / "kept"
    generate(root, tree, SiteOptions(), None, kept=kept, history=False)
    shown = kept.render.calendar.shown
    assert shown
    task = root / "tasks/site-copy.md"
    write(task, task.read_text(encoding="utf-8").replace("status: doing", "status: review"))
    generate(root, tree, SiteOptions(), None, kept=kept, history=False)
    assert kept.render.calendar.shown is shown
    write(task, task.read_text(encoding="utf-8").replace("due: 2026-03-18", "due: 2026-03-19"))
    generate(root, tree, SiteOptions(), None, kept=kept, history=False)
    assert kept.render.calendar.shown is not shown
    generate(root, tmp_path / "fresh", SiteOptions(), None, history=False)
    assert snapshot(tree) == snapshot(tmp_path / "fresh")


def test_a_page_tree_deleted_while_serving_is_written_whole_again(tmp_path: Path) -> None:
    """Serve started from a build's state keeps the build's pages in its memo as "" (their
    text is in the tree): if the tree is then deleted, the next rebuild renders every page
    again rather than write those as empty files."""
    import shutil

    root = make_workspace(tmp_path, SMALL)
    kept, tree = Kept(), tmp_path / "kept"
    generate(root, tree, SiteOptions(), None, kept=kept, history=False)
    for path, (key, _text) in list(kept.memo.items()):
        kept.memo[path] = (key, "")  # as serve's first rebuild from a build's state leaves it
    shutil.rmtree(tree)
    generate(root, tree, SiteOptions(), None, kept=kept, history=False)
    generate(root, tmp_path / "fresh", SiteOptions(), None, history=False)
    assert snapshot(tree) == snapshot(tmp_path / "fresh")


def test_serve_from_a_builds_state_after_edits_writes_a_deleted_tree_whole_again(
    tmp_path: Path,
) -> None:
    """Serve from a build's state takes the build's pages as "" (their text is in the tree)
    and keeps the record pages the memo holds as they were (`RecordPagesKept`): after a
    few edits, a tree deleted by hand is written whole again, not with empty pages."""
    import shutil

    from builder.render.pages import Prior

    root = make_workspace(tmp_path, SMALL)
    tree = tmp_path / "kept"
    built = Prior({})
    generate(root, tree, SiteOptions(), None, history=False, prior=built)
    kept = Kept()
    generate(root, tree, SiteOptions(), None, kept=kept, history=False, prior=Prior(built.keys))
    assert kept.memo["tasks/site-copy.md"][1] == ""  # from the state
    task = root / "tasks/site-copy.md"
    for old, new in (("status: doing", "status: review"), ("status: review", "status: doing")):
        write(task, task.read_text(encoding="utf-8").replace(old, new))
        generate(root, tree, SiteOptions(), None, kept=kept, history=False)
    shutil.rmtree(tree)
    generate(root, tree, SiteOptions(), None, kept=kept, history=False)
    generate(root, tmp_path / "fresh", SiteOptions(), None, history=False)
    assert snapshot(tree) == snapshot(tmp_path / "fresh")


def test_a_watchers_list_of_touched_files_replaces_the_walk(tmp_path: Path) -> None:
    """With the paths a file watcher saw touched, the check neither walks the workspace nor
    stats the other files, and still answers as a fresh check."""
    root = make_workspace(tmp_path, SMALL)
    cache = CheckCache()
    run_check(root, None, cache)

    def same(*changed: str) -> CheckResult:
        kept, fresh = run_check(root, None, cache, set(changed)), run_check(root)
        assert kept.problems == fresh.problems and tables(kept) == tables(fresh)
        assert kept.files == fresh.files
        return kept

    task = root / "tasks/site-copy.md"
    write(task, task.read_text(encoding="utf-8").replace("status: doing", "status: review"))
    assert same("tasks/site-copy.md").workspace.tasks["site-copy"].status == "review"
    # an editor's atomic save: a hidden temp file renamed over the record
    swap = root / "tasks/.site-copy.md.swp"
    swap.write_text(task.read_text(encoding="utf-8").replace("review", "doing"), "utf-8")
    os.replace(swap, task)
    assert (
        same("tasks/.site-copy.md.swp", "tasks/site-copy.md").workspace.tasks["site-copy"].status
        == "doing"
    )
    # new files (a record in a new folder, a stray file, a README the walk skips), a delete
    (root / "tasks/shop").mkdir()
    (root / "tasks/shop/shop-cart.md").write_text(
        "---\ntitle: Cart\nproject: shop\n---\n", encoding="utf-8"
    )
    (root / "notes.md").write_text("loose notes\n", encoding="utf-8")
    (root / "README.md").write_text("# About\n", encoding="utf-8")
    (root / "contacts/petro.md").unlink()
    result = same("tasks/shop/shop-cart.md", "notes.md", "README.md", "contacts/petro.md")
    assert "shop-cart" in result.workspace.tasks and "petro" not in result.workspace.contacts
    assert [p.code for p in result.problems if p.path.endswith("notes.md")] == ["PD010"]
    # the order of records is the walk's, so views break ties as a fresh run does
    assert list(result.workspace.tasks) == list(run_check(root).workspace.tasks)
    (root / "tasks/site-launch.md").unlink()  # a delete alone keeps the order as it was
    assert "site-launch" not in same("tasks/site-launch.md").workspace.tasks
    # a file the watcher did not name is not looked at (not even a stat): proof by a
    # change it cannot see, which the next walk does see
    write(task, task.read_text(encoding="utf-8").replace("status: doing", "status: queue"))
    assert run_check(root, None, cache, set()).workspace.tasks["site-copy"].status == "doing"
    assert run_check(root, None, cache).workspace.tasks["site-copy"].status == "queue"


def test_editing_a_template_override_while_serving_re_renders_its_pages(tmp_path: Path) -> None:
    """A team's own copy of a page template (custom_dir/plaindesk/...) edited while `serve`
    runs: the pages built from it change, though no content file did."""
    from builder.render.pages import theme_dir

    root = make_workspace(tmp_path, SMALL)
    override = tmp_path / "overrides" / "plaindesk" / "facts.html"
    override.parent.mkdir(parents=True)
    original = (theme_dir() / "plaindesk" / "facts.html").read_text(encoding="utf-8")
    override.write_text(original, encoding="utf-8")
    options = SiteOptions(template_dirs=[tmp_path / "overrides"])
    kept, tree = Kept(), tmp_path / "kept"
    generate(root, tree, options, None, kept=kept, history=False)
    assert "pd-house-style" not in (tree / "tasks/site-copy.md").read_text(encoding="utf-8")
    write(override, original.replace('class="pd-facts"', 'class="pd-facts pd-house-style"'))
    done = generate(root, tree, options, None, kept=kept, history=False)
    assert "tasks/site-copy.md" in done.written
    assert 'class="pd-facts pd-house-style"' in (tree / "tasks/site-copy.md").read_text(
        encoding="utf-8"
    )


def test_serve_lists_the_installed_themes_once_and_the_teams_own_every_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """MkDocs lists every theme file on every build (mkdocs-material's 12,000 icons among
    them). While serving, the installed themes' listing is kept; the team's custom_dir is
    listed again each time, so an asset added to it while serving is copied."""
    import jinja2
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    from builder.site import engine

    (tmp_path / "docs").mkdir()
    (tmp_path / "overrides" / "assets").mkdir(parents=True)
    (tmp_path / "overrides" / "assets" / "house.css").write_text("a{}", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: T\ntheme:\n  name: material\n  custom_dir: overrides\n", encoding="utf-8"
    )
    walked: list[str] = []
    listing = jinja2.FileSystemLoader.list_templates

    def counting(self: jinja2.FileSystemLoader) -> list[str]:
        walked.extend(self.searchpath)
        return listing(self)

    monkeypatch.setattr(jinja2.FileSystemLoader, "list_templates", counting)
    work = engine.ThemeWork()

    def theme_files(keep: bool) -> list[str]:
        config = load_config(str(tmp_path / "mkdocs.yml"))
        if keep:
            engine.keep_theme_work(config.theme, work)
        files = Files([])
        env = config.theme.get_env()
        files.add_files_from_theme(env, config)
        assert (env.bytecode_cache is work.bytecode) == keep
        return sorted(f.src_uri for f in files)

    plain = theme_files(keep=False)
    assert "assets/house.css" in plain
    assert any(f.startswith("assets/javascripts/bundle.") for f in plain)  # material's
    walked.clear()
    assert theme_files(keep=True) == plain
    custom = str(tmp_path / "overrides")
    assert custom in walked and len(walked) >= 3
    walked.clear()
    (tmp_path / "overrides" / "assets" / "print.css").write_text("b{}", encoding="utf-8")
    assert theme_files(keep=True) == sorted([*plain, "assets/print.css"])
    assert walked == [custom]  # the installed themes are not walked again


def test_a_kept_memo_with_git_history_writes_what_a_fresh_run_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a repository, the serve loop also keeps the history between rebuilds: the
    decoded cache, the derived histories (while HEAD is the same) and what views work out
    from them (stuck cards and their chips, the feed's order). Edits in the working tree
    and a new commit must still write what a run from scratch writes."""
    from gitrepo import OLEH, build_scenario, front

    from builder.history import reader, store

    repo = build_scenario(tmp_path / "repo")
    today = date(2026, 3, 16)
    kept, kept_tree = Kept(), tmp_path / "kept"

    def fresh(n: int) -> dict[str, bytes]:
        with monkeypatch.context() as m:  # nothing of the kept run's: not even its history
            m.setattr(reader, "_DERIVED", [])
            m.setattr(store, "_LOADED", {})
            generate(repo.content, tmp_path / f"fresh-{n}", SiteOptions(), today)
        return snapshot(tmp_path / f"fresh-{n}")

    generate(repo.content, kept_tree, SiteOptions(), today, kept=kept)
    home = (kept_tree / "index.md").read_text(encoding="utf-8")
    assert 'href="tasks/banner/">Banner &lt;b&gt;' in home  # stuck in design since 03-04
    banner = repo.content / "tasks/site/banner.md"
    steps: list[Callable[[], object]] = [
        lambda: write(banner, front(title="Banner v2", project="site", status="design")),
        lambda: write(banner, front(title="Banner v2", project="site", status="approval")),
        lambda: repo.commit("2026-03-16T09:00:00+02:00", OLEH, "Banner to approval"),
        lambda: write(
            repo.content / "projects/site.md",
            front(name="Opera web", company="kyiv-opera", workflow="web", manager="anna-k"),
        ),
    ]
    for n, step in enumerate(steps):
        step()
        generate(repo.content, kept_tree, SiteOptions(), today, kept=kept)
        assert snapshot(kept_tree) == fresh(n), n
    home = (kept_tree / "index.md").read_text(encoding="utf-8")
    assert 'id="stuck"' not in home  # the banner moved on: nothing is stuck any more


def test_a_page_that_goes_and_comes_back_unchanged_is_written_again(tmp_path: Path) -> None:
    """Broken settings (default pipelines: the funnel of `media` goes) then restored, or a
    record deleted then restored as it was: the page comes back with the very key it had
    before it went, and must be written again, not taken for one still on disk."""
    settings = SMALL["workspace.yml"] + (
        "  media:\n    stages: [inquiry, placed]\n"  # a second pipeline: its funnel page
    )
    root = make_workspace(tmp_path, {**SMALL, "workspace.yml": settings})
    kept, kept_tree = Kept(), tmp_path / "kept"
    generate(root, kept_tree, SiteOptions(), None, kept=kept, history=False)
    assert (kept_tree / "funnels/media.md").is_file()
    task = root / "tasks/site-launch.md"
    steps: list[Callable[[], object]] = [
        lambda: write(root / "workspace.yml", settings.replace("name: Snapshot", "name: [Snap")),
        lambda: write(root / "workspace.yml", settings),
        lambda: task.unlink(),
        lambda: write(task, SMALL["tasks/site-launch.md"]),
    ]
    for n, step in enumerate(steps):
        step()
        done = generate(root, kept_tree, SiteOptions(), None, kept=kept, history=False)
        generate(root, tmp_path / f"fresh-{n}", SiteOptions(), None, history=False)
        assert snapshot(kept_tree) == snapshot(tmp_path / f"fresh-{n}"), n
    assert "tasks/site-launch.md" in done.written


def test_a_generation_that_raises_leaves_nothing_half_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild that fails after rendering (here the disk fills up while the tree is
    written) has already kept the new pages in the memo; the next rebuild, with no further
    edit, must still write them: it starts afresh."""
    from builder.site import generate as generate_module

    root = make_workspace(tmp_path, SMALL)
    kept, kept_tree = Kept(), tmp_path / "kept"
    generate(root, kept_tree, SiteOptions(), None, kept=kept, history=False)
    task = root / "tasks/site-copy.md"
    write(task, task.read_text(encoding="utf-8").replace("status: doing", "status: review"))

    def disk_full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(generate_module, "write_tree", disk_full)
        with pytest.raises(OSError):
            generate(root, kept_tree, SiteOptions(), None, kept=kept, history=False)
    done = generate(root, kept_tree, SiteOptions(), None, kept=kept, history=False)
    generate(root, tmp_path / "fresh", SiteOptions(), None, history=False)
    assert snapshot(kept_tree) == snapshot(tmp_path / "fresh")
    assert "tasks/site-copy.md" in done.written and "boards/site.md" in done.written


def test_the_tree_trusts_an_unchanged_page_only_where_it_left_one(tmp_path: Path) -> None:
    from builder.render.tree import write_tree

    out = tmp_path / "tree"
    assert write_tree({"a.md": "A", "b.md": "B"}, out) == (["a.md", "b.md"], [])
    assert write_tree({"a.md": "A"}, out, set(), {"a.md", "b.md"}) == ([], ["b.md"])
    # b.md rendered as it was before it went: not on disk, so written
    assert write_tree({"a.md": "A", "b.md": "B"}, out, {"a.md", "b.md"}, {"a.md"}) == (
        ["b.md"],
        [],
    )
    assert (out / "b.md").read_text(encoding="utf-8") == "B"


def test_a_file_renamed_or_moved_as_it_is_rewrites_the_pages_naming_it(tmp_path: Path) -> None:
    """A task's id is its file name, and its page's edit link shows its path: a file
    renamed or moved into a folder without a change of text is still a change to every
    page that links to it (its project's board and page) and to its own page."""
    root = make_workspace(tmp_path, SMALL)
    options = SiteOptions(edit_base="https://github.com/example/workspace/edit/main")
    kept, kept_tree = Kept(), tmp_path / "kept"
    generate(root, kept_tree, options, None, kept=kept, history=False)
    (root / "tasks/press").mkdir()
    steps: list[Callable[[], object]] = [
        lambda: os.replace(root / "tasks/press-list.md", root / "tasks/press-media-list.md"),
        lambda: os.replace(root / "tasks/press-release.md", root / "tasks/press/press-release.md"),
    ]
    for n, step in enumerate(steps):
        step()
        generate(root, kept_tree, options, None, kept=kept, history=False)
        generate(root, tmp_path / f"fresh-{n}", options, None, history=False)
        assert snapshot(kept_tree) == snapshot(tmp_path / f"fresh-{n}"), n
    page = (kept_tree / "tasks/press-release.md").read_text(encoding="utf-8")
    assert "edit/main/content/tasks/press/press-release.md" in page


#: edits for the kept people pages, dashboard and reports (each on top of the ones before)
VIEW_EDITS: list[tuple[str, str, str]] = [
    ("tasks/site-launch.md", "status: queue", "status: doing"),  # a move: WIP, the dashboard
    ("tasks/site-launch.md", "assignee: oleh", "assignee: anna"),  # two people, the team
    ("tasks/site-mockups.md", "oleh 3h mock-ups", "oleh 5h mock-ups"),  # time: timesheets
    ("tasks/site-review.md", "due: 2026-04-10", "due: 2026-03-11"),  # overdue now
    ("tasks/site-review.md", "status: review", "status: done"),  # done: reports, WIP
    ("deals/big-lead.md", "owner: anna", "owner: oleh"),  # deal cards, two people
    ("deals/big-lead.md", "stage: lead", "stage: won"),  # won without a project
    ("people/oleh.md", "capacity: 20", "capacity: 10"),  # a person's settings: load
    ("people/anna.md", "role: Account director", "role: Director"),  # the people list
    ("contacts/petro.md", "follow_up: 2026-03-19", "follow_up: 2026-03-14"),  # follow-ups
    ("tasks/site-hosting.md", "status: doing", "status: queue"),  # unassigned, still open
]


def test_kept_people_pages_dashboard_and_reports_equal_fresh_ones(tmp_path: Path) -> None:
    """Serve keeps the people pages' keys and rows, the dashboard's parts and the reports'
    task key from the records that changed: after each kind of edit its tree is a fresh
    generation's, byte for byte; a move that changes nothing they show renders none."""
    root = make_workspace(tmp_path, SMALL)
    kept = Kept()
    tree = tmp_path / "kept"
    generate(root, tree, SiteOptions(), None, kept=kept, history=False)
    for rel, old, new in VIEW_EDITS:
        renders(root, kept, tree, rel, old, new)
    # a move between open columns of a task the dashboard does not list (not due this
    # week, no WIP limit on either column): no dashboard or report rendered
    rendered = renders(root, kept, tree, "tasks/shop-catalog.md", "status: doing", "status: queue")
    assert "index.md" not in rendered
    assert [r for r in rendered if r.startswith("reports/")] == ["reports/statements/index.md"]
    # and again, with nothing changed: not the dashboard either
    again = generate(root, tree, SiteOptions(), None, kept=kept, history=False)
    assert "index.md" not in again.rendered


def test_kept_contacts_to_chase_follow_the_tasks_their_entries_are_about(tmp_path: Path) -> None:
    """The dashboard's contacts to chase (`DashboardKept.parts`) name what each waiting
    entry is about, a task counting as its project: serve keeps the list while no task an
    entry is about changed, and after a task of one moved to another project, went, came
    back, or an entry was answered, its tree is a fresh generation's, byte for byte."""
    files = dict(SMALL)
    files["contacts/petro.md"] = files["contacts/petro.md"].replace(
        "follow_up: 2026-03-19\n",
        "follow_up: 2026-03-19\nlog:\n"
        "  - {date: 2026-03-02, person: oleh, channel: email, about: press-list, outcome: sent}\n",
    )
    files["contacts/maria.md"] = files["contacts/maria.md"].replace(
        "follow_up: 2026-05-01\n",
        "follow_up: 2026-05-01\nlog:\n"
        "  - {date: 2026-03-05, person: anna, channel: phone, about: site-copy, outcome: sent}\n",
    )
    root = make_workspace(tmp_path, files)
    kept = Kept()
    tree = tmp_path / "kept"
    generate(root, tree, SiteOptions(), None, kept=kept, history=False)

    def chase() -> str:
        home = (tree / "index.md").read_text(encoding="utf-8")
        return home.partition('id="chase"')[2].partition("</section>")[0]

    assert "Acme press tour" in chase() and "Acme website" in chase()
    # the task of petro's entry to another project: the entry is about that project now
    renders(
        root,
        kept,
        tree,
        "tasks/press-list.md",
        "project: press\nstatus: backlog",
        "project: site\nstatus: queue",
    )
    assert "Acme press tour" not in chase()
    # a move within its project changes nothing the list shows
    renders(root, kept, tree, "tasks/press-list.md", "status: queue", "status: doing")
    # the task of maria's entry goes (the entry names its id), then comes back
    task = root / "tasks/site-copy.md"
    text = task.read_text(encoding="utf-8")
    task.unlink()
    generate(root, tree, SiteOptions(), None, kept=kept, history=False)
    generate(root, tmp_path / "fresh-gone", SiteOptions(), None, history=False)
    assert snapshot(tree) == snapshot(tmp_path / "fresh-gone")
    write(task, text)
    generate(root, tree, SiteOptions(), None, kept=kept, history=False)
    generate(root, tmp_path / "fresh-back", SiteOptions(), None, history=False)
    assert snapshot(tree) == snapshot(tmp_path / "fresh-back")
    # maria answered: her entry waits no more
    renders(root, kept, tree, "contacts/maria.md", "outcome: sent", "outcome: replied")


def test_kept_stage_pages_follow_the_deals_moved_between_stages(tmp_path: Path) -> None:
    """A stage with more deals than its funnel's board shows has pages of its own; serve
    keeps the stages' counts while the deals are the same: a deal moved to another stage
    adds or drops a page, as in a fresh generation."""
    from builder.views.paging import Limits

    root = make_workspace(tmp_path, SMALL)

    def options() -> SiteOptions:
        return SiteOptions(limits=Limits(funnel_stage=1, stage=1))

    kept, tree = Kept(), tmp_path / "kept"
    generate(root, tree, options(), None, kept=kept, history=False)
    assert (tree / "funnels/sales/lead/pages/2.md").is_file()
    moves = [
        ("deals/eur-proposal.md", "stage: proposal", "stage: lead"),
        ("deals/big-lead.md", "stage: lead", "stage: proposal"),
        ("deals/uah-lead.md", "stage: lead", "stage: proposal"),
    ]
    for n, (rel, old, new) in enumerate(moves):
        path = root / rel
        write(path, path.read_text(encoding="utf-8").replace(old, new))
        generate(root, tree, options(), None, kept=kept, history=False)
        generate(root, tmp_path / f"fresh-{n}", options(), None, history=False)
        assert snapshot(tree) == snapshot(tmp_path / f"fresh-{n}"), rel


def test_a_kept_body_is_rendered_again_when_raw_html_is_allowed(tmp_path: Path) -> None:
    """Serve keeps record bodies' HTML by their Markdown across rebuilds: under another
    `allow_raw_html` the same Markdown renders otherwise, and the kept run says so."""
    files = dict(SMALL)
    files["tasks/site-copy.md"] += '\n<span style="color:red">Raw <b>bold</b></span>\n'
    root = make_workspace(tmp_path, files)
    kept, tree = Kept(), tmp_path / "kept"
    generate(root, tree, SiteOptions(), None, kept=kept, history=False)
    page = tree / "tasks/site-copy.md"
    assert "<span>Raw <b>bold</b></span>" in page.read_text(encoding="utf-8")
    settings = root / "workspace.yml"
    write(settings, settings.read_text(encoding="utf-8") + "allow_raw_html: true\n")
    generate(root, tree, SiteOptions(), None, kept=kept, history=False)
    assert '<span style="color:red">Raw <b>bold</b></span>' in page.read_text(encoding="utf-8")
    generate(root, tmp_path / "fresh", SiteOptions(), None, history=False)
    assert snapshot(tree) == snapshot(tmp_path / "fresh")
