"""Reading cases from the store: the rows, the facts the rules judge, where the manager
approval goes, the canonical state that approvals sign, and the plain views."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workstation.cases.ports import Signer
from workstation.cases.snapshots import plain, sha256_hex
from workstation.cases.views import ApprovalCheck, CaseView
from workstation.domain.case_approvals import ManagerRoute, Person, route_manager_approval
from workstation.domain.cases import (
    PENDING_STEP,
    ApprovalDecision,
    ApprovalSlot,
    CaseFacts,
    CaseState,
    Disposition,
    Finding,
    GivenApproval,
    PartyRole,
)
from workstation.store.models import (
    Case,
    CaseAllegation,
    CaseApproval,
    CaseDocument,
    CaseEvent,
    CaseEvidence,
    CaseNote,
    CaseParty,
    CaseTask,
    Employee,
    EvidenceFile,
    User,
)

#: How far up the management chain the manager approval may go.
MAX_CHAIN = 32
#: What an approval signs (``canonical_state``). Version 2 added the evidence items' titles
#: and file hashes, the parties' ids and the case's documents; a version-1 payload still
#: verifies over what it holds (``cases.integrity`` compares the keys a payload has).
STATE_SCHEMA = "casework.case-state/2"
APPROVAL_SCHEMA = "casework.case-approval/1"


def case_by_number(session: Session, number: str) -> Case | None:
    return session.scalars(select(Case).where(Case.number == number.strip().upper())).first()


def involved(session: Session, case_id: int) -> tuple[frozenset[int], frozenset[int]]:
    """Employee ids and user ids marked as involved in the case."""
    rows = session.execute(
        select(CaseParty.employee_id, CaseParty.user_id).where(
            CaseParty.case_id == case_id, CaseParty.role == PartyRole.INVOLVED.value
        )
    ).all()
    employees = frozenset(e for e, _ in rows if e is not None)
    users = frozenset(u for _, u in rows if u is not None)
    # A user marked involved is involved as their employee too (and the reverse).
    linked = session.execute(
        select(User.id, User.employee_id).where(
            (User.id.in_(sorted(users))) | (User.employee_id.in_(sorted(employees)))
        )
    ).all()
    return (
        employees | {e for _, e in linked if e is not None},
        users | {u for u, _ in linked},
    )


def slot_of_role(acting_role: str) -> ApprovalSlot:
    return ApprovalSlot.LEGAL if acting_role == "legal" else ApprovalSlot.MANAGER


def current_round(session: Session, case_id: int) -> tuple[GivenApproval, ...]:
    """Approvals given since the case last entered each step's pending state."""
    given: list[GivenApproval] = []
    for state, step in PENDING_STEP.items():
        start = session.scalar(
            select(CaseEvent.id)
            .where(
                CaseEvent.case_id == case_id,
                CaseEvent.kind == "transition",
                CaseEvent.to_state == state.value,
            )
            .order_by(CaseEvent.id.desc())
            .limit(1)
        )
        if start is None:
            continue
        ids = [
            json.loads(detail or "{}").get("approval_id")
            for detail in session.scalars(
                select(CaseEvent.detail_json).where(
                    CaseEvent.case_id == case_id,
                    CaseEvent.kind == "approval",
                    CaseEvent.id > start,
                )
            )
        ]
        rows = session.scalars(
            select(CaseApproval).where(
                CaseApproval.id.in_([i for i in ids if i]), CaseApproval.step == step.value
            )
        )
        given.extend(
            GivenApproval(
                step, slot_of_role(a.acting_role), ApprovalDecision(a.decision), a.user_id
            )
            for a in rows
        )
    return tuple(given)


