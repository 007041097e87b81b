"""The company's clock: China Standard Time (Asia/Shanghai, UTC+8).

China has had no daylight saving since 1991, so a fixed offset is exact for every date the
workstation handles and needs no tz database (trimmed Windows bundles have none). Times are
stored in UTC; "a day" anywhere in the program (maps, tables, indicators) is a local day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

LOCAL_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")


def local_day_bounds_utc(start: date, end: date) -> tuple[datetime, datetime]:
    """UTC instants of local midnight starting ``start`` and local midnight after ``end``."""
    lo = datetime.combine(start, time(0), LOCAL_TZ).astimezone(UTC)
    hi = datetime.combine(end + timedelta(days=1), time(0), LOCAL_TZ).astimezone(UTC)
    return lo, hi
