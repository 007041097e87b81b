"""Building blocks for a report laid out in Python rather than from a template: words from a
section of the labels file (XML-escaped), paragraphs, and ruled tables whose cells wrap.

English text wraps between words; Chinese anywhere (``wordWrap="CJK"``), and so do checksums
and fingerprints (``hex`` style), which have no spaces to break at.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, TypeAlias
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Table, TableStyle

from workstation.reports.document_context import Labels
from workstation.reports.pdf_layout import (
    BAD,
    GOOD,
    LINE,
    MUTED,
    SHADE,
    Styles,
    body_width,
    keep_rows_together,
)
from workstation.reports.pdf_layout import paragraph as make_paragraph

#: A table cell: markup text, a flowable, or flowables stacked.
Cell: TypeAlias = str | Flowable | list[Flowable]


class LabelledTables:
    def __init__(self, labels: Labels, styles: Styles, section: str, locale: str) -> None:
        self.labels = labels
        self.styles = styles
        self.section = section
        self.locale = locale
        self.width = body_width()
        wrap = "CJK" if locale.startswith("zh") else None
        cell = ParagraphStyle("table-cell", parent=styles.cell, wordWrap=wrap)
        self.cell = cell
        size = cell.fontSize - 1.2
        self.small = ParagraphStyle("small", parent=cell, fontSize=size, leading=size * 1.4)
        self.muted = ParagraphStyle("muted", parent=self.small, textColor=MUTED)
        self.hex = ParagraphStyle(
            "hex", parent=self.small, textColor=colors.HexColor("#3A3A3A"), wordWrap="CJK"
        )

    # -- words ----------------------------------------------------------------------------------

    def t(self, label: str, /, **fields: object) -> str:
        """The section's text ``label`` filled with ``fields``, escaped."""
        values = {k: "" if v is None else str(v) for k, v in fields.items()}
        return escape(self.labels.text(self.section, label, **values))

    def word(self, section: str, code: str) -> str:
        return escape(self.labels.word(section, code))

    def when(self, value: datetime | None) -> str:
        """A time for a table (``formats.short_datetime``), escaped."""
        return escape(self.labels.datetime(value, "short_datetime") or "")

    def long_when(self, value: datetime | None) -> str:
        return escape(self.labels.datetime(value) or "")

    def day(self, value: date | None) -> str:
        return escape(self.labels.date(value) or "")

    @staticmethod
    def coloured(text: str, ok: bool) -> str:
        colour = (GOOD if ok else BAD).hexval().replace("0x", "#")
        return f'<font color="{colour}">{text}</font>'

    # -- flowables ------------------------------------------------------------------------------

    def p(self, text: str, style: ParagraphStyle | None = None, bold: bool = False) -> Flowable:
        return make_paragraph(text, style or self.cell, bold=bold)

    def body(self, text: str) -> Flowable:
        return self.p(text, self.styles.body)

    def heading(self, label: str, need_mm: float = 45) -> list[Flowable]:
        """A section heading, on a new page unless ``need_mm`` is left below it (the room
        for what must follow it: a heading kept with a long table would move it all)."""
        heading = self.p(self.t(label), self.styles.h2, bold=True)
        heading.keepWithNext = 0
        return [CondPageBreak(need_mm * mm), heading]

    def subheading(self, label: str) -> Flowable:
        heading = self.p(self.t(label), self.styles.h3, bold=True)
        heading.keepWithNext = 0
        return heading

    def table(
        self,
        header: Sequence[str] | None,
        rows: Sequence[Sequence[Cell]],
        widths: Sequence[float],
        extra: Sequence[tuple[Any, ...]] = (),
        groups: Sequence[tuple[int, int]] = (),
    ) -> Table:
        """A ruled table; ``widths`` are fractions of the text width, ``header`` repeats on
        every page, ``extra`` are more reportlab table-style commands, ``groups`` rows (first,
        last; the header is row 0) kept on one page when they are not too tall."""

        def cell(value: Cell) -> Flowable | list[Flowable]:
            return self.p(value) if isinstance(value, str) else value

        body = [[cell(v) for v in row] for row in rows]
        if header:
            body.insert(0, [self.p(h, bold=True) for h in header])
        commands: list[tuple[Any, ...]] = [
            ("FONTNAME", (0, 0), (-1, -1), self.cell.fontName),  # else Helvetica is listed
            ("GRID", (0, 0), (-1, -1), 0.5, LINE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ("LEFTPADDING", (0, 0), (-1, -1), 4.5),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4.5),
        ]
        if header:
            commands.append(("BACKGROUND", (0, 0), (-1, 0), SHADE))
        commands += extra
        table = Table(
            body,
            colWidths=[w * self.width for w in widths],
            repeatRows=1 if header else 0,
            style=TableStyle(commands),
            hAlign="LEFT",
        )
        keep_rows_together(table, groups)
        table.spaceBefore = 3
        table.spaceAfter = self.styles.body.fontSize
        return table

    def facts(self, rows: Sequence[tuple[str, Cell]], label_width: float = 0.24) -> Table:
        """Label and value, two columns; the labels bold on grey."""
        body = [(self.p(label, bold=True), value) for label, value in rows]
        extra = [("BACKGROUND", (0, 0), (0, -1), SHADE)]
        return self.table(None, body, (label_width, 1 - label_width), extra)


STRIPE = colors.HexColor("#F7F7F7")
SOFT_LINE = colors.HexColor("#D4D4D4")


def entry_table_commands(
    count: int, rows: int, span_to: int
) -> tuple[list[tuple[Any, ...]], list[tuple[int, int]]]:
    """Table commands for entries of ``rows`` rows each (after a header row): the number cell
    spans them all, each row after the first spans the rest, every other entry is shaded; and
    the entries' rows, to keep each on one page."""
    commands: list[tuple[Any, ...]] = []
    groups = []
    for index in range(count):
        first = 1 + rows * index
        last = first + rows - 1
        groups.append((first, last))
        commands.append(("SPAN", (0, first), (0, last)))
        for row in range(first + 1, last + 1):
            commands += [
                ("SPAN", (1, row), (span_to, row)),
                ("LINEABOVE", (1, row), (span_to, row), 0.5, SOFT_LINE),
                ("TOPPADDING", (1, row), (span_to, row), 2),
                ("BOTTOMPADDING", (1, row), (span_to, row), 3),
            ]
        if index % 2:
            commands.append(("BACKGROUND", (0, first), (-1, last), STRIPE))
    return commands, groups
