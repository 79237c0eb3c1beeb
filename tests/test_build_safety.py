"""`plaindesk build` never takes a folder it should not, replaces the site and the portals
together or not at all, says which portal bundles it dropped, turns a full, read-only or
immutable file system into one line, and leaves no temporary where git or a host sees it.

Most builds here run in-process (click's CliRunner) so that a test can make the file system
fail at a chosen point; `root` is a copy of a project built once for the module."""

from __future__ import annotations

import errno
import logging
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from build_cases import (
    CLIENT,
    SECRET,
    TOKEN,
    break_content,
    everything,
    git,
    new_project,
    published,
    rename_client,
    subprocess_build,
    temporaries,
    untracked,
)
from click.testing import CliRunner, Result
from conftest import make_workspace
from site_cases import SMALL, project, snapshot_files

from builder.cli import cli
from builder.output import MARKER, STAGING, Transaction, write_whole
from builder.portal.tokens import SECRET_ENV


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = new_project(tmp_path_factory.mktemp("safety"))
    done = subprocess_build(root)
    assert done.returncode == 0, done.stderr
    return root


@pytest.fixture
def root(pristine: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the built project, made the current folder."""
    copy = tmp_path / "project"
    shutil.copytree(pristine, copy, symlinks=True)
    monkeypatch.chdir(copy)
    # in-process builds set these; put them back afterwards
    for name in ("SOURCE_DATE_EPOCH", "PLAINDESK_PROGRESS", "NO_MKDOCS_2_WARNING"):
        monkeypatch.delenv(name, raising=False)
    for name in ("mkdocs", "plaindesk"):  # and their loggers, which hold the runner's stderr
        logger = logging.getLogger(name)
        for attribute in ("handlers", "level", "propagate"):
            monkeypatch.setattr(logger, attribute, copy_of(getattr(logger, attribute)))
    return copy.resolve()


def copy_of(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value


def run(*args: str, secret: str | None = SECRET) -> Result:
    """`plaindesk ARGS` in-process, in the current folder."""
    return CliRunner().invoke(cli, list(args), env={SECRET_ENV: secret})


# --- 1. output folders that are not the build's --------------------------------------------

SITE_FIX = "choose a folder of its own for the site (e.g. --site-dir site)"
PORTAL_FIX = "choose a folder of its own for the published portals (e.g. --portal-dir public)"
FOREIGN = "and a build replaces the whole folder; choose a new or empty folder, or move them away"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--site-dir", "content"], f"the site folder content is the content folder; {SITE_FIX}"),
        (["--site-dir", "."], f"the site folder . is the project folder; {SITE_FIX}"),
        (
            ["--site-dir", "content/site"],
            f"the site folder content/site is inside the content folder content; {SITE_FIX}",
        ),
        (
            ["--site-dir", "docs"],
            f"the site folder docs holds files that Plaindesk did not write (help.md) {FOREIGN}",
        ),
        (
            ["--site-dir", "other-repo"],
            f"the site folder other-repo is the root of a git work tree; {SITE_FIX}",
        ),
        (["--portal-dir", "."], f"the portal folder . is the project folder; {PORTAL_FIX}"),
        (
            ["--portal-dir", "content"],
            f"the portal folder content is the content folder; {PORTAL_FIX}",
        ),
        (
            ["--portal-dir", "content/out"],
            f"the portal folder content/out is inside the content folder content; {PORTAL_FIX}",
        ),
        (
            ["--portal-dir", "notes"],
            "the portal folder notes/portal holds files that Plaindesk did not write "
            f"(plan.md) {FOREIGN}",
        ),
        (
            ["--site-dir", "public/portal"],
            "the site folder public/portal is the portal folder public/portal, which every "
            "build replaces; keep them apart (e.g. --site-dir site --portal-dir public)",
        ),
        (
            ["--site-dir", "public/portal/site"],
            "the site folder public/portal/site is inside the portal folder public/portal, "
            "which every build replaces; keep them apart (e.g. --site-dir site --portal-dir "
            "public)",
        ),
    ],
)
def test_a_folder_that_is_not_the_build_s_is_refused_and_nothing_is_touched(
    root: Path, args: list[str], message: str
) -> None:
    (root / "other-repo/.git").mkdir(parents=True)
    (root / "notes/portal").mkdir(parents=True)
    (root / "notes/portal/plan.md").write_text("# Plan\n", "utf-8")
    before = everything(root)
    done = run("build", *args)
    assert (done.exit_code, done.stdout, done.stderr) == (1, "", f"error: {message}\n")
    assert everything(root) == before


def test_an_ancestor_of_the_workspace_or_the_repository_is_refused(tmp_path: Path) -> None:
    """The project in a folder of a larger repository: its root and above are refused."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    agency = make_workspace(repo, project(SMALL))  # the project is repo/ws
    before = everything(tmp_path)
    for args, message in [
        (
            ["--site-dir", ".."],
            f"the site folder {repo} is the root of the git work tree; {SITE_FIX}",
        ),
        (
            ["--site-dir", "../.."],
            f"the site folder {tmp_path} holds the content folder (content); {SITE_FIX}",
        ),
        (
            ["--portal-dir", ".."],
            f"the portal folder {repo} is the root of the git work tree; {PORTAL_FIX}",
        ),
    ]:
        done = subprocess_build(agency, *args)
        assert (done.returncode, done.stderr) == (1, f"error: {message}\n"), args
    assert everything(tmp_path) == before


def test_the_site_dir_of_mkdocs_yml_is_checked_too(root: Path) -> None:
    config = root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + "site_dir: content\n", "utf-8")
    before = everything(root)
    done = run("build")
    assert (done.exit_code, done.stderr) == (
        1,
        f"error: the site folder content is the content folder; {SITE_FIX}\n",
    )
    assert everything(root) == before


