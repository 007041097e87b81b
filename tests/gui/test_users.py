"""The Users area as an administrator uses it, on a fresh store: new users, resets, roles,
(de)activation, and the service's refusals said in the user's language."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from acting import TEST_PASSWORD, sign_in_as
from gui_helpers import LOAD_TIMEOUT_MS

from workstation.app import App
from workstation.domain.enums import Role
from workstation.gui.main_window import Area, MainWindow
from workstation.gui.security.idle_lock import IdleLock
from workstation.gui.users.new_user_dialog import NewUserDialog
from workstation.gui.users.reset_password_dialog import ResetPasswordDialog
from workstation.gui.users.role_dialog import RoleDialog
from workstation.gui.users.users_page import UsersPage
from workstation.i18n import Translator
from workstation.security.model import AccountLocked, SignInFailed

ZH = Translator("zh_CN")
NEW_PASSWORD = "Li-Na 2026 spring"
ROSTER = "employee_no,name,department\nS1,张伟,华东销售\nS2,李娜,人力资源\n"


@pytest.fixture
def admin_window(
    app: App, tmp_path: Path, open_window: Callable[[App], MainWindow], qtbot: Any
) -> MainWindow:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    app.imports.run(roster, "employees")  # as the fixture's HR officer
    sign_in_as(app, Role.ADMINISTRATOR)
    window = open_window(app)
    with qtbot.waitSignal(window.users_page.loaded, timeout=LOAD_TIMEOUT_MS):
        assert window.show_area(Area.USERS)
    return window


def wait_idle(qtbot: Any, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.runner.active_count == 0, timeout=LOAD_TIMEOUT_MS)


def open_new_user(qtbot: Any, page: UsersPage) -> NewUserDialog:
    with qtbot.waitSignal(page.dialog_opened, timeout=LOAD_TIMEOUT_MS) as opened:
        page.new_user()
    dialog = opened.args[0]
    assert isinstance(dialog, NewUserDialog)
    return dialog


def create(qtbot: Any, page: UsersPage, username: str, role: Role, **extra: Any) -> None:
    dialog = open_new_user(qtbot, page)
    dialog.fill(username, extra.pop("name", username), role, NEW_PASSWORD, **extra)
    with qtbot.waitSignal(page.loaded, timeout=LOAD_TIMEOUT_MS):
        assert dialog.submit()
    assert not dialog.isVisible()


def test_the_list_shows_the_users_with_their_state(admin_window: MainWindow) -> None:
    page = admin_window.users_page
    assert page.model.column_headers() == [
        "用户名",
        "显示名称",
        "角色",
        "员工",
        "状态",
        "登录锁定",
        "上次登录",
    ]
    (me,) = page.users()
    assert me.username == "test.administrator"
    texts = [page.model.index(0, c).data() for c in range(7)]
    assert texts[0] == "test.administrator（本人）"
    assert texts[2:5] == ["系统管理员", "", "正常"]
    assert not page.reset_button.isEnabled()


def test_new_user_linked_to_an_employee_can_sign_in(
    admin_window: MainWindow, app: App, qtbot: Any
) -> None:
    page = admin_window.users_page
    dialog = open_new_user(qtbot, page)
    assert [dialog.employee.itemText(i) for i in range(dialog.employee.count())] == [
        "（非本公司员工）",
        "张伟  S1  华东销售",
        "李娜  S2  人力资源",
    ]
    assert not dialog.ok_button.isEnabled()
    dialog.fill("Li.Na", "李娜（人力资源）", Role.HR_OFFICER, "short")
    assert not dialog.ok_button.isEnabled()
    assert "• 至少使用 10 个字符。" in dialog.password.problems.text()
    dialog.password.fill(NEW_PASSWORD, NEW_PASSWORD + "x")
    assert "两次输入的密码不一致" in dialog.password.problems.text()
    s2 = next(i for i in range(dialog.employee.count()) if "S2" in dialog.employee.itemText(i))
    dialog.password.fill(NEW_PASSWORD)
    dialog.employee.setCurrentIndex(s2)
    assert dialog.ok_button.isEnabled()
    with qtbot.waitSignal(page.loaded, timeout=LOAD_TIMEOUT_MS):
        assert dialog.submit()
    assert not dialog.isVisible()
    created = next(u for u in page.users() if u.username == "li.na")
    assert (created.role, created.employee_name) == (Role.HR_OFFICER, "李娜")
    assert page.banner_text() == "李娜（人力资源） 现在可以用 li.na 登录了。"
    assert page.selected() == created
    identity = app.users.sign_in("li.na", NEW_PASSWORD)
    assert identity.role is Role.HR_OFFICER and identity.employee_id == created.employee_id


def test_a_taken_username_is_refused_inside_the_dialog(
    admin_window: MainWindow, qtbot: Any
) -> None:
    page = admin_window.users_page
    dialog = open_new_user(qtbot, page)
    dialog.fill("test.administrator", "Someone", Role.LEGAL, NEW_PASSWORD)
    assert dialog.submit()
    qtbot.waitUntil(lambda: dialog.error_text() != "", timeout=LOAD_TIMEOUT_MS)
    assert dialog.error_text() == ZH("That username is taken. Choose another one.")
    assert dialog.isVisible() and dialog.ok_button.isEnabled()
    assert len(page.users()) == 1


def test_deactivating_oneself_is_refused_in_chinese(admin_window: MainWindow, qtbot: Any) -> None:
    page = admin_window.users_page
    assert page.select_username("test.administrator")
    assert page.active_button.text() == "停用"
    page.toggle_active()
    wait_idle(qtbot, admin_window)
    assert page.banner_text() == "未执行：不能停用自己的账户。"
    assert page.users()[0].active


def test_deactivate_reactivate_reset_and_role(
    admin_window: MainWindow, app: App, qtbot: Any
) -> None:
    page = admin_window.users_page
    create(qtbot, page, "wang.lei", Role.SALES_MANAGER)

    assert page.select_username("wang.lei")
    with qtbot.waitSignal(page.loaded, timeout=LOAD_TIMEOUT_MS):
        page.toggle_active()
    user = page.selected()
    assert user is not None and not user.active
    assert page.active_button.text() == "重新启用"
    assert page.model.index(page.model.row_of(user.id) or 0, 4).data() == "已停用"
    with qtbot.waitSignal(page.loaded, timeout=LOAD_TIMEOUT_MS):
        page.toggle_active()
    user = page.selected()
    assert user is not None and user.active

    # Locked out by wrong passwords; a reset lifts it.
    for _ in range(app.users.max_failed_sign_ins):
        with pytest.raises((SignInFailed, AccountLocked)):
            app.users.sign_in("wang.lei", "wrong password 1")
    with pytest.raises(AccountLocked):
        app.users.sign_in("wang.lei", NEW_PASSWORD)
    with qtbot.waitSignal(page.loaded, timeout=LOAD_TIMEOUT_MS):
        page.reload()
    assert page.select_username("wang.lei")
    row = page.model.row_of(user.id)
    assert row is not None and page.model.index(row, 5).data().startswith("至 ")
    reset = page.reset_password()
    assert isinstance(reset, ResetPasswordDialog)
    reset.fill("Fresh-start 2026")
    with qtbot.waitSignal(page.loaded, timeout=LOAD_TIMEOUT_MS):
        assert reset.submit()
    assert page.banner_text() == "已重置 wang.lei 的密码。"
    assert app.users.sign_in("wang.lei", "Fresh-start 2026").role is Role.SALES_MANAGER

    assert page.select_username("wang.lei")
    dialog = page.change_role()
    assert isinstance(dialog, RoleDialog)
    assert not dialog.ok_button.isEnabled()  # the same role is no change
    dialog.choose(Role.LEGAL)
    with qtbot.waitSignal(page.loaded, timeout=LOAD_TIMEOUT_MS):
        assert dialog.submit()
    assert app.users.sign_in("wang.lei", "Fresh-start 2026").role is Role.LEGAL


def test_changing_ones_own_role_is_refused_inside_the_dialog(
    admin_window: MainWindow, qtbot: Any
) -> None:
    page = admin_window.users_page
    assert page.select_username("test.administrator")
    dialog = page.change_role()
    assert dialog is not None
    dialog.choose(Role.AUDITOR)
    assert dialog.submit()
    qtbot.waitUntil(lambda: dialog.error_text() != "", timeout=LOAD_TIMEOUT_MS)
    assert dialog.error_text() == ZH("You cannot change your own role.")


def test_change_my_password_from_the_account_menu(
    admin_window: MainWindow, app: App, qtbot: Any
) -> None:
    menu = admin_window.account_menu
    with qtbot.waitSignal(menu.dialog_opened) as opened:
        menu.change_password()
    dialog = opened.args[0]
    dialog.fill("not my password", "Brand-new 2026")
    assert dialog.change_button.isEnabled()
    with qtbot.waitSignal(dialog.checked, timeout=LOAD_TIMEOUT_MS):
        assert dialog.change() is not None  # checked off the GUI thread
    assert dialog.error_text() == ZH("The current password is not right.")
    dialog.fill(TEST_PASSWORD, "Brand-new 2026")
    with qtbot.waitSignal(dialog.changed, timeout=LOAD_TIMEOUT_MS):
        dialog.change()
    assert not dialog.isVisible()
    assert app.users.sign_in("test.administrator", "Brand-new 2026").role is Role.ADMINISTRATOR


def test_sign_out_from_the_account_menu_closes_the_window(
    admin_window: MainWindow, app: App
) -> None:
    assert admin_window.account_menu.lock_action.isVisible()  # the window has its idle lock
    admin_window.account_menu.sign_out_action.trigger()
    assert app.session.current() is None
    assert not admin_window.isVisible()


def test_lock_now_locks_through_the_idle_lock(
    admin_window: MainWindow, app: App, qtbot: Any
) -> None:
    idle = admin_window.findChild(IdleLock)
    assert idle is not None
    menu = admin_window.account_menu
    assert menu.lock_action.isVisible()
    menu.lock_action.trigger()
    assert idle.is_locked and idle.dialog is not None
    idle.dialog.password.setText(TEST_PASSWORD)
    with qtbot.waitSignal(idle.unlocked, timeout=LOAD_TIMEOUT_MS):
        idle.dialog.submit()
    assert not idle.is_locked


def test_those_without_user_manage_get_no_users_area(
    app: App, open_window: Callable[[App], MainWindow]
) -> None:
    window = open_window(app)  # the fixture's HR officer
    assert not window.has_area(Area.USERS)
    assert window.show_area(Area.USERS) is False
    assert window.account_menu.change_password_action.isEnabled()


def test_unlock_lifts_a_lock_out_from_the_users_page(
    admin_window: MainWindow, app: App, qtbot: Any
) -> None:
    page = admin_window.users_page
    create(qtbot, page, "wang.lei", Role.SALES_MANAGER)
    assert page.select_username("wang.lei")
    assert not page.unlock_button.isEnabled(), "nothing to lift"
    assert page.unlock_button.text() == "解锁"

    for _ in range(app.users.max_failed_sign_ins):
        with pytest.raises((SignInFailed, AccountLocked)):
            app.users.sign_in("wang.lei", "wrong password 1")
    with qtbot.waitSignal(page.loaded, timeout=LOAD_TIMEOUT_MS):
        page.reload()
    assert page.select_username("wang.lei")
    assert page.unlock_button.isEnabled()
    with qtbot.waitSignal(page.loaded, timeout=LOAD_TIMEOUT_MS):
        page.unlock_button.click()
    assert page.banner_text() == "wang.lei 已解锁，可以重新登录。"
    user = page.selected()
    assert user is not None and user.locked_until is None and user.failed_sign_ins == 0
    assert not page.unlock_button.isEnabled()
    assert app.users.sign_in("wang.lei", NEW_PASSWORD).role is Role.SALES_MANAGER
    entries = app.audit.entries(action="user.unlocked")
    assert [(e.actor, e.details["username"]) for e in entries] == [
        ("test.administrator", "wang.lei")
    ]
