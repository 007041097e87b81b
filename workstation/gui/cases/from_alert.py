"""From an alert to its case: the alert's "Open a case…" opens the new-case dialog on the
Cases page (the alert, its explanation and its records come along), and an escalated alert's
"Show the case" opens its case. The main window connects the two areas with
``connect_alerts_to_cases``."""

from __future__ import annotations

from collections.abc import Callable

from workstation.cases.views import CaseView
from workstation.gui.alerts.alert_detail import AlertDetailView
from workstation.gui.alerts.labels import rule_name, severity_label
from workstation.gui.cases.cases_page import CasesPage
from workstation.gui.cases.labels import list_separator
from workstation.gui.cases.new_case_dialog import FromAlert
from workstation.i18n import Translator
from workstation.risk.alert_service import AlertView


def from_alert(tr: Translator, alert: AlertView) -> FromAlert:
    rules = list_separator(tr).join(dict.fromkeys(rule_name(tr, r.rule) for r in alert.rules))
    return FromAlert(
        alert_id=alert.id,
        revision=alert.revision,
        employee_id=alert.employee_id,
        employee_label=f"{alert.employee_name}  {alert.employee_no}",
        rules=tr("{severity}: {rules}", severity=severity_label(tr, alert.severity), rules=rules),
    )


def suggested_title(tr: Translator, alert: AlertView) -> str:
    """The alert's employee and what fired, e.g. 孙超杰：虚假外勤 (the HR officer edits it)."""
    rules = list_separator(tr).join(dict.fromkeys(rule_name(tr, r.rule) for r in alert.rules))
    return tr("{name}: {rules}", name=alert.employee_name, rules=rules)


def connect_alerts_to_cases(
    alert_detail: AlertDetailView,
    cases_page: CasesPage,
    show_cases: Callable[[], object],
    tr: Translator,
) -> None:
    """Wire the alert view's case buttons to the Cases page (once; ``show_cases`` brings the
    Cases area to the front)."""
    if alert_detail.opens_cases:
        return

    def open_from(alert: AlertView) -> None:
        show_cases()
        cases_page.open_from_alert(from_alert(tr, alert))
        dialog = cases_page.new_case_dialog
        if dialog is not None:
            dialog.set_title(suggested_title(tr, alert))

    def show_case(case_id: int) -> None:
        show_cases()
        cases_page.show_case_id(case_id)

    def created(view: CaseView) -> None:
        shown = alert_detail.alert
        if shown is not None and view.alert_id == shown.id:
            alert_detail.open_alert(shown.id)

    alert_detail.open_case_requested.connect(open_from)
    alert_detail.show_case_requested.connect(show_case)
    cases_page.case_created.connect(created)
    alert_detail.opens_cases = True
    alert_detail.update_case_buttons()
