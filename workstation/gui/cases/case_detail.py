"""``CaseDetailView``: one case — its header, its tabs, and the buttons for what the reader
may do now (move it on, approve or reject it, put it on legal hold, add a note)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workstation.cases.base import CaseNotFound, StaleCase
from workstation.cases.service import CaseService
from workstation.cases.views import ApprovalCheck, CaseDetail, CaseView
from workstation.domain.cases import PENDING_STEP, CaseRefused, CaseState, find_transition
from workstation.domain.enums import Role
from workstation.domain.identity import Identity
from workstation.gui.background import BackgroundRunner, Operation
from workstation.gui.cases.awaiting import may_approve
from workstation.gui.cases.case_tabs import CaseTabs
from workstation.gui.cases.decision_dialog import DecisionDialog
from workstation.gui.cases.labels import (
    disposition_label,
    route_label,
    state_label,
    step_label,
    transition_label,
)
from workstation.gui.cases.transition_dialog import TransitionDialog
from workstation.i18n import Translator

Loaded = tuple[CaseDetail, list[ApprovalCheck]]
#: Transitions that need a reason from the HR officer (source, target); None: any source.
_REASONED = {(None, "withdrawn"), (None, "reopened"), ("findings_recorded", "under_investigation")}


class CaseDetailView(QWidget):
    back_requested = Signal()
    #: The case was loaded and shown: its number.
    loaded = Signal(str)
    #: A change was saved: the case as it is now (``CaseView``).
    changed = Signal(object)
    #: Something was said to the user in the banner.
    problem_shown = Signal(str)

    def __init__(
        self,
        cases: CaseService,
        identity: Callable[[], Identity | None],
        runner: BackgroundRunner,
        tr: Translator,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._cases, self._identity, self._runner, self._tr = cases, identity, runner, tr
        self.detail: CaseDetail | None = None
        self.number: str | None = None
        self._op: Operation | None = None
        self._sticky: str | None = None
        self.transition_buttons: dict[str, QPushButton] = {}
        self.decision_dialog: DecisionDialog | None = None
        self.transition_dialog: TransitionDialog | None = None

        self.back_button = QPushButton(tr("‹ All cases"))
        self.back_button.setObjectName("linkButton")
        self.back_button.clicked.connect(self.back_requested)
        self.actions = QHBoxLayout()
        self.actions.setSpacing(8)
        self.approve_button = QPushButton(tr("Approve…"))
        self.reject_button = QPushButton(tr("Reject…"))
        self.hold_button = QPushButton(tr("Legal hold"))
        self.hold_button.setCheckable(True)
        self.approve_button.clicked.connect(lambda: self.ask_decision("approved"))
        self.reject_button.clicked.connect(lambda: self.ask_decision("rejected"))
        self.hold_button.clicked.connect(self._on_hold_clicked)
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addStretch(1)
        top.addLayout(self.actions)
        for button in (self.approve_button, self.reject_button, self.hold_button):
            top.addWidget(button)

        self.card = QFrame()
        self.card.setObjectName("profileCard")
        self.title_label = QLabel()
        self.title_label.setObjectName("profileName")
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.state_badge = QLabel()
        self.state_badge.setObjectName("severityBadge")
        self.facts_label = QLabel()
        self.facts_label.setObjectName("mutedLabel")
        self.facts_label.setWordWrap(True)
        self.pending_label = QLabel()
        self.pending_label.setWordWrap(True)
        card_layout = QGridLayout(self.card)
        card_layout.setContentsMargins(18, 12, 18, 12)
        card_layout.addWidget(self.title_label, 0, 0)
        card_layout.addWidget(self.state_badge, 0, 1, Qt.AlignmentFlag.AlignRight)
        card_layout.addWidget(self.facts_label, 1, 0, 1, 2)
        card_layout.addWidget(self.pending_label, 2, 0, 1, 2)

        self.banner = QLabel()
        self.banner.setObjectName("noticeBanner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.tabs = CaseTabs(tr)
        self.tabs.add_note_button.clicked.connect(self.add_note)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.card)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        self._update_buttons()

    @property
    def case(self) -> CaseView | None:
        return self.detail.case if self.detail else None

    # -- loading ----------------------------------------------------------------------------

    def open_case(self, number: str) -> Operation | None:
        who = self._identity()
        if who is None:
            self._say(self._tr("Sign in to see cases."))
            return None
        if self._op is not None and not self._op.done:
            self._op.discard()
        if number != self.number:
            self.detail, self.number = None, number
            self._update_buttons()
        cases = self._cases

        def load() -> Loaded:
            detail = cases.get(who, number)
            return detail, cases.verify(detail.case.number)

        self._op = self._runner.run(
            load,
            on_result=self._show,
            on_error=self._failed,
            label=self._tr("Opening the case…"),
        )
        return self._op

    def reload(self) -> Operation | None:
        return self.open_case(self.number) if self.number else None

    def _show(self, loaded: Loaded) -> None:
        tr = self._tr
        detail, checks = loaded
        self.detail = detail
        case = detail.case
        self.title_label.setText(f"{case.number}  {case.title}")
        self.state_badge.setText(state_label(tr, case.state.value))
        parts = [
            tr("Subject: {name} ({no})", name=case.subject_name, no=case.subject_employee_no),
            tr("State: {state}", state=state_label(tr, case.state.value)),
        ]
        if case.disposition:
            parts.append(tr("Disposition: {d}", d=disposition_label(tr, case.disposition.value)))
        parts.append(tr("Legal hold: on") if case.legal_hold else tr("Legal hold: off"))
        parts.append(tr("Revision {n}", n=case.revision))
        parts.append(tr("Opened by {who}", who=case.opened_by))
        self.facts_label.setText(" · ".join(parts))
        self.pending_label.setText(self._pending_text(detail))
        self.pending_label.setVisible(detail.pending is not None)
        self.tabs.show_detail(detail, checks)
        if self._sticky:
            self._say(self._sticky)
            self._sticky = None
        else:
            self.banner.hide()
        self._update_buttons()
        self.loaded.emit(case.number)

    def _pending_text(self, detail: CaseDetail) -> str:
        pending, tr = detail.pending, self._tr
        if pending is None:
            return ""
        yes, no = tr("given"), tr("waiting")
        return tr(
            "{step} approvals: manager {who} {manager}; legal {legal}",
            step=step_label(tr, pending.step),
            who=route_label(tr, pending.manager_approver),
            manager=yes if pending.manager_given else no,
            legal=yes if pending.legal_given else no,
        )

    # -- buttons ----------------------------------------------------------------------------

    def _update_buttons(self) -> None:
        for button in self.transition_buttons.values():
            self.actions.removeWidget(button)
            button.deleteLater()
        self.transition_buttons = {}
        who, detail = self._identity(), self.detail
        state = detail.case.state if detail else None
        if who is not None and detail is not None and state is not None:
            for option in detail.transitions:
                found = find_transition(state, CaseState(option.target))
                if option.by_rejection or found is None or who.role not in found.roles:
                    continue
                button = QPushButton(transition_label(self._tr, state.value, option.target))
                button.setToolTip(option.reason)
                target = option.target
                button.clicked.connect(lambda _c=False, t=target: self.request_transition(t))
                self.actions.addWidget(button)
                self.transition_buttons[target] = button
        approving = state is not None and may_approve(who, state)
        self.approve_button.setVisible(approving)
        self.reject_button.setVisible(approving)
        legal = who is not None and who.role is Role.LEGAL and detail is not None
        self.hold_button.setVisible(legal)
        self.hold_button.setChecked(bool(detail and detail.case.legal_hold))
        self.tabs.note_edit.setEnabled(who is not None and who.role is Role.HR_OFFICER)

    def request_transition(self, target: str) -> Operation | None:
        """Move the case to ``target``; asks for a reason (and disposition) first when the
        transition needs one (the dialog is ``transition_dialog``; accepting it saves)."""
        case = self.case
        if case is None:
            return None
        source, tr = case.state.value, self._tr
        action = transition_label(tr, source, target)
        if target == "disposition_proposed":
            explain = tr("Propose what happens to the employee, and why.")
            self._open_transition_dialog(target, action, explain, disposition=True)
        elif (None, target) in _REASONED or (source, target) in _REASONED:
            explain = tr("Say why; the reason goes into the case's timeline.")
            self._open_transition_dialog(target, action, explain)
        elif target == "decided":
            explain = tr(
                "Record the decision. It is signed with your key over the case as it is now."
            )
            self._open_transition_dialog(target, action, explain, reason_required=False)
        else:
            return self.transition(target)
        return None

    def _open_transition_dialog(self, target: str, action: str, explain: str, **kw: Any) -> None:
        dialog = TransitionDialog(self._tr, action, explain, parent=self, **kw)
        self.transition_dialog = dialog

        def accepted() -> None:
            reason, disposition = dialog.chosen()
            self.transition(target, reason=reason, disposition=disposition)

        dialog.accepted.connect(accepted)
        dialog.open()

    def transition(
        self, target: str, *, reason: str | None = None, disposition: str | None = None
    ) -> Operation | None:
        case, who = self.case, self._identity()
        if case is None or who is None:
            return None
        cases, number, revision = self._cases, case.number, case.revision
        return self._write(
            lambda: cases.transition(
                who, number, target, revision, reason=reason, disposition=disposition
            )
        )

    def ask_decision(self, decision: str) -> None:
        """Open the approve/reject dialog (``decision_dialog``); accepting it signs."""
        detail = self.detail
        if detail is None:
            return
        step = PENDING_STEP.get(detail.case.state)
        name = step_label(self._tr, step.value) if step else ""
        dialog = DecisionDialog(self._tr, decision, detail.case.number, name, self)
        self.decision_dialog = dialog
        dialog.accepted.connect(lambda: self.decide(decision, dialog.note()))
        dialog.open()

    def decide(self, decision: str, note: str | None = None) -> Operation | None:
        case, who = self.case, self._identity()
        if case is None or who is None:
            return None
        step = PENDING_STEP.get(case.state)
        if step is None:
            self._say(self._tr("This case waits for no approval now."))
            return None
        cases, number, revision = self._cases, case.number, case.revision
        return self._write(lambda: cases.approve(who, number, step, decision, revision, note))

    def add_note(self) -> Operation | None:
        case, who, text = self.case, self._identity(), self.tabs.note_text()
        if case is None or who is None or not text:
            return None
        cases, number, revision = self._cases, case.number, case.revision
        return self._write(
            lambda: cases.add_note(who, number, text, revision).case, self.tabs.clear_note
        )

    def set_legal_hold(self, on: bool) -> Operation | None:
        case, who = self.case, self._identity()
        if case is None or who is None:
            return None
        cases, number, revision = self._cases, case.number, case.revision
        return self._write(lambda: cases.set_legal_hold(who, number, on, revision))

    def _on_hold_clicked(self, checked: bool) -> None:
        self.hold_button.setChecked(not checked)  # shows the saved state until reloaded
        self.set_legal_hold(checked)

    # -- writing ----------------------------------------------------------------------------

    def _write(
        self, call: Callable[[], CaseView], then: Callable[[], None] | None = None
    ) -> Operation:
        def saved(view: CaseView) -> None:
            if then is not None:
                then()
            self._saved(view)

        return self._runner.run(
            call,
            on_result=saved,
            on_error=self._failed,
            label=self._tr("Saving…"),
            write=True,
        )

    def _saved(self, view: CaseView) -> None:
        self.changed.emit(view)
        self.reload()

    def _failed(self, error: BaseException) -> None:
        tr = self._tr
        if isinstance(error, StaleCase):
            self._sticky = tr(
                "Someone changed this case while you were reading it; it was reloaded. "
                "Check what changed and try again."
            )
            self._say(self._sticky)
            self.reload()
        elif isinstance(error, CaseNotFound):
            self._say(tr("This case does not exist or you may not see it."))
        elif isinstance(error, CaseRefused | PermissionError):
            self._say(tr("Not done: {reason}", reason=str(error)))
        else:
            raise error

    def _say(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))
        self.problem_shown.emit(text)
