"""Property tests over whole workspaces with hostile values in every field (HTML and
script, control characters, right-to-left marks, huge and tiny numbers, far dates, odd YAML
scalars, lists where a scalar belongs):

- `check` never raises, and its reports always render;
- a workspace `check` passes always builds: the internal site (the real MkDocs build) and
  the portal of a client with the portal enabled;
- no value of an internal field reaches any byte of the portal: every private text value
  carries the canary of `portal_cases`, and the bundle is searched decoded every way.

The fields come from the schema (`SCHEMAS`), so a new field fails `test_every_field_has_a_
strategy` until it gets hostile values here too.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import cast

import pytest
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st
from portal_cases import CANARY, SECRET, all_text
from site_cases import project

from builder.model.schema import BILLINGS, COMPANY_KINDS, PRIORITIES, PROJECT_STATUSES, REPLIES
from builder.pipeline import CheckResult, run_check
from builder.portal import build_portals, enabled_companies
from builder.problems import CODES
from builder.render.pages import SiteOptions
from builder.report import format_github, format_json, format_text
from builder.site.generate import generate
from builder.validate.fields import SCHEMAS
from builder.validate.values import MAX_DATE, MAX_HOURS, MAX_INTERVAL_DAYS, MAX_NUMBER, MIN_DATE

Draw = st.DrawFn

# --- values ----------------------------------------------------------------------------------

HOSTILE = (
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    "</style><script>alert(3)</script>",
    "{{ 7*7 }}{% if true %}jinja{% endif %}",
    "[a link](javascript:alert(4))",
    "![img](https://evil.example/pixel.png)",
    "<https://internal.example/deals>",
    '"><svg onload=alert(5)>',
    "\u202eevil\u202c",  # right-to-left override
    "\u200f\u200b\u2066",  # RTL mark, zero-width space, isolate
    "\x1b[31mred\x1b[0m",  # a terminal escape
    "\x00\x07\x08\x7f\x85\u2028\ufeff",
    "# heading\n\n- [ ] item\n---\n",
    "| a | b |\n|---|---|",
    "e\u0301\u0301\u0301",
    "😀👩‍👩‍👧",
    "Олена, Київ",
    "&amp; &lt; &#0; %0A %s {0}",
    "\\",
    '"',
    "'",
    ": - ? # & * ! | > % @ `",
)
ODD_SCALARS = (
    "~", "null", "", "yes", "no", "on", "off", "y", "n", "0x1F", "0o17", "0b101", "+12",
    "1_000", "1e400", "-1e400", ".inf", "-.inf", ".nan", "12:30:00", "2026-03-16T10:00:00Z",
    "2026-02-30", "9999-12-31", "0001-01-01", "1899-12-31", "3000-01-01", "1900-01-01",
    "2999-12-31", "'quoted'", "[]", "{}", "[a, b]", "{a: 1}", "[[[[]]]]", "- a", "|\n  block",
    ">-\n  folded", "1" + "0" * 28 + " USD", "1" + "0" * 30, "-5", "-5 USD", "0.5 usd",
    "0." + "0" * 320 + "1", "999999999999999.99 EUR", "1000000000000000", "1000000h",
    "1000001h", "9" * 400, "1h30m", "2d", "40", "100", "101", "true", "-0", "00012", "1.",
    "!!str x", "&a x", "*a", "@x", "%x", "`x`", "? x", "x: y", "x #comment", "#",
)  # fmt: skip


def quoted(value: str) -> str:
    """`value` as a YAML double-quoted scalar that reads back exactly `value`."""
    out = ['"']
    for ch in value:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif code < 0x20 or 0x7F <= code <= 0x9F or ch in "\u2028\u2029\ufeff\ufffe\uffff":
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out) + '"'


TEXT = st.lists(st.sampled_from(HOSTILE) | st.text(max_size=8), max_size=3).map("".join)


def text(private: bool, required: bool = False) -> st.SearchStrategy[str]:
    """Hostile text as a YAML scalar; a private one carries the canary, somewhere. A
    required one is more than blanks (`title: ""` is PD101)."""
    if not private:
        if required:  # one of HOSTILE, none of them blank, somewhere in it
            return st.tuples(TEXT, st.sampled_from(HOSTILE), TEXT).map("".join).map(quoted)
        return TEXT.map(quoted)
    return st.tuples(TEXT, TEXT).map(lambda p: quoted(f"{p[0]}{CANARY}{p[1]}"))


DAY = st.dates(MIN_DATE, MAX_DATE).map(date.isoformat)
NUMBER = st.one_of(
    st.integers(-MAX_NUMBER + 1, MAX_NUMBER - 1).map(str),
    st.decimals(-MAX_NUMBER + 1, MAX_NUMBER - 1, places=9).map(lambda d: f"{d:f}"),
    st.sampled_from(["0", "0.000000001", "-0.000000001", "999999999999999", "1"]),
)
POSITIVE = st.one_of(
    st.integers(1, MAX_NUMBER - 1).map(str),
    st.decimals(Decimal("0.000000001"), MAX_NUMBER - 1, places=9).map(lambda d: f"{d:f}"),
)
AMOUNT = st.tuples(
    st.decimals(0, Decimal(MAX_NUMBER) - Decimal("0.01"), places=2).map(lambda d: f"{d:f}")
    | st.sampled_from(["0", "999999999999999.99", "1 000 000", "1_000"]),
    st.sampled_from(["", " USD", " EUR", " UAH"]),
).map("".join)
INTERVAL = st.one_of(
    st.integers(0, MAX_INTERVAL_DAYS).map(lambda d: f"{d}d"),
    st.integers(0, MAX_INTERVAL_DAYS // 7).map(lambda w: f"{w}w"),
)
DURATION = st.one_of(
    st.integers(0, MAX_HOURS).map(lambda h: f"{h}h"),
    st.integers(0, MAX_HOURS * 60).map(lambda m: f"{m}m"),
    st.tuples(st.integers(0, 999), st.integers(0, 59)).map(lambda hm: f"{hm[0]}h{hm[1]}m"),
    st.sampled_from(["1.5h", "2d", "0h", "1000000h"]),
)
BOOL = st.sampled_from(["true", "false", "yes", "no", "on", "off", "True", "FALSE"])


def email(private: bool) -> st.SearchStrategy[str]:
    printable = st.characters(exclude_categories=("Z", "C"), exclude_characters="@")
    local = st.text(printable, min_size=1, max_size=12) | st.sampled_from(
        ['"><script>alert(6)</script>', "a'b", "javascript:alert(7)//"]
    )
    domain = "zqcanary.example" if private else "agency.example"
    return local.map(lambda s: quoted(f"{s}@{domain}"))


def flow(items: st.SearchStrategy[str], max_size: int = 3) -> st.SearchStrategy[str]:
    return st.lists(items, max_size=max_size).map(lambda xs: "[" + ", ".join(xs) + "]")


# --- the workspace -----------------------------------------------------------------------------

PORTAL_CLIENT, OTHER = "client", "other"
PEOPLE = ("anna", "dev")  # anna manages the client and its project: her contacts are shown
COLUMNS = ("queue", "doing", "client-review", "done")
STAGES = ("lead", "proposal", "won", "lost")
LOCALES = ("en", "ru", "uk")
CUSTOM_TYPES = ("text", "number", "date", "bool", "choice")
#: What the portal may show (no canary): everything else of every record is private.
SHOWN = {
    ("person", "anna"): {"name", "role", "email", "phone"},
    ("company", PORTAL_CLIENT): {"name"},
    ("project", "p"): {"name", "client_summary", "metrics", "status", "start", "due"},
    ("task", "shown"): {"title", "start", "due", "status", "client_visible"},
}


def _time_log(draw: Draw) -> str:
    """Time-log entries in both forms, each note private."""
    entries = []
    for _ in range(draw(st.integers(0, 3))):
        day, who, spent = draw(DAY), draw(st.sampled_from(PEOPLE)), draw(DURATION)
        if draw(st.booleans()):
            entries.append(quoted(f"{day} {who} {spent} {draw(TEXT)}{CANARY}"))
        else:
            note = draw(text(True))
            entries.append(f"{{date: {day}, person: {who}, spent: {spent}, note: {note}}}")
    return "[" + ", ".join(entries) + "]"


def valid(draw: Draw, kind: str, ident: str, field: str) -> str:
    """A hostile value `check` accepts for `field` of record `ident`."""
    private = field not in SHOWN.get((kind, ident), set())
    if field in ("name", "title"):
        return draw(text(private, required=True))
    if field in ("role", "phone", "position", "website", "source", "lost_reason"):
        return draw(text(private))
    if field == "client_summary":  # Markdown, shown rendered in the portal
        return draw(text(private))
    if field == "email":
        return draw(email(private))
    if field in ("emails", "tags"):
        return draw(flow(text(True)))
    if field == "chat":
        if draw(st.booleans()):
            return draw(text(True))
        return "{telegram: " + draw(text(True)) + ", signal: " + draw(text(True)) + "}"
    if field in ("manager", "owner", "assignee"):
        return "anna"
    if field == "participants":
        return "[dev]"
    if field == "company":
        return PORTAL_CLIENT if kind in ("project", "deal", "contact") else OTHER
    if field == "project":
        return "p"
    if field == "contact":
        return "c"
    if field in ("start", "due", "follow_up", "expected_close", "updated"):
        return draw(DAY)
    if field == "estimate":
        return draw(DURATION)
    if field == "cadence":
        return draw(INTERVAL)
    if field == "capacity":
        hours = st.decimals(0, MAX_HOURS, places=3).map(lambda d: f"{d:f}")
        return draw(hours | DURATION)
    if field in ("rate", "budget", "price", "amount"):
        return draw(AMOUNT)
    if field == "probability":
        return str(draw(st.integers(0, 100)))
    if field in ("active", "consent", "client_visible", "statement"):
        return draw(BOOL)
    if field == "billing":
        return draw(st.sampled_from(BILLINGS))
    if field == "log":  # a contact's outreach log: internal, its note must reach no portal
        entry = st.tuples(DAY, st.sampled_from(REPLIES), TEXT).map(
            lambda e: quoted(f"{e[0]} anna email p {e[1]} {e[2]}{CANARY}")
        )
        return draw(flow(entry))
    if field == "kind":
        return "client" if ident == PORTAL_CLIENT else draw(st.sampled_from(COMPANY_KINDS))
    if field == "portal":
        enabled = "true" if ident == PORTAL_CLIENT else "false"
        return f"{{enabled: {enabled}, locale: {draw(st.sampled_from(LOCALES))}}}"
    if field == "status":
        return draw(st.sampled_from(PROJECT_STATUSES if kind == "project" else COLUMNS))
    if field == "workflow":
        return "flow"
    if field == "pipeline":
        return "sales"
    if field == "stage":
        return draw(st.sampled_from(STAGES))
    if field == "priority":
        return draw(st.sampled_from(PRIORITIES))
    if field == "metrics":
        metric = st.tuples(text(private), NUMBER, NUMBER, text(private)).map(
            lambda m: f"{{name: {m[0]}, target: {m[1]}, actual: {m[2]}, unit: {m[3]}}}"
        )
        return draw(flow(metric))
    if field == "time":
        return _time_log(draw)
    if field == "next_step":
        action = draw(TEXT)
        if draw(st.booleans()):
            return f"{{date: {draw(DAY)}, action: {quoted(action + CANARY)}}}"
        return quoted(f"{draw(DAY)} {action}{CANARY}")
    if field == "locale":
        return draw(st.sampled_from(LOCALES))
    if field == "notify":  # private: the canary in a webhook's path must reach no portal
        chat = draw(st.integers(1, 10**12))
        return f'["json://{{HOOK_HOST}}/{CANARY}", "tgram://{{TELEGRAM_TOKEN}}/{chat}"]'
    raise AssertionError(f"no strategy for {kind}.{field}")


def custom_value(draw: Draw, ftype: str, choices: list[str]) -> str:
    if ftype == "text":
        return draw(text(True))
    if ftype == "number":
        return draw(NUMBER)
    if ftype == "date":
        return draw(DAY)
    if ftype == "bool":
        return draw(BOOL)
    return quoted(draw(st.sampled_from(choices)))


def any_value(draw: Draw, private: bool = True) -> str:
    """A hostile value of any shape for any field: wrong types, odd YAML, out of range."""
    value: str = draw(
        st.one_of(
            st.sampled_from(ODD_SCALARS),
            st.sampled_from(['""', "' '", '"\\n"', '"\\u200b"']),  # blank, or nearly
            text(private),
            NUMBER,
            st.integers().map(str),
            st.dates().map(date.isoformat),
            flow(st.sampled_from(ODD_SCALARS[:30]) | text(private)),
            st.tuples(text(private), st.sampled_from(ODD_SCALARS[:30])).map(
                lambda kv: f"{{k: {kv[0]}, v: {kv[1]}}}"
            ),
        )
    )
    return value


RECORDS = (
    ("person", "anna"),
    ("person", "dev"),
    ("company", PORTAL_CLIENT),
    ("company", OTHER),
    ("contact", "c"),
    ("project", "p"),
    ("task", "shown"),
    ("task", "hidden"),
    ("deal", "d"),
)
FOLDER = {"person": "people", "company": "companies", "contact": "contacts"}


def settings_yml(draw: Draw, choices: list[str]) -> tuple[str, dict[str, str]]:
    """workspace.yml with hostile names everywhere, and the type of each record type's one
    custom field `x_<type>`."""

    def name() -> str:
        return draw(text(True))

    columns = ", ".join(
        f"{{id: {c}, name: {name()}, wip: {draw(st.integers(1, 10_000))}}}" for c in COLUMNS
    )
    stages = ", ".join(
        f"{{id: {s}, name: {name()}, probability: {draw(st.integers(0, 100))}"
        + (f", outcome: {s}" if s in ("won", "lost") else "")
        + f", idle_days: {draw(st.integers(1, 10_000))}}}"
        for s in STAGES
    )
    declared = {kind: draw(st.sampled_from(CUSTOM_TYPES)) for kind in SCHEMAS}
    custom = ", ".join(
        f"{kind}: {{x_{t}: {{type: {t}, label: {name()}"
        + (f", choices: [{', '.join(quoted(c) for c in choices)}]" if t == "choice" else "")
        + "}}"
        for kind, t in declared.items()
    )
    yml = (
        f"name: {name()}\n"
        f"locale: {draw(st.sampled_from(LOCALES))}\n"
        f"timezone: {draw(st.sampled_from(['UTC', 'Europe/Kyiv', 'Pacific/Kiritimati']))}\n"
        f"base_currency: USD\n"
        f"rates: {{EUR: {draw(POSITIVE)}, UAH: {draw(POSITIVE)}}}\n"
        f"hours_per_day: {draw(st.integers(1, 24))}\n"
        f"allow_raw_html: {draw(BOOL)}\n"
        f"workflows: {{flow: {{name: {name()}, columns: [{columns}]}}}}\n"
        f"pipelines: {{sales: {{name: {name()}, stages: [{stages}]}}}}\n"
        f"custom_fields: {{{custom}}}\n"
        f"portal: {{assignee: {draw(st.sampled_from(['first_name', 'role']))}, "
        f"done_recent_days: {draw(st.integers(1, 3650))}}}\n"
    )
    return yml, declared


#: Where a hostile workspace may put a value of any shape: any field of any record, an
#: unknown field of a record (field ""), or a setting (record "workspace.yml").
TARGETS = [
    *((kind, ident, field) for kind, ident in RECORDS for field in SCHEMAS[kind]),
    *((kind, ident, "") for kind, ident in RECORDS),
    ("settings", "workspace.yml", ""),
]


@st.composite
def workspaces(draw: Draw, hostile: bool) -> dict[str, str]:
    """The files of a small workspace (content-relative). With `hostile`, up to three
    places hold a value of any shape instead (see TARGETS)."""
    choices = draw(st.lists(TEXT, min_size=1, max_size=3, unique=True))
    settings_text, declared = settings_yml(draw, choices)
    files = {"workspace.yml": settings_text}
    targets = set(draw(st.lists(st.sampled_from(TARGETS), max_size=3))) if hostile else set()
    if ("settings", "workspace.yml", "") in targets:  # one setting of any shape, or none
        lines = settings_text.splitlines()
        at = draw(st.integers(0, len(lines)))
        if at == len(lines):
            files["workspace.yml"] = any_value(draw) + "\n"
        else:
            lines[at] = f"{lines[at].split(':')[0]}: {any_value(draw)}"
            files["workspace.yml"] = "\n".join(lines) + "\n"
    for kind, ident in RECORDS:
        lines = []
        for field, (_, required) in SCHEMAS[kind].items():
            private = field not in SHOWN.get((kind, ident), set())
            if (kind, ident, field) in targets:
                lines.append(f"{field}: {any_value(draw, private)}")
            elif required or (kind, field) == ("company", "portal") or draw(st.booleans()):
                lines.append(f"{field}: {valid(draw, kind, ident, field)}")
        if kind == "task":  # the portal shows `shown` only; `hidden` says so
            lines = [x for x in lines if not x.startswith("client_visible")]
            lines.append(f"client_visible: {'true' if ident == 'shown' else 'false'}")
        if kind in ("task", "project"):
            lines = _ordered_dates(lines)
        if draw(st.booleans()):
            ftype = declared[kind]
            lines.append(f"x_{ftype}: {custom_value(draw, ftype, choices)}")
        if (kind, ident, "") in targets:
            name = draw(st.sampled_from(["zq_unknown", "titel", '""', "? [a]"]))
            lines.append(f"{name}: {any_value(draw)}")
        body = draw(TEXT).replace("\x00", "")
        folder = FOLDER.get(kind, kind + "s")
        files[f"{folder}/{ident}.md"] = "---\n" + "\n".join(lines) + f"\n---\n{body} {CANARY}\n"
    return files


def _ordered_dates(lines: list[str]) -> list[str]:
    """`start` no later than `due` (else PD110), when both are valid dates."""
    values = {x.split(": ", 1)[0]: x.split(": ", 1)[1] for x in lines if ": " in x}
    start, due = values.get("start", ""), values.get("due", "")
    if len(start) == len(due) == 10 and start[4] == "-" and due[4] == "-" and start > due:
        return [
            f"start: {due}" if x.startswith("start:") else f"due: {start}" if x.startswith("due:")
            else x
            for x in lines
        ]  # fmt: skip
    return lines


# --- the properties ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        yield Path(tmp)


def write(folder: Path, files: dict[str, str]) -> Path:
    """A fresh site project holding `files` as its content; returns the project folder."""
    shutil.rmtree(folder, ignore_errors=True)
    for rel, content in project(files).items():
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(str(content), encoding="utf-8", newline="")
    return folder


def checked(root: Path, today: date) -> CheckResult:
    """`check`, in-process: no traceback, every problem well-formed, every report renders."""
    result = run_check(root / "content", today)
    for p in result.problems:
        assert p.code in CODES and p.line >= 0 and p.col >= 0
        assert "\n" not in p.message and len(p.message) < 400
    summary = result.summary()
    format_text(result.problems, summary)
    format_json(result.problems, summary, {})
    format_github(result.problems, summary)
    return result


def assert_private(result: CheckResult, out: Path) -> None:
    """The portal is built, for the client only, and holds no canary in any byte. (A
    hostile `portal: ~` on the client is a valid "no portal": then there is none.)"""
    bundles = build_portals(result, out, SECRET)
    # a hostile value may switch the client's portal off (`portal: ~`): then none is built
    assert [b.company_id for b in bundles] == enabled_companies(result)
    leaked = [
        path.name
        for bundle in bundles
        if bundle.company_id == PORTAL_CLIENT
        for path, variants in all_text(bundle.directory).items()
        if any(CANARY in v.casefold() for v in variants)
    ]
    assert leaked == []


QUICK = [Phase.explicit, Phase.generate] if os.environ.get("PD_NO_SHRINK") else list(Phase)


@settings(
    max_examples=50,
    phases=QUICK,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(files=workspaces(hostile=True), today=st.dates(MIN_DATE, MAX_DATE))
def test_hostile_values_never_make_check_raise(
    scratch: Path, files: dict[str, str], today: date
) -> None:
    """Any value in any field: problems, never a traceback; and when `check` passes, the
    pages render and the portal keeps every internal value out."""
    root = write(scratch / "hostile", files)
    result = checked(root, today)
    event("check passed" if not result.errors else "check failed")
    if not result.errors:
        generate(root / "content", root / "tree", SiteOptions(), today, result)
        assert_private(result, root / "public")


@settings(
    max_examples=15,
    phases=QUICK,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(files=workspaces(hostile=False), today=st.dates(MIN_DATE, MAX_DATE))
def test_a_workspace_check_passes_builds_and_keeps_the_portal_private(
    scratch: Path, files: dict[str, str], today: date, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hostile values `check` accepts: it passes, the real MkDocs build of the site
    succeeds, and the client's portal holds no internal value."""
    from builder.site.build import build_site, read_config

    root = write(scratch / "valid", files)
    result = checked(root, today)
    assert [p.headline() for p in result.errors] == []
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    cfg = read_config(root / "mkdocs.yml", root / "site")
    (root / "site").mkdir()
    build_site(cfg, result, root / "site")
    assert (root / "site" / "index.html").is_file()
    assert_private(result, root / "public")


@settings(max_examples=1, database=None)
@given(st.data())
def test_every_field_has_a_strategy(data: st.DataObject) -> None:
    """A field added to the schema must get hostile values here too."""
    missing = []
    for kind, schema in SCHEMAS.items():
        for field in schema:
            try:
                valid(cast(Draw, data.draw), kind, "x", field)
            except AssertionError:
                missing.append(f"{kind}.{field}")
    assert missing == []
