"""The edit commands end to end, as a subprocess, on a copy of the demo (content/) and on a
fresh `plaindesk init` workspace: every command, then `plaindesk check` is clean."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def plaindesk(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "builder.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_demo(tmp_path: Path) -> None:
    shutil.copytree(REPO / "content", tmp_path / "content")
    steps = [
        (
            (
                "new",
                "project",
                "Kadr Studio spring launch",
                "--company",
                "kadr-studio",
                "--manager",
                "sofiia-k",
                "--template",
                "launch",
            ),
            "created project kadr-studio-spring-launch and 6 tasks from template launch "
            "(content/projects/kadr-studio-spring-launch.md)",
        ),
        (
            ("move", "kadr-studio-spring-launch-message-house", "drafting"),
            "moved task kadr-studio-spring-launch-message-house from backlog to drafting "
            "(content/tasks/kadr-studio-spring-launch/kadr-studio-spring-launch-message-house.md)",
        ),
        (
            (
                "new",
                "task",
                "Прес-реліз про прем'єру",
                "--project",
                "opera-season-2026",
                "--assignee",
                "sofiia-k",
                "--due",
                "+10d",
                "--no-input",
            ),
            "created task pres-reliz-pro-premieru "
            "(content/tasks/opera-season-2026/pres-reliz-pro-premieru.md)",
        ),
        (
            ("log", "pres-reliz-pro-premieru", "1h30m", "first draft", "--person", "sofiia-k"),
            "logged 1h30m on task pres-reliz-pro-premieru for sofiia-k on 2026-03-16 "
            "(content/tasks/opera-season-2026/pres-reliz-pro-premieru.md)",
        ),
        (
            ("move", "finlo-build-main", "Client approval"),
            "moved task finlo-build-main from development to client-approval "
            "(content/tasks/finlo-landing/finlo-build-main.md)",
        ),
        (
            ("done", "finlo-build-main"),
            "marked task finlo-build-main done (client-approval -> released) "
            "(content/tasks/finlo-landing/finlo-build-main.md)",
        ),
        (
            ("move", "kedr-poland-entry", "lead"),
            "moved deal kedr-poland-entry from lost to lead (content/deals/kedr-poland-entry.md)",
        ),
        (
            ("note", "olena-moroz", "Called: the poster is approved"),
            "added a note to contact olena-moroz (content/contacts/olena-moroz.md)",
        ),
        (
            ("follow-up", "olena-moroz", "done"),
            "next follow-up with contact olena-moroz on 2026-03-23 (was 2026-03-18) "
            "(content/contacts/olena-moroz.md)",
        ),
        (
            ("assign", "tau-checkout-build", "andrii-l"),
            "assignee of task tau-checkout-build is now andrii-l (was piotr-z) "
            "(content/tasks/tau-eshop/tau-checkout-build.md)",
        ),
        (
            ("due", "tau-checkout-build", "fri"),
            "task tau-checkout-build is due 2026-03-20 (Fri) (was 2026-03-24) "
            "(content/tasks/tau-eshop/tau-checkout-build.md)",
        ),
    ]
    for args, out in steps:
        done = plaindesk(tmp_path, *args)
        assert (done.returncode, done.stdout.strip(), done.stderr) == (0, out, ""), args
    check = plaindesk(tmp_path, "check")
    assert check.returncode == 0, check.stdout
    assert check.stdout.endswith("0 errors, 13 warnings in 227 records\n")


def test_a_fresh_workspace(tmp_path: Path) -> None:
    assert plaindesk(tmp_path, "init", "agency").returncode == 0
    root = tmp_path / "agency"
    steps = [
        (
            "new",
            "person",
            "Oleh Petrenko",
            "--email",
            "oleh@example.com",
            "--capacity",
            "30",
            "--rate",
            "30 USD",  # the time he logs has a cost (else PD408)
        ),
        ("new", "company", "Acme Foods", "--kind", "prospect", "--manager", "me"),
        ("new", "contact", "Jan Nowak", "--company", "acme-foods", "--follow-up", "+7d"),
        ("new", "project", "Acme launch", "--company", "acme-foods", "--due", "+8w"),
        ("new", "task", "Brief", "--project", "acme-launch", "--assignee", "oleh-petrenko"),
        (
            "new",
            "deal",
            "Acme retainer",
            "--company",
            "acme-foods",
            "--stage",
            "qualified",
            "--amount",
            "1200 EUR",
            "--next-step",
            "2026-12-01 Send the proposal",
        ),
        ("move", "brief", "in-progress"),
        ("log", "brief", "2h", "--person", "oleh-petrenko"),
        ("note", "acme-launch", "Kick-off done"),
        ("follow-up", "jan-nowak", "done"),
        ("assign", "acme-retainer", "oleh-petrenko"),
        ("due", "brief", "+3d"),
        ("move", "acme-retainer", "won"),
        ("done", "site-map"),
    ]
    for args in steps:
        done = plaindesk(root, *args, "--today", "2026-11-23")
        assert (done.returncode, done.stderr) == (0, ""), args
    check = plaindesk(root, "check", "--today", "2026-11-23")
    assert check.stdout == "0 errors, 0 warnings in 13 records\n"
