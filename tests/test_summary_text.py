"""The default summary (first paragraph as text) skips the Markdown conversion for a paragraph without
markup (issue 15): it must give exactly what the conversion gives, and convert whatever has markup."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from smartnotes.content import text
from smartnotes.content.text import first_paragraph, html_to_text, is_plain_paragraph


def converted(block: str) -> str:
    text._MD.reset()
    return html_to_text(text._MD.convert(block))


# Prose (with characters the check lets through: + | ~ - digits), and with markup, so both answers come up.
PROSE = "ab Cé.,;:'\"()?-+|~1\n  "
ALPHABET = PROSE + "\\`*_[]!<>&{}#=\t"


@settings(max_examples=600, deadline=None)
@given(st.one_of(st.text(alphabet=PROSE, min_size=1, max_size=80), st.text(alphabet=ALPHABET, min_size=1, max_size=60)))
def test_a_plain_paragraph_is_its_own_text(block):
    block = block.strip("\n")
    if block.strip() and "\n\n" not in block and is_plain_paragraph(block):
        assert " ".join(block.split()) == converted(block)


@pytest.mark.parametrize("block", [
    "Text with *emphasis*", "A [link](x.md) here", "Tom & Jerry &amp; co", "Title\n=====", "Title\n-----",
    "Line\n- - -", "---", "- - -", "Line\n# heading", "    code block", "An <b>tag</b>", "Back\\slash", "Code `x`",
    "attr {: .x }", "snake_case_word",
])
def test_markup_is_converted(block):
    assert not is_plain_paragraph(block)


def test_first_paragraph_with_and_without_markup(monkeypatch):
    calls = []
    convert = text._MD.convert
    monkeypatch.setattr(text._MD, "convert", lambda source: calls.append(source) or convert(source))
    assert first_paragraph("# Heading\n\nJust  words,\nover two lines.\n\nMore.") == "Just words, over two lines."
    assert calls == []
    assert first_paragraph("Some *bold* words & more.") == "Some bold words & more."
    assert calls == ["Some *bold* words & more."]
