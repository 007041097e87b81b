"""The permission matrix, written out: every permission × every role.

Changing who may do what means changing this table in the same commit, on purpose.
"""

from __future__ import annotations

import importlib

import pytest

from workstation.domain.enums import Role
from workstation.domain.identity import Identity
from workstation.security.permissions import (
    ROLE_PERMISSIONS,
    SERVICE_OPERATIONS,
    Permission,
    PermissionAuthorizer,
    PermissionDenied,
    allowed,
    require,
)

ROLES = (Role.HR_OFFICER, Role.SALES_MANAGER, Role.LEGAL, Role.ADMINISTRATOR, Role.AUDITOR)

# fmt: off
#                                        HR   SALES LEGAL ADMIN AUDIT
MATRIX_TEXT = """
import.view                              x    .     .     x     x
import.run                               x    .     .     .     .
import.manage_mappings                   x    .     .     .     .
risk.evaluate                            x    .     .     .     .
alert.view                               x    x     .     x     x
alert.triage                             x    .     .     .     .
policy.view                              x    .     .     x     x
policy.edit                              x    .     .     .     .
employee.view                            x    .     .     x     x
track.view                               x    .     .     x     x
communication.view                       x    .     .     x     x
case.view                                x    x     x     x     x
case.open                                x    .     .     .     .
case.edit                                x    .     .     .     .
case.link_evidence                       x    .     .     .     .
case.export_evidence                     x    .     x     .     .
case.transition                          x    .     .     .     .
case.approve                             .    x     x     .     .
case.legal_hold                          .    .     x     .     .
case.generate_documents                  x    .     x     .     .
case.choose_alternate                    .    .     .     x     .
user.manage                              .    .     .     x     .
audit.view                               .    .     .     x     x
audit.verify                             .    .     .     x     x
retention.purge                          .    .     .     x     .
database.maintain                        .    .     .     x     .
"""
# fmt: on


def expected_matrix() -> dict[tuple[Permission, Role], bool]:
    table: dict[tuple[Permission, Role], bool] = {}
    for line in MATRIX_TEXT.strip().splitlines():
        code, *marks = line.split()
        assert len(marks) == len(ROLES), line
        for role, mark in zip(ROLES, marks, strict=True):
            assert mark in ("x", "."), line
            table[(Permission(code), role)] = mark == "x"
    return table


EXPECTED = expected_matrix()


def who(role: Role) -> Identity:
    return Identity(user_id=1, username=f"someone.{role.value}", display_name="Someone", role=role)


def test_the_table_names_every_permission_and_every_role_once() -> None:
    assert {p for p, _ in EXPECTED} == set(Permission)
    assert len(EXPECTED) == len(Permission) * len(Role)
    assert set(ROLES) == set(Role) == set(ROLE_PERMISSIONS)


@pytest.mark.parametrize("role", list(Role), ids=str)
@pytest.mark.parametrize("permission", list(Permission), ids=str)
def test_matrix(permission: Permission, role: Role) -> None:
    identity = who(role)
    expected = EXPECTED[(permission, role)]
    assert allowed(identity, permission) is expected
    assert (permission in ROLE_PERMISSIONS[role]) is expected
    if expected:
        assert require(identity, permission) is identity
    else:
        with pytest.raises(PermissionDenied) as caught:
            require(identity, permission)
        assert caught.value.permission is permission
        assert caught.value.identity is identity


@pytest.mark.parametrize("permission", list(Permission), ids=str)
def test_nobody_signed_in_may_do_nothing(permission: Permission) -> None:
    assert not allowed(None, permission)
    with pytest.raises(PermissionDenied, match="sign in first"):
        require(None, permission)


def test_the_refusal_names_the_user_the_role_and_the_operation() -> None:
    with pytest.raises(PermissionDenied) as caught:
        require(who(Role.AUDITOR), Permission.CASE_OPEN)
    assert str(caught.value) == "someone.auditor (auditor) may not do case.open"
    assert isinstance(caught.value, PermissionError)


def test_the_auditor_only_reads() -> None:
    writes = {
        p for p in ROLE_PERMISSIONS[Role.AUDITOR] if not p.value.endswith((".view", "verify"))
    }
    assert writes == set()


def test_every_permission_guards_some_service_operation() -> None:
    assert set(SERVICE_OPERATIONS.values()) == set(Permission)


SERVICE_MODULES = {
    "ImportService": "workstation.ingest.service",
    "MappingProfileService": "workstation.ingest.mapping_profiles",
    "IndicatorService": "workstation.risk.indicator_service",
    "EvaluationService": "workstation.risk.evaluation",
    "AlertService": "workstation.risk.alert_service",
    "PolicyService": "workstation.risk.policy_service",
    "EmployeeService": "workstation.employees.service",
    "MapService": "workstation.maps.service",
    "UserService": "workstation.security.users",
    "DatabaseService": "workstation.store.database_service",
    "CompanyZoneService": "workstation.store.company_zone",
    "RetentionService": "workstation.cases.retention",
    "CaseService": "workstation.cases.service",
    "AllowedPlaceService": "workstation.risk.allowed_places",
    "AuditLogService": "workstation.store.audit_log_service",
    "EvidenceCheckService": "workstation.store.evidence_check",
    "CommunicationService": "workstation.communications.service",
    "CaseArchive": "workstation.cases.archive",
    "CaseDocuments": "workstation.cases.documents",
}


#: Services listed by their planned names until they are built.
PLANNED_SERVICES: set[str] = set()


def test_each_operation_belongs_to_a_known_or_planned_service() -> None:
    services = {op.split(".")[0] for op in SERVICE_OPERATIONS}
    assert services <= set(SERVICE_MODULES) | PLANNED_SERVICES


@pytest.mark.parametrize(
    "operation", sorted(op for op in SERVICE_OPERATIONS if op.split(".")[0] in SERVICE_MODULES)
)
def test_the_operations_named_exist(operation: str) -> None:
    """Operations of services that exist are real methods."""
    service, method = operation.split(".")
    cls = getattr(importlib.import_module(SERVICE_MODULES[service]), service)
    assert callable(getattr(cls, method, None)), operation


def test_the_case_services_port_is_answered_by_the_matrix() -> None:
    authorizer = PermissionAuthorizer()
    authorizer.require(who(Role.LEGAL), "case.approve")
    with pytest.raises(PermissionDenied, match=r"someone.hr_officer \(HR officer\) may not do"):
        authorizer.require(who(Role.HR_OFFICER), "case.approve")
    with pytest.raises(PermissionDenied, match=r"unknown operation 'case\.teleport'"):
        authorizer.require(who(Role.ADMINISTRATOR), "case.teleport")
