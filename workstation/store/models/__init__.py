"""Every ORM model, imported here so ``Base.metadata`` is complete."""

from workstation.store.models.cases import (
    Case,
    CaseAllegation,
    CaseApproval,
    CaseDocument,
    CaseEvent,
    CaseEvidence,
    CaseNote,
    CaseParty,
    CaseTask,
    CustodyEvent,
)
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
    ImportMappingProfile,
    MasterDataChange,
    RejectedRow,
)
from workstation.store.models.records import Communication
from workstation.store.models.risk import (
    Alert,
    AlertEvent,
    AllowedPlace,
    IndicatorValue,
    LocationFlag,
    PolicyVersion,
    Stop,
)
from workstation.store.models.security import SigningCertificate

__all__ = [
    "TRACK_COORD_CODES",
    "Alert",
    "AlertEvent",
    "AllowedPlace",
    "AppMeta",
    "AuditEntry",
    "Case",
    "CaseAllegation",
    "CaseApproval",
    "CaseDocument",
    "CaseEvent",
    "CaseEvidence",
    "CaseNote",
    "CaseParty",
    "CaseTask",
    "Checkin",
    "Communication",
    "Competitor",
    "CompetitorSite",
    "CustodyEvent",
    "Customer",
    "CustomerEvent",
    "CustomerOwnership",
    "Employee",
    "EvidenceFile",
    "ImportBatch",
    "ImportMappingProfile",
    "IndicatorValue",
    "Lead",
    "LocationFlag",
    "MasterDataChange",
    "Office",
    "Order",
    "PolicyVersion",
    "RejectedRow",
    "SalesTask",
    "SigningCertificate",
    "Stop",
    "TrackPoint",
    "User",
]
