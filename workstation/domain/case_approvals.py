"""Who approves a case: the subject's manager and legal, never anyone involved.

- Each of the two steps (investigation, disposition) needs the **manager** approval **and**
  the **legal** approval, given by two different people, in the current round (approvals of
  an earlier round, before a rejection or reopening, do not count).
- The manager approval belongs to the subject's own manager. If that manager is involved in
  the case, it goes to the next manager up (and on up, past every involved manager). An
  administrator may instead choose an alternate approver (a sales manager, not involved):
  once chosen, the alternate alone gives the manager approval.
- Legal approval comes from a user with the legal role.
- The subject and anyone involved can neither see nor approve the case.
- A rejection needs a note saying why.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum

from workstation.domain.cases import (
    PENDING_STEP,
    ApprovalDecision,
    ApprovalSlot,
    ApprovalStep,
    CaseFacts,
    CaseRefused,
    CaseState,
    check_visible,
)
from workstation.domain.enums import Role
from workstation.domain.identity import Identity


class ApprovalRefused(CaseRefused):
    pass


class RouteKind(StrEnum):
    MANAGER = "manager"  # the subject's own manager
    NEXT_MANAGER_UP = "next_manager_up"  # the manager is involved: someone above
    ALTERNATE = "alternate"  # chosen by an administrator
    NONE = "none"  # nobody eligible: an administrator must choose an alternate


@dataclass(frozen=True)
class Person:
    id: int
    name: str


@dataclass(frozen=True)
class ManagerRoute:
    """Where the manager approval of a case goes."""

    kind: RouteKind
    #: The manager (employee) who approves, for MANAGER and NEXT_MANAGER_UP.
    manager: Person | None = None
    #: The alternate (user) who approves, for ALTERNATE.
    alternate: Person | None = None
    #: Managers passed over because they are involved, nearest first.
    passed_over: tuple[Person, ...] = ()

    def describe(self) -> str:
        if self.kind is RouteKind.ALTERNATE and self.alternate:
            return f"{self.alternate.name} (alternate approver chosen by an administrator)"
        if self.kind is RouteKind.NONE:
            return "nobody yet: an administrator must choose an alternate approver"
        assert self.manager is not None
        if self.kind is RouteKind.NEXT_MANAGER_UP:
            skipped = ", ".join(p.name for p in self.passed_over)
            return f"{self.manager.name} (next manager up; {skipped} involved)"
        return f"{self.manager.name} (the subject's manager)"


def route_manager_approval(
    chain: Sequence[Person],
    involved_employee_ids: Collection[int],
    alternate: Person | None = None,
) -> ManagerRoute:
    """``chain``: the subject's managers, nearest first (the subject's manager, theirs...)."""
    if alternate is not None:
        return ManagerRoute(RouteKind.ALTERNATE, alternate=alternate)
    passed: list[Person] = []
    for manager in chain:
        if manager.id in involved_employee_ids:
            passed.append(manager)
            continue
        kind = RouteKind.NEXT_MANAGER_UP if passed else RouteKind.MANAGER
        return ManagerRoute(kind, manager=manager, passed_over=tuple(passed))
    return ManagerRoute(RouteKind.NONE, passed_over=tuple(passed))


def _slot_of(identity: Identity, route: ManagerRoute) -> ApprovalSlot:
    if route.kind is RouteKind.ALTERNATE:
        assert route.alternate is not None
        if identity.user_id == route.alternate.id:
            return ApprovalSlot.MANAGER
    if identity.role is Role.LEGAL:
        return ApprovalSlot.LEGAL
    if identity.role is not Role.SALES_MANAGER:
        raise ApprovalRefused(
            f"cases are approved by the sales manager and legal ({identity.username} is "
            f"{identity.role.value})"
        )
    if route.kind is RouteKind.NONE:
        raise ApprovalRefused(
            "no manager can approve this case: the subject has no manager who is not involved. "
            "An administrator must choose an alternate approver"
        )
    if (
        route.kind is RouteKind.ALTERNATE
        or route.manager is None
        or identity.employee_id != route.manager.id
    ):
        raise ApprovalRefused(f"the manager approval of this case goes to {route.describe()}")
    return ApprovalSlot.MANAGER


def check_approval(
    state: CaseState,
    step: ApprovalStep,
    decision: ApprovalDecision,
    facts: CaseFacts,
    identity: Identity,
    route: ManagerRoute,
    note: str | None = None,
) -> ApprovalSlot:
    """The slot (manager or legal) ``identity`` fills with this approval or rejection; else
    ``ApprovalRefused`` (or ``ConflictOfInterest``) saying why."""
    if step is ApprovalStep.DECISION:
        raise ApprovalRefused(
            "the decision is not approved: the HR officer records it by moving the case to "
            "decided once the disposition is approved"
        )
    if PENDING_STEP.get(state) is not step:
        waiting = PENDING_STEP.get(state)
        raise ApprovalRefused(
            f"the case is {state.value}: "
            + (
                f"it waits for the {waiting.value} approvals, not the {step.value} ones"
                if waiting
                else "it waits for no approval"
            )
        )
    check_visible(facts, identity)
    slot = _slot_of(identity, route)
    if decision is ApprovalDecision.REJECTED and not (note or "").strip():
        raise ApprovalRefused("a rejection needs a note saying why")
    given = [a for a in facts.approvals if a.step is step]
    if any(a.slot is slot for a in given):
        raise ApprovalRefused(f"the {slot.value} {step.value} approval was already given")
    if any(a.user_id == identity.user_id for a in given):
        raise ApprovalRefused(
            f"{identity.username} already approved this {step.value} in the other slot: the "
            "manager and legal approvals come from two different people"
        )
    return slot
