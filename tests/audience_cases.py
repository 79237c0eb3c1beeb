"""A workspace for the audience tests, with a canary in every value the `delivery` audience
leaves out and a mark on values it keeps.

`delivery` excludes deals, the `money` and `private` sensitivities and `contact.position`,
and keeps `task.price`. `CANARIES` maps each hidden (record type, field) to the text its
value carries, or to None where the kind of value cannot carry one (a reference to a kept
record, a percentage, a bool); a test checks that its keys are exactly what the schema
hides, so a new hidden field needs a canary (or a reason for none) before the tests pass.
Dates in hidden fields are in 2047, numbers in `CANARY_NUMBERS`.
"""

from __future__ import annotations

TODAY = "2026-03-16"

WORKSPACE_YML = f"""\
name: Audience Agency
locale: en
timezone: Europe/Kyiv
today: {TODAY}
base_currency: USD
rates: {{EUR: 1.10, UAH: 0.025}}
workflows:
  web:
    columns: [todo, doing, done]
pipelines:
  zqa-pipeline-q:
    name: Zqa pipeline name q
    stages:
      - {{id: zqa-stage-lead-q, name: Zqa stage lead name q, probability: 20, idle_days: 3}}
      - {{id: zqa-stage-won-q, name: Zqa stage won name q, outcome: won}}
custom_fields:
  person:
    zqa_person_money: {{type: number, label: Zqa person money label q, sensitivity: money}}
    zqa_person_private: {{type: text, label: Zqa person private label q, sensitivity: private}}
    keep_person_note: {{type: text, label: Kept person note}}
  company:
    zqa_company_private: {{type: text, label: Zqa company private label q, sensitivity: private}}
  contact:
    keep_beat: {{type: text, label: Kept beat}}
  task:
    zqa_task_money: {{type: number, label: Zqa task money label q, sensitivity: money}}
    keep_task_note: {{type: text, label: Kept task note}}
  deal:
    zqa_deal_custom: {{type: text, label: Zqa deal custom label q}}
audiences:
  delivery:
    exclude: [deals, money, private, contact.position]
    keep: [task.price]
  sales: {{}}
"""

ANNA = """\
---
name: Keep Anna Person
role: keep-anna-role-k
email: anna@agency.example
phone: "+380 44 000 0000"
emails: [zqa-person-emails-q@home.example]
chat: "@keep_anna_chat"
capacity: 40
rate: 7301111 UAH
active: true
notify: ["tgram://{ZQA_PERSON_NOTIFY_Q}/7301234"]
zqa_person_money: 7302222
zqa_person_private: zqa-person-private-value-q
keep_person_note: keep-person-note-k
---
keep-person-body-k
"""

ACME = """\
---
name: Keep Acme Company
kind: client
manager: anna
website: https://keep-acme.example
portal: {enabled: false}
zqa_company_private: zqa-company-private-value-q
---
keep-company-body-k
"""

OLENA = """\
---
name: Keep Olena Contact
company: acme
position: zqa-contact-position-q
tags: [keep-contact-tag-k]
email: olena@acme.example
phone: "+380 67 000 0000"
owner: anna
follow_up: 2026-03-20
cadence: 30d
consent: true
log:
  - 2026-03-05 anna email site published https://keep-press.example/k keep-log-note-k
  - 2026-03-06 anna email zqa-deal-id-q replied zqa-contact-log-about-deal-q
keep_beat: keep-contact-beat-k
---
zqa-contact-body-q
"""

SITE = """\
---
name: Keep Site Project
company: acme
manager: anna
status: active
start: 2026-02-01
due: 2026-05-30
workflow: web
budget: 7303333 USD
billing: time-and-materials
metrics: [{name: Keep metric, target: 40, actual: 12, unit: articles}]
client_summary: keep-project-summary-k
---
keep-project-body-k
"""


def task(status: str) -> str:
    return f"""\
---
title: Keep task title k
project: site
status: {status}
assignee: anna
participants: [anna]
start: 2026-03-02
due: 2026-03-27
estimate: 6h
time: [2026-03-04 anna 1h keep-time-note-k]
tags: [keep-task-tag-k]
priority: high
client_visible: true
price: 7304444 UAH
zqa_task_money: 7305555
keep_task_note: keep-task-note-k
---
keep-task-body-k
"""


