"""The agreement rendered to PDF with reportlab: A4, a header with the title, version and QR
code, "Page 1 of 3" in the footer, the embedded font, and the same bytes for the same input; and
the internal note (no QR code: it is not an agreement version)."""

from __future__ import annotations

import functools
import io
import itertools
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from feltkonsulent.documents.flowables import (
    BOTTOM,
    GREY,
    MARGIN,
    RULE,
    TOP,
    WIDTH,
    note_story,
    story,
)
from feltkonsulent.documents.fonts import BOLD, REGULAR, register
from feltkonsulent.documents.markup import plain
from feltkonsulent.documents.model import AgreementData, NoteData

Document = AgreementData | NoteData

PAGE_WIDTH, PAGE_HEIGHT = A4
QR_SIZE = 22 * mm
QR_FORM = "agreementQR"
QR_QUIET = 4  # modules of white around the code, as the standard asks

# reportlab keeps per-process state (fonts' subsets, rl_config): one document at a time.
_build_lock = threading.Lock()


@functools.lru_cache(maxsize=64)  # the preview, the print and the save of one version
def _qr_modules(payload: str) -> tuple[tuple[bool, ...], ...]:
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(payload)
    code.make()
    return tuple(tuple(bool(dark) for dark in row) for row in code.modules)


def _qr_blocks(modules: tuple[tuple[bool, ...], ...]) -> list[tuple[int, int, int, int]]:
    """The dark modules as rectangles (column, row, width, height): each row's runs, merged
    with the same run in the rows below."""
    runs: dict[tuple[int, int], tuple[int, int]] = {}  # (column, width) -> (first row, rows)
    blocks = []
    for r, row in enumerate(modules):
        seen: set[tuple[int, int]] = set()
        c = 0
        for dark, group in itertools.groupby(row):
            width = len(list(group))
            if dark:
                key = (c, width)
                first, count = runs.get(key, (r, 0))
                runs[key] = (first, count + 1)
                seen.add(key)
            c += width
        for key in [k for k in runs if k not in seen]:
            first, count = runs.pop(key)
            blocks.append((key[0], first, key[1], count))
    blocks += [(c, first, w, count) for (c, w), (first, count) in runs.items()]
    return blocks


def _qr_form(canvas: Canvas, payload: str) -> None:
    """The QR code once per document, as a form that every page's header reuses: one path of
    rectangles in module units (reportlab's QrCodeWidget draws a shape per run, far slower)."""
    modules = _qr_modules(payload)
    count = len(modules) + 2 * QR_QUIET
    canvas.beginForm(QR_FORM, 0, 0, QR_SIZE, QR_SIZE)
    canvas.scale(QR_SIZE / count, QR_SIZE / count)
    path = canvas.beginPath()
    for column, row, width, height in _qr_blocks(modules):
        path.rect(column + QR_QUIET, count - QR_QUIET - row - height, width, height)
    canvas.setFillColor(colors.black)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.endForm()


class _NumberedCanvas(Canvas):
    """Holds the pages back until the end, so each footer can say how many pages there are."""

    def __init__(self, *args: Any, data: Document, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._data = data
        self._pages: list[dict[str, Any]] = []
        day = data.issued_on
        # The creation date is the issue date, so the same agreement gives the same bytes.
        self.setDateFormatter(
            lambda *_: f"D:{day.year:04d}{day.month:02d}{day.day:02d}000000+00'00'")
        if isinstance(data, AgreementData):
            _qr_form(self, data.qr)

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # reportlab's page-x-of-y recipe

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._footer(number, total)
            super().showPage()
        super().save()

    def _footer(self, number: int, total: int) -> None:
        texts = self._data.texts
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.4)
        self.line(MARGIN, 14 * mm, PAGE_WIDTH - MARGIN, 14 * mm)
        self.setFillColor(GREY)
        self.setFont(REGULAR, 8)
        page = texts.page.format(page=number, pages=total)
        room = WIDTH - stringWidth(page, REGULAR, 8) - 10 * mm
        self.drawString(MARGIN, 10 * mm, _shortened(f"{self._data.title} · {texts.municipality}", room))
        self.drawRightString(PAGE_WIDTH - MARGIN, 10 * mm, page)
        self.restoreState()


def _shortened(text: str, width: float) -> str:
    """`text` cut with an ellipsis to fit `width` in the footer's font."""
    text = plain(text).replace("\n", " ")[:300]
    if stringWidth(text, REGULAR, 8) <= width:
        return text
    while text and stringWidth(text + "…", REGULAR, 8) > width:
        text = text[:-1]
    return text + "…"


def _header(canvas: Canvas, data: Document) -> None:
    texts = data.texts
    canvas.saveState()
    canvas.setFont(BOLD, 9)
    canvas.drawString(MARGIN, PAGE_HEIGHT - 14 * mm, data.title)
    canvas.setFont(REGULAR, 8)
    canvas.setFillColor(GREY)
    canvas.drawString(MARGIN, PAGE_HEIGHT - 18.5 * mm,
                      " · ".join(t for t in (texts.version, texts.issued) if t))
    if isinstance(data, AgreementData):
        canvas.translate(PAGE_WIDTH - MARGIN - QR_SIZE + 4 * mm, PAGE_HEIGHT - 6 * mm - QR_SIZE)
        canvas.doForm(QR_FORM)
    canvas.restoreState()
    canvas.saveState()
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.4)
    canvas.line(MARGIN, PAGE_HEIGHT - TOP + 4 * mm, PAGE_WIDTH - MARGIN, PAGE_HEIGHT - TOP + 4 * mm)
    canvas.restoreState()


def _render(data: Document, fonts: Path, flowables: Callable[[], list[Any]]) -> bytes:
    register(fonts)  # before the flowables are made: a Paragraph looks its font up at once
    out = io.BytesIO()
    doc = BaseDocTemplate(
        out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=TOP,
        bottomMargin=BOTTOM, title=data.metadata_title, author=data.texts.municipality,
        subject=data.title, creator="Feltkonsulent", keywords=[], invariant=1,
        initialFontName=REGULAR, lang="da" if data.language == "da" else "en",
    )
    frame = Frame(MARGIN, BOTTOM, PAGE_WIDTH - 2 * MARGIN, PAGE_HEIGHT - TOP - BOTTOM,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
    doc.addPageTemplates([PageTemplate("page", [frame], onPage=lambda c, _d: _header(c, data))])
    with _build_lock:
        doc.build(flowables(), canvasmaker=lambda *a, **k: _NumberedCanvas(*a, data=data, **k))
    return out.getvalue()


def render_agreement(data: AgreementData, fonts: Path) -> bytes:
    """The agreement as PDF bytes; `fonts` is the folder with the font files (resources/fonts).
    The same data gives the same bytes (the SHA-256 of an issued version)."""
    return _render(data, fonts, lambda: story(data))


def render_note(data: NoteData, fonts: Path) -> bytes:
    """The internal note (the rules gone past, with the reasons) as PDF bytes."""
    return _render(data, fonts, lambda: note_story(data))
