"""Open the main window straight on what ``--open`` names (see ``open_target``).

The thing is looked up first (on the background runner, as the signed-in user); what does not
exist, or what the user may not see, is said in one sentence and the window stays where it is.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox

from workstation.cases.base import CaseNotFound
from workstation.gui.background import Operation
from workstation.gui.open_target import OpenTarget, TargetKind
from workstation.i18n import Translator
from workstation.risk.alert_service import AlertNotFound
from workstation.security.permissions import PermissionDenied
from workstation.security.session import NotSignedIn

if TYPE_CHECKING:
    from workstation.app import App
    from workstation.gui.main_window import MainWindow

log = logging.getLogger(__name__)


class TargetOpener(QObject):
    #: The window shows the target now (the ``OpenTarget``).
    opened = Signal(object)
    #: The target cannot be opened: the sentence shown to the user.
    refused = Signal(str)

    def __init__(self, window: MainWindow, app: App, tr: Translator) -> None:
        super().__init__(window)
        self._window = window
        self._app = app
        self._tr = tr

    def open(self, target: OpenTarget) -> Operation | None:
        from workstation.gui.main_window import Area

        area = {
            TargetKind.MAP: Area.MAP,
            TargetKind.ALERT: Area.ALERTS,
            TargetKind.CASE: Area.CASES,
        }
        if not self._window.has_area(area[target.kind]):
            self._refuse(
                target,
                self._tr("Cannot open “{target}”: your role does not show it.", target=target),
            )
            return None
        app, tr = self._app, self._tr
        lookup: Callable[[], Any]
        if target.kind is TargetKind.MAP:
            number = target.key.upper()

            def lookup() -> int | None:
                rows = app.employees.list_employees(target.key)
                return next((r.id for r in rows if r.employee_no.upper() == number), None)

            missing = tr("There is no employee {number}.", number=target.key)
        elif target.kind is TargetKind.ALERT:

            def lookup() -> object:
                return app.alerts.get(target.alert_id)

            missing = tr("There is no alert #{id}, or you may not see it.", id=target.key)
        else:
            identity = app.session.current()

            def lookup() -> object:
                if identity is None:
                    raise NotSignedIn()
                return app.cases.view(identity, target.key)

            missing = tr("There is no case {number}, or you may not see it.", number=target.key)

        def found(value: object) -> None:
            if value is None:
                self._refuse(target, missing)
            else:
                self._show(target, value)

        def failed(error: BaseException) -> None:
            if isinstance(error, (AlertNotFound, CaseNotFound, PermissionDenied, NotSignedIn)):
                self._refuse(target, missing)
                return
            log.error(
                "opening %s failed", target, exc_info=(type(error), error, error.__traceback__)
            )
            self._refuse(target, tr("Cannot open “{target}”: {error}", target=target, error=error))

        return self._window.runner.run(
            lookup, on_result=found, on_error=failed, label=tr("Opening {target}…", target=target)
        )

    def _show(self, target: OpenTarget, value: object) -> None:
        from workstation.gui.main_window import Area

        window = self._window
        log.info("opening %s", target)
        if target.kind is TargetKind.MAP:
            assert isinstance(value, int)
            window.show_on_map(value, target.day)
        elif target.kind is TargetKind.ALERT:
            window.show_area(Area.ALERTS)
            window.alerts_page.open_alert(target.alert_id)
        else:
            window.show_area(Area.CASES)
            window.cases_page.open_case(target.key)
        self.opened.emit(target)

    def _refuse(self, target: OpenTarget, text: str) -> None:
        log.info("cannot open %s: %s", target, text)
        self.refused.emit(text)
        box = QMessageBox(self._window)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self._tr("Casework"))
        box.setText(text)
        box.exec()
