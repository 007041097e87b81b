"""Checkpoints of the audit chain, signed by the installation seal, made as entries are added.

A checkpoint says "the chain held N entries up to entry #E, whose hash was H" (with the time,
the seal's fingerprint and why it was made), signed by the workstation's installation seal
(``security.seal``). Whoever writes the database without the seal's key cannot rewrite the
chain up to a checkpoint, cut it or wipe it without ``audit verify`` seeing it.

One is made, in the transaction that adds the entry (``append_audit`` calls
:func:`after_append`), at every action in ``SEALED_ACTIONS`` (signatures, approvals, documents
and dossiers) and at the first entry of each new company day; and when asked
(:func:`checkpoint_now`). After the transaction commits, the seal's high-water mark (a file
next to its key) is raised to the newest checkpoint.

The app installs the seal on its session factory (:func:`install_sealing`); a store opened
without one (tests' plain stores, the demo's build transaction) makes no checkpoints.
"""

from __future__ import annotations

import logging
import socket
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Protocol

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from workstation.store.models import AuditCheckpoint, AuditEntry, AuditSeal
from workstation.store.uow import UnitOfWorkFactory, clock_of

log = logging.getLogger(__name__)

#: Audit actions that get a checkpoint of their own: signatures and approvals, documents.
SEALED_ACTIONS = frozenset(
    {
        "signing.signed",
        "signing.pdf_signed",
        "case.approval",
        "case.document_added",
        "case.dossier_generated",
    }
)
DAILY, ASKED = "daily", "asked"
CHECKPOINT_VERSION = 1

_SEALING_KEY = "workstation.audit_sealing"
_PENDING_KEY = "workstation.audit_checkpoint_pending"


@dataclass(frozen=True)
class HighWaterMark:
    """The newest checkpoint a seal made in one database (kept outside it)."""

    checkpoint_id: int
    entry_id: int
    entry_count: int
    chain_hash: str
    at: str


class Seal(Protocol):
    """What the checkpoints need of the installation seal (``security.seal``)."""

    @property
    def fingerprint(self) -> str: ...

    @property
    def public_key_pem(self) -> str: ...

    def sign(self, data: bytes) -> str: ...

    def verifies(self, data: bytes, signature_b64: str) -> bool: ...

    def local_fingerprint(self) -> str | None: ...

    def high_water(self, database: str) -> HighWaterMark | None: ...

    def raise_high_water(self, database: str, mark: HighWaterMark) -> None: ...


@dataclass
class Sealing:
    """The seal of this workstation at work on one database (``database``: its URL, without
    password: the key of the high-water mark)."""

    seal: Seal
    database: str
    #: The company day of this seal's newest checkpoint, once known.
    sealed_day: date | None = None


def install_sealing(uow: UnitOfWorkFactory, sealing: Sealing) -> None:
    """Make checkpoints with ``sealing`` in every unit of work of ``uow``."""
    factory = uow.session_factory
    factory.kw.setdefault("info", {})[_SEALING_KEY] = sealing
    if not event.contains(factory, "after_commit", _after_commit):
        event.listen(factory, "after_commit", _after_commit)
        event.listen(factory, "after_rollback", _after_rollback)


def sealing_of(session: Session | UnitOfWorkFactory) -> Sealing | None:
    """The sealing installed on ``session``'s factory (or on ``uow``), if any."""
    info = (
        session.session_factory.kw.get("info", {})
        if isinstance(session, UnitOfWorkFactory)
        else session.info
    )
    found = info.get(_SEALING_KEY)
    return found if isinstance(found, Sealing) else None


def checkpoint_payload(
    entry_id: int, chain_hash: str, entry_count: int, at: datetime, reason: str, seal: str
) -> bytes:
    """The canonical JSON a checkpoint's signature covers."""
    from workstation.store.audit import canonical_json

    return canonical_json(
        {
            "v": CHECKPOINT_VERSION,
            "entry_id": entry_id,
            "chain_hash": chain_hash,
            "entry_count": entry_count,
            "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
            "reason": reason,
            "seal": seal,
        }
    ).encode("utf-8")


def payload_of(checkpoint: AuditCheckpoint) -> bytes:
    return checkpoint_payload(
        checkpoint.entry_id,
        checkpoint.chain_hash,
        checkpoint.entry_count,
        checkpoint.at,
        checkpoint.reason,
        checkpoint.seal_fingerprint,
    )


