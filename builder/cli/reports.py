"""`plaindesk export ical`: the site's iCalendar feeds, written to a folder of your choice
(the same bytes the build writes under `calendar/`), for a calendar server or a shared
drive. The command is `ical` of the `export` group (builder/cli/exchange.py takes it in)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from builder.cli.base import TODAY, WORKSPACE


@click.command("ical", short_help="Write the iCalendar feeds (team, people, projects).")
@WORKSPACE
@click.option(
    "-o",
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("ical"),
    show_default=True,
    help="Folder to write the feeds to (team.ics, people/<id>.ics, projects/<id>.ics).",
)
@click.option(
    "--site-url",
    default="",
    metavar="URL",
    help="The internal site's address: each event then links to its record's page.",
)
@click.option("--no-history", is_flag=True, help="Do not read git (faster; follow-ups "
              "counted from a cadence then use dated notes only).")  # fmt: skip
@TODAY
def export_ical(path: Path, out: Path, site_url: str, no_history: bool, today: date | None) -> None:
    """Write the calendar feeds the site publishes under calendar/ to OUT."""
    from builder.history import read_history
    from builder.pipeline import run_check
    from builder.render.calendar import calendar_files
    from builder.render.pages import SiteOptions, _site
    from builder.views.derived import derive

    result = run_check(path, today)
    if result.errors:
        click.echo(f"warning: {result.summary()}; run `plaindesk check`", err=True)
    ws = result.workspace
    history = None if no_history else read_history(path, ws, result.today)
    options = SiteOptions(history=history, site_url=site_url)
    files = calendar_files(_site(ws, derive(ws, history), result.today, options))
    for rel, text in sorted(files.items()):
        target = out / rel.removeprefix("calendar/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))
    click.echo(f"{len(files)} feeds in {out}")
