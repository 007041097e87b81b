"""What a reader may do with one case now, and why not (``CaseDetail.actions``).

Each answer is made by the same checks the case service runs when the action is asked for —
the permission matrix (``security.permissions``) and the case's rules (``domain.cases``,
``domain.case_approvals``) — so the view offers exactly what the service would accept and
says, for what it would refuse, the service's own reason. Actions the reader's role never
takes are not shown; nor are changes to a case that has ended (the case view offers the
reopening instead), nor approvals outside the two approval steps.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from workstation.domain.case_approvals import ManagerRoute, check_approval
from workstation.domain.cases import (
    ENDED_STATES,
    PENDING_STEP,
    ApprovalDecision,
    CaseFacts,
    CaseRefused,
    CaseState,
    Disposition,
    check_active,
    check_allegation_allowed,
    check_finding_allowed,
    check_union_notification,
)
from workstation.domain.identity import Identity
from workstation.security.capabilities import ALLOWED, Capability, capability, refused
from workstation.security.permissions import Permission


class CaseAction(StrEnum):
    ADD_NOTE = "add_note"
    ADD_ALLEGATION = "add_allegation"
    RECORD_FINDING = "record_finding"
    ADD_TASK = "add_task"
    COMPLETE_TASK = "complete_task"
    ADD_PARTY = "add_party"
    CHOOSE_ALTERNATE = "choose_alternate"
    LINK_EVIDENCE = "link_evidence"
    EXPORT_EVIDENCE = "export_evidence"
    GENERATE_DOCUMENT = "generate_document"
    APPROVE = "approve"
    LEGAL_HOLD = "legal_hold"
    UNION_NOTIFICATION = "union_notification"


def _ruled(check: Callable[[], object], *, shown: bool = True) -> Capability:
    """ALLOWED, or the refusal ``check`` raises (shown as ``shown`` says)."""
    try:
        check()
    except CaseRefused as refusal:
        return refused(str(refusal), shown=shown)
    return ALLOWED


def _edit(
    identity: Identity, state: CaseState, permission: Permission, check: Callable[[], object]
) -> Capability:
    """A change to the case: the role's permission, then the rule (a change to an ended case
    is not offered; the reopening is)."""
    allowed = capability(identity, permission)
    if not allowed:
        return allowed
    return _ruled(check, shown=state not in ENDED_STATES)


def _approval(
    identity: Identity, state: CaseState, facts: CaseFacts, route: ManagerRoute
) -> Capability:
    allowed = capability(identity, Permission.CASE_APPROVE)
    if not allowed:
        return allowed
    step = PENDING_STEP.get(state)
    if step is None:
        return refused(f"the case is {state.value}: it waits for no approval", shown=False)
    return _ruled(
        lambda: check_approval(state, step, ApprovalDecision.APPROVED, facts, identity, route)
    )


def case_actions(
    state: CaseState,
    facts: CaseFacts,
    identity: Identity,
    route: ManagerRoute,
    disposition: Disposition | None,
) -> dict[CaseAction, Capability]:
    """Every ``CaseAction`` as ``identity`` may take it on a case in ``state`` now."""
    edit = Permission.CASE_EDIT

    def union_rules() -> None:
        check_active(state, "record the union's notification")
        check_union_notification(state, disposition)

    def active(what: str) -> Callable[[], None]:
        return lambda: check_active(state, what)

    union = _edit(identity, state, edit, union_rules)
    if disposition is not Disposition.TERMINATION:
        union = union.hidden()
    return {
        CaseAction.ADD_NOTE: _edit(identity, state, edit, active("add a note")),
        CaseAction.ADD_ALLEGATION: _edit(
            identity, state, edit, lambda: check_allegation_allowed(state)
        ),
        CaseAction.RECORD_FINDING: _edit(
            identity, state, edit, lambda: check_finding_allowed(state)
        ),
        CaseAction.ADD_TASK: _edit(identity, state, edit, active("add a task")),
        CaseAction.COMPLETE_TASK: _edit(identity, state, edit, active("complete a task")),
        CaseAction.ADD_PARTY: _edit(identity, state, edit, active("add a party")),
        CaseAction.CHOOSE_ALTERNATE: _edit(
            identity,
            state,
            Permission.CASE_CHOOSE_ALTERNATE,
            active("choose an alternate approver"),
        ),
        CaseAction.LINK_EVIDENCE: _edit(
            identity,
            state,
            Permission.CASE_LINK_EVIDENCE,
            active("link evidence"),
        ),
        CaseAction.EXPORT_EVIDENCE: capability(identity, Permission.CASE_EXPORT_EVIDENCE),
        CaseAction.GENERATE_DOCUMENT: capability(identity, Permission.CASE_GENERATE_DOCUMENTS),
        CaseAction.APPROVE: _approval(identity, state, facts, route),
        CaseAction.LEGAL_HOLD: capability(identity, Permission.CASE_LEGAL_HOLD),
        CaseAction.UNION_NOTIFICATION: union,
    }


__all__ = ["CaseAction", "case_actions"]
