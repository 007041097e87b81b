"""Texts that say how things are now: Settings says where users, the alert policy and the map
settings are set (nothing "not built yet"); the Imports list, empty on a database that
already holds employees, does not ask for a roster."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from acting import sign_in_as

from workstation.app import App
from workstation.domain.enums import Role
from workstation.gui.main_window import Area, MainWindow
from workstation.gui.settings_page import SettingsPage
from workstation.store.models import Employee


@pytest.fixture
def as_role(demo_app: App) -> Iterator[Callable[[Role], App]]:
    def use(role: Role) -> App:
        sign_in_as(demo_app, role)
        return demo_app

    try:
        yield use
    finally:
        sign_in_as(demo_app, Role.HR_OFFICER)


def _settings(window: MainWindow) -> str:
    window.show_area(Area.SETTINGS)
    page = window.pages[Area.SETTINGS]
    assert isinstance(page, SettingsPage)
    return page.elsewhere_label.text()


@pytest.mark.parametrize(
    ("role", "users", "policy"),
    [
        (Role.ADMINISTRATOR, "用户及其角色：在“用户管理”区管理", "由人力资源专员修改"),
        (Role.HR_OFFICER, "由系统管理员在“用户管理”区管理", "在“预警策略”区修改"),
        (Role.LEGAL, "由系统管理员在“用户管理”区管理", "由人力资源专员修改"),
    ],
    ids=lambda v: v.value if isinstance(v, Role) else "",
)
def test_settings_says_where_the_rest_is_set(
    role: Role,
    users: str,
    policy: str,
    as_role: Callable[[Role], App],
    open_window: Callable[[App], MainWindow],
) -> None:
    text = _settings(open_window(as_role(role)))
    assert "尚未开发" not in text and "not built" not in text
    assert users in text and policy in text and "settings.json" in text


def test_imports_on_a_database_that_came_with_employees(
    qtbot: Any, app: App, open_window: Callable[[App], MainWindow]
) -> None:
    """A store whose employees were not imported here (written by an older version or another
    tool; the demo imports its roster, so it is not such a store)."""
    with app.uow() as uow:
        for i in range(3):
            uow.session.add(Employee(employee_no=f"E{i}", name=f"员工{i}"))
        uow.commit()
    sign_in_as(app, Role.HR_OFFICER)
    assert app.imports.list_batches() == []
    window = open_window(app)
    window.show_area(Area.IMPORTS)
    page = window.imports_page
    qtbot.waitUntil(lambda: "3 名员工" in page.empty_label.text())
    text = page.empty_label.text()
    assert page.history.currentWidget() is page.empty_label
    assert "花名册" not in text and "3 名员工是随数据库一起来的" in text and "新建导入" in text

    sign_in_as(app, Role.AUDITOR)
    auditor = open_window(app).imports_page
    qtbot.waitUntil(lambda: "3 名员工" in auditor.empty_label.text())
    assert auditor.new_button.isHidden() and "新建导入" not in auditor.empty_label.text()


def test_imports_on_an_empty_database_ask_for_the_roster_first(
    qtbot: Any, app: App, open_window: Callable[[App], MainWindow]
) -> None:
    window = open_window(app)
    window.show_area(Area.IMPORTS)
    page = window.imports_page
    qtbot.waitUntil(lambda: "花名册" in page.empty_label.text())
    assert page.empty_label.text() == "尚未导入任何数据。请先导入人事花名册：点击“新建导入…”。"
