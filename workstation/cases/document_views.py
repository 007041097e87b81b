"""What the case documents service hands out: plain frozen dataclasses (no ORM, no Qt)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from workstation.cases.views import CaseView

if TYPE_CHECKING:  # pyHanko loads when a document is signed or checked
    from workstation.reports.pdf_signing import PdfSignatureCheck


@dataclass(frozen=True)
class GeneratedDocument:
    """A document just generated, signed and kept with the case."""

    #: The case after it (its new revision).
    case: CaseView
    #: The stored document's id (``CaseDetail.documents``, ``CaseDocuments.document_bytes``).
    document_id: int
    kind: str
    locale: str
    #: The document's name in its language, e.g. 解除劳动合同通知书.
    title: str
    file_name: str
    #: SHA-256 of the signed PDF as stored.
    sha256: str
    size_bytes: int
    #: The PAdES signature as verified right after signing.
    signer: str | None
    signed_at: datetime | None
    signature_valid: bool
    #: The signed PDF itself (what is stored).
    pdf: bytes = field(repr=False)

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "case": self.case.number,
            "revision": self.case.revision,
            "document_id": self.document_id,
            "kind": self.kind,
            "locale": self.locale,
            "title": self.title,
            "file_name": self.file_name,
            "sha256": self.sha256,
            "size_bytes": self.size_bytes,
            "signer": self.signer,
            "signed_at": self.signed_at.isoformat() if self.signed_at else None,
            "signature_valid": self.signature_valid,
        }


@dataclass(frozen=True)
class StoredDocument:
    """A document kept with the case, as listed (its signature checked when listed)."""

    id: int
    kind: str
    locale: str
    title: str
    file_name: str
    created_at: datetime
    created_by: str
    sha256: str
    size_bytes: int
    #: The PDF carries at least one signature.
    signed: bool
    #: Every signature is intact, valid and trusted (this installation's CA), the file
    #: unchanged since.
    signature_valid: bool
    #: The (last) signer's name as certified, and the time they gave.
    signer: str | None
    signed_at: datetime | None
    #: Why the signature does not hold (None when it does).
    problem: str | None = None

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "locale": self.locale,
            "title": self.title,
            "file_name": self.file_name,
            "created_at": self.created_at.isoformat(),
            "created_by": self.created_by,
            "sha256": self.sha256,
            "size_bytes": self.size_bytes,
            "signed": self.signed,
            "signature_valid": self.signature_valid,
            "signer": self.signer,
            "signed_at": self.signed_at.isoformat() if self.signed_at else None,
            "problem": self.problem,
        }


def signature_facts(
    checks: Sequence[PdfSignatureCheck],
) -> tuple[str | None, datetime | None, bool, str | None]:
    """Signer, signing time, whether every signature holds, and why not: from ``verify_pdf``."""
    if not checks:
        return None, None, False, "the PDF is not signed"
    last = checks[-1]
    signer = last.signer_name or last.signer_username
    failed = [c for c in checks if not c.ok]
    problem = "; ".join(f"{c.field_name}: {c.summary}" for c in failed) or None
    return signer, last.signing_time, not failed, problem


__all__ = ["GeneratedDocument", "StoredDocument", "signature_facts"]
