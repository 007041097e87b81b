"""Composition root: read the settings, open the store, wire every service once.

Nothing else in the program constructs services; the GUI and the CLI receive an ``App``. The
app's one ``Clock`` is made here (the wall clock unless a test pins it, counting days in the
installation's company time zone) and handed to every service that needs the time or a day.

``open_app`` opens the store and sets up who is signed in; each service is built the first
time it is used (a cached property below, so still once per App), and its module is imported
then. A command pays only for what it uses: a signed-in read of the alerts builds the alert
service and loads neither the documents' PDF and signature libraries nor the demo's numpy.
"""

from __future__ import annotations

import getpass
import logging
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine

from workstation.config import Settings
from workstation.domain.clock import Clock, company_zone
from workstation.private_files import PRIVATE_DIR_MODE, private_umask, tighten
from workstation.security.seal import KEYS_FOLDER, InstallationSeal
from workstation.security.session import Session
from workstation.security.users import UserService
from workstation.store.audit_checkpoints import Sealing, install_sealing
from workstation.store.company_zone import read_company_zone
from workstation.store.engine import make_engine, make_session_factory
from workstation.store.migrate import UpgradeResult, upgrade
from workstation.store.uow import UnitOfWorkFactory

if TYPE_CHECKING:
    from workstation.cases.archive import CaseArchive
    from workstation.cases.documents import CaseDocuments
    from workstation.cases.ports import SignatureCheckLike, SignedPayloadLike
    from workstation.cases.retention import RetentionService
    from workstation.cases.service import CaseService
    from workstation.communications.service import CommunicationService
    from workstation.demo.service import DemoService
    from workstation.employees.service import EmployeeService
    from workstation.ingest.mapping_profiles import MappingProfileService
    from workstation.ingest.service import ImportService
    from workstation.maps.service import MapService
    from workstation.preferences_service import PreferencesService
    from workstation.risk.alert_service import AlertService
    from workstation.risk.allowed_places import AllowedPlaceService
    from workstation.risk.evaluation import EvaluationService
    from workstation.risk.indicator_service import IndicatorService
    from workstation.risk.policy_service import PolicyService
    from workstation.risk.readiness import ReadinessService
    from workstation.security.secrets import SecretStore
    from workstation.security.signing import SigningService
    from workstation.security.store_key import AskStoreKey
    from workstation.store.audit_log_service import AuditLogService
    from workstation.store.company_zone import CompanyZoneService
    from workstation.store.database_service import DatabaseService
    from workstation.store.evidence import EvidenceStore
    from workstation.store.evidence_check import EvidenceCheckService

log = logging.getLogger(__name__)


