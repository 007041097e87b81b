"""Start the GUI: ``run`` for ``workstation`` (the store opens behind the sign-in dialog),
``run_gui`` for a store already open (``workstation demo``). Both go through ``launch``, the
same start the GUI tests use, then run Qt's event loop until the window closes."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from workstation.config import Settings
from workstation.gui.qt_setup import create_qapplication, setup_qapplication
from workstation.i18n import Translator

if TYPE_CHECKING:
    from workstation.app import App

__all__ = ["create_qapplication", "run", "run_gui", "setup_qapplication"]

log = logging.getLogger(__name__)

#: The exit status of a refused ``--open`` target (as argparse's for a bad argument).
BAD_TARGET = 2


def run(
    settings: Settings,
    opener: Callable[[], App],
    *,
    user: str | None = None,
    password: str | None = None,
    open_target: str | None = None,
) -> int:
    """Run the workstation until its window closes; returns the exit code. ``opener`` opens
    the store (on a background thread, while the sign-in dialog shows)."""
    from workstation.gui.open_target import BadTarget, parse_target

    target = None
    if open_target is not None:
        try:
            target = parse_target(open_target, Translator(settings.preferences.locale))
        except BadTarget as exc:
            print(f"workstation: {exc}", file=sys.stderr)
            return BAD_TARGET
    from PySide6.QtWidgets import QApplication

    from workstation.gui.launcher import launch

    launcher = launch(settings, opener, user=user, password=password, target=target)
    qapp = QApplication.instance()
    assert isinstance(qapp, QApplication)
    launcher.cancelled.connect(qapp.quit)
    try:
        return int(qapp.exec())
    finally:
        launcher.runner.shutdown()
        if launcher.app is not None:
            launcher.app.close()


def run_gui(app: App) -> int:
    """Run the workstation on an open store until its window closes."""
    return run(app.settings, lambda: app)
