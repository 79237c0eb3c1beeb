"""Fingerprints for incremental rebuilds: a page's (or a card's) key hashes the digests of
every file it shows, so an unchanged key means unchanged output."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from operator import attrgetter
from typing import Any

from builder.model import Workspace
from builder.model.records import Workflow
from builder.model.settings_keys import settings_keys
from builder.views.derived import Derived


def fingerprint(*parts: str) -> str:
    """One hex digest of `parts`, in order."""
    return hashlib.sha1("\0".join(parts).encode("utf-8")).hexdigest()


def key_digest(key: str | tuple[str, ...]) -> str:
    """A page key as it can be kept on disk (`plaindesk build`'s state): a view key is a
    digest already; a record key's tuple of digests is hashed into one."""
    return key if isinstance(key, str) else fingerprint(*key)


#: A record as a page key reads it: (kind, id).
Ref = tuple[str, str]


def record_key(
    ws: Workspace,
    derived: Derived,
    kind: str,
    rec: Any,
    salt: str,
    hk: HistoryKeys | None = None,
    reads: list[Ref] | None = None,
) -> tuple[str, ...]:
    """Everything a record page shows comes from these files: the record, the records it
    names, and the records that name it (its backlinks); with `hk`, what it shows of the
    git history (`HistoryKeys`); what it shows of the workflows and pipelines
    (`SettingsKeys`; `salt` holds the rest of workspace.yml). A tuple of digests, not a
    digest of them: comparing is cheaper than hashing, and the key never leaves the
    process. `reads` (serve's `RecordKeys`) receives every other record it read, named
    whether it exists or not."""
    parts = [salt, rec.digest]
    if hk is not None and hk.on:
        _history_parts(hk, derived.index, kind, rec, parts)
    _PARTS[kind](_KeyParts(ws, derived, parts, reads), rec, hk)
    return tuple(parts)


class _KeyParts:
    """A record key's parts as they are added: a record's digest by reference, and, when
    `reads` is given, which records were read."""

    __slots__ = ("ix", "parts", "reads", "sk", "ws")

    def __init__(
        self, ws: Workspace, derived: Derived, parts: list[str], reads: list[Ref] | None
    ) -> None:
        self.ws, self.ix, self.sk = ws, derived.index, settings_keys(ws.settings)
        self.parts, self.reads = parts, reads

    def add(self, part: str) -> None:
        self.parts.append(part)

    def ref(self, kind: str, ident: str | None) -> None:
        """The digest of the record `ident` names ("-": none)."""
        rec = self.ws.table(kind).get(ident) if ident else None
        self.parts.append(rec.digest if rec is not None else "-")
        if self.reads is not None:
            self.reads.append((kind, ident or ""))

    def shown(self, kind: str, ident: str, part: str) -> None:
        """What the page shows of workspace.yml's workflow or pipeline `ident` (or of one
        column of a workflow): `part`, read as `settings_digest` reads it again."""
        self.parts.append(part)
        if self.reads is not None:
            self.reads.append((kind, ident))

    def listed(self, kind: str, records: Iterable[Any]) -> None:
        """The digests of records listed on the page (its backlinks)."""
        self.parts.extend(r.digest for r in records)
        if self.reads is not None:
            self.reads.extend((kind, r.id) for r in records)


def _task_parts(k: _KeyParts, task: Any, hk: HistoryKeys | None) -> None:
    flow, statuses = _task_columns(k.ws, task, hk)
    for status in dict.fromkeys(statuses):
        k.shown("column", f"{flow.id}\0{status}", k.sk.columns(flow, (status,)))
    k.ref("project", task.project)
    k.ref("person", task.assignee)
    for p in task.participants:
        k.ref("person", p)
    for e in task.time:
        k.ref("person", e.person)


def _deal_parts(k: _KeyParts, deal: Any, hk: HistoryKeys | None) -> None:
    pipeline = k.ws.pipeline_of(deal)
    k.shown("pipeline", pipeline.id, k.sk.pipeline(pipeline))
    k.ref("company", deal.company)
    k.ref("contact", deal.contact)
    k.ref("person", deal.owner)
    k.ref("project", deal.project)


def _project_parts(k: _KeyParts, project: Any, hk: HistoryKeys | None) -> None:
    tasks = k.ix.tasks_by_project.get(project.id, ())
    # its workflow's name, and its tasks' columns (their names; done or not)
    flow = k.ws.workflow_of(project)
    k.shown("workflow", flow.id, flow.name)
    for status in sorted({t.status for t in tasks}):
        k.shown("column", f"{flow.id}\0{status}", k.sk.columns(flow, (status,)))
    k.ref("company", project.company)
    k.ref("person", project.manager)
    k.listed("task", tasks)
    k.listed("deal", k.ix.deals_by_project.get(project.id, ()))
    # the media list: each contact pitched about it, their outlet, who pitched them
    for c, e in k.ix.outreach_by_project.get(project.id, ()):
        k.listed("contact", (c,))
        k.ref("company", c.company)
        k.ref("person", e.person)


def _company_parts(k: _KeyParts, company: Any, hk: HistoryKeys | None) -> None:
    k.ref("person", company.manager)
    k.listed("contact", k.ix.contacts_by_company.get(company.id, ()))
    k.listed("project", k.ix.projects_by_company.get(company.id, ()))
    for d in k.ix.deals_by_company.get(company.id, ()):
        k.listed("deal", (d,))
        pipeline = k.ws.pipeline_of(d)  # its stage, won or not
        k.shown("pipeline", pipeline.id, k.sk.pipeline(pipeline))
        k.ref("project", d.project)


def _contact_parts(k: _KeyParts, contact: Any, hk: HistoryKeys | None) -> None:
    k.ref("company", contact.company)
    k.ref("person", contact.owner)
    k.listed("deal", k.ix.deals_by_contact.get(contact.id, ()))
    for e in contact.log:  # the timeline names who and what about
        k.ref("person", e.person)
        k.ref("project", e.about)
        k.ref("task", e.about)
        k.ref("deal", e.about)


_PARTS = {
    "task": _task_parts,
    "deal": _deal_parts,
    "project": _project_parts,
    "company": _company_parts,
    "contact": _contact_parts,
}


def _task_columns(ws: Workspace, task: Any, hk: HistoryKeys | None) -> tuple[Workflow, list[str]]:
    """What a task's page shows of its workflow: its status's column and, when its
    timeline shows, every column it stood in (a status never set: the backlog)."""
    flow = ws.workflow_of(ws.projects.get(task.project))
    if hk is None or not hk.on or hk.history.get("task", task.id) is None:
        return flow, [task.status]
    past = hk.history.statuses(task.id)
    return flow, [task.status, flow.backlog, *(s or flow.backlog for s in past)]


#: What record pages read of workspace.yml, named as records are (`_KeyParts.shown`): a
#: project its workflow's name, a project or task a column of a workflow
#: ("workflow-id\0status": its name and place), a deal or company a pipeline.
SETTINGS_KINDS = frozenset({"workflow", "column", "pipeline"})


def settings_digest(ws: Workspace, ref: Ref) -> str:
    """What a page reading `ref` (one of SETTINGS_KINDS) shows of it now ("-": gone)."""
    kind, ident = ref
    sk, settings = settings_keys(ws.settings), ws.settings
    if kind == "pipeline":
        pipeline = settings.pipelines.get(ident)
        return sk.pipeline(pipeline) if pipeline is not None else "-"
    flow_id, _, status = ident.partition("\0")
    flow = settings.workflows.get(flow_id)
    if flow is None:
        return "-"
    return flow.name if kind == "workflow" else sk.columns(flow, (status,))


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
        if not h.records:  # no record has a history: the charts are empty, whatever the tasks
            return self.status
        return fingerprint(self.status, *(h.digest("task", t) for t in tasks))

    def kind(self, kind: str) -> str:
        """Every record of `kind`'s history, and the status (the funnels' notes)."""
        h = self.history
        return "" if h is None else f"{h.kind_digest(kind)}:{self.status}"


_digest = attrgetter("digest")


def _digests(table: dict[str, Any]) -> dict[str, str]:
    """id -> digest of a table's records (13,500 at scale 1 each rebuild: made without a
    Python-level loop)."""
    return dict(zip(table.keys(), map(_digest, table.values()), strict=True))


#: The record types that have a page, in the order the site lists them.
PAGE_KINDS = ("project", "company", "contact", "deal", "task")
#: Every record type a record page's key reads (people have view pages, not record pages).
READ_KINDS = (*PAGE_KINDS, "person")


class RecordKeys:
    """Serve's record page keys, kept between rebuilds with what each one read, so that an
    edit computes again only the keys it can change (13,500 keys are most of a task
    move's generation at scale 1).

    A record page's key reads the record, the records it names and those naming it
    (`record_key`'s `reads`), the history chips of the records it lists, and what every
    record page shares (the salt, the workflows and pipelines, the history's commits and
    uncommitted files, the audience: `context`). When the context is the last rebuild's,
    the keys computed again are those of:
    - the records whose digest changed, that came or went, or whose chip changed;
    - the pages that read one of them in the last rebuild (`readers`: a task's project
      lists it, a deal's contact its deals);
    - the pages that read one of them now (a task moved to another project is in that
      project's list now), found in the changed records' own new reads: every record
      naming another is in what its own key reads.
    Any other page's key reads only records whose digests and chips are unchanged, under
    the same context, and so is unchanged. `tests/test_record_keys.py` holds the kept keys
    equal to keys computed anew after each kind of edit."""

    def __init__(self) -> None:
        self.context: tuple[object, ...] = ()
        self.keys: dict[Ref, tuple[str, ...]] = {}
        self.reads: dict[Ref, tuple[Ref, ...]] = {}  # page -> the records it read
        self.readers: dict[Ref, set[Ref]] = {}  # record -> the pages that read it
        #: kind -> id -> the record's digest, as last keyed
        self.seen: dict[str, dict[str, str]] = {}
        self.chips: tuple[dict[str, Any], ...] = ({}, {}, {})
        self.computed: set[Ref] = set()  # the keys the last `update` computed
        self.full = True  # whether the last `update` computed every key (a new context)
        self.derived: Derived | None = None  # what the last `update` was for
        self.updates = 0  # how many rebuilds `update` has seen
        #: the records whose digest changed, came or went in the last `update` (None: the
        #: first, which has nothing to compare with)
        self.changed: set[Ref] | None = None

    def changed_since(self, updates: int) -> set[Ref] | None:
        """The records that changed since the rebuild whose `updates` count was
        `updates`: known only when that was the last one but this (None: a view kept
        from an older rebuild, or from none, looks at everything again)."""
        return self.changed if updates == self.updates - 1 else None

    def update(
        self,
        ws: Workspace,
        derived: Derived,
        salt: str,
        hk: HistoryKeys,
        context: tuple[object, ...],
    ) -> dict[Ref, tuple[str, ...]]:
        """Every record page's key, by (kind, id) (computed once per rebuild: `derived`
        is the rebuild's)."""
        if derived is self.derived and context == self.context:
            return self.keys
        chips: tuple[dict[str, Any], ...] = (derived.stuck, derived.idle, derived.contact_touched)
        seen = {kind: _digests(ws.table(kind)) for kind in READ_KINDS}
        for kind in SETTINGS_KINDS:  # the workflows' and pipelines' parts pages read
            seen[kind] = {i: settings_digest(ws, (kind, i)) for i in self.seen.get(kind, ())}
        self.computed = set()
        self.updates += 1
        self.changed = self._changed(seen) if self.seen else None
        self.full = context != self.context or not self.seen
        if self.full:
            self.keys, self.reads, self.readers = {}, {}, {}
            for kind in PAGE_KINDS:
                for ident in seen[kind]:
                    self._compute(ws, derived, (kind, ident), salt, hk)
        else:
            self._recompute(ws, derived, salt, hk, seen, chips)
        # parts of workspace.yml read for the first time: by a page computed now (every
        # other page's reads were known, and their parts kept in `seen`, last time)
        for page in self.computed:
            for kind, ident in self.reads[page]:
                if kind in SETTINGS_KINDS and ident not in seen[kind]:
                    seen[kind][ident] = settings_digest(ws, (kind, ident))
        self.context, self.seen, self.chips, self.derived = context, seen, chips, derived
        return self.keys

    def _recompute(
        self,
        ws: Workspace,
        derived: Derived,
        salt: str,
        hk: HistoryKeys,
        seen: dict[str, dict[str, str]],
        chips: tuple[dict[str, Any], ...],
    ) -> None:
        """Under the last rebuild's context: the keys of what changed and of the pages
        that read it, before or now."""
        assert self.changed is not None
        changed = set(self.changed)
        for kind, now, before in zip(("task", "deal", "contact"), chips, self.chips, strict=True):
            if now != before:
                differ = (i for i in now.keys() | before.keys() if now.get(i) != before.get(i))
                changed.update((kind, i) for i in differ)
        done: set[Ref] = set()
        todo: set[Ref] = set()
        for ref in changed:
            todo.update(self.readers.get(ref, ()))
            if ref[1] not in seen[ref[0]]:
                self._forget(ref)
            elif ref[0] in PAGE_KINDS:
                todo.update(self._compute(ws, derived, ref, salt, hk))
                done.add(ref)
        for ref in todo - done:
            if ref[0] in PAGE_KINDS and ref[1] in seen[ref[0]]:
                self._compute(ws, derived, ref, salt, hk)

    def _changed(self, seen: dict[str, dict[str, str]]) -> set[Ref]:
        """The records (and workflows' and pipelines' parts) whose digest is not the last
        rebuild's, and those gone since (or come): per kind, the (id, digest) pairs one
        rebuild has and the other not."""
        changed: set[Ref] = set()
        for kind, now in seen.items():
            before = self.seen.get(kind, {})
            if now != before:
                changed.update((kind, ident) for ident, _ in now.items() ^ before.items())
        return changed

    def _compute(
        self, ws: Workspace, derived: Derived, ref: Ref, salt: str, hk: HistoryKeys
    ) -> list[Ref]:
        kind, ident = ref
        reads: list[Ref] = []
        self.keys[ref] = record_key(ws, derived, kind, ws.table(kind)[ident], salt, hk, reads)
        self.computed.add(ref)
        readers = self.readers
        for r in self.reads.get(ref, ()):
            readers[r].discard(ref)
        for r in reads:
            found = readers.get(r)
            if found is None:
                readers[r] = {ref}
            else:
                found.add(ref)
        self.reads[ref] = tuple(reads)
        return reads

    def _forget(self, ref: Ref) -> None:
        """A record that is gone: its page's key and reads (who read it stays known: a
        record of its id may come back)."""
        self.keys.pop(ref, None)
        for r in self.reads.pop(ref, ()):
            self.readers[r].discard(ref)
