"""The employee file's cases tab: the case archive (cases that ended or were decided), each
case's decision, and its documents. "Open" (or a double-click) reads a document through the
service, which logs the read, and opens a private temporary copy in the desktop's viewer (or
the in-app PDF viewer, ``gui.documents``); "Save as…" keeps a copy where the reader chooses
(logged too)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from workstation.cases.archive import ArchivedCase, ArchivedDocument, ReadDocument
from workstation.domain.identity import Identity
from workstation.gui.background import BackgroundRunner, Operation
from workstation.gui.cases.labels import state_label
from workstation.gui.documents.opener import DocumentOpener
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
from workstation.service_text import error_text

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
    #: A copy of a document was saved (its path).
    copy_saved = Signal(object)

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
        self.open_button = QPushButton(tr("Open document"))
        self.save_button = QPushButton(tr("Save as…"))
        self.save_button.setToolTip(
            tr("Save a copy of the document (the copy is recorded in the audit log)")
        )
        self.open_button.clicked.connect(self._open_selected)
        self.save_button.clicked.connect(self.save_selected)
        #: Opens what was read, and asks where copies go (tests answer for the desktop).
        self.opener = DocumentOpener(tr, self)
        self.opener.file_opened.connect(self.document_opened)
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
        documents_bar = QHBoxLayout()
        documents_bar.addWidget(self.documents_title)
        documents_bar.addStretch(1)
        documents_bar.addWidget(self.open_button)
        documents_bar.addWidget(self.save_button)
        detail_layout.addLayout(documents_bar)
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
        self.document_table.selectionModel().currentRowChanged.connect(
            lambda *_a: self._update_buttons()
        )
        self._update_buttons()

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
        if documents:
            self.document_table.setCurrentIndex(self.document_model.index(0, 0))
        self._update_buttons()
        self.no_documents.setVisible(case is not None and not documents)

    def selected_case(self) -> ArchivedCase | None:
        index = self.case_table.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def selected_document(self) -> ArchivedDocument | None:
        index = self.document_table.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def _update_buttons(self) -> None:
        chosen = self.selected_document() is not None
        for button in (self.open_button, self.save_button):
            button.setVisible(bool(self.document_model.rows))
            button.setEnabled(chosen)

    # -- opening a document -----------------------------------------------------------------

    def open_document(self, document: ArchivedDocument) -> Operation | None:
        case = self.selected_case()
        if case is None:
            return None
        archive, number = self._archive, case.number
        # The read is written to the audit log (and to the evidence's custody): a write.
        return self._runner.run(
            lambda: archive.read_document(number, document.source, document.id),
            on_result=self._show_document,
            on_error=self._failed,
            label=self._tr("Opening the document…"),
            write=True,
        )

    def _open_selected(self) -> None:
        document = self.selected_document()
        if document is not None:
            self.open_document(document)

    def _on_document_activated(self, index: QModelIndex) -> None:
        document: ArchivedDocument | None = index.data(ROW_ROLE)
        if document is not None:
            self.open_document(document)

    def _show_document(self, read: ReadDocument) -> None:
        problem = self.opener.open(
            read.name, read.data, media_type=read.media_type, save=self.save_selected
        )
        self._status(problem or "")

    def save_selected(self) -> Operation | None:
        """Ask where, then save a copy of the selected document (the copy is logged)."""
        case, document = self.selected_case(), self.selected_document()
        if case is None or document is None:
            return None
        path = self.opener.ask_save_path(document.title)
        if path is None:
            return None
        archive, number = self._archive, case.number
        return self._runner.run(
            lambda: archive.save_copy(number, document.source, document.id, path),
            on_result=self._saved,
            on_error=self._failed,
            label=self._tr("Saving a copy…"),
            write=True,
        )

    def _saved(self, path: Path) -> None:
        self._status(self._tr("A copy was saved as {path}.", path=str(path)))
        self.copy_saved.emit(path)

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, LookupError | PermissionError | OSError | RuntimeError):
            raise error
        self._status(self._tr("Not done: {reason}", reason=error_text(error, self._tr.locale)))

    def _status(self, text: str) -> None:
        self.open_status.setText(text)
        self.open_status.setVisible(bool(text))
