"""The wheel lists every builder subpackage and ships the theme and the UI strings."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_builder_subpackage_is_packaged() -> None:
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "builder").rglob("__init__.py")
    }
    assert found <= listed, f"add to pyproject.toml packages: {sorted(found - listed)}"
    assert "plaindesk_theme" in listed


def test_the_wheel_ships_every_ui_string_catalogue() -> None:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    shipped = {
        path
        for package, patterns in data["package-data"].items()
        if package.startswith("builder")
        for pattern in patterns
        for path in (ROOT / package.replace(".", "/")).glob(pattern)
    }
    catalogues = set((ROOT / "builder").rglob("*.po"))
    assert {p.parent.parent.name for p in catalogues} == {"en", "ru", "uk"}
    assert catalogues <= shipped, f"add to package-data: {sorted(catalogues - shipped)}"
