"""Everything the alert view shows in one call: the explanation and, for each indicator
behind it, the records described for people (reads of positions are audited there)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from workstation.domain.indicators import Indicator
from workstation.risk.alert_actions import AlertActions
from workstation.risk.alert_service import AlertExplanation, AlertService
from workstation.risk.indicator_service import IndicatorService, IndicatorValueNotFound
from workstation.risk.model import RecordsBehind


@dataclass(frozen=True)
class AlertDetail:
    explanation: AlertExplanation
    #: indicator → its records on the day the rule last fired (absent: nothing stored).
    records: dict[str, RecordsBehind]
    #: What the reader may do with the alert now, and why not.
    actions: AlertActions = field(default_factory=AlertActions)


def load_alert_detail(
    alerts: AlertService, indicators: IndicatorService, alert_id: int
) -> AlertDetail:
    explanation = alerts.explain(alert_id)
    alert = explanation.alert
    days: dict[str, date] = {}
    for fired in alert.rules:
        for indicator in fired.indicators:
            day = fired.on or alert.last_evaluated_on
            if indicator not in days or day > days[indicator]:
                days[indicator] = day
    records: dict[str, RecordsBehind] = {}
    for indicator, day in days.items():
        if indicator not in {i.value for i in Indicator}:
            continue
        try:
            records[indicator] = indicators.records_behind(alert.employee_id, day, indicator)
        except IndicatorValueNotFound:
            continue
    return AlertDetail(explanation, records, alerts.actions(alert))
