"""What the user service hands out and the errors it raises: plain values, never ORM objects."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime

from workstation.domain.enums import Role

USERNAME_PATTERN = re.compile(r"[\w.@-]{2,64}")
MAX_DISPLAY_NAME = 100


@dataclass(frozen=True)
class UserView:
    id: int
    username: str
    display_name: str
    role: Role
    employee_id: int | None
    employee_name: str | None
    active: bool
    #: False for an account created without a password (it cannot sign in yet).
    has_password: bool
    created_at: datetime
    last_sign_in_at: datetime | None
    password_changed_at: datetime | None
    failed_sign_ins: int
    locked_until: datetime | None


class UserError(ValueError):
    """A request the user service refuses. ``code`` is stable, for the GUI to translate."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


class UnknownUser(LookupError):
    def __init__(self, user_id: int) -> None:
        super().__init__(f"no user with id {user_id}")
        self.user_id = user_id


class SignInFailed(Exception):
    """Wrong username or password. Deliberately the same for both."""

    def __init__(self) -> None:
        super().__init__("the username or password is not right")


class AccountLocked(Exception):
    """Too many failed sign-ins in a row: no attempt is checked until ``until``."""

    def __init__(self, until: datetime, now: datetime) -> None:
        self.until = until
        self.minutes_left = max(1, math.ceil((until - now).total_seconds() / 60))
        super().__init__(
            f"too many failed sign-ins: the account is locked for another "
            f"{self.minutes_left} minute(s)"
        )


class AccountInactive(Exception):
    """Right password, but an administrator has deactivated the account."""

    def __init__(self, username: str) -> None:
        super().__init__(f"the account {username!r} is deactivated; ask an administrator")
        self.username = username


def normalise_username(username: str) -> str:
    """Usernames compare without case and surrounding spaces (``Admin `` is ``admin``)."""
    return username.strip().lower()


def valid_username(username: str) -> str:
    name = normalise_username(username)
    if not USERNAME_PATTERN.fullmatch(name):
        raise UserError(
            "a username has 2 to 64 letters, digits, dots, dashes, underscores or @ and no spaces",
            "username_invalid",
        )
    return name


def valid_display_name(display_name: str) -> str:
    display = display_name.strip()
    if not display:
        raise UserError("give the user a display name", "display_name_missing")
    if len(display) > MAX_DISPLAY_NAME:
        raise UserError(
            f"a display name has at most {MAX_DISPLAY_NAME} characters", "display_name_too_long"
        )
    return display
