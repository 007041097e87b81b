"""Unit of work: one use case, one transaction. Rollback unless ``commit()`` was called.

Each unit's session carries the app's ``Clock`` (``clock_of(session)``), so what is stamped
inside a transaction without a service at hand (audit entries, stored evidence files) reads
the same clock as the services.
"""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.orm import Session, sessionmaker

from workstation.domain.clock import Clock
from workstation.store.write_lock import WAITS_KEY, WriteLockWaits

_CLOCK_KEY = "workstation.clock"


def clock_of(session: Session) -> Clock:
    """The clock of the unit of work that opened ``session``."""
    clock = session.info.get(_CLOCK_KEY)
    if not isinstance(clock, Clock):
        raise RuntimeError("this session was not opened by a UnitOfWork (it has no clock)")
    return clock


class UnitOfWork:
    def __init__(self, session_factory: sessionmaker[Session], clock: Clock) -> None:
        self._session_factory = session_factory
        self.clock = clock
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("UnitOfWork used outside its 'with' block")
        return self._session

    def __enter__(self) -> UnitOfWork:
        self._session = self._session_factory(info={_CLOCK_KEY: self.clock})
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self.session
        try:
            session.rollback()
        finally:
            session.close()
            self._session = None

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()


class UnitOfWorkFactory:
    """Hands out fresh units of work; services hold one of these, never a Session."""

    def __init__(self, session_factory: sessionmaker[Session], clock: Clock) -> None:
        self.session_factory = session_factory
        info = session_factory.kw.setdefault("info", {})
        #: Listen here to hear that a writer waits for another process's write lock.
        self.waits: WriteLockWaits = info.setdefault(WAITS_KEY, WriteLockWaits())
        self.clock = clock

    def __call__(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory, self.clock)
