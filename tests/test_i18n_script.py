"""scripts/i18n.py: adding a string to every catalogue and the template, for real, on a copy
of `builder/i18n/locale`."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from types import ModuleType

import pytest

from builder import i18n

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "i18n.py"
FILES = ("plaindesk.pot", *(f"{lang}/LC_MESSAGES/plaindesk.po" for lang in i18n.LOCALES))


@pytest.fixture
def tool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """The script, pointed at a copy of the catalogues (and so is the catalogue reader)."""
    spec = importlib.util.spec_from_file_location("i18n_script", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    locale = tmp_path / "locale"
    shutil.copytree(i18n.catalogue.LOCALE_DIR, locale)
    monkeypatch.setattr(module, "LOCALE_DIR", locale)
    monkeypatch.setattr(module, "TEMPLATE", locale / "plaindesk.pot")
    monkeypatch.setattr(i18n.catalogue, "LOCALE_DIR", locale)
    return module


def _files(folder: Path) -> dict[str, str]:
    return {name: (folder / name).read_text(encoding="utf-8") for name in FILES}


def _keys(text: str) -> list[str]:
    return [line[9:-1] for line in text.splitlines() if line.startswith("msgctxt ")]


def test_the_committed_files_are_as_the_script_writes_them(tool: ModuleType) -> None:
    before = _files(tool.LOCALE_DIR)
    assert tool.main(["pot"]) == 0
    for lang in i18n.LOCALES:
        tool.save(tool.load(tool.po_path(lang)), tool.po_path(lang))
    assert _files(tool.LOCALE_DIR) == before


def test_add_a_plain_string_after_its_area(tool: ModuleType) -> None:
    before = _files(tool.LOCALE_DIR)
    args = ["board.archived", "--en", "Archived", "--ru", "В архиве", "--uk", "В архіві"]
    assert tool.main(["add", *args, "--comment", "A board's archived column."]) == 0
    after = _files(tool.LOCALE_DIR)
    block = '#. A board\'s archived column.\nmsgctxt "board.archived"\nmsgid "Archived"\n'
    assert block + 'msgstr "В архиве"\n\n' in after["ru/LC_MESSAGES/plaindesk.po"]
    assert block + 'msgstr "В архіві"\n\n' in after["uk/LC_MESSAGES/plaindesk.po"]
    assert block + 'msgstr ""\n\n' in after["en/LC_MESSAGES/plaindesk.po"]
    assert block + 'msgstr ""\n\n' in after["plaindesk.pot"]
    for name in FILES:  # after the last board.* key, and nothing else changed
        old, new = _keys(before[name]), _keys(after[name])
        last_board = max(i for i, key in enumerate(old) if key.startswith("board."))
        assert new == [*old[: last_board + 1], "board.archived", *old[last_board + 1 :]]
        entry = after[name][after[name].index(block) :].split("\n\n")[0] + "\n\n"
        assert after[name].replace(entry, "", 1) == before[name]
    assert (i18n.catalogue.read("uk").messages["board.archived"]) == "В архіві"


def test_add_a_counted_string_with_each_languages_forms(tool: ModuleType) -> None:
    args = ["board.cards_n", "--en", "{n} card", "{n} cards", "--after", "nav.boards"]
    args += ["--ru", "{n} карточка", "{n} карточки", "{n} карточек"]
    args += ["--uk", "{n} картка", "{n} картки", "{n} карток"]
    assert tool.main(["add", *args]) == 0
    after = _files(tool.LOCALE_DIR)
    head = '#, python-brace-format\nmsgctxt "board.cards_n"\nmsgid "{n} card"\n'
    head += 'msgid_plural "{n} cards"\n'
    assert head + 'msgstr[0] ""\nmsgstr[1] ""\n\n' in after["plaindesk.pot"]
    assert head + 'msgstr[0] ""\nmsgstr[1] ""\n\n' in after["en/LC_MESSAGES/plaindesk.po"]
    ru = 'msgstr[0] "{n} карточка"\nmsgstr[1] "{n} карточки"\nmsgstr[2] "{n} карточек"\n'
    assert head + ru in after["ru/LC_MESSAGES/plaindesk.po"]
    assert _keys(after["plaindesk.pot"])[:3] == ["nav.dashboard", "nav.boards", "board.cards_n"]
    ru_catalogue = i18n.catalogue.read("ru")
    forms = {n: ru_catalogue.plural(n) for n in (1, 3, 5, 21)}
    assert forms == {1: 0, 3: 1, 5: 2, 21: 0}
    assert i18n.catalogue.read("en").messages["board.cards_n"] == ("{n} card", "{n} cards")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["x.y", "--en", "{n} a", "{n} b", "--ru", "a", "b", "--uk", "a", "b", "c"],
            "error: --ru takes 3 plural forms, got 2",
        ),
        (["x.y", "--en", "A", "--ru", "a", "b", "--uk", "a"], "error: --ru takes one text, got 2"),
        (
            ["nav.boards", "--en", "B", "--ru", "Б", "--uk", "Б"],
            "error: nav.boards is already in en (use --replace)",
        ),
        (
            ["x.y", "--en", "A", "--ru", "a", "--uk", "a", "--replace"],
            "error: x.y is not in en; nothing to replace",
        ),
        (["x.y", "--en", "A", "--ru", "a", "--uk", "a", "--after", "no.key"], "no such key"),
    ],
)
def test_a_bad_add_says_why_and_writes_nothing(
    tool: ModuleType, args: list[str], message: str
) -> None:
    before = _files(tool.LOCALE_DIR)
    with pytest.raises(SystemExit) as stop:
        tool.main(["add", *args])
    assert message in str(stop.value.code)
    assert _files(tool.LOCALE_DIR) == before


def test_replace_changes_the_texts_in_place_and_keeps_the_comments(tool: ModuleType) -> None:
    before = _keys(_files(tool.LOCALE_DIR)["ru/LC_MESSAGES/plaindesk.po"])
    args = ["nav.boards", "--en", "Kanban", "--ru", "Канбан", "--uk", "Канбан", "--replace"]
    assert tool.main(["add", *args]) == 0
    after = _files(tool.LOCALE_DIR)
    assert _keys(after["ru/LC_MESSAGES/plaindesk.po"]) == before
    assert (
        'msgctxt "nav.boards"\nmsgid "Kanban"\nmsgstr "Канбан"\n'
        in after["uk/LC_MESSAGES/plaindesk.po"]
    )
    assert 'msgctxt "nav.boards"\nmsgid "Kanban"\nmsgstr ""\n' in after["plaindesk.pot"]
    args = ["history.kind.task", "--en", "card", "--ru", "карточку", "--uk", "картку", "--replace"]
    assert tool.main(["add", *args]) == 0
    kind = "#. A record kind as the object of a feed sentence (accusative in ru/uk).\n"
    kind += 'msgctxt "history.kind.task"\nmsgid "card"\nmsgstr "карточку"\n'
    assert kind in _files(tool.LOCALE_DIR)["ru/LC_MESSAGES/plaindesk.po"]
