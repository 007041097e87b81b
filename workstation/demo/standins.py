"""Stand-ins: what the company's real files say but today's importers cannot read yet, given
to them in a form they accept, in ``demo-files/stand-ins/``. Each names the capability of
issue 11 it stands in for; the day that capability lands, the stand-in goes (and the demo's
detection runs on the real files alone).

* ``stand-ins/期初负责人_事件.csv`` (customer events): every assignment that began before the
  period, as 新签 (a customer's first owner) or 改派 (a later one) on the day it began. Stands
  in for the customer master's 分配日期 read as of its date and the ``ownership`` kind, which
  the demo's real files carry (``客户主数据``, ``客户负责人变更记录``); today a customer list
  starts every owner on the import day, so the demo leaves its owner column unread.
* ``stand-ins/外勤打卡_客户编号.csv`` (check-ins): every field check-in at a customer with the
  customer's code and the phone's position (WGS-84). Stands in for linking the WeCom and
  DingTalk punches to the customer their remark or location title names (and for placing a
  DingTalk punch, which has no coordinates, by the track). Imported before the attendance
  files, it makes their field punches duplicates of these rows.
"""

from __future__ import annotations

from pathlib import Path

from workstation.demo.file_formats import local_time, write_csv
from workstation.demo.files_master import periods_by_customer
from workstation.demo.source_files import (
    CHECKINS_FIND_CUSTOMER,
    OWNERSHIP_OVER_TIME,
    SourceFile,
)
from workstation.demo.world import World
from workstation.domain.enums import CheckinKind

FOLDER = "stand-ins"
OPENING_REASON = "期初负责人（过渡数据，见 manifest.json）"


def ownership_before_period(folder: Path, world: World) -> SourceFile:
    rows: list[tuple[str, ...]] = []
    customers = {c.id: c for c in world.customers}
    for customer_id, periods in sorted(periods_by_customer(world).items()):
        code = customers[customer_id].code
        for before, period in zip([None, *periods], periods, strict=False):
            if period.start >= world.first_day:
                break
            if before is None:
                rows.append((code, period.start.isoformat(), "新签", period.employee.employee_no,
                             "", OPENING_REASON))  # fmt: skip
            else:
                rows.append((code, period.start.isoformat(), "改派", period.employee.employee_no,
                             before.employee.employee_no, OPENING_REASON))  # fmt: skip
    name = f"{FOLDER}/期初负责人_事件.csv"
    header = ("客户编号", "日期", "事件", "新负责人工号", "原负责人工号", "原因")
    count = write_csv(folder / name, header, rows)
    return SourceFile(
        name,
        "customer_events",
        count,
        "stand-in: assignments older than the period, as events",
        stand_in_for=OWNERSHIP_OVER_TIME,
    )


def field_checkins(folder: Path, world: World) -> SourceFile:
    rows = (
        (c.employee.employee_no, local_time(c.at, world.zone), "外勤", f"{c.lat:.6f}",
         f"{c.lon:.6f}", f"{c.accuracy_m:g}", c.customer.code, c.address, c.note)
        for c in world.checkins
        if c.kind == CheckinKind.FIELD.value and c.customer is not None
    )  # fmt: skip
    name = f"{FOLDER}/外勤打卡_客户编号.csv"
    header = ("工号", "打卡时间", "类型", "纬度", "经度", "精度", "客户编号", "地址", "备注")
    count = write_csv(folder / name, header, rows)
    return SourceFile(
        name,
        "checkins",
        count,
        "stand-in: field check-ins with the customer's code and the phone's position",
        stand_in_for=CHECKINS_FIND_CUSTOMER,
    )
