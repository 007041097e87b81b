"""Retention: old track points and communications go, except what open or held cases need."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from acting import acting
from clocks import pinned
from sqlalchemy import func, select

from workstation.app import App
from workstation.cases.retention import RetentionRefused, RetentionService, cutoff_for
from workstation.domain.enums import Role
from workstation.store.models import (
    AuditEntry,
    Case,
    CaseEvidence,
    Communication,
    Employee,
    TrackPoint,
)
from workstation.store.uow import UnitOfWorkFactory

TODAY = date(2026, 11, 27)
NOW = datetime(2026, 11, 27, 4, tzinfo=UTC)


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _world(uow: UnitOfWorkFactory) -> dict[str, int]:
    """Three people with a year of fixes and chats (one a month): 甲 is the subject of an open
    case linking one day of track and one chat; 乙 of a closed case on legal hold; 丙 of none."""
    ids: dict[str, int] = {}
    with uow() as u:
        s = u.session
        people = {n: Employee(employee_no=n, name=n) for n in ("甲", "乙", "丙")}
        s.add_all(people.values())
        s.flush()
        ids = {n: e.id for n, e in people.items()}
        for e in people.values():
            for month in range(12):
                moment = NOW - timedelta(days=30 * month + 1)
                s.add(TrackPoint(employee_id=e.id, t_ms=_ms(moment), lat=31.2, lon=121.4))
                s.add(
                    Communication(
                        employee_id=e.id,
                        sent_at=moment,
                        channel="wechat",
                        direction="out",
                        counterpart="x",
                        content=f"m{month}",
                    )
                )
        s.flush()
        open_case = Case(
            number="CW-2026-0001",
            subject_employee_id=ids["甲"],
            title="t",
            state="under_investigation",
            opened_by="hr",
            created_at=NOW,
            updated_at=NOW,
        )
        held = Case(
            number="CW-2026-0002",
            subject_employee_id=ids["乙"],
            title="t",
            state="closed",
            legal_hold=True,
            opened_by="hr",
            created_at=NOW,
            updated_at=NOW,
            closed_at=NOW,
        )
        s.add_all([open_case, held])
        s.flush()
        old = NOW - timedelta(days=30 * 10 + 1)
        chat = s.scalar(
            select(Communication.id).where(
                Communication.employee_id == ids["甲"], Communication.content == "m10"
            )
        )
        for kind, key in (
            ("track_segment", f"{ids['甲']}:{_ms(old) - 1000}-{_ms(old) + 1000}"),
            ("communication", str(chat)),
        ):
            s.add(
                CaseEvidence(
                    case_id=open_case.id,
                    record_kind=kind,
                    record_key=key,
                    title=kind,
                    snapshot_json="{}",
                    snapshot_sha256="0" * 64,
                    linked_at=NOW,
                    linked_by="hr",
                )
            )
        u.commit()
    return ids


def _left(uow: UnitOfWorkFactory, model: type, employee: int) -> int:
    with uow() as u:
        return int(
            u.session.scalar(
                select(func.count()).select_from(model).where(model.employee_id == employee)  # type: ignore[attr-defined]
            )
        )


def test_purge_keeps_what_open_and_held_cases_need_and_logs_it(app: App) -> None:
    ids = _world(app.uow)
    at = pinned(datetime(2026, 11, 27, 2, 0, tzinfo=UTC))  # 10:00 on TODAY in Shanghai
    service = RetentionService(app.uow, acting("admin", Role.ADMINISTRATOR), at)
    with pytest.raises(RetentionRefused, match="no retention period"):
        service.purge()
    service.set_months(6)
    preview = service.purge(dry_run=True)
    assert _left(app.uow, TrackPoint, ids["丙"]) == 12  # a dry run changes nothing
    report = service.purge()
    assert (report.cutoff, report.dry_run) == (cutoff_for(6, TODAY), False)
    assert preview.track_points_purged == report.track_points_purged
    # 丙: the 7 of the last six months. 甲: the linked day and chat too. 乙: all (hold).
    assert _left(app.uow, TrackPoint, ids["丙"]) == 7
    assert _left(app.uow, Communication, ids["丙"]) == 7
    assert _left(app.uow, TrackPoint, ids["甲"]) == 8
    assert _left(app.uow, Communication, ids["甲"]) == 8
    assert _left(app.uow, TrackPoint, ids["乙"]) == 12
    assert (report.track_points_purged, report.track_points_kept) == (9, 6)
    assert (report.communications_purged, report.communications_kept) == (9, 6)
    with app.uow() as u:
        (details,) = u.session.scalars(
            select(AuditEntry.details_json).where(AuditEntry.action == "retention.purged")
        ).all()
    assert '"tracks_purged":9' in details
    assert service.purge().track_points_purged == 0  # again: nothing more


def test_cutoff_months_clamp_to_the_month_end() -> None:
    assert cutoff_for(1, date(2026, 3, 31)) == date(2026, 2, 28)
    assert cutoff_for(12, date(2026, 11, 27)) == date(2025, 11, 27)
    with pytest.raises(RetentionRefused):
        RetentionService(None, acting("a", Role.ADMINISTRATOR), pinned()).set_months(0)  # type: ignore[arg-type]


def test_cli_sets_the_period_and_purges(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_as: Callable[..., str]
) -> None:
    from workstation.app import open_app
    from workstation.cli import main
    from workstation.config import load_settings

    data = tmp_path / "d"
    app = open_app(load_settings(data), clock=pinned())
    try:
        _world(app.uow)
    finally:
        app.close()
    base = ["--data-dir", str(data), "retention"]
    cli_as(data, Role.HR_OFFICER)
    assert main([*base, "--set-months", "600"]) == 1
    assert "may not do retention.purge" in capsys.readouterr().err
    cli_as(data, Role.ADMINISTRATOR)
    assert main([*base, "--purge"]) == 1
    assert "no retention period" in capsys.readouterr().err
    assert main([*base, "--set-months", "600"]) == 0
    assert "600 months" in capsys.readouterr().out
    assert main([*base, "--purge", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["months"], report["track_points_purged"]) == (600, 0)
