"""Read one employee's imported communication records (WeCom and DingTalk chats, calls, mail).

Communications are personal data read only for an investigation: every read needs
``Permission.COMMUNICATION_VIEW`` and writes one ``communication.read`` audit entry (who read
whose records, which period, how many were shown), committed in the same unit of work, just
as ``MapService`` logs reads of tracks. Finding the days with records (``span``) reads no
content and is not logged.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workstation.communications.model import CommunicationList, CommunicationRecord
from workstation.domain.clock import Clock, start_of_day
from workstation.security.access import Acting
from workstation.security.permissions import Permission
from workstation.store.audit import append_audit
from workstation.store.models import Communication, Customer, Employee, ImportBatch
from workstation.store.uow import UnitOfWorkFactory

READ_ACTION = "communication.read"
#: How many records one read returns unless the caller asks for fewer (or more).
DEFAULT_LIMIT = 500
MAX_LIMIT = 5000


class EmployeeNotFound(LookupError):
    pass


class CommunicationNotFound(LookupError):
    pass


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _period(query: Any, since: date | None, until: date | None, zone: tzinfo) -> Any:
    """Restrict ``query`` to the local days (of ``zone``) ``since``..``until`` (either end may
    be open)."""
    if since is not None and until is not None and until < since:
        raise ValueError(f"until {until} is before since {since}")
    if since is not None:
        query = query.where(Communication.sent_at >= start_of_day(since, zone))
    if until is not None:
        query = query.where(Communication.sent_at < start_of_day(until + timedelta(days=1), zone))
    return query


class CommunicationService:
    def __init__(self, uow: UnitOfWorkFactory, acting: Acting, clock: Clock) -> None:
        self._uow = uow
        self._acting = acting
        #: Its zone decides which days a period covers.
        self._zone = clock.zone

    def list(
        self,
        employee_id: int,
        since: date | None = None,
        until: date | None = None,
        limit: int = DEFAULT_LIMIT,
    ) -> CommunicationList:
        """The records of ``employee_id`` sent on local days ``since``..``until`` (inclusive;
        None leaves that end open), newest first, at most ``limit``. Audited."""
        identity = self._acting.require(Permission.COMMUNICATION_VIEW)
        limit = max(1, min(int(limit), MAX_LIMIT))
        with self._uow() as uow:
            session = uow.session
            employee = session.get(Employee, employee_id)
            if employee is None:
                raise EmployeeNotFound(f"no employee with id {employee_id}")
            where = Communication.employee_id == employee_id
            total = int(
                session.scalar(
                    _period(
                        select(func.count()).select_from(Communication), since, until, self._zone
                    ).where(where)
                )
                or 0
            )
            query = _period(_record_query(), since, until, self._zone).where(where)
            rows = session.execute(
                query.order_by(Communication.sent_at.desc(), Communication.id.desc()).limit(limit)
            ).all()
            records = tuple(_record(row) for row in rows)
            append_audit(
                session,
                identity.actor,
                READ_ACTION,
                "employee",
                employee.employee_no,
                {
                    "since": since.isoformat() if since else None,
                    "until": until.isoformat() if until else None,
                    "records": len(records),
                    "total": total,
                },
            )
            uow.commit()
            return CommunicationList(
                employee_id=employee.id,
                employee_no=employee.employee_no,
                employee_name=employee.name,
                since=since,
                until=until,
                records=records,
                total=total,
            )

    def get(self, record_id: int) -> CommunicationRecord:
        """One record with its full content. Audited."""
        identity = self._acting.require(Permission.COMMUNICATION_VIEW)
        with self._uow() as uow:
            session = uow.session
            row = session.execute(_record_query().where(Communication.id == record_id)).first()
            if row is None:
                raise CommunicationNotFound(f"no communication record {record_id}")
            record = _record(row)
            employee_no = _employee_no(session, record.employee_id)
            append_audit(
                session,
                identity.actor,
                READ_ACTION,
                "employee",
                employee_no,
                {"record_id": record.id, "records": 1},
            )
            uow.commit()
            return record

    def span(self, employee_id: int) -> tuple[date, date] | None:
        """The first and last local day with records of ``employee_id`` (no content is read,
        so this is not logged)."""
        self._acting.require(Permission.COMMUNICATION_VIEW)
        with self._uow() as uow:
            lo, hi = uow.session.execute(
                select(func.min(Communication.sent_at), func.max(Communication.sent_at)).where(
                    Communication.employee_id == employee_id
                )
            ).one()
        if lo is None or hi is None:
            return None
        return _utc(lo).astimezone(self._zone).date(), _utc(hi).astimezone(self._zone).date()


def _record_query() -> Any:
    return (
        select(
            Communication,
            Customer.code,
            Customer.name,
            ImportBatch.file_name,
        )
        .outerjoin(Customer, Customer.id == Communication.customer_id)
        .outerjoin(ImportBatch, ImportBatch.id == Communication.batch_id)
    )


def _record(row: Sequence[Any]) -> CommunicationRecord:
    message: Communication = row[0]
    return CommunicationRecord(
        id=message.id,
        employee_id=message.employee_id,
        sent_at=_utc(message.sent_at),
        channel=message.channel,
        direction=message.direction,
        counterpart=message.counterpart,
        content=message.content,
        customer_id=message.customer_id,
        customer_code=row[1],
        customer_name=row[2],
        attachment_evidence_id=message.attachment_evidence_id,
        source_file=row[3],
        source_row=message.source_row,
    )


def _employee_no(session: Session, employee_id: int) -> str:
    found = session.scalar(select(Employee.employee_no).where(Employee.id == employee_id))
    return str(found) if found is not None else str(employee_id)
