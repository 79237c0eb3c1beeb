"""The one description of every record type and field.

Each record type is declared once here: its folder, its model class, and per field the kind
of value it holds, whether it is required, its default, its English label (translated through
the catalogue like every other UI string) and its sensitivity. Everything else that needs to
know about fields is derived from this table rather than keeping a list of its own:

- loading: which folder holds which type, and what an id looks like;
- validation: which parser reads a field, what is required, the "did you mean" candidates;
- the model's construction: the keyword arguments a record class is built from;
- the client portal's isolation tests: every field not marked `client` gets a canary;
- the README's field tables (generated, and checked by a test);
- the JSON Schema of `plaindesk export json`, and the column names importers recognise;
- later consumers: web-form configuration, audience filters.

Custom fields declared in `workspace.yml` enter the same description through
`record_fields(record_type, settings)`.
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, get_args

from builder.model.records import Company, Contact, Deal, Person, Project, Record, Task

if TYPE_CHECKING:
    from builder.model.records import Settings

RecordType = Literal["person", "company", "contact", "project", "task", "deal"]

#: The kinds of value a field can hold. Each names one parser in `builder.validate.fields`.
ValueKind = Literal[
    "text",  # one line (or a block) of plain text
    "email",  # an e-mail address
    "phone",  # a phone number, kept as written
    "url",  # a web address
    "date",  # YYYY-MM-DD
    "duration",  # working time: 2h, 1h30m, 90m, 1.5h, 2d (a day is hours_per_day)
    "interval",  # calendar time between events: 14d, 2w, 30d
    "hours",  # hours per week: a number or a duration
    "money",  # an amount and an ISO 4217 code
    "number",  # a decimal number
    "percent",  # a whole number from 0 to 100
    "bool",  # true or false
    "choice",  # one of `choices` (fixed) or of a list from the settings (`choices_from`)
    "ref",  # the id of a record of type `ref`
    "refs",  # a list of ids of records of type `ref`
    "tags",  # a list of short texts
    "handles",  # chat handles: one handle, or network -> handle
    "portal",  # a company's portal settings (mapping of `parts`)
    "metrics",  # a list of mappings of `parts`
    "time_log",  # a list of time-log entries (mapping of `parts`, or one-line form)
    "outreach_log",  # a list of outreach entries (mapping of `parts`, or one-line form)
    "next_step",  # a date and an action (mapping of `parts`, or one-line form)
    "channels",  # notification channels: Apprise URLs, secrets as `{ENV_VAR}` placeholders
]

#: Who may see a field.
#: - client: may reach a client's portal (through the portal's own allow-list);
#: - internal: the team only;
#: - money: amounts, prices, budgets, rates (left out of sites for audiences without money);
#: - private: a person's own data that colleagues outside management need not see.
Sensitivity = Literal["client", "internal", "money", "private"]
SENSITIVITIES: tuple[Sensitivity, ...] = get_args(Sensitivity)

#: Lists of allowed values that come from the settings rather than the schema.
ChoicesFrom = Literal["workflow_columns", "workflows", "pipeline_stages", "pipelines", "locales"]

#: A record id: lower-case letters, digits and dashes, not starting with a dash.
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
Locale = Literal["en", "ru", "uk"]
LOCALES: tuple[Locale, ...] = get_args(Locale)


@dataclass(frozen=True)
class FieldSpec:
    """One field of a record type (or a part of a structured field)."""

    name: str
    kind: ValueKind
    label: str  # English; other languages through the catalogue (`field.<name>` keys)
    sensitivity: Sensitivity = "internal"
    required: bool = False
    default: object = None
    ref: RecordType | None = None  # for `ref` and `refs`
    #: for a `ref` that may name a record of any of several types (an outreach entry's
    #: `about`: a project, a task or a deal); `ref` is None then
    ref_any: tuple[RecordType, ...] = ()
    choices: tuple[str, ...] = ()
    choices_from: ChoicesFrom | None = None
    parts: tuple[FieldSpec, ...] = ()  # for structured kinds: the keys of each mapping
    help: str = ""  # one line for the README's tables and form hints
    example: str = ""  # a value as written in front matter
    custom: bool = False  # declared in workspace.yml, not built in
    #: other names a spreadsheet's column may give the field (English, Russian, Ukrainian),
    #: comma-separated; `plaindesk import` matches them after the name and the label
    aliases: str = ""
    block: bool = False  # text of several lines (a paragraph or more): forms give it a text area

    @property
    def part_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parts)

    @property
    def column_names(self) -> tuple[str, ...]:
        """The names a column holding this field may have: its name, label and aliases."""
        more = (a.strip() for a in self.aliases.split(",") if a.strip())
        return (self.name, self.label, *more)


@dataclass(frozen=True)
class RecordSpec:
    """One record type: where its files live, its model class and its fields."""

    type: RecordType
    folder: str
    cls: builtins.type[Record]
    label: str  # English, singular
    plural: str  # English
    title_field: str  # the field that names a record on pages and in lists
    fields: tuple[FieldSpec, ...]
    body: str  # what the Markdown body is for
    body_sensitivity: Sensitivity = "internal"
    _by_name: dict[str, FieldSpec] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_name.update((f.name, f) for f in self.fields)

    def field(self, name: str) -> FieldSpec | None:
        return self._by_name.get(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.required)


#: The fixed choices of built-in fields and settings, each a `Literal` type for the model's
#: fields and, from it, the tuple that validation offers (`typing.get_args`).
CompanyKind = Literal["client", "partner", "media", "prospect"]
ProjectStatus = Literal["planned", "active", "on-hold", "done", "cancelled"]
Priority = Literal["low", "normal", "high", "urgent"]  # lowest first
Outcome = Literal["won", "lost"]  # a stage that closes a deal; open stages have none
CustomFieldType = Literal["bool", "choice", "text", "number", "date"]
PortalAssignee = Literal["first_name", "role"]  # how a client's portal names the team
Better = Literal["higher", "lower"]  # which way a metric improves
#: how an outreach entry reached its contact, and what came of it (the order of `REPLIES`
#: is the order a media list sorts by, after what needs chasing)
Channel = Literal["email", "phone", "messenger", "meeting", "social", "other"]
Reply = Literal["sent", "replied", "interested", "declined", "published", "no-answer"]
#: where a metric's `actual` may be counted from instead of typed
MetricSource = Literal["published"]
#: How a project earns: its `budget` (fixed price), or the `price` of its done tasks.
Billing = Literal["fixed", "time-and-materials"]
COMPANY_KINDS: tuple[CompanyKind, ...] = get_args(CompanyKind)
PROJECT_STATUSES: tuple[ProjectStatus, ...] = get_args(ProjectStatus)
PRIORITIES: tuple[Priority, ...] = get_args(Priority)
OUTCOMES: tuple[Outcome, ...] = get_args(Outcome)
CUSTOM_FIELD_TYPES: tuple[CustomFieldType, ...] = get_args(CustomFieldType)
PORTAL_ASSIGNEES: tuple[PortalAssignee, ...] = get_args(PortalAssignee)
BETTER: tuple[Better, ...] = get_args(Better)
CHANNELS: tuple[Channel, ...] = get_args(Channel)
REPLIES: tuple[Reply, ...] = get_args(Reply)
METRIC_SOURCES: tuple[MetricSource, ...] = get_args(MetricSource)
BILLINGS: tuple[Billing, ...] = get_args(Billing)


def _f(
    name: str, kind: ValueKind, label: str, sensitivity: Sensitivity = "internal", **more: object
) -> FieldSpec:
    return FieldSpec(name, kind, label, sensitivity, **more)  # type: ignore[arg-type]


_PORTAL_PARTS = (
    _f("enabled", "bool", "Enabled", default=False, example="true"),
    _f("locale", "choice", "Language", choices_from="locales", example="uk"),
)
_METRIC_PARTS = (
    _f("name", "text", "Name", sensitivity="client", required=True, example="Press mentions"),
    _f("target", "number", "Target", sensitivity="client", example="40"),
    _f("actual", "number", "Actual", sensitivity="client", example="12"),
    _f("unit", "text", "Unit", sensitivity="client", example="articles"),
    _f(
        "better",
        "choice",
        "Better",
        sensitivity="client",
        default="higher",
        choices=BETTER,
        help="`lower` when less is better (page load time, cost per lead)",
        example="higher",
    ),
    _f(
        "from",
        "choice",
        "Counted from",
        sensitivity="client",
        choices=METRIC_SOURCES,
        help="`published`: the outreach log's published entries about the project",
        example="published",
    ),
)
_TIME_PARTS = (
    _f("date", "date", "Date", required=True, example="2026-03-03"),
    _f("person", "ref", "Person", ref="person", required=True, example="oleh-p"),
    _f("spent", "duration", "Spent", required=True, example="2h30m"),
    _f("note", "text", "Note", example="first draft"),
)
_OUTREACH_PARTS = (
    _f("date", "date", "Date", required=True, example="2026-03-10"),
    _f("person", "ref", "Person", ref="person", required=True, example="anna-k"),
    _f("channel", "choice", "Channel", choices=CHANNELS, example="email"),
    _f(
        "about",
        "ref",
        "About",
        ref_any=("project", "task", "deal"),
        required=True,
        example="season-2026",
    ),
    _f("outcome", "choice", "Outcome", choices=REPLIES, required=True, example="replied"),
    _f("link", "url", "Link", help="where it was published", example="https://news.example/a"),
    _f("note", "text", "Note", example="asked for hi-res photos"),
)
_NEXT_STEP_PARTS = (
    _f("date", "date", "Date", example="2026-03-20"),
    _f("action", "text", "Action", example="Call about the revised proposal"),
)

PERSON = RecordSpec(
    type="person",
    folder="people",
    cls=Person,
    label="Person",
    plural="People",
    title_field="name",
    fields=(
        _f("name", "text", "Name", "client", required=True, example="Anna Kovalenko"),
        _f("role", "text", "Role", "client", example="Account director"),
        _f(
            "email",
            "email",
            "E-mail",
            "client",
            help="work address: shown to clients she manages",
            example="anna@brightline.agency",
        ),
        _f("phone", "phone", "Phone", "client", example='"+380 44 000 0000"'),
        _f(
            "emails",
            "tags",
            "Other e-mails",
            "private",
            help="other addresses she commits with",
            example="[anna.k@gmail.com]",
        ),
        _f("chat", "handles", "Chat", example='"@anna_k"'),
        _f("capacity", "hours", "Capacity", help="hours a week", example="40"),
        _f("rate", "money", "Rate", "private", help="internal cost per hour", example="45 USD"),
        _f("active", "bool", "Active", default=True, example="true"),
        _f(
            "locale",
            "choice",
            "Language",
            choices_from="locales",
            help="of her digest (default: the workspace's)",
            example="uk",
        ),
        _f(
            "notify",
            "channels",
            "Notify",
            "private",
            help="where her digest goes: Apprise URLs, secrets as `{ENV_VAR}`",
            example='["tgram://{TELEGRAM_TOKEN}/123456789"]',
        ),
    ),
    body="notes for the team",
)

COMPANY = RecordSpec(
    type="company",
    folder="companies",
    cls=Company,
    label="Company",
    plural="Companies",
    title_field="name",
    fields=(
        _f(
            "name",
            "text",
            "Name",
            "client",
            required=True,
            example="Kyiv Opera",
            aliases="company, organization, компания, организация, название, компанія, назва",
        ),
        _f(
            "kind",
            "choice",
            "Kind",
            required=True,
            choices=COMPANY_KINDS,
            example="client",
            aliases="type, тип, вид",
        ),
        _f(
            "manager",
            "ref",
            "Manager",
            "client",
            ref="person",
            example="anna-k",
            aliases="account manager, менеджер, ответственный, відповідальний",
        ),
        _f(
            "website",
            "url",
            "Website",
            example="https://opera.example",
            aliases="site, web page, url, сайт, веб-сайт",
        ),
        _f(
            "portal",
            "portal",
            "Client portal",
            parts=_PORTAL_PARTS,
            example="{enabled: true, locale: uk}",
        ),
        _f(
            "statement",
            "bool",
            "Monthly statement",
            default=False,
            help="a printable statement of work done per month",
            example="true",
        ),
    ),
    body="who decides, how they like to be kept informed",
)

CONTACT = RecordSpec(
    type="contact",
    folder="contacts",
    cls=Contact,
    label="Contact",
    plural="Contacts",
    title_field="name",
    fields=(
        _f(
            "name",
            "text",
            "Name",
            required=True,
            example="Олена Шевчук",
            aliases="full name, contact, display name, имя, фио, контакт, ім'я, піб",
        ),
        _f(
            "company",
            "ref",
            "Company",
            ref="company",
            example="ukrinform",
            aliases="organization, организация, компания, компанія, організація",
        ),
        _f(
            "position",
            "text",
            "Position",
            example="Culture editor",
            aliases="job title, title, role, должность, посада",
        ),
        _f(
            "tags",
            "tags",
            "Tags",
            example="[journalist, culture]",
            aliases="labels, categories, groups, теги, метки, группа, мітки, група",
        ),
        _f(
            "email",
            "email",
            "E-mail",
            example="o.shevchuk@example.org",
            aliases="e-mail address, mail, почта, эл. почта, пошта, ел. пошта",
        ),
        _f(
            "phone",
            "phone",
            "Phone",
            example='"+380 67 000 0000"',
            aliases="phone number, mobile, telephone, телефон, тел, мобильный, мобільний",
        ),
        _f("chat", "handles", "Chat", example='{telegram: "@oshevchuk"}'),
        _f(
            "owner",
            "ref",
            "Owner",
            ref="person",
            example="anna-k",
            aliases="manager, responsible, менеджер, ответственный, відповідальний",
        ),
        _f(
            "follow_up",
            "date",
            "Follow up",
            example="2026-03-20",
            aliases="next contact, следующий контакт, наступний контакт",
        ),
        _f("cadence", "interval", "Cadence", help="how often to get in touch", example="30d"),
        _f(
            "consent",
            "bool",
            "Mailing consent",
            default=False,
            help="agreed to mailing lists",
            example="true",
            aliases="subscribed, newsletter, согласие, подписка, згода, підписка",
        ),
        _f(
            "log",
            "outreach_log",
            "Outreach log",
            parts=_OUTREACH_PARTS,
            help="who pitched what to them, and what came of it",
            example="[2026-03-09 anna-k email season-2026 replied asked for photos]",
        ),
    ),
    body="private notes",
    body_sensitivity="private",
)

PROJECT = RecordSpec(
    type="project",
    folder="projects",
    cls=Project,
    label="Project",
    plural="Projects",
    title_field="name",
    fields=(
        _f("name", "text", "Name", "client", required=True, example="Season 2026 launch"),
        _f(
            "company",
            "ref",
            "Company",
            "client",
            ref="company",
            required=True,
            example="kyiv-opera",
        ),
        _f("manager", "ref", "Manager", "client", ref="person", example="anna-k"),
        _f(
            "status",
            "choice",
            "Status",
            "client",
            default="active",
            choices=PROJECT_STATUSES,
            example="active",
        ),
        _f("start", "date", "Start", "client", example="2026-02-01"),
        _f("due", "date", "Due", "client", example="2026-05-30"),
        _f("workflow", "choice", "Workflow", choices_from="workflows", example="pr"),
        _f("budget", "money", "Budget", "money", example="12000 USD"),
        _f(
            "billing",
            "choice",
            "Billing",
            "money",
            choices=BILLINGS,
            help="revenue: `fixed` (the budget) or `time-and-materials` (done tasks' prices)",
            example="fixed",
        ),
        _f(
            "metrics",
            "metrics",
            "Metrics",
            "client",
            parts=_METRIC_PARTS,
            example="[{name: Press mentions, target: 40, actual: 12, unit: articles}]",
        ),
        _f(
            "client_summary",
            "text",
            "Client summary",
            "client",
            help="shown to the client on their portal",
            example="Shown to the client.",
            block=True,
        ),
    ),
    body="internal notes",
)

TASK = RecordSpec(
    type="task",
    folder="tasks",
    cls=Task,
    label="Task",
    plural="Tasks",
    title_field="title",
    fields=(
        _f("title", "text", "Title", "client", required=True, example="Homepage mock-ups"),
        _f(
            "project",
            "ref",
            "Project",
            "client",
            ref="project",
            required=True,
            example="season-2026",
        ),
        _f(
            "status",
            "choice",
            "Status",
            "client",
            choices_from="workflow_columns",
            help="a column of the project's workflow",
            example="design",
        ),
        _f("assignee", "ref", "Assignee", "client", ref="person", example="oleh-p"),
        _f("participants", "refs", "Participants", ref="person", example="[anna-k]"),
        _f("start", "date", "Start", "client", example="2026-03-02"),
        _f("due", "date", "Due", "client", example="2026-03-12"),
        _f("estimate", "duration", "Estimate", example="6h"),
        _f(
            "time",
            "time_log",
            "Time log",
            parts=_TIME_PARTS,
            example="[2026-03-04 oleh-p 1h revisions]",
        ),
        _f("tags", "tags", "Tags", example="[design, web]"),
        _f("priority", "choice", "Priority", default="normal", choices=PRIORITIES, example="high"),
        _f("client_visible", "bool", "Visible to client", default=False, example="true"),
        _f("price", "money", "Price for the client", "money", example="300 USD"),
    ),
    body="description and checklist",
)

DEAL = RecordSpec(
    type="deal",
    folder="deals",
    cls=Deal,
    label="Deal",
    plural="Deals",
    title_field="title",
    fields=(
        _f(
            "title",
            "text",
            "Title",
            required=True,
            example="Kyiv Opera sponsorship",
            aliases="deal, name, сделка, название, угода, назва",
        ),
        _f(
            "company",
            "ref",
            "Company",
            ref="company",
            required=True,
            example="kyiv-opera",
            aliases="client, компания, клиент, компанія, клієнт",
        ),
        _f(
            "contact",
            "ref",
            "Contact",
            ref="contact",
            example="olena-shevchuk",
            aliases="contact person, контакт, контактное лицо, контактна особа",
        ),
        _f(
            "project",
            "ref",
            "Project",
            ref="project",
            help="the project the deal became, once won",
            example="season-2026",
            aliases="проект, проєкт",
        ),
        _f(
            "pipeline",
            "choice",
            "Pipeline",
            choices_from="pipelines",
            example="sales",
            aliases="funnel, воронка",
        ),
        _f(
            "stage",
            "choice",
            "Stage",
            required=True,
            choices_from="pipeline_stages",
            example="proposal",
            aliases="status, стадия, этап, статус, етап, стадія",
        ),
        _f(
            "owner",
            "ref",
            "Owner",
            ref="person",
            example="anna-k",
            aliases="manager, responsible, менеджер, ответственный, відповідальний",
        ),
        _f(
            "amount",
            "money",
            "Amount",
            "money",
            example="50000 UAH",
            aliases="sum, value, budget, сумма, бюджет, сума",
        ),
        _f(
            "probability",
            "percent",
            "Probability",
            help="overrides the stage's",
            example="40",
            aliases="вероятность, ймовірність",
        ),
        _f(
            "expected_close",
            "date",
            "Expected close",
            example="2026-04-15",
            aliases="close date, дата закрытия, дата закриття",
        ),
        _f(
            "next_step",
            "next_step",
            "Next step",
            parts=_NEXT_STEP_PARTS,
            example="{date: 2026-03-20, action: Call about the revised proposal}",
        ),
        _f(
            "updated",
            "date",
            "Last activity",
            help="last activity, when there is no git history",
            example="2026-03-10",
        ),
        _f(
            "source", "text", "Source", example="referral", aliases="lead source, источник, джерело"
        ),
        _f(
            "lost_reason",
            "text",
            "Reason lost",
            example='""',
            aliases="причина отказа, причина відмови",
        ),
    ),
    body="what they asked for, what we offered",
)

#: Every record type, in the order folders are documented and pages are listed.
RECORD_SPECS: tuple[RecordSpec, ...] = (PERSON, COMPANY, CONTACT, PROJECT, TASK, DEAL)
SPECS: dict[str, RecordSpec] = {spec.type: spec for spec in RECORD_SPECS}
#: folder name -> record type
FOLDERS: dict[str, str] = {spec.folder: spec.type for spec in RECORD_SPECS}
#: record type -> folder name
SECTIONS: dict[str, str] = {spec.type: spec.folder for spec in RECORD_SPECS}
RECORD_TYPES: tuple[RecordType, ...] = get_args(RecordType)

#: The value kinds a custom field may declare in workspace.yml (`type:`), and what they are.
CUSTOM_KINDS: dict[CustomFieldType, ValueKind] = {
    "bool": "bool",
    "choice": "choice",
    "text": "text",
    "number": "number",
    "date": "date",
}


def record_fields(record_type: str, settings: Settings | None = None) -> tuple[FieldSpec, ...]:
    """A type's fields: the built-in ones, then the custom ones `settings` declares."""
    spec = SPECS[record_type]
    if settings is None:
        return spec.fields
    custom = settings.custom_fields.get(record_type, {})
    return spec.fields + tuple(
        FieldSpec(
            c.name,
            CUSTOM_KINDS[c.type],
            c.label,
            c.sensitivity,
            choices=c.choices,
            custom=True,
        )
        for c in custom.values()
    )


def fields_where(sensitivities: Iterable[Sensitivity]) -> dict[str, tuple[str, ...]]:
    """record type -> names of its built-in fields of the given sensitivities."""
    wanted = set(sensitivities)
    return {
        spec.type: tuple(f.name for f in spec.fields if f.sensitivity in wanted)
        for spec in RECORD_SPECS
    }
