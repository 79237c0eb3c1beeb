"""test_serve_random_edits' seeded edits with the kept generation told which files changed,
as serve's watcher tells it: the check is then made from the last one where it can
(`builder.pipeline._check_edits`), and the page tree must still equal a fresh one."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from test_serve_random_edits import KINDS, ROUNDS, Editor, first_difference, make, snapshot

from builder.render.pages import SiteOptions
from builder.site.generate import Kept, generate


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("seed", [5, 17])
def test_random_edits_told_keep_the_kept_tree_equal_to_a_fresh_one(
    tmp_path: Path, seed: int
) -> None:
    root = tmp_path / "ws"
    make(root, seed)
    rng = random.Random(seed)
    editor = Editor(root, rng)
    kept, tree = Kept(), tmp_path / "kept"
    generate(root, tree, SiteOptions(), None, kept=kept, history=False)
    done: list[str] = []
    edits_checked = 0
    for n in range(ROUNDS):
        before = files(root)
        for _ in range(rng.choice((1, 1, 2))):
            done.append(getattr(editor, rng.choice(KINDS))())
        after = files(root)
        changed = {rel for rel in before.keys() | after.keys() if before.get(rel) != after.get(rel)}
        wholes = kept.check.whole
        made = generate(root, tree, SiteOptions(), None, kept=kept, history=False, changed=changed)
        edits_checked += kept.check.whole == wholes
        errors = [p.message for p in made.result.problems if p.is_error]
        assert errors == [], f"after {done}"
        fresh = tmp_path / f"fresh-{n}"
        generate(root, fresh, SiteOptions(), None, history=False)
        kept_files, fresh_files = snapshot(tree), snapshot(fresh)
        differ = sorted(
            p
            for p in kept_files.keys() | fresh_files.keys()
            if kept_files.get(p) != fresh_files.get(p)
        )
        assert differ == [], f"after {done}: {differ[:10]}\n" + first_difference(
            kept_files, fresh_files, differ[0]
        )
    assert edits_checked > ROUNDS // 2  # most edits are checked from the last check