def after_append(session: Session, entry: AuditEntry) -> None:
    """Called by ``append_audit`` with the entry just added (the chain is locked): seal it
    when its action asks for it or it is the first entry of a new company day."""
    sealing = sealing_of(session)
    if sealing is None:
        return
    if entry.action in SEALED_ACTIONS:
        reason = entry.action
    elif _first_of_the_day(sealing, clock_of(session).today(), session):
        reason = DAILY
    else:
        return
    try:
        seal_entry(session, sealing, entry, reason)
    except Exception:  # the person's work goes on; the entries stay "not yet anchored"
        log.exception("could not make an audit checkpoint at entry #%s", entry.id)


def _first_of_the_day(sealing: Sealing, today: date, session: Session) -> bool:
    if _PENDING_KEY in session.info:  # sealed already in this transaction
        return False
    if sealing.sealed_day is None:
        mark = sealing.seal.high_water(sealing.database)
        if mark is not None:
            sealing.sealed_day = clock_of(session).day_of(datetime.fromisoformat(mark.at))
    return sealing.sealed_day is None or sealing.sealed_day < today


def seal_entry(
    session: Session, sealing: Sealing, entry: AuditEntry, reason: str
) -> AuditCheckpoint:
    """A checkpoint at ``entry`` (already flushed), signed, in the caller's transaction."""
    seal = sealing.seal
    count = _entries_up_to(session, seal, entry.id)
    _record_seal(session, seal)
    at = clock_of(session).now()
    fingerprint = seal.fingerprint
    payload = checkpoint_payload(entry.id, entry.entry_hash, count, at, reason, fingerprint)
    checkpoint = AuditCheckpoint(
        entry_id=entry.id,
        chain_hash=entry.entry_hash,
        entry_count=count,
        at=at,
        reason=reason,
        seal_fingerprint=fingerprint,
        signature=seal.sign(payload),
    )
    session.add(checkpoint)
    session.flush()
    session.info[_PENDING_KEY] = HighWaterMark(
        checkpoint.id, entry.id, count, entry.entry_hash, at.astimezone(UTC).isoformat()
    )
    return checkpoint


def _entries_up_to(session: Session, seal: Seal, entry_id: int) -> int:
    """How many entries the log holds up to ``entry_id``: counted on from this seal's newest
    checkpoint when its signature holds (a log of a million entries is not counted at every
    approval), else from the start."""
    since = 0
    known = 0
    last = latest_checkpoint(session, seal.fingerprint)
    if (
        last is not None
        and last.entry_id <= entry_id
        and seal.verifies(payload_of(last), last.signature)
    ):
        since, known = last.entry_id, last.entry_count
    more = session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.id > since, AuditEntry.id <= entry_id)
    )
    return known + int(more or 0)


def _record_seal(session: Session, seal: Seal) -> None:
    """The seal's public key in ``audit_seals`` (once)."""
    known = session.scalar(select(AuditSeal.id).where(AuditSeal.fingerprint == seal.fingerprint))
    if known is None:
        session.add(
            AuditSeal(
                fingerprint=seal.fingerprint,
                public_key_pem=seal.public_key_pem,
                host=(socket.gethostname() or "?")[:255],
                created_at=clock_of(session).now(),
            )
        )
        session.flush()


def checkpoint_now(session: Session, reason: str = ASKED) -> AuditCheckpoint | None:
    """Seal the chain's newest entry now (None when the log is empty or no seal is
    installed); the caller commits."""
    from workstation.store.audit import lock_chain

    sealing = sealing_of(session)
    if sealing is None:
        return None
    lock_chain(session)
    head = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).first()
    if head is None:
        return None
    return seal_entry(session, sealing, head, reason)


def latest_checkpoint(session: Session, fingerprint: str | None) -> AuditCheckpoint | None:
    """The newest checkpoint made by the seal ``fingerprint``."""
    if fingerprint is None:
        return None
    return session.scalars(
        select(AuditCheckpoint)
        .where(AuditCheckpoint.seal_fingerprint == fingerprint)
        .order_by(AuditCheckpoint.id.desc())
        .limit(1)
    ).first()


def _after_commit(session: Session) -> None:
    mark = session.info.pop(_PENDING_KEY, None)
    sealing = sealing_of(session)
    if not isinstance(mark, HighWaterMark) or sealing is None:
        return
    try:
        sealing.seal.raise_high_water(sealing.database, mark)
    except OSError:
        log.exception("could not keep the audit high-water mark")
        return
    sealing.sealed_day = clock_of(session).day_of(datetime.fromisoformat(mark.at))


def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING_KEY, None)


__all__ = [
    "ASKED",
    "DAILY",
    "SEALED_ACTIONS",
    "HighWaterMark",
    "Seal",
    "Sealing",
    "after_append",
    "checkpoint_now",
    "install_sealing",
    "latest_checkpoint",
    "payload_of",
    "sealing_of",
]
