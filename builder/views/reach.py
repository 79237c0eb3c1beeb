"""One tap from a phone: phone numbers, e-mail addresses, chat handles and websites as the
links that call, write or open a chat, so nobody copies a number off the page.

Phone numbers are read with `phonenumbers` (Google's libphonenumber data): a number written
without its country code is taken to be in the workspace's phone region. A number that does
not parse into a valid number is shown as written, without a link: a `tel:` link that dials
the wrong number is worse than none. Numbers of the home region are shown the way people
there write them (`050 123 4567`), others in international form (`+48 512 345 678`).

Chat links follow each network's documented public URL form:
- Telegram usernames: `https://t.me/<username>` (telegram.org/faq, "usernames and t.me");
- WhatsApp numbers: `https://wa.me/<number in international form, digits only>`
  (WhatsApp Help Center, "How to use click to chat");
- Viber numbers: `viber://chat?number=%2B<digits>` (Viber documents its `viber://` scheme
  for bots only; this is the form its apps open a person's chat with, `+` encoded);
- Signal numbers: `https://signal.me/#p/+<digits>` (the link Signal's "share your number"
  makes).
A handle of another network, or one that does not look like that network's handle, is text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

import phonenumbers
from babel.core import get_global

from builder.views.paths import mailto

_TELEGRAM_USER = re.compile(r"@?([A-Za-z][A-Za-z0-9_]{4,31})")
_TELEGRAM_URL = re.compile(r"(?:https?://)?(?:t\.me|telegram\.me)/([A-Za-z][A-Za-z0-9_]{4,31})/?")
_WEB_HOST = re.compile(r"(?:www\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:/\S*)?")

#: network key as written in `chat:` -> how the page names it
NETWORKS = {
    "telegram": "Telegram",
    "whatsapp": "WhatsApp",
    "viber": "Viber",
    "signal": "Signal",
}


#: where a link of these leaves the site (for `rel` and the link checker)
SCHEMES = ("mailto:", "tel:", "https://", "http://", "viber://")


@dataclass(frozen=True)
class Reach:
    """A way to reach someone: the text shown, the link (empty: shown as text), its kind
    (`email`, `phone`, `chat` for a handle given without its network, or the network as
    written in `chat:`) and, for a chat network, the name a page labels it with."""

    text: str
    url: str = ""
    kind: str = ""
    network: str = ""


@cache
def regions() -> frozenset[str]:
    """The two-letter region codes phone numbers can be read in."""
    return frozenset(phonenumbers.SUPPORTED_REGIONS)


def default_region(locale: str) -> str:
    """The region a workspace's numbers are in when it does not say (`phone_region`): the
    country its language is most likely spoken in (uk -> UA), by CLDR's likely subtags."""
    likely = str(get_global("likely_subtags").get(locale, ""))
    region = likely.rsplit("_", 1)[-1] if likely.count("_") >= 1 else ""
    return region if region in regions() else ""


def workspace_region(phone_region: str, locale: str) -> str:
    """The region numbers without a country code are read in: the `phone_region` setting,
    else the one the workspace's language suggests."""
    return phone_region or default_region(locale)


#: Numbers read per (text, region): parsing is ~0.25 ms, and the dashboard, the directory
#: and every contact's page read the same numbers on each rebuild. Never changed after.
_READ_MAX = 1 << 15


@lru_cache(maxsize=_READ_MAX)
def _number(raw: str, region: str) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(raw, region or None)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def _e164(number: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@lru_cache(maxsize=_READ_MAX)
def phone(raw: str, region: str) -> Reach:
    """A phone number as a `tel:` link (E.164, with `;ext=` for an extension), shown in its
    home region's format when it is in `region`, in international form otherwise."""
    number = _number(raw, region)
    if number is None:
        return Reach(raw, kind="phone")
    home = phonenumbers.region_code_for_number(number) == region
    shown = phonenumbers.format_number(
        number,
        phonenumbers.PhoneNumberFormat.NATIONAL
        if home
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL,
    )
    link = "tel:" + _e164(number) + (f";ext={number.extension}" if number.extension else "")
    return Reach(shown, link, "phone")


def email(address: str) -> Reach:
    """An e-mail address as a `mailto:` link."""
    return Reach(address, mailto(address), "email")


@lru_cache(maxsize=_READ_MAX)
def chat(network: str, handle: str, region: str) -> Reach:
    """A chat handle as a link into its app, when `network` is one whose links are known
    and `handle` is a handle of it; otherwise the handle as text."""
    key = network.strip().lower()
    handle = handle.strip()
    found = _chat(key, handle, region)
    name = "" if key == "chat" else network_label(network)
    return Reach(found.text, found.url, network, name)


def _chat(key: str, handle: str, region: str) -> Reach:
    if key == "telegram":
        found = _TELEGRAM_URL.fullmatch(handle) or _TELEGRAM_USER.fullmatch(handle)
        if found:
            return Reach("@" + found.group(1), "https://t.me/" + found.group(1))
        number = _number(handle, region)
        return Reach(handle, "https://t.me/" + _e164(number)) if number else Reach(handle)
    if key in ("whatsapp", "viber", "signal"):
        number = _number(handle, region)
        if number is None:
            return Reach(handle)
        digits = _e164(number)[1:]
        shown = phone(handle, region).text
        if key == "whatsapp":
            return Reach(shown, "https://wa.me/" + digits)
        if key == "viber":
            return Reach(shown, "viber://chat?number=%2B" + digits)
        return Reach(shown, "https://signal.me/#p/+" + digits)
    return Reach(handle)


def network_label(network: str) -> str:
    """How a page names a chat network: its own spelling when known, else as written."""
    return NETWORKS.get(network.strip().lower(), network)


def website(address: str) -> Reach:
    """A website as a link: `https://` added to a bare host (`www.example.com`); anything
    that is not a web address stays text."""
    address = address.strip()
    if address.startswith(("https://", "http://")):
        return Reach(address, address)
    if _WEB_HOST.fullmatch(address):
        return Reach(address, "https://" + address)
    return Reach(address)


def ways(address: str, number: str, handles: dict[str, str], region: str) -> list[Reach]:
    """Every way to reach someone, in the order a page lists them: e-mail, phone, then the
    chat handles by network."""
    out = [email(address)] if address else []
    if number:
        out.append(phone(number, region))
    out += [chat(k, v, region) for k, v in sorted(handles.items())]
    return out
