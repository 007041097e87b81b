"""Choose, for each field of an import kind, which column of the file feeds it."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from workstation.gui.imports.labels import field_label
from workstation.i18n import Translator
from workstation.ingest.profiles import KINDS


class ColumnMappingDialog(QDialog):
    """One combo box per field: "(not read)" or one of the file's columns."""

    def __init__(
        self,
        tr: Translator,
        kind: str,
        file_columns: tuple[str, ...],
        current: dict[str, str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._tr = tr
        self.setWindowTitle(tr("Choose the columns"))
        self.setMinimumWidth(480)
        self.combos: dict[str, QComboBox] = {}
        form = QFormLayout()
        form.setVerticalSpacing(8)
        for spec in KINDS[kind].fields:
            combo = QComboBox()
            combo.addItem(tr("(not read)"), "")
            for column in file_columns:
                combo.addItem(column, column)
            index = combo.findData(current.get(spec.name, ""))
            combo.setCurrentIndex(max(index, 0))
            combo.currentIndexChanged.connect(self._check)
            label = field_label(tr, kind, spec.name)
            if spec.required:
                label = tr("{field} (required)", field=label)
            form.addRow(label, combo)
            self.combos[spec.name] = combo
        self._required = {f.name for f in KINDS[kind].fields if f.required}

        body = QWidget()
        body.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        hint = QLabel(
            tr(
                "Fields left as “(not read)” stay empty. The preview is read again with "
                "these columns; save them as a named mapping to use them for the next file."
            )
        )
        hint.setObjectName("mutedLabel")
        hint.setWordWrap(True)
        self.problem_label = QLabel()
        self.problem_label.setObjectName("noticeBanner")
        self.problem_label.setWordWrap(True)
        self.problem_label.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Use these columns"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.buttons)
        self._check()

    def chosen(self) -> dict[str, str]:
        """field → column for every field ("" where not read)."""
        return {name: str(combo.currentData()) for name, combo in self.combos.items()}

    def problem(self) -> str | None:
        chosen = self.chosen()
        used = [c for c in chosen.values() if c]
        twice = sorted({c for c in used if used.count(c) > 1})
        if twice:
            return self._tr("A column can feed only one field: {columns}", columns=", ".join(twice))
        missing = sorted(name for name in self._required if not chosen[name])
        if missing:
            return self._tr("Choose a column for every required field.")
        return None

    def _check(self) -> None:
        problem = self.problem()
        self.problem_label.setText(problem or "")
        self.problem_label.setVisible(problem is not None)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(problem is None)
