"""Serve's record page keys kept between rebuilds (`keys.RecordKeys`): after every kind of
edit, the kept keys are the keys computed anew from the same workspace, and an edit
computes again only the keys it can change."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import make_workspace
from site_cases import SMALL

from builder.render.keys import RecordKeys
from builder.render.pages import SiteOptions
from builder.site.generate import Kept, generate

TODAY = date(2026, 3, 16)

OUTREACH = (
    "log:\n  - {date: 2026-03-10, person: oleh, channel: phone, about: site, outcome: sent}\n"
)

#: (what the edit is, file, old text (None: the file is new; new text None: deleted),
#: new text, the record pages whose keys it computes again)
EDITS: list[tuple[str, str, str | None, str | None, set[str]]] = [
    (
        "a task moved",
        "tasks/site-copy.md",
        "status: doing",
        "status: review",
        {"task:site-copy", "project:site"},
    ),
    (
        "a body edited",
        "tasks/site-copy.md",
        "Copy for the hero",
        "Copy for the top",
        {"task:site-copy", "project:site"},
    ),
    (
        "a task to another project",
        "tasks/press-list.md",
        "project: press\nstatus: backlog",
        "project: site\nstatus: queue",
        {"task:press-list", "project:press", "project:site"},
    ),
    (
        "a person renamed",
        "people/oleh.md",
        "name: Oleh Petrenko",
        "name: Oleh P.",
        {
            "task:site-mockups",
            "task:site-launch",
            "task:shop-catalog",
            "task:press-list",
            "company:bank",
            "contact:petro",
            "deal:uah-lead",
            "deal:january-win",
            "deal:december-loss",
        },
    ),
    (
        "a company renamed",
        "companies/bank.md",
        "name: Kyiv Bank",
        "name: Kyiv Bank JSC",
        {
            "company:bank",
            "project:shop",
            "contact:petro",
            "deal:big-lead",
            "deal:uah-lead",
            "deal:march-loss",
            "deal:december-loss",
        },
    ),
    (
        "a deal to another company",
        "deals/big-lead.md",
        "company: bank",
        "company: acme",
        {
            "deal:big-lead",
            "company:bank",
            "company:acme",
        },
    ),
    (
        "a contact pitched about a project",
        "contacts/maria.md",
        "follow_up: 2026-05-01\n",
        "follow_up: 2026-05-01\n" + OUTREACH,
        {"contact:maria", "project:site"},
    ),
    (
        "a project's contact's outlet renamed",
        "companies/acme.md",
        "name: Acme Foods",
        "name: Acme Food Co",
        {
            "company:acme",
            "project:site",
            "project:press",
            "contact:olena",
            "deal:big-lead",
            "deal:eur-proposal",
            "deal:march-win",
            "deal:january-win",
        },
    ),
    ("a task deleted", "tasks/site-hosting.md", "", None, {"project:site"}),
    (
        "a task added",
        "tasks/site-hosting.md",
        None,
        "---\ntitle: Order hosting\nproject: shop\nstatus: doing\n---\n",
        {"task:site-hosting", "project:shop"},
    ),
    (
        "a project that tasks name deleted",
        "projects/shop.md",
        "",
        None,
        {
            "task:shop-catalog",
            "task:site-hosting",
            "company:bank",
        },
    ),
    (
        "it comes back",
        "projects/shop.md",
        None,
        "---\nname: Bank shop\ncompany: bank\nworkflow: web\n---\n",
        {
            "project:shop",
            "task:shop-catalog",
            "task:site-hosting",
            "company:bank",
        },
    ),
    # an error in the file: serve keeps its last good version, marked stale
    (
        "a task broken",
        "tasks/site-review.md",
        "due: 2026-04-10",
        "due: someday",
        {"task:site-review", "project:site"},
    ),
    (
        "and fixed",
        "tasks/site-review.md",
        "due: someday",
        "due: 2026-04-11",
        {"task:site-review", "project:site"},
    ),
    # the pages that show the column: the tasks in it (one moved there above) and their
    # project's (the other project of the workflow has no task there)
    (
        "a column renamed",
        "workspace.yml",
        "name: Review",
        "name: Checking",
        {"task:site-review", "task:site-copy", "project:site"},
    ),
    ("a WIP limit changed (no record page shows it)", "workspace.yml", "wip: 1", "wip: 3", set()),
    # a deal's page shows its pipeline, a company's its deals' stages
    (
        "a stage renamed",
        "workspace.yml",
        "name: Proposal,",
        "name: Offer,",
        {
            "company:acme",
            "company:bank",
            "deal:big-lead",
            "deal:december-loss",
            "deal:eur-proposal",
            "deal:january-win",
            "deal:march-loss",
            "deal:march-win",
            "deal:uah-lead",
        },
    ),
    # which workflow a project has may change: every key
    (
        "a workflow added",
        "workspace.yml",
        "pipelines:\n",
        "  ops:\n    columns: [todo, done]\npipelines:\n",
        {"*"},
    ),
]


Keys = dict[tuple[str, str], tuple[str, ...]]


def _keys(kept: Kept) -> Keys:
    return dict(kept.render.records.keys)


@pytest.fixture
def anew(monkeypatch: pytest.MonkeyPatch) -> list[Keys]:
    """After each `RecordKeys.update`, the keys a new store computes from the same
    workspace, derived data, salt, history and context: every key, from scratch."""
    found: list[Keys] = []
    update = RecordKeys.update

    def checked(self: RecordKeys, *args: object) -> Keys:
        kept: Keys = update(self, *args)  # type: ignore[arg-type]
        found.append(dict(update(RecordKeys(), *args)))  # type: ignore[arg-type]
        return kept

    monkeypatch.setattr(RecordKeys, "update", checked)
    return found


@pytest.mark.parametrize("history", [False, True], ids=["no-history", "no-repository"])
def test_kept_record_keys_are_the_keys_computed_anew(
    tmp_path: Path, history: bool, anew: list[Keys]
) -> None:
    root = make_workspace(tmp_path, SMALL)
    kept = Kept()
    generate(root, tmp_path / "kept", SiteOptions(), TODAY, kept=kept, history=history)
    assert len(_keys(kept)) == 24
    for what, rel, old, new, computed in EDITS:
        path = root / rel
        if new is None:
            path.unlink()
        elif old is None:
            path.write_text(new, encoding="utf-8")
        else:
            text = path.read_text(encoding="utf-8")
            assert old in text, what
            path.write_text(text.replace(old, new), encoding="utf-8")
        generate(root, tmp_path / "kept", SiteOptions(), TODAY, kept=kept, history=history)
        assert _keys(kept) == anew[-1], what
        # exactly the pages of what changed and of what read it before or reads it now
        done = {f"{kind}:{ident}" for kind, ident in kept.render.records.computed}
        every = {f"{kind}:{ident}" for kind, ident in anew[-1]}
        assert done == (every if computed == {"*"} else computed), what


def test_a_task_move_computes_two_keys_of_thousands(tmp_path: Path) -> None:
    """The figure the store is for: a task moved in a workspace of many records computes
    its own page's key and its project's, whatever the size."""
    files = dict(SMALL)
    for n in range(300):
        files[f"tasks/many-{n}.md"] = (
            f"---\ntitle: Task {n}\nproject: {'site' if n % 2 else 'shop'}\nstatus: doing\n"
            f"assignee: {'anna' if n % 3 else 'oleh'}\n---\n"
        )
    root = make_workspace(tmp_path, files)
    kept = Kept()
    generate(root, tmp_path / "kept", SiteOptions(), TODAY, kept=kept, history=False)
    assert len(kept.render.records.computed) == 324
    path = root / "tasks/many-7.md"
    path.write_text(path.read_text(encoding="utf-8").replace("doing", "review"), "utf-8")
    generate(root, tmp_path / "kept", SiteOptions(), TODAY, kept=kept, history=False)
    assert kept.render.records.computed == {("task", "many-7"), ("project", "site")}


def test_a_chip_that_changes_recomputes_the_pages_that_show_it(tmp_path: Path) -> None:
    """With a history, a record page's key holds the chips of the records it lists (a
    task's stuck chip, a deal's idle days, a contact's last change), which change without
    any file changing (another task of the board moved, a day passed): the pages showing a
    changed chip are computed again, and only they."""
    from dataclasses import replace

    from builder.history.reader import History
    from builder.pipeline import run_check
    from builder.render.keys import HistoryKeys
    from builder.views.derived import derive

    root = make_workspace(tmp_path, SMALL)
    ws = run_check(root, TODAY).workspace
    history = History()
    store = RecordKeys()
    before = derive(ws)
    store.update(ws, before, "salt", HistoryKeys(history, before), ("context",))
    assert len(store.computed) == 24
    # each change on top of the last: a chip that goes back is a change too
    stuck = replace(before, stuck={"site-copy": "stuck 9 days"})
    idle = replace(stuck, idle={"big-lead": (30, True)})
    touched = replace(idle, contact_touched={"olena": TODAY})
    cases = [
        (stuck, {"task:site-copy", "project:site"}),
        (idle, {"deal:big-lead", "company:bank"}),
        # a changed chip counts as a change of its record: its deal (which names the
        # contact, but shows no chip of it) is computed again too, to the same key
        (touched, {"contact:olena", "company:acme", "deal:eur-proposal"}),
        (replace(touched, stuck={}), {"task:site-copy", "project:site"}),
    ]
    for derived, computed in cases:
        hk = HistoryKeys(history, derived)
        keys = dict(store.update(ws, derived, "salt", hk, ("context",)))
        assert {f"{kind}:{ident}" for kind, ident in store.computed} == computed
        assert keys == RecordKeys().update(ws, derived, "salt", hk, ("context",))
