"""The README's field tables, generated from the schema (`scripts/update_readme.py` writes
them between markers; `tests/test_schema.py` fails when the README is out of date)."""

from __future__ import annotations

from builder.model.schema import RECORD_SPECS, FieldSpec, RecordSpec

START = "<!-- fields:start (generated from builder/model/schema.py) -->"
END = "<!-- fields:end -->"

_SEEN_BY = {
    "client": "team, client portal",
    "internal": "team",
    "money": "team (money)",
    "private": "team (private)",
}


def _kind(spec: FieldSpec) -> str:
    if spec.kind == "ref":
        return f"id of a {spec.ref}"
    if spec.kind == "refs":
        return f"list of {spec.ref} ids"
    if spec.kind == "choice" and spec.choices:
        return " \\| ".join(spec.choices)
    if spec.kind == "choice":
        return {
            "workflow_columns": "a column of the project's workflow",
            "workflows": "a workflow id",
            "pipeline_stages": "a stage of the deal's pipeline",
            "pipelines": "a pipeline id",
            "locales": "en \\| ru \\| uk",
        }[spec.choices_from or "workflows"]
    if spec.parts:
        keys = ", ".join(p.name + ("*" if p.required else "") for p in spec.parts)
        return f"{spec.kind.replace('_', ' ')} ({keys})"
    return spec.kind.replace("_", " ")


def _example(spec: RecordSpec) -> list[str]:
    width = max(len(f"{f.name}: {f.example}") for f in spec.fields) + 2
    lines = ["```markdown", "---"]
    for f in spec.fields:
        line = f"{f.name}: {f.example}"
        lines.append(f"{line:<{width}}# {f.help}" if f.help else line)
    return [*lines, "---", spec.body[0].upper() + spec.body[1:] + ".", "```", ""]


def _table(spec: RecordSpec) -> list[str]:
    lines = [
        f"### `{spec.folder}/` — one file per {spec.label.lower()}",
        "",
        *_example(spec),
        "| field | value | required | default | seen by |",
        "|---|---|---|---|---|",
    ]
    for f in spec.fields:
        default = "" if f.default is None else str(f.default).lower()
        lines.append(
            f"| `{f.name}` | {_kind(f)} | {'yes' if f.required else ''} | {default} "
            f"| {_SEEN_BY[f.sensitivity]} |"
        )
    lines += [
        "",
        f"Its title is `{spec.title_field}`; the body holds {spec.body} "
        f"(seen by {_SEEN_BY[spec.body_sensitivity]}).",
        "",
    ]
    return lines


def fields_reference() -> str:
    """Markdown tables of every record type's fields, between the README's markers."""
    lines = [START, ""]
    for spec in RECORD_SPECS:
        lines += _table(spec)
    lines.append(END)
    return "\n".join(lines)


def with_reference(readme: str) -> str:
    """`readme` with the text between the markers replaced by `fields_reference()`."""
    head, start, rest = readme.partition(START)
    _, end, tail = rest.partition(END)
    if not start or not end:
        raise ValueError(f"README.md lacks the markers {START!r} and {END!r}")
    return head + fields_reference() + tail
