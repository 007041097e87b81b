"""Who is acting: the signed-in user as every service sees it (plain values, no ORM)."""

from __future__ import annotations

from dataclasses import dataclass

from workstation.domain.enums import Role


@dataclass(frozen=True)
class Identity:
    user_id: int
    username: str
    display_name: str
    role: Role
    #: The employee record of this user, if linked (for conflict-of-interest checks).
    employee_id: int | None = None

    @property
    def actor(self) -> str:
        """The name written into audit entries and timelines."""
        return self.username
