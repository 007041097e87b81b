"""The stored indicator values a policy is judged on: readings, baselines, records, trends.

Evaluation, preview and the explanation of an alert all read ``indicator_values`` through
here, so a verdict is reached the same way wherever it is shown.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import accumulate

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workstation.domain.indicators import IndicatorStatus
from workstation.domain.policy import Policy
from workstation.domain.verdicts import FiredRule, evaluate
from workstation.store.models import IndicatorValue

IV = IndicatorValue
OK = IndicatorStatus.OK.value


@dataclass(frozen=True)
class Reading:
    """One stored value; ``value`` is None when the data were insufficient."""

    value: float | None
    numerator: float | None
    denominator: float | None


@dataclass(frozen=True)
class TrendPoint:
    day: date
    value: float | None
    status: str


class IndicatorHistory:
    """The stored values of ``start``..``end`` and of the ``lookback_days`` before (for the
    baselines), loaded in one query."""

    def __init__(
        self,
        session: Session,
        start: date,
        end: date,
        *,
        lookback_days: int,
        employee_ids: Sequence[int] | None = None,
    ) -> None:
        query = select(
            IV.employee_id,
            IV.day,
            IV.indicator,
            IV.value,
            IV.status,
            IV.numerator,
            IV.denominator,
            IV.window_days,
        ).where(IV.day >= start - timedelta(days=lookback_days), IV.day <= end)
        if employee_ids is not None:
            query = query.where(IV.employee_id.in_(list(employee_ids)))
        self.by_day: dict[date, dict[int, dict[str, Reading]]] = {}
        self.window_days: set[int] = set()
        series: dict[tuple[int, str], list[tuple[date, float]]] = {}
        for emp, day, indicator, value, status, num, den, window in session.execute(query):
            usable = float(value) if status == OK and value is not None else None
            if usable is not None:
                series.setdefault((emp, indicator), []).append((day, usable))
            if start <= day <= end:
                reading = Reading(usable, num, den)
                self.by_day.setdefault(day, {}).setdefault(emp, {})[indicator] = reading
                self.window_days.add(window)
        self._days: dict[tuple[int, str], list[date]] = {}
        self._sums: dict[tuple[int, str], list[float]] = {}
        for key, points in series.items():
            points.sort()
            self._days[key] = [d for d, _ in points]
            self._sums[key] = [0.0, *accumulate(v for _, v in points)]

    def employees(self) -> set[int]:
        return {emp for per_day in self.by_day.values() for emp in per_day}

    def employees_on(self, day: date) -> list[int]:
        return sorted(self.by_day.get(day, {}))

    def readings(self, employee_id: int, day: date) -> dict[str, Reading]:
        return self.by_day.get(day, {}).get(employee_id, {})

    def baseline(
        self, employee_id: int, indicator: str, day: date, days: int, min_days: int
    ) -> float | None:
        """Mean of the sufficient values of the ``days`` days before ``day`` (None if fewer
        than ``min_days``)."""
        key = (employee_id, indicator)
        if key not in self._days:
            return None
        lo = bisect_left(self._days[key], day - timedelta(days=days))
        hi = bisect_left(self._days[key], day)
        if hi - lo < max(1, min_days):
            return None
        sums = self._sums[key]
        return (sums[hi] - sums[lo]) / (hi - lo)

    def verdicts(self, policy: Policy, day: date) -> dict[int, tuple[FiredRule, ...]]:
        """Employee → what fired on ``day`` (employees with nothing fired are left out)."""
        out: dict[int, tuple[FiredRule, ...]] = {}
        s = policy.settings
        for emp, readings in self.by_day.get(day, {}).items():
            values = {ind: r.value for ind, r in readings.items()}
            baselines = {
                r.indicator: self.baseline(
                    emp, r.indicator, day, s.baseline_days, s.baseline_min_days
                )
                for r in policy.rules
                if r.baseline_margin is not None and r.indicator in values
            }
            fired = evaluate(policy, values, baselines)
            if fired:  # the own baseline of every fired rule, shown beside its value
                out[emp] = tuple(
                    f
                    if f.indicator is None or f.baseline is not None
                    else replace(
                        f,
                        baseline=self.baseline(
                            emp, f.indicator, day, s.baseline_days, s.baseline_min_days
                        ),
                    )
                    for f in fired
                )
        return out


def parse_records(text: str | None) -> dict[str, tuple[int, ...]]:
    """The id lists of a ``records_json`` (counts stored beside them are left out)."""
    if not text:
        return {}
    data = json.loads(text)
    return {
        kind: tuple(int(i) for i in ids)
        for kind, ids in data.items()
        if isinstance(ids, list) and all(isinstance(i, int) for i in ids)
    }


def merge_records(
    parts: Iterable[Mapping[str, Sequence[int]]],
) -> dict[str, tuple[int, ...]]:
    kinds: dict[str, set[int]] = {}
    for part in parts:
        for kind, ids in part.items():
            kinds.setdefault(kind, set()).update(ids)
    return {kind: tuple(sorted(ids)) for kind, ids in sorted(kinds.items())}


def records_on(
    session: Session, day: date, wanted: Mapping[int, Iterable[str]]
) -> dict[tuple[int, str], dict[str, tuple[int, ...]]]:
    """The record ids stored with the values of ``day``: (employee, indicator) → ids by kind."""
    if not wanted:
        return {}
    query = select(IV.employee_id, IV.indicator, IV.records_json).where(
        IV.day == day, IV.employee_id.in_(list(wanted))
    )
    return {
        (emp, indicator): parse_records(text)
        for emp, indicator, text in session.execute(query)
        if indicator in set(wanted[emp])
    }


def complete(
    fired: Sequence[FiredRule],
    *,
    day: date,
    version: int,
    readings: Mapping[str, Reading],
    records: Mapping[str, Mapping[str, tuple[int, ...]]],
) -> tuple[FiredRule, ...]:
    """``fired`` with the day, the policy version, the rate's parts and the records behind."""
    out = []
    for f in fired:
        reading = readings.get(f.indicator) if f.indicator else None
        out.append(
            replace(
                f,
                on=day,
                policy_version=version,
                numerator=reading.numerator if reading else None,
                denominator=reading.denominator if reading else None,
                records=merge_records(records.get(ind, {}) for ind in f.indicators),
            )
        )
    return tuple(out)


def trend(
    session: Session, employee_id: int, indicators: Iterable[str], start: date, end: date
) -> dict[str, tuple[TrendPoint, ...]]:
    """Each indicator's stored values from ``start`` to ``end``, day by day."""
    names = sorted(set(indicators))
    out: dict[str, list[TrendPoint]] = {name: [] for name in names}
    query = (
        select(IV.indicator, IV.day, IV.value, IV.status)
        .where(
            IV.employee_id == employee_id,
            IV.indicator.in_(names),
            IV.day >= start,
            IV.day <= end,
        )
        .order_by(IV.indicator, IV.day)
    )
    for indicator, day, value, status in session.execute(query):
        out[indicator].append(TrendPoint(day, value, status))
    return {name: tuple(points) for name, points in out.items()}


def last_indicator_day(session: Session) -> date | None:
    day: date | None = session.scalar(select(func.max(IV.day)))
    return day
