"""One run of `plaindesk digest` / `plaindesk notify`: check the workspace, read its
history, make each person's digest, and (notify) send it on each of their channels once a
day.

"Since the last digest" (new assignments, @mentions) runs from the person's last
successful send in the state file, else from the start of yesterday in the workspace's
time zone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

from builder.history import read_history
from builder.history.news import assigned_since, mentioned_since
from builder.history.reader import History, workspace_tz
from builder.load.locate import CONFIG_FILE, read_config
from builder.model import Workspace
from builder.notify.channels import redacted
from builder.notify.send import Outcome, missing_variables, send
from builder.notify.state import STATE_FILE, State
from builder.pipeline import CheckResult, run_check
from builder.render.digest import render_digest
from builder.views.derived import derive
from builder.views.digest import DigestView, digest, digest_inputs

CACHE_DIR = ".plaindesk-cache"


def workspace_folder(content: Path) -> Path:
    """The folder holding `mkdocs.yml` and the cache: the content folder's parent when it
    has a `mkdocs.yml`, else the content folder itself."""
    parent = content.resolve().parent
    return parent if (parent / CONFIG_FILE).is_file() else content.resolve()


def default_state_path(content: Path) -> Path:
    return workspace_folder(content) / CACHE_DIR / STATE_FILE


def site_address(content: Path, ws: Workspace) -> str:
    """Where the team's site is published: `notify.site_url` in workspace.yml, else
    `site_url` in mkdocs.yml, else "" (digests then give site-relative paths)."""
    if ws.settings.notify.site_url:
        return ws.settings.notify.site_url
    data = read_config(workspace_folder(content) / CONFIG_FILE)
    found = data.get("site_url") if isinstance(data, dict) else None
    return found.strip() if isinstance(found, str) else ""


def start_of_yesterday(today: date, ws: Workspace) -> datetime:
    return datetime.combine(today - timedelta(days=1), time(0), workspace_tz(ws))


class UnknownPerson(ValueError):
    """`--person` / `--only` names nobody on the team."""


@dataclass
class Prepared:
    """A run's checked workspace, history and every wanted person's digest."""

    result: CheckResult
    history: History
    site_url: str
    digests: dict[str, DigestView] = field(default_factory=dict)


def prepare(
    content: Path,
    today: date | None,
    people: list[str] | None,
    since: Callable[[str], datetime | None],
) -> Prepared:
    """Check the workspace and make the digests of `people` (None: every active person).
    `since(person)` is their last digest's time (None: start of yesterday)."""
    result = run_check(content, today)
    ws = result.workspace
    day = result.today
    for pid in people or []:
        if pid not in ws.people:
            from builder.validate.values import did_you_mean

            hint = did_you_mean(pid, sorted(ws.people))
            raise UnknownPerson(f"no person `{pid}` in people/" + (f"; {hint}" if hint else ""))
    if result.errors:
        return Prepared(result, History(), "")
    history = read_history(content, ws, day)
    derived = derive(ws, history)
    wanted = people if people is not None else [p for p in sorted(ws.people) if ws.people[p].active]
    default = start_of_yesterday(day, ws)
    starts = {pid: since(pid) or default for pid in wanted}
    earliest = min(starts.values(), default=default)
    # one pass over history from the earliest start, then each person's own window
    assigned = assigned_since(history, earliest)
    mentioned = mentioned_since(content, ws, history, earliest) if wanted else {}
    site = site_address(content, ws)
    prepared = Prepared(result, history, site)
    shared = digest_inputs(ws, derived, history, day, site)
    for pid in wanted:
        start = starts[pid]
        inputs = replace(
            shared,
            assigned={pid: [n for n in assigned.get(pid, []) if n.stamp.when > start]},
            mentioned={pid: [n for n in mentioned.get(pid, []) if n.stamp.when > start]},
        )
        prepared.digests[pid] = digest(inputs, pid)
    return prepared


@dataclass(frozen=True)
class Attempt:
    """One channel of one person in a notify run."""

    person: str
    channel: str  # as written in the record
    outcome: Outcome | None  # None: not sent (already sent today, or a dry run)
    note: str = ""


def deliver(
    prepared: Prepared,
    state: State,
    env: Mapping[str, str],
    now: datetime,
    force: bool = False,
    dry_run: bool = False,
    theme: Path | None = None,
    say: Callable[[str], None] = print,
) -> list[Attempt]:
    """Send each digest on each of its person's channels, once a day; record successes."""
    ws = prepared.result.workspace
    day = prepared.result.today
    attempts: list[Attempt] = []
    for pid, view in prepared.digests.items():
        person = ws.people[pid]
        if not person.notify:
            say(f"{pid}: skipped: no channels (list them under `notify:` in {person.path})")
            continue
        if view.empty:
            say(f"{pid}: nothing to send today")
            continue
        text = render_digest(view, "text", theme)
        html = render_digest(view, "html", theme)
        for url in person.notify:
            shown = redacted(url)
            if state.sent_for(pid, url, day) and not force:
                say(f"{pid}: {shown}: already sent today")
                attempts.append(Attempt(pid, url, None, "already sent"))
                continue
            if dry_run:
                missing = missing_variables(url, env)
                warn = f" (not set: {', '.join(missing)})" if missing else ""
                say(f"{pid}: would send to {shown}{warn}: {view.subject}")
                attempts.append(Attempt(pid, url, None, "dry run"))
                continue
            outcome = send(url, env, view.subject, text, html)
            if outcome.ok:
                state.record(pid, url, now, day)
                say(f"{pid}: sent to {shown}")
            else:
                say(f"{pid}: FAILED {shown}: {outcome.reason} (tried again on the next run)")
            attempts.append(Attempt(pid, url, outcome))
        if dry_run:
            say(text)
    return attempts
