"""Sign-in at start, the first administrator, and the idle lock, on real widgets.

Dialogs are driven through their methods (never ``exec()``); time is a fake clock the tests
move, so nothing sleeps.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from clocks import HandSetTime
from gui_helpers import type_into
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QDialog,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from workstation.app import App
from workstation.domain.enums import Role
from workstation.domain.identity import Identity
from workstation.gui.background import BackgroundRunner
from workstation.gui.security import (
    FirstAdminDialog,
    IdleLock,
    SignInDialog,
    install_idle_lock,
)
from workstation.gui.security.lock_cover import LockCover
from workstation.i18n import Translator
from workstation.security.passwords import HashParameters, Passwords
from workstation.security.session import Session
from workstation.security.users import UserService
from workstation.store.models import AuditEntry

CHEAP = Passwords(HashParameters(time_cost=1, memory_cost_kib=8 * 1024, parallelism=1))
ADMIN_PASSWORD = "Keep-it-safe 2026"
ZH = Translator("zh_CN")
EN = Translator("en")


class Clock(HandSetTime):
    def __init__(self) -> None:
        super().__init__(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def users(app: App, clock: Clock) -> UserService:
    return UserService(app.uow, clock=clock.clock, passwords=CHEAP)


@pytest.fixture
def admin(users: UserService) -> Identity:
    return users.create_first_admin("admin", "系统管理员", ADMIN_PASSWORD)


@pytest.fixture
def session(users: UserService, clock: Clock) -> Session:
    return Session(users, clock=clock.clock, idle_timeout=timedelta(minutes=15))


# -- the first administrator ------------------------------------------------------------------


def test_first_admin_says_what_is_missing_until_the_form_is_right(
    qtbot: Any, users: UserService
) -> None:
    dialog = FirstAdminDialog(users, ZH)
    qtbot.addWidget(dialog)
    assert not dialog.create_button.isEnabled()
    assert dialog.username.text() == "admin"
    dialog.fill("admin", "王磊", "short", "")
    assert "至少使用 10 个字符。" in dialog.problems.text()
    assert "至少混合两类字符" in dialog.problems.text()
    dialog.fill("admin", "王磊", "admin-password-1", "admin-password-1")
    assert "密码中不要包含用户名。" in dialog.problems.text()
    dialog.fill("admin", "王磊", "Keep-it-safe 2026", "Keep-it-safe 2025")
    assert dialog.problems.text() == "• 两次输入的密码不一致。"
    assert not dialog.create_button.isEnabled()
    dialog.fill("a b", "", "Keep-it-safe 2026", "Keep-it-safe 2026")
    assert "用户名由 2 到 64 个" in dialog.problems.text()
    assert "请填写该用户的显示名称。" in dialog.problems.text()
    assert dialog.create_admin() is None and users.needs_first_admin()


def test_first_admin_creates_the_administrator_and_closes(qtbot: Any, users: UserService) -> None:
    dialog = FirstAdminDialog(users, EN)
    qtbot.addWidget(dialog)
    dialog.fill("Admin", "Wang Lei", ADMIN_PASSWORD, ADMIN_PASSWORD)
    assert dialog.problems.text() == "" and dialog.create_button.isEnabled()
    with qtbot.waitSignal(dialog.created, timeout=10_000) as created:
        dialog.create_button.click()
        assert dialog.create_button.text() == "Checking…"  # hashing, off the GUI thread
    identity = created.args[0]
    assert (identity.username, identity.role) == ("admin", Role.ADMINISTRATOR)
    assert dialog.identity == identity and dialog.result() == QDialog.DialogCode.Accepted
    assert not users.needs_first_admin()


def test_first_admin_refused_by_the_service_says_why(
    qtbot: Any, users: UserService, admin: Identity
) -> None:
    dialog = FirstAdminDialog(users, ZH)  # opened, then someone else created one
    qtbot.addWidget(dialog)
    dialog.fill("second", "Second", ADMIN_PASSWORD, ADMIN_PASSWORD)
    check(qtbot, dialog, dialog.create_admin)
    assert dialog.error.text() == "已有系统管理员，请直接登录。"
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.create_button.text() == ZH("Create administrator")


# -- signing in -------------------------------------------------------------------------------


def check(qtbot: Any, dialog: Any, action: Callable[[], object]) -> None:
    """Run ``action`` (an attempt) and wait until the dialog's background check ended."""
    with qtbot.waitSignal(dialog.checked, timeout=10_000):
        assert action() is not None


