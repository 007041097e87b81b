"""Translated names for the stable codes the case service returns (states, steps...)."""

from __future__ import annotations

import re

from workstation.domain.cases import CaseState
from workstation.i18n import Translator


def state_label(tr: Translator, state: str | None) -> str:
    labels = {
        "draft": tr("Draft"),
        "investigation_requested": tr("Investigation requested"),
        "under_investigation": tr("Under investigation"),
        "findings_recorded": tr("Findings recorded"),
        "disposition_proposed": tr("Disposition proposed"),
        "decided": tr("Decided"),
        "notice_served": tr("Notice served"),
        "closed": tr("Closed"),
        "rejected": tr("Rejected by an approver"),
        "withdrawn": tr("Withdrawn"),
        "reopened": tr("Reopened"),
    }
    if state is None:
        return ""
    return labels.get(str(state), str(state))


def disposition_label(tr: Translator, disposition: str | None) -> str:
    labels = {
        "no_action": tr("No action"),
        "warning": tr("Warning"),
        "termination": tr("Termination"),
        "referral": tr("Referral to authorities"),
    }
    if disposition is None:
        return ""
    return labels.get(str(disposition), str(disposition))


def finding_label(tr: Translator, finding: str | None) -> str:
    labels = {
        "substantiated": tr("Substantiated"),
        "unsubstantiated": tr("Unsubstantiated"),
        "inconclusive": tr("Inconclusive"),
    }
    if finding is None:
        return tr("No finding yet")
    return labels.get(finding, finding)


def step_label(tr: Translator, step: str) -> str:
    labels = {
        "investigation": tr("Investigation"),
        "disposition": tr("Disposition"),
        "decision": tr("Decision"),
    }
    return labels.get(step, step)


def decision_label(tr: Translator, decision: str) -> str:
    labels = {"approved": tr("Approved"), "rejected": tr("Rejected")}
    return labels.get(decision, decision)


def role_label(tr: Translator, role: str) -> str:
    labels = {
        "hr_officer": tr("HR officer"),
        "sales_manager": tr("Sales manager"),
        "manager": tr("Sales manager"),
        "legal": tr("Legal"),
        "administrator": tr("Administrator"),
        "auditor": tr("Auditor"),
    }
    return labels.get(role, role)


def event_label(tr: Translator, kind: str) -> str:
    labels = {
        "opened": tr("Case opened"),
        "transition": tr("State changed"),
        "note_added": tr("Note added"),
        "allegation_added": tr("Allegation added"),
        "finding_recorded": tr("Finding recorded"),
        "approval": tr("Approval signed"),
        "evidence_linked": tr("Evidence linked"),
        "alert_explanation": tr("Why the alert fired"),
        "party_added": tr("Party added"),
        "alternate_chosen": tr("Alternate approver chosen"),
        "task_added": tr("Task added"),
        "task_completed": tr("Task completed"),
        "document_added": tr("Document added"),
        "legal_hold": tr("Legal hold changed"),
        "union_notified": tr("Labour union notified"),
    }
    return labels.get(kind, kind)


def transition_label(tr: Translator, source: str, target: str) -> str:
    """The button that moves a case from ``source`` to ``target``."""
    if target == "under_investigation" and source == "findings_recorded":
        return tr("Back to investigation…")
    labels = {
        "investigation_requested": tr("Request investigation"),
        "under_investigation": tr("Start investigation"),
        "findings_recorded": tr("Conclude investigation"),
        "disposition_proposed": tr("Propose disposition…"),
        "decided": tr("Decide…"),
        "notice_served": tr("Record notice served"),
        "closed": tr("Close case"),
        "withdrawn": tr("Withdraw…"),
        "reopened": tr("Reopen…"),
    }
    return labels.get(target, target)


def evidence_kind_label(tr: Translator, kind: str) -> str:
    labels = {
        "checkin": tr("Check-in"),
        "stop": tr("Stop"),
        "track_segment": tr("Track segment"),
        "order": tr("Order"),
        "customer_event": tr("Customer event"),
        "communication": tr("Communication"),
        "lead": tr("Lead"),
        "import_file": tr("Imported file"),
        "alert": tr("Alert"),
        "file": tr("File"),
    }
    return labels.get(kind, kind)


def party_role_label(tr: Translator, role: str) -> str:
    labels = {
        "involved": tr("Involved"),
        "witness": tr("Witness"),
        "alternate_approver": tr("Alternate approver"),
    }
    return labels.get(role, role)


def custody_label(tr: Translator, action: str) -> str:
    labels = {"added": tr("added"), "viewed": tr("viewed"), "exported": tr("exported")}
    return labels.get(action, action)


def list_separator(tr: Translator) -> str:
    """Between the items of a list (rules, names) in the reader's language."""
    return "、" if tr.locale == "zh_CN" else ", "


def clause_separator(tr: Translator) -> str:
    """Between separate statements (a finding and its note, several reasons)."""
    return "；" if tr.locale == "zh_CN" else "; "


def named_states(text: str, tr: Translator) -> str:
    """State codes left in a reason (the English one is the service's own) as their names."""
    for state in sorted(CaseState, key=lambda s: -len(s.value)):
        text = re.sub(rf"\b{state.value}\b", f"“{state_label(tr, state.value)}”", text)
    return text
