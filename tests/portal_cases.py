"""Workspaces and helpers for the portal tests.

`CANARY_FILES` is a workspace in which every value a client must never see carries the
marker `zqcanary` (or a unique number listed in `CANARY_NUMBERS`), while every value that
company Alpha's portal may show carries `alphamark` and company Beta's `betamark`. A bundle
passes when, after decoding, it holds none of the canaries and none of the other client's
marks, and all of its own allowed values.
"""

from __future__ import annotations

import contextlib
import gzip
import html
import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from urllib.parse import unquote

#: The `make_workspace` fixture of conftest.py.
MakeWorkspace = Callable[[Path, Mapping[str, str | bytes]], Path]

SECRET = "test-secret-0123456789abcdef"
TODAY = "2026-03-16"

CANARY = "zqcanary"
#: Private numbers (rates, capacity, budgets, prices, amounts, time, estimates, phones); six
#: digits or more, so that no percentage or date on the page can match one by chance.
CANARY_NUMBERS = (
    "1.0837291",  # EUR rate
    "975318",  # capacity
    "8765.43",  # cost rate
    "6543210",  # budget
    "5432109",  # price
    "4321098",  # deal amount
    "123457",  # estimate in minutes
    "234567",  # time spent in minutes
    "380998887766",  # a non-manager's phone
    "380675554433",  # a contact's phone
)

WORKSPACE_YML = f"""\
name: Zqcanary Settings Agency Name
locale: en
timezone: Europe/Kyiv
today: {TODAY}
base_currency: USD
rates:
  EUR: 1.0837291
  UAH: 0.024
default_workflow: zqcanary-flow
workflows:
  zqcanary-flow:
    columns:
      - {{id: zqcanary-col-queue, name: Zqcanary Column Queue}}
      - {{id: zqcanary-col-doing, name: Zqcanary Column Doing, wip: 3}}
      - {{id: zqcanary-col-client, name: Zqcanary Column Client approval}}
      - {{id: zqcanary-col-done, name: Zqcanary Column Done}}
    backlog: zqcanary-col-queue
    done: zqcanary-col-done
default_pipeline: zqcanary-pipeline
pipelines:
  zqcanary-pipeline:
    stages:
      - {{id: zqcanary-stage-lead, name: Zqcanary Stage Lead, probability: 10, idle_days: 10}}
      - {{id: zqcanary-stage-won, name: Zqcanary Stage Won, probability: 100, outcome: won}}
custom_fields:
  deal:
    zqcanary_deal_field: {{type: text, label: Zqcanary deal field label}}
  contact:
    zqcanary_beat: {{type: text, label: Zqcanary contact field label}}
  task:
    zqcanary_task_field: {{type: text, label: Zqcanary task field label}}
  project:
    zqcanary_project_field: {{type: text, label: Zqcanary project field label}}
  person:
    zqcanary_person_field: {{type: text, label: Zqcanary person field label}}
  company:
    zqcanary_company_field: {{type: text, label: Zqcanary company field label}}
portal:
  assignee: first_name
  done_recent_days: 14
"""


def _person(pid: str, name: str, role: str, email: str, phone: str) -> str:
    return f"""\
---
name: {name}
role: {role}
email: {email}
phone: "{phone}"
emails: [{pid}-private@gmail.example]
chat: "@{pid.replace("-", "_")}_chat"
capacity: 975318
rate: 8765.43 USD
active: true
zqcanary_person_field: zqcanary person custom value
---
zqcanary body of {pid}: private notes about this person.
"""


def _company(name: str, manager: str, locale: str, enabled: bool = True) -> str:
    return f"""\
---
name: {name}
kind: client
manager: {manager}
website: https://zqcanary-website-{manager}.example
portal:
  enabled: {"true" if enabled else "false"}
  locale: {locale}
zqcanary_company_field: zqcanary company custom value
---
zqcanary internal notes about the company managed by {manager}.
"""


