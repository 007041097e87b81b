"""The background helper: results and errors come back on the GUI thread, writes are serial,
slow work gets a busy cursor and then a progress dialog that can cancel it."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt, QThread
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from workstation.domain.progress import Cancelled, CancelToken, ProgressCallback
from workstation.gui.background import BackgroundRunner

TIMEOUT_MS = 10_000


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


@pytest.fixture
def errors() -> list[BaseException]:
    return []


@pytest.fixture
def runner(parent: QWidget, errors: list[BaseException]) -> Iterator[BackgroundRunner]:
    background = BackgroundRunner(parent, report_error=errors.append)
    yield background
    background.shutdown()


def test_result_arrives_on_the_gui_thread(runner: BackgroundRunner, qtbot: QtBot) -> None:
    threads: dict[str, QThread] = {}
    results: list[int] = []

    def work() -> int:
        threads["work"] = QThread.currentThread()
        return 42

    def on_result(value: int) -> None:
        threads["result"] = QThread.currentThread()
        results.append(value)

    op = runner.run(work, on_result=on_result)
    with qtbot.waitSignal(op.finished, timeout=TIMEOUT_MS):
        pass
    assert results == [42] and op.result == 42 and op.done
    gui = QApplication.instance().thread()
    assert threads["result"] is gui and threads["work"] is not gui


def test_errors_go_to_the_reporter_unless_the_view_handles_them(
    runner: BackgroundRunner, errors: list[BaseException], qtbot: QtBot
) -> None:
    def fail() -> None:
        raise ValueError("no such employee")

    op = runner.run(fail)
    with qtbot.waitSignal(op.failed, timeout=TIMEOUT_MS) as failed:
        pass
    assert isinstance(failed.args[0], ValueError) and errors == [failed.args[0]]
    assert errors[0].__traceback__ is not None

    handled: list[BaseException] = []
    op = runner.run(fail, on_error=handled.append)
    with qtbot.waitSignal(op.finished, timeout=TIMEOUT_MS):
        pass
    assert len(handled) == 1 and len(errors) == 1


def test_writes_run_one_at_a_time(runner: BackgroundRunner, qtbot: QtBot) -> None:
    lock = threading.Lock()
    overlaps: list[bool] = []
    release = threading.Event()

    def write() -> None:
        got = lock.acquire(blocking=False)
        overlaps.append(not got)
        release.wait(TIMEOUT_MS / 1000)
        if got:
            lock.release()

    ops = [runner.run(write, write=True) for _ in range(3)]
    release.set()
    with qtbot.waitSignal(runner.idle, timeout=TIMEOUT_MS):
        pass
    assert all(op.done for op in ops) and overlaps == [False, False, False]
    assert runner.write_pool.maxThreadCount() == 1


def test_a_newer_request_discards_the_older_result(runner: BackgroundRunner, qtbot: QtBot) -> None:
    go = threading.Event()
    seen: list[str] = []
    old = runner.run(lambda: go.wait(TIMEOUT_MS / 1000) and "old", on_result=seen.append)
    old.discard()
    new = runner.run(lambda: "new", on_result=seen.append)
    go.set()
    with qtbot.waitSignal(runner.idle, timeout=TIMEOUT_MS):
        pass
    assert seen == ["new"] and old.done and new.done


def test_slow_work_shows_progress_and_can_be_cancelled(
    runner: BackgroundRunner, parent: QWidget, qtbot: QtBot
) -> None:
    runner.busy_delay_ms, runner.dialog_delay_ms = 10, 20
    reported = threading.Event()
    steps: list[int] = []

    def slow(progress: ProgressCallback, cancel: CancelToken) -> str:
        for step in range(1_000_000):
            progress(step, 100, f"step {step}")
            steps.append(step)
            reported.set()
            cancel.raise_if_cancelled()
            threading.Event().wait(0.005)  # the worker's pace, not the test's
        return "finished"

    op = runner.run(slow, progress=True, label="Building")
    qtbot.waitUntil(lambda: QApplication.overrideCursor() is not None, timeout=TIMEOUT_MS)

    def dialog() -> QProgressDialog | None:
        found = parent.findChildren(QProgressDialog)
        return found[0] if found and found[0].isVisible() else None

    qtbot.waitUntil(lambda: dialog() is not None, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: dialog().maximum() == 100, timeout=TIMEOUT_MS)
    assert "Building" in dialog().labelText()
    cancel_button = dialog().findChild(QPushButton)
    assert cancel_button is not None and cancel_button.isVisible()
    with qtbot.waitSignal(op.cancelled, timeout=TIMEOUT_MS):
        qtbot.mouseClick(cancel_button, Qt.MouseButton.LeftButton)
    assert op.was_cancelled and op.result is None and op.error is None
    assert QApplication.overrideCursor() is None
    qtbot.waitUntil(lambda: not parent.findChildren(QProgressDialog), timeout=TIMEOUT_MS)


def test_quick_work_shows_neither_cursor_nor_dialog(
    runner: BackgroundRunner, parent: QWidget, qtbot: QtBot
) -> None:
    op = runner.run(lambda: 1, label="Quick")
    with qtbot.waitSignal(op.finished, timeout=TIMEOUT_MS):
        pass
    assert QApplication.overrideCursor() is None
    assert not [d for d in parent.findChildren(QProgressDialog) if d.isVisible()]


def test_synchronous_mode_for_tests(parent: QWidget, errors: list[BaseException]) -> None:
    runner = BackgroundRunner(parent, synchronous=True, report_error=errors.append)
    results: list[int] = []
    op = runner.run(lambda: 7, on_result=results.append)
    assert results == [7] and op.done  # delivered before run() returned

    def fail() -> None:
        raise RuntimeError("boom")

    runner.run(fail)
    assert [str(e) for e in errors] == ["boom"]
    cancelled: list[bool] = []

    def stop(progress: ProgressCallback, cancel: CancelToken) -> None:
        raise Cancelled()

    runner.run(stop, progress=True, on_cancelled=lambda: cancelled.append(True))
    assert cancelled == [True]


def test_progress_work_must_take_progress_and_cancel(runner: BackgroundRunner) -> None:
    with pytest.raises(TypeError, match="progress, cancel"):
        runner.run(lambda: None, progress=True)


def test_wait_idle_for_scripts(runner: BackgroundRunner) -> None:
    release = threading.Event()
    op = runner.run(lambda: release.wait(TIMEOUT_MS / 1000) and "done")
    assert not runner.wait_idle(timeout_ms=50)  # still running: times out, returns False
    release.set()
    assert runner.wait_idle(timeout_ms=TIMEOUT_MS)
    assert op.done and op.result == "done" and runner.active_count == 0
