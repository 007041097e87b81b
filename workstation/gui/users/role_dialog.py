"""Give a user another role (what they may see and do changes at their next sign-in)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from workstation.domain.enums import Role
from workstation.gui.security.labels import role_label
from workstation.gui.users.role_combo import RoleChooser
from workstation.gui.users.submit_dialog import SubmitDialog
from workstation.i18n import Translator
from workstation.security.model import UserView


class RoleDialog(SubmitDialog):
    def __init__(self, tr: Translator, user: UserView, parent: QWidget | None = None) -> None:
        super().__init__(
            tr,
            tr("Change role"),
            tr(
                "{name} ({username}) gets the new role's rights the next time they sign in.",
                name=user.display_name,
                username=user.username,
            ),
            tr("Change role"),
            parent,
            width=520,
        )
        self.user = user
        self.form.addRow(tr("Current role"), QLabel(role_label(tr, user.role)))
        self.role = RoleChooser(tr, user.role)
        self.form.addRow(tr("New role"), self.role)
        self.role.combo.currentIndexChanged.connect(self.check)
        self.check()

    def choose(self, role: Role) -> None:
        self.role.choose(role)

    def complete(self) -> bool:
        return self.role.role() != self.user.role

    def value(self) -> Role:
        return self.role.role()
