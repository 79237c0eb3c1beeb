"""Editing records from the command line (`plaindesk new`, `move`, `log`, ...): beside the
pipeline, not a stage of it. It reads and checks one record at a time with the load and
validate stages' own functions, changes only the lines it must, and writes atomically."""
