"""axe-core in a Playwright page: inject the vendored checker, run it over WCAG 2.0/2.1 A and
AA, and tell what failed in a form a failing assertion can show.

    from axe import run_axe
    assert run_axe(probe.page) == []

The checker comes from tests/vendor/axe-core/axe.min.js (see its README: version and source);
nothing is fetched at run time. It is evaluated through Playwright (the DevTools protocol),
not added as a <script>, so a page whose Content-Security-Policy forbids inline scripts (the
client portal) is checked as it ships: the test never loosens the page's own policy.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
# WCAG 2.0 and 2.1, levels A and AA: what the product promises (2.2 and best practices are not).
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# ...plus the best-practice rules behind faults a screen reader user meets on these pages
# (issue 19 names them): a nameless dialog, empty table headers, landmarks of one name.
EXTRA_RULES = ["aria-dialog-name", "empty-table-header", "landmark-unique"]


@functools.cache
def axe_source() -> str:
    """The vendored axe-core bundle's text."""
    return AXE.read_text(encoding="utf-8")


@dataclass(frozen=True)
class Violation:
    """One failed rule on one page: its id, impact and the first few offending elements."""

    rule: str
    impact: str
    count: int
    targets: tuple[str, ...]
    summary: str

    def __str__(self) -> str:
        shown = "; ".join(self.targets)
        return f"{self.rule} ({self.impact}) x{self.count}: {self.summary} -- {shown}"


def inject(page: Any) -> None:
    """Load axe-core into `page` unless it is there already."""
    if not page.evaluate("typeof window.axe === 'object'"):
        # evaluated as a script through the DevTools protocol: the page's CSP does not apply
        page.evaluate(axe_source() + "\n;undefined")


def run_axe(page: Any, *, shown: int = 4) -> list[Violation]:
    """Every WCAG 2.0/2.1 A/AA rule (and EXTRA_RULES) `page` fails, sorted by rule id
    (empty when it passes)."""
    inject(page)
    raw: list[dict[str, Any]] = page.evaluate(
        """async ([tags, extra]) => {
            const rules = Object.fromEntries(extra.map(id => [id, {enabled: true}]));
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, rules,
                                                resultTypes: ['violations']});
            return r.violations.map(v => ({
                rule: v.id, impact: v.impact || '', help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '),
                                          summary: n.failureSummary || ''})),
            }));
        }""",
        [TAGS, EXTRA_RULES],
    )
    out = []
    for v in raw:
        nodes = v["nodes"]
        first = nodes[0]["summary"].splitlines()[-1].strip() if nodes else ""
        out.append(
            Violation(
                rule=v["rule"],
                impact=v["impact"],
                count=len(nodes),
                targets=tuple(n["target"] for n in nodes[:shown]),
                summary=f"{v['help']}. {first}",
            )
        )
    return sorted(out, key=lambda v: v.rule)
