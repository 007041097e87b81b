"""Attendance sources: WeCom getcheckindata JSON, DingTalk attendance/list JSON and the DingTalk
原始记录 workbook, imported as check-ins by account, with positions from GCJ-02 or by address."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import select

import workstation.ingest.adapters  # noqa: F401  (registers the adapters)
from workstation.app import App
from workstation.config import Settings, load_settings
from workstation.domain.clock import company_zone
from workstation.domain.enums import CoordSystem
from workstation.geo.coords import gcj02_to_wgs84
from workstation.ingest.model import ImportOptions
from workstation.store.models import Checkin, Customer, Employee, ImportBatch, Office


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    """This module's stores: a real SQLite file and a real PostgreSQL database (``db_url``)."""
    return load_settings(tmp_path / "data", db_url)


DING_WANG = "0123456789012345"
OFFICE = ("苏州分公司", "江苏省苏州市工业园区星湖街328号", 31.318, 120.674)
CUSTOMER = ("C1", "苏州恒达", "苏州市吴中区东吴北路100号", 31.281, 120.627)
DINGTALK_HEADER = (
    *("姓名", "考勤组", "部门", "工号", "职位", "UserId", "考勤日期", "考勤时间", "打卡时间"),
    *("打卡结果", "打卡地址", "打卡备注", "异常打卡原因", "打卡图片1", "打卡图片2", "打卡设备"),
)


@pytest.fixture
def company(app: App) -> App:
    with app.uow() as uow:
        s = uow.session
        s.add(Employee(employee_no="S1", name="王磊", wecom_userid="WangLei",
                       dingtalk_userid=DING_WANG))  # fmt: skip
        s.add(Employee(employee_no="S2", name="李娜", wecom_userid="LiNa"))
        s.add(Employee(employee_no="S3", name="王磊"))  # same name: never matched by name
        s.add(Office(name=OFFICE[0], address=OFFICE[1], lat=OFFICE[2], lon=OFFICE[3]))
        s.add(Customer(code=CUSTOMER[0], name=CUSTOMER[1], address=CUSTOMER[2],
                       lat=CUSTOMER[3], lon=CUSTOMER[4]))  # fmt: skip
        uow.commit()
    return app


def _local(*args: int) -> datetime:
    return datetime(*args, tzinfo=company_zone())  # type: ignore[misc]


def _checkins(app: App) -> list[Checkin]:
    with app.uow() as uow:
        rows = list(uow.session.scalars(select(Checkin).order_by(Checkin.source_row)))
        uow.session.expunge_all()
    return rows


def _profile(app: App, batch_id: int | None) -> str:
    with app.uow() as uow:
        batch = uow.session.get(ImportBatch, batch_id)
        assert batch is not None
        return batch.source_profile


def _employee_id(app: App, number: str) -> int:
    with app.uow() as uow:
        found = uow.session.scalar(select(Employee.id).where(Employee.employee_no == number))
        assert found is not None
        return found


def _customer_id(app: App, code: str) -> int:
    with app.uow() as uow:
        found = uow.session.scalar(select(Customer.id).where(Customer.code == code))
        assert found is not None
        return found


