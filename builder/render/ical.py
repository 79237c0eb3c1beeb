"""iCalendar feeds (RFC 5545), written with the `icalendar` library: one VEVENT per
calendar event, all-day (`DTSTART;VALUE=DATE`, `DTEND` the day after the last), with a
UID that stays the same for the same record and kind, so that a calendar app subscribed
to a feed moves an event when its date changes instead of adding another. `DTSTAMP` is
the build's today (at midnight UTC): the same content and today give the same bytes.

An event stands in several feeds (the team's, its person's, its project's): `FeedWriter`
has the library serialise each event once and puts the same bytes in every feed that
holds it, inside a calendar the library writes too."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from icalendar import Calendar
from icalendar import Event as VEvent

from builder.output import write_whole
from builder.views.calendar import Event

PRODID = "-//Plaindesk//Plaindesk calendar//EN"
_END = b"END:VCALENDAR\r\n"
#: The VEVENTs of the last writer, by what they were written from: `serve` rebuilds the
#: feeds after every edit, and serialises again only the events the edit changed.
_KEPT: dict[tuple[object, ...], dict[Event, bytes]] = {}


def one_line(text: str) -> str:
    """A title as one line: names may hold line breaks (and other white space), which a
    calendar's one-line properties cannot."""
    return " ".join(text.split())


def uid_domain(name: str) -> str:
    """The right-hand side of every UID of a workspace: its name as a host-like word."""
    from slugify import slugify

    return f"{slugify(name) or 'workspace'}.plaindesk"


class FeedWriter:
    """Writes feeds of events for one workspace and day. `summary(event)` words an
    event's title line, `link(event)` gives its page's absolute URL (None: no URL)."""

    def __init__(
        self,
        domain: str,
        today: date,
        summary: Callable[[Event], str],
        link: Callable[[Event], str | None],
        words: tuple[object, ...] = (),
        store: Path | None = None,
        text: Callable[[Event], str] = repr,
    ) -> None:
        """`words`: what `summary` and `link` depend on besides the event (the locale, the
        site's address); events written before with the same are taken as written.
        `store` (a file; `plaindesk build`) keeps them between processes (`save`), by a
        digest of the event's `text` (its repr, or the very text the caller has made of
        it already: the calendar pages' keys hold each event's)."""
        self.domain = domain
        self.text = text
        self.stamp = datetime(today.year, today.month, today.day, tzinfo=UTC)
        self.summary, self.link = summary, link
        self.written: dict[Event, bytes] = {}
        self.store = store if words else None
        self.stored: dict[str, bytes] = {}
        self.used: dict[str, bytes] = {}
        self.words = ""
        if words:
            key = (domain, today, *words)
            if key not in _KEPT:
                _KEPT.clear()
                _KEPT[key] = {}
            self.written = _KEPT[key]
            if store is not None:
                self.words = repr(key)
                self.stored = _load(store, self.words)

    def event(self, e: Event) -> bytes:
        """The VEVENT of `e`, serialised once (and with a `store`, once across builds)."""
        found = self.written.get(e)
        if self.store is None:
            if found is None:
                found = self.written[e] = self._serialise(e)
            return found
        digest = hashlib.sha1(self.text(e).encode("utf-8")).hexdigest()
        if found is None:
            found = self.stored.get(digest) or self._serialise(e)
            self.written[e] = found
        self.used[digest] = found
        return found

    def _serialise(self, e: Event) -> bytes:
        ev = VEvent()
        ev.add("uid", f"{e.uid}@{self.domain}")
        ev.add("dtstamp", self.stamp)
        ev.add("dtstart", e.start)
        ev.add("dtend", e.end + timedelta(days=1))
        ev.add("summary", one_line(self.summary(e)))
        if e.detail and e.kind == "next_step":
            ev.add("description", e.detail)
        ev.add("categories", [e.kind.replace("_", "-")])
        ev.add("transp", "TRANSPARENT")  # a due date does not make anyone busy
        href = self.link(e)
        if href:
            ev.add("url", href)
        return bytes(ev.to_ical())

    def save(self) -> None:
        """Keep the events written now in `store` for the next build (a write that fails
        only costs the next build the serialising)."""
        if self.store is None:
            return
        data = {k: v.decode("utf-8") for k, v in self.used.items()}
        try:
            self.store.parent.mkdir(parents=True, exist_ok=True)
            text = json.dumps({"words": self.words, "events": data})
            write_whole(self.store, text.encode("utf-8"))
        except OSError:
            pass

    def feed(self, events: Iterable[Event], name: str) -> bytes:
        """A calendar named `name` holding `events`, in their order."""
        cal = Calendar()
        cal.add("prodid", PRODID)
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        # an extension property: icalendar writes it without escaping line breaks
        cal.add("x-wr-calname", one_line(name))
        shell: bytes = cal.to_ical()
        assert shell.endswith(_END)
        return shell[: -len(_END)] + b"".join(map(self.event, events)) + _END


def feed(
    events: Iterable[Event],
    name: str,
    domain: str,
    today: date,
    summary: Callable[[Event], str],
    link: Callable[[Event], str | None],
) -> bytes:
    """One feed of `events` (see `FeedWriter`)."""
    return FeedWriter(domain, today, summary, link).feed(events, name)


def _load(store: Path, words: str) -> dict[str, bytes]:
    """The events a build kept in `store` with the same `words`; none if it is unreadable."""
    try:
        raw = json.loads(store.read_text(encoding="utf-8"))
        if raw.get("words") != words:
            return {}
        return {str(k): str(v).encode("utf-8") for k, v in raw["events"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}