def test_sign_in_wrong_then_right(qtbot: Any, users: UserService, admin: Identity) -> None:
    dialog = SignInDialog(users, ZH)
    qtbot.addWidget(dialog)
    assert not dialog.sign_in_button.isEnabled()
    assert dialog.attempt() is None  # nothing typed, nothing to check
    dialog.set_credentials("admin", "not the password 1")
    check(qtbot, dialog, dialog.attempt)
    assert dialog.error_text() == "用户名或密码不正确。"
    assert dialog.password.text() == "" and dialog.username.text() == "admin"
    dialog.set_credentials("nobody", ADMIN_PASSWORD)
    check(qtbot, dialog, dialog.attempt)
    assert dialog.error_text() == "用户名或密码不正确。"
    dialog.set_credentials("admin", ADMIN_PASSWORD)
    with qtbot.waitSignal(dialog.signed_in, timeout=10_000) as signed:
        dialog.sign_in_button.click()
        assert dialog.checking and dialog.password.isReadOnly()
        assert dialog.sign_in_button.text() == "正在验证…"
    assert signed.args[0] == admin == dialog.identity
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_the_password_is_checked_off_the_gui_thread(
    qtbot: Any, users: UserService, admin: Identity, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[threading.Thread] = []
    check_password = users.sign_in

    def sign_in(username: str, password: str) -> Identity:
        threads.append(threading.current_thread())
        return check_password(username, password)

    monkeypatch.setattr(users, "sign_in", sign_in)
    dialog = SignInDialog(users, EN)
    qtbot.addWidget(dialog)
    dialog.set_credentials("admin", ADMIN_PASSWORD)
    with qtbot.waitSignal(dialog.signed_in, timeout=10_000):
        dialog.attempt()
    assert threads and threads[0] is not threading.main_thread()


def test_sign_in_asked_for_before_the_store_is_open_runs_once_it_is(
    qtbot: Any, users: UserService, admin: Identity
) -> None:
    dialog = SignInDialog(None, EN)
    qtbot.addWidget(dialog)
    dialog.set_credentials("admin", ADMIN_PASSWORD)
    assert dialog.attempt() is None  # waits for the store
    assert dialog.checking and dialog.sign_in_button.text() == "Checking…"
    assert not dialog.sign_in_button.isEnabled()
    with qtbot.waitSignal(dialog.signed_in, timeout=10_000) as signed:
        dialog.set_users(users, demo_password="casework-demo")
    assert signed.args[0] == admin
    assert dialog.demo_hint.isVisibleTo(dialog) and "casework-demo" in dialog.demo_hint.text()


def test_the_demo_hint_that_comes_with_the_store_is_shown_whole(
    qtbot: Any, users: UserService, admin: Identity
) -> None:
    dialog = SignInDialog(None, ZH)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.set_users(users, demo_password="casework-demo")
    hint = dialog.demo_hint
    qtbot.waitUntil(lambda: hint.isVisible() and hint.height() >= hint.heightForWidth(hint.width()))
    assert hint.geometry().bottom() < dialog.username.geometry().top()


def test_a_store_that_does_not_open_leaves_only_cancel(qtbot: Any) -> None:
    dialog = SignInDialog(None, EN)
    qtbot.addWidget(dialog)
    dialog.set_credentials("admin", ADMIN_PASSWORD)
    dialog.attempt()
    dialog.refuse("Cannot open the database: disk I/O error")
    assert dialog.error_text() == "Cannot open the database: disk I/O error"
    assert not dialog.checking and not dialog.password.isReadOnly()
    assert not dialog.sign_in_button.isEnabled() and dialog.attempt() is None
    dialog.password.setText("again")
    assert not dialog.sign_in_button.isEnabled()


def test_sign_in_tells_the_minutes_of_a_lock_out(
    qtbot: Any, users: UserService, admin: Identity, clock: Clock
) -> None:
    dialog = SignInDialog(users, EN, username="admin")
    qtbot.addWidget(dialog)
    for _ in range(5):
        dialog.set_credentials("admin", "wrong password 1")
        check(qtbot, dialog, dialog.attempt)
    assert dialog.error_text().startswith("Too many failed attempts: the account is locked.")
    assert "Try again in 1 minute(s)" in dialog.error_text()
    assert dialog.error_text().endswith("or ask an administrator to unlock it.")
    clock.advance(seconds=20)
    dialog.set_credentials("admin", ADMIN_PASSWORD)
    check(qtbot, dialog, dialog.attempt)
    assert "Try again in 1 minute(s)" in dialog.error_text()
    clock.advance(seconds=40)
    assert dialog.attempt() is None  # the password was cleared after the refusal
    dialog.set_credentials("admin", ADMIN_PASSWORD)
    check(qtbot, dialog, dialog.attempt)
    assert dialog.identity == admin


def test_sign_in_refuses_a_deactivated_account(
    qtbot: Any, users: UserService, admin: Identity
) -> None:
    view = users.create_user(admin, "legal.sun", "孙律师", Role.LEGAL, "Legal pass 123")
    users.set_active(admin, view.id, False)
    dialog = SignInDialog(users, ZH)
    qtbot.addWidget(dialog)
    dialog.set_credentials("legal.sun", "Legal pass 123")
    check(qtbot, dialog, dialog.attempt)
    assert dialog.error_text() == "该账户已停用，请联系系统管理员。"


def test_the_demo_hint_names_the_password(qtbot: Any, users: UserService, admin: Identity) -> None:
    dialog = SignInDialog(users, ZH, demo_password="casework-demo")
    qtbot.addWidget(dialog)
    hints = [w.text() for w in dialog.findChildren(type(dialog.error)) if "演示" in w.text()]
    assert hints and "casework-demo" in hints[0]
    assert not SignInDialog(users, ZH).demo_hint.isVisibleTo(dialog)


# -- the idle lock ----------------------------------------------------------------------------


@pytest.fixture
def window(qtbot: Any) -> QMainWindow:
    main = QMainWindow()
    main.setCentralWidget(QLineEdit())
    main.resize(800, 500)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    return main


@pytest.fixture
def idle(qtbot: Any, window: QMainWindow, session: Session, admin: Identity) -> Iterator[IdleLock]:
    session.sign_in(admin)
    lock = IdleLock(session, ZH, window, check_interval_ms=10)
    lock.start()
    yield lock
    lock.stop()
    if lock.dialog is not None:
        lock.dialog.hide()
        lock.dialog.deleteLater()


def test_activity_keeps_the_session_open(
    qtbot: Any, idle: IdleLock, window: QMainWindow, session: Session, clock: Clock
) -> None:
    native = window.windowHandle()  # input as the window system delivers it
    clock.advance(minutes=14)
    QTest.keyClick(native, Qt.Key.Key_A)
    clock.advance(minutes=14)
    idle.check()
    assert not idle.is_locked and not session.locked
    QTest.mouseClick(native, Qt.MouseButton.LeftButton, pos=QPoint(40, 40))
    clock.advance(minutes=14)
    idle.check()
    assert not idle.is_locked and not session.locked
    clock.advance(minutes=1)
    with qtbot.waitSignal(idle.locked, timeout=5000):
        pass  # the timer notices by itself
    assert idle.is_locked and session.locked


def test_activity_in_a_dialog_counts_too(
    qtbot: Any, idle: IdleLock, window: QMainWindow, session: Session, clock: Clock
) -> None:
    dialog = QDialog(window)
    dialog.setLayout(QVBoxLayout())
    dialog.layout().addWidget(QLineEdit())
    qtbot.addWidget(dialog)
    dialog.open()  # window-modal, as the workstation's dialogs are
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: idle.watch.is_watched(dialog))
    clock.advance(minutes=14)
    type_into(dialog.windowHandle(), "busy in a dialog")
    clock.advance(minutes=14)
    idle.check()
    assert not idle.is_locked


