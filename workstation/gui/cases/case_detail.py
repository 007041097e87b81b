"""``CaseDetailView``: one case — its header, its tabs, and the buttons for what the reader may
do now: move it on, approve or reject it, record the union's notification, put it on legal
hold, add a note. The rest of the editing (allegations, findings, tasks, parties, evidence,
documents) is ``case_edits.CaseEdits`` and ``case_files.CaseFiles``; the header card is
``case_card.CaseCard``. Buttons show per state and per role (``allowed``);
the service checks again and its refusals are shown in the banner, in the reader's words."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workstation.cases.base import StaleCase
from workstation.cases.case_text import case_text
from workstation.cases.document_views import GeneratedDocument, StoredDocument
from workstation.cases.documents import CaseDocuments
from workstation.cases.service import CaseService
from workstation.cases.views import Added, ApprovalCheck, CaseDetail, CaseView
from workstation.domain.cases import (
    PENDING_STEP,
    UNION_STATES,
    CaseState,
    Disposition,
    find_transition,
)
from workstation.domain.identity import Identity
from workstation.gui.background import BackgroundRunner, Operation
from workstation.gui.cases.awaiting import awaits_my_approval, may_approve
from workstation.gui.cases.case_card import CaseCard
from workstation.gui.cases.case_edits import CaseEdits
from workstation.gui.cases.case_files import CaseFiles
from workstation.gui.cases.case_tabs import CaseTabs
from workstation.gui.cases.decision_dialog import DecisionDialog
from workstation.gui.cases.labels import (
    state_label,
    step_label,
    transition_label,
)
from workstation.gui.cases.refusals import refusal_text
from workstation.gui.cases.transition_dialog import TransitionDialog
from workstation.i18n import Translator
from workstation.security.permissions import Permission, allowed

#: The case, its signatures checked, and its stored documents (their PDF signatures checked;
#: None without a documents service).
Loaded = tuple[CaseDetail, list[ApprovalCheck], list[StoredDocument] | None]
#: What a change returns: the case itself, or something added with the case after it.
Saved = Added | GeneratedDocument
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
        *,
        documents: CaseDocuments | None = None,
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
        self.union_button = QPushButton(tr("Record union notification…"))
        self.approve_button = QPushButton(tr("Approve…"))
        self.reject_button = QPushButton(tr("Reject…"))
        self.hold_button = QPushButton(tr("Legal hold"))
        self.hold_button.setCheckable(True)
        self.hold_button.setToolTip(
            tr("A held case and all its evidence are kept from every retention purge")
        )
        self.approve_button.clicked.connect(lambda: self.ask_decision("approved"))
        self.reject_button.clicked.connect(lambda: self.ask_decision("rejected"))
        self.hold_button.clicked.connect(self._on_hold_clicked)
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addStretch(1)
        for button in (self.union_button, self.approve_button, self.reject_button):
            top.addWidget(button)
        top.addLayout(self.actions)
        top.addWidget(self.hold_button)

        self.card = CaseCard(tr)
        self.title_label, self.state_badge = self.card.title_label, self.card.state_badge
        self.facts_label, self.pending_label = self.card.facts_label, self.card.pending_label

        self.banner = QLabel()
        self.banner.setObjectName("noticeBanner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.tabs = CaseTabs(tr)
        self.tabs.add_note_button.clicked.connect(self.add_note)
        self.tabs.selection_changed.connect(self.update_buttons)
        self.edits = CaseEdits(self, cases, runner, tr)
        self.files = CaseFiles(self, cases, runner, tr, documents)
        self.union_button.clicked.connect(self.edits.record_union_notification)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.card)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        self.update_buttons()

    @property
    def case(self) -> CaseView | None:
        return self.detail.case if self.detail else None

    def identity(self) -> Identity | None:
        return self._identity()

    def set_documents(self, documents: CaseDocuments | None) -> None:
        """The documents service (``app.documents``), when the app has one."""
        self.files.documents = documents
        self.update_buttons()

    # -- loading ----------------------------------------------------------------------------

    def open_case(self, number: str) -> Operation | None:
        who = self._identity()
        if who is None:
            self.say(self._tr("Sign in to see cases."))
            return None
        if self._op is not None and not self._op.done:
            self._op.discard()
        if number != self.number:
            self.detail, self.number = None, number
            self.tabs.setCurrentIndex(self.tabs.timeline_index)
            self.update_buttons()
        cases, documents = self._cases, self.files.documents

        def load() -> Loaded:
            detail = cases.get(who, number)
            stored = None
            if documents is not None and detail.documents:
                stored = documents.stored(who, detail.case.number)
            return detail, cases.verify(who, detail.case.number), stored

        self._op = self._runner.run(
            load, on_result=self._show, on_error=self.failed, label=self._tr("Opening the case…")
        )
        return self._op

    def reload(self) -> Operation | None:
        return self.open_case(self.number) if self.number else None

    def _show(self, loaded: Loaded) -> None:
        tr = self._tr
        detail, checks, stored = loaded
        self.detail = detail
        case = detail.case
        self.card.show_case(detail, self._identity())
        route = case_text(detail.manager_approver, tr.locale)
        self.tabs.show_detail(detail, checks, route, stored)
        if self._sticky:
            self.say(self._sticky)
            self._sticky = None
        else:
            self.banner.hide()
        self.update_buttons()
        self.loaded.emit(case.number)

    # -- buttons ----------------------------------------------------------------------------

    def update_buttons(self) -> None:
        for button in self.transition_buttons.values():
            self.actions.removeWidget(button)
            button.deleteLater()
        self.transition_buttons = {}
        self.card.show_next([])
        who, detail = self._identity(), self.detail
        state = detail.case.state if detail else None
        if (
            who is not None
            and detail is not None
            and state is not None
            and allowed(who, Permission.CASE_TRANSITION)
        ):
            self._add_transition_buttons(who, detail, state)
        approving = (
            state is not None and may_approve(who, state) and allowed(who, Permission.CASE_APPROVE)
        )
        awaited = detail is not None and awaits_my_approval(detail, who)
        for button in (self.approve_button, self.reject_button):
            button.setVisible(approving)
            button.setEnabled(awaited)
            button.setToolTip(
                "" if awaited else self._tr("This case does not wait for your approval now.")
            )
        self.hold_button.setVisible(detail is not None and allowed(who, Permission.CASE_LEGAL_HOLD))
        self.hold_button.setChecked(bool(detail and detail.case.legal_hold))
        case = detail.case if detail else None
        self.union_button.setVisible(
            case is not None
            and allowed(who, Permission.CASE_EDIT)
            and case.disposition is Disposition.TERMINATION
            and case.state in UNION_STATES
        )
        if case is not None and case.union_notified_at is not None:
            self.union_button.setText(self._tr("Union notified ✓ (change…)"))
        else:
            self.union_button.setText(self._tr("Record union notification…"))
        self.edits.update_buttons(who, detail)
        self.files.update_buttons(who, detail)

    def _add_transition_buttons(self, who: Identity, detail: CaseDetail, state: CaseState) -> None:
        """One button per transition ``who`` makes; withdrawing (a link) last. What the next
        step still needs is said under the case's facts."""
        waiting: list[str] = []
        options = sorted(detail.transitions, key=lambda o: o.target == "withdrawn")
        for option in options:
            found = find_transition(state, CaseState(option.target))
            if option.by_rejection or found is None or who.role not in found.roles:
                continue
            button = QPushButton(transition_label(self._tr, state.value, option.target))
            reason = named_states(case_text(option.reason, self._tr.locale), self._tr)
            button.setToolTip(reason)
            if option.target == "withdrawn":
                button.setObjectName("linkButton")
            elif not option.allowed:
                waiting.append(reason)
            target = option.target
            button.clicked.connect(lambda _c=False, t=target: self.request_transition(t))
            self.actions.addWidget(button)
            self.transition_buttons[target] = button
        self.card.show_next(waiting[:1])

    # -- moving the case on -----------------------------------------------------------------

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
        return self.write(
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
            self.say(self._tr("This case waits for no approval now."))
            return None
        cases, number, revision = self._cases, case.number, case.revision
        return self.write(lambda: cases.approve(who, number, step, decision, revision, note))

    def add_note(self) -> Operation | None:
        case, who, text = self.case, self._identity(), self.tabs.note_text()
        if case is None or who is None or not text:
            return None
        cases, number, revision = self._cases, case.number, case.revision
        return self.write(lambda: cases.add_note(who, number, text, revision), self.tabs.clear_note)

    def set_legal_hold(self, on: bool) -> Operation | None:
        case, who = self.case, self._identity()
        if case is None or who is None:
            return None
        cases, number, revision = self._cases, case.number, case.revision
        return self.write(lambda: cases.set_legal_hold(who, number, on, revision))

    def _on_hold_clicked(self, checked: bool) -> None:
        self.hold_button.setChecked(not checked)  # shows the saved state until reloaded
        self.set_legal_hold(checked)

    # -- writing ----------------------------------------------------------------------------

    def write(
        self, call: Callable[[], CaseView | Saved], then: Callable[[], None] | None = None
    ) -> Operation:
        """Save a change in the background; then reload the case (or say why not)."""

        def saved(result: CaseView | Saved) -> None:
            if then is not None:
                then()
            self.changed.emit(result if isinstance(result, CaseView) else result.case)
            self.reload()

        return self._runner.run(
            call, on_result=saved, on_error=self.failed, label=self._tr("Saving…"), write=True
        )

    def failed(self, error: BaseException) -> None:
        text = refusal_text(self._tr, error)
        if text is None:
            raise error
        if isinstance(error, StaleCase):
            self._sticky = text
            self.say(text)
            self.reload()
        else:
            self.say(text)

    def say(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))
        self.problem_shown.emit(text)


def named_states(text: str, tr: Translator) -> str:
    """State codes left in a reason (the English one is the service's own) as their names."""
    for state in sorted(CaseState, key=lambda s: -len(s.value)):
        text = re.sub(rf"\b{state.value}\b", f"“{state_label(tr, state.value)}”", text)
    return text
