"""The Cases area: the case list, and one case's file, in one page."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from workstation.cases.service import CaseService
from workstation.cases.views import CaseView
from workstation.domain.enums import Role
from workstation.domain.identity import Identity
from workstation.gui.background import BackgroundRunner, Operation
from workstation.gui.cases.awaiting import APPROVAL_STATES, awaits_my_approval
from workstation.gui.cases.case_detail import CaseDetailView
from workstation.gui.cases.case_list import CaseListView
from workstation.gui.widgets.page_header import PageHeader
from workstation.i18n import Translator

Loaded = tuple[list[CaseView], list[str]]


def load_cases(cases: CaseService, who: Identity, state: str | None) -> Loaded:
    """The cases ``who`` may see, and the numbers of those waiting for ``who``'s approval."""
    views = cases.list_cases(who, state=state)
    awaiting: list[str] = []
    if who.role in (Role.SALES_MANAGER, Role.LEGAL):
        for view in views:
            if view.state in APPROVAL_STATES and awaits_my_approval(
                cases.get(who, view.number), who
            ):
                awaiting.append(view.number)
    return views, awaiting


class CasesPage(QWidget):
    #: The list was (re)loaded: how many cases it holds.
    cases_loaded = Signal(int)
    #: A case was opened and shown: its number.
    case_opened = Signal(str)
    #: A change to a case was saved: the case as it is now (``CaseView``).
    case_changed = Signal(object)

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
        self._op: Operation | None = None
        self.awaiting: list[str] = []
        self.header = PageHeader(
            tr("Cases"),
            tr(
                "Investigations of order diversion: allegations, frozen evidence, notes and "
                "signed approvals. Open a case to move it on or to approve it."
            ),
        )
        self.refresh_button = QPushButton(tr("Refresh"))
        self.refresh_button.clicked.connect(self.reload)
        self.header.actions.addWidget(self.refresh_button)
        self.banner = QLabel()
        self.banner.setObjectName("noticeBanner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.list_view = CaseListView(tr)
        self.detail_view = CaseDetailView(cases, identity, runner, tr)
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
        self.detail_view.changed.connect(self._on_changed)

    def reload(self) -> Operation | None:
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

    def show_list(self) -> None:
        self.body.setCurrentWidget(self.list_view)
        self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.body.currentWidget() is self.list_view and self._op is None:
            self.reload()

    def _show_cases(self, loaded: Loaded) -> None:
        views, awaiting = loaded
        self.awaiting = list(awaiting)
        self.banner.hide()
        self.list_view.show_cases(views, awaiting)
        self.cases_loaded.emit(len(views))

    def _on_changed(self, view: CaseView) -> None:
        self.case_changed.emit(view)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, PermissionError | LookupError | ValueError):
            self._say(str(error))
        else:
            raise error

    def _say(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))
