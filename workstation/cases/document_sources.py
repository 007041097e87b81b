"""From what the case service hands out (``CaseDetail``, the signature checks) to what the
documents print (``CaseDocumentData``, ``DossierData``): plain mapping, no rules of its own."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from workstation.cases.case_text import case_text
from workstation.cases.detail import manager_user_ids
from workstation.cases.repository import case_by_number, load_facts, manager_route
from workstation.cases.views import ApprovalCheck, CaseDetail
from workstation.domain.enums import Role
from workstation.domain.identity import Identity
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
)
from workstation.reports.dossier_data import (
    CustodyEntry,
    DossierAllegation,
    DossierApproval,
    DossierData,
    DossierDocument,
    DossierEvent,
    DossierEvidence,
    DossierParty,
)
from workstation.store.models import Employee, EvidenceFile, User


def local_date(value: datetime | None, zone: tzinfo) -> date | None:
    return value.astimezone(zone).date() if value is not None else None


def alert_ref(detail: CaseDetail) -> str | None:
    return f"#{detail.case.alert_id}" if detail.case.alert_id is not None else None


def subject_person(session: Session, detail: CaseDetail) -> PersonInfo:
    case = detail.case
    employee = session.get(Employee, case.subject_employee_id)
    return PersonInfo(
        name=case.subject_name,
        employee_no=case.subject_employee_no,
        department=(employee.department if employee else None) or "",
        title=(employee.title if employee else None) or "",
        hire_date=employee.hire_date if employee else None,
    )


@dataclass(frozen=True)
class FileFacts:
    sha256: str
    size_bytes: int
    original_name: str


def approvers(session: Session, number: str) -> tuple[RecipientInfo, ...]:
    """Whom an investigation request asks before anyone has approved: the users who give the
    manager approval (along the case's approval route) and the active legal users."""
    case = case_by_number(session, number)
    if case is None:
        return ()
    route = manager_route(session, case, load_facts(session, case))
    managers = manager_user_ids(session, route)
    found: list[RecipientInfo] = []
    if managers:
        rows = session.scalars(select(User).where(User.id.in_(managers)).order_by(User.id))
        found += [RecipientInfo(name=u.display_name, role=Role.SALES_MANAGER.value) for u in rows]
    elif route.manager is not None:
        found.append(RecipientInfo(name=route.manager.name, role=Role.SALES_MANAGER.value))
    legal = session.scalars(
        select(User).where(User.role == Role.LEGAL.value, User.active.is_(True)).order_by(User.id)
    )
    subject = case.subject_employee_id
    found += [
        RecipientInfo(name=u.display_name, role=Role.LEGAL.value)
        for u in legal
        if u.employee_id is None or u.employee_id != subject
    ]
    return tuple(found)


def file_hashes(session: Session, file_ids: Sequence[int]) -> dict[int, FileFacts]:
    """The evidence files (of stored documents) by id."""
    if not file_ids:
        return {}
    rows = session.scalars(select(EvidenceFile).where(EvidenceFile.id.in_(list(file_ids))))
    return {row.id: FileFacts(row.sha256, row.size_bytes, row.original_name) for row in rows}


def document_data(
    detail: CaseDetail,
    identity: Identity,
    kind: DocumentKind,
    locale: str,
    *,
    subject: PersonInfo,
    company: CompanyInfo,
    generated_at: datetime,
    zone: tzinfo,
    rules: tuple[RuleInfo, ...],
    facts: str | None,
    effective_date: date | None,
    issued_on: date | None,
    approvers: tuple[RecipientInfo, ...] = (),
) -> CaseDocumentData:
    """What one of the four notices prints for the case, issued by ``identity`` (its days
    and times those of the company's ``zone``)."""
    case = detail.case
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
    recipients = tuple(RecipientInfo(name=a.signer, role=a.role) for a in asked) or approvers
    return CaseDocumentData(
        kind=kind,
        locale=locale,
        case_number=case.number,
        title=case.title,
        opened_on=local_date(case.created_at, zone) or generated_at.astimezone(zone).date(),
        subject=subject,
        company=company,
        hr_officer=identity.display_name or identity.username,
        issued_on=issued_on or generated_at.astimezone(zone).date(),
        generated_at=generated_at,
        zone=zone,
        facts=facts,
        alert_ref=alert_ref(detail),
        allegations=tuple(
            AllegationInfo(text=a.text, finding=a.finding, finding_note=a.finding_note)
            for a in detail.allegations
        ),
        rules=rules,
        evidence=tuple(
            EvidenceInfo(
                title=case_text(e.title, locale),
                kind=e.kind,
                sha256=e.snapshot_sha256,
                linked_at=e.linked_at,
            )
            for e in detail.evidence
        ),
        approvals=approvals,
        recipients=recipients,
        disposition=case.disposition.value if case.disposition else None,
        disposition_reason=case.disposition_reason,
        effective_date=effective_date,
        union_notified_on=local_date(case.union_notified_at, zone),
        union_notice_ref=case.union_notice_ref,
    )


def dossier_data(
    detail: CaseDetail,
    checks: Sequence[ApprovalCheck],
    identity: Identity,
    locale: str,
    *,
    subject: PersonInfo,
    company: CompanyInfo,
    generated_at: datetime,
    zone: tzinfo,
    files: Mapping[int, FileFacts],
) -> DossierData:
    """The dossier of the case as ``detail`` shows it, with the approvals as ``checks`` (the
    case service's ``verify``) judged them."""
    case = detail.case
    views = {a.id: a for a in detail.approvals}
    approvals = []
    for check in checks:
        view = views.get(check.approval_id)
        signature = check.signature
        approvals.append(
            DossierApproval(
                step=check.step,
                decision=check.decision,
                role=check.acting_role,
                username=check.username,
                signer_name=getattr(signature, "signer_name", None),
                signed_at=check.signed_at,
                note=view.note if view else None,
                valid=check.valid,
                reason=check.reason,
                certificate_fingerprint=getattr(signature, "certificate_fingerprint", None),
            )
        )
    return DossierData(
        locale=locale,
        case_number=case.number,
        title=case.title,
        company=company,
        subject=subject,
        state=case.state.value,
        opened_at=case.created_at,
        opened_by=case.opened_by,
        updated_at=case.updated_at,
        closed_at=case.closed_at,
        disposition=case.disposition.value if case.disposition else None,
        disposition_reason=case.disposition_reason,
        legal_hold=case.legal_hold,
        alert_ref=alert_ref(detail),
        union_notified_at=case.union_notified_at,
        union_notice_ref=case.union_notice_ref,
        notice_served_at=case.notice_served_at,
        revision=case.revision,
        generated_by=identity.display_name or identity.username,
        generated_by_username=identity.username,
        generated_at=generated_at,
        zone=zone,
        parties=tuple(DossierParty(role=p.role, name=p.name, note=p.note) for p in detail.parties),
        allegations=tuple(
            DossierAllegation(
                text=a.text,
                finding=a.finding,
                finding_note=a.finding_note,
                created_by=a.created_by,
                created_at=a.created_at,
                found_by=a.found_by,
                found_at=a.found_at,
                customer=a.customer_name,
                competitor=a.competitor_name,
            )
            for a in detail.allegations
        ),
        evidence=tuple(
            DossierEvidence(
                number=e.id,
                title=case_text(e.title, locale),
                kind=e.kind,
                key=e.key,
                linked_by=e.linked_by,
                linked_at=e.linked_at,
                sha256=e.snapshot_sha256,
                intact=e.snapshot_intact,
                custody=tuple(
                    CustodyEntry(action=c.action, at=c.at, actor=c.actor) for c in e.custody
                ),
            )
            for e in detail.evidence
        ),
        timeline=tuple(
            DossierEvent(
                at=t.at,
                actor=t.actor,
                kind=t.kind,
                from_state=t.from_state,
                to_state=t.to_state,
                detail=dict(t.detail),
            )
            for t in detail.timeline
        ),
        approvals=tuple(approvals),
        documents=tuple(
            DossierDocument(
                kind=d.kind,
                locale=d.locale,
                created_at=d.created_at,
                created_by=d.created_by,
                sha256=files[d.evidence_file_id].sha256 if d.evidence_file_id in files else "",
            )
            for d in detail.documents
        ),
    )
