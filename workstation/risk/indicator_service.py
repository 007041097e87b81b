"""Daily indicators per employee: compute and store them, read them back, explain them.

``compute`` is one unit of work: stops and flags of the days the windows need are brought up
to date (only stale days are recomputed, see :mod:`workstation.risk.stops_service`), then
every indicator of every employee on every day of the range is computed and synced into
``indicator_values`` — rows that come out the same are left alone, so computing a day twice
changes nothing. Cancelling raises :class:`Cancelled` and nothing is committed.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workstation.domain.clock import Clock
from workstation.domain.indicators import Indicator, IndicatorStatus
from workstation.domain.progress import Cancelled, ProgressCallback, no_progress
from workstation.risk.indicator_inputs import load_inputs, sales_employee_ids
from workstation.risk.indicators import IndicatorResult, compute_indicators
from workstation.risk.model import (
    IndicatorRunSummary,
    IndicatorSettings,
    IndicatorValueView,
    RecordsBehind,
    record_counts,
)
from workstation.risk.places import PlaceSet
from workstation.risk.records import describe_all
from workstation.risk.stops_service import StopsOutcome, refresh_stops, write_rows
from workstation.security.access import Acting
from workstation.security.permissions import Permission
from workstation.store.audit import append_audit, canonical_json
from workstation.store.models import Employee, IndicatorValue
from workstation.store.uow import UnitOfWorkFactory

COMPUTE_ACTION = "indicators.compute"
RECORDS_READ_ACTION = "indicator_records.read"
#: Employees whose indicators are computed and synced together (bounds memory).
EMPLOYEE_BATCH = 50
_VALUE_FIELDS = ("value", "numerator", "denominator", "status", "window_days", "records_json")


class IndicatorValueNotFound(LookupError):
    pass


class IndicatorService:
    def __init__(self, uow: UnitOfWorkFactory, acting: Acting, clock: Clock) -> None:
        self._uow = uow
        self._acting = acting
        self._actor = acting.actor
        #: Its time stamps computed values; its zone decides which day an instant is on.
        self._clock = clock

    # ---- use cases ---------------------------------------------------------------------

    def compute(
        self,
        start: date,
        end: date,
        *,
        employee_ids: Sequence[int] | None = None,
        settings: IndicatorSettings | None = None,
        progress: ProgressCallback | None = None,
        cancelled: Callable[[], bool] | None = None,
        force_stops: bool = False,
    ) -> IndicatorRunSummary:
        """Stops (as needed) and indicators of every sales employee on each day ``start..end``.

        ``employee_ids`` limits the run; by default everyone doing sales work in the window
        of the range. ``force_stops`` recomputes stops even of days found up to date.
        """
        self._acting.require(Permission.RISK_EVALUATE)
        if end < start:
            raise ValueError(f"end {end} is before start {start}")
        settings = settings or IndicatorSettings()
        report = progress or no_progress
        began = time.perf_counter()
        first = start - timedelta(days=settings.window_days - 1)
        zone = self._clock.zone
        with self._uow() as uow:
            session = uow.session
            if employee_ids is None:
                employees = sales_employee_ids(session, first, end, zone)
            else:
                employees = sorted(set(employee_ids))
            total = 2 * len(employees)
            done = 0

            def tick(message: str) -> None:
                nonlocal done
                if cancelled is not None and cancelled():
                    raise Cancelled()
                done += 1
                report(done, total, message)

            report(0, total, "places")
            stops_began = time.perf_counter()
            places = PlaceSet.load(session, settings)
            stops = refresh_stops(
                session,
                employees,
                first,
                end,
                settings,
                places,
                zone=zone,
                force=force_stops,
                tick=lambda _e: tick("stops"),
            )
            stops_seconds = time.perf_counter() - stops_began
            counts = [0, 0, 0]
            for i in range(0, len(employees), EMPLOYEE_BATCH):
                batch = employees[i : i + EMPLOYEE_BATCH]
                inputs = load_inputs(session, batch, start, end, settings, places, zone)
                days = [start + timedelta(days=k) for k in range((end - start).days + 1)]
                results: list[IndicatorResult] = []
                for employee_id in batch:
                    results += compute_indicators(inputs[employee_id], days, settings, zone)
                    tick("indicators")
                written, unchanged = _sync_values(
                    session, batch, start, end, results, self._clock.now()
                )
                counts[0] += written
                counts[1] += unchanged
                counts[2] += sum(r.status is IndicatorStatus.INSUFFICIENT for r in results)
            summary = _summary(start, end, employees, stops, counts, began, stops_seconds)
            append_audit(
                session,
                self._actor(),
                COMPUTE_ACTION,
                "indicators",
                f"{start.isoformat()}..{end.isoformat()}",
                {
                    "employees": len(employees),
                    "stop_days_computed": stops.days_computed,
                    "values_written": summary.values_written,
                    "settings": _settings_json(settings),
                },
            )
            uow.commit()
        return summary

    def values(self, employee_id: int, start: date, end: date) -> list[IndicatorValueView]:
        """Stored values of one employee on days ``start..end``, by day then indicator."""
        self._acting.require(Permission.ALERT_VIEW)
        with self._uow() as uow:
            rows = uow.session.scalars(
                select(IndicatorValue)
                .where(
                    IndicatorValue.employee_id == employee_id,
                    IndicatorValue.day >= start,
                    IndicatorValue.day <= end,
                )
                .order_by(IndicatorValue.day, IndicatorValue.indicator)
            ).all()
            return [_view(row) for row in rows if row.indicator in _KNOWN]

    def recent_values(self, employee_id: int, days: int = 90) -> list[IndicatorValueView]:
        """The employee's stored values of the ``days`` days up to the last day computed for
        them (for the trend in the employee file); empty when none were computed."""
        self._acting.require(Permission.ALERT_VIEW)
        with self._uow() as uow:
            last = uow.session.scalar(
                select(func.max(IndicatorValue.day)).where(
                    IndicatorValue.employee_id == employee_id
                )
            )
        if last is None:
            return []
        return self.values(employee_id, last - timedelta(days=days - 1), last)

    def records_behind(
        self,
        employee_id: int,
        day: date,
        indicator: Indicator | str,
        settings: IndicatorSettings | None = None,
    ) -> RecordsBehind:
        """The records behind one stored value (stops with times and the competitor site,
        check-ins with distance and fence, orders, customer events, leads).

        Shows positions, so the read is written to the audit log.
        """
        self._acting.require(Permission.ALERT_VIEW)
        settings = settings or IndicatorSettings()
        name = Indicator(indicator)
        with self._uow() as uow:
            session = uow.session
            row = session.scalars(
                select(IndicatorValue).where(
                    IndicatorValue.employee_id == employee_id,
                    IndicatorValue.day == day,
                    IndicatorValue.indicator == name.value,
                )
            ).first()
            if row is None:
                raise IndicatorValueNotFound(
                    f"no {name.value} of employee {employee_id} on {day.isoformat()}"
                )
            records: dict[str, Any] = json.loads(row.records_json or "{}")
            described = describe_all(session, records, settings, self._clock.zone)
            result = RecordsBehind(
                employee_id=employee_id,
                day=day,
                indicator=name,
                value=row.value,
                status=IndicatorStatus(row.status),
                numerator=row.numerator,
                denominator=row.denominator,
                **described,
            )
            employee = session.get(Employee, employee_id)
            append_audit(
                session,
                self._actor(),
                RECORDS_READ_ACTION,
                "employee",
                employee.employee_no if employee else employee_id,
                {"day": day.isoformat(), "indicator": name.value},
            )
            uow.commit()
            return result

    def sales_employees(self, start: date, end: date) -> list[int]:
        """Ids of the employees ``compute`` covers by default for days ``start..end``."""
        with self._uow() as uow:
            return sales_employee_ids(uow.session, start, end, self._clock.zone)


_KNOWN = frozenset(i.value for i in Indicator)


def _view(row: IndicatorValue) -> IndicatorValueView:
    records = json.loads(row.records_json) if row.records_json else {}
    return IndicatorValueView(
        employee_id=row.employee_id,
        day=row.day,
        indicator=Indicator(row.indicator),
        value=row.value,
        numerator=row.numerator,
        denominator=row.denominator,
        status=IndicatorStatus(row.status),
        window_days=row.window_days,
        computed_at=row.computed_at,
        record_counts=record_counts(records),
    )


def _row(result: IndicatorResult) -> dict[str, Any]:
    return {
        "value": result.value,
        "numerator": None if result.numerator is None else float(result.numerator),
        "denominator": None if result.denominator is None else float(result.denominator),
        "status": result.status.value,
        "window_days": result.window_days,
        "records_json": canonical_json(result.records),
    }


def _sync_values(
    session: Session,
    employees: list[int],
    start: date,
    end: date,
    results: list[IndicatorResult],
    now: datetime,
) -> tuple[int, int]:
    """Insert new values, update changed ones (computed ``now``), leave identical ones;
    (written, unchanged)."""
    old = {
        (row.employee_id, row.day, row.indicator): row
        for row in session.execute(
            select(IndicatorValue.id, IndicatorValue.employee_id, IndicatorValue.day)
            .add_columns(
                IndicatorValue.indicator, *(getattr(IndicatorValue, f) for f in _VALUE_FIELDS)
            )
            .where(
                IndicatorValue.employee_id.in_(employees),
                IndicatorValue.day >= start,
                IndicatorValue.day <= end,
            )
        )
    }
    added: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    unchanged = 0
    for r in results:
        values = _row(r)
        existing = old.get((r.employee_id, r.day, r.indicator.value))
        if existing is None:
            added.append(
                {
                    "employee_id": r.employee_id,
                    "day": r.day,
                    "indicator": r.indicator.value,
                    "computed_at": now,
                    **values,
                }
            )
        elif any(getattr(existing, f) != values[f] for f in _VALUE_FIELDS):
            changed.append({"id": existing.id, "computed_at": now, **values})
        else:
            unchanged += 1
    write_rows(session, IndicatorValue.__table__, [], changed, added)
    return len(added) + len(changed), unchanged


def _summary(
    start: date,
    end: date,
    employees: list[int],
    stops: StopsOutcome,
    counts: list[int],
    began: float,
    stops_seconds: float,
) -> IndicatorRunSummary:
    return IndicatorRunSummary(
        start=start,
        end=end,
        employees=len(employees),
        stop_days_computed=stops.days_computed,
        stop_days_reused=stops.days_reused,
        stops_written=stops.stops_written,
        flags_written=stops.flags_written,
        values_written=counts[0],
        values_unchanged=counts[1],
        values_insufficient=counts[2],
        seconds=round(time.perf_counter() - began, 3),
        stops_seconds=round(stops_seconds, 3),
    )


def _settings_json(settings: IndicatorSettings) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, value in vars(settings).items():
        values[key] = value.isoformat() if hasattr(value, "isoformat") else value
    return values
