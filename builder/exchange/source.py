"""Reading an import file: its size, its bytes, its text encoding (UTF-8 with or without a
BOM, UTF-16 as Excel's "Unicode text" saves it, else Windows-1251 as Excel saves CSV on a
Russian or Ukrainian Windows)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from builder.model.keys import region_of

__all__ = ["BadFile", "Text", "decode", "read_file", "region_of"]

#: Larger files are refused: a spreadsheet of contacts or a board is far smaller, and a
#: file this big is more likely a wrong file than a base to move in.
MAX_BYTES = 20 * 1024 * 1024


class BadFile(Exception):
    """A file that cannot be imported at all: the message is one line saying why."""


@dataclass(frozen=True)
class Text:
    """A file's text and the encoding it was read in."""

    text: str
    encoding: str


def read_file(path: Path) -> bytes:
    """The file's bytes; raises BadFile for a missing, unreadable, empty or huge file."""
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise BadFile(f"{path} is a folder; give the exported file")
        if size > MAX_BYTES:
            raise BadFile(
                f"{path} is {size / 1024 / 1024:.1f} MB; imports read files up to "
                f"{MAX_BYTES // 1024 // 1024} MB: split it, or check it is the right file"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise BadFile(f"cannot read {path}: {exc.strerror or exc}") from None
    if not data.strip():
        raise BadFile(f"{path} is empty: there is nothing to import")
    return data


def decode(data: bytes, path: Path) -> Text:
    """The text of a file in UTF-8 (a BOM is dropped), UTF-16 (with its BOM) or, when it is
    not UTF-8, Windows-1251; raises BadFile for binary data."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return Text(data.decode("utf-16"), "UTF-16")
        except UnicodeDecodeError:
            raise BadFile(f"{path} is not readable UTF-16 text") from None
    if b"\x00" in data[:4096]:
        raise BadFile(f"{path} is a binary file, not text; check the format")
    try:
        return Text(data.decode("utf-8-sig"), "UTF-8")
    except UnicodeDecodeError:
        pass
    try:
        return Text(data.decode("cp1251"), "Windows-1251")
    except UnicodeDecodeError:
        raise BadFile(
            f"{path} is neither UTF-8 nor Windows-1251 text; save it as CSV UTF-8"
        ) from None
