"""Stage 2, validate: turn positioned YAML trees into the typed model (field by field), then
run the cross-record rules and the today-dependent warnings. Everything returns problems."""
