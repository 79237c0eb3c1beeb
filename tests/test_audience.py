"""Audiences: sites for parts of the team (`audiences:` in workspace.yml, `plaindesk build
--audience NAME`). The isolation proof is the portal's: a canary in every value the
audience leaves out (tests/audience_cases.py), searched in every byte of its built site."""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import browser
import pytest
import yaml
from audience_cases import (
    CANARIES,
    CANARY_NUMBERS,
    CANARY_YEAR,
    FILES,
    KEPT,
    LATER,
    MORE_CANARIES,
)
from click.testing import CliRunner
from gitrepo import ANNA, GitRepo
from links import broken_links
from portal_cases import MakeWorkspace, all_text, number_pattern
from site_cases import MKDOCS_YML, build

from builder.cli import cli
from builder.model import Audience
from builder.model.audience import for_audience, hidden, visible_problems
from builder.model.schema import record_fields
from builder.pipeline import CheckResult, run_check
from builder.site.plugin import AUDIENCE_ENV

DELIVERY = "delivery"


def _check(tmp_path: Path, make_workspace: MakeWorkspace, files: dict[str, str]) -> CheckResult:
    return run_check(make_workspace(tmp_path, files))


# --- settings ---------------------------------------------------------------------------


def _settings_problems(tmp_path: Path, make_workspace: MakeWorkspace, yml: str) -> list[str]:
    result = _check(tmp_path, make_workspace, {"workspace.yml": yml})
    return [
        f"{p.line}:{p.col}: {p.code}: {p.message} | {p.hint}"
        for p in result.problems
        if p.code != "PD012"  # no records: not what this test is about
    ]


def test_audiences_are_read_from_workspace_yml(
    tmp_path: Path, make_workspace: MakeWorkspace
) -> None:
    result = _check(tmp_path, make_workspace, FILES)
    assert [p.code for p in result.errors] == []
    assert result.workspace.settings.audiences == {
        "delivery": Audience(
            "delivery",
            types=("deal",),
            sensitivities=("money", "private"),
            fields=(("contact", "position"),),
            keep=(("task", "price"),),
        ),
        "sales": Audience("sales"),
    }
    custom = result.workspace.settings.custom_fields
    assert custom["person"]["zqa_person_money"].sensitivity == "money"
    assert custom["person"]["keep_person_note"].sensitivity == "internal"  # the default


EXCLUDE_HINT = (
    "name record types (`deals`), sensitivities (`money`, `private`) or fields (`person.rate`)"
)


def test_unknown_names_get_a_did_you_mean(tmp_path: Path, make_workspace: MakeWorkspace) -> None:
    yml = """\
audiences:
  delivery:
    exclude: [dealz, mony, person.rat, task.body, contacts]
    keep: [task.prise, money]
    hide: [deals]
custom_fields:
  task:
    cost: {type: number, sensitivity: secret}
"""
    assert _settings_problems(tmp_path, make_workspace, yml) == [
        "3:15: PD113: `dealz` in `exclude` is not a record type, a sensitivity or a field | "
        f"did you mean `deal`? {EXCLUDE_HINT}",
        "3:22: PD113: `mony` in `exclude` is not a record type, a sensitivity or a field | "
        f"did you mean `money`? {EXCLUDE_HINT}",
        "3:28: PD113: `person` has no field `rat` | did you mean `person.rate`?",
        "4:12: PD113: `task` has no field `prise` | did you mean `task.price`?",
        "4:24: PD113: `money` in `keep` is not a field | "
        "name fields that `exclude` leaves out, e.g. `task.price`",
        "5:5: PD102: unknown field `hide` in audience `delivery` | "
        "expected one of `exclude`, `keep`",
        "8:39: PD107: `secret` is not one of the allowed values | "
        "expected one of `client`, `internal`, `money`, `private`",
    ]


# --- the model --------------------------------------------------------------------------


