"""What each role may do. Every service checks with ``require`` itself; the GUI only uses
``allowed`` to hide what the signed-in user may not do.

The matrix is deliberate: ``tests/unit/test_permissions.py`` spells out every
permission × role, so changing it means changing that table too.
"""

from __future__ import annotations

from enum import StrEnum

from workstation.domain.enums import Role
from workstation.domain.identity import Identity


class Permission(StrEnum):
    """One service operation (or a family of them). Values are stable, dotted codes."""

    # Imports
    IMPORT_VIEW = "import.view"  # batches, rejected rows, import reports
    IMPORT_RUN = "import.run"  # preview and run an import
    IMPORT_MANAGE_MAPPINGS = "import.manage_mappings"  # save / delete named column mappings
    # Early warning
    RISK_EVALUATE = "risk.evaluate"  # compute indicators and evaluate a day
    ALERT_VIEW = "alert.view"  # inbox, an alert's rules, trends and records behind it
    ALERT_TRIAGE = "alert.triage"  # start review, confirm, dismiss, escalate
    POLICY_VIEW = "policy.view"  # versions, preview, health
    POLICY_EDIT = "policy.edit"  # save a new policy version
    # Personal data
    EMPLOYEE_VIEW = "employee.view"  # employee list and employee file (check-ins, orders)
    TRACK_VIEW = "track.view"  # location tracks and the map
    COMMUNICATION_VIEW = "communication.view"  # imported messages and call records
    # Cases
    CASE_VIEW = "case.view"
    CASE_OPEN = "case.open"
    CASE_EDIT = "case.edit"  # notes, allegations, findings, tasks, parties
    CASE_LINK_EVIDENCE = "case.link_evidence"  # freeze a record as evidence of the case
    CASE_EXPORT_EVIDENCE = "case.export_evidence"  # evidence packages, offline review copies
    CASE_TRANSITION = "case.transition"  # move the case through its states (HR)
    CASE_APPROVE = "case.approve"  # signed approvals and rejections (sales manager, legal)
    CASE_LEGAL_HOLD = "case.legal_hold"  # set or lift a legal hold
    CASE_GENERATE_DOCUMENTS = "case.generate_documents"  # dossier, notices
    CASE_CHOOSE_ALTERNATE = "case.choose_alternate"  # name an alternate approver (conflicts)
    # Administration
    USER_MANAGE = "user.manage"  # create users, reset passwords, roles, (de)activate
    AUDIT_VIEW = "audit.view"  # read the audit log
    AUDIT_VERIFY = "audit.verify"  # walk the hash chain
    RETENTION_PURGE = "retention.purge"  # set the retention period and purge old data
    DATABASE_MAINTAIN = "database.maintain"  # backup, schema upgrade


_READ_ALL = frozenset(
    {
        Permission.IMPORT_VIEW,
        Permission.ALERT_VIEW,
        Permission.POLICY_VIEW,
        Permission.EMPLOYEE_VIEW,
        Permission.TRACK_VIEW,
        Permission.COMMUNICATION_VIEW,
        Permission.CASE_VIEW,
    }
)

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.HR_OFFICER: frozenset(
        {
            *_READ_ALL,
            Permission.IMPORT_RUN,
            Permission.IMPORT_MANAGE_MAPPINGS,
            Permission.RISK_EVALUATE,
            Permission.ALERT_TRIAGE,
            Permission.POLICY_EDIT,
            Permission.CASE_OPEN,
            Permission.CASE_EDIT,
            Permission.CASE_LINK_EVIDENCE,
            Permission.CASE_EXPORT_EVIDENCE,
            Permission.CASE_TRANSITION,
            Permission.CASE_GENERATE_DOCUMENTS,
        }
    ),
    Role.SALES_MANAGER: frozenset(
        {
            Permission.ALERT_VIEW,
            Permission.CASE_VIEW,
            Permission.CASE_APPROVE,
        }
    ),
    Role.LEGAL: frozenset(
        {
            Permission.CASE_VIEW,
            Permission.CASE_APPROVE,
            Permission.CASE_LEGAL_HOLD,
            Permission.CASE_GENERATE_DOCUMENTS,
            Permission.CASE_EXPORT_EVIDENCE,
        }
    ),
    Role.ADMINISTRATOR: frozenset(
        {
            *_READ_ALL,
            Permission.USER_MANAGE,
            Permission.CASE_CHOOSE_ALTERNATE,
            Permission.AUDIT_VIEW,
            Permission.AUDIT_VERIFY,
            Permission.RETENTION_PURGE,
            Permission.DATABASE_MAINTAIN,
        }
    ),
    Role.AUDITOR: frozenset(
        {
            *_READ_ALL,
            Permission.AUDIT_VIEW,
            Permission.AUDIT_VERIFY,
        }
    ),
}

