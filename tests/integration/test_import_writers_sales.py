"""Importing orders, leads and customer events (with their ownership effects) into SQLite."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import aliased

from workstation.app import App
from workstation.config import Settings, load_settings
from workstation.ingest.model import ImportOptions, ImportReport
from workstation.store.models import (
    Competitor,
    Customer,
    CustomerEvent,
    CustomerOwnership,
    Employee,
    Lead,
    Order,
)


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    """This module's stores: a real SQLite file and a real PostgreSQL database (``db_url``)."""
    return load_settings(tmp_path / "data", db_url)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8-sig")
    return path


def _messages(report: ImportReport) -> dict[int, tuple[str | None, str]]:
    return {p.row: (p.field, p.message) for p in report.problems}


#: The day the customer list of the fixture shows.
LIST_DAY = date(2024, 12, 31)


@pytest.fixture
def company(app: App, tmp_path: Path) -> App:
    """Three employees, two customers (C001 held by S001 as of 2024-12-31, since a day the list
    does not give), one competitor."""
    files = (
        ("employees", "工号,姓名\nS001,张伟\nS002,王磊\nS003,李娜\n"),
        ("customers", "客户编号,客户名称,负责人工号\nC001,苏州精工,S001\nC002,昆山电子,\n"),
        ("competitors", "竞争对手,网点,纬度,经度\n华东精密,园区店,31.3,120.7\n"),
    )
    for kind, text in files:
        options = ImportOptions(as_of=LIST_DAY) if kind == "customers" else None
        report = app.imports.run(_write(tmp_path, f"{kind}.csv", text), kind, options)
        assert report.rejected == 0, report.problems
    return app


ORDERS = (
    "订单号,客户编号,工号,下单日期,金额,状态\n"
    'O1,C001,S001,2025-10-01,"1,234.56",已完成\n'
    "O2,C002,S002,2025/10/2,￥99.9,进行中\n"
)


def _orders(app: App) -> dict[str, tuple[str, str, date, Decimal, str, int | None, int | None]]:
    query = (
        select(Order, Customer.code, Employee.employee_no)
        .join(Customer, Order.customer_id == Customer.id)
        .join(Employee, Order.employee_id == Employee.id)
    )
    with app.uow() as uow:
        return {
            o.order_no: (code, no, o.order_date, o.amount, o.status, o.batch_id, o.source_row)
            for o, code, no in uow.session.execute(query)
        }


def test_orders_import_reimport_and_overlap(company: App, tmp_path: Path) -> None:
    report = company.imports.run(_write(tmp_path, "orders.csv", ORDERS), "orders")
    assert (report.accepted, report.rejected, report.duplicates) == (2, 0, 0)
    batch = report.batch_id
    assert _orders(company) == {
        "O1": ("C001", "S001", date(2025, 10, 1), Decimal("1234.56"), "completed", batch, 2),
        "O2": ("C002", "S002", date(2025, 10, 2), Decimal("99.90"), "open", batch, 3),
    }
    assert company.imports.run(_write(tmp_path, "orders.csv", ORDERS), "orders").already_imported
    overlap = ORDERS.replace("进行中", "已取消") + "O3,C001,S003,2025-10-05,0,open\n"
    second = company.imports.run(_write(tmp_path, "orders2.csv", overlap), "orders")
    assert (second.accepted, second.rejected, second.duplicates) == (2, 0, 1)
    found = _orders(company)
    assert len(found) == 3
    assert found["O1"][5] == batch
    assert found["O2"][4:] == ("cancelled", second.batch_id, 3)
    assert found["O3"][3] == Decimal("0.00")


