"""Spreadsheets: a CSV file (as Google Sheets or Excel save it) or an XLSX workbook, one
record a row, columns found by their header in English, Russian or Ukrainian (the names
and aliases the schema gives each field), `--map "Column=field"` for the rest.

Cells are data, never code: a cell holding `=cmd|...` is read as that text (openpyxl is
asked for formulas as written, never their results), and written into a record as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from builder.exchange import values as cells
from builder.exchange.plan import Incoming, Skipped, convert
from builder.exchange.source import BadFile, decode, read_file
from builder.model.records import Settings
from builder.model.schema import SPECS, FieldSpec, record_fields

#: columns that are no field but go into one: a name in parts, notes into the body
FIRST_NAME = "first name, given name, first"
LAST_NAME = "last name, surname, family name, фамилия, прізвище"
MIDDLE_NAME = "middle name, additional name, отчество, по батькові"
NOTES = (
    "notes, note, comment, comments, заметки, примечание, комментарий, нотатки, примітка, коментар"
)
#: what `--map` may name besides fields
SPECIAL = {
    "first_name": FIRST_NAME,
    "last_name": LAST_NAME,
    "middle_name": MIDDLE_NAME,
    "body": NOTES,
    "skip": "",
}


@dataclass
class Sheet:
    """A table read from a file: its header, its rows (with their row numbers) and notes
    about how it was read."""

    header: list[str]
    rows: list[tuple[int, list[object]]]
    notes: list[str] = field(default_factory=list)


def read_sheet(path: Path, fmt: str, sheet: str | None = None) -> Sheet:
    """The table in a CSV or XLSX file; raises BadFile when there is none."""
    data = read_file(path)
    if fmt == "xlsx" or data[:4] == b"PK\x03\x04":
        if fmt != "xlsx":
            raise BadFile(f"{path} is an Excel workbook, not CSV: import it as `xlsx`")
        return _xlsx(data, path, sheet)
    if data.lstrip()[:1] in (b"{", b"["):
        raise BadFile(f"{path} holds JSON, not a table (a Trello board? import it as `trello`)")
    if data.lstrip()[:11].upper() == b"BEGIN:VCARD":
        raise BadFile(f"{path} holds vCards, not a table: import it as `vcard`")
    text = decode(data, path)
    table = _csv(text.text, path)
    if text.encoding != "UTF-8":
        table.notes.append(f"read as {text.encoding} text (the file is not UTF-8)")
    return table


def _csv(text: str, path: Path) -> Sheet:
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count) if any(c in first for c in ",;\t") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = [row for row in reader]
    except csv.Error as exc:
        raise BadFile(f"{path}: not a readable CSV file (line {reader.line_num}: {exc})") from None
    table: list[tuple[int, list[object]]] = [(i, list(r)) for i, r in enumerate(rows, 1)]
    return _table(table, path)


def _xlsx(data: bytes, path: Path, name: str | None) -> Sheet:
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise BadFile(f"{path} is not a readable .xlsx workbook ({exc})") from None
    try:
        if name is not None and name not in book.sheetnames:
            raise BadFile(f"{path} has no sheet `{name}`; it has: {', '.join(book.sheetnames)}")
        ws = book[name] if name else book.worksheets[0]
        rows = [(i, list(r)) for i, r in enumerate(ws.iter_rows(values_only=True), 1)]
    finally:
        book.close()
    return _table(rows, path)


def _table(rows: list[tuple[int, list[object]]], path: Path) -> Sheet:
    filled = [(n, r) for n, r in rows if any(cells.cell_text(c) for c in r)]
    if not filled:
        raise BadFile(f"{path} has no rows: there is nothing to import")
    (_, header), body = filled[0], filled[1:]
    return Sheet([cells.cell_text(h) for h in header], body)


def _names(text: str) -> set[str]:
    return {cells.header_key(a) for a in text.split(",") if a.strip()}


def _known(kind: str, settings: Settings) -> dict[str, str]:
    """Header key -> field (or SPECIAL) name; names and labels first, so that an alias
    never hides a field's own name."""
    fields = record_fields(kind, settings)
    known: dict[str, str] = {}
    for f in fields:
        for name in f.column_names[:2]:
            known.setdefault(cells.header_key(name), f.name)
    for f in fields:
        for name in f.column_names[2:]:
            known.setdefault(cells.header_key(name), f.name)
    for special, names in SPECIAL.items():
        for name in _names(names):
            known.setdefault(name, special)
    return known


