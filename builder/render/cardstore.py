"""Task cards' HTML kept between `plaindesk build`s (`.plaindesk-cache/cards.bin`), as the
serve loop keeps them in memory: a board re-rendered because one of its cards changed
renders that card, and takes the others' HTML from the last build.

A card is kept under its memo key (task, root, whether it shows the project) with the
fingerprint of what it shows (`views.common.card_inputs` and the renderer's salt); the
file also holds a stamp of the Plaindesk that wrote it (its code, templates and
translations): a file from another Plaindesk, or one that cannot be read, is not used,
and the build says so in its log."""

from __future__ import annotations

import logging
import marshal
from collections.abc import Collection
from pathlib import Path

from builder.output import write_whole

log = logging.getLogger("plaindesk")

FILE = "cards.bin"
FORMAT = 1


class CardStore:
    """The cards of the last build, loaded when the first card is asked for; `save`
    keeps them with those made now."""

    def __init__(self, folder: Path, stamp: str) -> None:
        self.path = folder / FILE
        self.stamp = stamp
        self._old: dict[str, tuple[str, str]] | None = None
        self.used: dict[str, tuple[str, str]] = {}
        self.made = 0  # cards rendered anew

    def _load(self) -> dict[str, tuple[str, str]]:
        try:
            data = self.path.read_bytes()
        except OSError:
            return {}
        try:
            fmt, stamp, cards = marshal.loads(data)
            if fmt != FORMAT or not isinstance(cards, dict):
                raise ValueError("not a cards file")
        except (ValueError, EOFError, TypeError) as exc:
            log.warning("plaindesk: %s cannot be read (%s): cards made anew", self.path, exc)
            return {}
        if stamp != self.stamp:
            log.info("plaindesk: %s was written by another Plaindesk: not used", self.path)
            return {}
        return cards

    def get(self, key: str, print_key: str) -> str | None:
        """The kept HTML of card `key` if it showed what `print_key` says, else None."""
        if self._old is None:
            self._old = self._load()
        hit = self._old.get(key)
        if hit is not None and hit[0] == print_key:
            self.used[key] = hit
            return hit[1]
        return None

    def put(self, key: str, print_key: str, html: str) -> None:
        """A card rendered now."""
        self.used[key] = (print_key, html)
        self.made += 1

    def save(self, tasks: Collection[str]) -> None:
        """Keep the cards this build made, and the kept ones of the `tasks` there still
        are (none asked for: the file stays as it is)."""
        if self._old is None:
            return
        cards = {k: v for k, v in self._old.items() if k.split(":", 2)[1] in tasks}
        if not self.made and len(cards) == len(self._old):
            return
        cards.update(self.used)
        try:
            write_whole(self.path, marshal.dumps((FORMAT, self.stamp, cards)))
        except OSError as exc:  # a full disk: the next build makes them again
            log.info("plaindesk: %s not saved: %s", self.path, exc)
