"""A Trello board's JSON export (Board menu -> Print, export and share -> Export as JSON)
as a project: its lists become a workflow's columns (a new workflow written into
`workspace.yml`, or the columns of an existing one with `--workflow` and `--map
"List=column"`), its cards the project's tasks (title, description as the body, checklists
as Markdown checklists under it, due date, labels as tags, members as the assignee and
participants when they match a person by name, username or e-mail). Archived cards and the
cards of archived lists are left out and counted, or with `--archived` imported with the
tag `archived`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from builder.edit.desk import Desk, EditError
from builder.edit.plan import FileChange
from builder.exchange import values as cells
from builder.exchange.plan import ImportPlan, Incoming, Planner, Skipped
from builder.exchange.source import BadFile, decode, read_file
from builder.load.files import SETTINGS_FILE

if TYPE_CHECKING:
    from builder.exchange.importer import Options

ARCHIVED = "archived"


def read_board(path: Path) -> dict[str, Any]:
    """The board's JSON; raises BadFile when the file is not a Trello board export."""
    text = decode(read_file(path), path).text
    try:
        board = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadFile(
            f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            "export the board again"
        ) from None
    if (
        not isinstance(board, dict)
        or not isinstance(board.get("lists"), list)
        or not isinstance(board.get("cards"), list)
    ):
        raise BadFile(f"{path} is JSON but not a Trello board export (no `lists` and `cards`)")
    return board


def plan(desk: Desk, path: Path, options: Options, region: str | None) -> ImportPlan:
    """The plan of importing a board into a project."""
    board = read_board(path)
    planner = Planner(desk, region, False, options.company_kind)
    result = planner.result
    lists = [item for item in board["lists"] if isinstance(item, dict)]
    columns, changes = _columns(desk, board, lists, options, result)
    project = _project(desk, board, options, planner, columns[1] if columns else None)
    people = _people(planner, board, result)
    labels = {
        str(lab.get("id")): _tag(lab) for lab in board.get("labels", []) if isinstance(lab, dict)
    }
    checklists = {str(c.get("id")): c for c in board.get("checklists", []) if isinstance(c, dict)}
    open_lists = {str(item.get("id")): item for item in lists}
    left_out = 0
    for n, card in enumerate(_cards(board), 1):
        where = f"card {n} ({card.get('name', '')!s:.40})"
        column = columns[0].get(str(card.get("idList")))
        archived = bool(card.get("closed")) or bool(
            open_lists.get(str(card.get("idList")), {}).get("closed")
        )
        if archived and not options.archived:
            left_out += 1
            continue
        if column is None:
            result.skipped.append(Skipped(where, "its list is mapped onto no column"))
            continue
        item = _task(desk, card, where, project, column, people, labels, checklists)
        if archived:
            tags = item.values.get("tags")
            item.values["tags"] = [*(tags if isinstance(tags, list) else []), ARCHIVED]
        planner.add(item)
    if left_out:
        result.notes.append(
            f"{left_out} archived card{'s' if left_out != 1 else ''} left out "
            "(--archived imports them, tagged `archived`)"
        )
    result.changes[:0] = changes
    return result


def _cards(board: dict[str, Any]) -> Iterator[dict[str, Any]]:
    cards = [c for c in board["cards"] if isinstance(c, dict)]
    yield from sorted(cards, key=lambda c: (float(c.get("pos") or 0), str(c.get("id"))))


def _tag(label: dict[str, Any]) -> str:
    return cells.name_key(str(label.get("name") or label.get("color") or "")).replace(" ", "-")


