"""Composition root: read the settings, open the store, build every service once.

Nothing else in the program constructs services; the GUI and the CLI receive an ``App``. The
app's one ``Clock`` is made here (the wall clock unless a test pins it, counting days in the
installation's company time zone) and handed to every service that needs the time or a day.
"""

from __future__ import annotations

import getpass
import logging
from dataclasses import dataclass

from sqlalchemy import Engine

from workstation.cases.archive import CaseArchive
from workstation.cases.documents import CaseDocuments
from workstation.cases.retention import RetentionService
from workstation.cases.service import CaseService
from workstation.communications.service import CommunicationService
from workstation.config import Settings
from workstation.demo.service import DemoService
from workstation.domain.clock import Clock, company_zone
from workstation.employees.service import EmployeeService
from workstation.ingest.mapping_profiles import MappingProfileService
from workstation.ingest.service import ImportService
from workstation.maps.service import MapService
from workstation.preferences_service import PreferencesService
from workstation.reports.company_file import COMPANY_FILE, CompanyFile
from workstation.risk.alert_service import AlertService
from workstation.risk.allowed_places import AllowedPlaceService
from workstation.risk.evaluation import EvaluationService
from workstation.risk.indicator_service import IndicatorService
from workstation.risk.policy_service import PolicyService
from workstation.security.ca import ensure_installation_id
from workstation.security.permissions import PermissionAuthorizer
from workstation.security.secrets import SecretStore
from workstation.security.session import Session
from workstation.security.signing import SigningService
from workstation.security.users import UserService
from workstation.store.audit_log_service import AuditLogService
from workstation.store.company_zone import CompanyZoneService, read_company_zone
from workstation.store.database_service import DatabaseService
from workstation.store.engine import make_engine, make_session_factory
from workstation.store.evidence import EvidenceStore
from workstation.store.migrate import UpgradeResult, upgrade
from workstation.store.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)


def local_actor() -> str:
    """Who is acting, until sign-in exists: the operating-system account."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "local"


@dataclass
class App:
    settings: Settings
    engine: Engine
    uow: UnitOfWorkFactory
    database: DatabaseService
    audit: AuditLogService
    employees: EmployeeService
    maps: MapService
    demo: DemoService
    evidence: EvidenceStore
    preferences: PreferencesService
    imports: ImportService
    indicators: IndicatorService
    policies: PolicyService
    alerts: AlertService
    evaluation: EvaluationService
    retention: RetentionService
    allowed_places: AllowedPlaceService
    users: UserService
    session: Session
    secrets: SecretStore
    signing: SigningService
    cases: CaseService
    documents: CaseDocuments
    archive: CaseArchive
    communications: CommunicationService
    #: The one clock: UTC now and the company's day (everything shown is in its zone).
    clock: Clock
    company_zone: CompanyZoneService
    upgrade_result: UpgradeResult | None = None

    @property
    def import_mappings(self) -> MappingProfileService:
        return self.imports.mappings

    def close(self) -> None:
        self.engine.dispose()


def open_app(settings: Settings, *, migrate: bool = True, clock: Clock | None = None) -> App:
    """Open the store for ``settings`` (upgrading its schema first) and wire the services.

    ``clock`` is where the time comes from: the wall clock unless given (tests pin it). The
    days it counts are always those of the installation's company time zone.
    """
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    timer = clock or Clock()
    engine = make_engine(settings.db_url)
    result = upgrade(engine, sqlite_file=settings.sqlite_path, clock=timer) if migrate else None
    if result and result.changed:
        log.info("database schema %s -> %s", result.from_revision, result.to_revision)
    session_factory = make_session_factory(engine)
    clock = timer.in_zone(company_zone(read_company_zone(session_factory)))
    uow = UnitOfWorkFactory(session_factory, clock)
    users = UserService(uow, clock=clock)
    #: Who is signed in; audit entries name them (else the OS account, before sign-in).
    session = Session(users, clock=clock, fallback_actor=local_actor)
    secrets = SecretStore(ensure_installation_id(uow))
    signing = SigningService(uow, secrets, session.actor, clock)
    database = DatabaseService(settings, engine, uow, session)
    evidence = EvidenceStore(settings.evidence_dir)
    evidence.recover(uow)  # what a killed import left in evidence/.incoming
    cases = CaseService(uow, evidence, PermissionAuthorizer(), signing, clock)
    indicators = IndicatorService(uow, session, clock)
    policies = PolicyService(uow, session, clock)
    return App(
        settings=settings,
        engine=engine,
        uow=uow,
        database=database,
        audit=AuditLogService(uow, session),
        employees=EmployeeService(uow, session),
        maps=MapService(uow, session, settings, clock),
        demo=DemoService(settings, engine, uow, clock),
        evidence=evidence,
        imports=ImportService(uow, evidence, session, clock),
        indicators=indicators,
        policies=policies,
        alerts=AlertService(uow, session, clock),
        evaluation=EvaluationService(uow, session, policies, indicators, clock=clock),
        retention=RetentionService(uow, session, clock),
        allowed_places=AllowedPlaceService(uow, session, clock),
        users=users,
        session=session,
        secrets=secrets,
        signing=signing,
        cases=cases,
        documents=CaseDocuments(
            cases, uow, evidence, signing, CompanyFile(settings.data_dir / COMPANY_FILE), clock
        ),
        archive=CaseArchive(
            uow, session, evidence, settings.data_dir / "cache" / "documents", clock
        ),
        communications=CommunicationService(uow, session, clock),
        clock=clock,
        company_zone=CompanyZoneService(uow, session, clock),
        preferences=PreferencesService(settings, database.describe()),
        upgrade_result=result,
    )
