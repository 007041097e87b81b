"""Asking for a signing-key passphrase where no OS keyring keeps it.

Signing runs on the background runner's worker threads, and a dialog may only be shown on the
GUI thread: ``PassphrasePrompter.ask`` (given to ``SecretStore.set_ask``) hands the question to
the GUI thread through a queued signal and waits for the answer; asked on the GUI thread it
shows the dialog at once. One question at a time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from workstation.i18n import Translator


class PassphrasePrompter(QObject):
    _asked = Signal(str)

    def __init__(
        self, tr: Translator, parent_provider: Callable[[], QWidget | None] = lambda: None
    ) -> None:
        super().__init__()
        self._tr = tr
        self._parent = parent_provider
        self._one_at_a_time = threading.Lock()
        self._answered = threading.Event()
        self._answer: str | None = None
        self._asked.connect(self._ask_here)

    def ask(self, prompt: str) -> str | None:
        """The passphrase the user typed, or None when they cancelled (any thread)."""
        if QThread.currentThread() is self.thread():
            return self._dialog(prompt)
        with self._one_at_a_time:
            self._answered.clear()
            self._asked.emit(prompt)  # queued: runs _ask_here on the GUI thread
            self._answered.wait()
            return self._answer

    @Slot(str)
    def _ask_here(self, prompt: str) -> None:
        try:
            self._answer = self._dialog(prompt)
        finally:
            self._answered.set()

    def _dialog(self, prompt: str) -> str | None:
        tr = self._tr
        label = tr(
            "No keyring on this computer keeps the passphrase of your signing key; type it to "
            "sign.\n({prompt})",
            prompt=prompt,
        )
        text, ok = QInputDialog.getText(
            self._parent(), tr("Signing key passphrase"), label, QLineEdit.EchoMode.Password
        )
        return text if ok and text else None
