"""The configuration of the site's `admin/` page: Decap CMS forms for every record type,
generated from the schema (`builder.model.schema`) and the workspace's settings.

Pure: a workspace and the admin settings in, a dict out (`render/admin.py` writes it as
`admin/config.yml`). Every field comes from `record_fields`, custom fields included; each
value kind maps to one widget (`_WIDGETS`), so a new field needs no change here.

Choices that depend on another field cannot vary in Decap (a select's options are fixed
per collection): a task's status offers the columns of every workflow, each labelled with
the workflows that have it when there are several, and a deal's stage the stages of every
pipeline. A status the task's project's workflow lacks is caught by `plaindesk check`
(PD202), as for a hand edit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from builder import i18n
from builder.model import Workspace
from builder.model.records import Settings
from builder.model.schema import RECORD_SPECS, SPECS, FieldSpec, RecordSpec, record_fields

Widget = dict[str, Any]

#: The git hosts Decap CMS can write to, as `backend:` in the admin settings names them.
BACKENDS = ("github", "gitlab", "gitea")
#: Hosts recognised from `repo_url` when `backend` is not given.
_HOSTS = {"github.com": "github", "gitlab.com": "gitlab", "codeberg.org": "gitea"}
#: Record types other records refer to: listed from their folder's top level only, since a
#: relation widget stores the file's path below the folder, which is the id only there.
_FLAT = frozenset(
    ref
    for spec in RECORD_SPECS
    for f in spec.fields
    for ref in (f.ref, *(p.ref for p in f.parts))
    if ref is not None
)
#: How deep a nested collection lists files (tasks are often kept in a folder per project).
_DEPTH = 10


class AdminError(ValueError):
    """The admin settings in mkdocs.yml cannot make a working configuration."""


@dataclass(frozen=True)
class AdminSettings:
    """Where the CMS reads and writes: from `admin:` under the plaindesk plugin in
    mkdocs.yml, with `repo_url` and `edit_uri` filling what it leaves out."""

    backend: str = ""  # github | gitlab | gitea; "" when unknown (local backend only)
    repo: str = ""  # owner/name
    branch: str = "main"
    base_url: str = ""  # the OAuth endpoint (GitHub) or the host (self-hosted GitLab, Gitea)
    api_root: str = ""  # self-hosted GitLab or Gitea: https://git.example.com/api/v1
    app_id: str = ""  # GitLab's or Gitea's OAuth application id (PKCE, no server)
    local_backend: bool | str = True  # on localhost, use `npx decap-server` (or this URL)
    content: str = "content"  # the workspace folder's path inside the repository
    site_url: str = ""


#: What `admin:` in mkdocs.yml may set (the rest comes from mkdocs.yml itself).
SETTINGS = ("backend", "repo", "branch", "base_url", "api_root", "app_id", "local_backend")


def admin_settings(
    given: dict[str, Any], repo_url: str, edit_uri: str, content: str, site_url: str = ""
) -> AdminSettings:
    """The admin settings from mkdocs.yml's `admin:` mapping (`given`), the rest from
    `repo_url` (host and repository) and `edit_uri` (`edit/<branch>/...`)."""
    unknown = sorted(set(given) - set(SETTINGS))
    if unknown:
        raise AdminError(
            f"unknown admin setting {', '.join(unknown)}; known: {', '.join(SETTINGS)}"
        )
    split = urlsplit(repo_url)
    host = split.hostname or ""
    backend = str(given.get("backend") or _HOSTS.get(host, ""))
    if backend and backend not in BACKENDS:
        raise AdminError(f"admin backend `{backend}` is not one of {', '.join(BACKENDS)}")
    local = given.get("local_backend", True)
    base_url = str(given.get("base_url") or "")
    if (
        not base_url
        and host
        and (backend == "gitea" or (backend == "gitlab" and host not in _HOSTS))
    ):
        # Gitea has no default server; a self-hosted GitLab is the repository's own
        base_url = f"{split.scheme or 'https'}://{split.netloc}"
    return AdminSettings(
        backend=backend,
        repo=str(given.get("repo") or split.path.strip("/").removesuffix(".git")),
        branch=str(given.get("branch") or _branch(edit_uri)),
        base_url=base_url,
        api_root=str(given.get("api_root") or _api_root(backend, base_url, host)),
        app_id=str(given.get("app_id") or ""),
        local_backend=local if isinstance(local, bool) else str(local),
        content=content.strip("/") or ".",
        site_url=site_url,
    )


def _branch(edit_uri: str) -> str:
    """The branch an `edit_uri` names: GitHub's `edit/<branch>/`, GitLab's
    `-/edit/<branch>/`, Gitea's `_edit/<branch>/` or `src/branch/<branch>/`; else main."""
    parts = edit_uri.strip("/").split("/")
    if parts[:2] in (["-", "edit"], ["src", "branch"]) and len(parts) > 2:
        return parts[2]
    if parts[0] in ("edit", "blob", "_edit") and len(parts) > 1:
        return parts[1]
    return "main"


