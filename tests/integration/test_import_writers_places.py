"""Importing customers (with owners), competitor sites and offices into a real SQLite store."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from workstation.app import App
from workstation.config import Settings, load_settings
from workstation.domain.enums import CoordSystem
from workstation.ingest.model import ImportOptions, ImportReport
from workstation.store.models import (
    Competitor,
    CompetitorSite,
    Customer,
    CustomerOwnership,
    Employee,
    Office,
)


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    """This module's stores: a real SQLite file and a real PostgreSQL database (``db_url``)."""
    return load_settings(tmp_path / "data", db_url)


EMPLOYEES = "工号,姓名\nS001,张伟\nS002,王磊\n"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8-sig")
    return path


def _messages(report: ImportReport) -> dict[int, tuple[str | None, str]]:
    return {p.row: (p.field, p.message) for p in report.problems}


@pytest.fixture
def staffed(app: App, tmp_path: Path) -> App:
    report = app.imports.run(_write(tmp_path, "staff.csv", EMPLOYEES), "employees")
    assert report.accepted == 2
    return app


def _customers(app: App) -> dict[str, Customer]:
    with app.uow() as uow:
        found = {c.code: c for c in uow.session.scalars(select(Customer))}
        uow.session.expunge_all()
        return found


def _ownerships(app: App) -> list[tuple[str, str, date | None, date | None]]:
    query = (
        select(Customer.code, Employee.employee_no, CustomerOwnership.start_date)
        .add_columns(CustomerOwnership.end_date)
        .join(Customer, CustomerOwnership.customer_id == Customer.id)
        .join(Employee, CustomerOwnership.employee_id == Employee.id)
        .order_by(CustomerOwnership.start_date.nulls_first(), CustomerOwnership.id)
    )
    with app.uow() as uow:
        return [(c, e, s, end) for c, e, s, end in uow.session.execute(query)]


CUSTOMERS = (
    "客户编号,客户名称,地址,纬度,经度,负责人工号,围栏半径\n"
    "C001,苏州精工,苏州工业园区星湖街1号,31.30,120.70,S001,300\n"
    "C002,昆山电子,昆山市前进路8号,,,,\n"
)


def test_customers_are_written_with_position_radius_and_owner(staffed: App, tmp_path: Path) -> None:
    report = staffed.imports.run(_write(tmp_path, "customers.csv", CUSTOMERS), "customers")
    assert (report.accepted, report.rejected, report.duplicates) == (2, 0, 0)
    found = _customers(staffed)
    first, second = found["C001"], found["C002"]
    assert (first.name, first.address, first.radius_m) == ("苏州精工", "苏州工业园区星湖街1号", 300)
    assert (first.lat, first.lon, first.coord_system) == (31.30, 120.70, "WGS84")
    assert (first.batch_id, first.source_row) == (report.batch_id, 2)
    assert (second.lat, second.radius_m, second.source_row) == (None, 500.0, 3)
    # held since a day the list does not give: an open start, never "from the import day"
    assert _ownerships(staffed) == [("C001", "S001", None, None)]
    today = staffed.clock.today()
    assert report.as_of == today
    assert [(w.row, w.field, w.message) for w in report.warnings] == [
        (
            None,
            "as_of",
            f"no as-of date given: the list's owners and statuses are read as of "
            f"{today.isoformat()}, the import day",
        ),
        (
            3,
            "lat",
            "customer C002 has an address but no coordinates: no geofence until its latitude "
            "and longitude are imported",
        ),
    ]


def test_customer_positions_are_stored_in_wgs84_with_the_original(
    staffed: App, tmp_path: Path
) -> None:
    path = _write(tmp_path, "gcj.csv", "customer_code,name,lat,lon\nC009,Gcj Co,31.30,120.70\n")
    staffed.imports.run(path, "customers", ImportOptions(crs=CoordSystem.GCJ02))
    stored = _customers(staffed)["C009"]
    assert (stored.orig_lat, stored.orig_lon, stored.coord_system) == (31.30, 120.70, "GCJ02")
    assert stored.lat is not None and stored.lon is not None
    assert abs(stored.lat - 31.30) < 0.01 and stored.lon != 120.70


