"""From a started process to the running window: the sign-in dialog first, the rest behind it.

``launch`` does what the application does before its event loop: logging to the data dir,
the QApplication, the global exception hook, then the ``Launcher``. The launcher shows the
sign-in dialog at once and opens the store on the background runner meanwhile (opening means
importing every service and checking the schema: about a second), so that the person types
while the store opens. Once the store is open the dialog checks passwords (on the runner's
writer thread); on the very first start, with no administrator yet, the dialog gives way to
the one that creates the administrator. Whoever signs in gets the window
``build_workstation_window`` builds; the GUI tests go through the same ``launch``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from workstation.config import Settings
from workstation.domain.identity import Identity
from workstation.gui.background import BackgroundRunner
from workstation.gui.errors import ErrorReporter, install_exception_hook
from workstation.gui.open_target import OpenTarget
from workstation.gui.qt_setup import create_qapplication
from workstation.gui.security.first_admin_dialog import FirstAdminDialog
from workstation.gui.security.sign_in_dialog import SignInDialog
from workstation.i18n import Translator
from workstation.logging_setup import configure_logging

if TYPE_CHECKING:
    from workstation.app import App
    from workstation.gui.workstation_window import WorkstationWindow

log = logging.getLogger(__name__)

#: The store starts opening once the sign-in dialog has painted, or after this long.
OPEN_AT_THE_LATEST_MS = 300


@dataclass(frozen=True)
class OpenedStore:
    """What the sign-in needs to know of the store, found out on the runner's thread."""

    app: App
    needs_first_admin: bool
    #: The demo's password when the store is the demo company (the dialog says it).
    demo_password: str | None


def open_for_sign_in(opener: Callable[[], App]) -> OpenedStore:
    app = opener()
    demo_password = None
    if app.demo.is_demo_database():
        from workstation.demo.people import DEMO_PASSWORD

        demo_password = DEMO_PASSWORD
    return OpenedStore(app, app.users.needs_first_admin(), demo_password)


class Launcher(QObject):
    #: The store is open (the ``App``).
    store_opened = Signal(object)
    #: The window runs: the ``WorkstationWindow``.
    started = Signal(object)
    #: Nobody signed in (the dialog was cancelled): nothing more will start.
    cancelled = Signal()

    def __init__(
        self,
        settings: Settings,
        opener: Callable[[], App],
        *,
        tr: Translator,
        reporter: ErrorReporter,
        log_file: Path | None = None,
        user: str | None = None,
        password: str | None = None,
        target: OpenTarget | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self._opener = opener
        self._tr = tr
        self.reporter = reporter
        self.log_file = log_file
        self._user = (user or "").strip()
        self._password = password
        self._target = target
        self.runner = BackgroundRunner(report_error=reporter.report)
        self.app: App | None = None
        self.dialog: SignInDialog | None = None
        self.first_admin: FirstAdminDialog | None = None
        self.workstation: WorkstationWindow | None = None
        self._opening = False

    # -- the steps --------------------------------------------------------------------------

    def start(self) -> None:
        """Show the sign-in dialog and open the store behind it."""
        dialog = SignInDialog(None, self._tr, username=self._user, runner=self.runner)
        dialog.signed_in.connect(self._signed_in)
        dialog.rejected.connect(self._cancel)
        self.dialog = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        if self._user and self._password:
            # as the command line does: --user NAME, the password from the environment
            dialog.set_credentials(self._user, self._password)
            dialog.attempt()
        # Opening imports a lot of Python, which holds the GIL: first let the dialog paint.
        dialog.painted.connect(self._open_store)
        QTimer.singleShot(OPEN_AT_THE_LATEST_MS, self._open_store)

    def _open_store(self) -> None:
        if self._opening:
            return
        self._opening = True
        opener = self._opener
        self.runner.run(
            lambda: open_for_sign_in(opener),
            on_result=self._store_open,
            on_error=self._store_failed,
            write=True,  # a schema upgrade writes
            dialog=False,
        )

    def _store_open(self, opened: OpenedStore) -> None:
        self.app = opened.app
        self.store_opened.emit(opened.app)
        dialog = self.dialog
        if dialog is None:
            return
        if opened.needs_first_admin:
            self._ask_for_first_admin(opened.app, dialog)
            return
        dialog.set_users(opened.app.users, opened.demo_password)

    def _store_failed(self, error: BaseException) -> None:
        log.error(
            "cannot open the database %s",
            self.settings.db_url,
            exc_info=(type(error), error, error.__traceback__),
        )
        if self.dialog is not None:
            from workstation.service_text import error_text

            reason = error_text(error, self._tr.locale)
            self.dialog.refuse(self._tr("Cannot open the database: {error}", error=reason))

    def _ask_for_first_admin(self, app: App, sign_in: SignInDialog) -> None:
        first = FirstAdminDialog(app.users, self._tr, runner=self.runner)
        first.created.connect(self._signed_in)
        first.rejected.connect(self._cancel)
        self.first_admin = first
        first.show()
        self.dialog = None
        sign_in.signed_in.disconnect(self._signed_in)
        sign_in.rejected.disconnect(self._cancel)
        sign_in.hide()
        sign_in.deleteLater()

    def _signed_in(self, identity: Identity) -> None:
        from workstation.gui.workstation_window import build_workstation_window

        app = self.app
        if app is None:  # cannot happen: passwords are checked once the store is open
            return
        app.session.sign_in(identity)
        log.info("%s signed in", identity.username)
        # From here on times and day defaults come from the store's clock (the company's zone).
        tr = Translator(self._tr.locale, app.clock)
        self.workstation = build_workstation_window(
            app, tr=tr, reporter=self.reporter, log_file=self.log_file, target=self._target
        )
        # The window shows before the dialog goes, or closing the last window would quit.
        for done in (self.dialog, self.first_admin):
            if done is not None:
                done.hide()
                done.deleteLater()
        self.dialog = self.first_admin = None
        self.started.emit(self.workstation)

    def _cancel(self) -> None:
        log.info("no one signed in; the workstation closes")
        self.cancelled.emit()


def launch(
    settings: Settings,
    opener: Callable[[], App],
    *,
    user: str | None = None,
    password: str | None = None,
    target: OpenTarget | None = None,
    parent: QObject | None = None,
) -> Launcher:
    """Everything before the event loop: logging to the data dir, the QApplication, the
    exception hook (logs and shows every unexpected error), then the launcher started."""
    log_file = configure_logging(settings.log_dir)
    qapp = create_qapplication(settings)
    tr = Translator(settings.preferences.locale)
    reporter = ErrorReporter(tr, log_file)
    install_exception_hook(reporter)
    launcher = Launcher(
        settings,
        opener,
        tr=tr,
        reporter=reporter,
        log_file=log_file,
        user=user,
        password=password,
        target=target,
        parent=parent or qapp,
    )
    launcher.start()
    return launcher
