"""Fingerprints for incremental rebuilds: a page's (or a card's) key hashes the digests of
every file it shows, so an unchanged key means unchanged output."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from builder.model import Workspace
from builder.views.derived import Derived


def fingerprint(*parts: str) -> str:
    """One hex digest of `parts`, in order."""
    return hashlib.sha1("\0".join(parts).encode("utf-8")).hexdigest()


def key_digest(key: str | tuple[str, ...]) -> str:
    """A page key as it can be kept on disk (`plaindesk build`'s state): a view key is a
    digest already; a record key's tuple of digests is hashed into one."""
    return key if isinstance(key, str) else fingerprint(*key)


def _digest(table: dict[str, Any], ident: str | None) -> str:
    rec = table.get(ident) if ident else None
    return rec.digest if rec is not None else "-"


def record_key(ws: Workspace, derived: Derived, kind: str, rec: Any, salt: str) -> tuple[str, ...]:
    """Everything a record page shows comes from these files: the record, the records it
    names, and the records that name it (its backlinks). Computed for every record on
    every serve rebuild, hence the plain loops, and a tuple of digests, not a digest of
    them: comparing is cheaper than hashing, and the key never leaves the process."""
    ix = derived.index
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
        add(_digest(ws.projects, rec.project))
    elif kind == "project":
        add(_digest(ws.companies, rec.company))
        add(_digest(ws.people, rec.manager))
        parts += [t.digest for t in ix.tasks_by_project.get(rec.id, ())]
        parts += [d.digest for d in ix.deals_by_project.get(rec.id, ())]
        # the media list: each contact pitched about it, their outlet, who pitched them
        for c, e in ix.outreach_by_project.get(rec.id, ()):
            add(c.digest)
            add(_digest(ws.companies, c.company))
            add(_digest(ws.people, e.person))
    elif kind == "company":
        add(_digest(ws.people, rec.manager))
        parts += [c.digest for c in ix.contacts_by_company.get(rec.id, ())]
        parts += [p.digest for p in ix.projects_by_company.get(rec.id, ())]
        for d in ix.deals_by_company.get(rec.id, ()):
            add(d.digest)
            add(_digest(ws.projects, d.project))
    elif kind == "contact":
        add(_digest(ws.companies, rec.company))
        add(_digest(ws.people, rec.owner))
        parts += [d.digest for d in ix.deals_by_contact.get(rec.id, ())]
        for e in rec.log:  # the timeline names who and what about
            add(_digest(ws.people, e.person))
            add(_digest(ws.projects, e.about))
            add(_digest(ws.tasks, e.about))
            add(_digest(ws.deals, e.about))
    return tuple(parts)


def view_key(derived: Derived, salt: str, kinds: Iterable[str], *parts: str) -> str:
    """A view page's key: the salt, every record of the `kinds` it reads, and `parts`
    (digests of the few records of another kind it shows, e.g. one project's tasks)."""
    return fingerprint(salt, *(derived.table_digests[k] for k in kinds), *parts)
