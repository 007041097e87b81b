"""The Alerts area: the inbox, and one alert's explanation, in one page."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from workstation.gui.alerts.alert_detail import AlertDetailView
from workstation.gui.alerts.alert_list import AlertListView
from workstation.gui.background import BackgroundRunner, Operation
from workstation.gui.widgets.page_header import PageHeader
from workstation.i18n import Translator
from workstation.risk.alert_service import AlertService, AlertView
from workstation.risk.evaluation import EvaluationService, EvaluationSummary
from workstation.risk.indicator_service import IndicatorService


class AlertsPage(QWidget):
    #: The inbox was (re)loaded: how many alerts it holds.
    alerts_loaded = Signal(int)
    #: An evaluation run ended with this summary.
    evaluated = Signal(object)

    def __init__(
        self,
        alerts: AlertService,
        indicators: IndicatorService,
        evaluation: EvaluationService,
        runner: BackgroundRunner,
        tr: Translator,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._alerts, self._evaluation, self._runner, self._tr = alerts, evaluation, runner, tr
        self._op: Operation | None = None
        self.header = PageHeader(
            tr("Alerts"),
            tr(
                "Employees whose indicators crossed the policy's thresholds. Open an alert to "
                "see why it fired and the records behind it, then review, dismiss or confirm it."
            ),
        )
        self.evaluate_button = QPushButton(tr("Evaluate now"))
        self.evaluate_button.setToolTip(
            tr("Compute the indicators of the last day with data and raise or update alerts")
        )
        self.evaluate_button.clicked.connect(self.evaluate_now)
        self.header.action_row.addWidget(self.evaluate_button)
        self.evaluation_label = QLabel()
        self.evaluation_label.setObjectName("mutedLabel")
        self.evaluation_label.hide()
        self.list_view = AlertListView(tr)
        self.detail_view = AlertDetailView(alerts, indicators, runner, tr)
        self.body = QStackedWidget()
        self.body.addWidget(self.list_view)
        self.body.addWidget(self.detail_view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        layout.addWidget(self.header)
        layout.addWidget(self.evaluation_label)
        layout.addWidget(self.body, 1)

        self.list_view.alert_activated.connect(self.open_alert)
        self.list_view.status_filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.detail_view.back_requested.connect(self.show_list)
        self.detail_view.changed.connect(lambda _view: self.reload())

    def reload(self) -> Operation:
        if self._op is not None and not self._op.done:
            self._op.discard()
        alerts, status = self._alerts, self.list_view.status_choice()
        self._op = self._runner.run(
            lambda: alerts.list_alerts(status),
            on_result=self._show_alerts,
            label=self._tr("Loading alerts…"),
            dialog=False,
        )
        return self._op

    def _show_alerts(self, alerts: list[AlertView]) -> None:
        self.list_view.show_alerts(alerts)
        self.alerts_loaded.emit(len(alerts))

    def open_alert(self, alert_id: int) -> Operation:
        self.body.setCurrentWidget(self.detail_view)
        return self.detail_view.open_alert(alert_id)

    def show_list(self) -> None:
        self.body.setCurrentWidget(self.list_view)

    def showing_detail(self) -> bool:
        return self.body.currentWidget() is self.detail_view

    def evaluate_now(self) -> Operation:
        evaluation = self._evaluation
        self.evaluate_button.setEnabled(False)
        op = self._runner.run(
            lambda progress, cancel: evaluation.evaluate(
                evaluation.default_day(), progress=progress, cancel=cancel
            ),
            on_result=self._evaluated,
            label=self._tr("Evaluating…"),
            write=True,
            progress=True,
        )
        op.finished.connect(lambda: self.evaluate_button.setEnabled(True))
        return op

    def _evaluated(self, summary: EvaluationSummary) -> None:
        self.evaluation_label.setText(
            self._tr(
                "Evaluated {start} – {end} for {employees} employees: {raised} alerts raised, "
                "{updated} updated, {unchanged} unchanged.",
                start=summary.start.isoformat(),
                end=summary.end.isoformat(),
                employees=summary.employees_evaluated,
                raised=len(summary.raised),
                updated=len(summary.updated),
                unchanged=len(summary.unchanged),
            )
        )
        self.evaluation_label.show()
        self.evaluated.emit(summary)
        self.reload()
