"""The one-line summary under the map controls, and the plain "no data" message."""

from __future__ import annotations

from datetime import date

from workstation.i18n import Translator
from workstation.maps.model import EmployeeMapData


def _span(tr: Translator, start: date, end: date) -> str:
    if start == end:
        return tr("on {day}", day=start.isoformat())
    return tr("from {start} to {end}", start=start.isoformat(), end=end.isoformat())


def summary_text(tr: Translator, data: EmployeeMapData) -> str:
    outside = sum(1 for c in data.checkins if c.inside_fence is False)
    at_competitor = sum(1 for s in data.stops if s.place_kind == "competitor")
    parts = [
        tr(
            "{name} ({number}) {span}",
            name=data.employee_name,
            number=data.employee_no,
            span=_span(tr, data.start, data.end),
        ),
        tr("{n} track points", n=data.point_count),
        tr("{n} stops", n=len(data.stops)),
        tr("{n} at competitor sites", n=at_competitor),
        tr("{n} check-ins", n=len(data.checkins)),
        tr("{n} outside the fence", n=outside),
    ]
    return " · ".join(parts)


def no_data_text(
    tr: Translator, data: EmployeeMapData, known_range: tuple[date, date] | None
) -> str:
    message = tr(
        "No track points or check-ins for {name} {span}.",
        name=data.employee_name,
        span=_span(tr, data.start, data.end),
    )
    if known_range is None:
        return message + " " + tr("No movement data has been imported for this employee.")
    first, last = known_range
    return (
        message
        + " "
        + tr(
            "This employee has data from {first} to {last}.",
            first=first.isoformat(),
            last=last.isoformat(),
        )
    )
