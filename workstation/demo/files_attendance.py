"""Attendance punches as the two apps export them: WeCom in 上海 and 苏州, DingTalk in 杭州 and
南京, one file per city for the whole period.

* ``企业微信打卡_<city>_<period>.json``: the ``getcheckindata`` answer. ``userid`` is the
  employee number (as many companies set it), times are epoch seconds, positions GCJ-02 ×
  1e6; a field punch (外出打卡) has the customer as ``location_title`` and the remark in
  ``notes``; a punch that never came is 未打卡 at its due time with no position (0, 0).
* ``钉钉考勤_原始记录_<city>_<period>.xlsx``: the 原始记录 workbook: two title rows, the header on
  row 3, 考勤日期 as ``26-10-26 星期一`` and 打卡时间 as ``26-10-26 08:51`` (to the minute); no
  coordinates, the address DingTalk resolved and the remark (打卡备注) instead; 缺卡 rows for
  punches that never came.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from workstation.demo.file_formats import WEEKDAYS_ZH, gcj02_text, save_workbook, span
from workstation.demo.files_master import exported_at
from workstation.demo.places import City
from workstation.demo.source_files import SourceFile
from workstation.demo.world import CheckinRec, MissedPunchRec, PersonRec, World
from workstation.domain.enums import CheckinKind

ON, OFF, FIELD = CheckinKind.ON_DUTY.value, CheckinKind.OFF_DUTY.value, CheckinKind.FIELD.value
WECOM_TYPE = {ON: "上班打卡", OFF: "下班打卡", FIELD: "外出打卡"}
WECOM_EXCEPTION = {"迟到": "时间异常", "早退": "时间异常"}
DUE = {ON: "09:00", OFF: "17:30"}
DINGTALK_HEADER = (
    *("姓名", "考勤组", "部门", "工号", "职位", "UserId", "考勤日期", "考勤时间", "打卡时间"),
    *("打卡结果", "打卡地址", "打卡备注", "异常打卡原因", "打卡图片1", "打卡图片2", "打卡设备"),
    *("管理员修改备注", "管理员修改备注图片1", "管理员修改备注图片2", "管理员修改备注图片3"),
)
DEVICES = ("HUAWEI Mate 60", "iPhone 15", "Xiaomi 14", "OPPO Reno11", "vivo X100", "iPhone 13")


def _of_city(world: World, city: City) -> tuple[list[CheckinRec], list[MissedPunchRec]]:
    punches = [c for c in world.checkins if c.employee.city is city]
    missed = [m for m in world.missed_punches if m.employee.city is city]
    return punches, missed


def _group(person: PersonRec) -> str:
    return f"{person.city.name}销售考勤组"


# -- WeCom ------------------------------------------------------------------------------------


def _wecom_punch(c: CheckinRec, lat: str, lng: str) -> dict[str, Any]:
    person, office = c.employee, c.employee.office
    at_office = c.kind != FIELD and c.source_result != "外勤"
    if at_office:
        title, detail = office.name, office.address
        exception = WECOM_EXCEPTION.get(c.source_result or "", "")
    elif c.kind == FIELD:
        title = c.customer.name if c.customer else ""
        detail, exception = c.address, ""
    else:  # an off-duty punch away from the office, at the end of a field day
        title, detail, exception = "", c.address, "地点异常"
    return {
        "userid": person.employee_no,
        "groupname": _group(person),
        "checkin_type": WECOM_TYPE[c.kind],
        "exception_type": exception,
        "checkin_time": int(c.at.timestamp()),
        "location_title": title,
        "location_detail": detail,
        "wifiname": "HDJG-Staff" if at_office else "",
        "wifimac": f"3c:46:d8:0{office.id}:6a:1f" if at_office else "",
        "notes": c.note or "",
        "mediaids": [c.photo_ref] if c.photo_ref else [],
        "lat": round(float(lat) * 1e6),
        "lng": round(float(lng) * 1e6),
        "deviceid": "",
    }


def _wecom_missed(m: MissedPunchRec) -> dict[str, Any]:
    return {
        "userid": m.employee.employee_no,
        "groupname": _group(m.employee),
        "checkin_type": WECOM_TYPE[m.kind],
        "exception_type": "未打卡",
        "checkin_time": int(m.due.timestamp()),
        "location_title": "",
        "location_detail": "",
        "wifiname": "",
        "wifimac": "",
        "notes": "",
        "mediaids": [],
        "lat": 0,
        "lng": 0,
        "deviceid": "",
    }


def wecom(folder: Path, world: World, city: City) -> SourceFile:
    punches, missed = _of_city(world, city)
    places = gcj02_text([c.lat for c in punches], [c.lon for c in punches])
    records = [
        (c.employee.employee_no, int(c.at.timestamp()), _wecom_punch(c, lat, lng))
        for c, (lat, lng) in zip(punches, places, strict=True)
    ]
    records += [(m.employee.employee_no, int(m.due.timestamp()), _wecom_missed(m)) for m in missed]
    records.sort(key=lambda r: (r[0], r[1]))
    name = f"企业微信打卡_{city.name}_{span(world.first_day, world.end_date)}.json"
    body = {"errcode": 0, "errmsg": "ok", "checkindata": [r for _, _, r in records]}
    (folder / name).write_text(json.dumps(body, ensure_ascii=False, indent=1), encoding="utf-8")
    return SourceFile(
        name,
        "checkins",
        len(records),
        f"WeCom check-ins of {city.name} (GCJ-02 × 1e6)",
    )


# -- DingTalk ---------------------------------------------------------------------------------


def _dingtalk_row(
    person: PersonRec, local: datetime, kind: str, punched: bool, result: str
) -> list[Any]:
    """The row's cells up to 打卡结果 (the rest depends on the punch)."""
    planned = "" if kind == FIELD else DUE[kind]
    return [
        person.name, _group(person), person.department, person.employee_no, person.title,
        person.dingtalk_userid, f"{local:%y-%m-%d} {WEEKDAYS_ZH[local.weekday()]}", planned,
        f"{local:%y-%m-%d %H:%M}" if punched else "", result,
    ]  # fmt: skip


def dingtalk(folder: Path, world: World, city: City) -> SourceFile:
    punches, missed = _of_city(world, city)
    rows: list[tuple[str, datetime, list[Any]]] = []
    for c in punches:
        local = c.at.astimezone(world.zone)
        cells = _dingtalk_row(c.employee, local, c.kind, True, c.source_result or "正常")
        device = DEVICES[c.employee.id % len(DEVICES)]
        cells += [c.address, c.note or "", "", c.photo_ref or "", "", device, "", "", "", ""]
        rows.append((c.employee.employee_no, local, cells))
    for m in missed:
        local = m.due.astimezone(world.zone)
        cells = _dingtalk_row(m.employee, local, m.kind, False, "缺卡")
        rows.append((m.employee.employee_no, local, [*cells, *[""] * 10]))
    rows.sort(key=lambda r: (r[0], r[1]))
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "原始记录"
    sheet.append([f"原始记录 统计日期：{world.first_day} 至 {world.end_date}"])
    made = exported_at(world)
    sheet.append([f"报表生成时间：{made:%Y-%m-%d %H:%M}"])
    sheet.append(list(DINGTALK_HEADER))
    for _, _, cells in rows:
        sheet.append(cells)
    name = f"钉钉考勤_原始记录_{city.name}_{span(world.first_day, world.end_date)}.xlsx"
    save_workbook(book, folder / name, made)
    return SourceFile(name, "checkins", len(rows), f"DingTalk 原始记录 of {city.name}")
