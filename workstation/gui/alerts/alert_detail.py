"""``AlertDetailView``: why one alert fired — its rules with value, threshold and baseline,
the trend of each indicator, the records behind it — and the triage buttons."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workstation.domain.alerts import AlertStatus, TransitionRefused
from workstation.domain.policy import Severity
from workstation.domain.verdicts import FiredRule
from workstation.gui.alerts.dismiss_dialog import DismissDialog
from workstation.gui.alerts.history_table import HistoryTables
from workstation.gui.alerts.labels import (
    indicator_label,
    percent,
    rule_name,
    rule_summary,
    severity_label,
    status_label,
)
from workstation.gui.alerts.records_tabs import RecordsTabs
from workstation.gui.background import BackgroundRunner, Operation
from workstation.gui.offer import offer, reason_text
from workstation.gui.widgets.table_model import Column, Highlight, RowTableModel
from workstation.gui.widgets.table_view import fit_columns, make_table_view
from workstation.gui.widgets.trend_chart import TrendChart
from workstation.i18n import Translator
from workstation.risk.alert_actions import AlertActions
from workstation.risk.alert_detail import AlertDetail, load_alert_detail
from workstation.risk.alert_service import AlertService, AlertView, StaleAlert
from workstation.risk.indicator_service import IndicatorService
from workstation.service_text import error_text


class AlertDetailView(QWidget):
    back_requested = Signal()
    #: (employee id, day) to show on the map.
    show_on_map = Signal(int, object)
    #: The alert was loaded and shown: its id.
    loaded = Signal(int)
    #: A triage step was saved: the alert as it is now.
    changed = Signal(object)
    #: Something was said to the user in the banner.
    problem_shown = Signal(str)
    #: "Open a case…" on a confirmed alert: the alert (``AlertView``).
    open_case_requested = Signal(object)
    #: "Show the case" on an escalated alert: the case's id.
    show_case_requested = Signal(int)

    def __init__(
        self,
        alerts: AlertService,
        indicators: IndicatorService,
        runner: BackgroundRunner,
        tr: Translator,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._alerts, self._indicators, self._runner, self._tr = alerts, indicators, runner, tr
        self.detail: AlertDetail | None = None
        self._op: Operation | None = None

        self.back_button = QPushButton(tr("‹ All alerts"))
        self.back_button.setObjectName("linkButton")
        self.back_button.clicked.connect(self.back_requested)
        self.map_button = QPushButton(tr("Show on map"))
        self._map_tip = tr(
            "The track, stops and check-ins of the selected record's day (else the latest)"
        )
        self.map_button.clicked.connect(self._on_map)
        self.review_button = QPushButton(tr("Start review"))
        self.confirm_button = QPushButton(tr("Confirm"))
        self.dismiss_button = QPushButton(tr("Dismiss…"))
        self.escalate_button = QPushButton(tr("Escalate to a case"))
        #: Set when the Cases area takes the case buttons (``gui.cases.from_alert``): then
        #: escalating opens a case from the alert, and an escalated alert shows its case.
        self.opens_cases = False
        self.case_button = QPushButton(tr("Show the case"))
        self.case_button.clicked.connect(self._on_show_case)
        self.review_button.clicked.connect(lambda: self.triage(AlertStatus.REVIEWING))
        self.confirm_button.clicked.connect(lambda: self.triage(AlertStatus.CONFIRMED))
        self.dismiss_button.clicked.connect(self.ask_dismiss)
        self.escalate_button.clicked.connect(self._on_escalate)
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addStretch(1)
        for button in (
            self.map_button,
            self.review_button,
            self.confirm_button,
            self.dismiss_button,
            self.escalate_button,
            self.case_button,
        ):
            top.addWidget(button)

        self.card = QFrame()
        self.card.setObjectName("profileCard")
        self.title_label = QLabel()
        self.title_label.setObjectName("profileName")
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts_label = QLabel()
        self.facts_label.setObjectName("mutedLabel")
        self.facts_label.setWordWrap(True)
        self.severity_badge = QLabel()
        self.severity_badge.setObjectName("severityBadge")
        card_layout = QGridLayout(self.card)
        card_layout.setContentsMargins(18, 12, 18, 12)
        card_layout.addWidget(self.title_label, 0, 0)
        card_layout.addWidget(self.severity_badge, 0, 1, Qt.AlignmentFlag.AlignRight)
        card_layout.addWidget(self.facts_label, 1, 0, 1, 2)

        self.banner = QLabel()
        self.banner.setObjectName("noticeBanner")
        self.banner.setWordWrap(True)
        self.banner.hide()

        self.rules_model: RowTableModel[FiredRule] = RowTableModel(
            [
                Column(tr("Rule"), lambda f: self._rule_name(f)),
                Column(
                    tr("Level"), lambda f: f.level.rank, text=lambda f: severity_label(tr, f.level)
                ),
                Column(tr("What was measured"), lambda f: rule_summary(tr, f)),
                Column(tr("Counts"), lambda f: self._counts(f), align_right=True),
                Column(
                    tr("Own baseline"),
                    lambda f: f.baseline,
                    text=lambda f: percent(f.baseline),
                    align_right=True,
                ),
                Column(tr("On"), lambda f: f.on),
            ],
            highlight=lambda f: Highlight.ALERT if f.level is Severity.HIGH else None,
            parent=self,
        )
        self.rules_table = make_table_view(self.rules_model, sort_column=-1)
        self.rules_table.setMaximumHeight(150)

        self.records = RecordsTabs(tr)
        self.records.map_requested.connect(self._map_day)
        self.trends_page = QWidget()
        self.trends_grid = QGridLayout(self.trends_page)
        self.charts: dict[str, TrendChart] = {}
        self.history = HistoryTables(tr)
        self.lower_tabs = QTabWidget()
        self.lower_tabs.addTab(self.records, tr("Records behind it"))
        self.lower_tabs.addTab(self.trends_page, tr("Trend"))
        self.lower_tabs.addTab(self.history, tr("History"))

        rules_title = QLabel(tr("Why it fired"))
        rules_title.setObjectName("sectionTitle")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.card)
        layout.addWidget(self.banner)
        layout.addWidget(rules_title)
        layout.addWidget(self.rules_table)
        layout.addWidget(self.lower_tabs, 1)
        self._update_buttons()

    # -- loading ----------------------------------------------------------------------------

    @property
    def alert(self) -> AlertView | None:
        return self.detail.explanation.alert if self.detail else None

    def open_alert(self, alert_id: int) -> Operation:
        if self._op is not None and not self._op.done:
            self._op.discard()
        alerts, indicators = self._alerts, self._indicators
        self._op = self._runner.run(
            lambda: load_alert_detail(alerts, indicators, alert_id),
            on_result=self._show,
            on_error=lambda error: self._say(error_text(error, self._tr.locale)),
            label=self._tr("Loading the alert…"),
        )
        return self._op

    def _show(self, detail: AlertDetail) -> None:
        tr = self._tr
        self.detail = detail
        alert = detail.explanation.alert
        self.title_label.setText(f"{alert.employee_name}  {alert.employee_no}")
        self.severity_badge.setText(severity_label(tr, alert.severity))
        self.severity_badge.setProperty("severity", alert.severity.value)
        self.severity_badge.style().unpolish(self.severity_badge)
        self.severity_badge.style().polish(self.severity_badge)
        self.facts_label.setText(self._facts(alert))
        self.banner.hide()
        self.rules_model.set_rows(list(alert.rules))
        fit_columns(self.rules_table, max_width=520)
        self.records.show_records(detail.records)
        self._show_trends(detail)
        self.history.show_history(detail.explanation)
        self._update_buttons()
        self.loaded.emit(alert.id)

    def _facts(self, alert: AlertView) -> str:
        tr = self._tr
        parts = [
            alert.department or "",
            tr("Status: {status}", status=status_label(tr, alert.status)),
            tr("raised on {day}", day=alert.raised_on.isoformat()),
            tr("last evaluated {day}", day=alert.last_evaluated_on.isoformat()),
            tr("policy version {n}", n=alert.policy_version),
        ]
        if alert.dismiss_note:
            parts.append(tr("dismissed: {note}", note=alert.dismiss_note))
        return " · ".join(p for p in parts if p)

    def _show_trends(self, detail: AlertDetail) -> None:
        for chart in self.charts.values():
            self.trends_grid.removeWidget(chart)
            chart.deleteLater()
        self.charts = {}
        thresholds: dict[str, float | None] = {}
        for fired in detail.explanation.alert.rules:
            if fired.indicator:
                thresholds.setdefault(fired.indicator, fired.threshold)
            for condition in fired.conditions:
                thresholds.setdefault(condition.indicator, condition.threshold)
        for i, (indicator, points) in enumerate(sorted(detail.explanation.trend.items())):
            chart = TrendChart()
            chart.show_trend(
                indicator_label(self._tr, indicator),
                [p.day for p in points],
                [p.value for p in points],
                thresholds.get(indicator),
            )
            self.trends_grid.addWidget(chart, i // 2, i % 2)
            self.charts[indicator] = chart

    # -- triage -----------------------------------------------------------------------------

    def alert_actions(self) -> AlertActions:
        """What the service says the reader may do with the alert shown (nothing without)."""
        return self.detail.actions if self.detail is not None else AlertActions()

    def _update_buttons(self) -> None:
        actions, tr = self.alert_actions(), self._tr
        offer(self.review_button, actions.can_triage(AlertStatus.REVIEWING), tr)
        offer(self.confirm_button, actions.can_triage(AlertStatus.CONFIRMED), tr)
        offer(self.dismiss_button, actions.can_triage(AlertStatus.DISMISSED), tr)
        offer(self.map_button, actions.show_on_map, tr, tooltip=self._map_tip)
        self.update_case_buttons()

    def update_case_buttons(self) -> None:
        alert, actions = self.alert, self.alert_actions()
        self.escalate_button.setText(
            self._tr("Open a case…") if self.opens_cases else self._tr("Escalate to a case")
        )
        escalate = (
            actions.open_case if self.opens_cases else actions.can_triage(AlertStatus.ESCALATED)
        )
        offer(self.escalate_button, escalate, self._tr)
        self.case_button.setVisible(
            self.opens_cases and alert is not None and alert.case_id is not None
        )

    def _on_escalate(self) -> None:
        alert = self.alert
        if alert is not None and self.opens_cases:
            self.open_case_requested.emit(alert)
        else:
            self.triage(AlertStatus.ESCALATED)

    def _on_show_case(self) -> None:
        alert = self.alert
        if alert is not None and alert.case_id is not None:
            self.show_case_requested.emit(alert.case_id)

    def ask_dismiss(self) -> None:
        alert = self.alert
        if alert is None:
            return
        dialog = DismissDialog(self._tr, f"{alert.employee_name} {alert.employee_no}", self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            reason, note = dialog.chosen()
            self.triage(AlertStatus.DISMISSED, reason=reason, note=note)

    def triage(
        self, to: AlertStatus, *, reason: str | None = None, note: str | None = None
    ) -> Operation | None:
        alert = self.alert
        if alert is None:
            return None
        alerts, alert_id, revision = self._alerts, alert.id, alert.revision
        return self._runner.run(
            lambda: alerts.triage(alert_id, to, revision, reason=reason, note=note),
            on_result=self._triaged,
            on_error=self._triage_failed,
            label=self._tr("Saving…"),
            write=True,
        )

    def _triaged(self, view: AlertView) -> None:
        self.changed.emit(view)
        self.open_alert(view.id)

    def _triage_failed(self, error: BaseException) -> None:
        if isinstance(error, StaleAlert):
            self._say(
                self._tr(
                    "Someone changed this alert while you were reading it; it was reloaded. "
                    "Check it and try again."
                )
            )
            if self.alert is not None:
                self.open_alert(self.alert.id)
        elif isinstance(error, TransitionRefused | PermissionError):
            self._say(error_text(error, self._tr.locale))
        else:
            raise error

    def _say(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))
        self.problem_shown.emit(text)

    # -- helpers ----------------------------------------------------------------------------

    def _rule_name(self, fired: FiredRule) -> str:
        if fired.kind == "combination":
            return self._tr("Combination: {name}", name=rule_name(self._tr, fired.rule))
        return rule_name(self._tr, fired.rule)

    def _counts(self, fired: FiredRule) -> str:
        if fired.numerator is None or fired.denominator is None:
            return ""
        return f"{fired.numerator:g} / {fired.denominator:g}"

    def _on_map(self) -> None:
        self._map_day(self.records.selected_day())

    def _map_day(self, day: date | None) -> None:
        alert, allowed = self.alert, self.alert_actions().show_on_map
        if alert is None:
            return
        if not allowed:
            self._say(reason_text(self._tr, allowed))
            return
        self.show_on_map.emit(alert.employee_id, day or alert.last_evaluated_on)
