"""iCalendar feeds (RFC 5545), written with the `icalendar` library: one VEVENT per
calendar event, all-day (`DTSTART;VALUE=DATE`, `DTEND` the day after the last), with a
UID that stays the same for the same record and kind, so that a calendar app subscribed
to a feed moves an event when its date changes instead of adding another. `DTSTAMP` is
the build's today (at midnight UTC): the same content and today give the same bytes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar
from icalendar import Event as VEvent

from builder.views.calendar import Event

PRODID = "-//Plaindesk//Plaindesk calendar//EN"


def uid_domain(name: str) -> str:
    """The right-hand side of every UID of a workspace: its name as a host-like word."""
    from slugify import slugify

    return f"{slugify(name) or 'workspace'}.plaindesk"


def feed(
    events: Iterable[Event],
    name: str,
    domain: str,
    today: date,
    summary: Callable[[Event], str],
    link: Callable[[Event], str | None],
) -> bytes:
    """A feed of `events` named `name`: `summary(event)` words each event's title line,
    `link(event)` gives its page's absolute URL (None: no URL property)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    stamp = datetime(today.year, today.month, today.day, tzinfo=UTC)
    for e in events:
        ev = VEvent()
        ev.add("uid", f"{e.uid}@{domain}")
        ev.add("dtstamp", stamp)
        ev.add("dtstart", e.start)
        ev.add("dtend", e.end + timedelta(days=1))
        ev.add("summary", summary(e))
        if e.detail and e.kind == "next_step":
            ev.add("description", e.detail)
        ev.add("categories", [e.kind.replace("_", "-")])
        ev.add("transp", "TRANSPARENT")  # a due date does not make anyone busy
        href = link(e)
        if href:
            ev.add("url", href)
        cal.add_component(ev)
    data: bytes = cal.to_ical()
    return data
