"""Users on real databases: the first administrator, sign-in and lock-out, account management,
the idle-locked session. Runs on a SQLite file and on PostgreSQL (``db_url``)."""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from clocks import HandSetTime, pinned
from sqlalchemy import select

from workstation.app import App
from workstation.domain.enums import Role
from workstation.domain.identity import Identity
from workstation.security.model import AccountInactive, AccountLocked, SignInFailed, UserError
from workstation.security.passwords import HashParameters, Passwords, WeakPassword
from workstation.security.permissions import PermissionDenied
from workstation.security.session import Session
from workstation.security.users import UserService, WrongPassword
from workstation.store.audit import verify_audit_chain
from workstation.store.engine import make_engine, make_session_factory
from workstation.store.migrate import upgrade
from workstation.store.models import AuditEntry, Employee, User
from workstation.store.uow import UnitOfWorkFactory

CHEAP = Passwords(HashParameters(time_cost=1, memory_cost_kib=8 * 1024, parallelism=1))
ADMIN_PASSWORD = "Keep-it-safe 2026"
HR_PASSWORD = "Zhou-Min-hr-1"
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


class Clock(HandSetTime):
    """The tests' hand-set time, starting at ``START``."""

    def __init__(self, now: datetime = START) -> None:
        super().__init__(now)


@dataclass
class Rig:
    uow: UnitOfWorkFactory
    users: UserService
    clock: Clock

    def audit(self) -> list[tuple[str, str, dict[str, Any]]]:
        with self.uow() as u:
            rows = u.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
            return [(r.actor, r.action, json.loads(r.details_json)) for r in rows]

    def user(self, username: str) -> User:
        with self.uow() as u:
            row = u.session.scalars(select(User).where(User.username == username)).one()
            u.session.expunge(row)
            return row


def _rig(uow: UnitOfWorkFactory, passwords: Passwords = CHEAP) -> Rig:
    clock = Clock()
    users = UserService(
        uow, clock=clock.clock, passwords=passwords, machine_actor=lambda: "os.user"
    )
    return Rig(uow, users, clock)


@pytest.fixture
def rig(db_url: str) -> Rig:
    engine = make_engine(db_url)
    upgrade(engine)
    return _rig(UnitOfWorkFactory(make_session_factory(engine), pinned()))


def _admin(rig: Rig) -> Identity:
    return rig.users.create_first_admin("Admin", "系统管理员", ADMIN_PASSWORD)


def _hr(rig: Rig, admin: Identity) -> Identity:
    rig.users.create_user(admin, "hr.zhou", "周敏", Role.HR_OFFICER, HR_PASSWORD)
    return rig.users.sign_in("hr.zhou", HR_PASSWORD)


def test_the_first_start_creates_the_administrator_once(rig: Rig) -> None:
    assert rig.users.needs_first_admin()
    admin = _admin(rig)
    assert (admin.username, admin.display_name, admin.role) == (
        "admin",
        "系统管理员",
        Role.ADMINISTRATOR,
    )
    assert not rig.users.needs_first_admin()
    with pytest.raises(UserError, match="an administrator exists already"):
        rig.users.create_first_admin("second", "Second", "another admin 1")
    stored = rig.user("admin")
    assert stored.password_hash is not None and stored.password_hash.startswith("$argon2id$")
    assert stored.password_changed_at == START
    assert rig.audit() == [
        (
            "os.user",
            "user.first_admin_created",
            {"username": "admin", "display_name": "系统管理员"},
        )
    ]


def test_the_first_administrator_needs_a_good_password_and_name(rig: Rig) -> None:
    with pytest.raises(WeakPassword, match="at least 10 characters"):
        rig.users.create_first_admin("admin", "Admin", "short")
    with pytest.raises(UserError, match="2 to 64 letters"):
        rig.users.create_first_admin("an admin", "Admin", ADMIN_PASSWORD)
    with pytest.raises(UserError, match="display name"):
        rig.users.create_first_admin("admin", "  ", ADMIN_PASSWORD)
    assert rig.users.needs_first_admin() and rig.audit() == []


