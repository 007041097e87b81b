"""Allow-listed places: a stop at one never counts as at a competitor, once the place is
allowed; the next computation notices the new place by itself."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from workstation.app import App
from workstation.cli import main
from workstation.demo.people import DEMO_PASSWORD
from workstation.domain.indicators import Indicator
from workstation.risk.allowed_places import PlaceRefused
from workstation.store.models import Employee

DAY = date(2026, 10, 30)
OVERLAP = Indicator.COMPETITOR_OVERLAP_RATE


def _overlap(app: App, employee_id: int) -> float:
    app.indicators.compute(DAY, DAY, employee_ids=[employee_id])
    (value,) = [v for v in app.indicators.values(employee_id, DAY, DAY) if v.indicator is OVERLAP]
    assert value.value is not None
    return value.value


def test_allowing_the_place_of_the_diverters_competitor_stops_lowers_his_overlap(
    demo_app: App, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKSTATION_USER", "hr.zhou")
    monkeypatch.setenv("WORKSTATION_PASSWORD", DEMO_PASSWORD)
    diverter = next(s for s in demo_app.demo.scenarios() if s["kind"] == "diverter")
    with demo_app.uow() as uow:
        employee_id = uow.session.scalar(
            select(Employee.id).where(Employee.employee_no == diverter["employee_no"])
        )
    assert employee_id is not None
    before = _overlap(demo_app, employee_id)
    stops = demo_app.indicators.records_behind(employee_id, DAY, OVERLAP).stops
    at_rival = [s for s in stops if s.competitor_name]
    assert before >= 0.3 and at_rival
    site = at_rival[0]
    place = demo_app.allowed_places.add(
        "客户共用写字楼",
        "shared_tower",
        site.lat,
        site.lon,
        radius_m=150,
        employee_no=diverter["employee_no"],
    )
    try:
        assert _overlap(demo_app, employee_id) < before
        code = main(["--data-dir", str(demo_app.settings.data_dir), "places", "list", "--json"])
        assert code == 0
        listed = json.loads(capsys.readouterr().out)
        assert [p["name"] for p in listed] == ["客户共用写字楼"]
    finally:
        demo_app.allowed_places.remove(place.id)
    assert _overlap(demo_app, employee_id) == pytest.approx(before)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "home"}, "a home belongs to one employee"),
        ({"kind": "castle"}, "unknown kind"),
        ({"kind": "other", "radius_m": 5}, "between 10 and 2,000 m"),
        ({"kind": "other", "employee_no": "NOBODY"}, "no employee NOBODY"),
    ],
)
def test_bad_places_are_refused(app: App, kwargs: dict[str, object], message: str) -> None:
    kind = kwargs.pop("kind")
    with pytest.raises(PlaceRefused, match=message):
        app.allowed_places.add("x", kind, 31.2, 121.4, **kwargs)  # type: ignore[arg-type]
    assert app.allowed_places.list_places() == []
