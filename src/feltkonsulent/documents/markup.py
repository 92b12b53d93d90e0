"""User text made safe for reportlab's paragraph markup: printed literally, never interpreted.

reportlab parses a Paragraph's text as markup (`<img src=…>` would load a file, `<link>` makes
a link, `&#x41;` becomes "A"), so every string of an agreement passes through `markup()`.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

# Control characters (but the newline) would reach the PDF as glyphs the font lacks, or break
# the parser (NUL); a tab is a space.
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def plain(text: str) -> str:
    """Newlines normalised, control characters and lone surrogates replaced by a space / '?'."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub(" ", text)
    return text.encode("utf-8", "replace").decode("utf-8")


def markup(text: str) -> str:
    """`<b>&amp;</b>` -> `&lt;b&gt;&amp;amp;&lt;/b&gt;`; newlines become `<br/>`, the only markup
    that reaches reportlab from user text."""
    return "<br/>".join(escape(line) for line in plain(text).split("\n"))
