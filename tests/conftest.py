"""Shared test helpers: a workspace written from a dict of files."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

# Browser helpers are both a plugin (`pytest_plugins = ["browser"]`) and a module some tests
# import; registering it here first lets pytest rewrite its asserts either way, silently.
pytest.register_assert_rewrite("browser")


def make_workspace(tmp_path: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write `files` (path relative to the workspace -> text or bytes) under `tmp_path/ws`.

    Text is written as UTF-8 exactly as given (no newline translation), so a test can
    spell out CRLF or a BOM. Returns the workspace folder.
    """
    root = tmp_path / "ws"
    root.mkdir(exist_ok=True)
    for rel, content in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8", newline="")
    return root


@pytest.fixture(name="make_workspace", scope="session")
def make_workspace_fixture() -> Callable[[Path, Mapping[str, str | bytes]], Path]:
    """`make_workspace(tmp_path, {"tasks/a.md": "---\\n...\\n---\\n"}) -> Path`."""
    return make_workspace


# --- view-model snapshots (tests/snapshots/*.json) ---------------------------------------

SNAPSHOTS = Path(__file__).parent / "snapshots"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--snapshot-update",
        action="store_true",
        default=False,
        help="rewrite tests/snapshots/*.json from the current view models "
        "(or set PLAINDESK_SNAPSHOT_UPDATE=1)",
    )


@pytest.fixture
def snapshot(request: pytest.FixtureRequest) -> Callable[[str, object], None]:
    """`snapshot(name, view)`: compare `dataclasses.asdict(view)` as JSON with
    tests/snapshots/NAME.json; `--snapshot-update` (or PLAINDESK_SNAPSHOT_UPDATE=1) rewrites it."""
    import dataclasses
    import json
    import os

    update = bool(
        request.config.getoption("--snapshot-update")
        or os.environ.get("PLAINDESK_SNAPSHOT_UPDATE") == "1"
    )

    def check(name: str, view: object) -> None:
        data = (
            dataclasses.asdict(view)
            if dataclasses.is_dataclass(view) and not isinstance(view, type)
            else view
        )
        text = json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
        path = SNAPSHOTS / f"{name}.json"
        if update:
            SNAPSHOTS.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return
        if not path.exists():
            pytest.fail(f"no snapshot {path.name}; run pytest --snapshot-update to create it")
        expected = json.loads(path.read_text(encoding="utf-8"))
        assert json.loads(text) == expected, (
            f"view differs from {path.name}; if the change is intended, run "
            "pytest --snapshot-update and review the diff"
        )

    return check


# --- the demo, built once per session (tests/test_site_build.py, test_site_browser.py) ----


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo built with `plaindesk build`; returns the site folder."""
    from site_cases import build, copy_demo

    root = copy_demo(tmp_path_factory.mktemp("demo"))
    built = build(root, root / "out" / "site")
    assert built.returncode == 0, built.stderr
    return built.site