def test_order_rows_are_rejected_by_rule(company: App, tmp_path: Path) -> None:
    bad = (
        "order_no,customer_code,employee_no,order_date,amount,status\n"
        "O1,C404,S001,2025-10-01,10,open\n"
        "O2,C001,S404,2025-10-01,10,open\n"
        "O3,C001,S001,2025-10-01,10,shipped\n"
        "O4,C001,S001,2025-10-01,-0.01,open\n"
        "O5,C001,S001,2025-10-01,10,open\n"
        "O5,C001,S001,2025-10-01,11,open\n"
        "O6,C001,S001,2025-10-01,1000000000000,open\n"
        "O7,C001,S404,2025-10-01,5,open\n"  # a rejected row does not claim its number
        "O7,C001,S001,2025-10-01,5,open\n"
    )
    report = company.imports.run(_write(tmp_path, "bad.csv", bad), "orders")
    assert (report.accepted, report.rejected) == (3, 6)
    assert _messages(report) == {
        3: ("employee_no", "unknown employee S404; import employees first"),
        4: (
            "status",
            "unknown order status 'shipped'; use one of: cancelled, completed, open, transferred",
        ),
        5: ("amount", "amount must not be negative: -0.01"),
        7: ("order_no", "order O5 already given on row 6"),
        8: ("amount", "amount too large: 1000000000000.0"),
        9: ("employee_no", "unknown employee S404; import employees first"),
    }
    # an order of a customer not in the store is kept, its code as text, with a warning
    assert [(w.row, w.field, w.message) for w in report.warnings] == [
        (
            2,
            "customer_code",
            "customer C404 is not in the store yet; kept as text and linked when it is imported",
        )
    ]
    assert set(_orders(company)) == {"O5", "O7"}  # (joined on the customer: O1 has none yet)
    with company.uow() as uow:
        o1 = uow.session.scalars(select(Order).where(Order.order_no == "O1")).one()
        assert (o1.customer_id, o1.customer_ref) == (None, "C404")


LEADS = (
    "线索编号,客户编号,工号,创建日期,成交订单号\nL1,C001,S001,2025-09-01,O1\nL2,,S002,2025-09-02,\n"
)


def _leads(app: App) -> dict[str, tuple[int | None, int, date, int | None, int | None, int | None]]:
    with app.uow() as uow:
        return {
            lead.lead_no: (
                lead.customer_id,
                lead.employee_id,
                lead.created_on,
                lead.converted_order_id,
                lead.batch_id,
                lead.source_row,
            )
            for lead in uow.session.scalars(select(Lead))
        }


def _ids(app: App) -> dict[str, int]:
    with app.uow() as uow:
        session = uow.session
        ids = {no: id_ for no, id_ in session.execute(select(Employee.employee_no, Employee.id))}
        ids |= {code: id_ for code, id_ in session.execute(select(Customer.code, Customer.id))}
        ids |= {no: id_ for no, id_ in session.execute(select(Order.order_no, Order.id))}
        return ids


def test_leads_import_reimport_and_overlap(company: App, tmp_path: Path) -> None:
    company.imports.run(_write(tmp_path, "orders.csv", ORDERS), "orders")
    report = company.imports.run(_write(tmp_path, "leads.csv", LEADS), "leads")
    assert (report.accepted, report.rejected, report.duplicates) == (2, 0, 0)
    ids, batch = _ids(company), report.batch_id
    assert _leads(company) == {
        "L1": (ids["C001"], ids["S001"], date(2025, 9, 1), ids["O1"], batch, 2),
        "L2": (None, ids["S002"], date(2025, 9, 2), None, batch, 3),
    }
    assert company.imports.run(_write(tmp_path, "leads.csv", LEADS), "leads").already_imported
    overlap = LEADS.replace("2025-09-02,", "2025-09-02,O2") + "L3,C002,S003,2025-09-03,\n"
    second = company.imports.run(_write(tmp_path, "leads2.csv", overlap), "leads")
    assert (second.accepted, second.rejected, second.duplicates) == (2, 0, 1)
    found = _leads(company)
    assert found["L1"][4] == batch
    assert found["L2"][3:] == (ids["O2"], second.batch_id, 3)
    assert found["L3"][:2] == (ids["C002"], ids["S003"])


def test_lead_rows_are_rejected_by_rule(company: App, tmp_path: Path) -> None:
    bad = (
        "lead_id,customer_code,employee_no,created,converted_order_no\n"
        "L1,,S404,2025-09-01,\n"
        "L2,C404,S001,2025-09-01,\n"
        "L3,C001,S001,2025-09-01,O404\n"
        "L4,C001,S001,2025-09-01,\n"
        "L4,C001,S002,2025-09-01,\n"
    )
    report = company.imports.run(_write(tmp_path, "bad.csv", bad), "leads")
    assert (report.accepted, report.rejected) == (3, 2)
    assert _messages(report) == {
        2: ("employee_no", "unknown employee S404; import employees first"),
        6: ("lead_id", "lead L4 already given on row 5"),
    }
    # a lead naming a customer or an order not in the store is kept: the reference as text
    kept = "is not in the store yet; kept as text and linked when it is imported"
    assert [(w.row, w.field, w.message) for w in report.warnings] == [
        (3, "customer_code", f"customer C404 {kept}"),
        (4, "converted_order_no", f"order O404 {kept}"),
    ]
    with company.uow() as uow:
        refs = {
            lead.lead_no: (lead.customer_id, lead.customer_ref, lead.converted_order_ref)
            for lead in uow.session.scalars(select(Lead))
        }
    assert refs["L2"] == (None, "C404", None)
    assert refs["L3"][1:] == ("C001", "O404")


