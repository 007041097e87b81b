"""Names people read for indicators, severities, alert states, dismissal reasons and rules."""

from __future__ import annotations

from workstation.domain.alerts import AlertStatus, DismissReason
from workstation.domain.policy import Severity
from workstation.domain.verdicts import FiredRule
from workstation.gui.policies import labels as policy_labels
from workstation.i18n import Translator


def indicator_label(tr: Translator, indicator: str | None) -> str:
    return "" if indicator is None else policy_labels.indicator_label(tr, indicator)


def rule_name(tr: Translator, name: str) -> str:
    """The default policy's rules in words; other rules by the name their author gave."""
    names = {
        "churn": tr("Customer churn"),
        "competitor_overlap": tr("Competitor overlap"),
        "order_transfer": tr("Order transfer"),
        "fake_fieldwork": tr("Fake field work"),
        "conversion_drop": tr("Conversion drop"),
        "churn_with_overlap": tr("Churn together with competitor overlap"),
    }
    return names.get(name, name)


def severity_label(tr: Translator, severity: Severity | str) -> str:
    return policy_labels.severity_label(tr, severity)


def status_label(tr: Translator, status: AlertStatus | str) -> str:
    labels = {
        AlertStatus.NEW: tr("New"),
        AlertStatus.REVIEWING: tr("Reviewing"),
        AlertStatus.DISMISSED: tr("Dismissed"),
        AlertStatus.CONFIRMED: tr("Confirmed"),
        AlertStatus.ESCALATED: tr("Escalated to a case"),
    }
    return labels.get(AlertStatus(status), str(status))


def dismiss_reason_label(tr: Translator, reason: DismissReason | str | None) -> str:
    if not reason:
        return ""
    labels = {
        DismissReason.EXPLAINED_BUSINESS_REASON: tr("Explained by a business reason"),
        DismissReason.DATA_ERROR: tr("Data error"),
        DismissReason.TERRITORY_CHANGE: tr("Territory change"),
        DismissReason.KNOWN_SHARED_LOCATION: tr("Known shared location"),
        DismissReason.OTHER: tr("Other"),
    }
    try:
        return labels[DismissReason(reason)]
    except ValueError:
        return reason


_SYMBOLS = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}


def comparator_symbol(comparator: object) -> str:
    return _SYMBOLS.get(str(comparator), str(comparator or ""))


def percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.0f}%"


def rule_summary(tr: Translator, fired: FiredRule) -> str:
    """One line: "客户流失率 24% ≥ 20%" or, for a combination, its conditions joined."""
    if fired.kind == "combination" and fired.conditions:
        return tr(" and ").join(
            f"{indicator_label(tr, c.indicator)} {percent(c.value)} "
            f"{comparator_symbol(c.comparator)} "
            f"{percent(c.threshold)}"
            for c in fired.conditions
        )
    return (
        f"{indicator_label(tr, fired.indicator)} {percent(fired.value)} "
        f"{comparator_symbol(fired.comparator)} "
        f"{percent(fired.threshold)}"
    )
