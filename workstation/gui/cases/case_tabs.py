"""``CaseTabs``: what a case holds — timeline, allegations and findings, evidence, notes,
tasks, parties, signed approvals and documents — each a table with the buttons that add to
it (which ones show is the case view's call: state and role)."""

from __future__ import annotations

from typing import Any, TypeVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workstation.cases.document_views import StoredDocument
from workstation.cases.views import (
    AllegationView,
    ApprovalCheck,
    ApprovalView,
    CaseDetail,
    EvidenceView,
    TaskView,
)
from workstation.gui.cases import case_tables as tables
from workstation.gui.cases.case_tables import DocumentRow
from workstation.gui.widgets.table_model import ROW_ROLE, RowTableModel
from workstation.gui.widgets.table_view import fit_columns, make_table_view
from workstation.i18n import Translator

Row = TypeVar("Row")


def selected(table: QTableView, kind: type[Row]) -> Row | None:
    """The row object (a ``kind``) of the table's current row (None when none is selected)."""
    index = table.currentIndex()
    row = index.data(ROW_ROLE) if index.isValid() else None
    return row if isinstance(row, kind) else None


class CaseTabs(QTabWidget):
    #: Another allegation or task was selected (the buttons that act on it may change).
    selection_changed = Signal()

    def __init__(self, tr: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tr = tr
        self._checks: dict[int, ApprovalCheck] = {}
        self.timeline_model = tables.timeline_model(tr, self)
        self.allegations_model = tables.allegations_model(tr, self)
        self.evidence_model = tables.evidence_model(tr, self)
        self.notes_model = tables.notes_model(tr, self)
        self.tasks_model = tables.tasks_model(tr, self)
        self.parties_model = tables.parties_model(tr, self)
        self.approvals_model = tables.approvals_model(tr, self.check_of, self)
        self.documents_model = tables.documents_model(tr, self)
        self.timeline_table = make_table_view(self.timeline_model)
        self.allegations_table = make_table_view(self.allegations_model)
        self.evidence_table = make_table_view(self.evidence_model)
        self.notes_table = make_table_view(self.notes_model)
        self.tasks_table = make_table_view(self.tasks_model)
        self.parties_table = make_table_view(self.parties_model)
        self.approvals_table = make_table_view(self.approvals_model)
        self.documents_table = make_table_view(self.documents_model)

        self.add_allegation_button = QPushButton(tr("Add allegation…"))
        self.finding_button = QPushButton(tr("Record finding…"))
        self.link_file_button = QPushButton(tr("Link a file…"))
        self.link_import_button = QPushButton(tr("Link an imported file…"))
        self.open_evidence_button = QPushButton(tr("View evidence"))
        self.add_task_button = QPushButton(tr("Add task…"))
        self.complete_task_button = QPushButton(tr("Mark done"))
        self.add_party_button = QPushButton(tr("Add party…"))
        self.alternate_button = QPushButton(tr("Choose alternate approver…"))
        self.generate_button = QPushButton(tr("Generate document…"))
        self.open_document_button = QPushButton(tr("Open document"))
        self.save_document_button = QPushButton(tr("Save as…"))
        self.save_document_button.setToolTip(
            tr("Save a copy of the document (the copy is recorded in the audit log)")
        )
        self.route_label = QLabel()
        self.route_label.setObjectName("mutedLabel")
        self.route_label.setWordWrap(True)

        self.note_edit = QPlainTextEdit()
        self.note_edit.setPlaceholderText(
            tr("Write a note for the case file (notes cannot be changed once added)")
        )
        self.note_edit.setMaximumHeight(90)
        self.add_note_button = QPushButton(tr("Add note"))
        self.add_note_button.setEnabled(False)
        self.note_edit.textChanged.connect(
            lambda: self.add_note_button.setEnabled(bool(self.note_text()))
        )
        note_box = QHBoxLayout()
        note_box.addWidget(self.note_edit, 1)
        note_box.addWidget(self.add_note_button)

        self.timeline_index = self.addTab(self.timeline_table, tr("Timeline"))
        self.allegations_index = self.addTab(
            self._page(self.allegations_table, self.add_allegation_button, self.finding_button),
            tr("Allegations & findings").replace("&", "&&"),
        )
        self.evidence_index = self.addTab(
            self._page(
                self.evidence_table,
                self.link_file_button,
                self.link_import_button,
                self.open_evidence_button,
            ),
            tr("Evidence"),
        )
        self.notes_index = self.addTab(self._page(self.notes_table, below=note_box), tr("Notes"))
        self.tasks_index = self.addTab(
            self._page(self.tasks_table, self.add_task_button, self.complete_task_button),
            tr("Tasks"),
        )
        self.parties_index = self.addTab(
            self._page(self.parties_table, self.add_party_button, self.alternate_button),
            tr("Parties"),
        )
        approvals = QVBoxLayout()
        approvals.addWidget(self.route_label)
        self.approvals_index = self.addTab(
            self._page(self.approvals_table, above=approvals), tr("Approvals")
        )
        self.documents_index = self.addTab(
            self._page(
                self.documents_table,
                self.generate_button,
                self.open_document_button,
                self.save_document_button,
            ),
            tr("Documents"),
        )
        for table in (self.allegations_table, self.tasks_table, self.documents_table):
            table.selectionModel().currentRowChanged.connect(
                lambda *_a: self.selection_changed.emit()
            )

    def _page(
        self,
        table: QTableView,
        *buttons: QPushButton,
        above: QVBoxLayout | None = None,
        below: QHBoxLayout | None = None,
    ) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 6, 0, 0)
        if above is not None:
            layout.addLayout(above)
        if buttons:
            row = QHBoxLayout()
            row.setSpacing(8)
            for button in buttons:
                row.addWidget(button)
            row.addStretch(1)
            layout.addLayout(row)
        layout.addWidget(table, 1)
        if below is not None:
            layout.addLayout(below)
        return page

    # -- what is selected ------------------------------------------------------------------

    def selected_allegation(self) -> AllegationView | None:
        return selected(self.allegations_table, AllegationView)

    def selected_evidence(self) -> EvidenceView | None:
        return selected(self.evidence_table, EvidenceView)

    def selected_task(self) -> TaskView | None:
        return selected(self.tasks_table, TaskView)

    def selected_document(self) -> DocumentRow | None:
        return selected(self.documents_table, DocumentRow)

    def select_row(self, table: QTableView, row: int) -> None:
        table.setCurrentIndex(table.model().index(row, 0))

    # -- showing ---------------------------------------------------------------------------

    def note_text(self) -> str:
        return self.note_edit.toPlainText().strip()

    def check_of(self, approval: ApprovalView) -> ApprovalCheck:
        """The signature check from ``verify`` (else the one the detail carried)."""
        return self._checks.get(approval.id, approval.check)

    def show_detail(
        self,
        detail: CaseDetail,
        checks: list[ApprovalCheck],
        route: str,
        stored: list[StoredDocument] | None = None,
    ) -> None:
        tr = self._tr
        self._checks = {c.approval_id: c for c in checks}
        shown: list[tuple[RowTableModel[Any], QTableView, tuple[Any, ...]]] = [
            (self.timeline_model, self.timeline_table, detail.timeline),
            (self.allegations_model, self.allegations_table, detail.allegations),
            (self.evidence_model, self.evidence_table, detail.evidence),
            (self.notes_model, self.notes_table, detail.notes),
            (self.tasks_model, self.tasks_table, detail.tasks),
            (self.parties_model, self.parties_table, detail.parties),
            (self.approvals_model, self.approvals_table, detail.approvals),
            (
                self.documents_model,
                self.documents_table,
                tuple(tables.document_rows(detail.documents, stored)),
            ),
        ]
        for model, table, rows in shown:
            row = table.currentIndex().row()
            model.set_rows(list(rows))
            fit_columns(table, max_width=560 if table is self.evidence_table else 360)
            if 0 <= row < len(rows):
                self.select_row(table, row)
        self.route_label.setText(tr("The manager approval goes to {who}.", who=route))
        counts = (
            (self.timeline_index, tr("Timeline"), len(detail.timeline)),
            (self.allegations_index, tr("Allegations & findings"), len(detail.allegations)),
            (self.evidence_index, tr("Evidence"), len(detail.evidence)),
            (self.notes_index, tr("Notes"), len(detail.notes)),
            (self.tasks_index, tr("Tasks"), len(detail.tasks)),
            (self.parties_index, tr("Parties"), len(detail.parties)),
            (self.approvals_index, tr("Approvals"), len(detail.approvals)),
            (self.documents_index, tr("Documents"), len(detail.documents)),
        )
        for index, name, count in counts:
            self.setTabText(index, f"{name.replace('&', '&&')} ({count})")

    def clear_note(self) -> None:
        self.note_edit.clear()
