"""One import: read the file in its format, plan every incoming record, describe the plan."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from builder.edit.desk import Desk
from builder.exchange.plan import ImportPlan, Incoming, Planner, Skipped, counts
from builder.exchange.source import BadFile, region_of
from builder.model.schema import SPECS

Progress = Callable[[int], Callable[[int], None]]


@dataclass
class Options:
    """What the command line asked for."""

    fmt: str
    kind: str = "contact"
    maps: dict[str, str] = field(default_factory=dict)
    update: bool = False
    sheet: str | None = None
    country: str | None = None
    company_kind: str = "prospect"
    company: str | None = None
    project: str | None = None
    workflow: str | None = None
    archived: bool = False


def run(desk: Desk, path: Path, options: Options, progress: Progress | None = None) -> ImportPlan:
    """The plan of importing `path`; raises BadFile when the file cannot be read at all."""
    region = _region(desk, options.country)
    skipped: list[Skipped] = []
    notes: list[str] = []
    if options.fmt == "trello":
        from builder.exchange import trello

        return trello.plan(desk, path, options, region)
    items = _read(desk, path, options, region, skipped, notes)
    planner = Planner(desk, region, options.update, options.company_kind)
    planner.result.skipped += skipped
    planner.result.notes += notes
    step = progress(len(items)) if progress else None
    for item in items:
        planner.add(item)
        if step:
            step(1)
    return planner.result


def _region(desk: Desk, country: str | None) -> str | None:
    if country:
        import phonenumbers

        code = country.strip().upper()
        if code not in phonenumbers.SUPPORTED_REGIONS:
            raise BadFile(f"--country {country}: not a country code such as UA, PL or US")
        return code
    return region_of(desk.settings.timezone)


def _read(
    desk: Desk,
    path: Path,
    options: Options,
    region: str | None,
    skipped: list[Skipped],
    notes: list[str],
) -> list[Incoming]:
    from builder.exchange import contacts, tabular

    if options.fmt == "vcard":
        return contacts.vcards(path, region, skipped)
    if options.fmt == "google-contacts":
        sheet, items = contacts.google_csv(path, region, skipped)
        notes += sheet.notes
        return items
    sheet = tabular.read_sheet(path, options.fmt, options.sheet)
    notes += sheet.notes
    mapping, unknown = tabular.columns(sheet.header, options.kind, desk.settings, options.maps)
    title = SPECS[options.kind].title_field
    if title not in mapping.values() and not {"first_name", "last_name"} & set(mapping.values()):
        raise BadFile(
            f"{path}: no column holds the {options.kind}'s {title}; columns: "
            + ", ".join(h for h in sheet.header if h)
            + f' (name one with --map "Column={title}")'
        )
    if unknown:
        notes.append(
            "columns not imported: "
            + ", ".join(unknown)
            + ' (read one into a field with --map "Column=field")'
        )
    return list(tabular.incoming(sheet, options.kind, desk.settings, mapping, region, skipped))


def describe(desk: Desk, path: Path, plan: ImportPlan) -> list[str]:
    """The plan as the command prints it."""
    out = []
    made = counts((k, len(v)) for k, v in plan.created.items())
    out.append(f"{path.name}: new {made or 'nothing'}")
    for kind, ids in plan.created.items():
        more = f" and {len(ids) - 8} more" if len(ids) > 8 else ""
        out.append(f"  {SPECS[kind].plural.lower()}: " + ", ".join(ids[:8]) + more)
    for note in plan.notes:
        out.append(f"  note: {note}")
    for label, fields in plan.updated:
        out.append(f"  update {label}: fill {', '.join(fields)}")
    if plan.duplicates:
        out.append(f"duplicates, not imported: {len(plan.duplicates)}")
        for d in plan.duplicates:
            out.append(f"  {d.where}: {d.title} — {d.why} as {d.of}")
    if plan.skipped:
        out.append(f"cannot use: {len(plan.skipped)}")
        for s in sorted(plan.skipped, key=lambda s: (len(s.where), s.where)):
            out.append(f"  {s.where}: {s.why}")
    return out
