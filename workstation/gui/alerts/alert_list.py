"""``AlertListView``: the alert inbox, filtered by severity, status and department."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from workstation.domain.alerts import AlertStatus
from workstation.domain.policy import Severity
from workstation.gui.alerts.labels import rule_summary, severity_label, status_label
from workstation.gui.widgets.table_model import ROW_ROLE, Column, Highlight, RowTableModel
from workstation.gui.widgets.table_view import (
    PredicateProxy,
    fit_columns,
    make_empty_state,
    make_table_view,
)
from workstation.i18n import Translator
from workstation.risk.alert_service import AlertView

OPEN = "open"
ALL = "all"


class AlertListView(QWidget):
    """The table and its filters; loading is the page's job (``show_alerts``)."""

    #: An alert was opened (double click or Enter): its id.
    alert_activated = Signal(int)

    def __init__(self, tr: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tr = tr
        self.severity_filter = QComboBox()
        self.severity_filter.addItem(tr("All severities"), None)
        for severity in (Severity.HIGH, Severity.MEDIUM, Severity.LOW):
            self.severity_filter.addItem(severity_label(tr, severity), severity.value)
        self.status_filter = QComboBox()
        self.status_filter.addItem(tr("Open (new, reviewing, confirmed)"), OPEN)
        for status in AlertStatus:
            self.status_filter.addItem(status_label(tr, status), status.value)
        self.status_filter.addItem(tr("All statuses"), ALL)
        self.department_filter = QComboBox()
        self.department_filter.addItem(tr("All departments"), None)
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Search by name or number"))
        self.search.setClearButtonEnabled(True)
        self.count_label = QLabel()
        self.count_label.setObjectName("mutedLabel")
        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        for widget in (self.severity_filter, self.status_filter, self.department_filter):
            filters.addWidget(widget)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.count_label)

        severity_rank = {Severity.HIGH: 3, Severity.MEDIUM: 2, Severity.LOW: 1}
        self.model: RowTableModel[AlertView] = RowTableModel(
            [
                Column(
                    tr("Severity"),
                    lambda a: severity_rank[a.severity],
                    text=lambda a: severity_label(tr, a.severity),
                ),
                Column(tr("Status"), lambda a: status_label(tr, a.status)),
                Column(tr("Employee no."), lambda a: a.employee_no),
                Column(tr("Name"), lambda a: a.employee_name),
                Column(tr("Department"), lambda a: a.department or ""),
                Column(tr("Raised on"), lambda a: a.raised_on),
                Column(tr("Last evaluated"), lambda a: a.last_evaluated_on),
                Column(
                    tr("Why"),
                    lambda a: "；".join(rule_summary(tr, f) for f in a.rules),
                    tooltip=lambda a: "\n".join(rule_summary(tr, f) for f in a.rules),
                ),
            ],
            highlight=lambda a: Highlight.ALERT if a.severity is Severity.HIGH else None,
            parent=self,
        )
        self.proxy = PredicateProxy(self.model, self)
        self.table = make_table_view(self.proxy, sort_column=0, descending=True)
        self.table.doubleClicked.connect(self._on_activated)
        self.table.activated.connect(self._on_activated)
        self.empty_label = make_empty_state()
        self.body = QStackedWidget()
        self.body.addWidget(self.table)
        self.body.addWidget(self.empty_label)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(filters)
        layout.addWidget(self.body, 1)
        self.severity_filter.currentIndexChanged.connect(self._apply_filter)
        self.department_filter.currentIndexChanged.connect(self._apply_filter)
        self.search.textChanged.connect(self._apply_filter)

    def status_choice(self) -> str | None:
        """What to load: ``"open"``, a status, or None for all."""
        choice = self.status_filter.currentData()
        return None if choice == ALL else str(choice)

    def show_alerts(self, alerts: Sequence[AlertView]) -> None:
        self.model.set_rows(list(alerts))
        keep = self.department_filter.currentData()
        departments = sorted({a.department for a in alerts if a.department})
        self.department_filter.blockSignals(True)
        self.department_filter.clear()
        self.department_filter.addItem(self._tr("All departments"), None)
        for name in departments:
            self.department_filter.addItem(name, name)
        index = self.department_filter.findData(keep) if keep else 0
        self.department_filter.setCurrentIndex(max(index, 0))
        self.department_filter.blockSignals(False)
        fit_columns(self.table, max_width=260)
        self._apply_filter()

    def visible_alerts(self) -> list[AlertView]:
        return [self.proxy.index(row, 0).data(ROW_ROLE) for row in range(self.proxy.rowCount())]

    def _apply_filter(self) -> None:
        severity = self.severity_filter.currentData()
        department = self.department_filter.currentData()
        needle = self.search.text().strip().casefold()

        def keep(alert: AlertView) -> bool:
            if severity and alert.severity.value != severity:
                return False
            if department and alert.department != department:
                return False
            return not needle or needle in f"{alert.employee_no} {alert.employee_name}".casefold()

        self.proxy.set_predicate(keep)
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText(self._tr("{shown} of {total} alerts", shown=shown, total=total))
        if total == 0:
            self.empty_label.setText(
                self._tr(
                    "No alerts here. Alerts are raised by the daily evaluation "
                    "(Evaluate now, or `workstation evaluate` scheduled every night)."
                )
            )
        else:
            self.empty_label.setText(self._tr("No alert matches the filters."))
        self.body.setCurrentWidget(self.table if shown else self.empty_label)

    def _on_activated(self, index: QModelIndex) -> None:
        alert = index.data(ROW_ROLE)
        if alert is not None:
            self.alert_activated.emit(alert.id)
