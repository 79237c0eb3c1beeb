"""`python -m builder.cli`: the same command line as `plaindesk`."""

from builder.cli import main

main()
