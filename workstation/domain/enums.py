"""Enumerations shared by every layer. Values are the stable strings stored in the database."""

from __future__ import annotations

from enum import StrEnum


class CoordSystem(StrEnum):
    WGS84 = "WGS84"
    GCJ02 = "GCJ02"
    BD09 = "BD09"


class CheckinKind(StrEnum):
    ON_DUTY = "on_duty"
    OFF_DUTY = "off_duty"
    FIELD = "field"


class OrderStatus(StrEnum):
    OPEN = "open"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    TRANSFERRED = "transferred"


class CustomerEventKind(StrEnum):
    LOST = "lost"
    WON = "won"
    TRANSFERRED = "transferred"  # moved to a competitor
    REASSIGNED = "reassigned"  # moved to a colleague (territory change; not churn)


class TaskStatus(StrEnum):
    PLANNED = "planned"
    DONE = "done"
    MISSED = "missed"
    CANCELLED = "cancelled"


class CommChannel(StrEnum):
    WECOM = "wecom"
    DINGTALK = "dingtalk"
    WECHAT = "wechat"
    PHONE = "phone"
    EMAIL = "email"
    SMS = "sms"


class CommDirection(StrEnum):
    INBOUND = "in"
    OUTBOUND = "out"


class Role(StrEnum):
    HR_OFFICER = "hr_officer"
    SALES_MANAGER = "sales_manager"
    LEGAL = "legal"
    ADMINISTRATOR = "administrator"
    AUDITOR = "auditor"


class ImportStatus(StrEnum):
    PENDING = "pending"
    COMMITTED = "committed"
    FAILED = "failed"
    ROLLED_BACK = "rolled_back"
