"""The employee file's risk tab: each indicator's trend over the last days computed, and the
employee's alerts with their outcome (dismissals are remembered here)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from workstation.domain.indicators import Indicator, IndicatorStatus
from workstation.gui.alerts.labels import (
    dismiss_reason_label,
    indicator_label,
    percent,
    rule_summary,
    severity_label,
    status_label,
)
from workstation.gui.background import BackgroundRunner, Operation
from workstation.gui.widgets.table_model import Column, Highlight, RowTableModel
from workstation.gui.widgets.table_view import fit_columns, make_table_view
from workstation.gui.widgets.trend_chart import TrendChart
from workstation.i18n import Translator
from workstation.risk.alert_service import AlertService, AlertView
from workstation.risk.indicator_service import IndicatorService
from workstation.risk.model import IndicatorValueView

TREND_DAYS = 90
#: The indicators drawn, in this order (conversion drop is read against the rate).
CHARTED = (
    Indicator.CUSTOMER_CHURN_RATE,
    Indicator.COMPETITOR_OVERLAP_RATE,
    Indicator.ORDER_TRANSFER_RATIO,
    Indicator.FAKE_FIELDWORK_RATE,
    Indicator.CONVERSION_RATE,
    Indicator.CONVERSION_DROP,
)


@dataclass(frozen=True)
class RiskHistory:
    values: list[IndicatorValueView]
    alerts: list[AlertView]


class RiskHistoryTab(QWidget):
    def __init__(
        self,
        indicators: IndicatorService,
        alerts: AlertService,
        runner: BackgroundRunner,
        tr: Translator,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._indicators, self._alerts, self._runner, self._tr = indicators, alerts, runner, tr
        self._op: Operation | None = None
        self.history: RiskHistory | None = None
        self.note_label = QLabel()
        self.note_label.setObjectName("mutedLabel")
        self.note_label.setWordWrap(True)
        self.charts: dict[Indicator, TrendChart] = {}
        charts = QWidget()
        grid = QGridLayout(charts)
        grid.setContentsMargins(0, 0, 0, 0)
        for i, indicator in enumerate(CHARTED):
            chart = TrendChart()
            chart.setMinimumHeight(170)
            self.charts[indicator] = chart
            grid.addWidget(chart, i // 3, i % 3)
        self.alerts_model: RowTableModel[AlertView] = RowTableModel(
            [
                Column(tr("Alert"), lambda a: a.id, text=lambda a: f"#{a.id}"),
                Column(tr("Raised on"), lambda a: a.raised_on),
                Column(tr("Severity"), lambda a: severity_label(tr, a.severity)),
                Column(tr("Outcome"), lambda a: status_label(tr, a.status)),
                Column(tr("Reason"), lambda a: dismiss_reason_label(tr, a.dismiss_reason)),
                Column(tr("Note"), lambda a: a.dismiss_note or ""),
                Column(tr("Why"), lambda a: "；".join(rule_summary(tr, f) for f in a.rules)),
            ],
            highlight=lambda a: Highlight.ALERT if a.is_open else None,
            parent=self,
        )
        self.alerts_table = make_table_view(self.alerts_model, sort_column=-1)
        alerts_title = QLabel(tr("Alerts on this employee"))
        alerts_title.setObjectName("sectionTitle")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.note_label)
        layout.addWidget(charts, 3)
        layout.addWidget(alerts_title)
        layout.addWidget(self.alerts_table, 1)

    def load(self, employee_id: int) -> Operation:
        if self._op is not None and not self._op.done:
            self._op.discard()
        indicators, alerts = self._indicators, self._alerts
        self._op = self._runner.run(
            lambda: RiskHistory(
                indicators.recent_values(employee_id, TREND_DAYS), alerts.history(employee_id)
            ),
            on_result=self._show,
            label=self._tr("Loading the indicators…"),
            dialog=False,
        )
        return self._op

    def _show(self, history: RiskHistory) -> None:
        tr = self._tr
        self.history = history
        by_indicator: dict[Indicator, list[IndicatorValueView]] = {}
        for value in history.values:
            by_indicator.setdefault(value.indicator, []).append(value)
        days = sorted({v.day for v in history.values})
        for indicator, chart in self.charts.items():
            values = {v.day: v for v in by_indicator.get(indicator, [])}
            last = values.get(days[-1]) if days else None
            title = indicator_label(tr, indicator)
            if last is not None:
                title += "  " + (
                    percent(last.value)
                    if last.status is IndicatorStatus.OK
                    else tr("(too little data)")
                )
            chart.show_trend(
                title,
                days,
                [values[d].value if d in values and values[d].sufficient else None for d in days],
            )
        if days:
            self.note_label.setText(
                tr(
                    "Each indicator over its trailing window, day by day, {first} – {last}. "
                    "A gap is a day with too little data to judge.",
                    first=days[0].isoformat(),
                    last=days[-1].isoformat(),
                )
            )
        else:
            self.note_label.setText(
                tr("No indicators computed for this employee yet (run the evaluation).")
            )
        self.alerts_model.set_rows(history.alerts)
        fit_columns(self.alerts_table, max_width=300)
