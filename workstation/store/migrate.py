"""Bring a database to the schema head with Alembic; copy a SQLite file aside first."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from workstation.config import migrations_dir
from workstation.domain.clock import Clock
from workstation.store.backup import backup_sqlite

log = logging.getLogger(__name__)


class SchemaError(RuntimeError):
    """The database cannot be brought to the schema this version needs."""


@dataclass(frozen=True)
class UpgradeResult:
    from_revision: str | None
    to_revision: str
    backup_path: Path | None

    @property
    def changed(self) -> bool:
        return self.from_revision != self.to_revision


def alembic_config() -> Config:
    cfg = Config(str(migrations_dir() / "alembic.ini"))
    cfg.set_main_option("script_location", str(migrations_dir()))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise SchemaError("no migrations found")
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(
    engine: Engine,
    revision: str = "head",
    sqlite_file: Path | None = None,
    *,
    clock: Clock | None = None,
) -> UpgradeResult:
    """Upgrade to ``revision``. A SQLite file with data is backed up first, beside itself
    (named by ``clock``'s UTC time, which a backup needs)."""
    before = current_revision(engine)
    target = head_revision() if revision == "head" else revision
    if before == target:
        return UpgradeResult(before, target, None)
    if before is None and inspect(engine).get_table_names():
        raise SchemaError(
            "the database has tables but no schema version; it was not made by Casework "
            "(or its version table was removed) and will not be changed"
        )
    known = {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    if before is not None and before not in known:
        raise SchemaError(
            f"the database is at schema {before}, newer than this program knows; "
            "update Casework before opening it"
        )
    backup = None
    if before is not None and sqlite_file is not None and sqlite_file.exists():
        if clock is None:
            raise TypeError("backing up a SQLite file before upgrading needs the clock")
        stamp = clock.now().strftime("%Y%m%dT%H%M%SZ")
        backup = sqlite_file.with_name(f"{sqlite_file.name}.before-{target}-{stamp}.bak")
        backup_sqlite(sqlite_file, backup)
        log.info("copied %s to %s before upgrading", sqlite_file, backup)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, target)
    log.info("schema upgraded from %s to %s", before, target)
    return UpgradeResult(before, target, backup)
