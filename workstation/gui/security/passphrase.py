"""Asking for a signing-key passphrase where no OS keyring keeps it.

Signing runs on the background runner's worker threads, and a dialog may only be shown on the
GUI thread: ``PassphrasePrompter.ask`` (given to ``SecretStore.set_ask``) hands the question to
the GUI thread through a queued signal and waits for the answer; asked on the GUI thread it
shows the dialog at once. One question at a time.

The dialog says whose key it opens (the signed-in user's own, or the installation's signing
authority, asked of an administrator); a passphrase chosen for a new key is typed twice.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from workstation.i18n import Translator
from workstation.security.secrets import PassphraseQuestion


class PassphrasePrompter(QObject):
    _asked = Signal(object)

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

    def ask(self, question: PassphraseQuestion) -> str | None:
        """The passphrase the user typed, or None when they cancelled (any thread)."""
        if QThread.currentThread() is self.thread():
            return self._dialog(question)
        with self._one_at_a_time:
            self._answered.clear()
            self._asked.emit(question)  # queued: runs _ask_here on the GUI thread
            self._answered.wait()
            return self._answer

    @Slot(object)
    def _ask_here(self, question: PassphraseQuestion) -> None:
        try:
            self._answer = self._dialog(question)
        finally:
            self._answered.set()

    def _label(self, question: PassphraseQuestion) -> str:
        tr = self._tr
        if question.for_authority and question.new:
            return tr(
                "No keyring on this computer keeps passphrases. Choose the passphrase of this "
                "installation's signing authority ({person}, administrator): it certifies "
                "every user's signing key, so keep it apart from your own"
                " (at least 10 characters).",
                person=question.person,
            )
        if question.for_authority:
            return tr(
                "Type the passphrase of this installation's signing authority to certify "
                "signing keys ({person}, administrator).",
                person=question.person,
            )
        if question.new:
            return tr(
                "No keyring on this computer keeps passphrases. Choose the passphrase of the "
                "signing key of {person} ({username}); only you should know it"
                " (at least 10 characters).",
                person=question.person,
                username=question.owner,
            )
        return tr(
            "No keyring on this computer keeps the passphrase of your signing key; type it to "
            "sign.\n(the signing key of {person}, {username})",
            person=question.person,
            username=question.owner,
        )

    def _dialog(self, question: PassphraseQuestion) -> str | None:
        tr = self._tr
        title = (
            tr("Signing authority passphrase")
            if question.for_authority
            else tr("Signing key passphrase")
        )
        text = self._get(title, self._label(question))
        if text is None or not question.new:
            return text
        again = self._get(title, tr("Type the same passphrase again."))
        while again is not None and again != text:
            again = self._get(
                title, tr("The two passphrases differ. Type the same passphrase again.")
            )
        return text if again == text else None

    def _get(self, title: str, label: str) -> str | None:
        text, ok = QInputDialog.getText(self._parent(), title, label, QLineEdit.EchoMode.Password)
        return text if ok and text else None
