"""``EmployeeListView``: everyone, searchable by name or number; Enter opens the file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QStackedWidget, QVBoxLayout, QWidget

from workstation.employees.model import EmployeeRow
from workstation.gui.background import BackgroundRunner, Operation
from workstation.gui.employees.table_model import EmployeeFilterProxy, EmployeeTableModel
from workstation.gui.widgets.page_header import PageHeader
from workstation.gui.widgets.table_model import ROW_ROLE
from workstation.gui.widgets.table_view import fit_columns, make_empty_state, make_table_view
from workstation.i18n import Translator

if TYPE_CHECKING:
    from workstation.employees.service import EmployeeService


class EmployeeListView(QWidget):
    #: The user asked to open this employee's file.
    employee_activated = Signal(int)
    #: The list was (re)loaded with this many employees.
    loaded = Signal(int)

    def __init__(
        self,
        employees: EmployeeService,
        runner: BackgroundRunner,
        tr: Translator,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._employees = employees
        self._runner = runner
        self._tr = tr
        self._op: Operation | None = None

        self.header = PageHeader(
            tr("Employees"),
            tr("Salespeople and their customers. Open a file to see who they held and lost."),
        )
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Search by name or number"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(280)
        self.count_label = QLabel()
        self.count_label.setObjectName("mutedLabel")

        self.model = EmployeeTableModel(tr, self)
        self.proxy = EmployeeFilterProxy(self.model, self)
        self.table = make_table_view(self.proxy, sort_column=0, stretch_last=False)
        self.table.setToolTip(tr("Double-click or press Enter to open the employee file"))

        self.empty_label = make_empty_state(
            tr(
                "No employees yet. Import an HR roster, or build the demo company with "
                "`workstation demo`."
            )
        )
        self.body = QStackedWidget()
        self.body.addWidget(self.table)
        self.body.addWidget(self.empty_label)

        bar = QHBoxLayout()
        bar.addWidget(self.search)
        bar.addStretch(1)
        bar.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        layout.addWidget(self.header)
        layout.addLayout(bar)
        layout.addWidget(self.body, 1)

        self.search.textChanged.connect(self._on_search)
        self.search.returnPressed.connect(self._open_first_match)
        # activated: double-click, or Enter on the current row.
        self.table.activated.connect(self._on_activated)

    # -- loading ----------------------------------------------------------------------------

    def reload(self) -> Operation:
        if self._op is not None and not self._op.done:
            self._op.discard()
        employees = self._employees
        self._op = self._runner.run(
            employees.list_employees,
            on_result=self._show_rows,
            label=self._tr("Loading employees…"),
        )
        return self._op

    def _show_rows(self, rows: list[EmployeeRow]) -> None:
        self.model.set_rows(rows)
        fit_columns(self.table)
        self.body.setCurrentWidget(self.table if rows else self.empty_label)
        self._update_count()
        self.loaded.emit(len(rows))

    # -- search and opening -----------------------------------------------------------------

    def visible_employee_ids(self) -> list[int]:
        return [self.proxy.index(r, 0).data(ROW_ROLE).id for r in range(self.proxy.rowCount())]

    def _on_search(self, text: str) -> None:
        self.proxy.set_search(text)
        self._update_count()

    def _update_count(self) -> None:
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        if shown == total:
            self.count_label.setText(self._tr("{n} employees", n=total))
        else:
            self.count_label.setText(
                self._tr("{shown} of {total} employees", shown=shown, total=total)
            )

    def _open_first_match(self) -> None:
        if self.proxy.rowCount() >= 1:
            index = self.table.currentIndex()
            self._on_activated(index if index.isValid() else self.proxy.index(0, 0))

    def _on_activated(self, index: QModelIndex) -> None:
        row: EmployeeRow | None = index.data(ROW_ROLE)
        if row is not None:
            self.employee_activated.emit(row.id)
