"""Windows opened the way ``workstation`` opens them, for the GUI tests (imported as
``shipped``; the ``shipped`` and ``open_window`` fixtures of conftest use it).

``launch`` is the application's own start: logging to the data dir, the exception hook, the
sign-in dialog with the store opening behind it; signing in builds the window with its idle
lock, passphrase prompt and GUI-thread collector (``build_workstation_window``)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from acting import DEMO_USERNAMES, TEST_PASSWORD, identity_for
from gui_helpers import LOAD_TIMEOUT_MS
from PySide6.QtCore import Qt

from workstation.app import App
from workstation.config import Settings
from workstation.demo.people import DEMO_PASSWORD
from workstation.gui.errors import uninstall_exception_hook
from workstation.gui.launcher import Launcher, launch
from workstation.gui.open_target import OpenTarget
from workstation.gui.workstation_window import WorkstationWindow


def credentials(app: App) -> tuple[str, str]:
    """The username and password of a real user with the role of whoever is signed in to
    ``app`` (created when the test signed in an identity without a user row)."""
    signed_in = app.session.current()
    assert signed_in is not None, "sign a role in first (acting.sign_in_as)"
    identity = signed_in if signed_in.user_id else identity_for(app, signed_in.role)
    demo = identity.username in DEMO_USERNAMES.values() and app.demo.is_demo_database()
    return identity.username, DEMO_PASSWORD if demo else TEST_PASSWORD


class Shipped:
    """Opens windows the way ``workstation`` does, and closes them after the test."""

    def __init__(self, qtbot: Any) -> None:
        self.qtbot = qtbot
        self.launchers: list[Launcher] = []
        self.started: list[WorkstationWindow] = []

    def launch(
        self,
        app: App,
        target: OpenTarget | None = None,
        *,
        user: str | None = None,
        password: str | None = None,
    ) -> Launcher:
        """``launch`` as the application runs it, on ``app``'s store: the sign-in dialog
        shows (``user`` and ``password``: as given by ``--user`` and the environment)."""
        return self.launch_with(app.settings, lambda: app, target, user=user, password=password)

    def launch_with(
        self,
        settings: Settings,
        opener: Callable[[], App],
        target: OpenTarget | None = None,
        *,
        user: str | None = None,
        password: str | None = None,
    ) -> Launcher:
        launcher = launch(settings, opener, user=user, password=password, target=target)
        self.launchers.append(launcher)
        return launcher

    def sign_in(self, launcher: Launcher, username: str, password: str) -> WorkstationWindow:
        """Type the credentials into the sign-in dialog and press Sign in."""
        dialog = launcher.dialog
        assert dialog is not None and dialog.isVisible()
        dialog.set_credentials(username, password)
        with self.qtbot.waitSignal(launcher.started, timeout=LOAD_TIMEOUT_MS) as started:
            self.qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
        return self.adopt(launcher, started.args[0])

    def adopt(self, launcher: Launcher, workstation: WorkstationWindow) -> WorkstationWindow:
        """Close ``workstation`` after the test (pytest-qt deletes its window)."""
        assert launcher in self.launchers
        self.qtbot.addWidget(workstation.window)
        self.started.append(workstation)
        return workstation

    def open(
        self, app: App, size: tuple[int, int] | None = (1400, 900), target: OpenTarget | None = None
    ) -> WorkstationWindow:
        """Launch on ``app`` and sign its user in through the dialog; the window's first loads
        finished (shown at ``size``; None: the remembered geometry)."""
        username, password = credentials(app)
        workstation = self.sign_in(self.launch(app, target), username, password)
        window = workstation.window
        if size is not None:
            window.resize(*size)
        self.qtbot.waitUntil(lambda: window.runner.active_count == 0, timeout=LOAD_TIMEOUT_MS)
        return workstation

    def close(self) -> None:
        for workstation in self.started:
            workstation.close()
        for launcher in self.launchers:
            for dialog in (launcher.dialog, launcher.first_admin):
                if dialog is not None:
                    dialog.hide()
            launcher.runner.shutdown()
            # The launcher stays a child of the QApplication, as in the application; what it
            # holds goes.
            launcher.workstation = None
            launcher.app = None
            if launcher.log_file is not None:
                _stop_logging_to(str(launcher.log_file))
        self.started.clear()
        self.launchers.clear()
        uninstall_exception_hook()


def _stop_logging_to(path: str) -> None:
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "baseFilename", None) == path:
            root.removeHandler(handler)
            handler.close()
