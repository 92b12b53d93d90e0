"""A line of text is drawn directly where it fits on one line, else laid out as a Paragraph."""

from __future__ import annotations

import pytest
from reportlab.platypus import Paragraph

from feltkonsulent.documents.flowables import LABEL, VALUE
from feltkonsulent.documents.fonts import register
from feltkonsulent.documents.lines import Line
from tests.documents.conftest import FONTS


@pytest.fixture(autouse=True)
def fonts() -> None:
    register(FONTS)  # stringWidth needs the font


def test_a_short_line_is_one_line_high_and_needs_no_paragraph() -> None:
    line = Line("<b>Bageriet</b> &amp; Søn", VALUE)
    assert line.wrap(300, 800) == (300, VALUE.leading)
    assert line._paragraph is None
    assert line.split(300, 5) == []  # one line moves to the next page, it does not split


def test_a_long_or_broken_line_becomes_an_escaped_paragraph() -> None:
    long = Line("ord " * 200, LABEL)
    _, height = long.wrap(150, 800)
    assert isinstance(long._paragraph, Paragraph) and height > 10 * LABEL.leading
    broken = Line("første\nanden <i>", VALUE)
    assert broken.wrap(300, 800)[1] == 2 * VALUE.leading
    assert broken._paragraph is not None and "&lt;i&gt;" in broken._paragraph.text
