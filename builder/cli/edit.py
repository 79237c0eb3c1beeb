"""`plaindesk new`, `move`, `done`, `log`, `note`, `follow-up`, `assign`, `due`: change the
workspace without writing YAML by hand.

Every command finds its record by id, works out the change (`builder.edit`), refuses one
that would leave the record invalid, and then prints a diff (`--dry-run`) or writes the file
atomically (and commits it with `--commit`), printing one line that says what it did.
Exit status: 0 done (or nothing to do), 1 the record is or would be invalid (its problems
are printed as `check` prints them), 2 bad arguments (an unknown id, a column not in the
workflow, a bad date or duration), 3 the file or git refused (changed on disk meanwhile,
read-only, exists already, not a git repository); nothing is changed unless it exits 0.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import click

from builder.cli.base import TODAY, WorkspaceType, cli
from builder.edit.dates import DATE_FORMS
from builder.edit.desk import Desk, EditError, Refused, open_desk
from builder.edit.plan import Plan
from builder.model.schema import (
    CHANNELS,
    REPLIES,
    SPECS,
    FieldSpec,
    RecordSpec,
    record_fields,
)
from builder.validate.values import did_you_mean

_WORKSPACE = click.option(
    "-w",
    "--workspace",
    type=WorkspaceType(exists=False),  # the edit commands say what is missing themselves
    default=".",
    help="The workspace (the folder with mkdocs.yml) or its content folder; default: here.",
)
_DRY_RUN = click.option(
    "--dry-run", is_flag=True, help="Print the change as a diff; write nothing."
)
_COMMIT = click.option(
    "--commit", is_flag=True, help="Commit the change with git (author from git config)."
)


def _options(command: Callable[..., None]) -> Callable[..., None]:
    """The options every edit command takes."""
    for option in (TODAY, _COMMIT, _DRY_RUN, _WORKSPACE):
        command = option(command)
    return command


def _run(
    workspace: Path,
    today: date | None,
    dry_run: bool,
    commit: bool,
    make: Callable[[Desk], Plan],
) -> None:
    """Make the plan, then show it or write it; every failure is one message and an exit
    status, never a traceback."""
    from builder.edit import write

    try:
        desk = open_desk(workspace, today)
        plan = make(desk)
        for warning in plan.warnings:
            click.echo(f"warning: {warning}", err=True)
        if not plan.changes:
            click.echo(plan.summary)
            return
        where = desk.path(plan.changes[0].rel)
        if dry_run:
            click.echo(write.diff(desk, plan), nl=False)
            click.echo(f"dry run, nothing written: {plan.summary} ({where})")
            return
        write.preflight(desk, plan, commit)
        write.apply(desk, plan)
        line = f"{plan.summary} ({where})"
        if commit:
            line += f" [committed {write.commit(desk, plan)}]"
        click.echo(line)
    except Refused as exc:
        from builder.report import format_text

        click.echo(format_text(exc.problems, f"error: {exc}"), nl=False, err=True)
        sys.exit(exc.code)
    except EditError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.code)


@cli.command(short_help="Move a task to a column, or a deal to a stage.")
@click.argument("ident", metavar="ID")
@click.argument("to", metavar="TO")
@_options
def move(
    ident: str, to: str, workspace: Path, dry_run: bool, commit: bool, today: date | None
) -> None:
    """Move task ID to column TO of its project's workflow, or deal ID to stage TO of its
    pipeline (TO is a column's or stage's id or name). When one id is both a task and a
    deal, say which: `task:ID` or `deal:ID`."""
    from builder.edit import ops

    _run(workspace, today, dry_run, commit, lambda desk: ops.move(desk, ident, to))


@cli.command(short_help="Mark a task (or a project) done.")
@click.argument("ident", metavar="ID")
@_options
def done(ident: str, workspace: Path, dry_run: bool, commit: bool, today: date | None) -> None:
    """Move task ID to its workflow's done column, or set project ID's status to done."""
    from builder.edit import ops

    _run(workspace, today, dry_run, commit, lambda desk: ops.done(desk, ident))


@cli.command(short_help="Add time to a task's log, or a touch to a contact's outreach log.")
@click.argument("ident", metavar="ID")
@click.argument("words", nargs=-1, metavar="[DURATION] [NOTE]...")
@click.option("--person", metavar="ID", help="Who (default: you, by your git e-mail).")
@click.option("--date", "when", metavar="DATE", help=f"When ({DATE_FORMS}; default today).")
@click.option("--outcome", metavar="OUTCOME", help=f"A contact's entry: {', '.join(REPLIES)}.")
@click.option("--about", metavar="ID", help="A contact's entry: the project, task or deal.")
@click.option("--channel", metavar="CHANNEL", help=f"A contact's entry: {', '.join(CHANNELS)}.")
@click.option("--link", metavar="URL", help="A contact's entry: where it was published.")
@_options
def log(
    ident: str,
    words: tuple[str, ...],
    person: str | None,
    when: str | None,
    outcome: str | None,
    about: str | None,
    channel: str | None,
    link: str | None,
    workspace: Path,
    dry_run: bool,
    commit: bool,
    today: date | None,
) -> None:
    """Add DURATION (2h, 1h30m, 90m, 1.5h, 2d) to task ID's time log, with an optional
    NOTE; or, with --outcome and --about, an entry to contact ID's outreach log, the words
    being its NOTE: `plaindesk log olena-shevchuk --outcome replied --about season-2026
    asked for photos`."""
    from builder.edit import ops

    _run(
        workspace,
        today,
        dry_run,
        commit,
        lambda desk: ops.log_entry(
            desk, ident, list(words), outcome, about, channel, link, person, when
        ),
    )


@cli.command(short_help="Add a dated line to a record's notes.")
@click.argument("ident", metavar="ID")
@click.argument("text", nargs=-1, required=True)
@_options
def note(
    ident: str,
    text: tuple[str, ...],
    workspace: Path,
    dry_run: bool,
    commit: bool,
    today: date | None,
) -> None:
    """Add `- DATE: TEXT` at the end of record ID's body (its notes)."""
    from builder.edit import ops

    _run(workspace, today, dry_run, commit, lambda desk: ops.note(desk, ident, " ".join(text)))