def test_customers_reimport_and_overlap(staffed: App, tmp_path: Path) -> None:
    first = staffed.imports.run(_write(tmp_path, "c1.csv", CUSTOMERS), "customers")
    again = staffed.imports.run(_write(tmp_path, "c1.csv", CUSTOMERS), "customers")
    assert again.already_imported and again.batch_id == first.batch_id
    overlap = (
        "customer_code,name,address,lat,lon,owner_no,radius_m\n"
        "C001,苏州精工,苏州工业园区星湖街1号,31.30,120.70,S001,300\n"  # same: duplicate
        "C002,昆山电子有限公司,,,,,\n"  # renamed
        "C003,Wujiang Textiles,,31.10,120.60,S002,\n"  # new
    )
    path = _write(tmp_path, "c2.csv", overlap)
    # renaming one of the two stored customers is more than a tenth: asked first
    asked = staffed.imports.run(path, "customers")
    assert asked.needs_confirmation and asked.batch_id is None
    assert [(c.key, c.field, c.old, c.new) for c in asked.changes] == [
        ("C002", "name", "昆山电子", "昆山电子有限公司")
    ]
    assert len(_customers(staffed)) == 2 and _customers(staffed)["C002"].name == "昆山电子"
    report = staffed.imports.run(path, "customers", ImportOptions(confirm_changes=True))
    assert (report.accepted, report.rejected, report.duplicates) == (2, 0, 1)
    assert not report.needs_confirmation and len(report.changes) == 1
    found = _customers(staffed)
    assert len(found) == 3
    assert found["C001"].batch_id == first.batch_id
    assert (found["C002"].name, found["C002"].address) == ("昆山电子有限公司", "昆山市前进路8号")
    assert found["C002"].batch_id == report.batch_id
    assert len(_ownerships(staffed)) == 2


def test_a_later_list_with_a_new_owner_changes_owner_on_its_date(
    staffed: App, tmp_path: Path
) -> None:
    january, february = date(2025, 1, 31), date(2025, 2, 28)
    first = staffed.imports.run(
        _write(tmp_path, "c1.csv", CUSTOMERS), "customers", ImportOptions(as_of=january)
    )
    assert first.as_of == january and not [w for w in first.warnings if w.field == "as_of"]
    moved = CUSTOMERS.replace("120.70,S001", "120.70,S002")
    report = staffed.imports.run(
        _write(tmp_path, "c2.csv", moved), "customers", ImportOptions(as_of=february)
    )
    assert (report.accepted, report.duplicates) == (1, 1)
    assert _ownerships(staffed) == [
        ("C001", "S001", None, february),
        ("C001", "S002", february, None),
    ]
    # the same day's list again, corrected: the later import wins
    fixed = CUSTOMERS.replace("120.70,S001", "120.70,S001 ")
    again = staffed.imports.run(
        _write(tmp_path, "c3.csv", fixed), "customers", ImportOptions(as_of=february)
    )
    assert (again.accepted, again.duplicates) == (1, 1)
    assert _ownerships(staffed) == [("C001", "S001", None, None)]


def test_customer_rows_are_rejected_by_rule(staffed: App, tmp_path: Path) -> None:
    bad = (
        "customer_code,name,lat,lon,owner_no,radius_m\n"
        "C001,Lat only,31.3,,,\n"
        "C002,Far north,91,120,,\n"
        "C003,No fence,31.3,120.7,,0\n"
        "C004,Stranger,,,S404,\n"
        "C005,Good,,,,\n"
        "C005,Again,,,,\n"
    )
    report = staffed.imports.run(_write(tmp_path, "bad.csv", bad), "customers")
    assert (report.accepted, report.rejected) == (2, 4)
    assert _messages(report) == {
        2: ("lon", "latitude and longitude go together"),
        3: ("lat", "91.0 is outside -90..90"),
        4: ("radius_m", "radius must be greater than 0, not 0"),
        7: ("customer_code", "customer C005 already given on row 6"),
    }
    # an owner not (yet) among the employees: the customer is kept, the owner as text
    assert (5, "owner_no") in {(w.row, w.field) for w in report.warnings}
    assert set(_customers(staffed)) == {"C004", "C005"}


