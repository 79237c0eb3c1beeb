"""The companies and contacts directory: filterable lists, per-tag pages, follow-ups."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from builder.model import Workspace
from builder.validate.warnings import deal_is_open
from builder.views.common import Fmt, Link, url
from builder.views.dashboard import FollowUp, follow_ups
from builder.views.paths import tag_urls


@dataclass
class CompanyRow:
    company: Link
    kind: str
    kind_label: str
    manager: Link
    contacts: int
    open_deals: int
    projects: int
    portal: bool


@dataclass
class ContactRow:
    contact: Link
    company: Link
    position: str
    tags: list[Link]  # each linked to its tag page
    email: str
    follow_up: str
    follow_up_overdue: bool
    consent: bool
    search: str


@dataclass
class TagCount:
    tag: str
    count: int
    url: str


@dataclass
class DirectoryView:
    companies: list[CompanyRow]
    contacts: list[ContactRow]
    tags: list[TagCount]
    kinds: list[tuple[str, str]]
    follow_ups: list[FollowUp] = field(default_factory=list)
    tag: str = ""  # set on a per-tag page


def contact_tag_urls(ws: Workspace) -> dict[str, str]:
    """Each contact tag's page URL (made once per workspace: every tag page lists them)."""
    found: dict[str, str] | None = ws.cache.get("contact_tag_urls")
    if found is None:
        tags = (tag for c in ws.contacts.values() for tag in c.tags)
        found = ws.cache["contact_tag_urls"] = tag_urls(tags)
    return found


def contact_rows(ws: Workspace, today: date, tag: str | None = None) -> list[ContactRow]:
    fmt = Fmt.of(ws)
    tag_url = contact_tag_urls(ws)
    rows = []
    for c in sorted(ws.contacts.values(), key=lambda c: (c.name.lower(), c.id)):
        if tag is not None and tag not in c.tags:
            continue
        company = ws.companies.get(c.company or "")
        rows.append(
            ContactRow(
                Link(c.name, url("contact", c.id)),
                Link(company.name, url("company", company.id)) if company else Link(""),
                c.position,
                [Link(t, tag_url[t]) for t in c.tags],
                c.email,
                fmt.short_date(c.follow_up),
                bool(c.follow_up and c.follow_up < today),
                c.consent,
                " ".join((c.name, c.position, company.name if company else "", *c.tags)).lower(),
            )
        )
    return rows


def tag_counts(ws: Workspace) -> list[TagCount]:
    counts: dict[str, int] = {}
    for c in ws.contacts.values():
        for tag in c.tags:
            counts[tag] = counts.get(tag, 0) + 1
    tag_url = contact_tag_urls(ws)
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [TagCount(t, n, tag_url[t]) for t, n in ordered]


def directory(ws: Workspace, today: date, tag: str | None = None) -> DirectoryView:
    fmt = Fmt.of(ws)
    contacts_of: dict[str, int] = {}
    for c in ws.contacts.values():
        if c.company:
            contacts_of[c.company] = contacts_of.get(c.company, 0) + 1
    deals_of: dict[str, int] = {}
    for d in ws.deals.values():
        if deal_is_open(ws, d):
            deals_of[d.company] = deals_of.get(d.company, 0) + 1
    projects_of: dict[str, int] = {}
    for p in ws.projects.values():
        projects_of[p.company] = projects_of.get(p.company, 0) + 1
    companies = []
    for co in sorted(ws.companies.values(), key=lambda c: (c.name.lower(), c.id)):
        manager = ws.people.get(co.manager or "")
        companies.append(
            CompanyRow(
                Link(co.name, url("company", co.id)),
                co.kind,
                fmt.t(f"kind.{co.kind}"),
                Link(manager.name, url("person", manager.id)) if manager else Link(""),
                contacts_of.get(co.id, 0),
                deals_of.get(co.id, 0),
                projects_of.get(co.id, 0),
                co.portal.enabled,
            )
        )
    kinds = [
        (k, fmt.t(f"kind.{k}"))
        for k in ("client", "partner", "media", "prospect")
        if any(c.kind == k for c in ws.companies.values())
    ]
    return DirectoryView(
        companies if tag is None else [],
        contact_rows(ws, today, tag),
        tag_counts(ws),
        kinds,
        follow_ups(ws, today),
        tag or "",
    )
