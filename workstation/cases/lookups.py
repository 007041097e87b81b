"""What the forms of a case choose from (employees, users, the subject's customers, competitors,
imported files): small plain values, each read checked against the reader's permissions like
every other case use case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select, union

from workstation.cases.base import CaseServiceBase
from workstation.domain.identity import Identity
from workstation.store.models import (
    Competitor,
    Customer,
    CustomerEvent,
    CustomerOwnership,
    Employee,
    ImportBatch,
    User,
)

#: At most this many employees in one list (the forms filter as you type).
MAX_EMPLOYEES = 5000


@dataclass(frozen=True)
class EmployeeChoice:
    id: int
    employee_no: str
    name: str
    department: str | None
    title: str | None


@dataclass(frozen=True)
class UserChoice:
    id: int
    username: str
    display_name: str
    role: str
    employee_id: int | None


@dataclass(frozen=True)
class NamedChoice:
    """A customer or a competitor."""

    id: int
    name: str
    code: str | None = None


@dataclass(frozen=True)
class ImportChoice:
    """An imported file (its batch id is the evidence key of kind ``import_file``)."""

    batch_id: int
    file_name: str
    kind: str
    rows_accepted: int
    imported_at: datetime
    imported_by: str | None


class CaseLookups(CaseServiceBase):
    def employee_choices(
        self, identity: Identity, text: str = "", *, for_opening: bool = True
    ) -> list[EmployeeChoice]:
        """Employees whose number or name contains ``text`` (all when empty), by number: the
        subject of a new case (``for_opening``) or someone involved in one."""
        self._authorizer.require(identity, "case.open" if for_opening else "case.edit")
        needle = (text or "").strip()
        with self._uow() as uow:
            query = select(Employee).order_by(Employee.employee_no).limit(MAX_EMPLOYEES)
            if needle:
                like = f"%{needle}%"
                query = query.where(or_(Employee.employee_no.ilike(like), Employee.name.like(like)))
            return [
                EmployeeChoice(e.id, e.employee_no, e.name, e.department, e.title)
                for e in uow.session.scalars(query)
            ]

    def user_choices(self, identity: Identity, role: str | None = None) -> list[UserChoice]:
        """The active users (optionally of one role), by username: task assignees, parties,
        alternate approvers."""
        self._authorizer.require(identity, "case.view")
        with self._uow() as uow:
            query = select(User).where(User.active.is_(True)).order_by(User.username)
            if role is not None:
                query = query.where(User.role == role)
            return [
                UserChoice(u.id, u.username, u.display_name, u.role, u.employee_id)
                for u in uow.session.scalars(query)
            ]

    def customer_choices(self, identity: Identity, employee_id: int) -> list[NamedChoice]:
        """The customers ``employee_id`` held or lost (ownership or customer events), by
        name: what an allegation about that employee is usually about."""
        self._authorizer.require(identity, "case.edit")
        with self._uow() as uow:
            ids = union(
                select(CustomerOwnership.customer_id).where(
                    CustomerOwnership.employee_id == employee_id
                ),
                select(CustomerEvent.customer_id).where(CustomerEvent.employee_id == employee_id),
            ).subquery()
            rows = uow.session.scalars(
                select(Customer).where(Customer.id.in_(select(ids))).order_by(Customer.name)
            )
            return [NamedChoice(c.id, c.name, c.code) for c in rows]

    def competitor_choices(self, identity: Identity) -> list[NamedChoice]:
        self._authorizer.require(identity, "case.edit")
        with self._uow() as uow:
            rows = uow.session.scalars(select(Competitor).order_by(Competitor.name))
            return [NamedChoice(c.id, c.name) for c in rows]

    def import_choices(self, identity: Identity) -> list[ImportChoice]:
        """Imported files that can be linked as evidence (their file kept), newest first."""
        self._authorizer.require(identity, "case.link_evidence")
        with self._uow() as uow:
            rows = uow.session.scalars(
                select(ImportBatch)
                .where(ImportBatch.file_id.is_not(None))
                .order_by(ImportBatch.id.desc())
            )
            return [
                ImportChoice(
                    b.id,
                    b.file_name,
                    b.kind,
                    b.rows_accepted,
                    b.finished_at or b.started_at,
                    b.imported_by,
                )
                for b in rows
            ]
