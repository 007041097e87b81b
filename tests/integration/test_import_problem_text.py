"""Every reason a row can be rejected for reads in Chinese in the GUI and the Chinese report."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workstation.app import App
from workstation.ingest.model import ImportOptions
from workstation.ingest.problem_text import is_translated, problem_text

CJK = re.compile(r"[\u4e00-\u9fff]")

#: Files whose rows break every rule a writer checks (kind → CSV text).
BAD_FILES = {
    "employees": (
        "工号,姓名,上级工号,入职日期,离职日期,企业微信账号\n"
        "E1,甲,,2020-01-01,2019-01-01,w1\n"
        "E1,乙,,,,\n"
        "E2,丙,E2,,,\n"
        "E3,丁,E9,notadate,,\n"
        "E4,戊,,,,w1\n"
        "E5,,,,,\n"
    ),
    "customers": (
        "客户编号,客户名称,纬度,经度,负责人工号,围栏半径\n"
        "C1,一,31.2,,E1,500\n"
        "C2,二,91,121,E1,500\n"
        "C3,三,31.2,121.4,E9,500\n"
        "C4,四,31.2,121.4,E1,-5\n"
        "C4,四,31.2,121.4,E1,100\n"
        "C5,五,31.2,x,E1,100\n"
    ),
    "orders": (
        "订单号,客户编号,工号,下单日期,金额,状态\n"
        "O1,C9,E1,2026-01-01,5,已完成\n"
        "O2,C1,E9,2026-01-01,5,已完成\n"
        "O3,C1,E1,2026-01-01,-5,已完成\n"
        "O4,C1,E1,2026-01-01,1e15,已完成\n"
        "O5,C1,E1,2026-01-01,5,飞了\n"
        "O6,C1,E1,1999-01-01T00:00,5,已完成\n"
    ),
    "customer_events": (
        "客户编号,日期,事件,竞争对手,新负责人工号\n"
        "C1,2026-01-01,转竞品,,\n"
        "C1,2026-01-01,转竞品,无名公司,\n"
        "C1,2026-01-01,爆炸,,\n"
    ),
    "leads": "线索编号,客户编号,工号,创建日期,成交订单号\nL1,C1,E1,2026-01-01,O99\n",
    "checkins": (
        "工号,打卡时间,纬度,经度,类型,客户编号\n"
        "E1,2026-01-05 09:00,31.2,121.4,飞行,\n"
        "E1,2026-01-05 09:00,31.2,121.4,外勤,C9\n"
        ",2026-01-05 09:00,31.2,121.4,外勤,\n"
        "E1,2126-01-05 09:00,31.2,121.4,外勤,\n"
    ),
    "tracks": (
        "工号,时间,纬度,经度,精度,速度\n"
        ",2026-01-05 09:00,31.2,121.4,5,1\n"
        "E1,,31.2,121.4,5,1\n"
        "E1,soon,31.2,121.4,5,1\n"
        "E1,1990-01-05 09:00,31.2,121.4,5,1\n"
        "E1,2026-01-05 09:00,,121.4,5,1\n"
        "E1,2026-01-05 09:00,95,121.4,5,1\n"
        "E1,2026-01-05 09:00,31.2,121.4,-5,1\n"
        "E1,2026-01-05 09:00,31.2,121.4,5,-1\n"
        "E9,2026-01-05 09:00,31.2,121.4,5,1\n"
    ),
    "communications": (
        "工号,时间,渠道,对方,方向\n"
        "E1,2026-01-05 09:00,信鸽,某人,出\n"
        "E1,2026-01-05 09:00,微信,某人,横\n"
    ),
}


def test_every_rejection_reason_of_every_kind_has_a_chinese_text(app: App, tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("工号,姓名\nE1,张伟\n", encoding="utf-8")
    app.imports.run(roster, "employees")
    customers = tmp_path / "c0.csv"
    customers.write_text("客户编号,客户名称\nC1,一\n", encoding="utf-8")
    app.imports.run(customers, "customers")
    messages: set[tuple[str, str]] = set()
    for kind, text in BAD_FILES.items():
        path = tmp_path / f"{kind}.csv"
        path.write_text(text, encoding="utf-8")
        report = app.imports.run(path, kind, ImportOptions(confirm_changes=True))
        assert report.rejected > 0, kind
        messages |= {(kind, p.message) for p in report.problems}
    assert len(messages) >= 30
    untranslated = sorted(m for _, m in messages if not is_translated(m, "zh_CN"))
    assert untranslated == []
    for kind, message in messages:
        chinese = problem_text(message, "zh_CN", kind)
        assert CJK.search(chinese), message
        assert problem_text(message, "en", kind) == message


@pytest.mark.parametrize(
    ("message", "kind", "chinese"),
    [
        ("unknown employee S9", None, "未知员工 S9"),
        (
            "unknown order status 'x'; use one of: completed",
            None,
            "未知的订单状态 'x'；可用：completed",
        ),
        (
            "time: not a date and time: 'abc'; lat: not a number: 'y'",
            "tracks",
            "时间：不是日期时间：'abc'；纬度：不是数字：'y'",
        ),
        ("time: not a date and time: 'abc'", "checkins", "打卡时间：不是日期时间：'abc'"),
        ("something new", None, "something new"),
    ],
)
def test_problem_text_patterns(message: str, kind: str | None, chinese: str) -> None:
    assert problem_text(message, "zh_CN", kind) == chinese
