"""A small 苏州 company for the check-in tests (issue 11 §3, §4), as the files its HR holds:
the roster (one WeCom account column), the office, four customers with owners (two share the
core name 恒达精密机械: one in 苏州, one in 无锡), a WeCom ``getcheckindata`` answer, a DingTalk
原始记录 workbook (20 columns, two-digit years, a bare HH:MM, a 缺卡 row, a 补卡, people known
only by name in their department) and a GPS track of S1 that places the DingTalk punches.

``import_company`` runs them through the importers, the track before or after the punches.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from workstation.app import App
from workstation.domain.clock import company_zone
from workstation.geo.coords import wgs84_to_gcj02
from workstation.ingest.model import ImportReport

SHANGHAI = company_zone("Asia/Shanghai")

DAY = date(2024, 3, 4)
NEXT = date(2024, 3, 5)
OFFICE = ("苏州分公司", "江苏省苏州市工业园区星湖街328号", 31.318, 120.674)
#: code, name, address, lat, lon, owner
CUSTOMERS = (
    ("C1", "苏州恒达精密机械有限公司", "江苏省苏州市吴中区东吴北路100号", 31.281, 120.627, "S1"),
    ("C2", "无锡恒达精密机械有限公司", "江苏省无锡市梁溪区中山路1号", 31.490, 120.310, "S2"),
    ("C3", "苏州华澜智能装备有限公司", "江苏省苏州市工业园区金鸡湖大道88号", 31.300, 120.700, "S1"),
    ("C4", "苏州德科工业技术有限公司", "江苏省苏州市相城区阳澄湖大道9号", 31.400, 120.640, "S2"),
)
#: Where S1's track is at 14:00: 3 km north of C3, near no customer.
ELSEWHERE = (31.327, 120.700)
HOME = (31.250, 120.550)
DINGTALK_HEADER = (
    *("姓名", "考勤组", "部门", "工号", "职位", "UserId", "考勤日期", "考勤时间", "打卡时间"),
    *("打卡结果", "打卡地址", "打卡备注", "异常打卡原因", "打卡图片1", "打卡图片2", "打卡设备"),
    *("管理员修改备注", "管理员修改备注图片1", "管理员修改备注图片2", "管理员修改备注图片3"),
)


def at(day: date, hh: int, mm: int) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=SHANGHAI)


def north(pos: tuple[float, float], metres: float) -> tuple[float, float]:
    return pos[0] + metres / 111_195.0, pos[1]


def customer(code: str) -> tuple[Any, ...]:
    return next(c for c in CUSTOMERS if c[0] == code)


def write_csv(path: Path, header: str, rows: list[str]) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8-sig")
    return path


def master_data(folder: Path) -> list[tuple[Path, str]]:
    roster = write_csv(
        folder / "花名册.csv",
        "工号,姓名,部门,企业微信账号",
        [
            "S1,王磊,销售部-苏州,WangLei",
            "S2,周敏,销售部-苏州,",
            "S3,王磊,销售部-无锡,",
            "S4,李娜,销售部-苏州,",
            "S5,张伟,销售部-苏州,",
            "S6,张伟,销售部-苏州,",
        ],
    )
    offices = write_csv(
        folder / "办公地点.csv",
        "办公地点,地址,纬度,经度,半径",
        [",".join(map(str, OFFICE)) + ",200"],
    )
    customers = write_csv(
        folder / "客户.csv",
        "客户编号,客户名称,地址,纬度,经度,负责人工号,围栏半径",
        [f"{c},{n},{a},{lat},{lon},{o},300" for c, n, a, lat, lon, o in CUSTOMERS],
    )
    return [(roster, "employees"), (offices, "offices"), (customers, "customers")]


def wecom_file(folder: Path) -> Path:
    def rec(user: str, kind: str, when: datetime, pos: tuple[float, float] | None, **extra: Any):
        lat, lng = (0, 0)
        if pos is not None:
            g = wgs84_to_gcj02(*pos)
            lat, lng = round(g[0] * 1e6), round(g[1] * 1e6)
        return {
            "userid": user, "groupname": "苏州销售考勤组", "checkin_type": kind,
            "exception_type": extra.get("exception", ""), "checkin_time": int(when.timestamp()),
            "location_title": extra.get("title", ""), "location_detail": extra.get("detail", ""),
            "wifiname": "", "wifimac": "", "notes": extra.get("notes", ""), "mediaids": [],
            "lat": lat, "lng": lng, "deviceid": "", "sch_checkin_time": int(when.timestamp()),
        }  # fmt: skip

    c3, c4, c1 = customer("C3"), customer("C4"), customer("C1")
    records = [
        # S1 (the roster's WeCom account) claims 恒达精密机械 in the note while at C3: his own 苏州
        # 恒达 is meant (the 无锡 one shares the core name), and he is 3.5 km from it.
        rec("WangLei", "外出打卡", at(DAY, 10, 0), c3[3:5], notes="拜访客户：恒达精密机械",
            title="金鸡湖大道"),
        # S2 (account = employee number): the location title names C4, he is there.
        rec("S2", "外出打卡", at(DAY, 11, 0), c4[3:5], title="苏州德科工业技术有限公司",
            detail=c4[2]),
        # S2, nothing named: the nearest own customer whose fence holds him.
        rec("S2", "外出打卡", at(DAY, 14, 0), north(c4[3:5], 50)),
        # S2 at C1, nobody's customer of his, nothing named: no customer.
        rec("S2", "外出打卡", at(DAY, 15, 0), c1[3:5]),
        # S2 never punched out: WeCom's 未打卡 at the scheduled time, position 0,0.
        rec("S2", "下班打卡", at(DAY, 18, 0), None, exception="未打卡"),
        rec("Ghost", "上班打卡", at(DAY, 9, 0), c1[3:5]),
        # S1's WeCom account is WangLei: "S1" is nobody's account, whatever his number is.
        rec("S1", "上班打卡", at(DAY, 9, 1), c1[3:5]),
    ]  # fmt: skip
    path = folder / "企业微信打卡.json"
    body = {"errcode": 0, "errmsg": "ok", "checkindata": records}
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    return path


def dingtalk_file(folder: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "原始记录"
    ws.append(["原始记录 统计日期：2024-03-04 至 2024-03-05"])
    ws.append(["报表生成时间：2024-03-06 09:12"])
    ws.append(list(DINGTALK_HEADER))
    c1, c3 = customer("C1"), customer("C3")

    def row(**cells: str) -> list[str]:
        base = {"姓名": "王磊", "考勤组": "苏州销售考勤组", "部门": "销售部-苏州", "工号": "S1",
                "UserId": "0123456789", "考勤日期": "24-03-04 星期一"}  # fmt: skip
        values = base | cells
        return [values.get(name, "") for name in DINGTALK_HEADER]

    rows = [
        row(考勤时间="09:00", 打卡时间="24-03-04 08:51", 打卡结果="正常", 打卡地址=OFFICE[1]),
        row(打卡时间="10:30", 打卡结果="外勤", 打卡地址=c1[2],
            打卡备注="拜访客户：苏州恒达精密机械有限公司"),
        row(打卡时间="24-03-04 14:00", 打卡结果="外勤", 打卡地址=c3[2],
            打卡备注="拜访客户：无锡恒达精密机械"),
        row(考勤时间="18:00", 打卡结果="缺卡"),
        row(考勤日期="24-03-05 星期二", 考勤时间="09:00", 打卡时间="24-03-05 09:00",
            打卡结果="补卡审批通过", 异常打卡原因="忘记打卡"),
        row(姓名="李娜", 部门="华东区/销售部-苏州", 工号="", UserId="", 考勤时间="09:00",
            打卡时间="24-03-04 08:40", 打卡结果="正常", 打卡地址=OFFICE[1]),
        row(姓名="张伟", 工号="", UserId="", 考勤时间="09:00", 打卡时间="24-03-04 08:45",
            打卡结果="正常", 打卡地址=OFFICE[1]),
    ]  # fmt: skip
    for r in rows:
        ws.append(r)
    path = folder / "钉钉考勤_原始记录.xlsx"
    wb.save(path)
    return path


def track_file(folder: Path) -> Path:
    lines = []
    c1 = customer("C1")
    for day, hh, mm, pos in (
        (DAY, 10, 20, north(c1[3:5], 20)),
        (DAY, 13, 50, ELSEWHERE),
        (NEXT, 8, 50, HOME),
    ):
        start = at(day, hh, mm)
        for minute in range(21):
            fix = start + timedelta(minutes=minute)
            lines.append(f"S1,{fix:%Y-%m-%d %H:%M:%S},{pos[0]:.6f},{pos[1]:.6f},8,0")
    return write_csv(folder / "轨迹_S1.csv", "工号,时间,纬度,经度,精度,速度", lines)


def import_master_data(app: App, folder: Path) -> None:
    for path, kind in master_data(folder):
        report = app.imports.run(path, kind)
        assert report.rejected == 0, report.problems


def import_company(app: App, folder: Path, track_first: bool) -> dict[str, ImportReport]:
    """The punches and the track (master data imported before)."""
    files = [("wecom", wecom_file(folder)), ("dingtalk", dingtalk_file(folder))]
    track = ("track", track_file(folder))
    order = [track, *files] if track_first else [*files, track]
    return {
        label: app.imports.run(path, "tracks" if label == "track" else "checkins")
        for label, path in order
    }
