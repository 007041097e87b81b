"""Readiness: what the store's data lets Casework see, as of its last day with data.

One read-only unit of work (never the write lock: it runs beside an import). The day is the
company's last local day with orders, customer events, leads or check-ins
(``evaluation.last_activity_day``), never after the clock's today. The window and minimum
denominator are those of the policy in force that day. Counted:

- customers without a position (no geofence);
- field check-ins in the window that found no customer;
- salespeople (``indicator_inputs.sales_employee_ids``) without a track point in the window;
- customers held since an unknown start (an ownership period without a start date);
- per indicator, the salespeople whose value on the day has enough data: the indicators are
  computed for that day exactly as the evaluation computes them (``compute_indicators`` on
  ``load_inputs``), with stops taken as stored where up to date and detected in memory where
  not (``stops_service.current_stops``), so nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, timedelta

from sqlalchemy import distinct, exists, func, select
from sqlalchemy.orm import Session

from workstation.domain.clock import Clock
from workstation.domain.enums import CheckinKind
from workstation.domain.indicators import Indicator, IndicatorStatus
from workstation.risk.evaluation import indicator_settings, last_activity_day
from workstation.risk.indicator_inputs import load_inputs, sales_employee_ids
from workstation.risk.indicators import compute_indicators
from workstation.risk.model import IndicatorSettings
from workstation.risk.places import PlaceSet
from workstation.risk.policy_service import policy_in_force
from workstation.risk.readiness_model import (
    EXAMPLES,
    Gap,
    GapLine,
    IndicatorLine,
    ReadinessReport,
)
from workstation.risk.stops_service import current_stops
from workstation.risk.track_time import day_bounds_ms, utc_of_ms
from workstation.security.access import Acting
from workstation.security.permissions import Permission
from workstation.store.models import Checkin, Customer, CustomerOwnership, Employee, TrackPoint
from workstation.store.uow import UnitOfWorkFactory

FIELD = CheckinKind.FIELD.value


class ReadinessService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        acting: Acting,
        clock: Clock,
        *,
        settings: IndicatorSettings | None = None,
    ) -> None:
        self._uow = uow
        self._acting = acting
        self._clock = clock
        #: The evaluation's base settings (the policy in force sets window and minimum).
        self._base = settings or IndicatorSettings()

    def check(self) -> ReadinessReport:
        """The whole store's readiness as of its last day with data."""
        self._acting.require(Permission.IMPORT_VIEW)
        zone = self._clock.zone
        today = self._clock.today()
        with self._uow() as uow:
            session = uow.session
            last = last_activity_day(session, zone)
            day = min(last, today) if last is not None else None
            end = day or today
            version, policy = policy_in_force(session, end)
            settings = indicator_settings(self._base, policy)
            start = end - timedelta(days=settings.window_days - 1)
            sales = sales_employee_ids(session, start, end, zone)
            numbers = _employee_numbers(session)
            gaps = (
                _customers_without_position(session),
                _checkins_without_customer(session, start, end, self._clock, numbers),
                _salespeople_without_tracks(session, sales, start, end, self._clock, numbers),
                _ownership_without_start(session),
            )
            indicators = _indicators(session, sales, end, settings, self._clock, numbers)
        return ReadinessReport(
            day=day,
            window_start=start,
            window_end=end,
            policy_version=version,
            min_denominator=settings.min_denominator,
            gaps=gaps,
            indicators=indicators,
        )


def _examples(keys: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(keys)[:EXAMPLES])


def _employee_numbers(session: Session) -> dict[int, str]:
    return {e: no for e, no in session.execute(select(Employee.id, Employee.employee_no))}


def _customers_without_position(session: Session) -> GapLine:
    total = session.scalar(select(func.count()).select_from(Customer)) or 0
    missing = Customer.lat.is_(None) | Customer.lon.is_(None)
    count = session.scalar(select(func.count()).select_from(Customer).where(missing)) or 0
    codes = session.scalars(
        select(Customer.code).where(missing).order_by(Customer.code).limit(EXAMPLES)
    )
    return GapLine(Gap.CUSTOMERS_WITHOUT_POSITION, count, total, _examples(codes))


