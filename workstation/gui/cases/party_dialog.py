"""Someone else in the case: involved (a colleague who helped, a manager who looked away) or a
witness. Involved people can no longer see or approve the case."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QComboBox, QLineEdit, QRadioButton, QWidget

from workstation.cases.lookups import EmployeeChoice, UserChoice
from workstation.domain.cases import PartyRole
from workstation.gui.cases.form_dialog import FormDialog, SearchCombo
from workstation.gui.cases.labels import party_role_label
from workstation.gui.cases.new_case_dialog import employee_text
from workstation.gui.cases.task_dialog import user_text
from workstation.i18n import Translator


class PartyDialog(FormDialog):
    def __init__(
        self,
        tr: Translator,
        employees: Sequence[EmployeeChoice] = (),
        users: Sequence[UserChoice] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            tr,
            tr("Add party"),
            tr(
                "Mark someone as involved in the case, or as a witness. Involved people can "
                "neither see nor approve the case from now on."
            ),
            tr("Add party"),
            parent,
        )
        self.role_box = QComboBox()
        for role in (PartyRole.INVOLVED, PartyRole.WITNESS):
            self.role_box.addItem(party_role_label(tr, role.value), role.value)
        self.add_row(tr("Role in the case"), self.role_box)
        self.as_employee = QRadioButton(tr("An employee"))
        self.as_user = QRadioButton(tr("A user of the workstation"))
        self.as_employee.setChecked(True)
        self.employee = SearchCombo(
            [(employee_text(e), e.id) for e in employees],
            preselect=False,
            placeholder=tr("Type a name or employee number"),
        )
        self.user = SearchCombo([(user_text(tr, u), u.id) for u in users], preselect=False)
        self.user.setEnabled(False)
        self.as_employee.toggled.connect(self.employee.setEnabled)
        self.as_user.toggled.connect(self.user.setEnabled)
        self.add_row("", self.as_employee)
        self.add_row(tr("Employee"), self.employee)
        self.add_row("", self.as_user)
        self.add_row(tr("User"), self.user)
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText(tr("e.g. received the transferred orders"))
        self.add_row(tr("Note"), self.note_edit)
        self.watch(self.employee, self.user, self.as_employee)

    def choose_employee(self, employee_id: int) -> None:
        self.as_employee.setChecked(True)
        self.employee.choose(employee_id)

    def set_role(self, role: str) -> None:
        self.role_box.setCurrentIndex(max(self.role_box.findData(role), 0))

    def complete(self) -> bool:
        chosen = self.employee if self.as_employee.isChecked() else self.user
        return chosen.value() is not None

    def chosen(self) -> tuple[str, int | None, int | None, str | None]:
        """(role, employee id, user id, note)."""
        employee = self.employee.value() if self.as_employee.isChecked() else None
        user = self.user.value() if self.as_user.isChecked() else None
        note = self.note_edit.text().strip() or None
        return str(self.role_box.currentData()), employee, user, note
