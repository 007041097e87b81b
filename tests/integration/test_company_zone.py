"""The company's time zone: an installation setting (``app_meta``), read into the app's one
clock at start, that decides every day (here: the evaluation's default day, the stops' days
across a daylight-saving change) and how every time is shown."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from acting import sign_in_as
from clocks import pinned
from sqlalchemy import select

from workstation.app import App, open_app
from workstation.cli import main
from workstation.domain.clock import UnknownTimeZone, company_zone
from workstation.domain.enums import Role
from workstation.risk.stops_service import _track_fingerprints
from workstation.risk.track_time import day_of_ms, ms_of
from workstation.security.permissions import PermissionDenied
from workstation.store.models import AuditEntry, Employee, TrackPoint

BERLIN = "Europe/Berlin"


def _reopen(app: App, clock_at: datetime) -> App:
    """The same data folder opened again (a new start of the workstation)."""
    settings = app.settings
    app.close()
    return open_app(settings, clock=pinned(clock_at))


def test_the_zone_is_shanghai_until_an_administrator_sets_another(app: App) -> None:
    assert app.company_zone.stored() == app.company_zone.running() == "Asia/Shanghai"
    assert app.clock.zone_name == "Asia/Shanghai"
    with pytest.raises(PermissionDenied):
        app.company_zone.set(BERLIN)  # the app fixture acts as an HR officer
    sign_in_as(app, Role.ADMINISTRATOR)
    with pytest.raises(UnknownTimeZone, match="Mars/Olympus"):
        app.company_zone.set("Mars/Olympus")
    assert app.company_zone.set(f" {BERLIN} ") == BERLIN
    assert (app.company_zone.stored(), app.company_zone.running()) == (BERLIN, "Asia/Shanghai")
    with app.uow() as uow:
        entry = uow.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry is not None and entry.action == "company.time_zone_set"
        assert json.loads(entry.details_json) == {"from": "Asia/Shanghai", "to": BERLIN}


def test_the_next_start_counts_days_in_the_new_zone(app: App) -> None:
    sign_in_as(app, Role.ADMINISTRATOR)
    app.company_zone.set(BERLIN)
    evening = datetime(2026, 12, 7, 20, 30, tzinfo=UTC)  # 04:30 on the 8th in Shanghai
    again = _reopen(app, evening)
    try:
        assert again.clock.zone_name == again.company_zone.running() == BERLIN
        assert again.clock.today() == date(2026, 12, 7)
        assert again.clock.format(evening, "zh_CN") == "2026-12-07 21:30 UTC+1"
    finally:
        again.close()


def test_the_evaluations_default_day_turns_at_the_companys_midnight(app: App) -> None:
    """Yesterday is the company's: at 15:59 UTC it is still the 7th in Shanghai, a minute
    later the 8th (no activity data, so yesterday is the default day)."""
    before = _reopen(app, datetime(2026, 12, 7, 15, 59, tzinfo=UTC))
    assert before.evaluation.default_day() == date(2026, 12, 6)
    after = _reopen(before, datetime(2026, 12, 7, 16, 0, tzinfo=UTC))
    try:
        assert after.evaluation.default_day() == date(2026, 12, 7)
    finally:
        after.close()


def _points_around_the_spring_change(app: App) -> int:
    """An employee's fix every 10 minutes from 27 to 31 March 2026 (UTC): Berlin moves its
    clocks forward on the 29th, a 23-hour day."""
    with app.uow() as uow:
        employee = Employee(employee_no="S1", name="王磊")
        uow.session.add(employee)
        uow.session.flush()
        start = datetime(2026, 3, 27, tzinfo=UTC)
        uow.session.add_all(
            TrackPoint(
                employee_id=employee.id,
                t_ms=ms_of(start + timedelta(minutes=10 * k)),
                lat=31.3,
                lon=120.6,
            )
            for k in range(4 * 24 * 6)
        )
        uow.commit()
        return employee.id


@pytest.mark.parametrize("zone_name", ["Asia/Shanghai", BERLIN])
def test_track_days_are_the_zones_days_across_a_daylight_saving_change(
    app: App, zone_name: str
) -> None:
    employee_id = _points_around_the_spring_change(app)
    zone = company_zone(zone_name)
    first, last = date(2026, 3, 28), date(2026, 3, 30)
    with app.uow() as uow:
        found = _track_fingerprints(uow.session, employee_id, first, last, zone)
        points = uow.session.execute(
            select(TrackPoint.id, TrackPoint.t_ms).where(TrackPoint.employee_id == employee_id)
        ).all()
    expected: dict[date, list[int]] = {}
    for point_id, t_ms in points:
        day = day_of_ms(t_ms, zone)
        if first <= day <= last:
            got = expected.setdefault(day, [0, 0, 0])
            got[0], got[1], got[2] = got[0] + 1, max(got[1], point_id), got[2] + t_ms
    assert found == {day: f"{n}/{top}/{total}" for day, (n, top, total) in expected.items()}
    counts = {day: int(text.split("/")[0]) for day, text in found.items()}
    hours = 23 if zone_name == BERLIN else 24
    assert counts[date(2026, 3, 29)] == hours * 6


def test_the_command_line_shows_and_sets_the_zone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_as: Callable[[Path, Role], str]
) -> None:
    data_dir = tmp_path / "data"
    cli_as(data_dir, Role.ADMINISTRATOR)
    base = ["--data-dir", str(data_dir), "company", "timezone"]
    assert main(base) == 0
    assert capsys.readouterr().out.startswith("company time zone: Asia/Shanghai (北京时间, UTC+8")
    assert main([*base, "Mars/Olympus"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown time zone 'Mars/Olympus'" in err
    assert main([*base, BERLIN]) == 0
    said = capsys.readouterr().out
    assert (
        said.startswith(f"company time zone set to {BERLIN} (UTC+") and "was Asia/Shanghai" in said
    )
    assert main([*base, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["time_zone"] == shown["previous"] == BERLIN
    assert shown["labels"]["zh_CN"] == shown["labels"]["en"]


def test_only_an_administrator_sets_the_zone_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_as: Callable[[Path, Role], str]
) -> None:
    data_dir = tmp_path / "data"
    cli_as(data_dir, Role.HR_OFFICER)
    assert main(["--data-dir", str(data_dir), "company", "timezone", BERLIN]) == 1
    err = capsys.readouterr().err
    assert err.startswith("workstation: not allowed:") and err.count("\n") == 1
