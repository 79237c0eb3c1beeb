"""Everything the team's site is made from, as one digest (docs/incremental.md): when it
equals the one the last build's state holds and the site folder is that build's site,
`plaindesk build --no-portal` has nothing to build and says so.

Content hashes only, never mtimes (a CI checkout dates every file anew). What goes in:
Plaindesk (its version, code and theme), Python, MkDocs and mkdocs-material, mkdocs.yml,
the theme overrides and the team's own pages (`docs_dir`); every file the check reads
(workspace.yml and the record files, by path and bytes; stray Markdown files and folder
links by name, for the problems that name them); the folder the problem lines name; the
today the build uses; and the git history the pages show (HEAD, a shallow clone's edge,
the uncommitted files)."""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from builder.site.checkstore import Seen

#: Bumped when what the digest covers changes: an older state's digest never matches.
VERSION = "1"


@dataclass
class Inputs:
    """One build's inputs digest, and what its check printed (said again when a later
    build with the same digest has nothing to do)."""

    digest: str
    report: str = ""  # the problem lines and the left-out files, as the build printed them
    summary: str = ""  # "0 errors, 3 warnings in 120 records"


def inputs_digest(
    config_file: Path,
    content: Path,
    docs_dir: Path | None,
    custom_dir: str | None,
    today: date | None,
    seen: Seen | None = None,
) -> str:
    """The digest of every input of the team's site (see the module docstring); the
    content's listing and each record file's `checkstore.file_print` go into `seen` (the
    check reuses them)."""
    from builder.site import state

    h = hashlib.sha1()

    def add(*parts: str) -> None:
        for part in parts:
            h.update(part.encode("utf-8", "surrogateescape") + b"\0")

    add(VERSION, state.code_stamp())
    for name, value in sorted(state.engine_stamp(config_file, custom_dir).items()):
        add(name, value)
    add("docs", state.folder_digest(docs_dir) if docs_dir is not None else "-")
    add("shown", os.path.relpath(content) if content.is_absolute() else str(content))
    add("today", _today(content, today))
    for chunk in _content(content, seen):
        h.update(chunk)
    add("git", *_git(content))
    return h.hexdigest()


def _today(content: Path, today: date | None) -> str:
    """The today the check will use: --today, else workspace.yml's, else its time zone's."""
    if today is not None:
        return today.isoformat()
    from builder.load.files import load_settings
    from builder.validate.settings import effective_today, read_settings

    loaded = load_settings(content)
    settings, _ = read_settings(loaded.settings, loaded.settings_path)
    return effective_today(settings, None).isoformat()


def _content(content: Path, seen: Seen | None) -> Iterator[bytes]:
    """Every file the check reads, as `load` finds them (the listing and each one's
    print into `seen`)."""
    from builder.load.files import SETTINGS_FILE, discover
    from builder.site.checkstore import file_print

    listing = discover(content)
    if seen is not None:
        seen.listing = listing
    for rel in (SETTINGS_FILE, *(rel for _kind, rel in listing.found)):
        found = file_print(os.path.join(content, rel))
        if seen is not None:
            seen.prints[rel] = found
        # a link, not a regular file, unreadable: the check reads what the link leads
        # to, or says why it cannot; either way this digest never matches, so a build
        # of such a workspace is never skipped
        print_ = found[0] if found else f"unread:{uuid.uuid4().hex}"
        yield rel.encode("utf-8", "surrogateescape") + b"\0" + print_.encode()
    for rel in listing.stray:
        yield b"stray\0" + rel.encode("utf-8", "surrogateescape") + b"\0"
    for rel, where in listing.links:
        yield b"link\0" + f"{rel}\0{where}".encode("utf-8", "surrogateescape") + b"\0"


def _git(content: Path) -> list[str]:
    """The history the pages show: it is fixed by HEAD (with a shallow clone's edge) and
    the files not committed yet."""
    from builder.history.git import GitError, repo_info, uncommitted

    info = repo_info(content)
    if isinstance(info, str):
        return ["no repository", info]
    try:
        files = uncommitted(info)
    except GitError as exc:
        return ["unreadable", str(exc)]
    return [
        str(info.toplevel),
        info.prefix,
        info.head or "-",
        *sorted(info.shallow),
        "uncommitted",
        *files,
    ]
