"""Employee list and employee file on the demo company's real SQLite database."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from workstation.app import App
from workstation.employees.service import EmployeeNotFound
from workstation.store.audit import verify_audit_chain
from workstation.store.models import AuditEntry, CustomerEvent, Employee


def _scenario(app: App, kind: str) -> dict[str, object]:
    return next(s for s in app.demo.scenarios() if s["kind"] == kind)


def _employee_id(app: App, employee_no: object) -> int:
    rows = [r for r in app.employees.list_employees(str(employee_no))]
    assert len(rows) == 1
    return rows[0].id


def test_search_matches_name_or_number_and_lists_everyone_otherwise(demo_app: App) -> None:
    everyone = demo_app.employees.list_employees()
    with demo_app.uow() as uow:
        assert len(everyone) == uow.session.scalar(select(func.count()).select_from(Employee))
    assert [r.employee_no for r in everyone] == sorted(r.employee_no for r in everyone)
    diverter = _scenario(demo_app, "diverter")
    by_name = demo_app.employees.list_employees(str(diverter["employee_name"]))
    assert str(diverter["employee_no"]) in {r.employee_no for r in by_name}
    by_number = demo_app.employees.list_employees(str(diverter["employee_no"]).lower())
    assert [r.name for r in by_number] == [diverter["employee_name"]]
    assert demo_app.employees.list_employees("no such person") == []


def test_the_diverters_file_shows_exactly_the_customers_he_lost(demo_app: App) -> None:
    diverter = _scenario(demo_app, "diverter")
    employee_id = _employee_id(demo_app, diverter["employee_no"])
    file = demo_app.employees.employee_file(employee_id)
    with demo_app.uow() as uow:
        lost_in_db = set(
            uow.session.scalars(
                select(CustomerEvent.customer_id).where(
                    CustomerEvent.employee_id == employee_id,
                    CustomerEvent.kind.in_(["lost", "transferred"]),
                )
            )
        )
    assert {o.customer_id for o in file.lost_customers} == lost_in_db
    transferred = [o for o in file.lost_customers if o.end_kind == "transferred"]
    assert len(transferred) == diverter["customers_transferred"]
    assert {o.ended_to for o in transferred} == {diverter["competitor"]}
    assert any(o.status == "transferred" and o.competitor for o in file.orders)
    assert file.profile.employee_no == diverter["employee_no"]


def test_a_territory_change_reads_as_reassignment_to_the_colleague(demo_app: App) -> None:
    scenario = _scenario(demo_app, "territory_change")
    file = demo_app.employees.employee_file(_employee_id(demo_app, scenario["employee_no"]))
    reassigned = [o for o in file.ownerships if o.end_kind == "reassigned"]
    assert len(reassigned) >= int(str(scenario["customers_reassigned"]))
    assert {o.ended_to for o in reassigned} >= {scenario["new_owner_name"]}
    assert not [o for o in file.lost_customers if o.end_date and o.end_kind == "transferred"]


def test_checkins_carry_the_geofence_verdict(demo_app: App) -> None:
    faker = _scenario(demo_app, "fake_fieldwork")
    file = demo_app.employees.employee_file(_employee_id(demo_app, faker["employee_no"]))
    claimed = [c for c in file.checkins if c.customer_code]
    outside = [c for c in claimed if c.inside_fence is False]
    assert outside and all(c.distance_m and c.distance_m > 2_000 for c in outside)
    assert all(c.inside_fence is None for c in file.checkins if not c.customer_code)


def test_reading_a_file_is_audited_and_unknown_ids_are_refused(demo_app: App) -> None:
    employee_id = demo_app.employees.list_employees()[0].id
    with demo_app.uow() as uow:
        before = uow.session.scalar(select(func.count()).select_from(AuditEntry))
    demo_app.employees.employee_file(employee_id)
    with pytest.raises(EmployeeNotFound):
        demo_app.employees.employee_file(10**9)
    with demo_app.uow() as uow:
        entries = list(uow.session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
        assert len(entries) == before + 1
        assert entries[-1].action == "employee_file.read"
        assert verify_audit_chain(uow.session).intact
