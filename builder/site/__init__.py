"""Stage 6, site: wiring the pipeline into a static-site engine. `generate` runs the whole
pipeline into a page tree; `plugin` is the thin MkDocs adapter; `build` and `serve` are
what the `plaindesk build` and `plaindesk serve` commands run."""
