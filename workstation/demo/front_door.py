"""The demo company enters the store through the front door: its users through
``UserService``, its files through ``ImportService``, as the GUI and the command line do.

The services run unchanged; only their units of work join one outer transaction on one
connection (each unit's commit becomes a savepoint's release), so the whole build stays all
or nothing: a cancelled or failed build leaves the database as it was.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, select
from sqlalchemy.orm import sessionmaker

from workstation.demo.people import DEMO_PASSWORD
from workstation.demo.source_files import SourceFile
from workstation.demo.world import World
from workstation.domain.clock import Clock
from workstation.domain.enums import Role
from workstation.domain.identity import Identity
from workstation.domain.progress import CancelToken
from workstation.employees.service import EmployeeService
from workstation.ingest.model import ImportReport
from workstation.ingest.service import ImportService
from workstation.security.users import UserService
from workstation.store.evidence import EvidenceStore
from workstation.store.models import EvidenceFile
from workstation.store.uow import UnitOfWorkFactory
from workstation.store.write_lock import WAITS_KEY, WriteLockWaits

ADMIN = "admin"
HR = "hr.zhou"


@contextmanager
def one_transaction(engine: Engine, clock: Clock) -> Iterator[tuple[Connection, UnitOfWorkFactory]]:
    """A connection in a transaction, and units of work (on ``clock``) that join it: committed
    when the block ends normally, rolled back when it raises."""
    with engine.connect() as conn:
        transaction = conn.begin()
        try:
            sessions = sessionmaker(
                bind=conn,
                join_transaction_mode="create_savepoint",
                expire_on_commit=False,
                info={WAITS_KEY: WriteLockWaits()},
            )
            yield conn, UnitOfWorkFactory(sessions, clock)
        except BaseException:
            transaction.rollback()
            raise
        transaction.commit()


def create_users(users: UserService, world: World) -> tuple[Identity, Identity]:
    """The administrator (as at the first start, signed in), then the users who are nobody's
    employee record; returns (administrator, HR officer signed in with the demo password)."""
    plan = {u.username: u for u in world.users}
    admin = users.create_first_admin(ADMIN, plan[ADMIN].display_name, DEMO_PASSWORD)
    for rec in world.users:
        if rec.username != ADMIN and rec.employee is None:
            users.create_user(admin, rec.username, rec.display_name, Role(rec.role), DEMO_PASSWORD)
    return admin, users.sign_in(HR, DEMO_PASSWORD)


def create_employee_users(
    users: UserService, employees: EmployeeService, admin: Identity, world: World
) -> None:
    """The users who are also an employee (the sales manager), once the roster is imported."""
    for rec in world.users:
        if rec.employee is None:
            continue
        number = rec.employee.employee_no
        found = [row.id for row in employees.list_employees(number) if row.employee_no == number]
        if len(found) != 1:
            raise RuntimeError(f"the roster import did not give employee {number}")
        users.create_user(
            admin, rec.username, rec.display_name, Role(rec.role), DEMO_PASSWORD, found[0]
        )


def import_file(
    imports: ImportService, folder: Path, source: SourceFile, cancel: CancelToken | None
) -> ImportReport:
    report = imports.run(folder / source.name, source.kind, source.options(), cancel=cancel)
    if report.already_imported or report.needs_confirmation:
        why = "it was imported before" if report.already_imported else "it asks to confirm"
        raise RuntimeError(f"the demo file {source.name} was not imported: {why}")
    return report


def forget_unrecorded(engine: Engine, evidence: EvidenceStore, sha256s: list[str]) -> int:
    """After a rolled-back build: delete the stored copies of files whose records went with it
    (a later import of the same file stores it again). Returns how many were deleted."""
    if not sha256s:
        return 0
    with engine.connect() as conn:
        query = select(EvidenceFile.sha256).where(EvidenceFile.sha256.in_(sha256s))
        kept = set(conn.scalars(query))
    removed = 0
    for sha in sorted(set(sha256s) - kept):
        path = evidence.path_for(sha)
        if path.is_file():
            path.unlink()
            removed += 1
    return removed
