"""The header card of a case: number and title, its state as a badge, a banner while the case
is on legal hold (why, since when, set by whom), the facts that matter (subject, disposition,
union notification, notice, alert, legal hold, revision) and which approvals it waits for.
A case that does not verify (``CaseService.integrity``) is drawn in red, with what differs."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QWidget

from workstation.cases.case_actions import CaseAction
from workstation.cases.case_text import case_text
from workstation.cases.integrity_text import failure_lines
from workstation.cases.views import CaseDetail, CaseIntegrity, CaseView, EventView
from workstation.domain.identity import Identity
from workstation.gui.cases.labels import (
    clause_separator,
    disposition_label,
    state_label,
    step_label,
)
from workstation.i18n import Translator


class CaseCard(QFrame):
    def __init__(self, tr: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tr = tr
        self.setObjectName("profileCard")
        self.title_label = QLabel()
        self.title_label.setObjectName("profileName")
        self.title_label.setWordWrap(True)
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.state_badge = QLabel()
        self.state_badge.setObjectName("severityBadge")
        #: Shown while the case is on legal hold.
        self.hold_banner = QLabel()
        self.hold_banner.setObjectName("holdBanner")
        self.hold_banner.setWordWrap(True)
        self.hold_banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hold_banner.hide()
        #: Shown while the case does not verify: what differs from what was signed.
        self.integrity_banner = QLabel()
        self.integrity_banner.setObjectName("integrityBanner")
        self.integrity_banner.setWordWrap(True)
        self.integrity_banner.setTextFormat(Qt.TextFormat.PlainText)
        self.integrity_banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.integrity_banner.hide()
        self.facts_label = QLabel()
        self.facts_label.setObjectName("mutedLabel")
        self.facts_label.setWordWrap(True)
        self.pending_label = QLabel()
        self.pending_label.setWordWrap(True)
        #: What the next step still needs (for the one who makes it).
        self.next_label = QLabel()
        self.next_label.setObjectName("mutedLabel")
        self.next_label.setWordWrap(True)
        self.next_label.hide()
        layout = QGridLayout(self)
        layout.setContentsMargins(18, 12, 18, 12)
        layout.setColumnStretch(0, 1)
        layout.addWidget(self.title_label, 0, 0)
        layout.addWidget(self.state_badge, 0, 1, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.integrity_banner, 1, 0, 1, 2)
        layout.addWidget(self.hold_banner, 2, 0, 1, 2)
        layout.addWidget(self.facts_label, 3, 0, 1, 2)
        layout.addWidget(self.pending_label, 4, 0, 1, 2)
        layout.addWidget(self.next_label, 5, 0, 1, 2)

    def show_next(self, reasons: list[str]) -> None:
        """Say what the next step still needs (the service's reasons, translated)."""
        text = clause_separator(self._tr).join(reasons)
        self.next_label.setText(self._tr("Next: {reason}", reason=text) if text else "")
        self.next_label.setVisible(bool(text))

    def show_integrity(self, integrity: CaseIntegrity | None, most: int = 6) -> None:
        """Red, with what differs (up to ``most`` lines; all of them in the tooltip), when
        the case does not verify; as usual when it does (or before it was checked)."""
        tr = self._tr
        broken = integrity is not None and not integrity.valid
        lines = failure_lines(integrity, tr) if integrity is not None and broken else []
        text = ""
        if broken:
            text = tr(
                "✗ This case does not verify: what it holds now is not what was signed. "
                "No document is made from it until this is resolved."
            )
            text += "".join(f"\n• {line}" for line in lines[:most])
            if len(lines) > most:
                text += "\n" + tr("… and {n} more (hover for all)", n=len(lines) - most)
        self.integrity_banner.setText(text)
        self.integrity_banner.setToolTip("\n".join(f"• {line}" for line in lines))
        self.integrity_banner.setVisible(broken)
        if bool(self.property("broken")) != broken:
            self.setProperty("broken", broken)
            self.style().unpolish(self)
            self.style().polish(self)

    def show_case(self, detail: CaseDetail, reader: Identity | None) -> None:
        case = detail.case
        self.title_label.setText(f"{case.number}  {case.title}")
        self.state_badge.setText(state_label(self._tr, case.state.value))
        self.facts_label.setText(self._facts(case))
        self.hold_banner.setText(self._hold_text(detail) if case.legal_hold else "")
        self.hold_banner.setVisible(case.legal_hold)
        self.pending_label.setText(self._pending_text(detail, reader))
        self.pending_label.setVisible(detail.pending is not None)

    def _facts(self, case: CaseView) -> str:
        tr = self._tr
        parts = [
            tr("Subject: {name} ({no})", name=case.subject_name, no=case.subject_employee_no),
            tr("State: {state}", state=state_label(tr, case.state.value)),
        ]
        if case.disposition:
            parts.append(tr("Disposition: {d}", d=disposition_label(tr, case.disposition.value)))
        if case.union_notified_at:
            parts.append(
                tr(
                    "Union notified {when} ({ref})",
                    when=tr.time(case.union_notified_at),
                    ref=case.union_notice_ref or "",
                )
            )
        if case.notice_served_at:
            parts.append(tr("Notice served {when}", when=tr.time(case.notice_served_at)))
        if case.alert_id is not None:
            parts.append(tr("From alert #{id}", id=case.alert_id))
        parts.append(tr("Legal hold: on") if case.legal_hold else tr("Legal hold: off"))
        parts.append(tr("Revision {n}", n=case.revision))
        parts.append(tr("Opened by {who}", who=case.opened_by))
        return " · ".join(parts)

    def _pending_text(self, detail: CaseDetail, reader: Identity | None) -> str:
        pending, tr = detail.pending, self._tr
        if pending is None:
            return ""
        yes, no = tr("given"), tr("waiting")
        text = tr(
            "{step} approvals · manager: {manager} ({who}) · legal: {legal}",
            step=step_label(tr, pending.step),
            who=case_text(pending.manager_approver, tr.locale),
            manager=yes if pending.manager_given else no,
            legal=yes if pending.legal_given else no,
        )
        if not pending.manager_given and not pending.manager_user_ids:
            text += " · " + tr(
                "Nobody with an account can give the manager approval: an administrator "
                "must choose an alternate approver."
            )
        if detail.can(CaseAction.APPROVE.value).allowed:
            text += " · " + tr("Waiting for your approval")
        return text

    def _hold_text(self, detail: CaseDetail) -> str:
        tr = self._tr
        text = tr(
            "⚖ On legal hold: this case and all its evidence are kept from every retention "
            "purge until the hold is lifted."
        )
        placed = _last_hold(detail.timeline)
        space = "" if tr.locale == "zh_CN" else " "
        if placed is not None:
            reason = placed.detail.get("reason")
            text += space + tr(
                "Placed by {who} on {when}.",
                who=placed.actor,
                when=tr.time(placed.at),
            )
            if reason:
                text += space + tr("Reason: {reason}", reason=reason)
        return text


def _last_hold(timeline: tuple[EventView, ...]) -> EventView | None:
    """The event that put the hold on (the last one; lifting it ends the hold)."""
    for event in reversed(timeline):
        if event.kind == "legal_hold":
            return event if event.detail.get("on") else None
    return None