@cli.command("follow-up", short_help="Set (or show) a contact's next follow-up.")
@click.argument("ident", metavar="CONTACT")
@click.argument("when", metavar="[DATE|done]", required=False)
@_options
def follow_up(
    ident: str, when: str | None, workspace: Path, dry_run: bool, commit: bool, today: date | None
) -> None:
    """Set CONTACT's next follow-up to DATE, or with `done` to today plus the contact's
    cadence; without either, show it."""
    from builder.edit import ops

    _run(workspace, today, dry_run, commit, lambda desk: ops.follow_up(desk, ident, when))


@cli.command(short_help="Give a task, deal, contact or project to a person.")
@click.argument("ident", metavar="ID")
@click.argument("person", metavar="PERSON")
@_options
def assign(
    ident: str, person: str, workspace: Path, dry_run: bool, commit: bool, today: date | None
) -> None:
    """Make PERSON (a person's id) the assignee of task ID, the owner of a deal or contact,
    or the manager of a project or company."""
    from builder.edit import ops

    _run(workspace, today, dry_run, commit, lambda desk: ops.assign(desk, ident, person))


@cli.command(short_help="Set a task's or project's due date.")
@click.argument("ident", metavar="ID")
@click.argument("when", metavar="DATE")
@_options
def due(
    ident: str, when: str, workspace: Path, dry_run: bool, commit: bool, today: date | None
) -> None:
    """Set the due date of task or project ID (a date in the past is written, with a
    warning)."""
    from builder.edit import ops

    _run(workspace, today, dry_run, commit, lambda desk: ops.due(desk, ident, when))


# --- new ---------------------------------------------------------------------------------


