"""The edit commands load what an edit needs and nothing else (issue 13, issue 17: an edit
command takes <= 0.3 s at scale 1, and most of that is the interpreter and the imports).

Each command runs in a fresh interpreter, in process (click's `main`), on a workspace that
names a base currency, rates, money values and a `phone_region` (the settings that used to
pull Babel's and phonenumbers' data in); then the modules it imported are listed. Not
timed: `scripts/bench_edit.py` measures.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from edit_cases import WORKSPACE, run, workspace

#: Never imported by an edit command: the site, its views and pages, history, the portal,
#: notifications, the exchange formats, the UI catalogues, and the libraries behind them;
#: the libraries whose loading costs more than the edit's own work.
FORBIDDEN = (
    "mkdocs",
    "jinja2",
    "babel",
    "phonenumbers",
    "slugify",
    "frontmatter",
    "builder.site",
    "builder.views",
    "builder.render",
    "builder.history",
    "builder.portal",
    "builder.notify",
    "builder.exchange",
    "builder.i18n",
    "builder.pipeline",
    # OpenSSL's hashes: only builds compare digests (and the task references pages show)
    "hashlib",
    "_hashlib",
)

#: What `new` may load besides: it makes an id from the title (slugify). It writes the
#: record as python-frontmatter would, without it (see the test of `front_matter_text`).
NEW_ALLOWS = ("slugify",)

MORE = {
    # the edit tests' settings, with a base currency, rates and a phone region
    "workspace.yml": WORKSPACE["workspace.yml"].replace(
        "rates: {EUR: 1.1}\n",
        "base_currency: UAH\nrates: {EUR: 45, USD: 41.5}\nphone_region: UA\n",
    ),
    "projects/site.md": "---\nname: Site\ncompany: acme\nworkflow: web\nbudget: 120000 UAH\n---\n",
    "deals/big.md": "---\ntitle: Big deal\ncompany: acme\nstage: lead\namount: 5000 EUR\n---\n",
    "contacts/olena.md": (
        "---\nname: Олена Шевчук\ncompany: acme\nphone: 067 123 45 67\n"
        "follow_up: 2026-03-18\ncadence: 14d\n---\n"
    ),
}

assert "phone_region: UA" in MORE["workspace.yml"]  # the settings above took

COMMANDS = {
    "move": ["move", "hero", "review"],
    "move-deal": ["move", "big", "proposal"],
    "done": ["done", "hero"],
    "log": ["log", "hero", "1h30m", "copy", "review", "--person", "anna"],
    "log-contact": ["log", "olena", "--outcome", "replied", "--about", "site", "--person", "anna"],
    "note": ["note", "site", "budget", "agreed"],
    "new": ["new", "task", "Footer links", "--project", "site", "--no-input"],
    "assign": ["assign", "hero", "oleh"],
    "due": ["due", "hero", "fri"],
    "follow-up": ["follow-up", "olena", "2026-04-01"],
}

_PROBE = """\
import json, sys
from builder.cli import cli
try:
    cli.main(sys.argv[1:], standalone_mode=False)
    code = 0
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def _imported(root: Path, args: list[str]) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *args, "-w", str(root)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    result = json.loads(done.stdout.splitlines()[-1])
    assert result["code"] in (0, None), done.stdout + done.stderr
    assert "error" not in done.stderr, done.stderr
    modules: list[str] = result["modules"]
    return modules


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_an_edit_command_loads_neither_the_site_nor_babel_nor_phonenumbers(
    tmp_path: Path, name: str
) -> None:
    root = workspace(tmp_path, MORE)
    before = {p: p.read_bytes() for p in root.rglob("*.md")}
    modules = _imported(root, COMMANDS[name])
    allowed = NEW_ALLOWS if name == "new" else ()
    heavy = [
        m
        for m in modules
        if any(m == f or m.startswith(f + ".") for f in FORBIDDEN if f not in allowed)
    ]
    assert heavy == []
    # the command did its work: one file changed or created
    after = {p: p.read_bytes() for p in root.rglob("*.md")}
    assert after != before


