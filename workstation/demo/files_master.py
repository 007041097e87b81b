"""Master data as the company holds it: the HR roster, the offices, the competitor list, and
the CRM's customer master (a snapshot as of the demo's last day).

* ``花名册_<end>.xlsx``: the HR roster (employees). No WeCom or DingTalk account column, as in
  many rosters: the attendance files name people by 工号 (WeCom ``userid`` set to it).
* ``办公地点.csv`` / ``竞争对手网点.csv``: looked up on Amap, so GCJ-02.
* ``客户主数据_<end>.csv``: the CRM export, GB18030, GCJ-02, imported as of its day; every
  customer with its current or last owner (a lost customer keeps the owner who lost it, and
  客户状态 says so), 分配日期 where the CRM knows it (not for assignments older than the CRM:
  those owners hold their customers since an unknown start). With the period's customer events
  (原负责人工号 / 新负责人工号) it gives every ownership period of the period.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

from openpyxl import Workbook

from workstation.demo.file_formats import day_text, gcj02_text, save_workbook, write_csv
from workstation.demo.sales import OwnerIndex
from workstation.demo.source_files import SourceFile
from workstation.demo.world import World
from workstation.domain.enums import CoordSystem, CustomerEventKind

#: Years before the demo's last day the CRM went live: older assignments have no 分配日期.
CRM_YEARS = 3
STATUS_ZH = {
    CustomerEventKind.LOST.value: "流失",
    CustomerEventKind.TRANSFERRED.value: "已转竞品",
}


def exported_at(world: World) -> datetime:
    """When HR exported the files: the morning after the demo's last day (local time)."""
    return datetime.combine(world.end_date + timedelta(days=1), time(8, 40))


def crm_live(world: World) -> date:
    return date(world.end_date.year - CRM_YEARS, 1, 1)


def roster(folder: Path, world: World) -> SourceFile:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "花名册"
    header = ["工号", "姓名", "部门", "职位", "直属上级工号", "入职日期", "办公地点", "手机号"]
    sheet.append([*header, "在职状态"])
    number = {p.id: p.employee_no for p in world.people}
    for p in world.people:
        sheet.append([
            p.employee_no, p.name, p.department, p.title, number.get(p.manager_id or 0),
            p.hire_date, p.office.name, p.phone, "在职",
        ])  # fmt: skip
        sheet.cell(sheet.max_row, 6).number_format = "yyyy-mm-dd"
    name = f"花名册_{world.end_date:%Y%m%d}.xlsx"
    save_workbook(book, folder / name, exported_at(world))
    return SourceFile(name, "employees", len(world.people), "HR roster (workbook)")


def offices(folder: Path, world: World) -> SourceFile:
    name = "办公地点.csv"
    places = gcj02_text([o.lat for o in world.offices], [o.lon for o in world.offices])
    rows = (
        (o.name, o.city.name, o.address, lat, lon, f"{o.radius_m:g}")
        for o, (lat, lon) in zip(world.offices, places, strict=True)
    )
    header = ("办公地点", "城市", "地址", "纬度", "经度", "半径")
    count = write_csv(folder / name, header, rows)
    return SourceFile(name, "offices", count, "offices (GCJ-02, from Amap)", CoordSystem.GCJ02)


def competitors(folder: Path, world: World) -> SourceFile:
    name = "竞争对手网点.csv"
    places = gcj02_text([s.lat for s in world.sites], [s.lon for s in world.sites])
    rows = (
        (s.competitor.name, s.name, s.city.name, s.address, lat, lon, f"{s.radius_m:g}")
        for s, (lat, lon) in zip(world.sites, places, strict=True)
    )
    header = ("竞争对手", "网点", "城市", "地址", "纬度", "经度", "半径")
    count = write_csv(folder / name, header, rows)
    return SourceFile(
        name, "competitors", count, "competitor sites (GCJ-02, from Amap)", CoordSystem.GCJ02
    )


def _closing_kinds(world: World) -> dict[tuple[int, date], str]:
    """(customer id, day) → lost / transferred: how an ownership period ended, if by churn."""
    return {
        (e.customer.id, e.day): e.kind
        for e in world.events
        if e.kind in STATUS_ZH and e.employee is not None
    }


def customer_master(folder: Path, world: World) -> SourceFile:
    """The CRM snapshot as of the last day (GB18030, GCJ-02)."""
    index = OwnerIndex(world)
    closing = _closing_kinds(world)
    since = crm_live(world)
    places = gcj02_text([c.lat for c in world.customers], [c.lon for c in world.customers])
    rows = []
    for c, (lat, lon) in zip(world.customers, places, strict=True):
        last = max(index.by_customer[c.id], key=lambda o: o.start)
        status = "正常" if last.end is None else STATUS_ZH[closing[(c.id, last.end)]]
        assigned = last.start if last.start >= since else None
        rows.append((
            c.code, c.name, c.city.name, c.industry, c.address, lat, lon,
            last.employee.employee_no, last.employee.name, day_text(assigned), status, c.contact,
        ))  # fmt: skip
    name = f"客户主数据_{world.end_date:%Y%m%d}.csv"
    header = (
        *("客户编号", "客户名称", "城市", "行业", "地址", "纬度", "经度", "负责人工号"),
        *("负责人", "分配日期", "客户状态", "联系人"),
    )
    count = write_csv(folder / name, header, rows, encoding="gb18030")
    return SourceFile(
        name,
        "customers",
        count,
        f"CRM customer master as of {world.end_date.isoformat()} (GB18030, GCJ-02)",
        CoordSystem.GCJ02,
        as_of=world.end_date,
    )