def _task(
    title: str,
    project: str,
    status: str,
    *,
    visible: bool | None = True,
    start: str = "2026-03-09",
    due: str = "2026-03-20",
    assignee: str = "zqcanary-person-dev",
) -> str:
    visible_line = "" if visible is None else f"client_visible: {str(visible).lower()}\n"
    return f"""\
---
title: {title}
project: {project}
status: {status}
assignee: {assignee}
participants: [zqcanary-person-part]
start: {start}
due: {due}
estimate: 123457m
time:
  - {{date: 2026-03-03, person: zqcanary-person-dev, spent: 234567m, note: zqcanary time note}}
  - 2026-03-04 zqcanary-person-dev 1h zqcanary compact time note
tags: [zqcanary-tag]
priority: high
{visible_line}price: 5432109 UAH
zqcanary_task_field: zqcanary task custom value
---
zqcanary task body: internal discussion, do not show the client.

- [ ] zqcanary checklist item
- [x] zqcanary checked item
"""


def _project(name: str, company: str, manager: str, status: str, summary: str, unit: str) -> str:
    return f"""\
---
name: {name}
company: {company}
manager: {manager}
status: {status}
start: 2026-02-02
due: 2026-04-30
workflow: zqcanary-flow
budget: 6543210 USD
metrics:
  - {{name: {unit} metric, target: 40, actual: 12, unit: {unit}s}}
  - {{name: {unit} mentions, target: 10, from: published, unit: {unit}-mentions}}
client_summary: |
  {summary}
zqcanary_project_field: zqcanary project custom value
---
zqcanary internal project notes: margin is thin.
"""


A, B = "zqcanary-company-a", "zqcanary-company-b"
A1 = "zqcanary-project-a1"

