"""Field check-ins find their customer, keep where their position comes from, and their people
are found the way each attendance app names them (issue 11 §3 and §4), through the importers
on a real SQLite file and a real PostgreSQL database.

A small 苏州 company: two salespeople with customers (two of them share the core name
恒达精密机械, one in 苏州, one in 无锡), a WeCom JSON answer (accounts = the roster's WeCom
column, or the employee number), a DingTalk 原始记录 workbook (20 columns, two-digit years, a
bare HH:MM, a 缺卡 row, a 补卡, a person known only by name in the department) and a GPS
track that places the DingTalk punches, imported before or after them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from acting import sign_in_without_user
from checkin_company import (
    DAY,
    ELSEWHERE,
    OFFICE,
    at,
    customer,
    import_company,
    import_master_data,
    north,
    write_csv,
)
from openpyxl import load_workbook
from sqlalchemy import select

from workstation.app import App, open_app
from workstation.cases.case_text import case_text
from workstation.cases.snapshots import freeze_record
from workstation.config import load_settings
from workstation.domain.clock import company_zone
from workstation.domain.enums import EvidenceKind, Role
from workstation.domain.indicators import Indicator
from workstation.geo.distance import haversine_m
from workstation.store.models import (
    Checkin,
    Customer,
    Employee,
    LocationFlag,
    MissedPunch,
    SalesTask,
)

SHANGHAI = company_zone("Asia/Shanghai")


@pytest.fixture
def store(db_url: str, tmp_path: Path) -> Iterator[App]:
    app = open_app(load_settings(tmp_path / "data", db_url))
    sign_in_without_user(app, Role.HR_OFFICER)
    try:
        import_master_data(app, tmp_path)
        yield app
    finally:
        app.close()


def _checkins(app: App) -> dict[tuple[str, str], Checkin]:
    """Check-ins by (employee number, local HH:MM on either day: 'MM-DD HH:MM')."""
    with app.uow() as uow:
        rows = uow.session.execute(
            select(Checkin, Employee.employee_no).join(Employee, Employee.id == Checkin.employee_id)
        ).all()
        uow.session.expunge_all()
    return {(no, f"{c.checked_at.astimezone(SHANGHAI):%m-%d %H:%M}"): c for c, no in rows}


def _customer_ids(app: App) -> dict[int | None, str]:
    with app.uow() as uow:
        found: dict[int | None, str] = {
            cid: code for cid, code in uow.session.execute(select(Customer.id, Customer.code))
        }
    found[None] = "-"
    return found


@pytest.mark.parametrize("track_first", [False, True], ids=["track-after", "track-before"])
def test_checkins_find_customer_position_and_person(
    store: App, tmp_path: Path, track_first: bool
) -> None:
    reports = import_company(store, tmp_path, track_first)
    wecom, dingtalk = reports["wecom"], reports["dingtalk"]

    # --- identities, missed punches, refusals, as the report counts them ------------------
    assert (wecom.accepted, wecom.rejected) == (5, 2)
    ghost, not_his = wecom.problems
    assert ghost.field == "wecom_userid" and "Ghost" in ghost.message
    assert not_his.message.startswith("no employee with WeCom account S1 ")
    assert wecom.counts["identity.account"] == 1
    assert wecom.counts["identity.account_is_employee_no"] == 4
    assert wecom.counts["missed_punches"] == 1
    assert (dingtalk.accepted, dingtalk.rejected) == (6, 1)
    (refused,) = dingtalk.problems
    assert (refused.field, refused.row) == ("name", 10)
    assert refused.message.startswith("2 employees of department 销售部-苏州 are called 张伟")
    assert dingtalk.counts["identity.employee_no"] == 5
    assert dingtalk.counts["identity.name_in_department"] == 1
    assert (dingtalk.counts["missed_punches"], dingtalk.counts["makeup_approved"]) == (1, 1)

    got = _checkins(store)
    codes = _customer_ids(store)

    def linked(key: tuple[str, str]) -> tuple[str, str | None]:
        return codes[got[key].customer_id], got[key].link_method

    # --- linking, in order -----------------------------------------------------------------
    assert linked(("S1", "03-04 10:00")) == ("C1", "remark")  # own 苏州恒达 before 无锡恒达
    # the remark as stored (cells are NFKC-normalised: the full-width colon is ":")
    assert got[("S1", "03-04 10:00")].link_text == "拜访客户:恒达精密机械"
    assert linked(("S2", "03-04 11:00")) == ("C4", "title")
    assert linked(("S2", "03-04 14:00")) == ("C4", "fence")
    assert got[("S2", "03-04 14:00")].link_text == "50 m / 300 m"
    assert linked(("S2", "03-04 15:00")) == ("-", None)  # C1 is not S2's customer
    assert linked(("S1", "03-04 10:30")) == ("C1", "remark")
    assert linked(("S1", "03-04 14:00")) == ("C2", "remark")  # the longer name wins
    assert linked(("S1", "03-04 08:51")) == ("-", None)  # an on-duty punch names nobody
    assert linked(("S4", "03-04 08:40")) == ("-", None)

    # --- positions: the app's fix, the track's, the address's; never invented ------------
    assert got[("S2", "03-04 11:00")].position_source == "device"
    on = got[("S1", "03-04 08:51")]  # no track fix near: where its address is
    assert (on.position_source, on.address_place) == ("address", OFFICE[0])
    assert (on.lat, on.lon, on.accuracy_m) == (OFFICE[2], OFFICE[3], None)
    visit = got[("S1", "03-04 10:30")]  # the track decides, the address agrees
    assert (visit.position_source, visit.accuracy_m) == ("track", 8)
    assert visit.address_place == customer("C1")[1]
    claimed = got[("S1", "03-04 14:00")]  # the track decides, the address says C3
    assert claimed.position_source == "track"
    assert (claimed.lat, claimed.lon) == pytest.approx(ELSEWHERE)
    assert (claimed.address_lat, claimed.address_lon) == customer("C3")[3:5]
    made_up = got[("S1", "03-05 09:00")]  # 补卡: nobody punched then, the track is not asked
    assert made_up.makeup_approved and made_up.position_source is None and made_up.lat is None
    assert not visit.makeup_approved

    # --- missed punches are not check-ins --------------------------------------------------
    with store.uow() as uow:
        missed = uow.session.execute(
            select(Employee.employee_no, MissedPunch.scheduled_at, MissedPunch.kind)
            .join(Employee, Employee.id == MissedPunch.employee_id)
            .order_by(Employee.employee_no)
        ).all()
    assert [(no, at.astimezone(SHANGHAI), kind) for no, at, kind in missed] == [
        ("S1", at(DAY, 18, 0), "off_duty"),
        ("S2", at(DAY, 18, 0), "off_duty"),
    ]
    assert ("S2", "03-04 18:00") not in got and ("S1", "03-04 18:00") not in got

    # --- the same records in another file: nothing new, missed punches included ----------
    again_json = tmp_path / "again.json"
    again_json.write_bytes((tmp_path / "企业微信打卡.json").read_bytes() + b"\n")
    book = load_workbook(tmp_path / "钉钉考勤_原始记录.xlsx")
    book.properties.title = "again"
    again_xlsx = tmp_path / "again.xlsx"
    book.save(again_xlsx)
    for label, path in (("wecom", again_json), ("dingtalk", again_xlsx)):
        again = store.imports.run(path, "checkins")
        assert (again.accepted, again.duplicates) == (0, reports[label].accepted), label


def test_fake_field_work_and_the_address_track_flag(store: App, tmp_path: Path) -> None:
    import_company(store, tmp_path, track_first=False)
    # A generic file with the phone's accuracy: 340 m from C4 (fence 300 m) is inside when
    # the fix may be 60 m off, outside when only 20 m.
    near = north(customer("C4")[3:5], 340)
    generic = write_csv(
        tmp_path / "外勤.csv",
        "工号,打卡时间,纬度,经度,精度,类型,备注",
        [
            f"S2,2024-03-04 16:00,{near[0]:.6f},{near[1]:.6f},60,外勤,拜访客户：德科工业技术",
            f"S2,2024-03-04 16:30,{near[0]:.6f},{near[1]:.6f},20,外勤,拜访客户：德科工业技术",
        ],
    )
    assert store.imports.run(generic, "checkins").accepted == 2
    store.evaluation.evaluate(DAY)
    with store.uow() as uow:
        ids = {
            no: eid for no, eid in uow.session.execute(select(Employee.employee_no, Employee.id))
        }
        flags = uow.session.execute(
            select(LocationFlag.employee_id, LocationFlag.kind, LocationFlag.detail_json).where(
                LocationFlag.kind == "address_track_mismatch"
            )
        ).all()
    # S1's 14:00 punch: the track is 3 km from C3, whose address the punch gives.
    ((employee, _, detail),) = flags
    assert employee == ids["S1"]
    data = json.loads(detail)
    c3 = customer("C3")
    assert data["address_place"] == c3[1]
    assert data["distance_m"] == pytest.approx(haversine_m(*ELSEWHERE, *c3[3:5]), abs=1)

    def fake(no: str) -> tuple[float | None, float | None]:
        (value,) = [
            v
            for v in store.indicators.values(ids[no], DAY, DAY)
            if v.indicator is Indicator.FAKE_FIELDWORK_RATE
        ]
        return value.numerator, value.denominator

    # S1: the WeCom claim of C1 from C3 and the DingTalk claim of 无锡恒达 from 3 km away are
    # outside; the 10:30 visit (track at C1) is inside.
    assert fake("S1") == (2, 3)
    # S2: at C4 twice (title, fence), 340 m off with accuracies 60 m (inside) and 20 m
    # (outside); the unlinked punch at C1 claims nothing.
    assert fake("S2") == (1, 4)
    behind = store.indicators.records_behind(ids["S1"], DAY, Indicator.FAKE_FIELDWORK_RATE)
    shown = {(r.customer_code, r.link_method, r.position_source) for r in behind.checkins}
    assert shown == {("C1", "remark", "device"), ("C2", "remark", "track")}


def test_the_employee_file_and_the_evidence_say_how(store: App, tmp_path: Path) -> None:
    import_company(store, tmp_path, track_first=True)
    with store.uow() as uow:
        s1 = uow.session.scalar(select(Employee.id).where(Employee.employee_no == "S1"))
    assert s1 is not None
    file = store.employees.employee_file(s1)
    rows = {f"{r.checked_at.astimezone(SHANGHAI):%m-%d %H:%M}": r for r in file.checkins}
    claimed = rows["03-04 14:00"]
    assert (claimed.customer_code, claimed.link_method) == ("C2", "remark")
    assert claimed.link_text == "拜访客户:无锡恒达精密机械"
    assert (claimed.position_source, claimed.address_place) == ("track", customer("C3")[1])
    assert claimed.address_gap_m == pytest.approx(3000, abs=200)
    assert claimed.inside_fence is False
    on = rows["03-04 08:51"]
    assert (on.position_source, on.address_place) == ("address", OFFICE[0])
    assert rows["03-05 09:00"].makeup_approved
    ((missed),) = file.missed_punches
    assert (missed.missed, missed.kind, missed.source_result) == (True, "off_duty", "缺卡")

    with store.uow() as uow:
        snap = freeze_record(uow.session, EvidenceKind.CHECKIN, str(on.id), SHANGHAI)
        made_up = freeze_record(
            uow.session, EvidenceKind.CHECKIN, str(rows["03-05 09:00"].id), SHANGHAI
        )
        visit = freeze_record(uow.session, EvidenceKind.CHECKIN, str(claimed.id), SHANGHAI)
    assert snap.title == (
        "Check-in 2024-03-04 08:51 UTC+8 (on_duty; position from the address (not a GPS fix))"
    )
    assert snap.data["record"]["position_source"] == "address"
    assert case_text(snap.title, "zh_CN") == (
        "2024-03-04 08:51 UTC+8 打卡（上班；位置按地址推定（非 GPS 定位））"
    )
    assert made_up.title == "Check-in 2024-03-05 09:00 UTC+8 (on_duty; made up with approval)"
    assert visit.title == (
        "Check-in 2024-03-04 14:00 UTC+8 at 无锡恒达精密机械有限公司 "
        "(field; position from the GPS track; customer named in the remark)"
    )
    assert case_text(visit.title, "zh_CN") == (
        "2024-03-04 14:00 UTC+8 在无锡恒达精密机械有限公司打卡"
        "（外勤；位置取自 GPS 轨迹；客户为备注中所写）"
    )


def test_a_planned_visit_names_the_customer_when_the_punch_does_not(
    store: App, tmp_path: Path
) -> None:
    """Sales tasks come from the CRM's visit plans; no importer makes them yet, so the test
    writes them as the demo does. One task that day: its customer. Several: the one whose
    fence holds the punch; none holding it: no guess (and no own customer's fence either)."""
    with store.uow() as uow:
        ids = {
            no: eid for no, eid in uow.session.execute(select(Employee.employee_no, Employee.id))
        }
        codes = {code: cid for code, cid in uow.session.execute(select(Customer.code, Customer.id))}
        plans = [
            ("S1", DAY, "C3", "送样"),
            ("S2", DAY, "C4", "回款"),
            ("S2", DAY, "C2", "技术交流"),
        ]
        tasks = [
            SalesTask(employee_id=ids[no], customer_id=codes[code], planned_date=day,
                      purpose=purpose, status="planned")
            for no, day, code, purpose in plans
        ]  # fmt: skip
        uow.session.add_all(tasks)
        uow.commit()
        task_ids = [t.id for t in tasks]
    c3, c4 = customer("C3")[3:5], customer("C4")[3:5]
    far = north(c4, 5000)
    path = write_csv(
        tmp_path / "外勤.csv",
        "工号,打卡时间,纬度,经度,精度,类型,备注",
        [
            f"S1,2024-03-04 10:00,{far[0]:.6f},{far[1]:.6f},10,外勤,沟通需求",
            f"S2,2024-03-04 11:00,{c4[0]:.6f},{c4[1]:.6f},10,外勤,",
            f"S2,2024-03-04 15:00,{far[0]:.6f},{far[1]:.6f},10,外勤,",
            f"S1,2024-03-04 16:00,{c3[0]:.6f},{c3[1]:.6f},10,外勤,拜访客户：苏州华澜智能装备",
        ],
    )
    report = store.imports.run(path, "checkins")
    assert report.accepted == 4 and report.counts["link.task"] == 2
    got = _checkins(store)
    found = {k[1]: (c.customer_id, c.link_method, c.link_text, c.task_id) for k, c in got.items()}
    assert found["03-04 10:00"] == (codes["C3"], "task", f"#{task_ids[0]} 送样", task_ids[0])
    assert found["03-04 11:00"] == (codes["C4"], "task", f"#{task_ids[1]} 回款", task_ids[1])
    assert found["03-04 15:00"] == (None, None, None, None)
    # named in the remark, and the day's task for that customer is kept with it
    assert found["03-04 16:00"][1:] == ("remark", "拜访客户:苏州华澜智能装备", task_ids[0])
