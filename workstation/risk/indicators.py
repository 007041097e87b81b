"""The daily indicators of one employee: pure computation on plain values (no database).

For a day ``D`` the window is the ``window_days`` local days ending on ``D`` (inclusive).
Every value is a rate ``numerator / denominator``; when the denominator is under
``min_denominator`` the status is *insufficient* and the value ``None`` (never an alert).
Each result names the records behind it, by kind, so an alert can be explained.

- ``customer_churn_rate``: distinct customers lost or transferred to a competitor in the
  window ÷ customers held at the window's start. Reassignment to a colleague is not churn.
  Who held what when, and whom each loss counts for, are the ownership periods derived from
  customer lists, assignment histories and events (:mod:`workstation.domain.ownership`); a
  period with an unknown start counts as held on every day before its end.
- ``competitor_overlap_rate``: field stops at a competitor site ÷ field stops. A field stop is
  one neither at an office nor at an allowed place, overlapping working hours by at least
  ``stop_min_minutes`` (a check-in standing in for a missing track counts when it lies within
  working hours).
- ``order_transfer_ratio``: orders dated in the window with status transferred ÷ all of them.
- ``conversion_rate``: leads created in the window that had converted by ``D`` ÷ those leads.
- ``conversion_drop``: ``(baseline - rate) / baseline`` where the baseline is the rate of the
  ``baseline_days`` before the window, measured the same way: the baseline is cut into
  window-sized slices and a lead counts as converted only if it had converted by the end of
  its slice (recent leads have had less time to convert; without this every employee's rate
  would seem to fall). Insufficient when either side has too few leads or the baseline is 0.
  Negative when conversion improved.
- ``fake_fieldwork_rate``: field check-ins outside the claimed customer's geofence ÷ field
  check-ins claiming a customer (with positions to check).

Point in time: what is known about ``D`` only depends on records dated up to ``D`` (events,
orders, leads and conversions by their dates), so recomputing a past day gives its value
again, except for order statuses (the store keeps the current status only).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

import numpy as np
from numpy.typing import NDArray

from workstation.domain.enums import CustomerEventKind, OrderStatus
from workstation.domain.indicators import Indicator, IndicatorStatus
from workstation.risk.model import IndicatorSettings
from workstation.risk.places import COMPETITOR_SITE, NOT_FIELD

CHURN_KINDS = frozenset({CustomerEventKind.LOST.value, CustomerEventKind.TRANSFERRED.value})
TRANSFERRED = OrderStatus.TRANSFERRED.value
Records = dict[str, Any]


@dataclass(frozen=True)
class Holding:
    """``customer_id`` held from ``start`` (None: since a day no file gives, held on every
    earlier day) up to, not including, ``end`` (None: still held)."""

    customer_id: int
    start: date | None
    end: date | None


@dataclass(frozen=True)
class EventIn:
    id: int
    customer_id: int
    day: date
    kind: str


@dataclass(frozen=True)
class OrderIn:
    id: int
    day: date
    status: str


@dataclass(frozen=True)
class LeadIn:
    id: int
    created_on: date
    #: The date of the order it converted into (``None``: not converted).
    converted_on: date | None


@dataclass(frozen=True)
class StopIn:
    id: int
    started_ms: int
    ended_ms: int
    place_kind: str


@dataclass(frozen=True)
class CheckinFenceIn:
    """A field check-in claiming a customer, already checked against the geofence."""

    id: int
    day: date
    outside: bool


@dataclass(frozen=True)
class EmployeeInputs:
    employee_id: int
    holdings: Sequence[Holding] = ()
    events: Sequence[EventIn] = ()
    orders: Sequence[OrderIn] = ()
    leads: Sequence[LeadIn] = ()
    stops: Sequence[StopIn] = ()
    checkins: Sequence[CheckinFenceIn] = ()


@dataclass(frozen=True)
class IndicatorResult:
    employee_id: int
    day: date
    indicator: Indicator
    value: float | None
    numerator: float | None
    denominator: float | None
    status: IndicatorStatus
    window_days: int
    records: Records = field(default_factory=dict)


def _ordinals(days: Sequence[date]) -> NDArray[np.int64]:
    return np.fromiter((d.toordinal() for d in days), dtype=np.int64, count=len(days))


class _Dated:
    """Records sorted by day, for slicing out a window with two binary searches."""

    def __init__(self, days: Sequence[date], ids: Sequence[int], flags: Sequence[bool]) -> None:
        order = np.argsort(_ordinals(days), kind="stable")
        self.days = _ordinals(days)[order]
        self.ids = np.asarray(ids, dtype=np.int64)[order]
        self.flags = np.asarray(flags, dtype=bool)[order]

    def _slice(self, lo: int, hi: int) -> slice:
        a = int(np.searchsorted(self.days, lo, side="left"))
        b = int(np.searchsorted(self.days, hi, side="right"))
        return slice(a, b)

    def window(self, lo: int, hi: int) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
        """Ids and flags of records dated in ``lo..hi`` (ordinals, inclusive)."""
        part = self._slice(lo, hi)
        return self.ids[part], self.flags[part]

    def window_days(self, lo: int, hi: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Ids and day ordinals of records dated in ``lo..hi``."""
        part = self._slice(lo, hi)
        return self.ids[part], self.days[part]