CANARY_FILES: dict[str, str] = {
    "workspace.yml": WORKSPACE_YML,
    # people: Alpha's and Beta's managers, Alpha's project manager, a developer, a helper
    "people/zqcanary-person-mgra.md": _person(
        "zqcanary-person-mgra",
        "Alphamark Managername",
        "Alphamark Manager Role",
        "alphamark.manager@agency.example",
        "+380 44 111 1111",
    ),
    "people/zqcanary-person-mgrb.md": _person(
        "zqcanary-person-mgrb",
        "Betamark Managername",
        "Betamark Manager Role",
        "betamark.manager@agency.example",
        "+380 44 222 2222",
    ),
    "people/zqcanary-person-pm.md": _person(
        "zqcanary-person-pm",
        "Alphamark Projectmanager",
        "Alphamark Pm Role",
        "alphamark.pm@agency.example",
        "+380 50 333 3333",
    ),
    "people/zqcanary-person-dev.md": _person(
        "zqcanary-person-dev",
        "Alphafirstname Zqcanarysurname",
        "Zqcanary Developer Role",
        "zqcanary.dev@agency.example",
        "+380 99 888 7766",
    ),
    "people/zqcanary-person-part.md": _person(
        "zqcanary-person-part",
        "Zqcanary Participant",
        "Zqcanary Participant Role",
        "zqcanary.part@agency.example",
        "+380 99 888 7766",
    ),
    # companies: two clients with portals, one without
    f"companies/{A}.md": _company("Alphamark Opera & Co", "zqcanary-person-mgra", "en"),
    f"companies/{B}.md": _company("Betamark Books", "zqcanary-person-mgrb", "ru"),
    "companies/zqcanary-company-c.md": _company(
        "Zqcanary Company Without Portal", "zqcanary-person-mgra", "en", enabled=False
    ),
    # contacts: everything private
    "contacts/zqcanary-contact-a.md": """\
---
name: Zqcanary Contactname
company: zqcanary-company-a
position: Zqcanary Position
tags: [zqcanary-contact-tag]
email: zqcanary.contact@client.example
phone: "+380 67 555 4433"
chat: {telegram: "@zqcanary_telegram"}
owner: zqcanary-person-mgra
follow_up: 2026-03-20
cadence: 30d
consent: true
zqcanary_beat: zqcanary beat value
log:
  - 2026-03-02 zqcanary-person-dev email zqcanary-project-a1 sent zqcanary outreach pitch note
  - 2026-03-09 zqcanary-person-dev zqcanary-task-work published
      https://zqcanary-published.example/a zqcanary outreach published note
  - {date: 2026-03-10, person: zqcanary-person-mgra, channel: phone,
     about: zqcanary-project-a1, outcome: published,
     link: "https://zqcanary-mapping-link.example/b", note: zqcanary mapping note}
  - 2026-03-11 zqcanary-person-dev messenger zqcanary-project-b1 published
      https://zqcanary-beta.example/c
---
zqcanary contact notes: hates ballet, write only on even Saturdays.
""",
    # projects
    f"projects/{A1}.md": _project(
        "Alphamark Project One",
        A,
        "zqcanary-person-pm",
        "active",
        "Alphamark summary with **alphamark bold** text.",
        "alphamark-unit",
    ),
    "projects/zqcanary-project-a2.md": _project(
        "Zqcanary Cancelled Project",
        A,
        "zqcanary-person-mgra",
        "cancelled",
        "zqcanary summary of a cancelled project",
        "zqcanary-unit",
    ),
    "projects/zqcanary-project-b1.md": _project(
        "Betamark Project",
        B,
        "zqcanary-person-mgrb",
        "active",
        "Betamark summary.",
        "betamark-unit",
    ),
    "projects/zqcanary-project-c1.md": _project(
        "Zqcanary Project Of C",
        "zqcanary-company-c",
        "zqcanary-person-mgra",
        "active",
        "zqcanary summary of a company without portal",
        "zqcanary-c-unit",
    ),
    # tasks of Alpha: one per phase, visible; two hidden ones
    "tasks/zqcanary-task-work.md": _task("Alphamark Work Task", A1, "zqcanary-col-doing"),
    "tasks/zqcanary-task-review.md": _task("Alphamark Review Task", A1, "zqcanary-col-client"),
    "tasks/zqcanary-task-next.md": _task(
        "Alphamark Next Task", A1, "zqcanary-col-queue", start="2026-04-01", due="2026-04-10"
    ),
    "tasks/zqcanary-task-done.md": _task(
        "Alphamark Done Task", A1, "zqcanary-col-done", start="2026-03-02", due="2026-03-06"
    ),
    "tasks/zqcanary-task-hidden.md": _task(
        "Zqcanary Hidden Task", A1, "zqcanary-col-doing", visible=False
    ),
    "tasks/zqcanary-task-default.md": _task(
        "Zqcanary Default Hidden Task", A1, "zqcanary-col-doing", visible=None
    ),
    "tasks/zqcanary-task-cancelled.md": _task(
        "Zqcanary Task Of Cancelled Project", "zqcanary-project-a2", "zqcanary-col-doing"
    ),
    # tasks of Beta and of the company without portal
    "tasks/zqcanary-task-b.md": _task(
        "Betamark Work Task", "zqcanary-project-b1", "zqcanary-col-doing",
        assignee="zqcanary-person-mgrb",
    ),
    "tasks/zqcanary-task-c.md": _task(
        "Zqcanary Visible Task Of C", "zqcanary-project-c1", "zqcanary-col-doing"
    ),
    # deals: everything private
    "deals/zqcanary-deal-a.md": """\
---
title: Zqcanary Deal Title
company: zqcanary-company-a
contact: zqcanary-contact-a
pipeline: zqcanary-pipeline
stage: zqcanary-stage-lead
owner: zqcanary-person-mgra
amount: 4321098 EUR
probability: 35
expected_close: 2026-04-15
next_step: {date: 2026-03-20, action: zqcanary next step action}
updated: 2026-03-10
source: zqcanary-source
lost_reason: zqcanary lost reason
zqcanary_deal_field: zqcanary deal custom value
---
zqcanary deal notes: their budget ceiling is 60k.
""",
}  # fmt: skip

#: What each portal must show (after decoding), by company id.
ALLOWED: dict[str, tuple[str, ...]] = {
    A: (
        "Alphamark Opera & Co",
        "Alphamark Managername",
        "Alphamark Manager Role",
        "alphamark.manager@agency.example",
        "+380 44 111 1111",
        "Alphamark Projectmanager",
        "Alphamark Pm Role",
        "alphamark.pm@agency.example",
        "+380 50 333 3333",
        "Alphamark Project One",
        "Alphamark summary with",
        "<strong>alphamark bold</strong>",
        "alphamark-unit metric",
        "alphamark-units",
        "alphamark-unit mentions",
        "Alphamark Work Task",
        "Alphamark Review Task",
        "Alphamark Next Task",
        "Alphamark Done Task",
        "Alphafirstname",
        "Last updated Mar 16, 2026",
    ),
    B: (
        "Betamark Books",
        "Betamark Managername",
        "betamark.manager@agency.example",
        "Betamark Project",
        "Betamark summary.",
        "Betamark Work Task",
        "Обновлено 16 мар. 2026",
    ),
}
#: Each portal's foreign marks: the other client's allowed values.
FOREIGN: dict[str, str] = {A: "betamark", B: "alphamark"}