def test_what_delivery_hides_comes_from_the_schema(
    tmp_path: Path, make_workspace: MakeWorkspace
) -> None:
    settings = _check(tmp_path, make_workspace, FILES).workspace.settings
    gone = hidden(settings, settings.audiences[DELIVERY])
    assert gone.types == {"deal"}
    assert gone.fields == {
        "person": {"emails", "rate", "notify", "zqa_person_money", "zqa_person_private"},
        "company": {"zqa_company_private"},
        "contact": {"position", "body"},
        "project": {"budget", "billing"},
        "task": {"zqa_task_money"},  # not its price: `keep: [task.price]`
    }
    # a rate and a budget gone: no profitability; without deals alone, their amounts go too
    assert gone.money and not hidden(settings, Audience("x", types=("deal",))).money
    # every hidden value of the canary workspace carries a canary (or says why not)
    expected = {(kind, name) for kind, names in gone.fields.items() for name in names}
    expected |= {(t, f.name) for t in gone.types for f in record_fields(t, settings)}
    expected |= {(t, "body") for t in gone.types}
    assert set(CANARIES) == expected


def test_the_audiences_workspace_holds_nothing_it_hides(
    tmp_path: Path, make_workspace: MakeWorkspace
) -> None:
    result = _check(tmp_path, make_workspace, FILES)
    ws = result.workspace
    gone = hidden(ws.settings, ws.settings.audiences[DELIVERY])
    seen = for_audience(ws, gone)
    assert seen.deals == {} and seen.settings.pipelines == {}
    assert "zqa_person_money" not in seen.settings.custom_fields["person"]
    assert "deal" not in seen.settings.custom_fields
    for (kind, name), _ in CANARIES.items():
        if kind in gone.types:
            continue
        record = next(iter(seen.table(kind).values()))
        original = next(iter(ws.table(kind).values()))
        if name == "body":
            assert (original.body.strip(), record.body) != ("", "")
            assert record.body == ""
        elif name in original.custom:
            assert name not in record.custom
        else:
            assert getattr(original, name) and not getattr(record, name)
    assert seen.tasks["copy"].price == ws.tasks["copy"].price is not None  # kept
    assert ws.people["anna"].rate is not None  # the checked workspace is unchanged


def test_a_type_goes_with_the_types_that_need_it(
    tmp_path: Path, make_workspace: MakeWorkspace
) -> None:
    ws = _check(tmp_path, make_workspace, FILES).workspace
    gone = hidden(ws.settings, Audience("x", types=("company",)))
    # a project needs its company, a task its project, a deal its company
    assert gone.types == {"company", "project", "task", "deal"}
    assert "company" in gone.fields["contact"]  # an optional reference is cleared
    seen = for_audience(ws, gone)
    assert seen.contacts["olena"].company is None and seen.projects == {}
    people = hidden(ws.settings, Audience("y", types=("person",)))
    assert {"assignee", "participants", "time"} <= people.fields["task"]


def test_problems_in_hidden_files_are_counted_not_shown(
    tmp_path: Path, make_workspace: MakeWorkspace
) -> None:
    files = {
        **FILES,
        "deals/zqa-deal-id-q.md": FILES["deals/zqa-deal-id-q.md"].replace(
            "amount: 7306666 EUR", "amount: 7306666 EURO"
        ),
        "people/anna.md": FILES["people/anna.md"].replace(
            "rate: 7301111 UAH", "rate: 7301111 UAHX"
        ),
    }
    result = _check(tmp_path, make_workspace, files)
    ws = result.workspace
    gone = hidden(ws.settings, ws.settings.audiences[DELIVERY])
    shown, left_out = visible_problems(result.problems, gone, str(tmp_path / "ws"))
    # each problem quotes its value: the bad amount of the hidden deal, the bad rate
    assert [(p.code, p.field, p.source) for p in result.problems] == [
        ("PD106", "amount", "amount: 7306666 EURO"),
        ("PD106", "rate", "rate: 7301111 UAHX"),
        ("PD408", "rate", "---"),  # with no valid rate, her logged hour has no cost
    ]
    assert (shown, left_out) == ([], 3)
    other = Audience("other", types=("contact",))
    assert visible_problems(result.problems, hidden(ws.settings, other), str(tmp_path / "ws")) == (
        result.problems,
        0,
    )


