"""Who may lift a lock-out without signing in: the operating-system account that owns the data.

A lock-out must not keep the administrators out for ever (anyone can fail their sign-in on
purpose). Another administrator can unlock them; when there is none, the recovery is at the
machine: the OS account that owns the SQLite database file and its data folder can already
change that file with any SQLite tool, so letting it lift a lock-out
(``workstation user unlock NAME --machine-owner``) gives it nothing it does not have; it is
audited with that account and machine as the actor.

On PostgreSQL the data is not a file this account owns: the recovery there is another
administrator (keep two), or the database's owner clearing ``users.locked_until`` with SQL,
which Casework does not see.
"""

from __future__ import annotations

import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine

from workstation.security.model import UserError
from workstation.security.session import os_account


class NotMachineOwner(UserError):
    """This process may not lift a lock-out without signing in: the database is not a
    SQLite file here (``path`` None), or ``path`` does not belong to ``account``."""

    def __init__(self, message: str, path: Path | None = None, account: str = "") -> None:
        super().__init__(message, "not_machine_owner")
        self.path, self.account = path, account


@dataclass(frozen=True)
class MachineOwner:
    """Proof (made by ``check_machine_owner``) that this process runs as the account owning
    the SQLite data."""

    account: str
    host: str
    database: str

    @property
    def actor(self) -> str:
        """How the audit log names it: ``os:alice@laptop-3``."""
        return f"os:{self.account}@{self.host}"[:64]


def check_machine_owner(engine: Engine, data_dir: Path) -> MachineOwner:
    """The proof that this process's OS account owns the SQLite database file and the data
    folder; ``NotMachineOwner`` says why not."""
    if engine.dialect.name != "sqlite":
        raise NotMachineOwner(
            "the database is not a SQLite file on this machine; on PostgreSQL another "
            "administrator unlocks the account"
        )
    database = engine.url.database
    if not database or database == ":memory:":
        raise NotMachineOwner("the database is not a SQLite file on this machine")
    path = Path(database)
    for owned in (path, data_dir):
        if not _owned_by_me(owned):
            raise NotMachineOwner(
                f"{owned} does not belong to the operating-system account {os_account()}; "
                "run this as the account that owns the data folder",
                owned,
                os_account(),
            )
    return MachineOwner(os_account(), socket.gethostname(), str(path))


def _owned_by_me(path: Path) -> bool:
    """POSIX: the file's owner is this process's user. Windows (no owner ids here): this
    account can write it, which is what editing the database needs."""
    try:
        found = path.stat()
    except OSError:
        return False
    if sys.platform == "win32" or not hasattr(os, "geteuid"):
        return os.access(path, os.W_OK)
    return found.st_uid == os.geteuid()
