"""The words of a case: its states, dispositions, findings, party roles and approval steps
(plain enums; the rules that use them are in ``domain.cases``)."""

from __future__ import annotations

from enum import StrEnum


class CaseState(StrEnum):
    DRAFT = "draft"
    INVESTIGATION_REQUESTED = "investigation_requested"
    UNDER_INVESTIGATION = "under_investigation"
    FINDINGS_RECORDED = "findings_recorded"
    DISPOSITION_PROPOSED = "disposition_proposed"
    DECIDED = "decided"
    NOTICE_SERVED = "notice_served"
    CLOSED = "closed"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    REOPENED = "reopened"


#: States in which nothing but a reopening (and the legal hold) changes the case.
ENDED_STATES = frozenset({CaseState.CLOSED, CaseState.REJECTED, CaseState.WITHDRAWN})


class Disposition(StrEnum):
    NO_ACTION = "no_action"
    WARNING = "warning"
    TERMINATION = "termination"
    REFERRAL = "referral"


#: Dispositions that are discipline: they must rest on a substantiated allegation and need a
#: notice served on the employee.
DISCIPLINARY = frozenset({Disposition.WARNING, Disposition.TERMINATION, Disposition.REFERRAL})


class Finding(StrEnum):
    SUBSTANTIATED = "substantiated"
    UNSUBSTANTIATED = "unsubstantiated"
    INCONCLUSIVE = "inconclusive"


class PartyRole(StrEnum):
    INVOLVED = "involved"
    WITNESS = "witness"
    ALTERNATE_APPROVER = "alternate_approver"


class ApprovalStep(StrEnum):
    INVESTIGATION = "investigation"
    DISPOSITION = "disposition"
    #: The HR officer's signed decision (the ``decided`` transition), not an approval.
    DECISION = "decision"


class ApprovalDecision(StrEnum):
    APPROVED = "approved"
    REJECTED = "rejected"


class ApprovalSlot(StrEnum):
    """The two approvals each step needs: the subject's manager's and legal's."""

    MANAGER = "manager"
    LEGAL = "legal"


#: The step whose approvals a state waits for.
PENDING_STEP = {
    CaseState.INVESTIGATION_REQUESTED: ApprovalStep.INVESTIGATION,
    CaseState.DISPOSITION_PROPOSED: ApprovalStep.DISPOSITION,
}
