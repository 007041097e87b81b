"""Between import and report: a file that would rename many stored employees or customers
shows what it would change, and imports only when the user confirms."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from workstation.gui.imports.labels import field_label
from workstation.gui.widgets.table_model import Column, RowTableModel
from workstation.gui.widgets.table_view import fit_columns, make_table_view
from workstation.i18n import Translator
from workstation.ingest.model import FieldChange, ImportReport

#: The kind whose fields name a change's field, by the entity changed.
_KIND_OF = {"employee": "employees", "customer": "customers"}


class ConfirmStep(QWidget):
    def __init__(self, tr: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tr = tr
        self.report: ImportReport | None = None
        self.reason_label = QLabel()
        self.reason_label.setObjectName("noticeBanner")
        self.reason_label.setWordWrap(True)
        self.hint_label = QLabel(
            tr(
                "Nothing has been imported yet. Check the changes below: if the names look "
                "wrong (for example unreadable characters), go back and fix the file."
            )
        )
        self.hint_label.setWordWrap(True)
        self.hint_label.setObjectName("mutedLabel")
        self.changes_model: RowTableModel[FieldChange] = RowTableModel(
            [
                Column(tr("Row"), lambda c: c.row, align_right=True),
                Column(tr("Employee no. or customer code"), lambda c: c.key),
                Column(tr("Field"), lambda c: field_label(tr, _KIND_OF.get(c.entity, ""), c.field)),
                Column(tr("Stored now"), lambda c: c.old or ""),
                Column(tr("In the file"), lambda c: c.new or ""),
            ],
            parent=self,
        )
        self.changes_table = make_table_view(self.changes_model, sort_column=0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(self.reason_label)
        layout.addWidget(self.hint_label)
        layout.addWidget(self.changes_table, 1)

    def show_changes(self, report: ImportReport) -> None:
        tr = self._tr
        self.report = report
        needed = report.confirmation
        assert needed is not None
        what = tr("employees") if needed.entity == "employee" else tr("customers")
        self.reason_label.setText(
            tr(
                "{file} would change the names of {changed} of the {existing} stored {what} "
                "(more than a tenth).",
                file=report.file,
                changed=needed.changed,
                existing=needed.existing,
                what=what,
            )
        )
        self.changes_model.set_rows(report.changes)
        fit_columns(self.changes_table)
