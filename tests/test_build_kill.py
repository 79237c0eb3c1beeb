"""`plaindesk build` (site and portals) killed with SIGKILL at random points, again and again:
after every kill the published folders hold nothing temporary and git sees nothing new;
each of the site and the portal folder is whole (or, killed between the two renames of its
swap, briefly absent), and the next normal build leaves both equal to a fresh build."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

from build_cases import (
    SECRET,
    new_project,
    published,
    subprocess_build,
    temporaries,
    untracked,
)
from site_cases import snapshot_files

from builder.portal.tokens import SECRET_ENV

KILLS = 8
SEED = 20260316


def test_a_build_killed_anywhere_leaves_whole_folders_and_no_temporaries(tmp_path: Path) -> None:
    root = new_project(tmp_path)
    started = time.monotonic()
    first = subprocess_build(root)
    duration = time.monotonic() - started
    assert first.returncode == 0, first.stderr
    reference = published(root)  # a fresh build
    env = {**os.environ, SECRET_ENV: SECRET, "NO_MKDOCS_2_WARNING": "1"}
    rng = random.Random(SEED)
    for kill in range(KILLS):
        # one random point in each eighth of a normal build (and a little past its end), so
        # that the kills spread from start-up over the engine's build to the swap
        delay = (kill + rng.random()) * duration * 1.05 / KILLS
        build = subprocess.Popen(
            [sys.executable, "-m", "builder.cli", "build"],
            cwd=root,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        build.kill()
        build.wait()
        where = f"kill {kill} after {delay:.2f} s of {duration:.2f} s"
        for folder, files in zip(("site", "public"), reference, strict=True):
            if (root / folder).exists():
                assert snapshot_files(root / folder) == files, where
        assert untracked(root) == [], where
        assert [p.name for p in (root / "public").glob(".*")] == [], where
    again = subprocess_build(root)
    assert again.returncode == 0, again.stderr
    assert published(root) == reference
    assert temporaries(root) == []
