"""The workstation started as ``workstation`` starts it, driven by a script (the screenshot
scripts).

``launch`` shows the sign-in dialog with the store opening behind it; the script types a demo
user's name and password and presses Sign in, and gets the window the application builds
(``build_workstation_window``: idle lock, passphrase prompt, exception hook, collector). Signing
out goes through the Account menu, which closes the window; the next user signs in through a
new sign-in dialog on the same store, as after a restart. Where no keyring keeps the signing
keys' passphrases, the passphrase dialog is answered with the demo's password, as a person
would type it. Any other dialog that blocks (an error) ends the script with its text.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QMessageBox, QWidget

from workstation.config import Settings, load_settings
from workstation.demo.people import DEMO_PASSWORD
from workstation.demo.signing_keys import DEMO_CA_PASSPHRASE, DEMO_KEY_PASSPHRASES
from workstation.gui.errors import uninstall_exception_hook
from workstation.gui.launcher import Launcher, launch
from workstation.gui.open_target import OpenTarget
from workstation.gui.security.sign_in_dialog import SignInDialog
from workstation.gui.waiting import pause, wait_signal, wait_until

if TYPE_CHECKING:
    from workstation.app import App
    from workstation.gui.main_window import MainWindow
    from workstation.gui.workstation_window import WorkstationWindow

WINDOW_SIZE = (1400, 900)
TIMEOUT_MS = 90_000
#: How often blocking dialogs are looked for.
WATCH_MS = 100


class ScriptStopped(RuntimeError):
    """The workstation did not do what the script waited for (one line saying what)."""


class ScriptedSession:
    """One store, signed in to by one demo user after another."""

    def __init__(self, settings: Settings, *, size: tuple[int, int] = WINDOW_SIZE) -> None:
        self.settings = settings
        self.size = size
        self.app: App | None = None
        self.launcher: Launcher | None = None
        self.workstation: WorkstationWindow | None = None
        self._launchers: list[Launcher] = []
        #: Texts of the unexpected dialogs closed by the watch (the script stops on one).
        self.unexpected: list[str] = []
        self._watch = QTimer()
        self._watch.setInterval(WATCH_MS)
        self._watch.timeout.connect(self._answer_blocking_dialog)

    # -- waiting ----------------------------------------------------------------------------

    def wait_for(
        self, predicate: Callable[[], object], what: str, timeout_ms: int = TIMEOUT_MS
    ) -> None:
        if not wait_until(lambda: bool(predicate()) or bool(self.unexpected), timeout_ms):
            raise ScriptStopped(f"the workstation did not finish {what} in time")
        self._check()

    def wait_signal(
        self, signal: object, what: str, timeout_ms: int = TIMEOUT_MS
    ) -> tuple[Any, ...]:
        got = wait_signal(signal, timeout_ms)
        self._check()
        if got is None:
            raise ScriptStopped(f"the workstation did not finish {what} in time")
        return got

    def idle(self, what: str = "loading") -> None:
        """Every background operation of the window done, then a moment to paint."""
        window = self.window
        self.wait_for(lambda: window.runner.active_count == 0, what)
        pause(300)

    def _check(self) -> None:
        if self.unexpected:
            raise ScriptStopped(f"the workstation said: {self.unexpected[0]}")

    # -- signing in and out -----------------------------------------------------------------

    @property
    def window(self) -> MainWindow:
        if self.workstation is None:
            raise ScriptStopped("nobody is signed in")
        return self.workstation.window

    def _open(self) -> App:
        """The store, opened on the launcher's thread the first time (as the application
        does), the same one after that (as ``workstation demo`` hands its open store on)."""
        from workstation.app import open_app

        return self.app if self.app is not None else open_app(self.settings)

    def show_sign_in(self, target: OpenTarget | None = None) -> SignInDialog:
        """Start the workstation: its sign-in dialog, once the store behind it is open."""
        if self.workstation is not None:
            self.sign_out()
        launcher = launch(self.settings, self._open, target=target)
        self._launchers.append(launcher)
        self.launcher = launcher
        self._watch.start()
        self.wait_for(lambda: launcher.app is not None, "opening the database")
        self.app = launcher.app
        dialog = launcher.dialog
        if dialog is None:
            raise ScriptStopped("the database has no administrator yet: build the demo first")
        pause(300)
        return dialog

    def sign_in(
        self, username: str, password: str = DEMO_PASSWORD, *, target: OpenTarget | None = None
    ) -> MainWindow:
        """Sign ``username`` in through the sign-in dialog (shown first if it is not); the
        window at the session's size with its first loads done."""
        launcher = self.launcher
        if launcher is None or launcher.dialog is None or self.workstation is not None:
            self.show_sign_in(target)
            launcher = self.launcher
        assert launcher is not None and launcher.dialog is not None
        dialog = launcher.dialog
        started: list[WorkstationWindow] = []
        launcher.started.connect(started.append)
        dialog.set_credentials(username, password)
        dialog.sign_in_button.click()
        self.wait_for(lambda: started or dialog.error_text(), f"signing {username} in")
        launcher.started.disconnect(started.append)
        if not started:
            raise ScriptStopped(f"{username} could not sign in: {dialog.error_text()}")
        self.workstation = started[0]
        window = self.window
        window.resize(*self.size)
        self.idle(f"opening the window for {username}")
        pause(200)
        return window

    def sign_out(self) -> None:
        """Sign out through the Account menu (it closes the window)."""
        workstation = self.workstation
        if workstation is None:
            return
        window = workstation.window
        window.account_menu.sign_out_action.trigger()
        self.wait_for(lambda: not window.isVisible(), "signing out")
        workstation.close()
        self.workstation = None

    def close(self) -> None:
        try:
            self.sign_out()
        finally:
            self._watch.stop()
            for launcher in self._launchers:
                launcher.runner.shutdown()
            if self.app is not None:
                self.app.close()
            uninstall_exception_hook()

    # -- dialogs that block -----------------------------------------------------------------

    def _demo_passphrase(self) -> str:
        """The signed-in demo user's own signing-key passphrase (the authority's for an
        administrator, who opens only that)."""
        who = self.app.session.current() if self.app is not None else None
        if who is None or who.username not in DEMO_KEY_PASSPHRASES:
            return DEMO_CA_PASSPHRASE
        return DEMO_KEY_PASSPHRASES[who.username]

    def _answer_blocking_dialog(self) -> None:
        dialog = QApplication.activeModalWidget()
        if (
            isinstance(dialog, QInputDialog)
            and dialog.textEchoMode() == QLineEdit.EchoMode.Password
        ):
            dialog.setTextValue(self._demo_passphrase())
            dialog.accept()
        elif isinstance(dialog, QMessageBox):
            self.unexpected.append(" ".join(dialog.text().split()))
            dialog.reject()


# -- the scripts' common parts ----------------------------------------------------------------


def save(widget: QWidget, path: Path) -> Path:
    """``widget`` as it is on the screen, in a PNG file (its folder made if need be)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pixmap = widget.grab()
    if not pixmap.save(str(path), "PNG"):
        raise OSError(f"could not write {path}")
    print(f"wrote {path} ({path.stat().st_size // 1024} KB)")
    return path


def run_script(
    prog: str, take: Callable[[ScriptedSession, Path], object], argv: list[str] | None
) -> int:
    """``prog OUTDIR [--data-dir DIR] [--lang zh_CN|en]``: ``take(session, OUTDIR)`` on the
    store of the data folder; 1 with one line when the workstation did not do what was
    waited for."""
    parser = argparse.ArgumentParser(prog=prog)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--data-dir", type=Path, help="data folder holding the demo database")
    parser.add_argument("--lang", choices=("zh_CN", "en"), help="language (default: settings)")
    args = parser.parse_args(argv)
    settings = load_settings(args.data_dir)
    if args.lang:
        settings = settings.with_preferences(locale=args.lang)
    session = ScriptedSession(settings)
    try:
        take(session, args.outdir)
    except ScriptStopped as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return 1
    finally:
        session.close()
    return 0
