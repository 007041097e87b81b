"""The GUI says what each role can do: what a role never does is not offered, what is not
possible yet is disabled with the service's reason (in Chinese), and both come from the
services (``CaseDetail.actions``, ``AlertService.actions``), not from rules in the views."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from acting import sign_in_as
from case_demo import DEMO_CASE, walked_copy
from case_pages import TIMEOUT_MS, settle
from case_world import CaseWorld
from gui_helpers import LOAD_TIMEOUT_MS, scenario
from test_cases import draft, open_in, requested

from workstation.app import App
from workstation.domain.alerts import AlertStatus
from workstation.domain.enums import Role
from workstation.gui.background import BackgroundRunner
from workstation.gui.cases.cases_page import CasesPage
from workstation.gui.main_window import Area, MainWindow
from workstation.risk.alert_service import AlertView


@pytest.fixture(scope="module")
def demo_copy(demo_app: App, tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    """A copy of the demo as ``workstation demo`` leaves it: evaluated, the diverter's case
    walked to a served notice (``CW-2026-0001``). The tests here only read it."""
    app = walked_copy(demo_app, tmp_path_factory.mktemp("capabilities") / "data")
    yield app
    app.close()


@pytest.fixture
def as_role(demo_copy: App) -> Iterator[Callable[[Role], App]]:
    def use(role: Role) -> App:
        sign_in_as(demo_copy, role)
        return demo_copy

    try:
        yield use
    finally:
        sign_in_as(demo_copy, Role.HR_OFFICER)


def new_alert(app: App) -> AlertView:
    """The demo's fake-field-work alert, still new (the diverter's was escalated)."""
    no = scenario(app, "fake_fieldwork")["employee_no"]
    found = [a for a in app.alerts.list_alerts(None) if a.employee_no == no]
    assert found and found[0].status is AlertStatus.NEW
    return found[0]


#: What each role that reads alerts is offered on a new alert: start review, show on map.
ALERT_OFFERS = {
    Role.HR_OFFICER: {"review", "map"},
    Role.SALES_MANAGER: set(),
    Role.ADMINISTRATOR: {"map"},
    Role.AUDITOR: {"map"},
}


@pytest.mark.parametrize("role", list(ALERT_OFFERS), ids=lambda r: r.value)
def test_the_alert_offers_each_role_only_what_it_may_do(
    role: Role,
    qtbot: Any,
    as_role: Callable[[Role], App],
    open_window: Callable[[App], MainWindow],
) -> None:
    app = as_role(role)
    alert = new_alert(app)
    window = open_window(app)
    window.show_area(Area.ALERTS)
    view = window.alerts_page.detail_view
    with qtbot.waitSignal(view.loaded, timeout=LOAD_TIMEOUT_MS):
        window.alerts_page.open_alert(alert.id)
    qtbot.waitUntil(lambda: window.runner.active_count == 0, timeout=LOAD_TIMEOUT_MS)
    offered = {
        name
        for name, button in (
            ("review", view.review_button),
            ("confirm", view.confirm_button),
            ("dismiss", view.dismiss_button),
            ("escalate", view.escalate_button),
            ("map", view.map_button),
        )
        if not button.isHidden() and button.isEnabled()
    }
    assert offered == ALERT_OFFERS[role]
    for button in (view.confirm_button, view.dismiss_button, view.escalate_button):
        assert button.isHidden()  # not a step from "new", for anyone


def test_the_sales_manager_asking_for_the_map_is_told_why_not(
    qtbot: Any, as_role: Callable[[Role], App], open_window: Callable[[App], MainWindow]
) -> None:
    app = as_role(Role.SALES_MANAGER)
    alert = new_alert(app)
    window = open_window(app)
    view = window.alerts_page.detail_view
    with qtbot.waitSignal(view.loaded, timeout=LOAD_TIMEOUT_MS):
        window.alerts_page.open_alert(alert.id)
    assert view.map_button.isHidden()
    asked: list[object] = []
    view.show_on_map.connect(lambda *args: asked.append(args))
    with qtbot.waitSignal(view.problem_shown, timeout=TIMEOUT_MS) as said:
        view.records.map_requested.emit(None)  # a record double-clicked
    assert asked == [] and not window.has_area(Area.MAP)
    assert "无权查看轨迹和地图" in said.args[0] and view.banner.isVisible()


# -- a case, as each role ------------------------------------------------------------------


def offered(page: CasesPage) -> dict[str, str]:
    """Each button of the case view that is shown: "enabled", or the reason it is not."""
    view, tabs = page.detail_view, page.detail_view.tabs
    buttons = {
        "approve": view.approve_button,
        "hold": view.hold_button,
        "union": view.union_button,
        "allegation": tabs.add_allegation_button,
        "finding": tabs.finding_button,
        "task": tabs.add_task_button,
        "party": tabs.add_party_button,
        "alternate": tabs.alternate_button,
        "link": tabs.link_file_button,
        **{f"→{target}": button for target, button in view.transition_buttons.items()},
    }
    return {
        name: "enabled" if button.isEnabled() else button.toolTip()
        for name, button in buttons.items()
        if not button.isHidden()
    }


def test_a_requested_investigation_as_each_role(
    qtbot: Any, world: CaseWorld, make_page: Callable[..., CasesPage], runner: BackgroundRunner
) -> None:
    number = requested(world)

    hr = make_page(world.me("hr.li"))
    open_in(qtbot, hr, runner, number)
    shown = offered(hr)
    assert set(shown) == {
        "allegation",
        "finding",
        "task",
        "party",
        "link",
        "→under_investigation",
        "→withdrawn",
    }
    # Not possible yet, and why: the approvals it waits for; allegations come later.
    assert "调查已获经理批准" in shown["→under_investigation"]
    assert "调查已获法务批准" in shown["→under_investigation"]
    assert shown["allegation"].startswith("只能在草稿、调查中或重新打开状态下添加指控")
    assert "“已申请调查”" in shown["finding"]
    assert shown["task"] == shown["party"] == shown["link"] == shown["→withdrawn"] == "enabled"
    assert "调查已获经理批准" in hr.detail_view.card.next_label.text()

    legal = make_page(world.me("legal.zhao"))
    open_in(qtbot, legal, runner, number)
    assert offered(legal) == {"approve": "enabled", "hold": "enabled"}
    assert legal.awaiting == [number]

    # The subject's manager approves; another sales manager is shown why he may not.
    manager = make_page(world.me("mgr.wang"))
    open_in(qtbot, manager, runner, number)
    assert offered(manager) == {"approve": "enabled"}
    other = make_page(world.me("mgr.liu"))
    open_in(qtbot, other, runner, number)
    assert offered(other)["approve"].startswith("本案的经理审批应由")
    assert not other.detail_view.reject_button.isEnabled()

    for username in ("admin", "audit"):
        page = make_page(world.me(username))
        open_in(qtbot, page, runner, number)
        expected = {"alternate": "enabled"} if username == "admin" else {}
        assert offered(page) == expected, username

    # Once legal has approved, legal's buttons say it was given.
    detail = legal.detail_view
    detail.approve_button.click()
    assert detail.decision_dialog is not None
    with qtbot.waitSignal(detail.changed, timeout=TIMEOUT_MS):
        detail.decision_dialog.accept()
    settle(qtbot, runner)
    assert offered(legal)["approve"] == "调查的法务审批已经给出"
    with qtbot.waitSignal(hr.detail_view.loaded, timeout=TIMEOUT_MS):
        hr.detail_view.reload()
    settle(qtbot, runner)
    waiting = offered(hr)["→under_investigation"]
    assert "调查已获经理批准" in waiting and "法务" not in waiting


def test_an_ended_case_offers_its_reopening_only(
    qtbot: Any, world: CaseWorld, make_page: Callable[..., CasesPage], runner: BackgroundRunner
) -> None:
    number = draft(world)
    hr_id = world.me("hr.li")
    revision = world.cases.view(hr_id, number).revision
    world.cases.transition(hr_id, number, "withdrawn", revision, reason="误报")
    hr = make_page(hr_id)
    open_in(qtbot, hr, runner, number)
    assert offered(hr) == {"→reopened": "enabled"}
    assert hr.detail_view.tabs.note_edit.isHidden()


def test_every_roles_case_view_in_the_demo_window(
    qtbot: Any, as_role: Callable[[Role], App], open_window: Callable[[App], MainWindow]
) -> None:
    """The demo's served notice, in each role's own window: legal may hold it, HR may close
    it, the others only read it."""
    seen: dict[Role, dict[str, str]] = {}
    for role in Role:
        app = as_role(role)
        window = open_window(app)
        window.show_area(Area.CASES)
        page = window.cases_page
        with qtbot.waitSignal(page.case_opened, timeout=LOAD_TIMEOUT_MS):
            page.open_case(DEMO_CASE)
        qtbot.waitUntil(lambda w=window: w.runner.active_count == 0, timeout=LOAD_TIMEOUT_MS)
        seen[role] = offered(page)
        window.close()
    assert seen[Role.LEGAL] == {"hold": "enabled"}
    assert seen[Role.SALES_MANAGER] == seen[Role.AUDITOR] == {}
    assert seen[Role.ADMINISTRATOR] == {"alternate": "enabled"}
    hr = seen[Role.HR_OFFICER]
    assert hr["→closed"] == "enabled" and hr["task"] == "enabled"
    assert "通知" in hr["union"]  # served: the union's notification can no longer change
