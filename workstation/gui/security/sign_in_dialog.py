"""Signing in at start: username and password, with clear reasons when it fails.

The password is checked on the background runner's writer thread (Argon2 is slow on purpose).
The dialog can show before the store is open (``set_users`` hands it the user service later):
a sign-in asked for meanwhile waits and then runs. Tests drive it without ``exec()``:
``set_credentials(...)``, then ``attempt()`` and wait for ``checked``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QPaintEvent
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
from workstation.gui.security.labels import sign_in_error_label
from workstation.i18n import Translator
from workstation.security.model import AccountInactive, AccountLocked, SignInFailed

if TYPE_CHECKING:
    # the sign-in shows before the store (and SQLAlchemy) is loaded
    from workstation.security.users import UserService

log = logging.getLogger(__name__)


class SignInDialog(QDialog):
    #: The service accepted the password: the Identity.
    signed_in = Signal(object)
    #: A sign-in attempt ended, accepted or refused.
    checked = Signal()
    #: The dialog painted itself for the first time.
    painted = Signal()

    def __init__(
        self,
        users: UserService | None,
        tr: Translator,
        parent: QWidget | None = None,
        *,
        username: str = "",
        demo_password: str | None = None,
        runner: BackgroundRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self._users = users
        self._tr = tr
        self.identity: Identity | None = None
        #: A sign-in was asked for before the store was open.
        self._pending = False
        #: Signing in cannot go on (``refuse``).
        self._stopped = False
        self._op: Operation | None = None
        self._painted = False
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
        self.demo_hint = QLabel()
        self.demo_hint.setObjectName("demoHint")
        self.demo_hint.setWordWrap(True)
        self.demo_hint.hide()
        layout.addWidget(self.demo_hint)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self.username.textChanged.connect(self._update)
        self.password.textChanged.connect(self._update)
        self.username.returnPressed.connect(self.password.setFocus)
        self._work = PasswordWork(
            self.sign_in_button,
            [self.username, self.password],
            tr,
            runner or BackgroundRunner(self),
        )
        self._update()
        self.show_demo_hint(demo_password)
        (self.password if username else self.username).setFocus()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.painted.emit()

    def set_users(self, users: UserService, demo_password: str | None = None) -> None:
        """The store is open: sign-ins can be checked (one asked for meanwhile runs now)."""
        self._users = users
        self.show_demo_hint(demo_password)
        if self._pending:
            self._pending = False
            self._check()

    def show_demo_hint(self, demo_password: str | None) -> None:
        if demo_password:
            from workstation.demo.signing_keys import DEMO_KEY_PASSPHRASES

            keys = ", ".join(f"{user} {phrase}" for user, phrase in DEMO_KEY_PASSPHRASES.items())
            self.demo_hint.setText(
                self._tr(
                    "This is the demo database: every demo user (admin, hr.zhou, "
                    "sales.manager, legal.sun, auditor.qian) has the password {password}.",
                    password=demo_password,
                )
                + "\n"
                + self._tr(
                    "Where no keyring keeps signing passphrases, each signer types their own: "
                    "{keys}.",
                    keys=keys,
                )
            )
        self.demo_hint.setVisible(bool(demo_password))
        if self.isVisible():
            self.adjustSize()  # the hint came once the store opened: make room for all of it

    def set_credentials(self, username: str, password: str) -> None:
        self.username.setText(username)
        self.password.setText(password)

    def error_text(self) -> str:
        return self.error.text() if self.error.isVisibleTo(self) else ""

    @property
    def checking(self) -> bool:
        return self._work.running

    def attempt(self) -> Operation | None:
        """Check the password in the background; on success remember the identity and close
        (accepted), else say why. None when there is nothing to check (yet)."""
        if self._stopped or self._work.running:
            return None
        if not self.username.text().strip() or not self.password.text():
            return None
        if self._users is None:
            self._pending = True
            self._work.wait()
            return None
        return self._check()

    def _check(self) -> Operation | None:
        username = self.username.text().strip()
        password = self.password.text()
        users = self._users
        if users is None or not username or not password:
            return None
        self._op = self._work.run(
            lambda: users.sign_in(username, password), self._accepted, self._refused
        )
        return self._op

    def reject(self) -> None:
        """Cancel: a check still running is forgotten (it cannot sign anyone in any more)."""
        self._pending = False
        if self._op is not None and not self._op.done:
            self._op.discard()
        super().reject()

    def _accepted(self, identity: Identity) -> None:
        self.identity = identity
        show_error(self.error, "")
        self.signed_in.emit(identity)
        self.accept()
        self.checked.emit()

    def _refused(self, error: BaseException) -> None:
        if not isinstance(error, Exception):
            raise error
        if not isinstance(error, (SignInFailed, AccountLocked, AccountInactive)):
            # the database is unreachable, ...: say so, keep the form
            log.error("sign-in failed", exc_info=(type(error), error, error.__traceback__))
        show_error(self.error, sign_in_error_label(self._tr, error))
        self.password.clear()
        self.password.setFocus()
        self._update()
        self.checked.emit()

    def refuse(self, text: str) -> None:
        """Say why signing in cannot go on (the store did not open): only Cancel is left."""
        self._pending = False
        self._work.done()
        self._stopped = True
        show_error(self.error, text)
        self._update()
        self.checked.emit()

    def _update(self) -> None:
        if self._work.running:
            return
        self.sign_in_button.setEnabled(
            not self._stopped and bool(self.username.text().strip()) and bool(self.password.text())
        )
