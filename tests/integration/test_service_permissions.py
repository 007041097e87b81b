"""Every service operation × every role, called for real on a real store.

The services check permissions themselves (the GUI only hides buttons): for each entry of
``SERVICE_OPERATIONS`` this calls the operation as a signed-in user of each role. A role the
matrix refuses must get ``PermissionDenied`` and leave no trace in the audit log; a role it
allows must get past the check (the call may then fail for its dummy arguments, e.g. an unknown
id, but never with ``PermissionDenied`` and never with a ``TypeError``, which would mean the call
below is wrong rather than the check right).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from acting import identity_for
from clocks import pinned
from sqlalchemy import func, select

from workstation.app import App, open_app
from workstation.cases.archive import CaseArchive
from workstation.cases.documents import CaseDocuments
from workstation.cases.retention import RetentionService
from workstation.cases.service import CaseService
from workstation.communications.service import CommunicationService
from workstation.config import load_settings
from workstation.domain.enums import Role
from workstation.domain.identity import Identity
from workstation.domain.indicators import Indicator
from workstation.domain.policy import default_policy
from workstation.employees.service import EmployeeService
from workstation.ingest.mapping_profiles import MappingProfileService
from workstation.ingest.service import ImportService
from workstation.maps.service import MapService
from workstation.risk.alert_service import AlertService
from workstation.risk.allowed_places import AllowedPlaceService
from workstation.risk.evaluation import EvaluationService
from workstation.risk.indicator_service import IndicatorService
from workstation.risk.policy_service import PolicyService
from workstation.security.permissions import (
    SERVICE_OPERATIONS,
    PermissionDenied,
    allowed,
)
from workstation.security.users import UserService
from workstation.store.audit_log_service import AuditLogService
from workstation.store.company_zone import CompanyZoneService
from workstation.store.database_service import DatabaseService
from workstation.store.evidence_check import EvidenceCheckService
from workstation.store.models import AuditEntry

DAY = date(2026, 10, 29)
NO_CASE = "C-1999-0001"
Call = Callable[[App, Identity, Path], object]

#: One real call per operation. ``who`` is the acting identity (the session's, and the
#: argument of the services that take it per call).
CALLS: dict[str, Call] = {
    "ImportService.run": lambda a, who, tmp: a.imports.run(tmp / "none.csv", "employees"),
    "ImportService.preview": lambda a, who, tmp: a.imports.preview(tmp / "none.csv", "employees"),
    "ImportService.list_batches": lambda a, who, tmp: a.imports.list_batches(),
    "ImportService.rejected_rows": lambda a, who, tmp: a.imports.rejected_rows(0),
    "ImportService.export_report": lambda a, who, tmp: a.imports.export_report(0, tmp / "r.xlsx"),
    "MappingProfileService.save": lambda a, who, tmp: a.import_mappings.save(
        "m", "tracks", {"lat": "LAT"}
    ),
    "MappingProfileService.delete": lambda a, who, tmp: a.import_mappings.delete("none"),
    "MappingProfileService.saved": lambda a, who, tmp: a.import_mappings.saved(),
    "MappingProfileService.get": lambda a, who, tmp: a.import_mappings.get("none"),
    "IndicatorService.compute": lambda a, who, tmp: a.indicators.compute(DAY, DAY),
    "IndicatorService.values": lambda a, who, tmp: a.indicators.values(0, DAY, DAY),
    "IndicatorService.recent_values": lambda a, who, tmp: a.indicators.recent_values(0),
    "IndicatorService.records_behind": lambda a, who, tmp: a.indicators.records_behind(
        0, DAY, Indicator.CUSTOMER_CHURN_RATE
    ),
    "EvaluationService.evaluate": lambda a, who, tmp: a.evaluation.evaluate(DAY, DAY),
    "AlertService.list_alerts": lambda a, who, tmp: a.alerts.list_alerts(),
    "AlertService.get": lambda a, who, tmp: a.alerts.get(0),
    "AlertService.history": lambda a, who, tmp: a.alerts.history(0),
    "AlertService.explain": lambda a, who, tmp: a.alerts.explain(0),
    "AlertService.start_review": lambda a, who, tmp: a.alerts.start_review(0, 1),
    "AlertService.confirm": lambda a, who, tmp: a.alerts.confirm(0, 1),
    "AlertService.dismiss": lambda a, who, tmp: a.alerts.dismiss(0, 1, "other", "n"),
    "AlertService.escalate": lambda a, who, tmp: a.alerts.escalate(0, 1),
    "AlertService.triage": lambda a, who, tmp: a.alerts.triage(0, "reviewing", 1),
    "PolicyService.versions": lambda a, who, tmp: a.policies.versions(),
    "PolicyService.get": lambda a, who, tmp: a.policies.get(1),
    "PolicyService.in_force": lambda a, who, tmp: a.policies.in_force(DAY),
    "PolicyService.last_data_day": lambda a, who, tmp: a.policies.last_data_day(),
    "PolicyService.preview": lambda a, who, tmp: a.policies.preview(default_policy()),
    "PolicyService.health": lambda a, who, tmp: a.policies.health(),
    "PolicyService.save": lambda a, who, tmp: a.policies.save(
        default_policy(), name="", effective_from=DAY
    ),
    "AllowedPlaceService.add": lambda a, who, tmp: a.allowed_places.add("x", "castle", 31.3, 120.6),
    "AllowedPlaceService.list_places": lambda a, who, tmp: a.allowed_places.list_places(),
    "AllowedPlaceService.remove": lambda a, who, tmp: a.allowed_places.remove(0),
    "EmployeeService.list_employees": lambda a, who, tmp: a.employees.list_employees(),
    "EmployeeService.employee_file": lambda a, who, tmp: a.employees.employee_file(0),
    "MapService.map_data": lambda a, who, tmp: a.maps.map_data(0, DAY, DAY),
    "MapService.build_map": lambda a, who, tmp: a.maps.build_map(0, DAY, DAY),
    "MapService.employee_date_range": lambda a, who, tmp: a.maps.employee_date_range(0),
    "CommunicationService.list": lambda a, who, tmp: a.communications.list(0),
    "CommunicationService.get": lambda a, who, tmp: a.communications.get(0),
    "CommunicationService.span": lambda a, who, tmp: a.communications.span(0),
    "CaseArchive.for_employee": lambda a, who, tmp: a.archive.for_employee(0),
    "CaseArchive.open_document": lambda a, who, tmp: a.archive.open_document(
        NO_CASE, "generated", 0
    ),
    "CaseArchive.read_document": lambda a, who, tmp: a.archive.read_document(
        NO_CASE, "generated", 0
    ),
    "CaseArchive.save_copy": lambda a, who, tmp: a.archive.save_copy(
        NO_CASE, "generated", 0, tmp / "copy.pdf"
    ),
    "CaseDocuments.generate": lambda a, who, tmp: a.documents.generate(
        who, NO_CASE, "approval_sheet", "zh_CN"
    ),
    "CaseDocuments.stored": lambda a, who, tmp: a.documents.stored(who, NO_CASE),
    "CaseDocuments.document_bytes": lambda a, who, tmp: a.documents.document_bytes(who, NO_CASE, 0),
    "CaseDocuments.save_copy": lambda a, who, tmp: a.documents.save_copy(
        who, NO_CASE, 0, tmp / "copy.pdf"
    ),
    "CaseDocuments.document_data": lambda a, who, tmp: a.documents.document_data(
        who, NO_CASE, "approval_sheet", "zh_CN"
    ),
    "CaseDocuments.dossier_data": lambda a, who, tmp: a.documents.dossier_data(
        who, NO_CASE, "zh_CN"
    ),
    "CaseDocuments.defaults": lambda a, who, tmp: a.documents.defaults(who, NO_CASE, "zh_CN"),
    "CaseService.employee_choices": lambda a, who, tmp: a.cases.employee_choices(who),
    "CaseService.user_choices": lambda a, who, tmp: a.cases.user_choices(who),
    "CaseService.customer_choices": lambda a, who, tmp: a.cases.customer_choices(who, 0),
    "CaseService.competitor_choices": lambda a, who, tmp: a.cases.competitor_choices(who),
    "CaseService.import_choices": lambda a, who, tmp: a.cases.import_choices(who),
    "CaseService.verify": lambda a, who, tmp: a.cases.verify(who, NO_CASE),
    "CaseService.integrity": lambda a, who, tmp: a.cases.integrity(who, NO_CASE),
    "CaseService.integrity_of_cases": lambda a, who, tmp: a.cases.integrity_of_cases(
        who, [NO_CASE]
    ),
    "CaseService.canonical_state": lambda a, who, tmp: a.cases.canonical_state(who, NO_CASE),
    "CaseService.list_cases": lambda a, who, tmp: a.cases.list_cases(who),
    "CaseService.get": lambda a, who, tmp: a.cases.get(who, NO_CASE),
    "CaseService.view": lambda a, who, tmp: a.cases.view(who, NO_CASE),
    "CaseService.view_evidence": lambda a, who, tmp: a.cases.view_evidence(who, NO_CASE, 0),
    "CaseService.open_case": lambda a, who, tmp: a.cases.open_case(who, 0, "t"),
    "CaseService.add_note": lambda a, who, tmp: a.cases.add_note(who, NO_CASE, "n", 1),
    "CaseService.add_allegation": lambda a, who, tmp: a.cases.add_allegation(who, NO_CASE, "a", 1),
    "CaseService.record_finding": lambda a, who, tmp: a.cases.record_finding(
        who, NO_CASE, 0, "substantiated", 1
    ),
    "CaseService.add_party": lambda a, who, tmp: a.cases.add_party(
        who, NO_CASE, "witness", 1, employee_id=0
    ),
    "CaseService.add_task": lambda a, who, tmp: a.cases.add_task(who, NO_CASE, "t", 1),
    "CaseService.complete_task": lambda a, who, tmp: a.cases.complete_task(who, NO_CASE, 0, 1),
    "CaseService.attach_document": lambda a, who, tmp: a.cases.attach_document(
        who, NO_CASE, "approval_sheet", "zh_CN", b"%PDF", "x.pdf", 1
    ),
    "CaseService.record_union_notification": lambda a, who, tmp: a.cases.record_union_notification(
        who, NO_CASE, 1, reference="r"
    ),
    "CaseService.choose_alternate_approver": lambda a, who, tmp: a.cases.choose_alternate_approver(
        who, NO_CASE, 0, 1
    ),
    "CaseService.link_record": lambda a, who, tmp: a.cases.link_record(
        who, NO_CASE, "order", "0", 1
    ),
    "CaseService.link_file": lambda a, who, tmp: a.cases.link_file(
        who, NO_CASE, tmp / "none.pdf", 1
    ),
    "CaseService.export_evidence": lambda a, who, tmp: a.cases.export_evidence(
        who, NO_CASE, 0, tmp
    ),
    "CaseService.transition": lambda a, who, tmp: a.cases.transition(
        who, NO_CASE, "investigation_requested", 1
    ),
    "CaseService.approve": lambda a, who, tmp: a.cases.approve(
        who, NO_CASE, "investigation", "approved", 1
    ),
    "CaseService.set_legal_hold": lambda a, who, tmp: a.cases.set_legal_hold(who, NO_CASE, True, 1),
    "UserService.create_user": lambda a, who, tmp: a.users.create_user(
        who, "new.user", "New", Role.AUDITOR, "short"
    ),
    "UserService.set_password": lambda a, who, tmp: a.users.set_password(who, 0, "short"),
    "UserService.set_active": lambda a, who, tmp: a.users.set_active(who, 0, True),
    "UserService.set_role": lambda a, who, tmp: a.users.set_role(who, 0, Role.AUDITOR),
    "UserService.list_users": lambda a, who, tmp: a.users.list_users(who),
    "UserService.unlock": lambda a, who, tmp: a.users.unlock(who, 0),
    "AuditLogService.entries": lambda a, who, tmp: a.audit.entries(),
    "AuditLogService.anchor": lambda a, who, tmp: a.audit.anchor(),
    "AuditLogService.verify": lambda a, who, tmp: a.audit.verify(),
    "EvidenceCheckService.verify_store": lambda a, who, tmp: a.evidence_check.verify_store(),
    "AuditLogService.checkpoint": lambda a, who, tmp: a.audit.checkpoint(),
    "DatabaseService.backup": lambda a, who, tmp: a.database.backup(tmp / "copy.sqlite3"),
    "DatabaseService.upgrade": lambda a, who, tmp: a.database.upgrade(),
    "CompanyZoneService.set": lambda a, who, tmp: a.company_zone.set("Asia/Shanghai"),
    "RetentionService.set_months": lambda a, who, tmp: a.retention.set_months(0),
    "RetentionService.purge": lambda a, who, tmp: a.retention.purge(0, dry_run=True),
}

#: Public methods that check nothing, and why: the test below fails for any other public
#: method of these services that is neither here nor in ``SERVICE_OPERATIONS``.
UNCHECKED: dict[str, str] = {
    "ImportService.kinds": "the list of importable kinds (static, no data)",
    "PolicyService.ensure_default": "writes the default policy v1 once; no user's data",
    "EvaluationService.default_day": "the company's yesterday (a date, no data)",
    "CompanyZoneService.stored": "the company's time zone (how every time is shown)",
    "CompanyZoneService.running": "the zone the running workstation counts days in",
    "IndicatorService.sales_employees": "internal to the evaluation, which checked already",
    "RetentionService.months": "the retention setting (shown in Settings to everyone)",
    "DatabaseService.describe": "the database URL with the password hidden",
    "DatabaseService.table_counts": "row counts for the status bar and the demo summary",
    "DatabaseService.schema_status": "schema revisions, needed before anyone can sign in",
    "UserService.needs_first_admin": "asked before anyone can sign in",
    "UserService.create_first_admin": "refused once an administrator exists",
    "UserService.sign_in": "checks the password itself",
    "UserService.unlock_session": "checks the password itself",
    "UserService.change_own_password": "checks the old password itself",
    "UserService.unlock_at_machine": "the OS account that owns the SQLite data folder (it can "
    "edit the file anyway); refused on PostgreSQL and for any other account",
    "UserService.note_session_locked": "audits the signed-in user's own session",
    "UserService.note_signed_out": "audits the signed-in user's own session",
    "CaseService.identity_of": "who a user name is (no case data)",
    "CaseService.employee_id_of": "an employee number's id (no case data)",
    "AlertService.actions": "what the signed-in user may do with an alert they were given",
}

SERVICES: tuple[type, ...] = (
    ImportService,
    MappingProfileService,
    IndicatorService,
    EvaluationService,
    AlertService,
    PolicyService,
    AllowedPlaceService,
    EmployeeService,
    MapService,
    CaseService,
    UserService,
    DatabaseService,
    CompanyZoneService,
    RetentionService,
    AuditLogService,
    EvidenceCheckService,
    CommunicationService,
    CaseArchive,
    CaseDocuments,
)

ROLES = tuple(Role)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[App, dict[Role, Identity]]]:
    """One store with a real user of every role (user rows matter: the user service checks
    its administrator against the database)."""
    app = open_app(load_settings(tmp_path_factory.mktemp("perm") / "data"), clock=pinned())
    people = {role: identity_for(app, role) for role in ROLES}
    yield app, people
    app.close()


def _audit_count(app: App) -> int:
    with app.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


@pytest.mark.parametrize("role", ROLES, ids=[r.value for r in ROLES])
@pytest.mark.parametrize("operation", sorted(SERVICE_OPERATIONS))
def test_each_operation_checks_its_permission(
    world: tuple[App, dict[Role, Identity]], operation: str, role: Role, tmp_path: Path
) -> None:
    app, people = world
    who = people[role]
    app.session.sign_in(who)
    try:
        call = CALLS[operation]
    except KeyError:
        pytest.fail(f"{operation} is in SERVICE_OPERATIONS but this test does not call it")
    permission = SERVICE_OPERATIONS[operation]
    before = _audit_count(app)
    try:
        call(app, who, tmp_path)
    except PermissionDenied as exc:
        assert not allowed(who, permission), f"{role.value} may {permission}, got: {exc}"
        assert exc.permission == permission, f"{operation} checked {exc.permission}"
        assert _audit_count(app) == before, "a refused call wrote to the audit log"
        return
    except (TypeError, AttributeError, NameError):
        raise  # the call in CALLS is wrong, which proves nothing about the check
    except Exception:  # past the check, the dummy arguments may be refused
        pass
    assert allowed(who, permission), f"{role.value} did {operation} without {permission}"


def test_every_public_operation_is_checked_or_listed_as_unchecked() -> None:
    named = set(SERVICE_OPERATIONS) | set(UNCHECKED)
    missing = []
    for service in SERVICES:
        for name, member in inspect.getmembers(service):
            if name.startswith("_") or not callable(member) or isinstance(member, type):
                continue
            if f"{service.__name__}.{name}" not in named:
                missing.append(f"{service.__name__}.{name}")
    assert missing == [], f"add {missing} to SERVICE_OPERATIONS (and check) or to UNCHECKED"
    assert missing == [], "add these to SERVICE_OPERATIONS (and check) or to UNCHECKED"


def test_every_listed_operation_exists() -> None:
    classes = {service.__name__: service for service in SERVICES}
    for operation in [*SERVICE_OPERATIONS, *UNCHECKED]:
        owner, name = operation.split(".")
        if owner in classes:
            assert hasattr(classes[owner], name), f"{operation} does not exist"


def test_nobody_signed_in_may_do_nothing(world: tuple[App, dict[Role, Identity]]) -> None:
    app, _ = world
    app.session.sign_out()
    with pytest.raises(PermissionDenied, match="sign in first"):
        app.employees.list_employees()
    with pytest.raises(PermissionDenied, match="sign in first"):
        app.alerts.list_alerts()
