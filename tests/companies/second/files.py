"""The company as the files its HR department holds, each in the layout of its source.

label: file (import kind; layout)

* roster: 花名册.xlsx (employees; the HR roster, without a WeCom account column)
* offices: 办公地点.csv (offices; GCJ-02 from Amap)
* competitors: 竞争对手网点.csv (competitors; GCJ-02, some radii left empty)
* customers: 客户主数据_20240519.csv (customers; the CRM snapshot, GB18030, GCJ-02,
  分配日期 where known, 客户状态, a few without coordinates)
* ownership: 客户负责人变更记录.csv (ownership; customer, owner, from, to)
* events: 客户动态_….csv (customer-events; 流失 / 转竞品 / 改派 / 新签 with 原负责人工号)
* orders: 订单_….csv (orders; dates as 2024/3/4)
* leads: 线索_….csv (leads; the export starts five weeks before the orders export)
* dingtalk: 钉钉考勤_原始记录_成都_….xlsx (checkins; 原始记录, header on row 3, YY-MM-DD)
* wecom: 企业微信打卡_重庆_….json (checkins; getcheckindata, GCJ-02 × 1e6, 未打卡 records)
* tracks_csv: 轨迹_<工号>_….csv (tracks; WGS-84, local times, a fix a minute)
* tracks_gpx: 轨迹_<工号>_….gpx (tracks; GPX 1.1 logger, UTC, ``--employee``)
* communications: 会话存档_….csv (communications; the WeCom chat archive)

Generic CSVs are UTF-8 with a BOM (as Excel saves them), the customer master GB18030 (as the
CRM exports it); times are local Beijing time without an offset.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from companies.second.book import LOST, REASSIGNED, TRANSFERRED, WON, Book
from companies.second.cast import CHONGQING_OFFICE, OFFICES, Person, Site
from companies.second.chats import Message
from companies.second.field import FIELD, OFF_DUTY, ON_DUTY, Day, Punch, office_of
from companies.second.geo import LatLon, to_gcj02
from companies.second.tracks import Fixes
from companies.second.workdays import CST, END, LEADS_START, START, WEEKDAYS_ZH
from openpyxl import Workbook

SPAN = f"{START:%Y%m%d}-{END:%Y%m%d}"
EVENT_ZH = {LOST: "流失", TRANSFERRED: "转竞品", REASSIGNED: "改派", WON: "新签"}
STATUS_ZH = {
    "completed": "已完成",
    "open": "进行中",
    "cancelled": "已取消",
    "transferred": "转竞品",
}
DINGTALK_HEADER = (
    *("姓名", "考勤组", "部门", "工号", "职位", "UserId", "考勤日期", "考勤时间", "打卡时间"),
    *("打卡结果", "打卡地址", "打卡备注", "异常打卡原因", "打卡图片1", "打卡图片2", "打卡设备"),
    *("管理员修改备注", "管理员修改备注图片1", "管理员修改备注图片2", "管理员修改备注图片3"),
)
WECOM_TYPE = {ON_DUTY: "上班打卡", OFF_DUTY: "下班打卡", FIELD: "外出打卡"}
DEVICES = ("HUAWEI Mate 60", "iPhone 15", "Xiaomi 14", "OPPO Reno11", "vivo X100", "iPhone 13")
LEAD_SOURCES = ("展会", "官网咨询", "老客户转介绍", "电话营销", "招投标网站")


@dataclass(frozen=True)
class SourceFile:
    """One file and how a user imports it: ``workstation import PATH --kind KIND *ARGS``."""

    label: str
    path: Path
    kind: str
    args: tuple[str, ...]
    #: Records in the file: an importer that keeps every row accepts this many.
    rows: int

    def manifest(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "file": self.path.name,
            "kind": self.kind,
            "args": list(self.args),
            "rows": self.rows,
        }


def gcj(pos: LatLon) -> tuple[str, str]:
    lat, lon = to_gcj02(pos)
    return f"{lat:.6f}", f"{lon:.6f}"


def _csv(
    path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]], encoding: str = "utf-8-sig"
) -> int:
    n = 0
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])
            n += 1
    return n


def _save_xlsx(wb: Workbook, path: Path, made: datetime) -> None:
    """Save with fixed timestamps inside the zip, so the same seed gives the same bytes."""
    wb.properties.created = wb.properties.modified = made
    buffer = io.BytesIO()
    wb.save(buffer)
    stamp = (made.year, made.month, made.day, made.hour, made.minute, made.second)
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" with now
                when = f"{made:%Y-%m-%dT%H:%M:%S}Z".encode()
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + when, data)
            entry = zipfile.ZipInfo(info.filename, stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, data)


def _d(day: date | None) -> str:
    return day.isoformat() if day else ""


def roster(folder: Path, people: list[Person]) -> SourceFile:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "花名册"
    ws.append(
        ["工号", "姓名", "性别", "部门", "职位", "直属上级工号", "入职日期", "工作地点", "在职状态"]
    )
    ordered = sorted(people, key=lambda p: (p.role != "director", p.city, p.no))
    for p in ordered:
        department = "销售部" if p.role == "director" else p.department
        ws.append(
            [p.no, p.name, p.gender, department, p.title, p.manager_no, p.hire, p.city, "在职"]
        )
        ws.cell(ws.max_row, 7).number_format = "yyyy-mm-dd"
    path = folder / "花名册.xlsx"
    _save_xlsx(wb, path, datetime(2024, 5, 20, 8, 30))
    return SourceFile("roster", path, "employees", (), len(ordered))


def offices(folder: Path) -> SourceFile:
    path = folder / "办公地点.csv"
    rows = [(o.name, o.address, *gcj(o.pos), f"{o.radius_m:g}") for o in OFFICES]
    n = _csv(path, ("办公地点", "地址", "纬度", "经度", "半径"), rows)
    return SourceFile("offices", path, "offices", ("--crs", "gcj02"), n)


def competitors(folder: Path, sites: list[Site]) -> SourceFile:
    path = folder / "竞争对手网点.csv"
    rows = [
        (s.competitor, s.name, s.address, *gcj(s.pos), f"{s.radius_m:g}" if s.radius_m else "")
        for s in sites
    ]
    n = _csv(path, ("竞争对手", "网点", "地址", "纬度", "经度", "半径"), rows)
    return SourceFile("competitors", path, "competitors", ("--crs", "gcj02"), n)


def customers(folder: Path, book: Book, names: dict[str, str]) -> SourceFile:
    """The CRM customer master as of END: every customer with its last owner (a lost
    customer keeps the owner who lost it, and says so in 客户状态), 分配日期 when the CRM
    knows it, and no coordinates for the few the CRM could not place."""
    closing = {e.customer: e.kind for e in book.events if e.kind in (LOST, TRANSFERRED)}
    rows = []
    for code in sorted(book.customers):
        c = book.customers[code]
        last = max(book.periods(code), key=lambda h: h.start)
        status = {LOST: "流失", TRANSFERRED: "已转竞品"}.get(closing.get(code, ""), "正常")
        lat, lon = gcj(c.pos) if c.has_coords else ("", "")
        rows.append(
            (code, c.name.full, c.address, lat, lon, f"{c.radius_m:g}", last.owner,
             names[last.owner], _d(last.shown_since), status)
        )  # fmt: skip
    path = folder / f"客户主数据_{END:%Y%m%d}.csv"
    header = ("客户编号", "客户名称", "地址", "纬度", "经度", "围栏半径", "负责人工号", "负责人")
    n = _csv(path, (*header, "分配日期", "客户状态"), rows, encoding="gb18030")
    return SourceFile("customers", path, "customers", ("--crs", "gcj02"), n)


def ownership(folder: Path, book: Book) -> SourceFile:
    """Every owner change the CRM logged in the period (the territory move and the new hire's
    customers): each customer's periods, a start left empty where the CRM does not know it."""
    moved = sorted({e.customer for e in book.events if e.kind == REASSIGNED})
    rows = [
        (code, h.owner, _d(h.shown_since), _d(h.end))
        for code in moved
        for h in sorted(book.periods(code), key=lambda h: h.start)
    ]
    path = folder / "客户负责人变更记录.csv"
    n = _csv(path, ("客户编号", "负责人工号", "开始日期", "结束日期"), rows)
    return SourceFile("ownership", path, "ownership", (), n)


