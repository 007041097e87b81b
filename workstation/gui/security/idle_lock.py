"""Lock the workstation after idle time; unlock with the signed-in user's password.

``IdleLock`` hears of every key press and mouse click in the application's windows through a
``WindowWatch`` (filters on the top-level windows only: an application-wide Python event
filter crashes PySide next to QtWebEngine, see ``window_watch``) and tells the ``Session``
(``touch``). A timer asks ``session.is_idle()``; once it says yes the session locks, every
open window gets an opaque ``LockCover``, and an application-modal ``UnlockDialog`` asks for
the password. While locked, input anywhere but that dialog is dropped (shortcuts too),
windows that open meanwhile are covered as well, and a modal window that opens meanwhile
does not take the dialog's place on top. Background work goes on behind the covers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import QApplication, QWidget

from workstation.domain.identity import Identity
from workstation.gui.background import BackgroundRunner
from workstation.gui.security.labels import sign_in_error_label
from workstation.gui.security.lock_cover import LockCover
from workstation.gui.security.unlock_dialog import UnlockDialog
from workstation.gui.security.window_watch import FLEETING, SCAN_INTERVAL_MS, WindowWatch
from workstation.i18n import Translator
from workstation.security.session import Session

log = logging.getLogger(__name__)

#: How often the timer asks whether the idle time is up.
CHECK_INTERVAL_MS = 15_000

#: How often the watch looks for new windows to cover while locked.
LOCKED_SCAN_MS = 50


class IdleLock(QObject):
    locked = Signal()
    #: Unlocked again: the (refreshed) Identity.
    unlocked = Signal(object)
    #: The locked user chose to sign out (``install_idle_lock`` quits the application).
    sign_out_requested = Signal()

    def __init__(
        self,
        session: Session,
        tr: Translator,
        window: QWidget,
        *,
        runner: BackgroundRunner | None = None,
        check_interval_ms: int = CHECK_INTERVAL_MS,
    ) -> None:
        super().__init__(window)
        self._session = session
        self._tr = tr
        self._window = window
        self._runner = runner
        self.covers: list[LockCover] = []
        self.dialog: UnlockDialog | None = None
        self._focus: QWidget | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(check_interval_ms)
        self.timer.timeout.connect(self.check)
        self.watch = WindowWatch(self, ignore=lambda w: isinstance(w, LockCover))
        self.watch.activity.connect(self._on_activity)
        self.watch.shown.connect(self._on_shown)
        self.watch.blocked.connect(self._on_blocked)

    @property
    def is_locked(self) -> bool:
        return self.dialog is not None

    def start(self) -> None:
        self.watch.start()
        self._session.touch()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self.watch.stop()

    # -- watching ---------------------------------------------------------------------------

    def _on_activity(self) -> None:
        if self.dialog is None:
            self._session.touch()

    def _on_shown(self, window: QWidget) -> None:
        if self.dialog is not None and self._needs_cover(window):
            QTimer.singleShot(0, lambda: self._cover(window))

    def _on_blocked(self, window: QWidget) -> None:
        """A modal window opened over the unlock dialog (an error, a progress dialog): cover
        it, and put the dialog back on top of Qt's modal windows so that it takes the keys."""
        if self.dialog is not None and window is self.dialog:
            QTimer.singleShot(0, self._back_on_top)

    def _back_on_top(self) -> None:
        dialog = self.dialog
        if dialog is None:
            return
        self._cover_visible()
        dialog.hide()
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        dialog.password.setFocus()

    def _drops_input(self, window: QWindow) -> bool:
        dialog = self.dialog
        return dialog is not None and window is not dialog.windowHandle()

    def check(self) -> None:
        """Lock if someone is signed in and the idle time is up (the timer calls this)."""
        session = self._session
        if self.dialog is None and session.current() is not None and session.is_idle():
            self.lock_now()

    # -- locking ----------------------------------------------------------------------------

    def lock_now(self) -> None:
        identity = self._session.current()
        if identity is None or self.dialog is not None:
            return
        try:
            self._session.lock()  # writes the audit entry; a failure must not keep it open
        except Exception:
            log.exception("could not record the session lock")
        self._focus = QApplication.focusWidget()
        timeout = self._session.idle_timeout
        minutes = int(timeout.total_seconds() // 60) if timeout else 0
        dialog = UnlockDialog(
            self._tr, identity.display_name, identity.username, minutes, self._window
        )
        dialog.unlock_requested.connect(self.try_unlock)
        dialog.sign_out_requested.connect(self.sign_out_requested)
        self.dialog = dialog
        self.watch.set_gate(self._drops_input)
        self.watch.set_scan_interval(LOCKED_SCAN_MS)
        self._cover_visible()
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        dialog.password.setFocus()
        self.locked.emit()

    def try_unlock(self, password: str) -> None:
        """Check ``password`` (on the runner's writer thread when there is a runner)."""
        dialog = self.dialog
        if dialog is None:
            return
        dialog.set_checking(True)
        session = self._session
        if self._runner is None:
            try:
                identity = session.unlock(password)
            except Exception as exc:
                self._refused(exc)
                return
            self._unlocked(identity)
            return
        self._runner.run(
            lambda: session.unlock(password),
            on_result=self._unlocked,
            on_error=self._refused,
            write=True,
            dialog=False,
        )

    def _unlocked(self, identity: Identity) -> None:
        self.dismiss()
        focus, self._focus = self._focus, None
        if focus is not None and shiboken6.isValid(focus) and focus.isVisible():
            focus.setFocus()
        self._session.touch()
        self.unlocked.emit(identity)

    def dismiss(self) -> None:
        """Take the covers and the unlock form away (unlocked, or signed out)."""
        self.watch.set_gate(None)
        self.watch.set_scan_interval(SCAN_INTERVAL_MS)
        for cover in self.covers:
            if shiboken6.isValid(cover):
                cover.remove()
        self.covers.clear()
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.hide()
            dialog.deleteLater()

    def _refused(self, error: BaseException) -> None:
        if self.dialog is None:
            return
        if not isinstance(error, Exception):
            raise error
        self.dialog.set_checking(False)
        self.dialog.refuse(sign_in_error_label(self._tr, error, unlocking=True))

    # -- covers -----------------------------------------------------------------------------

    def _needs_cover(self, window: QWidget) -> bool:
        if window is self.dialog or isinstance(window, LockCover):
            return False
        if not window.isWindow() or window.windowType() in FLEETING:
            return False
        return not any(shiboken6.isValid(c) and c.parentWidget() is window for c in self.covers)

    def _cover_visible(self) -> None:
        for window in self.watch.scan():
            self._cover(window)

    def _cover(self, window: QWidget) -> None:
        if self.dialog is None or not shiboken6.isValid(window) or not self._needs_cover(window):
            return
        if not window.isVisible():
            return
        self.covers.append(LockCover(window, self._tr("Casework is locked")))
        self.dialog.raise_()
        self.dialog.activateWindow()


def install_idle_lock(
    session: Session,
    tr: Translator,
    window: QWidget,
    *,
    runner: BackgroundRunner | None = None,
    on_sign_out: Callable[[], None] | None = None,
) -> IdleLock:
    """Start locking ``window`` (and every other window) after the session's idle timeout.
    Signing out from the lock signs the session out and quits, unless ``on_sign_out`` says
    otherwise."""
    idle = IdleLock(session, tr, window, runner=runner)

    def sign_out() -> None:
        idle.stop()
        idle.dismiss()
        try:
            session.sign_out()
        except Exception:
            log.exception("could not record the sign-out")
        if on_sign_out is not None:
            on_sign_out()
        else:
            QApplication.quit()

    idle.sign_out_requested.connect(sign_out)
    idle.start()
    return idle
