"""Approving or rejecting a case's pending step: a note (required for a rejection)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from workstation.i18n import Translator


class DecisionDialog(QDialog):
    def __init__(
        self,
        tr: Translator,
        decision: str,
        number: str,
        step: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.decision = decision
        rejecting = decision == "rejected"
        self.setWindowTitle(tr("Reject the case") if rejecting else tr("Approve the case"))
        self.setMinimumWidth(480)
        if rejecting:
            text = tr(
                "Reject the {step} of case {number}. Your rejection is signed with your key "
                "and the case moves on at once; say why.",
                step=step,
                number=number,
            )
        else:
            text = tr(
                "Approve the {step} of case {number}. Your approval is signed with your key "
                "over the case as it is now.",
                step=step,
                number=number,
            )
        intro = QLabel(text)
        intro.setWordWrap(True)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setPlaceholderText(
            tr("Why do you reject it? (required)") if rejecting else tr("Note (optional)")
        )
        self.note_edit.setMinimumHeight(90)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(tr("Reject and sign") if rejecting else tr("Approve and sign"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.note_edit)
        layout.addWidget(self.buttons)
        self.note_edit.textChanged.connect(self._check)
        self._check()

    def set_note(self, text: str) -> None:
        self.note_edit.setPlainText(text)

    def note(self) -> str | None:
        return self.note_edit.toPlainText().strip() or None

    def _check(self) -> None:
        self.ok_button.setEnabled(self.decision != "rejected" or self.note() is not None)
