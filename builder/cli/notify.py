"""`plaindesk digest` and `plaindesk notify`: each person's day, shown or delivered."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from builder.cli.base import TODAY, WORKSPACE, cli

if TYPE_CHECKING:
    from builder.model import Workspace
    from builder.notify.run import Prepared
    from builder.render.digest import Format

STATE = click.option(
    "--state",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The state file: what was sent when. Default: .plaindesk-cache/notify-state.json "
    "beside mkdocs.yml (keep that folder between CI runs).",
)


def _prepare(
    path: Path,
    today: date | None,
    people: list[str] | None,
    since: Callable[[str], datetime | None],
) -> Prepared:
    """The run's digests, or a clean exit 1 on workspace errors or an unknown person."""
    from builder.notify.run import UnknownPerson, prepare
    from builder.report import format_text

    try:
        prepared = prepare(path, today, people, since)
    except UnknownPerson as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    result = prepared.result
    if result.errors:
        click.echo(format_text(result.errors, result.summary()), nl=False, err=True)
        click.echo("error: no digest; fix the errors above first", err=True)
        sys.exit(1)
    return prepared


@cli.command(short_help="Show each person's digest: what is theirs to do today.")
@WORKSPACE
@click.option("--person", metavar="ID", default=None, help="Only this person's digest.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("text", "markdown", "html")),
    default="text",
    show_default=True,
    help="Plain text, Markdown, or HTML (an e-mail's HTML part).",
)
@STATE
@TODAY
def digest(
    path: Path, person: str | None, fmt: Format, state: Path | None, today: date | None
) -> None:
    """Print the digest of --person (default: of every active person who has something
    to do) in their language: overdue, due today and this week, newly assigned and
    mentioned since their last digest, stuck cards, approvals, follow-ups, deals, and a
    manager's team. Nothing is sent and no state is written.

    Exit status: 0 shown (an empty digest is said on stderr), 1 unknown person or
    workspace errors.
    """
    from builder.notify.run import default_state_path, workspace_folder
    from builder.notify.state import load_state
    from builder.render.digest import render_digest

    known = load_state(state or default_state_path(path))
    prepared = _prepare(path, today, [person] if person else None, known.last_sent)
    theme = workspace_folder(path) / "theme" / "digest"
    shown = 0
    for pid, view in prepared.digests.items():
        if view.empty:
            if person is not None:
                click.echo(f"{pid}: nothing to do today: no digest", err=True)
            continue
        if person is None:
            click.echo(f"==> {pid} ({view.locale}): {view.subject}")
        click.echo(render_digest(view, fmt, theme), nl=person is None)
        shown += 1
    if person is None and not shown:
        click.echo("nobody has anything to do today: no digest", err=True)


@cli.command(short_help="Send each person's digest to their channels (once a day).")
@WORKSPACE
@click.option("--dry-run", is_flag=True, help="Print what would be sent where; send nothing.")
@click.option("--only", metavar="PERSON", default=None, help="Only this person.")
@click.option("--force", is_flag=True, help="Send again what was already sent today.")
@click.option(
    "--scheduled",
    is_flag=True,
    help="For CI's schedule: send only on a weekday from `notify.hour` on, in the "
    "workspace's time zone (run it hourly around that hour; the first run sends).",
)
@click.option(
    "--now", "now_text", default=None, hidden=True, envvar="PLAINDESK_NOW", help="For tests."
)
@STATE
@TODAY
def notify(
    path: Path,
    dry_run: bool,
    only: str | None,
    force: bool,
    scheduled: bool,
    now_text: str | None,
    state: Path | None,
    today: date | None,
) -> None:
    """Deliver each person's digest through Apprise to the channels in their record
    (`notify:` in people/*.md), secrets filled from the environment. A day's digest goes
    once per person and channel (the state file says what went when); a failed channel
    is reported and tried again on the next run, the others still go.

    Exit status: 0 done (or nothing to do), 1 every send failed, workspace errors or an
    unknown person.
    """
    from builder.notify.run import default_state_path, deliver, workspace_folder
    from builder.notify.state import load_state, save_state
    from builder.pipeline import run_check

    known = load_state(state or default_state_path(path))
    if known.problem:
        click.echo(f"warning: {known.problem}; starting a new state", err=True)
    if scheduled:
        ws = run_check(path, today).workspace
        now = _now(now_text, ws)
        hour = ws.settings.notify.hour
        if now.weekday() >= 5 or now.hour < hour:
            click.echo(
                f"not now: digests go on weekdays from {hour:02d}:00 "
                f"({ws.settings.timezone}); it is {now:%a %H:%M} there",
                err=True,
            )
            return
    prepared = _prepare(path, today, [only] if only else None, known.last_sent)
    now = _now(now_text, prepared.result.workspace)
    attempts = deliver(
        prepared,
        known,
        dict(os.environ),
        now,
        force=force,
        dry_run=dry_run,
        theme=workspace_folder(path) / "theme" / "digest",
        say=click.echo,
    )
    tried = [a for a in attempts if a.outcome is not None]
    failed = [a for a in tried if a.outcome is not None and not a.outcome.ok]
    if not dry_run and len(tried) > len(failed):
        save_state(known)
    sent = len(tried) - len(failed)
    if not dry_run:
        click.echo(f"{sent} sent, {len(failed)} failed", err=True)
    if tried and len(failed) == len(tried):
        sys.exit(1)


def _now(given: str | None, ws: Workspace) -> datetime:
    """Now in the workspace's time zone (`--now` for tests)."""
    from builder.history.reader import workspace_tz

    tz = workspace_tz(ws)
    if given:
        moment = datetime.fromisoformat(given)
        return moment.astimezone(tz) if moment.tzinfo else moment.replace(tzinfo=tz)
    return datetime.now(tz)
