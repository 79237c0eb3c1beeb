"""Stage 5, render: view models -> a tree of page files (Markdown with front matter whose
body is HTML from the theme's Jinja templates) plus a small nav. Any static-site engine
that reads a docs folder (MkDocs today, Zensical tomorrow) builds the site from this tree."""
