"""Ownership over time through the importers (issue 11 §2, §4), on a real SQLite file and on
PostgreSQL: customer lists as of a day, the ``ownership`` kind, events closing and opening
periods, references kept until their record arrives, and the same periods whatever order
the files come in."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from acting import sign_in_without_user
from sqlalchemy import select, text
from sqlalchemy.orm import aliased

from workstation.app import App, open_app
from workstation.config import load_settings
from workstation.domain.enums import Role
from workstation.ingest.model import ImportOptions, ImportReport
from workstation.store.engine import make_engine
from workstation.store.migrate import upgrade
from workstation.store.models import (
    Customer,
    CustomerEvent,
    CustomerOwnership,
    Employee,
    ImportBatch,
    Order,
)

LIST_DAY = date(2024, 5, 19)
EMPLOYEES = "工号,姓名\nS1,张伟\nS2,王磊\nS3,李娜\n"
#: The CRM's customer master as of LIST_DAY: C1 held since 2023 by S1, C2 since an unknown
#: day by S1 and lost (客户状态 流失), C3 moved from S2 to S3 on 2024-04-15.
CUSTOMERS = (
    "客户编号,客户名称,地址,纬度,经度,负责人工号,分配日期,客户状态\n"
    "C1,成都精工,成都市武侯区,30.60,104.05,S1,2023-03-01,正常\n"
    "C2,重庆电子,重庆市渝北区,29.60,106.50,S1,,流失\n"
    "C3,绵阳机电,绵阳市,31.46,104.68,S3,2024-04-15,正常\n"
)
OWNERSHIP = "客户编号,负责人工号,开始日期,结束日期\nC3,S2,,2024-04-15\nC3,S3,2024-04-15,\n"
EVENTS = (
    "客户编号,日期,事件,竞争对手,原负责人工号,新负责人工号,原因\n"
    "C2,2024-04-02,流失,,,,预算取消\n"
    "C3,2024-04-15,改派,,S2,S3,片区调整\n"
)
EXPECTED = [
    ("C1", "S1", date(2023, 3, 1), None),
    ("C2", "S1", None, date(2024, 4, 2)),
    ("C3", "S2", None, date(2024, 4, 15)),
    ("C3", "S3", date(2024, 4, 15), None),
]


@pytest.fixture
def store(db_url: str, tmp_path: Path) -> Iterator[App]:
    app = open_app(load_settings(tmp_path / "data", db_url))
    sign_in_without_user(app, Role.HR_OFFICER)
    yield app
    app.close()


def _run(app: App, tmp_path: Path, kind: str, text: str, as_of: date | None = None) -> ImportReport:
    path = tmp_path / f"{kind}-{abs(hash(text))}.csv"
    path.write_text(text, encoding="utf-8-sig")
    report = app.imports.run(path, kind, ImportOptions(as_of=as_of))
    assert report.rejected == 0, [p.text() for p in report.problems]
    return report


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


def _event_owners(app: App) -> dict[tuple[str, str], str | None]:
    owner = aliased(Employee)
    query = (
        select(Customer.code, CustomerEvent.kind, owner.employee_no)
        .join(Customer, CustomerEvent.customer_id == Customer.id)
        .outerjoin(owner, CustomerEvent.employee_id == owner.id)
    )
    with app.uow() as uow:
        return {(c, k): o for c, k, o in uow.session.execute(query)}


def test_a_master_an_assignment_history_and_events_give_the_periods(
    store: App, tmp_path: Path
) -> None:
    _run(store, tmp_path, "employees", EMPLOYEES)
    master = _run(store, tmp_path, "customers", CUSTOMERS, LIST_DAY)
    assert master.as_of == LIST_DAY
    assert not [w for w in master.warnings if w.field == "as_of"]
    history = _run(store, tmp_path, "ownership", OWNERSHIP)
    # S3's period the master gave already: a duplicate; S2's is new
    assert (history.accepted, history.duplicates) == (1, 1)
    events = _run(store, tmp_path, "customer_events", EVENTS)
    assert events.accepted == 2
    assert _ownerships(store) == EXPECTED
    assert _event_owners(store) == {("C2", "lost"): "S1", ("C3", "reassigned"): "S2"}


@pytest.mark.parametrize("order", list(itertools.permutations(("ownership", "events"))))
def test_the_order_of_the_files_does_not_change_the_periods(
    store: App, tmp_path: Path, order: tuple[str, str]
) -> None:
    _run(store, tmp_path, "employees", EMPLOYEES)
    _run(store, tmp_path, "customers", CUSTOMERS, LIST_DAY)
    texts = {"ownership": OWNERSHIP, "events": EVENTS}
    for name in order:
        _run(store, tmp_path, "customer_events" if name == "events" else name, texts[name])
    assert _ownerships(store) == EXPECTED


def test_employees_imported_last_bring_their_periods_and_events(store: App, tmp_path: Path) -> None:
    """Owners and new owners not yet among the employees are kept as text with a warning;
    the roster imported afterwards brings their periods and links the events."""
    master = _run(store, tmp_path, "customers", CUSTOMERS, LIST_DAY)
    assert {(w.row, w.field) for w in master.warnings} >= {(2, "owner_no"), (4, "owner_no")}
    events = _run(store, tmp_path, "customer_events", EVENTS)
    assert {(w.row, w.field) for w in events.warnings} == {
        (3, "previous_owner_no"),
        (3, "new_owner_no"),
    }
    assert _ownerships(store) == []
    roster = _run(store, tmp_path, "employees", EMPLOYEES)
    assert "resolved 1 references of earlier imports: new owners of customer events" in [
        w.message for w in roster.warnings
    ]
    # without the assignment history, S2's period is known from the event alone
    assert _ownerships(store) == EXPECTED
    assert _event_owners(store) == {("C2", "lost"): "S1", ("C3", "reassigned"): "S2"}
    with store.uow() as uow:
        event = uow.session.scalars(
            select(CustomerEvent).where(CustomerEvent.kind == "reassigned")
        ).one()
        assert event.new_owner_id is not None and event.new_owner_no == "S3"


def test_a_later_list_closes_and_opens_periods_on_its_day(store: App, tmp_path: Path) -> None:
    _run(store, tmp_path, "employees", EMPLOYEES)
    april = "客户编号,客户名称,负责人工号\nC1,成都精工,S1\n"
    may = "客户编号,客户名称,负责人工号,客户状态\nC1,成都精工,S2,正常\nC2,重庆电子,S1,已转竞品\n"
    # the later list first: the earlier one still fits before it
    _run(store, tmp_path, "customers", may, LIST_DAY)
    first = _run(store, tmp_path, "customers", april, date(2024, 4, 30))
    assert (first.accepted, first.duplicates) == (1, 0)
    assert _ownerships(store) == [
        ("C1", "S1", None, LIST_DAY),
        ("C1", "S2", LIST_DAY, None),
        ("C2", "S1", None, LIST_DAY),
    ]
    # the same list as of the same day again: nothing new
    again = _run(store, tmp_path, "customers", april + "\n", date(2024, 4, 30))
    assert (again.accepted, again.duplicates) == (0, 1)


def test_ownership_rows_that_cannot_stand_are_rejected(store: App, tmp_path: Path) -> None:
    _run(store, tmp_path, "employees", EMPLOYEES)
    _run(store, tmp_path, "customers", CUSTOMERS, LIST_DAY)
    bad = (
        "customer_code,owner_no,start_date,end_date\n"
        "C9,S1,,\n"
        "C1,S1,2024-02-01,2024-01-01\n"
        "C1,S9,2022-01-01,2023-03-01\n"
        "C1,S9,2022-01-01,2023-03-01\n"
    )
    path = tmp_path / "bad.csv"
    path.write_text(bad, encoding="utf-8")
    report = store.imports.run(path, "ownership")
    assert {p.row: (p.field, p.message) for p in report.problems} == {
        2: ("customer_code", "unknown customer C9; import customers first"),
        3: ("end_date", "the period ends on 2024-01-01, not after it starts (2024-02-01)"),
        5: ("customer_code", "period of C1 already given on row 4"),
    }
    assert [(w.row, w.field) for w in report.warnings] == [(4, "owner_no")]
    assert report.accepted + report.duplicates == 1


def test_customers_without_coordinates_are_named(store: App, tmp_path: Path) -> None:
    text = "客户编号,客户名称,地址,纬度,经度\nC1,甲,成都市,,\nC2,乙,,,\nC3,丙,重庆市,29.6,106.5\n"
    report = _run(store, tmp_path, "customers", text, LIST_DAY)
    assert [(w.row, w.message) for w in report.warnings if w.field == "lat"] == [
        (
            2,
            "customer C1 has an address but no coordinates: no geofence until its latitude "
            "and longitude are imported",
        ),
        (3, "customer C2 has no coordinates: no geofence until they are imported"),
    ]
    # kept with the batch, for the report of past imports
    with store.uow() as uow:
        batch = uow.session.get(ImportBatch, report.batch_id)
        assert batch is not None and batch.warnings_json is not None
        assert "customer C1" in batch.warnings_json and "customer C2" in batch.warnings_json


def test_a_store_from_before_the_statements_keeps_what_it_knew(db_url: str, tmp_path: Path) -> None:
    """A store at 0006 (periods but no statements; an order and an event linked by id) is
    upgraded: the references get their text; the first import touching a customer adopts its
    periods: one a customer list opened on its import day becomes that list's snapshot (held
    since an unknown day), one written directly (the demo) stays as it was."""
    engine = make_engine(db_url)
    upgrade(engine, "0006")
    with engine.begin() as conn:
        e = "(SELECT id FROM employees WHERE employee_no = '{}')"
        c = "(SELECT id FROM customers WHERE code = '{}')"
        for statement in (
            "INSERT INTO employees (employee_no, name) VALUES ('S1', '张伟'), ('S2', '王磊')",
            "INSERT INTO import_batches (kind, file_name, started_at, status, rows_total, "
            "rows_accepted, rows_rejected, rows_duplicate) VALUES ('customers', 'c.csv', "
            "'2026-01-05 02:00:00+00:00', 'committed', 2, 2, 0, 0)",
            "INSERT INTO customers (code, name, radius_m, coord_system) "
            "VALUES ('C1', '成都精工', 500, 'WGS84'), ('C2', '重庆电子', 500, 'WGS84')",
            "INSERT INTO customer_ownerships (customer_id, employee_id, start_date, batch_id, "
            f"source_row) VALUES ({c.format('C1')}, {e.format('S1')}, '2026-01-05', "
            "(SELECT id FROM import_batches WHERE file_name = 'c.csv'), 2)",
            "INSERT INTO customer_ownerships (customer_id, employee_id, start_date) "
            f"VALUES ({c.format('C2')}, {e.format('S2')}, '2025-03-01')",
            "INSERT INTO orders (order_no, customer_id, employee_id, order_date, amount, status) "
            f"VALUES ('O1', {c.format('C1')}, {e.format('S1')}, '2025-12-01', 10, 'completed')",
            "INSERT INTO customer_events (customer_id, event_date, kind, new_owner_id) "
            f"VALUES ({c.format('C2')}, '2025-03-01', 'reassigned', {e.format('S2')})",
        ):
            conn.execute(text(statement))
    engine.dispose()
    app = open_app(load_settings(tmp_path / "data", db_url))
    sign_in_without_user(app, Role.HR_OFFICER)
    try:
        with app.uow() as uow:
            order = uow.session.scalars(select(Order)).one()
            event = uow.session.scalars(select(CustomerEvent)).one()
            assert (order.customer_ref, event.new_owner_no) == ("C1", "S2")
        events = "客户编号,日期,事件\nC1,2026-01-20,流失\nC2,2026-01-21,流失\n"
        _run(app, tmp_path, "customer_events", events)
        assert _ownerships(app) == [
            ("C1", "S1", None, date(2026, 1, 20)),
            ("C2", "S2", date(2025, 3, 1), date(2026, 1, 21)),
        ]
        assert _event_owners(app) == {
            ("C1", "lost"): "S1",
            ("C2", "lost"): "S2",
            ("C2", "reassigned"): None,
        }
    finally:
        app.close()