def _checkins_without_customer(
    session: Session, start: date, end: date, clock: Clock, numbers: dict[int, str]
) -> GapLine:
    lo_ms, hi_ms = day_bounds_ms(start, end, clock.zone)
    in_window = (
        (Checkin.kind == FIELD)
        & (Checkin.checked_at >= utc_of_ms(lo_ms))
        & (Checkin.checked_at < utc_of_ms(hi_ms))
    )
    total = session.scalar(select(func.count()).select_from(Checkin).where(in_window)) or 0
    unlinked = in_window & Checkin.customer_id.is_(None)
    count = session.scalar(select(func.count()).select_from(Checkin).where(unlinked)) or 0
    first = session.execute(
        select(Checkin.employee_id, Checkin.checked_at)
        .where(unlinked)
        .order_by(Checkin.checked_at, Checkin.id)
        .limit(EXAMPLES)
    ).all()
    keys = [
        f"{numbers.get(emp, emp)} {at.astimezone(clock.zone):%Y-%m-%d %H:%M}" for emp, at in first
    ]
    return GapLine(Gap.CHECKINS_WITHOUT_CUSTOMER, count, total, tuple(keys))


def _salespeople_without_tracks(
    session: Session,
    sales: Sequence[int],
    start: date,
    end: date,
    clock: Clock,
    numbers: dict[int, str],
) -> GapLine:
    lo_ms, hi_ms = day_bounds_ms(start, end, clock.zone)
    has_track = exists().where(
        TrackPoint.employee_id == Employee.id, TrackPoint.t_ms >= lo_ms, TrackPoint.t_ms < hi_ms
    )
    tracked = set(session.scalars(select(Employee.id).where(has_track)))
    without = [e for e in sales if e not in tracked]
    return GapLine(
        Gap.SALESPEOPLE_WITHOUT_TRACKS,
        len(without),
        len(sales),
        _examples(numbers[e] for e in without),
    )


def _ownership_without_start(session: Session) -> GapLine:
    held = select(func.count(distinct(CustomerOwnership.customer_id)))
    total = session.scalar(held) or 0
    open_start = CustomerOwnership.start_date.is_(None)
    count = session.scalar(held.where(open_start)) or 0
    codes = session.scalars(
        select(Customer.code)
        .where(Customer.id.in_(select(CustomerOwnership.customer_id).where(open_start)))
        .order_by(Customer.code)
        .limit(EXAMPLES)
    )
    return GapLine(Gap.OWNERSHIP_WITHOUT_START, count, total, _examples(codes))


def _indicators(
    session: Session,
    sales: list[int],
    day: date,
    settings: IndicatorSettings,
    clock: Clock,
    numbers: dict[int, str],
) -> tuple[IndicatorLine, ...]:
    """Each indicator of every salesperson on ``day``, computed as the evaluation does."""
    enough: dict[Indicator, int] = dict.fromkeys(Indicator, 0)
    short: dict[Indicator, list[str]] = {i: [] for i in Indicator}
    if sales:
        zone = clock.zone
        places = PlaceSet.load(session, settings)
        start = day - timedelta(days=settings.window_days - 1)
        inputs = load_inputs(session, sales, day, day, settings, places, zone)
        stops = current_stops(session, sales, start, day, settings, places, zone=zone)
        for employee_id in sales:
            mine = replace(inputs[employee_id], stops=stops[employee_id])
            for result in compute_indicators(mine, [day], settings, zone):
                if result.status is IndicatorStatus.OK:
                    enough[result.indicator] += 1
                else:
                    short[result.indicator].append(numbers[employee_id])
    return tuple(IndicatorLine(i, enough[i], len(sales), _examples(short[i])) for i in Indicator)