def _api_root(backend: str, base_url: str, host: str) -> str:
    if not base_url:
        return ""
    if backend == "gitlab" and host not in _HOSTS:
        return f"{base_url.rstrip('/')}/api/v4"
    if backend == "gitea":
        return f"{base_url.rstrip('/')}/api/v1"
    return ""


def admin_config(ws: Workspace, settings: AdminSettings) -> dict[str, Any]:
    """Decap CMS's `config.yml` for `ws`: the backend, then one collection per record type."""
    locale = ws.settings.locale
    config: dict[str, Any] = {"backend": _backend(settings)}
    if settings.local_backend is not False:
        config["local_backend"] = (
            True if settings.local_backend is True else {"url": settings.local_backend}
        )
    config.update(
        {
            "locale": locale,
            "publish_mode": "simple",
            # files attached in the rich-text editor; the workspace reads Markdown only
            "media_folder": f"{_root(settings)}files",
            "public_folder": "/files",
            "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
            "collections": [_collection(ws, spec, settings) for spec in RECORD_SPECS],
        }
    )
    if settings.site_url:
        config["site_url"] = config["display_url"] = settings.site_url
    return config


def _root(settings: AdminSettings) -> str:
    return "" if settings.content == "." else f"{settings.content}/"


def _backend(settings: AdminSettings) -> dict[str, Any]:
    backend: dict[str, Any] = {
        # without a host, only the local backend works: `git-gateway` is Decap's stand-in
        "name": settings.backend or "git-gateway",
        "branch": settings.branch,
    }
    if settings.repo and settings.backend:
        backend["repo"] = settings.repo
    if settings.backend == "gitlab" and settings.app_id:
        backend["auth_type"] = "pkce"  # Gitea's backend logs in by PKCE always
    if settings.app_id:
        backend["app_id"] = settings.app_id
    if settings.base_url:
        backend["base_url"] = settings.base_url
    if settings.api_root:
        backend["api_root"] = settings.api_root
    if settings.backend == "gitea" and settings.base_url:
        backend["auth_endpoint"] = f"{settings.base_url.rstrip('/')}/login/oauth/authorize"
    return backend


def _collection(ws: Workspace, spec: RecordSpec, settings: AdminSettings) -> dict[str, Any]:
    locale = ws.settings.locale
    fields = record_fields(spec.type, ws.settings)
    collection: dict[str, Any] = {
        "name": spec.folder,
        "label": _text(locale, f"section.{spec.folder}", spec.plural),
        "label_singular": _text(locale, f"type.{spec.type}", spec.label),
        "folder": f"{_root(settings)}{spec.folder}",
        "extension": "md",
        "format": "frontmatter",
        "create": True,
        "identifier_field": spec.title_field,
        "summary": _summary(spec, fields),
        "sortable_fields": [spec.title_field, *(f.name for f in fields if f.kind == "date")],
        "editor": {"preview": False},  # the form alone: the preview pane halves a phone
        "fields": [
            *(_field(ws.settings, spec, f) for f in fields if f.kind in _WIDGETS),
            {
                "name": "body",
                "label": _text(locale, "admin.body", "Notes"),
                "widget": "markdown",
                "required": False,
                # Markdown as written: the rich-text mode turns checklists (`- [ ]`, which
                # boards count) into plain bullets and escapes what it does not know
                "modes": ["raw"],
                "hint": spec.body,
            },
        ],
    }
    groups = [
        {"label": _label(locale, f), "field": f.name} for f in fields if f.kind in ("choice", "ref")
    ]
    if groups:  # Decap refuses an empty list
        collection["view_groups"] = groups
    if spec.type not in _FLAT:
        collection["nested"] = {"depth": _DEPTH, "subfolders": False}
    return collection


