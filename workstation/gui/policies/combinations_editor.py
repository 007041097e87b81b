"""The combinations of a draft policy: switched on or off, the severity they fire at, and
whether all or any of their conditions must hold. The conditions themselves are shown."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from workstation.domain.policy import SEVERITIES, Combination, CombinationMode, Severity
from workstation.gui.policies.labels import combination_text, mode_label, severity_label
from workstation.gui.policies.rules_editor import centered
from workstation.gui.policies.sizing import fit_height
from workstation.i18n import Translator


@dataclass
class _Row:
    combination: Combination
    enabled: QCheckBox
    severity: QComboBox
    mode: QComboBox


class CombinationsEditor(QTableWidget):
    changed = Signal()

    COL_ON, COL_SEVERITY, COL_MODE, COL_CONDITIONS = range(4)

    def __init__(self, tr: Translator, parent: QWidget | None = None) -> None:
        super().__init__(0, 4, parent)
        self._tr = tr
        self._rows: list[_Row] = []
        self.setHorizontalHeaderLabels(["✓", tr("Severity"), tr("Fires when"), tr("Conditions")])
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setShowGrid(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(36)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(self.COL_CONDITIONS, QHeaderView.ResizeMode.Stretch)
        self.setColumnWidth(self.COL_ON, 36)
        self.setColumnWidth(self.COL_SEVERITY, 80)
        self.setColumnWidth(self.COL_MODE, 110)

    def set_combinations(self, combinations: Sequence[Combination]) -> None:
        tr = self._tr
        self.setRowCount(0)
        self._rows = []
        for combo in combinations:
            row = self.rowCount()
            self.insertRow(row)
            enabled = QCheckBox()
            enabled.setChecked(combo.enabled)
            enabled.toggled.connect(self.changed)
            self.setCellWidget(row, self.COL_ON, centered(enabled))
            severity = QComboBox()
            for level in reversed(SEVERITIES):
                severity.addItem(severity_label(tr, level), level.value)
            severity.setCurrentIndex(severity.findData(combo.severity.value))
            severity.currentIndexChanged.connect(self.changed)
            self.setCellWidget(row, self.COL_SEVERITY, severity)
            mode = QComboBox()
            for m in CombinationMode:
                mode.addItem(self._mode_choice(m), m.value)
            mode.setCurrentIndex(mode.findData(combo.mode.value))
            mode.currentIndexChanged.connect(self._mode_changed)
            self.setCellWidget(row, self.COL_MODE, mode)
            item = QTableWidgetItem()
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.setItem(row, self.COL_CONDITIONS, item)
            self._rows.append(_Row(combo, enabled, severity, mode))
        self._show_conditions()
        fit_height(self, len(self._rows), least=1, most=4)

    def _mode_choice(self, mode: CombinationMode) -> str:
        return mode_label(self._tr, mode)

    def _mode_changed(self) -> None:
        self._show_conditions()
        self.changed.emit()

    def _show_conditions(self) -> None:
        for i, combo in enumerate(self.read()):
            item = self.item(i, self.COL_CONDITIONS)
            if item is not None:
                text = combination_text(self._tr, combo)
                item.setText(text)
                item.setToolTip(text)

    def read(self) -> tuple[Combination, ...]:
        return tuple(
            replace(
                row.combination,
                enabled=row.enabled.isChecked(),
                severity=Severity(row.severity.currentData()),
                mode=CombinationMode(row.mode.currentData()),
            )
            for row in self._rows
        )

    def names(self) -> list[str]:
        return [r.combination.name for r in self._rows]

    # -- driving it (tests, scripts) --------------------------------------------------------

    def _row(self, name: str) -> _Row:
        return next(r for r in self._rows if r.combination.name == name)

    def set_combination_enabled(self, name: str, enabled: bool) -> None:
        self._row(name).enabled.setChecked(enabled)

    def set_severity(self, name: str, severity: Severity) -> None:
        box = self._row(name).severity
        box.setCurrentIndex(box.findData(severity.value))

    def set_mode(self, name: str, mode: CombinationMode) -> None:
        box = self._row(name).mode
        box.setCurrentIndex(box.findData(mode.value))
