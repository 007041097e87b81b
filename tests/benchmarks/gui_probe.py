"""Run the workstation's GUI as shipped and note when a person would see each step.

Run as a script in a fresh process (see ``test_cold_start``)::

    python gui_probe.py OUT.json USER PASSWORD EMPLOYEES -- [workstation arguments...]

It calls the console entry point (``workstation.cli.main``) with the arguments after ``--``,
so the process starts exactly as ``workstation`` does: settings, store, ``run_gui`` with its
sign-in dialog, exception hook, idle lock and collector. An observer on the GUI thread types
USER and PASSWORD into the sign-in dialog as a person would (key presses, then Enter), waits
for the main window to show EMPLOYEES employees, closes the window and writes to OUT.json
the moments (``time.monotonic()``, the system-wide monotonic clock on Linux, comparable with
the parent's) when:

- ``sign_in_shown``: the sign-in dialog is visible and exposed on the screen;
- ``sign_in_sent``: the credentials are typed and Enter pressed;
- ``main_window_shown``: the main window is visible and exposed;
- ``main_window_ready``: its first loads are done and the employee list shows EMPLOYEES rows.

The observer is started by an event posted before the QApplication exists: Qt delivers it
at the first turn of the event loop (the sign-in dialog's), so nothing in the start-up
order changes and no application-wide event filter is installed.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer

TICK_MS = 5
GIVE_UP_S = 120.0
START = QEvent.Type(QEvent.registerEventType())


class Probe(QObject):
    def __init__(self, username: str, password: str, employees: int) -> None:
        super().__init__()
        self.username = username
        self.password = password
        self.employees = employees
        self.marks: dict[str, float] = {}
        self.failure = ""
        self.timer: QTimer | None = None
        self.window: Any = None
        self.started = time.monotonic()

    def event(self, event: QEvent) -> bool:
        if event.type() == START:
            self.timer = QTimer(self)
            self.timer.setInterval(TICK_MS)
            self.timer.timeout.connect(self.tick)
            self.timer.start()
            self.tick()
            return True
        return super().event(event)

    def mark(self, name: str) -> None:
        self.marks.setdefault(name, time.monotonic())

    def tick(self) -> None:
        from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QMainWindow

        if time.monotonic() - self.started > GIVE_UP_S:
            self.failure = f"gave up after {GIVE_UP_S:.0f} s; reached {sorted(self.marks)}"
            self.close_all()
            return
        for widget in QApplication.topLevelWidgets():
            if not (widget.isVisible() and _exposed(widget)):
                continue
            if isinstance(widget, QMainWindow):
                self.on_main_window(widget)
            elif isinstance(widget, QDialog) and "sign_in_sent" not in self.marks:
                edits = widget.findChildren(QLineEdit)
                secret = [e for e in edits if e.echoMode() == QLineEdit.EchoMode.Password]
                plain = [e for e in edits if e.echoMode() == QLineEdit.EchoMode.Normal]
                if len(secret) == 1 and plain:
                    self.mark("sign_in_shown")
                    self.sign_in(plain[0], secret[0])

    def sign_in(self, user_field: Any, password_field: Any) -> None:
        from PySide6.QtTest import QTest

        user_field.setFocus()
        user_field.clear()
        QTest.keyClicks(user_field, self.username)
        password_field.setFocus()
        QTest.keyClicks(password_field, self.password)
        self.mark("sign_in_sent")
        QTest.keyClick(password_field, Qt.Key.Key_Return)

    def on_main_window(self, window: Any) -> None:
        self.mark("main_window_shown")
        self.window = window
        employee_list = getattr(window, "employee_list", None)
        if employee_list is None:
            self.failure = "the main window has no employee list (not signed in as HR?)"
            self.close_all()
            return
        rows = employee_list.model.rowCount()
        if window.runner.active_count == 0 and rows == self.employees:
            self.mark("main_window_ready")
            self.close_all()

    def close_all(self) -> None:
        from PySide6.QtWidgets import QApplication

        if self.timer is not None:
            self.timer.stop()
        if self.window is not None:
            self.window.close()
        else:
            QApplication.closeAllWindows()
            QApplication.exit(3)


def _exposed(widget: Any) -> bool:
    handle = widget.windowHandle()
    return handle is not None and handle.isExposed()


def main(argv: list[str]) -> int:
    out, username, password, employees, separator, *workstation_args = argv
    assert separator == "--", "usage: gui_probe.py OUT USER PASSWORD EMPLOYEES -- ARGS..."
    probe = Probe(username, password, int(employees))
    QCoreApplication.postEvent(probe, QEvent(START))

    from workstation.cli import main as workstation_main

    code = workstation_main(workstation_args)
    result = {"exit_code": code, "marks": probe.marks, "failure": probe.failure}
    Path(out).write_text(json.dumps(result), encoding="utf-8")
    return 0 if code == 0 and not probe.failure else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
