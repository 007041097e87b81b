"""The company's calendar: the data period, the 2024 working days of mainland China (public
holidays off, the 调休 weekend days worked) and local times (Beijing time, UTC+8, no DST).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

#: Beijing time. China has kept UTC+8 without daylight saving since 1991.
CST = timezone(timedelta(hours=8), "CST")

#: First and last day of the exports (84 days).
START = date(2024, 2, 26)
END = date(2024, 5, 19)
#: The leads export reaches further back than the orders export (issue 11 §4).
LEADS_START = date(2024, 1, 22)
#: Indicators use a 30-day window: the first day whose window lies wholly in the data.
WINDOW_DAYS = 30
EVAL_START = START + timedelta(days=WINDOW_DAYS - 1)

#: 2024 public holidays falling on weekdays (春节, 清明, 劳动节) and the weekend days worked.
HOLIDAYS = frozenset(
    [date(2024, 2, d) for d in range(10, 18)]
    + [date(2024, 4, 4), date(2024, 4, 5), date(2024, 4, 6)]
    + [date(2024, 5, d) for d in range(1, 6)]
)
MAKEUP_WORKDAYS = frozenset(
    {date(2024, 2, 4), date(2024, 2, 18), date(2024, 4, 7), date(2024, 4, 28), date(2024, 5, 11)}
)
WEEKDAYS_ZH = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


def is_workday(day: date) -> bool:
    if day in MAKEUP_WORKDAYS:
        return True
    return day.weekday() < 5 and day not in HOLIDAYS


def days_between(first: date, last: date) -> list[date]:
    """Every day from ``first`` to ``last``, both included."""
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def workdays_between(first: date, last: date) -> list[date]:
    return [d for d in days_between(first, last) if is_workday(d)]


WORKDAYS = workdays_between(START, END)
EVAL_DAYS = days_between(EVAL_START, END)


def at(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """A local moment of ``day``."""
    return datetime.combine(day, time(hour, minute, second), CST)


def minutes(day: date, minute_of_day: float) -> datetime:
    """The local moment ``minute_of_day`` minutes after midnight of ``day``."""
    return datetime.combine(day, time(0), CST) + timedelta(minutes=minute_of_day)
