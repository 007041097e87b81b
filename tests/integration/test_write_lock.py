"""The write lock's wait has the same limit on SQLite and PostgreSQL: a writer that cannot get
it in time gives up with ``DatabaseBusy`` (nothing written), one that gets it writes as usual,
and on PostgreSQL the limit covers only that wait (the transaction's lock timeout is set back).
"""

from __future__ import annotations

import threading

from sqlalchemy import func, select, text
from stores import store_at

from workstation.store.audit import AUDIT_LOCK_KEY, append_audit
from workstation.store.models import AuditEntry
from workstation.store.uow import UnitOfWorkFactory
from workstation.store.write_lock import DatabaseBusy, take_write_lock


def _take(uow: UnitOfWorkFactory, max_wait_s: float) -> None:
    """A writer: the lock, then an audit entry, committed."""
    with uow() as work:
        take_write_lock(work.session, "audit_log", AUDIT_LOCK_KEY, max_wait_s=max_wait_s)
        append_audit(work.session, "tester", "test.write", "test", None, {})
        work.commit()


def _attempt(uow: UnitOfWorkFactory, max_wait_s: float) -> BaseException | None:
    """``_take`` on a thread of its own, so that a wait without a limit fails the test rather
    than hanging it; what it raised (None: it wrote)."""
    raised: list[BaseException] = []

    def run() -> None:
        try:
            _take(uow, max_wait_s)
        except BaseException as exc:
            raised.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(60)
    assert not thread.is_alive(), f"the writer still waits, long past its {max_wait_s} s"
    return raised[0] if raised else None


def _entries(uow: UnitOfWorkFactory) -> int:
    with uow() as work:
        return int(work.session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def test_a_writer_gives_up_after_the_limit_and_writes_nothing(db_url: str) -> None:
    uow = store_at(db_url)
    heard: list[bool] = []
    uow.waits.listen(heard.append)
    with uow() as holder:
        take_write_lock(holder.session, "audit_log", AUDIT_LOCK_KEY)
        refused = _attempt(uow, max_wait_s=0.5)
        assert isinstance(refused, DatabaseBusy), refused
        assert heard == [True, False], "the wait was announced, and its end"
        holder.commit()
    assert _entries(uow) == 0
    assert _attempt(uow, max_wait_s=0.5) is None  # the lock is free: the same writer writes
    assert _entries(uow) == 1


def test_a_writer_that_waited_gets_the_lock_and_keeps_no_lock_timeout(
    postgres_url: str,
) -> None:
    uow = store_at(postgres_url)
    waiting = threading.Event()
    uow.waits.listen(lambda started: started and waiting.set())
    seen: list[str] = []

    def writer() -> None:
        with uow() as work:
            take_write_lock(work.session, "audit_log", AUDIT_LOCK_KEY, max_wait_s=600)
            seen.append(work.session.execute(text("SHOW lock_timeout")).scalar_one())
            work.commit()

    with uow() as holder:
        take_write_lock(holder.session, "audit_log", AUDIT_LOCK_KEY)
        thread = threading.Thread(target=writer)
        thread.start()
        assert waiting.wait(60), "the writer waits for the lock"
        holder.commit()
    thread.join(60)
    assert not thread.is_alive()
    assert seen == ["0"], "the lock timeout of the wait does not outlive it"