class _NewGroup(click.Group):
    """`new`'s commands, one per record type, each made when it is asked for: their options
    come from the schema and their help from `builder.edit.new`, which `move` and the
    other edit commands should not pay for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(SPECS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in SPECS:
            self.add_command(_new_command(SPECS[cmd_name]))
        return self.commands.get(cmd_name)


@cli.group(cls=_NewGroup, short_help="Create a record from a template.")
def new() -> None:
    """Create a record from a template: `plaindesk new task "Hero banner" --project site`.

    Its id comes from its title (made unique); required fields missing from the command
    line are asked for in a terminal. `plaindesk new TYPE --help` lists TYPE's fields.
    """


def _value_help(f: FieldSpec) -> str:
    from builder.edit.new import describe

    return f"{f.label}{', required' if f.required else ''}: {describe(f)}."


_METAVARS = {
    "ref": "ID",
    "refs": "ID",
    "tags": "TAG",
    "choice": "VALUE",
    "time_log": "ENTRY",
    "outreach_log": "ENTRY",
    "handles": "HANDLE",
    "portal": "YAML",
    "metrics": "YAML",
    "next_step": "STEP",
}


def _new_params(spec: RecordSpec) -> list[click.Parameter]:
    params: list[click.Parameter] = [
        click.Argument([spec.title_field], required=False, metavar=spec.title_field.upper())
    ]
    for f in spec.fields:
        if f.name == spec.title_field:
            continue
        flag = "--" + f.name.replace("_", "-")
        if f.kind == "bool":
            params.append(
                click.Option([f"{flag}/--no-{flag[2:]}"], default=None, help=_value_help(f))
            )
        else:
            params.append(
                click.Option(
                    [flag],
                    multiple=f.kind in ("refs", "tags", "time_log", "outreach_log"),
                    metavar=_METAVARS.get(f.kind, f.kind.upper()),
                    help=_value_help(f),
                )
            )
    params += [
        click.Option(["--id", "ident"], metavar="ID", help="The id (default: from the title)."),
        click.Option(
            ["--template"],
            default="default",
            metavar="NAME",
            help="The template: WORKSPACE/.templates/TYPE/NAME.md (default: built in).",
        ),
        click.Option(
            ["--no-input"],
            is_flag=True,
            help="Never ask: a missing required field is an error.",
        ),
    ]
    return params


def _stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def _ask(f: FieldSpec, choices: Sequence[str], default: str | None) -> str:
    """A field's value from the terminal: one of `choices` (listed when there are up to
    20, else checked with "did you mean"), or any text when there are none. An optional
    field may be left empty (Enter)."""
    label = f.label
    if choices and len(choices) <= 20:
        label += f" ({', '.join(choices)})"
    if not f.required and default is None:
        label += " [Enter: none]"
    kind = _Pick(list(choices), f.ref or f.label.lower(), optional=not f.required)
    value: str = click.prompt(
        label,
        type=kind,
        default=default if default is not None else ("" if not f.required else None),
        show_default=default is not None,
    )
    return value.strip()


class _Pick(click.ParamType):  # type: ignore[type-arg]
    """One of the choices (any text when there are none), with "did you mean"."""

    name = "value"

    def __init__(self, choices: list[str], what: str, optional: bool) -> None:
        self.choices, self.what, self.optional = set(choices), what, optional

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value).strip()
        if (not text and self.optional) or not self.choices or text in self.choices:
            return text
        self.fail(f"no {self.what} `{text}`; {did_you_mean(text, self.choices)}", param, ctx)


def _custom(desk: Desk, kind: str, args: list[str]) -> dict[str, object]:
    """`--name value` pairs for the custom fields workspace.yml declares."""
    from builder.edit.new import cli_value

    custom = {f.name: f for f in record_fields(kind, desk.settings) if f.custom}
    out: dict[str, object] = {}
    rest = list(args)
    while rest:
        token = rest.pop(0)
        if not token.startswith("--"):
            raise EditError(f"unexpected `{token}`; put the title in quotes")
        flag, has_value, value = token[2:].partition("=")
        name = flag.replace("-", "_")
        negated = name.startswith("no_") and name[3:] in custom
        f = custom.get(name[3:] if negated else name)
        if f is None:
            known = [n.replace("_", "-") for n in (*custom, *(x.name for x in record_fields(kind)))]
            hint = did_you_mean(flag, known)
            raise EditError(
                f"a {kind} has no field `{flag}`" + (f"; {hint}" if hint.startswith("did") else "")
            )
        if f.kind == "bool" and not has_value:
            out[f.name] = "false" if negated else "true"
            continue
        if not has_value:
            if not rest:
                raise EditError(f"--{flag} needs a value")
            value = rest.pop(0)
        out[f.name] = cli_value(desk, f, value)
    return out


def _new_command(spec: RecordSpec) -> click.Command:
    def run(**kwargs: Any) -> None:
        from builder.edit.new import cli_value
        from builder.edit.new import new as make

        ctx = click.get_current_context()
        ask_ok = not kwargs["no_input"] and _stdin_is_terminal()

        def plan(desk: Desk) -> Plan:
            given: dict[str, object] = {}
            for f in spec.fields:
                value = kwargs.get(f.name)
                if value is not None and value != ():
                    given[f.name] = cli_value(desk, f, value)
            given.update(_custom(desk, spec.type, list(ctx.args)))

            def create(defaults: dict[str, object]) -> Plan:
                return make(
                    desk,
                    spec.type,
                    {**defaults, **given},
                    kwargs["template"],
                    kwargs["ident"],
                    _ask if ask_ok else None,
                )

            if kwargs.get("from_deal"):
                from builder.edit.ops import project_from_deal

                return project_from_deal(desk, kwargs["from_deal"], create)
            return create({})

        _run(kwargs["workspace"], kwargs["today"], kwargs["dry_run"], kwargs["commit"], plan)

    needs = " ".join(
        f"--{f.name.replace('_', '-')} {f.example}"
        for f in spec.fields
        if f.required and f.name != spec.title_field
    )
    params = _new_params(spec)
    if spec.type == "project":
        params.append(
            click.Option(
                ["--from-deal", "from_deal"],
                metavar="DEAL",
                help="Start the project a deal became: its name, company, manager and "
                "budget come from the deal (the deal's title, company, owner and amount; "
                "options given here win), and the deal is linked to it.",
            )
        )
    command = click.Command(
        spec.type,
        params=params,
        callback=run,
        short_help=f"A new {spec.label.lower()}.",
        help=(
            f"Create a {spec.label.lower()} ({spec.folder}/ID.md) from a template; its id "
            f"comes from {spec.title_field.upper()}.\n\n"
            f'Example: plaindesk new {spec.type} "{_example(spec)}" {needs}\n\n'
            "Values are written as in the front matter. Custom fields from workspace.yml "
            "are options too (--NAME VALUE)."
        ),
        context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    )
    for option in (TODAY, _COMMIT, _DRY_RUN, _WORKSPACE):
        option(command)
    return command


def _example(spec: RecordSpec) -> str:
    title = next(f for f in spec.fields if f.name == spec.title_field)
    return title.example
