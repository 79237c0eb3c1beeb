"""The companies and contacts directory: filterable lists, per-tag pages, follow-ups."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from builder.model import Company, Workspace
from builder.model.schema import COMPANY_KINDS, CompanyKind
from builder.views.common import Fmt, Link, url
from builder.views.dashboard import FollowUp, follow_ups
from builder.views.paging import PageLink, chunks, pager

if TYPE_CHECKING:
    from builder.views.derived import Derived


@dataclass
class CompanyRow:
    company: Link
    kind: CompanyKind
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
    kinds: list[tuple[CompanyKind, str]]  # the kinds in use, with their labels
    follow_ups: list[FollowUp] = field(default_factory=list)
    tag: str = ""  # set on a per-tag page
    has_deals: bool = True  # False on an audience's site without deals: no column for them
    pages: list[PageLink] = field(default_factory=list)  # a paged list's pages, A–Z
    start: int = 1  # 1-based position of this page's first row
    total: int = 0  # rows over all the pages


def paged(view: DirectoryView, first_url: str, size: int, contacts: bool) -> list[DirectoryView]:
    """`view` cut into pages of `size` contacts (or companies: `contacts` false) by name,
    each page labelled by the letters its names run from and to; the tag list and the
    follow-ups stand on each page."""
    rows: Sequence[Any] = view.contacts if contacts else view.companies
    pages = chunks(rows, size)

    def name(row: Any) -> str:
        return str(row.contact.text if contacts else row.company.text)

    out = []
    for i, items in enumerate(pages, 1):
        out.append(
            replace(
                view,
                contacts=list(items) if contacts else view.contacts,
                companies=view.companies if contacts else list(items),
                pages=pager(first_url, pages, i, name),
                start=(i - 1) * max(1, size) + 1,
                total=len(rows),
            )
        )
    return out


def contact_rows(
    ws: Workspace, derived: Derived, today: date, tag: str | None = None
) -> list[ContactRow]:
    """Every contact (or those with `tag`), by name."""
    fmt = Fmt.of(ws)
    tag_url = derived.contact_tag_urls
    rows = []
    for c in sorted(ws.contacts.values(), key=lambda c: (c.name.lower(), c.id)):
        if tag is not None and tag not in c.tags:
            continue
        company = ws.companies.get(c.company or "")
        rows.append(
            ContactRow(
                contact=Link(c.name, url("contact", c.id)),
                company=Link(company.name, url("company", company.id)) if company else Link(""),
                position=c.position,
                tags=[Link(t, tag_url[t]) for t in c.tags],
                email=c.email,
                follow_up=fmt.short_date(c.follow_up),
                follow_up_overdue=bool(c.follow_up and c.follow_up < today),
                consent=c.consent,
                search=" ".join(
                    (c.name, c.position, company.name if company else "", *c.tags)
                ).lower(),
            )
        )
    return rows


def tag_counts(ws: Workspace, derived: Derived) -> list[TagCount]:
    """Each contact tag with how many contacts carry it, most used first."""
    counts: dict[str, int] = {}
    for c in ws.contacts.values():
        for tag in c.tags:
            counts[tag] = counts.get(tag, 0) + 1
    tag_url = derived.contact_tag_urls
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [TagCount(t, n, tag_url[t]) for t, n in ordered]


def _count_by(keys: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    return counts


def company_rows(ws: Workspace) -> list[CompanyRow]:
    """Every company, by name, with its contacts, open deals and projects counted."""
    fmt = Fmt.of(ws)
    contacts_of = _count_by([c.company for c in ws.contacts.values() if c.company])
    deals_of = _count_by([d.company for d in ws.deals.values() if ws.deal_is_open(d)])
    projects_of = _count_by([p.company for p in ws.projects.values()])
    return [
        _company_row(co, ws, fmt, contacts_of, deals_of, projects_of)
        for co in sorted(ws.companies.values(), key=lambda c: (c.name.lower(), c.id))
    ]


def _company_row(
    co: Company,
    ws: Workspace,
    fmt: Fmt,
    contacts_of: dict[str, int],
    deals_of: dict[str, int],
    projects_of: dict[str, int],
) -> CompanyRow:
    manager = ws.people.get(co.manager or "")
    return CompanyRow(
        company=Link(co.name, url("company", co.id)),
        kind=co.kind,
        kind_label=fmt.t(f"kind.{co.kind}"),
        manager=Link(manager.name, url("person", manager.id)) if manager else Link(""),
        contacts=contacts_of.get(co.id, 0),
        open_deals=deals_of.get(co.id, 0),
        projects=projects_of.get(co.id, 0),
        portal=co.portal.enabled,
    )


def directory(
    ws: Workspace, derived: Derived, today: date, tag: str | None = None
) -> DirectoryView:
    """The companies and contacts directory, or one contact tag's page (`tag`)."""
    fmt = Fmt.of(ws)
    in_use = {c.kind for c in ws.companies.values()}
    return DirectoryView(
        companies=company_rows(ws) if tag is None else [],
        contacts=contact_rows(ws, derived, today, tag),
        tags=tag_counts(ws, derived),
        kinds=[(k, fmt.t(f"kind.{k}")) for k in COMPANY_KINDS if k in in_use],
        follow_ups=follow_ups(ws, derived, today),
        tag=tag or "",
        has_deals=bool(ws.settings.pipelines),
    )
