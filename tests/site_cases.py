"""Inputs shared by the site tests: a small workspace with known numbers, the project files
around it (mkdocs.yml, docs/), and helpers to copy and build the demo.

The small workspace is pinned to TODAY (a Monday). Its numbers, worked out by hand:
- funnel `sales` (USD; EUR 1.10, UAH 0.025):
  open: big-lead 1000 USD (lead, idle 15 d > 10), uah-lead 40000 UAH = $1,000 (lead,
  probability override 20), eur-proposal 2000 EUR = $2,200 (proposal, idle 11 d > 7)
  -> 3 open deals, $4,200 open, forecast 100 + 200 + 1100 = $1,400;
  won: march-win 500 USD (2026-03-03), january-win 1000 EUR = $1,100 (2026-01-20);
  lost: march-loss 300 USD (2026-03-10), december-loss 200 USD (2025-12-20);
  conversion (snapshot): reached lead 5, proposal 3, won 2 -> 60%, 67%;
  this month: won 1 · $500, lost 1 · $300; this quarter: won 2 · $1,600, lost 1 · $300.
- board `site` (workflow web): doing holds 3 cards with WIP 2 (breached); review 1 of WIP 1;
  project `shop` shares the workflow with one card in doing (4 in doing across projects).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TODAY = date(2026, 3, 16)

SMALL: dict[str, str] = {
    "workspace.yml": """\
name: Snapshot Agency
locale: en
today: 2026-03-16
base_currency: USD
rates: {EUR: 1.10, UAH: 0.025}
workflows:
  web:
    columns:
      - {id: queue, name: Queue}
      - {id: doing, name: Doing, wip: 2}
      - {id: review, name: Review, wip: 1}
      - {id: done, name: Done}
  pr:
    columns: [backlog, writing, published]
pipelines:
  sales:
    stages:
      - {id: lead, name: Lead, probability: 10, idle_days: 10}
      - {id: proposal, name: Proposal, probability: 50, idle_days: 7}
      - {id: won, name: Won, probability: 100, outcome: won}
      - {id: lost, name: Lost, probability: 0, outcome: lost}
""",
    "people/anna.md": "---\nname: Anna Kovalenko\nrole: Account director\n"
    "email: anna@example.com\ncapacity: 40\n---\nLeads the accounts.\n",
    "people/oleh.md": "---\nname: Oleh Petrenko\nrole: Designer\ncapacity: 20\n---\n",
    "people/ivan.md": "---\nname: Ivan Former\nactive: false\n---\n",
    "companies/acme.md": "---\nname: Acme Foods\nkind: client\nmanager: anna\n"
    "website: https://acme.example\n---\nOur oldest client.\n",
    "companies/bank.md": "---\nname: Kyiv Bank\nkind: prospect\nmanager: oleh\n---\n",
    "contacts/olena.md": "---\nname: Olena Shevchuk\ncompany: acme\nposition: CMO\n"
    "tags: [client, decision-maker]\nowner: anna\nfollow_up: 2026-03-12\n"
    "consent: true\n---\nPrefers calls.\n",
    "contacts/petro.md": "---\nname: Petro Melnyk\ncompany: bank\ntags: [journalist]\n"
    "owner: oleh\nfollow_up: 2026-03-19\n---\n",
    "contacts/maria.md": "---\nname: Maria Later\ntags: [journalist]\nfollow_up: 2026-05-01\n---\n",
    "projects/site.md": "---\nname: Acme website\ncompany: acme\nmanager: anna\n"
    "workflow: web\nstart: 2026-02-01\ndue: 2026-04-30\n"
    "budget: 5000 USD\n---\n",
    "projects/shop.md": "---\nname: Bank shop\ncompany: bank\nworkflow: web\n---\n",
    "projects/press.md": "---\nname: Acme press tour\ncompany: acme\nmanager: anna\n"
    "workflow: pr\n---\n",
    "tasks/site-copy.md": """\
---
title: Write the homepage copy
project: site
status: doing
assignee: anna
start: 2026-03-09
due: 2026-03-18
estimate: 4h
time:
  - 2026-03-10 anna 1h30m first draft
tags: [copy, web]
priority: high
---
Copy for the hero and the three blocks.

- [x] Hero
- [ ] Blocks
- [ ] Footer
""",
    "tasks/site-mockups.md": """\
---
title: Homepage mock-ups
project: site
status: doing
assignee: oleh
due: 2026-03-13
estimate: 2h
time:
  - 2026-03-11 oleh 3h mock-ups
