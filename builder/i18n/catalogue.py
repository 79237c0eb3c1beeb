"""Reading the gettext catalogues `locale/<lang>/LC_MESSAGES/plaindesk.po` (package data).

Each message's msgctxt is the key the code looks up, its msgid the English text. The
English catalogue may leave msgstr empty, meaning "the msgid". A fuzzy or empty
translation counts as missing, as it does for msgfmt, so the caller falls back to English.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

DOMAIN = "plaindesk"
SOURCE = "en"  # the language of the msgids
LOCALE_DIR = Path(__file__).resolve().parent / "locale"  # shipped as package data

#: A plain message's text, or a counted message's forms in `Plural-Forms` order.
Text = str | tuple[str, ...]


class CatalogueError(Exception):
    """A catalogue that cannot be read (only a broken installation raises it)."""


class Catalogue(NamedTuple):
    """One language's messages: key -> text, and the rule that picks a plural form."""

    locale: str
    messages: dict[str, Text]
    plural: Callable[[int], int]  # a count -> the index of its form


def read(locale: str) -> Catalogue:
    """The catalogue of `locale`, as shipped in the package."""
    # Babel's PO reader costs ~10 ms to import: only the first lookup pays it.
    import gettext

    from babel.messages.pofile import PoFileError, read_po

    path = LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    try:
        with path.open("rb") as f:
            catalog = read_po(f, domain=DOMAIN, abort_invalid=True)
    except (OSError, PoFileError) as e:
        raise CatalogueError(f"cannot read the {locale} UI strings: {e}") from e
    messages: dict[str, Text] = {}
    for message in catalog:
        if not message.id or message.context is None or message.fuzzy:
            continue
        counted = isinstance(message.id, (tuple, list))
        text = _forms(message.string)
        if not all(text) and locale == SOURCE:
            text = _forms(message.id)
        if all(text):
            messages[message.context] = text if counted else text[0]
    return Catalogue(locale, messages, gettext.c2py(catalog.plural_expr))


def _forms(value: object) -> tuple[str, ...]:
    """A msgid or msgstr as a tuple of texts (one, or one per plural form)."""
    items = value if isinstance(value, (tuple, list)) else (value,)
    return tuple(item if isinstance(item, str) else "" for item in items)
