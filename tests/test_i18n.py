"""The UI strings' gettext catalogues: complete in en, ru and uk with the same placeholders
and the plural forms each language needs, in step with the template, read lazily; and the
lookups `t` and `tn`."""

from __future__ import annotations

import re
import shutil
import string
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po
from conftest import make_workspace

from builder import i18n
from builder.history.flow import StuckCard
from builder.i18n import LOCALES, keys, strings, t, tn
from builder.i18n.catalogue import Catalogue
from builder.pipeline import run_check
from builder.render.pages import SiteOptions, render_pages
from builder.views.activity import _stuck_views
from builder.views.common import Fmt
from builder.views.derived import derive
from builder.views.paging import Limits

LOCALE_DIR = i18n.catalogue.LOCALE_DIR
TEMPLATE = LOCALE_DIR / "plaindesk.pot"


def po(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / "plaindesk.po"


def load(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, abort_invalid=True)


CATALOGS: dict[str, Catalog] = {locale: load(po(locale)) for locale in LOCALES}
MESSAGES: dict[str, dict[str, Message]] = {
    locale: {m.context: m for m in c if m.id and m.context is not None}
    for locale, c in CATALOGS.items()
}
LOADED = {locale: i18n.catalogue.read(locale) for locale in LOCALES}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _forms(value: object) -> list[str]:
    return list(value) if isinstance(value, (tuple, list)) else [str(value)]


def test_the_catalogues_hold_the_ui_strings() -> None:
    assert len(keys()) > 250
    assert t("uk", "nav.dashboard") == "Зведення"
    assert t("en", "portal.page_title", company="Acme") == "Acme — project status"


@pytest.mark.parametrize("key", sorted(MESSAGES["en"]))
def test_every_ui_string_in_every_language_with_the_same_placeholders(key: str) -> None:
    en = MESSAGES["en"][key]
    texts = [*_forms(en.id)]
    assert all(not form for form in _forms(en.string)), "en leaves msgstr empty: msgid is it"
    for locale in ("ru", "uk"):
        message = MESSAGES[locale][key]
        assert message.id == en.id, f"{locale}'s msgid differs from the English text"
        assert not message.fuzzy
        texts += _forms(message.string)
    assert all(text.strip() for text in texts)
    assert {frozenset(_fields(text)) for text in texts} == {frozenset(_fields(texts[0]))}
    # the loader gives every language its own text, never the English fallback
    assert all(key in LOADED[locale].messages for locale in LOCALES)


@pytest.mark.parametrize("locale", LOCALES)
def test_plural_forms_are_babels_and_each_counted_message_has_them_all(locale: str) -> None:
    catalog = CATALOGS[locale]
    rule = get_plural(locale)
    assert str(catalog.locale) == locale
    assert (catalog.num_plurals, catalog.plural_expr) == (rule.num_plurals, rule.plural_expr)
    counted = [m for m in MESSAGES[locale].values() if isinstance(m.id, tuple)]
    assert len(counted) >= 5
    for message in counted:
        assert isinstance(message.id, tuple | list) and len(message.id) == 2, message.context
        assert isinstance(message.string, tuple | list), message.context
        assert len(message.string) == rule.num_plurals, message.context


def test_the_template_lists_exactly_the_catalogues_keys_and_english_texts() -> None:
    template = load(TEMPLATE)
    entries = [(m.context, m.id, m.auto_comments) for m in template if m.id]
    assert all(not any(_forms(m.string)) for m in template if m.id)
    for catalog in CATALOGS.values():
        assert [(m.context, m.id, m.auto_comments) for m in catalog if m.id] == entries


@pytest.mark.parametrize("path", [TEMPLATE, *(po(locale) for locale in LOCALES)], ids=str)
def test_no_message_is_fuzzy_obsolete_keyless_or_taken_for_a_percent_format(path: Path) -> None:
    catalog = load(path)
    messages = [m for m in catalog if m.id]
    assert not catalog.obsolete
    assert all(m.context for m in messages)
    assert len({m.context for m in messages}) == len(messages)
    assert [m.context for m in messages if m.fuzzy] == []
    # a `%` before a letter makes Babel flag python-format, which Poedit would enforce
    assert [m.context for m in messages if "python-format" in m.flags] == []


@pytest.mark.parametrize(
    ("locale", "forms"),
    [
        ("en", {0: "+ 0 more done", 1: "+ 1 more done", 2: "+ 2 more done"}),
        (
            "ru",
            {
                1: "и ещё 1 готовая",
                2: "и ещё 2 готовых",
                5: "и ещё 5 готовых",
                11: "и ещё 11 готовых",
                21: "и ещё 21 готовая",
                22: "и ещё 22 готовых",
                111: "и ещё 111 готовых",
            },
        ),
        ("uk", {1: "і ще 1 готова", 3: "і ще 3 готових", 31: "і ще 31 готова"}),
    ],
)
def test_tn_picks_the_plural_form_for_the_count(locale: str, forms: dict[int, str]) -> None:
    assert {n: tn(locale, "board.more_done", n) for n in forms} == forms


@pytest.mark.parametrize(
    ("locale", "forms"),
    [
        ("en", {1: "1 project", 2: "2 projects", 21: "21 projects"}),
        ("ru", {1: "1 проект", 3: "3 проекта", 5: "5 проектов", 21: "21 проект"}),
        ("uk", {1: "1 проєкт", 4: "4 проєкти", 11: "11 проєктів", 22: "22 проєкти"}),
    ],
)
def test_paged_lists_count_in_the_plural_form_of_their_number(
    locale: str, forms: dict[int, str]
) -> None:
    assert {n: tn(locale, "board.lanes_projects_n", n) for n in forms} == forms
    five = {"en": "+ 5 more done cards in the archive", "ru": "и ещё 5 готовых карточек в архиве"}
    five["uk"] = "і ще 5 готових карток в архіві"
    assert tn(locale, "board.in_archive", 5) == five[locale]


def test_tn_formats_other_values_and_en_has_one_and_other() -> None:
    assert [tn("en", "board.tasks_n", n) for n in (0, 1, 2)] == ["0 tasks", "1 task", "2 tasks"]
    assert [tn("en", "history.flow.cycle_time", n) for n in (1, 30)] == [
        "Cycle time, last 1 day",
        "Cycle time, last 30 days",
    ]
    assert tn("ru", "history.flow.cycle_time", 21) == "Время цикла, последний 21 дн."
    assert tn("en", "board.more_done", 3, unused="x") == "+ 3 more done"


def test_a_counted_message_takes_the_form_its_plural_rule_picks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "locale" / "ru" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    header = po("ru").read_text(encoding="utf-8").split("\n\n")[0]
    messages = (
        'msgctxt "x.cards_n"\nmsgid "{n} card"\nmsgid_plural "{n} cards"\n'
        'msgstr[0] "{n} карточка в {where}"\nmsgstr[1] "{n} карточки в {where}"\n'
        'msgstr[2] "{n} карточек в {where}"\n\nmsgctxt "x.plain"\nmsgid "Plain"\nmsgstr "Просто"\n'
    )
    (folder / "plaindesk.po").write_text(f"{header}\n\n{messages}", encoding="utf-8")
    monkeypatch.setattr(i18n.catalogue, "LOCALE_DIR", tmp_path / "locale")
    ru = i18n.catalogue.read("ru")
    assert ru.messages["x.cards_n"] == tuple(
        f"{{n}} {w} в {{where}}" for w in ("карточка", "карточки", "карточек")
    )
    monkeypatch.setattr(i18n, "_catalogue", lambda locale: ru)
    counts = {n: tn("ru", "x.cards_n", n, where="X") for n in (0, 1, 3, 5, 11, 21, 22, 111)}
    assert counts == {
        0: "0 карточек в X",
        1: "1 карточка в X",
        3: "3 карточки в X",
        5: "5 карточек в X",
        11: "11 карточек в X",
        21: "21 карточка в X",
        22: "22 карточки в X",
        111: "111 карточек в X",
    }
    with pytest.raises(TypeError, match=r"x.cards_n is a counted message: .* tn\(\)"):
        t("ru", "x.cards_n")
    with pytest.raises(TypeError, match=r"x.plain is not a counted message: .* t\(\)"):
        tn("ru", "x.plain", 2)


def test_a_locale_without_the_key_or_unknown_gets_english(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert t("de", "nav.boards") == "Boards"
    assert tn("de", "board.tasks_n", 1) == "1 task"
    english = LOADED["en"]
    partial = Catalogue("ru", {"nav.boards": "Доски"}, lambda n: 0)
    monkeypatch.setattr(i18n, "_catalogue", lambda locale: partial if locale == "ru" else english)
    assert (t("ru", "nav.boards"), t("ru", "nav.people")) == ("Доски", "People")
    assert tn("ru", "board.tasks_n", 1) == "1 task"  # English forms by the English rule


def test_page_strings_give_every_key_and_a_counted_messages_last_form() -> None:
    en, ru = strings("en"), strings("ru")
    assert set(en) == set(ru) == set(keys())
    assert (en["nav.boards"], ru["nav.boards"]) == ("Boards", "Доски")
    # what a template written before the string was counted fills in itself
    assert en["board.more_done"] == "+ {n} more done"
    assert ru["board.more_done"] == "и ещё {n} готовых"
    assert ru["board.tasks_n"] == "{n}"


def test_a_fuzzy_or_empty_translation_counts_as_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "locale" / "ru" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    text = po("ru").read_text(encoding="utf-8")
    text = text.replace('msgctxt "nav.boards"', '#, fuzzy\nmsgctxt "nav.boards"')
    text = text.replace('msgstr "Команда"', 'msgstr ""', 1)
    (folder / "plaindesk.po").write_text(text, encoding="utf-8")
    monkeypatch.setattr(i18n.catalogue, "LOCALE_DIR", tmp_path / "locale")
    messages = i18n.catalogue.read("ru").messages
    assert "nav.boards" not in messages and "nav.people" not in messages
    assert messages["nav.funnels"] == "Воронки"


def test_a_broken_catalogue_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "locale" / "ru" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "plaindesk.po").write_text('msgctxt "a"\nmsgid "A"\n')  # no msgstr
    monkeypatch.setattr(i18n.catalogue, "LOCALE_DIR", tmp_path / "locale")
    with pytest.raises(i18n.catalogue.CatalogueError, match="cannot read the ru UI strings"):
        i18n.catalogue.read("ru")
    with pytest.raises(i18n.catalogue.CatalogueError, match="cannot read the uk UI strings"):
        i18n.catalogue.read("uk")


def test_importing_the_package_reads_no_catalogue() -> None:
    code = (
        "import sys, builder.i18n as i\n"
        "print('babel.messages' in sys.modules, i._catalogue.cache_info().currsize)\n"
        "i.t('ru', 'nav.boards')\n"
        "print('babel.messages' in sys.modules, i._catalogue.cache_info().currsize)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "0", "True", "1"]


@pytest.mark.parametrize(
    ("locale", "reason"),
    [
        ("en", "5 days in Doing (85% of cards move on within 3 days)"),
        ("ru", "5 дней в колонке Doing (85% карточек уходят дальше за 3 дня)"),
        ("uk", "5 днів у колонці Doing (85% карток рухаються далі за 3 дні)"),
    ],
)
def test_the_stuck_reason_names_the_percentile(locale: str, reason: str) -> None:
    # the catalogues spell the share as {share}: a literal "85% of" reads as a %-format
    card = StuckCard("t1", "doing", "Doing", datetime(2026, 3, 10), 5.0, 3.0, "p85")
    ws = SimpleNamespace(tasks={})
    (view,) = _stuck_views(ws, Fmt(locale, "USD"), [card])  # type: ignore[arg-type]
    assert view.reason == reason


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")
@pytest.mark.parametrize("locale", LOCALES)
def test_gnu_msgfmt_accepts_each_catalogue(locale: str) -> None:
    # what Poedit runs on save: syntax, header, plural forms and python-brace-format fields
    done = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(po(locale))], capture_output=True, text=True
    )
    assert (done.returncode, done.stderr) == (0, "")


