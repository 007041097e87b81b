"""The Cases area: the case list (with "awaiting my approval"), one case's file, and opening
a new case — by hand ("New case…") or from a confirmed alert (``open_from_alert``)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from workstation.cases.case_actions import CaseAction
from workstation.cases.documents import CaseDocuments
from workstation.cases.lookups import EmployeeChoice
from workstation.cases.service import CaseService
from workstation.cases.views import CaseView
from workstation.domain.case_terms import PENDING_STEP
from workstation.domain.identity import Identity
from workstation.gui.background import BackgroundRunner, Operation
from workstation.gui.cases.case_detail import CaseDetailView
from workstation.gui.cases.case_list import CaseListView
from workstation.gui.cases.new_case_dialog import FromAlert, NewCase, NewCaseDialog
from workstation.gui.cases.refusals import refusal_text
from workstation.gui.widgets.page_header import PageHeader
from workstation.i18n import Translator
from workstation.security.permissions import Permission, allowed
from workstation.service_text import error_text

Loaded = tuple[list[CaseView], list[str], list[str]]


def load_cases(cases: CaseService, who: Identity, state: str | None) -> Loaded:
    """The cases ``who`` may see, the numbers of those waiting for ``who``'s approval, and
    those that do not verify (``CaseService.integrity``)."""
    views = cases.list_cases(who, state=state)
    verified = cases.integrity_of_cases(who, [v.number for v in views])
    broken = [number for number, ok in verified.items() if not ok]
    awaiting: list[str] = []
    if allowed(who, Permission.CASE_APPROVE):
        for view in views:
            if view.state in PENDING_STEP and cases.get(who, view.number).can(
                CaseAction.APPROVE.value
            ):
                awaiting.append(view.number)
    return views, awaiting, broken


def open_new_case(cases: CaseService, who: Identity, new: NewCase) -> CaseView:
    """Open the case (from the alert, if any) and keep the summary as its first note."""
    alert = new.alert
    view = cases.open_case(
        who,
        new.subject_employee_id,
        new.title,
        alert_id=alert.alert_id if alert else None,
        alert_revision=alert.revision if alert else None,
    )
    if new.summary:
        view = cases.add_note(who, view.number, new.summary, view.revision).case
    return view


class CasesPage(QWidget):
    #: The list was (re)loaded: how many cases it holds.
    cases_loaded = Signal(int)
    #: A case was opened and shown: its number.
    case_opened = Signal(str)
    #: A change to a case was saved: the case as it is now (``CaseView``).
    case_changed = Signal(object)
    #: A new case was opened (``CaseView``); from an alert, the alert was escalated.
    case_created = Signal(object)
    #: The new-case dialog is showing (the dialog).
    dialog_opened = Signal(object)

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
        self._op: Operation | None = None
        self.awaiting: list[str] = []
        self.new_case_dialog: NewCaseDialog | None = None
        self.header = PageHeader(
            tr("Cases"),
            tr(
                "Investigations of order diversion: allegations, frozen evidence, notes and "
                "signed approvals. Open a case to move it on or to approve it."
            ),
        )
        self.new_button = QPushButton(tr("New case…"))
        self.new_button.setToolTip(
            tr("Open a case by hand; to open one from an alert, use the alert's Open a case…")
        )
        self.new_button.clicked.connect(self.new_case)
        self.refresh_button = QPushButton(tr("Refresh"))
        self.refresh_button.clicked.connect(self.reload)
        self.header.action_row.addWidget(self.new_button)
        self.header.action_row.addWidget(self.refresh_button)
        self.banner = QLabel()
        self.banner.setObjectName("noticeBanner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.list_view = CaseListView(tr)
        self.detail_view = CaseDetailView(cases, identity, runner, tr, documents=documents)
        self.body = QStackedWidget()
        self.body.addWidget(self.list_view)
        self.body.addWidget(self.detail_view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        layout.addWidget(self.header)
        layout.addWidget(self.banner)
        layout.addWidget(self.body, 1)

        self.list_view.case_activated.connect(self.open_case)
        self.list_view.state_changed.connect(self.reload)
        self.detail_view.back_requested.connect(self.show_list)
        self.detail_view.loaded.connect(self.case_opened)
        self.detail_view.changed.connect(self.case_changed)
        self._update_actions()

    def set_documents(self, documents: CaseDocuments | None) -> None:
        """Give the case view the documents service (``app.documents``)."""
        self.detail_view.set_documents(documents)

    def reload(self) -> Operation | None:
        self._update_actions()
        who = self._identity()
        if who is None:
            self._say(self._tr("Sign in to see cases."))
            self.list_view.show_cases([])
            return None
        if self._op is not None and not self._op.done:
            self._op.discard()
        cases, state = self._cases, self.list_view.state_choice()
        self._op = self._runner.run(
            lambda: load_cases(cases, who, state),
            on_result=self._show_cases,
            on_error=self._failed,
            label=self._tr("Loading cases…"),
            dialog=False,
        )
        return self._op

    def open_case(self, number: str) -> Operation | None:
        self.body.setCurrentWidget(self.detail_view)
        return self.detail_view.open_case(number)

    def show_case_id(self, case_id: int) -> Operation | None:
        """Open the case with database id ``case_id`` (an escalated alert names it so)."""
        who = self._identity()
        if who is None:
            return None
        cases = self._cases

        def found(views: list[CaseView]) -> None:
            number = next((v.number for v in views if v.id == case_id), None)
            if number is None:
                self._say(self._tr("This case does not exist or you may not see it."))
            else:
                self.open_case(number)

        return self._runner.run(
            lambda: cases.list_cases(who), on_result=found, on_error=self._failed
        )

    def show_list(self) -> None:
        self.body.setCurrentWidget(self.list_view)
        self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._update_actions()
        if self.body.currentWidget() is self.list_view and self._op is None:
            self.reload()

    # -- opening a case -------------------------------------------------------------------

    def new_case(self) -> Operation | None:
        """Choose the employee and title (``new_case_dialog``); accepting it opens the case."""
        who = self._identity()
        if who is None:
            return None
        cases = self._cases
        return self._runner.run(
            lambda: cases.employee_choices(who),
            on_result=lambda employees: self._ask_new_case(employees, None),
            on_error=self._failed,
            label=self._tr("Loading…"),
        )

    def open_from_alert(self, alert: FromAlert) -> None:
        """Open a case from a confirmed alert: the dialog asks for the title."""
        self.body.setCurrentWidget(self.list_view)
        self._ask_new_case([], alert)

    def _ask_new_case(self, employees: list[EmployeeChoice], alert: FromAlert | None) -> None:
        dialog = NewCaseDialog(self._tr, employees, alert=alert, parent=self)
        self.new_case_dialog = dialog
        dialog.accepted.connect(lambda: self._create(dialog.chosen()))
        dialog.open()
        self.dialog_opened.emit(dialog)

    def _create(self, new: NewCase) -> Operation | None:
        who = self._identity()
        if who is None:
            return None
        cases = self._cases
        return self._runner.run(
            lambda: open_new_case(cases, who, new),
            on_result=self._created,
            on_error=self._failed,
            label=self._tr("Opening the case…"),
            write=True,
        )

    def _created(self, view: CaseView) -> None:
        self.banner.hide()
        self.case_created.emit(view)
        self.open_case(view.number)

    # -- helpers --------------------------------------------------------------------------

    def _update_actions(self) -> None:
        who = self._identity()
        self.new_button.setVisible(allowed(who, Permission.CASE_OPEN))
        approver = allowed(who, Permission.CASE_APPROVE)
        self.list_view.awaiting_filter.setVisible(approver)
        if not approver:
            self.list_view.awaiting_filter.setChecked(False)

    def _show_cases(self, loaded: Loaded) -> None:
        views, awaiting, broken = loaded
        self.awaiting = list(awaiting)
        self.banner.hide()
        self.list_view.show_cases(views, awaiting, broken)
        self.cases_loaded.emit(len(views))

    def _failed(self, error: BaseException) -> None:
        text = refusal_text(self._tr, error)
        if text is None:
            if isinstance(error, LookupError | ValueError):
                text = error_text(error, self._tr.locale)
            else:
                raise error
        self._say(text)

    def _say(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))
