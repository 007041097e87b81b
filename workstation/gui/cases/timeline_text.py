"""What a timeline entry says, in the reader's words: the texts people wrote (titles, notes,
reasons) and, per kind of entry, the stored facts worth reading (which approval, which rules
fired, how much evidence came along). Ids and hashes stay in the audit log."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from workstation.gui.alerts.labels import rule_name
from workstation.gui.cases.document_dialog import document_kind_label
from workstation.gui.cases.labels import (
    clause_separator,
    decision_label,
    disposition_label,
    evidence_kind_label,
    finding_label,
    list_separator,
    party_role_label,
    role_label,
    step_label,
)
from workstation.i18n import Translator

#: Texts people wrote and codes worth reading, in this order.
_SHOWN_DETAIL = ("title", "text", "disposition", "finding", "reason", "note", "reference", "file")


def _facts(kind: str, detail: Mapping[str, Any], tr: Translator) -> list[str]:
    """What an entry of ``kind`` says beyond the texts people wrote."""
    if kind == "approval":
        return [
            tr(
                "{step}: {decision} ({role})",
                step=step_label(tr, str(detail.get("step", ""))),
                decision=decision_label(tr, str(detail.get("decision", ""))),
                role=role_label(tr, str(detail.get("acting_role", ""))),
            )
        ]
    if kind == "alert_explanation":
        rules = [rule_name(tr, str(r.get("rule", ""))) for r in detail.get("rules", [])]
        rules_text = list_separator(tr).join(rules)
        return [tr("Alert #{id}: {rules}", id=detail.get("alert_id"), rules=rules_text)]
    if kind == "evidence_linked":
        if "from_alert" in detail:
            return [
                tr(
                    "{n} records frozen from alert #{id}",
                    n=len(detail.get("linked", [])),
                    id=detail["from_alert"],
                )
            ]
        return [evidence_kind_label(tr, str(detail.get("kind", "")))]
    if kind == "alternate_chosen":
        return [str(detail.get("username", ""))]
    if kind == "party_added":
        return [party_role_label(tr, str(detail.get("role", "")))]
    if kind == "document_added":
        return [document_kind_label(tr, str(detail.get("kind", "")))]
    if kind == "legal_hold":
        return [tr("on") if detail.get("on") else tr("lifted")]
    return []


def detail_text(
    detail: Mapping[str, Any], tr: Translator | None = None, kind: str | None = None
) -> str:
    """The readable details; stored codes (disposition, finding...) in the user's words."""
    words: dict[str, Callable[[Any], str]] = {}
    if tr is not None:
        words = {
            "disposition": lambda v: disposition_label(tr, str(v)),
            "finding": lambda v: finding_label(tr, str(v)),
        }
    facts = _facts(kind, detail, tr) if tr is not None and kind else []
    if kind == "approval":  # the decision is in the facts already
        shown: tuple[str, ...] = ("note",)
    else:
        shown = _SHOWN_DETAIL
    parts = [
        words[key](detail[key]) if key in words else str(detail[key])
        for key in shown
        if detail.get(key)
    ]
    return (clause_separator(tr) if tr is not None else "；").join([*facts, *parts])
