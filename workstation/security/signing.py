"""Signing service: the installation CA, each user's certificate, signatures and their checks.

Every approval, rejection and decision is signed over the canonical case state it decides:
the caller hands the state (a dict) to :meth:`SigningService.sign` and stores the returned
:class:`SignedPayload`; :meth:`SigningService.verify` checks it later. Signing is ECDSA P-256
over the SHA-256 of the envelope's canonical JSON (see ``signatures``).

Keys are one person's. The CA is created by an administrator (:meth:`SigningService.create_ca`)
under its own passphrase; each user's key is made at their first signature under that user's
own passphrase and waits for an administrator to certify it (:meth:`SigningService.certify`),
at once when the signer is an administrator who opens the CA. Each key's encryption is salted
with the installation, its owner and its serial (``ca.key_salt``); a passphrase typed for a new
key is refused when it opens the CA or any other key in force, so no passphrase opens two
people's keys. The service opens only the key of the signed-in user, and the CA only for a
signed-in administrator.

Keys are kept in the store encrypted; their passphrases are in the OS keyring through
:class:`SecretStore` (random there) or typed by their owner. Passphrases are fetched outside
any database transaction, so a person typing one never holds the SQLite write lock.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy.orm import Session

from workstation.domain.clock import Clock
from workstation.domain.identity import Identity
from workstation.security import ca as ca_
from workstation.security.access import Acting
from workstation.security.certificate_repository import (
    CertificateRepository,
    audit_facts,
    certificate_view,
    issuer_facts,
)
from workstation.security.permissions import Permission, allowed, require
from workstation.security.secrets import PassphraseQuestion, SecretStore, SecretUnavailable
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
from workstation.store.models import PendingSigningKey, SigningCertificate
from workstation.store.uow import UnitOfWorkFactory

CA_PURPOSE = "ca-key"
USER_PURPOSE = "signing-key"
ENTITY = "signing_certificate"
PENDING_ENTITY = "pending_signing_key"
#: The shortest passphrase a person may choose for a key (a keyring's are 43 characters).
MIN_PASSPHRASE = 10
NO_AUTHORITY = (
    "no signing authority yet: an administrator creates it with "
    "`workstation ca init --user ADMIN`, or Users → Create signing authority"
)


class KeyAwaitingCertification(SigningError):
    """The user's signing key exists but no administrator has certified it yet."""

    def __init__(self, username: str) -> None:
        super().__init__(
            "your signing key is ready; an administrator must certify it: "
            f"workstation ca certify {username}, or Users → Certify"
        )
        self.username = username


@dataclass(frozen=True)
class PendingKeyView:
    """A user's key awaiting its certificate (what an administrator sees)."""

    user_id: int
    username: str
    display_name: str
    role: str
    created_at: datetime


@dataclass(frozen=True)
class KeyState:
    """Where one user's signing key stands: none yet, awaiting certification, or certified."""

    username: str
    pending: bool
    certificate: CertificateView | None

    @property
    def certified(self) -> bool:
        return self.certificate is not None


def _key_name(username: str | None, serial: str) -> str:
    """Keyring name of one key's passphrase: per certificate, so a re-issue never overwrites
    the passphrase of a key still in the store."""
    return f"{username or '?'}/{serial}"


