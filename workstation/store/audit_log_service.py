"""Reading the audit log, and anchoring it outside the database.

The chain (``store.audit``) catches an edited, inserted or removed entry anywhere but at the
end: whoever can write the database can cut its last entries and the rest still verifies.
An **anchor** closes that gap: the id and hash of the newest entry, written down somewhere
the database cannot reach (printed in a signed dossier, kept by legal, mailed to oneself).
``verify(anchor=...)`` then also checks that the anchored entry is still there, unchanged, so
cutting the tail after it is caught.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from workstation.security.access import Acting
from workstation.security.permissions import Permission
from workstation.store.audit import ChainReport, append_audit, chain_head
from workstation.store.audit_checkpoints import checkpoint_now, sealing_of
from workstation.store.audit_verification import AuditVerification, verify_with_checkpoints
from workstation.store.models import AuditEntry
from workstation.store.sealed_checkpoint import SealedCheckpoint, sealed_checkpoint
from workstation.store.uow import UnitOfWorkFactory

#: The most entries one listing returns.
MAX_ENTRIES = 10_000


class BadAnchor(ValueError):
    """An anchor that is not ``ID:HASH``."""


@dataclass(frozen=True)
class AuditEntryView:
    id: int
    at: datetime
    actor: str
    action: str
    entity: str | None
    entity_id: str | None
    details: dict[str, Any]

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "action": self.action,
            "entity": self.entity,
            "entity_id": self.entity_id,
            "details": self.details,
        }


@dataclass(frozen=True)
class Anchor:
    """The newest entry of the chain: keep ``text`` outside the database."""

    entry_id: int
    entry_hash: str
    entries: int

    @property
    def text(self) -> str:
        return f"{self.entry_id}:{self.entry_hash}"

    @classmethod
    def parse(cls, text: str) -> Anchor:
        head, _, digest = text.strip().partition(":")
        if (
            not head.isdigit()
            or len(digest) != 64
            or not all(c in "0123456789abcdef" for c in digest)
        ):
            raise BadAnchor(f"an anchor is ID:HASH (64 hex digits), not {text!r}")
        return cls(int(head), digest, 0)


class AuditLogService:
    def __init__(self, uow: UnitOfWorkFactory, acting: Acting) -> None:
        self._uow = uow
        self._acting = acting

    def entries(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        actor: str | None = None,
        action: str | None = None,
        limit: int = 500,
    ) -> list[AuditEntryView]:
        """The newest ``limit`` entries matching the filters, newest first; ``action`` matches
        a prefix (``case.`` for every case action). Reading the log is itself logged."""
        me = self._acting.require(Permission.AUDIT_VIEW)
        limit = max(1, min(limit, MAX_ENTRIES))
        query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
        if since is not None:
            query = query.where(AuditEntry.at >= since)
        if until is not None:
            query = query.where(AuditEntry.at < until)
        if actor:
            query = query.where(AuditEntry.actor == actor)
        if action:
            query = query.where(AuditEntry.action.startswith(action, autoescape=True))
        with self._uow() as uow:
            rows = list(uow.session.scalars(query))
            views = [_view(e) for e in rows]
            filters = {"since": since, "until": until, "actor": actor, "action": action}
            append_audit(
                uow.session,
                me.actor,
                "audit.read",
                "audit_log",
                None,
                {
                    "filters": {k: str(v) for k, v in filters.items() if v is not None},
                    "returned": len(views),
                },
            )
            uow.commit()
        return views

    def anchor(self) -> Anchor | None:
        """The newest entry (None for an empty log), to keep outside the database."""
        self._acting.require(Permission.AUDIT_VERIFY)
        with self._uow() as uow:
            head = chain_head(uow.session)
            count = int(uow.session.scalar(select(func.count()).select_from(AuditEntry)) or 0)
            return None if head is None else Anchor(head[0], head[1], count)

    def verify(self, anchor: Anchor | None = None) -> AuditVerification:
        """Walk the chain and check it against every checkpoint this workstation's seal
        signed and against its high-water mark (``store.audit_verification``); with
        ``anchor``, also check the anchored entry is still there with its hash."""
        self._acting.require(Permission.AUDIT_VERIFY)
        sealing = sealing_of(self._uow)
        with self._uow() as uow:
            report = verify_with_checkpoints(
                uow.session,
                None if sealing is None else sealing.seal,
                "" if sealing is None else sealing.database,
            )
            if not report.intact or anchor is None:
                return report
            kept = uow.session.get(AuditEntry, anchor.entry_id)
            if kept is None:
                reason = "the anchored entry is gone (entries removed from the end of the log)"
            elif kept.entry_hash != anchor.entry_hash:
                reason = "the anchored entry differs (entries were removed or rewritten)"
            else:
                return report
            return replace(report, chain=ChainReport(report.entries, anchor.entry_id, reason))

    def checkpoint(self) -> SealedCheckpoint | None:
        """Seal the newest entry now with this workstation's seal (None: the log is empty)."""
        self._acting.require(Permission.AUDIT_VERIFY)
        with self._uow() as uow:
            made = checkpoint_now(uow.session)
            sealed = None if made is None else sealed_checkpoint(uow.session, made)
            uow.commit()
        return sealed


def _view(entry: AuditEntry) -> AuditEntryView:
    return AuditEntryView(
        id=entry.id,
        at=entry.at,
        actor=entry.actor,
        action=entry.action,
        entity=entry.entity,
        entity_id=entry.entity_id,
        details=json.loads(entry.details_json or "{}"),
    )
