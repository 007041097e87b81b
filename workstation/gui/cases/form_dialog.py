"""What the case dialogs share: an intro, a form, OK/Cancel (OK enabled only when the form is
complete), and a combo box that finds an item by any part of its text."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from workstation.gui.widgets.dates import to_qdate
from workstation.i18n import Translator


class FormDialog(QDialog):
    """``add_row`` the fields, ``watch`` them, override ``complete``; ``accepted`` means OK."""

    def __init__(
        self,
        tr: Translator,
        title: str,
        intro: str,
        ok_text: str,
        parent: QWidget | None = None,
        *,
        width: int = 520,
    ) -> None:
        super().__init__(parent)
        self._tr = tr
        self.setWindowTitle(title)
        self.setMinimumWidth(width)
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.intro.setObjectName("mutedLabel")
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setVerticalSpacing(10)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)

    def add_row(self, label: str, field: QWidget) -> QWidget:
        self.form.addRow(label, field)
        return field

    def watch(self, *fields: QWidget) -> None:
        """Re-check the form whenever one of ``fields`` changes."""
        for field in fields:
            for name in ("textChanged", "currentIndexChanged", "currentTextChanged", "toggled"):
                signal = getattr(field, name, None)
                if signal is not None:
                    signal.connect(lambda *_a: self.check())
        self.check()

    def complete(self) -> bool:
        return True

    def check(self) -> None:
        self.ok_button.setEnabled(self.complete())

    def accept(self) -> None:
        if self.complete():
            super().accept()


def text_box(placeholder: str, height: int = 80) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setPlaceholderText(placeholder)
    box.setMinimumHeight(height)
    box.setTabChangesFocus(True)
    return box


def plain(box: QPlainTextEdit) -> str:
    return box.toPlainText().strip()


def date_edit(initial: date) -> QDateEdit:
    """A date field starting on ``initial`` (a default a person sees: the company's today,
    ``tr.clock.today()``, unless the case says otherwise)."""
    edit = QDateEdit(to_qdate(initial))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


class SearchCombo(QComboBox):
    """A combo box over (text, value) items; typing any part of an item's text finds it.
    ``none_text`` adds a first item meaning "none" (value ``None``); without ``preselect``
    nothing is chosen until the user chooses (who a case is about is never a default);
    ``placeholder`` shows in the empty text field."""

    def __init__(
        self,
        items: Sequence[tuple[str, Any]] = (),
        none_text: str | None = None,
        parent: QWidget | None = None,
        *,
        preselect: bool = True,
        placeholder: str = "",
    ) -> None:
        super().__init__(parent)
        self._preselect = preselect
        #: The text field typed in (the combo box owns it: editable from here on).
        self.text_edit = QLineEdit(self)
        self.text_edit.setPlaceholderText(placeholder)
        self.setLineEdit(self.text_edit)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(16)
        self._none = none_text
        self.set_items(items)

    def set_items(self, items: Sequence[tuple[str, Any]]) -> None:
        self.clear()
        if self._none is not None:
            self.addItem(self._none, None)
        for text, value in items:
            self.addItem(text, value)
        completer = QCompleter(self.model(), self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        self.setCurrentIndex(0 if self.count() and self._preselect else -1)

    def value(self) -> Any:
        """The value of the item whose text is typed (None when it names no item)."""
        index = self.findText(self.currentText().strip(), Qt.MatchFlag.MatchExactly)
        return self.itemData(index) if index >= 0 else None

    def choose(self, value: Any) -> None:
        index = self.findData(value)
        if index >= 0:
            self.setCurrentIndex(index)

    def choose_by(self, found: Callable[[Any], bool]) -> bool:
        for index in range(self.count()):
            if found(self.itemData(index)):
                self.setCurrentIndex(index)
                return True
        return False
