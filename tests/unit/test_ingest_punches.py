"""Attendance rows: DingTalk's two-digit years, missed punches, and the report's counts."""

from __future__ import annotations

import pytest

from workstation.domain.clock import company_zone
from workstation.ingest.adapters.attendance import full_year, wecom_row
from workstation.ingest.report_counts import count_lines, count_text
from workstation.ingest.values import parse_date, parse_datetime
from workstation.ingest.writers.movement import is_missed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24-03-04 星期一", "2024-03-04 星期一"),
        ("24-03-04 08:51", "2024-03-04 08:51"),
        ("24-3-4", "2024-3-4"),
        ("24/03/04 08:51:07", "2024-03-04 08:51:07"),
        (" 24-03-04 ", "2024-03-04"),
        ("2024-03-04 08:51", "2024-03-04 08:51"),  # a four-digit year is left alone
        ("08:51", "08:51"),
        ("240304", "240304"),
        ("24-03-04x", "24-03-04x"),
        ("", ""),
    ],
)
def test_dingtalk_two_digit_years(text: str, expected: str) -> None:
    assert full_year(text) == expected


def test_the_full_years_parse() -> None:
    assert str(parse_date(full_year("24-02-26 星期一"))) == "2024-02-26"
    moment = parse_datetime(full_year("24-02-26 08:03"), company_zone("Asia/Shanghai"))
    assert moment is not None and moment.isoformat() == "2024-02-26T08:03:00+08:00"


@pytest.mark.parametrize(
    ("result", "missed"),
    [
        ("缺卡", True),
        ("未打卡", True),
        ("时间异常;未打卡", True),
        ("Missed", True),
        ("正常", False),
        ("补卡审批通过", False),
        ("外勤", False),
        ("", False),
        (None, False),
    ],
)
def test_missed_punches_are_known_by_their_result(result: str | None, missed: bool) -> None:
    assert is_missed(result) is missed


def test_a_wecom_missed_punch_has_no_position() -> None:
    row = wecom_row(
        {"userid": "BS1463", "checkin_type": "下班打卡", "checkin_time": 1709546400,
         "exception_type": "未打卡", "lat": 0, "lng": 0}
    )  # fmt: skip
    assert (row["lat"], row["lon"], row["source_result"], row["kind"]) == (
        "", "", "未打卡", "off_duty"
    )  # fmt: skip


def test_report_counts_read_as_lines() -> None:
    counts = {
        "identity.account_is_employee_no": 1738,
        "link.remark": 446,
        "link.title": 293,
        "link.fence": 46,
        "link.none": 15,
        "position.device": 1732,
        "missed_punches": 6,
    }
    assert [count_text(line) for line in count_lines(counts)] == [
        "People found: 1,738 by an employee number equal to the account",
        "Check-ins linked to a customer: 446 named in the remark; 293 named in the location "
        "title; 46 by the nearest own customer's fence",
        "Check-in positions: 1,732 GPS fix of the app",
        "Field check-ins without a customer: 15",
        "Missed punches kept (缺卡 / 未打卡): 6",
    ]
    assert count_lines({}) == []
