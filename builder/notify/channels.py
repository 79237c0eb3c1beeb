"""The one adapter around Apprise: what Plaindesk knows of notification channel URLs.

A person lists channels as Apprise URLs (`mailto://...`, `tgram://...`, `discord://...`) in
which every secret is a placeholder, `{SMTP_PASSWORD}`, filled from the environment only
when `plaindesk notify` sends. Which parts of a URL are secrets is Apprise's own knowledge:
each plugin marks its private tokens (`template_tokens` / `template_args` with
`private: True`) and parses its URLs (`parse_url`). Both are the documented surface for
Apprise's plugin authors, not private internals; `APPRISE_TESTED` names the major version
this was written against, and tests/test_notify_channels.py fails loudly when a new
Apprise reads these URLs differently.

Apprise is imported on first use: `check` pays for it only when a person lists channels.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

#: the Apprise major version whose plugin surface this adapter reads
APPRISE_TESTED = 2
#: `{NAME}`: an environment variable's value goes here
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")
# what may stand around placeholders inside one secret (`{ID}:{TOKEN}`) without being one
_GLUE = re.compile(r"[\s:/@._-]+")
# a stand-in for a placeholder while Apprise parses the URL: letters and digits only, so
# that it survives every plugin's URL grammar
_STAND_IN = "pdenv{}x"
_STAND_INS = re.compile(r"pdenv\d+x", re.IGNORECASE)


@dataclass(frozen=True)
class ChannelProblem:
    """Why a channel URL cannot stand in a record: `code` is a problem code."""

    code: str
    message: str
    hint: str


def scheme(url: str) -> str:
    """The URL's scheme, lower case ("" when it has none)."""
    found = _SCHEME.match(url.strip())
    return found.group(1).lower() if found else ""


def placeholders(url: str) -> list[str]:
    """The environment variables a channel URL names, in order, each once."""
    return list(dict.fromkeys(PLACEHOLDER.findall(url)))


def fill(url: str, env: Mapping[str, str]) -> tuple[str, list[str]]:
    """The URL with its placeholders filled from `env`, and the variables `env` lacks
    (an empty value counts as missing)."""
    missing = [name for name in placeholders(url) if not env.get(name)]
    return PLACEHOLDER.sub(lambda m: env.get(m.group(1), ""), url), missing


def redacted(url: str) -> str:
    """A URL safe to print: as written in the record, placeholders and all. A filled URL
    is never printed (nor logged) anywhere."""
    return url.strip()


@cache
def _manager() -> Any:
    from apprise.manager_plugins import NotificationManager

    return NotificationManager()  # type: ignore[no-untyped-call]


#: scheme -> the Apprise plugin module that serves it, for the services people use most.
#: Asking Apprise's manager instead imports every plugin (150 modules, about 2 s of a
#: `check`); tests/test_notify_channels.py checks each entry against the manager.
FAST_SCHEMES = {
    "mailto": "email",
    "mailtos": "email",
    "tgram": "telegram",
    "discord": "discord",
    "slack": "slack",
    "json": "custom_json",
    "jsons": "custom_json",
    "form": "custom_form",
    "forms": "custom_form",
    "matrix": "matrix",
    "matrixs": "matrix",
    "workflow": "workflows",
    "workflows": "workflows",
}


def _schemes_of(plugin: Any) -> set[str]:
    out: set[str] = set()
    for attr in ("protocol", "secure_protocol"):
        value = getattr(plugin, attr, None)
        out.update([value] if isinstance(value, str) else value or ())
    return out


@cache
def _plugin(name: str) -> Any:
    """The Apprise plugin class for a scheme, or None when Apprise has none."""
    if not name:
        return None
    module_name = FAST_SCHEMES.get(name)
    if module_name is not None:
        import importlib

        module = importlib.import_module(f"apprise.plugins.{module_name}")
        for value in vars(module).values():
            if isinstance(value, type) and name in _schemes_of(value):
                return value
    try:
        return _manager()[name]
    except KeyError:
        return None


@cache
def _private_keys(plugin: Any) -> frozenset[str]:
    """The keyword names (as `parse_url` returns them) of a plugin's secrets."""
    keys: set[str] = set()
    for table in (plugin.template_tokens, plugin.template_args):
        for name, spec in table.items():
            if isinstance(spec, dict) and spec.get("private"):
                keys.update((name, str(spec.get("map_to", name))))
    return frozenset(keys)


def _texts(value: object) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, (list, tuple, set)):
        for item in value:
            yield from _texts(item)


def check_channel(url: str) -> ChannelProblem | None:
    """None when `url` is a channel Apprise knows whose every secret is a placeholder."""
    name = scheme(url)
    plugin = _plugin(name)
    if plugin is None:
        shown = name or url.strip()[:40]
        return ChannelProblem(
            "PD115",
            f"`{shown}` is not a notification channel Apprise knows",
            "write an Apprise URL such as `mailto://...`, `tgram://...`, `discord://...`, "
            "`slack://...` (see https://github.com/caronc/apprise/wiki)",
        )
    stood_in = url.strip()
    for i, var in enumerate(placeholders(stood_in)):
        stood_in = stood_in.replace("{" + var + "}", _STAND_IN.format(i))
    try:
        parsed = plugin.parse_url(stood_in)
    except Exception:  # a plugin's parser failing is this URL's problem, not a crash
        parsed = None
    if isinstance(parsed, dict):
        private = _private_keys(plugin)
        found = [(k, v) for k, v in parsed.items() if k in private]
    else:
        # Apprise cannot read it with stand-ins (a placeholder where it wants a number,
        # say): the places any URL keeps a secret, its password and secret-named query
        # values, must still hold placeholders only
        found = _generic_secrets(stood_in)
    for key, value in found:
        for text in _texts(value):
            if _GLUE.sub("", _STAND_INS.sub("", text)):
                return ChannelProblem(
                    "PD114",
                    f"the `{key}` of this `{name}://` channel is written in the record",
                    "put the secret in an environment variable (your CI's secret store) "
                    f"and write its name in braces instead, e.g. `{{{_env_name(name, key)}}}`",
                )
    return None


_PASSWORD = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/@?#]*?:([^@/?#]*)@")
_SECRET_ARG = re.compile(r"(?:pass|password|pwd|token|secret|key|apikey|webhook)\Z", re.IGNORECASE)


def _generic_secrets(url: str) -> list[tuple[str, object]]:
    from urllib.parse import parse_qsl, urlsplit

    out: list[tuple[str, object]] = []
    found = _PASSWORD.match(url)
    if found:
        out.append(("password", found.group(1)))
    for key, value in parse_qsl(urlsplit(url).query, keep_blank_values=True):
        if _SECRET_ARG.search(key):
            out.append((key, value))
    return out


def _env_name(name: str, key: str) -> str:
    return re.sub(r"[^A-Z0-9]+", "_", f"{name}_{key}".upper())


def apprise_major() -> int:
    """The installed Apprise's major version."""
    import apprise

    return int(str(apprise.__version__).split(".")[0])
