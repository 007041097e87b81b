"""``workstation evaluate`` and ``workstation alerts`` as a user runs them (handlers of
``cli_risk`` on a real SQLite file; the services built here as app.py will build them)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
from acting import acting
from clocks import TEST_NOW, pinned

from workstation.app import App
from workstation.cli_risk import add_risk_commands, run_risk_command
from workstation.domain.enums import Role
from workstation.domain.indicators import Indicator
from workstation.domain.progress import ProgressCallback
from workstation.risk.alert_service import AlertService
from workstation.risk.evaluation import EvaluationService
from workstation.risk.model import IndicatorSettings
from workstation.risk.policy_service import PolicyService
from workstation.store.models import Checkin, Employee, IndicatorValue
from workstation.store.uow import UnitOfWorkFactory

CHURN = Indicator.CUSTOMER_CHURN_RATE.value
OVERLAP = Indicator.COMPETITOR_OVERLAP_RATE.value
DAY = date(2026, 10, 30)


@dataclass
class RiskApp:
    policies: PolicyService
    alerts: AlertService
    evaluation: EvaluationService


class StoredValues:
    """The indicator computation, faked: it stores the values it was given, once called."""

    def __init__(self, uow: UnitOfWorkFactory, rows: list[tuple[int, date, str, float]]) -> None:
        self.uow, self.rows, self.calls = uow, rows, 0

    def compute(
        self,
        start: date,
        end: date,
        *,
        employee_ids: Sequence[int] | None = None,
        settings: IndicatorSettings | None = None,
        progress: ProgressCallback | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> object:
        self.calls += 1
        with self.uow() as u:
            for emp, day, indicator, value in self.rows:
                if start <= day <= end and self.calls == 1:
                    u.session.add(
                        IndicatorValue(
                            employee_id=emp,
                            day=day,
                            indicator=indicator,
                            value=value,
                            status="ok",
                            window_days=30,
                            records_json='{"customer_events": [1]}',
                            computed_at=TEST_NOW,
                        )
                    )
            u.commit()
        if progress:
            progress(1, 1, "indicators")
        return None


@pytest.fixture
def world(app: App) -> tuple[RiskApp, StoredValues]:
    with app.uow() as u:
        people = [
            Employee(employee_no="S001", name="王伟"),
            Employee(employee_no="S002", name="李娜"),
        ]
        u.session.add_all(people)
        u.session.flush()
        u.session.add(
            Checkin(
                employee_id=people[0].id,
                checked_at=datetime(2026, 10, 30, 3, tzinfo=UTC),
                kind="field",
            )
        )
        u.commit()
        ids = [e.id for e in people]
    values = StoredValues(
        app.uow,
        [(ids[0], DAY, CHURN, 0.25), (ids[0], DAY, OVERLAP, 0.4), (ids[1], DAY, CHURN, 0.12)],
    )
    policies = PolicyService(app.uow, acting("hr.li", Role.HR_OFFICER), app.clock)
    risk = RiskApp(
        policies=policies,
        alerts=AlertService(app.uow, acting("hr.li", Role.HR_OFFICER), app.clock),
        evaluation=EvaluationService(
            app.uow,
            acting("cron", Role.HR_OFFICER),
            policies,
            values,
            clock=pinned(datetime(2026, 11, 27, 2, 0, tzinfo=UTC)),
        ),
    )
    return risk, values


def run(risk: RiskApp, *argv: str) -> int:
    parser = argparse.ArgumentParser(prog="workstation")
    add_risk_commands(parser.add_subparsers(dest="command"))
    return run_risk_command(parser.parse_args(argv), risk)


def test_evaluate_json_then_alerts_json(world: Any, capsys: pytest.CaptureFixture[str]) -> None:
    risk, values = world
    assert run(risk, "evaluate", "--date", "2026-10-30", "--json") == 0
    out, err = capsys.readouterr()
    summary = json.loads(out)
    assert err == ""  # --json: no progress lines
    assert summary["start"] == summary["end"] == "2026-10-30"
    assert (summary["days"], summary["employees_evaluated"]) == (1, 2)
    assert (summary["alerts_raised"], summary["alerts_updated"], summary["alerts_unchanged"]) == (
        2,
        0,
        0,
    )
    assert values.calls == 1

    assert run(risk, "alerts", "--json") == 0
    alerts = json.loads(capsys.readouterr().out)
    assert [(a["employee_no"], a["employee_name"], a["severity"], a["status"]) for a in alerts] == [
        ("S001", "王伟", "high", "new"),
        ("S002", "李娜", "low", "new"),
    ]
    first = alerts[0]
    assert first["raised_on"] == "2026-10-30" and isinstance(first["alert_id"], int)
    assert [(r["rule"], r["indicator"], r["value"], r["threshold"]) for r in first["rules"]] == [
        ("churn_with_overlap", None, None, None),
        ("churn", CHURN, 0.25, 0.2),
        ("competitor_overlap", OVERLAP, 0.4, 0.3),
    ]
    assert [c["indicator"] for c in first["rules"][0]["conditions"]] == [CHURN, OVERLAP]

    assert run(risk, "evaluate", "--date", "2026-10-30", "--json") == 0
    again = json.loads(capsys.readouterr().out)
    assert (again["alerts_raised"], again["alerts_updated"], again["alerts_unchanged"]) == (0, 0, 2)


def test_evaluate_defaults_to_the_last_day_with_data_and_prints_text(
    world: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    risk, _ = world
    assert run(risk, "evaluate") == 0  # the check-in's day, 2026-10-30, is before yesterday
    out, err = capsys.readouterr()
    assert out.splitlines()[0] == "Evaluated 2026-10-30 (1 day, policy version 1): 2 employees"
    assert out.splitlines()[1] == "alerts: 2 raised, 0 updated, 0 unchanged"
    assert "raised  #" in out and "S001 王伟  churn_with_overlap (high: " in out
    assert "churn 25% >= 20% (medium)" in out
    assert "[100%] Done" in err

    assert run(risk, "alerts") == 0
    lines = capsys.readouterr().out.splitlines()
    assert (
        len(lines) == 2 and "high" in lines[0] and "S002 李娜  churn 12% >= 10% (low)" in lines[1]
    )


def test_alerts_filters_by_status(world: Any, capsys: pytest.CaptureFixture[str]) -> None:
    risk, _ = world
    assert run(risk, "alerts") == 0
    assert capsys.readouterr().out == "no open alerts\n"
    run(risk, "evaluate", "--from", "2026-10-29", "--to", "2026-10-30", "--json")
    capsys.readouterr()
    (top, _low) = risk.alerts.list_alerts()
    risk.alerts.start_review(top.id, top.revision)
    assert run(risk, "alerts", "--status", "reviewing", "--json") == 0
    assert [a["alert_id"] for a in json.loads(capsys.readouterr().out)] == [top.id]
    assert run(risk, "alerts", "--status", "dismissed", "--json") == 0
    assert json.loads(capsys.readouterr().out) == []
    assert run(risk, "alerts", "--status", "all", "--json") == 0
    assert len(json.loads(capsys.readouterr().out)) == 2
    with pytest.raises(SystemExit) as caught:
        run(risk, "alerts", "--status", "closed")
    assert caught.value.code == 2


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--date", "2026-10-30", "--from", "2026-10-01"], "either --date or --from/--to"),
        (["--from", "2026-10-01"], "needs both --from and --to"),
        (["--from", "2026-10-30", "--to", "2026-10-01"], "ends (2026-10-01) before it starts"),
        (["--from", "2025-01-01", "--to", "2026-10-01"], "at most 366 days"),
    ],
)
def test_evaluate_refuses_bad_ranges_with_one_clear_line(
    world: Any, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    risk, values = world
    assert run(risk, "evaluate", *argv) == 1
    err = capsys.readouterr().err
    assert err.startswith("workstation: ") and message in err and err.count("\n") == 1
    assert values.calls == 0 and risk.alerts.list_alerts(None) == []
