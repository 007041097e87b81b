"""What the user dialogs share: a heading, a form, the service's refusal shown inside the
dialog, and OK that hands the values to the page (``submitted``) instead of closing.

The page runs the service in the background and then calls ``done()`` (close) or
``refuse(text)`` (stay open, say why). Tests drive a dialog without ``exec()``: fill its
fields, then ``submit()``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QVBoxLayout,
    QWidget,
)

from workstation.gui.security.form_parts import STYLE, error_label, heading, show_error
from workstation.i18n import Translator


class SubmitDialog(QDialog):
    #: OK was pressed on a complete form: ``value()``.
    submitted = Signal(object)

    def __init__(
        self,
        tr: Translator,
        title: str,
        intro: str,
        ok_text: str,
        parent: QWidget | None = None,
        *,
        width: int = 560,
    ) -> None:
        super().__init__(parent)
        self._tr = tr
        self._ok_text = ok_text
        self._waiting = False
        self.setWindowTitle(title)
        self.setMinimumWidth(width)
        self.setStyleSheet(STYLE)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setVerticalSpacing(10)
        self.form.setHorizontalSpacing(14)
        self.error = error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.ok_button.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 22, 24, 18)
        layout.setSpacing(14)
        layout.addLayout(heading(title, intro))
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    # -- for subclasses ---------------------------------------------------------------------

    def complete(self) -> bool:
        return True

    def value(self) -> Any:
        raise NotImplementedError

    def check(self) -> None:
        """Re-check the form (subclasses connect their fields' changes here)."""
        self.ok_button.setEnabled(self.complete() and not self._waiting)

    # -- the exchange with the page ---------------------------------------------------------

    def submit(self) -> bool:
        if self._waiting or not self.complete():
            return False
        show_error(self.error, "")
        self._set_waiting(True)
        self.submitted.emit(self.value())
        return True

    def refuse(self, text: str) -> None:
        self._set_waiting(False)
        show_error(self.error, text)

    def done_ok(self) -> None:
        self._set_waiting(False)
        self.accept()

    def error_text(self) -> str:
        return self.error.text() if self.error.isVisibleTo(self) else ""

    def _set_waiting(self, waiting: bool) -> None:
        self._waiting = waiting
        self.ok_button.setText(self._tr("Saving…") if waiting else self._ok_text)
        self.check()
