"""Paging of the lists that grow with the workspace: no page holds more than a bounded
number of items, and every cut list says how many more there are and where.

The sizes are a parameter (`Limits`, carried by the site options) so that tests can page a
small workspace the way a large one is paged."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from builder.views.paths import paged_url

T = TypeVar("T")


@dataclass(frozen=True)
class Limits:
    """How many items one page shows; sized so that a page stays well under 500 KB."""

    directory: int = 250  # contacts or companies per directory page
    board_done: int = 20  # done cards a project's board shows per column (the latest)
    archive: int = 100  # done cards per page of a board's archive
    funnel_stage: int = 20  # deals per stage on a funnel's board
    stage: int = 100  # deals per page of one stage's list
    unassigned: int = 400  # open cards of the unassigned board (beyond: a summary by project)
    report_projects: int = 150  # projects per page of the profitability report's table
    problems: int = 500  # warnings per page of the Problems page (the first: all errors too)


LIMITS = Limits()


@dataclass(frozen=True)
class PageLink:
    """One page of a paged list: its label (a number, or a range of names), its URL, how
    many items it holds, and (for a list by name) the sort keys of its first and last."""

    label: str
    url: str
    count: int
    current: bool = False
    first: str = ""
    last: str = ""


def chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    """`items` cut into pages of `size` (at least one page, maybe empty)."""
    size = max(1, size)
    return [items[i : i + size] for i in range(0, len(items), size)] or [items[:0]]


def problem_pages(problems: Sequence[T], errors: int, size: int) -> list[Sequence[T]]:
    """The Problems page's pages: the first holds every error (they stop a build, and a
    stale record's mark links to its file's first, there) and the first `size` warnings;
    the next ones `size` warnings each. `problems` come errors first, `errors` of them."""
    size = max(1, size)
    first = errors + size
    return [problems[:first]] + [problems[i : i + size] for i in range(first, len(problems), size)]


def pager(
    first_url: str,
    pages: Sequence[Sequence[T]],
    current: int,
    name: Callable[[T], str] | None = None,
) -> list[PageLink]:
    """The links to every page of a list (none when it fits on one). With `name`, the list
    is by name and each page is labelled by the letters its names run from and to."""
    if len(pages) <= 1:
        return []
    out = []
    for i, items in enumerate(pages, 1):
        first = name(items[0]).lower() if name and items else ""
        last = name(items[-1]).lower() if name and items else ""
        out.append(
            PageLink(
                label=_range_label(first, last) if name else str(i),
                url=paged_url(first_url, i),
                count=len(items),
                current=i == current,
                first=first,
                last=last,
            )
        )
    return out


def _range_label(first: str, last: str) -> str:
    """ "A–C", or "Ma–Mo" when both ends start with the same letter."""
    a, b = first[:1].upper(), last[:1].upper()
    if a != b:
        return f"{a}–{b}"
    size = 2
    while size < 4 and first[:size] == last[:size] and len(first) > size:
        size += 1
    a2, b2 = first[:size].capitalize(), last[:size].capitalize()
    return a if a2 == b2 else f"{a2}–{b2}"
