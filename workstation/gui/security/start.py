"""Who is at the keyboard, before the main window opens."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QWidget

from workstation.domain.identity import Identity
from workstation.gui.security.first_admin_dialog import FirstAdminDialog
from workstation.gui.security.sign_in_dialog import SignInDialog
from workstation.i18n import Translator
from workstation.security.session import Session
from workstation.security.users import UserService


def sign_in_at_start(
    users: UserService,
    session: Session,
    parent: QWidget | None = None,
    *,
    tr: Translator | None = None,
    demo_password: str | None = None,
) -> Identity | None:
    """Create the first administrator (first start) or sign in; the identity is then signed in
    to ``session``. None when the user cancels: the caller should quit."""
    tr = tr or Translator()
    identity: Identity | None
    if users.needs_first_admin():
        first = FirstAdminDialog(users, tr, parent)
        accepted = first.exec() == QDialog.DialogCode.Accepted
        identity = first.identity if accepted else None
    else:
        dialog = SignInDialog(users, tr, parent, demo_password=demo_password)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        identity = dialog.identity if accepted else None
    if identity is not None:
        session.sign_in(identity)
    return identity
