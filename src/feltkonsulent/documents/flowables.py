"""The agreement's content as reportlab flowables: sections of labelled rows, annexes, the
signature blocks, and the internal note's findings. Every text passes through `markup()`.
A block with its captions (a declaration's boxes and lines for initials, a pair of signatures)
is kept together on one page."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from feltkonsulent.documents.fonts import BOLD, REGULAR
from feltkonsulent.documents.lines import Line
from feltkonsulent.documents.markup import markup
from feltkonsulent.documents.model import (
    AgreementData,
    NoteData,
    OverridePage,
    Row,
    Section,
    SignatureBlock,
    Summary,
)

# The page: A4, 20 mm margins, a header (title, version, QR code) and a footer (page number).
MARGIN, TOP, BOTTOM = 20 * mm, 34 * mm, 20 * mm
WIDTH = A4[0] - 2 * MARGIN
BODY_HEIGHT = A4[1] - TOP - BOTTOM
LABEL_WIDTH = 58 * mm
GREY = colors.HexColor("#555555")
RULE = colors.HexColor("#BBBBBB")
TINT = colors.HexColor("#EEF3F8")
# A table row cannot break across pages, and one taller than a page stops the build: content
# taller than this flows as paragraphs instead. Text shorter than MAYBE_TALL is not measured.
MAX_BLOCK = 0.6 * BODY_HEIGHT
MAYBE_TALL = 300


def _style(name: str, size: float = 9.5, font: str = REGULAR, **more: object) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=font, bulletFontName=font, fontSize=size,
                          leading=size * 1.35, alignment=TA_LEFT, **more)  # type: ignore[arg-type]


TITLE = _style("title", 17, BOLD, spaceAfter=3 * mm)
HEADING = _style("heading", 11.5, BOLD, spaceBefore=5 * mm, spaceAfter=2 * mm)
# Room a heading needs below it, or it moves to the next page with its section (cheaper than
# keepWithNext, which lays the next flowable out twice).
HEADING_ROOM = 30 * mm
SUBHEADING = _style("subheading", 10, BOLD, spaceBefore=4 * mm, spaceAfter=1 * mm)
BODY = _style("body", spaceBefore=1 * mm, spaceAfter=1 * mm)
LABEL = _style("label", 9, textColor=GREY)
VALUE = _style("value")
STRONG = _style("strong", font=BOLD)
SMALL = _style("small", 8, textColor=GREY)
CHOICE = _style("choice", leftIndent=6 * mm, firstLineIndent=-6 * mm, spaceBefore=0.5 * mm)
SENTENCE = _style("sentence", 10.5, leftIndent=4 * mm, firstLineIndent=-4 * mm, spaceAfter=0.8 * mm)


def para(text: str, style: ParagraphStyle = BODY) -> Flowable:
    """`text` as typed: one line drawn directly where it fits, else an escaped Paragraph."""
    if style.leftIndent or style.firstLineIndent:
        return Paragraph(markup(text), style)
    return Line(text, style)


def _fits(flowable: Flowable, width: float = WIDTH) -> bool:
    return flowable.wrap(width, BODY_HEIGHT)[1] <= MAX_BLOCK


def _maybe_tall(text: str) -> bool:
    return len(text) > MAYBE_TALL or text.count("\n") > 6


def _is_long(text: str, width: float = WIDTH) -> bool:
    """Too tall for a table cell `width` wide (measured only when it might be)."""
    return _maybe_tall(text) and not _fits(para(text, VALUE), width)


def _table(data: list[list[Flowable]], widths: list[float]) -> Table:
    table = Table(data, colWidths=widths, hAlign="LEFT")
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), REGULAR),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3 * mm),
        ("TOPPADDING", (0, 0), (-1, -1), 1.6 * mm),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.6 * mm),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
    ]
    table.setStyle(TableStyle(commands))
    return table


def rows(items: tuple[Row, ...]) -> list[Flowable]:
    """Short rows in a two-column table; a long value as paragraphs under its label."""
    out: list[Flowable] = []
    pending: list[list[Flowable]] = []

    def flush() -> None:
        if pending:
            out.append(_table(list(pending), [LABEL_WIDTH, WIDTH - LABEL_WIDTH]))
            pending.clear()

    for row in items:
        if _is_long(row.value, WIDTH - LABEL_WIDTH - 3 * mm):
            flush()
            out.append(para(row.label, LABEL))
            out.extend(para(line, VALUE) for line in row.value.split("\n"))
        else:
            pending.append([para(row.label, LABEL), para(row.value, VALUE)])
    flush()
    return out


def _lines(text: str, chars_per_line: int) -> int:
    return sum(1 + len(line) // chars_per_line for line in text.split("\n"))


def _estimate(item: Section) -> float:
    """Roughly how tall the section is (points), counted in lines: cheaper than laying it out."""
    line = VALUE.leading
    rows = sum(max(_lines(r.label, 34), _lines(r.value, 64)) * line + 3.2 * mm for r in item.rows)
    text = sum(_lines(p, 100) * line + 2 * mm for p in item.paragraphs)
    return 12.5 * mm + rows + len(item.choices) * line + text + (14 * mm if item.initials else 0)


def section(item: Section) -> list[Flowable]:
    """A heading and its rows; the section moves to the next page whole when it would otherwise
    be split while it is short (under half a page), so no row is left alone at a page's foot."""
    estimate = _estimate(item)
    keep = min(max(estimate, HEADING_ROOM), 0.45 * BODY_HEIGHT)
    out: list[Flowable] = [CondPageBreak(keep), para(item.heading, HEADING), *rows(item.rows)]
    if item.choices and item.rows:
        out.append(Spacer(1, 1.5 * mm))
    out += [para(("☒ " if c.ticked else "☐ ") + c.text, CHOICE) for c in item.choices]
    out += [para(text) for text in item.paragraphs]
    if item.initials:
        cells: list[list[Flowable]] = [[para(label, SMALL)] for label in item.initials]
        cells += [[], []]
        out.append(_lines_grid([(cells[0], cells[1])], [0]))
    if (item.choices or item.initials) and estimate < 0.8 * BODY_HEIGHT:
        # A declaration: its boxes, figures and lines for initials never part from the heading.
        return [out[0], KeepTogether(out[1:])]
    return out


