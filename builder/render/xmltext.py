"""Render stage: user and git text made fit for XML (the Atom feed, the SVG charts).

Escaping is not enough: XML 1.0 forbids most C0 control characters, lone surrogates and
U+FFFE/U+FFFF outright, even written as character references, so a single `\\x01` in an
author's name made `activity.xml` unreadable to every feed reader. Git stores such names
as given, and YAML's `"\\x01"` escape puts them in titles and column names.
"""

from __future__ import annotations

import re

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold, escaped or not."""
    return _NOT_XML.sub("", text)
