#!/usr/bin/env python3
"""Add or change a UI string in every gettext catalogue of `builder/i18n/locale/`.

    python scripts/i18n.py add KEY --en TEXT --ru TEXT --uk TEXT [--comment NOTE] [--after KEY]
    python scripts/i18n.py add KEY --en ONE OTHER --ru ONE FEW MANY --uk ONE FEW MANY
    python scripts/i18n.py add KEY ... --replace       # change the texts of an existing KEY
    python scripts/i18n.py pot                         # rewrite plaindesk.pot from en

`add` writes the message to `en`, `ru` and `uk` (`locale/<lang>/LC_MESSAGES/plaindesk.po`)
and to the template `locale/plaindesk.pot`: msgctxt is KEY, msgid the English text (the
English catalogue leaves msgstr empty, meaning "the msgid"), msgstr the translation. Give
one text per language for a plain message, or every plural form for a counted one (`tn`):
English has two forms (one, other), Russian and Ukrainian three (one, few, many), in the
order of their `Plural-Forms` header. A new key goes after the last key of its area (the
part before the first dot) unless `--after` says where.

To change the English text of a key, use `add KEY ... --replace`: the msgid is the same in
every file. After editing the `.po` files by hand or in Poedit, run `pot` so that the
template lists the English catalogue's messages again; `tests/test_i18n.py` checks that
every catalogue is complete and that the template agrees with it. Files are written by
Babel's `write_po`, so a round trip leaves them byte-identical.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from builder.i18n import LOCALES  # noqa: E402
from builder.i18n.catalogue import DOMAIN, SOURCE  # noqa: E402

# this repository's catalogues, whichever builder the environment has installed
LOCALE_DIR = REPO / "builder" / "i18n" / "locale"
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"


def po_path(locale: str) -> Path:
    """The catalogue of `locale`."""
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def load(path: Path) -> Catalog:
    """A catalogue as Babel reads it (invalid lines are an error, not skipped)."""
    with path.open("rb") as f:
        return read_po(f, abort_invalid=True)


def save(catalog: Catalog, path: Path) -> None:
    """Write `catalog` in Babel's layout (76 columns, no source locations)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_po(f, catalog, omit_header=False, include_previous=True)


def put(
    catalog: Catalog,
    key: str,
    msgid: str | tuple[str, str],
    msgstr: str | tuple[str, ...],
    comments: list[str],
    after: str | None,
    replace: bool,
) -> None:
    """Insert (or, with `replace`, overwrite in place) the message `key` of `catalog`.

    A replaced message keeps its comments unless new ones are given. Babel flags a message
    `python-brace-format` when its msgid has `{name}` fields, which makes Poedit and msgfmt
    check that a translation keeps them."""
    where = catalog.locale or "the template"
    messages = [m for m in catalog if m.id]
    keys = [m.context for m in messages]
    if key in keys and not replace:
        sys.exit(f"error: {key} is already in {where} (use --replace)")
    if key not in keys and replace:
        sys.exit(f"error: {key} is not in {where}; nothing to replace")
    if after is not None and after not in keys:
        sys.exit(f"error: --after {after}: no such key")
    if key in keys:
        at = keys.index(key)
        comments = comments or messages[at].auto_comments
        messages[at] = Message(msgid, msgstr, auto_comments=comments, context=key)
    else:
        if after is not None:
            at = keys.index(after) + 1
        else:  # after the last key of the same area, or at the end
            area = key.split(".")[0]
            same = [i for i, k in enumerate(keys) if k and k.split(".")[0] == area]
            at = same[-1] + 1 if same else len(keys)
        messages.insert(at, Message(msgid, msgstr, auto_comments=comments, context=key))
    # Catalog keeps insertion order (keyed by msgid and msgctxt): empty it, then refill
    for m in [m for m in catalog if m.id]:
        catalog.delete(m.id, context=m.context)
    for m in messages:
        catalog[m.id] = m


def add(args: argparse.Namespace) -> None:
    """The `add` command: one message into every catalogue and the template."""
    texts: dict[str, list[str]] = {lang: getattr(args, lang) for lang in LOCALES}
    catalogues: dict[str, Catalog] = {lang: load(po_path(lang)) for lang in LOCALES}
    plural = len(texts[SOURCE]) > 1
    for lang, catalog in catalogues.items():
        want = int(catalog.num_plurals) if plural else 1
        if len(texts[lang]) != want:
            kind = f"{want} plural forms" if plural else "one text"
            sys.exit(f"error: --{lang} takes {kind}, got {len(texts[lang])}")
    msgid: str | tuple[str, str] = (
        (texts[SOURCE][0], texts[SOURCE][1]) if plural else texts[SOURCE][0]
    )
    comments = [args.comment] if args.comment else []
    empty: str | tuple[str, ...] = ("",) * len(texts[SOURCE]) if plural else ""
    for lang, catalog in catalogues.items():  # every check passes before any file is written
        msgstr = empty if lang == SOURCE else (tuple(texts[lang]) if plural else texts[lang][0])
        put(catalog, args.key, msgid, msgstr, comments, args.after, args.replace)
    for lang, catalog in catalogues.items():
        save(catalog, po_path(lang))
    write_template(catalogues[SOURCE])


def write_template(source: Catalog) -> None:
    """Rewrite the template: the English catalogue's messages, every msgstr empty."""
    template = load(TEMPLATE)
    for m in [m for m in template if m.id]:
        template.delete(m.id, context=m.context)
    for m in source:
        if m.id:
            empty = ("",) * len(m.id) if isinstance(m.id, tuple) else ""
            template[m.id] = Message(m.id, empty, auto_comments=m.auto_comments, context=m.context)
    save(template, TEMPLATE)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    adding = commands.add_parser("add", help="add (or --replace) a message in every catalogue")
    adding.add_argument("key", help="the key the code looks up, e.g. board.more_done")
    for lang in LOCALES:
        adding.add_argument(f"--{lang}", nargs="+", required=True, metavar="TEXT")
    adding.add_argument("--comment", help="a note for translators (#. in the catalogues)")
    adding.add_argument("--after", metavar="KEY", help="place the new message after KEY")
    adding.add_argument("--replace", action="store_true", help="change an existing KEY")
    commands.add_parser("pot", help="rewrite plaindesk.pot from the English catalogue")
    args = parser.parse_args(argv)
    if args.command == "add":
        add(args)
    else:
        write_template(load(po_path(SOURCE)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
