"""A record file's bytes, and changes to them that leave every other byte as it was.

The loader reads a file as text with `\\n` line endings and no BOM, and every position it
and `layout` give is an offset into that text. Changes are made in those offsets and then
applied to the file's own text: its BOM, each line's own ending (CRLF, LF or CR, even mixed)
and every line not changed come back byte for byte. A line a change adds ends the way the
line above it ends (or, where that line has no ending, the way the file's first line does).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

_BOM = "\ufeff"
_ENDING = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Change:
    """Replace `text[start:end]` (offsets into the `\\n` text) with `new` (`\\n` endings)."""

    start: int
    end: int
    new: str


class Source:
    """One file's text as written, and as the loader reads it."""

    def __init__(self, data: bytes) -> None:
        """`data` must decode as UTF-8 (the loader has said so)."""
        written = data.decode("utf-8")
        self.bom = written.startswith(_BOM)
        self.written = written[1:] if self.bom else written
        lines = _ENDING.split(self.written)
        self.endings = _ENDING.findall(self.written)
        #: the text as the loader reads it
        self.text = "\n".join(lines)
        self._starts: list[int] = []  # where each line starts, in `text` and in `written`
        self._written_starts: list[int] = []
        at = w_at = 0
        for i, line in enumerate(lines):
            self._starts.append(at)
            self._written_starts.append(w_at)
            at += len(line) + 1
            w_at += len(line) + (len(self.endings[i]) if i < len(self.endings) else 0)
        self.newline = self.endings[0] if self.endings else "\n"

    def _line(self, offset: int) -> int:
        return bisect_right(self._starts, offset) - 1

    def _written(self, offset: int) -> int:
        line = self._line(offset)
        return self._written_starts[line] + offset - self._starts[line]

    def apply(self, changes: list[Change]) -> bytes:
        """The file's bytes with `changes` made (they must not overlap)."""
        out = self.written
        for change in sorted(changes, key=lambda c: c.start, reverse=True):
            line = self._line(change.start)
            if change.start == self._starts[line] and line > 0:
                line -= 1  # a new line under another ends the way that one ends
            ending = self.endings[line] if line < len(self.endings) else self.newline
            new = change.new.replace("\n", ending) if ending != "\n" else change.new
            out = out[: self._written(change.start)] + new + out[self._written(change.end) :]
        return ((_BOM if self.bom else "") + out).encode("utf-8")