def summary(item: Summary) -> list[Flowable]:
    sentences = [para("• " + s, SENTENCE) for s in item.sentences]
    box = Table([[[para(item.heading, STRONG), Spacer(1, 1.5 * mm), *sentences]]],
                colWidths=[WIDTH], hAlign="LEFT")
    box.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), REGULAR),  # else every cell sets Helvetica
                             ("BACKGROUND", (0, 0), (-1, -1), TINT),
                             ("BOX", (0, 0), (-1, -1), 0.5, RULE),
                             ("LEFTPADDING", (0, 0), (-1, -1), 4 * mm),
                             ("RIGHTPADDING", (0, 0), (-1, -1), 4 * mm),
                             ("TOPPADDING", (0, 0), (-1, -1), 3 * mm),
                             ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * mm)]))
    short = sum(len(s) + 100 * s.count("\n") for s in item.sentences) < 12 * MAYBE_TALL
    if short or _fits(box):
        return [box]
    return [para(item.heading, HEADING), *(para("• " + s, SENTENCE) for s in item.sentences)]


GAP = 12 * mm  # between two signature blocks (or two lines for initials)
LINE_SPACE = 10 * mm  # room above a line to write on


def _lines_grid(cells: list[tuple[list[Flowable], list[Flowable]]], ruled: list[int]) -> Table:
    """Blocks side by side, row by row, so their lines align (the middle column is a gap). Each
    row in `ruled` gets an empty row above it, of room to write in, ruled at its foot."""
    data: list[list[list[Flowable]]] = []
    heights: list[float | None] = []
    lines: list[tuple[int, int]] = []
    for index, (a, b) in enumerate(cells):
        if index in ruled:
            lines += [(col, len(data)) for col, cell in ((0, a), (2, b)) if cell]
            data.append([[], [], []])
            heights.append(LINE_SPACE)
        data.append([a, [], b])
        heights.append(None)
    grid = Table(data, colWidths=[(WIDTH - GAP) / 2, GAP, (WIDTH - GAP) / 2], rowHeights=heights,
                 hAlign="LEFT")
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), REGULAR),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0.5 * mm),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5 * mm),
    ]
    commands += [("LINEBELOW", (col, row), (col, row), 0.6, colors.black) for col, row in lines]
    grid.setStyle(TableStyle(commands))
    return grid


