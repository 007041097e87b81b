"""Employee list and employee file: read-only use cases over the store."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from workstation.domain.enums import CustomerEventKind, CustomerStatus
from workstation.employees.model import (
    CheckinRow,
    CustomerEventRow,
    EmployeeFile,
    EmployeeProfile,
    EmployeeRow,
    OrderRow,
    OwnershipRow,
)
from workstation.geo.geofence import check_geofence
from workstation.risk.quality import track_address_distance
from workstation.security.access import Acting
from workstation.security.permissions import Permission
from workstation.store.audit import append_audit
from workstation.store.models import (
    Checkin,
    Competitor,
    Customer,
    CustomerEvent,
    CustomerOwnership,
    Employee,
    MissedPunch,
    Office,
    Order,
    OwnershipStatement,
)
from workstation.store.uow import UnitOfWorkFactory

ENDING_KINDS = (
    CustomerEventKind.LOST.value,
    CustomerEventKind.TRANSFERRED.value,
    CustomerEventKind.REASSIGNED.value,
)
ENDING_STATUSES = (CustomerStatus.LOST.value, CustomerStatus.TRANSFERRED.value)


class EmployeeNotFound(LookupError):
    pass


class EmployeeService:
    def __init__(self, uow: UnitOfWorkFactory, acting: Acting) -> None:
        self._uow = uow
        self._acting = acting
        self._actor = acting.actor

    def list_employees(self, search: str = "") -> list[EmployeeRow]:
        """Everyone, or those whose name or number contains ``search``, by number."""
        self._acting.require(Permission.EMPLOYEE_VIEW)
        held = (
            select(CustomerOwnership.employee_id, func.count().label("n"))
            .where(CustomerOwnership.end_date.is_(None))
            .group_by(CustomerOwnership.employee_id)
            .subquery()
        )
        query = (
            select(Employee, Office.name, func.coalesce(held.c.n, 0))
            .outerjoin(Office, Employee.office_id == Office.id)
            .outerjoin(held, held.c.employee_id == Employee.id)
            .order_by(Employee.employee_no)
        )
        text = search.strip()
        if text:
            pattern = f"%{text}%"
            query = query.where(
                or_(Employee.name.ilike(pattern), Employee.employee_no.ilike(pattern))
            )
        with self._uow() as uow:
            return [
                EmployeeRow(
                    id=e.id,
                    employee_no=e.employee_no,
                    name=e.name,
                    department=e.department,
                    title=e.title,
                    office=office,
                    hire_date=e.hire_date,
                    leave_date=e.leave_date,
                    customers_held=int(count),
                )
                for e, office, count in uow.session.execute(query)
            ]

    def employee_file(self, employee_id: int) -> EmployeeFile:
        """Profile, customers held over time, check-ins, orders and customer events.

        Check-ins are location data, so the read is written to the audit log.
        """
        self._acting.require(Permission.EMPLOYEE_VIEW)
        with self._uow() as uow:
            session = uow.session
            employee = session.get(Employee, employee_id)
            if employee is None:
                raise EmployeeNotFound(f"no employee with id {employee_id}")
            result = EmployeeFile(
                profile=_profile(employee),
                ownerships=_ownerships(session, employee_id),
                checkins=_checkins(session, employee_id),
                orders=_orders(session, employee_id),
                events=_events(session, employee_id),
                missed_punches=_missed_punches(session, employee_id),
            )
            append_audit(
                session,
                self._actor(),
                "employee_file.read",
                "employee",
                employee.employee_no,
                {"checkins": len(result.checkins)},
            )
            uow.commit()
            return result


def _profile(e: Employee) -> EmployeeProfile:
    return EmployeeProfile(
        id=e.id,
        employee_no=e.employee_no,
        name=e.name,
        department=e.department,
        title=e.title,
        manager_no=e.manager.employee_no if e.manager else None,
        manager_name=e.manager.name if e.manager else None,
        office=e.office.name if e.office else None,
        hire_date=e.hire_date,
        leave_date=e.leave_date,
        phone=e.phone,
    )


def _ownerships(session: Session, employee_id: int) -> list[OwnershipRow]:
    """The employee's periods, each with how it ended: the event that ended it, else the
    lost or transferred status of the customer list it ends on (no event says when)."""
    new_owner = aliased(Employee)
    held = select(CustomerOwnership.customer_id).where(CustomerOwnership.employee_id == employee_id)
    listed_gone: dict[tuple[int, date | None], str | None] = {
        (customer, day): status
        for customer, day, status in session.execute(
            select(
                OwnershipStatement.customer_id, OwnershipStatement.as_of, OwnershipStatement.status
            ).where(
                OwnershipStatement.customer_id.in_(held),
                OwnershipStatement.status.in_(ENDING_STATUSES),
            )
        )
    }
    ends: dict[tuple[int, date | None], tuple[str | None, str | None]] = {
        (ev.customer_id, ev.event_date): (ev.kind, competitor or owner)
        for ev, competitor, owner in session.execute(
            select(CustomerEvent, Competitor.name, new_owner.name)
            .outerjoin(Competitor, CustomerEvent.competitor_id == Competitor.id)
            .outerjoin(new_owner, CustomerEvent.new_owner_id == new_owner.id)
            .where(CustomerEvent.employee_id == employee_id, CustomerEvent.kind.in_(ENDING_KINDS))
        )
    }
    rows = []
    for own, customer in session.execute(
        select(CustomerOwnership, Customer)
        .join(Customer, CustomerOwnership.customer_id == Customer.id)
        .where(CustomerOwnership.employee_id == employee_id)
        .order_by(CustomerOwnership.start_date.nulls_first(), Customer.code)
    ):
        kind, to = ends.get(
            (own.customer_id, own.end_date),
            (listed_gone.get((own.customer_id, own.end_date)), None),
        )
        rows.append(
            OwnershipRow(
                customer_id=customer.id,
                customer_code=customer.code,
                customer_name=customer.name,
                start_date=own.start_date,
                end_date=own.end_date,
                end_kind=kind if own.end_date else None,
                ended_to=to if own.end_date else None,
            )
        )
    return rows


def _checkins(session: Session, employee_id: int) -> list[CheckinRow]:
    rows = []
    for c, customer in session.execute(
        select(Checkin, Customer)
        .outerjoin(Customer, Checkin.customer_id == Customer.id)
        .where(Checkin.employee_id == employee_id)
        .order_by(Checkin.checked_at.desc())
    ):
        fence = None
        if (
            customer is not None
            and c.lat is not None
            and c.lon is not None
            and customer.lat is not None
            and customer.lon is not None
        ):
            fence = check_geofence(
                c.lat, c.lon, c.accuracy_m, customer.lat, customer.lon, customer.radius_m
            )
        rows.append(
            CheckinRow(
                id=c.id,
                checked_at=c.checked_at,
                kind=c.kind,
                customer_code=customer.code if customer else None,
                customer_name=customer.name if customer else None,
                address=c.address,
                lat=c.lat,
                lon=c.lon,
                accuracy_m=c.accuracy_m,
                distance_m=fence.distance_m if fence else None,
                inside_fence=fence.inside if fence else None,
                note=c.note,
                link_method=c.link_method,
                link_text=c.link_text,
                position_source=c.position_source,
                address_place=c.address_place,
                address_gap_m=track_address_distance(c),
                makeup_approved=c.makeup_approved,
                source_result=c.source_result,
            )
        )
    return rows


def _missed_punches(session: Session, employee_id: int) -> list[CheckinRow]:
    return [
        CheckinRow(
            id=m.id,
            checked_at=m.scheduled_at,
            kind=m.kind,
            customer_code=None,
            customer_name=None,
            address=None,
            lat=None,
            lon=None,
            accuracy_m=None,
            distance_m=None,
            inside_fence=None,
            note=m.note,
            missed=True,
            source_result=m.source_result,
        )
        for m in session.scalars(
            select(MissedPunch)
            .where(MissedPunch.employee_id == employee_id)
            .order_by(MissedPunch.scheduled_at.desc())
        )
    ]


def _orders(session: Session, employee_id: int) -> list[OrderRow]:
    return [
        OrderRow(
            id=o.id,
            order_no=o.order_no,
            order_date=o.order_date,
            customer_code=customer.code if customer else (o.customer_ref or ""),
            customer_name=customer.name if customer else "",
            amount=o.amount,
            status=o.status,
            competitor=competitor,
        )
        for o, customer, competitor in session.execute(
            select(Order, Customer, Competitor.name)
            .outerjoin(Customer, Order.customer_id == Customer.id)
            .outerjoin(Competitor, Order.competitor_id == Competitor.id)
            .where(Order.employee_id == employee_id)
            .order_by(Order.order_date.desc(), Order.order_no)
        )
    ]


def _events(session: Session, employee_id: int) -> list[CustomerEventRow]:
    new_owner = aliased(Employee)
    return [
        CustomerEventRow(
            id=ev.id,
            event_date=ev.event_date,
            kind=ev.kind,
            customer_code=customer.code,
            customer_name=customer.name,
            competitor=competitor,
            new_owner=owner,
            reason=ev.reason,
        )
        for ev, customer, competitor, owner in session.execute(
            select(CustomerEvent, Customer, Competitor.name, new_owner.name)
            .join(Customer, CustomerEvent.customer_id == Customer.id)
            .outerjoin(Competitor, CustomerEvent.competitor_id == Competitor.id)
            .outerjoin(new_owner, CustomerEvent.new_owner_id == new_owner.id)
            .where(CustomerEvent.employee_id == employee_id)
            .order_by(CustomerEvent.event_date.desc())
        )
    ]
