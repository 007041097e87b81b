"""What a transition needs from the HR officer: a reason, and for a proposal the disposition."""

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

from workstation.domain.cases import Disposition
from workstation.gui.cases.labels import disposition_label
from workstation.i18n import Translator


class TransitionDialog(QDialog):
    def __init__(
        self,
        tr: Translator,
        action: str,
        explanation: str,
        *,
        disposition: bool = False,
        reason_required: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._reason_required = reason_required
        self.setWindowTitle(action.rstrip("…"))
        self.setMinimumWidth(480)
        intro = QLabel(explanation)
        intro.setWordWrap(True)
        self.disposition_box = QComboBox()
        for choice in Disposition:
            self.disposition_box.addItem(disposition_label(tr, choice.value), choice.value)
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setPlaceholderText(
            tr("Reason (required)") if reason_required else tr("Reason (optional)")
        )
        self.reason_edit.setMinimumHeight(90)
        form = QFormLayout()
        if disposition:
            form.addRow(tr("Disposition"), self.disposition_box)
        form.addRow(tr("Reason"), self.reason_edit)
        self.disposition_box.setVisible(disposition)
        self._with_disposition = disposition
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(action.rstrip("…"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.reason_edit.textChanged.connect(self._check)
        self._check()

    def set_reason(self, text: str) -> None:
        self.reason_edit.setPlainText(text)

    def set_disposition(self, value: str) -> None:
        self.disposition_box.setCurrentIndex(max(self.disposition_box.findData(value), 0))

    def chosen(self) -> tuple[str | None, str | None]:
        """(reason, disposition) as given."""
        reason = self.reason_edit.toPlainText().strip() or None
        choice = self.disposition_box.currentData() if self._with_disposition else None
        return reason, (str(choice) if choice else None)

    def _check(self) -> None:
        given = bool(self.reason_edit.toPlainText().strip())
        self.ok_button.setEnabled(given or not self._reason_required)
