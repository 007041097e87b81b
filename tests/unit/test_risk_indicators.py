"""Indicators, stops, places and location flags on small hand-made cases (no database).

Each look-alike trap of the issue has its own test: reassignment is not churn; a stop at an
office beside a competitor does not count; passing a competitor without stopping does not
count; allowed places (shared tower, home) do not count; accuracy can keep a check-in inside
its fence; too small a denominator is "insufficient", never a value.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import numpy as np
import pytest

from workstation.config import Preferences
from workstation.domain.clock import company_zone
from workstation.domain.indicators import Indicator, IndicatorStatus
from workstation.geo.distance import LocalProjection
from workstation.risk.indicators import (
    CheckinFenceIn,
    EmployeeInputs,
    EventIn,
    Holding,
    IndicatorResult,
    LeadIn,
    OrderIn,
    StopIn,
    compute_indicators,
    is_field_stop,
)
from workstation.risk.model import IndicatorSettings, record_counts
from workstation.risk.places import (
    ALLOWED,
    COMPETITOR_SITE,
    CUSTOMER,
    OFFICE,
    OTHER,
    Place,
    PlaceSet,
    fence_checks,
)
from workstation.risk.quality import impossible_jumps, mock_marker, repeated_fixes
from workstation.risk.stop_days import SOURCE_CHECKIN, SOURCE_TRACK, CheckinIn, compute_day

CST = timezone(timedelta(hours=8))
DAY = date(2026, 10, 30)
CITY = LocalProjection(31.3181, 120.6742)
SETTINGS = IndicatorSettings()
EMP, OTHER_EMP = 7, 8


def ll(x: float, y: float) -> tuple[float, float]:
    lat, lon = CITY.to_latlon(x, y)
    return float(lat), float(lon)


def ms(hh: int, mm: int = 0, day: date = DAY) -> int:
    return int(datetime.combine(day, time(hh, mm), CST).timestamp() * 1000)


def d(days_before: int) -> date:
    return DAY - timedelta(days=days_before)


def one(results: list[IndicatorResult], indicator: Indicator, day: date = DAY) -> IndicatorResult:
    [found] = [r for r in results if r.indicator is indicator and r.day == day]
    return found


# ---- the world of the place tests: an office with a competitor in its tower -------------
OFFICE_XY = (0.0, 0.0)
TOWER_SITE_XY = (19.0, 0.0)  # a competitor 19 m from the office, like the demo's Hangzhou
RIVAL_SITE_XY = (3000.0, 0.0)
HUB_XY = (0.0, 5000.0)  # a logistics hub shared with a competitor's depot
HUB_SITE_XY = (30.0, 5000.0)
HOME_XY = (-4000.0, 0.0)  # employee EMP lives beside a competitor's shop
HOME_SITE_XY = (-4040.0, 0.0)
CUSTOMER_XY = (6000.0, 0.0)


def place(pid: int, xy: tuple[float, float], radius: float, name: str, **kw: object) -> Place:
    lat, lon = ll(*xy)
    return Place(pid, lat, lon, radius, name, **kw)  # type: ignore[arg-type]


PLACES = PlaceSet(
    offices=[place(1, OFFICE_XY, 200, "苏州分公司")],
    allowed=[
        place(10, HUB_XY, 150, "物流园", group="logistics_hub"),
        place(11, HOME_XY, 100, "家", group="home", employee_id=EMP),
    ],
    competitor_sites=[
        place(20, TOWER_SITE_XY, 200, "同楼办事处", group="竞品甲"),
        place(21, RIVAL_SITE_XY, 200, "技术服务中心", group="竞品甲"),
        place(22, HUB_SITE_XY, 200, "物流园仓库", group="竞品乙"),
        place(23, HOME_SITE_XY, 200, "门店", group="竞品丙"),
    ],
    customers=[place(30, CUSTOMER_XY, 500, "客户甲")],
)


def classify(xy: tuple[float, float], employee_id: int = EMP) -> tuple[str, int | None, int | None]:
    lat, lon = ll(*xy)
    [hit] = PLACES.classify([lat], [lon], employee_id)
    return hit.kind, hit.place_id, hit.competitor_site_id


# ---- places --------------------------------------------------------------------------------


def test_a_stop_at_the_office_beside_a_competitor_is_at_the_office() -> None:
    kind, place_id, site = classify((5.0, 5.0))
    assert (kind, place_id) == (OFFICE, 1)
    assert site == 20, "the competitor in the tower is kept to explain the map"


def test_a_stop_at_a_competitor_site_counts() -> None:
    assert classify((3050.0, 30.0)) == (COMPETITOR_SITE, 21, 21)


def test_allowed_places_never_count_and_a_home_only_for_its_owner() -> None:
    assert classify((10.0, 5000.0), OTHER_EMP) == (ALLOWED, 10, 22)  # shared hub: everyone
    assert classify((-4020.0, 0.0), EMP) == (ALLOWED, 11, 23)  # his home
    assert classify((-4020.0, 0.0), OTHER_EMP) == (COMPETITOR_SITE, 23, 23)  # not hers


def test_customers_and_other_places() -> None:
    assert classify((6100.0, 0.0))[:2] == (CUSTOMER, 30)
    assert classify((9000.0, 9000.0)) == (OTHER, None, None)


def test_radius_is_the_sites_own_and_the_edge_is_inside() -> None:
    assert classify((3199.0, 0.0))[0] == COMPETITOR_SITE
    assert classify((3202.0, 0.0))[0] == OTHER


def test_the_nearest_place_covering_wins_even_when_a_nearer_one_does_not_cover() -> None:
    places = PlaceSet(
        offices=[],
        allowed=[],
        competitor_sites=[
            place(1, (0.0, 0.0), 50, "小门店"),  # nearest, but its radius is small
            place(2, (300.0, 0.0), 400, "大仓库"),  # farther, with a wide radius
            place(3, (5000.0, 0.0), 200, "远处"),
        ],
        customers=[],
    )
    lat, lon = CITY.to_latlon(np.array([80.0, 20.0, 900.0]), np.zeros(3))
    hits = places.classify(lat, lon, EMP)
    assert [(h.kind, h.place_id) for h in hits] == [
        (COMPETITOR_SITE, 2),
        (COMPETITOR_SITE, 1),
        (OTHER, None),
    ]
    assert hits[0].distance_m == pytest.approx(220.0, abs=0.5)


def test_places_fingerprint_changes_with_any_position() -> None:
    moved = PlaceSet(
        offices=[place(1, (1.0, 0.0), 200, "苏州分公司")],
        allowed=[],
        competitor_sites=[],
        customers=[],
    )
    same = PlaceSet(
        offices=[place(1, (1.0, 0.0), 200, "改名了")], allowed=[], competitor_sites=[], customers=[]
    )
    assert moved.fingerprint() != PLACES.fingerprint()
    assert moved.fingerprint() == same.fingerprint(), "names do not change a stop"


# ---- geofence --------------------------------------------------------------------------------


def test_a_check_in_is_inside_its_fence_thanks_to_its_accuracy() -> None:
    lat, lon = ll(CUSTOMER_XY[0] + 560.0, 0.0)  # 560 m from the customer, fence 500 m
    fences = fence_checks(
        [lat, lat, lat], [lon, lon, lon], [80.0, 50.0, np.nan], [30, 30, 30], PLACES
    )
    assert fences.checked.all()
    assert fences.distance_m == pytest.approx([560.0] * 3, abs=1.0)
    assert fences.outside.tolist() == [False, True, True]  # 560 - 80 <= 500; unknown acc = 0


def test_a_check_in_claiming_no_or_an_unknown_customer_is_not_checked() -> None:
    lat, lon = ll(0.0, 0.0)
    fences = fence_checks([lat, lat], [lon, lon], [10.0, 10.0], [None, 999], PLACES)
    assert fences.checked.tolist() == [False, False]
    assert fences.outside.tolist() == [False, False]


# ---- stops of a day ---------------------------------------------------------------------------


def track(legs: list[tuple[int, tuple[float, float], tuple[float, float]]], start: int) -> tuple:
    """Fixes a minute apart: each leg is (minutes, from xy, to xy); equal ends = a stay."""
    t, xs, ys = [], [], []
    now = start
    rng = np.random.default_rng(1)
    for minutes, a, b in legs:
        for k in range(minutes):
            f = k / minutes
            jitter = rng.normal(0, 4, 2) if a == b else (0.0, 0.0)
            xs.append(a[0] + (b[0] - a[0]) * f + jitter[0])
            ys.append(a[1] + (b[1] - a[1]) * f + jitter[1])
            t.append(now)
            now += 60_000
    lat, lon = CITY.to_latlon(np.array(xs), np.array(ys))
    return (
        np.array(t, dtype=np.int64),
        np.asarray(lat),
        np.asarray(lon),
        np.full(len(t), 15.0),
    )


def test_a_commute_passing_a_competitor_without_stopping_makes_no_stop_there() -> None:
    # Office → drive past the rival site at 30 m at 8 m/s → stay 40 min at the customer.
    legs = [
        (30, OFFICE_XY, OFFICE_XY),
        (12, OFFICE_XY, (2800.0, 30.0)),
        (2, (2800.0, 30.0), (3200.0, 30.0)),
        (6, (3200.0, 30.0), CUSTOMER_XY),
        (40, CUSTOMER_XY, CUSTOMER_XY),
    ]
    t, lat, lon, acc = track(legs, ms(9))
    result = compute_day(EMP, t, lat, lon, acc, [], PLACES, SETTINGS)
    kinds = [s.place_kind for s in result.stops]
    assert kinds == [OFFICE, CUSTOMER]
    assert all(s.source == SOURCE_TRACK for s in result.stops)
    assert all(s.competitor_site_id != 21 for s in result.stops)


def test_a_stay_at_a_competitor_is_a_stop_there_with_times_and_centre() -> None:
    legs = [(20, (3020.0, 0.0), (3020.0, 0.0)), (10, (3020.0, 0.0), CUSTOMER_XY)]
    t, lat, lon, acc = track(legs, ms(10))
    [stop] = compute_day(EMP, t, lat, lon, acc, [], PLACES, SETTINGS).stops
    assert (stop.place_kind, stop.place_id) == (COMPETITOR_SITE, 21)
    assert stop.place_distance_m == pytest.approx(20.0, abs=8.0)
    assert stop.started_ms >= ms(10) and stop.ended_ms <= ms(10, 20)
    assert (stop.ended_ms - stop.started_ms) >= 10 * 60_000


def test_a_stay_shorter_than_the_minimum_is_no_stop_and_the_minimum_is_settable() -> None:
    legs = [(8, (3020.0, 0.0), (3020.0, 0.0)), (10, (3020.0, 0.0), CUSTOMER_XY)]
    t, lat, lon, acc = track(legs, ms(10))
    assert compute_day(EMP, t, lat, lon, acc, [], PLACES, SETTINGS).stops == []
    shorter = IndicatorSettings(stop_min_minutes=5)
    assert len(compute_day(EMP, t, lat, lon, acc, [], PLACES, shorter).stops) == 1


def checkin(cid: int, at: int, xy: tuple[float, float], **kw: object) -> CheckinIn:
    lat, lon = ll(*xy)
    values: dict = {"kind": "field", "accuracy_m": 20.0, "customer_id": 30} | kw
    return CheckinIn(cid, at, values.pop("kind"), lat, lon, **values)


def test_without_a_track_field_check_ins_stand_in_as_stops() -> None:
    empty_i, empty_f = np.empty(0, dtype=np.int64), np.empty(0)
    checkins = [
        checkin(1, ms(10), (3010.0, 0.0)),
        checkin(2, ms(14), CUSTOMER_XY),
        checkin(3, ms(8, 50), OFFICE_XY, kind="on_duty", customer_id=None),
    ]
    stops = compute_day(EMP, empty_i, empty_f, empty_f, empty_f, checkins, PLACES, SETTINGS).stops
    assert [(s.source, s.place_kind, s.started_ms == s.ended_ms) for s in stops] == [
        (SOURCE_CHECKIN, COMPETITOR_SITE, True),
        (SOURCE_CHECKIN, CUSTOMER, True),
    ]


def test_with_a_track_check_ins_are_no_stops() -> None:
    t, lat, lon, acc = track([(30, OFFICE_XY, OFFICE_XY)], ms(9))
    result = compute_day(
        EMP, t, lat, lon, acc, [checkin(1, ms(9, 5), (3010.0, 0.0))], PLACES, SETTINGS
    )
    assert [s.source for s in result.stops] == [SOURCE_TRACK]


# ---- location flags ---------------------------------------------------------------------------


def test_impossible_jumps_are_flagged_once_per_excursion_and_accuracy_is_allowed_for() -> None:
    t = np.array([0, 60, 120, 180, 240, 300], dtype=np.int64) * 1000
    x = np.array([0.0, 50.0, 20_000.0, 100.0, 150.0, 200.0])  # a spike 20 km out and back
    lat, lon = CITY.to_latlon(x, np.zeros(6))
    acc = np.full(6, 10.0)
    [flag] = impossible_jumps(t, lat, lon, acc, max_speed_mps=60.0, max_accuracy_m=200.0)
    assert flag.kind == "impossible_jump" and flag.at_ms == 120_000
    assert flag.detail["steps"] == 2 and flag.detail["speed_kmh"] > 1000
    # 100 m in one second, but each fix is only good to 60 m: no jump.
    t2 = np.array([0, 1000], dtype=np.int64)
    lat2, lon2 = CITY.to_latlon(np.array([0.0, 100.0]), np.zeros(2))
    assert (
        impossible_jumps(
            t2, lat2, lon2, np.array([60.0, 60.0]), max_speed_mps=60.0, max_accuracy_m=200.0
        )
        == []
    )
    assert (
        len(
            impossible_jumps(
                t2, lat2, lon2, np.array([5.0, 5.0]), max_speed_mps=60.0, max_accuracy_m=200.0
            )
        )
        == 1
    )


def test_repeated_identical_fixes_are_flagged_from_the_set_run_length() -> None:
    t = np.arange(14, dtype=np.int64) * 60_000
    lat = np.array([31.3] * 2 + [31.30001] * 11 + [31.3002])
    lon = np.full(14, 120.6)
    lon[:2] += np.array([0.0001, 0.0002])
    [flag] = repeated_fixes(t, lat, lon, min_run=10)
    assert flag.kind == "repeated_fix" and flag.at_ms == 2 * 60_000
    assert flag.detail["count"] == 11 and flag.detail["minutes"] == 10.0
    assert repeated_fixes(t, lat, lon, min_run=12) == []


def test_mock_location_markers_and_check_ins_at_one_exact_position() -> None:
    assert mock_marker(("外勤", "已开启虚拟定位"), SETTINGS.mock_markers) == "虚拟定位"
    assert mock_marker(("外勤; 模拟定位", None), SETTINGS.mock_markers) == "模拟定位"
    assert mock_marker(("正常", "拜访客户"), SETTINGS.mock_markers) is None
    empty_i, empty_f = np.empty(0, dtype=np.int64), np.empty(0)
    checkins = [
        checkin(1, ms(10), (6100.0, 0.0), source_result="外勤; 模拟定位"),
        checkin(2, ms(11), (6100.0, 0.0)),  # the very same position an hour later
        checkin(3, ms(15), (9000.0, 0.0)),  # 3 km from the customer it claims
    ]
    flags = compute_day(EMP, empty_i, empty_f, empty_f, empty_f, checkins, PLACES, SETTINGS).flags
    assert [(f.kind, f.detail["checkin_id"]) for f in flags] == [
        ("mock_location", 1),
        ("repeated_fix", 2),
        ("outside_geofence", 3),
    ]
    assert flags[2].detail["distance_m"] == pytest.approx(3000, abs=2)


def test_a_punch_whose_address_and_track_disagree_is_flagged() -> None:
    """A DingTalk punch (no fix of its own) placed by the track: flagged when the place its
    address names is farther than the tolerance beyond the fix's accuracy; a position taken
    from the address itself is never compared with itself."""
    empty_i, empty_f = np.empty(0, dtype=np.int64), np.empty(0)
    named = ll(*CUSTOMER_XY)
    where = {"address_place": "客户 30", "address_lat": named[0], "address_lon": named[1]}
    checkins = [
        checkin(1, ms(10), (CUSTOMER_XY[0] + 3000, 0.0), position_source="track", **where),
        checkin(2, ms(11), (CUSTOMER_XY[0] + 520, 0.0), position_source="track", **where),
        checkin(3, ms(12), (CUSTOMER_XY[0] + 520, 0.0), position_source="track", accuracy_m=5.0,
                **where),
        checkin(4, ms(13), CUSTOMER_XY, position_source="address", **where),
        checkin(5, ms(14), (CUSTOMER_XY[0] + 3000, 0.0), position_source="device", **where),
    ]  # fmt: skip
    flags = compute_day(EMP, empty_i, empty_f, empty_f, empty_f, checkins, PLACES, SETTINGS).flags
    found = [(f.detail["checkin_id"], round(f.detail["distance_m"])) for f in flags if
             f.kind == "address_track_mismatch"]  # fmt: skip
    # 520 m with a 20 m fix is within 500 m + 20 m; with a 5 m fix it is not
    assert found == [(1, 3000), (3, 520)]
    assert flags[0].detail["address_place"] == "客户 30"
    wider = IndicatorSettings(address_track_max_m=5000)
    flags = compute_day(EMP, empty_i, empty_f, empty_f, empty_f, checkins, PLACES, wider).flags
    assert "address_track_mismatch" not in {f.kind for f in flags}


# ---- indicators ----------------------------------------------------------------------------


def held(n: int, since: date = date(2026, 1, 1)) -> list[Holding]:
    return [Holding(100 + i, since, None) for i in range(n)]


def test_churn_counts_lost_and_transferred_but_never_reassigned() -> None:
    inputs = EmployeeInputs(
        EMP,
        holdings=held(20),
        events=[
            EventIn(1, 100, d(3), "transferred"),
            EventIn(2, 101, d(10), "lost"),
            EventIn(3, 102, d(5), "reassigned"),  # a colleague took it over: not churn
            EventIn(4, 103, d(5), "reassigned"),
            EventIn(5, 104, d(30), "lost"),  # one day before the window
            EventIn(6, 105, d(29), "lost"),  # the window's first day
        ],
    )
    churn = one(compute_indicators(inputs, [DAY], SETTINGS, CST), Indicator.CUSTOMER_CHURN_RATE)
    assert (churn.numerator, churn.denominator) == (3, 20)
    assert churn.value == pytest.approx(0.15)
    assert churn.records == {"customer_events": [1, 2, 6], "customers_held": 20}


def test_customers_held_are_those_held_on_the_windows_first_day() -> None:
    holdings = [
        *held(5),
        Holding(200, d(29), None),  # taken on that very day: held
        Holding(201, d(28), None),  # taken later: not at the start
        Holding(202, date(2026, 1, 1), d(29)),  # ended that day (end exclusive): not held
        Holding(203, date(2026, 1, 1), d(28)),  # ended later: held
        Holding(204, None, None),  # since a day no file gives: held
        Holding(205, None, d(29)),  # since an unknown day, ended that day: not held
        Holding(206, None, d(28)),  # since an unknown day, ended later: held
    ]
    churn = one(
        compute_indicators(EmployeeInputs(EMP, holdings=holdings), [DAY], SETTINGS, CST),
        Indicator.CUSTOMER_CHURN_RATE,
    )
    assert churn.denominator == 9


def test_a_denominator_under_the_minimum_is_insufficient_never_a_value() -> None:
    inputs = EmployeeInputs(
        EMP,
        holdings=held(4),
        events=[EventIn(1, 100, d(1), "lost"), EventIn(2, 101, d(1), "lost")],
        orders=[OrderIn(i, d(2), "transferred") for i in range(4)],
    )
    results = compute_indicators(inputs, [DAY], SETTINGS, CST)
    assert all(r.status is IndicatorStatus.INSUFFICIENT and r.value is None for r in results)
    churn = one(results, Indicator.CUSTOMER_CHURN_RATE)
    assert (churn.numerator, churn.denominator) == (2, 4), "the parts are still kept"
    lower = IndicatorSettings(min_denominator=4)
    churn = one(compute_indicators(inputs, [DAY], lower, CST), Indicator.CUSTOMER_CHURN_RATE)
    assert churn.status is IndicatorStatus.OK and churn.value == 0.5


def stop(sid: int, hh: int, mm: int, minutes: int, kind: str, day: date = DAY) -> StopIn:
    start = ms(hh, mm, day)
    return StopIn(sid, start, start + minutes * 60_000, kind)


def test_competitor_overlap_counts_field_stops_only() -> None:
    stops = [
        stop(1, 10, 0, 60, COMPETITOR_SITE),
        stop(2, 11, 30, 40, CUSTOMER),
        stop(3, 14, 0, 30, OTHER),
        stop(4, 9, 0, 240, OFFICE),  # the office (even if a competitor shares the tower)
        stop(5, 13, 0, 50, ALLOWED),  # the shared hub
        stop(6, 7, 30, 40, OTHER),  # home before work: outside working hours
        stop(7, 17, 55, 30, OTHER),  # 5 minutes of working time: not a field stop
        stop(8, 12, 0, 45, COMPETITOR_SITE, d(3)),
        stop(9, 12, 0, 45, CUSTOMER, d(40)),  # before the window
        stop(10, 15, 0, 20, CUSTOMER, d(29)),  # the window's first day
    ]
    overlap = one(
        compute_indicators(EmployeeInputs(EMP, stops=stops), [DAY], SETTINGS, CST),
        Indicator.COMPETITOR_OVERLAP_RATE,
    )
    assert (overlap.numerator, overlap.denominator) == (2, 5)
    assert overlap.value == 0.4
    assert overlap.records == {"stops": [1, 8], "field_stops": 5}


def test_working_hours_are_settable_and_check_in_stops_count_inside_them() -> None:
    late = stop(1, 19, 0, 60, COMPETITOR_SITE)
    assert not is_field_stop(late, SETTINGS, CST)
    assert is_field_stop(late, IndicatorSettings(work_start=None, work_end=None), CST)
    assert is_field_stop(StopIn(2, ms(10), ms(10), CUSTOMER), SETTINGS, CST)
    assert not is_field_stop(StopIn(3, ms(20), ms(20), CUSTOMER), SETTINGS, CST)


def test_working_hours_are_those_of_the_company_zone() -> None:
    """14:00 in Berlin is 21:00 in Shanghai: a working hour for a company in Berlin only."""
    berlin = company_zone("Europe/Berlin")
    at = int(datetime.combine(DAY, time(14, 0), berlin).timestamp() * 1000)
    visit = StopIn(1, at, at + 3_600_000, COMPETITOR_SITE)
    assert is_field_stop(visit, SETTINGS, berlin)
    assert not is_field_stop(visit, SETTINGS, CST)


def test_order_transfer_ratio() -> None:
    orders = [OrderIn(i, d(i), "completed") for i in range(1, 8)]
    orders += [OrderIn(20, d(2), "transferred"), OrderIn(21, d(40), "transferred")]
    ratio = one(
        compute_indicators(EmployeeInputs(EMP, orders=orders), [DAY], SETTINGS, CST),
        Indicator.ORDER_TRANSFER_RATIO,
    )
    assert (ratio.numerator, ratio.denominator) == (1, 8)
    assert ratio.records == {"orders": [20], "orders_total": 8}


def test_conversion_rate_and_its_drop_against_the_previous_90_days() -> None:
    leads = [LeadIn(i, d(5), d(2) if i < 2 else None) for i in range(10)]  # 2 of 10
    leads += [LeadIn(100 + i, d(70), d(65) if i < 5 else None) for i in range(20)]  # 5 of 20
    leads.append(LeadIn(200, d(130), d(125)))  # before the baseline
    leads.append(LeadIn(300, d(3), DAY + timedelta(days=1)))  # converts tomorrow: not yet
    results = compute_indicators(EmployeeInputs(EMP, leads=leads), [DAY], SETTINGS, CST)
    rate = one(results, Indicator.CONVERSION_RATE)
    assert (rate.numerator, rate.denominator) == (2, 11)
    drop = one(results, Indicator.CONVERSION_DROP)
    assert drop.status is IndicatorStatus.OK
    assert drop.value == pytest.approx((0.25 - 2 / 11) / 0.25)
    assert drop.records["baseline_leads"] == 20 and drop.records["baseline_converted"] == 5
    assert drop.records["leads_converted"] == [0, 1]


def test_the_baseline_is_age_matched_to_the_window() -> None:
    """A baseline lead counts as converted only by the end of its 30-day slice, as old as a
    window lead is today: recent leads have had less time to convert."""
    window = [LeadIn(i, d(2), None) for i in range(5)]
    window += [LeadIn(10 + i, d(20), d(10)) for i in range(5)]  # 5 of 10
    # Baseline slice ending d(30): created d(32), converted d(22) (after the slice): not yet.
    base = [LeadIn(100 + i, d(32), d(22)) for i in range(5)]
    # Slice ending d(60): created d(80), converted d(70), within the slice: converted.
    base += [LeadIn(200 + i, d(80), d(70)) for i in range(5)]
    results = compute_indicators(EmployeeInputs(EMP, leads=window + base), [DAY], SETTINGS, CST)
    drop = one(results, Indicator.CONVERSION_DROP)
    assert drop.records["baseline_leads"] == 10 and drop.records["baseline_converted"] == 5
    assert drop.value == pytest.approx(0.0)


def test_conversion_drop_needs_enough_leads_on_both_sides_and_a_baseline() -> None:
    window = [LeadIn(i, d(5), None) for i in range(10)]
    no_base = compute_indicators(EmployeeInputs(EMP, leads=window), [DAY], SETTINGS, CST)
    assert one(no_base, Indicator.CONVERSION_DROP).status is IndicatorStatus.INSUFFICIENT
    assert one(no_base, Indicator.CONVERSION_RATE).value == 0.0
    zero_base = window + [LeadIn(100 + i, d(60), None) for i in range(10)]
    results = compute_indicators(EmployeeInputs(EMP, leads=zero_base), [DAY], SETTINGS, CST)
    assert one(results, Indicator.CONVERSION_DROP).value is None


def test_fake_fieldwork_rate() -> None:
    checkins = [CheckinFenceIn(i, d(i % 20), i in (3, 7)) for i in range(1, 11)]
    checkins.append(CheckinFenceIn(50, d(31), True))  # before the window
    fake = one(
        compute_indicators(EmployeeInputs(EMP, checkins=checkins), [DAY], SETTINGS, CST),
        Indicator.FAKE_FIELDWORK_RATE,
    )
    assert (fake.numerator, fake.denominator, fake.value) == (2, 10, 0.2)
    assert fake.records == {"checkins": [3, 7], "checkins_claiming": 10}


def test_each_day_has_its_own_window_and_every_indicator() -> None:
    inputs = EmployeeInputs(EMP, holdings=held(10), events=[EventIn(1, 100, d(0), "lost")])
    days = [d(2), d(1), DAY]
    results = compute_indicators(inputs, days, SETTINGS, CST)
    assert len(results) == 3 * len(Indicator)
    values = [one(results, Indicator.CUSTOMER_CHURN_RATE, day).value for day in days]
    assert values == [0.0, 0.0, 0.1]
    assert {r.window_days for r in results} == {30}


def test_record_counts() -> None:
    assert record_counts({"stops": [1, 2], "field_stops": 9}) == {"stops": 2, "field_stops": 9}


def test_settings_take_the_stop_rule_and_fence_from_the_preferences() -> None:
    prefs = Preferences(stop_min_minutes=15, stop_radius_m=80, default_geofence_m=300)
    settings = IndicatorSettings.from_preferences(prefs, window_days=14)
    assert (settings.stop_min_minutes, settings.stop_radius_m) == (15, 80)
    assert (settings.geofence_default_m, settings.window_days) == (300, 14)
    assert IndicatorSettings.from_preferences(Preferences()) == IndicatorSettings()


def test_settings_refuse_nonsense_and_hash_what_changes_stops() -> None:
    with pytest.raises(ValueError):
        IndicatorSettings(min_denominator=0)
    with pytest.raises(ValueError):
        IndicatorSettings(stop_radius_m=0)
    base = IndicatorSettings().stop_config_key()
    assert IndicatorSettings(window_days=7).stop_config_key() == base
    assert IndicatorSettings(stop_radius_m=150).stop_config_key() != base
