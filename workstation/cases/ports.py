"""What the case workflow needs from other parts of the program, as small protocols.

The security module provides them (``security.permissions.PermissionAuthorizer``, which raises
``security.permissions.PermissionDenied``, and the signing service); tests use an HMAC signer
for the second.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from workstation.domain.identity import Identity


class Authorizer(Protocol):
    def require(self, identity: Identity, operation: str) -> None:
        """Return if ``identity`` may perform ``operation`` (e.g. ``"case.approve"``); raise
        a ``PermissionError`` subclass saying why not otherwise."""


@dataclass(frozen=True)
class SignedPayload:
    #: The canonical JSON that was signed, and its SHA-256 (hex).
    payload_json: str
    payload_sha256: str
    signature_b64: str
    certificate_id: int
    signed_at: datetime


@dataclass(frozen=True)
class SignatureCheck:
    valid: bool
    #: Why it is not valid (or a short confirmation when it is).
    reason: str | None = None
    #: Who the certificate names, when known.
    signer: str | None = None


class SignedPayloadLike(Protocol):
    """What a signer returns (``SignedPayload`` above, or the signing service's own)."""

    @property
    def payload_json(self) -> str: ...
    @property
    def payload_sha256(self) -> str: ...
    @property
    def signature_b64(self) -> str: ...
    @property
    def certificate_id(self) -> int: ...
    @property
    def signed_at(self) -> datetime: ...


class SignatureCheckLike(Protocol):
    @property
    def valid(self) -> bool: ...
    @property
    def reason(self) -> str | None: ...


class Signer(Protocol):
    def sign(self, user_id: int, payload: dict[str, Any]) -> SignedPayloadLike:
        """Sign the canonical JSON of ``payload`` with ``user_id``'s own key."""

    def verify(
        self, payload_json: str, signature_b64: str, certificate_id: int
    ) -> SignatureCheckLike:
        """Check ``signature_b64`` over ``payload_json`` with the certificate's public key."""
