"""The fields of a new version around its rules: name, first day in force, note, and the
settings the indicators are computed with (window, minimum denominator)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from workstation.domain.policy import PolicySettings
from workstation.gui.policies.problems import ShownProblem
from workstation.gui.policies.rules_editor import mark_invalid
from workstation.gui.widgets.dates import from_qdate, to_qdate
from workstation.i18n import Translator


def section_title(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("sectionTitle")
    return label


def suggested_name(tr: Translator, today: date) -> str:
    return tr("{year} Q{quarter} thresholds", year=today.year, quarter=(today.month - 1) // 3 + 1)


class VersionForm(QWidget):
    changed = Signal()

    def __init__(self, tr: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tr = tr
        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(200)
        self.name_edit.setPlaceholderText(tr("e.g. 2026 Q4 thresholds"))
        self.name_edit.textChanged.connect(self.changed)
        self.effective_from_edit = QDateEdit()
        self.effective_from_edit.setCalendarPopup(True)
        self.effective_from_edit.setDisplayFormat("yyyy-MM-dd")
        self.effective_from_edit.dateChanged.connect(self.changed)
        self.effective_hint = QLabel()
        self.effective_hint.setObjectName("mutedLabel")
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText(tr("Why the change: kept with the version for the audit"))
        self.note_edit.textChanged.connect(self.changed)

        when = QHBoxLayout()
        when.setContentsMargins(0, 0, 0, 0)
        when.addWidget(self.effective_from_edit)
        when.addWidget(self.effective_hint, 1)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setVerticalSpacing(6)
        form.addRow(tr("Version name"), self.name_edit)
        form.addRow(tr("In force from"), when)
        form.addRow(tr("Note"), self.note_edit)

        # Shown by the editor under the rules, built here with the other plain fields.
        self.window_spin = QSpinBox()
        self.window_spin.setRange(1, 365)
        self.window_spin.setSuffix(tr(" days"))
        self.window_spin.setToolTip(tr("The trailing window every indicator is computed over"))
        self.window_spin.valueChanged.connect(self.changed)
        self.min_denominator_spin = QSpinBox()
        self.min_denominator_spin.setRange(1, 10_000)
        self.min_denominator_spin.setToolTip(
            tr(
                "An indicator with fewer records than this under the line (customers, stops, "
                "orders, leads, check-ins) counts as insufficient and never raises an alert"
            )
        )
        self.min_denominator_spin.valueChanged.connect(self.changed)
        self.settings_box = QGroupBox(tr("Indicator settings"))
        grid = QGridLayout(self.settings_box)
        grid.setHorizontalSpacing(10)
        grid.addWidget(QLabel(tr("Window")), 0, 0)
        grid.addWidget(self.window_spin, 0, 1)
        grid.addWidget(QLabel(tr("Minimum denominator")), 0, 2)
        grid.addWidget(self.min_denominator_spin, 0, 3)
        grid.setColumnStretch(4, 1)

    def reset(self, today: date, earliest: date) -> None:
        """Empty the fields; the first day may not come before ``earliest`` (the latest
        version's first day: a new version never rewrites the past)."""
        tr = self._tr
        self.name_edit.setText(suggested_name(tr, today))
        self.note_edit.clear()
        self.effective_from_edit.setMinimumDate(to_qdate(earliest))
        self.effective_from_edit.setDate(to_qdate(max(today, earliest)))
        self.effective_hint.setText(
            tr("not before {day} (the latest version starts then)", day=earliest.isoformat())
        )
        mark_invalid(self.effective_from_edit, False)

    def set_settings(self, settings: PolicySettings) -> None:
        self.window_spin.setValue(settings.window_days)
        self.min_denominator_spin.setValue(settings.min_denominator)

    def read_settings(self, base: PolicySettings | None) -> PolicySettings:
        return replace(
            base or PolicySettings(),
            window_days=self.window_spin.value(),
            min_denominator=self.min_denominator_spin.value(),
        )

    def name(self) -> str:
        return self.name_edit.text().strip()

    def effective_from(self) -> date:
        return from_qdate(self.effective_from_edit.date())

    def note(self) -> str | None:
        return self.note_edit.text().strip() or None

    def values(self) -> tuple[str, date, str | None]:
        return (self.name(), self.effective_from(), self.note())

    def mark(self, problems: Sequence[ShownProblem]) -> None:
        fields = {p.field for p in problems}
        mark_invalid(self.name_edit, "version_name" in fields)
        mark_invalid(self.effective_from_edit, "effective_from" in fields)

    # -- driving it (tests, scripts) --------------------------------------------------------

    def set_effective_from(self, day: date) -> None:
        """Bypasses the earliest day the date field allows (to reach the service's refusal)."""
        self.effective_from_edit.setMinimumDate(QDate(1900, 1, 1))
        self.effective_from_edit.setDate(to_qdate(day))
