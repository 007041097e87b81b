"""Waiting for the GUI from a script (screenshots, ``BackgroundRunner.wait_idle``).

Both helpers run a nested ``QEventLoop`` woken by timers, instead of spinning
``QApplication.processEvents()`` (thousands of binding calls a second, and with PySide6 6.12.0
on Python 3.11 every such call drops a reference to ``None`` until the interpreter aborts).
Tests use ``qtbot.waitSignal`` / ``qtbot.waitUntil`` instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, QTimer

POLL_MS = 25


def wait_until(predicate: Callable[[], bool], timeout_ms: int) -> bool:
    """Run the event loop until ``predicate()`` holds or time runs out; returns the predicate."""
    if predicate():
        return True
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(POLL_MS)
    poll.timeout.connect(lambda: loop.quit() if predicate() else None)
    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.timeout.connect(loop.quit)
    poll.start()
    deadline.start(timeout_ms)
    loop.exec()
    poll.stop()
    deadline.stop()
    return predicate()


def wait_signal(signal: Any, timeout_ms: int) -> tuple[Any, ...] | None:
    """Run the event loop until ``signal`` fires (its arguments) or time runs out (None)."""
    received: list[tuple[Any, ...]] = []
    loop = QEventLoop()

    def on_signal(*args: Any) -> None:
        received.append(args)
        loop.quit()

    signal.connect(on_signal)
    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.timeout.connect(loop.quit)
    deadline.start(timeout_ms)
    loop.exec()
    deadline.stop()
    signal.disconnect(on_signal)
    return received[0] if received else None


def pause(ms: int) -> None:
    """Let the window paint for ``ms`` (after the data is there, before a grab)."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