def test_portal_build_refuses_the_workspace_as_its_out_folder(root: Path) -> None:
    before = everything(root)
    for out, what in [("content", "is the content folder"), (".", "is the project folder")]:
        done = run("portal", "build", "--out", out)
        assert (done.exit_code, done.stdout, done.stderr) == (
            1,
            "",
            f"error: the portal folder {out} {what}; choose a folder of its own for the "
            "published portals (e.g. --out public)\n",
        )
    assert everything(root) == before


def test_a_site_of_an_earlier_version_is_refused_with_what_to_do(root: Path) -> None:
    """Sites built before the marker existed: the user deletes them once."""
    (root / "site" / MARKER).unlink()
    before = everything(root)
    done = run("build", "--no-portal")
    assert (done.exit_code, done.stderr.splitlines()[-1]) == (
        1,
        "error: the site folder site holds a site built by an earlier Plaindesk (or another "
        f"MkDocs project) without the {MARKER} marker that lets a build replace it; if it is "
        "this project's, delete it once (rm -r site) and build again",
    )
    assert everything(root) == before
    shutil.rmtree(root / "site")  # as told
    again = subprocess_build(root, "--no-portal")
    assert again.returncode == 0, again.stderr
    assert (root / "site" / MARKER).is_file() and (root / "site/index.html").is_file()


