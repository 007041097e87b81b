"""What the case documents are filled from: plain frozen dataclasses the case service builds.

Nothing here knows about a database, a template or a PDF. Codes (findings, decisions, roles,
steps, dispositions, evidence kinds) stay the stable strings stored in the database; the
templates' ``labels.<locale>.json`` turns them into words. Datetimes must be timezone-aware
(they are stored in UTC and printed on the clock of the company's ``zone``, saying which).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from enum import StrEnum


class DocumentKind(StrEnum):
    """The generated case documents; values match ``case_documents.kind``."""

    INVESTIGATION_REQUEST = "investigation_request"
    APPROVAL_SHEET = "approval_sheet"
    UNION_NOTIFICATION = "union_notification"
    TERMINATION_NOTICE = "termination_notice"


DOSSIER = "dossier"
#: Every kind a case's documents are generated as, in the order a case needs them.
DOCUMENT_KINDS: tuple[str, ...] = (*(k.value for k in DocumentKind), DOSSIER)
#: The languages a document is written in.
LOCALES = ("zh_CN", "en")


class DocumentDataError(ValueError):
    """The case lacks something the document must state (listed in ``missing``)."""

    def __init__(self, kind: DocumentKind | str, case_number: str, missing: list[str]) -> None:
        #: The document's kind (a ``DocumentKind``, or ``"dossier"``).
        self.kind = kind
        self.case_number = case_number
        self.missing = list(missing)
        super().__init__(
            f"cannot generate {kind} for case {case_number}: " + "; ".join(self.missing)
        )


@dataclass(frozen=True, kw_only=True)
class CompanyInfo:
    name: str
    address: str
    legal_representative: str
    #: The company's trade union committee (notified before a termination, art. 43).
    union_name: str
    #: Labour dispute arbitration commission named in the termination notice; when ``None``
    #: the notice names the commission of the place of work or of the employer (art. 21 LDMAL).
    arbitration_commission: str | None = None


@dataclass(frozen=True, kw_only=True)
class PersonInfo:
    name: str
    employee_no: str
    department: str
    title: str
    hire_date: date | None = None
    id_number: str | None = None


@dataclass(frozen=True, kw_only=True)
class AllegationInfo:
    text: str
    #: substantiated | unsubstantiated | inconclusive; ``None`` until found.
    finding: str | None = None
    finding_note: str | None = None


@dataclass(frozen=True, kw_only=True)
class RuleInfo:
    """A company rule the employee breached, quoted in the notices."""

    #: The rulebook, e.g. 员工手册 (printed inside 《》 by the Chinese templates).
    document: str
    #: Where in it, e.g. 第七章第三条 / "Chapter 7, Article 3".
    article: str
    #: The rule's text as published to employees.
    text: str
    #: The early-warning indicators that show the conduct it forbids (e.g.
    #: ``fake_fieldwork_rate``): a case cites it by default when its alert fired on one of
    #: them. Empty: a general rule, cited when no specific one fits.
    indicators: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class RecipientInfo:
    """Someone a document is addressed to (the investigation request's approvers)."""

    name: str
    #: A role code (sales_manager, legal, ...), printed through the role labels.
    role: str


@dataclass(frozen=True, kw_only=True)
class ApprovalInfo:
    #: investigation | disposition | decision
    step: str
    #: sales_manager | legal | hr_officer | administrator
    role: str
    signer: str
    #: approved | rejected
    decision: str
    signed_at: datetime
    note: str | None = None
    #: SHA-256 (hex) of the signer's certificate, so a reader can match the signature.
    signature_fingerprint: str | None = None


@dataclass(frozen=True, kw_only=True)
class EvidenceInfo:
    title: str
    #: checkin | stop | track_segment | order | customer_event | communication | ...
    kind: str
    #: SHA-256 of the frozen snapshot (or of the file).
    sha256: str
    linked_at: datetime


@dataclass(frozen=True, kw_only=True)
class CaseDocumentData:
    """Everything one generated document may print, for one case, kind and locale."""

    kind: DocumentKind
    #: ``zh_CN`` or ``en``
    locale: str
    case_number: str
    title: str
    opened_on: date
    subject: PersonInfo
    company: CompanyInfo
    #: Name of the HR officer who issues the document.
    hr_officer: str
    #: Date printed on the document (the date it is issued or served).
    issued_on: date
    #: When it was generated: the PDF creation date and the footer; same data → same bytes.
    generated_at: datetime
    #: The company's time zone: every time printed is on its wall clock, and says so.
    zone: tzinfo
    #: Statement of the facts established (or, before the finding, the grounds to investigate).
    facts: str | None = None
    #: The alert the case was opened from, e.g. "A-2026-0042 客户转移" (optional).
    alert_ref: str | None = None
    allegations: tuple[AllegationInfo, ...] = ()
    rules: tuple[RuleInfo, ...] = ()
    evidence: tuple[EvidenceInfo, ...] = ()
    approvals: tuple[ApprovalInfo, ...] = ()
    recipients: tuple[RecipientInfo, ...] = ()
    #: no_action | warning | termination | referral
    disposition: str | None = None
    disposition_reason: str | None = None
    #: The day the labour contract ends (termination notice).
    effective_date: date | None = None
    #: Hand over work by this day (optional).
    handover_by: date | None = None
    union_notified_on: date | None = None
    union_notice_ref: str | None = None
    #: The union is asked to answer by this day (union notification, optional).
    union_reply_by: date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", DocumentKind(self.kind))
        stamps = [("generated_at", self.generated_at)]
        stamps += [(f"approvals[{i}].signed_at", a.signed_at) for i, a in enumerate(self.approvals)]
        stamps += [(f"evidence[{i}].linked_at", e.linked_at) for i, e in enumerate(self.evidence)]
        for name, value in stamps:
            if value.tzinfo is None:
                raise ValueError(f"{name} must be timezone-aware (got {value.isoformat()})")

    @property
    def substantiated(self) -> tuple[AllegationInfo, ...]:
        return tuple(a for a in self.allegations if a.finding == "substantiated")


def missing_for(data: CaseDocumentData) -> list[str]:
    """What ``data`` lacks for its kind of document, in words a case officer can act on."""
    missing: list[str] = []

    def need(ok: object, what: str) -> None:
        if not ok:
            missing.append(what)

    kind = data.kind
    if kind is DocumentKind.INVESTIGATION_REQUEST:
        need(data.allegations, "at least one allegation")
        need(data.recipients, "at least one recipient (sales manager, legal)")
    if kind in (DocumentKind.UNION_NOTIFICATION, DocumentKind.TERMINATION_NOTICE):
        need(data.disposition == "termination", "the disposition must be termination")
        need(data.substantiated, "at least one substantiated allegation")
        need(data.rules, "the company rule breached")
        need(data.facts, "the statement of facts")
    if kind is DocumentKind.TERMINATION_NOTICE:
        need(data.effective_date, "the effective date of the termination")
        need(data.union_notified_on, "the date the union was notified (art. 43)")
        if data.effective_date and data.union_notified_on:
            need(
                data.union_notified_on <= data.effective_date,
                "the union must be notified before the termination takes effect",
            )
    return missing


def check_ready(data: CaseDocumentData) -> None:
    """Raise :class:`DocumentDataError` naming everything the document still lacks."""
    missing = missing_for(data)
    if missing:
        raise DocumentDataError(data.kind, data.case_number, missing)
