"""The one background-operation helper every view uses.

A view hands ``BackgroundRunner.run`` a plain function that calls a service with ids (never ORM
objects) and gets the result or the error back on the GUI thread::

    op = runner.run(
        lambda: employees.employee_file(employee_id),
        on_result=self._show_file,
        label=tr("Opening the employee file…"),
        write=True,  # the call appends to the audit log: serialise it with the other writes
    )

Long work that reports progress receives ``(progress, cancel)``::

    runner.run(lambda progress, cancel: demo.build(progress=progress, cancel=cancel),
               progress=True, label=...)

- Reads run on a small thread pool; writes (anything that commits, including reads that append
  to the audit log) run one at a time on a single-thread pool, so SQLite never sees two writers.
- After ``BUSY_DELAY_MS`` the cursor turns busy; after ``DIALOG_DELAY_MS`` a progress dialog
  appears (with a Cancel button when the work takes a ``CancelToken``). Quick work shows neither.
- Cancel is a flag (``CancelToken``); the work raises ``Cancelled`` and the operation ends with
  ``cancelled`` instead of an error. Threads are never killed.
- Errors go to ``on_error`` if given, otherwise to the global error reporter (log + dialog).
- Tests either construct the runner with ``synchronous=True`` (the function runs inside ``run``)
  or wait on ``Operation.finished`` / ``BackgroundRunner.idle`` with ``qtbot.waitSignal``.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QObject,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from workstation.domain.progress import Cancelled, CancelToken
from workstation.gui.waiting import wait_until

log = logging.getLogger(__name__)

BUSY_DELAY_MS = 300
DIALOG_DELAY_MS = 600

ErrorHandler = Callable[[BaseException], None]


class _Relay(QObject):
    """Carries the worker's news to the GUI thread (queued: the relay lives there).

    Only C++-typed arguments cross threads: the result itself stays on the
    ``_Job`` (``outcome``). Passing Python objects through queued ``Signal(object)`` has been
    seen to corrupt reference counts of shared objects (``None``, ``True``) with PySide6 6.12.
    """

    done = Signal()
    progress = Signal(int, int, str)


class _Job:
    """The call and, once run, its outcome; a plain object, so no Qt ownership is involved.

    The pool is handed ``job.run`` (PySide keeps the callable alive and releases it under
    the GIL), rather than a ``QRunnable`` subclass whose C++ side Python might delete while
    the pool thread is still returning from it.
    """

    def __init__(self, call: Callable[[], Any], relay: _Relay) -> None:
        self._call = call
        self._relay = relay
        self.outcome: tuple[Any, BaseException | None] = (None, None)

    def run(self) -> None:
        try:
            self.outcome = (self._call(), None)
        except BaseException as exc:
            self.outcome = (None, exc)
        self._relay.done.emit()


class Operation(QObject):
    """One call running in the background. Every signal is delivered on the GUI thread."""

    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    progressed = Signal(int, int, str)
    #: Always emitted last, whatever the outcome.
    finished = Signal()

    def __init__(self, label: str, token: CancelToken, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.label = label
        self.token = token
        self.result: Any = None
        self.error: BaseException | None = None
        self.done = False
        self.discarded = False
        self.was_cancelled = False
        #: Who is told of a failure instead of the runner's reporter (``run(on_error=...)``).
        self.on_error: ErrorHandler | None = None

    def cancel(self) -> None:
        """Ask the work to stop at its next check; it ends with ``cancelled``."""
        self.token.cancel()

    def discard(self) -> None:
        """Forget this operation: its result will not be delivered (a newer one replaces it)."""
        self.discarded = True
        self.token.cancel()


class BackgroundRunner(QObject):
    """Runs functions off the GUI thread; owned by the main window, handed to every view."""

    #: No operation is running any more.
    idle = Signal()

    def __init__(
        self,
        parent_widget: QWidget | None = None,
        *,
        synchronous: bool = False,
        report_error: ErrorHandler | None = None,
        busy_delay_ms: int = BUSY_DELAY_MS,
        dialog_delay_ms: int = DIALOG_DELAY_MS,
    ) -> None:
        super().__init__(parent_widget)
        self._parent_widget = parent_widget
        self.synchronous = synchronous
        self._report_error = report_error
        self.busy_delay_ms = busy_delay_ms
        self.dialog_delay_ms = dialog_delay_ms
        self.read_pool = QThreadPool(self)
        self.read_pool.setMaxThreadCount(
            max(2, min(4, QThreadPool.globalInstance().maxThreadCount()))
        )
        self.write_pool = QThreadPool(self)
        self.write_pool.setMaxThreadCount(1)
        self._active: dict[Operation, _OperationUi] = {}

    # -- public -----------------------------------------------------------------------------

    @property
    def active_count(self) -> int:
        return len(self._active)

    def set_error_handler(self, handler: ErrorHandler | None) -> None:
        self._report_error = handler

    def run(
        self,
        fn: Callable[..., Any],
        *,
        on_result: Callable[[Any], None] | None = None,
        on_error: ErrorHandler | None = None,
        on_cancelled: Callable[[], None] | None = None,
        label: str = "",
        write: bool = False,
        progress: bool = False,
        dialog: bool = True,
    ) -> Operation:
        """Run ``fn()`` (or ``fn(progress, cancel)`` when ``progress``) in the background."""
        if progress:
            _check_takes_two(fn)
        token = CancelToken()
        op = Operation(label, token, self)
        relay = _Relay(op)
        if on_result is not None:
            op.succeeded.connect(on_result)
        if on_cancelled is not None:
            op.cancelled.connect(on_cancelled)
        op.on_error = on_error
        if progress:

            def report(done: int, total: int, message: str) -> None:
                token.raise_if_cancelled()
                relay.progress.emit(int(done), int(total), str(message))

            def call() -> Any:
                return fn(report, token)
        else:
            call = fn
        # Queued: the worker emits on its own thread, the slots run on the GUI thread.
        kind = (
            Qt.ConnectionType.DirectConnection
            if self.synchronous
            else Qt.ConnectionType.QueuedConnection
        )
        job = _Job(call, relay)
        relay.done.connect(lambda: self._deliver(op, *job.outcome), kind)
        relay.progress.connect(op.progressed, kind)
        ui = _OperationUi(self, op, show_dialog=dialog, cancellable=progress)
        self._active[op] = ui
        if self.synchronous:
            job.run()
            return op
        (self.write_pool if write else self.read_pool).start(job.run)
        ui.start_timers()
        return op

    def wait_idle(self, timeout_ms: int = 30_000) -> bool:
        """Process events until no operation is left (screenshots, scripts). Tests: waitSignal."""
        return wait_until(lambda: not self._active, timeout_ms)

    def shutdown(self, timeout_ms: int = 10_000) -> None:
        """Cancel everything, then wait for the pools (call before the App closes its engine)."""
        for op in list(self._active):
            op.discard()
        self.read_pool.waitForDone(timeout_ms)
        self.write_pool.waitForDone(timeout_ms)
        for op, ui in list(self._active.items()):
            ui.close()
            op.done = True
            op.deleteLater()
        self._active.clear()

    # -- delivery (GUI thread) --------------------------------------------------------------

    def _deliver(self, op: Operation, result: Any, error: BaseException | None) -> None:
        ui = self._active.pop(op, None)
        if ui is not None:
            ui.close()
        op.done = True
        try:
            if op.discarded:
                if error is not None and not isinstance(error, Cancelled):
                    log.info("discarded operation %r failed: %r", op.label, error)
            elif isinstance(error, Cancelled):
                op.was_cancelled = True
                op.cancelled.emit()
            elif error is not None:
                op.error = error
                self._handle_error(op, error)
                op.failed.emit(error)
            else:
                op.result = result
                op.succeeded.emit(result)
        finally:
            op.finished.emit()
            # Free the Qt side (relay, timers, connections); the Python attributes a view may
            # still read (done, result, error) stay valid on the wrapper.
            op.deleteLater()
            if not self._active:
                self.idle.emit()

    def _handle_error(self, op: Operation, error: BaseException) -> None:
        handler = op.on_error or self._report_error
        if handler is None:
            log.error(
                "background operation %r failed",
                op.label,
                exc_info=(type(error), error, error.__traceback__),
            )
            return
        handler(error)


class _OperationUi:
    """Busy cursor after a short delay, a progress dialog after a longer one."""

    def __init__(
        self, runner: BackgroundRunner, op: Operation, *, show_dialog: bool, cancellable: bool
    ) -> None:
        self._runner = runner
        self._op = op
        self._show_dialog = show_dialog
        self._cancellable = cancellable
        self._cursor_set = False
        self._dialog: QProgressDialog | None = None
        self._last_progress: tuple[int, int, str] | None = None
        self._timers: list[QTimer] = []
        op.progressed.connect(self._on_progress)

    def start_timers(self) -> None:
        self._timers.append(self._single_shot(self._runner.busy_delay_ms, self._set_cursor))
        if self._show_dialog:
            self._timers.append(self._single_shot(self._runner.dialog_delay_ms, self._open_dialog))

    def _single_shot(self, ms: int, slot: Callable[[], None]) -> QTimer:
        timer = QTimer(self._op)
        timer.setSingleShot(True)
        timer.timeout.connect(slot)
        timer.start(ms)
        return timer

    @Slot()
    def _set_cursor(self) -> None:
        if not self._op.done and QApplication.instance() is not None:
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
            self._cursor_set = True

    @Slot()
    def _open_dialog(self) -> None:
        if self._op.done:
            return
        parent = self._runner._parent_widget
        dialog = QProgressDialog(parent)
        dialog.setWindowTitle(QApplication.applicationDisplayName() or "Casework")
        dialog.setLabelText(self._op.label)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumWidth(420)
        if self._cancellable:
            dialog.canceled.connect(self._op.cancel)
        else:
            dialog.setCancelButton(None)
        dialog.setRange(0, 0)
        self._dialog = dialog
        if self._last_progress is not None:
            self._on_progress(*self._last_progress)
        dialog.show()

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, message: str) -> None:
        self._last_progress = (done, total, message)
        dialog = self._dialog
        if dialog is None:
            return
        if total > 0:
            dialog.setRange(0, total)
            dialog.setValue(min(done, total))
        if message:
            dialog.setLabelText(f"{self._op.label}\n{message}" if self._op.label else message)

    def close(self) -> None:
        for timer in self._timers:
            timer.stop()
        if self._cursor_set:
            QApplication.restoreOverrideCursor()
            self._cursor_set = False
        if self._dialog is not None:
            self._dialog.hide()
            self._dialog.deleteLater()
            self._dialog = None


def _check_takes_two(fn: Callable[..., Any]) -> None:
    try:
        inspect.signature(fn).bind(None, None)
    except TypeError as exc:
        raise TypeError("with progress=True the function must accept (progress, cancel)") from exc
    except ValueError:  # builtins without a signature: trust the caller
        pass
