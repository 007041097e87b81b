"""Progress reporting and cancellation for long work, free of any UI toolkit.

The core calls ``progress(done, total, message)``; the GUI adapts it to a Qt signal, the CLI to
a text progress line. Cancellation is a flag the work checks between steps.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

ProgressCallback = Callable[[int, int, str], None]


def no_progress(done: int, total: int, message: str) -> None:
    """The default callback: report nothing."""


class Cancelled(Exception):
    """Raised by work that saw its cancel flag; nothing it did is committed."""


class CancelToken:
    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled()
