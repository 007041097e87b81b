"""Signing service: the installation CA, each user's certificate, signatures and their checks.

Every approval, rejection and decision is signed over the canonical case state it decides:
the caller hands the state (a dict) to :meth:`SigningService.sign` and stores the returned
:class:`SignedPayload`; :meth:`SigningService.verify` checks it later. Signing is ECDSA P-256
over the SHA-256 of the envelope's canonical JSON (see ``signatures``).

Keys are kept in the store encrypted; their passphrases are in the OS keyring through
:class:`SecretStore` (or asked for). Passphrases are fetched outside any database
transaction, so a person typing one never holds the SQLite write lock.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from datetime import UTC
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy.orm import Session

from workstation.domain.clock import Clock
from workstation.security import ca as ca_
from workstation.security.certificate_repository import (
    CertificateRepository,
    audit_facts,
    certificate_view,
    issuer_facts,
)
from workstation.security.secrets import SecretStore, SecretUnavailable
from workstation.security.signatures import (
    CertificateView,
    SignatureCheck,
    SignedPayload,
    SigningError,
    SigningKey,
    content_of,
    judge_signature,
    make_envelope,
)
from workstation.store.audit import append_audit
from workstation.store.uow import UnitOfWorkFactory

CA_PURPOSE = "ca-key"
USER_PURPOSE = "signing-key"
ENTITY = "signing_certificate"


def _key_name(username: str | None, serial: str) -> str:
    """Keyring name of one key's passphrase: per certificate, so a re-issue never overwrites
    the passphrase of a key still in the store."""
    return f"{username or '?'}/{serial}"


class SigningService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        secrets: SecretStore,
        actor: Callable[[], str],
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._secrets = secrets
        self._actor = actor
        self._clock = clock

    @property
    def installation_id(self) -> str:
        return self._secrets.installation_id

    # -- certificates -----------------------------------------------------------------------

    def ensure_ca(self) -> CertificateView:
        """The installation CA, created (once) when none is in force. Audited."""
        now = self._clock.now()
        with self._uow() as work:
            row = CertificateRepository(work.session).current_ca(now)
            if row is not None:
                return certificate_view(row, None)
        key = ca_.new_key()
        cert = ca_.make_ca_certificate(key, self.installation_id, now)
        serial = ca_.serial_hex(cert)
        passphrase = self._secrets.create(
            CA_PURPOSE, serial, "Choose a passphrase for this installation's signing authority"
        )
        with self._uow() as work:
            repo = CertificateRepository(work.session)
            repo.lock()
            raced = repo.current_ca(now)
            if raced is not None:  # another process made one meanwhile
                self._secrets.delete(CA_PURPOSE, serial)
                return certificate_view(raced, None)
            row = repo.add(None, cert, ca_.encrypt_key(key, passphrase, serial), now)
            self._audit(work.session, "signing.ca_created", row.id, audit_facts(row))
            view = certificate_view(row, None)
            work.commit()
        return view

    def ensure_user_certificate(self, user_id: int) -> CertificateView:
        """The user's certificate in force; a new one (issued by the CA, audited) when there
        is none or the user's name or role changed since. Old signatures keep theirs."""
        now = self._clock.now()
        with self._uow() as work:
            repo = CertificateRepository(work.session)
            user = repo.signing_user(user_id)
            wanted = ca_.certified_subject(user.display_name, user.username, user.role)
            row = repo.current_for_user(user_id, wanted, now)
            if row is not None:
                return certificate_view(row, user.username)
        authority = self.ensure_ca()
        ca_key = self._open(CA_PURPOSE, authority.serial, authority.id, "the signing authority")
        ca_cert = ca_.load_certificate(authority.certificate_pem)
        key = ca_.new_key()
        cert = ca_.make_user_certificate(
            key.public_key(), wanted, self.installation_id, ca_key, ca_cert, now
        )
        serial = ca_.serial_hex(cert)
        name = _key_name(wanted.username, serial)
        passphrase = self._secrets.create(
            USER_PURPOSE, name, f"Choose a passphrase for the signing key of {wanted.display_name}"
        )
        with self._uow() as work:
            repo = CertificateRepository(work.session)
            repo.lock()
            raced = repo.current_for_user(user_id, wanted, now)
            if raced is not None:
                self._secrets.delete(USER_PURPOSE, name)
                return certificate_view(raced, wanted.username)
            row = repo.add(user_id, cert, ca_.encrypt_key(key, passphrase, serial), now)
            details = audit_facts(row) | {"user": wanted.username, "ca_id": authority.id}
            self._audit(work.session, "signing.certificate_issued", row.id, details)
            view = certificate_view(row, wanted.username)
            work.commit()
        return view

    def revoke_certificate(self, certificate_id: int, reason: str) -> CertificateView:
        """Revoke for good (audited): every signature made with it stops verifying, and the
        key's passphrase leaves the keyring."""
        with self._uow() as work:
            repo = CertificateRepository(work.session)
            row = repo.get(certificate_id)
            if row is None:
                raise SigningError(f"no certificate {certificate_id}")
            username = repo.username(row.user_id)
            if row.revoked_at is None:
                row.revoked_at = self._clock.now()
                details = audit_facts(row) | {"reason": reason}
                self._audit(work.session, "signing.certificate_revoked", row.id, details)
            view = certificate_view(row, username)
            work.commit()
        if view.is_ca:
            self._secrets.delete(CA_PURPOSE, view.serial)
        else:
            self._secrets.delete(USER_PURPOSE, _key_name(username, view.serial))
        return view

    def certificates(self) -> list[CertificateView]:
        """Every certificate, the CA(s) included, oldest first."""
        with self._uow() as work:
            pairs = CertificateRepository(work.session).with_usernames()
            return [certificate_view(row, username) for row, username in pairs]

    def trust_roots_pem(self) -> list[str]:
        """The CAs a PDF signed here is checked against (every CA not revoked)."""
        with self._uow() as work:
            return [
                row.certificate_pem for row in CertificateRepository(work.session).trusted_cas()
            ]

    # -- signing ------------------------------------------------------------------------------

    def signing_key(self, user_id: int) -> SigningKey:
        """Open the user's private key (issuing a certificate first if they have none)."""
        view = self.ensure_user_certificate(user_id)
        name = _key_name(view.username, view.serial)
        key = self._open(USER_PURPOSE, name, view.id, "your signing key")
        with self._uow() as work:
            repo = CertificateRepository(work.session)
            authority = repo.issuer_of(ca_.load_certificate(view.certificate_pem))
            if authority is None:
                raise SigningError("the CA that issued this certificate is missing")
            ca_pem = authority.certificate_pem
        return SigningKey(view.id, user_id, key, view.certificate_pem, ca_pem)

    def sign(
        self, user_id: int, payload: dict[str, Any] | bytes, *, context: str | None = None
    ) -> SignedPayload:
        """Sign ``payload`` (a dict, or UTF-8 JSON bytes) as the user. Audited, with
        ``context`` (e.g. "case 2026-0007: investigation approved") in the entry."""
        content = content_of(payload)
        opened = self.signing_key(user_id)
        cert = ca_.load_certificate(opened.certificate_pem)
        username = ca_.subject_info(cert).username
        signed_at = self._clock.now().astimezone(UTC)
        payload_json = make_envelope(
            content, self.installation_id, signed_at, user_id, username, ca_.fingerprint(cert)
        )
        digest = hashlib.sha256(payload_json.encode("utf-8")).digest()
        signature = ca_.sign_digest(opened.private_key, digest)
        with self._uow() as work:
            details = {"payload_sha256": digest.hex(), "user": username}
            if context:
                details["context"] = context
            self._audit(work.session, "signing.signed", opened.certificate_id, details)
            work.commit()
        return SignedPayload(
            payload_json=payload_json,
            payload_sha256=digest.hex(),
            signature_b64=base64.b64encode(signature).decode("ascii"),
            certificate_id=opened.certificate_id,
            signed_at=signed_at,
        )

    def record_pdf_signature(
        self, key: SigningKey, before_sha256: str, after_sha256: str, reason: str
    ) -> None:
        """Audit a PAdES signature made with ``key`` (``reports.pdf_signing`` calls this)."""
        with self._uow() as work:
            details = {"before_sha256": before_sha256, "pdf_sha256": after_sha256}
            details["reason"] = reason
            self._audit(work.session, "signing.pdf_signed", key.certificate_id, details)
            work.commit()

    def verify(self, payload_json: str, signature_b64: str, certificate_id: int) -> SignatureCheck:
        """Check a stored signature: a user certificate issued by this installation's CA, the
        envelope unchanged, neither certificate nor CA revoked, both valid at signing time."""
        with self._uow() as work:
            repo = CertificateRepository(work.session)
            row = repo.get(certificate_id)
            if row is None or row.is_ca:
                return judge_signature(
                    payload_json, signature_b64, certificate_id, None, None, None, False
                )
            authority = repo.issuer_of(ca_.load_certificate(row.certificate_pem))
            facts = (
                row.certificate_pem,
                row.fingerprint_sha256,
                issuer_facts(authority) if authority else None,
                row.revoked_at is not None,
            )
        return judge_signature(payload_json, signature_b64, certificate_id, *facts)

    # -- inside ------------------------------------------------------------------------------

    def _audit(self, session: Session, action: str, cert_id: int, details: dict[str, Any]) -> None:
        append_audit(session, self._actor(), action, ENTITY, cert_id, details)

    def _open(
        self, purpose: str, name: str, certificate_id: int, what: str
    ) -> ec.EllipticCurvePrivateKey:
        """Decrypt one stored key with its passphrase from the keyring (or asked for)."""
        passphrase = self._secrets.get(purpose, name, f"Passphrase of {what}")
        if passphrase is None:
            raise SecretUnavailable(
                f"the passphrase of {what} is not in the keyring and was not given"
                f" ({self._secrets.describe()})"
            )
        with self._uow() as work:
            row = CertificateRepository(work.session).get(certificate_id)
            if row is None:
                raise SigningError(f"no certificate {certificate_id}")
            key_pem, cert_pem, serial = row.private_key_pem, row.certificate_pem, row.serial
        key = ca_.decrypt_key(key_pem, passphrase, serial)
        public = ca_.load_certificate(cert_pem).public_key()
        if not isinstance(public, ec.EllipticCurvePublicKey) or (
            public.public_numbers() != key.public_key().public_numbers()
        ):
            raise SigningError("the stored key does not match its certificate")
        return key
