"""Find records by id without loading the workspace: a record's file is `<id>.md`
somewhere under its type's folder, so one walk of that folder (names only, no file read)
gives every id of the type and where each lives.

The walk skips what the loader skips (hidden files and folders, linked folders), so an id
found here is one `check` reads, and one `check` reads is found here.
"""

from __future__ import annotations

import os
from collections.abc import Set
from dataclasses import dataclass, field
from pathlib import Path

from builder.model.schema import ID_PATTERN, SECTIONS, SPECS
from builder.validate.values import did_you_mean


@dataclass(frozen=True)
class Found:
    """One record file: its type, id and workspace-relative path."""

    type: str
    id: str
    rel: str


class NotFound(LookupError):
    """No record of the wanted types has the id; the message has a "did you mean"."""


class Ambiguous(LookupError):
    """Records of more than one type (or two files of one type) have the id."""


@dataclass
class Index:
    """The ids of each record type in a workspace, each walked at most once."""

    root: Path
    _by_type: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    _ids: dict[str, frozenset[str]] = field(default_factory=dict)
    _one: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # paths_of's walks
    _narrow: set[str] = field(default_factory=set)  # types `taken` walked for a prefix

    def paths(self, kind: str) -> dict[str, list[str]]:
        """id -> workspace-relative paths of the files with that id, for one type."""
        if kind not in self._by_type:
            self._by_type[kind] = _walk(self.root, SECTIONS[kind])
        return self._by_type[kind]

    def ids(self, kind: str) -> set[str]:
        """Every (valid) id of a type (a new set: the caller may change it)."""
        return set(self._valid(kind))

    def _valid(self, kind: str) -> frozenset[str]:
        if kind not in self._ids:
            self._ids[kind] = frozenset(i for i in self.paths(kind) if ID_PATTERN.match(i))
        return self._ids[kind]

    def taken(self, kind: str, prefix: str) -> Set[str]:
        """The (valid) ids of a type among which every id starting with `prefix` is: the
        first time a walk keeps only those (`new` makes one id: listing 10,000 tasks would
        cost more than the rest of the command), from the second on the whole listing,
        walked once (an import makes thousands)."""
        if kind in self._by_type or kind in self._narrow:
            return self._valid(kind)
        self._narrow.add(kind)
        found = _walk(self.root, SECTIONS[kind], prefix, whole=False)
        return {i for i in found if ID_PATTERN.match(i)}

    def paths_of(self, kind: str, ident: str) -> list[str]:
        """The files of one id of one type (a walk that keeps only those, unless the type
        was listed already)."""
        if kind in self._by_type:
            return self._by_type[kind].get(ident, [])
        if (kind, ident) not in self._one:  # `log` asks twice: walking 10,000 tasks is ms
            self._one[kind, ident] = _walk(self.root, SECTIONS[kind], ident).get(ident, [])
        return self._one[kind, ident]

    def find(self, ident: str, kinds: tuple[str, ...]) -> Found:
        """The one record with this id among `kinds`. `ident` may say its type
        (`task:hero`) when an id is both a task and a deal; raises NotFound or Ambiguous."""
        kinds = _narrowed(ident, kinds)
        ident = ident.split(":", 1)[1] if ":" in ident else ident
        hits = [(kind, rel) for kind in kinds for rel in self.paths_of(kind, ident)]
        if not hits:
            known = {i for kind in kinds for i in self.paths(kind)}
            hint = did_you_mean(ident, known) if known else ""
            hint = hint if hint.startswith("did you mean") else ""
            raise NotFound(
                f"no {_either(kinds)} has the id `{ident}`" + (f"; {hint}" if hint else "")
            )
        if len({kind for kind, _ in hits}) > 1:
            which = " or ".join(f"`{kind}:{ident}`" for kind, _ in hits)
            found = ", ".join(f"{kind} ({rel})" for kind, rel in hits)
            raise Ambiguous(f"`{ident}` is a {found}; say which: {which}")
        if len(hits) > 1:
            raise Ambiguous(
                f"two {SECTIONS[hits[0][0]]} have the id `{ident}`: "
                + " and ".join(rel for _, rel in hits)
                + "; rename one of them first (`plaindesk check` reports it as PD109)"
            )
        kind, rel = hits[0]
        return Found(kind, ident, rel)


def _narrowed(ident: str, kinds: tuple[str, ...]) -> tuple[str, ...]:
    if ":" not in ident:
        return kinds
    said = ident.split(":", 1)[0]
    if said in kinds:
        return (said,)
    if said in SPECS:
        raise NotFound(f"this command works on a {_either(kinds)}, not on a {said}")
    raise NotFound(f"`{said}` is not a record type; write {' or '.join(kinds)}:ID")


def _either(kinds: tuple[str, ...]) -> str:
    return " or ".join(kinds) if len(kinds) < 3 else ", ".join(kinds[:-1]) + " or " + kinds[-1]


def _walk(
    root: Path, folder: str, want: str | None = None, whole: bool = True
) -> dict[str, list[str]]:
    """id -> paths of the record files under a type's folder (only those of id `want`,
    when given: a look-up then compares names and keeps nothing else; with `whole` false,
    those of the ids that start with `want`)."""
    out: dict[str, list[str]] = {}
    top = root / folder
    if not top.is_dir():
        return out
    size = -1 if want is None else len(want) + 3
    stack = [(str(top), folder + "/")]
    while stack:
        path, prefix = stack.pop()
        try:
            entries = list(os.scandir(path))
        except OSError:
            continue  # an unreadable folder: check reports nothing from it either
        for entry in entries:
            name = entry.name
            if name[0] == ".":  # hidden, as the loader skips them
                continue
            if entry.is_dir(follow_symlinks=False):  # a linked folder is not walked either
                stack.append((entry.path, prefix + name + "/"))
            elif want is None:
                if name[-3:].lower() == ".md":
                    out.setdefault(name[:-3], []).append(prefix + name)
            elif len(name) == size and name.startswith(want) and name[-3:].lower() == ".md":
                out.setdefault(want, []).append(prefix + name)
            elif not whole and name.startswith(want) and name[-3:].lower() == ".md":
                out.setdefault(name[:-3], []).append(prefix + name)
    for paths in out.values():
        paths.sort()
    return out
