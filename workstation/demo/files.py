"""Sample source files to import: what HR would get from the CRM, WeCom, DingTalk, a GPS logger.

Generic CSVs (UTF-8 with BOM, so Excel opens them; the company's local time, no offset), a
track CSV for one employee-week, a GPX 1.1 day of the diverter with a rival visit, a DingTalk
"原始记录" workbook and a WeCom ``getcheckindata`` JSON for one week, and the answer key.
"""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from workstation.demo.clock import day_epoch_s, local_text, utc_from_ms
from workstation.demo.geom import to_gcj02
from workstation.demo.scenarios import Cast
from workstation.demo.tracks import TrackArrays
from workstation.demo.world import CheckinRec, World
from workstation.domain.enums import CheckinKind

WEEKDAYS_ZH = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
DINGTALK_HEADER = (
    *("姓名", "考勤组", "部门", "工号", "职位", "UserId", "考勤日期", "考勤时间", "打卡时间"),
    *("打卡结果", "打卡地址", "打卡备注", "异常打卡原因", "打卡图片1", "打卡图片2", "打卡设备"),
    *("管理员修改备注", "管理员修改备注图片1", "管理员修改备注图片2", "管理员修改备注图片3"),
)
CHECKIN_TYPE_ZH = {"on_duty": "上班打卡", "off_duty": "下班打卡", "field": "外出打卡"}
DEVICES = ("HUAWEI Mate 60", "iPhone 15", "Xiaomi 14", "OPPO Reno11", "vivo X100", "iPhone 13")
EMPLOYEE_COLS = (
    *("employee_no", "name", "department", "title", "manager_no", "hire_date", "leave_date"),
    *("wecom_userid", "dingtalk_userid"),
)
EVENT_COLS = ("customer_code", "date", "event", "competitor", "new_owner_no", "reason")
COMM_COLS = ("employee_no", "time", "channel", "counterpart", "direction", "content")
TRACK_COLS = ("employee_no", "time", "lat", "lon", "accuracy_m", "speed_mps")
#: The files this module writes (and removes before writing again).
FILE_PATTERNS = ("*.csv", "*.gpx", "*.xlsx", "*.json")


def last_full_week(end: date) -> list[date]:
    """Monday to Friday of the last week whose Friday is on or before ``end``."""
    friday = end - timedelta(days=(end.weekday() - 4) % 7)
    return [friday - timedelta(days=4 - i) for i in range(5)]


def write_demo_files(
    folder: Path,
    world: World,
    cast: Cast,
    diverter_track: TrackArrays,
    scenarios: list[dict[str, Any]],
) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    for pattern in FILE_PATTERNS:
        for old in folder.glob(pattern):
            old.unlink()
    week = last_full_week(world.end_date)
    paths = [
        *_generic_csvs(folder, world),
        _track_csv(folder, world, cast, diverter_track, week),
        _gpx(folder, world, cast, diverter_track),
        _dingtalk_xlsx(folder, world, week),
        _wecom_json(folder, world, week),
    ]
    key = folder / "scenarios.json"
    key.write_text(json.dumps(scenarios, ensure_ascii=False, indent=2), encoding="utf-8")
    return sorted([*paths, key])


def _csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(["" if v is None else v for v in row] for row in rows)
    return path


