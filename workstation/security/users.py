"""The workstation's users: the first administrator, accounts, passwords, sign-in with lock-out.

Every operation runs in one unit of work and writes the audit log (never a password).
Managing accounts needs ``Permission.USER_MANAGE``; signing in and changing one's own password
need only the password.

Lock-out: ``MAX_FAILED_SIGN_INS`` wrong passwords in a row lock an account for
``LOCKOUT_DURATION``; each further wrong password after a lock-out doubles it, up to
``MAX_LOCKOUT_DURATION`` (tries while locked are refused unchecked and do not count). Since
anyone can fail someone's sign-in on purpose, a lock-out is lifted by an administrator
(``unlock``) and, when no administrator can sign in, by the operating-system account that owns
the SQLite data (``unlock_at_machine``, see ``machine_owner``). Every lock-out, each
lengthening and every unlock is in the audit log (``user.locked_out``, ``user.unlocked``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, NoReturn

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from workstation.domain.clock import Clock
from workstation.domain.enums import Role
from workstation.domain.identity import Identity
from workstation.security.machine_owner import MachineOwner
from workstation.security.model import (
    AccountInactive,
    AccountLocked,
    SignInFailed,
    UserError,
    UserView,
    normalise_username,
    valid_display_name,
    valid_username,
)
from workstation.security.passwords import Passwords, check_password
from workstation.security.permissions import Permission, require
from workstation.security.session import os_account
from workstation.security.user_records import (
    check_employee_free,
    check_username_free,
    find_user,
    get_for_update,
    keep_an_admin,
    lock_users,
    require_current,
    to_identity,
    to_view,
    usable_admins,
)
from workstation.store.audit import append_audit, lock_chain
from workstation.store.models import User
from workstation.store.uow import UnitOfWorkFactory
from workstation.store.write_lock import MAX_WAIT_S, DatabaseBusy

#: Consecutive failed sign-ins that lock an account...
MAX_FAILED_SIGN_INS = 5
#: ...for this long at first; each further failed attempt (once the lock-out is over) doubles
#: it: 1, 2, 4, 8 … minutes...
LOCKOUT_DURATION = timedelta(minutes=1)
#: ...up to this.
MAX_LOCKOUT_DURATION = timedelta(hours=1)
#: A lock-out over for this long is forgotten: the count of failures starts again.
FORGET_FAILURES_AFTER = timedelta(hours=24)


def lockout_for(failures: int, max_failed: int, first: timedelta, longest: timedelta) -> timedelta:
    """How long ``failures`` failed attempts in a row lock an account: none below
    ``max_failed``, then ``first`` doubled per further failure, capped at ``longest``."""
    if failures < max_failed:
        return timedelta(0)
    doublings = min(failures - max_failed, 32)
    return min(first * (2**doublings), longest)


class WrongPassword(UserError):
    def __init__(self) -> None:
        super().__init__("the current password is not right", "wrong_password")


class UserService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        *,
        clock: Clock,
        passwords: Passwords | None = None,
        max_failed_sign_ins: int = MAX_FAILED_SIGN_INS,
        lockout_duration: timedelta = LOCKOUT_DURATION,
        max_lockout_duration: timedelta = MAX_LOCKOUT_DURATION,
        machine_actor: Callable[[], str] = os_account,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._passwords = passwords or Passwords()
        self.max_failed_sign_ins = max_failed_sign_ins
        #: The first lock-out; each further failure doubles it up to ``max_lockout_duration``.
        self.lockout_duration = lockout_duration
        self.max_lockout_duration = max(max_lockout_duration, lockout_duration)
        #: Who the audit log names for what happens before anyone has signed in.
        self._machine_actor = machine_actor

    # -- first start ------------------------------------------------------------------------

    def needs_first_admin(self) -> bool:
        """True until an active administrator with a password exists (the first start)."""
        with self._uow() as uow:
            return not usable_admins(uow.session)

    def create_first_admin(self, username: str, display_name: str, password: str) -> Identity:
        """Create the first administrator; refused once one exists. Returns them signed in."""
        name = valid_username(username)
        display = valid_display_name(display_name)
        check_password(password, name)
        password_hash = self._passwords.hash(password)
        now = self._clock.now()
        with self._uow() as uow:
            session = uow.session
            lock_users(session)
            if usable_admins(session):
                raise UserError(
                    "an administrator exists already; ask them for an account", "admin_exists"
                )
            check_username_free(session, name)
            user = User(
                username=name,
                display_name=display,
                role=Role.ADMINISTRATOR.value,
                password_hash=password_hash,
                active=True,
                created_at=now,
                failed_sign_ins=0,
                password_changed_at=now,
                last_sign_in_at=now,
            )
            session.add(user)
            session.flush()
            append_audit(
                session,
                self._machine_actor(),
                "user.first_admin_created",
                "user",
                user.id,
                {"username": name, "display_name": display},
            )
            identity = to_identity(user)
            uow.commit()
            return identity

    # -- signing in -------------------------------------------------------------------------

    def sign_in(self, username: str, password: str) -> Identity:
        """The identity of ``username`` if ``password`` is right.

        Raises ``SignInFailed`` (same for an unknown name and a wrong password),
        ``AccountLocked`` (too many failures in a row) or ``AccountInactive``.
        """
        return self._authenticate(normalise_username(username), password, "user.signed_in")

    def unlock_session(self, identity: Identity, password: str) -> Identity:
        """Check the password of the user whose idle session is locked; failures count towards
        the lock-out like any sign-in. Returns the user's current identity (role may change)."""
        return self._authenticate(identity.username, password, "user.session_unlocked")

    def _authenticate(self, name: str, password: str, action: str) -> Identity:
        """Check the password on a plain read (a reader signing in never waits for another
        process's write lock), then record what happened: a refusal before answering (it
        counts towards the lock-out), a success now or, while another process holds the
        write lock, on a thread that waits for it (``WriteLockWaits.run_deferred``)."""
        now = self._clock.now()
        refused = "user.sign_in_refused" if action == "user.signed_in" else "user.unlock_refused"
        with self._uow() as uow:
            user = find_user(uow.session, name)
            found = None if user is None else (to_identity(user), user.password_hash)
            locked_until, active = (user.locked_until, user.active) if user else (None, False)
        if found is None:
            self._passwords.waste_time(password)
            self._refuse(refused, None, name, "unknown_user", SignInFailed())
        identity, stored_hash = found
        user_id = identity.user_id
        if locked_until is not None and locked_until > now:
            self._refuse(refused, user_id, name, "locked", AccountLocked(locked_until, now))
        if not self._passwords.verify(stored_hash, password):
            self._record_failure(user_id, name, refused, now)
        if not active:
            self._refuse(refused, user_id, name, "inactive", AccountInactive(identity.username))
        assert stored_hash is not None
        new_hash = (
            self._passwords.hash(password) if self._passwords.needs_rehash(stored_hash) else None
        )
        try:
            self._record_success(user_id, action, now, new_hash, max_wait_s=0)
        except DatabaseBusy:
            self._uow.waits.run_deferred(
                f"record {action} of {identity.username}",
                lambda: self._record_success(user_id, action, now, new_hash),
            )
        return identity

    def _record_success(
        self,
        user_id: int,
        action: str,
        now: datetime,
        new_hash: str | None,
        *,
        max_wait_s: float = MAX_WAIT_S,
    ) -> None:
        with self._uow() as uow:
            session = uow.session
            lock_users(session, max_wait_s=max_wait_s)
            lock_chain(session, max_wait_s=max_wait_s)
            user = session.get(User, user_id)
            if user is None:
                return
            if new_hash is not None:
                user.password_hash = new_hash
            user.failed_sign_ins = 0
            user.locked_until = None
            user.last_sign_in_at = now
            append_audit(session, user.username, action, "user", user.id, {"role": user.role})
            uow.commit()

    def _record_failure(self, user_id: int, name: str, action: str, now: datetime) -> NoReturn:
        """Count a wrong password (under the lock: two failures at once both count)."""
        with self._uow() as uow:
            session = uow.session
            lock_users(session)
            user = session.get(User, user_id)
            if user is None:
                raise SignInFailed()
            self._forget_old_lockout(user, now)
            refusal = self._count_failure(session, user, now, self._machine_actor())
            reason = "locked_now" if isinstance(refusal, AccountLocked) else "wrong_password"
            if user.password_hash is None:
                reason = "no_password"
            self._audit_refusal(session, action, user, name, reason, failures=user.failed_sign_ins)
            uow.commit()
        raise refusal

    def _refuse(
        self, action: str, user_id: int | None, name: str, reason: str, refusal: Exception
    ) -> NoReturn:
        """Record a refused sign-in in the audit log, then raise ``refusal``."""
        with self._uow() as uow:
            session = uow.session
            lock_users(session)
            user = session.get(User, user_id) if user_id is not None else None
            self._audit_refusal(session, action, user, name, reason)
            uow.commit()
        raise refusal

    def _forget_old_lockout(self, user: User, now: datetime) -> None:
        """A lock-out over for a day is forgotten (the count starts again); a recent one is
        kept, so that the next failure locks the account for longer."""
        if user.locked_until is not None and user.locked_until + FORGET_FAILURES_AFTER <= now:
            user.locked_until = None
            user.failed_sign_ins = 0

    def _count_failure(
        self, session: DbSession, user: User, now: datetime, actor: str
    ) -> Exception:
        """Count one failed attempt; at ``max_failed_sign_ins`` and after, lock the account
        (longer each time) and write the lock-out to the audit log."""
        user.failed_sign_ins = (user.failed_sign_ins or 0) + 1
        duration = lockout_for(
            user.failed_sign_ins,
            self.max_failed_sign_ins,
            self.lockout_duration,
            self.max_lockout_duration,
        )
        if not duration:
            return SignInFailed()
        user.locked_until = now + duration
        append_audit(
            session,
            actor,
            "user.locked_out",
            "user",
            user.id,
            {
                "username": user.username,
                "failures": user.failed_sign_ins,
                "minutes": duration.total_seconds() / 60,
                "until": user.locked_until.isoformat(),
                "lengthened": user.failed_sign_ins > self.max_failed_sign_ins,
            },
        )
        return AccountLocked(user.locked_until, now)

    def _audit_refusal(
        self,
        session: DbSession,
        action: str,
        user: User | None,
        name: str,
        reason: str,
        **extra: Any,
    ) -> None:
        append_audit(
            session,
            self._machine_actor(),
            action,
            "user",
            user.id if user else None,
            {"username": name[:64], "reason": reason, **extra},
        )

    def note_session_locked(self, identity: Identity) -> None:
        """Record that the session of ``identity`` locked itself after idle time."""
        self._note(identity, "user.session_locked")

    def note_signed_out(self, identity: Identity) -> None:
        self._note(identity, "user.signed_out")

    def _note(self, identity: Identity, action: str) -> None:
        with self._uow() as uow:
            append_audit(uow.session, identity.actor, action, "user", identity.user_id)
            uow.commit()

    # -- one's own password -----------------------------------------------------------------

    def change_own_password(self, identity: Identity, old: str, new: str) -> None:
        """Change the signed-in user's password. A wrong ``old`` raises ``WrongPassword`` and
        counts towards the lock-out like a failed sign-in."""
        check_password(new, identity.username)
        if new == old:
            raise UserError("the new password must differ from the current one", "same_password")
        new_hash = self._passwords.hash(new)
        now = self._clock.now()
        with self._uow() as uow:
            session = uow.session
            user = get_for_update(session, identity.user_id)
            if user.locked_until is not None and user.locked_until > now:
                raise AccountLocked(user.locked_until, now)
            if not user.active:
                raise AccountInactive(user.username)
            if not self._passwords.verify(user.password_hash, old):
                self._forget_old_lockout(user, now)
                refusal = self._count_failure(session, user, now, identity.actor)
                append_audit(
                    session,
                    identity.actor,
                    "user.password_change_refused",
                    "user",
                    user.id,
                    {"failures": user.failed_sign_ins},
                )
                uow.commit()
                raise refusal if isinstance(refusal, AccountLocked) else WrongPassword()
            user.password_hash = new_hash
            user.password_changed_at = now
            user.failed_sign_ins = 0
            append_audit(session, identity.actor, "user.password_changed", "user", user.id)
            uow.commit()

    # -- administration ---------------------------------------------------------------------

    def create_user(
        self,
        by: Identity | None,
        username: str,
        display_name: str,
        role: Role,
        password: str,
        employee_id: int | None = None,
    ) -> UserView:
        actor = require(by, Permission.USER_MANAGE)
        name = valid_username(username)
        display = valid_display_name(display_name)
        role = Role(role)
        check_password(password, name)
        password_hash = self._passwords.hash(password)
        now = self._clock.now()
        with self._uow() as uow:
            session = uow.session
            lock_users(session)
            require_current(session, actor, Permission.USER_MANAGE)
            check_username_free(session, name)
            if employee_id is not None:
                check_employee_free(session, employee_id, None)
            user = User(
                username=name,
                display_name=display,
                role=role.value,
                employee_id=employee_id,
                password_hash=password_hash,
                active=True,
                created_at=now,
                failed_sign_ins=0,
                password_changed_at=now,
            )
            session.add(user)
            session.flush()
            append_audit(
                session,
                actor.actor,
                "user.created",
                "user",
                user.id,
                {
                    "username": name,
                    "display_name": display,
                    "role": role.value,
                    "employee_id": employee_id,
                },
            )
            view = to_view(session, user)
            uow.commit()
            return view

    def set_password(self, by: Identity | None, user_id: int, new_password: str) -> UserView:
        """An administrator sets (resets) someone's password; this also lifts a lock-out."""
        actor = require(by, Permission.USER_MANAGE)
        with self._uow() as uow:
            session = uow.session
            user = get_for_update(session, user_id)
            require_current(session, actor, Permission.USER_MANAGE)
            check_password(new_password, user.username)
            user.password_hash = self._passwords.hash(new_password)
            user.password_changed_at = self._clock.now()
            user.failed_sign_ins = 0
            user.locked_until = None
            append_audit(
                session, actor.actor, "user.password_set", "user", user.id, {"by_admin": True}
            )
            view = to_view(session, user)
            uow.commit()
            return view

    def unlock(self, by: Identity | None, user_id: int) -> UserView:
        """An administrator lifts a lock-out and clears the count of failed sign-ins (audited
        when there was something to lift)."""
        actor = require(by, Permission.USER_MANAGE)
        with self._uow() as uow:
            session = uow.session
            user = get_for_update(session, user_id)
            require_current(session, actor, Permission.USER_MANAGE)
            self._lift(session, user, actor.actor, {})
            view = to_view(session, user)
            uow.commit()
            return view

    def unlock_at_machine(self, owner: MachineOwner, username: str) -> UserView:
        """The recovery when every administrator is locked out: the operating-system account
        that owns the SQLite data folder (``machine_owner.check_machine_owner`` proved it; it
        could edit the database file anyway) lifts the lock-out of ``username``. Audited with
        that account and machine as the actor."""
        name = normalise_username(username)
        with self._uow() as uow:
            session = uow.session
            lock_users(session)
            user = find_user(session, name)
            if user is None:
                raise UserError(f"no user {name}", "unknown_user")
            details = {"by": "machine_owner", "host": owner.host, "database": owner.database}
            self._lift(session, user, owner.actor, details)
            view = to_view(session, user)
            uow.commit()
            return view

    def _lift(self, session: DbSession, user: User, actor: str, details: dict[str, Any]) -> None:
        now = self._clock.now()
        was = (
            user.locked_until if user.locked_until is not None and user.locked_until > now else None
        )
        if was is None and not user.failed_sign_ins:
            return
        append_audit(
            session,
            actor,
            "user.unlocked",
            "user",
            user.id,
            {
                "username": user.username,
                "was_locked_until": was.isoformat() if was else None,
                "failures": user.failed_sign_ins,
                **details,
            },
        )
        user.failed_sign_ins = 0
        user.locked_until = None

    def set_active(self, by: Identity | None, user_id: int, active: bool) -> UserView:
        """(De)activate an account. Reactivating also lifts a lock-out. Nobody deactivates
        themselves, and the last active administrator stays."""
        actor = require(by, Permission.USER_MANAGE)
        with self._uow() as uow:
            session = uow.session
            user = get_for_update(session, user_id)
            require_current(session, actor, Permission.USER_MANAGE)
            if not active:
                if user.id == actor.user_id:
                    raise UserError("you cannot deactivate your own account", "own_account")
                keep_an_admin(session, user)
            else:
                user.failed_sign_ins = 0
                user.locked_until = None
            if user.active != active:
                user.active = active
                append_audit(
                    session,
                    actor.actor,
                    "user.activated" if active else "user.deactivated",
                    "user",
                    user.id,
                    {"username": user.username},
                )
            view = to_view(session, user)
            uow.commit()
            return view

    def set_role(self, by: Identity | None, user_id: int, role: Role) -> UserView:
        actor = require(by, Permission.USER_MANAGE)
        role = Role(role)
        with self._uow() as uow:
            session = uow.session
            user = get_for_update(session, user_id)
            require_current(session, actor, Permission.USER_MANAGE)
            if user.role == role.value:
                return to_view(session, user)
            if user.id == actor.user_id:
                raise UserError(
                    "you cannot change your own role; ask another administrator", "own_role"
                )
            keep_an_admin(session, user)
            old = user.role
            user.role = role.value
            append_audit(
                session,
                actor.actor,
                "user.role_changed",
                "user",
                user.id,
                {"username": user.username, "from": old, "to": role.value},
            )
            view = to_view(session, user)
            uow.commit()
            return view

    def list_users(self, by: Identity | None) -> list[UserView]:
        actor = require(by, Permission.USER_MANAGE)
        with self._uow() as uow:
            session = uow.session
            require_current(session, actor, Permission.USER_MANAGE)
            users = session.scalars(select(User).order_by(User.username)).all()
            return [to_view(session, u) for u in users]