def _check_maps(header: list[str], kind: str, settings: Settings, maps: dict[str, str]) -> None:
    valid = {f.name for f in record_fields(kind, settings)} | set(SPECIAL)
    keys = {cells.header_key(h) for h in header}
    for col, target in maps.items():
        if target not in valid:
            raise BadFile(
                f'--map "{col}={target}": a {kind} has no field `{target}`; fields: '
                + ", ".join(sorted(valid))
            )
        if cells.header_key(col) not in keys:
            raise BadFile(f'--map "{col}={target}": the file has no column `{col}`')


def columns(
    header: list[str], kind: str, settings: Settings, maps: dict[str, str]
) -> tuple[dict[int, str], list[str]]:
    """Column index -> field name (or a SPECIAL name), and the headers left unknown.
    Raises BadFile for a `--map` that names no column or no field."""
    _check_maps(header, kind, settings, maps)
    known = _known(kind, settings)
    wanted = {cells.header_key(col): target for col, target in maps.items()}
    out: dict[int, str] = {}
    unknown: list[str] = []
    for i, name in enumerate(header):
        key = cells.header_key(name)
        target = wanted.get(key) or known.get(key)
        if not key or target == "skip":
            continue
        # a second column for one field is left out, except those that add up
        if target is None or (target in out.values() and target not in ("body", "tags")):
            unknown.append(name)
            continue
        out[i] = target
    return out, unknown


def incoming(
    sheet: Sheet,
    kind: str,
    settings: Settings,
    mapping: dict[int, str],
    region: str | None,
    skipped: list[Skipped],
) -> Iterator[Incoming]:
    """One incoming record per row; a row with a cell that cannot be read is skipped."""
    fields = {f.name: f for f in record_fields(kind, settings)}
    title = SPECS[kind].title_field
    for number, row in sheet.rows:
        item = Incoming(kind, f"row {number}")
        parts: dict[str, str] = {}
        notes: list[str] = []
        try:
            for i, target in mapping.items():
                value = row[i] if i < len(row) else None
                if not cells.cell_text(value):
                    continue
                if target in SPECIAL:
                    if target == "body":
                        notes.append(cells.cell_text(value))
                    else:
                        parts[target] = " ".join(cells.cell_text(value).split())
                    continue
                _put(item, fields[target], value, settings, region, sheet.header[i])
        except cells.CellError as exc:
            skipped.append(Skipped(item.where, str(exc)))
            continue
        whole = " ".join(p for p in (parts.get("first_name"), parts.get("middle_name")) if p)
        if whole and not item.values.get(title):
            item.values[title] = whole
        if parts.get("last_name"):
            item.values[title] = f"{item.values.get(title) or ''} {parts['last_name']}".strip()
        item.body = "\n\n".join(notes)
        yield item


def _put(
    item: Incoming,
    f: FieldSpec,
    value: object,
    settings: Settings,
    region: str | None,
    column: str,
) -> None:
    try:
        converted = convert(f, value, settings.base_currency, region)
    except cells.CellError as exc:
        raise cells.CellError(f"column `{column}`: {exc}") from None
    before = item.values.get(f.name)
    if isinstance(before, list) and isinstance(converted, list):
        converted = list(dict.fromkeys(before + converted))
    item.values[f.name] = converted