class SigningService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        secrets: SecretStore,
        acting: Acting,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._secrets = secrets
        self._acting = acting
        self._clock = clock

    @property
    def installation_id(self) -> str:
        return self._secrets.installation_id

    # -- the signing authority --------------------------------------------------------------

    def authority(self) -> CertificateView | None:
        """The installation CA in force, or None before an administrator created it."""
        with self._uow() as work:
            row = CertificateRepository(work.session).current_ca(self._clock.now())
            return certificate_view(row, None) if row is not None else None

    def create_ca(self, identity: Identity) -> CertificateView:
        """Create the installation CA (administrators only, signed in) under its own
        passphrase: random in the administrator's keyring, else chosen by them. Audited."""
        self._require_administrator(identity)
        if self.authority() is not None:
            raise SigningError("this installation already has a signing authority")
        now = self._clock.now()
        key = ca_.new_key()
        cert = ca_.make_ca_certificate(key, self.installation_id, now)
        serial = ca_.serial_hex(cert)
        question = PassphraseQuestion(ca_.CA_OWNER, identity.display_name, new=True)
        passphrase = self._secrets.create(CA_PURPOSE, serial, question, self._check_new)
        salt = ca_.key_salt(self.installation_id, ca_.CA_OWNER, serial)
        encrypted = ca_.encrypt_key(key, passphrase, salt)
        with self._uow() as work:
            repo = CertificateRepository(work.session)
            repo.lock()
            if repo.current_ca(now) is not None:  # another process made one meanwhile
                self._secrets.delete(CA_PURPOSE, serial)
                raise SigningError("this installation already has a signing authority")
            row = repo.add(None, cert, encrypted, now)
            details = audit_facts(row) | {"by": identity.username}
            self._audit(work.session, "signing.ca_created", row.id, details)
            view = certificate_view(row, None)
            work.commit()
        return view

    # -- each user's key ----------------------------------------------------------------------

    def key_state(self, user_id: int) -> KeyState:
        """Whether the user has a certified key in force, one awaiting certification, or none."""
        with self._uow() as work:
            repo = CertificateRepository(work.session)
            user = repo.signing_user(user_id)
            wanted = ca_.certified_subject(user.display_name, user.username, user.role)
            row = repo.current_for_user(user_id, wanted, self._clock.now())
            view = certificate_view(row, user.username) if row is not None else None
            return KeyState(user.username, repo.pending_for(user_id) is not None, view)

    def enrol(self, identity: Identity) -> KeyState:
        """Make the signed-in user's key (under their own passphrase) unless they have one in
        force or awaiting certification; an administrator's is certified at once. Audited."""
        self._require_self(identity.user_id)
        if self.authority() is None:
            raise SigningError(NO_AUTHORITY)
        state = self.key_state(identity.user_id)
        if state.certified:
            return state
        if not state.pending:
            self._make_pending_key(identity.user_id)
        if allowed(identity, Permission.USER_MANAGE):  # an administrator opens the CA
            self.certify(identity, [state.username])
        return self.key_state(identity.user_id)

    def pending_keys(self, identity: Identity) -> list[PendingKeyView]:
        """Keys awaiting certification (administrators only)."""
        require(identity, Permission.USER_MANAGE)
        with self._uow() as work:
            return [
                PendingKeyView(u.id, u.username, u.display_name, u.role, k.created_at)
                for k, u in CertificateRepository(work.session).pending()
            ]

    def certify(
        self, identity: Identity, usernames: list[str] | None = None
    ) -> list[CertificateView]:
        """Issue certificates, with the CA, for the keys awaiting one (``usernames``, or all):
        administrators only, who open the CA with its passphrase. Audited."""
        self._require_administrator(identity)
        with self._uow() as work:
            waiting = [
                (k.id, u.username)
                for k, u in CertificateRepository(work.session).pending()
                if usernames is None or u.username in usernames
            ]
        missing = sorted(set(usernames or ()) - {name for _, name in waiting})
        if missing:
            raise SigningError(f"no signing key awaits certification for {', '.join(missing)}")
        if not waiting:
            return []
        authority = self.authority()
        if authority is None:
            raise SigningError(NO_AUTHORITY)
        ca_key = self._open_ca(identity, authority)
        ca_cert = ca_.load_certificate(authority.certificate_pem)
        now = self._clock.now()
        issued: list[CertificateView] = []
        with self._uow() as work:
            repo = CertificateRepository(work.session)
            repo.lock()
            for pending_id, username in waiting:
                pending = work.session.get(PendingSigningKey, pending_id)
                if pending is None:  # certified meanwhile by another administrator
                    continue
                user = repo.signing_user(pending.user_id)
                wanted = ca_.certified_subject(user.display_name, user.username, user.role)
                cert = ca_.make_user_certificate(
                    ca_.load_public_key(pending.public_key_pem),
                    wanted,
                    self.installation_id,
                    ca_key,
                    ca_cert,
                    now,
                    serial=int(pending.serial, 16),
                )
                row = repo.add(user.id, cert, pending.private_key_pem, now)
                work.session.delete(pending)
                details = audit_facts(row) | {
                    "user": username,
                    "ca_id": authority.id,
                    "certified_by": identity.username,
                }
                self._audit(work.session, "signing.certificate_issued", row.id, details)
                issued.append(certificate_view(row, username))
            work.commit()
        return issued

    def _make_pending_key(self, user_id: int) -> None:
        with self._uow() as work:
            user = CertificateRepository(work.session).signing_user(user_id)
            username, display = user.username, user.display_name
        key = ca_.new_key()
        serial = f"{ca_.new_serial():x}"
        name = _key_name(username, serial)
        question = PassphraseQuestion(username, display, new=True)
        passphrase = self._secrets.create(USER_PURPOSE, name, question, self._check_new)
        salt = ca_.key_salt(self.installation_id, username, serial)
        encrypted = ca_.encrypt_key(key, passphrase, salt)
        with self._uow() as work:
            repo = CertificateRepository(work.session)
            repo.lock()
            if repo.pending_for(user_id) is not None:  # made meanwhile by another process
                self._secrets.delete(USER_PURPOSE, name)
                return
            public = ca_.public_pem(key.public_key())
            row = repo.add_pending(user_id, serial, public, encrypted, self._clock.now())
            details = {"user": username, "serial": serial}
            append_audit(
                work.session,
                self._acting.actor(),
                "signing.key_created",
                PENDING_ENTITY,
                row.id,
                details,
            )
            work.commit()

    def _check_new(self, passphrase: str) -> None:
        """Refuse a passphrase a person chose for a new key when it is short, or when it opens
        the CA or any key in force or awaiting certification: then no passphrase ever opens
        two keys."""
        if len(passphrase) < MIN_PASSPHRASE:
            raise SigningError(
                f"a signing key's passphrase has at least {MIN_PASSPHRASE} characters"
            )
        with self._uow() as work:
            repo = CertificateRepository(work.session)
            keys = [
                (r.private_key_pem, self._salts(r, repo)) for r in repo.in_force(self._clock.now())
            ]
            keys += [
                (k.private_key_pem, (ca_.key_salt(self.installation_id, u.username, k.serial),))
                for k, u in repo.pending()
            ]
        for pem, salts in keys:
            try:
                ca_.decrypt_key(pem, passphrase, *salts)
            except ca_.WrongPassphrase:
                continue
            raise SigningError("this passphrase already protects another key; choose another")

    def _salts(self, row: SigningCertificate, repo: CertificateRepository) -> tuple[str, ...]:
        owner = ca_.CA_OWNER if row.is_ca else (repo.username(row.user_id) or "?")
        return (ca_.key_salt(self.installation_id, owner, row.serial), row.serial)

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
        """Open the signed-in user's private key. At their first signature the key is made
        (under their passphrase); it signs once an administrator certified it."""
        identity = self._require_self(user_id)
        state = self.key_state(user_id)
        if state.certificate is None:
            state = self.enrol(identity)
        view = state.certificate
        if view is None:
            raise KeyAwaitingCertification(state.username)
        name = _key_name(view.username, view.serial)
        question = PassphraseQuestion(state.username, identity.display_name)
        key = self._open(USER_PURPOSE, name, view.id, question, "your signing key")
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
        append_audit(session, self._acting.actor(), action, ENTITY, cert_id, details)

    def _require_self(self, user_id: int) -> Identity:
        """The signed-in identity, when it is ``user_id``: nobody opens another's key."""
        current = self._acting.current()
        if current is None:
            raise SigningError("nobody is signed in: a signing key opens only for its owner")
        if current.user_id != user_id:
            raise SigningError(
                f"a signing key opens only for its owner: {current.username} is signed in"
            )
        return current

    def _require_administrator(self, identity: Identity) -> None:
        """The signing authority is used only by a signed-in administrator."""
        self._require_self(identity.user_id)
        require(identity, Permission.USER_MANAGE)

    def _open_ca(
        self, identity: Identity, authority: CertificateView
    ) -> ec.EllipticCurvePrivateKey:
        self._require_administrator(identity)
        question = PassphraseQuestion(ca_.CA_OWNER, identity.display_name)
        return self._open(
            CA_PURPOSE, authority.serial, authority.id, question, "the signing authority"
        )

    def _open(
        self,
        purpose: str,
        name: str,
        certificate_id: int,
        question: PassphraseQuestion,
        what: str,
    ) -> ec.EllipticCurvePrivateKey:
        """Decrypt one stored key with its passphrase from the keyring (or asked for)."""
        passphrase = self._secrets.get(purpose, name, question)
        if passphrase is None:
            raise SecretUnavailable(
                f"the passphrase of {what} is not in the keyring and was not given"
                f" ({self._secrets.describe()})"
            )
        with self._uow() as work:
            row = CertificateRepository(work.session).get(certificate_id)
            if row is None:
                raise SigningError(f"no certificate {certificate_id}")
            salts = self._salts(row, CertificateRepository(work.session))
            key_pem, cert_pem = row.private_key_pem, row.certificate_pem
        key = ca_.decrypt_key(key_pem, passphrase, *salts)
        public = ca_.load_certificate(cert_pem).public_key()
        if not isinstance(public, ec.EllipticCurvePublicKey) or (
            public.public_numbers() != key.public_key().public_numbers()
        ):
            raise SigningError("the stored key does not match its certificate")
        return key
