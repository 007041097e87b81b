"""Plain values of signing, the signed envelope, and the judgement of one signature.

No database here: :func:`judge_signature` gets the certificate and what the store says about
it, and decides. The envelope (canonical JSON) holds the caller's content, the signing time,
the signer and the certificate's fingerprint, so the time and signer shown are covered by the
signature too.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from workstation.security import ca as ca_
from workstation.store.audit import canonical_json

ENVELOPE_VERSION = 1


class SigningError(RuntimeError):
    """Signing is not possible as asked (unknown or inactive user, key and certificate
    that do not match, missing CA...)."""


class SignatureProblem(StrEnum):
    CONTENT_CHANGED = "content_changed"
    UNKNOWN_CERTIFICATE = "unknown_certificate"
    WRONG_CERTIFICATE = "wrong_certificate"
    NOT_FROM_THIS_CA = "not_from_this_ca"
    REVOKED = "revoked"
    EXPIRED = "expired"


#: English text of each problem (the GUI translates the code).
PROBLEM_TEXT = {
    SignatureProblem.CONTENT_CHANGED: "content changed since it was signed",
    SignatureProblem.UNKNOWN_CERTIFICATE: "certificate not found",
    SignatureProblem.WRONG_CERTIFICATE: "signature was not made with this certificate",
    SignatureProblem.NOT_FROM_THIS_CA: "certificate not issued by this installation's CA",
    SignatureProblem.REVOKED: "certificate revoked",
    SignatureProblem.EXPIRED: "certificate not valid at signing time",
}


@dataclass(frozen=True)
class CertificateView:
    id: int
    user_id: int | None
    username: str | None
    is_ca: bool
    subject: str
    serial: str
    fingerprint_sha256: str
    not_before: datetime
    not_after: datetime
    created_at: datetime
    revoked_at: datetime | None
    certificate_pem: str

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


@dataclass(frozen=True)
class SignedPayload:
    """What a caller stores next to the thing decided (e.g. a ``case_approvals`` row)."""

    payload_json: str
    payload_sha256: str
    signature_b64: str
    certificate_id: int
    signed_at: datetime


@dataclass(frozen=True)
class SignatureCheck:
    valid: bool
    problem: SignatureProblem | None
    certificate_id: int
    #: As certified in the certificate (name, username and role when it was issued).
    signer_name: str | None
    signer_username: str | None
    signer_role: str | None
    #: Covered by the signature when ``valid``; only claimed otherwise.
    signed_at: datetime | None
    payload_sha256: str
    #: The caller's content inside the envelope, as canonical JSON (None if unreadable).
    content_json: str | None
    certificate_fingerprint: str | None

    @property
    def reason(self) -> str | None:
        return PROBLEM_TEXT[self.problem] if self.problem else None


@dataclass(frozen=True)
class SigningKey:
    """An opened private key with its certificate and CA (for PDF signing; never stored)."""

    certificate_id: int
    user_id: int
    private_key: ec.EllipticCurvePrivateKey
    certificate_pem: str
    ca_certificate_pem: str


@dataclass(frozen=True)
class IssuerFacts:
    """What the store says about the CA that issued a certificate."""

    not_before: datetime
    not_after: datetime
    revoked: bool


# -- the envelope --------------------------------------------------------------------------------


def content_of(payload: dict[str, Any] | bytes) -> Any:
    """The JSON value to sign: a dict, or UTF-8 JSON bytes (re-canonicalised)."""
    if isinstance(payload, bytes):
        try:
            return json.loads(payload.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise ValueError("a bytes payload must be UTF-8 JSON") from exc
    return json.loads(canonical_json(payload))


def make_envelope(
    content: Any,
    installation_id: str,
    signed_at: datetime,
    user_id: int,
    username: str,
    certificate_sha256: str,
) -> str:
    return canonical_json(
        {
            "v": ENVELOPE_VERSION,
            "installation": installation_id,
            "signed_at": signed_at.astimezone(UTC).isoformat(timespec="microseconds"),
            "signer": {
                "user_id": user_id,
                "username": username,
                "certificate_sha256": certificate_sha256,
            },
            "content": content,
        }
    )


def parse_envelope(payload_json: str) -> dict[str, Any] | None:
    try:
        value = json.loads(payload_json)
    except ValueError:
        return None
    if not isinstance(value, dict) or value.get("v") != ENVELOPE_VERSION:
        return None
    if not isinstance(value.get("signer"), dict) or "content" not in value:
        return None
    return value


def _parse_time(value: object) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# -- the judgement -------------------------------------------------------------------------------


def judge_signature(
    payload_json: str,
    signature_b64: str,
    certificate_id: int,
    certificate_pem: str | None,
    stored_fingerprint: str | None,
    issuer: IssuerFacts | None,
    revoked: bool,
) -> SignatureCheck:
    """Decide one signature. ``certificate_pem`` None: no such (user) certificate; ``issuer``
    None: no CA of this installation signed it. The first problem found is reported, in the
    order: unknown certificate, foreign CA, wrong certificate, content changed, revoked,
    outside validity at the signing time."""
    payload_sha256 = sha256_hex(payload_json)
    envelope = parse_envelope(payload_json)
    claimed_at = _parse_time(envelope.get("signed_at")) if envelope else None
    content_json = canonical_json(envelope["content"]) if envelope else None
    signer: dict[str, str] = {}

    def result(problem: SignatureProblem | None) -> SignatureCheck:
        return SignatureCheck(
            valid=problem is None,
            problem=problem,
            certificate_id=certificate_id,
            signer_name=signer.get("name"),
            signer_username=signer.get("username"),
            signer_role=signer.get("role"),
            signed_at=claimed_at,
            payload_sha256=payload_sha256,
            content_json=content_json,
            certificate_fingerprint=signer.get("fingerprint"),
        )

    if certificate_pem is None:
        return result(SignatureProblem.UNKNOWN_CERTIFICATE)
    cert = ca_.load_certificate(certificate_pem)
    info = ca_.subject_info(cert)
    fingerprint = ca_.fingerprint(cert)
    signer.update(
        name=info.display_name, username=info.username, role=info.role, fingerprint=fingerprint
    )
    if issuer is None or fingerprint != stored_fingerprint:
        return result(SignatureProblem.NOT_FROM_THIS_CA)
    if envelope is not None and envelope["signer"].get("certificate_sha256") != fingerprint:
        return result(SignatureProblem.WRONG_CERTIFICATE)
    try:
        signature = base64.b64decode(signature_b64, validate=True)
    except (binascii.Error, ValueError):
        return result(SignatureProblem.CONTENT_CHANGED)
    digest = bytes.fromhex(payload_sha256)
    if envelope is None or not ca_.verify_signature(cert, digest, signature):
        return result(SignatureProblem.CONTENT_CHANGED)
    if revoked or issuer.revoked:
        return result(SignatureProblem.REVOKED)
    windows = [
        (cert.not_valid_before_utc, cert.not_valid_after_utc),
        (issuer.not_before, issuer.not_after),
    ]
    if claimed_at is None or not all(lo <= claimed_at <= hi for lo, hi in windows):
        return result(SignatureProblem.EXPIRED)
    return result(None)
