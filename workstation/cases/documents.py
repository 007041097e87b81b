"""Generate a case's documents from the case itself and keep them with it as evidence.

``CaseDocuments.document_data`` maps what the case service knows (subject, allegations and
findings, evidence, signed approvals, disposition, the union notification) into
:class:`~workstation.reports.document_data.CaseDocumentData`; what a case cannot know (the
company, the rule breached, the statement of facts, the effective date) is passed in.
``generate`` renders the PDF and attaches it to the case (``CaseService.attach_document``),
which stores it as an evidence file. When the document lacks something it must state, both
raise :class:`~workstation.reports.document_data.DocumentDataError` naming what is missing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime

from workstation.cases.base import utc_now
from workstation.cases.service import CaseService
from workstation.cases.views import Added, CaseDetail
from workstation.domain.identity import Identity
from workstation.domain.localtime import LOCAL_TZ
from workstation.reports.document_data import (
    AllegationInfo,
    ApprovalInfo,
    CaseDocumentData,
    CompanyInfo,
    DocumentKind,
    EvidenceInfo,
    PersonInfo,
    RecipientInfo,
    RuleInfo,
    check_ready,
)
from workstation.reports.pdf_documents import render_document
from workstation.store.models import Employee
from workstation.store.uow import UnitOfWorkFactory


def _local_date(value: datetime | None) -> date | None:
    return value.astimezone(LOCAL_TZ).date() if value is not None else None


class CaseDocuments:
    def __init__(
        self,
        cases: CaseService,
        uow: UnitOfWorkFactory,
        company: CompanyInfo,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._cases = cases
        self._uow = uow
        self._company = company
        self._clock = clock

    def document_data(
        self,
        identity: Identity,
        number: str,
        kind: DocumentKind | str,
        locale: str,
        *,
        rules: Sequence[RuleInfo] | None = None,
        facts: str | None = None,
        effective_date: date | None = None,
        issued_on: date | None = None,
    ) -> CaseDocumentData:
        """What document ``kind`` in ``locale`` prints for case ``number``, as ``identity``
        (the issuing HR officer) sees it. Raises ``DocumentDataError`` when incomplete."""
        detail = self._cases.get(identity, number)
        data = self._from_detail(
            detail,
            identity,
            DocumentKind(kind),
            locale,
            rules=tuple(rules or ()),
            facts=facts,
            effective_date=effective_date,
            issued_on=issued_on,
        )
        check_ready(data)
        return data

    def generate(
        self,
        identity: Identity,
        number: str,
        kind: DocumentKind | str,
        locale: str,
        revision: int,
        *,
        rules: Sequence[RuleInfo] | None = None,
        facts: str | None = None,
        effective_date: date | None = None,
        issued_on: date | None = None,
    ) -> Added:
        """Render the document and keep it with the case (an evidence file); returns the case
        after it (new revision) and the document's id."""
        data = self.document_data(
            identity,
            number,
            kind,
            locale,
            rules=rules,
            facts=facts,
            effective_date=effective_date,
            issued_on=issued_on,
        )
        pdf = render_document(data)
        name = f"{data.case_number}-{data.kind.value}-{locale}.pdf"
        return self._cases.attach_document(
            identity, number, data.kind.value, locale, pdf, name, revision
        )

    def _subject(self, detail: CaseDetail) -> PersonInfo:
        case = detail.case
        with self._uow() as uow:
            employee = uow.session.get(Employee, case.subject_employee_id)
            department = employee.department if employee else None
            title = employee.title if employee else None
            hire_date = employee.hire_date if employee else None
        return PersonInfo(
            name=case.subject_name,
            employee_no=case.subject_employee_no,
            department=department or "",
            title=title or "",
            hire_date=hire_date,
        )

    def _from_detail(
        self,
        detail: CaseDetail,
        identity: Identity,
        kind: DocumentKind,
        locale: str,
        *,
        rules: tuple[RuleInfo, ...],
        facts: str | None,
        effective_date: date | None,
        issued_on: date | None,
    ) -> CaseDocumentData:
        case = detail.case
        generated_at = self._clock()
        approvals = tuple(
            ApprovalInfo(
                step=a.step,
                role=a.acting_role,
                signer=getattr(a.check.signature, "signer_name", None) or a.username,
                decision=a.decision,
                signed_at=a.signed_at,
                note=a.note,
                signature_fingerprint=getattr(a.check.signature, "certificate_fingerprint", None),
            )
            for a in detail.approvals
        )
        asked = [a for a in approvals if a.step == "investigation"]
        recipients = tuple(RecipientInfo(name=a.signer, role=a.role) for a in asked) or (
            RecipientInfo(name=detail.manager_approver, role="sales_manager"),
        )
        return CaseDocumentData(
            kind=kind,
            locale=locale,
            case_number=case.number,
            title=case.title,
            opened_on=_local_date(case.created_at) or generated_at.date(),
            subject=self._subject(detail),
            company=self._company,
            hr_officer=identity.display_name or identity.username,
            issued_on=issued_on or generated_at.astimezone(LOCAL_TZ).date(),
            generated_at=generated_at,
            facts=facts,
            allegations=tuple(
                AllegationInfo(text=a.text, finding=a.finding, finding_note=a.finding_note)
                for a in detail.allegations
            ),
            rules=rules,
            evidence=tuple(
                EvidenceInfo(
                    title=e.title, kind=e.kind, sha256=e.snapshot_sha256, linked_at=e.linked_at
                )
                for e in detail.evidence
            ),
            approvals=approvals,
            recipients=recipients,
            disposition=case.disposition.value if case.disposition else None,
            disposition_reason=case.disposition_reason,
            effective_date=effective_date,
            union_notified_on=_local_date(case.union_notified_at),
            union_notice_ref=case.union_notice_ref,
        )


__all__ = ["CaseDocuments"]
