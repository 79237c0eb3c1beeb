"""`plaindesk init`: a new, minimal workspace repository that checks clean."""

from __future__ import annotations

import os
from pathlib import Path


class ScaffoldError(Exception):
    """The target already holds files `init` would write."""


FILES: dict[str, str] = {
    "content/workspace.yml": """\
# Plaindesk settings. Every key is optional; see the README for the full list.
name: My Agency
locale: en            # en | ru | uk
timezone: UTC
base_currency: USD
rates:                # what one unit of each other currency is worth in USD
  EUR: 1.08
""",
    "content/people/me.md": """\
---
name: Your Name
role: Account manager
email: me@example.com
capacity: 40
---
Notes about yourself for the team.
""",
    "content/companies/example-client.md": """\
---
name: Example Client
kind: client
manager: me
website: https://example.com
---
What the client does, who decides, how they like to be kept informed.
""",
    "content/contacts/jane-doe.md": """\
---
name: Jane Doe
company: example-client
position: Marketing director
tags: [client]
email: jane@example.com
owner: me
cadence: 30d
consent: false
---
Private notes: prefers calls on Tuesday mornings.
""",
    "content/projects/website.md": """\
---
name: Website refresh
company: example-client
manager: me
status: active
budget: 5000 USD
metrics:
  - {name: Pages launched, target: 10, actual: 0, unit: pages}
client_summary: We are agreeing on the structure of the new site.
---
Internal notes on the project.
""",
    "content/tasks/site-map.md": """\
---
title: Draft the site map
project: website
status: todo
assignee: me
estimate: 3h
priority: normal
client_visible: true
---
Propose a structure for the new site.

- [ ] List the current pages
- [ ] Group them into sections
""",
    "content/deals/website-phase-2.md": """\
---
title: Website phase 2
company: example-client
contact: jane-doe
stage: lead
owner: me
amount: 8000 USD
source: referral
---
What the client asked for and what we proposed.
""",
    "docs/help.md": """\
---
title: How to edit
---

# How to edit the workspace

Everything on this site comes from the Markdown files in `content/`. Change a file,
commit, and the site is rebuilt. `plaindesk check` tells you, line by line, what to fix.
""",
    "mkdocs.yml": """\
site_name: My Agency
# repo_url: https://github.com/you/workspace   # enables the "Edit" link on every record
# edit_uri: edit/main/docs/
theme:
  name: material
  custom_dir: theme
  font: false
plugins:
  - search
  - plaindesk:
      content: content
""",
    ".gitignore": "site/\nsite-*/\npublic/\n.plaindesk/\n.plaindesk-cache/\n",
    # git keeps no empty folders, and mkdocs.yml names theme/ as custom_dir
    "theme/README.md": "Your overrides of Plaindesk's templates and styles go here.\n",
}


def inside_git(directory: Path) -> bool:
    """True when `directory` (or the folder it will be made in) is in a git work tree."""
    for folder in (directory.resolve(), *directory.resolve().parents):
        if (folder / ".git").exists():
            return True
    return False


def start_git(directory: Path) -> str | None:
    """`git init` in `directory`; None on success, else why it could not."""
    import subprocess

    try:
        done = subprocess.run(
            ["git", "init", "-q", str(directory)], capture_output=True, text=True, timeout=60
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return f"git could not be run ({exc})"
    if done.returncode != 0:
        return (done.stderr.strip() or "git init failed").splitlines()[0]
    return None


def create(directory: Path) -> list[str]:
    """Write the starter files into `directory`; refuse if any of them already exists."""
    existing = [rel for rel in FILES if (directory / rel).exists()]
    if existing:
        raise ScaffoldError(
            f"{directory} already has {', '.join(existing)}; nothing was written "
            "(init never overwrites files)"
        )
    for rel, text in FILES.items():
        target = directory / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: even a file that appears meanwhile is never overwritten
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
    return list(FILES)
