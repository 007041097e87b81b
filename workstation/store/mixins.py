"""Column groups reused by many tables: position with its original coordinates, and source."""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from workstation.domain.enums import CoordSystem


class PositionColumns:
    """WGS-84 position plus the original value and its coordinate system (GCJ-02, BD-09...)."""

    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    coord_system: Mapped[str] = mapped_column(String(8), default=CoordSystem.WGS84.value)
    orig_lat: Mapped[float | None] = mapped_column(Float)
    orig_lon: Mapped[float | None] = mapped_column(Float)


class SourceColumns:
    """Where a record came from: the import batch and the row in that batch's file."""

    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"), index=True)
    source_row: Mapped[int | None] = mapped_column(Integer)
