"""``CaseTabs``: what a case holds — timeline, allegations and findings, evidence, notes and
signed approvals — as read-only tables (plus the box that appends a note)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import (
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workstation.cases.views import (
    AllegationView,
    ApprovalCheck,
    ApprovalView,
    CaseDetail,
    EventView,
    EvidenceView,
    NoteView,
)
from workstation.gui.cases.labels import (
    decision_label,
    disposition_label,
    event_label,
    evidence_kind_label,
    finding_label,
    role_label,
    state_label,
    step_label,
)
from workstation.gui.widgets.table_model import Column, Highlight, RowTableModel
from workstation.gui.widgets.table_view import fit_columns, make_table_view
from workstation.i18n import Translator

#: Timeline details worth reading, in this order (ids, hashes and keys stay in the audit log).
_SHOWN_DETAIL = ("title", "text", "reason", "note", "reference", "disposition", "finding")


def detail_text(detail: Mapping[str, Any], tr: Translator | None = None) -> str:
    """The readable details; stored codes (disposition, finding) in the user's words."""
    words = {}
    if tr is not None:
        words = {
            "disposition": lambda v: disposition_label(tr, str(v)),
            "finding": lambda v: finding_label(tr, str(v)),
        }
    parts = [
        words[key](detail[key]) if key in words else str(detail[key])
        for key in _SHOWN_DETAIL
        if detail.get(key)
    ]
    return "；".join(parts)


