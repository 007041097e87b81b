"""Engine and session factory. SQLite gets WAL, foreign keys and a busy timeout."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from workstation.store.write_lock import DEFAULT_BUSY_MS, WAITS_KEY, WriteLockWaits

SQLITE_BUSY_TIMEOUT_MS = DEFAULT_BUSY_MS


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA cache_size=-131072")
    cursor.close()


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create the engine for ``url``; for SQLite files, switch on the pragmas we rely on."""
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions of ``engine``; they share one ``WriteLockWaits`` (who hears that a writer
    waits for another process: ``UnitOfWorkFactory.waits``)."""
    return sessionmaker(bind=engine, expire_on_commit=False, info={WAITS_KEY: WriteLockWaits()})
