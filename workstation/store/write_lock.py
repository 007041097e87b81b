"""The database's write lock: taken at the start of a writing transaction, waited for politely.

Writers serialise on purpose (the audit chain, case numbers, the users table). On SQLite a
no-op write takes the database's single write lock; on PostgreSQL a transaction-scoped
advisory lock. When another process holds it (an import of a million rows holds it for a
while), the writer does not fail with "database is locked": it tells whoever listens
(``WriteLockWaits``: the command line prints "waiting for another import…" on stderr, the GUI
can show it) and waits until the lock is free, for ``MAX_WAIT_S`` at most.

Readers never take it: SQLite in WAL mode and PostgreSQL let them read while a writer writes.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

#: Key of the ``WriteLockWaits`` in a session's ``info`` (see ``engine.make_session_factory``).
WAITS_KEY = "workstation.write_lock_waits"
#: Set in a session's ``info`` once it took the write lock (its later takes wait for nothing).
HELD_KEY = "workstation.write_lock_held"
#: How long the first try waits silently before the wait is announced...
FIRST_TRY_MS = 300
#: ...how long each later try waits...
RETRY_MS = 2_000
#: ...and how long a writer waits in all before giving up (a stuck process, not an import).
MAX_WAIT_S = 30 * 60
#: The busy timeout a SQLite connection keeps otherwise (``engine.SQLITE_BUSY_TIMEOUT_MS``).
DEFAULT_BUSY_MS = 10_000
#: PostgreSQL's SQLSTATE for a lock wait ended by ``lock_timeout``.
PG_LOCK_NOT_AVAILABLE = "55P03"

#: What a listener is told: True when a wait starts, False when it ends.
WaitListener = Callable[[bool], None]


class DatabaseBusy(RuntimeError):
    """The write lock stayed with another process for longer than a writer waits."""

    def __init__(self, seconds: float) -> None:
        self.minutes = max(1, round(seconds / 60))
        super().__init__(
            f"the database stayed busy with another import or change for {self.minutes} "
            "minutes; nothing was changed, try again later"
        )


class WriteLockWaits:
    """Who hears that a writer waits for another process's write lock (and when it got it),
    and the writes put off until the lock is free (``run_deferred``)."""

    def __init__(self) -> None:
        self._listeners: list[WaitListener] = []
        self._deferred: list[threading.Thread] = []
        self._guard = threading.Lock()

    def run_deferred(self, name: str, write: Callable[[], None]) -> None:
        """Run ``write`` (a whole unit of work that waits for the write lock) on its own
        thread, so the caller goes on reading and answering. Every later writer of this
        program waits for it first (``settle``): the audit log keeps the order things happened
        in. The thread is not a daemon: the program ends only once it has written."""

        def run() -> None:
            try:
                write()
            except Exception:
                log.exception("deferred write %r failed", name)

        thread = threading.Thread(target=run, name=name, daemon=False)
        with self._guard:
            self._deferred.append(thread)
        thread.start()

    def settle(self) -> None:
        """Wait for the deferred writes (every writer does, before it writes)."""
        me = threading.current_thread()
        with self._guard:
            pending = [t for t in self._deferred if t is not me]
        for thread in pending:
            thread.join()
        with self._guard:
            self._deferred = [t for t in self._deferred if t.is_alive()]

    def is_deferred_thread(self) -> bool:
        with self._guard:
            return threading.current_thread() in self._deferred

    def listen(self, listener: WaitListener) -> None:
        self._listeners.append(listener)

    def notify(self, waiting: bool) -> None:
        for listener in list(self._listeners):
            try:
                listener(waiting)
            except Exception:  # a listener's failure must not break the writer
                log.exception("write-lock wait listener failed")


def waits_of(session: Session) -> WriteLockWaits:
    found = session.info.get(WAITS_KEY)
    return found if isinstance(found, WriteLockWaits) else WriteLockWaits()


def take_write_lock(
    session: Session, table: str, pg_key: int | None, *, max_wait_s: float = MAX_WAIT_S
) -> None:
    """Hold the write lock until the session's transaction ends (see the module's doc).

    ``table`` is any table (SQLite's no-op write names one); ``pg_key`` the advisory-lock key
    on PostgreSQL (None: PostgreSQL's row locks are enough there, take none).
    """
    waits = waits_of(session)
    if not session.info.get(HELD_KEY) and not waits.is_deferred_thread():
        waits.settle()
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        _sqlite(session, table, max_wait_s)
    elif dialect == "postgresql" and pg_key is not None:
        _postgresql(session, pg_key, max_wait_s)
    session.info[HELD_KEY] = True


def _sqlite(session: Session, table: str, max_wait_s: float) -> None:
    statement = text(f"UPDATE {table} SET id = id WHERE 0")
    raw: Any = session.connection().connection.dbapi_connection
    if raw is None or raw.in_transaction:
        # This transaction wrote already, so it holds the lock (pysqlite begins a transaction
        # at the first write only): nothing to wait for.
        session.execute(statement)
        return
    waits = waits_of(session)
    started = time.monotonic()
    waiting = False
    _busy_timeout(raw, FIRST_TRY_MS)
    try:
        while True:
            try:
                session.execute(statement)
                return
            except OperationalError as exc:
                if "database is locked" not in str(exc):
                    raise
            # Nothing was read or written in this transaction yet: end it, so the next try
            # starts from the latest commit (SQLite refuses a stale snapshot the write lock).
            raw.rollback()
            waited = time.monotonic() - started
            if waited >= max_wait_s:
                raise DatabaseBusy(waited)
            if not waiting:
                waiting = True
                log.info("waiting for the write lock (another process is writing)")
                waits.notify(True)
                _busy_timeout(raw, RETRY_MS)
    finally:
        _busy_timeout(raw, DEFAULT_BUSY_MS)
        if waiting:
            log.info("got the write lock after %.1f s", time.monotonic() - started)
            waits.notify(False)


def _busy_timeout(raw: Any, milliseconds: int) -> None:
    raw.execute(f"PRAGMA busy_timeout={int(milliseconds)}")


def _postgresql(session: Session, key: int, max_wait_s: float) -> None:
    got = session.execute(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": key}).scalar()
    if got:
        return
    if max_wait_s <= 0:
        raise DatabaseBusy(0)
    waits = waits_of(session)
    log.info("waiting for the advisory lock %s (another process is writing)", key)
    waits.notify(True)
    started = time.monotonic()
    try:
        # The server waits, for ``max_wait_s`` at most: a lock timeout for this wait only (set
        # for the transaction, and set back once the lock is held).
        before = session.execute(text("SELECT current_setting('lock_timeout')")).scalar_one()
        _lock_timeout(session, f"{max(1, round(max_wait_s * 1000))}ms")
        try:
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
        except OperationalError as exc:
            if getattr(exc.orig, "sqlstate", None) == PG_LOCK_NOT_AVAILABLE:
                raise DatabaseBusy(time.monotonic() - started) from exc
            raise
        _lock_timeout(session, before)
    finally:
        waits.notify(False)


def _lock_timeout(session: Session, value: str) -> None:
    session.execute(text("SELECT set_config('lock_timeout', :value, true)"), {"value": value})