def _plural_workspace(locale: str) -> dict[str, str]:
    """Boards of 1 and 25 tasks (21 open, 4 done: a board of 3 done hides 1), and one
    warning."""
    files = {
        "workspace.yml": f"name: Counts\nlocale: {locale}\ntoday: 2026-03-16\n"
        "workflows:\n  web:\n    columns: [queue, doing, done]\n",
        "people/anna.md": "---\nname: Anna\n---\n",
        "companies/acme.md": "---\nname: Acme\nkind: client\n---\n",
        "projects/one.md": "---\nname: One\ncompany: acme\nworkflow: web\n---\n",
        "projects/many.md": "---\nname: Many\ncompany: acme\nworkflow: web\n---\n",
        "tasks/late.md": "---\ntitle: Late\nproject: one\nstatus: doing\nassignee: anna\n"
        "due: 2026-03-13\n---\n",
    }
    for i in range(25):
        status = "done" if i < 4 else "queue"
        files[f"tasks/t{i}.md"] = f"---\ntitle: T{i}\nproject: many\nstatus: {status}\n---\n"
    return files


def _texts(page: str, cls: str) -> list[str]:
    found = re.findall(rf'<p class="{cls}">(.*?)</p>', page)
    return [re.sub(r"<[^>]+>", "", text) for text in found]


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        (
            "en",
            [
                "1 open of 1 task · 1 overdue",
                "21 open of 25 tasks",
                "+ 1 more done card in the archive",
                "0 errors, 1 warning",
            ],
        ),
        (
            "ru",
            [
                "1 открытая из 1 · просрочено: 1",
                "21 открытая из 25",
                "и ещё 1 готовая карточка в архиве",
                "ошибок: 0, предупреждений: 1",
            ],
        ),
        (
            "uk",
            [
                "1 відкрита із 1 · прострочено: 1",
                "21 відкрита із 25",
                "і ще 1 готова картка в архіві",
                "помилок: 0, попереджень: 1",
            ],
        ),
    ],
)
def test_counts_on_the_pages_take_the_plural_form_of_their_number(
    tmp_path: Path, locale: str, expected: list[str]
) -> None:
    root = make_workspace(tmp_path, _plural_workspace(locale))
    result = run_check(root)
    assert [p.code for p in result.problems] == ["PD401"]
    ws = result.workspace
    options = SiteOptions(limits=Limits(board_done=3))
    pages = render_pages(ws, derive(ws), result.today, result.problems, options, "ws")
    one, many = (
        _texts(pages["boards/one.md"], "pd-summary"),
        _texts(pages["boards/many.md"], "pd-summary"),
    )
    more = _texts(pages["boards/many.md"], "pd-muted pd-more")
    dashboard = _texts(pages["index.md"], "pd-summary")[0].split(" · ")[-1]
    problems = _texts(pages["problems.md"], "pd-summary")
    assert [*one, *many, *more, dashboard] == expected
    assert problems == [expected[-1]]


@pytest.mark.parametrize("first", ["0", "-0"])
def test_a_memoised_format_tells_minus_zero_from_zero(first: str) -> None:
    """-0 equals 0 (one dictionary key) but is written with its sign: whichever comes
    first, each is formatted as Babel formats it."""
    from decimal import Decimal

    from builder.i18n import format_money, format_number

    order = [first, "0" if first == "-0" else "-0"]
    numbers = {v: format_number(Decimal(v), "en") for v in order}
    money = {v: format_money(Decimal(v), "USD", "en") for v in order}
    assert numbers == {"0": "0", "-0": "-0"}
    assert money == {"0": "$0", "-0": "-$0"}
