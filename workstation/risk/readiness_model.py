"""What the data lets Casework see (issue 11 §5), as plain values and as stable JSON.

A readiness report is taken for the whole store as of one day (the company's last local day
with data) and says, for each gap, how many records have it out of how many, a few of them
by key, and what to import to close it. ``to_json_dict`` is what ``workstation data check
--json`` prints; its keys are documented in the README and do not change lightly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from workstation.domain.indicators import Indicator

#: How many keys a line names at most (the count says how many there are).
EXAMPLES = 5


class Gap(StrEnum):
    """The gaps a report counts; the values are the JSON keys."""

    #: Customers without a position: no geofence, so no check-in or stop is ever at them.
    CUSTOMERS_WITHOUT_POSITION = "customers_without_position"
    #: Field check-ins in the window that found no customer: fake field work cannot judge them.
    CHECKINS_WITHOUT_CUSTOMER = "field_checkins_without_customer"
    #: Salespeople without a single track point in the window: no stops, no competitor overlap.
    SALESPEOPLE_WITHOUT_TRACKS = "salespeople_without_tracks"
    #: Customers held since a day no file gives: churn counts them as held on every earlier day.
    OWNERSHIP_WITHOUT_START = "ownership_without_start"


@dataclass(frozen=True)
class GapLine:
    gap: Gap
    #: Records with the gap, out of ``total`` records of that kind.
    count: int
    total: int
    #: Up to ``EXAMPLES`` of them by key (customer code, employee number, ...), sorted.
    examples: tuple[str, ...]

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "key": self.gap.value,
            "count": self.count,
            "total": self.total,
            "examples": list(self.examples),
        }


@dataclass(frozen=True)
class IndicatorLine:
    indicator: Indicator
    #: Employees whose denominator reaches the minimum on the day (status ``ok``)...
    enough: int
    #: ...out of the salespeople the indicators are computed for.
    employees: int
    #: Up to ``EXAMPLES`` employee numbers of those with too little data.
    short: tuple[str, ...]

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator.value,
            "enough": self.enough,
            "employees": self.employees,
            "short_examples": list(self.short),
        }


@dataclass(frozen=True)
class ReadinessReport:
    #: The day the report is taken on: the last day with data (None: the store holds none,
    #: and ``window_end`` is the company's today).
    day: date | None
    window_start: date
    window_end: date
    #: The policy version whose window and minimum denominator were used (None: the default
    #: policy, none stored yet).
    policy_version: int | None
    min_denominator: int
    gaps: tuple[GapLine, ...]
    indicators: tuple[IndicatorLine, ...]

    @property
    def window_days(self) -> int:
        return (self.window_end - self.window_start).days + 1

    def gap(self, gap: Gap) -> GapLine:
        return next(line for line in self.gaps if line.gap is gap)

    def indicator(self, indicator: Indicator) -> IndicatorLine:
        return next(line for line in self.indicators if line.indicator is indicator)

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat() if self.day else None,
            "window": {
                "start": self.window_start.isoformat(),
                "end": self.window_end.isoformat(),
                "days": self.window_days,
            },
            "policy_version": self.policy_version,
            "min_denominator": self.min_denominator,
            "gaps": [line.to_json_dict() for line in self.gaps],
            "indicators": [line.to_json_dict() for line in self.indicators],
        }