#: Which permission each service operation needs: the checklist for wiring ``require`` into
#: the services, and for a test that calls each operation as each role.
SERVICE_OPERATIONS: dict[str, Permission] = {
    "ImportService.run": Permission.IMPORT_RUN,
    "ImportService.preview": Permission.IMPORT_RUN,
    "ImportService.list_batches": Permission.IMPORT_VIEW,
    "ImportService.rejected_rows": Permission.IMPORT_VIEW,
    "ImportService.export_report": Permission.IMPORT_VIEW,
    "MappingProfileService.save": Permission.IMPORT_MANAGE_MAPPINGS,
    "MappingProfileService.delete": Permission.IMPORT_MANAGE_MAPPINGS,
    "MappingProfileService.saved": Permission.IMPORT_VIEW,
    "MappingProfileService.get": Permission.IMPORT_VIEW,
    "IndicatorService.compute": Permission.RISK_EVALUATE,
    "IndicatorService.values": Permission.ALERT_VIEW,
    "IndicatorService.recent_values": Permission.ALERT_VIEW,
    "IndicatorService.records_behind": Permission.ALERT_VIEW,
    "EvaluationService.evaluate": Permission.RISK_EVALUATE,
    "AlertService.list_alerts": Permission.ALERT_VIEW,
    "AlertService.get": Permission.ALERT_VIEW,
    "AlertService.history": Permission.ALERT_VIEW,
    "AlertService.explain": Permission.ALERT_VIEW,
    "AlertService.start_review": Permission.ALERT_TRIAGE,
    "AlertService.confirm": Permission.ALERT_TRIAGE,
    "AlertService.dismiss": Permission.ALERT_TRIAGE,
    "AlertService.escalate": Permission.ALERT_TRIAGE,
    "AlertService.triage": Permission.ALERT_TRIAGE,
    "PolicyService.versions": Permission.POLICY_VIEW,
    "PolicyService.get": Permission.POLICY_VIEW,
    "PolicyService.preview": Permission.POLICY_VIEW,
    "PolicyService.health": Permission.POLICY_VIEW,
    "PolicyService.save": Permission.POLICY_EDIT,
    "PolicyService.in_force": Permission.POLICY_VIEW,
    "PolicyService.last_data_day": Permission.POLICY_VIEW,
    "AllowedPlaceService.add": Permission.POLICY_EDIT,
    "AllowedPlaceService.remove": Permission.POLICY_EDIT,
    "AllowedPlaceService.list_places": Permission.POLICY_VIEW,
    "EmployeeService.list_employees": Permission.EMPLOYEE_VIEW,
    "EmployeeService.employee_file": Permission.EMPLOYEE_VIEW,
    "MapService.map_data": Permission.TRACK_VIEW,
    "MapService.build_map": Permission.TRACK_VIEW,
    "MapService.employee_date_range": Permission.TRACK_VIEW,
    "CommunicationService.list": Permission.COMMUNICATION_VIEW,
    "CommunicationService.get": Permission.COMMUNICATION_VIEW,
    "CommunicationService.span": Permission.COMMUNICATION_VIEW,
    "CaseArchive.for_employee": Permission.CASE_VIEW,
    "CaseArchive.open_document": Permission.CASE_VIEW,
    "CaseArchive.read_document": Permission.CASE_VIEW,
    "CaseArchive.save_copy": Permission.CASE_VIEW,
    "CaseService.list_cases": Permission.CASE_VIEW,
    "CaseService.get": Permission.CASE_VIEW,
    "CaseService.view": Permission.CASE_VIEW,
    "CaseService.view_evidence": Permission.CASE_VIEW,
    "CaseService.verify": Permission.CASE_VIEW,
    "CaseService.integrity": Permission.CASE_VIEW,
    "CaseService.integrity_of_cases": Permission.CASE_VIEW,
    "CaseService.canonical_state": Permission.CASE_VIEW,
    "CaseService.open_case": Permission.CASE_OPEN,
    "CaseService.employee_choices": Permission.CASE_OPEN,
    "CaseService.user_choices": Permission.CASE_VIEW,
    "CaseService.customer_choices": Permission.CASE_EDIT,
    "CaseService.competitor_choices": Permission.CASE_EDIT,
    "CaseService.import_choices": Permission.CASE_LINK_EVIDENCE,
    "CaseService.add_note": Permission.CASE_EDIT,
    "CaseService.add_allegation": Permission.CASE_EDIT,
    "CaseService.record_finding": Permission.CASE_EDIT,
    "CaseService.add_party": Permission.CASE_EDIT,
    "CaseService.add_task": Permission.CASE_EDIT,
    "CaseService.complete_task": Permission.CASE_EDIT,
    "CaseService.attach_document": Permission.CASE_GENERATE_DOCUMENTS,
    "CaseService.record_union_notification": Permission.CASE_EDIT,
    "CaseService.choose_alternate_approver": Permission.CASE_CHOOSE_ALTERNATE,
    "CaseService.link_record": Permission.CASE_LINK_EVIDENCE,
    "CaseService.link_file": Permission.CASE_LINK_EVIDENCE,
    "CaseService.export_evidence": Permission.CASE_EXPORT_EVIDENCE,
    "CaseService.transition": Permission.CASE_TRANSITION,
    "CaseService.approve": Permission.CASE_APPROVE,
    "CaseService.set_legal_hold": Permission.CASE_LEGAL_HOLD,
    "CaseDocuments.generate": Permission.CASE_GENERATE_DOCUMENTS,
    "CaseDocuments.stored": Permission.CASE_VIEW,
    "CaseDocuments.document_bytes": Permission.CASE_VIEW,
    "CaseDocuments.save_copy": Permission.CASE_VIEW,
    "CaseDocuments.document_data": Permission.CASE_VIEW,
    "CaseDocuments.dossier_data": Permission.CASE_VIEW,
    "CaseDocuments.defaults": Permission.CASE_VIEW,
    "UserService.create_user": Permission.USER_MANAGE,
    "UserService.set_password": Permission.USER_MANAGE,
    "UserService.set_active": Permission.USER_MANAGE,
    "UserService.set_role": Permission.USER_MANAGE,
    "UserService.list_users": Permission.USER_MANAGE,
    "UserService.unlock": Permission.USER_MANAGE,
    "AuditLogService.entries": Permission.AUDIT_VIEW,
    "AuditLogService.anchor": Permission.AUDIT_VERIFY,
    "AuditLogService.verify": Permission.AUDIT_VERIFY,
    "EvidenceCheckService.verify_store": Permission.AUDIT_VERIFY,
    "AuditLogService.checkpoint": Permission.AUDIT_VERIFY,
    "DatabaseService.backup": Permission.DATABASE_MAINTAIN,
    "DatabaseService.upgrade": Permission.DATABASE_MAINTAIN,
    "CompanyZoneService.set": Permission.DATABASE_MAINTAIN,
    "RetentionService.set_months": Permission.RETENTION_PURGE,
    "RetentionService.purge": Permission.RETENTION_PURGE,
}

