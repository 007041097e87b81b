"""One saved policy version, read-only: its rules, combinations and settings."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from workstation.domain.policy import Combination, Rule
from workstation.gui.policies.labels import (
    baseline_text,
    combination_text,
    comparator_symbol,
    indicator_description,
    percent,
    rule_label,
    severity_label,
    system_text,
)
from workstation.gui.policies.sizing import fit_height, stretch_column
from workstation.gui.widgets.table_model import Column, RowTableModel
from workstation.gui.widgets.table_view import fit_columns, make_table_view
from workstation.i18n import Translator
from workstation.risk.policy_service import PolicyVersionInfo


def _on(tr: Translator, enabled: bool) -> str:
    return tr("Enabled") if enabled else tr("Disabled")


def _level(rule: Rule, threshold: float | None) -> str:
    """``≥ 20%``: the level fires at this value or beyond; ``—``: the level is not used."""
    if threshold is None:
        return "—"
    return f"{comparator_symbol(rule.comparator)} {percent(threshold)}"


class VersionDetails(QWidget):
    def __init__(self, tr: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tr = tr
        self.info: PolicyVersionInfo | None = None
        self.title_label = QLabel()
        self.title_label.setObjectName("sectionTitle")
        self.facts_label = QLabel()
        self.facts_label.setObjectName("mutedLabel")
        self.facts_label.setWordWrap(True)
        self.facts_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self._rules: tuple[Rule, ...] = ()
        self.rules_model: RowTableModel[Rule] = RowTableModel(
            [
                Column(
                    tr("Indicator"),
                    lambda r: rule_label(tr, r, self._rules),
                    tooltip=lambda r: indicator_description(tr, r.indicator),
                ),
                Column(tr("State"), lambda r: _on(tr, r.enabled)),
                Column(tr("Low"), lambda r: _level(r, r.low), sort=lambda r: r.low),
                Column(tr("Medium"), lambda r: _level(r, r.medium), sort=lambda r: r.medium),
                Column(tr("High"), lambda r: _level(r, r.high), sort=lambda r: r.high),
                Column(tr("Own baseline"), lambda r: baseline_text(tr, r)),
            ],
            parent=self,
        )
        self.rules_table = make_table_view(self.rules_model)
        self.rules_table.setSortingEnabled(False)
        self.combinations_model: RowTableModel[Combination] = RowTableModel(
            [
                Column(tr("State"), lambda c: _on(tr, c.enabled)),
                Column(tr("Severity"), lambda c: severity_label(tr, c.severity)),
                Column(tr("Conditions"), lambda c: combination_text(tr, c)),
            ],
            parent=self,
        )
        self.combinations_table = make_table_view(self.combinations_model)
        self.combinations_table.setSortingEnabled(False)
        self.settings_label = QLabel()
        self.settings_label.setObjectName("mutedLabel")
        self.settings_label.setWordWrap(True)

        rules_title = QLabel(tr("Rules"))
        rules_title.setObjectName("sectionTitle")
        combos_title = QLabel(tr("Combinations"))
        combos_title.setObjectName("sectionTitle")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.title_label)
        layout.addWidget(self.facts_label)
        layout.addWidget(rules_title)
        layout.addWidget(self.rules_table)
        layout.addWidget(combos_title)
        layout.addWidget(self.combinations_table)
        layout.addWidget(self.settings_label)
        layout.addStretch(1)

    def show_version(self, info: PolicyVersionInfo, in_force: bool) -> None:
        tr = self._tr
        self.info = info
        policy = info.policy
        state = tr("in force today") if in_force else ""
        title = tr(
            "Version {version}: {name}", version=info.version, name=system_text(tr, info.name)
        )
        self.title_label.setText(f"{title}  ·  {state}" if state else title)
        facts = [
            tr(
                "In force from {day}; saved by {who} on {at}.",
                day=info.effective_from.isoformat(),
                who=info.created_by or "—",
                at=tr.time(info.created_at),
            )
        ]
        if info.note:
            facts.append(tr("Note: {note}", note=system_text(tr, info.note)))
        self.facts_label.setText("\n".join(facts))
        self._rules = policy.rules
        self.rules_model.set_rows(list(policy.rules))
        self.combinations_model.set_rows(list(policy.combinations))
        for table, rows in (
            (self.rules_table, len(policy.rules)),
            (self.combinations_table, len(policy.combinations)),
        ):
            fit_columns(table, max_width=360)
            fit_height(table, rows, least=1, most=10)
        stretch_column(self.rules_table, 0)
        stretch_column(self.combinations_table, 2)
        s = policy.settings
        self.settings_label.setText(
            tr(
                "Indicators over {window} days, with at least {minimum} records under the line; "
                "own baseline from the {baseline} days before (at least {baseline_min} of them).",
                window=s.window_days,
                minimum=s.min_denominator,
                baseline=s.baseline_days,
                baseline_min=s.baseline_min_days,
            )
        )
