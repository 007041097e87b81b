"""Communication records as exported: the WeCom chat archive (会话存档) and the phone system's
call records (通话记录), local times without an offset."""

from __future__ import annotations

from pathlib import Path

from workstation.demo.file_formats import local_time, span, write_csv
from workstation.demo.source_files import SourceFile
from workstation.demo.world import World
from workstation.domain.enums import CommChannel, CommDirection

HEADER = ("工号", "时间", "渠道", "对方", "方向", "内容")
CHAT_DIRECTION = {CommDirection.OUTBOUND.value: "发送", CommDirection.INBOUND.value: "接收"}
CALL_DIRECTION = {CommDirection.OUTBOUND.value: "呼出", CommDirection.INBOUND.value: "呼入"}


def chat_archive(folder: Path, world: World) -> SourceFile:
    rows = (
        (c.employee.employee_no, local_time(c.at, world.zone), "企业微信", c.counterpart,
         CHAT_DIRECTION[c.direction], c.content)
        for c in world.communications
        if c.channel == CommChannel.WECOM.value
    )  # fmt: skip
    name = f"企业微信会话存档_{span(world.first_day, world.end_date)}.csv"
    count = write_csv(folder / name, HEADER, rows)
    return SourceFile(name, "communications", count, "WeCom chat archive")


def call_records(folder: Path, world: World) -> SourceFile:
    rows = (
        (c.employee.employee_no, local_time(c.at, world.zone), "电话", c.counterpart,
         CALL_DIRECTION[c.direction], c.content)
        for c in world.communications
        if c.channel == CommChannel.PHONE.value
    )  # fmt: skip
    name = f"通话记录_{span(world.first_day, world.end_date)}.csv"
    count = write_csv(folder / name, HEADER, rows)
    return SourceFile(name, "communications", count, "phone call records")