# --- the CLI ----------------------------------------------------------------------------


def _project(tmp_path: Path, files: dict[str, str], later: dict[str, str] | None = None) -> Path:
    """A project folder (mkdocs.yml, content/) in git: the files, then `later`."""
    root = tmp_path / "proj"
    repo = GitRepo(root)
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    (root / "docs").mkdir()
    (root / "docs" / "help.md").write_text("# Help\n", encoding="utf-8")
    repo.write(files)
    repo.commit("2026-03-02T10:00:00+02:00", ANNA, "start")
    if later:
        repo.write(later)
        repo.commit("2026-03-10T11:00:00+02:00", ANNA, "later")
    return root


def test_an_unknown_audience_is_one_line_naming_the_declared_ones(tmp_path: Path) -> None:
    root = _project(tmp_path, FILES)
    out = CliRunner().invoke(
        cli, ["build", "-f", str(root / "mkdocs.yml"), "--audience", "delivry"]
    )
    assert out.exit_code == 1
    assert out.stderr.splitlines()[-1] == (
        "error: unknown audience `delivry`: workspace.yml declares `delivery`, `sales`"
    )
    assert not (root / "site-delivry").exists()
    bad = CliRunner().invoke(cli, ["build", "-f", str(root / "mkdocs.yml"), "--audience", "../x"])
    assert bad.exit_code == 2 and "lower-case letters, digits and dashes" in bad.stderr
    both = CliRunner().invoke(
        cli, ["build", "-f", str(root / "mkdocs.yml"), "--audience", "sales", "--portal-only"]
    )
    assert both.exit_code == 2


# --- the built site ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The full site and the delivery site of the canary workspace (with its history)."""
    tmp = tmp_path_factory.mktemp("audience")
    root = _project(tmp, FILES, LATER)
    # what `plaindesk build` hands the plugin decides, not the variable plain mkdocs reads
    full = _run(root, ["build", "--no-portal", "--site-dir", "site"], AUDIENCE_ENV="delivery")
    assert full.returncode == 0, full.stderr
    mine = _run(root, ["build", "--audience", DELIVERY])
    assert mine.returncode == 0, mine.stderr
    delivery = root / "site-delivery"  # the default folder: not the full site's
    assert f"the site of audience `delivery`: {delivery} (" in mine.stderr
    return root / "site", delivery