SITES = (
    "竞争对手,网点,地址,纬度,经度,半径\n"
    "华东精密,园区店,苏州工业园区,31.31,120.71,150\n"
    "华东精密,昆山店,昆山市,31.38,120.98,\n"
    "江南机电,吴中店,吴中区,31.27,120.63,\n"
)


def _sites(app: App) -> dict[tuple[str, str], CompetitorSite]:
    with app.uow() as uow:
        sites = uow.session.scalars(select(CompetitorSite))
        found = {(s.competitor.name, s.name): s for s in sites}
        uow.session.expunge_all()
        return found


def test_competitor_sites_create_their_competitors(app: App, tmp_path: Path) -> None:
    report = app.imports.run(_write(tmp_path, "sites.csv", SITES), "competitors")
    assert (report.accepted, report.rejected, report.duplicates) == (3, 0, 0)
    with app.uow() as uow:
        names = uow.session.scalars(select(Competitor.name).order_by(Competitor.name)).all()
        assert names == ["华东精密", "江南机电"]
    sites = _sites(app)
    park = sites[("华东精密", "园区店")]
    assert (park.lat, park.lon, park.radius_m, park.address) == (31.31, 120.71, 150, "苏州工业园区")
    assert (park.batch_id, park.source_row) == (report.batch_id, 2)
    assert sites[("江南机电", "吴中店")].radius_m == 200.0

    again = app.imports.run(_write(tmp_path, "sites.csv", SITES), "competitors")
    assert again.already_imported
    overlap = SITES.replace("昆山市,31.38", "昆山市花桥,31.38")
    overlap += "江南机电,园区店,园区,31.32,120.72,\n"
    second = app.imports.run(_write(tmp_path, "sites2.csv", overlap), "competitors")
    assert (second.accepted, second.rejected, second.duplicates) == (2, 0, 2)
    sites = _sites(app)
    assert len(sites) == 4
    assert sites[("华东精密", "昆山店")].address == "昆山市花桥"
    with app.uow() as uow:
        assert len(uow.session.scalars(select(Competitor)).all()) == 2


def test_competitor_rows_are_rejected_by_rule(app: App, tmp_path: Path) -> None:
    bad = (
        "competitor,site,lat,lon,radius_m\n"
        "Acme,North,31.3,,\n"
        "Acme,South,31.3,181,\n"
        "Acme,East,31.3,120.7,-5\n"
        "Acme,West,31.3,120.7,\n"
        "Acme,West,31.4,120.8,\n"
    )
    report = app.imports.run(_write(tmp_path, "bad.csv", bad), "competitors")
    assert (report.accepted, report.rejected) == (1, 4)
    assert _messages(report) == {
        2: ("lon", "lon: required value is empty"),
        3: ("lon", "181.0 is outside -180..180"),
        4: ("radius_m", "radius must be greater than 0, not -5"),
        6: ("site", "site West of Acme already given on row 5"),
    }


OFFICES = (
    "办公地点,地址,纬度,经度,半径\n苏州总部,星湖街,31.30,120.70,\n上海分部,浦东,31.23,121.47,300\n"
)


def _offices(app: App) -> dict[str, Office]:
    with app.uow() as uow:
        found = {o.name: o for o in uow.session.scalars(select(Office))}
        uow.session.expunge_all()
        return found


def test_offices_import_reimport_and_overlap(app: App, tmp_path: Path) -> None:
    report = app.imports.run(_write(tmp_path, "offices.csv", OFFICES), "offices")
    assert (report.accepted, report.rejected) == (2, 0)
    found = _offices(app)
    assert (found["苏州总部"].radius_m, found["苏州总部"].lat) == (200.0, 31.30)
    assert (found["上海分部"].radius_m, found["上海分部"].source_row) == (300, 3)
    assert app.imports.run(_write(tmp_path, "offices.csv", OFFICES), "offices").already_imported
    overlap = OFFICES.replace("121.47,300", "121.47,400") + "南京办事处,鼓楼,32.06,118.78,\n"
    second = app.imports.run(_write(tmp_path, "offices2.csv", overlap), "offices")
    assert (second.accepted, second.duplicates) == (2, 1)
    found = _offices(app)
    assert len(found) == 3 and found["上海分部"].radius_m == 400


