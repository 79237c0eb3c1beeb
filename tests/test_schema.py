"""The schema is the one description of record types and fields: the model, validation,
the README and the portal's isolation all agree with it."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest
from conftest import make_workspace

from builder.model import Record
from builder.model.reference import with_reference
from builder.model.schema import RECORD_SPECS, SPECS, FieldSpec, RecordSpec
from builder.pipeline import run_check
from builder.portal.render import render_bundle
from builder.portal.view import build_view
from builder.validate.fields import SCHEMAS

README = Path(__file__).resolve().parent.parent / "README.md"
_BASE = {f.name for f in dataclasses.fields(Record)}


def test_the_readme_field_tables_are_generated_from_the_schema() -> None:
    text = README.read_text(encoding="utf-8")
    assert with_reference(text) == text, "run `python scripts/update_readme.py`"


@pytest.mark.parametrize("spec", RECORD_SPECS, ids=lambda s: s.type)
def test_the_model_class_has_exactly_the_schema_fields_and_defaults(spec: RecordSpec) -> None:
    own = {f.name: f for f in dataclasses.fields(spec.cls) if f.name not in _BASE}
    assert list(own) == list(spec.names)
    record = spec.cls(id="x", path="x.md")
    for f in spec.fields:
        if f.default is not None:
            assert getattr(record, f.name) == f.default, f.name


@pytest.mark.parametrize("spec", RECORD_SPECS, ids=lambda s: s.type)
def test_validation_reads_every_schema_field_and_requires_the_required(spec: RecordSpec) -> None:
    assert list(SCHEMAS[spec.type]) == list(spec.names)
    assert [k for k, (_, required) in SCHEMAS[spec.type].items() if required] == list(spec.required)


def _example_record(spec: RecordSpec) -> str:
    lines = [f"{f.name}: {f.example}" for f in spec.fields]
    return "---\n" + "\n".join(lines) + f"\n---\n{spec.body}\n"


def test_every_example_in_the_schema_checks_clean(tmp_path: Path) -> None:
    """The README shows these examples: a workspace made of them has no problem."""
    settings = (
        "name: Examples\nbase_currency: USD\nrates: {UAH: 0.024}\ntoday: 2026-03-10\n"
        "workflows:\n  pr:\n    columns: [queue, design, done]\n"
        "custom_fields:\n  deal:\n    free: {type: bool, label: Free placement}\n"
    )
    ids = {
        "person": ["anna-k", "oleh-p"],
        "company": ["kyiv-opera", "ukrinform"],
        "contact": ["olena-shevchuk"],
        "project": ["season-2026"],
        "task": ["homepage-mock-ups"],
        "deal": ["kyiv-opera-sponsorship"],
    }
    files = {"workspace.yml": settings}
    for spec in RECORD_SPECS:
        for ident in ids[spec.type]:
            files[f"{spec.folder}/{ident}.md"] = _example_record(spec)
    result = run_check(make_workspace(tmp_path, files))
    assert [p.headline() for p in result.problems] == []
    assert result.files == 1 + sum(len(v) for v in ids.values())


# --- the portal's allow-list, against every field the schema does not mark `client` ------

_CANARY = "zqschema"


def _canary(spec: RecordSpec, f: FieldSpec, n: int) -> str | None:
    """A front-matter value for `f` that carries a trace findable in any output: a marked
    text, or a number (or date) used nowhere else. None for kinds that cannot carry one."""
    number = 731_000 + n  # unique per field
    tokens: dict[str, str | None] = {
        "text": f"{_CANARY} {spec.type} {f.name}",
        "email": f"{_CANARY}-{f.name}@example.org",
        "phone": f'"+1 {number}"',
        "url": f"https://{_CANARY}-{f.name}.example",
        "date": f"2031-{1 + n % 12:02d}-{1 + n % 27:02d}",
        "duration": f"{number}m",
        "interval": f"{number - 700_000}d",
        "hours": str(number),
        "money": f"{number} USD",
        "number": str(number),
        "percent": None,  # 0..100 cannot be unique; probabilities are deal-only anyway
        "bool": None,
        "choice": None,
        "ref": f"{_CANARY}-{f.ref}",
        "refs": f"[{_CANARY}-{f.ref}]",
        "tags": f"[{_CANARY}-{f.name}]",
        "handles": f'"@{_CANARY}_{f.name}"',
        "portal": None,
        "metrics": None,
        "time_log": f"[2026-03-02 {_CANARY}-person {number}m {_CANARY} note]",
        "outreach_log": f"[2031-02-03 {_CANARY}-person email {_CANARY}-project published "
        f"{_CANARY} note https://{_CANARY}-link.example/{number}]",
        "next_step": f"{{date: 2031-01-01, action: {_CANARY} next step}}",
        "channels": f'["json://{_CANARY}-{f.name}.example/hook"]',
    }
    return tokens[f.kind]


def _secret_files() -> tuple[dict[str, str], list[str]]:
    """A portal client whose every record carries a canary in each field not marked
    `client`; returns the files and the traces to look for."""
    traces = [_CANARY]
    plain = {
        "person": {"name": "Pat Client-Manager", "email": "pat@agency.example"},
        "company": {"name": "Client Co", "kind": "client", "portal": "{enabled: true}"},
        "contact": {"name": "Cory Contact"},
        "project": {"name": "Launch", "company": "client", "status": "active"},
        "task": {"title": "Visible task", "project": "launch", "client_visible": "true"},
        "deal": {"title": "Big deal", "company": "client", "stage": "lead"},
    }
    ids = {
        "person": "pat",
        "company": "client",
        "contact": "cory",
        "project": "launch",
        "task": "visible",
        "deal": "big",
    }
    files: dict[str, str] = {"workspace.yml": "name: Agency\ntoday: 2026-03-16\n"}
    n = 0
    for spec in RECORD_SPECS:
        fields = dict(plain[spec.type])
        for f in spec.fields:
            if f.sensitivity == "client" or f.name in fields:
                continue
            n += 1
            value = _canary(spec, f, n)
            if value is None:
                continue
            fields[f.name] = value
            if f.kind in ("duration", "interval", "hours", "money", "number", "phone"):
                traces.append(str(731_000 + n))
        if spec.type == "person":
            fields["manager"] = ""
        body = f"{_CANARY} body of the {spec.type}"
        front = "\n".join(f"{k}: {v}" for k, v in fields.items() if v)
        files[f"{spec.folder}/{ids[spec.type]}.md"] = f"---\n{front}\n---\n{body}\n"
        # the records the canary references point at
        if spec.type in ("person", "company", "contact", "project"):
            name_field = spec.title_field
            files[f"{spec.folder}/{_CANARY}-{spec.type}.md"] = (
                f"---\n{name_field}: {_CANARY} {spec.type} record\n"
                + (f"company: {_CANARY}-company\n" if spec.type == "project" else "")
                + ("kind: partner\n" if spec.type == "company" else "")
                + f"---\n{_CANARY} body\n"
            )
    files["companies/client.md"] = files["companies/client.md"].replace(
        "---\nname", "---\nmanager: pat\nname", 1
    )
    return files, traces


def test_no_field_outside_the_client_allow_list_reaches_a_portal(tmp_path: Path) -> None:
    files, traces = _secret_files()
    result = run_check(make_workspace(tmp_path, files))
    assert [p.headline() for p in result.errors] == []
    ws = result.workspace
    # guard against a vacuous pass: the canaries did load
    assert ws.tasks["visible"].estimate is not None and ws.tasks["visible"].time
    assert ws.deals["big"].amount is not None and ws.people["pat"].rate is not None
    assert ws.projects["launch"].budget is not None and ws.contacts["cory"].tags
    assert ws.contacts["cory"].log[0].link.startswith("https://zqschema-link")
    assert ws.contacts["cory"].log[0].link.startswith("https://zqschema-link")
    view = build_view(ws, "client", result.today)
    assert view.projects[0].in_work or view.projects[0].next_up  # the task is shown
    assert "Pat Client-Manager" in repr(view) and "Visible task" in repr(view)
    shown = repr(view)
    assert [t for t in traces if t in shown] == []
    for data in render_bundle(view, None).values():
        text = data.decode("utf-8", errors="replace")
        assert [t for t in traces if t in text] == []
    dates = [v for v in ws.tasks["visible"].__dict__.values() if isinstance(v, date)]
    assert all(d.year != 2031 for d in dates)  # no client field got a canary date


def test_every_field_kind_has_a_canary_or_cannot_carry_one() -> None:
    """A new value kind must say how the isolation test plants a canary in it."""
    for spec in RECORD_SPECS:
        for i, f in enumerate(spec.fields):
            _canary(spec, f, i)  # KeyError for a kind the test does not know


def test_structured_fields_declare_their_parts() -> None:
    for spec in RECORD_SPECS:
        for f in spec.fields:
            structured = ("portal", "metrics", "time_log", "outreach_log", "next_step")
            assert bool(f.parts) == (f.kind in structured)
    time = SPECS["task"].field("time")
    assert time is not None and time.part_names == ("date", "person", "spent", "note")


def test_money_fields_are_marked_money_or_private() -> None:
    for spec in RECORD_SPECS:
        for f in spec.fields:
            if f.kind == "money":
                assert f.sensitivity in ("money", "private"), (spec.type, f.name)
