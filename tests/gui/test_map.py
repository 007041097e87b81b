"""The map area draws, in a real QtWebEngine page, what the map service says it should."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from case_demo import scenario_alert
from gui_helpers import LOAD_TIMEOUT_MS, MAP_TIMEOUT_MS, diverter, scenario_employee
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from shipped import Shipped, credentials

from workstation.app import App
from workstation.gui.main_window import Area, MainWindow
from workstation.gui.map.map_view import MapView
from workstation.gui.open_target import OpenTarget, TargetKind
from workstation.gui.widgets.dates import from_qdate
from workstation.maps.model import RenderedMap

COUNT_SCRIPT = (
    "JSON.stringify(["
    "document.querySelectorAll('path.leaflet-interactive').length,"
    "document.querySelectorAll('path.leaflet-interactive.cw-marker').length])"
)


def count_in_dom(map_view: MapView, qtbot: QtBot) -> tuple[int, int]:
    """Count what Leaflet drew ourselves, independently of the page's own report."""
    answers: list[Any] = []
    map_view.count_in_page(COUNT_SCRIPT, answers.append)
    qtbot.waitUntil(lambda: bool(answers), timeout=LOAD_TIMEOUT_MS)
    paths, markers = json.loads(answers[0])
    return int(paths), int(markers)


def draw(window: MainWindow, qtbot: QtBot, employee_id: int, day: date | None) -> RenderedMap:
    map_view = window.map_view
    with (
        qtbot.waitSignal(map_view.rendered, timeout=MAP_TIMEOUT_MS) as rendered,
        qtbot.waitSignal(map_view.drawn, timeout=MAP_TIMEOUT_MS) as drawn,
    ):
        window.show_on_map(employee_id, day)
    result: RenderedMap = rendered.args[0]
    assert drawn.args == [result.expected_paths, result.expected_markers]
    return result


def test_an_employee_day_draws_every_expected_path_and_marker(
    demo_window: MainWindow, demo_app: App, qtbot: QtBot
) -> None:
    target = diverter(demo_app)
    span = demo_app.maps.employee_date_range(target.id)
    assert span is not None
    rendered = draw(demo_window, qtbot, target.id, None)  # None: his last day with data

    assert demo_window.current_area() is Area.MAP
    map_view = demo_window.map_view
    assert (rendered.data.start, rendered.data.end) == (span[1], span[1])
    assert from_qdate(map_view.start_edit.date()) == span[1]
    assert rendered.expected_paths > 0 and rendered.expected_markers > 0
    data = rendered.data
    # what the data says must be drawn: each line, fence, site/office circle and marker,
    # stop and check-in is one SVG path; markers are the circle markers among them
    markers_from_data = (
        len(data.competitor_sites) + len(data.offices) + len(data.stops) + len(data.checkins)
    )
    paths_from_data = (
        sum(1 for s in data.segments if len(s.points) >= 2)
        + len(data.customers)
        + len(data.competitor_sites)
        + len(data.offices)
        + markers_from_data
    )
    assert (paths_from_data, markers_from_data) == (
        rendered.expected_paths,
        rendered.expected_markers,
    )
    assert data.stops and data.checkins and data.competitor_sites
    assert count_in_dom(map_view, qtbot) == (rendered.expected_paths, rendered.expected_markers)
    assert rendered.data.point_count > 0
    assert str(rendered.data.point_count) in map_view.summary_label.text()
    assert not map_view.notice_label.isVisibleTo(map_view)
    assert map_view.web is not None and map_view.web.last_drawn == (
        rendered.expected_paths,
        rendered.expected_markers,
    )


def test_a_range_of_days_from_the_controls(
    demo_window: MainWindow, demo_app: App, qtbot: QtBot
) -> None:
    target = scenario_employee(demo_app, "fake_fieldwork")
    span = demo_app.maps.employee_date_range(target.id)
    assert span is not None
    first = draw(demo_window, qtbot, target.id, None)
    map_view = demo_window.map_view
    map_view.set_range(span[1] - timedelta(days=2), span[1])
    with (
        qtbot.waitSignal(map_view.rendered, timeout=MAP_TIMEOUT_MS) as rendered,
        qtbot.waitSignal(map_view.drawn, timeout=MAP_TIMEOUT_MS) as drawn,
    ):
        qtbot.mouseClick(map_view.draw_button, Qt.MouseButton.LeftButton)
    three_days: RenderedMap = rendered.args[0]
    assert (three_days.data.start, three_days.data.end) == (span[1] - timedelta(days=2), span[1])
    assert drawn.args == [three_days.expected_paths, three_days.expected_markers]
    assert three_days.data.point_count >= first.data.point_count
    assert count_in_dom(map_view, qtbot) == tuple(drawn.args)


