"""What the case archive hands out: plain, frozen dataclasses (no ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from workstation.domain.cases import CaseState, Disposition


class DocumentSource(StrEnum):
    #: Generated from the case (notice, approval sheet, dossier): ``case_documents``.
    GENERATED = "generated"
    #: A file linked to the case as evidence (a signed statement, a contract): ``case_evidence``.
    EVIDENCE = "evidence"


@dataclass(frozen=True)
class ArchivedDocument:
    source: DocumentSource
    #: The case document's id (generated) or the evidence id (a linked file).
    id: int
    #: The stored file's name.
    title: str
    #: ``termination_notice``, ``dossier``... for a generated document; ``file`` for evidence.
    kind: str
    #: The language a generated document was written in.
    locale: str | None
    created_at: datetime
    created_by: str
    evidence_file_id: int
    sha256: str
    size_bytes: int


@dataclass(frozen=True)
class ArchivedCase:
    id: int
    number: str
    title: str
    state: CaseState
    #: Closed, rejected or withdrawn (False: decided, still open).
    ended: bool
    opened_at: datetime
    opened_by: str
    #: When the case reached its current state (closed, rejected, withdrawn, decided...).
    state_since: datetime | None
    #: Who moved it there, and the reason they gave (a rejection's note, a withdrawal's reason).
    state_by: str | None
    state_reason: str | None
    closed_at: datetime | None
    #: The decided (or, before a withdrawal, proposed) disposition.
    disposition: Disposition | None
    disposition_reason: str | None
    #: The HR officer's signed decision: who (display name) and when; None if never decided.
    decided_by: str | None
    decided_at: datetime | None
    notice_served_at: datetime | None
    legal_hold: bool
    documents: tuple[ArchivedDocument, ...]

    @property
    def decided(self) -> bool:
        return self.decided_at is not None


@dataclass(frozen=True)
class ReadDocument:
    """A document's bytes as read for the reader (the read was audited)."""

    name: str
    sha256: str
    media_type: str | None
    data: bytes


@dataclass(frozen=True)
class OpenedDocument:
    """A document written out for the reader (the read was audited)."""

    path: Path
    name: str
    sha256: str
    media_type: str | None
