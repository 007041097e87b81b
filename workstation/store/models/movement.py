"""Where people were: attendance check-ins and GPS track points."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from workstation.store.base import Base, UtcDateTime
from workstation.store.mixins import PositionColumns, SourceColumns


class Checkin(PositionColumns, SourceColumns, Base):
    """An attendance punch: on duty, off duty, or a field check-in at a claimed customer."""

    __tablename__ = "checkins"
    __table_args__ = (Index("ix_checkins_employee_time", "employee_id", "checked_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    checked_at: Mapped[datetime] = mapped_column(UtcDateTime)
    kind: Mapped[str] = mapped_column(String(16))
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("sales_tasks.id"))
    address: Mapped[str | None] = mapped_column(String(300))
    note: Mapped[str | None] = mapped_column(Text)
    #: Content-addressed evidence file holding the photo, when the source gave one.
    photo_evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence_files.id"))
    #: The source's own reference to the photo (media id, URL or file name).
    photo_ref: Mapped[str | None] = mapped_column(String(300))
    #: Result text as the source gave it (正常 / 外勤 / 迟到 / 地点异常 ...).
    source_result: Mapped[str | None] = mapped_column(String(100))
    #: How ``customer_id`` was found (a ``CheckinLink`` value), and the text that matched:
    #: the code, the name as written in the remark, the task, the distance to the fence.
    link_method: Mapped[str | None] = mapped_column(String(16))
    link_text: Mapped[str | None] = mapped_column(String(200))
    #: Where ``lat``/``lon`` come from (a ``PositionSource`` value); None without a position.
    position_source: Mapped[str | None] = mapped_column(String(8))
    #: The known place the punch's address text matches (name) and its WGS-84 position, kept
    #: when a track fix decides the position, so the two can be compared.
    address_place: Mapped[str | None] = mapped_column(String(200))
    address_lat: Mapped[float | None] = mapped_column(Float)
    address_lon: Mapped[float | None] = mapped_column(Float)
    #: The punch was made up afterwards through an approval (DingTalk 补卡审批通过): its time
    #: is the scheduled one, nobody punched then.
    makeup_approved: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class MissedPunch(SourceColumns, Base):
    """A scheduled punch the attendance app recorded as not made (DingTalk 缺卡, WeCom
    未打卡): kept as what it is, never a check-in with a position."""

    __tablename__ = "missed_punches"
    __table_args__ = (Index("ix_missed_punches_employee_time", "employee_id", "scheduled_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    #: When the punch was due (the source's scheduled time).
    scheduled_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: on_duty | off_duty | field (a ``CheckinKind`` value).
    kind: Mapped[str] = mapped_column(String(16))
    source_result: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)


class TrackPoint(Base):
    """One GPS fix. The big table: about 100,000 rows per working day for 200 salespeople.

    Designed for bulk insert and ``(employee, time range)`` reads:
    - time is an integer (milliseconds since the Unix epoch, UTC): 8 bytes, sorts and ranges
      natively, no string parsing on millions of rows;
    - one composite index ``(employee_id, t_ms)`` serves every read, and is the only secondary
      index, so inserts stay cheap;
    - ``orig_lat/orig_lon`` are NULL when the source was already WGS-84 (most trackers), so the
      original value costs nothing in the common case; ``coord_system`` is a 1-byte code.
    """

    __tablename__ = "track_points"
    __table_args__ = (Index("ix_track_points_employee_time", "employee_id", "t_ms"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    t_ms: Mapped[int] = mapped_column(BigInteger)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    speed_mps: Mapped[float | None] = mapped_column(Float)
    #: 0 = WGS-84, 1 = GCJ-02, 2 = BD-09 (see ``TRACK_COORD_CODES``).
    coord_code: Mapped[int] = mapped_column(SmallInteger, default=0)
    orig_lat: Mapped[float | None] = mapped_column(Float)
    orig_lon: Mapped[float | None] = mapped_column(Float)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))
    source_row: Mapped[int | None] = mapped_column(Integer)


TRACK_COORD_CODES = {"WGS84": 0, "GCJ02": 1, "BD09": 2}