ROLE_NAMES: dict[Role, str] = {
    Role.HR_OFFICER: "HR officer",
    Role.SALES_MANAGER: "sales manager",
    Role.LEGAL: "legal",
    Role.ADMINISTRATOR: "administrator",
    Role.AUDITOR: "auditor",
}


class PermissionDenied(PermissionError):
    """The acting user (or nobody) may not do ``permission``."""

    def __init__(
        self, identity: Identity | None, permission: Permission, reason: str | None = None
    ) -> None:
        self.identity = identity
        self.permission = permission
        if reason is not None:
            message = reason
        elif identity is None:
            message = f"sign in first: {permission.value} needs a signed-in user"
        else:
            message = (
                f"{identity.username} ({ROLE_NAMES[identity.role]}) may not do {permission.value}"
            )
        super().__init__(message)


def permissions_of(role: Role) -> frozenset[Permission]:
    return ROLE_PERMISSIONS.get(role, frozenset())


def allowed(identity: Identity | None, permission: Permission) -> bool:
    """May ``identity`` do ``permission``? (False when nobody is signed in.)"""
    return identity is not None and permission in permissions_of(identity.role)


def require(identity: Identity | None, permission: Permission) -> Identity:
    """Raise ``PermissionDenied`` unless ``identity`` may do ``permission``; returns the
    identity (no longer optional) for the caller's audit entry."""
    if identity is None or not allowed(identity, permission):
        raise PermissionDenied(identity, permission)
    return identity


class PermissionAuthorizer:
    """The case service's ``Authorizer`` port (``require(identity, "case.approve")``) answered
    by this matrix. An operation this module does not know is refused."""

    def require(self, identity: Identity | None, operation: str) -> None:
        try:
            permission = Permission(operation)
        except ValueError:
            raise PermissionDenied(
                identity, Permission.CASE_VIEW, f"unknown operation {operation!r}"
            ) from None
        require(identity, permission)