tags: [design]
priority: urgent
---
""",
    "tasks/site-hosting.md": "---\ntitle: Order hosting\nproject: site\nstatus: doing\n"
    "due: 2026-03-20\n---\n",
    "tasks/site-review.md": "---\ntitle: Review the sitemap\nproject: site\nstatus: review\n"
    "assignee: anna\ndue: 2026-04-10\npriority: low\n---\n",
    "tasks/site-brief.md": "---\ntitle: Agree the brief\nproject: site\nstatus: done\n"
    "assignee: anna\ndue: 2026-03-01\n---\n- [x] Call\n- [x] Notes\n",
    "tasks/site-launch.md": "---\ntitle: Launch\nproject: site\nstatus: queue\n"
    "assignee: oleh\ndue: 2026-04-30\ntags: [web]\n---\n",
    "tasks/shop-catalog.md": "---\ntitle: Catalogue page\nproject: shop\nstatus: doing\n"
    "assignee: oleh\n---\n",
    "tasks/press-release.md": "---\ntitle: Press release\nproject: press\nstatus: writing\n"
    "assignee: anna\ndue: 2026-03-15\ntags: [copy]\n---\n",
    "tasks/press-list.md": "---\ntitle: Media list\nproject: press\nstatus: backlog\n"
    "assignee: oleh\n---\n",
    "deals/big-lead.md": "---\ntitle: Big lead\ncompany: bank\nstage: lead\nowner: anna\n"
    "amount: 1000 USD\nexpected_close: 2026-05-01\n"
    "updated: 2026-03-01\n---\n",
    "deals/uah-lead.md": "---\ntitle: Hryvnia lead\ncompany: bank\nstage: lead\nowner: oleh\n"
    "amount: 40000 UAH\nprobability: 20\nexpected_close: 2026-04-20\n"
    "updated: 2026-03-10\n"
    "next_step: {date: 2026-03-12, action: Call back}\n---\n",
    "deals/eur-proposal.md": "---\ntitle: Euro proposal\ncompany: acme\ncontact: olena\n"
    "stage: proposal\nowner: anna\namount: 2000 EUR\n"
    "expected_close: 2026-04-01\nupdated: 2026-03-05\n---\n",
    "deals/march-win.md": "---\ntitle: March win\ncompany: acme\nstage: won\nowner: anna\n"
    "amount: 500 USD\nupdated: 2026-03-03\n---\n",
    "deals/january-win.md": "---\ntitle: January win\ncompany: acme\nstage: won\nowner: oleh\n"
    "amount: 1000 EUR\nupdated: 2026-01-20\n---\n",
    "deals/march-loss.md": "---\ntitle: March loss\ncompany: bank\nstage: lost\nowner: anna\n"
    "amount: 300 USD\nupdated: 2026-03-10\nlost_reason: price\n---\n",
    "deals/december-loss.md": "---\ntitle: December loss\ncompany: bank\nstage: lost\n"
    "owner: oleh\namount: 200 USD\nupdated: 2025-12-20\n---\n",
}

MKDOCS_YML = """\
site_name: Snapshot Agency
repo_url: https://github.com/example/workspace
edit_uri: edit/main/docs/
theme:
  name: material
  font: false
plugins:
  - search
  - plaindesk:
      content: content
"""


def project(content: Mapping[str, str | bytes]) -> dict[str, str | bytes]:
    """A site project around workspace `content`: mkdocs.yml, docs/help.md, content/..."""
    files: dict[str, str | bytes] = {"mkdocs.yml": MKDOCS_YML, "docs/help.md": "# Help\n"}
    files.update({f"content/{rel}": text for rel, text in content.items()})
    return files


def copy_demo(target: Path) -> Path:
    """Copy the demo (content/, theme/, mkdocs.yml) into `target`; return it."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("content", "theme"):
        shutil.copytree(REPO / name, target / name)
    shutil.copy2(REPO / "mkdocs.yml", target / "mkdocs.yml")
    return target


@dataclass
class Built:
    """A finished `plaindesk build`: its exit status, output and where the site went."""

    returncode: int
    stdout: str
    stderr: str
    site: Path


def build(root: Path, site: Path | None = None, *extra: str) -> Built:
    """Run `plaindesk build --no-portal` in project folder `root` (a real subprocess)."""
    site = site or root / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("PLAINDESK_TODAY", None)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "builder.cli",
            "build",
            "--no-portal",
            "--site-dir",
            str(site),
            *extra,
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return Built(proc.returncode, proc.stdout, proc.stderr, site)


def snapshot_files(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by relative path, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def html_files(folder: Path) -> dict[str, str]:
    """Every generated HTML page under `folder` by relative path, with its text."""
    return {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("*.html"))
    }


# --- a small DOM over the standard library's HTML parser ------------------------------------

_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


@dataclass
class Node:
    """An element of a parsed page: tag, attributes (entities decoded), children."""

    tag: str
    attrs: dict[str, str]
    children: list[Node | str]

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    def iter(self) -> Iterator[Node]:
        """This element and every element under it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None) -> list[Node]:
        return [
            n
            for n in self.iter()
            if (tag is None or n.tag == tag) and (cls is None or cls in n.classes)
        ]

    def find(self, tag: str | None = None, cls: str | None = None) -> Node:
        found = self.find_all(tag, cls)
        assert found, f"no <{tag or '*'} class={cls!r}> in <{self.tag}>"
        return found[0]

    def text(self) -> str:
        """The text content, whitespace collapsed."""
        parts: list[str] = []

        def walk(node: Node) -> None:
            for child in node.children:
                if isinstance(child, str):
                    parts.append(child)
                else:
                    walk(child)

        walk(self)
        return " ".join("".join(parts).split())


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, [])
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, [])
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}, []))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(text: str) -> Node:
    """Parse a page into a `Node` tree (lenient, like a browser about unclosed tags)."""
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root
