"""Dismissing an alert: a reason from the fixed list and a note for the record."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from workstation.domain.alerts import DismissReason
from workstation.gui.alerts.labels import dismiss_reason_label
from workstation.i18n import Translator


class DismissDialog(QDialog):
    def __init__(self, tr: Translator, who: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Dismiss the alert"))
        self.setMinimumWidth(460)
        intro = QLabel(
            tr(
                "Dismiss the alert on {who}. The reason and note stay in the employee's "
                "history; a new alert comes only when the evidence grows.",
                who=who,
            )
        )
        intro.setWordWrap(True)
        self.reason = QComboBox()
        for reason in DismissReason:
            self.reason.addItem(dismiss_reason_label(tr, reason), reason.value)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(tr("Why is this not order diversion? (required)"))
        self.note.setMinimumHeight(90)
        form = QFormLayout()
        form.addRow(tr("Reason"), self.reason)
        form.addRow(tr("Note"), self.note)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(tr("Dismiss"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.note.textChanged.connect(self._check)
        self._check()

    def chosen(self) -> tuple[str, str]:
        return str(self.reason.currentData()), self.note.toPlainText().strip()

    def _check(self) -> None:
        self.ok_button.setEnabled(bool(self.note.toPlainText().strip()))
