"""Unit of work: one use case, one transaction. Rollback unless ``commit()`` was called."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.orm import Session, sessionmaker

from workstation.store.write_lock import WAITS_KEY, WriteLockWaits


class UnitOfWork:
    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("UnitOfWork used outside its 'with' block")
        return self._session

    def __enter__(self) -> UnitOfWork:
        self._session = self._session_factory()
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

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self.session_factory = session_factory
        info = session_factory.kw.setdefault("info", {})
        #: Listen here to hear that a writer waits for another process's write lock.
        self.waits: WriteLockWaits = info.setdefault(WAITS_KEY, WriteLockWaits())

    def __call__(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory)