def test_a_site_made_by_mkdocs_build_is_a_build_s(root: Path) -> None:
    """`mkdocs build` works too (Plaindesk is an MkDocs plugin): its site carries the marker."""
    shutil.rmtree(root / "site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    assert (root / "site" / MARKER).read_text("utf-8").startswith("Written by a Plaindesk build")
    assert run("build", "--no-portal").exit_code == 0


def test_an_empty_folder_and_a_portal_build_s_site_folder_are_taken(root: Path) -> None:
    """`plaindesk portal build` wrote site/portal/ by default before it wrote public/portal/
    as `plaindesk build` does: the site may replace such a folder."""
    shutil.rmtree(root / "site")
    (root / "empty").mkdir()
    assert run("portal", "build", "--out", "site").exit_code == 0
    assert sorted(p.name for p in (root / "site").iterdir()) == ["portal"]
    assert run("build", "--portal-only", "--portal-dir", "empty").exit_code == 0
    assert (root / "empty/portal" / TOKEN / "index.html").is_file()


def test_portals_inside_the_site_folder_are_built_into_the_site(root: Path) -> None:
    """`--portal-dir site`: one folder, one swap."""
    public = snapshot_files(root / "public")
    rename_client(root)
    done = run("build", "--portal-dir", "site")
    assert done.exit_code == 0, done.stderr
    assert done.stderr.splitlines()[-1] == "portals: 1 client bundle(s) in site/portal"
    bundle = (root / "site/portal" / TOKEN / "index.html").read_text("utf-8")
    assert "Portal Client Renamed" in bundle
    assert (root / "site" / MARKER).is_file() and (root / "site/index.html").is_file()
    assert snapshot_files(root / "public") == public
    assert temporaries(root) == []


# --- 2. dropped portal bundles -------------------------------------------------------------


def test_disabling_the_last_portal_empties_the_portal_folder_and_says_whose_went(
    root: Path,
) -> None:
    company = root / "content/companies/client.md"
    company.write_text(CLIENT.replace("enabled: true", "enabled: false"), "utf-8")
    done = run("build", "--portal-only")
    assert done.exit_code == 0, done.stderr
    assert done.stderr.splitlines()[-2:] == [
        "portals: removed the portal of client (Portal Client): its portal is no longer enabled",
        "portals: 0 client bundle(s) in public/portal",
    ]
    assert sorted(snapshot_files(root / "public")) == ["portal/index.html"]


def test_a_removed_company_s_bundle_goes_and_is_named_by_its_folder(root: Path) -> None:
    (root / "content/companies/client.md").unlink()
    done = run("build", "--portal-only")
    assert done.exit_code == 0, done.stderr
    assert done.stderr.splitlines()[-2:] == [
        f"portals: removed the bundle portal/{TOKEN[:6]}…/: no company of the workspace has "
        "that link under the current secret (a deleted or renamed company's, or an earlier "
        "secret's)",
        "portals: 0 client bundle(s) in public/portal",
    ]
    assert TOKEN not in done.output
    assert sorted(snapshot_files(root / "public")) == ["portal/index.html"]


def test_without_the_secret_the_dropped_bundle_is_named_by_its_folder(root: Path) -> None:
    company = root / "content/companies/client.md"
    company.write_text(CLIENT.replace("enabled: true", "enabled: false"), "utf-8")
    done = run("build", "--portal-only", secret=None)
    assert done.exit_code == 0, done.stderr
    assert done.stderr.splitlines()[-2] == (
        f"portals: removed the bundle portal/{TOKEN[:6]}…/ (set {SECRET_ENV} to see whose it was)"
    )
    assert sorted(snapshot_files(root / "public")) == ["portal/index.html"]


def test_portal_build_says_which_bundle_it_dropped(root: Path) -> None:
    assert run("portal", "build", "--out", "public").exit_code == 0
    company = root / "content/companies/client.md"
    company.write_text(CLIENT.replace("enabled: true", "enabled: false"), "utf-8")
    done = run("portal", "build", "--out", "public")
    assert (done.exit_code, done.stdout) == (
        0,
        "removed the portal of client (Portal Client): its portal is no longer enabled\n"
        "0 client portals in public/portal (see `plaindesk portal links`)\n",
    )
    assert sorted(snapshot_files(root / "public")) == ["portal/index.html"]


def test_no_portal_ever_writes_no_portal_folder(root: Path) -> None:
    company = root / "content/companies/client.md"
    company.write_text(CLIENT.replace("enabled: true", "enabled: false"), "utf-8")
    done = run("build", "--portal-only", "--portal-dir", "elsewhere", secret=None)
    assert (done.exit_code, done.stderr.splitlines()[-1:]) == (
        0,
        ["0 errors, 8 warnings in 29 records"],  # PD408: anna and oleh log time without a rate
    )
    assert not (root / "elsewhere").exists()


# --- 8, 9. the file system failing ---------------------------------------------------------


def failing(
    monkeypatch: pytest.MonkeyPatch, when: Callable[[Path, Path], bool], code: int
) -> list[tuple[Path, Path]]:
    """Make `os.replace(src, dst)` fail with `code` when `when(src, dst)`; returns the calls."""
    real = os.replace
    calls: list[tuple[Path, Path]] = []

    def replace(src: Any, dst: Any, **kwargs: Any) -> None:
        calls.append((Path(src), Path(dst)))
        if when(Path(src), Path(dst)):
            raise OSError(code, os.strerror(code), str(src))
        real(src, dst, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    return calls


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (errno.EROFS, "read-only file system ({path}); build on a writable file system"),
        (
            errno.EPERM,
            "operation not permitted ({path}); check the folder's permissions and that it is "
            "not immutable (lsattr -d)",
        ),
        (errno.EACCES, "permission denied ({path}); check the folder's permissions"),
    ],
)
def test_a_site_that_cannot_be_replaced_keeps_everything(
    root: Path, monkeypatch: pytest.MonkeyPatch, code: int, reason: str
) -> None:
    """A read-only file system or site parent, an immutable site/: the first rename fails."""
    before = published(root)
    rename_client(root)
    failing(monkeypatch, lambda src, dst: src == root / "site", code)
    done = run("build")
    assert done.exit_code == 1
    message = reason.format(path=root / "site")
    assert done.stderr.endswith(f"error: could not replace site: {message}; nothing was replaced\n")
    assert published(root) == before
    assert temporaries(root) == []


