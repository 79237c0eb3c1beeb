"""The admin page's Decap CMS configuration (builder/views/admin.py): generated from the
schema and the settings, its backend from mkdocs.yml; the built site serves it; and what
Decap writes when it saves a record (captured from tests/test_cms_browser.py's runs) loads,
checks clean and is edited by the edit commands."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import make_workspace
from edit_cases import run, workspace
from links import broken_links
from site_cases import build, project

from builder.model.schema import RECORD_SPECS, SPECS, record_fields
from builder.pipeline import run_check
from builder.views.admin import AdminError, AdminSettings, admin_config, admin_settings


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = workspace(tmp_path_factory.mktemp("admin"))
    return run_check(root).workspace


def collection(config: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(c for c in config["collections"] if c["name"] == name)
    return found


def widgets(fields: list[dict[str, Any]]) -> dict[str, str]:
    return {f["name"]: f["widget"] for f in fields}


def test_a_collection_per_record_type_with_every_schema_field(ws: Any) -> None:
    config = admin_config(ws, AdminSettings())
    assert [c["name"] for c in config["collections"]] == [s.folder for s in RECORD_SPECS]
    for spec in RECORD_SPECS:
        c = collection(config, spec.folder)
        assert c["folder"] == f"content/{spec.folder}"
        assert c["identifier_field"] == spec.title_field
        names = [
            f.name
            for f in record_fields(spec.type, ws.settings)
            if f.kind not in ("handles", "outreach_log")  # kept as written
        ]
        assert [f["name"] for f in c["fields"]] == [*names, "body"]
        required = {f["name"] for f in c["fields"] if f["required"]}
        assert required == set(spec.required)
    # records in subfolders (tasks by project) are listed; relation targets are flat
    assert collection(config, "tasks")["nested"] == {"depth": 10, "subfolders": False}
    assert "nested" not in collection(config, "people")


def test_widgets_follow_value_kinds(ws: Any) -> None:
    tasks = collection(admin_config(ws, AdminSettings()), "tasks")
    assert widgets(tasks["fields"]) == {
        "title": "string",
        "project": "relation",
        "status": "select",
        "assignee": "relation",
        "participants": "relation",
        "start": "datetime",
        "due": "datetime",
        "estimate": "string",
        "time": "plaindesk-list",
        "tags": "list",
        "priority": "select",
        "client_visible": "boolean",
        "price": "string",
        "body": "markdown",
    }
    by_name = {f["name"]: f for f in tasks["fields"]}
    assert by_name["due"] | {"name": "", "label": ""} == {
        "name": "",
        "label": "",
        "widget": "datetime",
        "format": "YYYY-MM-DD",
        "date_format": "YYYY-MM-DD",
        "time_format": False,
        "required": False,
    }
    assert by_name["participants"]["multiple"] is True
    assert by_name["assignee"]["collection"] == "people"
    assert by_name["assignee"]["value_field"] == "{{slug}}"
    assert by_name["priority"]["default"] == "normal"
    time = by_name["time"]
    assert [(p["name"], p["widget"], p["required"]) for p in time["parts"]] == [
        ("date", "datetime", True),
        ("person", "relation", True),
        ("spent", "string", True),
        ("note", "string", False),
    ]
    assert "fields" not in time  # see theme/admin/plaindesk-admin.js
    assert by_name["body"]["modes"] == ["raw"]


def test_status_offers_every_workflows_columns_named_by_workflow(ws: Any) -> None:
    tasks = collection(admin_config(ws, AdminSettings()), "tasks")
    status = next(f for f in tasks["fields"] if f["name"] == "status")
    assert status["options"] == [
        {"label": "Queue (Web)", "value": "queue"},
        {"label": "At designer (Web)", "value": "design"},
        {"label": "Review (Web)", "value": "review"},
        {"label": "Released (Web)", "value": "released"},
        {"label": "Backlog (PR)", "value": "backlog"},
        {"label": "Writing (PR)", "value": "writing"},
        {"label": "Published (PR)", "value": "published"},
    ]
    deals = collection(admin_config(ws, AdminSettings()), "deals")
    stage = next(f for f in deals["fields"] if f["name"] == "stage")
    # one pipeline: its stages' names alone
    assert [o["value"] for o in stage["options"]] == ["lead", "proposal", "won", "lost"]
    assert "(" not in stage["options"][0]["label"]


def test_custom_fields_and_settings_lists(ws: Any) -> None:
    deals = collection(admin_config(ws, AdminSettings()), "deals")
    by_name = {f["name"]: f for f in deals["fields"]}
    assert by_name["free"] == {
        "name": "free",
        "label": "Free placement",
        "widget": "boolean",
        "required": False,
    }
    assert by_name["pipeline"]["options"] == [{"label": "Sales", "value": "sales"}]
    assert by_name["next_step"]["widget"] == "plaindesk-object"
    companies = collection(admin_config(ws, AdminSettings()), "companies")
    portal = next(f for f in companies["fields"] if f["name"] == "portal")
    assert portal["widget"] == "object"
    assert portal["fields"][1]["options"] == [
        {"label": "en", "value": "en"},
        {"label": "ru", "value": "ru"},
        {"label": "uk", "value": "uk"},
    ]


def test_labels_follow_the_locale(tmp_path: Path) -> None:
    root = workspace(tmp_path, {"workspace.yml": "name: Агенція\nlocale: uk\ntoday: 2026-03-16\n"})
    config = admin_config(run_check(root).workspace, AdminSettings())
    assert config["locale"] == "uk"
    tasks = collection(config, "tasks")
    assert (tasks["label"], tasks["label_singular"]) == ("Задачі", "Задача")
    labels = {f["name"]: f["label"] for f in tasks["fields"]}
    assert labels["status"] == "Статус"
    assert labels["title"] == "Назва"


@pytest.mark.parametrize(
    ("given", "repo_url", "edit_uri", "backend"),
    [
        (
            {},
            "https://github.com/brightline/workspace",
            "edit/main/docs/",
            {"name": "github", "branch": "main", "repo": "brightline/workspace"},
        ),
        (
            {"branch": "content"},
            "https://gitlab.com/agency/desk",
            "-/edit/main/docs/",
            {"name": "gitlab", "branch": "content", "repo": "agency/desk"},
        ),
        (
            {"backend": "gitlab", "app_id": "abc123"},
            "https://git.agency.example/team/desk",
            "-/edit/trunk/",
            {
                "name": "gitlab",
                "branch": "trunk",
                "repo": "team/desk",
                "auth_type": "pkce",
                "app_id": "abc123",
                "base_url": "https://git.agency.example",
                "api_root": "https://git.agency.example/api/v4",
            },
        ),
        (
            {"backend": "gitea", "app_id": "f00"},
            "https://codeberg.org/agency/desk",
            "",
            {
                "name": "gitea",
                "branch": "main",
                "repo": "agency/desk",
                "app_id": "f00",
                "base_url": "https://codeberg.org",
                "api_root": "https://codeberg.org/api/v1",
                "auth_endpoint": "https://codeberg.org/login/oauth/authorize",
            },
        ),
        (
            {"backend": "gitea", "app_id": "f00"},
            "https://git.agency.example/agency/desk.git",
            "_edit/trunk/",
            {
                "name": "gitea",
                "branch": "trunk",
                "repo": "agency/desk",
                "app_id": "f00",
                "base_url": "https://git.agency.example",
                "api_root": "https://git.agency.example/api/v1",
                "auth_endpoint": "https://git.agency.example/login/oauth/authorize",
            },
        ),
        ({}, "", "", {"name": "git-gateway", "branch": "main"}),
    ],
)
def test_backend_from_mkdocs_yml(
    ws: Any, given: dict[str, Any], repo_url: str, edit_uri: str, backend: dict[str, Any]
) -> None:
    settings = admin_settings(given, repo_url, edit_uri, "content")
    assert admin_config(ws, settings)["backend"] == backend


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"backend": "bitbucket"}, "admin backend `bitbucket` is not one of github, gitlab, gitea"),
        ({"brnch": "main"}, "unknown admin setting brnch; known: backend, repo, branch"),
    ],
)
def test_bad_settings(given: dict[str, Any], message: str) -> None:
    with pytest.raises(AdminError, match="^" + message.replace("(", r"\(")):
        admin_settings(given, "", "", "content")


def test_the_site_serves_the_admin_page(tmp_path: Path) -> None:
    root = make_workspace(
        tmp_path, project({"workspace.yml": "name: Tiny\n", "people/me.md": "---\nname: Me\n---\n"})
    )
    built = build(root)
    assert built.returncode == 0, built.stderr
    site = built.site
    config = yaml.safe_load((site / "admin" / "config.yml").read_text(encoding="utf-8"))
    assert config["collections"][0]["folder"] == "content/people"
    page = (site / "admin" / "index.html").read_text(encoding="utf-8")
    assert '<script src="decap-cms/decap-cms.js"></script>' in page
    assert (site / "admin" / "decap-cms" / "decap-cms.js").stat().st_size > 1_000_000
    assert (site / "admin" / "decap-cms" / "LICENSE").is_file()
    assert (site / "admin" / "plaindesk-admin.js").is_file()
    # linked from the nav of every page, left out of search and the sitemap
    assert 'href="admin/"' in (site / "index.html").read_text(encoding="utf-8")
    assert "admin/" not in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "admin/" not in (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert broken_links(site) == []


def test_admin_false_leaves_it_out(tmp_path: Path) -> None:
    files = project({"workspace.yml": "name: Tiny\n", "people/me.md": "---\nname: Me\n---\n"})
    files["mkdocs.yml"] = str(files["mkdocs.yml"]).replace(
        "      content: content\n", "      content: content\n      admin: false\n"
    )
    root = make_workspace(tmp_path, files)
    built = build(root)
    assert built.returncode == 0, built.stderr
    assert not (built.site / "admin" / "index.html").exists()
    assert 'href="admin/"' not in (built.site / "index.html").read_text(encoding="utf-8")


# What Decap CMS 3.16 wrote in tests/test_cms_browser.py's runs: block-style lists, every
# time-log entry as a mapping, keys outside the form moved, a block of text folded.
DECAP_TASK = """\
---
title: Hero banner
project: site
status: review
assignee: anna
start: 2026-03-10
due: ""
estimate: ""
time:
  - date: 2026-03-16
    person: oleh
    spent: 1h30m
    note: review with the client
  - date: 2026-03-12
    person: anna
    spent: 2h
    note: first draft
