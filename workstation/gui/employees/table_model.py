"""``EmployeeTableModel`` and the proxy that filters it by name or number."""

from __future__ import annotations

from typing import Any

from workstation.employees.model import EmployeeRow
from workstation.gui.widgets.table_model import Column, RowTableModel
from workstation.gui.widgets.table_view import PredicateProxy
from workstation.i18n import Translator


class EmployeeTableModel(RowTableModel[EmployeeRow]):
    """One row per employee, as ``EmployeeService.list_employees`` returns them."""

    def __init__(self, tr: Translator, parent: Any = None) -> None:
        columns: list[Column[EmployeeRow]] = [
            Column(tr("Number"), lambda r: r.employee_no),
            Column(tr("Name"), lambda r: r.name),
            Column(tr("Department"), lambda r: r.department),
            Column(tr("Title"), lambda r: r.title),
            Column(tr("Office"), lambda r: r.office),
            Column(tr("Hired"), lambda r: r.hire_date),
            Column(tr("Left"), lambda r: r.leave_date),
            Column(tr("Customers held"), lambda r: r.customers_held, align_right=True),
        ]
        super().__init__(columns, parent=parent)

    def row_of_employee(self, employee_id: int) -> int | None:
        for i, row in enumerate(self._rows):
            if row.id == employee_id:
                return i
        return None


class EmployeeFilterProxy(PredicateProxy):
    """Keeps the employees whose name or number contains the search text (any case)."""

    def __init__(self, model: EmployeeTableModel, parent: Any = None) -> None:
        super().__init__(model, parent)

    def set_search(self, text: str) -> None:
        needle = text.strip().casefold()
        if not needle:
            self.set_predicate(None)
            return

        def matches(row: EmployeeRow) -> bool:
            return needle in row.name.casefold() or needle in row.employee_no.casefold()

        self.set_predicate(matches)