def load_facts(
    session: Session,
    case: Case,
    *,
    reason: str | None = None,
    disposition: Disposition | None = None,
    disposition_reason: str | None = None,
) -> CaseFacts:
    """The facts of ``case``; ``disposition``/``disposition_reason`` override the stored ones
    (the proposal being judged), ``reason`` is the reason given with the request."""
    employees, users = involved(session, case.id)
    findings = list(
        session.scalars(select(CaseAllegation.finding).where(CaseAllegation.case_id == case.id))
    )
    open_tasks = session.scalars(
        select(CaseTask.id).where(CaseTask.case_id == case.id, CaseTask.done_at.is_(None))
    ).all()
    stored = Disposition(case.disposition) if case.disposition else None
    return CaseFacts(
        subject_employee_id=case.subject_employee_id,
        involved_employee_ids=employees,
        involved_user_ids=users,
        allegations=len(findings),
        allegations_without_finding=sum(1 for f in findings if f is None),
        substantiated_allegations=sum(1 for f in findings if f == Finding.SUBSTANTIATED.value),
        disposition=disposition or stored,
        disposition_reason=disposition_reason if disposition else case.disposition_reason,
        union_notified=case.union_notified_at is not None,
        open_tasks=len(open_tasks),
        # An approver found to be involved later no longer counts.
        approvals=tuple(a for a in current_round(session, case.id) if a.user_id not in users),
        reason=reason,
    )


def manager_chain(session: Session, employee_id: int) -> list[Person]:
    """The employee's managers, nearest first (stops at a loop)."""
    chain: list[Person] = []
    seen = {employee_id}
    current = session.get(Employee, employee_id)
    while current is not None and current.manager_id is not None and len(chain) < MAX_CHAIN:
        if current.manager_id in seen:
            break
        seen.add(current.manager_id)
        current = session.get(Employee, current.manager_id)
        if current is None:
            break
        chain.append(Person(current.id, current.name))
    return chain


def alternate_approver(session: Session, case_id: int) -> Person | None:
    row = session.execute(
        select(User.id, User.display_name)
        .join(CaseParty, CaseParty.user_id == User.id)
        .where(
            CaseParty.case_id == case_id,
            CaseParty.role == PartyRole.ALTERNATE_APPROVER.value,
        )
        .order_by(CaseParty.id.desc())
        .limit(1)
    ).first()
    return Person(row[0], row[1]) if row else None


def manager_route(session: Session, case: Case, facts: CaseFacts) -> ManagerRoute:
    return route_manager_approval(
        manager_chain(session, case.subject_employee_id),
        facts.involved_employee_ids,
        alternate_approver(session, case.id),
    )


def file_hashes(session: Session, ids: set[int]) -> dict[int, str]:
    """The SHA-256 of each evidence file ``ids`` names, as the store records it."""
    if not ids:
        return {}
    found = session.execute(
        select(EvidenceFile.id, EvidenceFile.sha256).where(EvidenceFile.id.in_(sorted(ids)))
    ).all()
    return {int(i): str(sha) for i, sha in found}


def canonical_state(session: Session, case: Case) -> dict[str, Any]:
    """The case as approvals sign it: its fields, parties, allegations and findings, notes
    (by hash), evidence (the SHA-256 of each frozen record computed from its content, the
    file's SHA-256), documents (by file hash) and the approvals already given (by hash)."""
    subject = session.get(Employee, case.subject_employee_id)
    cid = case.id

    def rows(model: Any) -> Sequence[Any]:
        return session.scalars(select(model).where(model.case_id == cid).order_by(model.id)).all()

    evidence, documents = rows(CaseEvidence), rows(CaseDocument)
    files = file_hashes(
        session,
        {e.evidence_file_id for e in evidence if e.evidence_file_id is not None}
        | {d.evidence_file_id for d in documents},
    )
    return {
        "schema": STATE_SCHEMA,
        "case": {
            "number": case.number,
            "title": case.title,
            "state": case.state,
            "subject": {
                "id": case.subject_employee_id,
                "employee_no": subject.employee_no if subject else None,
                "name": subject.name if subject else None,
            },
            "alert_id": case.alert_id,
            "disposition": case.disposition,
            "disposition_reason": case.disposition_reason,
            "legal_hold": bool(case.legal_hold),
            "union_notified_at": plain(case.union_notified_at),
            "union_notice_ref": case.union_notice_ref,
            "notice_served_at": plain(case.notice_served_at),
            "revision": case.revision,
            "opened_by": case.opened_by,
            "created_at": plain(case.created_at),
        },
        "parties": [
            {"id": p.id, "role": p.role, "employee_id": p.employee_id, "user_id": p.user_id}
            for p in rows(CaseParty)
        ],
        "allegations": [
            {
                "id": a.id,
                "text": a.text,
                "customer_id": a.customer_id,
                "competitor_id": a.competitor_id,
                "finding": a.finding,
                "finding_note": a.finding_note,
            }
            for a in rows(CaseAllegation)
        ],
        "notes": [{"id": n.id, "sha256": sha256_hex(n.text)} for n in rows(CaseNote)],
        "evidence": [
            {
                "id": e.id,
                "kind": e.record_kind,
                "key": e.record_key,
                "title": e.title,
                "sha256": sha256_hex(e.snapshot_json),
                "file_sha256": files.get(e.evidence_file_id or 0),
            }
            for e in evidence
        ],
        "documents": [
            {"id": d.id, "kind": d.kind, "file_sha256": files.get(d.evidence_file_id)}
            for d in documents
        ],
        "approvals": [
            {
                "id": a.id,
                "step": a.step,
                "decision": a.decision,
                "acting_role": a.acting_role,
                "user_id": a.user_id,
                "payload_sha256": a.payload_sha256,
            }
            for a in rows(CaseApproval)
        ],
    }


