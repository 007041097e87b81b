"""What every generated PDF shares: A4 page, margins, ink, the CJK font's paragraph styles, the
header and "第 x 页 / 共 y 页" footer on each page, and building the file reproducibly.

``build_pdf`` writes reportlab's invariant mode with the creation date taken from the data
(``generated_at``), so the same data gives the same bytes; a signature added later
(``pdf_signing``) is an incremental update that leaves these bytes as they are.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any

from reportlab.lib import colors
from reportlab.lib import textsplit as rl_textsplit
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)
from reportlab.platypus import paragraph as rl_paragraph

PAGE_SIZE = A4
MARGIN_X = 25 * mm
MARGIN_TOP = 27 * mm
MARGIN_BOTTOM = 24 * mm
INK = colors.HexColor("#1A1A1A")
MUTED = colors.HexColor("#666666")
LINE = colors.HexColor("#9A9A9A")
SHADE = colors.HexColor("#F0F0F0")
GOOD = colors.HexColor("#1E6B34")
BAD = colors.HexColor("#A31515")
#: Chinese punctuation that must not start a line; reportlab's list has the Japanese set only.
_CANNOT_START = "\uff0c\uff1a\uff1b\uff1f\uff01\u201d\u2019\u300b\u3009\uff5d\u2026\uff05"
for _module in (rl_textsplit, rl_paragraph):  # wordSplit reads one, cjkFragSplit the other
    if _CANNOT_START not in _module.ALL_CANNOT_START:
        _module.ALL_CANNOT_START += _CANNOT_START


def body_width() -> float:
    return PAGE_SIZE[0] - 2 * MARGIN_X


def body_height() -> float:
    return PAGE_SIZE[1] - MARGIN_TOP - MARGIN_BOTTOM


def keep_rows_together(table: Table, groups: Sequence[tuple[int, int]] = ()) -> None:
    """Keep each group of rows (first, last) on one page, unless the group is so tall that
    keeping it would leave pages half empty. A row taller than a page is split inside (else
    reportlab cannot lay it out); only then, as an in-row split also ignores the groups."""
    table.wrap(body_width(), 10**7)  # every row measured (a shorter height stops early)
    heights = table._rowHeights
    table.splitInRow = int(bool(heights) and max(heights) > body_height() * 0.8)
    limit = body_height() * 0.4
    commands = [
        ("NOSPLIT", (0, first), (-1, last))
        for first, last in groups
        if sum(heights[first : last + 1]) <= limit
    ]
    if commands:
        table.setStyle(TableStyle(commands))


class BoldParagraph(Paragraph):
    """A paragraph drawn filled and stroked: a bold look from a font that has no bold face."""

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(self.style.textColor)
        canvas.setLineWidth(self.style.fontSize * 0.04)
        canvas._code.append("2 Tr")  # text render mode: fill, then stroke
        super().draw()
        canvas.restoreState()


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    title: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    cell: ParagraphStyle

    @classmethod
    def make(cls, font: str, locale: str, indent_em: float = 0) -> Styles:
        chinese = locale.startswith("zh")
        size = 11.0 if chinese else 10.5
        body = ParagraphStyle(
            "body",
            fontName=font,
            fontSize=size,
            leading=size * (1.7 if chinese else 1.45),
            textColor=INK,
            alignment=TA_JUSTIFY,
            wordWrap="CJK",
            firstLineIndent=indent_em * size,
            spaceAfter=size * 0.45,
        )
        heading = {"parent": body, "firstLineIndent": 0, "keepWithNext": 1, "alignment": TA_LEFT}
        return cls(
            body=body,
            title=ParagraphStyle(
                "title", **heading | {"fontSize": 17, "leading": 24, "alignment": TA_CENTER},
                spaceBefore=2, spaceAfter=14,
            ),
            h2=ParagraphStyle(
                "h2", **heading, fontSize=size + 1.5, leading=(size + 1.5) * 1.5,
                spaceBefore=size * 0.8, spaceAfter=size * 0.35,
            ),
            h3=ParagraphStyle("h3", **heading, spaceBefore=size * 0.5, spaceAfter=size * 0.2),
            cell=ParagraphStyle(
                "cell", parent=body, fontSize=size - 1.5, leading=(size - 1.5) * 1.45,
                firstLineIndent=0, alignment=TA_LEFT, spaceAfter=0,
            ),
        )  # fmt: skip


def markup(text: str, size: float) -> str:
    """Template markup to reportlab's: ``<code>`` becomes small, grey text."""
    code = f'<font size="{round(size * 0.86, 1)}" color="#3A3A3A">'
    return text.replace("<code>", code).replace("</code>", "</font>")


