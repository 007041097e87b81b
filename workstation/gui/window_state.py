"""Window geometry and layout, kept in an ini file of their own (not with the preferences)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow

WINDOW_STATE_FILE = "window-state.ini"


class WindowState:
    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / WINDOW_STATE_FILE
        self._settings = QSettings(str(self.path), QSettings.Format.IniFormat)

    def restore(self, window: QMainWindow) -> bool:
        geometry = self._settings.value("main/geometry")
        state = self._settings.value("main/state")
        restored = False
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            restored = window.restoreGeometry(geometry)
        if isinstance(state, QByteArray) and not state.isEmpty():
            window.restoreState(state)
        return restored

    def save(self, window: QMainWindow) -> None:
        self._settings.setValue("main/geometry", window.saveGeometry())
        self._settings.setValue("main/state", window.saveState())
        self._settings.sync()