def test_sign_in_returns_the_identity_and_is_audited(rig: Rig) -> None:
    admin = _admin(rig)
    rig.clock.advance(hours=1)
    again = rig.users.sign_in("  ADMIN ", ADMIN_PASSWORD)
    assert again == admin
    assert rig.user("admin").last_sign_in_at == START + timedelta(hours=1)
    assert rig.audit()[-1] == ("admin", "user.signed_in", {"role": "administrator"})


def test_unknown_user_and_wrong_password_look_the_same(rig: Rig) -> None:
    _admin(rig)
    with pytest.raises(SignInFailed) as unknown:
        rig.users.sign_in("nobody", ADMIN_PASSWORD)
    with pytest.raises(SignInFailed) as wrong:
        rig.users.sign_in("admin", "not the password 1")
    assert str(unknown.value) == str(wrong.value) == "the username or password is not right"
    refusals = [e for e in rig.audit() if e[1] == "user.sign_in_refused"]
    assert refusals == [
        ("os.user", "user.sign_in_refused", {"username": "nobody", "reason": "unknown_user"}),
        (
            "os.user",
            "user.sign_in_refused",
            {"username": "admin", "reason": "wrong_password", "failures": 1},
        ),
    ]
    with rig.uow() as u:
        details = " ".join(u.session.scalars(select(AuditEntry.details_json)))
    assert "not the password" not in details and ADMIN_PASSWORD not in details


def test_five_failures_lock_the_account_for_a_minute(rig: Rig) -> None:
    _admin(rig)
    for _ in range(4):
        with pytest.raises(SignInFailed):
            rig.users.sign_in("admin", "wrong password 1")
    with pytest.raises(AccountLocked) as locked:
        rig.users.sign_in("admin", "wrong password 1")
    assert locked.value.minutes_left == 1
    assert locked.value.until == START + timedelta(minutes=1)
    rig.clock.advance(seconds=30)
    with pytest.raises(AccountLocked) as still:
        rig.users.sign_in("admin", ADMIN_PASSWORD)  # even the right password waits
    assert still.value.until == START + timedelta(minutes=1)
    assert rig.audit()[-1][2] == {"username": "admin", "reason": "locked"}
    rig.clock.advance(seconds=30)
    assert rig.users.sign_in("admin", ADMIN_PASSWORD).username == "admin"
    stored = rig.user("admin")
    assert (stored.failed_sign_ins, stored.locked_until) == (0, None)


