"""Who is signed in to this copy of the workstation, and the idle lock (no Qt here).

The app builds one ``Session`` and hands it to the services (``session.current`` for their
permission checks, ``session.actor`` for their audit entries) and to the GUI, which calls
``touch`` on user input and ``lock`` once ``is_idle`` says the idle time is up.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from workstation.domain.clock import Clock
from workstation.domain.identity import Identity
from workstation.security.permissions import Permission, require

if TYPE_CHECKING:
    from workstation.security.users import UserService

#: Lock the session after this long without keyboard or mouse input.
DEFAULT_IDLE_TIMEOUT = timedelta(minutes=15)


def os_account() -> str:
    """The operating-system account: the audit log's actor while nobody is signed in."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "local"


class NotSignedIn(RuntimeError):
    def __init__(self) -> None:
        super().__init__("nobody is signed in")


class Session:
    def __init__(
        self,
        users: UserService | None = None,
        *,
        idle_timeout: timedelta | None = DEFAULT_IDLE_TIMEOUT,
        clock: Clock,
        fallback_actor: Callable[[], str] = os_account,
    ) -> None:
        self._users = users
        self._clock = clock
        self._fallback_actor = fallback_actor
        self._identity: Identity | None = None
        self._locked = False
        self._last_activity = clock.now()
        self._idle_timeout: timedelta | None = None
        self.idle_timeout = idle_timeout

    # -- who --------------------------------------------------------------------------------

    def current(self) -> Identity | None:
        """The signed-in user, also while the session is locked (background work goes on)."""
        return self._identity

    def actor(self) -> str:
        """The name for audit entries: the signed-in username, else the OS account."""
        identity = self._identity
        return identity.actor if identity is not None else self._fallback_actor()

    def require(self, permission: Permission) -> Identity:
        """The signed-in identity if it may do ``permission``, else ``PermissionDenied``."""
        return require(self._identity, permission)

    def sign_in(self, identity: Identity) -> None:
        """Start the session of ``identity`` (whose password the UserService has checked)."""
        self._identity = identity
        self._locked = False
        self.touch()

    def sign_out(self) -> None:
        identity = self._identity
        self._identity = None
        self._locked = False
        if identity is not None and self._users is not None:
            self._users.note_signed_out(identity)

    # -- idle lock --------------------------------------------------------------------------

    @property
    def idle_timeout(self) -> timedelta | None:
        """Idle time before the session locks; None never locks."""
        return self._idle_timeout

    @idle_timeout.setter
    def idle_timeout(self, value: timedelta | None) -> None:
        if value is not None and value <= timedelta(0):
            raise ValueError("the idle timeout must be positive (or None: never lock)")
        self._idle_timeout = value

    @property
    def locked(self) -> bool:
        return self._locked

    def touch(self, now: datetime | None = None) -> None:
        """The user did something (a key, a click): the idle time starts again."""
        self._last_activity = now or self._clock.now()

    def idle_for(self, now: datetime | None = None) -> timedelta:
        return (now or self._clock.now()) - self._last_activity

    def is_idle(self, now: datetime | None = None) -> bool:
        """True when someone is signed in and nothing happened for the idle timeout."""
        if self._identity is None or self._idle_timeout is None:
            return False
        return self.idle_for(now) >= self._idle_timeout

    def lock(self) -> None:
        """Lock the session (the GUI covers its windows until ``unlock``)."""
        identity = self._identity
        if identity is None or self._locked:
            return
        self._locked = True
        if self._users is not None:
            self._users.note_session_locked(identity)

    def unlock(self, password: str) -> Identity:
        """Unlock with the signed-in user's password, checked by the UserService (failures
        count towards the account's lock-out). Raises what ``UserService.sign_in`` raises."""
        identity = self._identity
        if identity is None:
            raise NotSignedIn()
        if self._users is None:
            raise RuntimeError("this session has no user service to check passwords with")
        fresh = self._users.unlock_session(identity, password)
        self._identity = fresh
        self._locked = False
        self.touch()
        return fresh
