"""Stage 1, load: find record files, split front matter from body, parse YAML into a tree
whose every node knows its line and column. Bad files become problems, never exceptions."""