def _summary(spec: RecordSpec, fields: Iterable[FieldSpec]) -> str:
    """What a record's row in a list shows: its title, and its column or stage."""
    shown = [spec.title_field]
    shown += [f.name for f in fields if f.choices_from in ("workflow_columns", "pipeline_stages")]
    return " · ".join("{{" + name + "}}" for name in shown)


def _field(settings: Settings, spec: RecordSpec, f: FieldSpec) -> Widget:
    widget: Widget = {"name": f.name, "label": _label(settings.locale, f)}
    widget.update(_WIDGETS[f.kind](settings, spec, f))
    widget["required"] = f.required
    if f.default is not None and not f.required:
        widget["default"] = f.default
    hint = f.help or (f"e.g. {f.example}" if f.example and f.kind in _HINTED else "")
    if hint:
        widget["hint"] = hint
    return widget


def _label(locale: str, f: FieldSpec) -> str:
    return f.label if f.custom else _text(locale, f"field.{f.name}", f.label)


def _text(locale: str, key: str, english: str) -> str:
    """The catalogue's text for `key`, or the schema's English label where it has none."""
    known = i18n.keys()
    return i18n.t(locale, key) if key in known else english


def _string(_settings: Settings, _spec: RecordSpec, f: FieldSpec) -> Widget:
    return {"widget": "text" if f.block else "string"}


def _date(_settings: Settings, _spec: RecordSpec, _f: FieldSpec) -> Widget:
    # stored as YYYY-MM-DD (a date, no time), picked in the phone's own date picker
    return {
        "widget": "datetime",
        "format": "YYYY-MM-DD",
        "date_format": "YYYY-MM-DD",
        "time_format": False,
    }


def _number(_settings: Settings, _spec: RecordSpec, f: FieldSpec) -> Widget:
    if f.kind == "percent":
        return {"widget": "number", "value_type": "int", "min": 0, "max": 100}
    return {"widget": "number", "value_type": "float"}


def _bool(_settings: Settings, _spec: RecordSpec, _f: FieldSpec) -> Widget:
    return {"widget": "boolean"}


def _tags(_settings: Settings, _spec: RecordSpec, _f: FieldSpec) -> Widget:
    return {"widget": "list", "allow_add": True}


def _relation(_settings: Settings, _spec: RecordSpec, f: FieldSpec) -> Widget:
    assert f.ref is not None
    target = SPECS[f.ref]
    return {
        "widget": "relation",
        "collection": target.folder,
        "value_field": "{{slug}}",
        "search_fields": [target.title_field],
        "display_fields": [target.title_field],
        "options_length": 200,
        **({"multiple": True} if f.kind == "refs" else {}),
    }


def _choice(settings: Settings, spec: RecordSpec, f: FieldSpec) -> Widget:
    return {"widget": "select", "options": choice_options(settings, spec, f)}


