"""Settings of the indicator computation and the plain values the risk services hand out.

Views never see ORM objects: everything here is a frozen dataclass of plain values.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from workstation.config import Preferences
from workstation.domain.indicators import (
    CONVERSION_BASELINE_DAYS,
    DEFAULT_MIN_DENOMINATOR,
    DEFAULT_WINDOW_DAYS,
    Indicator,
    IndicatorStatus,
)

#: Words in a check-in's result or note by which DingTalk / WeCom / the import mark a faked
#: position (the check-in importer appends "模拟定位" when the source's mock flag is set).
MOCK_MARKERS = ("模拟定位", "虚拟定位", "mock location", "fake location")


@dataclass(frozen=True)
class IndicatorSettings:
    """Every knob of stops, location flags and indicators, with the defaults of the issue."""

    #: The trailing window of every indicator, ending on (and including) the day computed.
    window_days: int = DEFAULT_WINDOW_DAYS
    #: A rate whose denominator is under this is "insufficient data", never an alert.
    min_denominator: int = DEFAULT_MIN_DENOMINATOR
    #: Conversion drop compares the window with this many days before it.
    baseline_days: int = CONVERSION_BASELINE_DAYS
    #: A stop is a stay of at least ``stop_min_minutes`` within ``stop_radius_m``.
    stop_min_minutes: float = 10.0
    stop_radius_m: float = 100.0
    #: A silence longer than this ends a stay (nobody knows where the person was).
    stop_max_gap_minutes: float = 60.0
    #: Radius of a competitor site, office or allowed place that has none of its own.
    competitor_radius_default_m: float = 200.0
    office_radius_default_m: float = 200.0
    allowed_radius_default_m: float = 200.0
    #: Geofence radius of a customer that has none of its own.
    geofence_default_m: float = 500.0
    #: Fixes reported worse than this are not used for stops (nor flagged as jumps).
    max_accuracy_m: float = 200.0
    #: Moving faster than this between two fixes (after allowing for both accuracies) is an
    #: impossible jump. 216 km/h = 60 m/s, the speed the map uses to drop spikes.
    max_speed_kmh: float = 216.0
    #: This many consecutive fixes at exactly the same position are flagged (a replayed or
    #: mocked position: real receivers jitter in the last digits).
    repeated_fix_min: int = 10
    #: Competitor overlap counts stops overlapping working hours (local time) by at least
    #: ``stop_min_minutes``: the trips from and to home and evenings are nobody's business.
    #: ``None`` for either end counts stops at any time of day.
    work_start: time | None = time(9, 0)
    work_end: time | None = time(18, 0)
    mock_markers: tuple[str, ...] = MOCK_MARKERS
    #: A punch placed by the track whose address names a place farther than this from the
    #: track's fix (beyond its accuracy) is flagged: the address and the track disagree.
    address_track_max_m: float = 500.0

    def __post_init__(self) -> None:
        if self.window_days < 1 or self.baseline_days < 1:
            raise ValueError("window_days and baseline_days must be at least 1")
        if self.min_denominator < 1:
            raise ValueError("min_denominator must be at least 1")
        if self.stop_min_minutes <= 0 or self.stop_radius_m <= 0:
            raise ValueError("stop_min_minutes and stop_radius_m must be positive")
        if self.max_speed_kmh <= 0 or self.repeated_fix_min < 2:
            raise ValueError("max_speed_kmh must be positive and repeated_fix_min at least 2")

    @classmethod
    def from_preferences(cls, preferences: Preferences, **changes: Any) -> IndicatorSettings:
        """Defaults, with the stop rule and geofence radius the user set in the preferences."""
        base: dict[str, Any] = {
            "stop_min_minutes": preferences.stop_min_minutes,
            "stop_radius_m": preferences.stop_radius_m,
            "geofence_default_m": preferences.default_geofence_m,
        }
        return cls(**(base | changes))

    @property
    def max_speed_mps(self) -> float:
        return self.max_speed_kmh / 3.6

    def stop_config_key(self) -> str:
        """A short hash of the settings that change stored stops and location flags."""
        keys = (
            "stop_min_minutes",
            "stop_radius_m",
            "stop_max_gap_minutes",
            "competitor_radius_default_m",
            "office_radius_default_m",
            "allowed_radius_default_m",
            "geofence_default_m",
            "max_accuracy_m",
            "max_speed_kmh",
            "repeated_fix_min",
            "mock_markers",
            "address_track_max_m",
        )
        values = asdict(self)
        text = repr([(k, values[k]) for k in keys])
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class IndicatorRunSummary:
    start: date
    end: date
    employees: int
    #: Employee-days whose stops and flags were (re)computed, and those found up to date.
    stop_days_computed: int
    stop_days_reused: int
    stops_written: int
    flags_written: int
    #: Indicator rows inserted or changed, and rows found identical (left untouched).
    values_written: int
    values_unchanged: int
    values_insufficient: int
    seconds: float
    #: Of which: bringing stops and flags up to date.
    stops_seconds: float = 0.0


@dataclass(frozen=True)
class IndicatorValueView:
    employee_id: int
    day: date
    indicator: Indicator
    value: float | None
    numerator: float | None
    denominator: float | None
    status: IndicatorStatus
    window_days: int
    computed_at: datetime
    #: How many records of each kind lie behind the value (ids via ``records_behind``).
    record_counts: dict[str, int] = field(default_factory=dict)

    @property
    def sufficient(self) -> bool:
        return self.status is IndicatorStatus.OK


@dataclass(frozen=True)
class StopRecord:
    id: int
    day: date
    #: On the company's clock (its time zone).
    started_at: datetime
    ended_at: datetime
    lat: float
    lon: float
    source: str
    place_kind: str
    competitor_name: str | None
    site_name: str | None
    #: Distance from the stop's centre to the competitor site.
    site_distance_m: float | None

    @property
    def minutes(self) -> float:
        return (self.ended_at - self.started_at).total_seconds() / 60.0


@dataclass(frozen=True)
class CheckinRecord:
    id: int
    #: On the company's clock (its time zone).
    checked_at: datetime
    customer_code: str | None
    customer_name: str | None
    lat: float | None
    lon: float | None
    distance_m: float | None
    radius_m: float | None
    accuracy_m: float | None
    outside: bool | None
    address: str | None
    #: How the customer was found (a ``CheckinLink`` value) and the text that matched.
    link_method: str | None = None
    link_text: str | None = None
    #: Where the position comes from (a ``PositionSource`` value): a position "from the
    #: address" is where the address is, not a GPS fix.
    position_source: str | None = None
    address_place: str | None = None


@dataclass(frozen=True)
class OrderRecord:
    id: int
    order_no: str
    order_date: date
    amount: Decimal
    status: str
    customer_code: str
    customer_name: str
    competitor_name: str | None


@dataclass(frozen=True)
class EventRecord:
    id: int
    event_date: date
    kind: str
    customer_code: str
    customer_name: str
    competitor_name: str | None
    new_owner_name: str | None


@dataclass(frozen=True)
class LeadRecord:
    id: int
    lead_no: str
    created_on: date
    customer_code: str | None
    customer_name: str | None
    converted: bool
    converted_order_no: str | None


@dataclass(frozen=True)
class RecordsBehind:
    """The records behind one stored indicator value, described for people."""

    employee_id: int
    day: date
    indicator: Indicator
    value: float | None
    status: IndicatorStatus
    numerator: float | None
    denominator: float | None
    stops: tuple[StopRecord, ...] = ()
    checkins: tuple[CheckinRecord, ...] = ()
    orders: tuple[OrderRecord, ...] = ()
    events: tuple[EventRecord, ...] = ()
    leads: tuple[LeadRecord, ...] = ()
    #: Counts stored with the value (e.g. ``customers_held``, ``field_stops``).
    counts: dict[str, int] = field(default_factory=dict)
    #: Ids stored with the value whose record no longer exists (recomputed stops, deletions).
    missing: int = 0


def record_counts(records: dict[str, Any]) -> dict[str, int]:
    """``{"stops": [1, 2], "field_stops": 9}`` → ``{"stops": 2, "field_stops": 9}``."""
    return {k: len(v) if isinstance(v, list) else int(v) for k, v in records.items()}