def test_the_probe_sees_what_a_command_loads(tmp_path: Path) -> None:
    """The probe above would see a heavy import: `check` reads the whole workspace and
    checks `phone_region` with phonenumbers."""
    root = workspace(tmp_path, MORE)
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, "check", str(root)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    modules = json.loads(done.stdout.splitlines()[-1])["modules"]
    assert "phonenumbers" in modules


def test_an_edit_keeps_the_phone_region_as_written_and_check_still_judges_it(
    tmp_path: Path,
) -> None:
    wrong = MORE["workspace.yml"].replace("phone_region: UA", "phone_region: xx")
    root = workspace(tmp_path, {**MORE, "workspace.yml": wrong})
    moved = run(root, "move", "hero", "review")
    assert moved.exit_code == 0, moved.output
    checked = subprocess.run(
        [sys.executable, "-m", "builder.cli", "check", str(root)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert checked.returncode == 1
    wanted = "workspace.yml:5:15: error PD113: `xx` is not a country phone numbers can be read in"
    assert wanted in checked.stdout


# --- the tables written out so that an edit does not import their libraries ----------------


def test_the_front_matter_boundary_is_python_frontmatters() -> None:
    from frontmatter.default_handlers import YAMLHandler

    from builder.load.files import FRONT_MATTER_BOUNDARY

    theirs = YAMLHandler.FM_BOUNDARY
    assert theirs is not None
    assert (FRONT_MATTER_BOUNDARY.pattern, FRONT_MATTER_BOUNDARY.flags) == (
        theirs.pattern,
        theirs.flags,
    )


def test_the_currency_table_is_the_installed_babels() -> None:
    """When this fails after a Babel upgrade: `python scripts/currency_codes.py`."""
    from babel.numbers import list_currencies

    from builder.validate.currency_codes import KNOWN_CURRENCIES

    assert frozenset(list_currencies()) == KNOWN_CURRENCIES


def test_a_currency_the_table_lacks_is_asked_of_babel(monkeypatch: pytest.MonkeyPatch) -> None:
    from builder.validate import values

    monkeypatch.setattr(values, "KNOWN_CURRENCIES", frozenset())
    assert values.is_currency("UAH")
    assert not values.is_currency("ZZZ")
    assert not values.is_currency("uah")


def test_mkdocs_yml_is_read_with_its_tags_as_nothing(tmp_path: Path) -> None:
    """A command run from the workspace folder reads mkdocs.yml (with libyaml's parser when
    PyYAML has it) for the content folder; Material's and MkDocs' tags are never run."""
    import yaml

    from builder.load.locate import _Tolerant, content_folder

    (tmp_path / "data").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: !ENV [SITE_NAME, Agency]\n"
        "markdown_extensions:\n"
        "  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "plugins:\n"
        "  - search\n"
        "  - plaindesk:\n"
        "      content: data\n",
        encoding="utf-8",
    )
    assert content_folder(tmp_path) == tmp_path / "data"
    assert issubclass(_Tolerant, getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@pytest.mark.parametrize(
    "body",
    ["", "\n\n", "Notes.", "\n\nTwo\n\nparagraphs  \n\n\n", "  indented\n", "- [ ] a\n- [ ] b"],
)
def test_a_new_record_is_written_as_python_frontmatter_writes_it(body: str) -> None:
    import frontmatter

    from builder.edit.new import front_matter_text
    from builder.edit.render import DUMP_OPTIONS, Fields

    fields = Fields(
        title="Прем'єра: Hero #1",
        status=None,
        tags=["design", "web"],
        due="2026-03-20",
        portal={"enabled": True},
        metrics=[{"name": "Leads", "target": "40"}],
        notes="one\ntwo\n",
    )
    post = frontmatter.Post(body.strip("\n") + "\n" if body.strip() else "")
    post.metadata = fields
    # python-frontmatter's text, less the blank line after the front matter, ending in a
    # line break: what `new` wrote with it
    theirs = frontmatter.dumps(post, **DUMP_OPTIONS).replace("\n---\n\n", "\n---\n", 1) + "\n"
    assert front_matter_text(fields, body) == theirs
