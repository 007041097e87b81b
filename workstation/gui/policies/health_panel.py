"""The health of the version in force: how often each rule fires, and how often its alerts
were confirmed rather than dismissed."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from workstation.domain.policy import NOISY_SHARE, Policy
from workstation.gui.policies.labels import rule_title
from workstation.gui.policies.sizing import stretch_column
from workstation.gui.widgets.table_model import Column, Highlight, RowTableModel
from workstation.gui.widgets.table_view import fit_columns, make_proxy, make_table_view
from workstation.i18n import Translator
from workstation.risk.policy_service import PolicyHealth


@dataclass(frozen=True)
class HealthRow:
    rule: str
    title: str
    #: Employees it fired for in the period (None: not a rule of the version in force).
    employees: int | None
    share: float | None
    confirmed: int
    dismissed: int
    open: int
    effectiveness: float | None

    @property
    def noisy(self) -> bool:
        return self.share is not None and self.share > NOISY_SHARE


def health_rows(tr: Translator, health: PolicyHealth, policy: Policy | None) -> list[HealthRow]:
    """The rules of the version in force in their order, then rules of older alerts."""
    rates = {r.rule: r for r in health.rule_rates}
    outcomes = {e.rule: e for e in health.effectiveness}
    names = list(dict.fromkeys([*rates, *outcomes]))
    rows = []
    for name in names:
        rate, outcome = rates.get(name), outcomes.get(name)
        rows.append(
            HealthRow(
                name,
                rule_title(tr, policy, name),
                rate.employees if rate else None,
                rate.share if rate else None,
                outcome.confirmed if outcome else 0,
                outcome.dismissed if outcome else 0,
                outcome.open if outcome else 0,
                outcome.effectiveness if outcome else None,
            )
        )
    return rows


class HealthPanel(QWidget):
    def __init__(self, tr: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tr = tr
        self.health: PolicyHealth | None = None
        self.title_label = QLabel(tr("Health of the rules"))
        self.title_label.setObjectName("sectionTitle")
        self.period_label = QLabel()
        self.period_label.setObjectName("mutedLabel")
        self.period_label.setWordWrap(True)
        self.warning_label = QLabel()
        self.warning_label.setObjectName("noticeBanner")
        self.warning_label.setWordWrap(True)
        self.warning_label.setTextFormat(Qt.TextFormat.PlainText)
        self.warning_label.hide()
        self.model: RowTableModel[HealthRow] = RowTableModel(
            [
                Column(tr("Rule"), lambda r: r.title, tooltip=lambda r: r.title),
                Column(
                    tr("Fires for"),
                    lambda r: r.share,
                    text=self._fires_text,
                    align_right=True,
                ),
                Column(tr("Confirmed"), lambda r: r.confirmed, align_right=True),
                Column(tr("Dismissed"), lambda r: r.dismissed, align_right=True),
                Column(tr("Still open"), lambda r: r.open, align_right=True),
                Column(
                    tr("Effectiveness"),
                    lambda r: r.effectiveness,
                    text=lambda r: "—" if r.effectiveness is None else f"{r.effectiveness:.0%}",
                    tooltip=self._effectiveness_tip,
                    align_right=True,
                ),
            ],
            highlight=lambda r: Highlight.NOTE if r.noisy else None,
            parent=self,
        )
        self.table = make_table_view(make_proxy(self.model, self))
        self.footnote = QLabel(
            tr(
                "Effectiveness = confirmed ÷ (confirmed + dismissed), over every alert the rule "
                "was part of (escalated counts as confirmed). A rule that fires for more than "
                "{limit} of the employees is flagged as noisy.",
                limit=f"{NOISY_SHARE:.0%}",
            )
        )
        self.footnote.setObjectName("mutedLabel")
        self.footnote.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.title_label)
        layout.addWidget(self.period_label)
        layout.addWidget(self.warning_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.footnote)

    def _fires_text(self, row: HealthRow) -> str:
        if row.share is None:
            return "—"
        total = self.health.employees_evaluated if self.health else 0
        return self._tr(
            "{share} ({n} of {total})", share=f"{row.share:.0%}", n=row.employees, total=total
        )

    def _effectiveness_tip(self, row: HealthRow) -> str:
        if row.effectiveness is None:
            return self._tr("No alert of this rule has been confirmed or dismissed yet")
        return self._tr(
            "{confirmed} confirmed ÷ ({confirmed} confirmed + {dismissed} dismissed)",
            confirmed=row.confirmed,
            dismissed=row.dismissed,
        )

    def show_health(self, health: PolicyHealth, policy: Policy | None) -> None:
        tr = self._tr
        self.health = health
        self.title_label.setText(
            tr("Health of the rules of version {version}", version=health.version)
        )
        if health.employees_evaluated:
            period = tr(
                "The last days with indicator values, {start} to {end}, judged by version "
                "{version} (in force on {end}): {n} employees.",
                start=health.start.isoformat(),
                end=health.end.isoformat(),
                version=health.version,
                n=health.employees_evaluated,
            )
        else:
            period = tr(
                "No indicator values are stored from {start} to {end}: evaluate those days to "
                "see how often each rule fires.",
                start=health.start.isoformat(),
                end=health.end.isoformat(),
            )
        self.period_label.setText(period)
        rows = health_rows(tr, health, policy)
        noisy = [
            tr(
                '"{rule}" fires for {share} of employees ({n} of {total}), more than {limit}: is '
                "its threshold too low?",
                rule=r.title,
                share=f"{r.share:.0%}",
                n=r.employees,
                total=health.employees_evaluated,
                limit=f"{NOISY_SHARE:.0%}",
            )
            for r in rows
            if r.noisy
        ]
        self.warning_label.setText("\n".join(noisy))
        self.warning_label.setVisible(bool(noisy))
        self.model.set_rows(rows)
        fit_columns(self.table, max_width=260)
        stretch_column(self.table, 0)

    def warnings(self) -> list[str]:
        text = self.warning_label.text()
        return text.split("\n") if not self.warning_label.isHidden() and text else []
