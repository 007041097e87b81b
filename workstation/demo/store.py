"""The demo's own housekeeping in the database: rows per table, clearing an earlier demo before
a rebuild, folding SQLite's write-ahead log back after one.

The demo company itself is never written here: its records come in through the importers
(``workstation.demo.front_door``).
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, delete, func, select

from workstation.store.base import Base
from workstation.store.models import AppMeta

#: Kept when a demo is rebuilt: the audit log is append-only, even in a demo database (and
#: so are the checkpoints that seal it).
KEPT_TABLES = frozenset({"audit_log", "audit_checkpoints", "audit_seals", "app_meta"})
DEMO_META_PREFIX = "demo."


def table_counts(conn: Connection) -> dict[str, int]:
    """Rows per table, every table of the schema, sorted by name."""
    return {
        name: int(conn.scalar(select(func.count()).select_from(table)) or 0)
        for name, table in sorted(Base.metadata.tables.items())
    }


def clear(conn: Connection) -> None:
    """Delete every row of the earlier demo (children first); keep the audit log."""
    for table in reversed(Base.metadata.sorted_tables):
        if table.name not in KEPT_TABLES:
            conn.execute(delete(table))
    conn.execute(delete(AppMeta).where(AppMeta.key.startswith(DEMO_META_PREFIX)))


def release_wal(engine: Engine) -> None:
    """SQLite: fold the write-ahead log (as big as the demo after the build) back into the
    database file and truncate it. Nothing to do elsewhere."""
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