XSS_FILES = {
    "workspace.yml": "name: Agency\ntoday: 2026-03-16\nlocale: en\n",
    "people/boss.md": """\
---
name: '<img src=x onerror=alert(1)> Boss'
role: '<iframe src="https://evil.example/frame"></iframe>'
email: '"><script>alert(2)</script>@evil.example'
phone: '+1 <a href="javascript:alert(3)">call</a>'
---
""",
    "companies/evil.md": """\
---
name: 'Evil <b>Co</b> <script>alert(4)</script> & "quotes"'
kind: client
manager: boss
portal: {enabled: true}
---
""",
    "projects/p.md": """\
---
name: '<svg onload=alert(5)>Project</svg>'
company: evil
status: active
start: 2026-03-01
due: 2026-03-31
metrics:
  - {name: '</style><script>alert(6)</script>', target: 10, actual: 5, unit: '"><b>u</b>'}
client_summary: |
  Plain **bold** <script>alert(7)</script> and <b onclick="alert(8)">raw</b>.
  [a link](javascript:alert(9)) ![an image](https://evil.example/pixel.png)
  <https://internal.example/deals> [site](https://internal.example/tasks/x)

  <div onmouseover="alert(10)">a block</div>
---
""",
    "tasks/t.md": """\
---
title: '{{ 7*7 }} {% if true %}jinja{% endif %} <script>alert(11)</script>'
project: p
status: todo
assignee: boss
start: 2026-03-02
due: 2026-03-20
client_visible: true
---
""",
}

#: Each must appear as text on the page (after entity decoding), never as markup.
XSS_TEXTS = (
    "<img src=x onerror=alert(1)> Boss",
    '<iframe src="https://evil.example/frame"></iframe>',
    '"><script>alert(2)</script>@evil.example',
    '+1 <a href="javascript:alert(3)">call</a>',
    'Evil <b>Co</b> <script>alert(4)</script> & "quotes"',
    "<svg onload=alert(5)>Project</svg>",
    "</style><script>alert(6)</script>",
    "<script>alert(7)</script>",
    '<b onclick="alert(8)">raw</b>',
    '<div onmouseover="alert(10)">a block</div>',
    "{{ 7*7 }} {% if true %}jinja{% endif %} <script>alert(11)</script>",
)


def decoded_variants(data: bytes) -> list[str]:
    """The text of a file as stored and decoded every way a value could hide in it:
    gunzipped, HTML entities, JSON/JS escapes, URL encoding."""
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    text = data.decode("utf-8", errors="replace")
    json_unescaped = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
    json_unescaped = json_unescaped.replace("\\/", "/")
    variants = [text, html.unescape(text), json_unescaped, unquote(text)]
    variants.append(html.unescape(unquote(html.unescape(json_unescaped))))
    with contextlib.suppress(ValueError):  # a JSON document: every string in it, decoded
        variants.append(json.dumps(json.loads(text), ensure_ascii=False))
    return variants


def all_text(folder: Path) -> dict[Path, list[str]]:
    """Every file under `folder` (recursively) -> its decoded variants."""
    return {
        path: decoded_variants(path.read_bytes())
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def number_pattern(digits: str) -> re.Pattern[str]:
    """A number as any locale might print it: group separators and spaces between digits."""
    sep = r"[\s,.'\u00a0\u202f]?"
    return re.compile(sep.join(re.escape(c) for c in digits.replace(".", "")))


def leaks(folder: Path, forbidden_words: tuple[str, ...]) -> list[str]:
    """`file: what` for every canary, private number or forbidden word found under `folder`."""
    found = []
    for path, variants in all_text(folder).items():
        for text in variants:
            low = text.casefold()
            digits_only = re.sub(r"[^0-9]", "", text)
            for word in forbidden_words:
                if word.casefold() in low:
                    found.append(f"{path.name}: {word}")
            for number in CANARY_NUMBERS:
                plain = number.replace(".", "")
                if number_pattern(number).search(text) or (
                    len(plain) >= 9 and plain in digits_only
                ):
                    found.append(f"{path.name}: {number}")
    return sorted(set(found))
