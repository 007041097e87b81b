"""Sign-in, the first administrator, and the idle lock."""

from workstation.gui.security.first_admin_dialog import FirstAdminDialog
from workstation.gui.security.idle_lock import IdleLock, install_idle_lock
from workstation.gui.security.sign_in_dialog import SignInDialog
from workstation.gui.security.unlock_dialog import UnlockDialog

__all__ = [
    "FirstAdminDialog",
    "IdleLock",
    "SignInDialog",
    "UnlockDialog",
    "install_idle_lock",
]
