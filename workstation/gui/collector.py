"""Garbage collection on the GUI thread only.

Python's cyclic collector runs on whichever thread happens to allocate when a threshold is
crossed, and the background runner's worker threads allocate plenty. A collection there can
destroy unreachable Qt widgets off the GUI thread, which Qt does not allow and which crashes
now and then. So automatic collection is switched off while the window runs and a timer on the
GUI thread collects instead: the young generations often (cheap), everything once a minute.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

#: How often the young generations are collected, and every how many of those everything is.
YOUNG_EVERY_MS = 2_000
FULL_EVERY = 30


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ticks = 0
        self._timer = QTimer(self)
        self._timer.setInterval(YOUNG_EVERY_MS)
        self._timer.timeout.connect(self.collect)

    def start(self) -> None:
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        gc.enable()

    def collect(self) -> int:
        """One timer tick's collection (on the GUI thread); returns what it freed."""
        self._ticks += 1
        if self._ticks % FULL_EVERY == 0:
            return gc.collect()
        return gc.collect(1)
