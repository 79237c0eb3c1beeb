"""What `plaindesk notify` sent, and when: the state that makes it idempotent.

One JSON file in the cache folder that CI keeps between runs
(`.plaindesk-cache/notify-state.json` beside `mkdocs.yml`): per person and channel (the
URL as written in the record, placeholders and all: never a filled secret), the time of
the last successful send and the day it was for. A day's digest goes once per person and
channel; a failed channel is not recorded, so the next run tries it again. A state file
that cannot be read is reported and replaced; losing it costs at most a repeated digest.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

STATE_FILE = "notify-state.json"
STATE_VERSION = 1


@dataclass(frozen=True)
class Sent:
    """One successful send: when, and the digest's day."""

    at: datetime
    day: date


@dataclass
class State:
    path: Path
    #: person id -> channel (as written) -> the last successful send
    sent: dict[str, dict[str, Sent]] = field(default_factory=dict)
    problem: str = ""  # why the file on disk was not used ("" when it was, or was absent)

    def sent_for(self, person: str, channel: str, day: date) -> bool:
        """True when this channel already had this person's digest of `day`."""
        found = self.sent.get(person, {}).get(channel)
        return found is not None and found.day == day

    def last_sent(self, person: str) -> datetime | None:
        """When this person last got a digest on any channel."""
        times = [s.at for s in self.sent.get(person, {}).values()]
        return max(times) if times else None

    def record(self, person: str, channel: str, at: datetime, day: date) -> None:
        self.sent.setdefault(person, {})[channel] = Sent(at, day)

    def to_json(self) -> str:
        data: dict[str, Any] = {
            "version": STATE_VERSION,
            "sent": {
                person: {
                    channel: {"at": s.at.isoformat(), "day": s.day.isoformat()}
                    for channel, s in sorted(channels.items())
                }
                for person, channels in sorted(self.sent.items())
            },
        }
        return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def load_state(path: Path) -> State:
    """The state at `path`: empty when there is none, or when it cannot be read (said in
    `State.problem`)."""
    state = State(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return state
    except (OSError, UnicodeDecodeError) as exc:
        state.problem = f"cannot read {path}: {exc}"
        return state
    try:
        data = json.loads(raw)
        if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
            raise ValueError("not a notify state of this version")
        for person, channels in data["sent"].items():
            for channel, s in channels.items():
                at = datetime.fromisoformat(s["at"])
                if at.tzinfo is None:
                    raise ValueError("a time without its offset")
                state.record(str(person), str(channel), at, date.fromisoformat(s["day"]))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        state.sent.clear()
        state.problem = f"ignored {path}: {exc}"
    return state


def save_state(state: State) -> None:
    """Write the state atomically (a crash leaves the old file or the new, never half)."""
    state.path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".notify-", suffix=".tmp", dir=state.path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(state.to_json())
        os.replace(tmp, state.path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
