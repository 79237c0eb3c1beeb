"""Values written as YAML the way `check` reads them back.

`check` reads every scalar as text (the schema, not YAML's implicit typing, says what it
means), so a date, a number or `true` is written plain, exactly as typed, where a YAML
library would quote it to keep its own types apart. Only what YAML itself would read
differently is quoted: null-like words (`null`, `~`, the empty string), text with `: ` or
` #`, a leading `@`, `[`, `*`, spaces at either end, control characters. Text with line
breaks is a literal block (`|`). Lists of plain values are written in brackets, as people
write them (`tags: [design, web]`).
"""

from __future__ import annotations

from typing import Any

import yaml

_NULL = "tag:yaml.org,2002:null"


class TextDumper(yaml.SafeDumper):
    """PyYAML's safe dumper that resolves nothing but nulls and indents block lists."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # `metrics:\n  - {...}` as in the demo, not PyYAML's `metrics:\n- {...}`
        super().increase_indent(flow, False)


TextDumper.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag == _NULL]
    for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
    if any(tag == _NULL for tag, _ in resolvers)
}


def _text(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    return dumper.represent_scalar(
        "tag:yaml.org,2002:str", data, style="|" if "\n" in data.strip("\n") else None
    )


def _empty(dumper: yaml.SafeDumper, _data: None) -> yaml.ScalarNode:
    return dumper.represent_scalar(_NULL, "")  # `assignee:` with nothing after it


class Fields(dict[str, object]):
    """A record's front matter: one `key: value` line per field (a plain dict inside it is
    written in braces, `{enabled: true}`)."""


def _fields(dumper: yaml.SafeDumper, data: Fields) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=False)


def _mapping(dumper: yaml.SafeDumper, data: dict[str, object]) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=True)


def _list(dumper: yaml.SafeDumper, data: list[object]) -> yaml.SequenceNode:
    # `[a, b]` for plain values; one `- {...}` line per item for mappings (metrics)
    flat = all(not isinstance(item, dict | list) for item in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flat)


TextDumper.add_representer(str, _text)
TextDumper.add_representer(type(None), _empty)
TextDumper.add_representer(Fields, _fields)
TextDumper.add_representer(dict, _mapping)
TextDumper.add_representer(list, _list)

#: What `yaml.dump` and `frontmatter.dumps` take to write as this module does.
DUMP_OPTIONS: dict[str, Any] = {
    "Dumper": TextDumper,
    "sort_keys": False,
    "allow_unicode": True,
    "width": 1 << 30,  # never fold a long value onto a second line
}


def scalar(value: str) -> str:
    """`value` as a plain or quoted scalar on one line, after `key: ` or `- `."""
    if "\n" in value:
        raise ValueError("one line only")
    return _one(yaml.dump(value, **DUMP_OPTIONS))


def flow(value: object) -> str:
    """`value` (text, or a list or mapping of text) as it is written inside brackets."""
    if isinstance(value, str):  # as the one item of a list: quoted as lists need
        return _one(yaml.dump([value], **DUMP_OPTIONS))[1:-1]
    return _one(yaml.dump(value, **DUMP_OPTIONS))


def _one(dumped: str) -> str:
    out = dumped.removesuffix("\n...\n").removesuffix("\n")
    assert "\n" not in out, out
    return out