def test_locked_windows_are_covered_and_unlock_with_the_password(
    qtbot: Any, idle: IdleLock, window: QMainWindow, session: Session, clock: Clock, app: App
) -> None:
    editor = window.centralWidget()
    assert isinstance(editor, QLineEdit)
    editor.setFocus()
    clock.advance(minutes=15)
    with qtbot.waitSignal(idle.locked, timeout=5000):
        pass
    dialog = idle.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowModality() == Qt.WindowModality.ApplicationModal
    covers = window.findChildren(LockCover)
    assert len(covers) == 1 and covers[0].isVisible()
    assert covers[0].geometry() == window.rect()
    window.resize(900, 600)
    qtbot.waitUntil(lambda: covers[0].geometry() == window.rect())
    type_into(window.windowHandle(), "typed behind the lock")
    QTest.mouseClick(window.windowHandle(), Qt.MouseButton.LeftButton, pos=QPoint(40, 40))
    assert editor.text() == ""
    dialog.reject()  # Esc does not end the lock
    assert dialog.isVisible()

    dialog.password.setText("wrong password 1")
    dialog.submit()
    assert dialog.error_text() == "密码不正确。"
    assert idle.is_locked and session.locked

    qtbot.waitExposed(dialog)
    type_into(dialog.windowHandle(), ADMIN_PASSWORD)  # typing reaches the lock's form
    assert dialog.password.text() == ADMIN_PASSWORD
    with qtbot.waitSignal(idle.unlocked) as unlocked:
        QTest.keyClick(dialog.windowHandle(), Qt.Key.Key_Return)
    assert unlocked.args[0] == session.current()
    assert not session.locked and not idle.is_locked
    qtbot.waitUntil(lambda: not window.findChildren(LockCover))
    type_into(window.windowHandle(), "ok")
    assert editor.text() == "ok"
    with app.uow() as u:
        actions = u.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-3:] == ["user.session_locked", "user.unlock_refused", "user.session_unlocked"]


