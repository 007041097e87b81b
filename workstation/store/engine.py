"""Engine and session factory. SQLite gets WAL, foreign keys and a busy timeout; an encrypted
SQLite file (``store.encryption``) is opened through ``sqlcipher3`` with its key."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine import make_url
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


def make_engine(url: str, *, key: str | None = None, **kwargs: Any) -> Engine:
    """Create the engine for ``url``; for SQLite files, switch on the pragmas we rely on.

    With ``key`` the SQLite file is an encrypted one: SQLAlchemy's ``pysqlcipher`` dialect
    (``sqlcipher3``) gives it the key first thing on every connection, and it is pooled as a
    plain file would be (that dialect would keep one connection per thread).
    """
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        target: Any = url
        if key is not None:
            from workstation.store.encryption import url_password

            plain = make_url(url)
            target = plain.set(drivername="sqlite+pysqlcipher", password=url_password(key))
            kwargs.setdefault("poolclass", SQLiteDialect_pysqlite.get_pool_class(plain))
        engine = create_engine(target, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions of ``engine``; they share one ``WriteLockWaits`` (who hears that a writer
    waits for another process: ``UnitOfWorkFactory.waits``)."""
    return sessionmaker(bind=engine, expire_on_commit=False, info={WAITS_KEY: WriteLockWaits()})
