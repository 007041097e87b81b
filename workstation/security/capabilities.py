"""What the signed-in user can do here and now, and why not: the answer a view asks for before
it offers a button, so no view re-implements the permission matrix or a workflow's rules.

A ``Capability`` says whether an action is allowed, the reason when it is not (in English, as
the services word their refusals; the GUI shows it translated, ``workstation.service_text``),
and whether to offer it at all: an action the user's role never does is not shown; one the
role does but that is not possible yet is shown disabled, its reason beside it. The services
still check every call themselves (``permissions.require``): a capability only describes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from workstation.domain.identity import Identity
from workstation.security.permissions import Permission, PermissionDenied, allowed


@dataclass(frozen=True)
class Capability:
    allowed: bool
    #: Why not (empty when allowed): one sentence, English, as the service would refuse it.
    reason: str = ""
    #: Whether to offer the action at all. False when the user's role never does it (or it
    #: has no place here); a shown action that is not allowed is disabled with its reason.
    shown: bool = True

    def __bool__(self) -> bool:
        return self.allowed

    def hidden(self) -> Capability:
        """The same answer, not offered."""
        return replace(self, shown=False)


ALLOWED = Capability(True)


def refused(reason: str, *, shown: bool = True) -> Capability:
    return Capability(False, reason, shown)


def capability(identity: Identity | None, permission: Permission) -> Capability:
    """May ``identity`` do ``permission`` at all? Not shown when not (their role never does
    it); the reason is the refusal the service would give."""
    if allowed(identity, permission):
        return ALLOWED
    return refused(str(PermissionDenied(identity, permission)), shown=False)


def first_refusal(*answers: Capability) -> Capability:
    """The first answer that refuses (``ALLOWED`` when none does)."""
    return next((a for a in answers if not a.allowed), ALLOWED)


__all__ = ["ALLOWED", "Capability", "capability", "first_refusal", "refused"]