def _columns(
    desk: Desk,
    board: dict[str, Any],
    lists: list[dict[str, Any]],
    options: Options,
    result: ImportPlan,
) -> tuple[tuple[dict[str, str], str], list[FileChange]]:
    """(list id -> column id, workflow id) and the change to workspace.yml, if any."""
    from slugify import slugify

    lists = sorted(lists, key=lambda item: float(item.get("pos") or 0))
    kept = [item for item in lists if options.archived or not item.get("closed")]
    if options.workflow:
        flow = desk.settings.workflows.get(options.workflow)
        if flow is None:
            raise BadFile(
                f"--workflow {options.workflow}: no such workflow; there are: "
                + ", ".join(desk.settings.workflows)
            )
        wanted = {cells.name_key(k): v for k, v in options.maps.items()}
        by_name = {cells.name_key(c.name): c.id for c in flow.columns}
        by_name.update({cells.name_key(c.id): c.id for c in flow.columns})
        mapping = {}
        for item in kept:
            key = cells.name_key(str(item.get("name", "")))
            target = wanted.get(key) or by_name.get(key)
            if target is not None and target not in flow.column_ids:
                raise BadFile(
                    f'--map "{item.get("name")}={target}": `{target}` is no column '
                    f"of workflow {flow.id}: " + ", ".join(flow.column_ids)
                )
            if target is None:
                result.notes.append(
                    f"list `{item.get('name')}` matches no column of workflow {flow.id}; "
                    f'its cards are left out (--map "{item.get("name")}=COLUMN")'
                )
                continue
            mapping[str(item.get("id"))] = target
        return (mapping, flow.id), []
    if not kept:
        raise BadFile("the board has no lists: there is nothing to import")
    ids: dict[str, str] = {}
    used: set[str] = set()
    lines = []
    for item in kept:
        base = slugify(str(item.get("name", "")), max_length=40) or "column"
        ident, n = base, 2
        while ident in used:
            ident, n = f"{base}-{n}", n + 1
        used.add(ident)
        ids[str(item.get("id"))] = ident
        lines.append((ident, " ".join(str(item.get("name", "")).split()) or ident))
    name = str(board.get("name") or "trello")
    flow_id, n = slugify(name, max_length=40) or "trello", 2
    base = flow_id
    while flow_id in desk.settings.workflows:
        flow_id, n = f"{base}-{n}", n + 1
    change = _settings_change(desk, flow_id, name, lines)
    result.notes.append(
        f"new workflow `{flow_id}` in {SETTINGS_FILE}: " + " -> ".join(i for i, _ in lines)
    )
    return (ids, flow_id), [change]


def _settings_change(
    desk: Desk, flow_id: str, name: str, columns: list[tuple[str, str]]
) -> FileChange:
    """workspace.yml with the new workflow added at the end of `workflows:` (or a new
    `workflows:` at the end of the file), every other byte as it was."""
    import yaml

    from builder.edit.render import flow
    from builder.edit.source import Change, Source
    from builder.load.yamltree import Mapping, parse
    from builder.validate.settings import read_settings

    path = desk.root / SETTINGS_FILE
    before = path.read_bytes() if path.exists() else b""
    source = Source(before)
    text = source.text
    entry = _workflow(
        flow_id, f"  # from the Trello board {flow(name)}", columns, columns[0][0], columns[-1][0]
    )
    node = yaml.compose(text) if text.strip() else None
    value = None
    if isinstance(node, yaml.MappingNode):
        value = next((v for k, v in node.value if k.value == "workflows"), None)
    if value is None:
        lead = "" if not text or text.endswith("\n") else "\n"
        # the workflows the workspace has by default stay: its tasks are in them
        implicit = "".join(
            _workflow(
                w.id,
                "",
                [(c.id, c.name) for c in w.columns],
                w.backlog,
                w.done,
                {c.id: c.wip for c in w.columns},
            )
            for w in desk.settings.workflows.values()
        )
        change = Change(len(text), len(text), f"{lead}workflows:\n{implicit}{entry}")
    elif isinstance(value, yaml.MappingNode) and not value.flow_style:
        # after the last line of the block, before the blank lines that end it
        last = len(text[: value.end_mark.index].rstrip())
        at = text.find("\n", last) + 1 or len(text)
        change = Change(at, at, entry if text[at - 1 : at] == "\n" else "\n" + entry)
    else:
        raise EditError(
            f"{SETTINGS_FILE}: `workflows:` is not written one workflow a line; add the "
            "board's workflow by hand, then import with --workflow ID"
        )
    after = source.apply([change])
    root = parse(Source(after).text).root
    settings, problems = read_settings(root if isinstance(root, Mapping) else None, SETTINGS_FILE)
    if any(p.is_error for p in problems):  # pragma: no cover - a bug if it happens
        raise EditError(
            f"the new workflow would make {SETTINGS_FILE} invalid: {problems[0].message}"
        )
    # the tasks planned next are checked against the new workflow
    desk.settings.workflows[flow_id] = settings.workflows[flow_id]
    return FileChange(SETTINGS_FILE, before if path.exists() else None, after)