def test_a_window_opened_while_locked_is_covered_too(
    qtbot: Any, idle: IdleLock, clock: Clock
) -> None:
    clock.advance(minutes=20)
    with qtbot.waitSignal(idle.locked, timeout=5000):
        pass
    late = QWidget()
    qtbot.addWidget(late)
    late.resize(300, 200)
    late.show()
    qtbot.waitUntil(lambda: bool(late.findChildren(LockCover)))


def test_a_modal_window_opened_while_locked_leaves_the_lock_on_top(
    qtbot: Any, idle: IdleLock, window: QMainWindow, clock: Clock
) -> None:
    """An error or progress dialog that pops up while nobody is there is covered, and the
    unlock form keeps the keyboard (Qt would otherwise give it to the newest modal window)."""
    clock.advance(minutes=20)
    with qtbot.waitSignal(idle.locked, timeout=5000):
        pass
    dialog = idle.dialog
    assert dialog is not None
    popped = QMessageBox(
        QMessageBox.Icon.Critical, "Error", "The last action failed", parent=window
    )
    qtbot.addWidget(popped)
    popped.open()
    qtbot.waitUntil(lambda: bool(popped.findChildren(LockCover)))
    qtbot.waitUntil(lambda: QGuiApplication.modalWindow() is dialog.windowHandle())
    qtbot.waitExposed(dialog)
    type_into(dialog.windowHandle(), ADMIN_PASSWORD)
    assert dialog.password.text() == ADMIN_PASSWORD
    with qtbot.waitSignal(idle.unlocked, timeout=5000):
        QTest.keyClick(dialog.windowHandle(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not popped.findChildren(LockCover))
    assert popped.isVisible()  # what popped up is still there to read


def test_signing_out_from_the_lock(
    qtbot: Any, window: QMainWindow, session: Session, admin: Identity, clock: Clock
) -> None:
    session.sign_in(admin)
    signed_out: list[bool] = []
    lock = install_idle_lock(session, EN, window, on_sign_out=lambda: signed_out.append(True))
    lock.timer.setInterval(10)
    try:
        clock.advance(minutes=15)
        with qtbot.waitSignal(lock.locked, timeout=5000):
            pass
        assert lock.dialog is not None
        lock.dialog.sign_out_button.click()
        assert signed_out == [True]
        assert session.current() is None
    finally:
        lock.stop()
        if lock.dialog is not None:
            lock.dialog.hide()
            lock.dialog.deleteLater()


def test_no_lock_without_a_signed_in_user(
    qtbot: Any, window: QMainWindow, session: Session, clock: Clock
) -> None:
    lock = IdleLock(session, EN, window, check_interval_ms=10)
    lock.start()
    try:
        clock.advance(hours=2)
        lock.check()
        assert not lock.is_locked
    finally:
        lock.stop()


def test_unlock_checks_the_password_on_the_writer_thread(
    qtbot: Any, window: QMainWindow, session: Session, admin: Identity, clock: Clock
) -> None:
    session.sign_in(admin)
    runner = BackgroundRunner(window)
    lock = IdleLock(session, EN, window, runner=runner, check_interval_ms=10)
    lock.start()
    try:
        clock.advance(minutes=15)
        with qtbot.waitSignal(lock.locked, timeout=5000):
            pass
        assert lock.dialog is not None
        lock.dialog.password.setText("wrong password 1")
        with qtbot.waitSignal(runner.idle, timeout=10_000):
            lock.dialog.submit()
            assert lock.dialog.unlock_button.text() == "Checking…"
        assert lock.dialog.error_text() == "The password is not right."
        assert lock.dialog.unlock_button.text() == "Unlock"
        lock.dialog.password.setText(ADMIN_PASSWORD)
        with qtbot.waitSignal(lock.unlocked, timeout=10_000):
            lock.dialog.submit()
        assert not session.locked
    finally:
        lock.stop()
        runner.shutdown()
