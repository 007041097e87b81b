"""Signing: the installation's certificate authority and each user's certificate."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workstation.store.base import Base, UtcDateTime


class SigningCertificate(Base):
    """The CA (``user_id`` NULL, ``is_ca``) or a user's certificate, with its private key
    encrypted by a passphrase that lives in the OS keyring (never in the database)."""

    __tablename__ = "signing_certificates"
    __table_args__ = (UniqueConstraint("fingerprint_sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    is_ca: Mapped[bool] = mapped_column(default=False)
    subject: Mapped[str] = mapped_column(String(300))
    serial: Mapped[str] = mapped_column(String(64))
    certificate_pem: Mapped[str] = mapped_column(Text)
    #: PKCS#8, encrypted with the key's passphrase.
    private_key_pem: Mapped[str] = mapped_column(Text)
    fingerprint_sha256: Mapped[str] = mapped_column(String(64))
    not_before: Mapped[datetime] = mapped_column(UtcDateTime)
    not_after: Mapped[datetime] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class PendingSigningKey(Base):
    """A user's new signing key awaiting its certificate: made (and encrypted under the user's
    own passphrase) at their first signature, certified later by an administrator who opens
    the CA. The certificate will carry ``serial``, which also salts the key's encryption."""

    __tablename__ = "pending_signing_keys"
    __table_args__ = (UniqueConstraint("user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    serial: Mapped[str] = mapped_column(String(64))
    public_key_pem: Mapped[str] = mapped_column(Text)
    #: PKCS#8, encrypted with the user's passphrase.
    private_key_pem: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
