"""The case life cycle: states, the transition table and the rules each transition checks.

Pure rules over plain values (``CaseFacts``): no store, no I/O. The service gathers the facts
of a case, asks ``check_transition`` and applies the change only when it returns.

The main line::

    draft → investigation_requested → under_investigation → findings_recorded
          → disposition_proposed → decided → notice_served → closed

- ``investigation_requested → under_investigation`` and ``disposition_proposed → decided``
  are made by the HR officer once **both** approvals of the step (the sales manager's **and**
  legal's, see ``domain.case_approvals``) were given in the current round; ``decided`` is a
  signed decision.
- **A rejection** by either approver moves the case at once: a rejected investigation request
  ends in ``rejected`` (a new request needs ``reopened``); a rejected disposition goes **back**
  to ``findings_recorded`` with the disposition cleared, so HR proposes another one over the
  same findings (the investigation done is not thrown away).
- ``decided → closed`` directly when the disposition is "no action" (no notice to serve).
- A termination's notice cannot be served before the labour union's notification is recorded
  (PRC Labour Contract Law, art. 43).
- ``withdrawn`` from any state before the decision; ``reopened`` from ``closed``, ``rejected``
  or ``withdrawn``, then a fresh investigation request (approvals start over).
- The subject of a case and anyone marked as involved can neither see nor change it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field

# The words of a case live in case_terms; imported (and re-exported) here for the rules.
from workstation.domain.case_terms import (  # noqa: F401
    DISCIPLINARY,
    ENDED_STATES,
    PENDING_STEP,
    ApprovalDecision,
    ApprovalSlot,
    ApprovalStep,
    CaseState,
    Disposition,
    Finding,
    PartyRole,
)
from workstation.domain.enums import Role
from workstation.domain.identity import Identity


class CaseRefused(ValueError):
    """A change the case's rules do not allow; the message says why, for the user."""


