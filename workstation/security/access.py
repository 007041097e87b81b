"""Who is acting, as a service sees it: the identity its permission checks use and the name its
audit entries carry.

Every service that reads or changes data takes an ``Acting`` and calls
``self._acting.require(Permission.X)`` first: the check lives in the service, so the GUI, the
command line and any script are held to the same matrix (``security.permissions``). The app's
``Session`` is the ``Acting`` of the GUI and the CLI; ``ActingAs`` fixes one identity (tests,
scheduled jobs, the demo walkthrough).
"""

from __future__ import annotations

from typing import Protocol

from workstation.domain.identity import Identity
from workstation.security.permissions import Permission, require


class Acting(Protocol):
    def current(self) -> Identity | None:
        """The signed-in user, or None."""
        ...

    def actor(self) -> str:
        """The name for audit entries."""
        ...

    def require(self, permission: Permission) -> Identity:
        """The acting identity, or ``PermissionDenied`` when they may not do ``permission``."""
        ...


class ActingAs:
    """Always ``identity`` (None: nobody signed in, every check refuses)."""

    def __init__(self, identity: Identity | None) -> None:
        self.identity = identity

    def current(self) -> Identity | None:
        return self.identity

    def actor(self) -> str:
        return self.identity.actor if self.identity is not None else "nobody"

    def require(self, permission: Permission) -> Identity:
        return require(self.identity, permission)