def events(folder: Path, book: Book) -> SourceFile:
    rows = [
        (e.customer, book.customers[e.customer].name.full, e.day.isoformat(), EVENT_ZH[e.kind],
         e.competitor, e.old_owner, e.new_owner, e.reason)
        for e in book.events
    ]  # fmt: skip
    path = folder / f"客户动态_{SPAN}.csv"
    header = ("客户编号", "客户名称", "日期", "事件", "竞争对手", "原负责人工号", "新负责人工号")
    n = _csv(path, (*header, "原因"), rows)
    return SourceFile("events", path, "customer-events", (), n)


def orders(folder: Path, book: Book) -> SourceFile:
    rows = [
        (o.no, o.customer, book.customers[o.customer].name.full, o.owner,
         f"{o.day.year}/{o.day.month}/{o.day.day}", f"{o.amount:.2f}", STATUS_ZH[o.status])
        for o in book.orders
        if o.day >= START
    ]  # fmt: skip
    path = folder / f"订单_{SPAN}.csv"
    n = _csv(path, ("订单号", "客户编号", "客户名称", "工号", "下单日期", "金额", "状态"), rows)
    return SourceFile("orders", path, "orders", (), n)


def leads(folder: Path, book: Book) -> SourceFile:
    rows = [
        (x.lead_id, x.customer, x.owner, x.created.isoformat(), x.order.no if x.order else None,
         LEAD_SOURCES[int(x.lead_id[2:]) % len(LEAD_SOURCES)])
        for x in book.leads
    ]  # fmt: skip
    path = folder / f"线索_{LEADS_START:%Y%m%d}-{END:%Y%m%d}.csv"
    header = ("线索编号", "客户编号", "工号", "创建日期", "成交订单号", "线索来源")
    n = _csv(path, header, rows)
    return SourceFile("leads", path, "leads", (), n)