def _run(root: Path, args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    """`plaindesk ARGS` (or `mkdocs ARGS` when args start with `mkdocs`) in `root`;
    `AUDIENCE_ENV=` sets PLAINDESK_AUDIENCE."""
    environ = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    environ.pop(AUDIENCE_ENV, None)
    if "AUDIENCE_ENV" in env:
        environ[AUDIENCE_ENV] = env["AUDIENCE_ENV"]
    command = ["mkdocs", *args[1:]] if args[0] == "mkdocs" else ["builder.cli", *args]
    return subprocess.run(
        [sys.executable, "-m", *command],
        cwd=root,
        env=environ,
        capture_output=True,
        text=True,
        timeout=300,
    )


@functools.cache
def _texts(folder: Path) -> list[tuple[str, list[str], list[str]]]:
    """Every file of a built site but the theme's own (as `_found` searches them): its
    path, its decoded variants and those case-folded. Read once per folder: the module's
    sites are built once and never written to again."""
    found = []
    for path, variants in all_text(folder).items():
        parts = path.relative_to(folder).parts
        if parts[0] == "assets" or parts[:2] == ("admin", "decap-cms"):
            continue  # the theme's own files (the CMS's vendored bundle), the same for every site
        found.append((str(path.relative_to(folder)), variants, [t.casefold() for t in variants]))
    return found


def _found(folder: Path, canary: str) -> list[str]:
    hits = []
    year = re.compile(rf"(?<![0-9]){CANARY_YEAR}(?![0-9])")
    folded = canary.casefold()
    for rel, variants, casefolded in _texts(folder):
        if canary == CANARY_YEAR:
            hit = any(year.search(text) for text in variants)
        elif canary in CANARY_NUMBERS or canary.isdigit():
            pattern = number_pattern(canary)
            hit = any(pattern.search(text) for text in variants)
        else:
            hit = any(folded in text for text in casefolded)
        if hit:
            hits.append(rel)
    return hits


def _canaries() -> list[str]:
    return sorted({c for c in CANARIES.values() if c} | set(MORE_CANARIES))


def test_the_canaries_are_in_the_full_site(sites: tuple[Path, Path]) -> None:
    full, _ = sites
    # the full site shows what the delivery site must not: the test cannot pass by
    # planting canaries nobody would ever show
    missing = [c for c in _canaries() if not _found(full, c)]
    # but a person's cost rate, other e-mails and digest channels, which no page shows
    assert missing == ["7301111", "ZQA_PERSON_NOTIFY_Q", "zqa-person-emails-q"]


def test_no_canary_in_any_byte_of_the_delivery_site(sites: tuple[Path, Path]) -> None:
    _, delivery = sites
    leaks = {c: _found(delivery, c) for c in _canaries()}
    assert {c: where for c, where in leaks.items() if where} == {}


def test_the_delivery_site_shows_what_it_keeps(sites: tuple[Path, Path]) -> None:
    _, delivery = sites
    assert [k for k in KEPT if not _found(delivery, k)] == []
    activity = (delivery / "activity" / "index.html").read_text(encoding="utf-8")
    assert "Keep task title k" in activity  # the task's move is in the feed
    assert "funnels" not in (delivery / "index.html").read_text(encoding="utf-8")
    assert not (delivery / "deals").exists() and not (delivery / "funnels").exists()
    # no profitability without rates and budgets, no admin page (its CMS edits everything)
    assert not (delivery / "reports" / "index.html").exists()
    assert (delivery / "reports" / "timesheets" / "index.html").is_file()
    assert not (delivery / "admin" / "index.html").exists()
    assert not (delivery / "admin" / "config.yml").exists()
    assert broken_links(delivery) == []


def test_the_full_site_keeps_what_the_delivery_site_leaves_out(sites: tuple[Path, Path]) -> None:
    full, _ = sites
    assert (full / "deals" / "zqa-deal-id-q" / "index.html").is_file()
    assert (full / "reports" / "index.html").is_file()
    assert (full / "admin" / "config.yml").is_file()


def test_each_audience_has_its_own_page_tree(sites: tuple[Path, Path]) -> None:
    root = sites[0].parent
    tree = root / ".plaindesk"
    assert (tree / "docs" / "deals" / "zqa-deal-id-q.md").is_file()
    assert (tree / "docs-delivery" / "index.md").is_file()
    assert not (tree / "docs-delivery" / "deals").exists()


def test_plain_mkdocs_builds_the_audience_of_plaindesk_audience(
    sites: tuple[Path, Path], tmp_path: Path
) -> None:
    _, delivery = sites
    root = delivery.parent
    plain = _run(
        root, ["mkdocs", "build", "-q", "-d", str(tmp_path / "plain")], AUDIENCE_ENV=DELIVERY
    )
    assert plain.returncode == 0, plain.stderr
    assert _tree(tmp_path / "plain") == _tree(delivery)
    unknown = _run(root, ["mkdocs", "build", "-q", "-d", str(tmp_path / "x")], AUDIENCE_ENV="nope")
    assert unknown.returncode == 1
    assert "Traceback" not in unknown.stderr
    assert (
        unknown.stderr.strip()
        .splitlines()[-1]
        .endswith("unknown audience `nope`: workspace.yml declares `delivery`, `sales`")
    )
    bad = _run(root, ["mkdocs", "build", "-q", "-d", str(tmp_path / "y")], AUDIENCE_ENV="../x")
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert "PLAINDESK_AUDIENCE: `../x` is not an audience's name" in bad.stderr


def test_the_delivery_site_is_byte_identical_when_built_again(
    sites: tuple[Path, Path], tmp_path: Path
) -> None:
    _, delivery = sites
    root = delivery.parent
    again = build(root, tmp_path / "again", "--audience", DELIVERY)
    assert again.returncode == 0, again.stderr
    assert _tree(again.site) == _tree(delivery)


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_serve_names_the_declared_audiences_before_serving(tmp_path: Path) -> None:
    root = _project(tmp_path, FILES)
    out = CliRunner().invoke(cli, ["serve", "-f", str(root / "mkdocs.yml"), "--audience", "sale"])
    assert out.exit_code == 1
    assert out.stderr.splitlines()[-1] == (
        "error: unknown audience `sale`: workspace.yml declares `delivery`, `sales`"
    )


# --- in the browser ---------------------------------------------------------------------

chromium = browser.chromium
browser_page = browser.browser_page


@pytest.mark.browser
def test_the_delivery_site_on_a_phone_links_to_no_missing_page(
    sites: tuple[Path, Path], browser_page: Callable[..., browser.Probe]
) -> None:
    _, delivery = sites
    with browser.serve(delivery) as base:
        probe = browser_page(width=375)
        page = probe.page
        page.goto(base + "index.html")
        hrefs: list[str] = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        inside = sorted({h.partition("#")[0] for h in hrefs if h.startswith(base)})
        assert base + "activity/" in inside and not any("funnels" in h for h in inside)
        statuses = {h: page.request.get(h).status for h in inside}
        assert {h: s for h, s in statuses.items() if s != 200} == {}
        page.click("label.md-header__button[for=__drawer]")  # the phone's menu lists the sections
        page.wait_for_timeout(300)
        menu = page.inner_text("nav.md-nav--primary")
        assert "Projects" in menu and "Funnels" not in menu
        probe.screenshot("audience-delivery-375")
        assert probe.console_errors == [] and probe.page_errors == []
        assert probe.outside(base) == []


# --- the CI templates -------------------------------------------------------------------

CI = Path(__file__).resolve().parent.parent / "scripts" / "ci"


def _audience_job(template: str) -> dict[str, Any]:
    """The commented-out audience job of a CI template, uncommented and parsed."""
    text = (CI / template).read_text(encoding="utf-8")
    block = text.split("# --- audience-sites\n")[1].split("# --- end audience-sites")[0]
    job: dict[str, Any] = yaml.safe_load(
        "\n".join(re.sub(r"^\s*# ?", "", line) for line in block.splitlines())
    )["audience-sites"]
    return job


def test_the_ci_templates_audience_job_builds_each_audiences_site(tmp_path: Path) -> None:
    github = _audience_job("github-actions.yml")
    gitlab = _audience_job("gitlab-ci.yml")
    assert github["strategy"]["matrix"] == {"audience": ["delivery"]}
    assert gitlab["parallel"]["matrix"] == [{"AUDIENCE": ["delivery"]}]
    # it runs when the full site's job does (not in the scheduled digest pipeline)
    site_job = yaml.safe_load((CI / "gitlab-ci.yml").read_text(encoding="utf-8"))["site"]
    assert gitlab["rules"] == site_job["rules"]
    github_build = [s["run"] for s in github["steps"] if "build" in s.get("run", "")]
    assert github_build == [
        'plaindesk build --audience "${{ matrix.audience }}" '
        '--site-dir "site-${{ matrix.audience }}"'
    ]
    assert github["steps"][0]["with"] == {"fetch-depth": 0}  # history for the feed
    # the GitLab job's script, run as written in the project with `delivery`
    root = _project(tmp_path, FILES)
    script = "\n".join(gitlab["script"]).replace("plaindesk ", f"{sys.executable} -m builder.cli ")
    done = subprocess.run(
        ["bash", "-eo", "pipefail", "-c", script],
        cwd=root,
        env={**os.environ, "AUDIENCE": "delivery", "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert (root / "site-delivery" / "index.html").is_file()
    assert gitlab["artifacts"]["paths"] == ["site-$AUDIENCE"]
