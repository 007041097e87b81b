"""Cell text to typed values: what sources really write, and clear reasons when it fails."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from workstation.ingest.values import (
    ValueProblem,
    parse_date,
    parse_datetime,
    parse_decimal,
    parse_number,
    parse_text,
    zone,
)

CST = timezone(timedelta(hours=8))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234.5", 1234.5),
        ("1,234.50", 1234.5),
        ("￥12,000", 12000.0),
        ("12000元", 12000.0),
        ("１２３", 123.0),
        (" -7 ", -7.0),
        ("", None),
    ],
)
def test_numbers(text: str, expected: float | None) -> None:
    assert parse_number(text) == expected


def test_amounts_keep_their_cents_exactly() -> None:
    assert parse_decimal("0.10") == Decimal("0.10")


@pytest.mark.parametrize("text", ["abc", "1.2.3", "nan", "inf"])
def test_not_numbers_say_so(text: str) -> None:
    with pytest.raises(ValueProblem, match="number"):
        parse_number(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1,234.56", 1234.56), ("1234.56", 1234.56), ("-12,345,678", -12345678.0), ("1,234", 1234.0)],
)
def test_commas_between_thousands_are_read(text: str, expected: float) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["500,0", "1.234,56", "31,230416", "12,34", "1,2345", ",5", "1,"])
def test_other_commas_are_refused_as_ambiguous_not_guessed(text: str) -> None:
    # 500,0 was read as 5000 m and 1.234,56 as 1.23 before
    with pytest.raises(ValueProblem, match=r"^ambiguous comma in number '.*': write decimals"):
        parse_number(text)


@pytest.mark.parametrize(
    "text",
    [
        "2026-10-03",
        "2026/10/3",
        "2026.10.03",
        "2026年10月3日",
        "20261003",
        "2026-10-03 星期五",
        "2026-10-03 08:30:00",
        "46298",
    ],
)
def test_dates_in_the_forms_sources_write(text: str) -> None:
    assert parse_date(text) == date(2026, 10, 3)


@pytest.mark.parametrize("text", ["2026-13-01", "2026-02-30", "yesterday", "03/10/2026"])
def test_impossible_or_ambiguous_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueProblem, match="not a date"):
        parse_date(text)


def test_empty_cells_are_none() -> None:
    assert parse_date(" ") is None
    assert parse_datetime("", CST) is None
    assert parse_text("  ") is None


@pytest.mark.parametrize(
    ("text", "expected_utc"),
    [
        ("2026-10-03 08:30:00", datetime(2026, 10, 3, 0, 30, tzinfo=UTC)),
        ("2026/10/3 8:30", datetime(2026, 10, 3, 0, 30, tzinfo=UTC)),
        ("2026年10月3日 08:30", datetime(2026, 10, 3, 0, 30, tzinfo=UTC)),
        ("2026-10-03T08:30:00+01:00", datetime(2026, 10, 3, 7, 30, tzinfo=UTC)),
        ("2026-10-03T00:30:00Z", datetime(2026, 10, 3, 0, 30, tzinfo=UTC)),
        ("2026-10-03 08:30:00.250", datetime(2026, 10, 3, 0, 30, 0, 250000, tzinfo=UTC)),
        ("1791017400", datetime(2026, 10, 3, 8, 50, tzinfo=UTC)),
        ("1791017400000", datetime(2026, 10, 3, 8, 50, tzinfo=UTC)),
    ],
)
def test_datetimes_without_offset_are_shanghai_and_offsets_are_respected(
    text: str, expected_utc: datetime
) -> None:
    moment = parse_datetime(text, CST)
    assert moment is not None and moment.tzinfo is not None
    assert moment.astimezone(UTC) == expected_utc


def test_the_user_may_say_another_zone() -> None:
    moment = parse_datetime("2026-10-03 08:30", zone("Europe/Ljubljana", CST))
    assert moment is not None
    assert moment.astimezone(UTC) == datetime(2026, 10, 3, 6, 30, tzinfo=UTC)
    shanghai = zone("Asia/Shanghai", UTC)
    assert shanghai.utcoffset(datetime(2026, 10, 3)) == CST.utcoffset(None)
    with pytest.raises(ValueProblem, match="unknown time zone"):
        zone("Mars/Olympus", CST)


def test_no_zone_named_is_the_company_zone() -> None:
    berlin = zone("Europe/Berlin", UTC)
    assert zone(None, berlin) is berlin and zone("  ", berlin) is berlin
    moment = parse_datetime("2026-07-01 09:00", zone("", berlin))
    assert moment is not None and moment.astimezone(UTC).hour == 7


@pytest.mark.parametrize("text", ["2026-10-03 25:00", "soon", "2026-10-03 08:30 CST"])
def test_bad_datetimes_are_refused_with_the_text(text: str) -> None:
    with pytest.raises(ValueProblem, match="not a date and time"):
        parse_datetime(text, CST)
