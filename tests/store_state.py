"""What a store holds, table by table, to show that a refused import changed nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from workstation.app import App
from workstation.store.base import Base


def store_counts(app: App) -> dict[str, int]:
    """Rows of every table of the store (audit log and import batches included)."""
    with app.uow() as uow:
        return {
            name: int(uow.session.scalar(select(func.count()).select_from(table)) or 0)
            for name, table in sorted(Base.metadata.tables.items())
        }
