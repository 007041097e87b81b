"""What the communication service hands out: plain, frozen dataclasses (no ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class CommunicationRecord:
    id: int
    employee_id: int
    sent_at: datetime
    #: wecom | dingtalk | wechat | phone | email | sms (``domain.enums.CommChannel``)
    channel: str
    #: in | out (``domain.enums.CommDirection``)
    direction: str
    counterpart: str
    content: str | None
    customer_id: int | None
    customer_code: str | None
    customer_name: str | None
    #: An attachment stored as an evidence file (a photo, a voice note), if any.
    attachment_evidence_id: int | None
    #: Where the record came from: the imported file and its row.
    source_file: str | None
    source_row: int | None


@dataclass(frozen=True)
class CommunicationList:
    """One audited read: the employee's records in the period, newest first."""

    employee_id: int
    employee_no: str
    employee_name: str
    since: date | None
    until: date | None
    records: tuple[CommunicationRecord, ...]
    #: How many records the period holds (more than ``records`` when the limit cut it).
    total: int

    @property
    def truncated(self) -> bool:
        return self.total > len(self.records)
