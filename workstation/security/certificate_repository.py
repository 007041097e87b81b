"""Rows of ``signing_certificates`` in one session: find the CA and user certificates in
force, the CA that issued a certificate, add new ones. Plain views go out."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from cryptography import x509
from sqlalchemy import select
from sqlalchemy.orm import Session

from workstation.security import ca as ca_
from workstation.security.signatures import CertificateView, IssuerFacts, SigningError
from workstation.store.models import PendingSigningKey, SigningCertificate, User


def certificate_view(row: SigningCertificate, username: str | None) -> CertificateView:
    return CertificateView(
        id=row.id,
        user_id=row.user_id,
        username=username,
        is_ca=row.is_ca,
        subject=row.subject,
        serial=row.serial,
        fingerprint_sha256=row.fingerprint_sha256,
        not_before=row.not_before,
        not_after=row.not_after,
        created_at=row.created_at,
        revoked_at=row.revoked_at,
        certificate_pem=row.certificate_pem,
    )


def audit_facts(row: SigningCertificate) -> dict[str, Any]:
    return {
        "subject": row.subject,
        "serial": row.serial,
        "fingerprint_sha256": row.fingerprint_sha256,
        "not_after": row.not_after.isoformat(),
    }


def issuer_facts(row: SigningCertificate) -> IssuerFacts:
    return IssuerFacts(row.not_before, row.not_after, row.revoked_at is not None)


class CertificateRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, certificate_id: int) -> SigningCertificate | None:
        return self.session.get(SigningCertificate, certificate_id)

    def add(
        self,
        user_id: int | None,
        cert: x509.Certificate,
        encrypted_key_pem: str,
        now: datetime,
    ) -> SigningCertificate:
        row = SigningCertificate(
            user_id=user_id,
            is_ca=user_id is None,
            subject=cert.subject.rfc4514_string()[:300],
            serial=ca_.serial_hex(cert),
            certificate_pem=ca_.certificate_pem(cert),
            private_key_pem=encrypted_key_pem,
            fingerprint_sha256=ca_.fingerprint(cert),
            not_before=cert.not_valid_before_utc,
            not_after=cert.not_valid_after_utc,
            created_at=now,
        )
        self.session.add(row)
        self.session.flush()
        return row

    def current_ca(self, now: datetime) -> SigningCertificate | None:
        """The newest CA neither revoked nor outside its validity."""
        rows = self.session.scalars(
            select(SigningCertificate)
            .where(SigningCertificate.is_ca.is_(True), SigningCertificate.revoked_at.is_(None))
            .order_by(SigningCertificate.id.desc())
        )
        return next((r for r in rows if r.not_before <= now < r.not_after), None)

    def trusted_cas(self) -> list[SigningCertificate]:
        """Every CA of this installation not revoked (old ones still vouch for old PDFs)."""
        return list(
            self.session.scalars(
                select(SigningCertificate)
                .where(SigningCertificate.is_ca.is_(True), SigningCertificate.revoked_at.is_(None))
                .order_by(SigningCertificate.id)
            )
        )

    def current_for_user(
        self, user_id: int, wanted: ca_.SubjectInfo, now: datetime
    ) -> SigningCertificate | None:
        """The user's newest certificate in force whose subject is still ``wanted``."""
        rows = self.session.scalars(
            select(SigningCertificate)
            .where(
                SigningCertificate.user_id == user_id,
                SigningCertificate.is_ca.is_(False),
                SigningCertificate.revoked_at.is_(None),
            )
            .order_by(SigningCertificate.id.desc())
        )
        for row in rows:
            if not row.not_before <= now < row.not_after:
                continue
            if ca_.subject_info(ca_.load_certificate(row.certificate_pem)) == wanted:
                return row
        return None

    def issuer_of(self, cert: x509.Certificate) -> SigningCertificate | None:
        """The CA row (revoked or not) whose key signed ``cert``; None for a foreign one."""
        rows = self.session.scalars(select(SigningCertificate).where(SigningCertificate.is_ca))
        for row in rows:
            ca_cert = ca_.load_certificate(row.certificate_pem)
            if ca_.fingerprint(ca_cert) == row.fingerprint_sha256 and ca_.issued_by(cert, ca_cert):
                return row
        return None

    def in_force(self, now: datetime) -> list[SigningCertificate]:
        """Every certificate (CA or user) neither revoked nor outside its validity."""
        rows = self.session.scalars(
            select(SigningCertificate)
            .where(SigningCertificate.revoked_at.is_(None))
            .order_by(SigningCertificate.id)
        )
        return [r for r in rows if r.not_before <= now < r.not_after]

    # -- keys awaiting their certificate ------------------------------------------------------

    def pending_for(self, user_id: int) -> PendingSigningKey | None:
        return self.session.scalars(
            select(PendingSigningKey).where(PendingSigningKey.user_id == user_id)
        ).first()

    def pending(self) -> list[tuple[PendingSigningKey, User]]:
        """Every key awaiting certification with its user, oldest first."""
        rows = self.session.execute(
            select(PendingSigningKey, User)
            .join(User, User.id == PendingSigningKey.user_id)
            .order_by(PendingSigningKey.id)
        ).all()
        return [(key, user) for key, user in rows]

    def add_pending(
        self, user_id: int, serial: str, public_pem: str, encrypted_key_pem: str, now: datetime
    ) -> PendingSigningKey:
        row = PendingSigningKey(
            user_id=user_id,
            serial=serial,
            public_key_pem=public_pem,
            private_key_pem=encrypted_key_pem,
            created_at=now,
        )
        self.session.add(row)
        self.session.flush()
        return row

    def with_usernames(self) -> list[tuple[SigningCertificate, str | None]]:
        rows = self.session.execute(
            select(SigningCertificate, User.username)
            .outerjoin(User, User.id == SigningCertificate.user_id)
            .order_by(SigningCertificate.id)
        ).all()
        return [(row, username) for row, username in rows]

    def signing_user(self, user_id: int) -> User:
        user = self.session.get(User, user_id)
        if user is None:
            raise SigningError(f"no user {user_id}")
        if not user.active:
            raise SigningError(f"user {user.username} is not active")
        return user

    def username(self, user_id: int | None) -> str | None:
        user = self.session.get(User, user_id) if user_id is not None else None
        return user.username if user else None

    def lock(self) -> None:
        """Serialise certificate writers until the transaction ends."""
        ca_.lock_signing(self.session)
