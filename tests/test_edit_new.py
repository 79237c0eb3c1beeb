"""`plaindesk new`: ids from titles, templates (built in, the workspace's own, a project
with its standard tasks), questions in a terminal, --no-input, and never an overwrite."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from edit_cases import run, workspace

from builder.cli import edit as cli_edit
from builder.edit import desk as desk_module
from builder.edit import write as write_module
from builder.pipeline import run_check


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    workspace(tmp_path)
    return Path("ws")


def _errors(root: Path) -> list[str]:
    return [p.headline() for p in run_check(root).problems if p.is_error]


def test_a_task_from_the_built_in_template(root: Path) -> None:
    result = run(
        root,
        "new",
        "task",
        "Hero banner: v2",
        "--project",
        "site",
        "--due",
        "fri",
        "--tags",
        "design,web",
        "--tags",
        "urgent",
        "--estimate",
        "3h",
        "--client-visible",
        "--no-input",
    )
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "created task hero-banner-v2 (ws/tasks/hero-banner-v2.md)\n",
        "",
    )
    assert (root / "tasks/hero-banner-v2.md").read_text() == (
        "---\n"
        "title: 'Hero banner: v2'\n"
        "project: site\n"
        "status:\n"
        "assignee:\n"
        "start:\n"
        "due: 2026-03-20\n"
        "estimate: 3h\n"
        "tags: [design, web, urgent]\n"
        "priority: normal\n"
        "client_visible: true\n"
        "---\n"
    )
    assert _errors(root) == []


def test_every_type_from_its_built_in_template(root: Path) -> None:
    for args in (
        ("person", "Ірина Савчук"),
        ("company", "Nova Poshta", "--kind", "partner"),
        ("contact", "Олена Шевчук", "--company", "acme"),  # olena exists: another id
        ("project", "Website 2027", "--company", "acme", "--workflow", "pr"),
        ("task", "Hero banner", "--project", "site"),
        ("deal", "Sponsorship", "--company", "acme", "--stage", "lead", "--amount", "900 EUR"),
    ):
        result = run(root, "new", *args, "--no-input")
        assert result.exit_code == 0, result.output
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*.md")) == [
        "companies/acme.md",
        "companies/nova-poshta.md",
        "contacts/olena-shevchuk.md",
        "contacts/olena.md",
        "deals/big.md",
        "deals/sponsorship.md",
        "people/anna.md",
        "people/irina-savchuk.md",
        "people/oleh.md",
        "projects/press.md",
        "projects/site.md",
        "projects/website-2027.md",
        "tasks/hero-banner.md",
        "tasks/hero.md",
        "tasks/release.md",
    ]
    assert (root / "projects/website-2027.md").read_text() == (
        "---\nname: Website 2027\ncompany: acme\nmanager:\nstatus: active\nstart: 2026-03-16\n"
        "due:\nworkflow: pr\nbudget:\n---\n"
    )
    assert (root / "people/irina-savchuk.md").read_text() == (
        "---\nname: Ірина Савчук\nrole:\nemail:\nphone:\ncapacity:\nactive: true\n---\n"
    )
    for locale in ("en", "ru", "uk"):  # values are ids and ISO dates: no locale reads them
        settings = (root / "workspace.yml").read_text()
        (root / "workspace.yml").write_text(f"locale: {locale}\n" + settings)
        assert _errors(root) == []
        (root / "workspace.yml").write_text(settings)


def test_ids_are_made_unique(root: Path) -> None:
    for _ in range(3):
        assert run(root, "new", "task", "Hero", "--project", "site", "--no-input").exit_code == 0
    assert run(root, "new", "task", "hero", "--project", "site", "--no-input").stdout == (
        "created task hero-5 (ws/tasks/hero-5.md)\n"
    )
    assert {p.name for p in (root / "tasks").iterdir()} >= {"hero-2.md", "hero-3.md", "hero-4.md"}


def test_a_task_goes_to_its_projects_folder_when_there_is_one(root: Path) -> None:
    (root / "tasks/site").mkdir()
    result = run(root, "new", "task", "Menu", "--project", "site", "--no-input")
    assert result.stdout == "created task menu (ws/tasks/site/menu.md)\n"


def test_an_id_given_must_be_free_and_valid(root: Path) -> None:
    result = run(root, "new", "task", "X", "--project", "site", "--id", "hero", "--no-input")
    assert (result.exit_code, result.stderr) == (
        3,
        "error: task `hero` exists already (ws/tasks/hero.md); new never overwrites a record: "
        "choose another --id\n",
    )
    result = run(root, "new", "task", "X", "--project", "site", "--id", "Big One", "--no-input")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: bad id `Big One`: ids are lower-case letters, digits and dashes, e.g. `big-one`\n",
    )
    assert run(
        root, "new", "task", "X", "--project", "site", "--id", "x1", "--no-input"
    ).stdout == ("created task x1 (ws/tasks/x1.md)\n")


def test_a_file_that_appears_meanwhile_is_never_overwritten(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_check = desk_module.Desk.check

    def check_while_someone_creates(self: desk_module.Desk, kind: str, rel: str, text: str):  # type: ignore[no-untyped-def]
        (root / rel).write_text("someone else's\n")
        return real_check(self, kind, rel, text)

    monkeypatch.setattr(desk_module.Desk, "check", check_while_someone_creates)
    result = run(root, "new", "task", "Menu", "--project", "site", "--no-input")
    assert (result.exit_code, result.stderr) == (
        3,
        "error: ws/tasks/menu.md exists already; new never overwrites a file\n",
    )
    assert (root / "tasks/menu.md").read_text() == "someone else's\n"
    assert sorted(p.name for p in (root / "tasks").iterdir()) == [
        "hero.md",
        "menu.md",
        "release.md",
    ]


@pytest.mark.parametrize(
    ("args", "err"),
    [
        (
            ("task", "Menu"),
            "error: a new task needs --project (id of a project); give it on the command line, "
            "or run the command in a terminal without --no-input to be asked\n",
        ),
        (
            ("deal", "--company", "acme"),
            "error: a new deal needs its title (after the type) and --stage (a stage of the "
            "deal's pipeline); give them on the command line, or run the command in a terminal "
            "without --no-input to be asked\n",
        ),
    ],
)
def test_missing_required_fields_without_a_terminal(
    root: Path, args: tuple[str, ...], err: str
) -> None:
    for no_input in ((), ("--no-input",)):  # a pipe is no terminal, even without --no-input
        result = run(root, "new", *args, *no_input)
        assert (result.exit_code, result.stdout, result.stderr) == (2, "", err)


def test_a_terminal_is_asked_for_what_is_missing(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli_edit, "_stdin_is_terminal", lambda: True)
    # the title; the project (one of the projects); the status (a column of its workflow,
    # `pr`; Enter takes the backlog); the assignee (one of the people, or none)
    result = run(root, "new", "task", stdin="Press kit\nprss\npress\n\nole\noleh\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Title: Press kit",
        "Project (press, site): prss",
        "Error: no project `prss`; did you mean `press`?",
        "Project (press, site): press",
        "Status (backlog, writing, published) [backlog]: ",
        "Assignee (anna, oleh) [Enter: none]: ole",
        "Error: no person `ole`; did you mean `oleh`?",
        "Assignee (anna, oleh) [Enter: none]: oleh",
        "created task press-kit (ws/tasks/press-kit.md)",
    ]
    text = (root / "tasks/press-kit.md").read_text()
    assert "project: press\nstatus: backlog\nassignee: oleh\n" in text


def test_many_choices_are_asked_for_with_did_you_mean(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli_edit, "_stdin_is_terminal", lambda: True)
    for n in range(25):
        (root / f"companies/client-{n:02}.md").write_text(f"---\nname: C{n}\nkind: client\n---\n")
    # the company is one of 26: not listed; the owner may be left out
    result = run(root, "new", "deal", "Retainer", "--stage", "lead", stdin="acmee\nacme\n\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Company: acmee",
        "Error: no company `acmee`; did you mean `acme`?",
        "Company: acme",
        "Owner (anna, oleh) [Enter: none]: ",
        "created deal retainer (ws/deals/retainer.md)",
    ]
    assert "owner:\n" in (root / "deals/retainer.md").read_text()


def test_custom_fields_are_options_too(root: Path) -> None:
    result = run(
        root, "new", "deal", "Radio spot", "--company", "acme", "--stage", "lead", "--free"
    )
    assert result.exit_code == 0, result.output
    assert (root / "deals/radio-spot.md").read_text().endswith("source:\nfree: true\n---\n")
    result = run(root, "new", "deal", "TV", "--company", "acme", "--stage", "lead", "--fre")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: a deal has no field `fre`; did you mean `free`?\n",
    )


def test_a_bad_value_is_shown_in_the_record_it_would_make(root: Path) -> None:
    result = run(
        root, "new", "task", "Menu", "--project", "site", "--estimate", "2 hours", "--no-input"
    )
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "ws/tasks/menu.md:8:11: error PD105: bad duration `2 hours`\n"
        "    estimate: 2 hours\n"
        "              ^\n"
        "    hint: write a number with a unit: `2h`, `1h30m`, `90m`, `1.5h` or `2d`\n"
        "error: the new task would be invalid; nothing written\n"
    )
    assert not (root / "tasks/menu.md").exists()


def test_dry_run_shows_the_new_file(root: Path) -> None:
    result = run(root, "new", "company", "Nova", "--no-input", "--dry-run")
    assert result.stdout == (
        "--- /dev/null\n"
        "+++ b/ws/companies/nova.md\n"
        "@@ -0,0 +1,6 @@\n"
        "+---\n"
        "+name: Nova\n"
        "+kind: client\n"
        "+manager:\n"
        "+website:\n"
        "+---\n"
        "dry run, nothing written: created company nova (ws/companies/nova.md)\n"
    )
    assert not (root / "companies/nova.md").exists()


LAUNCH = {
    ".templates/project/launch.md": (
        "---\nname:\ncompany:\nstatus: planned\nstart: today\ndue: +6w   # launch day\n"
        "workflow: pr\n---\nThe launch plan.\n"
    ),
    ".templates/project/launch/tasks/release.md": (
        "---\ntitle: Press release\nstatus: writing\ndue: +2w\ntags: [pr]\n---\n- [ ] Draft\n"
    ),
    ".templates/project/launch/tasks/report.md": (
        "---\ntitle: Coverage report\ndue: +6w\nclient_visible: true\n---\n"
    ),
}


def test_a_project_template_creates_its_tasks(root: Path) -> None:
    workspace(root.parent, LAUNCH)
    result = run(
        root, "new", "project", "Spring launch", "--company", "acme", "--template", "launch"
    )
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        "created project spring-launch and 2 tasks from template launch "
        "(ws/projects/spring-launch.md)\n"
    )
    assert (root / "projects/spring-launch.md").read_text() == (
        "---\nname: Spring launch\ncompany: acme\nstatus: planned\nstart: 2026-03-16\n"
        "due: 2026-04-27\nworkflow: pr\n---\nThe launch plan.\n"
    )
    assert (root / "tasks/spring-launch/spring-launch-release.md").read_text() == (
        "---\ntitle: Press release\nproject: spring-launch\nstatus: writing\ndue: 2026-03-30\n"
        "tags: [pr]\n---\n- [ ] Draft\n"
    )
    assert (root / "tasks/spring-launch/spring-launch-report.md").read_text() == (
        "---\ntitle: Coverage report\nproject: spring-launch\ndue: 2026-04-27\n"
        "client_visible: true\n---\n"
    )
    assert _errors(root) == []


def test_a_template_task_in_a_column_of_another_workflow_is_refused(root: Path) -> None:
    workspace(root.parent, {**LAUNCH, ".templates/project/launch.md": "---\nworkflow: web\n---\n"})
    before = sorted(root.rglob("*"))
    result = run(root, "new", "project", "Spring", "--company", "acme", "--template", "launch")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "ws/tasks/spring/spring-release.md:4:9: error PD202: status `writing` is not a column "
        "of workflow `web`\n"
    )
    assert result.stderr.endswith("error: the new task would be invalid; nothing written\n")
    assert sorted(root.rglob("*")) == before


def test_the_workspaces_default_template_replaces_the_built_in_one(root: Path) -> None:
    workspace(root.parent, {".templates/task/default.md": "---\npriority: high\n---\nBrief:\n"})
    result = run(root, "new", "task", "Menu", "--project", "site", "--no-input")
    assert result.exit_code == 0
    assert (root / "tasks/menu.md").read_text() == (
        "---\ntitle: Menu\nproject: site\npriority: high\n---\nBrief:\n"
    )


def test_an_unknown_template(root: Path) -> None:
    workspace(root.parent, LAUNCH)
    result = run(root, "new", "project", "X", "--company", "acme", "--template", "lunch")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: no project template `lunch` in ws/.templates/project/lunch.md; there are: "
        "default, launch\n",
    )


def test_a_broken_template_says_where(root: Path) -> None:
    workspace(root.parent, {".templates/task/default.md": "---\ntitle: [x\n---\n"})
    result = run(root, "new", "task", "Menu", "--project", "site", "--no-input")
    assert result.exit_code == 1
    assert result.stderr.startswith("ws/.templates/task/default.md:2:8: error PD004")
    assert result.stderr.endswith(
        "error: the task template `default` cannot be read (ws/.templates/task/default.md)\n"
    )


def test_commit_adds_every_new_file(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    workspace(root.parent, LAUNCH)
    for args in (
        ("init", "-q"),
        ("config", "user.name", "Oleh"),
        ("config", "user.email", "oleh@example.com"),
        ("add", "-A"),
        ("commit", "-q", "-m", "start"),
    ):
        subprocess.run(["git", "-C", str(root), *args], check=True)
    result = run(
        root, "new", "project", "Spring", "--company", "acme", "--template", "launch", "--commit"
    )
    assert result.exit_code == 0, result.output
    shown = subprocess.run(
        ["git", "-C", str(root), "show", "--name-only", "--format=%an|%s", "HEAD"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert shown == [
        "Oleh|Created",
        "project",
        "spring",
        "and",
        "2",
        "tasks",
        "from",
        "template",
        "launch",
        "projects/spring.md",
        "tasks/spring/spring-release.md",
        "tasks/spring/spring-report.md",
    ]


def test_the_wheel_ships_the_built_in_templates() -> None:
    import tomllib

    from builder.edit.new import BUILT_IN
    from builder.model.schema import RECORD_TYPES

    repo = Path(__file__).resolve().parent.parent
    setuptools = tomllib.loads((repo / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert "builder.edit" in setuptools["packages"]
    shipped = {
        path
        for pattern in setuptools["package-data"]["builder.edit"]
        for path in BUILT_IN.parent.glob(pattern)
    }
    assert {BUILT_IN / f"{kind}.md" for kind in RECORD_TYPES} <= shipped


def test_a_template_is_written_whole_or_not_at_all(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace(root.parent, LAUNCH)
    real_create = write_module._create

    def disk_full_at_the_last(desk: desk_module.Desk, change: Any) -> list[Path]:
        if change.rel.endswith("spring-report.md"):  # the last of the three files
            raise desk_module.WriteError(f"cannot create {change.rel}: No space left on device")
        return real_create(desk, change)

    monkeypatch.setattr(write_module, "_create", disk_full_at_the_last)
    before = sorted(root.rglob("*"))
    result = run(root, "new", "project", "Spring", "--company", "acme", "--template", "launch")
    assert (result.exit_code, result.stderr) == (
        3,
        "error: cannot create tasks/spring/spring-report.md: No space left on device\n",
    )
    # the project and the first task were written, then taken back, with their folder
    assert sorted(root.rglob("*")) == before
