"""`new`: a record written from a template, with an id made from its title.

Templates are record files. A workspace keeps its own in `<workspace>/.templates/<type>/
<name>.md` (a hidden folder: `check` and the site skip it); `default` is used unless
`--template` names another, and Plaindesk's built-in one (`builder/edit/templates/`) when
the workspace has no `default` of its own. A template may come with records created
alongside it: `.templates/project/launch.md` and `.templates/project/launch/tasks/*.md`
make a project and its standard tasks. Each of those is given the new record's id in the
field that refers to its type (a task's `project`), an id `<new id>-<file name>`, and a
folder of its own (`tasks/<new id>/`).

Template values are kept as written, except date fields, which may hold a relative date
(`today`, `+14d`, `fri`) resolved on the day the record is made. Empty fields stay in the
record, empty: a form to fill in later.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from builder.edit.checks import workflow_of
from builder.edit.dates import DATE_FORMS, DateInputError, parse_when
from builder.edit.desk import Desk, EditError, Refused, WriteError
from builder.edit.plan import FileChange, Plan
from builder.edit.render import DUMP_OPTIONS, Fields
from builder.load.files import decode_text, parse_record_text, read_bytes
from builder.load.yamltree import YamlProblem, parse, plain_value
from builder.model import Project
from builder.model.schema import (
    FOLDERS,
    ID_PATTERN,
    LOCALES,
    SECTIONS,
    SPECS,
    FieldSpec,
    record_fields,
)
from builder.problems import Problem

TEMPLATES = ".templates"
DEFAULT = "default"
BUILT_IN = Path(__file__).parent / "templates"
_ID_LENGTH = 60
#: apostrophes join a word (прем'єра, don't): an id keeps it one word
_ELIDED = [["'", ""], ["\u2019", ""], ["\u02bc", ""]]

#: Asks for one field's value: (field, the choices (may be empty), default) -> value.
Ask = Callable[[FieldSpec, Sequence[str], str | None], str]


@dataclass
class Template:
    """A template: its field values (as written; None for an empty field), its body and
    the records made with it (each with the file name that ends its id)."""

    kind: str
    name: str
    values: dict[str, object]
    body: str
    stem: str = ""
    extras: list[Template] = field(default_factory=list)


def template_names(root: Path, kind: str) -> list[str]:
    """The templates a workspace offers for a type (`default` always among them)."""
    folder = root / TEMPLATES / kind
    names = {p.stem for p in folder.glob("*.md")} if folder.is_dir() else set()
    return sorted(names | {DEFAULT})


def read_template(desk: Desk, kind: str, name: str) -> Template:
    """The template `name` for a type; raises EditError or Refused."""
    rel = f"{TEMPLATES}/{kind}/{name}.md"
    if (desk.root / rel).is_file():
        template = _read(desk, desk.root, rel, kind, name)
    elif name == DEFAULT:
        template = _read(desk, BUILT_IN, f"{kind}.md", kind, name)
    else:
        offered = ", ".join(template_names(desk.root, kind))
        raise EditError(f"no {kind} template `{name}` in {desk.path(rel)}; there are: {offered}")
    extras = desk.root / TEMPLATES / kind / name
    for path in sorted(extras.rglob("*.md")) if extras.is_dir() else []:
        inner = path.relative_to(extras).parts
        if any(part.startswith(".") for part in inner):
            continue
        extra_kind = FOLDERS.get(inner[0]) if len(inner) > 1 else None
        if extra_kind is None:
            raise EditError(
                f"{desk.path(path.relative_to(desk.root).as_posix())}: a template's records "
                f"go in record folders, e.g. {TEMPLATES}/{kind}/{name}/tasks/"
            )
        extra = _read(desk, desk.root, path.relative_to(desk.root).as_posix(), extra_kind, name)
        extra.stem = path.stem
        template.extras.append(extra)
    return template


def _read(desk: Desk, root: Path, rel: str, kind: str, name: str) -> Template:
    problems: list[Problem] = []
    shown = rel if root == BUILT_IN else desk.path(rel)
    data = read_bytes(root, rel, shown, problems)
    text = None if data is None else decode_text(data, shown, problems)
    raw = None
    if text is not None:
        raw, problems = parse_record_text(root, kind, rel, text, digest=False)
        problems = [p for p in problems if p.code != "PD108"]  # a template's name is no id
    if raw is None or any(p.is_error for p in problems):
        raise Refused(f"the {kind} template `{name}` cannot be read ({shown})", problems)
    values = {key: plain_value(node) for key, (_, node) in raw.fields.items.items()}
    return Template(kind, name, values, raw.body)


def new(
    desk: Desk,
    kind: str,
    given: dict[str, object],
    template_name: str = DEFAULT,
    ident: str | None = None,
    ask: Ask | None = None,
    body: str | None = None,
) -> Plan:
    """The plan that creates a record of type `kind` (and its template's records) with the
    field values `given`; `ask` fills in what is missing (None: missing required fields are
    an error that lists them); `body` replaces the template's body (importers give one)."""
    spec = SPECS[kind]
    template = read_template(desk, kind, template_name)
    values = _dated(desk, kind, template.values)
    values.update({k: v for k, v in given.items() if v is not None})
    _fill(desk, kind, values, ask)
    title = str(values.get(spec.title_field) or "")
    ident = _new_id(desk, kind, ident, title)
    rel = _place(desk, kind, ident, values)
    changes = [_created(desk, kind, ident, rel, values, template.body if body is None else body)]
    for extra in template.extras:
        extra_values = _dated(desk, extra.kind, extra.values)
        for f in SPECS[extra.kind].fields:
            if f.kind == "ref" and f.ref == kind and not extra_values.get(f.name):
                extra_values[f.name] = ident
        extra_id = _unique(desk, extra.kind, f"{ident}-{extra.stem}")
        extra_rel = f"{SECTIONS[extra.kind]}/{ident}/{extra_id}.md"
        changes.append(_created(desk, extra.kind, extra_id, extra_rel, extra_values, extra.body))
    summary = f"created {kind} {ident}"
    if template.extras:
        counts: dict[str, int] = {}
        for extra in template.extras:
            counts[extra.kind] = counts.get(extra.kind, 0) + 1
        made = ", ".join(
            f"{n} {SPECS[k].label.lower() if n == 1 else SPECS[k].plural.lower()}"
            for k, n in counts.items()
        )
        summary += f" and {made} from template {template_name}"
    elif template_name != DEFAULT:
        summary += f" from template {template_name}"
    return Plan(summary, changes)


def options(
    desk: Desk, kind: str, f: FieldSpec, values: dict[str, object]
) -> tuple[list[str], str | None]:
    """The values field `f` of a new `kind` may take in this workspace (given the `values`
    it has so far: a task's columns are its project's), and the one it gets by default."""
    s = desk.settings
    if f.kind == "ref" and f.ref is not None:
        return sorted(desk.ids(f.ref)), None
    if f.choices:
        return list(f.choices), None if f.default is None else str(f.default)
    if f.choices_from == "workflows":
        return list(s.workflows), s.default_workflow
    if f.choices_from == "pipelines":
        return list(s.pipelines), s.default_pipeline
    if f.choices_from == "workflow_columns":
        project_id = _value_of(kind, values, lambda g: g.ref == "project")
        project = desk.record("project", project_id) if project_id else None
        flow = workflow_of(project if isinstance(project, Project) else None, s)
        return list(flow.column_ids), flow.backlog
    if f.choices_from == "pipeline_stages":
        chosen = _value_of(kind, values, lambda g: g.choices_from == "pipelines")
        pipeline = s.pipelines.get(chosen) or s.pipelines[s.default_pipeline]
        return list(pipeline.stage_ids), pipeline.stage_ids[0]
    if f.choices_from == "locales":
        return list(LOCALES), None
    return [], None


def _value_of(kind: str, values: dict[str, object], test: Callable[[FieldSpec], bool]) -> str:
    """The text value of the first field of `kind` that passes `test` ("" if none)."""
    f = next((g for g in SPECS[kind].fields if test(g)), None)
    value = values.get(f.name) if f is not None else None
    return value if isinstance(value, str) else ""


def _fill(desk: Desk, kind: str, values: dict[str, object], ask: Ask | None) -> None:
    """Ask for each required field still empty and, in a terminal, for the record's person
    (a task's assignee, a deal's owner: may be left empty) and each list from the settings
    with more than one entry (a task's column, a deal's pipeline)."""
    missing: list[FieldSpec] = []
    person = next((f for f in SPECS[kind].fields if f.kind == "ref" and f.ref == "person"), None)
    for f in record_fields(kind, desk.settings):
        if _present(values.get(f.name)):
            continue
        if ask is None:  # the choices are not worked out: listing a type's ids costs
            if f.required:
                missing.append(f)
            continue
        choices, default = options(desk, kind, f, values)
        from_settings = f.choices_from is not None and f.choices_from != "locales"
        if f.required or f is person or (from_settings and len(choices) > 1):
            answer = ask(f, choices, default)
            if answer:
                values[f.name] = answer
    if missing:
        title = SPECS[kind].title_field
        wanted = " and ".join(
            f"its {f.name} (after the type)"
            if f.name == title
            else f"--{f.name.replace('_', '-')} ({describe(f)})"
            for f in missing
        )
        raise EditError(
            f"a new {kind} needs {wanted}; give {'them' if len(missing) > 1 else 'it'} on "
            "the command line, or run the command in a terminal without --no-input to be asked"
        )


_FROM_SETTINGS = {
    "workflow_columns": "a column of the project's workflow",
    "workflows": "a workflow id",
    "pipeline_stages": "a stage of the deal's pipeline",
    "pipelines": "a pipeline id",
    "locales": "en, ru or uk",
}


def describe(f: FieldSpec) -> str:
    """What a field takes, in a few words, from the schema."""
    if f.kind == "bool":
        return "on or off"
    if f.kind == "ref":
        return f"id of a {f.ref}"
    if f.kind == "refs":
        return f"{f.ref} ids (repeat the option, or separate with commas)"
    if f.kind == "tags":
        return "repeat the option, or separate with commas"
    if f.kind == "date":
        return DATE_FORMS
    if f.choices:
        return " | ".join(f.choices)
    if f.choices_from:
        return _FROM_SETTINGS[f.choices_from]
    if f.kind == "time_log":
        return "DATE PERSON DURATION NOTE (repeat the option)"
    if f.parts:
        return "YAML, e.g. " + f.example
    shown = f.example not in ("", '""')
    return f.kind.replace("_", " ") + (f", e.g. {f.example}" if shown else "")


def _present(value: object) -> bool:
    return value not in (None, "", [], {})


def _dated(desk: Desk, kind: str, values: dict[str, object]) -> dict[str, object]:
    """Template values with relative dates (`today`, `+14d`) in date fields resolved."""
    out = dict(values)
    for f in record_fields(kind, desk.settings):
        value = out.get(f.name)
        if f.kind == "date" and isinstance(value, str) and value.strip():
            # one that is no date is left as written: the check says what is wrong with it
            with contextlib.suppress(DateInputError):
                out[f.name] = parse_when(value, desk.today).isoformat()
    return out


def _new_id(desk: Desk, kind: str, ident: str | None, title: str) -> str:
    from slugify import slugify  # loaded by `new` alone, not by every command's --help

    if ident is None:
        base = slugify(title, max_length=_ID_LENGTH, word_boundary=True, replacements=_ELIDED)
        base = base or kind
        return _unique(desk, kind, base)
    if not ID_PATTERN.match(ident):
        raise EditError(
            f"bad id `{ident}`: ids are lower-case letters, digits and dashes, "
            f"e.g. `{slugify(ident) or kind}`"
        )
    taken = desk.index.paths_of(kind, ident)
    if taken:
        raise WriteError(
            f"{kind} `{ident}` exists already ({desk.path(taken[0])}); "
            "new never overwrites a record: choose another --id"
        )
    return ident


def _unique(desk: Desk, kind: str, base: str) -> str:
    taken = desk.index.taken(kind, base)
    ident, n = base, 2
    while ident in taken or (kind, ident) in desk.pending:
        ident, n = f"{base}-{n}", n + 1
    return ident


def _place(desk: Desk, kind: str, ident: str, values: dict[str, object]) -> str:
    """`<folder>/<id>.md`, or `<folder>/<owner>/<id>.md` when the folder already groups its
    records by the record they belong to (tasks by project, as the demo does): the owner is
    the first required reference of the type."""
    folder = SECTIONS[kind]
    owner = next((f for f in SPECS[kind].fields if f.required and f.kind == "ref"), None)
    group = values.get(owner.name) if owner is not None else None
    if isinstance(group, str) and ID_PATTERN.match(group) and (desk.root / folder / group).is_dir():
        return f"{folder}/{group}/{ident}.md"
    return f"{folder}/{ident}.md"


def _created(
    desk: Desk, kind: str, ident: str, rel: str, values: dict[str, object], body: str
) -> FileChange:
    """A new record's file, checked (and registered for the records made after it)."""
    text = _dump(desk, kind, values, body)
    record, problems = desk.check(kind, rel, text)
    if record is None or any(p.is_error for p in problems):
        raise Refused(f"the new {kind} would be invalid; nothing written", problems)
    desk.pending[kind, ident] = record
    return FileChange(rel, None, text.encode("utf-8"))


def _dump(desk: Desk, kind: str, values: dict[str, object], body: str) -> str:
    rank = {f.name: i for i, f in enumerate(record_fields(kind, desk.settings))}
    fields = Fields(
        (key, values[key]) for key in sorted(values, key=lambda k: rank.get(k, len(rank)))
    )
    return front_matter_text(fields, body)


def front_matter_text(fields: Fields, body: str) -> str:
    """A record file's text: the fields between `---` lines, then the body (its blank
    lines at either end and the spaces ending it dropped), then one line break. The
    bytes python-frontmatter's `dumps` writes, less its blank line after the front matter
    and plus the final line break; written here, since importing python-frontmatter (its
    JSON and TOML handlers too) would cost `new` more than making the record."""
    meta = yaml.dump(fields, default_flow_style=False, **DUMP_OPTIONS).strip()
    content = body.strip("\n") + "\n" if body.strip() else ""
    return f"---\n{meta}\n---\n{content}".strip() + "\n"


def cli_value(desk: Desk, f: FieldSpec, given: object) -> object:
    """A field's value as given on the command line, in the shape the record holds:
    lists for list fields (each option once, or commas), mappings written as YAML flow
    text (`{enabled: true}`), relative dates resolved, flags as true/false."""
    if isinstance(given, bool):
        return "true" if given else "false"
    if isinstance(given, tuple):
        items: list[object] = []
        for one in given:
            if f.kind == "time_log":
                items.append(_flow_or_text(f, one))
            else:
                items += [part.strip() for part in str(one).split(",") if part.strip()]
        return items or None
    text = str(given).strip()
    if f.kind == "date":
        try:
            return parse_when(text, desk.today).isoformat()
        except DateInputError as exc:
            raise EditError(f"--{f.name.replace('_', '-')}: {exc}") from None
    if f.parts or f.kind == "handles":
        return _flow_or_text(f, text)
    return text


def _flow_or_text(f: FieldSpec, text: str) -> object:
    text = text.strip()
    if not text.startswith(("{", "[")):
        return text
    try:
        root = parse(text).root
    except YamlProblem as exc:
        raise EditError(
            f"--{f.name.replace('_', '-')}: `{text}` is not YAML: {exc.message}"
        ) from None
    return None if root is None else plain_value(root)
