"""The demo company's planted scenarios, as the indicators see them on the last demo day.

The culprits (the diverter, the fake fieldworker) must stand out on their indicators; the
innocent look-alikes (a territory change, a commute past a competitor, an office sharing a
tower with one) and everyone else must stay under the default alert thresholds. Scenario
employees come from the demo's machine-readable scenario list, never from fixed ids.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from acting import acting
from sqlalchemy import select

from workstation.app import App
from workstation.domain.enums import Role
from workstation.domain.indicators import Indicator, IndicatorStatus
from workstation.risk.indicator_service import IndicatorService
from workstation.risk.model import IndicatorRunSummary, IndicatorValueView
from workstation.store.models import CompetitorSite, CustomerEvent, Employee, Stop

DEMO_END_DATE = date(2026, 10, 30)
FIRST_DAY = DEMO_END_DATE - timedelta(days=2)
#: The default alert thresholds of the issue.
THRESHOLDS = {
    Indicator.CUSTOMER_CHURN_RATE: 0.20,
    Indicator.COMPETITOR_OVERLAP_RATE: 0.30,
    Indicator.ORDER_TRANSFER_RATIO: 0.15,
    Indicator.FAKE_FIELDWORK_RATE: 0.20,
}

Values = dict[int, dict[Indicator, IndicatorValueView]]


@pytest.fixture(scope="module")
def service(demo_app: App) -> IndicatorService:
    return IndicatorService(demo_app.uow, acting("test", Role.HR_OFFICER), demo_app.clock)


@pytest.fixture(scope="module")
def run(service: IndicatorService) -> IndicatorRunSummary:
    return service.compute(FIRST_DAY, DEMO_END_DATE)


@pytest.fixture(scope="module")
def scenarios(demo_app: App) -> dict[str, dict[str, Any]]:
    return {s["kind"]: s for s in demo_app.demo.scenarios()}


@pytest.fixture(scope="module")
def ids(demo_app: App) -> dict[str, int]:
    """Employee number → id."""
    with demo_app.uow() as u:
        return {no: i for no, i in u.session.execute(select(Employee.employee_no, Employee.id))}


@pytest.fixture(scope="module")
def last_day(run: IndicatorRunSummary, service: IndicatorService) -> Values:
    values: Values = {}
    for employee_id in service.sales_employees(DEMO_END_DATE - timedelta(days=29), DEMO_END_DATE):
        for v in service.values(employee_id, DEMO_END_DATE, DEMO_END_DATE):
            values.setdefault(employee_id, {})[v.indicator] = v
    return values


def test_every_salesperson_gets_every_indicator_on_every_day(
    run: IndicatorRunSummary, last_day: Values
) -> None:
    assert run.employees == len(last_day) >= 40
    # Written now, or already stored by an earlier evaluation of the shared demo database.
    assert run.values_written + run.values_unchanged == 3 * run.employees * len(Indicator)
    assert all(len(v) == len(Indicator) for v in last_day.values())


def test_the_diverter_stands_out_on_churn_overlap_transfers_and_conversion(
    service: IndicatorService,
    last_day: Values,
    scenarios: dict[str, dict[str, Any]],
    ids: dict[str, int],
) -> None:
    s = scenarios["diverter"]
    emp = ids[s["employee_no"]]
    v = last_day[emp]
    churn = v[Indicator.CUSTOMER_CHURN_RATE]
    assert churn.value is not None and churn.value >= 0.20
    assert (churn.numerator, churn.denominator) == (
        s["customers_transferred"],
        s["customers_at_window_start"],
    )
    overlap = v[Indicator.COMPETITOR_OVERLAP_RATE]
    assert overlap.value is not None and overlap.value >= 0.30
    ratio = v[Indicator.ORDER_TRANSFER_RATIO]
    assert ratio.value is not None and ratio.value >= 0.15
    drop = v[Indicator.CONVERSION_DROP]
    assert drop.status is IndicatorStatus.OK and drop.value is not None and drop.value >= 0.5
    behind = service.records_behind(emp, DEMO_END_DATE, Indicator.COMPETITOR_OVERLAP_RATE)
    assert len(behind.stops) == overlap.numerator and behind.missing == 0
    assert {x.competitor_name for x in behind.stops} == {s["competitor"]}
    assert {x.site_name for x in behind.stops} <= set(s["competitor_sites"])
    assert all(x.minutes >= 10 and x.site_distance_m is not None for x in behind.stops)
    events = service.records_behind(emp, DEMO_END_DATE, Indicator.CUSTOMER_CHURN_RATE).events
    assert {(e.kind, e.competitor_name) for e in events} == {("transferred", s["competitor"])}
    orders = service.records_behind(emp, DEMO_END_DATE, Indicator.ORDER_TRANSFER_RATIO).orders
    assert orders and {o.status for o in orders} == {"transferred"}


def test_the_fake_fieldworker_checks_in_kilometres_from_the_customers(
    service: IndicatorService,
    last_day: Values,
    scenarios: dict[str, dict[str, Any]],
    ids: dict[str, int],
) -> None:
    s = scenarios["fake_fieldwork"]
    emp = ids[s["employee_no"]]
    fake = last_day[emp][Indicator.FAKE_FIELDWORK_RATE]
    assert fake.value is not None and fake.value >= 0.20
    assert fake.numerator == s["far_checkins_in_window"]
    checkins = service.records_behind(emp, DEMO_END_DATE, Indicator.FAKE_FIELDWORK_RATE).checkins
    assert len(checkins) == s["far_checkins_in_window"]
    for c in checkins:
        assert c.outside and c.distance_m is not None and c.radius_m is not None
        assert 2500 <= c.distance_m <= 10_000 and c.customer_code


def test_a_territory_change_is_not_churn(
    demo_app: App,
    last_day: Values,
    scenarios: dict[str, dict[str, Any]],
    ids: dict[str, int],
) -> None:
    s = scenarios["territory_change"]
    emp = ids[s["employee_no"]]
    with demo_app.uow() as u:
        reassigned = u.session.scalars(
            select(CustomerEvent.id).where(
                CustomerEvent.employee_id == emp,
                CustomerEvent.kind == "reassigned",
                CustomerEvent.event_date == date.fromisoformat(s["date"]),
            )
        ).all()
    assert len(reassigned) == s["customers_reassigned"] > 0
    assert date.fromisoformat(s["date"]) > DEMO_END_DATE - timedelta(days=29), "in the window"
    churn = last_day[emp][Indicator.CUSTOMER_CHURN_RATE]
    assert churn.status is IndicatorStatus.OK and churn.value is not None and churn.value < 0.20


def test_a_commute_past_a_competitor_is_no_stop_there(
    demo_app: App,
    last_day: Values,
    scenarios: dict[str, dict[str, Any]],
    ids: dict[str, int],
) -> None:
    s = scenarios["commute_passes_competitor"]
    emp = ids[s["employee_no"]]
    with demo_app.uow() as u:
        site = u.session.scalar(select(CompetitorSite.id).where(CompetitorSite.name == s["site"]))
        at_site = u.session.scalar(
            select(Stop.id).where(Stop.employee_id == emp, Stop.competitor_site_id == site)
        )
    assert site is not None and at_site is None
    overlap = last_day[emp][Indicator.COMPETITOR_OVERLAP_RATE]
    assert overlap.status is IndicatorStatus.OK and overlap.value is not None
    assert overlap.value < 0.30


def test_an_office_sharing_a_tower_with_a_competitor_is_no_overlap(
    demo_app: App,
    last_day: Values,
    scenarios: dict[str, dict[str, Any]],
    ids: dict[str, int],
) -> None:
    s = scenarios["office_shares_tower"]
    staff = [ids[n] for n in s["employee_nos"] if ids[n] in last_day]
    assert len(staff) >= 5
    with demo_app.uow() as u:
        site = u.session.scalar(select(CompetitorSite.id).where(CompetitorSite.name == s["site"]))
        beside = u.session.execute(
            select(Stop.place_kind).where(
                Stop.employee_id.in_(staff), Stop.competitor_site_id == site
            )
        ).scalars()
        kinds = list(beside)
    assert kinds and set(kinds) == {"office"}, "every day at the office, next to the competitor"
    for emp in staff:
        overlap = last_day[emp][Indicator.COMPETITOR_OVERLAP_RATE]
        assert overlap.value is not None and overlap.value < 0.30


def test_nobody_else_crosses_a_default_threshold(
    last_day: Values, scenarios: dict[str, dict[str, Any]], ids: dict[str, int]
) -> None:
    culprits = {
        ids[scenarios["diverter"]["employee_no"]]: {
            Indicator.CUSTOMER_CHURN_RATE,
            Indicator.COMPETITOR_OVERLAP_RATE,
            Indicator.ORDER_TRANSFER_RATIO,
        },
        ids[scenarios["fake_fieldwork"]["employee_no"]]: {Indicator.FAKE_FIELDWORK_RATE},
    }
    above = [
        (emp, indicator.value, v.value)
        for emp, values in last_day.items()
        for indicator, v in values.items()
        if indicator in THRESHOLDS
        and v.value is not None
        and v.value >= THRESHOLDS[indicator]
        and indicator not in culprits.get(emp, set())
    ]
    assert above == []
    for emp, expected in culprits.items():
        for indicator in expected:
            value = last_day[emp][indicator].value
            assert value is not None and value >= THRESHOLDS[indicator]


def test_recomputing_the_last_day_changes_nothing(service: IndicatorService, run: Any) -> None:
    again = service.compute(DEMO_END_DATE, DEMO_END_DATE)
    assert again.stop_days_computed == 0 and again.values_written == 0
    assert again.values_unchanged == again.employees * len(Indicator)
