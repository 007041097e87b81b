"""``CaseDetailView``: one case — its header, its tabs, and the buttons for what the reader may
do now: move it on, approve or reject it, record the union's notification, put it on legal
hold, add a note. The rest of the editing (allegations, findings, tasks, parties, evidence,
documents) is ``case_edits.CaseEdits`` and ``case_files.CaseFiles``; the header card is
``case_card.CaseCard``. Each button is offered as the service says the reader may act now
(``CaseDetail.actions`` and ``transitions``): hidden when their role never does it, disabled
with the reason when it is not possible yet. The service checks again; its refusals are shown
in the banner, in the reader's words."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workstation.cases.base import StaleCase
from workstation.cases.case_actions import CaseAction
from workstation.cases.case_text import case_text
from workstation.cases.document_views import GeneratedDocument, StoredDocument
from workstation.cases.documents import CaseDocuments
from workstation.cases.integrity import CaseDoesNotVerify, judged_checks
from workstation.cases.integrity_text import failure_lines
from workstation.cases.service import CaseService
from workstation.cases.views import Added, ApprovalCheck, CaseDetail, CaseIntegrity, CaseView
from workstation.domain.case_terms import PENDING_STEP
from workstation.domain.identity import Identity
from workstation.gui.background import BackgroundRunner, Operation
from workstation.gui.cases.case_card import CaseCard
from workstation.gui.cases.case_edits import CaseEdits
from workstation.gui.cases.case_files import CaseFiles
from workstation.gui.cases.case_tabs import CaseTabs
from workstation.gui.cases.decision_dialog import DecisionDialog
from workstation.gui.cases.labels import (
    named_states,
    step_label,
    transition_label,
)
from workstation.gui.cases.legal_hold_dialog import LegalHoldDialog
from workstation.gui.cases.refusals import refusal_text
from workstation.gui.cases.transition_dialog import TransitionDialog
from workstation.gui.offer import offer
from workstation.i18n import Translator
from workstation.security.capabilities import Capability

#: The case, its signatures checked, its stored documents (their PDF signatures checked;
#: None without a documents service), and whether it is still what was signed.
Loaded = tuple[CaseDetail, list[ApprovalCheck], list[StoredDocument] | None, CaseIntegrity]
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
        #: Whether the case shown is what was signed (``CaseService.integrity``).
        self.integrity: CaseIntegrity | None = None
        self.number: str | None = None
        self._op: Operation | None = None
        self._sticky: str | None = None
        self.transition_buttons: dict[str, QPushButton] = {}
        self.decision_dialog: DecisionDialog | None = None
        self.transition_dialog: TransitionDialog | None = None
        self.hold_dialog: LegalHoldDialog | None = None

        self.back_button = QPushButton(tr("‹ All cases"))
        self.back_button.setObjectName("linkButton")
        self.back_button.clicked.connect(self.back_requested)
        self.transition_row = QHBoxLayout()
        self.transition_row.setSpacing(8)
        self.union_button = QPushButton(tr("Record union notification…"))
        self.approve_button = QPushButton(tr("Approve…"))
        self.reject_button = QPushButton(tr("Reject…"))
        self.hold_button = QPushButton(tr("Put on legal hold…"))
        self.approve_button.clicked.connect(lambda: self.ask_decision("approved"))
        self.reject_button.clicked.connect(lambda: self.ask_decision("rejected"))
        self.hold_button.clicked.connect(self.ask_legal_hold)
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addStretch(1)
        for button in (self.union_button, self.approve_button, self.reject_button):
            top.addWidget(button)
        top.addLayout(self.transition_row)
        top.addWidget(self.hold_button)

        self.card = CaseCard(tr)
        self.title_label, self.state_badge = self.card.title_label, self.card.state_badge
        self.hold_banner = self.card.hold_banner
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
        cases, documents, tr = self._cases, self.files.documents, self._tr

        def load() -> Loaded:
            detail = cases.get(who, number)
            stored = None
            if documents is not None and detail.documents:
                stored = documents.stored(who, detail.case.number)
            integrity = cases.integrity(who, detail.case.number)
            return detail, judged_checks(integrity, tr), stored, integrity

        self._op = self._runner.run(
            load, on_result=self._show, on_error=self.failed, label=self._tr("Opening the case…")
        )
        return self._op

    def reload(self) -> Operation | None:
        return self.open_case(self.number) if self.number else None

    def _show(self, loaded: Loaded) -> None:
        tr = self._tr
        detail, checks, stored, integrity = loaded
        self.detail, self.integrity = detail, integrity
        case = detail.case
        self.card.show_case(detail, self._identity())
        self.card.show_integrity(integrity)
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

    def can(self, action: CaseAction) -> Capability:
        """What the service says the reader may do with the case shown (nothing without one)."""
        if self.detail is None:
            return Capability(False, "", shown=False)
        return self.detail.can(action.value)

    def update_buttons(self) -> None:
        for button in self.transition_buttons.values():
            self.transition_row.removeWidget(button)
            button.deleteLater()
        self.transition_buttons = {}
        self.card.show_next([])
        detail, tr = self.detail, self._tr
        if detail is not None:
            self._add_transition_buttons(detail)
        words = self._words
        for button in (self.approve_button, self.reject_button):
            offer(button, self.can(CaseAction.APPROVE), tr, words=words)
        held = bool(detail and detail.case.legal_hold)
        self.hold_button.setText(tr("Lift legal hold…") if held else tr("Put on legal hold…"))
        offer(
            self.hold_button,
            self.can(CaseAction.LEGAL_HOLD),
            tr,
            tooltip=tr("A held case and all its evidence are kept from every retention purge"),
        )
        case = detail.case if detail else None
        offer(self.union_button, self.can(CaseAction.UNION_NOTIFICATION), tr, words=words)
        if case is not None and case.union_notified_at is not None:
            self.union_button.setText(tr("Union notified ✓ (change…)"))
        else:
            self.union_button.setText(tr("Record union notification…"))
        who = self._identity()
        self.edits.update_buttons(who, detail)
        self.files.update_buttons(who, detail)

    def _words(self, reason: str) -> str:
        return named_states(reason, self._tr)

    def _add_transition_buttons(self, detail: CaseDetail) -> None:
        """One button per transition the reader makes, disabled with the reason while it is
        not possible yet; withdrawing (a link) last. What the next step still needs is said
        under the case's facts."""
        waiting: list[str] = []
        state = detail.case.state
        options = sorted(detail.transitions, key=lambda o: o.target == "withdrawn")
        for option in options:
            if not option.shown:
                continue
            button = QPushButton(transition_label(self._tr, state.value, option.target))
            reason = named_states(case_text(option.reason, self._tr.locale), self._tr)
            button.setToolTip(reason)
            button.setEnabled(option.allowed)
            if option.target == "withdrawn":
                button.setObjectName("linkButton")
            elif not option.allowed:
                waiting.append(reason)
            target = option.target
            button.clicked.connect(lambda _c=False, t=target: self.request_transition(t))
            self.transition_row.addWidget(button)
            button.setVisible(True)  # now, not when the layout gets round to it
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

    def set_legal_hold(self, on: bool, reason: str | None = None) -> Operation | None:
        case, who = self.case, self._identity()
        if case is None or who is None:
            return None
        cases, number, revision = self._cases, case.number, case.revision
        return self.write(lambda: cases.set_legal_hold(who, number, on, revision, reason=reason))

    def ask_legal_hold(self) -> None:
        """Ask for the reason and a confirmation (``hold_dialog``), then put the hold on or
        lift it, whichever the case needs."""
        case = self.case
        if case is None:
            return
        dialog = LegalHoldDialog(self._tr, case.number, not case.legal_hold, self)
        self.hold_dialog = dialog
        dialog.accepted.connect(lambda: self.set_legal_hold(dialog.on, dialog.reason()))
        dialog.open()

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
        if isinstance(error, CaseDoesNotVerify):
            self._refuse_broken(error)
        if isinstance(error, StaleCase):
            self._sticky = text
            self.say(text)
            self.reload()
        else:
            self.say(text)

    def _refuse_broken(self, error: CaseDoesNotVerify) -> None:
        """A document refused from a case that does not verify: a message box saying what
        differs (and the header shows it in red)."""
        tr = self._tr
        lines = failure_lines(error.integrity, tr)
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(tr("Casework"))
        box.setText(
            tr(
                "Case {number} does not verify, so no document is made from it.",
                number=error.integrity.number,
            )
        )
        box.setInformativeText("\n".join(f"• {line}" for line in lines[:8]))
        box.setDetailedText("\n".join(lines))
        box.exec()
        self.card.show_integrity(error.integrity)

    def say(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))
        self.problem_shown.emit(text)
