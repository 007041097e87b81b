"""The sample source files written beside the full demo: present, parseable, consistent."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from workstation.app import App

GPX_NS = {"g": "http://www.topografix.com/GPX/1/1"}
CSV_COLUMNS = {
    "employees.csv": "employee_no,name,department,title,manager_no,hire_date,leave_date,wecom_userid,dingtalk_userid",  # noqa: E501
    "customers.csv": "customer_code,name,address,lat,lon,owner_no,radius_m",
    "competitors.csv": "competitor,site,address,lat,lon,radius_m",
    "offices.csv": "office,address,lat,lon,radius_m",
    "orders.csv": "order_no,customer_code,employee_no,order_date,amount,status",
    "leads.csv": "lead_id,customer_code,employee_no,created,converted_order_no",
    "customer_events.csv": "customer_code,date,event,competitor,new_owner_no,reason",
    "communications.csv": "employee_no,time,channel,counterpart,direction,content",
}


@pytest.fixture(scope="module")
def folder(demo_app: App) -> Path:
    return demo_app.settings.demo_files_dir


def _one(folder: Path, pattern: str) -> Path:
    found = sorted(folder.glob(pattern))
    assert len(found) == 1, (pattern, found)
    return found[0]


def test_summary_lists_the_files_on_disk(demo_app: App, folder: Path) -> None:
    listed = demo_app.demo.summary().demo_files
    assert listed == sorted(p for p in folder.iterdir() if p.is_file())
    assert len(listed) == len(CSV_COLUMNS) + 5


@pytest.mark.parametrize("name", sorted(CSV_COLUMNS))
def test_generic_csvs_have_their_columns_and_a_bom(demo_app: App, folder: Path, name: str) -> None:
    path = folder / name
    assert path.read_bytes()[:3] == b"\xef\xbb\xbf", "UTF-8 with BOM, for Excel"
    frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert ",".join(frame.columns) == CSV_COLUMNS[name]
    counts = demo_app.database.table_counts()
    table = {"employees.csv": "employees", "customers.csv": "customers",
             "competitors.csv": "competitor_sites", "offices.csv": "offices",
             "orders.csv": "orders", "leads.csv": "leads",
             "customer_events.csv": "customer_events",
             "communications.csv": "communications"}[name]  # fmt: skip
    assert len(frame) == counts[table]
    if "lat" in frame:
        lat, lon = frame["lat"].astype(float), frame["lon"].astype(float)
        assert lat.between(30.0, 32.5).all() and lon.between(118.3, 122.0).all()
    if name == "communications.csv":
        assert frame["time"].str.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d").all()
        assert frame["content"].str.contains("[\u4e00-\u9fff]").mean() > 0.5


def test_track_csv_is_one_employee_week_in_local_time(folder: Path, demo_app: App) -> None:
    frame = pd.read_csv(_one(folder, "tracks_*.csv"), encoding="utf-8-sig")
    assert list(frame.columns) == ["employee_no", "time", "lat", "lon", "accuracy_m", "speed_mps"]
    assert frame["employee_no"].nunique() == 1
    times = pd.to_datetime(frame["time"], format="%Y-%m-%d %H:%M:%S")
    assert times.dt.date.nunique() <= 5 and len(frame) > 2000
    assert times.dt.hour.between(7, 18).all(), "local working hours, no offset"
    assert times.is_monotonic_increasing


def test_gpx_is_one_day_of_the_diverter(folder: Path, demo_app: App) -> None:
    diverter = next(s for s in demo_app.demo.scenarios() if s["kind"] == "diverter")
    path = _one(folder, "*.gpx")
    assert diverter["employee_no"] in path.name
    root = ET.parse(path).getroot()
    assert root.tag == "{http://www.topografix.com/GPX/1/1}gpx" and root.get("version") == "1.1"
    points = root.findall("g:trk/g:trkseg/g:trkpt", GPX_NS)
    assert len(points) > 300
    times = [p.find("g:time", GPX_NS).text for p in points]  # type: ignore[union-attr]
    assert all(t and t.endswith("Z") for t in times) and times == sorted(times)
    lats = [float(p.get("lat", "nan")) for p in points]
    assert all(30.5 < x < 32 for x in lats)


def test_dingtalk_workbook_has_title_header_and_checkins(folder: Path) -> None:
    wb = load_workbook(_one(folder, "dingtalk_*.xlsx"), read_only=True)
    assert wb.sheetnames == ["原始记录"]
    rows = list(wb["原始记录"].iter_rows(values_only=True))
    assert "统计日期" in str(rows[0][0])
    header = rows[2]
    assert header[:10] == ("姓名", "考勤组", "部门", "工号", "职位", "UserId", "考勤日期",
                           "考勤时间", "打卡时间", "打卡结果")  # fmt: skip
    assert len(header) == 20
    data = rows[3:]
    assert len(data) > 100
    assert {r[9] for r in data} <= {"正常", "迟到", "早退", "外勤"}
    assert all(str(r[5]).isdigit() for r in data), "DingTalk user ids"


def test_wecom_json_looks_like_getcheckindata(folder: Path) -> None:
    body = json.loads(_one(folder, "wecom_*.json").read_text(encoding="utf-8"))
    assert body["errcode"] == 0 and body["errmsg"] == "ok"
    rows = body["checkindata"]
    assert len(rows) > 100
    assert {r["checkin_type"] for r in rows} == {"上班打卡", "下班打卡", "外出打卡"}
    for r in rows:
        assert isinstance(r["lat"], int) and 30_500_000 < r["lat"] < 32_500_000
        assert isinstance(r["lng"], int) and 119_000_000 < r["lng"] < 122_500_000
        assert isinstance(r["checkin_time"], int) and r["userid"]


def test_scenarios_json_is_the_answer_key(folder: Path, demo_app: App) -> None:
    key = json.loads((folder / "scenarios.json").read_text(encoding="utf-8"))
    assert key == demo_app.demo.scenarios()
    assert [s["kind"] for s in key] == [
        "diverter", "fake_fieldwork", "territory_change", "commute_passes_competitor",
        "office_shares_tower",
    ]  # fmt: skip
    assert all(s["description"] and "innocent" in s for s in key)
