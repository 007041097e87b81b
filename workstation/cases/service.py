"""The case service: one object the GUI and the CLI talk to about cases.

Every use case is one unit of work; permission checks (``Authorizer``), the case's own rules
(``domain.cases``, ``domain.case_approvals``), the timeline entry and the audit entry are
all here, never only in a view. Every change takes the ``revision`` its caller saw and fails
with ``StaleCase`` (nothing saved) when someone else changed the case since. Views are plain
dataclasses (``cases.views``).

The subject of a case and anyone involved in it do not see it: it is missing from their
list and ``get`` answers ``CaseNotFound`` exactly as for a case that does not exist.
"""

from __future__ import annotations

from sqlalchemy import or_, select

from workstation.cases.base import CaseNotFound, CaseServiceBase, StaleCase
from workstation.cases.content import CaseContent
from workstation.cases.detail import build_detail
from workstation.cases.evidence_ops import CaseEvidenceOps
from workstation.cases.opening import CaseOpening
from workstation.cases.repository import case_views
from workstation.cases.views import CaseDetail, CaseView
from workstation.cases.workflow import CaseWorkflow
from workstation.domain.cases import CaseState, PartyRole
from workstation.domain.enums import Role
from workstation.domain.identity import Identity
from workstation.store.models import Case, CaseParty, Employee, User

__all__ = ["CaseNotFound", "CaseService", "StaleCase", "UnknownEmployee", "UnknownUser"]


class UnknownUser(LookupError):
    pass


class UnknownEmployee(LookupError):
    pass


class CaseService(CaseOpening, CaseWorkflow, CaseContent, CaseEvidenceOps, CaseServiceBase):
    def list_cases(
        self, identity: Identity, *, state: CaseState | str | None = None
    ) -> list[CaseView]:
        """The cases ``identity`` may see (never those they are the subject of or involved
        in), newest first; optionally only those in ``state``."""
        self._authorizer.require(identity, "case.view")
        with self._uow() as uow:
            session = uow.session
            query = select(Case).order_by(Case.id.desc())
            if state is not None:
                query = query.where(Case.state == CaseState(state).value)
            if identity.employee_id is not None:
                query = query.where(Case.subject_employee_id != identity.employee_id)
            conflicts = [CaseParty.user_id == identity.user_id]
            if identity.employee_id is not None:
                conflicts.append(CaseParty.employee_id == identity.employee_id)
            hidden = select(CaseParty.case_id).where(
                CaseParty.role == PartyRole.INVOLVED.value, or_(*conflicts)
            )
            query = query.where(Case.id.not_in(hidden))
            return case_views(session, list(session.scalars(query)))

    def get(self, identity: Identity, number: str) -> CaseDetail:
        """The case with its parties, allegations, notes, evidence (and custody), tasks,
        documents, approvals (each signature checked), timeline, where the manager approval
        goes, and the transitions ``identity`` may make now."""
        with self._reading(identity, number) as (session, case):
            return build_detail(session, case, identity, self._signer)

    def view(self, identity: Identity, number: str) -> CaseView:
        """Just the case's own fields (and its revision)."""
        with self._reading(identity, number) as (session, case):
            return case_views(session, [case])[0]

    def identity_of(self, username: str) -> Identity:
        """The active user ``username`` as an ``Identity`` (no password check: the CLI's
        stand-in until sign-in is wired)."""
        with self._uow() as uow:
            user = uow.session.scalars(select(User).where(User.username == username)).first()
            if user is None or not user.active:
                raise UnknownUser(f"no active user {username!r}")
            return Identity(
                user.id, user.username, user.display_name, Role(user.role), user.employee_id
            )

    def employee_id_of(self, employee_no: str) -> int:
        with self._uow() as uow:
            found = uow.session.scalar(
                select(Employee.id).where(Employee.employee_no == employee_no.strip())
            )
            if found is None:
                raise UnknownEmployee(f"no employee {employee_no!r}")
            return int(found)
