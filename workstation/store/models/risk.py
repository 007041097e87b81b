"""Early warning: places, stops, location flags, daily indicators, policies and alerts."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from workstation.store.base import Base, UtcDateTime


class AllowedPlace(Base):
    """A place where stops never count as "at a competitor": a shared office tower, a logistics
    hub, an employee's home. ``employee_id`` NULL means the place is allowed for everyone."""

    __tablename__ = "allowed_places"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(24))  # shared_tower | logistics_hub | home | other
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    radius_m: Mapped[float] = mapped_column(Float, default=200.0)
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str | None] = mapped_column(String(64))


class Stop(Base):
    """A stay of an employee (from the track, or a field check-in standing in for a missing
    track), with the place it was at. Recomputed per employee-day; never edited by hand."""

    __tablename__ = "stops"
    __table_args__ = (
        UniqueConstraint("employee_id", "started_at"),
        Index("ix_stops_employee_day", "employee_id", "day"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    #: The company's calendar day (its time zone) the stop started on.
    day: Mapped[date] = mapped_column(Date)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ended_at: Mapped[datetime] = mapped_column(UtcDateTime)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    point_count: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[str] = mapped_column(String(8))  # track | checkin
    #: office | competitor_site | allowed | customer | other
    place_kind: Mapped[str] = mapped_column(String(16))
    place_id: Mapped[int | None] = mapped_column(Integer)
    place_distance_m: Mapped[float | None] = mapped_column(Float)
    #: Nearest competitor site within its radius, also when the stop is at an office or allowed
    #: place (so the map can show why it did not count).
    competitor_site_id: Mapped[int | None] = mapped_column(ForeignKey("competitor_sites.id"))


class LocationFlag(Base):
    """A location-quality finding: impossible jump, repeated identical fixes, mock location."""

    __tablename__ = "location_flags"
    __table_args__ = (
        UniqueConstraint("employee_id", "kind", "at"),
        Index("ix_location_flags_employee_day", "employee_id", "day"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    day: Mapped[date] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    kind: Mapped[str] = mapped_column(String(24))  # impossible_jump | repeated_fix | mock_location
    detail_json: Mapped[str | None] = mapped_column(Text)


class IndicatorValue(Base):
    """One indicator of one employee on one day, over the trailing window ending that day."""

    __tablename__ = "indicator_values"
    __table_args__ = (
        UniqueConstraint("employee_id", "day", "indicator"),
        Index("ix_indicator_values_day", "day"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    day: Mapped[date] = mapped_column(Date)
    indicator: Mapped[str] = mapped_column(String(40))
    #: None when the data are insufficient (denominator under the minimum).
    value: Mapped[float | None] = mapped_column(Float)
    numerator: Mapped[float | None] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(16))  # ok | insufficient
    window_days: Mapped[int] = mapped_column(Integer)
    #: The ids of the records behind the value, by record kind (JSON object of lists).
    records_json: Mapped[str | None] = mapped_column(Text)
    computed_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PolicyVersion(Base):
    """A version of the alert policy. The version in force on a date is the one with the
    latest ``effective_from`` not after that date; versions are never edited once saved."""

    __tablename__ = "policy_versions"
    __table_args__ = (UniqueConstraint("version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    effective_from: Mapped[date] = mapped_column(Date)
    #: Rules, combinations, settings (window, minimum denominator...), as canonical JSON.
    definition_json: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str | None] = mapped_column(String(64))


class Alert(Base):
    """A risk alert on an employee. At most one open alert per employee; it is updated, and
    its severity raised, as evidence grows."""

    __tablename__ = "alerts"
    __table_args__ = (Index("ix_alerts_employee_status", "employee_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    #: new | reviewing | dismissed | confirmed | escalated
    status: Mapped[str] = mapped_column(String(16))
    severity: Mapped[str] = mapped_column(String(8))  # low | medium | high
    raised_on: Mapped[date] = mapped_column(Date)
    last_evaluated_on: Mapped[date] = mapped_column(Date)
    policy_version_id: Mapped[int] = mapped_column(ForeignKey("policy_versions.id"))
    #: The rules that fired, with value, threshold, baseline and level (JSON list).
    rules_json: Mapped[str] = mapped_column(Text)
    dismiss_reason: Mapped[str | None] = mapped_column(String(40))
    dismiss_note: Mapped[str | None] = mapped_column(Text)
    #: Filled by the case workflow when the alert is escalated.
    case_id: Mapped[int | None] = mapped_column(Integer)
    #: Optimistic lock: bumped by every change.
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class AlertEvent(Base):
    """The history of an alert: raised, updated, severity raised, each triage step."""

    __tablename__ = "alert_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str | None] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(24))  # raised | updated | escalated_severity | status
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    detail_json: Mapped[str | None] = mapped_column(Text)
