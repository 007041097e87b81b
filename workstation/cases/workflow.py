"""Moving a case through its states, signed approvals, the union's notification, legal hold,
and the verification of every signature.

A signed change (an approval, a rejection, the decision) is made in three steps: read the
case at the caller's revision and check the rules, have the signer sign the canonical state
(outside any transaction: the signer may use the store itself), then write at the same
revision. If someone changed the case in between, the write fails with ``StaleCase`` and the
signature is thrown away: nothing is stored over a state nobody signed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workstation.cases.base import CaseNotFound, Writing, normalise_number
from workstation.cases.integrity import check_case, judged_checks
from workstation.cases.lookups import CaseLookups
from workstation.cases.repository import (
    APPROVAL_SCHEMA,
    canonical_state,
    load_facts,
    manager_route,
    usernames,
)
from workstation.cases.views import ApprovalCheck, CaseIntegrity, CaseView
from workstation.domain.case_approvals import check_approval
from workstation.domain.cases import (
    ApprovalDecision,
    ApprovalSlot,
    ApprovalStep,
    CaseFacts,
    CaseRefused,
    CaseState,
    Disposition,
    Transition,
    TransitionRefused,
    check_active,
    check_transition,
    check_union_notification,
    find_transition,
)
from workstation.domain.identity import Identity
from workstation.store.models import Case, CaseApproval

#: Where a rejection sends the case: a rejected investigation request ends the case (it can
#: be reopened); a rejected disposition goes back to the findings for another proposal.
REJECTION_TARGET = {
    ApprovalStep.INVESTIGATION: CaseState.REJECTED,
    ApprovalStep.DISPOSITION: CaseState.FINDINGS_RECORDED,
}
ACTING_ROLE = {ApprovalSlot.MANAGER: "sales_manager", ApprovalSlot.LEGAL: "legal"}


def approval_payload(
    session: Session,
    case: Case,
    step: ApprovalStep,
    decision: ApprovalDecision,
    acting_role: str,
    identity: Identity,
    note: str | None,
    route: str | None = None,
) -> dict[str, Any]:
    """What a signer signs: the act (step, decision, role, note, who) over the case state."""
    return {
        "schema": APPROVAL_SCHEMA,
        "step": step.value,
        "decision": decision.value,
        "acting_role": acting_role,
        "note": (note or "").strip() or None,
        "signer": {
            "user_id": identity.user_id,
            "username": identity.username,
            "display_name": identity.display_name,
            "role": identity.role.value,
        },
        "route": route,
        "state": canonical_state(session, case),
    }


def _facts_for(
    session: Session, case: Case, reason: str | None, disposition: Disposition | None
) -> CaseFacts:
    return load_facts(
        session, case, reason=reason, disposition=disposition, disposition_reason=reason
    )


def apply_transition(
    w: Writing, transition: Transition, reason: str | None, disposition: Disposition | None
) -> None:
    """Change the case's state (and what goes with it) and write the timeline entry."""
    case, source, target = w.case, transition.source, transition.target
    case.state = target.value
    if target is CaseState.DISPOSITION_PROPOSED:
        assert disposition is not None
        case.disposition, case.disposition_reason = disposition.value, (reason or "").strip()
    clear = target is CaseState.REOPENED or (
        source is CaseState.DISPOSITION_PROPOSED and target is CaseState.FINDINGS_RECORDED
    )
    if clear:
        case.disposition = case.disposition_reason = None
        case.union_notified_at = case.union_notice_ref = None
        case.notice_served_at = case.closed_at = None
    if target is CaseState.NOTICE_SERVED:
        case.notice_served_at = w.now
    if target is CaseState.CLOSED:
        case.closed_at = w.now
    w.event(
        "transition",
        {
            "reason": (reason or "").strip() or None,
            "disposition": disposition.value if disposition else None,
        },
        from_state=source.value,
        to_state=target.value,
    )


