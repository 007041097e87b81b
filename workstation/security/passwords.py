"""Password hashing (Argon2id, memory-hard) and the minimum password policy.

Hashes are PHC strings (``$argon2id$v=19$m=...,t=...,p=...$salt$hash``): they carry their own
parameters, so a stronger default later still verifies old hashes, and ``needs_rehash`` tells
the sign-in to store a fresh one.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

#: The policy's minimum length, in characters.
MIN_LENGTH = 10
#: Longer input is refused before hashing (a megabyte "password" is an attack, not a secret).
MAX_LENGTH = 256
#: A password must mix at least this many of: lower case, upper case, digits, other characters.
MIN_CLASSES = 2


class PasswordProblem(StrEnum):
    """Why a new password is refused. The values are stable codes the GUI translates."""

    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    ONE_CLASS = "one_class"
    CONTAINS_USERNAME = "contains_username"
    EDGE_SPACES = "edge_spaces"


PROBLEM_MESSAGES: dict[PasswordProblem, str] = {
    PasswordProblem.TOO_SHORT: f"use at least {MIN_LENGTH} characters",
    PasswordProblem.TOO_LONG: f"use at most {MAX_LENGTH} characters",
    PasswordProblem.ONE_CLASS: (
        "mix at least two kinds of characters: lower case, upper case, digits, other characters"
    ),
    PasswordProblem.CONTAINS_USERNAME: "do not use the username inside the password",
    PasswordProblem.EDGE_SPACES: "do not start or end the password with a space",
}


class WeakPassword(ValueError):
    """A new password breaks the policy; ``problems`` says how (one code per rule broken)."""

    def __init__(self, problems: list[PasswordProblem]) -> None:
        self.problems = problems
        text = "; ".join(PROBLEM_MESSAGES[p] for p in problems)
        super().__init__(f"the password is too weak: {text}")


def character_classes(password: str) -> set[str]:
    """Which kinds of characters ``password`` mixes: lower, upper, digit, other."""
    kinds = set()
    for char in password:
        if char.islower():
            kinds.add("lower")
        elif char.isupper():
            kinds.add("upper")
        elif char.isdigit():
            kinds.add("digit")
        else:
            kinds.add("other")  # punctuation, spaces, and letters without case (汉字)
    return kinds


def password_problems(password: str, username: str | None = None) -> list[PasswordProblem]:
    """Every rule of the policy ``password`` breaks, in a fixed order (empty: acceptable)."""
    problems = []
    length = len(password)
    if length < MIN_LENGTH:
        problems.append(PasswordProblem.TOO_SHORT)
    if length > MAX_LENGTH:
        problems.append(PasswordProblem.TOO_LONG)
    if password and len(character_classes(password)) < MIN_CLASSES:
        problems.append(PasswordProblem.ONE_CLASS)
    name = (username or "").strip().casefold()
    if len(name) >= 3 and name in password.casefold():
        problems.append(PasswordProblem.CONTAINS_USERNAME)
    if password != password.strip():
        problems.append(PasswordProblem.EDGE_SPACES)
    return problems


def check_password(password: str, username: str | None = None) -> None:
    """Raise ``WeakPassword`` naming every rule ``password`` breaks."""
    problems = password_problems(password, username)
    if problems:
        raise WeakPassword(problems)


def _normalise(password: str) -> str:
    """The same characters typed on another keyboard or input method hash alike (NFC)."""
    return unicodedata.normalize("NFC", password)


@dataclass(frozen=True)
class HashParameters:
    """Argon2id cost. The default is RFC 9106's low-memory choice (64 MiB, 3 passes, 4 lanes)."""

    time_cost: int = 3
    memory_cost_kib: int = 64 * 1024
    parallelism: int = 4


class Passwords:
    """Hash and verify with Argon2id. Construct with cheaper ``HashParameters`` only in tests."""

    def __init__(self, parameters: HashParameters | None = None) -> None:
        self.parameters = parameters or HashParameters()
        self._hasher = PasswordHasher(
            time_cost=self.parameters.time_cost,
            memory_cost=self.parameters.memory_cost_kib,
            parallelism=self.parameters.parallelism,
        )
        self._dummy_hash: str | None = None

    def hash(self, password: str, *, salt: bytes | None = None) -> str:
        """A fresh random salt unless one is given (only the demo, to stay reproducible)."""
        return self._hasher.hash(_normalise(password), salt=salt)

    def verify(self, password_hash: str | None, password: str) -> bool:
        """True when ``password`` matches; False for a mismatch, a missing or a broken hash."""
        if not password_hash:
            return False
        if len(password) > MAX_LENGTH:
            return False
        try:
            return self._hasher.verify(password_hash, _normalise(password))
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        """True when the hash was made with other parameters than today's (or is unreadable)."""
        try:
            return self._hasher.check_needs_rehash(password_hash)
        except (InvalidHashError, ValueError):
            return True

    def waste_time(self, password: str) -> None:
        """Spend the time of one verification, so an unknown username answers no faster than
        a wrong password (no account enumeration by timing)."""
        if self._dummy_hash is None:
            self._dummy_hash = self.hash("not a real password, only for timing")
        self.verify(self._dummy_hash, password)


_default = Passwords()


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """Argon2id hash of ``password`` with the default parameters."""
    return _default.hash(password, salt=salt)


def verify_password(password_hash: str | None, password: str) -> bool:
    return _default.verify(password_hash, password)


def needs_rehash(password_hash: str) -> bool:
    return _default.needs_rehash(password_hash)
