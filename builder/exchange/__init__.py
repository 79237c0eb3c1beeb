"""Import and export: other tools' files in, lists for other tools out.

Importers (`tabular` for CSV/XLSX sheets, `contacts` for Google/Outlook CSV and vCard,
`trello` for a board's JSON export) read a file into incoming records; `plan` finds the
duplicates among them and in the workspace and turns the rest into new record files through
the `new` command's machinery (`builder.edit`), so ids, templates, checks and atomic writes
are the same as for a record made by hand. Exporters (`export`) write a typed workspace as
CSV/XLSX, vCard or versioned JSON (with a JSON Schema generated from the schema).
"""
