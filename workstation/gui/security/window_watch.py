"""See the real keyboard and mouse input of every top-level window, without an event filter on
the whole application.

An event filter written in Python and installed on the ``QApplication`` sees every event of
every object, QtWebEngine's internal ones too. PySide must wrap each receiver in a Python
object before the filter runs; wrapping one sets a dynamic property on it, whose change event
goes through the application's filters again and wraps the same object a second time, half
made. With a map on screen that crashed the process (``Fatal Python error: Segmentation
fault`` inside ``PySide::getWrapperForQObject``, called from
``sendThroughApplicationEventFilters``) within seconds.

So ``WindowWatch`` filters only what it has wrapped itself: the top-level widgets of the
application and their ``QWindow``s. Input from the window system reaches a ``QWindow`` before
Qt hands it to the widget under the mouse or with the focus, so a filter there sees every key,
click and wheel turn of that window, and can drop them. Windows appear in the watch when they
get the focus, when a watched window is blocked by a new modal one, when a watched widget is
shown, and on a periodic scan (quick while ``set_scan_interval`` says so).
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QWindow
from PySide6.QtWidgets import QApplication, QWidget

#: How often the watch looks for new top-level windows by itself.
SCAN_INTERVAL_MS = 1_000

#: Input that means someone is at the keyboard.
ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)
#: Input a gate may drop.
INPUT = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.Shortcut,
        QEvent.Type.ShortcutOverride,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.ContextMenu,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TouchEnd,
    }
)
#: Window types that come and go with a click (menus, tool tips): never watched.
FLEETING = (Qt.WindowType.Popup, Qt.WindowType.ToolTip, Qt.WindowType.SplashScreen)

#: Answers "drop this input?" for a watched window.
InputGate = Callable[[QWindow], bool]


class WindowWatch(QObject):
    #: Someone typed, clicked, moved the mouse or turned the wheel in a watched window.
    activity = Signal()
    #: A top-level widget was shown, or found visible when first watched (the widget).
    shown = Signal(object)
    #: A watched top-level widget was blocked by a modal window that just opened (the widget).
    blocked = Signal(object)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        ignore: Callable[[QWidget], bool] | None = None,
        scan_interval_ms: int = SCAN_INTERVAL_MS,
    ) -> None:
        super().__init__(parent)
        self._ignore = ignore
        self._gate: InputGate | None = None
        self._widgets: set[QWidget] = set()
        self._windows: set[QWindow] = set()
        self._scan = QTimer(self)
        self._scan.setInterval(scan_interval_ms)
        self._scan.timeout.connect(self.scan)
        self._running = False

    # -- life -------------------------------------------------------------------------------

    def start(self) -> None:
        if self._running:
            return
        self._running = True
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.focusWindowChanged.connect(self._on_focus_window)
        self.scan()
        self._scan.start()

    def stop(self) -> None:
        if not self._running:
            return
        self._running = False
        self._scan.stop()
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.focusWindowChanged.disconnect(self._on_focus_window)
        for target in [*self._widgets, *self._windows]:
            if shiboken6.isValid(target):
                target.removeEventFilter(self)
        self._widgets.clear()
        self._windows.clear()

    def set_scan_interval(self, ms: int) -> None:
        self._scan.setInterval(ms)

    def set_gate(self, gate: InputGate | None) -> None:
        """While ``gate`` is set, input to a watched window it says yes to is dropped."""
        self._gate = gate

    # -- which windows ----------------------------------------------------------------------

    def scan(self) -> list[QWidget]:
        """Watch every top-level widget not watched yet; returns the visible ones."""
        self._widgets = {w for w in self._widgets if shiboken6.isValid(w)}
        self._windows = {w for w in self._windows if shiboken6.isValid(w)}
        visible = []
        for widget in QApplication.topLevelWidgets():
            if self.watch(widget) and widget.isVisible():
                visible.append(widget)
        return visible

    def watch(self, widget: QWidget) -> bool:
        """Watch ``widget`` (a top-level) and its native window; False if it is not one to
        watch (a menu, a tool tip, or what ``ignore`` says)."""
        if not widget.isWindow() or widget.windowType() in FLEETING:
            return False
        if self._ignore is not None and self._ignore(widget):
            return False
        new = widget not in self._widgets
        if new:
            widget.installEventFilter(self)
            self._widgets.add(widget)
        handle = widget.windowHandle()
        if handle is not None and handle not in self._windows:
            handle.installEventFilter(self)
            self._windows.add(handle)
        if new and widget.isVisible():
            self.shown.emit(widget)  # it opened before the watch knew of it
        return True

    def is_watched(self, widget: QWidget) -> bool:
        handle = widget.windowHandle()
        return widget in self._widgets and (handle is None or handle in self._windows)

    def _on_focus_window(self, window: QWindow | None) -> None:
        if window is not None and window not in self._windows:
            self.scan()

    # -- events -----------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if isinstance(watched, QWindow):
            if kind in ACTIVITY:
                self.activity.emit()
            gate = self._gate
            return kind in INPUT and gate is not None and gate(watched)
        if isinstance(watched, QWidget):
            if kind == QEvent.Type.Show:
                self.watch(watched)  # its native window exists now
                if watched.isWindow():
                    self.shown.emit(watched)
            elif kind == QEvent.Type.WindowBlocked:
                self.scan()  # the modal window that blocks it is new
                self.blocked.emit(watched)
        return False
