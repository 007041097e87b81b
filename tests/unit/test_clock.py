"""The one clock: UTC now, the company's day, times labelled with their zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from workstation.domain.clock import (
    Clock,
    UnknownTimeZone,
    company_zone,
    day_bounds_utc,
    format_moment,
    start_of_day,
    utc_offset_label,
    zone_label,
)
from workstation.i18n import Translator
from workstation.reports.pdf_layout import pdf_date


def test_the_company_day_turns_at_local_midnight_not_utc_midnight() -> None:
    evening_utc = datetime(2026, 12, 7, 16, 30, tzinfo=UTC)  # 00:30 on the 8th in Shanghai
    clock = Clock.fixed(evening_utc)
    assert clock.now() == evening_utc
    assert clock.today() == date(2026, 12, 8)
    assert clock.yesterday() == date(2026, 12, 7)
    assert Clock.fixed(evening_utc - timedelta(hours=1)).today() == date(2026, 12, 7)


def test_another_zone_decides_its_own_day() -> None:
    clock = Clock.fixed(datetime(2026, 12, 7, 16, 30, tzinfo=UTC), company_zone("Europe/Berlin"))
    assert clock.today() == date(2026, 12, 7)
    assert clock.zone_label("zh_CN") == "UTC+1"


def test_day_bounds_are_local_midnights_in_utc() -> None:
    clock = Clock.fixed(datetime(2024, 2, 29, 12, tzinfo=UTC))
    lo, hi = clock.day_bounds_utc(date(2024, 2, 29), date(2024, 2, 29))
    assert lo == datetime(2024, 2, 28, 16, tzinfo=UTC)
    assert hi == datetime(2024, 2, 29, 16, tzinfo=UTC)
    assert clock.day_of(datetime(2024, 2, 28, 16, 0, 1, tzinfo=UTC)) == date(2024, 2, 29)


def test_times_shown_say_their_zone() -> None:
    clock = Clock.fixed(datetime(2026, 12, 7, 6, 5, tzinfo=UTC))
    moment = datetime(2026, 12, 7, 6, 5, 9, tzinfo=UTC)
    assert clock.format(moment, "zh_CN") == "2026-12-07 14:05 北京时间"
    assert clock.format(moment, "en", seconds=True) == "2026-12-07 14:05:09 UTC+8"


def test_offset_labels() -> None:
    assert utc_offset_label(timedelta(0)) == "UTC"
    assert utc_offset_label(timedelta(hours=-3, minutes=-30)) == "UTC-3:30"
    assert utc_offset_label(timedelta(hours=5, minutes=45)) == "UTC+5:45"


def test_unknown_zone_is_refused_by_name() -> None:
    with pytest.raises(UnknownTimeZone, match="Mars/Olympus"):
        company_zone("Mars/Olympus")


def test_a_source_without_zone_is_refused() -> None:
    clock = Clock(source=lambda: datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="aware"):
        clock.now()


def test_a_clock_in_another_zone_keeps_its_time_source() -> None:
    pinned = Clock.fixed(datetime(2026, 12, 7, 16, 30, tzinfo=UTC))
    berlin = pinned.in_zone(company_zone("Europe/Berlin"))
    assert berlin.now() == pinned.now()
    assert (pinned.today(), berlin.today()) == (date(2026, 12, 8), date(2026, 12, 7))
    assert (pinned.zone_name, berlin.zone_name) == ("Asia/Shanghai", "Europe/Berlin")


def test_the_label_follows_daylight_saving_at_the_moment_shown() -> None:
    clock = Clock.fixed(datetime(2026, 1, 10, 12, tzinfo=UTC), company_zone("Europe/Berlin"))
    summer = datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
    assert clock.format(summer, "en") == "2026-07-01 12:00 UTC+2"
    assert clock.format(summer, "zh_CN") == "2026-07-01 12:00 UTC+2"
    assert clock.zone_label("en") == "UTC+1"


def test_a_naive_moment_is_taken_as_utc() -> None:
    assert format_moment(datetime(2026, 12, 7, 6, 5), company_zone(), "en") == (
        "2026-12-07 14:05 UTC+8"
    )
    assert zone_label(company_zone(), "zh_CN", datetime(2026, 12, 7)) == "北京时间"


def test_day_bounds_of_a_day_with_a_daylight_saving_change() -> None:
    berlin = company_zone("Europe/Berlin")
    lo, hi = day_bounds_utc(date(2026, 3, 29), date(2026, 3, 29), berlin)
    assert (lo, hi) == (
        datetime(2026, 3, 28, 23, tzinfo=UTC),
        datetime(2026, 3, 29, 22, tzinfo=UTC),
    )
    assert start_of_day(date(2026, 3, 30), berlin) == hi


def test_a_translator_shows_times_on_the_company_clock_in_its_language() -> None:
    clock = Clock.fixed(datetime(2026, 12, 7, 16, 30, tzinfo=UTC))
    moment = datetime(2026, 12, 7, 16, 30, tzinfo=UTC)
    zh, en = Translator("zh_CN", clock), Translator("en", clock)
    assert zh.time(moment) == "2026-12-08 00:30 北京时间"
    assert en.time(moment, seconds=True) == "2026-12-08 00:30:00 UTC+8"
    assert (en.time_of_day(moment), en.day_of(moment)) == ("00:30 UTC+8", date(2026, 12, 8))
    assert zh.clock is clock and zh.clock.today() == date(2026, 12, 8)


def test_a_translator_without_the_apps_clock_gives_no_today() -> None:
    text_only = Translator("en")
    assert text_only.time(datetime(2026, 12, 7, 6, 5, tzinfo=UTC)) == "2026-12-07 14:05 UTC+8"
    with pytest.raises(RuntimeError, match="without the app's clock"):
        text_only.clock.today()


def test_pdf_dates_carry_the_zones_offset() -> None:
    moment = datetime(2026, 12, 7, 6, 5, 9, tzinfo=UTC)
    assert pdf_date(moment, company_zone()) == "D:20261207140509+08'00'"
    assert pdf_date(moment, company_zone("America/St_Johns")) == "D:20261207023509-03'30'"
