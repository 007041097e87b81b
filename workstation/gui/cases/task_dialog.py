"""A task of the case (interview the customer, collect the contract...): who and by when.
A case cannot be closed while a task is open."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLineEdit, QWidget

from workstation.cases.lookups import UserChoice
from workstation.gui.cases.form_dialog import FormDialog, SearchCombo, date_edit
from workstation.gui.cases.labels import role_label
from workstation.gui.widgets.dates import from_qdate
from workstation.i18n import Translator


def user_text(tr: Translator, user: UserChoice) -> str:
    return f"{user.display_name}  {user.username} · {role_label(tr, user.role)}"


class TaskDialog(FormDialog):
    def __init__(
        self, tr: Translator, users: Sequence[UserChoice] = (), parent: QWidget | None = None
    ) -> None:
        super().__init__(
            tr,
            tr("Add task"),
            tr("Something to do for the case. The case is closed only when every task is done."),
            tr("Add task"),
            parent,
        )
        self.title_edit = QLineEdit()
        self.title_edit.setMaxLength(300)
        self.title_edit.setPlaceholderText(tr("e.g. interview the customer's buyer"))
        self.add_row(tr("Task"), self.title_edit)
        self.assignee = SearchCombo([(user_text(tr, u), u.id) for u in users], tr("(nobody yet)"))
        self.add_row(tr("Assignee"), self.assignee)
        self.due_check = QCheckBox(tr("Due by"))
        self.due_edit = date_edit(tr.clock.today())
        self.due_edit.setEnabled(False)
        self.due_check.toggled.connect(self.due_edit.setEnabled)
        due = QWidget()
        row = QHBoxLayout(due)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.due_check)
        row.addWidget(self.due_edit, 1)
        self.add_row(tr("Due date"), due)
        self.watch(self.title_edit)

    def set_title(self, text: str) -> None:
        self.title_edit.setText(text)

    def complete(self) -> bool:
        return bool(self.title_edit.text().strip())

    def chosen(self) -> tuple[str, int | None, date | None]:
        """(title, assignee user id, due date)."""
        due = from_qdate(self.due_edit.date()) if self.due_check.isChecked() else None
        return self.title_edit.text().strip(), self.assignee.value(), due
