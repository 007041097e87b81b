"""Reading imported communication records: by role, one audit entry per read naming whose
records, which period and how many; and the demo company's records."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from acting import sign_in_as, sign_in_without_user
from sqlalchemy import func, select

from workstation.app import App
from workstation.communications.service import (
    READ_ACTION,
    CommunicationNotFound,
    EmployeeNotFound,
)
from workstation.domain.enums import Role
from workstation.security.permissions import PermissionDenied
from workstation.store.audit import verify_audit_chain
from workstation.store.models import AuditEntry, Communication, Customer, Employee

#: 2026-10-01 00:30 in China is 2026-09-30 16:30 UTC: the local day decides, not the UTC one.
EARLY = datetime(2026, 9, 30, 16, 30, tzinfo=UTC)


def _people(app: App) -> dict[str, int]:
    """张伟 with one message on each of 10 local days (1–10 October), 孙丽 with one."""
    with app.uow() as u:
        s = u.session
        zhang = Employee(employee_no="S001", name="张伟")
        sun = Employee(employee_no="S002", name="孙丽")
        customer = Customer(code="C001", name="华东机电")
        s.add_all([zhang, sun, customer])
        s.flush()
        for day in range(10):
            s.add(
                Communication(
                    employee_id=zhang.id,
                    sent_at=EARLY + timedelta(days=day),
                    channel="wecom" if day % 2 else "phone",
                    direction="out",
                    counterpart=f"客户{day}",
                    content=f"第{day + 1}天的消息",
                    customer_id=customer.id if day == 9 else None,
                )
            )
        s.add(
            Communication(
                employee_id=sun.id,
                sent_at=EARLY,
                channel="wecom",
                direction="in",
                counterpart="同事",
                content="孙丽的消息",
            )
        )
        u.commit()
        return {"zhang": zhang.id, "sun": sun.id}


def _reads(app: App) -> list[tuple[str, str | None, dict[str, object]]]:
    with app.uow() as u:
        return [
            (e.actor, e.entity_id, json.loads(e.details_json))
            for e in u.session.scalars(
                select(AuditEntry).where(AuditEntry.action == READ_ACTION).order_by(AuditEntry.id)
            )
        ]


def test_the_employees_records_in_the_period_newest_first_one_audit_entry_per_read(
    app: App,
) -> None:
    people = _people(app)
    service = app.communications
    page = service.list(people["zhang"], date(2026, 10, 3), date(2026, 10, 5))
    assert [r.content for r in page.records] == ["第5天的消息", "第4天的消息", "第3天的消息"]
    assert (page.total, page.truncated, page.employee_no) == (3, False, "S001")
    assert all(r.employee_id == people["zhang"] for r in page.records)
    reads = _reads(app)
    assert reads == [
        (
            "test.hr_officer",
            "S001",
            {"since": "2026-10-03", "until": "2026-10-05", "records": 3, "total": 3},
        )
    ]

    # The first local day starts at local midnight (16:00 UTC the day before).
    first = service.list(people["zhang"], date(2026, 10, 1), date(2026, 10, 1))
    assert [r.content for r in first.records] == ["第1天的消息"]
    # Open ends and a limit: the newest records, and how many the period holds.
    latest = service.list(people["zhang"], limit=2)
    assert [r.content for r in latest.records] == ["第10天的消息", "第9天的消息"]
    assert (latest.total, latest.truncated) == (10, True)
    assert latest.records[0].customer_name == "华东机电"
    assert [r.channel for r in latest.records] == ["wecom", "phone"]
    assert service.list(people["zhang"], until=date(2026, 9, 30)).records == ()
    assert len(_reads(app)) == 4
    assert _reads(app)[2][2] == {"since": None, "until": None, "records": 2, "total": 10}

    with pytest.raises(ValueError, match="before"):
        service.list(people["zhang"], date(2026, 10, 5), date(2026, 10, 3))
    with pytest.raises(EmployeeNotFound):
        service.list(999)
    assert len(_reads(app)) == 4  # refused reads wrote nothing
    with app.uow() as u:
        assert verify_audit_chain(u.session).intact


def test_one_record_is_read_with_its_own_audit_entry(app: App) -> None:
    people = _people(app)
    service = app.communications
    newest = service.list(people["zhang"], limit=1).records[0]
    record = service.get(newest.id)
    assert record == newest
    assert _reads(app)[-1] == ("test.hr_officer", "S001", {"record_id": newest.id, "records": 1})
    with pytest.raises(CommunicationNotFound):
        service.get(999_999)
    assert service.span(people["zhang"]) == (date(2026, 10, 1), date(2026, 10, 10))
    assert service.span(people["sun"]) == (date(2026, 10, 1), date(2026, 10, 1))
    assert len(_reads(app)) == 2  # the span reads no content and is not logged


@pytest.mark.parametrize("role", [Role.SALES_MANAGER, Role.LEGAL])
def test_roles_without_communication_view_are_refused(app: App, role: Role) -> None:
    people = _people(app)
    sign_in_without_user(app, role)
    service = app.communications
    with pytest.raises(PermissionDenied, match=r"communication\.view"):
        service.list(people["zhang"])
    with pytest.raises(PermissionDenied):
        service.get(1)
    with pytest.raises(PermissionDenied):
        service.span(people["zhang"])
    assert _reads(app) == []


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.AUDITOR])
def test_other_roles_with_communication_view_read_and_are_named(app: App, role: Role) -> None:
    people = _people(app)
    who = sign_in_without_user(app, role)
    assert app.communications.list(people["sun"]).total == 1
    assert _reads(app) == [
        (who.username, "S002", {"since": None, "until": None, "records": 1, "total": 1})
    ]


def test_nobody_signed_in_reads_nothing(app: App) -> None:
    people = _people(app)
    app.session.sign_out()
    with pytest.raises(PermissionDenied, match="sign in first"):
        app.communications.list(people["zhang"])


def test_the_demo_diverter_talks_to_the_rival_and_the_read_names_the_demo_hr(
    demo_app: App,
) -> None:
    diverter = next(s for s in demo_app.demo.scenarios() if s["kind"] == "diverter")
    employee_id = next(
        r.id
        for r in demo_app.employees.list_employees(str(diverter["employee_no"]))
        if r.employee_no == diverter["employee_no"]
    )
    span = demo_app.communications.span(employee_id)
    assert span is not None
    first, last = span
    page = demo_app.communications.list(employee_id, last - timedelta(days=29), last)
    with demo_app.uow() as u:
        stored = u.session.scalar(
            select(func.count())
            .select_from(Communication)
            .where(Communication.employee_id == employee_id)
        )
    assert 0 < len(page.records) == page.total <= int(stored or 0)
    assert {r.channel for r in page.records} <= {"wecom", "dingtalk", "wechat", "phone", "email"}
    days = {demo_app.clock.day_of(r.sent_at) for r in page.records}
    assert first <= min(days) and last - timedelta(days=29) <= min(days) and max(days) == last
    # In his last weeks the diverter talks to the rival (the demo's planted lines; the chat
    # export writes 刘经理（…）, the import keeps the brackets half-width).
    assert any(r.counterpart.startswith(("刘经理（", "刘经理(")) for r in page.records)
    actor, entity, details = _reads(demo_app)[-1]
    assert (actor, entity, details["records"]) == ("hr.zhou", diverter["employee_no"], page.total)

    sign_in_as(demo_app, Role.LEGAL)
    try:
        with pytest.raises(PermissionDenied):
            demo_app.communications.list(employee_id)
    finally:
        sign_in_as(demo_app, Role.HR_OFFICER)