def test_a_kept_reference_is_linked_when_its_record_arrives(company: App, tmp_path: Path) -> None:
    """A lead converted into an order outside the orders export, and an order of a customer
    missing from the customer list: both linked by the import that brings the record."""
    leads = "线索编号,客户编号,工号,创建日期,成交订单号\nL1,C009,S001,2025-09-01,O9\n"
    assert company.imports.run(_write(tmp_path, "leads.csv", leads), "leads").accepted == 1
    orders = "订单号,客户编号,工号,下单日期,金额,状态\nO9,C009,S001,2025-09-20,100,已完成\n"
    report = company.imports.run(_write(tmp_path, "orders.csv", orders), "orders")
    assert report.accepted == 1
    assert "resolved 1 references of earlier imports: converted orders of leads" in [
        w.message for w in report.warnings
    ]
    customers = "客户编号,客户名称\nC009,新客户\n"
    report = company.imports.run(_write(tmp_path, "c9.csv", customers), "customers")
    assert {w.message for w in report.warnings} >= {
        "resolved 1 references of earlier imports: customers of orders",
        "resolved 1 references of earlier imports: customers of leads",
    }
    ids = _ids(company)
    lead = _leads(company)["L1"]
    assert (lead[0], lead[3]) == (ids["C009"], ids["O9"])
    assert _orders(company)["O9"][0] == "C009"


EVENTS = (
    "客户编号,日期,事件,竞争对手,新负责人工号,原因\n"
    "C001,2025-03-01,流失,,,价格\n"  # before the reassignment below in the file, not in time
    "C001,2025-01-10,改派,,S001,区域调整\n"
    "C002,2025-02-01,新签,,S003,\n"
    "C002,2025-04-01,reassigned,,S002,\n"
    "C002,2025-06-01,转竞品,华东精密,,被挖走\n"
)

EventRow = tuple[str, date, str, str | None, str | None, str | None]


def _events(app: App) -> list[EventRow]:
    owner, new_owner = aliased(Employee), aliased(Employee)
    query = (
        select(Customer.code, CustomerEvent.event_date, CustomerEvent.kind)
        .add_columns(owner.employee_no, new_owner.employee_no, Competitor.name)
        .join(Customer, CustomerEvent.customer_id == Customer.id)
        .outerjoin(owner, CustomerEvent.employee_id == owner.id)
        .outerjoin(new_owner, CustomerEvent.new_owner_id == new_owner.id)
        .outerjoin(Competitor, CustomerEvent.competitor_id == Competitor.id)
        .order_by(Customer.code, CustomerEvent.event_date)
    )
    with app.uow() as uow:
        return [(c, d, k, o, n, m) for c, d, k, o, n, m in uow.session.execute(query)]


def _ownerships(app: App) -> list[tuple[str, str, date | None, date | None]]:
    query = (
        select(Customer.code, Employee.employee_no, CustomerOwnership.start_date)
        .add_columns(CustomerOwnership.end_date)
        .join(Customer, CustomerOwnership.customer_id == Customer.id)
        .join(Employee, CustomerOwnership.employee_id == Employee.id)
        .order_by(Customer.code, CustomerOwnership.start_date.nulls_first())
    )
    with app.uow() as uow:
        return [(c, e, s, end) for c, e, s, end in uow.session.execute(query)]


