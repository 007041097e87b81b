"""Each role sees only its areas, opens on one of them, and loads nothing it may not read
(a service refusing on start would show an error dialog, which fails the test)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from acting import sign_in_as
from clocks import pinned
from gui_helpers import LOAD_TIMEOUT_MS, with_locale

from workstation.app import App
from workstation.domain.enums import Role
from workstation.domain.identity import Identity
from workstation.gui.main_window import Area, MainWindow
from workstation.gui.security.account_menu import signed_in_text
from workstation.gui.security.labels import role_label
from workstation.i18n import Translator
from workstation.security.session import Session

EVERYTHING_BUT_USERS = [a for a in Area if a is not Area.USERS]

EXPECTED: dict[Role, tuple[list[Area], Area]] = {
    Role.HR_OFFICER: (EVERYTHING_BUT_USERS, Area.EMPLOYEES),
    Role.SALES_MANAGER: ([Area.ALERTS, Area.CASES, Area.SETTINGS], Area.ALERTS),
    Role.LEGAL: ([Area.CASES, Area.SETTINGS], Area.CASES),
    Role.ADMINISTRATOR: (list(Area), Area.EMPLOYEES),
    Role.AUDITOR: (EVERYTHING_BUT_USERS, Area.EMPLOYEES),
}

#: The page attribute of each area that has one of its own.
PAGE_ATTRIBUTES = {
    Area.ALERTS: "alerts_page",
    Area.POLICIES: "policies_page",
    Area.EMPLOYEES: "employee_list",
    Area.MAP: "map_view",
    Area.CASES: "cases_page",
    Area.IMPORTS: "imports_page",
    Area.USERS: "users_page",
}


@pytest.fixture
def as_role(demo_app: App) -> Iterator[Callable[[Role], App]]:
    """Sign a demo user of a role in; the demo's HR officer is signed in again afterwards."""

    def use(role: Role) -> App:
        sign_in_as(demo_app, role)
        return demo_app

    try:
        yield use
    finally:
        sign_in_as(demo_app, Role.HR_OFFICER)


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_each_role_sees_its_areas_and_opens_without_errors(
    role: Role, as_role: Callable[[Role], App], open_window: Callable[[App], MainWindow]
) -> None:
    app = with_locale(as_role(role), "en")
    areas, first = EXPECTED[role]
    window = open_window(app)
    assert window.areas == areas
    assert window.nav_texts() == [
        {"users": "Users"}.get(a.value, a.value.capitalize()) for a in areas
    ]
    assert window.current_area() is first
    for area, attribute in PAGE_ATTRIBUTES.items():
        assert hasattr(window, attribute) is (area in areas), attribute
        assert window.has_area(area) is (area in areas)
    identity = app.session.current()
    assert identity is not None
    assert window.user_label.text() == (
        f"Signed in: {identity.display_name} · {role_label(Translator('en'), role)}"
    )
    for row, area in enumerate(window.areas):  # every page it sees opens without an error
        window.nav.setCurrentRow(row)
        assert window.current_area() is area


def test_a_sales_manager_is_never_sent_to_an_area_he_does_not_see(
    qtbot: Any, as_role: Callable[[Role], App], open_window: Callable[[App], MainWindow]
) -> None:
    window = open_window(as_role(Role.SALES_MANAGER))
    assert window.nav_texts() == ["预警", "案件", "设置"]
    assert window.show_area(Area.MAP) is False
    window.show_on_map(1)
    window.open_employee(1)
    assert window.current_area() is Area.ALERTS
    with qtbot.waitSignal(window.cases_page.cases_loaded, timeout=LOAD_TIMEOUT_MS):
        assert window.show_area(Area.CASES) is True  # loads the cases he may see
    assert window.current_area() is Area.CASES


def test_the_status_bar_names_the_signed_in_user_in_chinese(
    as_role: Callable[[Role], App], open_window: Callable[[App], MainWindow]
) -> None:
    window = open_window(as_role(Role.LEGAL))
    identity = window.app.session.current()
    assert identity is not None
    assert window.user_label.text() == f"当前用户：{identity.display_name} · 法务"
    assert window.account_menu.who_action.text() == window.user_label.text()
    assert window.nav_texts() == ["案件", "设置"]


#: (page attribute, its action button, the permission that action needs)
ACTIONS = [
    ("alerts_page", "evaluate_button", "risk.evaluate"),
    ("policies_page", "new_button", "policy.edit"),
    ("imports_page", "new_button", "import.run"),
]


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_actions_the_role_may_not_take_are_hidden(
    role: Role, as_role: Callable[[Role], App], open_window: Callable[[App], MainWindow]
) -> None:
    from workstation.security.permissions import Permission, permissions_of

    window = open_window(as_role(role))
    checked = 0
    for page, button, permission in ACTIONS:
        if not hasattr(window, page):
            continue
        checked += 1
        shown = not getattr(getattr(window, page), button).isHidden()
        assert shown == (Permission(permission) in permissions_of(role)), (page, button)
    assert checked == {Role.SALES_MANAGER: 1, Role.LEGAL: 0}.get(role, 3)


def test_the_status_bar_names_the_role_once_when_it_is_the_users_name() -> None:
    session = Session(clock=pinned())
    session.sign_in(Identity(1, "admin", "系统管理员", Role.ADMINISTRATOR))
    assert signed_in_text(Translator("zh_CN"), session) == "当前用户：系统管理员"
    session.sign_in(Identity(2, "hr.li", "李娜（人力资源）", Role.HR_OFFICER))
    zh, en = signed_in_text(Translator("zh_CN"), session), signed_in_text(Translator("en"), session)
    assert zh == "当前用户：李娜（人力资源） · 人力资源专员"
    assert en == "Signed in: 李娜（人力资源） · HR officer"