def _generic_csvs(folder: Path, world: World) -> list[Path]:
    by_id = {p.id: p for p in world.people}
    current = {o.customer.id: o.employee.employee_no for o in world.ownerships if o.end is None}

    def no(person_id: int | None) -> str | None:
        return by_id[person_id].employee_no if person_id else None

    tables: list[tuple[str, tuple[str, ...], Iterable[Sequence[Any]]]] = [
        ("employees", EMPLOYEE_COLS, (
            (p.employee_no, p.name, p.department, p.title, no(p.manager_id),
             p.hire_date.isoformat(), None, p.wecom_userid, p.dingtalk_userid)
            for p in world.people)),
        ("offices", ("office", "address", "lat", "lon", "radius_m"), (
            (o.name, o.address, o.lat, o.lon, o.radius_m) for o in world.offices)),
        ("customers", ("customer_code", "name", "address", "lat", "lon", "owner_no", "radius_m"), (
            (c.code, c.name, c.address, c.lat, c.lon, current.get(c.id), c.radius_m)
            for c in world.customers)),
        ("competitors", ("competitor", "site", "address", "lat", "lon", "radius_m"), (
            (s.competitor.name, s.name, s.address, s.lat, s.lon, s.radius_m)
            for s in world.sites)),
        ("orders", ("order_no", "customer_code", "employee_no", "order_date", "amount", "status"), (
            (o.order_no, o.customer.code, o.employee.employee_no, o.day.isoformat(),
             f"{o.amount:.2f}", o.status)
            for o in world.orders)),
        ("leads", ("lead_id", "customer_code", "employee_no", "created", "converted_order_no"), (
            (x.lead_no, x.customer.code if x.customer else None, x.employee.employee_no,
             x.created.isoformat(), x.order.order_no if x.order else None)
            for x in world.leads)),
        ("customer_events", EVENT_COLS, (
            (e.customer.code, e.day.isoformat(), e.kind,
             e.competitor.name if e.competitor else None,
             e.new_owner.employee_no if e.new_owner else None, e.reason)
            for e in world.events)),
        ("communications", COMM_COLS, (
            (c.employee.employee_no, local_text(c.at, world.zone), c.channel, c.counterpart,
             c.direction, c.content)
            for c in world.communications)),
    ]  # fmt: skip
    return [_csv(folder / f"{name}.csv", header, rows) for name, header, rows in tables]


def _track_csv(
    folder: Path, world: World, cast: Cast, track: TrackArrays, week: list[date]
) -> Path:
    p = cast.diverter
    zone = world.zone
    lo = day_epoch_s(week[0], zone) * 1000
    hi = day_epoch_s(week[-1] + timedelta(days=1), zone) * 1000
    keep = (track.t_ms >= lo) & (track.t_ms < hi)
    rows = (
        (p.employee_no, local_text(utc_from_ms(t), zone), f"{lat:.7f}", f"{lon:.7f}", f"{acc:.0f}",
         f"{v:.1f}")
        for t, lat, lon, acc, v in zip(
            track.t_ms[keep].tolist(), track.lat[keep].tolist(), track.lon[keep].tolist(),
            track.accuracy_m[keep].tolist(), track.speed_mps[keep].tolist(), strict=True,
        )
    )  # fmt: skip
    name = f"tracks_{p.employee_no}_{week[0]:%Y%m%d}-{week[-1]:%Y%m%d}.csv"
    return _csv(
        folder / name, ["employee_no", "time", "lat", "lon", "accuracy_m", "speed_mps"], rows
    )


def _gpx(folder: Path, world: World, cast: Cast, track: TrackArrays) -> Path:
    p = cast.diverter
    rival_days = sorted({d for d, kind in cast.stops.get(p.id, []) if kind == "rival"})
    day = rival_days[-1] if rival_days else world.end_date
    lo = day_epoch_s(day, world.zone) * 1000
    keep = (track.t_ms >= lo) & (track.t_ms < lo + 86_400_000)
    ns = "http://www.topografix.com/GPX/1/1"
    ET.register_namespace("", ns)
    root = ET.Element(
        f"{{{ns}}}gpx", {"version": "1.1", "creator": "Casework demo (GPS logger export)"}
    )
    meta = ET.SubElement(root, f"{{{ns}}}metadata")
    ET.SubElement(meta, f"{{{ns}}}name").text = f"{p.employee_no} {p.name} {day.isoformat()}"
    trk = ET.SubElement(root, f"{{{ns}}}trk")
    ET.SubElement(trk, f"{{{ns}}}name").text = f"{p.name} {day.isoformat()}"
    seg = ET.SubElement(trk, f"{{{ns}}}trkseg")
    for t, lat, lon, acc in zip(
        track.t_ms[keep].tolist(), track.lat[keep].tolist(), track.lon[keep].tolist(),
        track.accuracy_m[keep].tolist(), strict=True,
    ):  # fmt: skip
        pt = ET.SubElement(seg, f"{{{ns}}}trkpt", {"lat": f"{lat:.7f}", "lon": f"{lon:.7f}"})
        when = datetime.fromtimestamp(t / 1000, tz=UTC)
        ET.SubElement(pt, f"{{{ns}}}time").text = when.strftime("%Y-%m-%dT%H:%M:%SZ")
        ET.SubElement(pt, f"{{{ns}}}hdop").text = f"{max(0.5, acc / 5.0):.1f}"
    path = folder / f"track_{p.employee_no}_{day:%Y%m%d}.gpx"
    ET.indent(root)
    ET.ElementTree(root).write(path, encoding="UTF-8", xml_declaration=True)
    return path


