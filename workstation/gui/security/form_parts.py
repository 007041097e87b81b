"""Pieces the security dialogs share: the heading with the app's mark, the error line, and a
busy cursor around the (deliberately slow, memory-hard) password check."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from workstation.gui.icons import icon

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


@contextmanager
def busy(widget: QWidget) -> Iterator[None]:
    """Wait cursor and a disabled form while the password is checked (about 0.2 s)."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    widget.setEnabled(False)
    try:
        yield
    finally:
        widget.setEnabled(True)
        QApplication.restoreOverrideCursor()