def test_each_further_failure_doubles_the_lock_out_up_to_an_hour(rig: Rig) -> None:
    _admin(rig)
    for _ in range(4):
        with pytest.raises(SignInFailed):
            rig.users.sign_in("admin", "wrong password 1")
    lengths = []
    for _ in range(9):
        with pytest.raises(AccountLocked) as locked:
            rig.users.sign_in("admin", "wrong password 1")
        lengths.append(locked.value.until - rig.clock.now)
        # A try while locked is not even checked: it neither counts nor lengthens.
        with pytest.raises(AccountLocked) as unchecked:
            rig.users.sign_in("admin", "wrong password 1")
        assert unchecked.value.until == locked.value.until
        rig.clock.advance(seconds=(locked.value.until - rig.clock.now).total_seconds())
    assert [int(x.total_seconds() // 60) for x in lengths] == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert rig.user("admin").failed_sign_ins == 13
    locks = [d for _, a, d in rig.audit() if a == "user.locked_out"]
    assert [(d["failures"], d["minutes"], d["lengthened"]) for d in locks] == [
        (5, 1.0, False),
        (6, 2.0, True),
        (7, 4.0, True),
        (8, 8.0, True),
        (9, 16.0, True),
        (10, 32.0, True),
        (11, 60.0, True),
        (12, 60.0, True),
        (13, 60.0, True),
    ]
    assert all(a == "os.user" for a, action, _ in rig.audit() if action == "user.locked_out")


def test_a_lock_out_over_for_a_day_is_forgotten(rig: Rig) -> None:
    _admin(rig)
    for _ in range(5):
        with pytest.raises((SignInFailed, AccountLocked)):
            rig.users.sign_in("admin", "wrong password 1")
    rig.clock.advance(minutes=2)
    with pytest.raises(AccountLocked):
        rig.users.sign_in("admin", "wrong password 1")
    rig.clock.advance(hours=23)
    with pytest.raises(AccountLocked) as again:  # within the day: longer still
        rig.users.sign_in("admin", "wrong password 1")
    assert again.value.minutes_left == 4
    rig.clock.advance(hours=24, minutes=5)
    with pytest.raises(SignInFailed):
        rig.users.sign_in("admin", "wrong password 1")
    assert rig.user("admin").failed_sign_ins == 1


def test_a_success_resets_the_count(rig: Rig) -> None:
    _admin(rig)
    for _ in range(4):
        with pytest.raises(SignInFailed):
            rig.users.sign_in("admin", "wrong password 1")
    rig.users.sign_in("admin", ADMIN_PASSWORD)
    for _ in range(4):
        with pytest.raises(SignInFailed):
            rig.users.sign_in("admin", "wrong password 1")
    assert rig.user("admin").locked_until is None


def test_the_limits_are_settable(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine)
    clock = Clock()
    users = UserService(
        UnitOfWorkFactory(make_session_factory(engine), pinned()),
        clock=clock.clock,
        passwords=CHEAP,
        max_failed_sign_ins=2,
        lockout_duration=timedelta(minutes=3),
        max_lockout_duration=timedelta(minutes=5),
    )
    users.create_first_admin("admin", "Admin", ADMIN_PASSWORD)
    with pytest.raises(SignInFailed):
        users.sign_in("admin", "wrong password 1")
    with pytest.raises(AccountLocked) as locked:
        users.sign_in("admin", "wrong password 1")
    assert locked.value.minutes_left == 3
    clock.advance(minutes=3)
    with pytest.raises(AccountLocked) as longer:
        users.sign_in("admin", "wrong password 1")
    assert longer.value.minutes_left == 5, "doubled, but no longer than the longest"


def test_failures_at_the_same_moment_all_count(rig: Rig) -> None:
    _admin(rig)
    errors: list[BaseException] = []

    def attempt() -> None:
        try:
            rig.users.sign_in("admin", "wrong password 1")
        except (SignInFailed, AccountLocked) as exc:
            errors.append(exc)

    threads = [threading.Thread(target=attempt) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(errors) == 5
    assert sum(isinstance(e, AccountLocked) for e in errors) == 1
    assert rig.user("admin").failed_sign_ins == 5
    with rig.uow() as u:
        assert verify_audit_chain(u.session).intact


def test_a_deactivated_account_cannot_sign_in(rig: Rig) -> None:
    admin = _admin(rig)
    hr = _hr(rig, admin)
    rig.users.set_active(admin, hr.user_id, False)
    with pytest.raises(AccountInactive, match="deactivated"):
        rig.users.sign_in("hr.zhou", HR_PASSWORD)
    with pytest.raises(SignInFailed):  # a wrong password does not reveal the state
        rig.users.sign_in("hr.zhou", "wrong password 1")
    rig.users.set_active(admin, hr.user_id, True)
    assert rig.users.sign_in("hr.zhou", HR_PASSWORD) == hr
    actions = [a for _, a, _ in rig.audit()]
    assert actions.count("user.deactivated") == 1 and actions.count("user.activated") == 1


def test_an_account_without_password_cannot_sign_in(rig: Rig) -> None:
    with rig.uow() as u:  # as the demo creates its users today
        u.session.add(
            User(username="admin", display_name="Admin", role="administrator", created_at=START)
        )
        u.commit()
    assert rig.users.needs_first_admin()
    with pytest.raises(SignInFailed):
        rig.users.sign_in("admin", "")
    assert rig.audit()[-1][2]["reason"] == "no_password"


def test_administrators_keep_their_own_account(rig: Rig) -> None:
    admin = _admin(rig)
    with pytest.raises(UserError, match="your own account"):
        rig.users.set_active(admin, admin.user_id, False)
    with pytest.raises(UserError, match="your own role"):
        rig.users.set_role(admin, admin.user_id, Role.AUDITOR)
    assert not rig.users.needs_first_admin()


def test_a_session_older_than_its_role_change_loses_the_old_rights(rig: Rig) -> None:
    admin = _admin(rig)
    rig.users.create_user(admin, "deputy", "Deputy", Role.ADMINISTRATOR, "Second in line 2")
    deputy = rig.users.sign_in("deputy", "Second in line 2")
    rig.users.set_role(deputy, admin.user_id, Role.AUDITOR)
    with pytest.raises(PermissionDenied, match="changed since signing in; sign in again"):
        rig.users.list_users(admin)  # the old identity still says administrator
    assert rig.users.sign_in("admin", ADMIN_PASSWORD).role is Role.AUDITOR
    rig.users.set_active(deputy, admin.user_id, False)
    with pytest.raises(PermissionDenied, match="deactivated or changed"):
        rig.users.set_active(admin, deputy.user_id, False)
    assert ("deputy", "user.role_changed") in [(a, b) for a, b, _ in rig.audit()]


def test_create_user_links_an_employee_once(rig: Rig) -> None:
    admin = _admin(rig)
    with rig.uow() as u:
        employee = Employee(employee_no="M001", name="王经理")
        u.session.add(employee)
        u.commit()
    view = rig.users.create_user(
        admin, "sales.wang", "王经理", Role.SALES_MANAGER, "manager pass 1", employee.id
    )
    assert (view.employee_id, view.employee_name, view.role) == (
        employee.id,
        "王经理",
        Role.SALES_MANAGER,
    )
    assert rig.users.sign_in("sales.wang", "manager pass 1").employee_id == employee.id
    with pytest.raises(UserError, match=r"linked to the user 'sales\.wang'"):
        rig.users.create_user(admin, "other", "Other", Role.LEGAL, "legal pass 12", employee.id)
    with pytest.raises(UserError, match="no employee"):
        rig.users.create_user(admin, "other", "Other", Role.LEGAL, "legal pass 12", 9999)
    with pytest.raises(UserError, match="taken"):
        rig.users.create_user(admin, "Sales.Wang", "Again", Role.LEGAL, "legal pass 12")
    created = [d for _, a, d in rig.audit() if a == "user.created"]
    assert created == [
        {
            "username": "sales.wang",
            "display_name": "王经理",
            "role": "sales_manager",
            "employee_id": employee.id,
        }
    ]


def test_list_users_gives_plain_views(rig: Rig) -> None:
    admin = _admin(rig)
    _hr(rig, admin)
    views = rig.users.list_users(admin)
    assert [(v.username, v.role, v.active, v.has_password) for v in views] == [
        ("admin", Role.ADMINISTRATOR, True, True),
        ("hr.zhou", Role.HR_OFFICER, True, True),
    ]
    assert not isinstance(views[0], User)


MANAGE_OPERATIONS = {
    "create_user": lambda users, by, target: users.create_user(
        by, "new.user", "New", Role.LEGAL, "new user pass 1"
    ),
    "set_password": lambda users, by, target: users.set_password(by, target, "reset pass 123"),
    "set_active": lambda users, by, target: users.set_active(by, target, False),
    "set_role": lambda users, by, target: users.set_role(by, target, Role.LEGAL),
    "list_users": lambda users, by, target: users.list_users(by),
}


@pytest.mark.parametrize("operation", sorted(MANAGE_OPERATIONS))
@pytest.mark.parametrize("role", list(Role), ids=str)
def test_only_an_administrator_manages_users(app: App, operation: str, role: Role) -> None:
    """The service checks by itself, whatever the GUI shows (SQLite via the app's store)."""
    rig = _rig(app.uow)
    admin = _admin(rig)
    target = rig.users.create_user(admin, "target", "Target", Role.AUDITOR, "secret pass 34").id
    actor = rig.users.create_user(admin, "actor", "Actor", role, "secret pass 12")
    identity = rig.users.sign_in("actor", "secret pass 12")
    assert identity.user_id == actor.id
    before = len(rig.audit())
    call = MANAGE_OPERATIONS[operation]
    if role is Role.ADMINISTRATOR:
        call(rig.users, identity, target)
    else:
        with pytest.raises(PermissionDenied, match=r"actor \(.*\) may not do user.manage"):
            call(rig.users, identity, target)
        assert len(rig.audit()) == before
    with pytest.raises(PermissionDenied, match="sign in first"):
        call(rig.users, None, target)


def test_an_administrator_reset_lifts_a_lock_out(rig: Rig) -> None:
    admin = _admin(rig)
    hr = _hr(rig, admin)
    for _ in range(5):
        with pytest.raises((SignInFailed, AccountLocked)):
            rig.users.sign_in("hr.zhou", "wrong password 1")
    with pytest.raises(WeakPassword):
        rig.users.set_password(admin, hr.user_id, "hr.zhou-new-1")  # contains the username
    rig.users.set_password(admin, hr.user_id, "a new start 1")
    assert rig.users.sign_in("hr.zhou", "a new start 1") == hr
    with pytest.raises(SignInFailed):
        rig.users.sign_in("hr.zhou", HR_PASSWORD)
    assert ("admin", "user.password_set", {"by_admin": True}) in rig.audit()


def test_changing_ones_own_password(rig: Rig) -> None:
    admin = _admin(rig)
    hr = _hr(rig, admin)
    with pytest.raises(WrongPassword):
        rig.users.change_own_password(hr, "not it at all 1", "brand new pass 1")
    assert rig.user("hr.zhou").failed_sign_ins == 1
    with pytest.raises(WeakPassword):
        rig.users.change_own_password(hr, HR_PASSWORD, "weak")
    with pytest.raises(UserError, match="differ"):
        rig.users.change_own_password(hr, HR_PASSWORD, HR_PASSWORD)
    rig.clock.advance(days=1)
    rig.users.change_own_password(hr, HR_PASSWORD, "brand new pass 1")
    stored = rig.user("hr.zhou")
    assert (stored.password_changed_at, stored.failed_sign_ins) == (START + timedelta(days=1), 0)
    assert rig.users.sign_in("hr.zhou", "brand new pass 1") == hr
    assert ("hr.zhou", "user.password_changed", {}) in rig.audit()


def test_an_old_hash_is_upgraded_at_sign_in(app: App) -> None:
    rig = _rig(app.uow)
    _admin(rig)
    cheap_hash = rig.user("admin").password_hash
    assert cheap_hash is not None and "m=8192,t=1,p=1" in cheap_hash
    default = UserService(app.uow, clock=app.clock)
    default.sign_in("admin", ADMIN_PASSWORD)
    upgraded = rig.user("admin").password_hash
    assert upgraded is not None and upgraded.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert default.sign_in("admin", ADMIN_PASSWORD).username == "admin"


def test_the_idle_session_locks_and_unlocks_with_the_password(rig: Rig) -> None:
    admin = _admin(rig)
    session = Session(rig.users, clock=rig.clock.clock, fallback_actor=lambda: "os.user")
    assert session.current() is None and session.actor() == "os.user"
    session.sign_in(admin)
    assert session.current() == admin and session.actor() == "admin"
    rig.clock.advance(minutes=14, seconds=59)
    assert not session.is_idle()
    session.touch()
    rig.clock.advance(minutes=15)
    assert session.is_idle()
    session.lock()
    assert session.locked and session.current() == admin  # background work goes on
    with pytest.raises(SignInFailed):
        session.unlock("wrong password 1")
    assert session.locked
    assert session.unlock(ADMIN_PASSWORD) == admin
    assert not session.locked and not session.is_idle()
    session.sign_out()
    assert session.current() is None and session.actor() == "os.user"
    actions = [a for _, a, _ in rig.audit()]
    assert actions[-4:] == [
        "user.session_locked",
        "user.unlock_refused",
        "user.session_unlocked",
        "user.signed_out",
    ]
    with rig.uow() as u:
        assert verify_audit_chain(u.session).intact


def _lock(rig: Rig, username: str, times: int = 5) -> None:
    for _ in range(times):
        with pytest.raises((SignInFailed, AccountLocked)):
            rig.users.sign_in(username, "wrong password 1")


def test_an_administrator_unlocks_a_user_and_it_is_audited(rig: Rig) -> None:
    admin = _admin(rig)
    hr = _hr(rig, admin)
    _lock(rig, "hr.zhou", 6)  # the 6th is refused unchecked: still 5 failures
    assert rig.user("hr.zhou").locked_until == START + timedelta(minutes=1)
    view = rig.users.unlock(admin, hr.user_id)
    assert (view.locked_until, view.failed_sign_ins) == (None, 0)
    assert rig.users.sign_in("hr.zhou", HR_PASSWORD) == hr
    unlocked = [(a, d) for a, action, d in rig.audit() if action == "user.unlocked"]
    assert unlocked == [
        (
            "admin",
            {
                "username": "hr.zhou",
                "was_locked_until": (START + timedelta(minutes=1)).isoformat(),
                "failures": 5,
            },
        )
    ]
    rig.users.unlock(admin, hr.user_id)  # nothing to lift: nothing written
    assert sum(action == "user.unlocked" for _, action, _ in rig.audit()) == 1


def test_only_an_administrator_unlocks(rig: Rig) -> None:
    admin = _admin(rig)
    hr = _hr(rig, admin)
    _lock(rig, "admin")
    before = len(rig.audit())
    with pytest.raises(PermissionDenied, match=r"may not do user\.manage"):
        rig.users.unlock(hr, admin.user_id)
    with pytest.raises(PermissionDenied, match="sign in first"):
        rig.users.unlock(None, admin.user_id)
    assert len(rig.audit()) == before
    assert rig.user("admin").locked_until is not None


def test_another_administrator_lets_a_locked_out_administrator_back_in(rig: Rig) -> None:
    admin = _admin(rig)
    rig.users.create_user(admin, "admin2", "Deputy", Role.ADMINISTRATOR, "Deputy-admin 2026")
    deputy = rig.users.sign_in("admin2", "Deputy-admin 2026")
    _lock(rig, "admin", 5)
    for _ in range(6):  # an attacker failing on purpose after every lock-out
        rig.clock.advance(hours=1)
        _lock(rig, "admin", 1)
    with pytest.raises(AccountLocked):
        rig.users.sign_in("admin", ADMIN_PASSWORD)
    rig.users.unlock(deputy, admin.user_id)
    assert rig.users.sign_in("admin", ADMIN_PASSWORD) == admin


def test_the_owner_of_the_sqlite_data_unlocks_at_the_machine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workstation.security.machine_owner import NotMachineOwner, check_machine_owner

    data_dir = tmp_path / "data"
    data_dir.mkdir()
    engine = make_engine(f"sqlite:///{data_dir / 'casework.sqlite3'}")
    upgrade(engine)
    rig = _rig(UnitOfWorkFactory(make_session_factory(engine), pinned()))
    _admin(rig)
    _lock(rig, "admin")
    owner = check_machine_owner(engine, data_dir)
    assert owner.actor.startswith("os:") and "@" in owner.actor
    view = rig.users.unlock_at_machine(owner, " Admin ")
    assert view.locked_until is None
    assert rig.users.sign_in("admin", ADMIN_PASSWORD).username == "admin"
    [(actor, details)] = [(a, d) for a, action, d in rig.audit() if action == "user.unlocked"]
    assert actor == owner.actor
    assert (details["by"], details["failures"], details["database"]) == (
        "machine_owner",
        5,
        str(data_dir / "casework.sqlite3"),
    )
    with pytest.raises(UserError, match="no user nobody"):
        rig.users.unlock_at_machine(owner, "nobody")

    # Another OS account (this process pretending to be one) may not.
    real = os.geteuid()
    monkeypatch.setattr(os, "geteuid", lambda: real + 1)
    with pytest.raises(NotMachineOwner, match="does not belong to the operating-system account"):
        check_machine_owner(engine, data_dir)


def test_there_is_no_machine_owner_of_a_database_elsewhere(db_url: str, tmp_path: Path) -> None:
    from workstation.security.machine_owner import NotMachineOwner, check_machine_owner

    engine = make_engine(db_url)
    if engine.dialect.name == "sqlite":
        engine = make_engine("sqlite://")  # in memory: no file to own
    with pytest.raises(NotMachineOwner, match="not a SQLite file on this machine"):
        check_machine_owner(engine, tmp_path)
