"""UI strings of the site area: key -> {en, ru, uk}."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
}
