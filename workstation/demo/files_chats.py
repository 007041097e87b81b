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
    return _export(folder, world, CommChannel.WECOM, "企业微信", CHAT_DIRECTION,
                   "企业微信会话存档", "WeCom chat archive")  # fmt: skip


def call_records(folder: Path, world: World) -> SourceFile:
    return _export(folder, world, CommChannel.PHONE, "电话", CALL_DIRECTION,
                   "通话记录", "phone call records")  # fmt: skip


def _export(
    folder: Path,
    world: World,
    channel: CommChannel,
    channel_label: str,
    directions: dict[str, str],
    prefix: str,
    description: str,
) -> SourceFile:
    """The messages of one channel as its system exports them."""
    rows = (
        (c.employee.employee_no, local_time(c.at, world.zone), channel_label, c.counterpart,
         directions[c.direction], c.content)
        for c in world.communications
        if c.channel == channel.value
    )  # fmt: skip
    name = f"{prefix}_{span(world.first_day, world.end_date)}.csv"
    count = write_csv(folder / name, HEADER, rows)
    return SourceFile(name, "communications", count, description)
