"""Whose approval a case waits for, worked out from what ``CaseService.get`` hands out.

The service says which approvals of the pending step were given (``PendingApproval``) and
where the manager approval goes (a description naming the manager); it does not say which
user that is. So a sales manager counts as the manager approver when they are the case's
alternate approver (a party), or when the description names them (their display name).
"""

from __future__ import annotations

from datetime import UTC, datetime

from workstation.cases.views import ApprovalView, CaseDetail
from workstation.domain.cases import PENDING_STEP, CaseState
from workstation.domain.enums import Role
from workstation.domain.identity import Identity

#: The states in which a case waits for approvals.
APPROVAL_STATES = frozenset(PENDING_STEP)


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def current_round(detail: CaseDetail) -> list[ApprovalView]:
    """The approvals given since the case last entered its present state."""
    state = detail.case.state.value
    entered = None
    for event in detail.timeline:
        if event.to_state == state:
            entered = event.at
    step = PENDING_STEP.get(detail.case.state)
    since = _utc(entered) if entered is not None else None
    return [
        a
        for a in detail.approvals
        if (step is None or a.step == step.value) and (since is None or _utc(a.signed_at) >= since)
    ]


def is_manager_approver(detail: CaseDetail, identity: Identity) -> bool:
    if any(
        p.role == "alternate_approver" and p.user_id == identity.user_id for p in detail.parties
    ):
        return True
    if any(p.role == "alternate_approver" for p in detail.parties):
        return False
    named = detail.manager_approver.split(" (", 1)[0].strip()
    return bool(named) and named == identity.display_name.strip()


def awaits_my_approval(detail: CaseDetail, identity: Identity | None) -> bool:
    """The case waits for an approval that ``identity`` is the one to give."""
    pending = detail.pending
    if identity is None or pending is None or detail.case.state not in APPROVAL_STATES:
        return False
    if any(a.user_id == identity.user_id for a in current_round(detail)):
        return False
    if identity.role is Role.LEGAL:
        return not pending.legal_given
    if identity.role is Role.SALES_MANAGER:
        return not pending.manager_given and is_manager_approver(detail, identity)
    return False


def may_approve(identity: Identity | None, state: CaseState) -> bool:
    """Whether to offer Approve/Reject at all (the service decides the rest)."""
    return (
        identity is not None
        and identity.role in (Role.SALES_MANAGER, Role.LEGAL)
        and state in APPROVAL_STATES
    )
