"""`plaindesk build` with the last build's state: the plugin's part (docs/incremental.md).

One `Incremental` per build, called by the plugin at a few events: before generation (the
key digests the tree's pages had), after it (whether MkDocs may build the changed pages
only), on_files (link the unchanged pages' HTML from the previous site, register the rest),
each page built (its search entries) and post_build (the sitemap and search index of every
page; the state for the next build)."""

from __future__ import annotations

import json
import os
import shutil
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

from builder.render.pages import Prior as KeyPrior
from builder.site import engine, state
from builder.site.generate import NAV_FILE, Generated


@dataclass
class Incremental:
    """One `plaindesk build`: from the last build's state (`prior`, None for a full build
    and `reason` says why) to the state of this one (`result`)."""

    prior: state.Prior | None
    reason: str = ""
    code: str = ""  # state.code_stamp(), computed once per build
    keys: KeyPrior | None = None
    warm: bool = False  # MkDocs builds the changed pages only
    stamp: dict[str, str] = field(default_factory=dict)
    tree: set[str] = field(default_factory=set)  # the page tree's files before generation
    chunks: dict[str, bytes] = field(default_factory=dict)  # src_uri -> search entries now
    searched: dict[str, str] = field(default_factory=dict)  # src_uri -> what they are of
    shown: dict[str, engine.ShownPage] = field(default_factory=dict)  # src_uri -> sitemap
    seen: int = 0  # search entries of the pages built so far
    team: list[str] = field(default_factory=list)  # the team's own pages, in build order
    built: int = 0  # generated pages MkDocs built
    linked: int = 0  # pages linked from the previous site
    result: state.BuildState | None = None
    index: bytes | None = None  # the search index a warm build wrote, for `site_print`
    #: an earlier site (`state.SPARE_DIR`) the next one is assembled in (`assemble`),
    #: which spares making (and, once swapped, deleting) every page's folder
    spare: Path | None = None
    kept: set[str] = field(default_factory=set)  # unchanged pages' HTML, site-relative
    #: the previous site's unchanged pages (site-relative) -> inode
    before: dict[str, int] = field(default_factory=dict)
    #: serve: the unchanged pages are answered from the previous site (site-relative
    #: path -> its file there) instead of being linked into serve's own site folder
    lookup: dict[str, str] | None = None
    links: set[str] = field(default_factory=set)  # pages linked (site-relative), no spare
    entries: list[bytes] = field(default_factory=list)  # every page's search entries

    def fall_back(self, reason: str) -> None:
        self.prior, self.reason, self.warm = None, reason, False

    def key_prior(self, tree: Path, can: bool) -> KeyPrior:
        """Before generation: the pages whose key digest the state holds, if the state was
        written by this Plaindesk and the tree is the one it describes; else none."""
        self.code = state.code_stamp()
        if not can:
            self.fall_back("incremental builds are not known to work with this engine")
        if self.prior is not None:
            old = self.prior.state
            self.tree = state.tree_files(tree)
            if old.stamp.get("plaindesk") != self.code:
                self.fall_back(state.CHANGED["plaindesk"])
            elif self.tree - old.stale != set(old.tree) - old.stale:
                self.fall_back("the page tree (.plaindesk/docs/) is not the last build's")
        before = {}
        if self.prior is not None:
            before = {rel: e.key for rel, e in self.prior.state.pages.items() if e.key}
        self.keys = KeyPrior(before)
        return self.keys

    def decide(self, config: Any, generated: Generated, locale: str, today: str) -> None:
        """After generation: MkDocs builds the changed pages only when every page's frame
        is the last build's (engine, mkdocs.yml, theme, nav, locale, today)."""
        self.stamp = {
            "format": str(state.FORMAT),
            "plaindesk": self.code,
            **state.engine_stamp(Path(config.config_file_path), config.theme.custom_dir),
            "nav": json.dumps(generated.nav, sort_keys=True),
            "locale": locale,
            "today": today,
        }
        if self.prior is not None:
            why = state.differs(self.prior.state.stamp, self.stamp)
            if why is not None:
                self.fall_back(why)
        self.warm = self.prior is not None
        if self.warm:
            # written from every page's entries in post_build
            config.theme.static_templates.discard("sitemap.xml")

    def register(self, files: Files, config: Any, tree: Path, generated: Generated) -> Files:
        """on_files, a warm build: the pages whose Markdown changed, the nav's (the
        generated nav or mkdocs.yml's own) and the new ones are built; every other page's
        HTML is linked from the previous site and, not built, is made into a `File` only
        when MkDocs looks it up (`engine.KeptFiles`: links to it resolve as in a full
        build); the other generated files are copied as in a full build."""
        assert self.prior is not None
        old_site, new_site = self.prior.site_dir, Path(config.site_dir)
        if self.spare is not None and not _same_device(self.spare, new_site):
            self.spare = None
        build = {*generated.written, *nav_pages(generated.nav), *nav_targets(config.nav)}
        known = self.prior.state.pages
        theirs = {f.src_uri: f for f in files}  # the team's pages, the theme's assets
        directory_urls = bool(config.use_directory_urls)
        made: list[File] = []
        lazy: set[str] = set()
        for rel in generated.pages:
            theirs.pop(rel, None)  # a generated page takes the place of a file of its name
            if rel.endswith(".md") and rel not in build and rel in known:
                dest = engine.page_dest(rel, directory_urls)
                if self.lookup is not None:
                    # serve: the server answers it from the previous site
                    # (`engine.answer_from_built`)
                    self.lookup[dest] = str(old_site / dest)
                    lazy.add(rel)
                    continue
                # the previous site's file (one stat: walking its 14,000 folders costs
                # three times as much), which `assemble` links into the spare
                ino = _inode(old_site, dest) if self.spare is not None else None
                if ino is not None:
                    self.before[dest] = ino
                    self.kept.add(dest)
                    lazy.add(rel)
                    continue
                if self.spare is None and _link(old_site / dest, new_site / dest):
                    self.links.add(dest)
                    lazy.add(rel)
                    continue
            made.append(File.generated(config, rel, abs_src_path=str(tree / rel)))
        self.linked += len(self.kept) + len(self.links) + len(self.lookup or ())
        return engine.KeptFiles([*theirs.values(), *made], config, tree, lazy)

    def page_built(self, config: Any, page: Any, generated: set[str], searched: str) -> None:
        """A page was built: note its search entries (and what they were made of, as
        `engine.SearchPages` says) and its sitemap entry."""
        uri = page.file.src_uri
        entries = engine.search_entries(config)
        if entries is not None:
            self.chunks[uri] = engine.search_json(entries[self.seen :]).encode("utf-8")
            self.seen = len(entries)
            self.searched[uri] = searched
        self.shown[uri] = engine.ShownPage(page.abs_url, page.canonical_url, page.update_date)
        if uri in generated:
            self.built += 1
        else:
            self.team.append(uri)

    def finish(self, config: Any, env: Any, nav: Any, generated: Generated, day: str) -> None:
        """post_build: a warm build writes the sitemap and the search index of every page
        (the team's pages, then the tree's, sorted: a full build's order); either way the
        state for the next build is made (saved by `plaindesk build` once the site is in)."""
        known = self.prior.state.pages if self.warm and self.prior is not None else {}
        keys = self.keys.keys if self.keys is not None else {}
        pages: dict[str, state.PageEntry] = {}
        for rel in generated.pages:
            if not rel.endswith(".md"):
                continue
            shown, old = self.shown.get(rel), known.get(rel)
            if shown is not None:
                search = self.chunks.get(rel, b"")
                pages[rel] = state.PageEntry(
                    keys.get(rel, ""),
                    shown.abs_url,
                    shown.canonical_url,
                    search,
                    self.searched.get(rel, ""),
                )
            elif old is not None:
                pages[rel] = state.PageEntry(
                    keys.get(rel, ""), old.abs_url, old.canonical_url, old.search, old.searched
                )
            else:
                return  # a page neither built now nor known: no state to trust
        if self.warm:
            order = [*self.team, *sorted(pages)]
            engine.write_sitemap(
                env,
                config,
                nav,
                [
                    engine.ShownPage(pages[u].abs_url, pages[u].canonical_url, day)
                    if u in pages
                    else self.shown[u]
                    for u in order
                ],
            )
            self.entries = [
                pages[u].search if u in pages else self.chunks.get(u, b"") for u in order
            ]
            self.index = engine.write_search_index(config, self.entries)
        tree = [rel for rel in generated.pages if rel != NAV_FILE]
        self.result = state.BuildState(self.stamp, [*tree, NAV_FILE], pages)

    def summary(self, generated: Generated) -> str:
        """One line: what this build redid, or why it was a full one."""
        total = sum(1 for p in generated.pages if p.endswith(".md"))
        if not self.warm:
            return f"full build: {self.reason}" if self.reason else "full build"
        rendered = len(generated.rendered)
        return (
            f"incremental build: {rendered} of {total} pages rendered, {self.built} built "
            f"by MkDocs, {self.linked} kept from the previous site"
        )


