"""The main window on the demo company: areas, status bar, language, window state."""

from __future__ import annotations

from collections.abc import Callable

from gui_helpers import DialogLog, with_locale

import workstation
from workstation.app import App
from workstation.gui.main_window import Area, MainWindow
from workstation.gui.window_state import WINDOW_STATE_FILE


def test_opens_on_the_employee_list_of_the_demo_company(
    demo_window: MainWindow, demo_app: App
) -> None:
    window = demo_window
    assert window.isVisible()
    assert window.current_area() is Area.EMPLOYEES
    assert window.employees_stack.currentWidget() is window.employee_list
    expected = demo_app.employees.list_employees()
    shown = [row.id for row in window.employee_list.model.rows]
    assert shown == [row.id for row in expected] and len(shown) > 10
    assert window.employee_list.table.model().rowCount() == len(expected)
    assert window.employee_list.body.currentWidget() is window.employee_list.table


def test_status_bar_shows_the_database_and_its_counts(
    demo_window: MainWindow, demo_app: App
) -> None:
    counts = demo_app.database.table_counts()
    assert demo_app.settings.sqlite_path is not None
    assert demo_app.settings.sqlite_path.name in demo_window.db_label.text()
    text = demo_window.counts_label.text()
    assert str(counts["employees"]) in text and str(counts["customers"]) in text


def test_map_selector_lists_the_same_employees(demo_window: MainWindow, demo_app: App) -> None:
    combo = demo_window.map_view.employee_combo
    assert combo.count() == len(demo_app.employees.list_employees())


def test_navigation_switches_areas(demo_window: MainWindow) -> None:
    assert demo_window.areas == [a for a in Area if a is not Area.USERS]  # HR: all but users
    for row, area in enumerate(demo_window.areas):
        demo_window.nav.setCurrentRow(row)
        assert demo_window.current_area() is area
        assert demo_window.stack.currentWidget() is demo_window.pages[area]


def test_language_follows_the_preferences(
    open_window: Callable[[App], MainWindow], demo_app: App
) -> None:
    english = open_window(with_locale(demo_app, "en"))
    assert english.nav_texts() == [
        "Alerts",
        "Policies",
        "Employees",
        "Map",
        "Cases",
        "Imports",
        "Settings",
    ]
    assert english.employee_list.model.column_headers()[:2] == ["Number", "Name"]
    chinese = open_window(with_locale(demo_app, "zh_CN"))
    assert chinese.nav_texts() == ["预警", "预警策略", "员工", "地图", "案件", "数据导入", "设置"]
    assert chinese.employee_list.model.column_headers()[:2] == ["工号", "姓名"]
    assert chinese.windowTitle() != english.windowTitle()


def test_window_geometry_is_remembered_apart_from_preferences(
    open_window: Callable[[App], MainWindow], app: App
) -> None:
    first = open_window(app)
    first.resize(777, 654)  # within the offscreen screen (800×800): restoring clamps to it
    first.close()
    state_file = app.settings.data_dir / WINDOW_STATE_FILE
    assert state_file.exists()
    assert state_file != app.settings.preferences_path
    second = open_window(app, size=None)
    assert (second.width(), second.height()) == (777, 654)


def test_about_names_the_version(demo_window: MainWindow, dialogs: DialogLog) -> None:
    dialogs.expected = True
    demo_window.about_action.trigger()
    assert len(dialogs.shown) == 1
    assert workstation.__version__ in dialogs.shown[0]["text"]


def test_quit_closes_the_window(open_window: Callable[[App], MainWindow], app: App) -> None:
    window = open_window(app)
    window.quit_action.trigger()
    assert not window.isVisible()
    assert window.runner.active_count == 0
