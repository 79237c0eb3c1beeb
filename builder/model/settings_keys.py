"""What pages show of workspace.yml, as parts of their keys (`builder.render.keys`).

A page key used to hold the digest of workspace.yml's text, so that renaming one workflow
column re-rendered every page of the site. The settings are split instead:

- `general`: everything but the workflows and pipelines (locale, time zone, currency and
  rates, custom fields, ...), read from the parsed settings, so a comment or a blank line
  changes no page. Every page's key holds it.
- `flows`: every workflow and pipeline. The view pages (boards, funnels, dashboards,
  reports) hold it, or, when they name the kinds of records they read, every workflow's
  digest if they read tasks and every pipeline's if they read deals.
- a record page holds only what it shows of them: a task its status's column (name,
  place, whether it is the backlog or done) and, with history, each column its timeline
  passed through; a project its workflow's name and its tasks' columns; a deal its
  pipeline; a company the pipelines of its deals.

Keys compare across processes (`plaindesk build`'s state), so every part is made from
`repr` of frozen values (no sets, whose order changes with the hash seed)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from builder.model.records import Pipeline, Settings, Workflow


def _sha1(text: str) -> str:
    # imported here: an edit command imports this module (views) and needs no digest
    import hashlib

    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class SettingsKeys:
    """The parts of workspace.yml that page and card keys hold (see the module's doc)."""

    def __init__(self, settings: Settings) -> None:
        bare = dataclasses.replace(settings, workflows={}, pipelines={}, pos={}, digest="", path="")
        self.general = _sha1(repr(bare))
        self.workflows = {k: _sha1(repr(w)) for k, w in settings.workflows.items()}
        self.pipelines = {k: _sha1(repr(p)) for k, p in settings.pipelines.items()}
        self.all_workflows = _sha1(repr(sorted(self.workflows.items())))
        self.all_pipelines = _sha1(repr(sorted(self.pipelines.items())))
        self.flows = _sha1(f"{self.all_workflows}\0{self.all_pipelines}")
        # per workflow: a column id -> what a task page shows of it
        self._columns: dict[str, dict[str, str]] = {
            w.id: {
                c.id: f"{c.id}\1{i}\1{c.name}\1{c.id == w.backlog:d}\1{c.id == w.done:d}"
                for i, c in enumerate(w.columns)
            }
            for w in settings.workflows.values()
        }

    def workflow(self, flow: Workflow) -> str:
        return self.workflows.get(flow.id) or _sha1(repr(flow))

    def pipeline(self, pipeline: Pipeline) -> str:
        return self.pipelines.get(pipeline.id) or _sha1(repr(pipeline))

    def columns(self, flow: Workflow, statuses: Iterable[str]) -> str:
        """What a task page shows of its workflow: for each status, its column's name and
        place, or that the workflow lacks it (the page then shows the status as written;
        the due date's warning depends on the done column)."""
        known = self._columns.get(flow.id, {})
        return "\2".join(
            known.get(s) or f"{s}\1-\1{s == flow.backlog:d}\1{s == flow.done:d}" for s in statuses
        )


_last: tuple[Settings, str, SettingsKeys] | None = None


def settings_keys(settings: Settings) -> SettingsKeys:
    """The settings' key parts, made once per settings (the serve loop asks on every
    rebuild; a changed workspace.yml is another `Settings`)."""
    global _last
    if _last is not None and _last[0] is settings and _last[1] == settings.digest:
        return _last[2]
    found = SettingsKeys(settings)
    _last = (settings, settings.digest, found)
    return found
