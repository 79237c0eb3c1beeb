"""The portal's UI strings (`portal.*`): all used, and used in every locale (that each is
translated into en, ru and uk, tests/test_i18n.py checks for every key)."""

from __future__ import annotations

import re
import string
from pathlib import Path
from typing import get_args

from portal_cases import CANARY_FILES, SECRET, B, MakeWorkspace

from builder.i18n import LOCALES, keys, t, tn
from builder.pipeline import run_check
from builder.portal import build_portals, render
from builder.portal.render import THEME_DIR
from builder.portal.view import PHASES, SHOWN_STATUSES, DoneFrom


def _text(locale: str, key: str) -> str:
    try:
        return t(locale, key)
    except TypeError:  # a counted message: its form for 5
        return tn(locale, key, 5)


PORTAL = {
    key: {locale: _text(locale, key) for locale in LOCALES}
    for key in keys()
    if key[:7] == "portal."
}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_the_templates_use_exists_and_every_key_is_used() -> None:
    files = [*sorted(THEME_DIR.glob("*.html")), Path(render.__file__)]
    source = "".join(p.read_text(encoding="utf-8") for p in files)
    literal = set(re.findall(r"""["'](portal\.[a-z_.-]*[a-z_-])["']""", source)) - {
        "portal.css",
        "portal.js",
    }
    assert 't("portal.phase." ~ ' in source and 't("portal.status." ~ ' in source
    assert 'tn("portal.done_note." ~ view.done_from' in source
    dynamic = {f"portal.phase.{p}" for p in PHASES} | {f"portal.status.{s}" for s in SHOWN_STATUSES}
    dynamic |= {f"portal.done_note.{source}" for source in get_args(DoneFrom)}
    assert literal - set(PORTAL) == set()
    assert set(PORTAL) == literal | dynamic


def test_a_russian_page_has_no_english_ui_text(
    tmp_path: Path, make_workspace: MakeWorkspace
) -> None:
    result = run_check(make_workspace(tmp_path, CANARY_FILES))
    (bundle,) = [b for b in build_portals(result, tmp_path / "out", SECRET) if b.company_id == B]
    page = (bundle.directory / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ru">' in page
    plain = {k: v for k, v in PORTAL.items() if not _fields(v["en"])}
    english = [v["en"] for v in plain.values() if v["en"] != v["ru"] and f">{v['en']}<" in page]
    assert english == []
    for key in ("portal.heading", "portal.manager", "portal.section.work", "portal.print"):
        assert f">{PORTAL[key]['ru']}<" in page, key
