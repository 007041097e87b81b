"""``CaseEdits``: what the tabs of a case add to it — allegations and their findings, tasks,
parties, the alternate approver and the union's notification — each through its dialog
(evidence and documents are ``case_files.CaseFiles``). What a dialog chooses from is loaded in
the background first. Saving goes through the case view's ``write``, so refusals and reloads
work the same everywhere."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from workstation.cases.case_actions import CaseAction
from workstation.cases.case_text import case_text
from workstation.cases.service import CaseService
from workstation.cases.views import CaseDetail
from workstation.domain.enums import Role
from workstation.domain.identity import Identity
from workstation.gui.background import BackgroundRunner, Operation
from workstation.gui.cases.allegation_dialog import AllegationDialog
from workstation.gui.cases.alternate_dialog import AlternateDialog
from workstation.gui.cases.case_controller import CaseController
from workstation.gui.cases.finding_dialog import FindingDialog
from workstation.gui.cases.labels import named_states
from workstation.gui.cases.party_dialog import PartyDialog
from workstation.gui.cases.task_dialog import TaskDialog
from workstation.gui.cases.union_dialog import UnionDialog
from workstation.gui.offer import offer
from workstation.i18n import Translator

if TYPE_CHECKING:
    from workstation.gui.cases.case_detail import CaseDetailView


class CaseEdits(CaseController):
    def __init__(
        self, view: CaseDetailView, cases: CaseService, runner: BackgroundRunner, tr: Translator
    ) -> None:
        super().__init__(view, cases, runner, tr)
        tabs = view.tabs
        tabs.add_allegation_button.clicked.connect(self.add_allegation)
        tabs.finding_button.clicked.connect(self.record_finding)
        tabs.allegations_table.doubleClicked.connect(lambda _i: self.record_finding())
        tabs.add_task_button.clicked.connect(self.add_task)
        tabs.complete_task_button.clicked.connect(self.complete_task)
        tabs.add_party_button.clicked.connect(self.add_party)
        tabs.alternate_button.clicked.connect(self.choose_alternate)

    def update_buttons(self, who: Identity | None, detail: CaseDetail | None) -> None:
        """Offer each edit as the service says the reader may make it now."""
        tabs, tr, can = self._view.tabs, self._tr, self._view.can
        offer(tabs.add_allegation_button, can(CaseAction.ADD_ALLEGATION), tr, words=self._words)
        offer(tabs.finding_button, can(CaseAction.RECORD_FINDING), tr, words=self._words)
        if tabs.finding_button.isEnabled() and tabs.selected_allegation() is None:
            tabs.finding_button.setEnabled(False)
            tabs.finding_button.setToolTip(tr("Select an allegation first."))
        offer(tabs.add_task_button, can(CaseAction.ADD_TASK), tr, words=self._words)
        offer(tabs.complete_task_button, can(CaseAction.COMPLETE_TASK), tr, words=self._words)
        task = tabs.selected_task()
        if tabs.complete_task_button.isEnabled() and (task is None or task.done_at is not None):
            tabs.complete_task_button.setEnabled(False)
            tabs.complete_task_button.setToolTip(tr("Select a task that is not done yet."))
        offer(tabs.add_party_button, can(CaseAction.ADD_PARTY), tr, words=self._words)
        offer(tabs.alternate_button, can(CaseAction.CHOOSE_ALTERNATE), tr, words=self._words)
        note = can(CaseAction.ADD_NOTE)
        offer(tabs.add_note_button, note, tr, words=self._words)
        tabs.add_note_button.setEnabled(note.allowed and bool(tabs.note_text()))
        tabs.note_edit.setVisible(note.shown)
        tabs.note_edit.setEnabled(note.allowed)

    def _words(self, reason: str) -> str:
        return named_states(reason, self._tr)

    # -- allegations and findings ---------------------------------------------------------

    def add_allegation(self) -> Operation | None:
        found = self._who_and_case()
        if found is None:
            return None
        who, detail = found
        cases, subject = self._cases, detail.case.subject_employee_id

        def load() -> tuple[Any, Any]:
            return cases.customer_choices(who, subject), cases.competitor_choices(who)

        def show(choices: tuple[Any, Any]) -> None:
            dialog = AllegationDialog(self._tr, choices[0], choices[1], self._view)

            def save() -> None:
                text, customer, competitor = dialog.chosen()
                number, revision = detail.case.number, self._revision()
                self._view.write(
                    lambda: cases.add_allegation(
                        who,
                        number,
                        text,
                        revision,
                        customer_id=customer,
                        competitor_id=competitor,
                    )
                )

            self._open(dialog, save)

        return self._load_then(load, show)

    def record_finding(self) -> None:
        found = self._who_and_case()
        allegation = self._view.tabs.selected_allegation()
        if found is None or allegation is None or not self._view.can(CaseAction.RECORD_FINDING):
            return
        who, detail = found
        dialog = FindingDialog(self._tr, allegation.text, allegation.finding, self._view)
        cases = self._cases

        def save() -> None:
            finding, note = dialog.chosen()
            number, revision = detail.case.number, self._revision()
            self._view.write(
                lambda: cases.record_finding(who, number, allegation.id, finding, revision, note)
            )

        self._open(dialog, save)

    # -- tasks and parties ----------------------------------------------------------------

    def add_task(self) -> Operation | None:
        found = self._who_and_case()
        if found is None:
            return None
        who, detail = found
        cases = self._cases

        def show(users: Any) -> None:
            dialog = TaskDialog(self._tr, users, self._view)

            def save() -> None:
                title, assignee, due = dialog.chosen()
                number, revision = detail.case.number, self._revision()
                self._view.write(
                    lambda: cases.add_task(
                        who, number, title, revision, assignee_user_id=assignee, due_date=due
                    )
                )

            self._open(dialog, save)

        return self._load_then(lambda: cases.user_choices(who), show)

    def complete_task(self) -> Operation | None:
        found, task = self._who_and_case(), self._view.tabs.selected_task()
        if found is None or task is None or task.done_at is not None:
            return None
        who, detail = found
        cases, number, revision = self._cases, detail.case.number, self._revision()
        return self._view.write(lambda: cases.complete_task(who, number, task.id, revision))

    def add_party(self) -> Operation | None:
        found = self._who_and_case()
        if found is None:
            return None
        who, detail = found
        cases = self._cases

        def load() -> tuple[Any, Any]:
            return cases.employee_choices(who, for_opening=False), cases.user_choices(who)

        def show(choices: tuple[Any, Any]) -> None:
            subject = detail.case.subject_employee_id
            employees = [e for e in choices[0] if e.id != subject]
            dialog = PartyDialog(self._tr, employees, choices[1], self._view)

            def save() -> None:
                role, employee, user, note = dialog.chosen()
                number, revision = detail.case.number, self._revision()
                self._view.write(
                    lambda: cases.add_party(
                        who, number, role, revision, employee_id=employee, user_id=user, note=note
                    )
                )

            self._open(dialog, save)

        return self._load_then(load, show)

    def choose_alternate(self) -> Operation | None:
        found = self._who_and_case()
        if found is None:
            return None
        who, detail = found
        cases = self._cases
        route = case_text(detail.manager_approver, self._tr.locale)

        def show(managers: Any) -> None:
            dialog = AlternateDialog(self._tr, managers, route, self._view)

            def save() -> None:
                user_id, note = dialog.chosen()
                number, revision = detail.case.number, self._revision()
                self._view.write(
                    lambda: cases.choose_alternate_approver(who, number, user_id, revision, note)
                )

            self._open(dialog, save)

        return self._load_then(lambda: cases.user_choices(who, Role.SALES_MANAGER.value), show)

    def record_union_notification(self) -> None:
        found = self._who_and_case()
        if found is None:
            return
        who, detail = found
        dialog = UnionDialog(self._tr, self._view)
        if detail.case.union_notice_ref:
            dialog.set_reference(detail.case.union_notice_ref)
        cases = self._cases

        def save() -> None:
            reference, at = dialog.chosen()
            number, revision = detail.case.number, self._revision()
            self._view.write(
                lambda: cases.record_union_notification(
                    who, number, revision, reference=reference, notified_at=at
                )
            )

        self._open(dialog, save)
