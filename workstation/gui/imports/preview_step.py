"""Step 2 of an import: how the file's columns map to fields, and its first rows as read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workstation.gui.imports.labels import field_label
from workstation.gui.widgets.table_model import Column, Highlight, RowTableModel, format_value
from workstation.gui.widgets.table_view import fit_columns, make_table_view
from workstation.i18n import Translator
from workstation.ingest.preview import ImportPreview, PreviewRow
from workstation.ingest.problem_text import problem_text
from workstation.ingest.profiles import KINDS


@dataclass(frozen=True)
class MappingRow:
    field: str
    label: str
    column: str | None
    required: bool


class PreviewStep(QWidget):
    #: The user wants to choose the file's columns by hand.
    change_columns_requested = Signal()
    #: The user wants to save the columns as a named mapping.
    save_mapping_requested = Signal()

    def __init__(self, tr: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tr = tr
        self.preview: ImportPreview | None = None
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.missing_label = QLabel()
        self.missing_label.setObjectName("noticeBanner")
        self.missing_label.setWordWrap(True)
        self.missing_label.hide()
        self.unknown_label = QLabel()
        self.unknown_label.setObjectName("mutedLabel")
        self.unknown_label.setWordWrap(True)

        self.mapping_model: RowTableModel[MappingRow] = RowTableModel(
            [
                Column(tr("Field"), lambda m: m.label),
                Column(tr("Column in the file"), lambda m: m.column or tr("(not found)")),
                Column(tr("Required"), lambda m: tr("Required") if m.required else ""),
            ],
            highlight=lambda m: Highlight.ALERT if m.required and m.column is None else None,
            parent=self,
        )
        self.mapping_table = make_table_view(self.mapping_model)
        self.mapping_table.setSortingEnabled(False)
        self.rows_model: RowTableModel[PreviewRow] = RowTableModel([], parent=self)
        self.rows_table = make_table_view(self.rows_model)
        self.rows_table.setSortingEnabled(False)

        self.change_columns_button = QPushButton(tr("Choose columns…"))
        self.change_columns_button.clicked.connect(self.change_columns_requested)
        self.save_mapping_button = QPushButton(tr("Save as mapping…"))
        self.save_mapping_button.clicked.connect(self.save_mapping_requested)
        self.mapping_note = QLabel()
        self.mapping_note.setObjectName("mutedLabel")
        self.mapping_note.setWordWrap(True)
        mapping_buttons = QHBoxLayout()
        mapping_buttons.setContentsMargins(0, 0, 0, 0)
        mapping_buttons.addWidget(self.change_columns_button)
        mapping_buttons.addWidget(self.save_mapping_button)
        mapping_buttons.addStretch(1)
        mapping_panel = QWidget()
        panel_layout = QVBoxLayout(mapping_panel)
        panel_layout.setContentsMargins(0, 0, 0, 0)
        panel_layout.setSpacing(6)
        panel_layout.addWidget(self.mapping_table, 1)
        panel_layout.addLayout(mapping_buttons)
        panel_layout.addWidget(self.mapping_note)
        mapping_box = _titled(tr("Columns"), mapping_panel)
        rows_box = _titled(tr("First rows"), self.rows_table)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(mapping_box)
        splitter.addWidget(rows_box)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.missing_label)
        layout.addWidget(self.unknown_label)
        layout.addWidget(splitter, 1)

    def say(self, text: str) -> None:
        """A note under the mapping (e.g. that it was saved)."""
        self.mapping_note.setText(text)

    def show_preview(self, preview: ImportPreview) -> None:
        tr = self._tr
        self.preview = preview
        spec = KINDS.get(preview.kind)
        fields = spec.fields if spec is not None else ()
        self.mapping_model.set_rows(
            [
                MappingRow(
                    f.name,
                    field_label(tr, preview.kind, f.name),
                    preview.columns.get(f.name),
                    f.required,
                )
                for f in fields
            ]
        )
        fit_columns(self.mapping_table)
        self.change_columns_button.setEnabled(preview.mapping_editable)
        self.save_mapping_button.setEnabled(preview.mapping_editable and bool(preview.columns))
        self.mapping_note.setText(
            ""
            if preview.mapping_editable
            else tr("This layout is read by its own rules; its columns cannot be changed.")
        )
        problems = sum(1 for r in preview.rows if r.problem is not None)
        self.summary_label.setText(
            tr(
                "Read as {source}, headers on row {row}. {shown} rows shown, {problems} with "
                "a problem (highlighted); checks against the stored data happen on import.",
                source=preview.source,
                row=preview.header_row,
                shown=len(preview.rows),
                problems=problems,
            )
        )
        if preview.missing_required:
            names = ", ".join(field_label(tr, preview.kind, f) for f in preview.missing_required)
            self.missing_label.setText(
                tr(
                    "Required columns were not found by name: {names}. Choose the columns "
                    "by hand (Choose columns…), or this file cannot be imported.",
                    names=names,
                )
                if preview.mapping_editable
                else tr(
                    "Required columns are missing: {names}. This file cannot be imported.",
                    names=names,
                )
            )
        self.missing_label.setVisible(bool(preview.missing_required))
        if preview.unknown_headers:
            self.unknown_label.setText(
                tr(
                    "Columns not used: {names}",
                    names=", ".join(preview.unknown_headers),
                )
            )
        else:
            self.unknown_label.setText(tr("Every column of the file is used."))
        self._show_rows(preview)

    def _show_rows(self, preview: ImportPreview) -> None:
        tr = self._tr
        columns: list[Column[PreviewRow]] = [Column(tr("Row"), lambda r: r.row, align_right=True)]
        if preview.usable:
            for name, header in preview.columns.items():
                columns.append(Column(field_label(tr, preview.kind, name), _cell(name, header)))
            columns.append(Column(tr("Problem"), _problem(tr.locale, preview.kind)))
        else:
            for header in preview.file_columns:
                columns.append(Column(header, _raw(header)))
        self.rows_model = RowTableModel(
            columns,
            highlight=lambda r: Highlight.ALERT if r.problem is not None else None,
            parent=self,
        )
        self.rows_model.set_rows(preview.rows)
        old = self.rows_table.model()
        self.rows_table.setModel(self.rows_model)
        old.deleteLater()
        fit_columns(self.rows_table, max_width=240)


def _cell(name: str, header: str) -> Any:
    def value(row: PreviewRow) -> str:
        if row.problem is not None:
            return row.problem.raw.get(header, "")
        return format_value(row.values.get(name))

    return value


def _problem(locale: str, kind: str) -> Any:
    return lambda row: problem_text(row.problem.message, locale, kind) if row.problem else ""


def _raw(header: str) -> Any:
    return lambda row: row.raw.get(header, "")


def _titled(title: str, body: QWidget) -> QWidget:
    box = QWidget()
    label = QLabel(title)
    label.setObjectName("sectionTitle")
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(4)
    layout.addWidget(label)
    layout.addWidget(body, 1)
    return box
