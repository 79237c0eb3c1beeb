"""Which folder a command's PATH means: a workspace (the project folder, with `mkdocs.yml`
and `content/`) or its content folder. `plaindesk init DIR` makes the first, the
commands that read records need the second; either is accepted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from builder.model.schema import FOLDERS

SETTINGS_FILE = "workspace.yml"
CONFIG_FILE = "mkdocs.yml"
DEFAULT_CONTENT = "content"


# libyaml's parser when PyYAML has it: every command run from a workspace folder reads
# mkdocs.yml, and PyYAML's own parser takes ten times as long (ms an edit command feels)
_Safe: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Tolerant(_Safe):  # type: ignore[valid-type,misc]  # a base chosen at run time
    """mkdocs.yml may hold `!!python/name:` and `!ENV` tags (Material's emoji extension,
    MkDocs' environment variables): read them as nothing, never run them."""


_Tolerant.add_multi_constructor("", lambda _loader, _suffix, _node: None)


def looks_like_content(folder: Path) -> bool:
    """True when `folder` holds settings or a record folder of its own."""
    return (folder / SETTINGS_FILE).exists() or any((folder / f).is_dir() for f in FOLDERS)


def read_config(config: Path) -> Any:
    """`mkdocs.yml` as plain data, tags read as nothing (None when it cannot be read)."""
    try:
        return yaml.load(config.read_text(encoding="utf-8"), Loader=_Tolerant)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None


def configured_content(config: Path) -> str:
    """The content folder the `plaindesk` plugin of `config` names (relative to it)."""
    data = read_config(config)
    plugins = data.get("plugins") if isinstance(data, dict) else None
    for entry in plugins if isinstance(plugins, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("plaindesk"), dict):
            named = entry["plaindesk"].get("content")
            if isinstance(named, str) and named.strip():
                return named.strip()
    return DEFAULT_CONTENT


def content_folder(path: Path) -> Path:
    """The content folder `path` names: itself when it holds records or settings, else the
    one its `mkdocs.yml` names, else its `content/` when there is one, else itself (and
    the check then says it found no records)."""
    if looks_like_content(path):
        return path
    if (path / CONFIG_FILE).is_file():
        return _joined(path, configured_content(path / CONFIG_FILE))
    if (path / DEFAULT_CONTENT).is_dir():
        return _joined(path, DEFAULT_CONTENT)
    return path


def _joined(path: Path, rel: str) -> Path:
    # `.` stays out of what problem lines show: `content/tasks/a.md`, not `./content/...`
    return Path(rel) if str(path) in ("", ".") else path / rel
