"""Fingerprints for incremental rebuilds: a page's (or a card's) key hashes the digests of
every file it shows, so an unchanged key means unchanged output."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from builder.model import Workspace
from builder.model.settings_keys import SettingsKeys, settings_keys
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


def record_key(
    ws: Workspace,
    derived: Derived,
    kind: str,
    rec: Any,
    salt: str,
    hk: HistoryKeys | None = None,
) -> tuple[str, ...]:
    """Everything a record page shows comes from these files: the record, the records it
    names, and the records that name it (its backlinks); with `hk`, what it shows of the
    git history (`HistoryKeys`); what it shows of the workflows and pipelines
    (`SettingsKeys`; `salt` holds the rest of workspace.yml). Computed for every record
    on every serve rebuild, hence the plain loops, and a tuple of digests, not a digest
    of them: comparing is cheaper than hashing, and the key never leaves the process."""
    ix = derived.index
    parts = [salt, rec.digest]
    add = parts.append
    if hk is not None and hk.on:
        _history_parts(hk, ix, kind, rec, parts)
    sk = settings_keys(ws.settings)
    if kind == "task":
        add(_task_columns(ws, sk, rec, hk))
        people = ws.people
        add(_digest(ws.projects, rec.project))
        add(_digest(people, rec.assignee))
        for p in rec.participants:
            add(_digest(people, p))
        for e in rec.time:
            add(_digest(people, e.person))
    elif kind == "deal":
        add(sk.pipeline(ws.pipeline_of(rec)))
        add(_digest(ws.companies, rec.company))
        add(_digest(ws.contacts, rec.contact))
        add(_digest(ws.people, rec.owner))
        add(_digest(ws.projects, rec.project))
    elif kind == "project":
        tasks = ix.tasks_by_project.get(rec.id, ())
        # its workflow's name, and its tasks' columns (their names; done or not)
        flow = ws.workflow_of(rec)
        add(flow.name)
        add(sk.columns(flow, sorted({t.status for t in tasks})))
        add(_digest(ws.companies, rec.company))
        add(_digest(ws.people, rec.manager))
        parts += [t.digest for t in tasks]
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
            add(sk.pipeline(ws.pipeline_of(d)))  # its stage, won or not
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


def _task_columns(ws: Workspace, sk: SettingsKeys, task: Any, hk: HistoryKeys | None) -> str:
    """What a task's page shows of its workflow: its status's column and, when its
    timeline shows, every column it stood in (a status never set: the backlog)."""
    flow = ws.workflow_of(ws.projects.get(task.project))
    if hk is None or not hk.on or hk.history.get("task", task.id) is None:
        return sk.columns(flow, (task.status,))
    past = hk.history.statuses(task.id)
    return sk.columns(flow, [task.status, flow.backlog, *(s or flow.backlog for s in past)])


def _history_parts(hk: HistoryKeys, ix: Any, kind: str, rec: Any, parts: list[str]) -> None:
    """What a record's page shows of the history: a task's or deal's own timeline and
    chip; the chips of the tasks, deals and contacts a page lists."""
    if kind == "task":
        parts += hk.own("task", rec.id)
        parts.append(hk.chips("task", (rec.id,)))
    elif kind == "deal":
        parts += hk.own("deal", rec.id)
        parts.append(hk.chips("deal", (rec.id,)))
    elif kind == "project":
        parts.append(hk.chips("task", [t.id for t in ix.tasks_by_project.get(rec.id, ())]))
        parts.append(hk.chips("deal", [d.id for d in ix.deals_by_project.get(rec.id, ())]))
        parts.append(hk.chips("contact", [c.id for c, _ in ix.outreach_by_project.get(rec.id, ())]))
    elif kind == "company":
        parts.append(hk.chips("deal", [d.id for d in ix.deals_by_company.get(rec.id, ())]))
        parts.append(hk.chips("contact", [c.id for c in ix.contacts_by_company.get(rec.id, ())]))
    elif kind == "contact":
        parts.append(hk.chips("contact", (rec.id,)))
        parts.append(hk.chips("deal", [d.id for d in ix.deals_by_contact.get(rec.id, ())]))


def view_key(derived: Derived, salt: str, kinds: Iterable[str], *parts: str) -> str:
    """A view page's key: the salt, every record of the `kinds` it reads, and `parts`
    (digests of the few records of another kind it shows, e.g. one project's tasks)."""
    return fingerprint(salt, *(derived.table_digests[k] for k in kinds), *parts)


class HistoryKeys:
    """What pages show of the git history, as parts of their keys: no page's key holds
    the history as a whole (a commit count, HEAD), so a commit re-renders only the pages
    that show what it changed.

    - a task's or a deal's page: its own history (`History.digest`: its timeline), and
      the history's status when its timeline is incomplete (the notes say what is missing);
    - a card or list entry of another record: what it shows of that record's history
      (`chips`): a task's stuck chip, a deal's idle days, a contact's last change in git
      (a cadence counts from it);
    - a project's board: its cards' histories (the flow charts, the stuck cards) and the
      status (the charts' notes);
    - the funnels: every deal's history (conversions) and the status; the profitability
      report and the statements: every task's history (the day each was done).

    The activity feed and the dashboard have no key (they are always rendered).
    Without a history (`plaindesk build` with `history` off) every part is empty."""

    def __init__(self, history: Any, derived: Derived) -> None:
        self.history = history
        self.stuck = derived.stuck
        self.idle = derived.idle
        self.touched = derived.contact_touched
        self._whole: dict[str, str] = {}
        if history is None:
            self.status = ""
        else:
            st = history.status
            # what `activity.history_notes` words (the state, its reason and a shallow
            # clone's start are in the salt: `generate`'s history_key)
            self.status = f"{st.later}:{len(st.uncommitted)}:{st.complete}"

    @property
    def on(self) -> bool:
        return self.history is not None

    def own(self, kind: str, ident: str) -> tuple[str, ...]:
        """A task's or a deal's page: its history, and the notes its timeline may show."""
        h = self.history
        if h is None:
            return ()
        rec = h.get(kind, ident)
        notes = self.status if rec is not None and rec.created is None else ""
        return (h.digest(kind, ident), notes)

    def chips(self, kind: str, idents: Iterable[str]) -> str:
        """What cards of `kind` show of their records' histories, for the `idents`."""
        if self.history is None:
            return ""
        get = self._shown(kind).get
        return repr([get(i) for i in idents])

    def all_chips(self, kind: str) -> str:
        """What every card of `kind` shows of the history (a page listing them all)."""
        if self.history is None:
            return ""
        found = self._whole.get(kind)
        if found is None:
            shown = self._shown(kind)
            found = self._whole[kind] = fingerprint(repr(sorted(shown.items())))
        return found

    def _shown(self, kind: str) -> dict[str, Any]:
        shown: dict[str, Any] = (
            self.stuck if kind == "task" else self.idle if kind == "deal" else self.touched
        )
        return shown

    def board(self, tasks: Iterable[str]) -> str:
        """A project board's flow: the histories of its tasks (deleted ones that were last
        on it too, `history.board_tasks`) and the status its charts' notes word."""
        h = self.history
        if h is None:
            return ""
        return fingerprint(self.status, *(h.digest("task", t) for t in tasks))

    def kind(self, kind: str) -> str:
        """Every record of `kind`'s history, and the status (the funnels' notes)."""
        h = self.history
        return "" if h is None else f"{h.kind_digest(kind)}:{self.status}"