def assemble(inc: Incremental, staged: Path) -> None:
    """After MkDocs built the changed pages into `staged`: make the spare (an earlier
    site) the new site, and put it in `staged`'s place. In the spare, a file the new
    site does not have goes, an unchanged page that is not the previous site's very file
    (its inode) is linked from it again, and what MkDocs wrote is moved in. The spare is
    private (`.plaindesk/`), and nothing is written through a link: the previous site,
    still published, is never touched."""
    spare = inc.spare
    if spare is None or inc.prior is None or not inc.warm:
        return
    old_site = inc.prior.site_dir
    made = files_in(staged)
    emptied: set[Path] = set()
    have = inodes(spare)
    for rel, ino in have.items():
        if rel in made or (rel in inc.kept and inc.before.get(rel) == ino):
            continue
        (spare / rel).unlink()
        emptied.add((spare / rel).parent)
    for rel in inc.kept:
        if have.get(rel) != inc.before[rel]:
            target = spare / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(old_site / rel, target)
    for rel in made:
        target = spare / rel
        if rel in have and _same_bytes(staged / rel, target):
            continue  # the theme's assets, a nav page as it was: a rename costs more
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged / rel, target)
    for folder in sorted(emptied, key=lambda p: len(p.parts), reverse=True):
        while folder != spare and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    built = staged.with_name(staged.name + "-built")
    os.replace(staged, built)
    os.replace(spare, staged)
    inc.spare = None
    shutil.rmtree(built, ignore_errors=True)


