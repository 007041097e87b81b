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
from workstation.gui.main_window import MainWindow
from workstation.gui.security.idle_lock import IdleLock
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


def test_run_gui_installs_the_hook_and_logs_to_the_data_dir(
    app: App, dialogs: DialogLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QApplication, "exec", lambda self: 0)
    asked: list[bool] = []

    def first_start(users: Any, session: Any, **_kwargs: Any) -> Any:
        """The first-start dialog, answered (the dialogs have tests of their own)."""
        asked.append(users.needs_first_admin())
        identity = users.create_first_admin("admin.wu", "吴管理员", "Casework-2026")
        session.sign_in(identity)
        return identity

    monkeypatch.setattr(application, "sign_in_at_start", first_start)
    try:
        assert application.run_gui(app) == 0
        assert asked == [True] and app.session.current() is not None
        hook = installed_reporter()
        assert hook is not None and sys.excepthook == hook.excepthook
        assert hook.log_file is not None and hook.log_file.parent == app.settings.log_dir
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        assert any(w.isVisible() and w.app is app for w in windows)
        assert any(w.findChildren(IdleLock) for w in windows if w.app is app)
    finally:
        uninstall_exception_hook()
        for w in QApplication.topLevelWidgets():
            if isinstance(w, MainWindow) and w.app is app:
                for lock in w.findChildren(IdleLock):
                    lock.stop()  # it filters the whole application's events
                w.close()
                w.deleteLater()
        root = logging.getLogger()
        for handler in list(root.handlers):
            if str(app.settings.log_dir) in str(getattr(handler, "baseFilename", "")):
                root.removeHandler(handler)
                handler.close()
