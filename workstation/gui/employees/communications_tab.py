"""The employee file's communications tab: imported chats, calls and mail over a period.

Communications are personal data read for an investigation, so nothing is read until the tab
is opened, and every read (each "Show") is recorded in the audit log by the service; the tab
says so where the reader sees it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from workstation.communications.model import CommunicationList, CommunicationRecord
from workstation.domain.identity import Identity
from workstation.gui.background import BackgroundRunner, Operation
from workstation.gui.employees.archive_labels import channel_label, direction_label
from workstation.gui.widgets.dates import from_qdate, to_qdate
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
    from workstation.communications.service import CommunicationService

#: The period shown first: the last days with records.
FIRST_PERIOD_DAYS = 30
#: At most this many records per read (the count says when more are in the period).
READ_LIMIT = 1000
COLUMN_MAX_WIDTH = 190


@dataclass(frozen=True)
class FirstRead:
    """The days with records (None: none at all) and the first period's records."""

    span: tuple[date, date] | None
    page: CommunicationList | None


def _customer(record: CommunicationRecord) -> str:
    if not record.customer_name:
        return ""
    return (
        f"{record.customer_name} ({record.customer_code})"
        if record.customer_code
        else (record.customer_name)
    )


class CommunicationsTab(QWidget):
    #: Records are on screen (how many).
    loaded = Signal(int)

    def __init__(
        self,
        communications: CommunicationService,
        current: Callable[[], Identity | None],
        runner: BackgroundRunner,
        tr: Translator,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service, self._current, self._runner, self._tr = (
            communications,
            current,
            runner,
            tr,
        )
        self._op: Operation | None = None
        self.employee_id: int | None = None
        #: The employee whose records were read (None: nothing read since the file opened).
        self.loaded_for: int | None = None
        self.page: CommunicationList | None = None

        self.audit_note = QLabel(
            tr(
                "Communications are personal data. Each time they are shown, who read whose "
                "records, for which period and how many is recorded in the audit log."
            )
        )
        self.audit_note.setObjectName("noticeBanner")
        self.audit_note.setWordWrap(True)
        self.since_edit = self._date_edit()
        self.until_edit = self._date_edit()
        self.show_button = QPushButton(tr("Show"))
        self.show_button.setToolTip(
            tr("Read the records of this period (recorded in the audit log)")
        )
        self.count_label = QLabel()
        self.count_label.setObjectName("mutedLabel")
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("Period")))
        bar.addWidget(self.since_edit)
        bar.addWidget(QLabel(tr("to")))
        bar.addWidget(self.until_edit)
        bar.addWidget(self.show_button)
        bar.addStretch(1)
        bar.addWidget(self.count_label)

        self.model: RowTableModel[CommunicationRecord] = RowTableModel(
            [
                time_column(tr, tr("Time"), lambda r: r.sent_at),
                Column(tr("Channel"), lambda r: channel_label(tr, r.channel)),
                Column(tr("Direction"), lambda r: direction_label(tr, r.direction)),
                Column(
                    tr("Counterparty"), lambda r: r.counterpart, tooltip=lambda r: r.counterpart
                ),
                Column(tr("Customer"), _customer),
                Column(tr("Content"), lambda r: r.content or "", tooltip=lambda r: r.content),
            ],
            highlight=lambda r: Highlight.NOTE if r.attachment_evidence_id else None,
            parent=self,
        )
        self.table = make_table_view(self.model, sort_column=-1)
        self.message_view = QPlainTextEdit()
        self.message_view.setReadOnly(True)
        self.message_view.setPlaceholderText(tr("Select a record to read it in full"))
        self.message_view.setMinimumHeight(90)
        # The reading pane below the table: the table keeps the full width for the content.
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.table)
        splitter.addWidget(self.message_view)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)

        self.empty_label = make_empty_state()
        self.body = QStackedWidget()
        self.body.addWidget(splitter)
        self.body.addWidget(self.empty_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.audit_note)
        layout.addLayout(bar)
        layout.addWidget(self.body, 1)

        self.show_button.clicked.connect(self.show_period)
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._show_record(current)
        )

    def _date_edit(self) -> QDateEdit:
        edit = QDateEdit()
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setMinimumWidth(130)
        return edit

    def permitted(self) -> bool:
        """May the signed-in user read communications at all?"""
        return allowed(self._current(), Permission.COMMUNICATION_VIEW)

    # -- loading ----------------------------------------------------------------------------

    def set_employee(self, employee_id: int) -> None:
        """A new file is on screen: forget the last reader's records; read nothing yet."""
        if self._op is not None and not self._op.done:
            self._op.discard()
        self.employee_id = employee_id
        self.loaded_for = None
        self.page = None
        self.model.set_rows([])
        self.message_view.clear()
        self.count_label.clear()
        self._set_empty(self._tr("Open this tab to read the records."))

    def ensure_loaded(self) -> Operation | None:
        """Read the last days with records, unless this employee's were read already."""
        if self.employee_id is None or self.loaded_for == self.employee_id:
            return None
        service, employee_id = self._service, self.employee_id

        def first_read() -> FirstRead:
            span = service.span(employee_id)
            if span is None:
                return FirstRead(None, None)
            since = max(span[0], span[1] - timedelta(days=FIRST_PERIOD_DAYS - 1))
            return FirstRead(span, service.list(employee_id, since, span[1], READ_LIMIT))

        return self._read(first_read, self._show_first)

    def show_period(self) -> Operation | None:
        """Read the records of the period in the date fields."""
        if self.employee_id is None:
            return None
        since = from_qdate(self.since_edit.date())
        until = from_qdate(self.until_edit.date())
        if until < since:
            since, until = until, since
        service, employee_id = self._service, self.employee_id
        return self._read(
            lambda: service.list(employee_id, since, until, READ_LIMIT), self._show_page
        )

    def _read(self, fn: Callable[[], object], on_result: Callable[[object], None]) -> Operation:
        if self._op is not None and not self._op.done:
            self._op.discard()
        self.loaded_for = self.employee_id
        self._set_empty(self._tr("Reading the communication records…"))
        # Every read appends to the audit log, so it goes through the single writer.
        self._op = self._runner.run(
            fn,
            on_result=on_result,
            label=self._tr("Reading the communication records…"),
            write=True,
        )
        self._op.failed.connect(lambda _error: setattr(self, "loaded_for", None))
        return self._op

    def _show_first(self, first: object) -> None:
        assert isinstance(first, FirstRead)
        if first.span is None or first.page is None:
            self.model.set_rows([])
            self._set_empty(self._tr("No communication records imported for this employee."))
            self.loaded.emit(0)
            return
        self._show_page(first.page)

    def _show_page(self, page: object) -> None:
        assert isinstance(page, CommunicationList)
        self.page = page
        if page.since is not None:
            self.since_edit.setDate(to_qdate(page.since))
        if page.until is not None:
            self.until_edit.setDate(to_qdate(page.until))
        self.model.set_rows(list(page.records))
        # Room for the content (the last column stretches): the others stay narrow.
        fit_columns(self.table, max_width=COLUMN_MAX_WIDTH)
        tr = self._tr
        if page.truncated:
            self.count_label.setText(
                tr("newest {shown} of {total} records", shown=len(page.records), total=page.total)
            )
        else:
            self.count_label.setText(tr("{n} records", n=page.total))
        if page.records:
            self.body.setCurrentIndex(0)
        else:
            self._set_empty(tr("No communication records in this period."))
        self.loaded.emit(len(page.records))

    def _set_empty(self, text: str) -> None:
        self.empty_label.setText(text)
        self.body.setCurrentWidget(self.empty_label)

    def _show_record(self, index: QModelIndex) -> None:
        record: CommunicationRecord | None = index.data(ROW_ROLE) if index.isValid() else None
        if record is None:
            self.message_view.clear()
            return
        tr = self._tr
        lines = [
            f"{tr.time(record.sent_at)}  {channel_label(tr, record.channel)}  "
            f"{direction_label(tr, record.direction)}",
            tr("Counterparty: {who}", who=record.counterpart),
        ]
        if record.customer_name:
            lines.append(tr("Customer: {customer}", customer=_customer(record)))
        if record.source_file:
            lines.append(
                tr(
                    "Imported from {file}, row {row}",
                    file=record.source_file,
                    row=record.source_row,
                )
            )
        if record.attachment_evidence_id:
            lines.append(
                tr("Has an attachment (evidence file #{id})", id=record.attachment_evidence_id)
            )
        lines += ["", record.content or tr("(no text: a call or an attachment)")]
        self.message_view.setPlainText("\n".join(lines))
