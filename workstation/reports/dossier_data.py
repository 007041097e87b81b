"""What the evidence dossier is filled from: plain frozen dataclasses the case documents service
builds from the case (nothing here knows a database or a PDF).

The dossier is for arbitration or legal review: the case as it stands, the allegations and
findings, every piece of evidence with its frozen snapshot's SHA-256 and its chain of custody,
the timeline, the signed approvals as verified when the dossier was made, and one checksum over
the whole evidence list (:func:`evidence_list_sha256`) that a reader can recompute by hand.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from workstation.reports.document_data import CompanyInfo, PersonInfo
from workstation.store.sealed_checkpoint import SealedCheckpoint


@dataclass(frozen=True, kw_only=True)
class DossierAllegation:
    text: str
    #: substantiated | unsubstantiated | inconclusive; ``None`` until found.
    finding: str | None = None
    finding_note: str | None = None
    created_by: str
    created_at: datetime
    found_by: str | None = None
    found_at: datetime | None = None
    customer: str | None = None
    competitor: str | None = None


@dataclass(frozen=True, kw_only=True)
class CustodyEntry:
    #: added | viewed | exported
    action: str
    at: datetime
    actor: str


@dataclass(frozen=True, kw_only=True)
class DossierEvidence:
    #: The evidence's number within the case (its id).
    number: int
    title: str
    #: An evidence kind code (checkin, stop, order, ...).
    kind: str
    #: The record's key (its id, or EMP:START-END for a track segment).
    key: str
    linked_by: str
    linked_at: datetime
    #: SHA-256 of the frozen snapshot.
    sha256: str
    #: The stored snapshot still hashes to ``sha256``.
    intact: bool
    custody: tuple[CustodyEntry, ...] = ()


@dataclass(frozen=True, kw_only=True)
class DossierEvent:
    at: datetime
    actor: str
    #: A timeline kind code (opened, transition, approval, ...).
    kind: str
    from_state: str | None = None
    to_state: str | None = None
    detail: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class DossierApproval:
    #: investigation | disposition | decision
    step: str
    #: approved | rejected
    decision: str
    #: The role code the signer acted in.
    role: str
    username: str
    #: The name the signer's certificate gives, when known.
    signer_name: str | None = None
    signed_at: datetime
    note: str | None = None
    #: The result of verifying the signature when the dossier was made.
    valid: bool
    reason: str
    certificate_fingerprint: str | None = None


@dataclass(frozen=True, kw_only=True)
class DossierDocument:
    """A document generated earlier and kept with the case."""

    #: A document kind code (investigation_request, ...).
    kind: str
    locale: str
    created_at: datetime
    created_by: str
    sha256: str


@dataclass(frozen=True, kw_only=True)
class DossierParty:
    #: A party role code (subject, manager, involved, witness, ...).
    role: str
    name: str
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class DossierData:
    #: ``zh_CN`` or ``en``
    locale: str
    case_number: str
    title: str
    company: CompanyInfo
    subject: PersonInfo
    #: The case state code now (draft, ..., notice_served, closed).
    state: str
    opened_at: datetime
    opened_by: str
    updated_at: datetime
    closed_at: datetime | None = None
    disposition: str | None = None
    disposition_reason: str | None = None
    legal_hold: bool = False
    alert_ref: str | None = None
    union_notified_at: datetime | None = None
    union_notice_ref: str | None = None
    notice_served_at: datetime | None = None
    #: The case's revision the dossier shows.
    revision: int
    #: Who generated the dossier (display name and username) and when.
    generated_by: str
    generated_by_username: str
    generated_at: datetime
    #: The company's time zone: every time printed is on its wall clock, and says so.
    zone: tzinfo
    parties: tuple[DossierParty, ...] = ()
    allegations: tuple[DossierAllegation, ...] = ()
    evidence: tuple[DossierEvidence, ...] = ()
    timeline: tuple[DossierEvent, ...] = ()
    approvals: tuple[DossierApproval, ...] = ()
    documents: tuple[DossierDocument, ...] = ()
    #: ``ID:HASH`` of the audit log's newest entry when the dossier was made: kept in the
    #: signed PDF, outside the database, it lets ``audit verify --anchor`` catch a cut log.
    audit_anchor: str | None = None
    #: The audit checkpoint sealed by the installation when the dossier was made (entry,
    #: chain hash, count, time, seal, signature): ``audit verify`` checks the log against it.
    audit_checkpoint: SealedCheckpoint | None = None

    def __post_init__(self) -> None:
        stamps: list[tuple[str, datetime | None]] = [
            ("generated_at", self.generated_at),
            ("opened_at", self.opened_at),
        ]
        stamps += [(f"evidence[{i}].linked_at", e.linked_at) for i, e in enumerate(self.evidence)]
        stamps += [(f"timeline[{i}].at", e.at) for i, e in enumerate(self.timeline)]
        stamps += [(f"approvals[{i}].signed_at", a.signed_at) for i, a in enumerate(self.approvals)]
        for name, value in stamps:
            if value is not None and value.tzinfo is None:
                raise ValueError(f"{name} must be timezone-aware (got {value.isoformat()})")

    @property
    def evidence_list_sha256(self) -> str:
        return evidence_list_sha256(self.evidence)

    @property
    def approvals_valid(self) -> bool:
        return all(a.valid for a in self.approvals)

    @property
    def evidence_intact(self) -> bool:
        return all(e.intact for e in self.evidence)


def evidence_list_sha256(evidence: Sequence[DossierEvidence]) -> str:
    """The checksum the dossier closes with: SHA-256 over the evidence's snapshot hashes in the
    listed order, each as 64 lowercase hex digits followed by a line feed (``printf '%s\\n'
    HASH1 HASH2 ... | sha256sum`` gives the same)."""
    text = "".join(f"{e.sha256.lower()}\n" for e in evidence)
    return hashlib.sha256(text.encode("ascii")).hexdigest()
