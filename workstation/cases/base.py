"""What every case use case shares: one unit of work, the optimistic lock, the timeline and
the audit entry of each change, the visibility rule, and storing signed approvals.

**Optimistic locking.** Every change passes the ``revision`` its caller saw. The first
statement of the change's transaction is ``UPDATE cases SET revision = revision + 1 WHERE
number = :n AND revision = :seen``: it takes the row's write lock (SQLite: the database's;
PostgreSQL: the row's, so a concurrent writer waits and then matches no row), and when it
matches no row the change fails with ``StaleCase`` and nothing is written. Reads that follow
see the latest committed state.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from workstation.cases.ports import Authorizer, SignedPayloadLike, Signer
from workstation.cases.repository import case_by_number, case_view, involved
from workstation.cases.snapshots import Snapshot
from workstation.cases.views import CaseView
from workstation.domain.cases import (
    ApprovalDecision,
    ApprovalStep,
    CaseFacts,
    CaseRefused,
    CaseState,
)
from workstation.domain.clock import Clock
from workstation.domain.identity import Identity
from workstation.store.audit import append_audit, canonical_json
from workstation.store.evidence import EvidenceStore
from workstation.store.models import (
    Case,
    CaseApproval,
    CaseEvent,
    CaseEvidence,
    CustodyEvent,
)
from workstation.store.uow import UnitOfWorkFactory


class CaseNotFound(LookupError):
    """No such case, or one the reader may not see (the same answer, on purpose)."""


class StaleCase(Exception):
    """The case changed after the caller read it (optimistic lock); nothing was saved."""

    def __init__(self, number: str, current: int, seen: int) -> None:
        super().__init__(
            f"case {number} was changed by someone else after you opened it (it is now at "
            f"revision {current}, you saw {seen}); nothing was saved: reload it, check what "
            "changed, and try again"
        )
        self.number, self.current, self.seen = number, current, seen


def normalise_number(number: str) -> str:
    return number.strip().upper()


def not_found(number: str) -> CaseNotFound:
    return CaseNotFound(f"no case {normalise_number(number)}")


def check_can_see(session: Session, case: Case, identity: Identity) -> None:
    """Raise ``CaseNotFound`` for the subject and anyone involved (conflict of interest)."""
    employees, users = involved(session, case.id)
    facts = CaseFacts(case.subject_employee_id, employees, users)
    if facts.conflicted(identity):
        raise not_found(case.number)


@dataclass
class Writing:
    """One change in progress: the session, the case (revision already bumped), who and when."""

    session: Session
    case: Case
    identity: Identity
    now: datetime

    @property
    def state(self) -> CaseState:
        return CaseState(self.case.state)

    def event(
        self,
        kind: str,
        detail: dict[str, Any] | None = None,
        *,
        from_state: str | None = None,
        to_state: str | None = None,
    ) -> CaseEvent:
        """Add a timeline entry and the matching audit entry."""
        detail = {k: v for k, v in (detail or {}).items() if v is not None}
        event = CaseEvent(
            case_id=self.case.id,
            at=self.now,
            actor=self.identity.actor,
            kind=kind,
            from_state=from_state,
            to_state=to_state,
            detail_json=canonical_json(detail) if detail else None,
        )
        self.session.add(event)
        self.session.flush()
        audit = {**detail, "revision": self.case.revision}
        if from_state or to_state:
            audit |= {"from": from_state, "to": to_state}
        append_audit(
            self.session, self.identity.actor, f"case.{kind}", "case", self.case.number, audit
        )
        return event

    def link(self, snapshot: Snapshot, title: str | None = None) -> CaseEvidence:
        """Store ``snapshot`` as evidence of the case, with its custody "added" event."""
        found = self.session.scalar(
            select(CaseEvidence.id).where(
                CaseEvidence.case_id == self.case.id,
                CaseEvidence.record_kind == snapshot.kind.value,
                CaseEvidence.record_key == snapshot.key,
            )
        )
        if found is not None:
            raise CaseRefused(
                f"{snapshot.kind.value} {snapshot.key} is already evidence #{found} of this case"
            )
        row = CaseEvidence(
            case_id=self.case.id,
            record_kind=snapshot.kind.value,
            record_key=snapshot.key,
            title=(title or snapshot.title)[:300],
            snapshot_json=snapshot.json,
            snapshot_sha256=snapshot.sha256,
            evidence_file_id=snapshot.evidence_file_id,
            linked_at=self.now,
            linked_by=self.identity.actor,
        )
        self.session.add(row)
        self.session.flush()
        self.session.add(
            CustodyEvent(
                evidence_id=row.id,
                action="added",
                at=self.now,
                actor=self.identity.actor,
                detail_json=canonical_json({"sha256": snapshot.sha256}),
            )
        )
        return row

    def store_signed(
        self,
        step: ApprovalStep,
        decision: ApprovalDecision,
        acting_role: str,
        note: str | None,
        signed: SignedPayloadLike,
    ) -> CaseApproval:
        """Keep a signed approval, rejection or decision, with its timeline entry."""
        approval = CaseApproval(
            case_id=self.case.id,
            step=step.value,
            decision=decision.value,
            acting_role=acting_role,
            user_id=self.identity.user_id,
            note=(note or "").strip() or None,
            payload_json=signed.payload_json,
            payload_sha256=signed.payload_sha256,
            signature=signed.signature_b64,
            certificate_id=signed.certificate_id,
            signed_at=signed.signed_at,
        )
        self.session.add(approval)
        self.session.flush()
        self.event(
            "approval",
            {
                "approval_id": approval.id,
                "step": step.value,
                "decision": decision.value,
                "acting_role": acting_role,
                "note": approval.note,
                "payload_sha256": signed.payload_sha256,
            },
        )
        return approval

    def view(self) -> CaseView:
        self.session.flush()
        return case_view(self.session, self.case)


class CaseServiceBase:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        evidence_store: EvidenceStore,
        authorizer: Authorizer,
        signer: Signer,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._evidence = evidence_store
        self._authorizer = authorizer
        self._signer = signer
        self._clock = clock

    @contextmanager
    def _reading(
        self, identity: Identity, number: str, operation: str = "case.view"
    ) -> Iterator[tuple[Session, Case]]:
        """The case in a read-only unit of work, if ``identity`` may see it."""
        self._authorizer.require(identity, operation)
        with self._uow() as uow:
            case = case_by_number(uow.session, number)
            if case is None:
                raise not_found(number)
            check_can_see(uow.session, case, identity)
            yield uow.session, case

    @contextmanager
    def _writing(
        self, identity: Identity, number: str, revision: int, operation: str
    ) -> Iterator[Writing]:
        """A change of the case at ``revision``: committed when the block ends normally."""
        self._authorizer.require(identity, operation)
        number = normalise_number(number)
        now = self._clock.now()
        with self._uow() as uow:
            session = uow.session
            done = session.execute(
                update(Case)
                .where(Case.number == number, Case.revision == revision)
                .values(revision=Case.revision + 1, updated_at=now)
                .execution_options(synchronize_session=False)
            )
            case = case_by_number(session, number)
            if case is None:
                raise not_found(number)
            check_can_see(session, case, identity)
            if getattr(done, "rowcount", 1) != 1:
                raise StaleCase(number, case.revision, revision)
            yield Writing(session, case, identity, now)
            session.flush()
            uow.commit()

    def _check_seen(self, case: Case, revision: int) -> None:
        if case.revision != revision:
            raise StaleCase(case.number, case.revision, revision)
