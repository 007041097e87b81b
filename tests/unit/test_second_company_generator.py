"""The second company's generator (``tests/companies/second``): deterministic, its files hold
what the manifest says, its answer key plants exactly the intended cases, and its traps are
built so that they would bite a careless importer."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import openpyxl
import pytest
from companies.second.book import FENCE_M, REASSIGNED, TERRITORY_DAY, TERRITORY_MOVED
from companies.second.cast import CHONGQING_OFFICE, COMMUTE_SITE, TOWER_SITE
from companies.second.field import FIELD
from companies.second.generate import DEFAULT_SEED, Company, generate
from companies.second.geo import distance_m, lerp, to_gcj02
from companies.second.truth import INDICATORS
from companies.second.workdays import EVAL_DAYS


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory) -> Company:
    return generate(tmp_path_factory.mktemp("second") / "files")


def test_the_same_seed_writes_the_same_bytes(company: Company, tmp_path: Path) -> None:
    again = generate(tmp_path / "again", DEFAULT_SEED)
    names = sorted(p.name for p in company.folder.iterdir())
    assert names == sorted(p.name for p in again.folder.iterdir())
    for name in names:
        assert (company.folder / name).read_bytes() == (again.folder / name).read_bytes(), name


def test_the_answer_key_plants_exactly_the_diverter_and_the_fake_field_worker(
    company: Company,
) -> None:
    key = company.key
    expected = {a["employee_no"]: a for a in key["expected_alerts"]}
    diverter, faker = company.by_part("diverter"), company.by_part("fake_fieldwork")
    assert set(expected) == {diverter.no, faker.no}
    assert expected[diverter.no]["severity"] == "high"
    assert {"churn", "churn_with_overlap", "competitor_overlap", "order_transfer"} == set(
        expected[diverter.no]["rules"]
    )
    assert expected[faker.no]["rules"] == {"fake_fieldwork": "high"}
    churn = key["peaks"][diverter.no]["customer_churn_rate"]["max"]
    assert 0.25 <= churn <= 0.30, "the diverter loses a quarter of his customers a month"
    assert len(key["no_alert"]) == len(company.truth.sales) - 2


def test_the_new_hire_never_has_enough_data(company: Company) -> None:
    newbie = company.by_part("new_hire").no
    for indicator in INDICATORS:
        for day in EVAL_DAYS:
            assert company.truth.rates[(newbie, day, indicator)].value is None


def _records(path: Path) -> int:
    if path.suffix == ".json":
        return len(json.loads(path.read_text(encoding="utf-8"))["checkindata"])
    if path.suffix == ".gpx":
        return path.read_text(encoding="utf-8").count("<trkpt ")
    if path.suffix == ".xlsx":
        sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
        rows = [r for r in sheet.iter_rows(values_only=True) if any(v is not None for v in r)]
        header = next(i for i, r in enumerate(rows) if "工号" in r)
        return len(rows) - header - 1
    encoding = "gb18030" if path.name.startswith("客户主数据") else "utf-8-sig"
    with path.open(encoding=encoding, newline="") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


def test_the_manifest_counts_every_record_of_every_file(company: Company) -> None:
    manifest = json.loads((company.folder / "manifest.json").read_text(encoding="utf-8"))
    assert [m["file"] for m in manifest] == [f.path.name for f in company.files]
    for f in company.files:
        assert _records(f.path) == f.rows, f.path.name


def test_the_sources_look_as_the_issue_describes(company: Company) -> None:
    (roster,) = company.of("roster")
    header = next(openpyxl.load_workbook(roster.path).active.iter_rows(values_only=True))
    assert not any("企业微信" in str(h) or "wecom" in str(h).lower() for h in header)
    (wecom,) = company.of("wecom")
    records = json.loads(wecom.path.read_text(encoding="utf-8"))["checkindata"]
    numbers = {p.no for p in company.people}
    assert {r["userid"] for r in records} <= numbers, "the WeCom account is the employee number"
    (dingtalk,) = company.of("dingtalk")
    rows = list(openpyxl.load_workbook(dingtalk.path).worksheets[0].iter_rows(values_only=True))
    assert rows[2][:4] == ("姓名", "考勤组", "部门", "工号"), "the header is on row 3"
    times = [r[8] for r in rows[3:] if r[8]]
    assert all(re.fullmatch(r"\d{2}-\d{2}-\d{2} \d{2}:\d{2}", t) for t in times)
    results = {r[9] for r in rows[3:]}
    assert {"缺卡", "补卡审批通过", "外勤"} <= results
    remarks = [r[11] for r in rows[3:] if r[9] == "外勤"]
    assert all(r.startswith("拜访客户：") for r in remarks)
    (orders,) = company.of("orders")
    exported = orders.path.read_text(encoding="utf-8-sig")
    converted = [x.order.no for x in company.book.leads if x.order is not None]
    assert any(no not in exported for no in converted), "some conversions predate the export"


def test_the_commuter_drives_past_a_competitor_without_stopping(company: Company) -> None:
    commuter = company.by_part("commuter")
    site = next(s for s in company.truth.sites if s.name == COMMUTE_SITE)
    office = next(
        w.pos
        for d in company.days
        if d.person == commuter.no
        for w in d.dwells
        if w.kind == "office"
    )
    road = [lerp(commuter.home, office, i / 200) for i in range(201)]
    assert min(distance_m(p, site.pos) for p in road) < 100
    dwells = [w for d in company.days if d.person == commuter.no for w in d.dwells]
    assert min(distance_m(w.pos, site.pos) for w in dwells) > 300


def test_a_competitor_shares_the_office_tower(company: Company) -> None:
    site = next(s for s in company.truth.sites if s.name == TOWER_SITE)
    assert distance_m(site.pos, CHONGQING_OFFICE.pos) < 50
    assert site.radius_m is not None and site.radius_m > CHONGQING_OFFICE.radius_m


def test_gcj02_check_ins_are_inside_their_fences_only_once_converted(company: Company) -> None:
    """Every genuine 重庆 field punch is inside the claimed customer's fence in WGS-84, and
    would be outside it if its GCJ-02 position were taken for WGS-84."""
    checked = 0
    for d in company.days:
        for p in d.punches:
            if p.kind != FIELD or p.fake or p.pos is None or p.customer is None:
                continue
            customer = company.book.customers[p.customer]
            if customer.city != "重庆" or not customer.has_coords:
                continue
            assert distance_m(p.pos, customer.pos) < FENCE_M / 2
            assert distance_m(to_gcj02(p.pos), customer.pos) > FENCE_M
            checked += 1
    assert checked > 500


def test_the_territory_move_is_large_and_not_churn(company: Company) -> None:
    source = company.by_part("territory_from").no
    moved = [e for e in company.book.events if e.kind == REASSIGNED and e.old_owner == source]
    assert len(moved) == TERRITORY_MOVED and {e.day for e in moved} == {TERRITORY_DAY}
    for day in EVAL_DAYS:
        value = company.truth.rates[(source, day, "customer_churn_rate")].value
        assert value is not None and value < 0.10
