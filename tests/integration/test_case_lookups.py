"""What the case forms choose from, through the case service: each list checked against the
reader's permissions (the role matrix), plain values only."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from case_world import CaseWorld

from workstation.app import App
from workstation.security.permissions import PermissionDenied
from workstation.store.models import ImportBatch


@pytest.fixture
def world(app: App) -> CaseWorld:
    return CaseWorld(app.uow, app.evidence)


def test_employees_by_number_or_name_for_hr_only(world: CaseWorld) -> None:
    cs, hr = world.cases, world.me("hr.li")
    assert [e.name for e in cs.employee_choices(hr, "S00")] == ["张伟", "孙丽"]
    assert [e.employee_no for e in cs.employee_choices(hr, "张")] == ["S001"]
    assert len(cs.employee_choices(hr)) == 7
    with pytest.raises(PermissionDenied):
        cs.employee_choices(world.me("mgr.wang"))
    assert cs.employee_choices(hr, "李", for_opening=False)[0].name == "李HR"


def test_users_customers_competitors_and_imports(world: CaseWorld) -> None:
    cs, hr = world.cases, world.me("hr.li")
    managers = cs.user_choices(world.me("admin"), "sales_manager")
    assert {u.username for u in managers} == {"mgr.wang", "mgr.chen", "mgr.liu", "sales.zhang"}
    assert [c.name for c in cs.customer_choices(hr, world.emp["zhang"])] == ["华东机电"]
    assert cs.customer_choices(hr, world.emp["sun"]) == []
    assert [c.name for c in cs.competitor_choices(hr)] == ["对手公司"]
    with world.uow() as u:
        stored = world.evidence.add_bytes(u.session, b"x", "orders.csv", "hr.li")
        at = datetime(2026, 10, 1, tzinfo=UTC)
        u.session.add_all(
            [
                ImportBatch(
                    kind="orders",
                    file_id=stored.id,
                    file_name="orders.csv",
                    started_at=at,
                    status="committed",
                    rows_accepted=3,
                ),
                ImportBatch(kind="orders", file_name="lost.csv", started_at=at, status="failed"),
            ]
        )
        u.commit()
    assert [(b.file_name, b.rows_accepted) for b in cs.import_choices(hr)] == [("orders.csv", 3)]
    with pytest.raises(PermissionDenied):
        cs.import_choices(world.me("legal.zhao"))
