"""The rules of a draft policy, one row per rule, every setting editable in place.

Thresholds are typed in percent (``20`` for 20%; empty: the level is not used). The table
reads back plain ``Rule`` values plus the inputs it could not read; the policy's own checks
(``Policy.problems()``) run on top, in the editor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from workstation.domain.indicators import Indicator
from workstation.domain.policy import Comparator, Rule
from workstation.gui.policies.labels import (
    comparator_label,
    indicator_description,
    parse_percent,
    percent_text,
    rule_label,
)
from workstation.gui.policies.problems import ShownProblem
from workstation.gui.policies.sizing import fit_height
from workstation.i18n import Translator

LEVELS = ("low", "medium", "high")
#: Digits with an optional decimal part and % sign: letters cannot be typed at all.
PERCENT_INPUT = QRegularExpression(r"\s*\d{0,5}([.,]\d{0,4})?\s*[%％]?\s*")
#: A new rule on these indicators watches for a value falling, not rising.
_FALLING = {Indicator.CONVERSION_RATE}


def percent_edit(text: str, tooltip: str, parent: QWidget | None = None) -> QLineEdit:
    edit = QLineEdit(text, parent)
    edit.setValidator(QRegularExpressionValidator(PERCENT_INPUT, edit))
    edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    edit.setPlaceholderText("—")
    edit.setToolTip(tooltip)
    edit.setFrame(True)
    return edit


def centered(widget: QWidget) -> QWidget:
    holder = QWidget()
    layout = QHBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignCenter)
    return holder


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    if bool(widget.property("problem")) == invalid:
        return
    widget.setProperty("problem", invalid)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


@dataclass
class _Row:
    name: str
    indicator: str
    #: The indicator column's item (the table owns it; its text is the rule's label).
    label: QTableWidgetItem
    enabled: QCheckBox
    comparator: QComboBox
    levels: dict[str, QLineEdit]
    baseline_on: QCheckBox
    margin: QLineEdit


class RulesEditor(QTableWidget):
    """Rows of rules; ``changed`` fires on every edit."""

    changed = Signal()

    COL_ON, COL_INDICATOR, COL_COMPARATOR, COL_LOW, COL_MEDIUM, COL_HIGH, COL_BASELINE = range(7)

    def __init__(self, tr: Translator, parent: QWidget | None = None) -> None:
        super().__init__(0, 7, parent)
        self._tr = tr
        self._rows: list[_Row] = []
        self.setHorizontalHeaderLabels(
            [
                "✓",
                tr("Indicator"),
                tr("Fires when"),
                tr("Low"),
                tr("Medium"),
                tr("High"),
                tr("Own baseline"),
            ]
        )
        self._header_tips = tips = {
            self.COL_ON: tr("Enabled: the rule is evaluated"),
            self.COL_LOW: tr("The threshold of the low level, in percent; empty: not used"),
            self.COL_MEDIUM: tr("The threshold of the medium level, in percent; empty: not used"),
            self.COL_HIGH: tr("The threshold of the high level, in percent; empty: not used"),
            self.COL_BASELINE: tr(
                "Fire only when the value is also this much above the employee's own average "
                "of the previous 90 days (below it, for ≤ and <). Off: the threshold alone "
                "decides."
            ),
        }
        for column, tip in tips.items():
            item = self.horizontalHeaderItem(column)
            if item is not None:
                item.setToolTip(tip)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setShowGrid(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(36)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(self.COL_INDICATOR, QHeaderView.ResizeMode.Stretch)
        for column, width in (
            (self.COL_ON, 36),
            (self.COL_COMPARATOR, 104),
            (self.COL_LOW, 62),
            (self.COL_MEDIUM, 62),
            (self.COL_HIGH, 62),
            (self.COL_BASELINE, 112),
        ):
            self.setColumnWidth(column, width)

    # -- content ----------------------------------------------------------------------------

    def set_rules(self, rules: Sequence[Rule]) -> None:
        self.setRowCount(0)
        self._rows = []
        for rule in rules:
            self._append(rule)
        self._relabel()
        self._fit()

    def _append(self, rule: Rule) -> None:
        tr = self._tr
        row = self.rowCount()
        self.insertRow(row)
        enabled = QCheckBox()
        enabled.setChecked(rule.enabled)
        enabled.setToolTip(tr("Enabled: the rule is evaluated"))
        enabled.toggled.connect(self.changed)
        self.setCellWidget(row, self.COL_ON, centered(enabled))

        item = QTableWidgetItem()
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        self.setItem(row, self.COL_INDICATOR, item)

        comparator = QComboBox()
        for c in Comparator:
            comparator.addItem(comparator_label(tr, c), c.value)
        comparator.setCurrentIndex(comparator.findData(rule.comparator.value))
        comparator.currentIndexChanged.connect(self.changed)
        self.setCellWidget(row, self.COL_COMPARATOR, comparator)
        metrics = comparator.fontMetrics()
        wide = max(metrics.horizontalAdvance(comparator.itemText(i)) for i in range(4)) + 44
        if self.columnWidth(self.COL_COMPARATOR) < wide:
            self.setColumnWidth(self.COL_COMPARATOR, wide)

        levels: dict[str, QLineEdit] = {}
        for column, level in zip(
            (self.COL_LOW, self.COL_MEDIUM, self.COL_HIGH), LEVELS, strict=True
        ):
            edit = percent_edit(
                percent_text(getattr(rule, level)),
                tr("In percent: type 20 for 20%. Empty: this level is not used."),
            )
            edit.textChanged.connect(self.changed)
            levels[level] = edit
            self.setCellWidget(row, column, edit)

        baseline_on = QCheckBox()
        baseline_on.setChecked(rule.baseline_margin is not None)
        baseline_on.setToolTip(self._header_tips[self.COL_BASELINE])
        margin = percent_edit(
            percent_text(rule.baseline_margin),
            tr("Margin over the employee's own baseline, in percent (0: simply above it)"),
        )
        margin.setPlaceholderText("0")
        margin.setFixedWidth(50)
        margin.setEnabled(baseline_on.isChecked())
        baseline_on.toggled.connect(margin.setEnabled)
        baseline_on.toggled.connect(self.changed)
        margin.textChanged.connect(self.changed)
        cell = QWidget()
        box = QHBoxLayout(cell)
        box.setContentsMargins(6, 0, 2, 0)
        box.setSpacing(6)
        box.addWidget(baseline_on)
        box.addWidget(margin)
        box.addWidget(QLabel("%"))
        box.addStretch(1)
        self.setCellWidget(row, self.COL_BASELINE, cell)

        self._rows.append(
            _Row(rule.name, rule.indicator, item, enabled, comparator, levels, baseline_on, margin)
        )

    def _fit(self) -> None:
        fit_height(self, self.rowCount(), least=3, most=8)

    def _relabel(self) -> None:
        """Indicator labels (a name is added when two rules watch the same indicator)."""
        stubs = tuple(Rule(r.name, r.indicator) for r in self._rows)
        for row, stub in zip(self._rows, stubs, strict=True):
            row.label.setText(rule_label(self._tr, stub, stubs))
            row.label.setToolTip(indicator_description(self._tr, row.indicator))

    def add_rule(self, indicator: str) -> str:
        """A new rule on ``indicator``, no threshold yet (the editor asks for one)."""
        base = Indicator(indicator).value
        names = set(self.names())
        name, n = base, 2
        while name in names:
            name, n = f"{base}_{n}", n + 1
        comparator = Comparator.LE if indicator in _FALLING else Comparator.GE
        self._append(Rule(name, indicator, comparator))
        self._relabel()
        self._fit()
        self.selectRow(self.rowCount() - 1)
        self.changed.emit()
        return name

    def remove_rule(self, name: str) -> None:
        row = self.row_of(name)
        self.removeRow(row)
        del self._rows[row]
        self._relabel()
        self._fit()
        self.changed.emit()

    def selected_name(self) -> str | None:
        rows = self.selectionModel().selectedRows() if self.selectionModel() else []
        return self._rows[rows[0].row()].name if rows else None

    # -- reading ----------------------------------------------------------------------------

    def names(self) -> list[str]:
        return [r.name for r in self._rows]

    def row_of(self, name: str) -> int:
        for i, row in enumerate(self._rows):
            if row.name == name:
                return i
        raise KeyError(name)

    def read(self) -> tuple[tuple[Rule, ...], list[ShownProblem]]:
        """The rules as typed, and the inputs that are not numbers."""
        tr = self._tr
        rules: list[Rule] = []
        problems: list[ShownProblem] = []
        labels = {r.name: r.label.text() for r in self._rows}
        for row in self._rows:
            values: dict[str, float | None] = {}
            for level, edit in row.levels.items():
                try:
                    values[level] = parse_percent(edit.text())
                except ValueError:
                    values[level] = None
                    problems.append(
                        ShownProblem(
                            tr(
                                '{rule}: "{text}" is not a percentage.',
                                rule=labels[row.name],
                                text=edit.text(),
                            ),
                            row.name,
                            level,
                        )
                    )
            margin: float | None = None
            if row.baseline_on.isChecked():
                try:
                    margin = parse_percent(row.margin.text()) or 0.0
                except ValueError:
                    margin = 0.0
                    problems.append(
                        ShownProblem(
                            tr(
                                '{rule}: "{text}" is not a percentage.',
                                rule=labels[row.name],
                                text=row.margin.text(),
                            ),
                            row.name,
                            "baseline",
                        )
                    )
            rules.append(
                Rule(
                    row.name,
                    row.indicator,
                    Comparator(row.comparator.currentData()),
                    values["low"],
                    values["medium"],
                    values["high"],
                    margin,
                    row.enabled.isChecked(),
                )
            )
        return tuple(rules), problems

    def mark(self, problems: Sequence[ShownProblem]) -> None:
        """Outline the inputs the problems are about."""
        for row in self._rows:
            fields = {p.field for p in problems if p.rule == row.name}
            for level, edit in row.levels.items():
                bad = (
                    level in fields
                    or "missing" in fields
                    or ("levels" in fields and bool(edit.text().strip()))
                )
                mark_invalid(edit, bad)
            mark_invalid(row.margin, "baseline" in fields)

    # -- driving it (tests, scripts) --------------------------------------------------------

    def threshold_edit(self, name: str, level: str) -> QLineEdit:
        return self._rows[self.row_of(name)].levels[level]

    def set_threshold(self, name: str, level: str, text: str) -> None:
        edit = self.threshold_edit(name, level)
        edit.setText(text)

    def set_rule_enabled(self, name: str, enabled: bool) -> None:
        self._rows[self.row_of(name)].enabled.setChecked(enabled)

    def set_comparator(self, name: str, comparator: Comparator) -> None:
        box = self._rows[self.row_of(name)].comparator
        box.setCurrentIndex(box.findData(comparator.value))

    def set_baseline(self, name: str, margin: str | None) -> None:
        """``None`` switches the baseline condition off; else the margin in percent."""
        row = self._rows[self.row_of(name)]
        row.baseline_on.setChecked(margin is not None)
        if margin is not None:
            row.margin.setText(margin)
