"""``EmployeeFileView``: one employee's profile, customers over time, check-ins, orders, events;
and, for those allowed to see them, the risk history, the case archive and communications."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QPushButton,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workstation.employees.model import CheckinRow, EmployeeFile, OwnershipRow
from workstation.gui.background import BackgroundRunner, Operation
from workstation.gui.employees.archive_tab import CaseArchiveTab
from workstation.gui.employees.communications_tab import CommunicationsTab
from workstation.gui.employees.file_models import (
    CheckinTableModel,
    CustomerEventTableModel,
    OrderTableModel,
    OwnershipTableModel,
)
from workstation.gui.employees.profile_header import ProfileHeader
from workstation.gui.employees.risk_tab import RiskHistoryTab
from workstation.gui.icons import icon
from workstation.gui.widgets.table_model import ROW_ROLE, RowTableModel
from workstation.gui.widgets.table_view import (
    PredicateProxy,
    fit_columns,
    make_empty_state,
    make_table_view,
)
from workstation.i18n import Translator
from workstation.service_text import error_text

if TYPE_CHECKING:
    from workstation.employees.service import EmployeeService


class EmployeeFileView(QWidget):
    #: Go back to the employee list.
    back_requested = Signal()
    #: Show this employee on the map, on this day (None: the last day with data).
    show_on_map = Signal(int, object)
    #: The file of this employee id is on screen.
    loaded = Signal(int)

    def __init__(
        self,
        employees: EmployeeService,
        runner: BackgroundRunner,
        tr: Translator,
        parent: QWidget | None = None,
        *,
        risk_tab: RiskHistoryTab | None = None,
        archive_tab: CaseArchiveTab | None = None,
        communications_tab: CommunicationsTab | None = None,
    ) -> None:
        super().__init__(parent)
        self._employees = employees
        #: The indicators and alerts of the employee (a tab of its own, loaded beside the file).
        self.risk_tab = risk_tab
        #: The employee's closed and decided cases, and their communications (read only when
        #: that tab is opened); each hidden when the signed-in user may not see it.
        self.archive_tab = archive_tab
        self.communications_tab = communications_tab
        self._runner = runner
        self._tr = tr
        self._op: Operation | None = None
        self.employee_id: int | None = None
        self.file: EmployeeFile | None = None

        self.back_button = QPushButton(icon("back"), tr("All employees"))
        self.back_button.setObjectName("linkButton")
        self.back_button.setFlat(True)
        self.map_button = QPushButton(icon("map"), tr("Show on map"))
        self.map_button.setToolTip(
            tr("Open the map for this employee: the selected check-in's day, or the last day")
        )
        self.map_button.setEnabled(False)
        bar = QHBoxLayout()
        bar.addWidget(self.back_button)
        bar.addStretch(1)
        bar.addWidget(self.map_button)

        self.profile = ProfileHeader(tr)

        self.ownership_model = OwnershipTableModel(tr, self)
        self.checkin_model = CheckinTableModel(tr, self)
        self.order_model = OrderTableModel(tr, self)
        self.event_model = CustomerEventTableModel(tr, self)
        self.ownership_proxy = PredicateProxy(self.ownership_model, self)
        # Most recent first: losses at the top of the customers, latest check-ins and orders.
        self.ownership_table = make_table_view(self.ownership_proxy, sort_column=3, descending=True)
        self.checkin_table = self._table(self.checkin_model)
        self.order_table = self._table(self.order_model)
        self.event_table = self._table(self.event_model)
        self.only_lost = QCheckBox(tr("Only customers lost or transferred"))

        ownership_page = QWidget()
        own_layout = QVBoxLayout(ownership_page)
        own_layout.setContentsMargins(0, 8, 0, 0)
        own_layout.addWidget(self.only_lost)
        own_layout.addWidget(self.ownership_table, 1)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(ownership_page, "")
        self.tabs.addTab(self.checkin_table, "")
        self.tabs.addTab(self.order_table, "")
        self.tabs.addTab(self.event_table, "")
        if risk_tab is not None:
            self.tabs.addTab(risk_tab, tr("Risk indicators and alerts"))
        if archive_tab is not None:
            self.tabs.addTab(archive_tab, "")
        if communications_tab is not None:
            self.tabs.addTab(communications_tab, tr("Communications"))
        self._update_tab_titles()
        self.update_tab_visibility()

        self.status_label = make_empty_state()
        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.setSpacing(12)
        content_layout.addWidget(self.profile)
        content_layout.addWidget(self.tabs, 1)
        self.body = QStackedWidget()
        self.body.addWidget(content)
        self.body.addWidget(self.status_label)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 12, 24, 16)
        layout.setSpacing(8)
        layout.addLayout(bar)
        layout.addWidget(self.body, 1)

        self.back_button.clicked.connect(self.back_requested)
        self.map_button.clicked.connect(self._on_map_clicked)
        self.checkin_table.activated.connect(lambda _index: self._on_map_clicked())
        self.only_lost.toggled.connect(self._on_only_lost)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        if archive_tab is not None:
            archive_tab.loaded.connect(lambda _n: self._update_tab_titles())

    def _table(self, model: RowTableModel) -> QTableView:
        return make_table_view(PredicateProxy(model, self), sort_column=0, descending=True)

    # -- loading ----------------------------------------------------------------------------

    def open_employee(self, employee_id: int) -> Operation:
        if self._op is not None and not self._op.done:
            self._op.discard()
        self.employee_id = employee_id
        self.map_button.setEnabled(True)
        if self.file is None or self.file.profile.id != employee_id:
            self.status_label.setText(self._tr("Opening the employee file…"))
            self.body.setCurrentWidget(self.status_label)
        employees = self._employees
        # The read is written to the audit log, so it goes through the single writer.
        self._op = self._runner.run(
            lambda: employees.employee_file(employee_id),
            on_result=self._show_file,
            label=self._tr("Opening the employee file…"),
            write=True,
        )
        self._op.failed.connect(self._show_error)  # the global reporter has logged and shown it
        if self.risk_tab is not None:
            self.risk_tab.load(employee_id)
        self.update_tab_visibility()
        if self.archive_tab is not None:
            self.archive_tab.clear()
            if self.archive_tab.permitted():
                self.archive_tab.load(employee_id)
        if self.communications_tab is not None:
            self.communications_tab.set_employee(employee_id)
            self._on_tab_changed(self.tabs.currentIndex())
        return self._op

    def _show_file(self, file: EmployeeFile) -> None:
        self.file = file
        self.profile.show_file(file)
        self.ownership_model.set_rows(file.ownerships)
        self.checkin_model.set_rows([*file.checkins, *file.missed_punches])
        self.order_model.set_rows(file.orders)
        self.event_model.set_rows(file.events)
        for table in (self.ownership_table, self.checkin_table, self.order_table, self.event_table):
            fit_columns(table)
        self._update_tab_titles()
        self.body.setCurrentIndex(0)
        self.loaded.emit(file.profile.id)

    def _show_error(self, error: BaseException) -> None:
        self.status_label.setText(
            self._tr(
                "The employee file could not be opened: {error}",
                error=error_text(error, self._tr.locale),
            )
        )
        self.body.setCurrentWidget(self.status_label)

    def _update_tab_titles(self) -> None:
        tr = self._tr
        titles = [
            tr("Customers held over time ({n})", n=self.ownership_model.rowCount()),
            self._checkins_title(),
            tr("Orders ({n})", n=self.order_model.rowCount()),
            tr("Customer events ({n})", n=self.event_model.rowCount()),
        ]
        for i, title in enumerate(titles):
            self.tabs.setTabText(i, title)
        if self.archive_tab is not None:
            self.tabs.setTabText(
                self.tabs.indexOf(self.archive_tab),
                tr("Cases ({n})", n=self.archive_tab.case_model.rowCount()),
            )

    def _checkins_title(self) -> str:
        missed = len(self.file.missed_punches) if self.file is not None else 0
        n = self.checkin_model.rowCount() - missed
        if missed:
            return self._tr("Check-ins ({n}, {missed} missed)", n=n, missed=missed)
        return self._tr("Check-ins ({n})", n=n)

    def update_tab_visibility(self) -> None:
        """Show the case and communication tabs only to those who may see them (the signed-in
        user can change while the window is open)."""
        for tab in (self.archive_tab, self.communications_tab):
            if tab is not None:
                index = self.tabs.indexOf(tab)
                visible = tab.permitted()
                if not visible and self.tabs.currentIndex() == index:
                    self.tabs.setCurrentIndex(0)
                self.tabs.setTabVisible(index, visible)

    def _on_tab_changed(self, index: int) -> None:
        tab = self.communications_tab
        if tab is not None and index == self.tabs.indexOf(tab) and tab.permitted():
            tab.ensure_loaded()

    # -- actions ----------------------------------------------------------------------------

    def _on_only_lost(self, checked: bool) -> None:
        def lost(row: OwnershipRow) -> bool:
            return row.end_kind in ("lost", "transferred")

        self.ownership_proxy.set_predicate(lost if checked else None)

    def selected_day(self) -> date | None:
        """The day of the selected check-in, if the check-ins tab has one selected."""
        index = self.checkin_table.currentIndex()
        if self.tabs.currentWidget() is not self.checkin_table or not index.isValid():
            return None
        row: CheckinRow | None = index.data(ROW_ROLE)
        return self._tr.day_of(row.checked_at) if row is not None else None

    def _on_map_clicked(self) -> None:
        if self.employee_id is not None:
            self.show_on_map.emit(self.employee_id, self.selected_day())
