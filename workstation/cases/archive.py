"""The case archive of one employee, as their file shows it: the cases that have ended
(closed, rejected, withdrawn) and those decided but still open (decided, notice served), each
with its outcome, who decided and when, and its documents.

Listing the archive reads no evidence, so it is not audited. Opening a document is: the file's
bytes are read through the evidence store (``evidence.read``), the case's audit trail gets a
``case.document_viewed`` entry, and a file linked as evidence also gets its custody "viewed"
event (as ``CaseService.view_evidence`` writes it), all in the same unit of work.

Conflict of interest as everywhere in the cases: the subject of a case and anyone involved in
it never see it (it is missing from the archive; opening its document answers
``CaseNotFound``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from workstation.cases.archive_views import (
    ArchivedCase,
    ArchivedDocument,
    DocumentSource,
    OpenedDocument,
    ReadDocument,
)
from workstation.cases.base import CaseNotFound, check_can_see, not_found
from workstation.cases.evidence_ops import record_custody
from workstation.cases.repository import case_by_number
from workstation.domain.cases import (
    ENDED_STATES,
    ApprovalDecision,
    ApprovalStep,
    CaseState,
    Disposition,
)
from workstation.domain.clock import Clock
from workstation.domain.identity import Identity
from workstation.security.access import Acting
from workstation.security.permissions import Permission
from workstation.store.audit import append_audit
from workstation.store.evidence import EvidenceStore
from workstation.store.models import (
    Case,
    CaseApproval,
    CaseDocument,
    CaseEvent,
    CaseEvidence,
    EvidenceFile,
    User,
)
from workstation.store.uow import UnitOfWorkFactory

__all__ = [
    "ARCHIVE_STATES",
    "ArchivedCase",
    "ArchivedDocument",
    "CaseArchive",
    "CaseNotFound",
    "DocumentSource",
    "OpenedDocument",
    "ReadDocument",
]

#: Decided but not yet closed: shown beside the ended cases, with their decision.
DECIDED_OPEN_STATES = frozenset({CaseState.DECIDED, CaseState.NOTICE_SERVED})
ARCHIVE_STATES = ENDED_STATES | DECIDED_OPEN_STATES
DOCUMENT_VIEWED_ACTION = "case.document_viewed"
DOCUMENT_COPIED_ACTION = "case.document_copied"
#: Opened documents kept in the cache folder; older ones are deleted (they are personal data).
DOCUMENT_CACHE_KEEP = 20


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _safe_name(name: str) -> str:
    return re.sub(r"[^\w.\-]+", "_", name).strip("._") or "document"


class CaseArchive:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        acting: Acting,
        evidence: EvidenceStore,
        cache_dir: Path,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._acting = acting
        self._evidence = evidence
        #: Where opened documents are written for the desktop's viewer.
        self._cache_dir = cache_dir
        self._clock = clock

    # ---- use cases ---------------------------------------------------------------------

    def for_employee(self, employee_id: int) -> list[ArchivedCase]:
        """The cases about ``employee_id`` that ended or were decided, newest first, each with
        its decision and documents. The reader's own cases, and those they are involved in,
        are left out (conflict of interest)."""
        identity = self._acting.require(Permission.CASE_VIEW)
        if identity.employee_id is not None and identity.employee_id == employee_id:
            return []
        with self._uow() as uow:
            session = uow.session
            rows = session.scalars(
                select(Case)
                .where(
                    Case.subject_employee_id == employee_id,
                    Case.state.in_(sorted(s.value for s in ARCHIVE_STATES)),
                )
                .order_by(Case.created_at.desc(), Case.id.desc())
            )
            visible = [c for c in rows if _visible(session, c, identity)]
            return [self._archived(session, c) for c in visible]

    def open_document(
        self, number: str, source: DocumentSource | str, document_id: int
    ) -> OpenedDocument:
        """Write one document of case ``number`` into the cache folder for the desktop's
        viewer. The read is audited (and, for a file linked as evidence, a custody event)."""
        read = self.read_document(number, source, document_id)
        path = self._write(number, DocumentSource(source), document_id, read.name, read.data)
        return OpenedDocument(path, read.name, read.sha256, read.media_type)

    def save_copy(
        self, number: str, source: DocumentSource | str, document_id: int, path: Path
    ) -> Path:
        """Write a copy of one document of case ``number`` to ``path`` (a folder: under its
        stored name). The read is audited as by ``read_document``, the copy as
        ``case.document_copied``. Returns the file written."""
        identity = self._acting.require(Permission.CASE_VIEW)
        read = self.read_document(number, source, document_id)
        target = path / _safe_name(read.name) if path.is_dir() else path
        target.write_bytes(read.data)
        with self._uow() as uow:
            details = {"source": DocumentSource(source).value, "document_id": document_id}
            details |= {"path": str(target), "sha256": read.sha256}
            append_audit(
                uow.session, identity.actor, DOCUMENT_COPIED_ACTION, "case", number, details
            )
            uow.commit()
        return target

    def read_document(
        self, number: str, source: DocumentSource | str, document_id: int
    ) -> ReadDocument:
        """The bytes of one document of case ``number``, checked against their hash. The
        read is audited (and, for a file linked as evidence, a custody event)."""
        identity = self._acting.require(Permission.CASE_VIEW)
        source = DocumentSource(source)
        with self._uow() as uow:
            session = uow.session
            case = case_by_number(session, number)
            if case is None:
                raise not_found(number)
            check_can_see(session, case, identity)
            file, detail = self._document_file(session, case, source, document_id, identity)
            data = self._evidence.read(session, file.sha256, identity.actor)
            append_audit(
                session,
                identity.actor,
                DOCUMENT_VIEWED_ACTION,
                "case",
                case.number,
                {"source": source.value, "document_id": document_id, **detail},
            )
            uow.commit()
            return ReadDocument(file.original_name, file.sha256, file.media_type, data)

    # ---- reading -----------------------------------------------------------------------

    def _archived(self, session: Session, case: Case) -> ArchivedCase:
        state = CaseState(case.state)
        since = _last_transition(session, case.id, state)
        decision = _decision(session, case.id) if case.disposition else None
        decided_by = decided_at = None
        if decision is not None:
            decided_at = _utc(decision.signed_at)
            decided_by = _people(session, {decision.user_id}).get(decision.user_id)
        return ArchivedCase(
            id=case.id,
            number=case.number,
            title=case.title,
            state=state,
            ended=state in ENDED_STATES,
            opened_at=_utc(case.created_at),
            opened_by=case.opened_by,
            state_since=_utc(since.at) if since else None,
            state_by=since.actor if since else None,
            state_reason=_reason(since),
            closed_at=_utc(case.closed_at) if case.closed_at else None,
            disposition=Disposition(case.disposition) if case.disposition else None,
            disposition_reason=case.disposition_reason,
            decided_by=decided_by,
            decided_at=decided_at,
            notice_served_at=_utc(case.notice_served_at) if case.notice_served_at else None,
            legal_hold=bool(case.legal_hold),
            documents=tuple(_documents(session, case.id)),
        )

    def _document_file(
        self,
        session: Session,
        case: Case,
        source: DocumentSource,
        document_id: int,
        identity: Identity,
    ) -> tuple[EvidenceFile, dict[str, object]]:
        missing = CaseNotFound(f"case {case.number} has no {source.value} document #{document_id}")
        if source is DocumentSource.GENERATED:
            doc = session.get(CaseDocument, document_id)
            if doc is None or doc.case_id != case.id:
                raise missing
            file = session.get(EvidenceFile, doc.evidence_file_id)
            if file is None:
                raise missing
            return file, {"kind": doc.kind, "locale": doc.locale, "sha256": file.sha256}
        row = session.get(CaseEvidence, document_id)
        if row is None or row.case_id != case.id or row.evidence_file_id is None:
            raise missing
        file = session.get(EvidenceFile, row.evidence_file_id)
        if file is None:
            raise missing
        # The custody chain of the evidence, as CaseService.view_evidence keeps it.
        record_custody(
            session, case, row, identity, "viewed", self._clock.now(), {"via": "employee file"}
        )
        return file, {"kind": row.record_kind, "sha256": file.sha256}

    def _write(
        self, number: str, source: DocumentSource, document_id: int, name: str, data: bytes
    ) -> Path:
        folder = self._cache_dir
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{number}_{source.value}-{document_id}_{_safe_name(name)}"
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
        _prune(folder, DOCUMENT_CACHE_KEEP)
        return path


def _visible(session: Session, case: Case, identity: Identity) -> bool:
    try:
        check_can_see(session, case, identity)
    except CaseNotFound:
        return False
    return True


def _prune(folder: Path, keep: int) -> None:
    files = sorted(
        (p for p in folder.iterdir() if p.is_file() and not p.name.endswith(".tmp")),
        key=lambda p: p.stat().st_mtime_ns,
        reverse=True,
    )
    for old in files[keep:]:
        old.unlink(missing_ok=True)


def _last_transition(session: Session, case_id: int, state: CaseState) -> CaseEvent | None:
    return session.scalars(
        select(CaseEvent)
        .where(
            CaseEvent.case_id == case_id,
            CaseEvent.kind == "transition",
            CaseEvent.to_state == state.value,
        )
        .order_by(CaseEvent.id.desc())
        .limit(1)
    ).first()


def _reason(event: CaseEvent | None) -> str | None:
    if event is None or not event.detail_json:
        return None
    reason = json.loads(event.detail_json).get("reason")
    return str(reason) if reason else None


def _decision(session: Session, case_id: int) -> CaseApproval | None:
    """The HR officer's signed decision of the current round (a reopening starts anew)."""
    reopened = session.scalar(
        select(CaseEvent.at)
        .where(
            CaseEvent.case_id == case_id,
            CaseEvent.kind == "transition",
            CaseEvent.to_state == CaseState.REOPENED.value,
        )
        .order_by(CaseEvent.id.desc())
        .limit(1)
    )
    query = (
        select(CaseApproval)
        .where(
            CaseApproval.case_id == case_id,
            CaseApproval.step == ApprovalStep.DECISION.value,
            CaseApproval.decision == ApprovalDecision.APPROVED.value,
        )
        .order_by(CaseApproval.id.desc())
        .limit(1)
    )
    if reopened is not None:
        query = query.where(CaseApproval.signed_at >= reopened)
    return session.scalars(query).first()