def _workflow(
    ident: str,
    comment: str,
    columns: list[tuple[str, str]],
    backlog: str,
    done: str,
    wip: dict[str, int | None] | None = None,
) -> str:
    """One workflow as `workspace.yml` writes it, a column a line."""
    from builder.edit.render import flow

    lines = []
    for column, title in columns:
        item: dict[str, object] = {"id": column, "name": title}
        if wip and wip.get(column):
            item["wip"] = str(wip[column])
        lines.append(f"      - {flow(item)}\n")
    return (
        f"  {ident}:{comment}\n    columns:\n{''.join(lines)}"
        f"    backlog: {backlog}\n    done: {done}\n"
    )


def _project(
    desk: Desk,
    board: dict[str, Any],
    options: Options,
    planner: Planner,
    flow_id: str | None,
) -> str:
    """The project the cards go to: --project, or a new one named after the board."""
    if options.project:
        if options.project not in desk.ids("project"):
            raise BadFile(f"--project {options.project}: no such project")
        return options.project
    name = " ".join(str(board.get("name") or "Trello board").split())
    existing = planner.find("project", name)
    if existing:
        raise BadFile(
            f"a project named `{name}` exists ({existing}); import with --project {existing} "
            "to add the cards to it"
        )
    company = options.company
    if company is None or company not in desk.ids("company"):
        known = ", ".join(sorted(desk.ids("company"))[:10])
        said = f"--company {company}: no such company" if company else "give --company ID"
        raise BadFile(f"a project needs a client company: {said} (companies: {known})")
    values: dict[str, object] = {"name": name, "company": company}
    if flow_id:
        values["workflow"] = flow_id
    desc = str(board.get("desc") or "").strip()
    ident = planner.create(Incoming("project", "the board", values, desc))
    if ident is None:
        raise BadFile("the board cannot become a project: " + planner.result.skipped[-1].why)
    return ident


def _people(planner: Planner, board: dict[str, Any], result: ImportPlan) -> dict[str, str]:
    """Trello member id -> person id, for members that match a person; the others noted."""
    out = {}
    missing = []
    for m in board.get("members", []):
        if not isinstance(m, dict):
            continue
        found = None
        for key in ("email", "fullName", "username"):
            if m.get(key):
                found = found or planner.find("person", str(m[key]))
        if found:
            out[str(m.get("id"))] = found
        else:
            missing.append(str(m.get("fullName") or m.get("username") or m.get("id")))
    if missing:
        result.notes.append(
            "members who are no person here (their cards get no assignee): " + ", ".join(missing)
        )
    return out


def _task(
    desk: Desk,
    card: dict[str, Any],
    where: str,
    project: str,
    column: str,
    people: dict[str, str],
    labels: dict[str, str],
    checklists: dict[str, dict[str, Any]],
) -> Incoming:
    members = [people[m] for m in card.get("idMembers", []) if m in people]
    tags = [labels[i] for i in card.get("idLabels", []) if labels.get(i)]
    values: dict[str, object] = {
        "title": " ".join(str(card.get("name", "")).split()),
        "project": project,
        "status": column,
    }
    if members:
        values["assignee"] = members[0]
    if members[1:]:
        values["participants"] = members[1:]
    if tags:
        values["tags"] = list(dict.fromkeys(tags))
    if card.get("due"):
        try:
            due = datetime.fromisoformat(str(card["due"]).replace("Z", "+00:00"))
            values["due"] = due.astimezone(ZoneInfo(desk.settings.timezone)).date().isoformat()
        except ValueError:
            pass
    body = [str(card.get("desc") or "").strip()]
    for ident in card.get("idChecklists", []):
        checklist = checklists.get(str(ident))
        if checklist is None:
            continue
        items = sorted(
            (i for i in checklist.get("checkItems", []) if isinstance(i, dict)),
            key=lambda i: float(i.get("pos") or 0),
        )
        lines = [f"### {checklist.get('name') or 'Checklist'}", ""] + [
            f"- [{'x' if i.get('state') == 'complete' else ' '}] "
            + " ".join(str(i.get("name", "")).split())
            for i in items
        ]
        body.append("\n".join(lines))
    return Incoming("task", where, values, "\n\n".join(b for b in body if b))