def _week_checkins(world: World, week: list[date], app: str) -> list[CheckinRec]:
    days = set(week)
    return sorted(
        (c for c in world.checkins
         if c.employee.city.attendance_app == app and c.at.astimezone(world.zone).date() in days),
        key=lambda c: (c.employee.employee_no, c.at),
    )  # fmt: skip


def _dingtalk_xlsx(folder: Path, world: World, week: list[date]) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "原始记录"
    ws.append([f"原始记录 统计日期：{week[0].isoformat()} 至 {week[-1].isoformat()}"])
    made = datetime.combine(week[-1] + timedelta(days=1), time(9, 0))
    ws.append([f"报表生成时间：{made:%Y-%m-%d %H:%M}"])
    ws.append(DINGTALK_HEADER)
    for c in _week_checkins(world, week, "dingtalk"):
        p, local = c.employee, c.at.astimezone(world.zone)
        planned = {"on_duty": "09:00", "off_duty": "17:30"}.get(c.kind, "")
        ws.append([
            p.name, f"{p.city.name}销售考勤组", p.department, p.employee_no, p.title,
            p.dingtalk_userid, f"{local:%Y-%m-%d} {WEEKDAYS_ZH[local.weekday()]}", planned,
            f"{local:%Y-%m-%d %H:%M:%S}", c.source_result, c.address, c.note or "",
            "", c.photo_ref or "", "", DEVICES[p.id % len(DEVICES)],
            "", "", "", "",
        ])  # fmt: skip
    wb.properties.created = wb.properties.modified = made
    path = folder / f"dingtalk_原始记录_{week[0]:%Y%m%d}-{week[-1]:%Y%m%d}.xlsx"
    wb.save(path)
    return path


def _wecom_json(folder: Path, world: World, week: list[date]) -> Path:
    data = []
    checkins = _week_checkins(world, week, "wecom")
    gcj = to_gcj02([c.lat for c in checkins], [c.lon for c in checkins])
    for c, glat, glon in zip(checkins, *gcj, strict=True):
        office = c.kind != CheckinKind.FIELD.value and c.source_result != "外勤"
        title = c.employee.office.name if office else (c.customer.name if c.customer else "")
        exception = {"迟到": "时间异常", "早退": "时间异常"}.get(c.source_result or "", "")
        data.append({
            "userid": c.employee.wecom_userid,
            "groupname": f"{c.employee.city.name}销售考勤组",
            "checkin_type": CHECKIN_TYPE_ZH[c.kind],
            "exception_type": exception,
            "checkin_time": int(c.at.timestamp()),
            "location_title": title,
            "location_detail": c.address,
            "wifiname": "HDJG-Staff" if office else "",
            "wifimac": f"3c:46:d8:0{c.employee.office.id}:6a:1f" if office else "",
            "notes": c.note or "",
            "mediaids": [c.photo_ref] if c.photo_ref else [],
            "lat": round(glat * 1e6),
            "lng": round(glon * 1e6),
            "deviceid": "",
        })  # fmt: skip
    path = folder / f"wecom_checkindata_{week[0]:%Y%m%d}-{week[-1]:%Y%m%d}.json"
    body = {"errcode": 0, "errmsg": "ok", "checkindata": data}
    path.write_text(json.dumps(body, ensure_ascii=False, indent=1), encoding="utf-8")
    return path
