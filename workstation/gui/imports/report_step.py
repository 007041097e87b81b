"""Step 4 of an import: what was read, kept and turned away, and the report as a workbook."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from workstation.gui.employees.profile_header import StatTile
from workstation.gui.imports.labels import count_lines, field_label, kind_label
from workstation.gui.widgets.table_model import Column, Highlight, RowTableModel
from workstation.gui.widgets.table_view import fit_columns, make_table_view
from workstation.i18n import Translator
from workstation.ingest.model import ImportReport, ImportWarning, RowProblem
from workstation.ingest.problem_text import problem_text


class ReportStep(QWidget):
    def __init__(self, tr: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tr = tr
        self._kind = ""
        self.report: ImportReport | None = None
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.summary_label.setObjectName("sectionTitle")
        self.already_label = QLabel()
        self.already_label.setObjectName("noticeBanner")
        self.already_label.setWordWrap(True)
        self.already_label.hide()
        self.read_tile = StatTile(tr("Rows read"))
        self.accepted_tile = StatTile(tr("Imported"))
        self.rejected_tile = StatTile(tr("Rejected"))
        self.duplicates_tile = StatTile(tr("Already stored (skipped)"))
        self.tiles = QWidget()
        tiles = QHBoxLayout(self.tiles)
        tiles.setContentsMargins(0, 0, 0, 0)
        tiles.setSpacing(10)
        for tile in (self.read_tile, self.accepted_tile, self.rejected_tile, self.duplicates_tile):
            tiles.addWidget(tile)
        tiles.addStretch(1)

        self.counts_label = QLabel()
        self.counts_label.setObjectName("mutedLabel")
        self.counts_label.setWordWrap(True)
        self.counts_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.counts_label.hide()

        self.rejected_title = QLabel(tr("Rejected rows"))
        self.rejected_title.setObjectName("sectionTitle")
        self.rejected_model: RowTableModel[RowProblem] = RowTableModel(
            [
                Column(tr("Row"), lambda p: p.row, align_right=True),
                Column(tr("Field"), lambda p: field_label(tr, self._kind, p.field)),
                Column(tr("Reason"), lambda p: problem_text(p.message, tr.locale, self._kind)),
                Column(tr("Values in the file"), _raw_text),
            ],
            highlight=lambda _p: Highlight.ALERT,
            parent=self,
        )
        self.rejected_table = make_table_view(self.rejected_model, sort_column=0)
        self.none_rejected_label = QLabel(tr("No row was rejected."))
        self.none_rejected_label.setObjectName("mutedLabel")
        self.as_of_label = QLabel()
        self.as_of_label.setObjectName("mutedLabel")
        self.as_of_label.hide()
        self.warnings_title = QLabel(tr("Kept, with warnings"))
        self.warnings_title.setObjectName("sectionTitle")
        self.warnings_model: RowTableModel[ImportWarning] = RowTableModel(
            [
                Column(tr("Row"), lambda w: w.row, align_right=True),
                Column(tr("Field"), lambda w: field_label(tr, self._kind, w.field)),
                Column(tr("Warning"), lambda w: problem_text(w.message, tr.locale, self._kind)),
            ],
            highlight=lambda _w: Highlight.NOTE,
            parent=self,
        )
        self.warnings_table = make_table_view(self.warnings_model, sort_column=0)
        self.export_status = QLabel()
        self.export_status.setObjectName("mutedLabel")
        self.export_status.setWordWrap(True)
        self.export_status.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.already_label)
        layout.addWidget(self.tiles)
        layout.addWidget(self.as_of_label)
        layout.addWidget(self.counts_label)
        layout.addWidget(self.rejected_title)
        layout.addWidget(self.none_rejected_label)
        layout.addWidget(self.rejected_table, 1)
        layout.addWidget(self.warnings_title)
        layout.addWidget(self.warnings_table, 1)
        layout.addWidget(self.export_status)

    def show_report(self, report: ImportReport) -> None:
        tr = self._tr
        self.report = report
        self._kind = report.kind
        self.export_status.hide()
        self.summary_label.setText(
            tr(
                "{file} as {kind} — batch #{batch}",
                file=report.file,
                kind=kind_label(tr, report.kind),
                batch=report.batch_id,
            )
        )
        if report.already_imported:
            self.already_label.setText(
                tr(
                    "This file was imported before as batch #{batch}; nothing was added.",
                    batch=report.batch_id,
                )
            )
        self.already_label.setVisible(report.already_imported)
        self.tiles.setVisible(not report.already_imported)
        self.read_tile.set_value(report.rows_read)
        self.accepted_tile.set_value(report.accepted)
        self.rejected_tile.set_value(report.rejected, alert=True)
        self.duplicates_tile.set_value(report.duplicates)
        lines = count_lines(tr, report.counts)
        self.counts_label.setText("\n".join(lines))
        self.counts_label.setVisible(bool(lines) and not report.already_imported)
        self.rejected_model.set_rows(report.problems)
        fit_columns(self.rejected_table)
        has_problems = bool(report.problems)
        self.rejected_title.setVisible(not report.already_imported)
        self.rejected_table.setVisible(has_problems)
        self.none_rejected_label.setVisible(not has_problems and not report.already_imported)
        if report.as_of is not None:
            self.as_of_label.setText(
                tr("Owners and statuses read as of {day}", day=report.as_of.isoformat())
            )
        self.as_of_label.setVisible(report.as_of is not None and not report.already_imported)
        self.warnings_model.set_rows(report.warnings)
        fit_columns(self.warnings_table)
        self.warnings_title.setVisible(bool(report.warnings))
        self.warnings_table.setVisible(bool(report.warnings))

    def say(self, text: str) -> None:
        self.export_status.setText(text)
        self.export_status.show()


def _raw_text(problem: RowProblem) -> str:
    return " · ".join(f"{k}: {v}" for k, v in problem.raw.items() if str(v).strip())
