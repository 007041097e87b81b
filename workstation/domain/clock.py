"""The one clock of the program: what time it is, and which day it is for the company.

``app.py`` makes one ``Clock`` and hands it to every service, the demo and the GUI; nothing
else reads the wall clock (``system_utc_now`` is the only call to ``datetime.now`` in the
package). Instants are aware UTC datetimes; a *day* is always a day in the company's time zone
(Asia/Shanghai unless the installation says otherwise). Tests pin the clock with
``Clock.fixed``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

#: The company's zone unless the installation names another.
DEFAULT_COMPANY_ZONE = "Asia/Shanghai"

#: Zones that Chinese readers know as 北京时间 (China Standard Time).
_BEIJING_TIME_ZONES = frozenset(
    {"Asia/Shanghai", "Asia/Chongqing", "Asia/Chungking", "Asia/Harbin", "PRC"}
)


def system_utc_now() -> datetime:
    """The wall clock, in UTC. Only ``Clock`` calls this."""
    return datetime.now(UTC)


class UnknownTimeZone(ValueError):
    """A zone name the tz database does not know."""


def company_zone(name: str = DEFAULT_COMPANY_ZONE) -> ZoneInfo:
    """The IANA zone ``name`` (``tzdata`` supplies the database where the OS has none)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise UnknownTimeZone(f"unknown time zone {name!r}") from exc


@dataclass(frozen=True)
class Clock:
    """UTC now and the company's local day. Immutable; pass it, never reach for it."""

    zone: tzinfo = field(default_factory=company_zone)
    source: Callable[[], datetime] = system_utc_now

    # -- now --------------------------------------------------------------------------------

    def now(self) -> datetime:
        """This instant, aware, in UTC."""
        moment = self.source()
        if moment.tzinfo is None:
            raise ValueError("a clock source must return aware datetimes")
        return moment.astimezone(UTC)

    def local_now(self) -> datetime:
        """This instant on the company's wall clock."""
        return self.now().astimezone(self.zone)

    def today(self) -> date:
        """The company's current day."""
        return self.local_now().date()

    def yesterday(self) -> date:
        return self.today() - timedelta(days=1)

    # -- days and instants --------------------------------------------------------------------

    def local(self, moment: datetime) -> datetime:
        """``moment`` on the company's wall clock (a naive value is taken as UTC)."""
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(self.zone)

    def day_of(self, moment: datetime) -> date:
        """The company's day ``moment`` falls on."""
        return self.local(moment).date()

    def start_of_day(self, day: date) -> datetime:
        """The UTC instant of the company's midnight starting ``day``."""
        return datetime.combine(day, time(0), self.zone).astimezone(UTC)

    def day_bounds_utc(self, start: date, end: date) -> tuple[datetime, datetime]:
        """UTC instants of local midnight starting ``start`` and local midnight after ``end``."""
        return self.start_of_day(start), self.start_of_day(end + timedelta(days=1))

    # -- shown to a person ----------------------------------------------------------------

    def zone_label(self, locale: str = "en", moment: datetime | None = None) -> str:
        """How the zone is named beside a time: 北京时间 in Chinese for China's zone, else
        the UTC offset at ``moment`` (``UTC+8``, ``UTC-3:30``)."""
        key = getattr(self.zone, "key", None) or str(self.zone)
        if locale.startswith("zh") and key in _BEIJING_TIME_ZONES:
            return "北京时间"
        at = self.local(moment) if moment is not None else self.local_now()
        return utc_offset_label(at.utcoffset() or timedelta(0))

    def format(self, moment: datetime, locale: str = "en", *, seconds: bool = False) -> str:
        """``2026-12-07 14:05 北京时间`` / ``2026-12-07 14:05 UTC+8``."""
        local = self.local(moment)
        text = local.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
        return f"{text} {self.zone_label(locale, moment)}"

    # -- tests ----------------------------------------------------------------------------

    @classmethod
    def fixed(cls, instant: datetime, zone: tzinfo | None = None) -> Clock:
        """A clock that always reads ``instant`` (aware; naive means UTC)."""
        pinned = instant if instant.tzinfo is not None else instant.replace(tzinfo=UTC)
        return cls(zone=zone or company_zone(), source=lambda: pinned)


def utc_offset_label(offset: timedelta) -> str:
    """``UTC+8``, ``UTC-3:30``, ``UTC`` for a zero offset."""
    minutes = int(offset.total_seconds() // 60)
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")