class CaseTabs(QTabWidget):
    def __init__(self, tr: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tr = tr
        self._checks: dict[int, ApprovalCheck] = {}
        self.timeline_model: RowTableModel[EventView] = RowTableModel(
            [
                Column(tr("When"), lambda e: e.at),
                Column(tr("Who"), lambda e: e.actor),
                Column(tr("What"), lambda e: event_label(tr, e.kind)),
                Column(tr("State"), lambda e: self._states(e)),
                Column(
                    tr("Details"),
                    lambda e: detail_text(e.detail, tr),
                    tooltip=lambda e: detail_text(e.detail, tr),
                ),
            ],
            parent=self,
        )
        self.allegations_model: RowTableModel[AllegationView] = RowTableModel(
            [
                Column(tr("Allegation"), lambda a: a.text, tooltip=lambda a: a.text),
                Column(tr("Customer"), lambda a: a.customer_name or ""),
                Column(tr("Competitor"), lambda a: a.competitor_name or ""),
                Column(tr("Finding"), lambda a: finding_label(tr, a.finding)),
                Column(tr("Finding note"), lambda a: a.finding_note or ""),
                Column(tr("Found by"), lambda a: a.found_by or ""),
                Column(tr("Found at"), lambda a: a.found_at),
                Column(tr("Added by"), lambda a: a.created_by),
            ],
            highlight=lambda a: Highlight.ALERT if a.finding == "substantiated" else None,
            parent=self,
        )
        self.evidence_model: RowTableModel[EvidenceView] = RowTableModel(
            [
                Column(tr("Evidence kind"), lambda e: evidence_kind_label(tr, e.kind)),
                Column(tr("Evidence item"), lambda e: e.title, tooltip=lambda e: e.title),
                Column(
                    tr("SHA-256"),
                    lambda e: e.snapshot_sha256[:12],
                    tooltip=lambda e: e.snapshot_sha256,
                ),
                Column(
                    tr("Snapshot"),
                    lambda e: tr("Intact") if e.snapshot_intact else tr("Altered"),
                ),
                Column(tr("Linked by"), lambda e: e.linked_by),
                Column(tr("Linked at"), lambda e: e.linked_at),
            ],
            highlight=lambda e: None if e.snapshot_intact else Highlight.ALERT,
            parent=self,
        )
        self.notes_model: RowTableModel[NoteView] = RowTableModel(
            [
                Column(tr("When"), lambda n: n.created_at),
                Column(tr("Who"), lambda n: n.created_by),
                Column(tr("Note"), lambda n: n.text, tooltip=lambda n: n.text),
            ],
            parent=self,
        )
        self.approvals_model: RowTableModel[ApprovalView] = RowTableModel(
            [
                Column(tr("Step"), lambda a: step_label(tr, a.step)),
                Column(tr("Decision"), lambda a: decision_label(tr, a.decision)),
                Column(tr("Role"), lambda a: role_label(tr, a.acting_role)),
                Column(tr("Signer"), lambda a: a.username),
                Column(tr("Signed at"), lambda a: a.signed_at),
                Column(
                    tr("Signature"),
                    lambda a: self._signature(a),
                    tooltip=lambda a: self.check_of(a).reason,
                ),
                Column(tr("Note"), lambda a: a.note or "", tooltip=lambda a: a.note),
            ],
            highlight=lambda a: None if self.check_of(a).valid else Highlight.ALERT,
            parent=self,
        )
        self.timeline_table = make_table_view(self.timeline_model)
        self.allegations_table = make_table_view(self.allegations_model)
        self.evidence_table = make_table_view(self.evidence_model)
        self.notes_table = make_table_view(self.notes_model)
        self.approvals_table = make_table_view(self.approvals_model)

        self.note_edit = QPlainTextEdit()
        self.note_edit.setPlaceholderText(
            tr("Write a note for the case file (notes cannot be changed once added)")
        )
        self.note_edit.setMaximumHeight(90)
        self.add_note_button = QPushButton(tr("Add note"))
        self.add_note_button.setEnabled(False)
        self.note_edit.textChanged.connect(
            lambda: self.add_note_button.setEnabled(bool(self.note_text()))
        )
        notes_page = QWidget()
        notes_layout = QVBoxLayout(notes_page)
        notes_layout.setContentsMargins(0, 6, 0, 0)
        notes_layout.addWidget(self.notes_table, 1)
        box = QHBoxLayout()
        box.addWidget(self.note_edit, 1)
        box.addWidget(self.add_note_button)
        notes_layout.addLayout(box)

        self.timeline_index = self.addTab(self.timeline_table, tr("Timeline"))
        self.allegations_index = self.addTab(
            self.allegations_table, tr("Allegations & findings").replace("&", "&&")
        )
        self.evidence_index = self.addTab(self.evidence_table, tr("Evidence"))
        self.notes_index = self.addTab(notes_page, tr("Notes"))
        self.approvals_index = self.addTab(self.approvals_table, tr("Approvals"))

    def note_text(self) -> str:
        return self.note_edit.toPlainText().strip()

    def check_of(self, approval: ApprovalView) -> ApprovalCheck:
        """The signature check from ``verify`` (else the one the detail carried)."""
        return self._checks.get(approval.id, approval.check)

    def show_detail(self, detail: CaseDetail, checks: list[ApprovalCheck]) -> None:
        tr = self._tr
        self._checks = {c.approval_id: c for c in checks}
        self.timeline_model.set_rows(list(detail.timeline))
        self.allegations_model.set_rows(list(detail.allegations))
        self.evidence_model.set_rows(list(detail.evidence))
        self.notes_model.set_rows(list(detail.notes))
        self.approvals_model.set_rows(list(detail.approvals))
        for table in (
            self.timeline_table,
            self.allegations_table,
            self.evidence_table,
            self.notes_table,
            self.approvals_table,
        ):
            fit_columns(table, max_width=360)
        counts = (
            (self.timeline_index, tr("Timeline"), len(detail.timeline)),
            (self.allegations_index, tr("Allegations & findings"), len(detail.allegations)),
            (self.evidence_index, tr("Evidence"), len(detail.evidence)),
            (self.notes_index, tr("Notes"), len(detail.notes)),
            (self.approvals_index, tr("Approvals"), len(detail.approvals)),
        )
        for index, name, count in counts:
            self.setTabText(index, f"{name.replace('&', '&&')} ({count})")

    def clear_note(self) -> None:
        self.note_edit.clear()

    def _states(self, event: EventView) -> str:
        if event.from_state and event.to_state:
            return (
                f"{state_label(self._tr, event.from_state)} → "
                f"{state_label(self._tr, event.to_state)}"
            )
        return state_label(self._tr, event.to_state or event.from_state)

    def _signature(self, approval: ApprovalView) -> str:
        check = self.check_of(approval)
        if check.valid:
            return self._tr("Valid")
        return self._tr("Invalid: {reason}", reason=check.reason)
