"""`plaindesk import` and `plaindesk export`: moving in from other tools, and lists out
for them.

`import` shows its plan (what it would create, the duplicates it found and why, the rows it
cannot use, with their row numbers) and writes nothing unless given `--write`; then every
file is written atomically, or none. Exit status: 0 done (or planned), 1 nothing could be
imported, 2 a bad file or bad arguments (nothing written), 3 the file system refused.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import click

from builder.cli.base import TODAY, WorkspaceType, cli
from builder.cli.reports import export_ical

FORMATS = ("csv", "xlsx", "google-contacts", "vcard", "trello")
TYPES = {"contacts": "contact", "companies": "company", "deals": "deal"}
#: files with more rows than this show a progress bar
PROGRESS_FROM = 300


def _maps(given: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for one in given:
        column, sep, target = one.rpartition("=")
        if not sep or not column.strip() or not target.strip():
            raise click.BadParameter(f'`{one}`: write "Column=field"', param_hint="--map")
        out[column.strip()] = target.strip()
    return out


@cli.command("import", short_help="Bring in contacts, companies, deals or a Trello board.")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(FORMATS))
@click.argument("file", type=click.Path(path_type=Path, dir_okay=True))
@click.option(
    "--type",
    "kind",
    type=click.Choice(sorted(TYPES)),
    default="contacts",
    show_default=True,
    help="What a csv/xlsx sheet's rows are.",
)
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar='"COLUMN=FIELD"',
    help="Read a column into a field (repeat); FIELD `skip` leaves a column out. For "
    "trello: a list onto a column of --workflow.",
)
@click.option("--write", is_flag=True, help="Create the files (default: only show the plan).")
@click.option("--update", is_flag=True, help="Fill empty fields of records found again.")
@click.option("--sheet", metavar="NAME", help="The xlsx sheet to read (default: the first).")
@click.option(
    "--country",
    metavar="CC",
    help="Country of phone numbers written without +code (default: the workspace time zone's).",
)
@click.option(
    "--company-kind",
    default="prospect",
    show_default=True,
    help="Kind of the companies an import creates.",
)
@click.option("--company", "company", metavar="ID", help="trello: the project's client.")
@click.option("--project", metavar="ID", help="trello: add the cards to this project.")
@click.option("--workflow", metavar="ID", help="trello: map lists onto this workflow.")
@click.option("--archived", is_flag=True, help="trello: import archived cards too (tagged).")
@click.option(
    "-w",
    "--workspace",
    type=WorkspaceType(exists=False),
    default=".",
    help="The workspace (the folder with mkdocs.yml) or its content folder; default: here.",
)
@TODAY
def import_(
    fmt: str,
    file: Path,
    kind: str,
    maps: tuple[str, ...],
    write: bool,
    update: bool,
    sheet: str | None,
    country: str | None,
    company_kind: str,
    company: str | None,
    project: str | None,
    workflow: str | None,
    archived: bool,
    workspace: Path,
    today: date | None,
) -> None:
    """Import FILE, an export of another tool in FORMAT: csv or xlsx (a sheet of contacts,
    companies or deals: --type), google-contacts (Google Contacts' Google or Outlook CSV),
    vcard (.vcf) or trello (a board's JSON export).

    Prints the plan: the records it would create, the duplicates of records already here
    (by e-mail, phone, or name and company) and the rows it cannot use, with their row
    numbers. Nothing is written without --write."""
    from builder.edit import write as writer
    from builder.edit.desk import EditError, Refused, open_desk
    from builder.exchange import importer
    from builder.exchange.source import BadFile

    try:
        desk = open_desk(workspace, today)
        options = importer.Options(
            fmt=fmt,
            kind=TYPES[kind],
            maps=_maps(maps),
            update=update,
            sheet=sheet,
            country=country,
            company_kind=company_kind,
            company=company,
            project=project,
            workflow=workflow,
            archived=archived,
        )
        plan = importer.run(desk, file, options, _progress)
        for line in importer.describe(desk, file, plan):
            click.echo(line)
        if not plan.changes:
            sys.exit(0 if not plan.skipped else 1)
        if not write:
            click.echo(
                f"dry run: nothing written; run again with --write to write "
                f"{len(plan.changes)} file{'s' if len(plan.changes) != 1 else ''}"
            )
            return
        from builder.edit.plan import Plan

        whole = Plan(f"import {file.name}", plan.changes)
        writer.preflight(desk, whole, False)
        writer.apply(desk, whole)
        click.echo(f"written: {len(plan.changes)} file{'s' if len(plan.changes) != 1 else ''}")
    except BadFile as exc:
        click.echo(f"error: {exc}; nothing written", err=True)
        sys.exit(2)
    except Refused as exc:
        from builder.report import format_text

        click.echo(format_text(exc.problems, f"error: {exc}"), nl=False, err=True)
        sys.exit(exc.code)
    except EditError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.code)


def _progress(total: int) -> Callable[[int], None]:
    """A progress bar on stderr for `total` records (nothing for short files)."""
    if total < PROGRESS_FROM:
        return lambda n: None
    bar = click.progressbar(length=total, label="planning", file=sys.stderr)
    bar.__enter__()

    def step(n: int) -> None:
        bar.update(n)
        if bar.pos >= total:
            bar.__exit__(None, None, None)

    return step


@cli.group(short_help="Write contacts, tasks, deals, time or everything for other tools.")
def export() -> None:  # the group's commands are registered below
    """Lists for other tools: a mailing list (CSV), contacts for a phone (vCard), tasks,
    deals and the time log (CSV/XLSX), the whole workspace (JSON) and its JSON Schema."""


export.add_command(export_ical)


_OUT = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (default: standard output).",
)
_FILTERS = (
    click.option("--tag", "tags", multiple=True, help="Only contacts with this tag (repeat)."),
    click.option("--company", metavar="ID", help="Only contacts of this company."),
    click.option("--owner", metavar="ID", help="Only contacts this person owns."),
    click.option("--consent", is_flag=True, help="Only contacts who agreed to mailings."),
)
_WS = click.option(
    "-w",
    "--workspace",
    type=WorkspaceType(),
    default=".",
    help="The workspace (the folder with mkdocs.yml) or its content folder; default: here.",
)


def _emit(data: bytes, output: Path | None) -> None:
    if output is None:
        out: Any = sys.stdout.buffer
        out.write(data)
        return
    try:
        output.write_bytes(data)
    except OSError as exc:
        click.echo(f"error: cannot write {output}: {exc.strerror}", err=True)
        sys.exit(3)
    click.echo(f"written: {output}", err=True)


def _workspace(path: Path, today: date | None) -> object:
    from builder.pipeline import run_check

    result = run_check(path, today)
    if result.errors:
        click.echo(
            f"error: the workspace has {len(result.errors)} error"
            f"{'s' if len(result.errors) != 1 else ''}; run `plaindesk check` and fix them first",
            err=True,
        )
        sys.exit(1)
    return result.workspace


def _table_command(name: str) -> None:
    def command(
        fmt: str,
        excel: bool,
        output: Path | None,
        workspace: Path,
        today: date | None,
        tags: tuple[str, ...] = (),
        company: str | None = None,
        owner: str | None = None,
        consent: bool = False,
    ) -> None:
        from builder.exchange import export as ex
        from builder.model import Workspace

        ws = _workspace(workspace, today)
        assert isinstance(ws, Workspace)
        which = ex.ContactFilter(tags, company, owner, consent)
        if fmt == "vcard":
            _emit(ex.vcards(ws, which), output)
            return
        table = ex.table(ws, name, which)
        if fmt == "xlsx":
            if output is None:
                raise click.UsageError("an XLSX workbook needs a file: give -o FILE.xlsx")
            _emit(ex.to_xlsx(table, name), output)
        else:
            _emit(ex.to_csv(table, excel), output)

    formats = ["csv", "xlsx"] + (["vcard"] if name == "contacts" else [])
    command.__doc__ = {
        "contacts": "Contacts with an e-mail address, in the columns a mailing tool imports "
        "(--format vcard: every contact matching the filters, for a phone).",
        "tasks": "Every task: project, status, assignee, dates, estimate and hours spent.",
        "deals": "Every deal, its amount and the amount in the base currency.",
        "time": "The time log: date, person, project, task, hours, note.",
    }[name]
    decorated: Callable[..., None] = command
    if name == "contacts":
        for option in _FILTERS:
            decorated = option(decorated)
    for option in (
        TODAY,
        _WS,
        _OUT,
        click.option("--excel", is_flag=True, help="CSV for Excel: a BOM and `;` between cells."),
        click.option(
            "--format", "fmt", type=click.Choice(formats), default="csv", show_default=True
        ),
    ):
        decorated = option(decorated)
    export.command(name)(decorated)


for _name in ("contacts", "tasks", "deals", "time"):
    _table_command(_name)


@export.command("json")
@_OUT
@_WS
@TODAY
def export_json(output: Path | None, workspace: Path, today: date | None) -> None:
    """The whole workspace as JSON (format `plaindesk`, version 1; see `export schema`)."""
    import json

    from builder.exchange.jsondump import export as dump
    from builder.model import Workspace

    ws = _workspace(workspace, today)
    assert isinstance(ws, Workspace)
    text = json.dumps(dump(ws), ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    _emit(text.encode("utf-8"), output)


@export.command("schema")
@_OUT
def export_schema(output: Path | None) -> None:
    """The JSON Schema of `export json`, generated from the record schema."""
    import json

    from builder.exchange.jsondump import json_schema

    text = json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
    _emit(text.encode("utf-8"), output)
