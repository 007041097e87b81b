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


class CheckinLink(StrEnum):
    """How a check-in found the customer it claims, strongest first (issue 11 §3)."""

    #: The file's customer code column.
    CODE = "code"
    #: The file's customer name column.
    NAME = "name"
    #: A customer named in the remark / note (DingTalk 打卡备注, WeCom ``notes``).
    REMARK = "remark"
    #: A customer named in the location title or address (WeCom ``location_title`` /
    #: ``location_detail``, DingTalk 打卡地址).
    TITLE = "title"
    #: The one sales task (planned visit) of the employee that day.
    TASK = "task"
    #: The nearest of the employee's customers whose geofence holds the position.
    FENCE = "fence"


class PositionSource(StrEnum):
    """Where a check-in's position comes from: a position is never invented."""

    #: The attendance app's own fix (WeCom, DingTalk API, a generic file's lat/lon).
    DEVICE = "device"
    #: The employee's GPS track, a fix within a few minutes of a punch that had none.
    TRACK = "track"
    #: The known place (customer, competitor site, office) the punch's address text matches:
    #: where the address is, not a fix.
    ADDRESS = "address"


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


class CustomerStatus(StrEnum):
    """A customer's standing in a CRM customer list (客户状态)."""

    ACTIVE = "active"
    LOST = "lost"
    TRANSFERRED = "transferred"  # gone to a competitor


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


class EvidenceKind(StrEnum):
    """What a case's evidence item is: a frozen record of one of these kinds, or a file."""

    CHECKIN = "checkin"
    STOP = "stop"
    TRACK_SEGMENT = "track_segment"
    ORDER = "order"
    CUSTOMER_EVENT = "customer_event"
    COMMUNICATION = "communication"
    LEAD = "lead"
    IMPORT_FILE = "import_file"
    ALERT = "alert"
    FILE = "file"


class PlaceKind(StrEnum):
    """An allowed place's kind (``risk.allowed_places``)."""

    SHARED_TOWER = "shared_tower"
    LOGISTICS_HUB = "logistics_hub"
    HOME = "home"
    OTHER = "other"


class ImportStatus(StrEnum):
    PENDING = "pending"
    COMMITTED = "committed"
    FAILED = "failed"
    ROLLED_BACK = "rolled_back"
