"""Communication records: chats, calls and mails of an employee."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from workstation.store.base import Base, UtcDateTime
from workstation.store.mixins import SourceColumns


class Communication(SourceColumns, Base):
    __tablename__ = "communications"
    __table_args__ = (Index("ix_communications_employee_time", "employee_id", "sent_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime)
    channel: Mapped[str] = mapped_column(String(16))
    direction: Mapped[str] = mapped_column(String(4))
    counterpart: Mapped[str] = mapped_column(String(200))
    content: Mapped[str | None] = mapped_column(Text)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    attachment_evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence_files.id"))
