"""A checkpoint as exports carry it: everything needed to check it away from the database.

A dossier or an evidence export carries the checkpoint made when it was produced (the entry
id, the chain hash, the count, the time, the signature and the seal's public key), so whoever
holds the export can later check that the log still holds that entry with that hash (``audit
verify`` does it for every checkpoint of this workstation) and that the signature is the
seal's (``security.seal.signature_holds`` over ``payload``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workstation.store.audit_checkpoints import checkpoint_now, payload_of, sealing_of
from workstation.store.models import AuditCheckpoint, AuditSeal


@dataclass(frozen=True)
class SealedCheckpoint:
    checkpoint_id: int
    entry_id: int
    chain_hash: str
    entry_count: int
    at: datetime
    reason: str
    seal_fingerprint: str
    signature: str
    #: The seal's public key (PEM) as the database lists it; None when it does not.
    public_key_pem: str | None
    #: The exact bytes the signature covers (canonical JSON).
    payload: str

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "checkpoint_id": self.checkpoint_id,
            "entry_id": self.entry_id,
            "chain_hash": self.chain_hash,
            "entry_count": self.entry_count,
            "at": self.at.astimezone(UTC).isoformat(),
            "reason": self.reason,
            "seal_fingerprint": self.seal_fingerprint,
            "signature": self.signature,
            "signature_algorithm": "ECDSA P-256 SHA-256 (DER, base64) over payload",
            "payload": self.payload,
            "seal_public_key_pem": self.public_key_pem,
        }


def sealed_checkpoint(session: Session, row: AuditCheckpoint) -> SealedCheckpoint:
    public = session.scalar(
        select(AuditSeal.public_key_pem).where(AuditSeal.fingerprint == row.seal_fingerprint)
    )
    return SealedCheckpoint(
        checkpoint_id=row.id,
        entry_id=row.entry_id,
        chain_hash=row.chain_hash,
        entry_count=row.entry_count,
        at=row.at,
        reason=row.reason,
        seal_fingerprint=row.seal_fingerprint,
        signature=row.signature,
        public_key_pem=public,
        payload=payload_of(row).decode("utf-8"),
    )


def checkpoint_for_export(
    session: Session, reason: str, *, make: bool = True
) -> SealedCheckpoint | None:
    """A checkpoint at the log's newest entry, made now with this workstation's seal (in the
    caller's transaction, which commits it); without a seal (or ``make``), the newest one
    stored."""
    made = checkpoint_now(session, reason) if make and sealing_of(session) is not None else None
    if made is None:
        made = session.scalars(
            select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(1)
        ).first()
    return None if made is None else sealed_checkpoint(session, made)
