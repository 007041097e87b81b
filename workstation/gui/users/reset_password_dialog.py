"""An administrator sets a new password for someone (forgotten, or locked out)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from workstation.gui.security.password_fields import PasswordFields
from workstation.gui.users.submit_dialog import SubmitDialog
from workstation.i18n import Translator
from workstation.security.model import UserView


class ResetPasswordDialog(SubmitDialog):
    def __init__(self, tr: Translator, user: UserView, parent: QWidget | None = None) -> None:
        super().__init__(
            tr,
            tr("Reset password"),
            tr(
                "A new password for {name} ({username}). It also lifts a lock-out. Tell it "
                "to them in person and ask them to change it.",
                name=user.display_name,
                username=user.username,
            ),
            tr("Set password"),
            parent,
        )
        self.user = user
        self.password = PasswordFields(tr, self.form, label=tr("New password"), parent=self)
        self.password.changed.connect(self.check)
        self.check()
        self.password.password.setFocus()

    def fill(self, password: str, repeat: str | None = None) -> None:
        self.password.fill(password, repeat)

    def complete(self) -> bool:
        return self.password.ready(self.user.username)

    def check(self) -> None:
        self.password.show_problems(self.password.problem_texts(self.user.username))
        super().check()

    def value(self) -> str:
        return self.password.text()
