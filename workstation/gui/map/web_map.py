"""The web view that shows one map page and tells when Leaflet has finished drawing it.

The page (made by ``MapService``) sets ``window.caseworkDrawn = {paths, markers}`` once it has
drawn; after ``loadFinished`` a single-shot ``QTimer`` asks for it again and again (each ask is
armed from the previous answer, so asks never pile up) until it is there or time runs out.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer, QUrl, Signal
from PySide6.QtWebEngineCore import QWebEnginePage
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

POLL_INTERVAL_MS = 100
POLL_TIMEOUT_MS = 20_000
DRAWN_SCRIPT = "window.caseworkDrawn ? JSON.stringify(window.caseworkDrawn) : null"


class _LoggingPage(QWebEnginePage):
    """Sends the page's console warnings and errors to our log."""

    def javaScriptConsoleMessage(
        self,
        level: QWebEnginePage.JavaScriptConsoleMessageLevel,
        message: str,
        line: int,
        source: str,
    ) -> None:
        if level != QWebEnginePage.JavaScriptConsoleMessageLevel.InfoMessageLevel:
            log.warning("map page: %s (%s:%s)", message, source, line)


class WebMap(QWebEngineView):
    #: Leaflet has drawn this many paths and markers.
    drawn = Signal(int, int)
    #: The page did not load, or never said it had drawn.
    failed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPage(_LoggingPage(self))
        self._generation = 0
        self._deadline_ticks = 0
        self._poll = QTimer(self)
        self._poll.setSingleShot(True)
        self._poll.setInterval(POLL_INTERVAL_MS)
        self._poll.timeout.connect(self._ask)
        self.loadFinished.connect(self._on_load_finished)
        self.last_drawn: tuple[int, int] | None = None

    def show_file(self, path: Path) -> None:
        self._generation += 1
        self._poll.stop()
        self.last_drawn = None
        self.load(QUrl.fromLocalFile(str(path)))

    def count_in_page(self, script: str, callback: Any) -> None:
        """Run ``script`` in the page and hand its value to ``callback`` (tests, diagnostics)."""
        self.page().runJavaScript(script, 0, callback)

    def _on_load_finished(self, ok: bool) -> None:
        if not ok:
            self.failed.emit("load")
            return
        self._deadline_ticks = POLL_TIMEOUT_MS // POLL_INTERVAL_MS
        self._ask()

    def _ask(self) -> None:
        generation = self._generation
        self.page().runJavaScript(DRAWN_SCRIPT, 0, lambda value: self._on_answer(generation, value))

    def _on_answer(self, generation: int, value: Any) -> None:
        if generation != self._generation:
            return  # an older page answered
        counts = _parse_counts(value)
        if counts is not None:
            self.last_drawn = counts
            self.drawn.emit(*counts)
            return
        self._deadline_ticks -= 1
        if self._deadline_ticks <= 0:
            self.failed.emit("timeout")
            return
        self._poll.start()


def _parse_counts(value: Any) -> tuple[int, int] | None:
    if not value:
        return None
    try:
        data = json.loads(value) if isinstance(value, str) else value
        return int(float(data["paths"])), int(float(data["markers"]))
    except (ValueError, KeyError, TypeError):
        log.warning("unexpected caseworkDrawn value: %r", value)
        return None
