"""The tables of a case (one ``RowTableModel`` each): timeline, allegations and findings,
evidence, notes, tasks, parties, signed approvals and generated documents. Stored codes and
the service's English texts are shown in the reader's words."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QObject

from workstation.cases.case_text import case_text
from workstation.cases.document_views import StoredDocument
from workstation.cases.views import (
    AllegationView,
    ApprovalCheck,
    ApprovalView,
    DocumentView,
    EventView,
    EvidenceView,
    NoteView,
    PartyView,
    TaskView,
)
from workstation.gui.cases.document_dialog import document_kind_label
from workstation.gui.cases.labels import (
    decision_label,
    event_label,
    evidence_kind_label,
    finding_label,
    party_role_label,
    role_label,
    state_label,
    step_label,
)
from workstation.gui.cases.timeline_text import detail_text
from workstation.gui.widgets.table_model import Column, Highlight, RowTableModel, time_column
from workstation.i18n import Translator


def _states(tr: Translator, event: EventView) -> str:
    if event.from_state and event.to_state:
        return f"{state_label(tr, event.from_state)} → {state_label(tr, event.to_state)}"
    return state_label(tr, event.to_state or event.from_state)


def timeline_model(tr: Translator, parent: QObject) -> RowTableModel[EventView]:
    return RowTableModel(
        [
            time_column(tr, tr("When"), lambda e: e.at),
            Column(tr("Who"), lambda e: e.actor),
            Column(tr("What"), lambda e: event_label(tr, e.kind)),
            Column(tr("State"), lambda e: _states(tr, e)),
            Column(
                tr("Details"),
                lambda e: detail_text(e.detail, tr, e.kind),
                tooltip=lambda e: detail_text(e.detail, tr, e.kind),
            ),
        ],
        parent=parent,
    )


def allegations_model(tr: Translator, parent: QObject) -> RowTableModel[AllegationView]:
    return RowTableModel(
        [
            Column(tr("Allegation"), lambda a: a.text, tooltip=lambda a: a.text),
            Column(tr("Customer"), lambda a: a.customer_name or ""),
            Column(tr("Competitor"), lambda a: a.competitor_name or ""),
            Column(tr("Finding"), lambda a: finding_label(tr, a.finding)),
            Column(
                tr("Finding note"), lambda a: a.finding_note or "", tooltip=lambda a: a.finding_note
            ),
            Column(tr("Found by"), lambda a: a.found_by or ""),
            time_column(tr, tr("Found at"), lambda a: a.found_at),
            Column(tr("Added by"), lambda a: a.created_by),
        ],
        highlight=lambda a: Highlight.ALERT if a.finding == "substantiated" else None,
        parent=parent,
    )


def evidence_model(tr: Translator, parent: QObject) -> RowTableModel[EvidenceView]:
    def title(e: EvidenceView) -> str:
        return case_text(e.title, tr.locale)

    return RowTableModel(
        [
            Column(tr("Evidence kind"), lambda e: evidence_kind_label(tr, e.kind)),
            Column(tr("Evidence item"), title, tooltip=title),
            Column(
                tr("SHA-256"), lambda e: e.snapshot_sha256[:12], tooltip=lambda e: e.snapshot_sha256
            ),
            Column(tr("Snapshot"), lambda e: tr("Intact") if e.snapshot_intact else tr("Altered")),
            Column(tr("Views"), lambda e: sum(1 for c in e.custody if c.action == "viewed")),
            Column(tr("Linked by"), lambda e: e.linked_by),
            time_column(tr, tr("Linked at"), lambda e: e.linked_at),
        ],
        highlight=lambda e: None if e.snapshot_intact else Highlight.ALERT,
        parent=parent,
    )


def notes_model(tr: Translator, parent: QObject) -> RowTableModel[NoteView]:
    return RowTableModel(
        [
            time_column(tr, tr("When"), lambda n: n.created_at),
            Column(tr("Who"), lambda n: n.created_by),
            Column(tr("Note"), lambda n: n.text, tooltip=lambda n: n.text),
        ],
        parent=parent,
    )


def tasks_model(tr: Translator, parent: QObject) -> RowTableModel[TaskView]:
    return RowTableModel(
        [
            Column(tr("Task"), lambda t: t.title, tooltip=lambda t: t.title),
            Column(tr("Assignee"), lambda t: t.assignee_name or ""),
            Column(tr("Due date"), lambda t: t.due_date),
            Column(tr("Status"), lambda t: tr("Done") if t.done_at else tr("Open")),
            time_column(tr, tr("Done at"), lambda t: t.done_at),
            Column(tr("Added by"), lambda t: t.created_by),
        ],
        highlight=lambda t: Highlight.NOTE if t.done_at is None else None,
        parent=parent,
    )


def parties_model(tr: Translator, parent: QObject) -> RowTableModel[PartyView]:
    return RowTableModel(
        [
            Column(tr("Role in the case"), lambda p: party_role_label(tr, p.role)),
            Column(tr("Name"), lambda p: p.name),
            Column(tr("Note"), lambda p: p.note or "", tooltip=lambda p: p.note),
            Column(tr("Added by"), lambda p: p.added_by),
            time_column(tr, tr("Added at"), lambda p: p.added_at),
        ],
        parent=parent,
    )


def approvals_model(
    tr: Translator, check_of: Callable[[ApprovalView], ApprovalCheck], parent: QObject
) -> RowTableModel[ApprovalView]:
    def signature(a: ApprovalView) -> str:
        check = check_of(a)
        if check.valid:
            return tr("Valid")
        return tr("Invalid: {reason}", reason=check.reason)

    return RowTableModel(
        [
            Column(tr("Step"), lambda a: step_label(tr, a.step)),
            Column(tr("Decision"), lambda a: decision_label(tr, a.decision)),
            Column(tr("Role"), lambda a: role_label(tr, a.acting_role)),
            Column(tr("Signer"), lambda a: a.username),
            time_column(tr, tr("Signed at"), lambda a: a.signed_at),
            Column(tr("Signature"), signature, tooltip=lambda a: check_of(a).reason),
            Column(tr("Note"), lambda a: a.note or "", tooltip=lambda a: a.note),
        ],
        highlight=lambda a: None if check_of(a).valid else Highlight.ALERT,
        parent=parent,
    )


@dataclass(frozen=True)
class DocumentRow:
    """A generated document as listed: from the documents service (its PDF signature checked)
    or, without one, from the case itself."""

    id: int
    kind: str
    locale: str
    file_name: str
    created_at: datetime
    created_by: str
    #: Who signed the PDF, and whether the signature holds (None: not checked).
    signer: str | None = None
    signature_valid: bool | None = None
    problem: str | None = None


def document_rows(
    documents: tuple[DocumentView, ...], stored: list[StoredDocument] | None
) -> list[DocumentRow]:
    if stored is not None:
        return [
            DocumentRow(
                d.id,
                d.kind,
                d.locale,
                d.file_name,
                d.created_at,
                d.created_by,
                d.signer,
                d.signature_valid,
                d.problem,
            )
            for d in stored
        ]
    return [DocumentRow(d.id, d.kind, d.locale, "", d.created_at, d.created_by) for d in documents]


def documents_model(tr: Translator, parent: QObject) -> RowTableModel[DocumentRow]:
    languages = {"zh_CN": tr("Chinese"), "en": tr("English")}

    def signature(d: DocumentRow) -> str:
        if d.signature_valid is None:
            return ""
        if d.signature_valid:
            return tr("Valid")
        return tr("Invalid: {reason}", reason=d.problem or "")

    return RowTableModel(
        [
            Column(tr("Document"), lambda d: document_kind_label(tr, d.kind)),
            Column(tr("Language of the document"), lambda d: languages.get(d.locale, d.locale)),
            time_column(tr, tr("Generated at"), lambda d: d.created_at),
            Column(tr("Generated by"), lambda d: d.created_by),
            Column(tr("Signer"), lambda d: d.signer or ""),
            Column(tr("Signature"), signature, tooltip=lambda d: d.problem),
        ],
        highlight=lambda d: Highlight.ALERT if d.signature_valid is False else None,
        parent=parent,
    )
