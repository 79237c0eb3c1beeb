"""`plaindesk import` and `plaindesk export`: real sample exports (tests/data/exchange) into
an empty workspace and into the demo, sheets in three languages, duplicates, bad files, the
round trip through vCard, CSV injection, and the JSON export against its schema."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from builder.cli import cli
from builder.pipeline import run_check

DATA = Path(__file__).parent / "data" / "exchange"
DEMO = Path(__file__).parent.parent / "content"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    assert run("init", tmp_path / "new", "--no-git").exit_code == 0
    return tmp_path / "new" / "content"


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    shutil.copytree(DEMO, tmp_path / "demo")
    return tmp_path / "demo"


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


SAMPLES = [
    ("vcard", "vcard-John_Doe_IPHONE.vcf", ()),
    ("vcard", "vcard-John_Doe_ANDROID.vcf", ()),
    ("vcard", "vcard-gmail-list.vcf", ()),
    ("vcard", "vcard-outlook-2007.vcf", ()),
    ("vcard", "vcard-rfc6350-example.vcf", ()),
    ("google-contacts", "google-contacts.csv", ()),
    ("google-contacts", "outlook-contacts.csv", ()),
    ("trello", "trello-simple-project-board.json", ("--company", "COMPANY")),
    ("trello", "trello-productivity-workflow.json", ("--company", "COMPANY")),
]


@pytest.mark.parametrize(("fmt", "name", "more"), SAMPLES, ids=[s[1] for s in SAMPLES])
@pytest.mark.parametrize("where", ["empty", "demo"])
def test_sample_imports_check_clean(
    fmt: str, name: str, more: tuple[str, ...], where: str, request: pytest.FixtureRequest
) -> None:
    root: Path = request.getfixturevalue(where)
    company = "example-client" if where == "empty" else "finlo"
    args = [a.replace("COMPANY", company) for a in more]
    before = files(root)
    dry = run("import", fmt, DATA / name, "-w", root, *args)
    assert dry.exit_code == 0, dry.output
    assert "dry run: nothing written" in dry.output
    assert files(root) == before  # a dry run writes nothing
    done = run("import", fmt, DATA / name, "-w", root, "--write", *args)
    assert done.exit_code == 0, done.output
    assert files(root) != before
    assert run_check(root, None).errors == []
    again = run("import", fmt, DATA / name, "-w", root, *args)  # everything is known now
    if fmt != "trello":
        assert "new nothing" in again.output, again.output


def test_trello_board_becomes_a_workflow_a_project_and_tasks(empty: Path) -> None:
    result = run(
        "import",
        "trello",
        DATA / "trello-simple-project-board.json",
        "-w",
        empty,
        "--company",
        "example-client",
        "--write",
    )
    assert result.output.splitlines()[:4] == [
        "trello-simple-project-board.json: new 1 project, 9 tasks",
        "  projects: simple-project-board",
        "  tasks: add-what-youd-like-to-work-on-below, move-anything-ready-here, "
        "move-anything-that-is-actually-started-here, move-anything-from-doing-to-done-here, "
        "inspiration-for-a-card, wow-thats-a-nice-simple-project-board, "
        "setting-up-some-boards-and-stuff-for-the-trello2pekan-or-the, "
        "attachments-comments-too and 1 more",
        "  note: new workflow `simple-project-board` in workspace.yml: "
        "brainstorm -> todo -> doing -> done",
    ]
    assert "1 archived card left out" in result.output
    assert "members who are no person here (their cards get no assignee): Trello Sample User" in (
        result.output
    )
    task = empty / "tasks" / "a-card-with-two-checklists-this-could-look-weird-in-planka.md"
    assert task.read_text().split("---\n")[2] == (
        "### first checklist\n\n"
        "- [ ] first item of the first checklist\n"
        "- [ ] second item of the first checklist\n\n"
        "### second checklist\n\n"
        "- [ ] first item of the second checklist\n"
        "- [ ] second item of the second checklist\n"
        "- [x] another item of the second checklist\n"
    )
    labelled = (empty / "tasks" / "wow-thats-a-nice-simple-project-board.md").read_text()
    assert "tags: [label-without-color, green-label]" in labelled
    assert "status: todo" in labelled


def test_trello_lists_onto_an_existing_workflow(demo: Path) -> None:
    result = run(
        "import",
        "trello",
        DATA / "trello-productivity-workflow.json",
        "-w",
        demo,
        "--company",
        "finlo",
        "--workflow",
        "web",
        "--map",
        "Ideas To Try=queue",
        "--map",
        "#1 Priority for Today=accepted",
        "--map",
        "Upcoming Priorities=accepted",
        "--map",
        "In Progress=development",
        "--map",
        "Blocked=client-approval",
        "--map",
        "Done=released",
        "--write",
    )
    assert result.exit_code == 0, result.output
    assert "new workflow" not in result.output
    assert (demo / "workspace.yml").read_bytes() == (DEMO / "workspace.yml").read_bytes()
    assert run_check(demo, None).errors == []


SHEET_RU = (
    "Название;Компания;Стадия;Сумма;Дата закрытия;Ответственный;Источник\n"
    "Спонсорство сезона;Київська опера;Proposal;1 200,50 ₴;15.03.2026;anna;\n"
    "Сайт;Acme;won;$1,200;2026-04-01;Anna Kovalenko;referral\n"
    "Без стадии;Acme;;100;;;\n"
    "Плохая сумма;Acme;lead;много;;;\n"
)


def test_deals_sheet_in_russian_with_money_and_dates(empty: Path, tmp_path: Path) -> None:
    (empty / "people" / "anna.md").write_text("---\nname: Anna Kovalenko\n---\n")
    (empty / "companies" / "acme.md").write_text("---\nname: Acme\nkind: client\n---\n")
    settings = empty / "workspace.yml"
    settings.write_text(settings.read_text() + "  UAH: 0.024\n")
    sheet = tmp_path / "deals.csv"
    sheet.write_text(SHEET_RU, encoding="utf-8")
    result = run("import", "csv", sheet, "--type", "deals", "-w", empty, "--write")
    assert result.output.splitlines() == [
        "deals.csv: new 1 company, 2 deals",
        "  companies: kiivska-opera",
        "  deals: sponsorstvo-sezona, sait",
        "cannot use: 2",
        "  row 4: a new deal needs --stage (a stage of the deal's pipeline); give it on the "
        "command line, or run the command in a terminal without --no-input to be asked",
        "  row 5: column `Сумма`: `много` is not an amount of money",
        "written: 3 files",
    ]
    deal = (empty / "deals" / "sponsorstvo-sezona.md").read_text()
    assert "stage: proposal\n" in deal
    assert "amount: 1200.5 UAH\n" in deal
    assert "expected_close: 2026-03-15\n" in deal
    assert "owner: anna\n" in deal
    assert "amount: 1200 USD\n" in (empty / "deals" / "sait.md").read_text()
    assert run_check(empty, None).errors == []


def test_cp1251_csv_is_detected_and_read(empty: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "contacts.csv"
    sheet.write_bytes(
        "Ім'я;Пошта;Компанія\nОлена Шевчук;o@example.org;Укрінформ\n".encode("cp1251")
    )
    result = run("import", "csv", sheet, "-w", empty, "--write")
    assert result.exit_code == 0, result.output
    assert "  note: read as Windows-1251 text (the file is not UTF-8)" in result.output
    assert "name: Олена Шевчук\n" in (empty / "contacts" / "olena-shevchuk.md").read_text()


def test_formula_cells_are_text_never_run(empty: Path, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Name", "E-mail", "Position"])
    book.active.append(["Evil Row", "evil@example.org", "=cmd|' /C calc'!A0"])
    book.save(tmp_path / "book.xlsx")
    result = run("import", "xlsx", tmp_path / "book.xlsx", "-w", empty, "--write")
    assert result.exit_code == 0, result.output
    text = (empty / "contacts" / "evil-row.md").read_text()
    assert "position: =cmd|' /C calc'!A0\n" in text
    assert run_check(empty, None).errors == []
    out = run("export", "contacts", "-w", empty)
    rows = list(csv.reader(io.StringIO(out.output)))
    assert rows[0][:6] == ["Email", "First Name", "Last Name", "Name", "Company", "Position"]
    evil = next(r for r in rows if r[0] == "evil@example.org")
    assert evil[5] == "'=cmd|' /C calc'!A0"


BAD = [
    ("trello", "board.json", b'{"lists": [', "is not valid JSON (line 1, column 12"),
    ("trello", "board.json", b'{"name": "x"}', "is JSON but not a Trello board export"),
    ("csv", "c.csv", b"", "is empty: there is nothing to import"),
    ("csv", "c.csv", b'{"lists": []}', "holds JSON, not a table"),
    ("vcard", "c.vcf", b"Name,Email\nA,a@b.c\n", "holds no vCard (no BEGIN:VCARD line)"),
    ("xlsx", "c.xlsx", b"Name,Email\n", "is not a readable .xlsx workbook"),
    ("google-contacts", "c.csv", b"Who,Where\nA,B\n", "is not a Google Contacts export"),
    ("csv", "c.csv", b"Who,Where\nA,B\n", "no column holds the contact's name"),
]


@pytest.mark.parametrize(("fmt", "name", "data", "said"), BAD, ids=[b[3][:30] for b in BAD])
def test_bad_files_say_why_and_write_nothing(
    empty: Path, tmp_path: Path, fmt: str, name: str, data: bytes, said: str
) -> None:
    (tmp_path / name).write_bytes(data)
    before = files(empty)
    result = CliRunner().invoke(
        cli,
        [
            "import",
            fmt,
            str(tmp_path / name),
            "-w",
            str(empty),
            "--write",
            "--company",
            "example-client",
        ],
    )
    assert result.exit_code == 2
    assert said in result.output
    assert result.output.startswith("error: ") and result.output.endswith("nothing written\n")
    assert files(empty) == before


def test_huge_file_is_refused(empty: Path, tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    with big.open("wb") as out:
        out.write(b"Name,Email\n")
        out.truncate(50 * 1024 * 1024)
    result = CliRunner().invoke(cli, ["import", "csv", str(big), "-w", str(empty)])
    assert result.exit_code == 2
    assert result.output == (
        f"error: {big} is 50.0 MB; imports read files up to 20 MB: split it, or check it is "
        "the right file; nothing written\n"
    )


def test_update_fills_only_empty_fields(empty: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "c.csv"
    sheet.write_text("Name,E-mail,Phone,Position\nJane Doe,jane@example.com,+1 202 555 0101,CEO\n")
    before = (empty / "contacts" / "jane-doe.md").read_text()
    result = run("import", "csv", sheet, "-w", empty, "--update", "--write")
    assert "  update contact jane-doe: fill phone" in result.output
    after = (empty / "contacts" / "jane-doe.md").read_text()
    assert after == before.replace(
        "email: jane@example.com\n", "email: jane@example.com\nphone: +1 202 555 0101\n"
    )  # position was "Marketing director": kept


def test_vcard_round_trip_keeps_names_emails_phones_companies_tags(tmp_path: Path) -> None:
    out = tmp_path / "demo.vcf"
    assert run("export", "contacts", "--format", "vcard", "-w", DEMO, "-o", out).exit_code == 0
    assert run("init", tmp_path / "new", "--no-git").exit_code == 0
    root = tmp_path / "new" / "content"
    result = run("import", "vcard", out, "-w", root, "--write")
    assert result.exit_code == 0, result.output
    before = run_check(DEMO, None).workspace
    after = run_check(root, None).workspace
    assert run_check(root, None).errors == []

    def seen(ws: object, companies: dict[str, str]) -> set[tuple[object, ...]]:
        return {
            (c.name, c.email, c.phone, companies.get(c.company or "", ""), tuple(c.tags))
            for c in ws.contacts.values()  # type: ignore[attr-defined]
            if c.id != "jane-doe"  # the new workspace's own
        }

    assert seen(after, {k: v.name for k, v in after.companies.items()}) == seen(
        before, {k: v.name for k, v in before.companies.items()}
    )


def test_export_csv_for_excel_and_xlsx(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["export", "deals", "--excel", "-w", str(DEMO)])
    assert result.stdout_bytes.startswith("\ufeffID;Title;Company;".encode())
    assert (
        run("export", "time", "--format", "xlsx", "-w", DEMO, "-o", tmp_path / "t.xlsx").exit_code
        == 0
    )
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "t.xlsx").active
    assert [c.value for c in sheet[1]] == ["Date", "Person", "Project", "Task", "Hours", "Note"]
    assert sheet.max_row > 10


def test_contacts_with_consent_and_tag(tmp_path: Path) -> None:
    result = run("export", "contacts", "--consent", "--tag", "journalist", "-w", DEMO)
    rows = list(csv.DictReader(io.StringIO(result.output)))
    ws = run_check(DEMO, None).workspace
    wanted = sorted(
        c.email for c in ws.contacts.values() if c.consent and "journalist" in c.tags and c.email
    )
    assert sorted(r["Email"] for r in rows) == wanted and wanted


def test_json_export_validates_against_its_schema(tmp_path: Path) -> None:
    import jsonschema

    from builder.exchange.jsondump import json_schema

    schema_file = Path(__file__).parent.parent / "docs" / "export-schema.json"
    assert json.loads(schema_file.read_text()) == json_schema(), (
        "docs/export-schema.json is stale: plaindesk export schema -o docs/export-schema.json"
    )
    data = json.loads(run("export", "json", "-w", DEMO).output)
    jsonschema.Draft202012Validator.check_schema(json_schema())
    jsonschema.validate(data, json_schema(), format_checker=jsonschema.FormatChecker())
    assert (data["format"], data["version"]) == ("plaindesk", 1)
    assert len(data["contacts"]) == len(run_check(DEMO, None).workspace.contacts)
    data["deals"][0]["amount"] = 12000  # not the documented shape
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, json_schema())
