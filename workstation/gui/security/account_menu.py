"""The signed-in user's menu: who is signed in, change my password, lock now, sign out.

Locking and signing out go through the window's ``IdleLock`` when one is installed (every
window ``build_workstation_window`` builds); without one "Lock now" is hidden and signing out
ends the session and asks the window to close (``signed_out``).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from workstation.gui.background import BackgroundRunner
from workstation.gui.security.change_password_dialog import ChangePasswordDialog
from workstation.gui.security.idle_lock import IdleLock
from workstation.gui.security.labels import role_label
from workstation.i18n import Translator
from workstation.security.session import Session
from workstation.security.users import UserService

log = logging.getLogger(__name__)


def signed_in_text(tr: Translator, session: Session) -> str:
    """ "Signed in: <display name> · <role>" (the role once when it is the name, as for the
    demo's 系统管理员), or that nobody is."""
    identity = session.current()
    if identity is None:
        return tr("Nobody is signed in")
    role = role_label(tr, identity.role)
    if identity.display_name.strip() == role:
        return tr("Signed in: {name}", name=role)
    return tr("Signed in: {name} · {role}", name=identity.display_name, role=role)


class AccountMenu(QMenu):
    #: The change-password dialog is showing (the dialog).
    dialog_opened = Signal(object)
    #: The session ended without an idle lock to quit the application: close the window.
    signed_out = Signal()

    def __init__(
        self,
        users: UserService,
        session: Session,
        tr: Translator,
        window: QWidget,
        *,
        runner: BackgroundRunner | None = None,
    ) -> None:
        super().__init__(tr("&Account"), window)
        self._runner = runner
        self._users = users
        self._session = session
        self._tr = tr
        self._window = window
        self.dialog: ChangePasswordDialog | None = None

        self.who_action = QAction(signed_in_text(tr, session), self)
        self.who_action.setEnabled(False)
        self.change_password_action = QAction(tr("Change my password…"), self)
        self.change_password_action.triggered.connect(self.change_password)
        self.lock_action = QAction(tr("Lock now"), self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lock)
        self.sign_out_action = QAction(tr("Sign out and quit"), self)
        self.sign_out_action.triggered.connect(self.sign_out)
        self.addAction(self.who_action)
        self.addSeparator()
        self.addAction(self.change_password_action)
        self.addAction(self.lock_action)
        self.addSeparator()
        self.addAction(self.sign_out_action)
        self.aboutToShow.connect(self.refresh)
        self.refresh()

    def idle_lock(self) -> IdleLock | None:
        return self._window.findChild(IdleLock)

    def refresh(self) -> None:
        signed_in = self._session.current() is not None
        self.who_action.setText(signed_in_text(self._tr, self._session))
        self.change_password_action.setEnabled(signed_in)
        self.lock_action.setVisible(signed_in and self.idle_lock() is not None)
        self.sign_out_action.setEnabled(signed_in)

    def change_password(self) -> ChangePasswordDialog | None:
        identity = self._session.current()
        if identity is None:
            return None
        dialog = ChangePasswordDialog(
            self._users, identity, self._tr, self._window, runner=self._runner
        )
        self.dialog = dialog
        dialog.open()
        self.dialog_opened.emit(dialog)
        return dialog

    def lock(self) -> None:
        idle = self.idle_lock()
        if idle is not None:
            idle.lock_now()

    def sign_out(self) -> None:
        idle = self.idle_lock()
        if idle is not None:
            idle.sign_out_requested.emit()  # signs out and quits (``install_idle_lock``)
            return
        try:
            self._session.sign_out()
        except Exception:
            log.exception("could not record the sign-out")
        self.signed_out.emit()