def deal(stage: str, amount: str) -> str:
    return f"""\
---
title: zqa-deal-title-q
company: acme
contact: olena
project: site
pipeline: zqa-pipeline-q
stage: {stage}
owner: anna
amount: {amount} EUR
probability: 35
expected_close: 2047-05-06
next_step: {{date: 2047-05-07, action: zqa-deal-next-step-q}}
updated: 2047-01-02
source: zqa-deal-source-q
lost_reason: zqa-deal-lost-reason-q
zqa_deal_custom: zqa-deal-custom-value-q
---
zqa-deal-body-q
"""


#: The first commit's files; the second moves the task and the deal and changes the amount.
FILES: dict[str, str] = {
    "workspace.yml": WORKSPACE_YML,
    "people/anna.md": ANNA,
    "companies/acme.md": ACME,
    "contacts/olena.md": OLENA,
    "projects/site.md": SITE,
    "tasks/copy.md": task("todo"),
    "deals/zqa-deal-id-q.md": deal("zqa-stage-lead-q", "7306666"),
}
LATER: dict[str, str] = {
    "tasks/copy.md": task("doing"),
    "deals/zqa-deal-id-q.md": deal("zqa-stage-won-q", "7307777"),
}

#: Seven digits each, printed in any locale's grouping (see `portal_cases.number_pattern`).
CANARY_NUMBERS = ("7301111", "7302222", "7303333", "7305555", "7306666", "7307777")
#: A date in a hidden field is in this year; nothing else is.
CANARY_YEAR = "2047"

#: (type, field) hidden from `delivery` -> the canary its value carries (None: no canary
#: fits its kind of value; the value is still planted, and must be gone from the model).
CANARIES: dict[tuple[str, str], str | None] = {
    ("person", "emails"): "zqa-person-emails-q",
    ("person", "rate"): "7301111",
    ("person", "notify"): "ZQA_PERSON_NOTIFY_Q",
    ("person", "zqa_person_money"): "7302222",
    ("person", "zqa_person_private"): "zqa-person-private-value-q",
    ("company", "zqa_company_private"): "zqa-company-private-value-q",
    ("contact", "position"): "zqa-contact-position-q",
    ("contact", "body"): "zqa-contact-body-q",
    ("project", "budget"): "7303333",
    ("project", "billing"): None,  # a choice, whose label any site may show
    ("task", "zqa_task_money"): "7305555",
    ("deal", "title"): "zqa-deal-title-q",
    ("deal", "company"): None,  # a kept company's id
    ("deal", "contact"): None,  # a kept contact's id
    ("deal", "project"): None,  # a kept project's id
    ("deal", "pipeline"): "zqa-pipeline-q",
    ("deal", "stage"): "zqa-stage-lead-q",
    ("deal", "owner"): None,  # a kept person's id
    ("deal", "amount"): "7306666",
    ("deal", "probability"): None,  # a percentage
    ("deal", "expected_close"): CANARY_YEAR,
    ("deal", "next_step"): "zqa-deal-next-step-q",
    ("deal", "updated"): CANARY_YEAR,
    ("deal", "source"): "zqa-deal-source-q",
    ("deal", "lost_reason"): "zqa-deal-lost-reason-q",
    ("deal", "zqa_deal_custom"): "zqa-deal-custom-value-q",
    ("deal", "body"): "zqa-deal-body-q",
}
#: What else of the hidden records may show: their ids, settings' names and labels.
MORE_CANARIES = (
    "zqa-deal-id-q",
    "zqa-contact-log-about-deal-q",  # a kept contact's outreach entry about the hidden deal
    "Zqa pipeline name q",
    "Zqa stage lead name q",
    "Zqa stage won name q",
    "zqa-stage-won-q",
    "7307777",
    "Zqa person money label q",
    "Zqa person private label q",
    "Zqa company private label q",
    "Zqa task money label q",
    "Zqa deal custom label q",
)
#: Kept values, each of which the delivery site shows somewhere.
KEPT = (
    "Keep Anna Person",
    "keep-anna-role-k",
    "keep-person-note-k",
    "keep-person-body-k",
    "Keep Acme Company",
    "keep-company-body-k",
    "Keep Olena Contact",
    "keep-contact-beat-k",
    "keep-log-note-k",  # the outreach entry about the kept project
    "Keep Site Project",
    "keep-project-body-k",
    "Keep task title k",
    "keep-task-note-k",
    "keep-task-body-k",
    "Kept task note",
    "7304444",  # the task's price, which `keep:` keeps
)
