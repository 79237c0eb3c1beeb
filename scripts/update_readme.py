"""Rewrite README.md's generated field tables from the schema (builder/model/schema.py).

    python scripts/update_readme.py

tests/test_schema.py fails while the README is out of date."""

from __future__ import annotations

from pathlib import Path

from builder.model.reference import with_reference

README = Path(__file__).resolve().parent.parent / "README.md"


def main() -> None:
    text = README.read_text(encoding="utf-8")
    updated = with_reference(text)
    if updated != text:
        README.write_text(updated, encoding="utf-8")
        print(f"updated {README}")
    else:
        print(f"{README} is up to date")


if __name__ == "__main__":
    main()
