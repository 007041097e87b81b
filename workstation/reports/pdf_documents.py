"""The case documents as PDF: investigation request, approval sheet, union notification and
termination notice, laid out from the editable templates with reportlab (platypus).

A4, the CJK font embedded, a header with the company and the case number, "第 x 页 / 共 y 页"
footers, PDF metadata, and byte-for-byte the same output for the same data (see
``pdf_layout``, which the evidence dossier shares).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.sax.saxutils import unescape

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    HRFlowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from workstation.reports.document_context import Labels, build_context
from workstation.reports.document_data import CaseDocumentData, check_ready
from workstation.reports.fonts import register_cjk_font
from workstation.reports.pdf_layout import (
    LINE,
    SHADE,
    Chrome,
    PdfMeta,
    Styles,
    body_width,
    build_pdf,
    keep_rows_together,
    markup,
    paragraph,
)
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

_ALIGN = {"justify": TA_JUSTIFY, "left": TA_LEFT, "right": TA_RIGHT, "center": TA_CENTER}


def _group_end(block: TableBlock, row: int, column: int | None = None) -> int:
    """The last row merged (``^``) into ``row``: in ``column``, or in any column."""
    end = row
    while end + 1 < len(block.rows):
        below = block.rows[end + 1]
        cells = below if column is None else below[column : column + 1]
        if not any(c.merged_up for c in cells):
            break
        end += 1
    return end


def _room_for_table(flowables: list[Flowable], block: TableBlock, table: Table) -> None:
    """A heading (or a line ending in a colon) kept with the table below it would, with a long
    table, push both to the next page and leave the page half empty. Instead the heading
    starts a new page only when it would not have its table's first rows below it."""
    chain: list[Flowable] = []
    while flowables and flowables[-1].getKeepWithNext():
        chain.insert(0, flowables.pop())
    if not chain:
        return
    width = body_width()
    needed = 0.0
    for flowable in chain:
        flowable.keepWithNext = 0
        needed += flowable.wrap(width, 10_000)[1] + flowable.getSpaceBefore()
        needed += flowable.getSpaceAfter()
    table.wrap(width, 10_000)
    first = min(len(block.rows) - 1, block.header_rows)
    shown = min(len(block.rows), _group_end(block, first) + 2)
    needed += sum(table._rowHeights[:shown]) + table.getSpaceBefore()
    flowables += [CondPageBreak(needed), *chain]


def _table(block: TableBlock, styles: Styles, width: float) -> Table:
    def cell(c: Cell, header: bool) -> Flowable:
        if not c.text and not c.merged and not c.merged_up and not header:
            return Spacer(1, styles.cell.leading * 1.8)  # left blank to be signed or filled in
        return paragraph(c.text, styles.cell, bold=c.bold or header)

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
    groups: list[tuple[int, int]] = []
    for r, row in enumerate(block.rows):
        if r >= block.header_rows:
            commands += [("BACKGROUND", (c, r), (c, r), SHADE) for c, x in enumerate(row) if x.bold]
        for c, x in enumerate(row):
            if not x.merged and c + 1 < len(row) and row[c + 1].merged:
                end = c + 1
                while end + 1 < len(row) and row[end + 1].merged:
                    end += 1
                commands.append(("SPAN", (c, r), (end, r)))
            if not x.merged_up and (below := _group_end(block, r, c)) > r:
                commands.append(("SPAN", (c, r), (c, below)))
        first_of_group = r >= block.header_rows and not any(x.merged_up for x in row)
        if first_of_group and (end_row := _group_end(block, r)) > r:
            groups.append((r, end_row))  # rows merged by ^ stay together
    table = Table(
        rows,
        colWidths=[w * width for w in block.widths],
        repeatRows=block.header_rows,
        style=TableStyle(commands),
        hAlign="LEFT",
    )
    keep_rows_together(table, groups)
    table.spaceBefore = 3
    table.spaceAfter = styles.body.fontSize * 0.8
    return table


def _flowable(block: Block, styles: Styles, width: float) -> Flowable | list[Flowable]:
    if isinstance(block, Heading):
        style = {1: styles.title, 2: styles.h2}.get(block.level, styles.h3)
        return paragraph(block.text, style, bold=True)
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
        para = paragraph(block.text, style, bold=block.bold)
        if block.text.endswith(("：", ":")):
            para.keepWithNext = 1  # it introduces what follows
        return para
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
            items.append(Paragraph(markup(text, size), item_style, bulletText=bullet))
        return items
    if isinstance(block, TableBlock):
        return _table(block, styles, width)
    assert isinstance(block, Rule)
    return HRFlowable(width="100%", thickness=0.6, color=LINE, spaceBefore=6, spaceAfter=8)


def _lay_out(blocks: list[Block], styles: Styles, width: float) -> list[Flowable]:
    flowables: list[Flowable] = []
    tear_off: int | None = None
    for block in blocks:
        flowable = _flowable(block, styles, width)
        if isinstance(flowable, list):
            flowable[-1].spaceAfter = styles.body.spaceAfter  # the list's own gap below it
            flowables.extend(flowable)
            continue
        if isinstance(block, Para) and block.align == "right" and flowables:
            # a signature block never starts a page alone: it stays with what it signs
            flowables[-1].keepWithNext = 1
        if isinstance(block, TableBlock) and isinstance(flowable, Table):
            _room_for_table(flowables, block, flowable)
        if isinstance(block, Rule):
            tear_off = len(flowables)
        flowables.append(flowable)
    if tear_off is not None:
        # what follows the last rule (a tear-off acknowledgement of receipt) stays on one page
        flowables[tear_off:] = [KeepTogether(flowables[tear_off:])]
    return flowables


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
    labels = Labels.load(folder, data.locale, data.zone)
    template = load_template(folder, data.kind.value, data.locale)
    context = build_context(data, labels)
    meta = {key: _plain(value) for key, value in fill_meta(template, context).items()}
    blocks = build_blocks(template, context)
    try:
        indent = float(meta.get("indent") or 0)
    except ValueError as exc:
        raise TemplateError(template.name, template.meta["indent"][0], "indent: a number") from exc

    font = register_cjk_font(font_path)
    styles = Styles.make(font, data.locale, indent)
    width = body_width()
    document_name = labels.word("documents", data.kind.value)
    generated = labels.datetime(data.generated_at) or ""
    fields = {"case_number": data.case_number, "document": document_name}
    chrome = Chrome(
        font=font,
        header_left=data.company.name,
        header_right=labels.text("page", "header", **fields),
        footer_left=labels.text("page", "footer", generated_at=generated, **fields),
        page_of=lambda n, m: labels.text("page", "page_of", page=str(n), pages=str(m)),
    )
    flowables = _lay_out(blocks, styles, width)
    pdf_meta = PdfMeta(
        title=meta["title"],
        author=data.company.name,
        subject=meta.get("subject") or f"{document_name} · {data.case_number}",
        keywords=f"{data.case_number}, {data.kind.value}",
        locale=data.locale,
        generated_at=data.generated_at,
        zone=data.zone,
    )
    return build_pdf(flowables, font, chrome, pdf_meta)
