#!/usr/bin/env python3
"""Write `builder/validate/currency_codes.py`: the ISO 4217 codes Babel (CLDR) knows.

    python scripts/currency_codes.py

Checking a currency code against Babel's list means loading Babel's global data (~0.5 MB
of pickle) and `babel.numbers`: a tenth of an edit command's 0.3 s. The module this writes
answers for every code Babel knew when it was written; a code it lacks is still asked of
Babel (`builder.validate.values.is_currency`), so a newer Babel's codes count too.
`tests/test_edit_imports.py` checks that the module equals the installed Babel's list.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

from babel import __version__ as babel_version
from babel.numbers import list_currencies

TARGET = Path(__file__).resolve().parent.parent / "builder" / "validate" / "currency_codes.py"


def render() -> str:
    """The module's text for the installed Babel."""
    codes = " ".join(sorted(list_currencies()))
    body = textwrap.fill(codes, width=88, initial_indent="    ", subsequent_indent="    ")
    return (
        f'"""The ISO 4217 codes Babel {babel_version} knows (CLDR), so that checking a currency\n'
        'does not load Babel\'s data. Written by scripts/currency_codes.py; do not edit."""\n'
        "\n"
        "from __future__ import annotations\n"
        "\n"
        '_CODES = """\n'
        f"{body}\n"
        '"""\n'
        "KNOWN_CURRENCIES = frozenset(_CODES.split())\n"
    )


def main() -> int:
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
