"""How two records are told to be one person: e-mail addresses, phone numbers and names
compared the way people write them differently. Used by `check`'s duplicate warning and by
the importers' duplicate detection, so both agree."""

from __future__ import annotations

import os
import re
import zoneinfo
from functools import lru_cache


@lru_cache(maxsize=1 << 15)
def phone_key(text: str, region: str | None) -> str:
    """A phone number in E.164 (`+380670000000`) to compare numbers written differently;
    the digits alone when the number cannot be read."""
    import phonenumbers

    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return re.sub(r"\D", "", text)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def pretty_phone(text: str, region: str | None) -> str:
    """A phone number written without its country code in the international form (`067
    000 0000` -> `+380 67 000 0000`) when it reads as a possible number, else as written."""
    import phonenumbers

    if text.strip().startswith("+"):  # international already: kept as its owner wrote it
        return " ".join(text.split())
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return text.strip()
    if not phonenumbers.is_possible_number(number):
        return text.strip()
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def email_key(text: str) -> str:
    """An e-mail address as compared: trimmed, lower case."""
    return text.strip().casefold()


def name_key(text: str) -> str:
    """A name as compared: case, spaces, punctuation and quotes do not count."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold().replace("ё", "е")).split())


@lru_cache(maxsize=16)
def region_of(timezone: str) -> str | None:
    """The country (ISO 3166 code) of an IANA time zone, from the tz database's zone.tab:
    the default region for phone numbers written without a country code."""
    for folder in [*zoneinfo.TZPATH, _package_tzdata()]:
        table = os.path.join(folder, "zone.tab") if folder else ""
        try:
            with open(table, encoding="utf-8") as lines:
                for line in lines:
                    parts = line.split("\t")
                    if len(parts) >= 3 and not line.startswith("#") and parts[2] == timezone:
                        return parts[0]
        except OSError:
            continue
    return _ALIASES.get(timezone)


#: zones renamed since: zone.tab names only the current one
_ALIASES = {"Europe/Kiev": "UA"}


def _package_tzdata() -> str:
    try:
        import tzdata  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - tzdata comes with python-dateutil
        return ""
    return os.path.join(os.path.dirname(tzdata.__file__), "zoneinfo")
