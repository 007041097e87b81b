"""Change my own password: the current one, then the new one twice.

A wrong current password counts towards the lock-out like a failed sign-in (the service
decides). The passwords are checked and hashed on the background runner's writer thread.
Tests drive it without ``exec()``: ``fill(...)``, then ``change()`` and wait for ``checked``.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QVBoxLayout,
    QWidget,
)

from workstation.domain.identity import Identity
from workstation.gui.background import BackgroundRunner, Operation
from workstation.gui.security.form_parts import (
    STYLE,
    PasswordWork,
    error_label,
    heading,
    show_error,
)
from workstation.gui.security.labels import account_refusal_label
from workstation.gui.security.password_fields import PasswordFields, password_edit
from workstation.i18n import Translator
from workstation.security.users import UserService

log = logging.getLogger(__name__)


class ChangePasswordDialog(QDialog):
    #: The password was changed.
    changed = Signal()
    #: An attempt to change it ended, done or refused.
    checked = Signal()

    def __init__(
        self,
        users: UserService,
        identity: Identity,
        tr: Translator,
        parent: QWidget | None = None,
        *,
        runner: BackgroundRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self._users = users
        self._identity = identity
        self._tr = tr
        self.setWindowTitle(tr("Change my password"))
        self.setMinimumWidth(520)
        self.setStyleSheet(STYLE)

        self.current = password_edit()
        form = QFormLayout()
        form.setVerticalSpacing(10)
        form.addRow(tr("Current password"), self.current)
        self.new = PasswordFields(tr, form, label=tr("New password"), parent=self)
        self.error = error_label()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.change_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.change_button.setText(tr("Change password"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        self.buttons.accepted.connect(self.change)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 22, 24, 18)
        layout.setSpacing(14)
        layout.addLayout(
            heading(
                tr("Change my password"),
                tr(
                    "{name} ({username}): type your current password, then the new one twice.",
                    name=identity.display_name,
                    username=identity.username,
                ),
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self.current.textChanged.connect(self._update)
        self.new.changed.connect(self._update)
        self._work = PasswordWork(
            self.change_button,
            [self.current, self.new.password, self.new.repeat],
            tr,
            runner or BackgroundRunner(self),
        )
        self._update()
        self.current.setFocus()

    def fill(self, current: str, new: str, repeat: str | None = None) -> None:
        self.current.setText(current)
        self.new.fill(new, repeat)

    def error_text(self) -> str:
        return self.error.text() if self.error.isVisibleTo(self) else ""

    def change(self) -> Operation | None:
        """Ask the service in the background; on success close (accepted), else say why and
        stay open. None when the form is not ready."""
        if self._work.running or not self.change_button.isEnabled():
            return None
        users, identity = self._users, self._identity
        current, new = self.current.text(), self.new.text()
        return self._work.run(
            lambda: users.change_own_password(identity, current, new),
            self._changed,
            self._refused,
        )

    def _changed(self, _result: object) -> None:
        show_error(self.error, "")
        self.changed.emit()
        self.accept()
        self.checked.emit()

    def _refused(self, error: BaseException) -> None:
        if not isinstance(error, Exception):
            raise error
        text = account_refusal_label(self._tr, error)
        if text is None:
            log.error(
                "changing the password failed", exc_info=(type(error), error, error.__traceback__)
            )
            text = self._tr("The password was not changed: {error}", error=str(error))
        show_error(self.error, text)
        self.current.clear()
        self.current.setFocus()
        self._update()
        self.checked.emit()

    def _update(self) -> None:
        if self._work.running:
            return
        self.new.show_problems(self.new.problem_texts(self._identity.username))
        self.change_button.setEnabled(
            bool(self.current.text()) and self.new.ready(self._identity.username)
        )
