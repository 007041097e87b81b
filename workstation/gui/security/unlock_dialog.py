"""The form on top of a locked workstation: the signed-in user's password, or sign out.

It cannot be closed or escaped; only unlocking or signing out ends it. ``IdleLock`` owns it;
tests drive it by ``password.setText(...)`` and ``submit()``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workstation.gui.security.form_parts import STYLE, error_label, heading, show_error
from workstation.i18n import Translator


class UnlockDialog(QDialog):
    #: The user asks to unlock with this password.
    unlock_requested = Signal(str)
    #: The user gives up the session (someone else needs the workstation).
    sign_out_requested = Signal()

    def __init__(
        self,
        tr: Translator,
        display_name: str,
        username: str,
        idle_minutes: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._tr = tr
        self.setWindowTitle(tr("Casework is locked"))
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        self.setMinimumWidth(440)
        self.setStyleSheet(STYLE)

        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(tr("Password of {username}", username=username))
        self.error = error_label()
        self.unlock_button = QPushButton(tr("Unlock"))
        self.unlock_button.setDefault(True)
        self.sign_out_button = QPushButton(tr("Sign out and quit"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.sign_out_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 22, 24, 18)
        layout.setSpacing(14)
        layout.addLayout(
            heading(
                tr("Casework is locked"),
                tr(
                    "Locked after {minutes} minutes without activity. {name} can unlock "
                    "with their password; anyone else signs out.",
                    minutes=idle_minutes,
                    name=display_name,
                ),
            )
        )
        layout.addWidget(self.password)
        layout.addWidget(self.error)
        layout.addLayout(buttons)

        self.password.returnPressed.connect(self.submit)
        self.password.textChanged.connect(self._update)
        self.unlock_button.clicked.connect(self.submit)
        self.sign_out_button.clicked.connect(self.sign_out_requested)
        self._checking = False
        self._update()

    def submit(self) -> None:
        if self.unlock_button.isEnabled():
            self.unlock_requested.emit(self.password.text())

    def set_checking(self, checking: bool) -> None:
        """While the password is checked, the form waits."""
        self._checking = checking
        self.password.setReadOnly(checking)
        self.unlock_button.setText(self._tr("Checking…") if checking else self._tr("Unlock"))
        self._update()

    def refuse(self, text: str) -> None:
        show_error(self.error, text)
        self.password.clear()
        self.password.setFocus()

    def error_text(self) -> str:
        return self.error.text()

    # Neither Esc nor the window's close button ends the lock.
    def reject(self) -> None:
        pass

    def closeEvent(self, event: QCloseEvent) -> None:
        event.ignore()

    def _update(self) -> None:
        self.unlock_button.setEnabled(bool(self.password.text()) and not self._checking)
        self.sign_out_button.setEnabled(not self._checking)
