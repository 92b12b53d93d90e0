"""A line of plain text that lays itself out without reportlab's paragraph machinery when it
fits on one line (most labels and values do), and as a Paragraph when it does not.

A Paragraph parses markup, breaks lines and draws through a text object: most of the time an
agreement takes. A line that fits is drawn with drawString, which reads no markup at all.
"""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph

from feltkonsulent.documents.markup import markup, plain


class Line(Flowable):
    def __init__(self, text: str, style: ParagraphStyle) -> None:
        super().__init__()
        self.text = plain(text)
        self.style = style
        self._paragraph: Paragraph | None = None
        self._simple = "\n" not in self.text

    def _as_paragraph(self) -> Paragraph:
        if self._paragraph is None:
            self._paragraph = Paragraph(markup(self.text), self.style)
        return self._paragraph

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        style = self.style
        if (self._paragraph is None and self._simple
                and stringWidth(self.text, style.fontName, style.fontSize) <= availWidth):
            self.width, self.height = availWidth, style.leading
            return self.width, self.height
        width, height = self._as_paragraph().wrap(availWidth, availHeight)
        self.width, self.height = width, height
        return width, height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        if self._paragraph is None:
            return []  # one line: it moves, it does not split
        parts: list[Flowable] = self._paragraph.split(availWidth, availHeight)
        return parts

    def draw(self) -> None:
        if self._paragraph is not None:
            self._paragraph.drawOn(self.canv, 0, 0)
            return
        style = self.style
        self.canv.setFont(style.fontName, style.fontSize)
        self.canv.setFillColor(style.textColor)
        # Where Paragraph puts its first baseline (rl_config.paraFontSizeHeightOffset).
        self.canv.drawString(0, self.height - style.fontSize, self.text)
