"""Importing communication records into a real SQLite store."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from workstation.app import App
from workstation.config import Settings, load_settings
from workstation.ingest.model import ImportOptions, ImportReport
from workstation.store.models import Communication, Employee


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    """This module's stores: a real SQLite file and a real PostgreSQL database (``db_url``)."""
    return load_settings(tmp_path / "data", db_url)


CommRow = tuple[str, datetime, str, str, str, str | None, int | None, int | None]


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8-sig")
    return path


def _messages(report: ImportReport) -> dict[int, tuple[str | None, str]]:
    return {p.row: (p.field, p.message) for p in report.problems}


@pytest.fixture
def staffed(app: App, tmp_path: Path) -> App:
    report = app.imports.run(
        _write(tmp_path, "staff.csv", "工号,姓名\nS001,张伟\nS002,王磊\n"), "employees"
    )
    assert report.accepted == 2
    return app


def _records(app: App) -> list[CommRow]:
    query = (
        select(Communication, Employee.employee_no)
        .join(Employee, Communication.employee_id == Employee.id)
        .order_by(Communication.sent_at, Communication.id)
    )
    with app.uow() as uow:
        return [
            (
                no,
                c.sent_at,
                c.channel,
                c.direction,
                c.counterpart,
                c.content,
                c.batch_id,
                c.source_row,
            )
            for c, no in uow.session.execute(query)
        ]


COMMS = (
    "工号,时间,渠道,对方,方向,内容\n"
    "S001,2025-10-01 09:00,企业微信,李总,发,报价单已发\n"
    "S001,2025-10-01 10:30:15,电话,13800000000,呼入,\n"
    "S002,2025/10/2 8:05,邮件,buyer@example.com,,请查收\n"
    "S002,2025-10-02T09:00:00Z,DingTalk,王经理,inbound,好的\n"
)


def test_communications_are_written_in_utc_with_normalised_words(
    staffed: App, tmp_path: Path
) -> None:
    report = staffed.imports.run(_write(tmp_path, "comms.csv", COMMS), "communications")
    assert (report.accepted, report.rejected, report.duplicates) == (4, 0, 0)
    batch = report.batch_id
    assert _records(staffed) == [
        (
            "S001",
            datetime(2025, 10, 1, 1, 0, tzinfo=UTC),
            "wecom",
            "out",
            "李总",
            "报价单已发",
            batch,
            2,
        ),
        (
            "S001",
            datetime(2025, 10, 1, 2, 30, 15, tzinfo=UTC),
            "phone",
            "in",
            "13800000000",
            None,
            batch,
            3,
        ),
        (
            "S002",
            datetime(2025, 10, 2, 0, 5, tzinfo=UTC),
            "email",
            "out",
            "buyer@example.com",
            "请查收",
            batch,
            4,
        ),
        (
            "S002",
            datetime(2025, 10, 2, 9, 0, tzinfo=UTC),
            "dingtalk",
            "in",
            "王经理",
            "好的",
            batch,
            5,
        ),
    ]


def test_communications_reimport_and_overlap(staffed: App, tmp_path: Path) -> None:
    first = staffed.imports.run(_write(tmp_path, "comms.csv", COMMS), "communications")
    again = staffed.imports.run(_write(tmp_path, "comms.csv", COMMS), "communications")
    assert again.already_imported and again.batch_id == first.batch_id
    overlap = (
        "employee_no,time,channel,counterpart,direction,content\n"
        "S001,2025-10-01T01:00:00Z,wecom,李总,out,报价单已发\n"  # the same moment, in UTC
        "S001,2025-10-01 10:30:15,phone,13800000000,in,回电确认\n"  # content added
        "S002,2025-10-03 08:00,短信,13900000000,出,明天见\n"
    )
    second = staffed.imports.run(
        _write(tmp_path, "comms2.csv", overlap), "communications", ImportOptions(tz="Asia/Shanghai")
    )
    assert (second.accepted, second.rejected, second.duplicates) == (2, 0, 1)
    records = _records(staffed)
    assert len(records) == 5
    assert records[0][6] == first.batch_id
    assert records[1][5:] == ("回电确认", second.batch_id, 3)
    assert records[4][2:5] == ("sms", "out", "13900000000")


def test_communication_rows_are_rejected_by_rule(staffed: App, tmp_path: Path) -> None:
    bad = (
        "employee_no,time,channel,counterpart,direction\n"
        "S404,2025-10-01 09:00,wecom,A,out\n"
        "S001,2025-10-01 09:00,fax,A,out\n"
        "S001,2025-10-01 09:00,wechat,A,sideways\n"
        "S001,2025-10-01 09:00,微信,A,\n"
        "S001,2025-10-01 09:00,WeChat,A,in\n"
    )
    report = staffed.imports.run(_write(tmp_path, "bad.csv", bad), "communications")
    assert (report.accepted, report.rejected) == (1, 4)
    assert _messages(report) == {
        2: ("employee_no", "unknown employee S404; import employees first"),
        3: (
            "channel",
            "unknown channel 'fax'; use one of: dingtalk, email, phone, sms, wechat, wecom",
        ),
        4: ("direction", "unknown direction 'sideways'; use one of: in, out"),
        6: ("time", "the same message already given on row 5"),
    }