def local_actor() -> str:
    """Who is acting, until sign-in exists: the operating-system account."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "local"


@dataclass
class App:
    """The open store, the one clock, who is signed in, and the services (built on first use).

    The fields are the app's state, made by ``open_app``; a copy made with
    ``dataclasses.replace`` shares them (the same store and the same signed-in user) and builds
    its own services.
    """

    settings: Settings
    engine: Engine
    uow: UnitOfWorkFactory
    #: The one clock: UTC now and the company's day (everything shown is in its zone).
    clock: Clock
    users: UserService
    #: Who is signed in; audit entries name them (else the OS account, before sign-in).
    session: Session
    upgrade_result: UpgradeResult | None = None

    def close(self) -> None:
        self.engine.dispose()

    # -- the store and security ------------------------------------------------------------

    @cached_property
    def database(self) -> DatabaseService:
        from workstation.store.database_service import DatabaseService

        return DatabaseService(self.settings, self.engine, self.uow, self.session)

    @cached_property
    def audit(self) -> AuditLogService:
        from workstation.store.audit_log_service import AuditLogService

        return AuditLogService(self.uow, self.session)

    @cached_property
    def evidence(self) -> EvidenceStore:
        from workstation.store.evidence import EvidenceStore

        return EvidenceStore(self.settings.evidence_dir)

    @cached_property
    def evidence_check(self) -> EvidenceCheckService:
        from workstation.store.evidence_check import EvidenceCheckService

        return EvidenceCheckService(self.uow, self.evidence, self.session)

    @cached_property
    def company_zone(self) -> CompanyZoneService:
        from workstation.store.company_zone import CompanyZoneService

        return CompanyZoneService(self.uow, self.session, self.clock)

    @cached_property
    def preferences(self) -> PreferencesService:
        from workstation.preferences_service import PreferencesService

        return PreferencesService(self.settings, self.database.describe())

    @cached_property
    def secrets(self) -> SecretStore:
        from workstation.security.ca import ensure_installation_id
        from workstation.security.secrets import SecretStore

        return SecretStore(ensure_installation_id(self.uow))

    @cached_property
    def signing(self) -> SigningService:
        from workstation.security.signing import SigningService

        return SigningService(self.uow, self.secrets, self.session, self.clock)

    # -- people, places, imports -----------------------------------------------------------

    @cached_property
    def employees(self) -> EmployeeService:
        from workstation.employees.service import EmployeeService

        return EmployeeService(self.uow, self.session)

    @cached_property
    def maps(self) -> MapService:
        from workstation.maps.service import MapService

        return MapService(self.uow, self.session, self.settings, self.clock)

    @cached_property
    def demo(self) -> DemoService:
        from workstation.demo.service import DemoService

        return DemoService(self.settings, self.engine, self.uow, self.clock)

    @cached_property
    def imports(self) -> ImportService:
        from workstation.ingest.service import ImportService

        return ImportService(self.uow, self.evidence, self.session, self.clock)

    @property
    def import_mappings(self) -> MappingProfileService:
        return self.imports.mappings

    @cached_property
    def allowed_places(self) -> AllowedPlaceService:
        from workstation.risk.allowed_places import AllowedPlaceService

        return AllowedPlaceService(self.uow, self.session, self.clock)

    @cached_property
    def communications(self) -> CommunicationService:
        from workstation.communications.service import CommunicationService

        return CommunicationService(self.uow, self.session, self.clock)

    # -- the early warning -----------------------------------------------------------------

    @cached_property
    def indicators(self) -> IndicatorService:
        from workstation.risk.indicator_service import IndicatorService

        return IndicatorService(self.uow, self.session, self.clock)

    @cached_property
    def policies(self) -> PolicyService:
        from workstation.risk.policy_service import PolicyService

        return PolicyService(self.uow, self.session, self.clock)

    @cached_property
    def alerts(self) -> AlertService:
        from workstation.risk.alert_service import AlertService

        return AlertService(self.uow, self.session, self.clock)

    @cached_property
    def evaluation(self) -> EvaluationService:
        from workstation.risk.evaluation import EvaluationService

        return EvaluationService(
            self.uow, self.session, self.policies, self.indicators, clock=self.clock
        )

    @cached_property
    def readiness(self) -> ReadinessService:
        from workstation.risk.readiness import ReadinessService

        return ReadinessService(self.uow, self.session, self.clock)

    # -- cases -----------------------------------------------------------------------------

    @cached_property
    def cases(self) -> CaseService:
        from workstation.cases.service import CaseService
        from workstation.security.permissions import PermissionAuthorizer

        signer = SignerOnFirstUse(self)
        return CaseService(self.uow, self.evidence, PermissionAuthorizer(), signer, self.clock)

    @cached_property
    def documents(self) -> CaseDocuments:
        from workstation.cases.documents import CaseDocuments
        from workstation.reports.company_file import COMPANY_FILE, CompanyFile

        company = CompanyFile(self.settings.data_dir / COMPANY_FILE)
        return CaseDocuments(self.cases, self.uow, self.evidence, self.signing, company, self.clock)

    @cached_property
    def archive(self) -> CaseArchive:
        from workstation.cases.archive import CaseArchive

        cache = self.settings.data_dir / "cache" / "documents"
        return CaseArchive(self.uow, self.session, self.evidence, cache, self.clock)

    @cached_property
    def retention(self) -> RetentionService:
        from workstation.cases.retention import RetentionService

        return RetentionService(self.uow, self.session, self.clock)


def keep_private(settings: Settings) -> None:
    """Tighten what an older version or a copy by hand left readable to others: the data
    folder and everything in it, and a SQLite file kept elsewhere (POSIX)."""
    extra = []
    database = settings.sqlite_path
    if database is not None and settings.data_dir not in database.parents:
        extra = [database.with_name(database.name + s) for s in ("", "-wal", "-shm", "-journal")]
    done = tighten(settings.data_dir, *extra)
    if done.tightened:
        log.info(
            "data folder %s: %d of %d paths were readable by others, now owner-only",
            done.folder,
            done.tightened,
            done.checked,
        )
    if done.failed:
        log.warning(
            "data folder %s: %d paths could not be made owner-only, e.g. %s",
            done.folder,
            len(done.failed),
            done.failed[0],
        )


def with_store_key(settings: Settings, ask_key: AskStoreKey | None = None) -> Settings:
    """``settings`` with the key of its encrypted SQLite store (checked), or as they are for a
    plain store."""
    from workstation.store.encryption import check_key, is_encrypted

    database = settings.sqlite_path
    if database is None or not is_encrypted(settings.data_dir, database):
        return settings
    key = settings.db_key
    if key is None:
        from workstation.security.store_key import find_key

        key = find_key(settings.data_dir, database, ask_key)
    if database.exists():
        check_key(database, key)
    return settings.with_key(key)


class SignerOnFirstUse:
    """The cases' ``Signer``: ``app.signing``, built at the first signature or check of one.

    Listing cases needs neither, and the signing service loads cryptography and the keyring
    and reads the installation id.
    """

    def __init__(self, app: App) -> None:
        self._app = app

    def sign(self, user_id: int, payload: dict[str, Any]) -> SignedPayloadLike:
        return self._app.signing.sign(user_id, payload)

    def verify(
        self, payload_json: str, signature_b64: str, certificate_id: int
    ) -> SignatureCheckLike:
        return self._app.signing.verify(payload_json, signature_b64, certificate_id)


def installation_sealing(settings: Settings) -> Sealing:
    """This workstation's installation seal (its key in ``<data dir>/keys``) at work on the
    database of ``settings``: audit checkpoints are signed with it (``store.audit_checkpoints``)."""
    from sqlalchemy.engine import make_url

    path = settings.sqlite_path
    database = (
        f"sqlite:///{path.resolve()}"
        if path is not None
        else make_url(settings.db_url).render_as_string(hide_password=True)
    )
    return Sealing(InstallationSeal(settings.data_dir / KEYS_FOLDER), database)


def _new_database(sealing: Sealing, clock: Clock) -> None:
    """The app made this database (its schema from nothing): a high-water mark the seal kept
    for an earlier database at the same place is set aside, else the new one would look wiped."""
    seal = sealing.seal
    if isinstance(seal, InstallationSeal) and seal.retire_high_water(
        sealing.database, clock.now().isoformat()
    ):
        log.warning(
            "a new database at %s: the audit high-water mark of the earlier one is kept aside",
            sealing.database,
        )


def open_app(
    settings: Settings,
    *,
    migrate: bool = True,
    clock: Clock | None = None,
    ask_key: AskStoreKey | None = None,
) -> App:
    """Open the store for ``settings`` (upgrading its schema first) and set up the app; its
    services are built when first used.

    ``clock`` is where the time comes from: the wall clock unless given (tests pin it). The
    days it counts are always those of the installation's company time zone. The data folder
    is the user's alone (``private_files``); an encrypted store's key is found in the
    environment or the keyring, else asked with ``ask_key`` (``security.store_key``).
    """
    private_umask()
    settings.data_dir.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    keep_private(settings)
    settings = with_store_key(settings, ask_key)
    timer = clock or Clock()
    key = settings.db_key
    engine = make_engine(settings.db_url, key=key)
    result = (
        upgrade(engine, sqlite_file=settings.sqlite_path, clock=timer, key=key) if migrate else None
    )
    if result and result.changed:
        log.info("database schema %s -> %s", result.from_revision, result.to_revision)
    session_factory = make_session_factory(engine)
    clock = timer.in_zone(company_zone(read_company_zone(session_factory)))
    uow = UnitOfWorkFactory(session_factory, clock)
    sealing = installation_sealing(settings)
    if result is not None and result.from_revision is None:
        _new_database(sealing, clock)
    install_sealing(uow, sealing)
    users = UserService(uow, clock=clock)
    session = Session(users, clock=clock, fallback_actor=local_actor)
    app = App(
        settings=settings,
        engine=engine,
        uow=uow,
        clock=clock,
        users=users,
        session=session,
        upgrade_result=result,
    )
    app.evidence.recover(uow)  # what a killed import left in evidence/.incoming
    return app
