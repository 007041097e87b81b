"""Whose approval a case waits for, as ``CaseService.get`` says it (``PendingApproval``).

The service names the users who give the manager approval (the alternate approver, else the
sales-manager users of the manager the approval goes to) and says which slots are filled; the
legal approval is for any legal user. Nobody fills both slots of one step.
"""

from __future__ import annotations

from workstation.cases.views import CaseDetail
from workstation.domain.cases import PENDING_STEP, CaseState
from workstation.domain.enums import Role
from workstation.domain.identity import Identity

#: The states in which a case waits for approvals.
APPROVAL_STATES = frozenset(PENDING_STEP)


def awaits_my_approval(detail: CaseDetail, identity: Identity | None) -> bool:
    """The case waits for an approval that ``identity`` is the one to give."""
    pending = detail.pending
    if identity is None or pending is None or detail.case.state not in APPROVAL_STATES:
        return False
    return pending.awaits(identity.user_id, identity.role)


def may_approve(identity: Identity | None, state: CaseState) -> bool:
    """Whether to offer Approve/Reject at all (the service decides the rest)."""
    return (
        identity is not None
        and identity.role in (Role.SALES_MANAGER, Role.LEGAL)
        and state in APPROVAL_STATES
    )
