"""Address books: Google Contacts' CSV export (its "Google CSV" layout, old and new, and
its "Outlook CSV" layout) and vCard files (2.1, 3.0 and 4.0, many cards to a file, as
phones, Google and Outlook export them). Each person becomes an incoming contact: name,
organisation (a company), title, first e-mail and phone in the fields, the other e-mails,
phones and the notes in the body, groups and categories as tags."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from builder.exchange import values as cells
from builder.exchange.plan import Incoming, Skipped
from builder.exchange.source import BadFile, decode, read_file
from builder.exchange.tabular import Sheet, read_sheet

#: one name per field in each layout, as compared by `values.header_key`
_GOOGLE_EMAIL = re.compile(r"e mail (\d+) value")
_GOOGLE_PHONE = re.compile(r"phone (\d+) value")
_OUTLOOK_EMAIL = re.compile(r"e mail(?: (\d+))? address")
_OUTLOOK_PHONES = (
    "mobile phone",
    "primary phone",
    "business phone",
    "home phone",
    "business phone 2",
    "home phone 2",
    "other phone",
    "company main phone",
)


def google_csv(
    path: Path, region: str | None, skipped: list[Skipped]
) -> tuple[Sheet, list[Incoming]]:
    """The contacts of a Google Contacts CSV export (Google or Outlook layout)."""
    sheet = read_sheet(path, "csv")
    keys = [cells.header_key(h) for h in sheet.header]
    at = {k: i for i, k in reversed(list(enumerate(keys)))}
    google = "name" in at or "organization 1 name" in at or "organization name" in at
    outlook = "e mail address" in at or "job title" in at
    if not (google or outlook) or not ({"first name", "given name", "name"} & set(at)):
        raise BadFile(
            f"{path} is not a Google Contacts export: it has no Name / First Name and "
            "E-mail columns (a sheet of your own? import it as `csv --type contacts`)"
        )
    items = []
    for number, row in sheet.rows:

        def get(key: str, row: list[object] = row) -> str:
            i = at.get(key)
            return cells.cell_text(row[i]) if i is not None and i < len(row) else ""

        def every(pattern: re.Pattern[str], row: list[object] = row) -> list[str]:
            found = []
            for i, k in enumerate(keys):
                if pattern.fullmatch(k) and i < len(row):
                    found += [v.strip() for v in cells.cell_text(row[i]).split(":::")]
            return [v for v in found if v]

        name = get("name") or " ".join(
            p
            for p in (
                get("first name") or get("given name"),
                get("middle name") or get("additional name"),
                get("last name") or get("family name"),
            )
            if p
        )
        emails = every(_GOOGLE_EMAIL) + every(_OUTLOOK_EMAIL)
        phones = every(_GOOGLE_PHONE) + [get(k) for k in _OUTLOOK_PHONES if get(k)]
        company = get("organization 1 name") or get("organization name") or get("company")
        title = get("organization 1 title") or get("organization title") or get("job title")
        groups = get("group membership") or get("labels") or get("categories")
        items.append(
            _contact(
                f"row {number}",
                name,
                company,
                title,
                emails,
                phones,
                get("notes"),
                cells.to_tags(groups),
                region,
            )
        )
    return sheet, items


def _contact(
    where: str,
    name: str,
    company: str,
    title: str,
    emails: list[str],
    phones: list[str],
    note: str,
    tags: list[str],
    region: str | None,
) -> Incoming:
    emails = list(dict.fromkeys(e.strip() for e in emails if e.strip()))
    phones = list(dict.fromkeys(cells.pretty_phone(p, region) for p in phones if p.strip()))
    name = " ".join(name.split()) or (emails[0] if emails else "")
    values: dict[str, object] = {"name": name}
    if company.strip():
        values["company"] = " ".join(company.split())
    if title.strip():
        values["position"] = " ".join(title.split())
    if emails:
        values["email"] = emails[0]
    if phones:
        values["phone"] = phones[0]
    if tags:
        values["tags"] = [cells.name_key(t).replace(" ", "-") or t for t in tags]
    body = []
    if note.strip():
        body.append(note.strip())
    if emails[1:]:
        body.append("Other e-mails: " + ", ".join(emails[1:]))
    if phones[1:]:
        body.append("Other phones: " + ", ".join(phones[1:]))
    return Incoming("contact", where, values, "\n\n".join(body))


def vcards(path: Path, region: str | None, skipped: list[Skipped]) -> list[Incoming]:
    """The contacts of a .vcf file."""
    text = decode(read_file(path), path).text
    if "BEGIN:VCARD" not in text.upper():
        raise BadFile(f"{path} holds no vCard (no BEGIN:VCARD line): is it a .vcf file?")
    return list(_cards(text, path, region, skipped))


_PROPERTY = re.compile(r"(?:[A-Za-z0-9-]+\.)?[A-Za-z][A-Za-z0-9-]*[;:]")
_BINARY = ("PHOTO", "LOGO", "SOUND", "KEY")


def _plain(text: str) -> str:
    """vCard 2.1 made readable to vobject: quoted-printable values (with their `=` soft
    line breaks, as Android and Outlook write them) decoded, and the binary properties a
    contact needs none of (photos, keys) left out with their continuation lines."""
    import quopri

    out: list[str] = []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        name = line.split(":", 1)[0].split(";", 1)[0].split(".")[-1].upper()
        if name in _BINARY:
            while i < len(lines) and not _PROPERTY.match(lines[i]):
                i += 1
            continue
        head, sep, value = line.partition(":")
        if sep and "QUOTED-PRINTABLE" in head.upper():
            while value.endswith("=") and i < len(lines):
                value = value[:-1] + lines[i]
                i += 1
            params = [p for p in head.split(";") if "QUOTED-PRINTABLE" not in p.upper()]
            charset = next(
                (p.split("=", 1)[1] for p in params if p.upper().startswith("CHARSET=")), "utf-8"
            )
            params = [p for p in params if not p.upper().startswith("CHARSET=")]
            try:
                decoded = quopri.decodestring(value.encode("ascii", "replace")).decode(
                    charset, "replace"
                )
            except LookupError:
                decoded = quopri.decodestring(value.encode("ascii", "replace")).decode(
                    "utf-8", "replace"
                )
            line = ";".join(params) + ":" + decoded.replace("\r\n", "\\n").replace("\n", "\\n")
        out.append(line)
    return "\n".join(out)


def _cards(text: str, path: Path, region: str | None, skipped: list[Skipped]) -> Iterator[Incoming]:
    import logging

    import vobject

    logging.getLogger("vobject").setLevel(logging.CRITICAL)  # its problems are ours to report
    text = _plain(text)

    starts = [m.start() for m in re.finditer(r"(?im)^BEGIN:VCARD", text)]
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(text)
        line = text.count("\n", 0, start) + 1
        where = f"card {n + 1} (line {line})"
        try:
            card = vobject.readOne(text[start:end], ignoreUnreadable=True)
        except Exception as exc:  # vobject raises bare ParseErrors and ValueErrors alike
            skipped.append(Skipped(where, f"not a readable vCard ({str(exc).splitlines()[0]})"))
            continue
        yield _from_card(card, where, region)


def _values(card: object, name: str) -> list[object]:
    return [c.value for c in getattr(card, "contents", {}).get(name, [])]


def _text(value: object) -> str:
    if isinstance(value, list):
        return " ".join(_text(v) for v in value if _text(v))
    return " ".join(str(value).split()) if value is not None else ""


def _from_card(card: object, where: str, region: str | None) -> Incoming:
    name = _text((_values(card, "fn") or [""])[0])
    if not name and _values(card, "n"):
        n = _values(card, "n")[0]
        name = " ".join(
            _text(getattr(n, part, "")) for part in ("given", "additional", "family")
        ).strip()
    org = (_values(card, "org") or [""])[0]
    company = _text(org[0] if isinstance(org, list) and org else org)
    title = _text((_values(card, "title") or [""])[0])
    emails = _preferred(card, "email")
    phones = [p.removeprefix("tel:") for p in _preferred(card, "tel")]
    notes = "\n\n".join(str(v).strip() for v in _values(card, "note") if str(v).strip())
    tags: list[str] = []
    for v in _values(card, "categories"):
        tags += v if isinstance(v, list) else str(v).split(",")
    return _contact(where, name, company, title, emails, phones, notes, tags, region)


def _preferred(card: object, name: str) -> list[str]:
    """A card's values of one kind, the preferred one first."""
    lines = getattr(card, "contents", {}).get(name, [])

    def pref(line: object) -> bool:
        params = getattr(line, "params", {})
        types = [t.lower() for t in params.get("TYPE", [])] + [
            p.lower() for p in getattr(line, "singletonparams", [])
        ]
        return "pref" in types or "PREF" in params

    ordered = sorted(lines, key=lambda line: not pref(line))
    return [str(line.value).strip() for line in ordered if str(line.value).strip()]
