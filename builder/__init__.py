"""Plaindesk: an agency's workspace as Markdown files, compiled into a static site.

The pipeline, one package per stage:
load (files -> positioned YAML trees) -> validate (fields -> typed model, cross-record rules)
-> model (the typed workspace) -> views (pure view models) -> render (pages) -> site.
`builder.pipeline` runs the stages in order; the CLI and the MkDocs plugin both call it.
"""

from __future__ import annotations

__version__ = "0.1.0"
