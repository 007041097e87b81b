"""The employee list and the employee file on the demo company."""

from __future__ import annotations

from gui_helpers import LOAD_TIMEOUT_MS, MAP_TIMEOUT_MS, diverter, scenario_employee
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from workstation.app import App
from workstation.gui.employees.file_models import ownership_highlight
from workstation.gui.main_window import Area, MainWindow
from workstation.gui.widgets.table_model import ROW_ROLE, Highlight


def test_search_filters_by_name_and_by_number(
    demo_window: MainWindow, demo_app: App, qtbot: QtBot
) -> None:
    view = demo_window.employee_list
    target = diverter(demo_app)
    total = view.proxy.rowCount()

    view.search.setText(target.name)  # QTest cannot type Chinese; setText is what an IME does
    by_name = {r.id for r in demo_app.employees.list_employees(target.name)}
    assert set(view.visible_employee_ids()) == by_name
    assert target.id in by_name and len(by_name) < total

    view.search.clear()
    assert view.proxy.rowCount() == total
    number = target.employee_no[-4:].lower()
    qtbot.keyClicks(view.search, number)
    by_number = {r.id for r in demo_app.employees.list_employees(number)}
    assert set(view.visible_employee_ids()) == by_number and target.id in by_number
    assert str(len(by_number)) in view.count_label.text()

    view.search.clear()
    view.search.setText("不存在的人")
    assert view.proxy.rowCount() == 0


def test_columns_sort(demo_window: MainWindow) -> None:
    view = demo_window.employee_list
    column = view.model.column_headers().index(view._tr("Customers held"))
    view.table.sortByColumn(column, Qt.SortOrder.DescendingOrder)
    held = [view.proxy.index(r, 0).data(ROW_ROLE).customers_held for r in range(5)]
    assert held == sorted(held, reverse=True)
    assert held[0] == max(r.customers_held for r in view.model.rows)


def test_enter_opens_the_diverters_file_with_his_lost_customers(
    demo_window: MainWindow, demo_app: App, qtbot: QtBot
) -> None:
    target = diverter(demo_app)
    expected = demo_app.employees.employee_file(target.id)
    assert expected.lost_customers, "the demo diverter should have lost customers"

    view = demo_window.employee_list
    qtbot.keyClicks(view.search, target.employee_no)
    view.table.setFocus()
    view.table.setCurrentIndex(view.proxy.index(0, 0))
    file_view = demo_window.employee_file
    with qtbot.waitSignal(file_view.loaded, timeout=LOAD_TIMEOUT_MS) as loaded:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert loaded.args == [target.id]
    assert demo_window.current_area() is Area.EMPLOYEES
    assert demo_window.employees_stack.currentWidget() is file_view

    assert file_view.profile.name_label.text() == target.name
    assert file_view.profile.lost_tile.value_label.text() == str(len(expected.lost_customers))
    assert file_view.ownership_model.rows == expected.ownerships

    # Transferred holdings are highlighted as evidence; lost ones as a note; others not at all.
    transferred = {o.customer_id for o in expected.ownerships if o.end_kind == "transferred"}
    assert transferred
    for r, row in enumerate(file_view.ownership_model.rows):
        mark = file_view.ownership_model.highlight_of(r)
        assert mark == ownership_highlight(row)
        if row.end_kind == "transferred":
            assert mark is Highlight.ALERT and row.ended_to
            index = file_view.ownership_model.index(r, 0)
            assert index.data(Qt.ItemDataRole.BackgroundRole) is not None

    # "Only lost or transferred" leaves exactly the service's lost customers.
    file_view.only_lost.setChecked(True)
    proxy = file_view.ownership_proxy
    shown = [proxy.index(r, 0).data(ROW_ROLE) for r in range(proxy.rowCount())]
    assert sorted(shown, key=repr) == sorted(expected.lost_customers, key=repr)
    tr = file_view._tr
    assert file_view.tabs.tabText(0) == tr(
        "Customers held over time ({n})", n=len(expected.ownerships)
    )
    assert file_view.tabs.tabText(2) == tr("Orders ({n})", n=len(expected.orders))

    with qtbot.waitSignal(file_view.back_requested):
        qtbot.mouseClick(file_view.back_button, Qt.MouseButton.LeftButton)
    assert demo_window.employees_stack.currentWidget() is view


def test_checkins_mark_the_fence_and_pick_the_map_day(
    demo_window: MainWindow, demo_app: App, qtbot: QtBot
) -> None:
    row = scenario_employee(demo_app, "fake_fieldwork")
    file_view = demo_window.employee_file
    with qtbot.waitSignal(file_view.loaded, timeout=LOAD_TIMEOUT_MS):
        demo_window.open_employee(row.id)
    outside = [c for c in file_view.checkin_model.rows if c.inside_fence is False]
    assert outside, "the fake-fieldwork scenario has check-ins far from the claimed customer"
    assert file_view.profile.outside_tile.value_label.text() == str(len(outside))
    for r, checkin in enumerate(file_view.checkin_model.rows):
        marked = file_view.checkin_model.highlight_of(r) is Highlight.ALERT
        assert marked == (checkin.inside_fence is False)

    file_view.tabs.setCurrentWidget(file_view.checkin_table)
    table = file_view.checkin_table
    source_row = file_view.checkin_model.rows.index(outside[0])
    proxy = table.model()
    proxy_row = proxy.mapFromSource(file_view.checkin_model.index(source_row, 0)).row()
    table.setCurrentIndex(proxy.index(proxy_row, 0))
    day = demo_window.app.clock.day_of(outside[0].checked_at)
    assert file_view.selected_day() == day

    map_view = demo_window.map_view
    with (
        qtbot.waitSignal(file_view.show_on_map) as request,
        qtbot.waitSignal(map_view.drawn, timeout=MAP_TIMEOUT_MS),
    ):
        qtbot.mouseClick(file_view.map_button, Qt.MouseButton.LeftButton)
    assert request.args == [row.id, day]
    assert demo_window.current_area() is Area.MAP
    assert map_view.employee_id() == row.id
    assert map_view.current is not None
    assert (map_view.current.data.start, map_view.current.data.end) == (day, day)
