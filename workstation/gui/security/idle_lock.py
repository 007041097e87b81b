"""Lock the workstation after idle time; unlock with the signed-in user's password.

``IdleLock`` watches every keyboard and mouse event of the application (an event filter on
the QApplication) and tells the ``Session`` (``touch``). A timer asks ``session.is_idle()``;
once it says yes the session locks, every open window gets an opaque ``LockCover``, and an
application-modal ``UnlockDialog`` asks for the password. While locked, input anywhere but
that dialog is dropped (shortcuts too), and windows that open meanwhile are covered as well.
Background work goes on behind the covers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import QApplication, QWidget

from workstation.domain.identity import Identity
from workstation.gui.background import BackgroundRunner
from workstation.gui.security.labels import sign_in_error_label
from workstation.gui.security.lock_cover import LockCover
from workstation.gui.security.unlock_dialog import UnlockDialog
from workstation.i18n import Translator
from workstation.security.session import Session

log = logging.getLogger(__name__)

#: How often the timer asks whether the idle time is up.
CHECK_INTERVAL_MS = 15_000

_ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)
_INPUT = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.Shortcut,
        QEvent.Type.ShortcutOverride,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.Wheel,
        QEvent.Type.ContextMenu,
        QEvent.Type.TouchBegin,
    }
)


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

    @property
    def is_locked(self) -> bool:
        return self.dialog is not None

    def start(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._session.touch()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    # -- watching ---------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if self.dialog is None:
            if kind in _ACTIVITY:
                self._session.touch()
            return False
        if kind == QEvent.Type.Show and isinstance(watched, QWidget):
            if watched.isWindow() and self._needs_cover(watched):
                QTimer.singleShot(0, lambda: self._cover(watched))
            return False
        return kind in _INPUT and not self._inside_dialog(watched)

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
        for window in QApplication.topLevelWidgets():
            if window.isVisible() and self._needs_cover(window):
                self._cover(window)
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
        for cover in self.covers:
            if shiboken6.isValid(cover):
                cover.remove()
        self.covers.clear()
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.hide()
            dialog.deleteLater()
        focus, self._focus = self._focus, None
        if focus is not None and shiboken6.isValid(focus) and focus.isVisible():
            focus.setFocus()
        self._session.touch()
        self.unlocked.emit(identity)

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
        if window.windowType() in (
            Qt.WindowType.Popup,
            Qt.WindowType.ToolTip,
            Qt.WindowType.SplashScreen,
        ):
            return False
        return not any(shiboken6.isValid(c) and c.parentWidget() is window for c in self.covers)

    def _cover(self, window: QWidget) -> None:
        if self.dialog is None or not shiboken6.isValid(window) or not self._needs_cover(window):
            return
        self.covers.append(LockCover(window, self._tr("Casework is locked")))
        self.dialog.raise_()
        self.dialog.activateWindow()

    def _inside_dialog(self, watched: QObject) -> bool:
        dialog = self.dialog
        if dialog is None:
            return True
        if isinstance(watched, QWidget):
            return watched is dialog or dialog.isAncestorOf(watched)
        if isinstance(watched, QWindow):
            return watched is dialog.windowHandle()
        return False


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