def test_office_rows_are_rejected_by_rule(app: App, tmp_path: Path) -> None:
    bad = "office,lat,lon,radius_m\nHQ,95,120,\nHQ2,31,120,0\nHQ3,31,120,\nHQ3,31,120,\n"
    report = app.imports.run(_write(tmp_path, "bad.csv", bad), "offices")
    assert (report.accepted, report.rejected) == (1, 3)
    assert _messages(report) == {
        2: ("lat", "95.0 is outside -90..90"),
        3: ("radius_m", "radius must be greater than 0, not 0"),
        5: ("office", "office HQ3 already given on row 4"),
    }


def test_ambiguous_numbers_null_island_and_huge_radii_are_refused(
    staffed: App, tmp_path: Path
) -> None:
    path = tmp_path / "customers.csv"
    path.write_text(
        "客户编号,客户名称,纬度,经度,围栏半径\n"
        'C1,甲,31.2,121.4,"500,0"\n'  # read as 5000 m before
        "C2,乙,0,0,100\n"
        "C3,丙,31.2,121.4,90000\n"
        'C4,丁,31.2,121.4,"1,500"\n'
        "C5,戊,31.2,121.4,50000\n",
        encoding="utf-8",
    )
    report = staffed.imports.run(path, "customers")
    assert [(p.row, p.field) for p in report.problems] == [
        (2, "radius_m"),
        (3, "lat"),
        (4, "radius_m"),
    ]
    assert "ambiguous comma in number '500,0'" in report.problems[0].message
    assert report.problems[1].message.startswith("position (0, 0) is not a real place")
    assert report.problems[2].message == "radius 90000 m is beyond the 50 km a fence may have"
    assert report.accepted == 2


def test_places_keep_their_city_and_customers_their_industry(app: App, tmp_path: Path) -> None:
    files = (
        ("offices", "办公地点,城市,纬度,经度\n苏州分公司,苏州,31.31,120.67\n"),
        ("competitors", "竞争对手,网点,城市,纬度,经度\n华东精密,园区店,苏州,31.3,120.7\n"),
        (
            "customers",
            "客户编号,客户名称,城市,行业,纬度,经度\nC001,苏州精工,苏州,机械制造,31.3,120.6\n",
        ),
    )
    for kind, text in files:
        report = app.imports.run(_write(tmp_path, f"{kind}.csv", text), kind)
        assert (report.accepted, report.rejected) == (1, 0), kind
    with app.uow() as uow:
        assert uow.session.scalars(select(Office.city)).all() == ["苏州"]
        assert uow.session.scalars(select(CompetitorSite.city)).all() == ["苏州"]
        customer = uow.session.scalars(select(Customer)).one()
        assert (customer.city, customer.industry) == ("苏州", "机械制造")
    moved = "客户编号,客户名称,城市,行业\nC001,苏州精工,昆山,机械制造\n"
    report = app.imports.run(_write(tmp_path, "moved.csv", moved), "customers")
    assert (report.accepted, report.duplicates) == (1, 0)
    assert _customers(app)["C001"].city == "昆山"


def test_employees_get_their_office_and_phone(app: App, tmp_path: Path) -> None:
    offices = "办公地点,纬度,经度\n苏州分公司,31.31,120.67\n"
    assert app.imports.run(_write(tmp_path, "offices.csv", offices), "offices").accepted == 1
    roster = "工号,姓名,办公地点,手机号\nS001,张伟,苏州分公司,13800000001\nS002,王磊,杭州分公司,\n"
    report = app.imports.run(_write(tmp_path, "roster.csv", roster), "employees")
    assert (report.accepted, report.rejected) == (2, 0)
    with app.uow() as uow:
        rows = uow.session.execute(
            select(Employee.employee_no, Office.name, Employee.phone)
            .outerjoin(Office, Employee.office_id == Office.id)
            .order_by(Employee.employee_no)
        ).all()
    assert [tuple(r) for r in rows] == [("S001", "苏州分公司", "13800000001"), ("S002", None, None)]
