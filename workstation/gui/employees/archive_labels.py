"""Translated names for the codes the case archive and the communication records carry."""

from __future__ import annotations

from workstation.cases.archive import ArchivedCase, ArchivedDocument
from workstation.gui.cases.document_dialog import document_kind_label as case_document_label
from workstation.gui.cases.labels import disposition_label, state_label
from workstation.i18n import Translator


def document_kind_label(tr: Translator, kind: str) -> str:
    """A generated document by the name the case's Documents tab gives it; else a file."""
    if kind == "file":
        return tr("File linked as evidence")
    return case_document_label(tr, kind)


def document_label(tr: Translator, document: ArchivedDocument) -> str:
    """What the document is, with its language for a generated one."""
    label = document_kind_label(tr, document.kind)
    if document.locale:
        language = tr("Chinese") if document.locale.startswith("zh") else tr("English")
        label = tr("{document} ({language})", document=label, language=language)
    return label


def channel_label(tr: Translator, channel: str) -> str:
    labels = {
        "wecom": tr("WeCom"),
        "dingtalk": tr("DingTalk"),
        "wechat": tr("WeChat"),
        "phone": tr("Phone call"),
        "email": tr("Email"),
        "sms": tr("Text message"),
    }
    return labels.get(channel, channel)


def direction_label(tr: Translator, direction: str) -> str:
    labels = {"in": tr("Received"), "out": tr("Sent")}
    return labels.get(direction, direction)


def decision_text(tr: Translator, case: ArchivedCase) -> str:
    """The case's outcome in one line: the decided disposition, or why it ended without one."""
    if case.decided and case.disposition is not None:
        return disposition_label(tr, case.disposition.value)
    if case.disposition is not None:
        return tr(
            "{disposition} (proposed, not decided)",
            disposition=disposition_label(tr, case.disposition.value),
        )
    return tr("No decision")


def outcome_lines(tr: Translator, case: ArchivedCase) -> list[str]:
    """How the case ended, one fact a line: decision (who, when, why), notice, end state."""
    lines: list[str] = []
    if case.decided and case.disposition is not None and case.decided_at is not None:
        lines.append(
            tr(
                "Decision: {disposition}, signed by {who} on {day}.",
                disposition=disposition_label(tr, case.disposition.value),
                who=case.decided_by or "?",
                day=tr.day_of(case.decided_at).isoformat(),
            )
        )
        if case.disposition_reason:
            lines.append(tr("Reason: {reason}", reason=case.disposition_reason))
    if case.notice_served_at is not None:
        lines.append(
            tr("Notice served on {day}.", day=tr.day_of(case.notice_served_at).isoformat())
        )
    ended_at = case.closed_at or case.state_since
    if case.ended and ended_at is not None:
        lines.append(
            tr(
                "{state} on {day} by {who}.",
                state=state_label(tr, case.state.value),
                day=tr.day_of(ended_at).isoformat(),
                who=case.state_by or "?",
            )
        )
        if case.state_reason and not case.decided:
            lines.append(tr("Reason: {reason}", reason=case.state_reason))
    if not case.ended:
        lines.append(tr("Decided, not yet closed."))
    if case.legal_hold:
        lines.append(tr("On legal hold."))
    return lines
