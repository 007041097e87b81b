"""Append-only, hash-chained audit log, and the walk that verifies it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Container
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workstation.store.audit_checkpoints import after_append
from workstation.store.models import AuditEntry
from workstation.store.uow import clock_of
from workstation.store.write_lock import MAX_WAIT_S, take_write_lock

GENESIS_HASH = "0" * 64
#: Advisory-lock key of the audit chain on PostgreSQL (any constant 64-bit number).
AUDIT_LOCK_KEY = 0x43415345574F524B


def canonical_json(value: Any) -> str:
    """Stable JSON: sorted keys, no spaces, UTF-8 kept (the form every hash is taken over)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _entry_hash(prev_hash: str, entry: AuditEntry) -> str:
    body = canonical_json(
        {
            "at": entry.at.astimezone(UTC).isoformat(timespec="microseconds"),
            "actor": entry.actor,
            "action": entry.action,
            "entity": entry.entity,
            "entity_id": entry.entity_id,
            "details": entry.details_json,
        }
    )
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def append_audit(
    session: Session,
    actor: str,
    action: str,
    entity: str | None = None,
    entity_id: object = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add one entry to the chain inside the caller's transaction.

    The chain is locked first, so concurrent writers (the GUI's writer thread, a CLI run, a
    colleague on the same PostgreSQL server) queue up instead of forking the chain. A
    checkpoint signed by the installation seal follows a signature, an approval, a document
    and the day's first entry (``store.audit_checkpoints``).
    """
    lock_chain(session)
    last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).first()
    prev_hash = last.entry_hash if last else GENESIS_HASH
    entry = AuditEntry(
        at=clock_of(session).now(),
        actor=actor,
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        details_json=canonical_json(details or {}),
        prev_hash=prev_hash,
    )
    entry.entry_hash = _entry_hash(prev_hash, entry)
    session.add(entry)
    session.flush()
    after_append(session, entry)
    return entry


def lock_chain(session: Session, *, max_wait_s: float = MAX_WAIT_S) -> None:
    """Hold the chain's write lock until the caller's transaction ends.

    SQLite: a write statement (matching no row) takes the database's write lock, and the
    reads that follow see the latest commit. PostgreSQL: a transaction-scoped advisory lock.
    """
    take_write_lock(session, "audit_log", AUDIT_LOCK_KEY, max_wait_s=max_wait_s)


@dataclass(frozen=True)
class ChainReport:
    entries: int
    first_broken_id: int | None
    reason: str | None

    @property
    def intact(self) -> bool:
        return self.first_broken_id is None


def chain_head(session: Session) -> tuple[int, str] | None:
    """(id, entry hash) of the newest entry: an anchor to keep outside the database."""
    last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).first()
    return None if last is None else (last.id, last.entry_hash)


def verify_audit_chain(
    session: Session, watch: Container[int] = (), seen: dict[int, tuple[str, int]] | None = None
) -> ChainReport:
    """Walk the chain in id order; name the first entry whose link or content does not hold.

    For each entry whose id is in ``watch``, ``seen`` gets its hash and the number of entries
    up to it (what a checkpoint sealed)."""
    prev_hash = GENESIS_HASH
    count = 0
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)):
        count += 1
        if seen is not None and entry.id in watch:
            seen[entry.id] = (entry.entry_hash, count)
        if entry.prev_hash != prev_hash:
            return ChainReport(
                count, entry.id, "previous-hash link broken (entry missing or inserted)"
            )
        if _entry_hash(prev_hash, entry) != entry.entry_hash:
            return ChainReport(count, entry.id, "content does not match its hash (entry edited)")
        prev_hash = entry.entry_hash
    return ChainReport(count, None, None)
