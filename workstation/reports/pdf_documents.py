"""The case documents as PDF: investigation request, approval sheet, union notification and
termination notice, laid out from the editable templates with reportlab (platypus).

A4, the CJK font embedded, a header with the company and the case number, "第 N 页 共 M 页"
footers, PDF metadata, and byte-for-byte the same output for the same data (reportlab's
invariant mode with the creation date taken from ``generated_at``).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import unescape

from reportlab.lib import colors
from reportlab.lib import textsplit as rl_textsplit
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    HRFlowable,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import paragraph as rl_paragraph

from workstation.domain.localtime import LOCAL_TZ
from workstation.reports.document_context import Labels, build_context
from workstation.reports.document_data import CaseDocumentData, check_ready
from workstation.reports.fonts import register_cjk_font
from workstation.reports.template_blocks import (
    Block,
    Cell,
    Heading,
    ListBlock,
    Para,
    Rule,
    TableBlock,
    build_blocks,
)
from workstation.reports.templates import (
    TemplateError,
    default_templates_dir,
    fill_meta,
    load_template,
)

PAGE_SIZE = A4
MARGIN_X = 25 * mm
MARGIN_TOP = 27 * mm
MARGIN_BOTTOM = 24 * mm
INK = colors.HexColor("#1A1A1A")
MUTED = colors.HexColor("#666666")
LINE = colors.HexColor("#9A9A9A")
SHADE = colors.HexColor("#F0F0F0")
_ALIGN = {"justify": TA_JUSTIFY, "left": TA_LEFT, "right": TA_RIGHT, "center": TA_CENTER}
#: Chinese punctuation that must not start a line; reportlab's list has the Japanese set only.
_CANNOT_START = "\uff0c\uff1a\uff1b\uff1f\uff01\u201d\u2019\u300b\u3009\uff5d\u2026\uff05"
for _module in (rl_textsplit, rl_paragraph):  # wordSplit reads one, cjkFragSplit the other
    if _CANNOT_START not in _module.ALL_CANNOT_START:
        _module.ALL_CANNOT_START += _CANNOT_START


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
class _Styles:
    body: ParagraphStyle
    title: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    cell: ParagraphStyle

    @classmethod
    def make(cls, font: str, locale: str, indent_em: float) -> _Styles:
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


def _markup(text: str, size: float) -> str:
    code = f'<font size="{round(size * 0.86, 1)}" color="#3A3A3A">'
    return text.replace("<code>", code).replace("</code>", "</font>")


def _paragraph(text: str, style: ParagraphStyle, bold: bool) -> Paragraph:
    kind = BoldParagraph if bold else Paragraph
    return kind(_markup(text, style.fontSize), style)


def _table(block: TableBlock, styles: _Styles, width: float) -> Table:
    def cell(c: Cell, header: bool) -> Flowable:
        if not c.text and not c.merged and not header:
            return Spacer(1, styles.cell.leading * 1.8)  # left blank to be signed or filled in
        return _paragraph(c.text, styles.cell, bold=c.bold or header)

    rows = [
        [cell(c, index < block.header_rows) for c in row] for index, row in enumerate(block.rows)
    ]
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), styles.cell.fontName),  # else Helvetica is listed
        ("GRID", (0, 0), (-1, -1), 0.5, LINE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
    ]
    if block.header_rows:
        commands.append(("BACKGROUND", (0, 0), (-1, block.header_rows - 1), SHADE))
    for r, row in enumerate(block.rows):
        if r >= block.header_rows:
            commands += [("BACKGROUND", (c, r), (c, r), SHADE) for c, x in enumerate(row) if x.bold]
        for c, x in enumerate(row):
            if not x.merged and c + 1 < len(row) and row[c + 1].merged:
                end = c + 1
                while end + 1 < len(row) and row[end + 1].merged:
                    end += 1
                commands.append(("SPAN", (c, r), (end, r)))
    table = Table(
        rows,
        colWidths=[w * width for w in block.widths],
        repeatRows=block.header_rows,
        style=TableStyle(commands),
        hAlign="LEFT",
    )
    table.spaceBefore = 3
    table.spaceAfter = styles.body.fontSize * 0.8
    return table


def _flowable(block: Block, styles: _Styles, width: float) -> Flowable | list[Flowable]:
    if isinstance(block, Heading):
        style = {1: styles.title, 2: styles.h2}.get(block.level, styles.h3)
        return _paragraph(block.text, style, bold=True)
    if isinstance(block, Para):
        style = styles.body
        if block.align != "justify":
            extra = {"spaceBefore": style.fontSize * 1.2} if block.align == "right" else {}
            style = ParagraphStyle(
                f"body-{block.align}",
                parent=style,
                alignment=_ALIGN[block.align],
                firstLineIndent=0,
                **extra,
            )
        paragraph = _paragraph(block.text, style, bold=block.bold)
        if block.text.endswith(("：", ":")):
            paragraph.keepWithNext = 1  # it introduces what follows
        return paragraph
    if isinstance(block, ListBlock):
        # items are plain paragraphs with a bullet, so a heading's keepWithNext holds on them
        size = styles.body.fontSize
        item_style = ParagraphStyle(
            "item",
            parent=styles.body,
            firstLineIndent=0,
            leftIndent=size * 1.9,
            bulletIndent=size * 0.3 if block.ordered else size * 0.6,
            bulletFontName=styles.body.fontName,
            bulletFontSize=size if block.ordered else size * 1.2,
            spaceAfter=size * 0.2,
        )
        items = []
        for number, text in enumerate(block.items, start=block.start):
            bullet = f"{number}." if block.ordered else "•"
            items.append(Paragraph(_markup(text, size), item_style, bulletText=bullet))
        return items
    if isinstance(block, TableBlock):
        return _table(block, styles, width)
    assert isinstance(block, Rule)
    return HRFlowable(width="100%", thickness=0.6, color=LINE, spaceBefore=6, spaceAfter=8)


@dataclass(frozen=True)
class _Chrome:
    """What every page carries besides the body: header, footer and page numbers."""

    font: str
    header_left: str
    header_right: str
    footer_left: str
    page_of: Callable[[int, int], str]

    def draw(self, canvas: Canvas, page: int, pages: int) -> None:
        width, height = PAGE_SIZE
        canvas.saveState()
        canvas.setFont(self.font, 8.5)
        canvas.setFillColor(MUTED)
        canvas.setStrokeColor(LINE)
        canvas.setLineWidth(0.5)
        top = height - MARGIN_TOP + 7 * mm
        canvas.drawString(MARGIN_X, top + 2.2 * mm, self.header_left)
        canvas.drawRightString(width - MARGIN_X, top + 2.2 * mm, self.header_right)
        canvas.line(MARGIN_X, top, width - MARGIN_X, top)
        bottom = MARGIN_BOTTOM - 8 * mm
        canvas.line(MARGIN_X, bottom + 4 * mm, width - MARGIN_X, bottom + 4 * mm)
        canvas.drawString(MARGIN_X, bottom, self.footer_left)
        canvas.drawRightString(width - MARGIN_X, bottom, self.page_of(page, pages))
        canvas.restoreState()


def _canvas_maker(chrome: _Chrome, creation_date: str) -> type[Canvas]:
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


def _plain(text: str) -> str:
    return unescape(text.replace("<code>", "").replace("</code>", ""))


def render_document(
    data: CaseDocumentData, templates_dir: Path | None = None, font_path: Path | None = None
) -> bytes:
    """The document ``data.kind`` in ``data.locale`` as PDF bytes.

    Raises :class:`~workstation.reports.document_data.DocumentDataError` when the case lacks
    what the document must state, and :class:`TemplateError` when a template cannot be filled.
    """
    check_ready(data)
    folder = templates_dir or default_templates_dir()
    labels = Labels.load(folder, data.locale)
    template = load_template(folder, data.kind.value, data.locale)
    context = build_context(data, labels)
    meta = {key: _plain(value) for key, value in fill_meta(template, context).items()}
    blocks = build_blocks(template, context)
    try:
        indent = float(meta.get("indent") or 0)
    except ValueError as exc:
        raise TemplateError(template.name, template.meta["indent"][0], "indent: a number") from exc

    font = register_cjk_font(font_path)
    styles = _Styles.make(font, data.locale, indent)
    width = PAGE_SIZE[0] - 2 * MARGIN_X
    document_name = labels.word("documents", data.kind.value)
    generated = labels.datetime(data.generated_at) or ""
    fields = {"case_number": data.case_number, "document": document_name}
    chrome = _Chrome(
        font=font,
        header_left=data.company.name,
        header_right=labels.text("page", "header", **fields),
        footer_left=labels.text("page", "footer", generated_at=generated, **fields),
        page_of=lambda n, m: labels.text("page", "page_of", page=str(n), pages=str(m)),
    )
    chrome.page_of(1, 1)  # a broken page_of text fails here, not half-way through the build
    local = data.generated_at.astimezone(LOCAL_TZ)
    creation_date = local.strftime("D:%Y%m%d%H%M%S+08'00'")

    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=PAGE_SIZE,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=meta["title"],
        author=data.company.name,
        subject=meta.get("subject") or f"{document_name} · {data.case_number}",
        creator="Casework",
        keywords=f"{data.case_number}, {data.kind.value}",
        invariant=True,
        initialFontName=font,
        lang="zh-CN" if data.locale.startswith("zh") else data.locale,
    )
    frame = Frame(
        doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body", showBoundary=0
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    flowables: list[Flowable] = []
    for block in blocks:
        flowable = _flowable(block, styles, width)
        if isinstance(flowable, list):
            flowable[-1].spaceAfter = styles.body.spaceAfter  # the list's own gap below it
            flowables.extend(flowable)
        else:
            if isinstance(block, Para) and block.align == "right" and flowables:
                # a signature block never starts a page alone: it stays with what it signs
                flowables[-1].keepWithNext = 1
            flowables.append(flowable)
    doc.build(flowables, canvasmaker=_canvas_maker(chrome, creation_date))
    return buffer.getvalue()
