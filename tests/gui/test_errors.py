"""The global exception hook logs every unexpected error with its traceback and shows it."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from gui_helpers import DialogLog
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from workstation.app import App
from workstation.gui import application
from workstation.gui.errors import (
    ErrorReporter,
    install_exception_hook,
    installed_reporter,
    uninstall_exception_hook,
)
from workstation.gui.launcher import Launcher
from workstation.gui.security.idle_lock import IdleLock
from workstation.gui.workstation_window import WorkstationWindow
from workstation.i18n import Translator
from workstation.logging_setup import configure_logging


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    path = configure_logging(tmp_path / "logs")
    yield path
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "baseFilename", None) == str(path):
            root.removeHandler(handler)
            handler.close()


@pytest.fixture
def reporter(log_file: Path, dialogs: DialogLog, qapp: QApplication) -> Iterator[ErrorReporter]:
    dialogs.expected = True
    hook = install_exception_hook(ErrorReporter(Translator("en"), log_file))
    yield hook
    uninstall_exception_hook()


def _flush_logs() -> None:
    for handler in logging.getLogger().handlers:
        handler.flush()


def test_the_hook_logs_the_traceback_and_shows_a_dialog(
    reporter: ErrorReporter, log_file: Path, dialogs: DialogLog
) -> None:
    assert sys.excepthook == reporter.excepthook and installed_reporter() is reporter
    try:
        raise RuntimeError("the disk is on fire")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())
    assert len(dialogs.shown) == 1
    shown = dialogs.shown[0]
    assert "the disk is on fire" in shown["text"]
    assert str(log_file) in shown["informative"]
    assert "Traceback" in shown["details"] and "RuntimeError" in shown["details"]
    _flush_logs()
    logged = log_file.read_text(encoding="utf-8")
    assert "the disk is on fire" in logged and "Traceback (most recent call last)" in logged


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_slot_reaches_the_hook(
    reporter: ErrorReporter, dialogs: DialogLog, qtbot: QtBot
) -> None:
    def broken_slot() -> None:
        raise KeyError("missing employee 17")

    with qtbot.waitSignal(reporter.reported, timeout=5000) as reported:
        QTimer.singleShot(0, broken_slot)
    assert "missing employee 17" in reported.args[0]
    assert dialogs.shown and "missing employee 17" in dialogs.shown[0]["text"]


def test_an_error_in_another_thread_is_shown_on_the_gui_thread(
    reporter: ErrorReporter, dialogs: DialogLog, qtbot: QtBot
) -> None:
    def crash() -> None:
        raise ValueError("worker thread broke")

    worker = threading.Thread(target=crash)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(dialogs.shown), timeout=5000)
    assert "worker thread broke" in dialogs.shown[0]["text"]


def test_errors_while_the_dialog_is_open_are_only_logged(
    reporter: ErrorReporter, dialogs: DialogLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    original_exec = QMessageBox.exec

    def exec_that_fails_again(box: QMessageBox) -> int:
        reporter.report(RuntimeError("second failure"))
        return original_exec(box)

    monkeypatch.setattr(QMessageBox, "exec", exec_that_fails_again)
    reporter.report(RuntimeError("first failure"))
    assert [d["text"] for d in dialogs.shown] == [
        Translator("en")("The last action failed: {message}", message="first failure")
    ]


def test_run_gui_installs_the_hook_logs_to_the_data_dir_and_locks_the_window(
    app: App, dialogs: DialogLog, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    """``run_gui`` as it runs; only Qt's event loop is the test's: it answers the first-start
    dialog (a fresh store has no administrator), looks at the window and closes it."""
    seen: dict[str, Any] = {}

    def event_loop(qapp: QApplication) -> int:
        hook = installed_reporter()
        seen["hook"] = hook is not None and sys.excepthook == hook.excepthook
        seen["log_file"] = hook.log_file if hook is not None else None
        launcher = next(x for x in qapp.findChildren(Launcher) if x.settings is app.settings)
        qtbot.waitUntil(lambda: launcher.first_admin is not None, timeout=30_000)
        first = launcher.first_admin
        assert first is not None
        first.fill("admin.wu", "吴管理员", "Casework-2026", "Casework-2026")
        with qtbot.waitSignal(launcher.started, timeout=30_000) as started:
            first.create_admin()
        workstation: WorkstationWindow = started.args[0]
        seen["visible"] = workstation.window.isVisible()
        seen["locks"] = workstation.window.findChildren(IdleLock)
        seen["user"] = app.session.current()
        workstation.close()
        launcher.workstation = None
        return 0

    monkeypatch.setattr(QApplication, "exec", event_loop)
    try:
        assert application.run_gui(app) == 0
        assert seen["hook"] and seen["visible"] and len(seen["locks"]) == 1
        assert seen["log_file"] is not None and seen["log_file"].parent == app.settings.log_dir
        assert seen["user"] is not None and seen["user"].username == "admin.wu"
    finally:
        uninstall_exception_hook()
        root = logging.getLogger()
        for handler in list(root.handlers):
            if str(app.settings.log_dir) in str(getattr(handler, "baseFilename", "")):
                root.removeHandler(handler)
                handler.close()
