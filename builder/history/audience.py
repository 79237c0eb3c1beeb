"""History stage: the history as an audience's site may tell it.

The git history knows every version of every record file: an audience's feed, people's
activity and the Atom feed must not tell of a hidden record (a deal's creation, its new
stage) or of a hidden field's change, nor name a hidden file as uncommitted. The result
shares nothing with the full history's kept views (`History.kept`), which hold the full
history's events.
"""

from __future__ import annotations

from dataclasses import replace

from builder.history.blobs import Snapshot
from builder.history.events import CHANGED, RecordHistory
from builder.history.reader import History
from builder.model.audience import Hidden


def for_audience(history: History, gone: Hidden, content: str = "") -> History:
    """A copy of `history` without the records, field changes and snapshot values that
    `gone` hides; `content` is the path prefix of the uncommitted files' paths, if any."""
    records = {
        key: _without(rec, gone.fields.get(rec.type, frozenset()))
        for key, rec in history.records.items()
        if rec.type not in gone.types
    }
    status = replace(
        history.status,
        uncommitted=tuple(
            p for p in history.status.uncommitted if gone.path_type(p, content) not in gone.types
        ),
    )
    return History(
        records,
        status,
        history.today,
        history.tz,
        {k: v for k, v in history.renamed.items() if k[0] not in gone.types},
        history.timings,
    )


def _without(rec: RecordHistory, names: frozenset[str]) -> RecordHistory:
    if not names:
        return rec
    changes = [
        ch._replace(snapshot=_snapshot(ch.snapshot, names))
        for ch in rec.changes
        if not (ch.kind == CHANGED and ch.field in names)
    ]
    return replace(rec, changes=changes, snapshot=_snapshot(rec.snapshot, names))


def _snapshot(snap: Snapshot | None, names: frozenset[str]) -> Snapshot | None:
    if snap is None:
        return None
    return {k: v for k, v in snap.items() if k not in names}
