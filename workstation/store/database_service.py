"""Database housekeeping use cases: counts per table, backup, schema upgrade, description."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.engine import make_url

from workstation.config import Settings
from workstation.security.access import Acting
from workstation.security.permissions import Permission
from workstation.store.audit import append_audit
from workstation.store.backup import BackupNotSupported, backup_sqlite
from workstation.store.base import Base
from workstation.store.migrate import UpgradeResult, current_revision, head_revision, upgrade
from workstation.store.uow import UnitOfWorkFactory


class DatabaseService:
    def __init__(
        self, settings: Settings, engine: Engine, uow: UnitOfWorkFactory, acting: Acting
    ) -> None:
        self._acting = acting
        self._settings = settings
        self._engine = engine
        self._uow = uow

    def describe(self) -> str:
        """The database URL with any password hidden, for status bars and messages."""
        return make_url(self._settings.db_url).render_as_string(hide_password=True)

    def table_counts(self) -> dict[str, int]:
        """Rows per table, every table of the schema, sorted by table name."""
        with self._uow() as uow:
            return {
                name: int(uow.session.scalar(select(func.count()).select_from(table)) or 0)
                for name, table in sorted(Base.metadata.tables.items())
            }

    @property
    def encrypted(self) -> bool:
        """Whether the store is an encrypted SQLite file (SQLCipher)."""
        return self._settings.db_key is not None

    def schema_status(self) -> tuple[str | None, str]:
        """(revision of the database, revision this program expects)."""
        return current_revision(self._engine), head_revision()

    def upgrade(self) -> UpgradeResult:
        self._acting.require(Permission.DATABASE_MAINTAIN)
        return upgrade(
            self._engine,
            sqlite_file=self._settings.sqlite_path,
            clock=self._uow.clock,
            key=self._settings.db_key,
        )

    def backup(self, destination: Path) -> Path:
        """Copy the SQLite database to ``destination`` with SQLite's online backup API (the
        copy of an encrypted database is encrypted with its key)."""
        identity = self._acting.require(Permission.DATABASE_MAINTAIN)
        source = self._settings.sqlite_path
        if source is None:
            raise BackupNotSupported(
                f"backup copies SQLite files only; {self.describe()} is another kind of "
                "database: use its own tools (for PostgreSQL: pg_dump)"
            )
        path = backup_sqlite(source, destination, self._settings.db_key)
        with self._uow() as uow:
            append_audit(
                uow.session, identity.actor, "database.backup", "database", None, {"to": str(path)}
            )
            uow.commit()
        return path
