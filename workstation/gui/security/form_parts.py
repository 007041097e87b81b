"""Pieces the security dialogs share: the heading with the app's mark, the error line, and
the (deliberately slow, memory-hard) password work run off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout

from workstation.gui.background import BackgroundRunner, ErrorHandler, Operation
from workstation.gui.icons import icon
from workstation.i18n import Translator

STYLE = """
QLabel#securityTitle { font-size: 18px; font-weight: 600; color: #1c2833; }
QLabel#securitySubtitle, QLabel#passwordRules { color: #5d6d7e; }
QLabel#formError {
    background: #fde8e7; color: #9b1c1c; border: 1px solid #f3b5b0;
    border-radius: 6px; padding: 6px 10px;
}
QLabel#passwordProblems { color: #9b1c1c; }
QLabel#demoHint {
    background: #fff6dc; color: #6b4e00; border: 1px solid #f0d58a;
    border-radius: 6px; padding: 6px 10px;
}
"""


def heading(title: str, subtitle: str | None = None) -> QHBoxLayout:
    mark = QLabel()
    mark.setPixmap(icon("casework").pixmap(40, 40))
    mark.setAlignment(Qt.AlignmentFlag.AlignTop)
    text = QVBoxLayout()
    text.setSpacing(2)
    title_label = QLabel(title)
    title_label.setObjectName("securityTitle")
    text.addWidget(title_label)
    if subtitle:
        sub = QLabel(subtitle)
        sub.setObjectName("securitySubtitle")
        sub.setWordWrap(True)
        text.addWidget(sub)
    row = QHBoxLayout()
    row.setSpacing(12)
    row.addWidget(mark)
    row.addLayout(text, 1)
    return row


def error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("formError")
    label.setWordWrap(True)
    label.setVisible(False)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def show_error(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


class PasswordWork:
    """Runs a password check or hash (Argon2: a fraction of a second and 64 MiB) on the
    runner's writer thread, so the window keeps drawing; meanwhile the form waits (its fields
    read-only, its button saying "Checking…") and the runner turns the cursor busy if it
    takes long."""

    def __init__(
        self,
        button: QPushButton,
        fields: list[QLineEdit],
        tr: Translator,
        runner: BackgroundRunner,
    ) -> None:
        self._button = button
        self._fields = fields
        self._tr = tr
        self.runner = runner
        self._label = button.text()
        self.running = False

    def run(
        self,
        call: Callable[[], Any],
        on_result: Callable[[Any], None],
        on_error: ErrorHandler,
    ) -> Operation:
        self.wait()

        def done(value: Any) -> None:
            self.done()
            on_result(value)

        def failed(error: BaseException) -> None:
            self.done()
            on_error(error)

        return self.runner.run(call, on_result=done, on_error=failed, write=True, dialog=False)

    def wait(self) -> None:
        """The form waits (for the work, or for the store to open before it)."""
        if not self.running:
            self._label = self._button.text()
        self.running = True
        self._button.setText(self._tr("Checking…"))
        self._button.setEnabled(False)
        for field in self._fields:
            field.setReadOnly(True)

    def done(self) -> None:
        """The form takes input again."""
        self.running = False
        self._button.setText(self._label)
        self._button.setEnabled(True)
        for field in self._fields:
            field.setReadOnly(False)