def test_choosing_an_employee_in_the_selector_draws_his_last_day(
    demo_window: MainWindow, demo_app: App, qtbot: QtBot
) -> None:
    target = diverter(demo_app)
    demo_window.show_area(Area.MAP)
    combo = demo_window.map_view.employee_combo
    index = combo.findData(target.id)
    assert index >= 0
    combo.setCurrentIndex(index)
    with qtbot.waitSignal(demo_window.map_view.drawn, timeout=MAP_TIMEOUT_MS):
        combo.activated.emit(index)
    assert demo_window.map_view.current is not None
    assert demo_window.map_view.current.data.employee_id == target.id


def test_a_range_without_data_is_said_plainly(
    demo_window: MainWindow, demo_app: App, qtbot: QtBot
) -> None:
    target = diverter(demo_app)
    span = demo_app.maps.employee_date_range(target.id)
    assert span is not None
    before = span[0] - timedelta(days=400)
    rendered = draw(demo_window, qtbot, target.id, before)
    map_view = demo_window.map_view
    assert rendered.data.point_count == 0 and not rendered.data.checkins
    assert map_view.notice_label.isVisibleTo(map_view)
    notice = map_view.notice_label.text()
    tr = map_view._tr
    assert tr("This employee has data from {first} to {last}.", first=span[0], last=span[1]) in (
        notice
    )
    assert before.isoformat() in notice


def test_the_alerts_show_on_map_draws_the_alerts_day(
    shipped: Shipped, evaluated_demo: App, qtbot: QtBot
) -> None:
    alert = scenario_alert(evaluated_demo, "diverter")
    window = shipped.open(evaluated_demo).window
    window.show_area(Area.ALERTS)
    detail = window.alerts_page.detail_view
    with qtbot.waitSignal(detail.loaded, timeout=LOAD_TIMEOUT_MS):
        window.alerts_page.open_alert(alert.id)
    map_view = window.map_view
    with (
        qtbot.waitSignal(detail.show_on_map, timeout=MAP_TIMEOUT_MS) as asked,
        qtbot.waitSignal(map_view.rendered, timeout=MAP_TIMEOUT_MS) as rendered,
        qtbot.waitSignal(map_view.drawn, timeout=MAP_TIMEOUT_MS) as drawn,
    ):
        detail.map_button.click()
    result: RenderedMap = rendered.args[0]
    assert window.current_area() is Area.MAP
    employee_id, day = asked.args  # the day of the records chosen in the alert
    assert result.data.employee_id == employee_id == alert.employee_id
    assert (result.data.start, result.data.end) == (day, day)
    assert result.data.point_count > 0
    assert drawn.args == [result.expected_paths, result.expected_markers]
    assert count_in_dom(map_view, qtbot) == tuple(drawn.args)


def test_open_on_a_map_day(shipped: Shipped, demo_app: App, qtbot: QtBot) -> None:
    """``--open map:EMPLOYEE_NO@DATE``: the window opens on that day's map."""
    target = diverter(demo_app)
    span = demo_app.maps.employee_date_range(target.id)
    assert span is not None
    day = span[1] - timedelta(days=1)
    launcher = shipped.launch(demo_app, OpenTarget(TargetKind.MAP, target.employee_no, day))
    window = shipped.sign_in(launcher, *credentials(demo_app)).window
    map_view = window.map_view
    qtbot.waitUntil(
        lambda: map_view.web is not None and map_view.web.last_drawn is not None,
        timeout=MAP_TIMEOUT_MS,
    )
    assert window.current_area() is Area.MAP
    assert map_view.current is not None
    assert (map_view.current.data.employee_id, map_view.current.data.start) == (target.id, day)
    assert map_view.web.last_drawn == (
        map_view.current.expected_paths,
        map_view.current.expected_markers,
    )
