"""An import batch's report as an XLSX workbook: a summary sheet, the rejected rows with
their original cells, so HR can fix the source file and import it again, and (when there are
any) the warnings: what was kept but needs attention.

Every text goes in as text: a cell of the file that reads ``=HYPERLINK(...)`` stays those
characters in the report, never a live formula; characters a workbook cannot hold (control
characters a JSON file may carry) are shown as U+FFFD, and a cell is cut to what Excel holds.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from sqlalchemy import select

from workstation.i18n import Translator
from workstation.ingest.problem_text import problem_text
from workstation.store.models import EvidenceFile, ImportBatch, RejectedRow
from workstation.store.uow import UnitOfWorkFactory

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")
#: Characters an Excel cell holds.
MAX_CELL_CHARS = 32_767


class BatchNotFound(LookupError):
    pass


def export_batch_xlsx(
    uow: UnitOfWorkFactory, batch_id: int, destination: Path, locale: str = "zh_CN"
) -> Path:
    """Write the report of batch ``batch_id`` to ``destination`` (replaced atomically)."""
    tr = Translator(locale)
    with uow() as unit:
        session = unit.session
        batch = session.get(ImportBatch, batch_id)
        if batch is None:
            raise BatchNotFound(f"no import batch #{batch_id}")
        sha = session.scalar(select(EvidenceFile.sha256).where(EvidenceFile.id == batch.file_id))
        rejected = list(
            session.scalars(
                select(RejectedRow)
                .where(RejectedRow.batch_id == batch_id)
                .order_by(RejectedRow.row_number)
            )
        )
        book = Workbook()
        summary = book.active
        assert summary is not None
        summary.title = tr("Summary")
        for label, value in (
            (tr("Batch"), batch.id),
            (tr("File"), batch.file_name),
            ("SHA-256", sha or ""),
            (tr("Kind"), batch.kind),
            (tr("Source"), batch.source_profile or ""),
            (tr("Imported at"), uow.clock.format(batch.started_at, locale, seconds=True)),
            (tr("Imported by"), batch.imported_by or ""),
            (tr("Status"), batch.status),
            (tr("Rows read"), batch.rows_total),
            (tr("Accepted"), batch.rows_accepted),
            (tr("Rejected"), batch.rows_rejected),
            (tr("Duplicates"), batch.rows_duplicate),
        ):
            _append(summary, [label, value])
            summary.cell(summary.max_row, 1).font = HEADER_FONT
        summary.column_dimensions["A"].width = 16
        summary.column_dimensions["B"].width = 70

        sheet = book.create_sheet(tr("Rejected rows"))
        raw_rows = [json.loads(r.raw_json) for r in rejected]
        source_columns: list[str] = []
        for raw in raw_rows:
            source_columns += [c for c in raw if c not in source_columns]
        header = [tr("Row"), tr("Field"), tr("Reason"), *source_columns]
        _append(sheet, header)
        for cell in sheet[1]:
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        for row, raw in zip(rejected, raw_rows, strict=True):
            _append(
                sheet,
                [row.row_number, row.field or "", problem_text(row.message, locale, batch.kind)]
                + [raw.get(c, "") for c in source_columns],
            )
        sheet.freeze_panes = "D2"
        for index, width in enumerate([8, 16, 48] + [16] * len(source_columns), start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        warnings = json.loads(batch.warnings_json) if batch.warnings_json else []
        if warnings:
            kept = book.create_sheet(tr("Kept, with warnings"))
            _append(kept, [tr("Row"), tr("Field"), tr("Warning")])
            for cell in kept[1]:
                cell.font, cell.fill = HEADER_FONT, HEADER_FILL
            for w in warnings:
                text = problem_text(w["message"], locale, batch.kind)
                _append(kept, [w["row"] if w["row"] is not None else "", w["field"] or "", text])
            kept.freeze_panes = "A2"
            for index, width in enumerate([8, 16, 80], start=1):
                kept.column_dimensions[get_column_letter(index)].width = width

    destination = destination.expanduser()
    destination.parent.mkdir(parents=True, exist_ok=True)
    tmp = destination.with_name(destination.name + ".part")
    book.save(tmp)
    tmp.replace(destination)
    return destination


def _append(sheet: Any, values: list[Any]) -> None:
    """Append a row whose text cells are text, whatever they start with."""
    sheet.append([_text(v) if isinstance(v, str) else v for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"  # openpyxl takes "=..." for a formula otherwise


def _text(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)[:MAX_CELL_CHARS]
