"""The company's time zone: the installation setting that decides which day every instant is on.

It is kept in the database (``app_meta['company.time_zone']``), like the retention period, so
every workstation of a team counts days alike; unset, it is Asia/Shanghai. ``app.open_app``
reads it into the app's one ``Clock``; a change applies from the next start of the workstation
(each command-line run is one start).
"""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from workstation.domain.clock import DEFAULT_COMPANY_ZONE, Clock, company_zone, zone_name
from workstation.security.access import Acting
from workstation.security.permissions import Permission
from workstation.store.audit import append_audit
from workstation.store.models import AppMeta
from workstation.store.uow import UnitOfWorkFactory

META_TIME_ZONE = "company.time_zone"


def stored_zone_name(session: Session) -> str:
    """The zone the installation names (the default when it names none)."""
    row = session.get(AppMeta, META_TIME_ZONE)
    return row.value if row is not None and row.value else DEFAULT_COMPANY_ZONE


def read_company_zone(session_factory: sessionmaker[Session]) -> str:
    """The installation's zone, read before the app's clock (and its units of work) exist."""
    with session_factory() as session:
        return stored_zone_name(session)


class CompanyZoneService:
    def __init__(self, uow: UnitOfWorkFactory, acting: Acting, clock: Clock) -> None:
        self._uow = uow
        self._acting = acting
        self._clock = clock

    def stored(self) -> str:
        """The zone the installation names now (the default when it names none)."""
        with self._uow() as uow:
            return stored_zone_name(uow.session)

    def running(self) -> str:
        """The zone this running workstation counts days in (read when it started)."""
        return self._clock.zone_name

    def set(self, name: str) -> str:
        """Make ``name`` (an IANA zone such as ``Asia/Shanghai``) the company's zone from the
        next start on; its canonical name. Raises ``UnknownTimeZone`` for a name the zone
        database does not know. Audited."""
        identity = self._acting.require(Permission.DATABASE_MAINTAIN)
        wanted = zone_name(company_zone(name.strip()))
        with self._uow() as uow:
            session = uow.session
            before = stored_zone_name(session)
            row = session.get(AppMeta, META_TIME_ZONE)
            if row is None:
                session.add(AppMeta(key=META_TIME_ZONE, value=wanted))
            else:
                row.value = wanted
            append_audit(
                session,
                identity.actor,
                "company.time_zone_set",
                "app_meta",
                META_TIME_ZONE,
                {"from": before, "to": wanted},
            )
            uow.commit()
        return wanted
