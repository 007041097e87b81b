"""The one clock of the program: what time it is, and which day it is for the company.

``app.py`` makes one ``Clock`` and hands it to every service, the demo and the GUI; nothing
else reads the wall clock (``system_utc_now`` is the only call to ``datetime.now`` in the
package). Instants are aware UTC datetimes; a *day* is always a day in the company's time zone
(Asia/Shanghai unless the installation says otherwise). Tests pin the clock with
``Clock.fixed``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
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
        return start_of_day(day, self.zone)

    def day_bounds_utc(self, start: date, end: date) -> tuple[datetime, datetime]:
        """UTC instants of local midnight starting ``start`` and local midnight after ``end``."""
        return day_bounds_utc(start, end, self.zone)

    # -- shown to a person ----------------------------------------------------------------

    @property
    def zone_name(self) -> str:
        """The zone's IANA name (``Asia/Shanghai``)."""
        return zone_name(self.zone)

    def zone_label(self, locale: str = "en", moment: datetime | None = None) -> str:
        """How the zone is named beside a time: 北京时间 in Chinese for China's zone, else
        the UTC offset at ``moment`` (``UTC+8``, ``UTC-3:30``)."""
        return zone_label(self.zone, locale, moment if moment is not None else self.now())

    def format(self, moment: datetime, locale: str = "en", *, seconds: bool = False) -> str:
        """``2026-12-07 14:05 北京时间`` / ``2026-12-07 14:05 UTC+8``."""
        return format_moment(moment, self.zone, locale, seconds=seconds)

    def in_zone(self, zone: tzinfo) -> Clock:
        """The same time source, counting days in ``zone``."""
        return replace(self, zone=zone)

    # -- tests ----------------------------------------------------------------------------

    @classmethod
    def fixed(cls, instant: datetime, zone: tzinfo | None = None) -> Clock:
        """A clock that always reads ``instant`` (aware; naive means UTC)."""
        pinned = instant if instant.tzinfo is not None else instant.replace(tzinfo=UTC)
        return cls(zone=zone or company_zone(), source=lambda: pinned)


def start_of_day(day: date, zone: tzinfo) -> datetime:
    """The UTC instant of midnight starting ``day`` in ``zone``."""
    return datetime.combine(day, time(0), zone).astimezone(UTC)


def day_bounds_utc(start: date, end: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """UTC instants of ``zone``'s midnight starting ``start`` and its midnight after ``end``."""
    return start_of_day(start, zone), start_of_day(end + timedelta(days=1), zone)


def zone_name(zone: tzinfo) -> str:
    """The IANA name of ``zone`` (``Asia/Shanghai``); its ``tzname`` for a zone without one."""
    key = getattr(zone, "key", None)
    return key if isinstance(key, str) else str(zone)


def zone_label(zone: tzinfo, locale: str, moment: datetime) -> str:
    """How ``zone`` is named beside a time: 北京时间 in Chinese for China's zone, else its UTC
    offset at ``moment`` (``UTC+8``, ``UTC-3:30``)."""
    if locale.startswith("zh") and zone_name(zone) in _BEIJING_TIME_ZONES:
        return "北京时间"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return utc_offset_label(moment.astimezone(zone).utcoffset() or timedelta(0))


def format_moment(moment: datetime, zone: tzinfo, locale: str, *, seconds: bool = False) -> str:
    """``2026-12-07 14:05 北京时间`` / ``2026-12-07 14:05 UTC+8``: ``moment`` on ``zone``'s
    wall clock, saying which (a naive ``moment`` is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone(zone)
    text = local.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
    return f"{text} {zone_label(zone, locale, moment)}"


def utc_offset_label(offset: timedelta) -> str:
    """``UTC+8``, ``UTC-3:30``, ``UTC`` for a zero offset."""
    minutes = int(offset.total_seconds() // 60)
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")
