"""Every ORM model, imported here so ``Base.metadata`` is complete."""

from workstation.store.models.crm import (
    Competitor,
    CompetitorSite,
    Customer,
    CustomerEvent,
    CustomerOwnership,
    Lead,
    Order,
    SalesTask,
)
from workstation.store.models.movement import TRACK_COORD_CODES, Checkin, TrackPoint
from workstation.store.models.organisation import Employee, Office, User
from workstation.store.models.provenance import (
    AppMeta,
    AuditEntry,
    EvidenceFile,
    ImportBatch,
    RejectedRow,
)
from workstation.store.models.records import Communication

__all__ = [
    "TRACK_COORD_CODES",
    "AppMeta",
    "AuditEntry",
    "Checkin",
    "Communication",
    "Competitor",
    "CompetitorSite",
    "Customer",
    "CustomerEvent",
    "CustomerOwnership",
    "Employee",
    "EvidenceFile",
    "ImportBatch",
    "Lead",
    "Office",
    "Order",
    "RejectedRow",
    "SalesTask",
    "TrackPoint",
    "User",
]
