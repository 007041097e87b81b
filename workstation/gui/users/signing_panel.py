"""The Users area's signing panel, for administrators: the installation's signing authority
(created here, under its own passphrase) and the users' signing keys awaiting certification
(certified here with the authority). Every action is a ``SigningService`` call on the runner;
passphrases are asked by the window's ``PassphrasePrompter`` where no keyring keeps them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from workstation.domain.identity import Identity
from workstation.gui.background import BackgroundRunner, Operation
from workstation.i18n import Translator
from workstation.security.ca import WrongPassphrase
from workstation.security.permissions import PermissionDenied
from workstation.security.secrets import SecretUnavailable
from workstation.security.signatures import CertificateView, SigningError
from workstation.security.signing import PendingKeyView, SigningService
from workstation.service_text import error_text

T = TypeVar("T")
#: What the service refuses with here, for a person to read.
REFUSALS = (SigningError, SecretUnavailable, WrongPassphrase, PermissionDenied)


@dataclass(frozen=True)
class SigningStatus:
    authority: CertificateView | None
    pending: list[PendingKeyView]


class SigningPanel(QFrame):
    #: The status was (re)loaded.
    loaded = Signal(object)
    #: An action finished: the sentence to show, and whether it is a refusal.
    said = Signal(str, bool)

    def __init__(
        self,
        signing: SigningService,
        identity: Callable[[], Identity | None],
        runner: BackgroundRunner,
        tr: Translator,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("signingPanel")
        self._signing, self._identity, self._runner, self._tr = signing, identity, runner, tr
        self.status: SigningStatus | None = None
        self.title = QLabel(tr("Signing keys"))
        self.title.setObjectName("sectionTitle")
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.create_button = QPushButton(tr("Create signing authority…"))
        self.create_button.clicked.connect(self.create_authority)
        self.certify_button = QPushButton(tr("Certify"))
        self.certify_button.clicked.connect(self.certify)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)
        buttons.addWidget(self.certify_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.status_label)
        layout.addLayout(buttons)
        self._show(None)

    def reload(self) -> Operation | None:
        who = self._identity()
        if who is None:
            return None
        signing = self._signing

        def load() -> SigningStatus:
            return SigningStatus(signing.authority(), signing.pending_keys(who))

        return self._runner.run(
            load, on_result=self._show, on_error=self._refused, label="", dialog=False
        )

    def create_authority(self) -> Operation | None:
        who = self._identity()
        if who is None:
            return None
        signing, tr = self._signing, self._tr
        return self._act(
            lambda: signing.create_ca(who),
            lambda _view: tr(
                "The signing authority was created. Users' signing keys can be certified now."
            ),
        )

    def certify(self) -> Operation | None:
        who = self._identity()
        if who is None:
            return None
        signing, tr = self._signing, self._tr
        return self._act(
            lambda: signing.certify(who),
            lambda issued: tr(
                "Certified: {usernames}. They can sign now.",
                usernames=", ".join(v.username or "?" for v in issued),
            ),
        )

    # -- inside -----------------------------------------------------------------------------

    def _act(self, call: Callable[[], T], done: Callable[[T], str]) -> Operation:
        def finished(result: T) -> None:
            self.said.emit(done(result), False)
            self.reload()

        return self._runner.run(
            call,
            on_result=finished,
            on_error=self._refused,
            label=self._tr("Saving…"),
            write=True,
        )

    def _refused(self, error: BaseException) -> None:
        if not isinstance(error, REFUSALS):
            raise error  # a bug: the global error hook reports it
        reason = error_text(error, self._tr.locale)
        self.said.emit(self._tr("Not done: {reason}", reason=reason), True)

    def _show(self, status: SigningStatus | None) -> None:
        self.status = status
        tr = self._tr
        if status is None:
            self.status_label.setText("")
            self.create_button.hide()
            self.certify_button.setEnabled(False)
        elif status.authority is None:
            self.status_label.setText(
                tr(
                    "No signing authority yet: nobody can sign approvals or documents until an "
                    "administrator creates it. Its passphrase is kept in your keyring, or you "
                    "choose one (not your own)."
                )
            )
            self.create_button.show()
            self.certify_button.setEnabled(False)
        else:
            waiting = ", ".join(f"{k.display_name} ({k.username})" for k in status.pending)
            text = tr("The signing authority is in force: it certifies each user's own key.")
            if waiting:
                text += "\n" + tr(
                    "Awaiting certification: {users}. They cannot sign until you certify.",
                    users=waiting,
                )
            else:
                text += "\n" + tr("No signing key awaits certification.")
            self.status_label.setText(text)
            self.create_button.hide()
            self.certify_button.setEnabled(bool(status.pending))
        if status is not None:
            self.loaded.emit(status)