def is_field_stop(stop: StopIn, settings: IndicatorSettings, zone: tzinfo) -> bool:
    """Neither at an office nor allowed, and within working hours of ``zone`` (see the module
    doc)."""
    if stop.place_kind in NOT_FIELD:
        return False
    if settings.work_start is None or settings.work_end is None:
        return True
    start = datetime.fromtimestamp(stop.started_ms / 1000.0, zone)
    day = start.date()
    ws = _ms(day, settings.work_start, zone)
    we = _ms(day, settings.work_end, zone)
    overlap = min(stop.ended_ms, we) - max(stop.started_ms, ws)
    need = min(stop.ended_ms - stop.started_ms, int(settings.stop_min_minutes * 60_000))
    return stop.started_ms < we and stop.ended_ms >= ws and overlap >= need


def _ms(day: date, at: time, zone: tzinfo) -> int:
    return int(datetime.combine(day, at, zone).timestamp() * 1000)


def compute_indicators(
    inputs: EmployeeInputs, days: Sequence[date], settings: IndicatorSettings, zone: tzinfo
) -> list[IndicatorResult]:
    """Every indicator of one employee on each of ``days`` (in indicator order per day); a
    stop's day and working hours are those of ``zone``."""
    w = settings.window_days
    field_stops = [s for s in inputs.stops if is_field_stop(s, settings, zone)]
    stop_days = [datetime.fromtimestamp(s.started_ms / 1000.0, zone).date() for s in field_stops]
    churn = [e for e in inputs.events if e.kind in CHURN_KINDS]
    churn_by_id = {e.id: e.customer_id for e in churn}
    tables = {
        "events": _Dated([e.day for e in churn], [e.id for e in churn], [True] * len(churn)),
        "stops": _Dated(
            stop_days,
            [s.id for s in field_stops],
            [s.place_kind == COMPETITOR_SITE for s in field_stops],
        ),
        "orders": _Dated(
            [o.day for o in inputs.orders],
            [o.id for o in inputs.orders],
            [o.status == TRANSFERRED for o in inputs.orders],
        ),
        "checkins": _Dated(
            [c.day for c in inputs.checkins],
            [c.id for c in inputs.checkins],
            [c.outside for c in inputs.checkins],
        ),
    }
    leads = _Dated(
        [x.created_on for x in inputs.leads],
        [x.id for x in inputs.leads],
        [False] * len(inputs.leads),
    )
    converted_on = {
        x.id: x.converted_on.toordinal() for x in inputs.leads if x.converted_on is not None
    }
    held = _held_at_window_start(inputs.holdings, days, w)
    results: list[IndicatorResult] = []
    for day, n_held in zip(days, held, strict=True):
        hi = day.toordinal()
        lo = hi - w + 1

        def result(
            indicator: Indicator,
            numerator: float,
            denominator: float,
            records: Records,
            *,
            enough: bool | None = None,
            day: date = day,
        ) -> IndicatorResult:
            ok = denominator >= settings.min_denominator if enough is None else enough
            return IndicatorResult(
                inputs.employee_id,
                day,
                indicator,
                numerator / denominator if ok and denominator else None,
                numerator,
                denominator,
                IndicatorStatus.OK if ok else IndicatorStatus.INSUFFICIENT,
                w,
                records,
            )

        ids, _ = tables["events"].window(lo, hi)
        lost = sorted({churn_by_id[i] for i in ids.tolist()})
        results.append(
            result(
                Indicator.CUSTOMER_CHURN_RATE,
                len(lost),
                n_held,
                {"customer_events": sorted(ids.tolist()), "customers_held": n_held},
            )
        )
        ids, at_site = tables["stops"].window(lo, hi)
        results.append(
            result(
                Indicator.COMPETITOR_OVERLAP_RATE,
                int(at_site.sum()),
                ids.size,
                {"stops": sorted(ids[at_site].tolist()), "field_stops": int(ids.size)},
            )
        )
        ids, moved = tables["orders"].window(lo, hi)
        results.append(
            result(
                Indicator.ORDER_TRANSFER_RATIO,
                int(moved.sum()),
                ids.size,
                {"orders": sorted(ids[moved].tolist()), "orders_total": int(ids.size)},
            )
        )
        ids, _ = leads.window(lo, hi)
        done = sorted(i for i in ids.tolist() if converted_on.get(i, hi + 1) <= hi)
        base_ids, base_days = leads.window_days(lo - settings.baseline_days, lo - 1)
        # Age-matched: a baseline lead counts as converted only by the end of its own
        # window-sized slice of the baseline, as old as a window lead is today.
        judged = (lo - 1) - w * ((lo - 1 - base_days) // w)
        base_done = sum(
            1
            for i, by in zip(base_ids.tolist(), judged.tolist(), strict=True)
            if converted_on.get(i, by + 1) <= by
        )
        lead_records = {"leads": sorted(ids.tolist()), "leads_converted": done}
        results.append(result(Indicator.CONVERSION_RATE, len(done), ids.size, lead_records))
        rate = len(done) / ids.size if ids.size else 0.0
        base = base_done / base_ids.size if base_ids.size else 0.0
        results.append(
            result(
                Indicator.CONVERSION_DROP,
                base - rate,
                base,
                {
                    **lead_records,
                    "baseline_leads": int(base_ids.size),
                    "baseline_converted": base_done,
                },
                enough=(
                    ids.size >= settings.min_denominator
                    and base_ids.size >= settings.min_denominator
                    and base > 0
                ),
            )
        )
        ids, outside = tables["checkins"].window(lo, hi)
        results.append(
            result(
                Indicator.FAKE_FIELDWORK_RATE,
                int(outside.sum()),
                ids.size,
                {"checkins": sorted(ids[outside].tolist()), "checkins_claiming": int(ids.size)},
            )
        )
    return results


def _held_at_window_start(holdings: Sequence[Holding], days: Sequence[date], w: int) -> list[int]:
    """Distinct customers held on the first day of each day's window."""
    if not holdings or not days:
        return [0] * len(days)
    starts = np.fromiter(
        (h.start.toordinal() if h.start else np.iinfo(np.int64).min for h in holdings),
        dtype=np.int64,
        count=len(holdings),
    )
    ends = np.fromiter(
        (h.end.toordinal() if h.end else np.iinfo(np.int64).max for h in holdings),
        dtype=np.int64,
        count=len(holdings),
    )
    customers = np.asarray([h.customer_id for h in holdings], dtype=np.int64)
    first = _ordinals(days) - (w - 1)
    holds = (starts[None, :] <= first[:, None]) & (ends[None, :] > first[:, None])
    return [int(np.unique(customers[row]).size) for row in holds]


def window_bounds(day: date, settings: IndicatorSettings) -> tuple[date, date]:
    """First and last day of the window ending on ``day``."""
    return day - timedelta(days=settings.window_days - 1), day
