"""Stage 4, views: pure functions `Workspace -> view model` (dataclasses of display-ready
strings). No MkDocs or Jinja here: templates only loop over what these return."""