tags:
  - design
  - web
---
- [x] Sketch
- [ ] Final
"""
DECAP_CONTACT = """\
---
name: Marta Test
company: acme
email: marta@example.com
owner: anna
follow_up: 2026-03-20
cadence: 14d
chat:
  telegram: "@marta"
consent: false
---
"""
DECAP_PROJECT = """\
---
name: Site
company: acme
workflow: web
metrics:
  - name: Pages live
    target: 4
    actual: ""
    unit: "%"
client_summary: >
  **Done.** Page structure and the copy deck for the main
  page

  and the pricing page are approved.
---
"""


def test_what_decap_writes_checks_clean_and_edits(tmp_path: Path) -> None:
    root = workspace(
        tmp_path,
        {
            "tasks/hero.md": DECAP_TASK,
            "contacts/marta-test.md": DECAP_CONTACT,
            "projects/site.md": DECAP_PROJECT,
        },
    )
    result = run_check(root)
    assert [p.headline() for p in result.problems if p.is_error] == []
    task = result.workspace.tasks["hero"]
    assert [(e.person, e.minutes) for e in task.time] == [("oleh", 90), ("anna", 120)]
    assert task.tags == ["design", "web"]
    # a field emptied in the form is saved as `""`: absent, for an optional field
    assert (task.due, task.estimate) == (None, None)
    assert result.workspace.projects["site"].metrics[0].actual is None
    summary = result.workspace.projects["site"].client_summary
    assert summary.startswith("**Done.** Page structure and the copy deck for the main page\n")
    for args in (
        ("move", "hero", "released"),
        ("due", "hero", "2026-03-20"),
        ("log", "hero", "1h", "polish", "--person", "anna", "--date", "2026-03-16"),
        ("follow-up", "marta-test", "2026-04-01"),
        ("note", "marta-test", "Called: back in April"),
    ):
        done = run(root, *args)
        assert done.exit_code == 0, done.output
    text = (root / "tasks" / "hero.md").read_text(encoding="utf-8")
    assert "status: released\n" in text
    assert 'due: 2026-03-20\nestimate: ""\n' in text
    assert "  - {date: 2026-03-16, person: anna, spent: 1h, note: polish}\ntags:\n" in text
    assert "follow_up: 2026-04-01\n" in (root / "contacts" / "marta-test.md").read_text(
        encoding="utf-8"
    )
    after = run_check(root)
    assert [p.headline() for p in after.problems if p.is_error] == []
    assert sum(e.minutes for e in after.workspace.tasks["hero"].time) == 90 + 120 + 60


def test_every_record_type_has_a_collection() -> None:
    assert {s.type for s in RECORD_SPECS} == set(SPECS)
