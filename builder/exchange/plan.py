"""The import plan: incoming records checked against the workspace and each other, then
made into new files by the `new` command's machinery, before anything is written.

Duplicates are found by normalised e-mail, by phone number (read with `phonenumbers`, the
workspace's country as the default region) and by name + company, against the records on
disk and the ones met earlier in the same file: one person never becomes two records, and an
existing record is never overwritten (`update` fills its empty fields, changing only those
lines). A row that cannot become a valid record is reported with why, and skipped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from builder.edit.desk import Desk, EditError, Refused
from builder.edit.new import new
from builder.edit.plan import FileChange, checked_change
from builder.edit.render import flow, scalar
from builder.edit.surgery import set_field
from builder.exchange import values as cells
from builder.model.schema import SPECS, FieldSpec, record_fields


@dataclass
class Incoming:
    """One record read from a file: its type, its field values as text (references by
    id, name or e-mail: resolved here), its body, and where in the file it came from."""

    kind: str
    where: str
    values: dict[str, object] = field(default_factory=dict)
    body: str = ""

    @property
    def title(self) -> str:
        return str(self.values.get(SPECS[self.kind].title_field) or "")


@dataclass(frozen=True)
class Duplicate:
    """An incoming record that is a record already: `of` names it (a type and id, or where
    in the file it came first)."""

    where: str
    title: str
    of: str
    why: str


@dataclass(frozen=True)
class Skipped:
    """A row (card, line) that cannot be used, and why."""

    where: str
    why: str


@dataclass
class ImportPlan:
    """What an import will do: files to create or change, and what it leaves out."""

    created: dict[str, list[str]] = field(default_factory=dict)  # type -> new ids
    changes: list[FileChange] = field(default_factory=list)
    updated: list[tuple[str, list[str]]] = field(default_factory=list)  # label, fields
    duplicates: list[Duplicate] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def convert(f: FieldSpec, value: object, currency: str, region: str | None) -> object:
    """A cell's value in the shape field `f` takes in a record (text, or a list of text);
    raises `values.CellError` when it cannot be."""
    if f.kind == "date":
        return cells.to_date(value)
    if f.kind == "money":
        return cells.to_money(value, currency)
    if f.kind == "bool":
        return cells.to_bool(value)
    if f.kind in ("tags", "refs"):
        return cells.to_tags(value)
    if f.kind in ("number", "percent"):
        number = cells.to_number(cells.cell_text(value))
        return str(int(number)) if f.kind == "percent" else str(number)
    text = " ".join(cells.cell_text(value).split()) if f.kind != "text" else cells.cell_text(value)
    if f.kind == "phone":
        return cells.pretty_phone(text, region)
    if f.kind == "email":
        return text.strip()
    return text


class Planner:
    """Takes incoming records one by one (`add`) and makes the plan (`plan`)."""

    def __init__(self, desk: Desk, region: str | None, update: bool, company_kind: str) -> None:
        self.desk = desk
        self.region = region
        self.update = update
        self.company_kind = company_kind
        self.result = ImportPlan()
        self._keys: dict[str, dict[str, tuple[str, str]]] = {}  # type -> key -> (of, path)
        self._names: dict[str, dict[str, str]] = {}  # type -> name or e-mail key -> id
        self._updated: set[str] = set()

    # -- finding records by their names ------------------------------------------------

    def _by_name(self, kind: str) -> dict[str, str]:
        if kind not in self._names:
            names: dict[str, str] = {}
            title = SPECS[kind].title_field
            for ident in sorted(self.desk.ids(kind)):
                record = self.desk.record(kind, ident)
                if record is None:
                    continue
                names.setdefault(cells.name_key(str(getattr(record, title, ""))), ident)
                for email in [getattr(record, "email", ""), *getattr(record, "emails", [])]:
                    if email:
                        names.setdefault(cells.email_key(email), ident)
            self._names[kind] = names
        return self._names[kind]

    def find(self, kind: str, text: str) -> str | None:
        """The id of the record of `kind` that `text` names by id, name or e-mail."""
        text = text.strip()
        if text in self.desk.ids(kind):
            return text
        names = self._by_name(kind)
        return names.get(cells.email_key(text)) or names.get(cells.name_key(text))

    # -- duplicates ----------------------------------------------------------------------

    def _keys_of(self, kind: str, values: dict[str, object]) -> list[tuple[str, str]]:
        """(why, key) pairs that make two records of `kind` one."""

        def text(name: str) -> str:
            value = values.get(name)
            return value if isinstance(value, str) else ""

        keys: list[tuple[str, str]] = []
        if email := text("email"):
            keys.append(("same e-mail", "e:" + cells.email_key(email)))
        if (phone := text("phone")) and len(cells.phone_key(phone, self.region)) >= 6:
            keys.append(("same phone", "p:" + cells.phone_key(phone, self.region)))
        title = cells.name_key(text(SPECS[kind].title_field))
        if kind == "company":
            keys.append(("same name", "n:" + title))
            if site := text("website"):
                keys.append(("same website", "w:" + _domain(site)))
        elif title:
            within = text("company") or text("project")
            keys.append((f"same name and {_owner_word(kind)}", f"n:{title}|{within}"))
        return keys

    def _index(self, kind: str) -> dict[str, tuple[str, str]]:
        if kind not in self._keys:
            index: dict[str, tuple[str, str]] = {}
            fields = record_fields(kind)
            for ident in sorted(self.desk.ids(kind)):
                record = self.desk.record(kind, ident)
                if record is None:
                    continue
                values = {f.name: _as_text(getattr(record, f.name, "")) for f in fields}
                for _, key in self._keys_of(kind, values):
                    index.setdefault(key, (f"{kind} {ident}", ident))
            self._keys[kind] = index
        return self._keys[kind]

    def _duplicate_of(self, item: Incoming) -> tuple[str, str, str] | None:
        """(why, what it duplicates, the existing id or "") for a duplicate."""
        index = self._index(item.kind)
        for why, key in self._keys_of(item.kind, item.values):
            if key in index:
                of, ident = index[key]
                return why, of, ident
        return None

    def _remember(self, item: Incoming, ident: str) -> None:
        index = self._index(item.kind)
        for _, key in self._keys_of(item.kind, item.values):
            index.setdefault(key, (f"{item.where} ({item.kind} {ident})", ""))
        names = self._by_name(item.kind)
        names.setdefault(cells.name_key(item.title), ident)
        email = item.values.get("email")
        if isinstance(email, str) and email:
            names.setdefault(cells.email_key(email), ident)

    # -- references and choices -----------------------------------------------------------

    def _resolve(self, item: Incoming) -> None:
        """Turn references given by name into ids (a company not in the workspace is made),
        and choices given by name into their ids."""
        for f in record_fields(item.kind, self.desk.settings):
            value = item.values.get(f.name)
            if not isinstance(value, str) or not value.strip():
                continue
            if f.kind == "ref" and f.ref is not None:
                ident = self.find(f.ref, value)
                if ident is None and f.ref == "company":
                    ident = self._company(value, item.where)
                if ident is None:
                    self.result.notes.append(
                        f"{item.where}: {f.name} `{value}` is no {f.ref} in the workspace; "
                        "left empty"
                    )
                    del item.values[f.name]
                else:
                    item.values[f.name] = ident
            elif f.kind == "choice":
                item.values[f.name] = self._choice(item, f, value)

    def _choice(self, item: Incoming, f: FieldSpec, value: str) -> str:
        from builder.edit.new import options

        choices = list(f.choices)
        names: dict[str, str] = {}
        if f.choices_from == "pipeline_stages":
            s = self.desk.settings
            chosen = item.values.get("pipeline")
            pipeline = s.pipelines.get(chosen if isinstance(chosen, str) else "")
            pipeline = pipeline or s.pipelines[s.default_pipeline]
            names = {st.name.casefold(): st.id for st in pipeline.stages}
            choices = list(pipeline.stage_ids)
        elif f.choices_from is not None:
            choices = options(self.desk, item.kind, f, item.values)[0]
        low = value.strip().casefold()
        for choice in choices:
            if low == choice.casefold():
                return choice
        return names.get(low, value.strip())

    def _company(self, name: str, where: str) -> str | None:
        company = Incoming("company", where, {"name": name.strip(), "kind": self.company_kind})
        return self.create(company)

    # -- adding -------------------------------------------------------------------------------

    def add(self, item: Incoming) -> None:
        """Plan one incoming record: a new file, a duplicate, an update or a skipped row."""
        if not item.title.strip():
            title = SPECS[item.kind].title_field
            self.result.skipped.append(Skipped(item.where, f"no {title}"))
            return
        self._resolve(item)
        dup = self._duplicate_of(item)
        if dup is None:
            self.create(item)
            return
        why, of, ident = dup
        fresh = f"{item.kind}:{ident}" not in self._updated
        if self.update and ident and fresh and self._fill(item, ident):
            return
        self.result.duplicates.append(Duplicate(item.where, item.title, of, why))

    def create(self, item: Incoming) -> str | None:
        """Plan a new record for `item` (no duplicate check); its id, or None when it
        cannot be made (then it is among the skipped)."""
        given = {k: v for k, v in item.values.items() if v not in ("", [], None)}
        try:
            plan = new(self.desk, item.kind, given, body=item.body)
        except Refused as exc:
            why = "; ".join(p.message for p in exc.problems if p.is_error) or str(exc)
            self.result.skipped.append(Skipped(item.where, why))
            return None
        except EditError as exc:
            self.result.skipped.append(Skipped(item.where, str(exc)))
            return None
        ident = plan.changes[0].rel.rsplit("/", 1)[-1].removesuffix(".md")
        self.result.changes += plan.changes
        self.result.created.setdefault(item.kind, []).append(ident)
        self._remember(item, ident)
        return ident

    def _fill(self, item: Incoming, ident: str) -> bool:
        """Fill the empty fields of an existing record from `item`; False when there is
        nothing to fill (then it is reported as a duplicate)."""
        current = self.desk.read(self.desk.index.find(ident, (item.kind,)))
        order = [f.name for f in record_fields(item.kind, self.desk.settings)]
        changes, filled = [], []
        for name, value in item.values.items():
            now = getattr(current.record, name, None)
            if value in ("", [], None) or now not in ("", [], None, {}):
                continue
            rendered = flow(value) if isinstance(value, list) else scalar(str(value))
            changes.append(set_field(current.source.text, current.layout, name, rendered, order))
            filled.append(name)
        if not changes:
            return False
        try:
            change = checked_change(self.desk, current, changes)
        except Refused as exc:
            why = "; ".join(p.message for p in exc.problems if p.is_error)
            self.result.skipped.append(Skipped(item.where, f"cannot update {ident}: {why}"))
            return True
        self.result.changes.append(change)
        self.result.updated.append((f"{item.kind} {ident}", filled))
        self._updated.add(f"{item.kind}:{ident}")
        return True


def _as_text(value: object) -> object:
    if isinstance(value, list):
        return [str(v) for v in value]
    return "" if value is None else str(value)


def _domain(url: str) -> str:
    host = url.strip().casefold().split("//", 1)[-1].split("/", 1)[0]
    return host.removeprefix("www.")


def _owner_word(kind: str) -> str:
    return "project" if kind == "task" else "company"


def counts(items: Iterable[tuple[str, int]]) -> str:
    """`12 contacts, 1 company` from (type, count) pairs."""
    return ", ".join(
        f"{n} {SPECS[k].label.lower() if n == 1 else SPECS[k].plural.lower()}" for k, n in items
    )
