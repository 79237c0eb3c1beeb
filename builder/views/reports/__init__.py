"""Reports from what the team already records: money (cost, revenue, margin per project,
client and month), timesheets (hours per person, day and project against capacity),
estimate accuracy and the load ahead.

Each module is pure: `Workspace` (and `Derived`, and git history when there is one) in,
dataclasses of numbers out, `today` a parameter. Wording and formatting happen in
`builder.views.reports.pages`, which turns the numbers into what the templates show.
"""
