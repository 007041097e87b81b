"""Every reason a row can be rejected for, and every reason a file is refused for, reads in
Chinese in the GUI and the Chinese report."""

from __future__ import annotations

import os
import re
from pathlib import Path

import openpyxl
import pytest

from workstation.app import App
from workstation.ingest.errors import FileRejected
from workstation.ingest.model import ImportOptions
from workstation.ingest.problem_text import is_translated, problem_text, refusal_text

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
        f"E6,{'长' * 101},,,,\n"
        "E7,己,,,,,多余\n"
    ),
    "customers": (
        "客户编号,客户名称,纬度,经度,负责人工号,围栏半径\n"
        "C1,一,31.2,,E1,500\n"
        "C2,二,91,121,E1,500\n"
        "C3,三,31.2,121.4,E9,500\n"
        "C4,四,31.2,121.4,E1,-5\n"
        "C4,四,31.2,121.4,E1,100\n"
        "C5,五,31.2,x,E1,100\n"
        'C6,六,31.2,121.4,E1,"500,0"\n'
        "C7,七,0,0,E1,100\n"
        "C8,八,31.2,121.4,E1,90000\n"
    ),
    "ownership": (
        "客户编号,负责人工号,开始日期,结束日期\n"
        "C9,E1,,\n"
        "C1,E1,2026-02-01,2026-01-01\n"
        "C1,E1,2026-01-01,\n"
        "C1,E1,2026-01-01,\n"
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
    "leads": "线索编号,客户编号,工号,创建日期,成交订单号\nL1,C1,E9,2026-01-01,O99\n",
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
        "E1,2026-01-05 09:01,0,0,5,1\n"
        'E1,2026-01-05 09:02,"31,2",121.4,5,1\n'
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
    warned: set[tuple[str, str]] = set()
    for kind, text in BAD_FILES.items():
        path = tmp_path / f"{kind}.csv"
        path.write_text(text, encoding="utf-8")
        report = app.imports.run(path, kind, ImportOptions(confirm_changes=True))
        assert report.rejected > 0, kind
        messages |= {(kind, p.message) for p in report.problems}
        warned |= {(kind, w.message) for w in report.warnings}
    records = tmp_path / "records.json"
    records.write_text(
        '[{"employee_no": "E1", "time": "2026-01-05 09:00", "channel": "微信",'
        ' "counterpart": "a\\u0000b"}]',
        encoding="utf-8",
    )
    report = app.imports.run(records, "communications")
    messages |= {("communications", p.message) for p in report.problems}
    new_reasons = (
        "ambiguous comma in number",
        "position (0, 0)",
        "km a fence may have",
        "characters is longer than",
        "NUL character",
        "fields where the header row has",
    )
    for reason in new_reasons:
        assert any(reason in m for _, m in messages), reason
    assert len(messages) >= 36
    untranslated = sorted(m for _, m in messages if not is_translated(m, "zh_CN"))
    assert untranslated == []
    # what an import keeps but warns about reads in Chinese too
    kept = (
        tmp_path / "kept.csv",
        "客户编号,客户名称,地址,负责人工号,负责人开始日期,客户状态\n"
        "C1,一,成都市,E9,2099-01-01,正常\nC2,二,,E1,,流失\nC3,三,,E1,,休眠\n",
    )
    kept[0].write_text(kept[1], encoding="utf-8")
    report = app.imports.run(kept[0], "customers", ImportOptions(confirm_changes=True))
    assert [p.message for p in report.problems] == [
        "unknown customer status '休眠'; use one of: active, lost, transferred"
    ]
    messages |= {("customers", p.message) for p in report.problems}
    warned |= {("customers", w.message) for w in report.warnings}
    events = tmp_path / "kept_events.csv"
    events.write_text(
        "客户编号,日期,事件,竞争对手,新负责人工号,原负责人工号\n"
        "C1,2026-01-01,转竞品,无名公司,,E1\nC1,2026-01-02,改派,,E8,\n"
        "C1,2026-01-03,流失,,,E1\nC2,2025-06-01,流失,,,E9\n",
        encoding="utf-8",
    )
    report = app.imports.run(events, "customer_events")
    warned |= {("customer_events", w.message) for w in report.warnings}
    sites = tmp_path / "sites_late.csv"
    sites.write_text("竞争对手,网点,纬度,经度\n无名公司,总部,31.2,121.4\n", encoding="utf-8")
    warned |= {("competitors", w.message) for w in app.imports.run(sites, "competitors").warnings}
    expected = (
        "no as-of date given",
        "is after the list's date",
        "is not a known employee yet",
        "has an address but no coordinates",
        "has no coordinates",
        "is not in the store yet",
        "resolved 1 references",
        "the day before; the event counts for",
    )
    for reason in expected:
        assert any(reason in m for _, m in warned), reason
    assert sorted(m for _, m in warned if not is_translated(m, "zh_CN")) == []
    messages |= warned
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


def _workbook(path: Path, *rows: list[str]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _refusals(app: App, tmp_path: Path) -> list[FileRejected]:
    """Files refused for every reason the readers give (kind → file)."""
    files: list[tuple[str, Path]] = []

    def add(name: str, data: bytes | str, kind: str = "employees") -> None:
        path = tmp_path / name
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
        files.append((kind, path))

    files.append(("employees", tmp_path / "missing.csv"))
    (tmp_path / "folder.csv").mkdir()
    files.append(("employees", tmp_path / "folder.csv"))
    os.mkfifo(tmp_path / "pipe.csv")
    files.append(("employees", tmp_path / "pipe.csv"))
    add("binary.csv", b"abc\n\x00\x01\x02")
    add("utf16.csv", "工号,姓名\nS1,张伟\n".encode("utf-16"))
    add("big5.csv", "工號,姓名\nS001,陳志明\nS002,林淑芬\n".encode("big5"))
    roster = "工号,姓名\n" + "".join(f"S{i:05d},员工{i}\n" for i in range(9_000))
    add("bad_utf8.csv", roster.encode("utf-8").replace(b"S08000", b"\xff8000"))
    add("bad_gb.csv", roster.encode("gb18030").replace(b"S08000", b"\xff8000"))
    add("deep.json", "[" * 50_000 + "]" * 50_000)
    add("broken.json", '[{"employee_no": "S1",]')
    add("huge.json", '[{"employee_no": ' + "9" * 5_000 + "}]")
    add("not_xlsx.xlsx", b"PK\x03\x04 not really a zip")
    add("wide.csv", "工号,姓名\nS1,张伟,x,y\nS2,王磊\n")
    add("no_header.csv", "说明,,\na,b,c\n")
    add("other_header.csv", "工号,部门\nS1,销售部\n")
    add("bad.gpx", b'<?xml version="1.0"?><gpx version="1.1">\xff</gpx>', "tracks")
    add("root.gpx", '<?xml version="1.0"?><kml><gpx/></kml>', "tracks")
    add("broken.gpx", '<?xml version="1.0"?><gpx version="1.1"><trk>', "tracks")
    add("kml.gpx", '<?xml version="1.0"?><kml></kml>', "tracks")
    far = _workbook(tmp_path / "far.xlsx", ["工号", "姓名"], ["S1", "张伟"])
    book = openpyxl.load_workbook(far)
    book.active["XFD2"] = "x"  # type: ignore[index]
    book.save(far)
    files.append(("employees", far))
    refused: list[FileRejected] = []
    for kind, path in files:
        options = ImportOptions(employee_no="E1") if kind == "tracks" else None
        with pytest.raises(FileRejected) as info:
            app.imports.run(path, kind, options)
        refused.append(info.value)
    return refused


def test_every_file_refusal_has_a_chinese_text(app: App, tmp_path: Path) -> None:
    refused = _refusals(app, tmp_path)
    reasons = [r.reason for r in refused]
    assert len(set(reasons)) == len(reasons), "each file shows another reason"
    untranslated = [r for r in reasons if not is_translated(r, "zh_CN")]
    assert untranslated == []
    for error in refused:
        chinese = refusal_text(error, "zh_CN")
        assert chinese.startswith(error.path.name + "：") and CJK.search(chinese), error
        assert refusal_text(error, "en") == str(error)
    confirm = "this file would change the names of 5 of the 45 stored employee records "
    assert problem_text(confirm + "(more than a tenth)", "zh_CN") == (
        "此文件会修改已有 45 个员工中 5 个的名称（超过十分之一）"
    )
    assert problem_text(
        "the text is in Big5 (Traditional Chinese), not UTF-8 or GB18030; "
        "save it as UTF-8 and import it again",
        "zh_CN",
    ) == ("文本是 Big5（繁体中文） 编码，不是 UTF-8 或 GB18030；请另存为 UTF-8 后重新导入")
