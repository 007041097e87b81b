"""The one global exception hook: every unexpected error is logged and shown, never swallowed."""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from workstation.i18n import Translator

log = logging.getLogger("workstation.gui")

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


class ErrorReporter(QObject):
    """Logs an error with its traceback, then shows it in a dialog on the GUI thread.

    Safe to call from any thread: the dialog is always opened on the GUI thread. While one
    error dialog is open, further errors are only logged (no cascade of dialogs).
    """

    _show_requested = Signal(str, str)
    #: Emitted after an error has been logged (message, traceback text); handy for tests.
    reported = Signal(str, str)

    def __init__(
        self,
        tr: Translator,
        log_file: Path | None = None,
        parent_provider: Callable[[], QWidget | None] | None = None,
    ) -> None:
        super().__init__()
        self._tr = tr
        self.log_file = log_file
        self._parent_provider = parent_provider or _active_window
        self._showing = False
        self._show_requested.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def set_parent_provider(self, provider: Callable[[], QWidget | None]) -> None:
        self._parent_provider = provider

    def report(self, error: BaseException) -> None:
        self.report_exc_info((type(error), error, error.__traceback__))

    def report_exc_info(self, info: ExcInfo) -> None:
        log.error("unexpected error", exc_info=info)
        message = str(info[1]) or info[0].__name__
        details = "".join(traceback.format_exception(*info))
        self.reported.emit(message, details)
        app = QApplication.instance()
        if app is None:
            return
        if QThread.currentThread() is app.thread():
            self._show(message, details)
        else:
            self._show_requested.emit(message, details)

    @Slot(str, str)
    def _show(self, message: str, details: str) -> None:
        if self._showing:
            return
        self._showing = True
        try:
            tr = self._tr
            box = QMessageBox(self._parent_provider())
            box.setIcon(QMessageBox.Icon.Critical)
            box.setWindowTitle(tr("Something went wrong"))
            box.setText(tr("The last action failed: {message}", message=message))
            if self.log_file is not None:
                box.setInformativeText(
                    tr("The details were written to the log file {path}.", path=self.log_file)
                )
            box.setDetailedText(details)
            box.setStandardButtons(QMessageBox.StandardButton.Ok)
            box.exec()
        finally:
            self._showing = False

    # -- hooks ------------------------------------------------------------------------------

    def excepthook(
        self, kind: type[BaseException], error: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        try:
            self.report_exc_info((kind, error, tb))
        except Exception:  # the reporter itself must never hide the first error
            sys.__excepthook__(kind, error, tb)

    def threading_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None:
            return
        self.excepthook(args.exc_type, args.exc_value, args.exc_traceback)


_installed: ErrorReporter | None = None


def install_exception_hook(reporter: ErrorReporter) -> ErrorReporter:
    """Make ``reporter`` the process-wide hook (sys and threading); the last install wins."""
    global _installed
    _installed = reporter
    sys.excepthook = reporter.excepthook
    threading.excepthook = reporter.threading_excepthook
    return reporter


def uninstall_exception_hook() -> None:
    global _installed
    _installed = None
    sys.excepthook = sys.__excepthook__
    threading.excepthook = threading.__excepthook__


def installed_reporter() -> ErrorReporter | None:
    return _installed


def _active_window() -> QWidget | None:
    return QApplication.activeWindow()
