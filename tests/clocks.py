"""The tests' clocks (imported as ``clocks``): the suite never reads the machine's time.

``pinned()`` starts on a morning a month after the demo company's last day (``DEMO_END_DATE``):
the demo's data and the tests' sample files are all in the past, and the cases' documents
can take effect on 1 December, whatever the machine's clock says. It moves on a millisecond
each time it is read, so two things done one after the other are never at the same instant
(as on a real clock), and every run sees the same instants. ``HandSetTime`` is a clock a
test moves by hand.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import count

from workstation.domain.clock import Clock

#: The demo company used across tests ends on this day (tests/conftest.py builds it).
DEMO_END_DATE = date(2026, 10, 30)
#: 10:00 on 30 November 2026 in Shanghai.
TEST_NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)


#: How far ``pinned()`` moves on at each reading.
STEP = timedelta(milliseconds=1)


class _Stepping:
    """``start``, then a step later at each reading (thread-safe: ``count`` is atomic)."""

    def __init__(self, start: datetime) -> None:
        self._start = start
        self._readings = count()

    def __call__(self) -> datetime:
        return self._start + STEP * next(self._readings)


def pinned(instant: datetime = TEST_NOW) -> Clock:
    """A clock starting at ``instant`` and moving on a millisecond at each reading (the
    company's zone: Asia/Shanghai)."""
    return Clock(source=_Stepping(instant))


class HandSetTime:
    """A time source a test sets and moves: ``clock`` reads it."""

    def __init__(self, now: datetime = TEST_NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)

    @property
    def clock(self) -> Clock:
        return Clock(source=self)
