"""The very first start: no administrator exists yet, so create one (who is then signed in).

The password is hashed on the background runner's writer thread. Tests drive it without
``exec()``: ``fill(...)``, then ``create_admin()`` and wait for ``checked``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
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
from workstation.gui.security.labels import (
    password_problem_label,
    password_rules,
    user_error_label,
)
from workstation.i18n import Translator
from workstation.security.model import UserError, valid_username
from workstation.security.passwords import WeakPassword, password_problems

if TYPE_CHECKING:
    # the sign-in shows before the store (and SQLAlchemy) is loaded
    from workstation.security.users import UserService

log = logging.getLogger(__name__)


class FirstAdminDialog(QDialog):
    #: The administrator was created: their Identity.
    created = Signal(object)
    #: An attempt to create the administrator ended, done or refused.
    checked = Signal()

    def __init__(
        self,
        users: UserService,
        tr: Translator,
        parent: QWidget | None = None,
        *,
        runner: BackgroundRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self._users = users
        self._tr = tr
        self.identity: Identity | None = None
        self.setWindowTitle(tr("Create the administrator"))
        self.setMinimumWidth(520)
        self.setStyleSheet(STYLE)

        self.username = QLineEdit("admin")
        self.display_name = QLineEdit()
        self.display_name.setPlaceholderText(tr("e.g. IT department – Wang Lei"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        rules = QLabel(password_rules(tr))
        rules.setObjectName("passwordRules")
        rules.setWordWrap(True)
        self.problems = QLabel()
        self.problems.setObjectName("passwordProblems")
        self.problems.setWordWrap(True)
        form = QFormLayout()
        form.setVerticalSpacing(10)
        form.addRow(tr("Username"), self.username)
        form.addRow(tr("Display name"), self.display_name)
        form.addRow(tr("Password"), self.password)
        form.addRow(tr("Repeat password"), self.repeat)
        form.addRow("", rules)
        form.addRow("", self.problems)
        self.error = error_label()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.create_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.create_button.setText(tr("Create administrator"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        self.buttons.accepted.connect(self.create_admin)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 22, 24, 18)
        layout.setSpacing(14)
        layout.addLayout(
            heading(
                tr("Welcome to Casework"),
                tr(
                    "No administrator exists yet. Create the first one: the administrator "
                    "creates the other users and gives them their roles (HR officer, sales "
                    "manager, legal, auditor)."
                ),
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        fields = [self.username, self.display_name, self.password, self.repeat]
        for field in fields:
            field.textChanged.connect(self._update)
        self._work = PasswordWork(self.create_button, fields, tr, runner or BackgroundRunner(self))
        self._update()
        self.display_name.setFocus()

    def fill(self, username: str, display_name: str, password: str, repeat: str) -> None:
        self.username.setText(username)
        self.display_name.setText(display_name)
        self.password.setText(password)
        self.repeat.setText(repeat)

    def problem_texts(self) -> list[str]:
        """What stops the form now, in the words shown under the password."""
        tr = self._tr
        texts = []
        try:
            valid_username(self.username.text())
        except UserError as exc:
            texts.append(user_error_label(tr, exc))
        if not self.display_name.text().strip():
            texts.append(tr("Enter the name to show for this user."))
        password = self.password.text()
        if password:
            name = self.username.text()
            texts += [password_problem_label(tr, p) for p in password_problems(password, name)]
            if self.repeat.text() and self.repeat.text() != password:
                texts.append(tr("The two passwords differ."))
        return texts

    def create_admin(self) -> Operation | None:
        """Create the administrator in the background; on success remember the identity and
        close (accepted), else say why. None when the form is not ready."""
        if self._work.running or not self.create_button.isEnabled():
            return None
        users = self._users
        username, name = self.username.text(), self.display_name.text()
        password = self.password.text()
        return self._work.run(
            lambda: users.create_first_admin(username, name, password),
            self._created,
            self._refused,
        )

    def _created(self, identity: Identity) -> None:
        self.identity = identity
        self.created.emit(identity)
        self.accept()
        self.checked.emit()

    def _refused(self, error: BaseException) -> None:
        if not isinstance(error, Exception):
            raise error
        if isinstance(error, UserError):
            show_error(self.error, user_error_label(self._tr, error))
        elif isinstance(error, WeakPassword):
            text = " ".join(password_problem_label(self._tr, p) for p in error.problems)
            show_error(self.error, text)
        else:
            log.error(
                "creating the first administrator failed",
                exc_info=(type(error), error, error.__traceback__),
            )
            show_error(
                self.error,
                self._tr("Could not create the administrator: {error}", error=str(error)),
            )
        self._update()
        self.checked.emit()

    def _update(self) -> None:
        if self._work.running:
            return
        problems = self.problem_texts()
        # Only say what is wrong once something was typed; the rules above say the rest.
        shown = problems if self.password.text() or self.repeat.text() else []
        self.problems.setText("\n".join(f"• {p}" for p in shown))
        self.problems.setVisible(bool(shown))
        complete = bool(self.password.text()) and self.repeat.text() == self.password.text()
        self.create_button.setEnabled(complete and not problems)
