"""Where each generated page goes: records, boards and funnels by id, contact tags by
slug. Links and the pages they point at are both made here, so they cannot disagree.

Two kinds of collision are settled here, always the same way for the same workspace:

- a record id that is also the name of one of the site's own pages (`index`, the list of
  a section; `all` and `all-by-person`, the boards of every project) gets a trailing `_`,
  which no id or slug can hold, instead of overwriting that page;
- tags whose slugs coincide (`C++`, `C` and `c` are all `c`) each get the slug and a short
  hash of the tag; a tag alone with its slug keeps the bare slug, so everyday tag URLs
  (`contacts/tags/vip/`) stay put.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date
from urllib.parse import quote

from slugify import slugify

from builder.model.schema import SECTIONS

BOARDS, FUNNELS, TAGS = "boards", "funnels", "contacts/tags"
REPORTS, CALENDAR = "reports", "calendar"

#: the site's own page names in each folder (MkDocs makes `index.md` the folder's page)
_OWN = frozenset({"index"})
_OWN_IN = {BOARDS: frozenset({"index", "all", "all-by-person", "unassigned"})}
#: a paged list's later pages stand in a folder no record id can claim as a page
#: (`contacts/pages/2/`: a contact `pages` is `contacts/pages/`, a file, not the folder)
PAGES = "pages"
#: a board's done cards beyond the last few, in its archive (`boards/<id>/done/`)
DONE = "done"


def page_name(folder: str, name: str) -> str:
    """`name` as a page of `folder`: itself, unless the site has a page of that name there."""
    return f"{name}_" if name in _OWN_IN.get(folder, _OWN) else name


def url(kind: str, ident: str) -> str:
    """Site-root-relative URL of a record's page (directory URLs, as MkDocs and Zensical)."""
    section = SECTIONS[kind]
    return f"{section}/{page_name(section, ident)}/"


def board_url(project: str) -> str:
    """URL of a project's board."""
    return f"{BOARDS}/{page_name(BOARDS, project)}/"


def unassigned_url() -> str:
    """URL of the board of the tasks nobody is assigned to (a lane of the all-projects
    board by person, which has no person's page to link to)."""
    return f"{BOARDS}/unassigned/"


def paged_url(first: str, page: int) -> str:
    """Page `page` (1-based) of a paged list whose first page is at `first`: the first
    page keeps its URL, page 2 is `<first>pages/2/`."""
    return first if page <= 1 else f"{first}{PAGES}/{page}/"


def archive_url(board: str, page: int = 1) -> str:
    """Page `page` of the archive of done cards of the board at URL `board` (a project's
    board, a person's page or the unassigned board)."""
    return paged_url(f"{board}{DONE}/", page)


def stage_urls(pipeline: str, stages: Iterable[str]) -> dict[str, str]:
    """stage id -> URL of the first page of its deals, for the stages of a pipeline in
    their order; two ids of one slug are told apart by their position."""
    out: dict[str, str] = {}
    taken: set[str] = {PAGES}
    for i, stage in enumerate(stages, 1):
        name = slugify(stage, max_length=_SLUG_MAX) or "stage"
        if name in taken:
            name = f"{name}-{i}"
        taken.add(name)
        out[stage] = f"{funnel_url(pipeline)}{name}/"
    return out


def funnel_url(pipeline: str) -> str:
    """URL of a pipeline's funnel."""
    return f"{FUNNELS}/{page_name(FUNNELS, pipeline)}/"


def problems_url(page: int = 1) -> str:
    """URL of page `page` of the Problems page."""
    return paged_url("problems/", page)


def problem_url(path: str) -> str:
    """URL of the first problem of file `path`, which has an error (a stale record's), on
    the Problems page: its first page, which holds every error."""
    return f"{problems_url()}#{problem_anchor(path)}"


def problem_anchor(path: str) -> str:
    """The Problems page's anchor for the problems of file `path`."""
    return "file-" + hashlib.sha1(path.encode("utf-8", "surrogateescape")).hexdigest()[:12]


def report_url(name: str = "") -> str:
    """URL of a report page (`""`: the section's own, profitability)."""
    return f"{REPORTS}/{name}/" if name else f"{REPORTS}/"


def timesheet_url(monday: date) -> str:
    """URL of the timesheet of the week starting on `monday`."""
    return f"{REPORTS}/timesheets/{monday.isoformat()}/"


def timesheet_csv_url(monday: date) -> str:
    """The same week's numbers as CSV (a file next to the week's page)."""
    return f"{REPORTS}/timesheets/{monday.isoformat()}.csv"


def statement_url(company: str, month: date) -> str:
    """URL of a client's statement of work done in the month holding `month`."""
    return f"{REPORTS}/statements/{page_name('', company)}/{month:%Y-%m}/"


def calendar_url(month: date | None = None) -> str:
    """URL of the team calendar's month (None: the section's page, this month)."""
    return f"{CALENDAR}/{month:%Y-%m}/" if month else f"{CALENDAR}/"


def own_calendar_url(kind: str, ident: str) -> str:
    """URL of a person's or a project's calendar page."""
    section = SECTIONS[kind]
    return f"{CALENDAR}/{section}/{page_name(section, ident)}/"


def feed_url(kind: str = "", ident: str = "") -> str:
    """URL of an iCalendar feed: a person's, a project's, or (no kind) the team's."""
    if not kind:
        return f"{CALENDAR}/team.ics"
    section = SECTIONS[kind]
    return f"{CALENDAR}/{section}/{page_name(section, ident)}.ics"


def mailto(address: str) -> str:
    """A mailto: link to `address`, percent-encoded: a `?` or `#` in what validation took
    for an address would otherwise add a subject, a copy or a body to the message."""
    return "mailto:" + quote(address, safe="@+")


def page_file(page_url: str) -> str:
    """The docs-relative Markdown file that MkDocs publishes at directory URL `page_url`."""
    return page_url.rstrip("/") + ".md"


def tag_urls(tags: Iterable[str]) -> dict[str, str]:
    """tag -> URL of its page, for every tag in `tags`, one page per distinct tag.

    Decided over the sorted set of tags, so the same tags give the same URLs whatever
    order they were met in; a tag's URL changes only when another tag comes to share (or
    stops sharing) its slug."""
    by_slug: dict[str, list[str]] = {}
    for tag in sorted(set(tags)):
        # a file name holds 255 bytes: a long tag is cut, and shares its slug if need be
        by_slug.setdefault(slugify(tag, max_length=_SLUG_MAX) or "tag", []).append(tag)
    names: dict[str, str] = {}
    for slug, group in by_slug.items():
        if len(group) == 1 and page_name(TAGS, slug) == slug:
            names[group[0]] = slug
    taken = set(names.values())
    for slug, group in by_slug.items():
        for tag in group:
            if tag not in names:
                names[tag] = name = _suffixed(slug, tag, taken)
                taken.add(name)
    return {tag: f"{TAGS}/{name}/" for tag, name in names.items()}


_SLUG_MAX = 80


def _suffixed(slug: str, tag: str, taken: set[str]) -> str:
    """`slug-<hash of tag>`: six hex digits, more in the unlikely case that the name is
    taken already (another tag's bare slug that reads just like it)."""
    digest = hashlib.sha1(tag.encode("utf-8", "surrogatepass")).hexdigest()
    for size in range(6, len(digest) + 1):
        name = f"{slug}-{digest[:size]}"
        if name not in taken:
            return name
    return f"{slug}-{digest}-{len(taken)}"  # two tags with one SHA-1: never seen yet
