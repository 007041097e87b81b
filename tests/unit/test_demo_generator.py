"""The demo generator without a database: time, routes, places, determinism, track sampling."""

from __future__ import annotations

from dataclasses import astuple
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest

from workstation.demo.clock import day_epoch_s, working_days
from workstation.demo.files_tracks import last_full_week
from workstation.demo.generate import Seeds, generate
from workstation.demo.geom import distance_m
from workstation.demo.layout import in_water
from workstation.demo.places import CITIES
from workstation.demo.routes import length_m, route
from workstation.demo.tracks import render
from workstation.demo.world import DemoSize
from workstation.domain.clock import company_zone

SMALL = DemoSize(salespeople_per_city=4, customers=200, days=40)
END = date(2026, 10, 30)

#: The demo company's zone in these tests (the default company zone).
CST = company_zone("Asia/Shanghai")


def test_local_midnight_is_utc_plus_8_and_weekends_are_off() -> None:
    assert day_epoch_s(END, CST) == int(datetime(2026, 10, 29, 16, 0, tzinfo=UTC).timestamp())
    days = working_days(date(2026, 10, 24), date(2026, 11, 2))  # Saturday to Monday
    assert days == [date(2026, 10, d) for d in (26, 27, 28, 29, 30)] + [date(2026, 11, 2)]


@pytest.mark.parametrize(
    ("end", "monday"),
    [(date(2026, 10, 30), date(2026, 10, 26)), (date(2026, 10, 28), date(2026, 10, 19)),
     (date(2026, 11, 1), date(2026, 10, 26))],
)  # fmt: skip
def test_last_full_week_ends_on_a_friday_not_after_the_end(end: date, monday: date) -> None:
    week = last_full_week(end)
    assert week[0] == monday and len(week) == 5 and week[-1] <= end
    assert [d.weekday() for d in week] == [0, 1, 2, 3, 4]


def test_routes_follow_the_street_grid() -> None:
    city = CITIES[1]
    a, b = (31.30, 120.60), (31.33, 120.70)
    path = route(a, b, city, 0.5)
    straight = distance_m(*a, *b)
    assert path[0] == a and path[-1] == b and len(path) == 4
    assert straight < length_m(path, city) < 1.5 * straight
    near = (31.301, 120.601)
    assert route(a, near, city, 0.5) == [a, near], "short hops are walked straight"


def test_size_below_what_the_scenarios_need_is_refused() -> None:
    with pytest.raises(ValueError, match="too small"):
        DemoSize(salespeople_per_city=2)


def test_same_seed_gives_the_same_company_and_another_seed_another() -> None:
    one, two, other = (generate(s, END, SMALL, CST) for s in (3, 3, 4))
    assert [astuple(c)[1:4] for c in one.world.customers] == [
        astuple(c)[1:4] for c in two.world.customers
    ]
    assert [(o.order_no, o.amount, o.status) for o in one.world.orders] == [
        (o.order_no, o.amount, o.status) for o in two.world.orders
    ]
    assert [(c.at, c.lat, c.lon) for c in one.world.checkins] == [
        (c.at, c.lat, c.lon) for c in two.world.checkins
    ]
    assert [c.name for c in one.world.customers] != [c.name for c in other.world.customers]


def test_customers_sit_on_dry_land_in_their_district_with_a_real_address() -> None:
    world = generate(5, END, SMALL, CST).world
    for cust in world.customers:
        district = next(d for d in cust.city.districts if d.name == cust.district)
        assert cust.address.startswith(cust.city.prefix + district.name)
        assert any(road in cust.address for road in district.roads)
        far = distance_m(cust.lat, cust.lon, district.lat, district.lon)
        assert far <= 2.05 * district.spread_m
        assert not in_water(cust.lat, cust.lon)
        assert cust.name.startswith(cust.city.name) and cust.name.endswith("有限公司")


def test_a_rendered_day_has_a_fix_every_30_to_60_s_in_working_hours() -> None:
    gen = generate(5, END, SMALL, CST)
    person = gen.world.salespeople[0]
    plan = gen.plans[person.id][3]
    track = render(plan, Seeds(5)("tracks", person.id), CST)
    local = [datetime.fromtimestamp(t / 1000, tz=CST) for t in track.t_ms.tolist()]
    assert local[0].date() == plan.day and local[-1].date() == plan.day
    assert local[0].hour in (7, 8) and (local[-1] - local[0]) > timedelta(hours=9)
    steps = np.diff(track.t_ms)
    gap_ms = sum(g1 - g0 for g0, g1 in plan.gaps) * 1000 + 60_000
    assert steps.min() >= 30_000 and (steps <= 60_000).mean() > 0.99
    assert steps.max() <= max(60_000, gap_ms)
    good = track.accuracy_m < 100
    assert track.accuracy_m[good].min() >= 4 and track.speed_mps[good].max() < 30
    assert good.mean() > 0.99, "bad fixes are rare"
