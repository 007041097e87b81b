"""Legal hold: a held case, and every piece of its evidence, is exempt from any retention
purge. A purge asks here what it must keep before it deletes anything."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from workstation.store.models import Case, CaseDocument, CaseEvidence, EvidenceFile, ImportBatch


@dataclass(frozen=True)
class HeldItems:
    case_ids: frozenset[int]
    #: Evidence files a purge must keep (linked files, photos and attachments of linked
    #: records, imported files linked or behind linked records, generated documents).
    evidence_file_ids: frozenset[int]
    #: (record kind, record key) of every record linked to a held case.
    records: frozenset[tuple[str, str]]

    def keeps_file(self, evidence_file_id: int) -> bool:
        return evidence_file_id in self.evidence_file_ids

    def keeps_record(self, kind: str, key: object) -> bool:
        return (kind, str(key)) in self.records


def held_items(session: Session) -> HeldItems:
    """What the cases on legal hold keep from any purge."""
    case_ids = frozenset(session.scalars(select(Case.id).where(Case.legal_hold.is_(True))))
    if not case_ids:
        return HeldItems(frozenset(), frozenset(), frozenset())
    rows = session.execute(
        select(
            CaseEvidence.record_kind, CaseEvidence.record_key, CaseEvidence.evidence_file_id
        ).where(CaseEvidence.case_id.in_(sorted(case_ids)))
    ).all()
    files = {f for _, _, f in rows if f is not None}
    files.update(
        session.scalars(
            select(CaseDocument.evidence_file_id).where(CaseDocument.case_id.in_(sorted(case_ids)))
        )
    )
    batches = [int(key) for kind, key, _ in rows if kind == "import_file" and key.isdigit()]
    if batches:
        files.update(
            f
            for f in session.scalars(select(ImportBatch.file_id).where(ImportBatch.id.in_(batches)))
            if f is not None
        )
    existing = set(
        session.scalars(select(EvidenceFile.id).where(EvidenceFile.id.in_(sorted(files))))
    )
    return HeldItems(
        case_ids,
        frozenset(existing),
        frozenset((kind, key) for kind, key, _ in rows),
    )