def _pair_rows(pair: list[SignatureBlock | None], data: AgreementData) -> Table:
    t = data.texts
    present = [b for b in pair if b is not None]

    rows: list[list[list[Flowable]]] = [
        [[para(b.party, STRONG)] if b else [] for b in pair],
        [[para(b.name or " ")] if b else [] for b in pair],
    ]
    if any(b.note for b in present):
        rows.append([[para(b.note, SMALL)] if b and b.note else [] for b in pair])
    ruled = []
    for label in (t.date, t.signature):
        ruled.append(len(rows))
        rows.append([[para(label, SMALL)] if b else [] for b in pair])
    if any(b.name_line for b in present):
        ruled.append(len(rows))
        rows.append([[para(t.name, SMALL)] if b and b.name_line else [] for b in pair])
    return _lines_grid([(r[0], r[1]) for r in rows], ruled)


def _flowing_blocks(data: AgreementData) -> list[Flowable]:
    t = data.texts
    out: list[Flowable] = []
    for b in data.signatures:
        out += [para(b.party, STRONG), para(b.name), para(b.note, SMALL)]
        out += [para(f"{label}: ______________________", SMALL)
                for label in [t.date, t.signature] + ([t.name] if b.name_line else [])]
        out.append(Spacer(1, 5 * mm))
    return out


def signatures(data: AgreementData) -> list[Flowable]:
    """Two blocks a row, their lines aligned, kept together with the heading; blocks too tall
    for that (a very long name) flow one after the other instead."""
    t = data.texts
    head: list[Flowable] = [para(t.signatures_heading, HEADING), para(t.signatures_intro)]
    blocks = list(data.signatures)
    pairs: list[list[SignatureBlock | None]] = [
        [*blocks[i:i + 2], *([None] * (2 - len(blocks[i:i + 2])))] for i in range(0, len(blocks), 2)]
    grids = [_pair_rows(pair, data) for pair in pairs]
    maybe_tall = any(_maybe_tall(b.name) or _maybe_tall(b.note) for b in blocks)
    if maybe_tall and not all(_fits(grid) for grid in grids):
        return [CondPageBreak(HEADING_ROOM), *head, *_flowing_blocks(data)]
    spaced: list[Flowable] = [f for grid in grids for f in (grid, Spacer(1, 8 * mm))]
    return [KeepTogether([*head, Spacer(1, 2 * mm), *spaced])]


def overrides(page: OverridePage) -> list[Flowable]:
    out: list[Flowable] = [para(page.intro)]
    for entry in page.entries:
        out += [CondPageBreak(HEADING_ROOM), para(f"{entry.title} ({entry.code})", SUBHEADING)]
        out += rows((Row(page.decided_label, entry.decided_on), Row(page.reason_label, entry.reason)))
    return out


def story(data: AgreementData) -> list[Flowable]:
    out: list[Flowable] = [para(data.title, TITLE), *summary(data.summary)]
    for item in data.sections:
        out += section(item)
    for annex in data.annexes:
        out += section(annex)
    out += signatures(data)
    return out


def note_story(data: NoteData) -> list[Flowable]:
    """The internal note: its heading, which placement it is about, and the findings."""
    return [para(data.title, TITLE), *rows(data.about), Spacer(1, 4 * mm), *overrides(data.page)]
