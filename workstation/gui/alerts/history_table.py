"""An alert's own events and the employee's other alerts with their outcome."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from workstation.gui.alerts.labels import (
    dismiss_reason_label,
    rule_name,
    rule_summary,
    severity_label,
    status_label,
)
from workstation.gui.widgets.table_model import Column, RowTableModel, time_column
from workstation.gui.widgets.table_view import fit_columns, make_table_view
from workstation.i18n import Translator
from workstation.risk.alert_service import AlertEventView, AlertExplanation, AlertView


class HistoryTables(QWidget):
    def __init__(self, tr: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tr = tr
        self.events_model: RowTableModel[AlertEventView] = RowTableModel(
            [
                time_column(tr, tr("When"), lambda e: e.at),
                Column(tr("Day evaluated"), lambda e: str(e.detail.get("day", ""))),
                Column(tr("Who"), lambda e: e.actor or ""),
                Column(tr("What"), lambda e: self._event_text(e)),
                Column(tr("Note"), lambda e: self._event_note(e)),
            ],
            parent=self,
        )
        self.earlier_model: RowTableModel[AlertView] = RowTableModel(
            [
                Column(tr("Alert"), lambda a: a.id, text=lambda a: f"#{a.id}"),
                Column(tr("Raised on"), lambda a: a.raised_on),
                Column(tr("Severity"), lambda a: severity_label(tr, a.severity)),
                Column(tr("Outcome"), lambda a: status_label(tr, a.status)),
                Column(tr("Reason"), lambda a: dismiss_reason_label(tr, a.dismiss_reason)),
                Column(tr("Note"), lambda a: a.dismiss_note or ""),
                Column(tr("Why"), lambda a: "；".join(rule_summary(tr, f) for f in a.rules)),
            ],
            parent=self,
        )
        self.events_table = make_table_view(self.events_model, sort_column=-1)
        self.earlier_table = make_table_view(self.earlier_model, sort_column=-1)
        events_title = QLabel(tr("This alert"))
        events_title.setObjectName("sectionTitle")
        earlier_title = QLabel(tr("Earlier alerts on this employee"))
        earlier_title.setObjectName("sectionTitle")
        self.none_earlier = QLabel(tr("None."))
        self.none_earlier.setObjectName("mutedLabel")
        layout = QVBoxLayout(self)
        layout.addWidget(events_title)
        layout.addWidget(self.events_table, 1)
        layout.addWidget(earlier_title)
        layout.addWidget(self.none_earlier)
        layout.addWidget(self.earlier_table, 1)

    def show_history(self, explanation: AlertExplanation) -> None:
        self.events_model.set_rows(list(explanation.events))
        self.earlier_model.set_rows(list(explanation.earlier))
        self.none_earlier.setVisible(not explanation.earlier)
        self.earlier_table.setVisible(bool(explanation.earlier))
        fit_columns(self.events_table, max_width=360)
        fit_columns(self.earlier_table, max_width=300)

    def _event_note(self, event: AlertEventView) -> str:
        tr, detail = self._tr, event.detail
        if "note" in detail:
            return str(detail["note"])
        rules = list(detail.get("rules", [])) + list(detail.get("rules_added", []))
        rules += list(detail.get("levels_raised", {}))
        return "、".join(dict.fromkeys(rule_name(tr, r) for r in rules))

    def _event_text(self, event: AlertEventView) -> str:
        tr = self._tr
        if event.kind == "raised":
            return tr("Raised by the evaluation")
        if event.kind == "updated":
            return tr("Updated: more evidence")
        if event.kind == "escalated_severity":
            return tr("Severity raised")
        if event.kind == "status" and event.to_status:
            reason = dismiss_reason_label(tr, event.detail.get("reason"))
            moved = tr("Moved to {status}", status=status_label(tr, event.to_status))
            return f"{moved} ({reason})" if reason else moved
        return event.kind
