"""Everything about one case, for the reader: ``CaseDetail``."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workstation.cases.case_actions import case_actions
from workstation.cases.evidence_ops import evidence_views
from workstation.cases.ports import Signer
from workstation.cases.repository import (
    case_view,
    check_approval_row,
    load_facts,
    manager_route,
    usernames,
)
from workstation.cases.views import (
    AllegationView,
    ApprovalView,
    CaseDetail,
    DocumentView,
    EventView,
    NoteView,
    PartyView,
    PendingApproval,
    TaskView,
    TransitionOption,
)
from workstation.domain.case_approvals import ManagerRoute, RouteKind
from workstation.domain.cases import (
    PENDING_STEP,
    ApprovalSlot,
    CaseFacts,
    CaseRefused,
    CaseState,
    Disposition,
    check_transition,
    transitions_from,
)
from workstation.domain.enums import Role
from workstation.domain.identity import Identity
from workstation.security.permissions import Permission, allowed
from workstation.store.models import (
    Case,
    CaseAllegation,
    CaseApproval,
    CaseDocument,
    CaseEvent,
    CaseNote,
    CaseParty,
    CaseTask,
    Competitor,
    Customer,
    Employee,
    User,
)


def transition_options(
    state: CaseState, facts: CaseFacts, identity: Identity
) -> tuple[TransitionOption, ...]:
    """Each transition out of ``state`` and whether ``identity`` may make it now, assuming
    the inputs the request itself supplies (a reason, a disposition) will be given."""
    assumed = replace(
        facts,
        reason="(given)",
        disposition=facts.disposition or Disposition.NO_ACTION,
        disposition_reason=facts.disposition_reason or "(given)",
    )
    options = []
    for t in transitions_from(state):
        shown = (
            not t.by_rejection
            and identity.role in t.roles
            and allowed(identity, Permission.CASE_TRANSITION)
        )
        try:
            check_transition(state, t.target, assumed, identity)
        except CaseRefused as refused:
            options.append(
                TransitionOption(t.target.value, False, str(refused), t.by_rejection, shown)
            )
        else:
            options.append(TransitionOption(t.target.value, True, "", t.by_rejection, shown))
    return tuple(options)


def manager_user_ids(session: Session, route: ManagerRoute) -> tuple[int, ...]:
    """The users who give the manager approval along ``route`` (see ``check_approval``): the
    alternate approver, else the active sales-manager users of the manager it goes to."""
    if route.kind is RouteKind.ALTERNATE and route.alternate is not None:
        return (route.alternate.id,)
    if route.manager is None:
        return ()
    found = session.scalars(
        select(User.id)
        .where(
            User.employee_id == route.manager.id,
            User.role == Role.SALES_MANAGER.value,
            User.active.is_(True),
        )
        .order_by(User.id)
    )
    return tuple(found)


def _names(session: Session, model: type[Employee | User], ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    column = model.name if model is Employee else User.display_name
    return dict(session.execute(select(model.id, column).where(model.id.in_(sorted(ids)))).all())


def build_detail(session: Session, case: Case, identity: Identity, signer: Signer) -> CaseDetail:
    cid = case.id

    def rows(model: Any) -> list[Any]:
        return list(session.scalars(select(model).where(model.case_id == cid).order_by(model.id)))

    parties: list[CaseParty] = rows(CaseParty)
    employees = _names(session, Employee, {p.employee_id for p in parties if p.employee_id})
    users = _names(session, User, {p.user_id for p in parties if p.user_id})
    allegations: list[CaseAllegation] = rows(CaseAllegation)
    customers = dict(
        session.execute(
            select(Customer.id, Customer.name).where(
                Customer.id.in_(sorted({a.customer_id for a in allegations if a.customer_id}))
            )
        ).all()
    )
    competitors = dict(
        session.execute(
            select(Competitor.id, Competitor.name).where(
                Competitor.id.in_(sorted({a.competitor_id for a in allegations if a.competitor_id}))
            )
        ).all()
    )
    tasks: list[CaseTask] = rows(CaseTask)
    assignees = _names(session, User, {t.assignee_user_id for t in tasks if t.assignee_user_id})
    approvals: list[CaseApproval] = rows(CaseApproval)
    approvers = usernames(session, {a.user_id for a in approvals})
    facts = load_facts(session, case)
    route = manager_route(session, case, facts)
    state = CaseState(case.state)
    step = PENDING_STEP.get(state)
    pending = None
    if step is not None:
        pending = PendingApproval(
            step.value,
            route.describe(),
            facts.approved(step, ApprovalSlot.MANAGER),
            facts.approved(step, ApprovalSlot.LEGAL),
            manager_user_ids=manager_user_ids(session, route),
            signed_user_ids=tuple(sorted({a.user_id for a in facts.approvals if a.step is step})),
        )
    events = session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == cid).order_by(CaseEvent.id)
    )
    return CaseDetail(
        case=case_view(session, case),
        parties=tuple(
            PartyView(
                p.id,
                p.role,
                p.employee_id,
                p.user_id,
                employees.get(p.employee_id or 0) or users.get(p.user_id or 0) or "?",
                p.note,
                p.added_at,
                p.added_by,
            )
            for p in parties
        ),
        allegations=tuple(
            AllegationView(
                a.id,
                a.text,
                a.customer_id,
                customers.get(a.customer_id or 0),
                a.competitor_id,
                competitors.get(a.competitor_id or 0),
                a.finding,
                a.finding_note,
                a.created_at,
                a.created_by,
                a.found_at,
                a.found_by,
            )
            for a in allegations
        ),
        notes=tuple(NoteView(n.id, n.text, n.created_at, n.created_by) for n in rows(CaseNote)),
        evidence=tuple(evidence_views(session, cid)),
        tasks=tuple(
            TaskView(
                t.id,
                t.title,
                t.assignee_user_id,
                t.due_date,
                t.done_at,
                t.created_at,
                t.created_by,
                assignees.get(t.assignee_user_id or 0),
            )
            for t in tasks
        ),
        documents=tuple(
            DocumentView(d.id, d.kind, d.locale, d.evidence_file_id, d.created_at, d.created_by)
            for d in rows(CaseDocument)
        ),
        approvals=tuple(
            ApprovalView(
                a.id,
                a.step,
                a.decision,
                a.acting_role,
                a.user_id,
                approvers.get(a.user_id, "?"),
                a.note,
                a.payload_sha256,
                a.signed_at,
                check_approval_row(signer, case, a, approvers.get(a.user_id, "?")),
            )
            for a in approvals
        ),
        timeline=tuple(
            EventView(
                e.at,
                e.actor,
                e.kind,
                e.from_state,
                e.to_state,
                json.loads(e.detail_json) if e.detail_json else {},
            )
            for e in events
        ),
        manager_approver=route.describe(),
        pending=pending,
        transitions=transition_options(state, facts, identity),
        actions={
            action.value: answer
            for action, answer in case_actions(
                state,
                facts,
                identity,
                route,
                Disposition(case.disposition) if case.disposition else None,
            ).items()
        },
    )
