"""Bring a database to the schema head with Alembic; copy a SQLite file aside first.

Every start checks the schema; a database already at the head (nearly always) is recognised
without importing Alembic: the head is read from the migration scripts' ``revision`` and
``down_revision`` lines, the database's revision from its ``alembic_version`` table.
"""

from __future__ import annotations

import ast
import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

from workstation.config import migrations_dir
from workstation.domain.clock import Clock
from workstation.store.backup import backup_sqlite

if TYPE_CHECKING:
    from alembic.config import Config

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
    from alembic.config import Config

    cfg = Config(str(migrations_dir() / "alembic.ini"))
    cfg.set_main_option("script_location", str(migrations_dir()))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise SchemaError("no migrations found")
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(
    engine: Engine,
    revision: str = "head",
    sqlite_file: Path | None = None,
    *,
    clock: Clock | None = None,
    key: str | None = None,
) -> UpgradeResult:
    """Upgrade to ``revision``. A SQLite file with data is backed up first, beside itself
    (named by ``clock``'s UTC time, which a backup needs; encrypted with ``key`` when the
    file is)."""
    if revision == "head":
        heads = script_heads()
        at = stored_revision(engine)
        if len(heads) == 1 and at in heads:
            return UpgradeResult(at, at, None)  # at the head: no need for Alembic
    from alembic import command
    from alembic.script import ScriptDirectory

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
        backup_sqlite(sqlite_file, backup, key)
        log.info("copied %s to %s before upgrading", sqlite_file, backup)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, target)
    log.info("schema upgraded from %s to %s", before, target)
    return UpgradeResult(before, target, backup)


@cache
def script_heads() -> frozenset[str]:
    """The head revision(s), read from the migration scripts without importing Alembic (a
    test checks the answer against Alembic's ``head_revision``)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (migrations_dir() / "versions").glob("*.py"):
        found = _module_constants(path, ("revision", "down_revision"))
        revision, down = found.get("revision"), found.get("down_revision")
        if isinstance(revision, str):
            revisions.add(revision)
        if isinstance(down, str):
            parents.add(down)
        elif isinstance(down, tuple | list):
            parents.update(str(d) for d in down)
    return frozenset(revisions - parents)


def _module_constants(path: Path, names: tuple[str, ...]) -> dict[str, object]:
    """The values assigned to ``names`` in the script at ``path``, read from their own lines
    (Alembic's template writes each identifier on one line): parsing every whole script at
    each start would cost more than the rest of the check."""
    found: dict[str, object] = {}
    lines = path.read_text(encoding="utf-8").splitlines()
    for node in ast.parse("\n".join(s for s in lines if s.startswith(names))).body:
        target: ast.expr
        if isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id in names:
            found[target.id] = ast.literal_eval(value)
    return found


def stored_revision(engine: Engine) -> str | None:
    """The revision in the database's ``alembic_version`` table (None: none, or several)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        rows = list(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
    return str(rows[0]) if len(rows) == 1 else None
