"""The demo company written as its files, without a database: each source's layout, what the
files say against the generated company, the manifest, and the same bytes for the same seed."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from workstation.demo.company_files import write_manifest, write_steps
from workstation.demo.files_master import crm_live
from workstation.demo.generate import Generated, generate
from workstation.demo.source_files import VISIT_PLANS, SourceFile
from workstation.demo.world import DemoSize
from workstation.domain.clock import company_zone
from workstation.domain.enums import CoordSystem, CustomerEventKind, CustomerStatus
from workstation.domain.ownership import Change, Snapshot, derive

EVENTS = {
    "流失": CustomerEventKind.LOST.value,
    "转竞品": CustomerEventKind.TRANSFERRED.value,
    "改派": CustomerEventKind.REASSIGNED.value,
    "新签": CustomerEventKind.WON.value,
}
STATUSES = {
    "正常": CustomerStatus.ACTIVE.value,
    "流失": CustomerStatus.LOST.value,
    "已转竞品": CustomerStatus.TRANSFERRED.value,
}
SMALL = DemoSize(salespeople_per_city=4, customers=200, days=40)
END = date(2026, 10, 30)


@pytest.fixture(scope="module")
def company() -> Generated:
    return generate(3, END, SMALL, company_zone())


class Written(dict[str, SourceFile]):
    """The files written (by name, in import order) and the folder they are in."""

    folder: Path


@pytest.fixture(scope="module")
def written(company: Generated, tmp_path_factory: pytest.TempPathFactory) -> Written:
    folder = tmp_path_factory.mktemp("files")
    files = [f for step in write_steps(folder, company) for f in step.write()]
    write_manifest(folder, files, [])
    found = Written((f.name, f) for f in files)
    found.folder = folder
    return found


def _folder(written: Written) -> Path:
    return written.folder


def _one(written: Written, pattern: str) -> SourceFile:
    found = [f for name, f in written.items() if re.fullmatch(pattern, name)]
    assert len(found) == 1, (pattern, sorted(written))
    return found[0]


def _csv(path: Path, encoding: str = "utf-8-sig") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_step_writes_its_files_in_import_order(written: Written) -> None:
    names = list(written)
    kinds = [written[n].kind for n in names]
    order = ["offices", "employees", "competitors", "customers"]
    assert kinds[:4] == order, "master data first"
    assert kinds.index("orders") < kinds.index("leads"), "a lead names its order"
    assert kinds.index("customer_events") > kinds.index("customers")
    first_track = kinds.index("tracks")
    assert set(kinds[first_track : first_track + 17]) == {"tracks"}
    assert sum(k == "tracks" for k in kinds) == 16 + 1, "a CSV per salesperson and one GPX"
    for name in names:
        assert (_folder(written) / name).is_file(), name


def test_the_manifest_says_how_each_file_is_imported(written: Written) -> None:
    manifest = json.loads((_folder(written) / "manifest.json").read_text(encoding="utf-8"))
    entries = {e["file"]: e for e in manifest["files"]}
    assert list(entries) == list(written)
    master = next(e for n, e in entries.items() if n.startswith("客户主数据_"))
    assert master["command"] == (
        f"workstation import {master['file']} --kind customers --crs gcj02 --as-of 2026-10-30"
    )
    assert master["as_of"] == "2026-10-30"
    assert sum("as_of" in e for e in entries.values()) == 1, "only the customer list"
    waiting = [e for e in entries.values() if not e["imported"]]
    assert [e["kind"] for e in waiting] == ["sales_tasks"]
    assert waiting[0]["waits_for"] == VISIT_PLANS and "command" not in waiting[0]
    gpx = next(e for n, e in entries.items() if n.endswith(".gpx"))
    assert gpx["command"].endswith(f"--kind tracks --employee {gpx['file'].split('_')[1]}")
    assert not any(n.startswith("stand-ins/") for n in entries), "only the company's own files"


def test_the_customer_master_is_the_crm_as_of_the_last_day(
    company: Generated, written: Written
) -> None:
    source = _one(written, r"客户主数据_20261030\.csv")
    assert source.crs is CoordSystem.GCJ02
    rows = {r["客户编号"]: r for r in _csv(_folder(written) / source.name, "gb18030")}
    world = company.world
    assert len(rows) == len(world.customers) == source.records
    live = crm_live(world)
    statuses: Counter[str] = Counter()
    for customer in world.customers:
        periods = [o for o in world.ownerships if o.customer is customer]
        last = max(periods, key=lambda o: o.start)
        row = rows[customer.code]
        assert row["负责人工号"] == last.employee.employee_no
        assert row["分配日期"] == (last.start.isoformat() if last.start >= live else "")
        assert (row["客户状态"] == "正常") == (last.end is None)
        statuses[row["客户状态"]] += 1
        assert row["城市"] == customer.city.name and row["行业"] == customer.industry
    assert statuses["流失"] > 0 and statuses["已转竞品"] > 0
    assert any(r["分配日期"] == "" for r in rows.values()), "older than the CRM: unknown"


def test_the_master_and_the_events_give_every_ownership_of_the_period(
    company: Generated, written: Written
) -> None:
    """The customer master as of the last day (owner, 分配日期, 客户状态) and the period's events
    (原负责人工号, 新负责人工号), derived as the importers derive them, give back the generated
    ownership periods of the period, and each loss counts for the owner who lost it."""
    world = company.world
    folder = _folder(written)
    master = _one(written, r"客户主数据_.*\.csv")
    assert master.as_of == world.end_date
    rows = _csv(folder / master.name, "gb18030")
    events = _csv(folder / _one(written, r"客户动态_.*\.csv").name)
    assert min(e["日期"] for e in events) >= world.first_day.isoformat()
    changes: dict[str, list[Change]] = {}
    for i, e in enumerate(events):
        changes.setdefault(e["客户编号"], []).append(
            Change(i, date.fromisoformat(e["日期"]), EVENTS[e["事件"]],
                   e["原负责人工号"] or None, e["新负责人工号"] or None)
        )  # fmt: skip
    first = world.first_day
    derived: set[tuple[str, str, date, date | None]] = set()
    owners: dict[int, str | None] = {}
    for r in rows:
        since = date.fromisoformat(r["分配日期"]) if r["分配日期"] else None
        snapshot = Snapshot(world.end_date, r["负责人工号"], since, STATUSES[r["客户状态"]])
        found = derive([snapshot], [], changes.get(r["客户编号"], []))
        owners.update({int(str(k)): v for k, v in found.owners.items()})
        derived |= {
            (r["客户编号"], p.owner, max(p.start or first, first), p.end)
            for p in found.periods
            if p.end is None or p.end > first
        }
    truth = {
        (o.customer.code, o.employee.employee_no, max(o.start, first), o.end)
        for o in world.ownerships
        if o.end is None or o.end > first
    }
    assert derived == truth
    losses = [(i, e) for i, e in enumerate(events) if e["事件"] in ("流失", "转竞品")]
    assert losses and all(owners[i] == e["原负责人工号"] for i, e in losses)


def test_dingtalk_workbooks_look_like_the_export(company: Generated, written: Written) -> None:
    sources = [f for n, f in written.items() if n.startswith("钉钉考勤_原始记录_")]
    assert [s.name.split("_")[2] for s in sources] == ["杭州", "南京"]
    for source in sources:
        book = load_workbook(_folder(written) / source.name, read_only=True)
        assert book.sheetnames == ["原始记录"]
        rows = list(book["原始记录"].iter_rows(values_only=True))
        assert str(rows[0][0]).startswith("原始记录 统计日期：")
        header = rows[2]
        assert len(header) == 20 and header[:3] == ("姓名", "考勤组", "部门")
        data = [dict(zip(header, r, strict=True)) for r in rows[3:]]
        assert len(data) == source.records > 100
        for r in data:
            assert re.fullmatch(r"\d\d-\d\d-\d\d 星期[一二三四五六日]", str(r["考勤日期"]))
            if r["打卡结果"] == "缺卡":
                assert not r["打卡时间"] and r["考勤时间"] in ("09:00", "17:30")
            else:
                assert re.fullmatch(r"\d\d-\d\d-\d\d \d\d:\d\d", str(r["打卡时间"])), r
                assert str(r["打卡时间"])[:8] == str(r["考勤日期"])[:8]
            assert str(r["UserId"]).isdigit()
        field = [r for r in data if r["打卡结果"] == "外勤" and r["打卡备注"]]
        names = {c.name for c in company.world.customers}
        short = {n.removesuffix("有限公司").removesuffix("股份") for n in names}
        assert field and all(any(s in str(r["打卡备注"]) for s in short) for r in field)


def test_wecom_files_look_like_getcheckindata(company: Generated, written: Written) -> None:
    numbers = {p.employee_no for p in company.world.people}
    sources = [f for n, f in written.items() if n.startswith("企业微信打卡_")]
    assert [s.name.split("_")[1] for s in sources] == ["上海", "苏州"]
    for source in sources:
        body = json.loads((_folder(written) / source.name).read_text(encoding="utf-8"))
        assert (body["errcode"], body["errmsg"]) == (0, "ok")
        records = body["checkindata"]
        assert len(records) == source.records
        assert {r["userid"] for r in records} <= numbers, "the account is the employee number"
        for r in records:
            if r["exception_type"] == "未打卡":
                assert (r["lat"], r["lng"]) == (0, 0)
                continue
            assert isinstance(r["lat"], int) and 30_000_000 < r["lat"] < 33_000_000
            assert isinstance(r["lng"], int) and 118_000_000 < r["lng"] < 123_000_000
        field = [r for r in records if r["checkin_type"] == "外出打卡"]
        assert field and all(r["location_title"] for r in field)


def test_the_fake_field_worker_names_the_customer_in_every_remark(
    company: Generated, written: Written
) -> None:
    """The planted fake field work claims its customers the way the attendance apps let people
    write it (拜访客户：<客户名称>), so the importers link each punch to the customer it claims;
    DingTalk keeps punch times to the minute."""
    fake = company.cast.fake
    claimed = [
        c for c in company.world.checkins
        if c.employee is fake and c.kind == "field" and c.customer is not None
    ]  # fmt: skip
    remarks = [c.note for c in claimed if c.address == fake.home_address]
    assert remarks and all(
        c.note == f"拜访客户：{c.customer.name}"
        for c in claimed
        if c.customer is not None and c.address == fake.home_address
    )
    visits = [c for c in company.world.checkins if c.kind == "field" and c.customer]
    dingtalk = [c for c in visits if c.employee.city.attendance_app == "dingtalk"]
    assert dingtalk and all(c.at.second == 0 for c in dingtalk), "DingTalk keeps minutes"


def test_track_files_cover_every_salesperson(company: Generated, written: Written) -> None:
    sales = company.world.salespeople
    csvs = [f for n, f in written.items() if n.endswith(".csv") and n.startswith("轨迹/")]
    assert sorted(f.name.split("_")[1] for f in csvs) == sorted(p.employee_no for p in sales)
    commuter = company.cast.commuter.employee_no
    gpx = _one(written, rf"轨迹/轨迹_{commuter}_\d{{8}}-\d{{8}}\.gpx")
    assert gpx.employee_no == commuter and gpx.records > 1000
    path = _folder(written) / next(f.name for f in csvs if commuter in f.name)
    times = [r["时间"] for r in _csv(path)]
    assert times == sorted(times)
    gpx_text = (_folder(written) / gpx.name).read_text(encoding="utf-8")
    utc = re.findall(r"<time>([0-9T:-]+)Z</time>", gpx_text)
    gpx_days = {
        datetime.fromisoformat(t)
        .replace(tzinfo=UTC)
        .astimezone(company.world.zone)
        .date()
        .isoformat()
        for t in utc
    }
    assert len(gpx_days) == 5
    assert not {t[:10] for t in times} & gpx_days, "the logger's days are not in the CSV"


def test_the_same_seed_writes_the_same_bytes(
    company: Generated, written: Written, tmp_path: Path
) -> None:
    again = generate(3, END, SMALL, company_zone())
    steps = write_steps(tmp_path, again)
    for step in steps:
        if step.message.startswith("Writing GPS tracks") and "(1/" not in step.message:
            continue  # one track is enough here (rendering is tested elsewhere)
        for source in step.write():
            one = (_folder(written) / source.name).read_bytes()
            two = (tmp_path / source.name).read_bytes()
            assert hashlib.sha256(one).digest() == hashlib.sha256(two).digest(), source.name
