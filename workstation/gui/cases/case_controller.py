"""What the case view's editing controllers share: who is acting on which case, loading what
a dialog chooses from in the background, opening a dialog (``dialog_opened`` says which one is
showing: tests and screenshots wait for it), and the revision the next change is made at."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog

from workstation.cases.service import CaseService
from workstation.cases.views import CaseDetail
from workstation.domain.identity import Identity
from workstation.gui.background import BackgroundRunner, Operation
from workstation.i18n import Translator

if TYPE_CHECKING:
    from workstation.gui.cases.case_detail import CaseDetailView


class CaseController(QObject):
    #: A dialog was opened (the dialog): tests fill it and accept it.
    dialog_opened = Signal(object)

    def __init__(
        self, view: CaseDetailView, cases: CaseService, runner: BackgroundRunner, tr: Translator
    ) -> None:
        super().__init__(view)
        self._view, self._cases, self._runner, self._tr = view, cases, runner, tr
        self.dialog: QDialog | None = None

    def _who_and_case(self) -> tuple[Identity, CaseDetail] | None:
        who, detail = self._view.identity(), self._view.detail
        return (who, detail) if who is not None and detail is not None else None

    def _load_then(self, load: Callable[[], Any], show: Callable[[Any], None]) -> Operation:
        return self._runner.run(
            load, on_result=show, on_error=self._view.failed, label=self._tr("Loading…")
        )

    def _open(self, dialog: QDialog, on_accept: Callable[[], None]) -> None:
        self.dialog = dialog
        dialog.accepted.connect(on_accept)
        dialog.open()
        self.dialog_opened.emit(dialog)

    def _revision(self) -> int:
        case = self._view.case
        assert case is not None
        return case.revision
