"""The main window as the application runs it, with everything around it.

``build_workstation_window`` is the one place that puts the running window together, for the
application (``launcher``) and for the GUI tests alike: the main window and its first loads,
the passphrase prompt of the signing keys, the idle lock, the error reporter's parent, the
garbage collection on the GUI thread, and the view ``--open`` asked for.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtWidgets import QApplication

import workstation
from workstation.gui.collector import GuiThreadCollector
from workstation.gui.errors import ErrorReporter
from workstation.gui.open_target import OpenTarget
from workstation.gui.security.idle_lock import IdleLock, install_idle_lock
from workstation.gui.security.passphrase import PassphrasePrompter
from workstation.i18n import Translator

if TYPE_CHECKING:
    from workstation.app import App
    from workstation.gui.main_window import MainWindow
    from workstation.gui.target_opener import TargetOpener

log = logging.getLogger(__name__)


@dataclass
class WorkstationWindow:
    window: MainWindow
    idle_lock: IdleLock
    collector: GuiThreadCollector
    reporter: ErrorReporter
    opener: TargetOpener

    def close(self) -> None:
        """Stop the lock and the collector, close the window (tests; the application closes
        by its window)."""
        self.idle_lock.stop()
        self.collector.stop()
        if shiboken6.isValid(self.window):
            self.window.close()


def build_workstation_window(
    app: App,
    *,
    tr: Translator,
    reporter: ErrorReporter,
    log_file: Path | None = None,
    target: OpenTarget | None = None,
) -> WorkstationWindow:
    """Build, load and show the main window for the signed-in user of ``app.session``."""
    from workstation.gui.main_window import MainWindow
    from workstation.gui.target_opener import TargetOpener

    identity = app.session.current()
    if identity is None:
        raise RuntimeError("sign in before opening the main window")
    window = MainWindow(app, reporter=reporter, log_file=log_file)
    # Where no OS keyring keeps a signing-key passphrase, the signer asks for it in a dialog.
    prompter = PassphrasePrompter(tr, lambda: window)
    app.secrets.set_ask(prompter.ask)

    def close_window() -> None:
        window.close()

    # Signing out from the lock closes the window, which ends the application.
    idle = install_idle_lock(
        app.session, tr, window, runner=window.runner, on_sign_out=close_window
    )
    window.account_menu.refresh()  # "Lock now" (Ctrl+L) works through the lock
    reporter.set_parent_provider(lambda: window)
    window.load()
    window.show()
    collector = GuiThreadCollector(window)
    collector.start()
    qapp = QApplication.instance()
    if qapp is not None:
        qapp.aboutToQuit.connect(collector.stop)
    opener = TargetOpener(window, app, tr)
    log.info(
        "Casework %s started on %s by %s (%s)",
        workstation.__version__,
        app.database.describe(),
        identity.username,
        identity.role.value,
    )
    if target is not None:
        opener.open(target)
    return WorkstationWindow(window, idle, collector, reporter, opener)