def test_a_full_disk_while_writing_the_portals_replaces_nothing(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = published(root)
    rename_client(root)
    real = Path.write_bytes

    def write_bytes(self: Path, data: Any) -> int:
        if self.name == "index.html" and self.parent.name == TOKEN:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    done = run("build")
    assert done.exit_code == 1
    last = done.stderr.splitlines()[-1]
    assert re.fullmatch(
        r"error: could not write the portals: no space left on device "
        rf"\({re.escape(str(root / STAGING))}/build-\w+/new-1/{TOKEN}/index\.html\); "
        "free some space; nothing was replaced",
        last,
    ), last
    assert "Traceback" not in done.output
    assert published(root) == before
    assert temporaries(root) == []


def test_a_full_disk_during_the_site_build_replaces_nothing(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mkdocs import utils

    before = published(root)
    rename_client(root)
    real, written = utils.write_file, [0]

    def write_file(content: bytes, output_path: str) -> None:
        written[0] += 1
        if written[0] == 5:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), output_path)
        real(content, output_path)

    monkeypatch.setattr(utils, "write_file", write_file)
    done = run("build")
    assert done.exit_code == 1
    last = done.stderr.splitlines()[-1]
    assert re.fullmatch(
        r"error: the site build failed: no space left on device "
        rf"\({re.escape(str(root / STAGING))}/build-\w+/new-0/\S+\); free some space; "
        "nothing was replaced",
        last,
    ), last
    assert published(root) == before
    assert temporaries(root) == []


