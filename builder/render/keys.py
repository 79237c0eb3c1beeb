"""Fingerprints for incremental rebuilds: a page's (or a card's) key hashes the digests of
every file it shows, so an unchanged key means unchanged output."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from operator import attrgetter
from typing import Any

from builder.model import Workspace
from builder.views.common import index


def fingerprint(*parts: str) -> str:
    return hashlib.sha1("\0".join(parts).encode("utf-8")).hexdigest()


def _digest(table: dict[str, Any], ident: str | None) -> str:
    rec = table.get(ident) if ident else None
    return rec.digest if rec is not None else "-"


def record_key(ws: Workspace, kind: str, rec: Any, salt: str) -> tuple[str, ...]:
    """Everything a record page shows comes from these files: the record, the records it
    names, and the records that name it (its backlinks). Computed for every record on
    every serve rebuild, hence the plain loops, and a tuple of digests, not a digest of
    them: comparing is cheaper than hashing, and the key never leaves the process."""
    ix = index(ws)
    parts = [salt, rec.digest]
    add = parts.append
    if kind == "task":
        people = ws.people
        add(_digest(ws.projects, rec.project))
        add(_digest(people, rec.assignee))
        for p in rec.participants:
            add(_digest(people, p))
        for e in rec.time:
            add(_digest(people, e.person))
    elif kind == "deal":
        add(_digest(ws.companies, rec.company))
        add(_digest(ws.contacts, rec.contact))
        add(_digest(ws.people, rec.owner))
    elif kind == "project":
        add(_digest(ws.companies, rec.company))
        add(_digest(ws.people, rec.manager))
        parts += [t.digest for t in ix.tasks_by_project.get(rec.id, ())]
    elif kind == "company":
        add(_digest(ws.people, rec.manager))
        parts += [c.digest for c in ix.contacts_by_company.get(rec.id, ())]
        parts += [d.digest for d in ix.deals_by_company.get(rec.id, ())]
        parts += [p.digest for p in ix.projects_by_company.get(rec.id, ())]
    elif kind == "contact":
        add(_digest(ws.companies, rec.company))
        add(_digest(ws.people, rec.owner))
        parts += [d.digest for d in ix.deals_by_contact.get(rec.id, ())]
    return tuple(parts)


def table_digest(ws: Workspace, kind: str) -> str:
    """One digest over every record of a kind (computed once per workspace; the records'
    order is the listing's, which a fresh run keeps: at worst a reordering is a change)."""
    found: dict[str, str] = ws.cache.setdefault("table_digests", {})
    if kind not in found:
        table = ws.table(kind)
        found[kind] = fingerprint("\1".join(table), "\1".join(map(_DIGEST, table.values())))
    return found[kind]


_DIGEST = attrgetter("digest")


def view_key(ws: Workspace, salt: str, kinds: Iterable[str], *parts: str) -> str:
    """A view page's key: the salt, every record of the `kinds` it reads, and `parts`
    (digests of the few records of another kind it shows, e.g. one project's tasks)."""
    return fingerprint(salt, *(table_digest(ws, k) for k in kinds), *parts)
