"""New user: username, display name, role, the employee record they are (optional), and an
initial password typed twice."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtWidgets import QLineEdit, QWidget

from workstation.domain.enums import Role
from workstation.employees.model import EmployeeRow
from workstation.gui.cases.form_dialog import SearchCombo
from workstation.gui.security.labels import user_error_label
from workstation.gui.security.password_fields import PasswordFields
from workstation.gui.users.role_combo import RoleChooser
from workstation.gui.users.submit_dialog import SubmitDialog
from workstation.i18n import Translator
from workstation.security.model import UserError, valid_display_name, valid_username


@dataclass(frozen=True)
class NewUser:
    username: str
    display_name: str
    role: Role
    employee_id: int | None
    password: str


def employee_text(row: EmployeeRow) -> str:
    return "  ".join(p for p in (row.name, row.employee_no, row.department or "") if p)


class NewUserDialog(SubmitDialog):
    def __init__(
        self,
        tr: Translator,
        employees: Sequence[EmployeeRow] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            tr,
            tr("New user"),
            tr(
                "The user signs in with this username and the initial password; tell them "
                "the password in person and ask them to change it (Account → Change my "
                "password…)."
            ),
            tr("Create user"),
            parent,
        )
        self.username = QLineEdit()
        self.username.setPlaceholderText(tr("e.g. hr.li"))
        self.username.setMaxLength(64)
        self.display_name = QLineEdit()
        self.display_name.setPlaceholderText(tr("e.g. Li Na (HR)"))
        self.role = RoleChooser(tr)
        self.employee = SearchCombo(
            [(employee_text(e), e.id) for e in employees],
            none_text=tr("(not an employee)"),
            placeholder=tr("Type a name or employee number"),
        )
        self.employee.setToolTip(
            tr(
                "Link the user to their own employee record, so that nobody approves or "
                "investigates a case about themselves or their own manager."
            )
        )
        self.form.addRow(tr("Username"), self.username)
        self.form.addRow(tr("Display name"), self.display_name)
        self.form.addRow(tr("Role"), self.role)
        self.form.addRow(tr("Employee record"), self.employee)
        self.password = PasswordFields(tr, self.form, label=tr("Initial password"), parent=self)

        self.username.textChanged.connect(self.check)
        self.display_name.textChanged.connect(self.check)
        self.employee.currentTextChanged.connect(self.check)
        self.password.changed.connect(self.check)
        self.check()
        self.username.setFocus()

    def fill(
        self,
        username: str,
        display_name: str,
        role: Role,
        password: str,
        repeat: str | None = None,
        employee_id: int | None = None,
    ) -> None:
        self.username.setText(username)
        self.display_name.setText(display_name)
        self.role.choose(role)
        if employee_id is None:
            self.employee.setCurrentIndex(0)
        else:
            self.employee.choose(employee_id)
        self.password.fill(password, repeat)

    def problem_texts(self) -> list[str]:
        """What stops the form now, in the words shown under the password."""
        tr = self._tr
        texts = []
        if self.username.text().strip():
            try:
                valid_username(self.username.text())
            except UserError as exc:
                texts.append(user_error_label(tr, exc))
        if not self._employee_known():
            texts.append(tr("Choose the employee from the list, or (not an employee)."))
        return texts + self.password.problem_texts(self.username.text().strip())

    def complete(self) -> bool:
        try:
            name = valid_username(self.username.text())
            valid_display_name(self.display_name.text())
        except UserError:
            return False
        return self._employee_known() and self.password.ready(name)

    def _employee_known(self) -> bool:
        """The employee field names an item of the list (or "not an employee")."""
        typed = self.employee.currentText().strip()
        return self.employee.findText(typed) >= 0

    def check(self) -> None:
        self.password.show_problems(self.problem_texts())
        super().check()

    def value(self) -> NewUser:
        return NewUser(
            username=self.username.text().strip(),
            display_name=self.display_name.text().strip(),
            role=self.role.role(),
            employee_id=self.employee.value(),
            password=self.password.text(),
        )
