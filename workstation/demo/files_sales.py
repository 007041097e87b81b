"""The CRM's sales records of the demo period, as exported: customer events, orders, leads.

* ``客户动态_<period>.csv``: 流失 / 转竞品 / 改派 / 新签 with 原负责人工号 and 新负责人工号 (a 新签
  names the salesperson who won the customer as its new owner).
* ``订单_<period>.csv``: 已完成 / 进行中 / 已取消 / 转竞品, with the competitor an order went to
  where the CRM recorded it.
* ``线索_<period>.csv``: each lead with the order it converted into, if any.
* ``拜访计划_<period>.csv``: the visits salespeople planned (done, missed, or still planned for
  the coming days). No import kind takes it yet.
"""

from __future__ import annotations

from pathlib import Path

from workstation.demo.file_formats import span, write_csv
from workstation.demo.source_files import VISIT_PLANS, SourceFile
from workstation.demo.world import EventRec, World
from workstation.domain.enums import CustomerEventKind, OrderStatus, TaskStatus

EVENT_ZH = {
    CustomerEventKind.LOST.value: "流失",
    CustomerEventKind.TRANSFERRED.value: "转竞品",
    CustomerEventKind.REASSIGNED.value: "改派",
    CustomerEventKind.WON.value: "新签",
}
ORDER_STATUS_ZH = {
    OrderStatus.COMPLETED.value: "已完成",
    OrderStatus.OPEN.value: "进行中",
    OrderStatus.CANCELLED.value: "已取消",
    OrderStatus.TRANSFERRED.value: "转竞品",
}
TASK_STATUS_ZH = {
    TaskStatus.DONE.value: "已完成",
    TaskStatus.MISSED.value: "未拜访",
    TaskStatus.PLANNED.value: "计划中",
}
LEAD_SOURCES = ("展会", "官网咨询", "老客户转介绍", "电话营销", "招投标网站", "渠道合作")


def _owners(event: EventRec) -> tuple[str | None, str | None]:
    """(原负责人工号, 新负责人工号) of an event."""
    before = event.employee.employee_no if event.employee else None
    if event.kind == CustomerEventKind.WON.value:
        return None, before
    return before, event.new_owner.employee_no if event.new_owner else None


def customer_events(folder: Path, world: World) -> SourceFile:
    """The events of the demo period (older assignments are in the ownership history)."""
    rows = []
    for e in world.events:
        if e.day < world.first_day:
            continue
        old, new = _owners(e)
        rows.append((
            e.customer.code, e.customer.name, e.day.isoformat(), EVENT_ZH[e.kind],
            e.competitor.name if e.competitor else None, old, new, e.reason,
        ))  # fmt: skip
    name = f"客户动态_{span(world.first_day, world.end_date)}.csv"
    header = ("客户编号", "客户名称", "日期", "事件", "竞争对手", "原负责人工号", "新负责人工号")
    count = write_csv(folder / name, (*header, "原因"), rows)
    return SourceFile(name, "customer_events", count, "CRM customer events of the period")


def orders(folder: Path, world: World) -> SourceFile:
    rows = (
        (o.order_no, o.customer.code, o.customer.name, o.employee.employee_no, o.employee.name,
         o.day.isoformat(), f"{o.amount:.2f}", ORDER_STATUS_ZH[o.status],
         o.competitor.name if o.competitor else None)
        for o in world.orders
    )  # fmt: skip
    name = f"订单_{span(world.first_day, world.end_date)}.csv"
    header = ("订单号", "客户编号", "客户名称", "工号", "销售", "下单日期", "金额", "状态")
    count = write_csv(folder / name, (*header, "竞争对手"), rows)
    return SourceFile(name, "orders", count, "CRM orders of the period")


def leads(folder: Path, world: World) -> SourceFile:
    rows = (
        (x.lead_no, x.customer.code if x.customer else None, x.employee.employee_no,
         x.created.isoformat(), x.order.order_no if x.order else None,
         LEAD_SOURCES[x.id % len(LEAD_SOURCES)])
        for x in world.leads
    )  # fmt: skip
    name = f"线索_{span(world.first_day, world.end_date)}.csv"
    header = ("线索编号", "客户编号", "工号", "创建日期", "成交订单号", "线索来源")
    count = write_csv(folder / name, header, rows)
    return SourceFile(name, "leads", count, "CRM leads of the period")


def visit_plan(folder: Path, world: World) -> SourceFile:
    rows = (
        (f"BF{t.id:06d}", t.employee.employee_no, t.customer.code, t.customer.name,
         t.day.isoformat(), t.purpose, TASK_STATUS_ZH[t.status])
        for t in world.tasks
    )  # fmt: skip
    name = f"拜访计划_{span(world.first_day, world.end_date)}.csv"
    header = ("任务编号", "工号", "客户编号", "客户名称", "计划日期", "拜访目的", "状态")
    count = write_csv(folder / name, header, rows)
    return SourceFile(name, "sales_tasks", count, "CRM visit plans", waits_for=VISIT_PLANS)
