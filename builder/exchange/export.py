"""Lists out of a typed workspace: contacts for a mailing tool (CSV) or a phone (vCard),
tasks, deals and the time log for accountants and clients (CSV or XLSX), and the whole
workspace as versioned JSON (its JSON Schema is in `jsonschema`).

Spreadsheet cells are data: a text cell starting with `=`, `+`, `-`, `@` (or a tab or
carriage return) gets a leading `'` in CSV so that no spreadsheet runs it as a formula, and
is stored as a text cell in XLSX.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from builder.model import Workspace
from builder.model.records import Contact, Money

Cell = str | int | float | Decimal | None
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_NUMBERISH = re.compile(r"[+-]?[\d ().-]+\Z")


@dataclass(frozen=True)
class Table:
    """A header and rows, ready for CSV or XLSX."""

    header: tuple[str, ...]
    rows: list[tuple[Cell, ...]]


@dataclass(frozen=True)
class ContactFilter:
    """Which contacts a list holds (every condition given must hold)."""

    tags: tuple[str, ...] = ()
    company: str | None = None
    owner: str | None = None
    consent: bool = False

    def keeps(self, c: Contact) -> bool:
        return (
            all(t in c.tags for t in self.tags)
            and (self.company is None or c.company == self.company)
            and (self.owner is None or c.owner == self.owner)
            and (not self.consent or c.consent)
        )


def safe(value: Cell) -> Cell:
    """A text cell that a spreadsheet would run as a formula, made plain text. A phone
    number or a signed number (`+380 44 501 3320`, `-5`) carries no formula: it stays."""
    if isinstance(value, str) and value.startswith(_FORMULA) and not _NUMBERISH.match(value):
        return "'" + value
    return value


def to_csv(table: Table, excel: bool = False) -> bytes:
    """UTF-8 CSV; for Excel (`excel`): with a BOM and `;` between cells, as Excel expects
    where the decimal mark is a comma."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";" if excel else ",", lineterminator="\r\n")
    writer.writerow(table.header)
    for row in table.rows:
        writer.writerow(["" if v is None else safe(v) for v in row])
    return (("\ufeff" if excel else "") + out.getvalue()).encode("utf-8")


def to_xlsx(table: Table, title: str) -> bytes:
    """An XLSX workbook of one sheet; text cells are stored as text, never formulas."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(list(table.header))
    for row in table.rows:
        sheet.append([None if v is None else v for v in row])
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl would take `=...` for a formula
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _money(m: Money | None) -> tuple[Cell, Cell]:
    return (None, None) if m is None else (m.amount, m.currency)


def _hours(minutes: int | None) -> Cell:
    return None if minutes is None else round(minutes / 60, 2)


def _split(name: str) -> tuple[str, str]:
    """First name and the rest, as mailing tools want them."""
    first, _, rest = name.strip().partition(" ")
    return first, rest.strip()


def contacts(ws: Workspace, which: ContactFilter) -> Table:
    """Contacts with an e-mail address, in the columns mailing tools import."""
    rows: list[tuple[Cell, ...]] = []
    for c in sorted(ws.contacts.values(), key=lambda c: c.id):
        if not c.email or not which.keeps(c):
            continue
        first, last = _split(c.name)
        company = ws.companies.get(c.company or "")
        rows.append(
            (
                c.email,
                first,
                last,
                c.name,
                company.name if company else "",
                c.position,
                c.phone,
                ", ".join(c.tags),
                "yes" if c.consent else "no",
            )
        )
    header = (
        "Email",
        "First Name",
        "Last Name",
        "Name",
        "Company",
        "Position",
        "Phone",
        "Tags",
        "Consent",
    )
    return Table(header, rows)


def tasks(ws: Workspace) -> Table:
    """Every task: where it is, who does it, dates, estimate and time spent in hours."""
    rows: list[tuple[Cell, ...]] = []
    for t in sorted(ws.tasks.values(), key=lambda t: (t.project, t.id)):
        project = ws.projects.get(t.project)
        rows.append(
            (
                t.id,
                t.title,
                project.name if project else t.project,
                t.status,
                t.assignee or "",
                _date(t.start),
                _date(t.due),
                _hours(t.estimate),
                _hours(t.spent),
                t.priority,
                ", ".join(t.tags),
                *_money(t.price),
            )
        )
    header = (
        "ID",
        "Title",
        "Project",
        "Status",
        "Assignee",
        "Start",
        "Due",
        "Estimate (h)",
        "Spent (h)",
        "Priority",
        "Tags",
        "Price",
        "Currency",
    )
    return Table(header, rows)


def deals(ws: Workspace) -> Table:
    """Every deal with its amount, and the amount in the base currency."""
    s = ws.settings
    rows: list[tuple[Cell, ...]] = []
    for d in sorted(ws.deals.values(), key=lambda d: d.id):
        company = ws.companies.get(d.company)
        base = s.to_base(d.amount) if d.amount else None
        rows.append(
            (
                d.id,
                d.title,
                company.name if company else d.company,
                d.pipeline,
                d.stage,
                d.owner or "",
                *_money(d.amount),
                None if base is None else round(base, 2),
                d.probability,
                _date(d.expected_close),
                d.source,
            )
        )
    header = (
        "ID",
        "Title",
        "Company",
        "Pipeline",
        "Stage",
        "Owner",
        "Amount",
        "Currency",
        f"Amount ({s.base_currency})",
        "Probability",
        "Expected close",
        "Source",
    )
    return Table(header, rows)


def time_log(ws: Workspace) -> Table:
    """The time log: one row per entry, by date."""
    rows: list[tuple[Cell, ...]] = []
    for t in ws.tasks.values():
        project = ws.projects.get(t.project)
        for e in t.time:
            rows.append(
                (
                    e.date.isoformat(),
                    e.person,
                    project.name if project else t.project,
                    t.title,
                    _hours(e.minutes),
                    e.note,
                )
            )
    rows.sort(key=lambda r: tuple(str(v) for v in r))
    return Table(("Date", "Person", "Project", "Task", "Hours", "Note"), rows)


def _date(d: object) -> Cell:
    return None if d is None else str(d)


def vcards(ws: Workspace, which: ContactFilter) -> bytes:
    """Contacts as vCard 3.0 cards, as phones import them (the private notes stay out)."""
    import vobject

    out = []
    for c in sorted(ws.contacts.values(), key=lambda c: c.id):
        if not which.keeps(c):
            continue
        card = vobject.vCard()
        card.add("fn").value = c.name
        first, last = _split(c.name)
        card.add("n").value = vobject.vcard.Name(family=last, given=first)
        company = ws.companies.get(c.company or "")
        if company:
            card.add("org").value = [company.name]
        if c.position:
            card.add("title").value = c.position
        if c.email:
            email = card.add("email")
            email.value = c.email
            email.type_param = "INTERNET"
        if c.phone:
            tel = card.add("tel")
            tel.value = c.phone
            tel.type_param = "CELL"
        if c.tags:
            card.add("categories").value = list(c.tags)
        card.add("uid").value = f"plaindesk-contact-{c.id}"
        out.append(card.serialize())
    return "".join(out).encode("utf-8")


def table_names() -> Sequence[str]:
    """The tables `export` writes as CSV or XLSX."""
    return ("contacts", "tasks", "deals", "time")


def table(ws: Workspace, name: str, which: ContactFilter) -> Table:
    """The table called `name`."""
    if name == "contacts":
        return contacts(ws, which)
    return {"tasks": tasks, "deals": deals, "time": time_log}[name](ws)