def test_customer_events_record_the_owner_and_change_ownership(
    company: App, tmp_path: Path
) -> None:
    report = company.imports.run(_write(tmp_path, "events.csv", EVENTS), "customer_events")
    assert (report.accepted, report.rejected, report.duplicates) == (5, 0, 0)
    assert _events(company) == [
        # held by S001 as the list says: the reassignment to S001 changes nothing
        ("C001", date(2025, 1, 10), "reassigned", "S001", "S001", None),
        ("C001", date(2025, 3, 1), "lost", "S001", None, None),
        ("C002", date(2025, 2, 1), "won", None, "S003", None),
        ("C002", date(2025, 4, 1), "reassigned", "S003", "S002", None),
        ("C002", date(2025, 6, 1), "transferred", "S002", None, "华东精密"),
    ]
    # C001: held since a day the list does not give (open start) until the loss
    assert _ownerships(company) == [
        ("C001", "S001", None, date(2025, 3, 1)),
        ("C002", "S003", date(2025, 2, 1), date(2025, 4, 1)),
        ("C002", "S002", date(2025, 4, 1), date(2025, 6, 1)),
    ]
    with company.uow() as uow:
        lost = uow.session.scalars(select(CustomerEvent).where(CustomerEvent.kind == "lost")).one()
        assert (lost.reason, lost.batch_id, lost.source_row) == ("价格", report.batch_id, 2)


def test_customer_events_reimport_and_overlap(company: App, tmp_path: Path) -> None:
    first = company.imports.run(_write(tmp_path, "events.csv", EVENTS), "customer_events")
    again = company.imports.run(_write(tmp_path, "events.csv", EVENTS), "customer_events")
    assert again.already_imported and again.batch_id == first.batch_id
    overlap = (
        "customer_code,date,event,new_owner_no,reason\n"
        "C001,2025-03-01,lost,,another reason\n"  # same customer, day and kind: duplicate
        "C001,2025-07-01,won,S002,\n"
    )
    second = company.imports.run(_write(tmp_path, "events2.csv", overlap), "customer_events")
    assert (second.accepted, second.rejected, second.duplicates) == (1, 0, 1)
    events = _events(company)
    assert len(events) == 6
    assert events[2] == ("C001", date(2025, 7, 1), "won", None, "S002", None)
    assert ("C001", "S002", date(2025, 7, 1), None) in _ownerships(company)


def test_customer_event_rows_are_rejected_by_rule(company: App, tmp_path: Path) -> None:
    bad = (
        "customer_code,date,event,competitor,new_owner_no\n"
        "C404,2025-01-01,lost,,\n"
        "C001,2025-01-01,moved,,\n"
        "C001,2025-01-02,transferred,,\n"
        "C001,2025-01-03,transferred,Nobody,\n"
        "C001,2025-01-04,reassigned,,\n"
        "C001,2025-01-05,reassigned,,S404\n"
        "C002,2025-01-06,lost,,\n"
        "C002,2025-01-06,流失,,\n"
    )
    report = company.imports.run(_write(tmp_path, "bad.csv", bad), "customer_events")
    assert (report.accepted, report.rejected) == (3, 5)
    words = "lost, reassigned, transferred, won"
    assert _messages(report) == {
        2: ("customer_code", "unknown customer C404; import customers first"),
        3: ("event", f"unknown customer event 'moved'; use one of: {words}"),
        4: ("competitor", "required for a customer transferred to a competitor"),
        6: ("new_owner_no", "required when a customer is reassigned"),
        9: ("event", "lost of this customer that day already given on row 8"),
    }
    kept = "is not in the store yet; kept as text and linked when it is imported"
    assert [(w.row, w.field, w.message) for w in report.warnings] == [
        (5, "competitor", f"competitor Nobody {kept}"),
        (7, "new_owner_no", f"employee S404 {kept}"),
    ]


def test_an_order_names_the_competitor_it_went_to(company: App, tmp_path: Path) -> None:
    text = (
        "订单号,客户编号,工号,下单日期,金额,状态,竞争对手\n"
        "O1,C001,S001,2025-10-01,10,转竞品,华东精密\n"
        "O2,C001,S001,2025-10-02,10,已完成,\n"
        "O3,C001,S001,2025-10-03,10,转竞品,无名公司\n"
    )
    report = company.imports.run(_write(tmp_path, "orders.csv", text), "orders")
    assert (report.accepted, report.rejected) == (3, 0), "an unknown competitor is left empty"
    with company.uow() as uow:
        rival = uow.session.scalar(select(Competitor.id).where(Competitor.name == "华东精密"))
        stored = dict(uow.session.execute(select(Order.order_no, Order.competitor_id)).all())
    assert stored == {"O1": rival, "O2": None, "O3": None}
