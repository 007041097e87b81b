"""The evidence chain of a case: link records (frozen) or new files, read and export them,
each step a custody event (added, viewed, exported) and an audit entry."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from workstation.cases.base import CaseServiceBase
from workstation.cases.snapshots import (
    EvidenceKind,
    RecordNotFound,
    freeze_file,
    freeze_record,
    sha256_hex,
)
from workstation.cases.views import Added, CustodyView, EvidenceContent, EvidenceView
from workstation.domain.cases import CaseRefused, check_active
from workstation.domain.identity import Identity
from workstation.store.audit import append_audit, canonical_json
from workstation.store.models import Case, CaseEvidence, CustodyEvent, EvidenceFile
from workstation.store.sealed_checkpoint import checkpoint_for_export


def evidence_views(session: Session, case_id: int) -> list[EvidenceView]:
    rows = list(
        session.scalars(
            select(CaseEvidence).where(CaseEvidence.case_id == case_id).order_by(CaseEvidence.id)
        )
    )
    custody: dict[int, list[CustodyView]] = {}
    if rows:
        for event in session.scalars(
            select(CustodyEvent)
            .where(CustodyEvent.evidence_id.in_([r.id for r in rows]))
            .order_by(CustodyEvent.id)
        ):
            custody.setdefault(event.evidence_id, []).append(
                CustodyView(
                    event.action,
                    event.at,
                    event.actor,
                    json.loads(event.detail_json) if event.detail_json else {},
                )
            )
    return [evidence_view(r, tuple(custody.get(r.id, ()))) for r in rows]


def evidence_view(row: CaseEvidence, custody: tuple[CustodyView, ...] = ()) -> EvidenceView:
    return EvidenceView(
        id=row.id,
        kind=row.record_kind,
        key=row.record_key,
        title=row.title,
        snapshot_sha256=row.snapshot_sha256,
        evidence_file_id=row.evidence_file_id,
        linked_at=row.linked_at,
        linked_by=row.linked_by,
        snapshot_intact=sha256_hex(row.snapshot_json) == row.snapshot_sha256,
        custody=custody,
    )


def _evidence_of(session: Session, case: Case, evidence_id: int) -> CaseEvidence:
    row = session.get(CaseEvidence, evidence_id)
    if row is None or row.case_id != case.id:
        raise CaseRefused(f"case {case.number} has no evidence #{evidence_id}")
    return row


def _safe_name(name: str) -> str:
    return re.sub(r"[^\w.\-]+", "_", name).strip("._") or "file"


class CaseEvidenceOps(CaseServiceBase):
    def link_record(
        self,
        identity: Identity,
        number: str,
        kind: EvidenceKind | str,
        key: str,
        revision: int,
        *,
        title: str | None = None,
    ) -> Added:
        """Link a record (check-in, stop, track segment, order, customer event,
        communication, lead, imported file, alert) as evidence: its snapshot is frozen now,
        with who and when; later imports never change it."""
        with self._writing(identity, number, revision, "case.link_evidence") as w:
            check_active(w.state, "link evidence")
            try:
                snapshot = freeze_record(w.session, kind, key, self._clock.zone)
            except ValueError:
                kinds = ", ".join(k.value for k in EvidenceKind if k is not EvidenceKind.FILE)
                raise RecordNotFound(f"evidence kind is one of {kinds}, not {kind!r}") from None
            row = w.link(snapshot, title)
            w.event(
                "evidence_linked",
                {
                    "evidence_id": row.id,
                    "kind": row.record_kind,
                    "key": row.record_key,
                    "sha256": row.snapshot_sha256,
                },
            )
            return Added(w.view(), row.id)

    def link_file(
        self,
        identity: Identity,
        number: str,
        path: Path,
        revision: int,
        *,
        title: str | None = None,
    ) -> Added:
        """Store a new file (once, by its SHA-256) and link it as evidence."""
        self._authorizer.require(identity, "case.link_evidence")
        if not path.is_file():
            raise RecordNotFound(f"no file {path}")
        with self._writing(identity, number, revision, "case.link_evidence") as w:
            check_active(w.state, "link evidence")
            stored = self._evidence.add_file(w.session, path, w.identity.actor)
            row = w.link(freeze_file(stored), title)
            w.event(
                "evidence_linked",
                {
                    "evidence_id": row.id,
                    "kind": row.record_kind,
                    "key": row.record_key,
                    "sha256": row.snapshot_sha256,
                    "file": stored.original_name,
                },
            )
            return Added(w.view(), row.id)

    def view_evidence(self, identity: Identity, number: str, evidence_id: int) -> EvidenceContent:
        """Read one piece of evidence (its frozen snapshot, and the file's bytes for a file).
        Logged as a custody "viewed" event and in the audit log."""
        with self._reading(identity, number) as (session, case):
            row = _evidence_of(session, case, evidence_id)
            data = self._file_bytes(session, row, identity)
            self._custody(session, case, row, identity, "viewed", {})
            content = EvidenceContent(
                evidence=evidence_view(row),
                snapshot=json.loads(row.snapshot_json),
                snapshot_json=row.snapshot_json,
                file_bytes=data,
            )
            session.commit()
            return content

    def export_evidence(
        self, identity: Identity, number: str, evidence_id: int, destination: Path
    ) -> list[Path]:
        """Write the snapshot (and the file, for a file) into the folder ``destination``, with
        the audit checkpoint sealed at the export (``<stem>_audit-checkpoint.json``, where the
        workstation has an installation seal). Refused when the snapshot no longer matches
        its hash. Logged as "exported"."""
        with self._reading(identity, number, "case.export_evidence") as (session, case):
            row = _evidence_of(session, case, evidence_id)
            if sha256_hex(row.snapshot_json) != row.snapshot_sha256:
                raise CaseRefused(
                    f"evidence #{row.id} no longer matches its SHA-256: it was altered in the "
                    "store and is not exported"
                )
            data = self._file_bytes(session, row, identity)
            destination.mkdir(parents=True, exist_ok=True)
            stem = f"{case.number}_evidence-{row.id}_{row.record_kind}"
            written = [destination / f"{stem}.json"]
            written[0].write_text(row.snapshot_json, encoding="utf-8")
            if data is not None:
                original = json.loads(row.snapshot_json)["record"].get("original_name") or "file"
                if row.record_kind != EvidenceKind.FILE.value:
                    file = session.get(EvidenceFile, row.evidence_file_id)
                    original = file.original_name if file else original
                written.append(destination / f"{stem}_{_safe_name(original)}")
                written[1].write_bytes(data)
            self._custody(
                session,
                case,
                row,
                identity,
                "exported",
                {"paths": [str(p) for p in written], "sha256": row.snapshot_sha256},
            )
            # the audit checkpoint sealing this export, to check its audit extract against
            sealed = checkpoint_for_export(session, "case.evidence_exported")
            if sealed is not None:
                written.append(destination / f"{stem}_audit-checkpoint.json")
                written[-1].write_text(
                    json.dumps(sealed.to_json_dict(), ensure_ascii=False, indent=1),
                    encoding="utf-8",
                )
            session.commit()
            return written

    def _file_bytes(self, session: Session, row: CaseEvidence, identity: Identity) -> bytes | None:
        if row.evidence_file_id is None:
            return None
        file = session.get(EvidenceFile, row.evidence_file_id)
        if file is None:
            return None
        return self._evidence.read(session, file.sha256, identity.actor)

    def _custody(
        self,
        session: Session,
        case: Case,
        row: CaseEvidence,
        identity: Identity,
        action: str,
        detail: dict[str, object],
    ) -> None:
        record_custody(session, case, row, identity, action, self._clock.now(), detail)


def record_custody(
    session: Session,
    case: Case,
    row: CaseEvidence,
    identity: Identity,
    action: str,
    at: datetime,
    detail: dict[str, object],
) -> None:
    """One custody event of ``row`` (viewed, exported, ...) and its audit entry."""
    session.add(
        CustodyEvent(
            evidence_id=row.id,
            action=action,
            at=at,
            actor=identity.actor,
            detail_json=canonical_json(detail) if detail else None,
        )
    )
    append_audit(
        session,
        identity.actor,
        f"case.evidence_{action}",
        "case",
        case.number,
        {"evidence_id": row.id, "kind": row.record_kind, "key": row.record_key, **detail},
    )
