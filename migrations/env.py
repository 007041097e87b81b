"""Alembic environment. Run through ``workstation db upgrade`` or ``workstation.store.migrate``.

For a new revision: ``alembic -c migrations/alembic.ini revision --autogenerate -m "..."``
(set ``WORKSTATION_DB_URL`` to a database at head first).
"""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import Connection

import workstation.store.models  # noqa: F401  (fills Base.metadata)
from workstation.store.base import Base
from workstation.store.engine import make_engine

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or os.environ["WORKSTATION_DB_URL"]
    engine = make_engine(url)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url") or os.environ.get("WORKSTATION_DB_URL"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
