"""Markup that assistive technology needs, checked without a browser: a task list's
checkboxes in record bodies have a name, on every path a body takes to HTML."""

from __future__ import annotations

import pytest

from builder.render.markdown import BodyRenderer


@pytest.mark.parametrize("raw_html", [False, True])
@pytest.mark.parametrize(
    "body", ["- [x] Hero\n- [ ] Blocks\n", "- [x] Hero <b>now</b>\n- [ ] Blocks\n"]
)
def test_checklist_boxes_are_named(body: str, raw_html: bool) -> None:
    html = BodyRenderer(raw_html, "Пункт чеклиста")(body)
    assert html.count('<input type="checkbox" aria-label="Пункт чеклиста"') == 2
    assert html.count("<input") == 2


def test_a_name_is_escaped_and_never_doubled() -> None:
    html = BodyRenderer(True, 'a "b" <c>')('- [ ] x\n\n<input type="checkbox" aria-label="mine">\n')
    assert '<input type="checkbox" aria-label="a &#34;b&#34; &lt;c&gt;" disabled="" />' in html
    assert '<input type="checkbox" aria-label="mine">' in html


def test_without_a_name_bodies_are_as_before() -> None:
    assert BodyRenderer()("- [x] Hero\n") == (
        '<ul>\n<li><input type="checkbox" checked="" disabled="" /> Hero</li>\n</ul>\n'
    )