class CaseWorkflow(CaseLookups):
    """(``CaseLookups``: what the forms choose from, here until ``CaseService`` lists it.)"""

    def transition(
        self,
        identity: Identity,
        number: str,
        target: CaseState | str,
        revision: int,
        *,
        reason: str | None = None,
        disposition: Disposition | str | None = None,
    ) -> CaseView:
        """Move the case to ``target`` (``domain.cases.TRANSITIONS`` says who may and what
        must be true). ``disposition`` (with ``reason``) for the proposal; ``reason`` for a
        withdrawal, a reopening or sending findings back. The decision is signed."""
        to = CaseState(target)
        chosen = Disposition(disposition) if disposition else None
        payload = None
        with self._reading(identity, number, "case.transition") as (session, case):
            self._check_seen(case, revision)
            state = CaseState(case.state)
            direct = find_transition(state, to)
            if direct is not None and direct.by_rejection:
                raise TransitionRefused(
                    f"a case goes from {state.value} to {to.value} when the sales manager or "
                    "legal rejects it (approve … rejected), not by asking for it"
                )
            facts = _facts_for(session, case, reason, chosen)
            found = check_transition(state, to, facts, identity)
            if found.signed:
                payload = approval_payload(
                    session,
                    case,
                    ApprovalStep.DECISION,
                    ApprovalDecision.APPROVED,
                    "hr_officer",
                    identity,
                    reason,
                )
        signed = self._signer.sign(identity.user_id, payload) if payload else None
        with self._writing(identity, number, revision, "case.transition") as w:
            facts = _facts_for(w.session, w.case, reason, chosen)
            found = check_transition(w.state, to, facts, identity)
            if signed is not None:
                w.store_signed(
                    ApprovalStep.DECISION, ApprovalDecision.APPROVED, "hr_officer", reason, signed
                )
            apply_transition(w, found, reason, chosen)
            return w.view()

    def approve(
        self,
        identity: Identity,
        number: str,
        step: ApprovalStep | str,
        decision: ApprovalDecision | str,
        revision: int,
        note: str | None = None,
    ) -> CaseView:
        """Approve or reject the pending step, signed over the canonical case state. A
        rejection moves the case at once (see ``REJECTION_TARGET``)."""
        step, decision = ApprovalStep(step), ApprovalDecision(decision)
        with self._reading(identity, number, "case.approve") as (session, case):
            self._check_seen(case, revision)
            facts = load_facts(session, case)
            route = manager_route(session, case, facts)
            slot = check_approval(
                CaseState(case.state), step, decision, facts, identity, route, note
            )
            payload = approval_payload(
                session, case, step, decision, ACTING_ROLE[slot], identity, note, route.describe()
            )
        signed = self._signer.sign(identity.user_id, payload)
        with self._writing(identity, number, revision, "case.approve") as w:
            facts = load_facts(w.session, w.case)
            route = manager_route(w.session, w.case, facts)
            slot = check_approval(w.state, step, decision, facts, identity, route, note)
            w.store_signed(step, decision, ACTING_ROLE[slot], note, signed)
            if decision is ApprovalDecision.REJECTED:
                facts = load_facts(w.session, w.case, reason=note)
                found = check_transition(w.state, REJECTION_TARGET[step], facts, identity)
                apply_transition(w, found, note, None)
            return w.view()

    def record_union_notification(
        self,
        identity: Identity,
        number: str,
        revision: int,
        *,
        reference: str,
        notified_at: datetime | None = None,
    ) -> CaseView:
        """Record that the labour union was notified of the proposed termination (PRC Labour
        Contract Law, art. 43): when, and the reference of the notification."""
        if not reference.strip():
            raise CaseRefused("give the reference of the union's notification")
        with self._writing(identity, number, revision, "case.edit") as w:
            check_active(w.state, "record the union's notification")
            disposition = Disposition(w.case.disposition) if w.case.disposition else None
            check_union_notification(w.state, disposition)
            at = notified_at or w.now
            if at.tzinfo is None:
                raise CaseRefused("give the notification time with its time zone")
            w.case.union_notified_at, w.case.union_notice_ref = at, reference.strip()[:200]
            w.event("union_notified", {"at": at.isoformat(), "reference": reference.strip()})
            return w.view()

    def set_legal_hold(
        self, identity: Identity, number: str, on: bool, revision: int, *, reason: str | None = None
    ) -> CaseView:
        """Put the case (and all its evidence) on legal hold, or lift it. A held case is
        exempt from any retention purge (``cases.holds``, used by ``cases.retention``)."""
        with self._writing(identity, number, revision, "case.legal_hold") as w:
            if bool(w.case.legal_hold) == on:
                raise CaseRefused(f"the case is {'already' if on else 'not'} on legal hold")
            w.case.legal_hold = on
            w.event("legal_hold", {"on": on, "reason": (reason or "").strip() or None})
            return w.view()

    def verify(self, identity: Identity, number: str) -> list[ApprovalCheck]:
        """Check every signed approval, rejection and decision of the case, oldest first (for
        anyone who may see the case): a signature whose case differs now from what it
        covered is not valid (``integrity`` says what differs)."""
        return judged_checks(self.integrity(identity, number))

    def integrity(self, identity: Identity, number: str) -> CaseIntegrity:
        """Every signature compared with the case as stored now, item by item, and the
        case's evidence files re-hashed on disk (``cases.integrity``)."""
        with self._reading(identity, normalise_number(number)) as (session, case):
            return self._integrity_of(session, case)

    def integrity_of_cases(self, identity: Identity, numbers: Sequence[str]) -> dict[str, bool]:
        """Whether each of ``numbers`` verifies (those ``identity`` may see), for a list."""
        self._authorizer.require(identity, "case.view")
        found: dict[str, bool] = {}
        for number in numbers:
            try:
                found[number] = self.integrity(identity, number).valid
            except CaseNotFound:
                continue
        return found

    def _integrity_of(self, session: Session, case: Case) -> CaseIntegrity:
        user_ids = set(
            session.scalars(select(CaseApproval.user_id).where(CaseApproval.case_id == case.id))
        )
        return check_case(session, case, self._signer, self._evidence, usernames(session, user_ids))

    def canonical_state(self, identity: Identity, number: str) -> dict[str, Any]:
        """The case as the next approval would sign it."""
        with self._reading(identity, normalise_number(number)) as (session, case):
            return canonical_state(session, case)