def dingtalk(folder: Path, people: dict[str, Person], days: list[Day]) -> SourceFile:
    """成都's DingTalk 原始记录: two title rows, the header on row 3, dates and times with a
    two-digit year (``24-03-04 星期一``, ``24-03-04 08:51``), 缺卡 rows without a time."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "原始记录"
    ws.append([f"原始记录 统计日期：{START.isoformat()} 至 {END.isoformat()}"])
    made = datetime.combine(END + timedelta(days=1), datetime.min.time()) + timedelta(
        hours=9, minutes=12
    )
    ws.append([f"报表生成时间：{made:%Y-%m-%d %H:%M}"])
    ws.append(list(DINGTALK_HEADER))
    punches = [
        (people[d.person], d.day, punch)
        for d in days
        if people[d.person].city == "成都"
        for punch in d.punches
    ]
    punches.sort(key=lambda x: (x[0].name, x[1], _punch_order(x[2])))
    for p, day, punch in punches:
        planned = {ON_DUTY: "09:00", OFF_DUTY: "18:00"}.get(punch.kind, "")
        when = f"{punch.at.astimezone(CST):%y-%m-%d %H:%M}" if punch.at else ""
        reason = "忘记打卡" if punch.result == "补卡审批通过" else ""
        office = office_of(p)
        address = (
            punch.detail
            if punch.kind == FIELD
            else ("四川省" + office.address if punch.at and punch.pos else "")
        )
        ws.append([
            p.name, "成都销售考勤组", p.department, p.no, p.title, p.dingtalk_userid,
            f"{day:%y-%m-%d} {WEEKDAYS_ZH[day.weekday()]}", planned, when, punch.result,
            address, punch.note, reason, "", "", DEVICES[int(p.no[2:]) % len(DEVICES)],
            "", "", "", "",
        ])  # fmt: skip
    path = folder / f"钉钉考勤_原始记录_成都_{SPAN}.xlsx"
    _save_xlsx(wb, path, made)
    return SourceFile("dingtalk", path, "checkins", (), len(punches))


def _punch_order(p: Punch) -> tuple[int, float]:
    at = p.at or p.scheduled
    assert at is not None
    return (0, at.timestamp())


def wecom(folder: Path, people: dict[str, Person], days: list[Day]) -> SourceFile:
    """重庆's WeCom ``getcheckindata`` answer: userid = employee number, GCJ-02 × 1e6, missed
    punches as 未打卡 records at the scheduled time with no position."""
    records = []
    for d in sorted(days, key=lambda d: (d.person, d.day)):
        p = people[d.person]
        if p.city != "重庆":
            continue
        for punch in d.punches:
            at = punch.at or punch.scheduled
            assert at is not None
            lat, lng = (0, 0)
            if punch.pos is not None:
                g = to_gcj02(punch.pos)
                lat, lng = round(g[0] * 1e6), round(g[1] * 1e6)
            at_office = punch.kind != FIELD and punch.pos is not None
            records.append({
                "userid": p.wecom_userid,
                "groupname": "重庆销售考勤组",
                "checkin_type": WECOM_TYPE[punch.kind],
                "exception_type": punch.result,
                "checkin_time": int(at.timestamp()),
                "location_title": punch.title,
                "location_detail": punch.detail,
                "wifiname": "BSLT-Staff" if at_office else "",
                "wifimac": "3c:46:d8:21:6a:1f" if at_office else "",
                "notes": punch.note,
                "mediaids": [],
                "lat": lat,
                "lng": lng,
                "deviceid": "",
                "sch_checkin_time": int(punch.scheduled.timestamp()) if punch.scheduled else 0,
                "groupid": 3,
                "schedule_id": 0,
                "timeline_id": 1,
            })  # fmt: skip
    path = folder / f"企业微信打卡_重庆_{SPAN}.json"
    body = {"errcode": 0, "errmsg": "ok", "checkindata": records}
    path.write_text(json.dumps(body, ensure_ascii=False, indent=1), encoding="utf-8")
    assert CHONGQING_OFFICE.city == "重庆"
    return SourceFile("wecom", path, "checkins", (), len(records))


def _local_times(t_ms: np.ndarray) -> list[str]:
    """``YYYY-MM-DD HH:MM:SS`` Beijing time of epoch milliseconds."""
    local = (t_ms + 8 * 3_600_000).astype("datetime64[ms]").astype("datetime64[s]")
    return [s.replace("T", " ") for s in np.datetime_as_string(local, unit="s").tolist()]


def track_csv(folder: Path, p: Person, fixes: Fixes) -> SourceFile:
    path = folder / f"轨迹_{p.no}_{SPAN}.csv"
    rows = zip(
        [p.no] * fixes.t_ms.size,
        _local_times(fixes.t_ms),
        np.char.mod("%.6f", fixes.lat).tolist(),
        np.char.mod("%.6f", fixes.lon).tolist(),
        np.char.mod("%.0f", fixes.accuracy_m).tolist(),
        np.char.mod("%.1f", fixes.speed_mps).tolist(),
        strict=True,
    )
    n = _csv(path, ("工号", "时间", "纬度", "经度", "精度", "速度"), rows)
    return SourceFile("tracks_csv", path, "tracks", (), n)


def track_gpx(folder: Path, p: Person, days: list[tuple[date, Fixes]]) -> SourceFile:
    """One person's logger over the period, a track segment per day (times in UTC)."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<gpx xmlns="http://www.topografix.com/GPX/1/1" version="1.1" '
        'creator="GT-730FL GPS Logger Export">',
        f"  <metadata><name>{p.name} {SPAN}</name></metadata>",
        f"  <trk><name>{p.no} {SPAN}</name>",
    ]
    n = 0
    for _, fixes in days:
        out.append("    <trkseg>")
        utc = fixes.t_ms.astype("datetime64[ms]").astype("datetime64[s]")
        times = np.datetime_as_string(utc, unit="s").tolist()
        hdop = np.maximum(0.6, fixes.accuracy_m / 5.0)
        for when, lat, lon, h in zip(
            times, fixes.lat.tolist(), fixes.lon.tolist(), hdop.tolist(), strict=True
        ):
            out.append(
                f'      <trkpt lat="{lat:.6f}" lon="{lon:.6f}"><time>{when}Z</time>'
                f"<hdop>{h:.1f}</hdop></trkpt>"
            )
            n += 1
        out.append("    </trkseg>")
    out += ["  </trk>", "</gpx>", ""]
    path = folder / f"轨迹_{p.no}_{SPAN}.gpx"
    path.write_text("\n".join(out), encoding="utf-8")
    return SourceFile("tracks_gpx", path, "tracks", ("--employee", p.no), n)


def communications(folder: Path, messages: list[Message]) -> SourceFile:
    rows = [
        (m.person, m.at.astimezone(CST).strftime("%Y-%m-%d %H:%M:%S"), "企业微信", m.counterpart,
         "发送" if m.outgoing else "接收", m.content)
        for m in messages
    ]  # fmt: skip
    path = folder / f"会话存档_{SPAN}.csv"
    n = _csv(path, ("工号", "时间", "渠道", "对方", "方向", "内容"), rows)
    return SourceFile("communications", path, "communications", (), n)