def choice_options(settings: Settings, spec: RecordSpec, f: FieldSpec) -> list[dict[str, str]]:
    """A select's options: fixed choices, or the lists the settings hold."""
    locale = settings.locale
    if f.choices_from == "workflow_columns":
        return _merged(
            (w.name, [(c.id, c.name) for c in w.columns]) for w in settings.workflows.values()
        )
    if f.choices_from == "pipeline_stages":
        return _merged(
            (p.name, [(s.id, s.name) for s in p.stages]) for p in settings.pipelines.values()
        )
    if f.choices_from == "workflows":
        return [{"label": w.name, "value": w.id} for w in settings.workflows.values()]
    if f.choices_from == "pipelines":
        return [{"label": p.name, "value": p.id} for p in settings.pipelines.values()]
    if f.choices_from == "locales":
        return [{"label": code, "value": code} for code in i18n.LOCALES]
    return [{"label": _choice_label(locale, spec, f, value), "value": value} for value in f.choices]


def _choice_label(locale: str, spec: RecordSpec, f: FieldSpec, value: str) -> str:
    known = i18n.keys()
    for key in (f"{f.name}.{value}", f"{spec.type}.{value}"):
        if key in known:
            return i18n.t(locale, key)
    return value


def _merged(groups: Iterable[tuple[str, list[tuple[str, str]]]]) -> list[dict[str, str]]:
    """One option per id, in the order first met; with several groups (workflows,
    pipelines), each label names the groups that have the id."""
    names: dict[str, str] = {}
    where: dict[str, list[str]] = {}
    count = 0
    for group, items in groups:
        count += 1
        for ident, name in items:
            names.setdefault(ident, name)
            where.setdefault(ident, []).append(group)
    if count <= 1:
        return [{"label": name, "value": ident} for ident, name in names.items()]
    return [
        {"label": f"{name} ({', '.join(where[ident])})", "value": ident}
        for ident, name in names.items()
    ]


def _parts(settings: Settings, spec: RecordSpec, f: FieldSpec) -> list[Widget]:
    return [_field(settings, spec, part) for part in f.parts if part.kind in _WIDGETS]


def _time_log(settings: Settings, spec: RecordSpec, f: FieldSpec) -> Widget:
    # `plaindesk-list` (theme/admin/plaindesk-admin.js): Decap's list, which also reads
    # entries written in the one-line form; the parts go under `parts` for it
    return {
        "widget": "plaindesk-list",
        "summary": " · ".join("{{fields." + p.name + "}}" for p in f.parts),
        "add_to_top": True,  # the newest entry where the thumb is
        "collapsed": True,
        "parts": _parts(settings, spec, f),
    }


def _metrics(settings: Settings, spec: RecordSpec, f: FieldSpec) -> Widget:
    return {
        "widget": "list",
        "summary": " · ".join("{{fields." + p.name + "}}" for p in f.parts),
        "collapsed": True,
        "fields": _parts(settings, spec, f),
    }


def _object(settings: Settings, spec: RecordSpec, f: FieldSpec) -> Widget:
    return {"widget": "object", "collapsed": True, "fields": _parts(settings, spec, f)}


def _next_step(settings: Settings, spec: RecordSpec, f: FieldSpec) -> Widget:
    # a date and an action, or the one-line form: see `_time_log`
    return {"widget": "plaindesk-object", "parts": _parts(settings, spec, f)}


_Maker = Callable[[Settings, RecordSpec, FieldSpec], Widget]

#: value kind -> its widget. Kinds not here stay out of the form and are kept as written:
#: chat handles are one handle or a mapping of networks, which no one widget edits; an
#: outreach log's one-line entries leave out their channel at will, which the one-line
#: list widget (it splits by position) would misread.
_WIDGETS: dict[str, _Maker] = {
    "text": _string,
    "email": _string,
    "phone": _string,
    "url": _string,
    "date": _date,
    "duration": _string,
    "interval": _string,
    "hours": _number,
    "money": _string,
    "number": _number,
    "percent": _number,
    "bool": _bool,
    "choice": _choice,
    "ref": _relation,
    "refs": _relation,
    "tags": _tags,
    "channels": _tags,  # Apprise URLs, one per line
    "portal": _object,
    "metrics": _metrics,
    "time_log": _time_log,
    "next_step": _next_step,
}
#: kinds whose value is written in a form of its own: their hint shows an example
_HINTED = frozenset({"duration", "interval", "money", "phone"})
