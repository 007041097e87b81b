"""Signing in at start: username and password, with clear reasons when it fails.

Tests drive it without ``exec()``: ``set_credentials(...)``, then ``attempt()``.
"""

from __future__ import annotations

import logging

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
from workstation.gui.security.form_parts import STYLE, busy, error_label, heading, show_error
from workstation.gui.security.labels import sign_in_error_label
from workstation.i18n import Translator
from workstation.security.model import AccountInactive, AccountLocked, SignInFailed
from workstation.security.users import UserService

log = logging.getLogger(__name__)


class SignInDialog(QDialog):
    #: The service accepted the password: the Identity.
    signed_in = Signal(object)

    def __init__(
        self,
        users: UserService,
        tr: Translator,
        parent: QWidget | None = None,
        *,
        username: str = "",
        demo_password: str | None = None,
    ) -> None:
        super().__init__(parent)
        self._users = users
        self._tr = tr
        self.identity: Identity | None = None
        self.setWindowTitle(tr("Sign in to Casework"))
        self.setMinimumWidth(440)
        self.setStyleSheet(STYLE)

        self.username = QLineEdit(username)
        self.username.setPlaceholderText(tr("e.g. hr.zhou"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.setVerticalSpacing(10)
        form.addRow(tr("Username"), self.username)
        form.addRow(tr("Password"), self.password)
        self.error = error_label()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.sign_in_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.sign_in_button.setText(tr("Sign in"))
        self.sign_in_button.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        self.buttons.accepted.connect(self.attempt)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 22, 24, 18)
        layout.setSpacing(14)
        layout.addLayout(
            heading(tr("Sign in to Casework"), tr("Your account decides what you can see and do."))
        )
        if demo_password:
            hint = QLabel(
                tr(
                    "This is the demo database: every demo user (admin, hr.zhou, "
                    "sales.manager, legal.sun, auditor.qian) has the password {password}.",
                    password=demo_password,
                )
            )
            hint.setObjectName("demoHint")
            hint.setWordWrap(True)
            layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self.username.textChanged.connect(self._update)
        self.password.textChanged.connect(self._update)
        self.username.returnPressed.connect(self.password.setFocus)
        self._update()
        (self.password if username else self.username).setFocus()

    def set_credentials(self, username: str, password: str) -> None:
        self.username.setText(username)
        self.password.setText(password)

    def error_text(self) -> str:
        return self.error.text()

    def attempt(self) -> Identity | None:
        """Check the password; on success remember the identity and close (accepted)."""
        username = self.username.text().strip()
        password = self.password.text()
        if not username or not password:
            return None
        try:
            with busy(self):
                identity = self._users.sign_in(username, password)
        except (SignInFailed, AccountLocked, AccountInactive) as exc:
            self._refused(exc)
            return None
        except Exception as exc:  # the database is unreachable, ...: say so, keep the form
            log.exception("sign-in failed")
            self._refused(exc)
            return None
        self.identity = identity
        show_error(self.error, "")
        self.signed_in.emit(identity)
        self.accept()
        return identity

    def _refused(self, exc: Exception) -> None:
        show_error(self.error, sign_in_error_label(self._tr, exc))
        self.password.clear()
        self.password.setFocus()

    def _update(self) -> None:
        self.sign_in_button.setEnabled(
            bool(self.username.text().strip()) and bool(self.password.text())
        )
