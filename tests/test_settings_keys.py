"""What page keys hold of workspace.yml (`builder.model.settings_keys`): a comment changes
no part, a column's name changes its workflow's part and no other, and every part is the
same in every process (the build's state compares them across processes)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from builder.model.settings_keys import SettingsKeys
from builder.pipeline import run_check

REPO = Path(__file__).resolve().parent.parent


def parts(content: Path) -> dict[str, Any]:
    ws = run_check(content).workspace
    assert ws is not None
    sk = SettingsKeys(ws.settings)
    web = ws.settings.workflows["web"]
    return {
        "general": sk.general,
        "flows": sk.flows,
        "workflows": sk.workflows,
        "pipelines": sk.pipelines,
        "web:development": sk.columns(web, ["development"]),
    }


def edited(tmp_path: Path, old: str, new: str) -> dict[str, Any]:
    content = tmp_path / "content"
    shutil.rmtree(content, ignore_errors=True)
    shutil.copytree(REPO / "content", content)
    ws = content / "workspace.yml"
    text = ws.read_text(encoding="utf-8")
    assert old in text
    ws.write_text(text.replace(old, new, 1), encoding="utf-8")
    return parts(content)


def test_what_each_change_of_workspace_yml_changes(tmp_path: Path) -> None:
    demo = parts(REPO / "content")
    assert edited(tmp_path, "name: Brightline", "# a comment\nname: Brightline") == demo

    renamed = edited(tmp_path, "name: In development", "name: Building")
    assert renamed["general"] == demo["general"]
    assert renamed["pipelines"] == demo["pipelines"]
    assert renamed["flows"] != demo["flows"]
    changed = {k for k, v in renamed["workflows"].items() if demo["workflows"][k] != v}
    assert changed == {"web"}
    assert renamed["web:development"] != demo["web:development"]

    label = edited(tmp_path, "label: Beat", "label: Topic")
    assert label["general"] != demo["general"]
    assert label["flows"] == demo["flows"]


def test_the_parts_are_the_same_in_every_process() -> None:
    code = (
        "import json, sys; sys.path.insert(0, 'tests'); from test_settings_keys import parts;"
        "from pathlib import Path; print(json.dumps(parts(Path('content'))))"
    )
    seen = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        seen.add(done.stdout)
    assert len(seen) == 1
    assert json.loads(seen.pop())["general"] == parts(REPO / "content")["general"]
