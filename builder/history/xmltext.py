"""History views: user and git text made fit for XML (the Atom feed, the SVG charts).

Escaping is not enough: XML 1.0 forbids most C0 control characters, lone surrogates and
U+FFFE/U+FFFF outright, even written as character references, so a single `\\x01` in an
author's name made `activity.xml` unreadable to every feed reader. Git stores such names
as given, and YAML's `"\\x01"` escape puts them in titles and column names.
"""

from __future__ import annotations

import re

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# C0 and C1 controls, DEL, and what XML cannot hold: none of it is part of a name; a run
# of them, with the spaces around it, reads as one space
_CONTROL = "\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
_NOT_NAME = re.compile(f"[ {_CONTROL}]*[{_CONTROL}][ {_CONTROL}]*")


def xml_text(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold, escaped or not."""
    return _NOT_XML.sub("", text)


def display_name(text: str) -> str:
    """A name from git as a page shows it: each run of control characters (tabs and
    newlines too) becomes one space, and the name is trimmed."""
    return _NOT_NAME.sub(" ", text).strip()
