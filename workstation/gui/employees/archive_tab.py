"""The employee file's cases tab: the case archive (cases that ended or were decided), each
case's decision, and its documents. Double-clicking a document opens it in the desktop's
viewer once the service has logged the read."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QLabel,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from workstation.cases.archive import ArchivedCase, ArchivedDocument, OpenedDocument
from workstation.domain.identity import Identity
from workstation.gui.background import BackgroundRunner, Operation
from workstation.gui.cases.labels import state_label
from workstation.gui.employees.archive_labels import (
    decision_text,
    document_label,
    outcome_lines,
)
from workstation.gui.widgets.table_model import (
    ROW_ROLE,
    Column,
    Highlight,
    RowTableModel,
    time_column,
)
from workstation.gui.widgets.table_view import fit_columns, make_empty_state, make_table_view
from workstation.i18n import Translator
from workstation.security.permissions import Permission, allowed

if TYPE_CHECKING:
    from workstation.cases.archive import CaseArchive


def _day(tr: Translator, value: datetime | None) -> date | None:
    return tr.day_of(value) if value is not None else None


def case_highlight(case: ArchivedCase) -> Highlight | None:
    """Discipline decided stands out; a case still open after its decision is a note."""
    if case.decided and case.disposition is not None and case.disposition.value != "no_action":
        return Highlight.ALERT
    return None if case.ended else Highlight.NOTE


class CaseArchiveTab(QWidget):
    #: The archive of an employee is on screen (how many cases).
    loaded = Signal(int)
    #: A document was written out and handed to the desktop (its path).
    document_opened = Signal(object)

    def __init__(
        self,
        archive: CaseArchive,
        current: Callable[[], Identity | None],
        runner: BackgroundRunner,
        tr: Translator,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._archive, self._current, self._runner, self._tr = archive, current, runner, tr
        self._op: Operation | None = None
        self.employee_id: int | None = None
        self.cases: list[ArchivedCase] = []

        self.note_label = QLabel(
            tr(
                "Cases about this employee that were closed, rejected, withdrawn or decided, "
                "with their decision and documents. Opening a document is recorded in the "
                "audit log."
            )
        )
        self.note_label.setObjectName("mutedLabel")
        self.note_label.setWordWrap(True)
        self.case_model: RowTableModel[ArchivedCase] = RowTableModel(
            [
                Column(tr("Case number"), lambda c: c.number),
                Column(tr("Case title"), lambda c: c.title, tooltip=lambda c: c.title),
                Column(tr("State"), lambda c: state_label(tr, c.state.value)),
                Column(tr("Opened on"), lambda c: tr.day_of(c.opened_at)),
                Column(
                    tr("Ended on"),
                    lambda c: _day(tr, c.closed_at or c.state_since if c.ended else None),
                ),
                Column(tr("Decision"), lambda c: decision_text(tr, c)),
                Column(tr("Decided by"), lambda c: c.decided_by),
                Column(tr("Decided on"), lambda c: _day(tr, c.decided_at)),
            ],
            highlight=case_highlight,
            parent=self,
        )
        self.case_table = make_table_view(self.case_model, sort_column=-1)
        self.case_table.setToolTip(tr("Select a case to see its decision and documents"))

        self.outcome_label = QLabel()
        self.outcome_label.setWordWrap(True)
        self.outcome_label.setTextFormat(Qt.TextFormat.RichText)
        self.outcome_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.documents_title = QLabel(tr("Documents"))
        self.documents_title.setObjectName("sectionTitle")
        self.document_model: RowTableModel[ArchivedDocument] = RowTableModel(
            [
                Column(tr("Document"), lambda d: document_label(tr, d)),
                Column(tr("File name"), lambda d: d.title, tooltip=lambda d: d.title),
                time_column(tr, tr("Added on"), lambda d: d.created_at),
                Column(tr("Added by"), lambda d: d.created_by),
                Column(
                    tr("Evidence file"),
                    lambda d: d.evidence_file_id,
                    text=lambda d: f"#{d.evidence_file_id}",
                    tooltip=lambda d: "SHA-256 " + d.sha256,
                ),
            ],
            parent=self,
        )
        self.document_table = make_table_view(self.document_model, sort_column=-1)
        self.document_table.setToolTip(tr("Double-click a document to open it"))
        self.no_documents = QLabel(tr("This case has no documents."))
        self.no_documents.setObjectName("mutedLabel")
        self.open_status = QLabel()
        self.open_status.setObjectName("mutedLabel")
        self.open_status.setWordWrap(True)
        self.open_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_status.setVisible(False)

        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 4, 0, 0)
        detail_layout.addWidget(self.outcome_label)
        detail_layout.addWidget(self.documents_title)
        detail_layout.addWidget(self.no_documents)
        detail_layout.addWidget(self.document_table, 1)
        detail_layout.addWidget(self.open_status)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.case_table)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)

        self.empty_label = make_empty_state()
        self.body = QStackedWidget()
        self.body.addWidget(splitter)
        self.body.addWidget(self.empty_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.note_label)
        layout.addWidget(self.body, 1)

        self.case_table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._show_case(current)
        )
        self.document_table.activated.connect(self._on_document_activated)

    def permitted(self) -> bool:
        """May the signed-in user see the case archive at all?"""
        return allowed(self._current(), Permission.CASE_VIEW)

    # -- loading ----------------------------------------------------------------------------

    def load(self, employee_id: int) -> Operation:
        if self._op is not None and not self._op.done:
            self._op.discard()
        self.employee_id = employee_id
        archive = self._archive
        # Listing the archive reads no evidence and writes nothing: a plain read.
        self._op = self._runner.run(
            lambda: archive.for_employee(employee_id),
            on_result=self._show,
            label=self._tr("Loading the cases…"),
            dialog=False,
        )
        return self._op

    def clear(self) -> None:
        self.cases = []
        self.case_model.set_rows([])
        self._show_case(QModelIndex())

    def _show(self, cases: list[ArchivedCase]) -> None:
        self.cases = cases
        self.case_model.set_rows(cases)
        fit_columns(self.case_table, max_width=280)
        if cases:
            self.body.setCurrentIndex(0)
            self.case_table.selectRow(0)
            self.case_table.setCurrentIndex(self.case_model.index(0, 0))
        else:
            self.empty_label.setText(
                self._tr("No closed, rejected, withdrawn or decided cases about this employee.")
            )
            self.body.setCurrentWidget(self.empty_label)
        self.loaded.emit(len(cases))

    def _show_case(self, index: QModelIndex) -> None:
        case: ArchivedCase | None = index.data(ROW_ROLE) if index.isValid() else None
        documents = list(case.documents) if case is not None else []
        self.document_model.set_rows(documents)
        fit_columns(self.document_table, max_width=320)
        if case is None:
            self.outcome_label.clear()
        else:
            heading = f"<b>{escape(case.number)}</b>&nbsp;&nbsp;{escape(case.title)}"
            lines = [escape(line) for line in outcome_lines(self._tr, case)]
            self.outcome_label.setText("<br>".join([heading, *lines]))
        self.document_table.setVisible(bool(documents))
        self.open_status.setVisible(False)
        self.no_documents.setVisible(case is not None and not documents)

    def selected_case(self) -> ArchivedCase | None:
        index = self.case_table.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    # -- opening a document -----------------------------------------------------------------

    def open_document(self, document: ArchivedDocument) -> Operation | None:
        case = self.selected_case()
        if case is None:
            return None
        archive, number = self._archive, case.number
        # The read is written to the audit log (and to the evidence's custody): a write.
        return self._runner.run(
            lambda: archive.open_document(number, document.source, document.id),
            on_result=self._hand_to_desktop,
            label=self._tr("Opening the document…"),
            write=True,
        )

    def _on_document_activated(self, index: QModelIndex) -> None:
        document: ArchivedDocument | None = index.data(ROW_ROLE)
        if document is not None:
            self.open_document(document)

    def _hand_to_desktop(self, opened: OpenedDocument) -> None:
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(opened.path))):
            self.open_status.setText(
                self._tr(
                    "No program on this computer opens {name}; the copy is at {path}.",
                    name=opened.name,
                    path=str(opened.path),
                )
            )
            self.open_status.setVisible(True)
        self.document_opened.emit(opened.path)