def paragraph(text: str, style: ParagraphStyle, bold: bool = False) -> Paragraph:
    kind = BoldParagraph if bold else Paragraph
    return kind(markup(text, style.fontSize), style)


@dataclass(frozen=True)
class Chrome:
    """What every page carries besides the body: header, footer and page numbers."""

    font: str
    header_left: str
    header_right: str
    footer_left: str
    page_of: Callable[[int, int], str]
    #: Pages without header and footer (a cover), counted from 1.
    bare_pages: frozenset[int] = frozenset()

    def draw(self, canvas: Canvas, page: int, pages: int) -> None:
        width, height = PAGE_SIZE
        canvas.saveState()
        canvas.setFont(self.font, 8.5)
        canvas.setFillColor(MUTED)
        canvas.setStrokeColor(LINE)
        canvas.setLineWidth(0.5)
        bottom = MARGIN_BOTTOM - 8 * mm
        if page not in self.bare_pages:
            top = height - MARGIN_TOP + 7 * mm
            canvas.drawString(MARGIN_X, top + 2.2 * mm, self.header_left)
            canvas.drawRightString(width - MARGIN_X, top + 2.2 * mm, self.header_right)
            canvas.line(MARGIN_X, top, width - MARGIN_X, top)
            canvas.line(MARGIN_X, bottom + 4 * mm, width - MARGIN_X, bottom + 4 * mm)
            canvas.drawString(MARGIN_X, bottom, self.footer_left)
        canvas.drawRightString(width - MARGIN_X, bottom, self.page_of(page, pages))
        canvas.restoreState()


def _canvas_maker(chrome: Chrome, creation_date: str) -> type[Canvas]:
    class _NumberedCanvas(Canvas):
        """Holds every page until the end so each footer can say how many pages there are."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []
            self.setDateFormatter(lambda *_: creation_date)

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                chrome.draw(self, number, total)
                super().showPage()
            super().save()

    return _NumberedCanvas


@dataclass(frozen=True)
class PdfMeta:
    title: str
    author: str
    subject: str
    keywords: str
    locale: str
    generated_at: datetime
    #: The company's time zone: the creation date is written on its wall clock.
    zone: tzinfo


def pdf_date(moment: datetime, zone: tzinfo) -> str:
    """A PDF date string (``D:20261207140500+08'00'``) of ``moment`` on ``zone``'s clock."""
    local = moment.astimezone(zone)
    minutes = int((local.utcoffset() or timedelta(0)).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return local.strftime("D:%Y%m%d%H%M%S") + f"{sign}{hours:02d}'{rest:02d}'"


def build_pdf(flowables: Sequence[Flowable], font: str, chrome: Chrome, meta: PdfMeta) -> bytes:
    """Lay ``flowables`` out on A4 pages with ``chrome``; the PDF's bytes."""
    chrome.page_of(1, 1)  # a broken page_of text fails here, not half-way through the build
    creation_date = pdf_date(meta.generated_at, meta.zone)
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=PAGE_SIZE,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=meta.title,
        author=meta.author,
        subject=meta.subject,
        creator="Casework",
        keywords=meta.keywords,
        invariant=True,
        initialFontName=font,
        lang="zh-CN" if meta.locale.startswith("zh") else meta.locale,
    )
    frame = Frame(
        doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body", showBoundary=0
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.build(list(flowables), canvasmaker=_canvas_maker(chrome, creation_date))
    return buffer.getvalue()