def link_copy(site: Path, into: Path) -> bool:
    """Make `into` a copy of `site` whose files are hard links to the site's (folders
    made, no byte copied): a spare a warm build assembles its site in. Nothing writes
    through them (`assemble` replaces or unlinks a spare's file, never writes into one).
    False, and no spare, when the links cannot be made (another file system)."""
    if into.exists():
        shutil.rmtree(into)
    stack = [(str(site), str(into))]
    try:
        while stack:
            source, target = stack.pop()
            os.mkdir(target)
            for entry in os.scandir(source):
                made = os.path.join(target, entry.name)
                if entry.is_dir(follow_symlinks=False):
                    stack.append((entry.path, made))
                else:
                    os.link(entry.path, made, follow_symlinks=False)
    except OSError:
        shutil.rmtree(into, ignore_errors=True)
        return False
    return True


def inodes(root: Path) -> dict[str, int]:
    """Every file under `root` (root-relative, "/") with its inode, read from the folder
    listings alone (no stat per file)."""
    found: dict[str, int] = {}
    stack = [("", str(root))]
    while stack:
        prefix, folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                stack.append((prefix + entry.name + "/", entry.path))
            else:
                found[prefix + entry.name] = entry.inode()
    return found


def _inode(root: Path, rel: str) -> int | None:
    """The inode of the file at `rel` under `root`, None if there is none."""
    try:
        found = os.stat(os.path.join(root, rel), follow_symlinks=False)
    except OSError:
        return None
    return found.st_ino if stat.S_ISREG(found.st_mode) else None


def _same_bytes(a: Path, b: Path) -> bool:
    try:
        if os.stat(a).st_size != os.stat(b).st_size:
            return False
        return a.read_bytes() == b.read_bytes()
    except OSError:
        return False


def files_in(root: Path) -> list[str]:
    return list(inodes(root))


def _same_device(a: Path, b: Path) -> bool:
    try:
        return os.stat(a).st_dev == os.stat(b).st_dev
    except OSError:
        return False


def _link(old: Path, new: Path) -> bool:
    """Put the previous site's file at `new`: a hard link (nothing writes through it: a
    page MkDocs builds is never linked), a copy across file systems. False if it is gone."""
    try:
        new.parent.mkdir(parents=True, exist_ok=True)
        os.link(old, new)
    except FileNotFoundError:
        return False
    except OSError:
        try:
            shutil.copyfile(old, new)
        except OSError:
            return False
    return True


def nav_targets(nav: Any) -> set[str]:
    """Every path a nav as mkdocs.yml writes it (`config.nav`: lists, `{title: path}`
    mappings, bare paths; sections nest) names, pages and links alike."""
    if isinstance(nav, str):
        return {nav, nav.lstrip("/")}
    if isinstance(nav, dict):
        return {p for v in nav.values() for p in nav_targets(v)}
    if isinstance(nav, list):
        return {p for v in nav for p in nav_targets(v)}
    return set()


def nav_pages(entries: list[Any]) -> set[str]:
    """The page files a nav (`render.pages.nav`'s entries) names, at any depth."""
    found: set[str] = set()
    for entry in entries:
        for target in entry.values():
            if isinstance(target, list):
                found |= nav_pages(target)
            else:
                found.add(target)
    return found