def test_when_the_portals_cannot_be_swapped_in_the_site_is_put_back(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = published(root)
    rename_client(root)
    portal = root / "public/portal"
    calls = failing(monkeypatch, lambda src, dst: src == portal, errno.EPERM)
    done = run("build")
    assert done.exit_code == 1
    assert done.stderr.endswith(
        f"error: could not replace public/portal: operation not permitted ({portal}); check "
        "the folder's permissions and that it is not immutable (lsattr -d); nothing was "
        "replaced\n"
    )
    # the new site had been swapped in, then was taken out again
    assert [dst for src, dst in calls if dst == root / "site"] == [root / "site"] * 2
    assert published(root) == before
    assert temporaries(root) == []


def test_a_swap_that_cannot_be_undone_is_undone_by_the_next_build(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = published(root)
    rename_client(root)
    portal, site = root / "public/portal", root / "site"
    failing(
        monkeypatch,
        lambda src, dst: src == portal or (src == site and dst.name == "new-0"),
        errno.EROFS,
    )
    done = run("build")
    assert done.exit_code == 1
    assert done.stderr.endswith(
        f"error: could not replace public/portal: read-only file system ({portal}); build on "
        "a writable file system; and could not put back what was already replaced: "
        f"read-only file system ({site}); build on a writable file system. The next build "
        "puts it back\n"
    )
    assert published(root) != before  # the new site with the old portals, for now
    monkeypatch.undo()
    monkeypatch.chdir(root)
    break_content(root)
    failed = run("build")  # even a build that stops at the check puts them back
    assert failed.exit_code == 1
    assert "error: nothing was built" in failed.stderr
    assert published(root) == before
    assert temporaries(root) == []


# --- the same for real, where the machine allows it -----------------------------------------


def _read_only(folder: Path) -> list[str] | None:
    """A prefix that runs a command with `folder` read-only for it: by its permissions for an
    ordinary user, by a read-only bind mount in a private mount namespace for root (whom
    permissions do not stop); None where neither is possible."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return []
    if shutil.which("unshare") is None:
        return None
    probe = subprocess.run(["unshare", "--mount", "true"], capture_output=True)
    if probe.returncode != 0:
        return None
    script = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"'
    return ["unshare", "--mount", "sh", "-c", script, str(folder)]


def test_a_read_only_site_parent_for_real(tmp_path: Path) -> None:
    root = new_project(tmp_path)
    out = root / "out"
    out.mkdir()
    first = subprocess_build(root, "--site-dir", "out/site")
    assert first.returncode == 0, first.stderr
    before = snapshot_files(out)
    rename_client(root)
    prefix = _read_only(out)
    if prefix is None:
        pytest.skip("neither permissions nor a mount namespace can make a folder read-only here")
    try:
        done = subprocess_build(root, "--site-dir", "out/site", prefix=prefix)
    finally:
        out.chmod(0o755)
    assert done.returncode == 1
    # refused before anything is built: a staged tree could not be renamed into `out`
    reason = (
        r"permission denied \(\S+\); check the folder's permissions"
        if not prefix
        else r"read-only file system \(\S+\); build on a writable file system"
    )
    last = done.stderr.splitlines()[-1]
    assert re.fullmatch(
        f"error: could not start the site build: {reason}; nothing was replaced", last
    )
    assert snapshot_files(out) == before
    assert temporaries(root) == []


def test_an_immutable_site_for_real(root: Path) -> None:
    site = root / "site"
    if subprocess.run(["chattr", "+i", str(site)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not permitted here")
    try:
        before = published(root)
        rename_client(root)
        done = subprocess_build(root)
    finally:
        subprocess.run(["chattr", "-i", str(site)], check=True)
    assert done.returncode == 1
    assert done.stderr.endswith(
        f"error: could not replace site: operation not permitted ({site}); check the "
        "folder's permissions and that it is not immutable (lsattr -d); nothing was replaced\n"
    )
    assert published(root) == before
    assert temporaries(root) == []


NAMESPACE = """
set -u
mount -t tmpfs -o size=1m tmpfs "$DISK"
build() { "$PYTHON" -m builder.cli build --portal-only --portal-dir "$DISK/public" 2>&1; }
listing() { (cd "$DISK" && find . ! -name filler | sort); }
build > "$OUT/first.txt"; listing > "$OUT/before.txt"
dd if=/dev/zero of="$DISK/filler" bs=4k 2>/dev/null
truncate -s -8K "$DISK/filler"  # room for a folder or two, not for a bundle
sed -i 's/Portal Client/Renamed Client/' content/companies/client.md
build > "$OUT/full.txt"; listing > "$OUT/after-full.txt"
mount -o remount,ro "$DISK"
build > "$OUT/read-only.txt"; listing > "$OUT/after-read-only.txt"
"""


def test_a_full_and_a_read_only_portal_disk_for_real(root: Path, tmp_path: Path) -> None:
    """The portal folder on a small file system of its own (a tmpfs in a private mount
    namespace): filled up, then read-only. Staging goes beside the published folder."""
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("needs root and unshare for a private tmpfs")
    if subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode != 0:
        pytest.skip("mount namespaces are not permitted here")
    disk, out = tmp_path / "disk", tmp_path / "out"
    disk.mkdir()
    out.mkdir()
    env = {
        **os.environ,
        "DISK": str(disk),
        "OUT": str(out),
        "PYTHON": sys.executable,
        SECRET_ENV: SECRET,
    }
    subprocess.run(
        ["unshare", "-m", "--propagation", "private", "sh", "-c", NAMESPACE],
        cwd=root,
        env=env,
        check=True,
        timeout=120,
    )
    report = {p.stem: p.read_text("utf-8") for p in out.iterdir()}
    assert report["first"].endswith(f"portals: 1 client bundle(s) in {disk}/public/portal\n")
    assert report["before"].splitlines() == [
        ".",
        "./public",
        "./public/portal",
        "./public/portal/index.html",
        f"./public/portal/{TOKEN}",
        f"./public/portal/{TOKEN}/index.html",
        f"./public/portal/{TOKEN}/robots.txt",
    ]
    assert re.fullmatch(
        r"error: could not write the portals: no space left on device "
        rf"\({disk}/\.plaindesk-tmp/build-\w+/new-0/({TOKEN}/)?index\.html\); free some "
        "space; "
        "nothing was replaced",
        report["full"].splitlines()[-1],
    ), report["full"]
    assert report["after-full"] == report["before"]
    assert report["read-only"].splitlines()[-1] == (
        f"error: could not write the portals: read-only file system ({disk}/.plaindesk-tmp); "
        "build on a writable file system; nothing was replaced"
    )
    assert report["after-read-only"] == report["before"]
    assert "Traceback" not in "".join(report.values())


# --- 10. temporaries -----------------------------------------------------------------------


def test_temporaries_live_under_plaindesk_tmp_which_git_ignores(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, Any] = {}
    real = Transaction.commit

    def commit(self: Transaction) -> None:
        seen["staged"] = sorted(
            p.relative_to(root).as_posix() for p in (root / STAGING).glob("*/*")
        )
        seen["untracked"] = untracked(root)
        seen["public"] = sorted(p.name for p in (root / "public").iterdir())
        real(self)

    monkeypatch.setattr(Transaction, "commit", commit)
    rename_client(root)
    done = run("build")
    assert done.exit_code == 0, done.stderr
    [area] = {p.split("/")[2] for p in seen["staged"]}
    assert seen["staged"] == [f".plaindesk/tmp/{area}/new-0", f".plaindesk/tmp/{area}/new-1"]
    assert seen["untracked"] == [] and seen["public"] == ["portal"]
    assert temporaries(root) == []
    assert (root / STAGING / ".gitignore").read_text("utf-8").endswith("\n*\n")


def test_leftovers_of_earlier_versions_are_cleared(root: Path) -> None:
    """Killed builds before this version left these beside the site and in public/."""
    leftovers = [
        ".site.tmp-k2j3h4/index.html",
        ".site.old-4242/index.html",
        f"public/.portal-old-x1y2/portal/{TOKEN}/index.html",
        "public/.portal-new-z3w4/index.html",
    ]
    for rel in leftovers:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("old\n", "utf-8")
    assert run("build", "--no-portal").exit_code == 0
    assert run("build", "--portal-only").exit_code == 0
    assert [
        rel for rel in leftovers if (root / rel.split("/")[0]).exists() and (root / rel).exists()
    ] == []
    assert temporaries(root) == []


def test_a_target_on_another_file_system_is_staged_beside_its_published_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from builder import output

    home, disk = tmp_path / "home", tmp_path / "disk"
    (disk / "public/portal").mkdir(parents=True)
    real = output._device
    monkeypatch.setattr(output, "_device", lambda p: -2 if p.is_relative_to(home) else real(p))
    with Transaction(home) as swap:
        staged = swap.stage(disk / "public/portal", disk / "public")
        assert staged.parent.parent == disk / ".plaindesk-tmp"
        (staged / "index.html").write_text("new\n", "utf-8")
        swap.commit()
    assert (disk / "public/portal/index.html").read_text("utf-8") == "new\n"
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "disk",
        "disk/public",
        "disk/public/portal",
        "disk/public/portal/index.html",
    ]


def test_a_running_build_s_temporaries_are_not_swept_by_another(tmp_path: Path) -> None:
    with Transaction(tmp_path) as one:
        staged = one.stage(tmp_path / "site")
        with Transaction(tmp_path) as two:  # sweeps what dead builds left, on entry
            two.stage(tmp_path / "other")
            assert len(list((tmp_path / STAGING).glob("build-*"))) == 2
        assert staged.is_dir()
    assert [p.name for p in (tmp_path / STAGING).iterdir()] == [".gitignore"]


KILLER = """
import os, shutil, signal, sys
from builder.cli import main
import builder.site.build
stop, site, calls = int(sys.argv[1]), sys.argv[2], [0]
def hook(real):
    def step(*args, **kwargs):
        if ".plaindesk/tmp" in " ".join(map(str, args)):
            calls[0] += 1
            if calls[0] == stop:
                os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)
    return step
os.replace, shutil.rmtree = hook(os.replace), hook(shutil.rmtree)
def copy_site(cfg, result, staged, audience=""):  # the same site, without MkDocs' seconds
    shutil.copytree(site, staged, dirs_exist_ok=True)
builder.site.build.build_site = copy_site
sys.argv = ["plaindesk", "build"]
try:
    main()
finally:
    print(f"steps: {calls[0]}", file=sys.stderr)
"""
# the steps of a swap: journal, site out, site in, portals out, portals in, the old trees go
STEPS = 6


def killed_at(root: Path, step: int, site: Path) -> subprocess.CompletedProcess[str]:
    """`plaindesk build` (its site copied from `site`), killed by SIGKILL at its `step`-th
    rename or removal of a staged tree (0: never)."""
    env = {**os.environ, SECRET_ENV: SECRET, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-c", KILLER, str(step), str(site)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


@pytest.fixture(scope="module")
def fresh(pristine: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    """The renamed client's project built from nothing, and its site and portals."""
    root = tmp_path_factory.mktemp("fresh") / "project"
    shutil.copytree(pristine, root, symlinks=True)
    for name in ("site", "public", ".plaindesk"):
        shutil.rmtree(root / name)
    rename_client(root)
    done = subprocess_build(root)
    assert done.returncode == 0, done.stderr
    return root, published(root)


@pytest.mark.parametrize("step", range(1, STEPS + 1))
def test_a_build_killed_during_the_swap_is_undone_by_the_next_build(
    pristine: Path, fresh: tuple[Path, Any], tmp_path: Path, step: int
) -> None:
    """Killed before its last step the swap is undone (the previous site and portals);
    killed after it, the new ones stay. Never one of each."""
    root = tmp_path / "project"
    shutil.copytree(pristine, root, symlinks=True)
    old = published(root)
    rename_client(root)
    killed = killed_at(root, step, fresh[0] / "site")
    assert killed.returncode == -9, killed.stderr
    # straight after the kill: nothing temporary in sight of git or of the host
    assert untracked(root) == []
    assert [p.name for p in (root / "public").glob(".*")] == []
    break_content(root)
    failed = subprocess_build(root)  # stops at the check, after putting the folders back
    assert failed.returncode == 1, failed.stderr
    assert temporaries(root) == []
    assert published(root) == (fresh[1] if step == STEPS else old)


def test_the_kill_points_are_every_step_of_the_swap(
    pristine: Path, fresh: tuple[Path, Any], tmp_path: Path
) -> None:
    root = tmp_path / "project"
    shutil.copytree(pristine, root, symlinks=True)
    rename_client(root)
    done = killed_at(root, 0, fresh[0] / "site")
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[-1] == f"steps: {STEPS}"
    assert published(root) == fresh[1]
    assert temporaries(root) == []


def test_kept_files_are_written_whole_through_a_draft_of_their_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build's kept files (state, check records, cards, calendar events) are written
    through a draft no other build shares, renamed over the file; a write that fails
    leaves the old file and no draft."""
    target = tmp_path / "check.bin"
    target.write_bytes(b"old")
    drafts: list[str] = []
    real_replace = os.replace

    def replace(src: Any, dst: Any) -> None:
        drafts.append(Path(src).name)
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    write_whole(target, b"new")
    write_whole(target, b"newer")
    assert target.read_bytes() == b"newer"
    assert len(set(drafts)) == 2 and all(d.startswith(".check.bin-") for d in drafts)

    def fail(src: Any, dst: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        write_whole(target, b"lost")
    assert target.read_bytes() == b"newer"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["check.bin"]
