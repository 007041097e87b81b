"""The Alerts area: the inbox, one alert's explanation, triage and the way to the map."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from gui_helpers import LOAD_TIMEOUT_MS
from pytestqt.qtbot import QtBot

from workstation.app import App
from workstation.domain.alerts import AlertStatus
from workstation.domain.indicators import Indicator
from workstation.gui.alerts.alerts_page import AlertsPage
from workstation.gui.main_window import Area, MainWindow
from workstation.store.models import (
    Competitor,
    Customer,
    CustomerEvent,
    Employee,
    IndicatorValue,
    Order,
)

LAST = date(2026, 11, 20)
DAYS = [LAST - timedelta(days=n) for n in (2, 1, 0)]


def _world(app: App) -> int:
    """王伟 (销售一部) lost 3 customers to 锐拓 and transferred 2 orders; his churn and
    order-transfer values over three days cross the default policy; 李娜 stays quiet."""
    now = datetime(2026, 11, 21, tzinfo=UTC)
    with app.uow() as uow:
        s = uow.session
        wang = Employee(employee_no="S001", name="王伟", department="销售一部")
        li = Employee(employee_no="S002", name="李娜", department="销售二部")
        rival = Competitor(name="苏州锐拓")
        customers = [Customer(code=f"C{i}", name=f"客户{i}") for i in range(1, 6)]
        s.add_all([wang, li, rival, *customers])
        s.flush()
        events = [
            CustomerEvent(
                customer_id=c.id,
                event_date=LAST - timedelta(days=5 + i),
                kind="transferred",
                employee_id=wang.id,
                competitor_id=rival.id,
            )
            for i, c in enumerate(customers[:3])
        ]
        orders = [
            Order(
                order_no=f"O{i}",
                customer_id=customers[i].id,
                employee_id=wang.id,
                order_date=LAST - timedelta(days=i),
                amount=Decimal("1000.00"),
                status="transferred",
                competitor_id=rival.id,
            )
            for i in range(2)
        ]
        s.add_all([*events, *orders])
        s.flush()
        for n, day in enumerate(DAYS):
            for indicator, value, records in (
                (Indicator.CUSTOMER_CHURN_RATE, 0.1 + 0.05 * n, {"customer_events": events}),
                (Indicator.ORDER_TRANSFER_RATIO, 0.2, {"orders": orders}),
            ):
                s.add(
                    IndicatorValue(
                        employee_id=wang.id,
                        day=day,
                        indicator=indicator.value,
                        value=value,
                        numerator=3,
                        denominator=12,
                        status="ok",
                        window_days=30,
                        records_json=json.dumps({k: [r.id for r in v] for k, v in records.items()}),
                        computed_at=now,
                    )
                )
        uow.commit()
        wang_id = wang.id
    app.evaluation.evaluate(DAYS[0], DAYS[-1], compute=False)
    return wang_id


def _page(window: MainWindow) -> AlertsPage:
    window.show_area(Area.ALERTS)
    return window.alerts_page


@pytest.fixture
def opened(open_window: Callable[[App], MainWindow], app: App, qtbot: QtBot) -> AlertsPage:
    _world(app)
    page = _page(open_window(app))
    qtbot.waitUntil(lambda: page.list_view.model.rowCount() == 1, timeout=LOAD_TIMEOUT_MS)
    return page


def test_the_inbox_lists_filters_and_opens_an_alert(opened: AlertsPage, qtbot: QtBot) -> None:
    page = opened
    inbox = page.list_view
    (alert,) = inbox.visible_alerts()
    assert (alert.employee_name, alert.department, alert.severity.value) == (
        "王伟",
        "销售一部",
        "medium",
    )
    assert inbox.model.column_headers()[:4] == ["级别", "状态", "工号", "姓名"]
    inbox.severity_filter.setCurrentIndex(inbox.severity_filter.findData("high"))
    assert inbox.visible_alerts() == [] and "没有符合" in inbox.empty_label.text()
    inbox.severity_filter.setCurrentIndex(0)
    inbox.department_filter.setCurrentIndex(inbox.department_filter.findData("销售一部"))
    assert len(inbox.visible_alerts()) == 1
    inbox.search.setText("李娜")
    assert inbox.visible_alerts() == []
    inbox.search.clear()

    detail = page.detail_view
    with qtbot.waitSignal(detail.loaded, timeout=LOAD_TIMEOUT_MS):
        page.open_alert(alert.id)
    assert page.showing_detail()
    assert "王伟" in detail.title_label.text() and detail.severity_badge.text() == "中"
    rules = {f.indicator: f for f in detail.rules_model.rows}
    assert set(rules) == {"customer_churn_rate", "order_transfer_ratio"}
    assert rules["order_transfer_ratio"].value == pytest.approx(0.2)
    assert detail.records.titles() == ["流失客户 (3)", "转单订单 (2)"]
    assert {r.customer_code for r in detail.records.events_model.rows} == {"C1", "C2", "C3"}
    assert all(r.competitor_name == "苏州锐拓" for r in detail.records.orders_model.rows)
    churn_chart = detail.charts["customer_churn_rate"]
    assert [d for d, _ in churn_chart.points] == DAYS
    assert detail.review_button.isVisible() and not detail.dismiss_button.isVisible()


def test_triage_moves_the_alert_and_dismissal_keeps_the_reason(
    opened: AlertsPage, qtbot: QtBot, app: App
) -> None:
    page = opened
    detail = page.detail_view
    alert_id = page.list_view.visible_alerts()[0].id
    with qtbot.waitSignal(detail.loaded, timeout=LOAD_TIMEOUT_MS):
        page.open_alert(alert_id)
    with qtbot.waitSignal(detail.loaded, timeout=LOAD_TIMEOUT_MS):
        detail.review_button.click()
    assert detail.alert is not None and detail.alert.status is AlertStatus.REVIEWING
    assert detail.dismiss_button.isVisible() and detail.confirm_button.isVisible()
    with qtbot.waitSignal(page.alerts_loaded, timeout=LOAD_TIMEOUT_MS):
        detail.triage(AlertStatus.DISMISSED, reason="territory_change", note="片区调整，已核实")
    qtbot.waitUntil(lambda: detail.alert.status is AlertStatus.DISMISSED, timeout=LOAD_TIMEOUT_MS)
    assert not any(
        b.isVisible() for b in (detail.review_button, detail.confirm_button, detail.dismiss_button)
    )
    assert page.list_view.model.rowCount() == 0  # the inbox shows open alerts
    notes = [detail.history.events_model.rows[-1].detail.get("note")]
    assert notes == ["片区调整，已核实"]
    (past,) = app.alerts.history(detail.alert.employee_id)
    assert (past.dismiss_reason, past.status) == ("territory_change", AlertStatus.DISMISSED)


def test_a_stale_alert_is_said_and_reloaded(opened: AlertsPage, qtbot: QtBot, app: App) -> None:
    page = opened
    detail = page.detail_view
    alert_id = page.list_view.visible_alerts()[0].id
    with qtbot.waitSignal(detail.loaded, timeout=LOAD_TIMEOUT_MS):
        page.open_alert(alert_id)
    app.alerts.start_review(alert_id, app.alerts.get(alert_id).revision)  # a colleague
    with qtbot.waitSignal(detail.problem_shown, timeout=LOAD_TIMEOUT_MS) as said:
        detail.review_button.click()
    assert "他人修改" in said.args[0] and detail.banner.isVisible()
    qtbot.waitUntil(
        lambda: detail.alert is not None and detail.alert.status is AlertStatus.REVIEWING,
        timeout=LOAD_TIMEOUT_MS,
    )


def test_show_on_map_opens_the_employee_on_the_day(opened: AlertsPage, qtbot: QtBot) -> None:
    page = opened
    detail = page.detail_view
    with qtbot.waitSignal(detail.loaded, timeout=LOAD_TIMEOUT_MS):
        page.open_alert(page.list_view.visible_alerts()[0].id)
    with qtbot.waitSignal(detail.show_on_map, timeout=LOAD_TIMEOUT_MS) as asked:
        detail.map_button.click()
    employee_id, day = asked.args
    assert day == LAST and employee_id == detail.alert.employee_id
    window = page.window()
    assert isinstance(window, MainWindow) and window.current_area() is Area.MAP


def test_evaluate_now_runs_the_evaluation_and_reloads(opened: AlertsPage, qtbot: QtBot) -> None:
    page = opened
    with qtbot.waitSignal(page.evaluated, timeout=LOAD_TIMEOUT_MS) as done:
        page.evaluate_button.click()
    summary = done.args[0]
    assert summary.to_json_dict()["days"] >= 1
    assert "已评估" in page.evaluation_label.text()
    qtbot.waitUntil(lambda: page.evaluate_button.isEnabled(), timeout=LOAD_TIMEOUT_MS)


def test_the_dismiss_dialog_needs_a_note(qtbot: QtBot) -> None:
    from workstation.gui.alerts.dismiss_dialog import DismissDialog
    from workstation.i18n import Translator

    dialog = DismissDialog(Translator("zh_CN"), "王伟 S001")
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()
    dialog.reason.setCurrentIndex(dialog.reason.findData("data_error"))
    dialog.note.setPlainText("  ")
    assert not dialog.ok_button.isEnabled()
    dialog.note.setPlainText("打卡设备故障")
    assert dialog.ok_button.isEnabled()
    assert dialog.chosen() == ("data_error", "打卡设备故障")


def test_the_employee_file_shows_the_indicator_history_and_alerts(
    open_window: Callable[[App], MainWindow], app: App, qtbot: QtBot
) -> None:
    wang = _world(app)
    window = open_window(app)
    tab = window.employee_file.risk_tab
    assert tab is not None
    with qtbot.waitSignal(window.employee_file.loaded, timeout=LOAD_TIMEOUT_MS):
        window.open_employee(wang)
    qtbot.waitUntil(lambda: tab.history is not None, timeout=LOAD_TIMEOUT_MS)
    churn = tab.charts[Indicator.CUSTOMER_CHURN_RATE]
    assert [d for d, _ in churn.points] == DAYS
    assert [round(v, 2) for _, v in churn.points] == [0.1, 0.15, 0.2]
    assert "20%" in churn.chart().title()
    assert tab.charts[Indicator.FAKE_FIELDWORK_RATE].points == []
    (alert,) = tab.alerts_model.rows
    assert alert.employee_id == wang and alert.is_open