def _wecom(tmp_path: Path) -> Path:
    def rec(user: str, type_: str, at: datetime, lat: int, lng: int, **extra: Any) -> dict:
        return {
            "userid": user, "groupname": "苏州销售考勤组", "checkin_type": type_,
            "exception_type": extra.get("exception", ""), "checkin_time": int(at.timestamp()),
            "location_title": extra.get("title", ""), "location_detail": extra.get("detail", ""),
            "wifiname": "", "wifimac": "", "notes": extra.get("notes", ""),
            "mediaids": extra.get("media", []), "lat": lat, "lng": lng, "deviceid": "",
        }  # fmt: skip

    data = [
        rec("WangLei", "上班打卡", _local(2026, 10, 26, 8, 58), 31318123, 120674456,
            title=OFFICE[0], detail=OFFICE[1]),
        rec("WangLei", "外出打卡", _local(2026, 10, 26, 10, 30), 31281000, 120627000,
            title=CUSTOMER[1], detail=CUSTOMER[2], notes="拜访",
            media=["WWCISP_a", "WWCISP_b"]),
        rec("LiNa", "下班打卡", _local(2026, 10, 26, 17, 20), 0, 0, exception="时间异常"),
        rec("Ghost", "上班打卡", _local(2026, 10, 26, 9, 0), 31318000, 120674000),
    ]  # fmt: skip
    path = tmp_path / "wecom_checkindata.json"
    body = {"errcode": 0, "errmsg": "ok", "checkindata": data}
    path.write_text(json.dumps(body, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def test_wecom_json_by_account_with_gcj02_millionths(company: App, tmp_path: Path) -> None:
    report = company.imports.run(_wecom(tmp_path), "checkins", ImportOptions(source="auto"))
    assert (report.rows_read, report.accepted, report.rejected) == (4, 3, 1)
    assert _profile(company, report.batch_id) == "wecom"
    problem = report.problems[0]
    assert (problem.row, problem.field) == (4, "wecom_userid")
    assert problem.message == (
        "no employee with WeCom account Ghost (neither an employee's wecom_userid nor employee "
        "number; import employees with their wecom_userid first)"
    )
    on, field, off = _checkins(company)
    assert [c.kind for c in (on, field, off)] == ["on_duty", "field", "off_duty"]
    assert [c.source_row for c in (on, field, off)] == [1, 2, 3]
    assert on.employee_id == _employee_id(company, "S1")
    assert off.employee_id == _employee_id(company, "S2")
    assert on.checked_at == datetime(2026, 10, 26, 0, 58, tzinfo=UTC)
    assert (on.coord_system, on.orig_lat, on.orig_lon) == ("GCJ02", 31.318123, 120.674456)
    wgs = gcj02_to_wgs84(31.318123, 120.674456)
    assert on.lat == pytest.approx(wgs[0], abs=1e-9)
    assert on.lon == pytest.approx(wgs[1], abs=1e-9)
    assert on.address == f"{OFFICE[0]} {OFFICE[1]}"
    assert (field.note, field.photo_ref) == ("拜访", "WWCISP_a;WWCISP_b")
    # The location title names the customer (issue 11 §3); the position is the phone's fix.
    assert field.customer_id == _customer_id(company, CUSTOMER[0])
    assert (field.link_method, field.link_text) == ("title", f"{CUSTOMER[1]} {CUSTOMER[2]}")
    assert (on.position_source, on.link_method, on.customer_id) == ("device", None, None)
    # lat = lng = 0 is WeCom's "no fix": no position, not the Gulf of Guinea.
    assert (off.lat, off.lon, off.orig_lat, off.source_result) == (None, None, None, "时间异常")


def _dingtalk_api(tmp_path: Path) -> Path:
    def rec(user: str, at: datetime, check: str, location: str, lat: float, **extra: Any) -> dict:
        return {
            "userId": user, "userCheckTime": int(at.timestamp() * 1000), "checkType": check,
            "timeResult": extra.get("time_result", "Normal"), "locationResult": location,
            "sourceType": "USER", "userLatitude": lat, "userLongitude": 120.674,
            "userAccuracy": 25, "userAddress": extra.get("address", OFFICE[1]),
            "baseCheckTime": int(at.timestamp() * 1000), "groupId": 1, "planId": 2,
        }  # fmt: skip

    data = [
        rec(DING_WANG, _local(2026, 10, 27, 9, 5), "OnDuty", "Normal", 31.318,
            time_result="Late"),
        rec(DING_WANG, _local(2026, 10, 27, 15, 0), "OffDuty", "Outside", 31.281,
            address=CUSTOMER[2]),
        rec("999", _local(2026, 10, 27, 9, 0), "OnDuty", "Normal", 31.318),
    ]  # fmt: skip
    path = tmp_path / "dingtalk_attendance.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("source", ["auto", "dingtalk-api"])
def test_dingtalk_api_records(company: App, tmp_path: Path, source: str) -> None:
    report = company.imports.run(_dingtalk_api(tmp_path), "checkins", ImportOptions(source=source))
    assert (report.accepted, report.rejected) == (2, 1)
    assert _profile(company, report.batch_id) == "dingtalk-api"
    assert (report.problems[0].row, report.problems[0].field) == (3, "dingtalk_userid")
    assert "no employee with DingTalk UserId 999" in report.problems[0].message
    on, outside = _checkins(company)
    assert (on.kind, outside.kind) == ("on_duty", "field")
    assert on.checked_at == datetime(2026, 10, 27, 1, 5, tzinfo=UTC)
    assert (on.source_result, outside.source_result) == ("Late/Normal", "Normal/Outside")
    assert (on.accuracy_m, on.coord_system, on.orig_lat) == (25, "GCJ02", 31.318)
    assert on.lat == pytest.approx(gcj02_to_wgs84(31.318, 120.674)[0], abs=1e-9)
    assert outside.address == CUSTOMER[2]


def _dingtalk_xlsx(
    tmp_path: Path, name: str, header: tuple[str, ...], rows: list[dict[str, Any]]
) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "原始记录"
    ws.cell(1, 1, "原始记录 统计日期：2026-10-26 至 2026-10-30")
    for col, text in enumerate(header, start=1):
        ws.cell(3, col, text)
    for r, row in enumerate(rows, start=4):
        for col, text in enumerate(header, start=1):
            if text in row:
                ws.cell(r, col, row[text])
    path = tmp_path / name
    wb.save(path)
    return path


def test_dingtalk_export_placed_by_address(company: App, tmp_path: Path) -> None:
    base = {"姓名": "王磊", "考勤组": "苏州销售考勤组", "工号": "S1", "UserId": DING_WANG,
            "考勤日期": "2026-10-26 星期一"}  # fmt: skip
    rows = [
        {**base, "考勤时间": "09:00", "打卡时间": datetime(2026, 10, 26, 8, 57),
         "打卡结果": "正常", "打卡地址": OFFICE[1], "打卡图片1": "https://img.example/1.jpg"},
        {**base, "打卡时间": "11:40", "打卡结果": "外勤",
         "打卡地址": "苏州市吴中区东吴北路 100 号", "打卡备注": "送样品"},
        {**base, "考勤时间": "", "打卡时间": time(18, 2), "打卡结果": "正常",
         "打卡地址": "南京市鼓楼区中山路1号"},
        {**base, "工号": "S404", "UserId": "", "打卡时间": "2026-10-26 09:00:00",
         "打卡结果": "正常"},
    ]  # fmt: skip
    path = _dingtalk_xlsx(tmp_path, "dingtalk_原始记录.xlsx", DINGTALK_HEADER, rows)
    report = company.imports.run(path, "checkins")
    assert _profile(company, report.batch_id) == "dingtalk-export"
    assert (report.accepted, report.rejected) == (3, 1)
    assert (report.problems[0].row, report.problems[0].field) == (7, "employee_no")
    on, field, off = _checkins(company)
    assert [c.source_row for c in (on, field, off)] == [4, 5, 6]
    assert [c.kind for c in (on, field, off)] == ["on_duty", "field", "off_duty"]
    assert on.checked_at == datetime(2026, 10, 26, 0, 57, tzinfo=UTC)
    assert field.checked_at == datetime(2026, 10, 26, 3, 40, tzinfo=UTC)  # date from 考勤日期
    assert off.checked_at == datetime(2026, 10, 26, 10, 2, tzinfo=UTC)
    assert (on.lat, on.lon, on.coord_system, on.accuracy_m) == (*OFFICE[2:], "WGS84", None)
    assert (on.address, on.source_result, on.photo_ref) == (
        OFFICE[1], "正常", "https://img.example/1.jpg"
    )  # fmt: skip
    assert (field.lat, field.lon) == CUSTOMER[3:]
    assert (field.customer_id, field.address, field.note) == (
        None, "苏州市吴中区东吴北路 100 号", "送样品"
    )  # fmt: skip
    assert (off.lat, off.lon, off.address) == (None, None, "南京市鼓楼区中山路1号")


def test_older_dingtalk_export_without_group_column(company: App, tmp_path: Path) -> None:
    header = ("姓名", "部门", "工号", "UserId", "考勤日期", "考勤时间", "打卡时间", "打卡结果",
              "打卡地址")  # fmt: skip
    rows = [
        {"姓名": "李娜", "工号": "S2", "考勤日期": "2026-10-28", "考勤时间": "下班1 17:30",
         "打卡时间": "2026-10-28 17:31", "打卡结果": "正常", "打卡地址": OFFICE[1]},
    ]  # fmt: skip
    path = _dingtalk_xlsx(tmp_path, "old.xlsx", header, rows)
    report = company.imports.run(path, "checkins", ImportOptions(source="dingtalk-export"))
    assert (report.accepted, report.rejected) == (1, 0)
    (only,) = _checkins(company)
    assert (only.kind, only.employee_id) == ("off_duty", _employee_id(company, "S2"))
    assert (only.lat, only.lon) == OFFICE[2:]


def test_generic_file_may_name_the_person_by_account(company: App, tmp_path: Path) -> None:
    path = tmp_path / "by_account.csv"
    path.write_text(
        "企业微信账号,打卡时间,类型,打卡结果\nLiNa,2026-10-27 09:01,上班,正常\n"
        "WangLei,2026-10-27 09:02,上班,正常\n,2026-10-27 09:03,上班,正常\n",
        encoding="utf-8",
    )
    report = company.imports.run(path, "checkins")
    assert _profile(company, report.batch_id) == "csv"
    assert (report.accepted, report.rejected) == (2, 1)
    assert report.problems[0].row == 4
    assert [c.employee_id for c in _checkins(company)] == [
        _employee_id(company, "S2"),
        _employee_id(company, "S1"),
    ]


def _demo_attendance_store(demo_app: App, app: App) -> list[Path]:
    """The demo's offices, roster and customer master in ``app``; its attendance files."""
    folder = demo_app.settings.demo_files_dir
    master = [("办公地点.csv", "offices", CoordSystem.GCJ02), ("花名册_*.xlsx", "employees", None)]
    master.append(("客户主数据_*.csv", "customers", CoordSystem.GCJ02))
    for pattern, kind, crs in master:
        options = ImportOptions(crs=crs) if crs else None
        assert app.imports.run(next(folder.glob(pattern)), kind, options).rejected == 0, kind
    return sorted(folder.glob("企业微信打卡_*.json")) + sorted(folder.glob("钉钉考勤_原始记录_*"))


def test_demo_wecom_files_import_without_rejects(demo_app: App, app: App) -> None:
    files = _demo_attendance_store(demo_app, app)
    wecom = [p for p in files if p.suffix == ".json"]
    assert len(wecom) == 2
    for path in wecom:
        report = app.imports.run(path, "checkins")
        assert report.rejected == 0, [p.text() for p in report.problems[:5]]
        assert report.accepted > 0 and report.accepted + report.duplicates == report.rows_read
        assert _profile(app, report.batch_id) == "wecom"
    with app.uow() as uow:
        positions = list(uow.session.execute(select(Checkin.lat, Checkin.lon)))
    placed = [p for p in positions if p.lat is not None]
    assert len(placed) > 0.9 * len(positions), "all but the 未打卡 records have a position"


def test_demo_dingtalk_workbooks_import_without_rejects(demo_app: App, app: App) -> None:
    files = _demo_attendance_store(demo_app, app)
    dingtalk = [p for p in files if p.suffix == ".xlsx"]
    assert len(dingtalk) == 2
    for path in dingtalk:
        report = app.imports.run(path, "checkins")
        assert _profile(app, report.batch_id) == "dingtalk-export"
        assert report.rejected == 0, [p.text() for p in report.problems[:5]]


def test_identifiers_naming_two_people_are_refused(company: App, tmp_path: Path) -> None:
    path = tmp_path / "conflict.csv"
    path.write_text(
        "wecom_userid,employee_no,time,kind\nLiNa,S1,2026-10-27 09:01,on_duty\n"
        "WangLei,S404,2026-10-27 09:02,on_duty\n",
        encoding="utf-8",
    )
    report = company.imports.run(path, "checkins", ImportOptions(source="csv"))
    assert (report.accepted, report.rejected) == (1, 1)
    assert (
        report.problems[0].message == "wecom_userid LiNa, employee_no S1 name different employees"
    )
    assert [c.employee_id for c in _checkins(company)] == [_employee_id(company, "S1")]
