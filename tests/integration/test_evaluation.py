"""Daily evaluation on real databases: alerts raised once, grown, remembered after dismissal;
the injected indicator computation, progress and cancelling."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from acting import acting
from sqlalchemy import delete, func, select
from stores import add_employees, store_at

from workstation.domain.enums import Role
from workstation.domain.indicators import Indicator
from workstation.domain.policy import Policy, PolicySettings, Rule, Severity, default_policy
from workstation.domain.progress import Cancelled, CancelToken, ProgressCallback
from workstation.risk.alert_service import AlertService
from workstation.risk.evaluation import EvaluationService
from workstation.risk.model import IndicatorSettings
from workstation.risk.policy_service import PolicyService
from workstation.store.models import (
    Alert,
    AlertEvent,
    AuditEntry,
    Checkin,
    IndicatorValue,
)
from workstation.store.uow import UnitOfWorkFactory

CHURN = Indicator.CUSTOMER_CHURN_RATE.value
OVERLAP = Indicator.COMPETITOR_OVERLAP_RATE.value
TRANSFER = Indicator.ORDER_TRANSFER_RATIO.value
D1 = date(2026, 10, 1)
NOW = datetime(2026, 10, 31, tzinfo=UTC)


def _values(
    uow: UnitOfWorkFactory,
    emp: int,
    day: date,
    records: dict[str, Any] | None = None,
    **values: float | None,
) -> None:
    with uow() as u:
        u.session.execute(
            delete(IndicatorValue).where(
                IndicatorValue.employee_id == emp, IndicatorValue.day == day
            )
        )
        for indicator, value in values.items():
            u.session.add(
                IndicatorValue(
                    employee_id=emp,
                    day=day,
                    indicator=indicator,
                    value=value,
                    numerator=None if value is None else value * 20,
                    denominator=20,
                    status="ok" if value is not None else "insufficient",
                    window_days=30,
                    records_json=json.dumps((records or {}).get(indicator, {})),
                    computed_at=NOW,
                )
            )
        u.commit()


class Services:
    def __init__(self, uow: UnitOfWorkFactory, computer: Any = None) -> None:
        self.uow = uow
        self.policies = PolicyService(uow, acting("hr.li", Role.HR_OFFICER), uow.clock)
        self.alerts = AlertService(uow, acting("hr.li", Role.HR_OFFICER), uow.clock)
        self.evaluation = EvaluationService(
            uow, acting("cron", Role.HR_OFFICER), self.policies, computer, clock=uow.clock
        )

    def run(self, start: date, end: date | None = None, **kwargs: Any) -> Any:
        return self.evaluation.evaluate(start, end, compute=False, **kwargs)

    def count(self, model: Any) -> int:
        with self.uow() as u:
            return int(u.session.scalar(select(func.count()).select_from(model)) or 0)

    def events(self, alert_id: int) -> list[tuple[str, dict[str, Any]]]:
        with self.uow() as u:
            rows = u.session.scalars(
                select(AlertEvent).where(AlertEvent.alert_id == alert_id).order_by(AlertEvent.id)
            )
            return [(e.kind, json.loads(e.detail_json or "{}")) for e in rows]


def test_a_day_raises_one_alert_and_evaluating_it_again_changes_nothing(db_url: str) -> None:
    s = Services(store_at(db_url))
    a, b, c = add_employees(s.uow, 3)
    records = {CHURN: {"customer_events": [11, 12], "customers_held": 8}}
    _values(s.uow, a, D1, records, **{CHURN: 0.25, OVERLAP: 0.1})
    _values(s.uow, b, D1, **{CHURN: 0.05})
    _values(s.uow, c, D1, **{CHURN: None})

    first = s.run(D1)
    assert (first.days, first.employees_evaluated, len(first.raised)) == (1, 3, 1)
    assert (first.updated, first.unchanged, first.policy_versions) == ((), (), (1,))
    (alert,) = s.alerts.list_alerts()
    assert (alert.employee_no, alert.status, alert.severity) == ("S000", "new", Severity.MEDIUM)
    assert (alert.raised_on, alert.last_evaluated_on, alert.revision) == (D1, D1, 1)
    (rule,) = alert.rules
    assert (rule.rule, rule.indicator, rule.value, rule.threshold, rule.level) == (
        "churn",
        CHURN,
        0.25,
        0.2,
        Severity.MEDIUM,
    )
    assert (rule.on, rule.policy_version, rule.numerator, rule.denominator) == (D1, 1, 5, 20)
    assert rule.records == {"customer_events": (11, 12)}
    assert [k for k, _ in s.events(alert.id)] == ["raised"]
    audits = s.count(AuditEntry)

    again = s.run(D1)
    assert (again.raised, again.updated, again.unchanged) == ((), (), (alert.id,))
    assert s.alerts.get(alert.id) == alert
    assert [k for k, _ in s.events(alert.id)] == ["raised"]
    assert s.count(AuditEntry) == audits
    assert s.count(Alert) == 1


def test_growing_evidence_updates_the_one_open_alert_and_never_lowers_it(db_url: str) -> None:
    s = Services(store_at(db_url))
    (a,) = add_employees(s.uow, 1)
    days = [D1 + timedelta(days=i) for i in range(4)]
    _values(s.uow, a, days[0], **{CHURN: 0.25})  # churn medium
    _values(s.uow, a, days[1], **{CHURN: 0.22, OVERLAP: 0.35})  # + overlap, + the high combo
    _values(s.uow, a, days[2], **{CHURN: 0.12})  # low: less evidence than before
    _values(s.uow, a, days[3], **{CHURN: 0.40})  # churn now at its own high level

    summary = s.run(days[0], days[3])
    assert (len(summary.raised), summary.updated, summary.days) == (1, (), 4)
    (alert,) = s.alerts.list_alerts()
    assert alert.severity is Severity.HIGH and alert.revision == 3
    assert alert.raised_on == days[0] and alert.last_evaluated_on == days[3]
    levels = {f.rule: (f.level, f.on) for f in alert.rules}
    assert levels == {
        "churn_with_overlap": (Severity.HIGH, days[1]),
        "churn": (Severity.HIGH, days[3]),
        "competitor_overlap": (Severity.MEDIUM, days[1]),
    }
    events = s.events(alert.id)
    assert [k for k, _ in events] == ["raised", "escalated_severity", "updated"]
    assert events[1][1]["rules_added"] == ["churn_with_overlap", "competitor_overlap"]
    assert events[1][1]["severity"] == ["medium", "high"]
    assert events[2][1]["levels_raised"] == {"churn": ["medium", "high"]}

    _values(s.uow, a, days[3] + timedelta(days=1), **{CHURN: 0.0})
    later = s.run(days[3] + timedelta(days=1))
    assert (later.raised, later.updated, later.unchanged) == ((), (), (alert.id,))
    after = s.alerts.get(alert.id)
    assert after.severity is Severity.HIGH and after.revision == 3
    assert after.last_evaluated_on == days[3] + timedelta(days=1)


def test_after_a_dismissal_only_evidence_beyond_it_raises_a_new_alert(db_url: str) -> None:
    s = Services(store_at(db_url))
    (a,) = add_employees(s.uow, 1)
    _values(s.uow, a, D1, **{CHURN: 0.25})
    (first_id,) = s.run(D1).raised
    seen = s.alerts.start_review(first_id, 1)
    s.alerts.dismiss(first_id, seen.revision, "territory_change", "customers moved to Suzhou team")

    d2, d3 = D1 + timedelta(days=1), D1 + timedelta(days=2)
    _values(s.uow, a, d2, **{CHURN: 0.30})  # same rule, same level
    same = s.run(d2)
    assert (same.raised, same.suppressed) == ((), 1)
    assert s.count(Alert) == 1

    _values(s.uow, a, d3, **{CHURN: 0.30, TRANSFER: 0.16})  # a new rule fires
    grown = s.run(d3)
    (second_id,) = grown.raised
    assert second_id != first_id
    assert s.events(second_id) == [
        (
            "raised",
            {
                "after_alert": first_id,
                "day": d3.isoformat(),
                "policy_version": 1,
                "rules": ["churn", "order_transfer"],
                "severity": "medium",
            },
        )
    ]
    history = s.alerts.history(a)
    assert [(h.id, h.status, h.dismiss_reason) for h in history] == [
        (second_id, "new", None),
        (first_id, "dismissed", "territory_change"),
    ]
    assert history[1].closed_at is not None and history[0].closed_at is None


def test_a_dismissal_is_remembered_for_the_policys_memory_days_only(db_url: str) -> None:
    s = Services(store_at(db_url))
    (a,) = add_employees(s.uow, 1)
    short = Policy(
        rules=(Rule("churn", CHURN, medium=0.2),), settings=PolicySettings(dismissal_memory_days=5)
    )
    s.policies.save(short, name="short memory", effective_from=D1)
    _values(s.uow, a, D1, **{CHURN: 0.25})
    (alert_id,) = s.run(D1).raised
    s.alerts.dismiss(alert_id, s.alerts.start_review(alert_id, 1).revision, "other", "checked")
    for offset in (5, 6):
        _values(s.uow, a, D1 + timedelta(days=offset), **{CHURN: 0.25})
    assert s.run(D1 + timedelta(days=5)).suppressed == 1
    (new_id,) = s.run(D1 + timedelta(days=6)).raised
    assert s.alerts.get(new_id).policy_version == 2


def test_an_escalated_alert_is_not_raised_again_for_the_same_evidence(db_url: str) -> None:
    s = Services(store_at(db_url))
    (a,) = add_employees(s.uow, 1)
    _values(s.uow, a, D1, **{CHURN: 0.25})
    (alert_id,) = s.run(D1).raised
    rev = s.alerts.start_review(alert_id, 1).revision
    rev = s.alerts.confirm(alert_id, rev).revision
    confirmed_run = s.run(D1)
    assert confirmed_run.unchanged == (alert_id,)  # confirmed is still open
    s.alerts.escalate(alert_id, rev)
    assert s.run(D1).suppressed == 1 and s.count(Alert) == 1


def test_the_baseline_condition_reads_the_employees_own_stored_history(db_url: str) -> None:
    s = Services(store_at(db_url))
    usual, newcomer = add_employees(s.uow, 2)
    policy = Policy(rules=(Rule("overlap", OVERLAP, medium=0.3, baseline_margin=0.25),))
    s.policies.save(policy, name="baseline", effective_from=D1 - timedelta(days=100))
    for back in range(1, 21):  # 20 days of 0.4: this employee's territory is like that
        _values(s.uow, usual, D1 - timedelta(days=back), **{OVERLAP: 0.4})
    _values(s.uow, usual, D1 - timedelta(days=95), **{OVERLAP: 0.0})  # older than 90 days
    _values(s.uow, usual, D1 - timedelta(days=21), **{OVERLAP: None})  # insufficient: ignored
    _values(s.uow, usual, D1, **{OVERLAP: 0.45})  # under 0.4 × 1.25 = 0.5
    _values(s.uow, newcomer, D1, **{OVERLAP: 0.45})  # no baseline: the threshold decides
    summary = s.run(D1)
    (alert,) = s.alerts.list_alerts()
    assert len(summary.raised) == 1 and alert.employee_id == newcomer
    assert alert.rules[0].baseline is None
    _values(s.uow, usual, D1 + timedelta(days=1), **{OVERLAP: 0.55})
    s.run(D1 + timedelta(days=1))
    mine = s.alerts.list_alerts(employee_id=usual)
    assert [(a.rules[0].value, a.rules[0].baseline) for a in mine] == [
        (0.55, pytest.approx((20 * 0.4 + 0.45) / 21))
    ]


def test_every_fired_rule_shows_the_employees_own_baseline(db_url: str) -> None:
    s = Services(store_at(db_url))
    (a,) = add_employees(s.uow, 1)
    for back in range(1, 13):
        _values(s.uow, a, D1 - timedelta(days=back), **{CHURN: 0.1 if back % 2 else 0.2})
    _values(s.uow, a, D1, **{CHURN: 0.3})
    s.run(D1)
    (alert,) = s.alerts.list_alerts()
    (rule,) = alert.rules
    assert (rule.rule, rule.baseline_margin) == ("churn", None)
    assert rule.baseline == pytest.approx(0.15)


class FakeIndicators:
    """Stands in for IndicatorService: records its calls and stores churn values."""

    def __init__(self, uow: UnitOfWorkFactory, employee: int, churn: float) -> None:
        self.uow, self.employee, self.churn = uow, employee, churn
        self.calls: list[tuple[date, date, int, Sequence[int] | None]] = []

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
        assert settings is not None and progress is not None and cancelled is not None
        self.calls.append((start, end, settings.window_days, employee_ids))
        day = start
        while day <= end:
            _values(self.uow, self.employee, day, **{CHURN: self.churn})
            progress((day - start).days + 1, (end - start).days + 1, "indicators")
            day += timedelta(days=1)
        return None


def test_a_range_computes_indicators_per_policy_version_then_raises_alerts(db_url: str) -> None:
    uow = store_at(db_url)
    (a,) = add_employees(uow, 1)
    fake = FakeIndicators(uow, a, churn=0.25)
    s = Services(uow, fake)
    wide = Policy(
        rules=(Rule("churn", CHURN, low=0.1, medium=0.3),), settings=PolicySettings(window_days=45)
    )
    s.policies.save(wide, name="45 days", effective_from=D1 + timedelta(days=3))
    steps: list[tuple[int, int, str]] = []

    summary = s.evaluation.evaluate(
        D1, D1 + timedelta(days=4), employee_ids=[a], progress=lambda *p: steps.append(p)
    )
    assert fake.calls == [
        (D1, D1 + timedelta(days=2), 30, [a]),
        (D1 + timedelta(days=3), D1 + timedelta(days=4), 45, [a]),
    ]
    assert summary.indicators_computed and summary.policy_versions == (1, 2)
    assert steps[-1] == (10, 10, "Done")
    assert [d for d, _, _ in steps] == sorted(d for d, _, _ in steps)
    assert any(m.startswith("Indicators:") for _, _, m in steps)
    assert any(m == f"Alerts of {D1.isoformat()}" for _, _, m in steps)
    (alert,) = s.alerts.list_alerts()
    assert alert.policy_version == 1 and alert.severity is Severity.MEDIUM
    assert alert.last_evaluated_on == D1 + timedelta(days=4)  # v2 judged 0.25 low: no growth


def test_cancelling_leaves_every_alert_as_it_was(db_url: str) -> None:
    s = Services(store_at(db_url))
    (a,) = add_employees(s.uow, 1)
    for i in range(3):
        _values(s.uow, a, D1 + timedelta(days=i), **{CHURN: 0.25 + 0.1 * i})
    token = CancelToken()

    def progress(done: int, total: int, message: str) -> None:
        if message.endswith((D1 + timedelta(days=2)).isoformat()):
            token.cancel()

    with pytest.raises(Cancelled):
        s.run(D1, D1 + timedelta(days=3), progress=progress, cancel=token)
    assert s.count(Alert) == 0 and s.count(AlertEvent) == 0


def test_the_default_day_is_yesterday_unless_the_data_end_earlier(app: Any) -> None:
    s = Services(app.uow)
    today = date(2026, 11, 27)
    assert s.evaluation.default_day(today) == date(2026, 11, 26)
    (a,) = add_employees(s.uow, 1)
    with s.uow() as u:  # 17:30 UTC is already the next day in Shanghai
        u.session.add(
            Checkin(
                employee_id=a, checked_at=datetime(2026, 10, 30, 17, 30, tzinfo=UTC), kind="field"
            )
        )
        u.commit()
    assert s.evaluation.default_day(today) == date(2026, 10, 31)
    assert s.evaluation.default_day(date(2026, 10, 20)) == date(2026, 10, 19)


def test_a_range_too_long_or_backwards_is_refused(app: Any) -> None:
    s = Services(app.uow)
    with pytest.raises(ValueError, match=r"ends .* before it starts"):
        s.run(D1, D1 - timedelta(days=1))
    with pytest.raises(ValueError, match="at most 366 days"):
        s.run(D1, D1 + timedelta(days=400))
    assert default_policy() == s.policies.in_force(D1).policy