class TransitionRefused(CaseRefused):
    def __init__(self, message: str, failed: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        #: Names of the preconditions that do not hold (empty for a refusal of another kind).
        self.failed = failed


class ConflictOfInterest(CaseRefused):
    pass


@dataclass(frozen=True)
class GivenApproval:
    """An approval or rejection given in the current round of a step."""

    step: ApprovalStep
    slot: ApprovalSlot
    decision: ApprovalDecision
    user_id: int


@dataclass(frozen=True)
class CaseFacts:
    """What the rules need to know about one case (and the request being judged)."""

    subject_employee_id: int
    involved_employee_ids: frozenset[int] = frozenset()
    involved_user_ids: frozenset[int] = frozenset()
    allegations: int = 0
    allegations_without_finding: int = 0
    substantiated_allegations: int = 0
    #: The disposition proposed (or, for the proposal itself, the one being proposed).
    disposition: Disposition | None = None
    disposition_reason: str | None = None
    union_notified: bool = False
    open_tasks: int = 0
    #: Approvals and rejections given since the case last entered the step's pending state.
    approvals: tuple[GivenApproval, ...] = ()
    #: The reason given with the request (withdrawal, reopening, sending back).
    reason: str | None = None

    def approved(self, step: ApprovalStep, slot: ApprovalSlot) -> bool:
        return any(
            a.step is step and a.slot is slot and a.decision is ApprovalDecision.APPROVED
            for a in self.approvals
        )

    def rejected(self, step: ApprovalStep) -> bool:
        return any(
            a.step is step and a.decision is ApprovalDecision.REJECTED for a in self.approvals
        )

    def conflicted(self, identity: Identity) -> bool:
        """The identity is the subject, or marked as involved (as employee or as user)."""
        return identity.user_id in self.involved_user_ids or (
            identity.employee_id is not None
            and (
                identity.employee_id == self.subject_employee_id
                or identity.employee_id in self.involved_employee_ids
            )
        )


def _text(value: str | None) -> bool:
    return bool((value or "").strip())


@dataclass(frozen=True)
class Precondition:
    #: Stable name (tests and scripts match on it).
    name: str
    #: What must be true, as the user reads it.
    description: str
    holds: Callable[[CaseFacts], bool] = field(compare=False, repr=False)


HAS_ALLEGATION = Precondition(
    "has_allegation", "the case has at least one allegation", lambda f: f.allegations > 0
)
EVERY_ALLEGATION_FOUND = Precondition(
    "every_allegation_has_finding",
    "every allegation has a finding",
    lambda f: f.allegations > 0 and f.allegations_without_finding == 0,
)
REASON_GIVEN = Precondition("reason_given", "a reason is given", lambda f: _text(f.reason))
DISPOSITION_CHOSEN = Precondition(
    "disposition_chosen",
    "a disposition is chosen (no action, warning, termination or referral)",
    lambda f: f.disposition is not None,
)
DISPOSITION_REASONED = Precondition(
    "disposition_reason_given",
    "the disposition has a reason",
    lambda f: _text(f.disposition_reason),
)
DISCIPLINE_SUBSTANTIATED = Precondition(
    "discipline_rests_on_substantiated_allegation",
    "a warning, termination or referral rests on at least one substantiated allegation",
    lambda f: f.disposition not in DISCIPLINARY or f.substantiated_allegations > 0,
)


def _approved(step: ApprovalStep, slot: ApprovalSlot, who: str) -> Precondition:
    return Precondition(
        f"{step.value}_approved_by_{slot.value}",
        f"the {step.value} is approved by {who}",
        lambda f: f.approved(step, slot) and not f.rejected(step),
    )


def _rejected(step: ApprovalStep) -> Precondition:
    return Precondition(
        f"{step.value}_rejected",
        f"the {step.value} was rejected by the sales manager or legal",
        lambda f: f.rejected(step),
    )


INVESTIGATION_MANAGER = _approved(ApprovalStep.INVESTIGATION, ApprovalSlot.MANAGER, "the manager")
INVESTIGATION_LEGAL = _approved(ApprovalStep.INVESTIGATION, ApprovalSlot.LEGAL, "legal")
INVESTIGATION_REJECTED = _rejected(ApprovalStep.INVESTIGATION)
DISPOSITION_MANAGER = _approved(ApprovalStep.DISPOSITION, ApprovalSlot.MANAGER, "the manager")
DISPOSITION_LEGAL = _approved(ApprovalStep.DISPOSITION, ApprovalSlot.LEGAL, "legal")
DISPOSITION_REJECTED = _rejected(ApprovalStep.DISPOSITION)
NOTICE_DUE = Precondition(
    "notice_due",
    "the disposition needs a notice (warning, termination or referral)",
    lambda f: f.disposition in DISCIPLINARY,
)
NO_NOTICE_DUE = Precondition(
    "no_notice_due",
    "the disposition needs no notice (no action)",
    lambda f: f.disposition is Disposition.NO_ACTION,
)
UNION_NOTIFIED = Precondition(
    "union_notified",
    "for a termination, the notification of the labour union is recorded "
    "(PRC Labour Contract Law, art. 43)",
    lambda f: f.disposition is not Disposition.TERMINATION or f.union_notified,
)
TASKS_DONE = Precondition(
    "tasks_done", "every task of the case is done", lambda f: f.open_tasks == 0
)

HR = frozenset({Role.HR_OFFICER})
APPROVERS = frozenset({Role.SALES_MANAGER, Role.LEGAL})


@dataclass(frozen=True)
class Transition:
    source: CaseState
    target: CaseState
    #: Who may make it.
    roles: frozenset[Role]
    preconditions: tuple[Precondition, ...] = ()
    #: Made by an approver's rejection (``CaseService.approve``), never asked for directly.
    by_rejection: bool = False
    #: Signed over the canonical case state (the decision).
    signed: bool = False


S = CaseState
_BEFORE_DECISION = (
    S.DRAFT,
    S.INVESTIGATION_REQUESTED,
    S.UNDER_INVESTIGATION,
    S.FINDINGS_RECORDED,
    S.DISPOSITION_PROPOSED,
    S.REOPENED,
)

TRANSITIONS: tuple[Transition, ...] = (
    Transition(S.DRAFT, S.INVESTIGATION_REQUESTED, HR, (HAS_ALLEGATION,)),
    Transition(
        S.INVESTIGATION_REQUESTED,
        S.UNDER_INVESTIGATION,
        HR,
        (INVESTIGATION_MANAGER, INVESTIGATION_LEGAL),
    ),
    Transition(
        S.INVESTIGATION_REQUESTED,
        S.REJECTED,
        APPROVERS,
        (INVESTIGATION_REJECTED,),
        by_rejection=True,
    ),
    Transition(S.UNDER_INVESTIGATION, S.FINDINGS_RECORDED, HR, (EVERY_ALLEGATION_FOUND,)),
    Transition(S.FINDINGS_RECORDED, S.UNDER_INVESTIGATION, HR, (REASON_GIVEN,)),
    Transition(
        S.FINDINGS_RECORDED,
        S.DISPOSITION_PROPOSED,
        HR,
        (DISPOSITION_CHOSEN, DISPOSITION_REASONED, DISCIPLINE_SUBSTANTIATED),
    ),
    Transition(
        S.DISPOSITION_PROPOSED,
        S.FINDINGS_RECORDED,
        APPROVERS,
        (DISPOSITION_REJECTED,),
        by_rejection=True,
    ),
    Transition(
        S.DISPOSITION_PROPOSED,
        S.DECIDED,
        HR,
        (DISPOSITION_MANAGER, DISPOSITION_LEGAL),
        signed=True,
    ),
    Transition(S.DECIDED, S.NOTICE_SERVED, HR, (NOTICE_DUE, UNION_NOTIFIED)),
    Transition(S.DECIDED, S.CLOSED, HR, (NO_NOTICE_DUE, TASKS_DONE)),
    Transition(S.NOTICE_SERVED, S.CLOSED, HR, (TASKS_DONE,)),
    *(Transition(s, S.WITHDRAWN, HR, (REASON_GIVEN,)) for s in _BEFORE_DECISION),
    *(Transition(s, S.REOPENED, HR, (REASON_GIVEN,)) for s in (S.CLOSED, S.REJECTED, S.WITHDRAWN)),
    Transition(S.REOPENED, S.INVESTIGATION_REQUESTED, HR, (HAS_ALLEGATION,)),
)


def transitions_from(state: CaseState) -> tuple[Transition, ...]:
    return tuple(t for t in TRANSITIONS if t.source is state)


def find_transition(state: CaseState, target: CaseState) -> Transition | None:
    return next((t for t in TRANSITIONS if t.source is state and t.target is target), None)


def _role_names(roles: Collection[Role]) -> str:
    names = {
        Role.HR_OFFICER: "an HR officer",
        Role.SALES_MANAGER: "the sales manager",
        Role.LEGAL: "legal",
        Role.ADMINISTRATOR: "an administrator",
        Role.AUDITOR: "an auditor",
    }
    return " or ".join(names[r] for r in sorted(roles))


def check_visible(facts: CaseFacts, identity: Identity) -> None:
    """Refuse the subject and anyone involved (they can neither see nor act on the case)."""
    if facts.conflicted(identity):
        raise ConflictOfInterest(
            f"{identity.username} is the subject of this case or involved in it "
            "(conflict of interest): they can neither see nor act on it"
        )


def check_transition(
    state: CaseState, target: CaseState, facts: CaseFacts, identity: Identity
) -> Transition:
    """The transition from ``state`` to ``target`` if ``identity`` may make it now; else
    ``TransitionRefused`` naming the rule (``failed`` lists the preconditions not met)."""
    transition = find_transition(state, target)
    if transition is None:
        allowed = [t.target.value for t in transitions_from(state)]
        can = ", ".join(allowed) if allowed else "nowhere"
        raise TransitionRefused(
            f"a case that is {state.value} can go to {can}, not to {target.value}"
        )
    if identity.role not in transition.roles:
        raise TransitionRefused(
            f"only {_role_names(transition.roles)} may move a case from {state.value} to "
            f"{target.value} ({identity.username} is {identity.role.value})"
        )
    check_visible(facts, identity)
    failed = [p for p in transition.preconditions if not p.holds(facts)]
    if failed:
        raise TransitionRefused(
            f"cannot move the case from {state.value} to {target.value} until "
            + "; ".join(p.description for p in failed),
            tuple(p.name for p in failed),
        )
    return transition


def check_active(state: CaseState, what: str) -> None:
    """Refuse changes to a case that has ended (closed, rejected, withdrawn)."""
    if state in ENDED_STATES:
        raise CaseRefused(f"the case is {state.value}: reopen it before you {what}")


#: States in which allegations may be added, and findings recorded.
ALLEGATION_STATES = frozenset({S.DRAFT, S.UNDER_INVESTIGATION, S.REOPENED})
FINDING_STATES = frozenset({S.UNDER_INVESTIGATION})
#: States in which the union's notification of a termination may be recorded.
UNION_STATES = frozenset({S.DISPOSITION_PROPOSED, S.DECIDED})


def check_allegation_allowed(state: CaseState) -> None:
    if state not in ALLEGATION_STATES:
        raise CaseRefused(
            f"allegations are added while the case is draft, under investigation or reopened "
            f"(it is {state.value})"
        )


def check_finding_allowed(state: CaseState) -> None:
    if state not in FINDING_STATES:
        raise CaseRefused(f"findings are recorded under investigation (the case is {state.value})")


def check_union_notification(state: CaseState, disposition: Disposition | None) -> None:
    if disposition is not Disposition.TERMINATION:
        raise CaseRefused("the labour union is notified of a termination only")
    if state not in UNION_STATES:
        raise CaseRefused(
            "the union's notification is recorded once a termination is proposed and before "
            f"the notice is served (the case is {state.value})"
        )