def check_approval_row(
    signer: Signer, case: Case, approval: CaseApproval, username: str
) -> ApprovalCheck:
    """Verify one stored approval: its payload's hash, that the payload is about this case
    and says what the row says, and the signature over the payload."""
    signature = signer.verify(approval.payload_json, approval.signature, approval.certificate_id)
    problems: list[str] = []
    if sha256_hex(approval.payload_json) != approval.payload_sha256:
        problems.append("the signed payload does not match its SHA-256")
    try:
        payload = json.loads(approval.payload_json)
        # A signing service may wrap the content in an envelope (content, signer, time).
        if isinstance(payload, dict) and isinstance(payload.get("content"), dict):
            payload = payload["content"]
    except ValueError:
        payload = {}
        problems.append("the signed payload is not JSON")
    said = {
        "case": payload.get("state", {}).get("case", {}).get("number"),
        "step": payload.get("step"),
        "decision": payload.get("decision"),
        "acting_role": payload.get("acting_role"),
        "signer": (payload.get("signer") or {}).get("user_id"),
        "note": payload.get("note"),
    }
    stored = {
        "case": case.number,
        "step": approval.step,
        "decision": approval.decision,
        "acting_role": approval.acting_role,
        "signer": approval.user_id,
        "note": approval.note,
    }
    problems.extend(
        f"the row's {k} ({stored[k]}) differs from the signed {k} ({said[k]})"
        for k in stored
        if said[k] != stored[k]
    )
    if not signature.valid:
        problems.append(f"signature invalid: {signature.reason or 'no reason given'}")
    return ApprovalCheck(
        approval_id=approval.id,
        step=approval.step,
        decision=approval.decision,
        acting_role=approval.acting_role,
        username=username,
        signed_at=approval.signed_at,
        valid=not problems,
        reason="; ".join(problems) if problems else "signature and payload intact",
        signature=signature,
    )


def case_views(session: Session, cases: Sequence[Case]) -> list[CaseView]:
    if not cases:
        return []
    people = {
        e.id: (e.employee_no, e.name)
        for e in session.execute(
            select(Employee.id, Employee.employee_no, Employee.name).where(
                Employee.id.in_({c.subject_employee_id for c in cases})
            )
        )
    }
    return [
        CaseView(
            id=c.id,
            number=c.number,
            title=c.title,
            subject_employee_id=c.subject_employee_id,
            subject_employee_no=people.get(c.subject_employee_id, ("?", "?"))[0],
            subject_name=people.get(c.subject_employee_id, ("?", "?"))[1],
            state=CaseState(c.state),
            disposition=Disposition(c.disposition) if c.disposition else None,
            disposition_reason=c.disposition_reason,
            legal_hold=bool(c.legal_hold),
            alert_id=c.alert_id,
            union_notified_at=c.union_notified_at,
            union_notice_ref=c.union_notice_ref,
            notice_served_at=c.notice_served_at,
            revision=c.revision,
            opened_by=c.opened_by,
            created_at=c.created_at,
            updated_at=c.updated_at,
            closed_at=c.closed_at,
        )
        for c in cases
    ]


def case_view(session: Session, case: Case) -> CaseView:
    return case_views(session, [case])[0]


def usernames(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(session.execute(select(User.id, User.username).where(User.id.in_(ids))).all())