def _people(session: Session, user_ids: Iterable[int]) -> dict[int, str]:
    """User id → "display name (username)" (just the username when they are the same)."""
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    found = session.execute(
        select(User.id, User.username, User.display_name).where(User.id.in_(ids))
    ).all()
    return {
        uid: username if not shown or shown == username else f"{shown} ({username})"
        for uid, username, shown in found
    }


def _documents(session: Session, case_id: int) -> list[ArchivedDocument]:
    """The case's generated documents, then the files linked to it as evidence, by date."""
    found: list[ArchivedDocument] = []
    generated = session.execute(
        select(CaseDocument, EvidenceFile)
        .join(EvidenceFile, EvidenceFile.id == CaseDocument.evidence_file_id)
        .where(CaseDocument.case_id == case_id)
        .order_by(CaseDocument.id)
    ).all()
    for doc, file in generated:
        found.append(
            ArchivedDocument(
                source=DocumentSource.GENERATED,
                id=doc.id,
                title=file.original_name,
                kind=doc.kind,
                locale=doc.locale,
                created_at=_utc(doc.created_at),
                created_by=doc.created_by,
                evidence_file_id=file.id,
                sha256=file.sha256,
                size_bytes=file.size_bytes,
            )
        )
    linked = session.execute(
        select(CaseEvidence, EvidenceFile)
        .join(EvidenceFile, EvidenceFile.id == CaseEvidence.evidence_file_id)
        .where(CaseEvidence.case_id == case_id, CaseEvidence.record_kind == "file")
        .order_by(CaseEvidence.id)
    ).all()
    for row, file in linked:
        found.append(
            ArchivedDocument(
                source=DocumentSource.EVIDENCE,
                id=row.id,
                title=row.title or file.original_name,
                kind=row.record_kind,
                locale=None,
                created_at=_utc(row.linked_at),
                created_by=row.linked_by,
                evidence_file_id=file.id,
                sha256=file.sha256,
                size_bytes=file.size_bytes,
            )
        )
    return sorted(found, key=lambda d: d.created_at)
