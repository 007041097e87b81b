"""The users table as the user service needs it: locking, look-ups, checks, plain views."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from workstation.domain.enums import Role
from workstation.domain.identity import Identity
from workstation.security.model import UnknownUser, UserError, UserView
from workstation.security.permissions import Permission, PermissionDenied, require
from workstation.store.models import Employee, User
from workstation.store.write_lock import MAX_WAIT_S, take_write_lock

#: Advisory-lock key of the users table on PostgreSQL (any constant 64-bit number).
USERS_LOCK_KEY = 0x5553455253


def usable_admins(session: DbSession) -> list[int]:
    return list(
        session.scalars(
            select(User.id).where(
                User.role == Role.ADMINISTRATOR.value,
                User.active.is_(True),
                User.password_hash.is_not(None),
            )
        )
    )


def require_current(
    session: DbSession, identity: Identity | None, permission: Permission
) -> Identity:
    """``require`` plus a look at the stored account: a session signed in before its account
    was deactivated or given another role may no longer act on the old role's rights."""
    who = require(identity, permission)
    user = session.get(User, who.user_id)
    if user is None or not user.active or user.role != who.role.value:
        raise PermissionDenied(
            who,
            permission,
            f"the account {who.username} was deactivated or changed since signing in; "
            "sign in again",
        )
    return who


def keep_an_admin(session: DbSession, user: User) -> None:
    """Refuse to take away the last active administrator (deactivation or a role change)."""
    if user.role == Role.ADMINISTRATOR.value and user.active:
        others = [i for i in usable_admins(session) if i != user.id]
        if not others:
            raise UserError(
                "this is the last active administrator; appoint another one first", "last_admin"
            )


def check_username_free(session: DbSession, name: str) -> None:
    if session.scalars(select(User.id).where(User.username == name)).first() is not None:
        raise UserError(f"the username {name!r} is taken", "username_taken")


def check_employee_free(session: DbSession, employee_id: int, user_id: int | None) -> None:
    if session.get(Employee, employee_id) is None:
        raise UserError(f"no employee with id {employee_id}", "employee_unknown")
    taken = session.scalars(
        select(User.username).where(User.employee_id == employee_id, User.id != (user_id or -1))
    ).first()
    if taken is not None:
        raise UserError(f"that employee is linked to the user {taken!r} already", "employee_linked")


def lock_users(session: DbSession, *, max_wait_s: float = MAX_WAIT_S) -> None:
    """Serialise writers of the users table until the transaction ends, so two sign-ins at
    once both count (SQLite: its write lock by a no-op write; PostgreSQL: an advisory lock).
    Another process's write lock is waited for (``store.write_lock``), ``max_wait_s`` at most.
    """
    take_write_lock(session, "users", USERS_LOCK_KEY, max_wait_s=max_wait_s)


def find_user(session: DbSession, name: str) -> User | None:
    """The user called ``name``, read without any lock (a sign-in is a read first)."""
    return session.scalars(select(User).where(User.username == name)).first()


def get_for_update(session: DbSession, user_id: int) -> User:
    lock_users(session)
    user = session.get(User, user_id)
    if user is None:
        raise UnknownUser(user_id)
    return user


def to_identity(user: User) -> Identity:
    return Identity(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=Role(user.role),
        employee_id=user.employee_id,
    )


def to_view(session: DbSession, user: User) -> UserView:
    employee = session.get(Employee, user.employee_id) if user.employee_id else None
    return UserView(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=Role(user.role),
        employee_id=user.employee_id,
        employee_name=employee.name if employee else None,
        active=user.active,
        has_password=user.password_hash is not None,
        created_at=user.created_at,
        last_sign_in_at=user.last_sign_in_at,
        password_changed_at=user.password_changed_at,
        failed_sign_ins=user.failed_sign_ins or 0,
        locked_until=user.locked_until,
    )
