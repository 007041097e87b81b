"""Helpers shared by the GUI tests (imported as ``gui_helpers``: tests/ has no packages)."""

from __future__ import annotations

import dataclasses

from PySide6.QtGui import QWindow
from PySide6.QtTest import QTest

from workstation.app import App
from workstation.employees.model import EmployeeRow

LOAD_TIMEOUT_MS = 30_000
MAP_TIMEOUT_MS = 60_000


@dataclasses.dataclass
class DialogLog:
    """Message boxes that would have opened during the test (none of them blocks)."""

    shown: list[dict[str, str]] = dataclasses.field(default_factory=list)
    #: Set by a test that means to open dialogs; otherwise any dialog fails the test.
    expected: bool = False

    def texts(self) -> list[str]:
        return [d["text"] for d in self.shown]


def with_locale(app: App, locale: str) -> App:
    """The same App (same database and services) with another language chosen."""
    return dataclasses.replace(app, settings=app.settings.with_preferences(locale=locale))


def scenario(app: App, kind: str) -> dict[str, object]:
    return next(s for s in app.demo.scenarios() if s["kind"] == kind)


def scenario_employee(app: App, kind: str) -> EmployeeRow:
    """The employee playing a planted scenario, found through the demo's answer key."""
    number = str(scenario(app, kind)["employee_no"])
    rows = [r for r in app.employees.list_employees(number) if r.employee_no == number]
    assert len(rows) == 1
    return rows[0]


def diverter(app: App) -> EmployeeRow:
    return scenario_employee(app, "diverter")


def type_into(window: QWindow, text: str) -> None:
    """Type ``text`` as the window system delivers keys: to ``window``, then to its focus
    widget (``QTest.keyClicks`` on a widget would skip the window and what filters it)."""
    for char in text:
        QTest.keyClick(window, ord(char))
