"""Alerts on real databases: triage with optimistic locking, refused steps, the explanation
and the employee's history."""

from __future__ import annotations

import json
import threading
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from acting import acting
from sqlalchemy import func, select
from stores import store_at

from workstation.domain.alerts import AlertStatus, TransitionRefused
from workstation.domain.enums import Role
from workstation.domain.identity import Identity
from workstation.domain.indicators import Indicator
from workstation.domain.policy import Severity
from workstation.risk.alert_service import AlertNotFound, AlertService, StaleAlert
from workstation.risk.evaluation import EvaluationService
from workstation.risk.policy_service import PolicyService
from workstation.security.permissions import PermissionDenied
from workstation.store.audit import verify_audit_chain
from workstation.store.models import AlertEvent, AuditEntry, Employee, IndicatorValue
from workstation.store.uow import UnitOfWorkFactory

CHURN = Indicator.CUSTOMER_CHURN_RATE.value
OVERLAP = Indicator.COMPETITOR_OVERLAP_RATE.value
DAY = date(2026, 10, 30)
NOW = datetime(2026, 10, 31, tzinfo=UTC)


def _value(
    uow: UnitOfWorkFactory, emp: int, day: date, indicator: str, value: float | None, **ids: Any
) -> None:
    with uow() as u:
        u.session.add(
            IndicatorValue(
                employee_id=emp,
                day=day,
                indicator=indicator,
                value=value,
                numerator=None,
                denominator=None,
                status="ok" if value is not None else "insufficient",
                window_days=30,
                records_json=json.dumps(ids),
                computed_at=NOW,
            )
        )
        u.commit()


class World:
    """Two employees; S001 has one new alert (churn 25%, medium) raised on DAY."""

    def __init__(self, url: str) -> None:
        self.uow = store_at(url)
        self.acting = acting("hr.li", Role.HR_OFFICER)
        clock = self.uow.clock
        self.alerts = AlertService(self.uow, self.acting, clock)
        self.policies = PolicyService(self.uow, acting("hr.li", Role.HR_OFFICER), clock)
        self.evaluation = EvaluationService(
            self.uow, acting("cron", Role.HR_OFFICER), self.policies, clock=clock
        )
        with self.uow() as u:
            people = [
                Employee(employee_no="S001", name="王伟"),
                Employee(employee_no="S002", name="李娜"),
            ]
            u.session.add_all(people)
            u.commit()
            self.emp, self.other = (e.id for e in people)
        _value(self.uow, self.emp, DAY, CHURN, 0.25, customer_events=[4, 2])
        (self.alert_id,) = self.evaluation.evaluate(DAY, compute=False).raised

    def count(self, model: Any) -> int:
        with self.uow() as u:
            return int(u.session.scalar(select(func.count()).select_from(model)) or 0)


def test_triage_walks_the_alert_to_a_case_bumping_its_revision(db_url: str) -> None:
    w = World(db_url)
    reviewing = w.alerts.start_review(w.alert_id, revision=1)
    assert (reviewing.status, reviewing.revision) == (AlertStatus.REVIEWING, 2)
    confirmed = w.alerts.confirm(w.alert_id, 2, note="customers confirm the calls")
    assert (confirmed.status, confirmed.revision, confirmed.is_open) == ("confirmed", 3, True)
    escalated = w.alerts.escalate(w.alert_id, 3)
    assert (escalated.status, escalated.revision, escalated.is_open) == ("escalated", 4, False)
    assert escalated.closed_at is not None

    explanation = w.alerts.explain(w.alert_id)
    assert [(e.kind, e.from_status, e.to_status, e.actor) for e in explanation.events] == [
        ("raised", None, "new", "cron"),
        ("status", "new", "reviewing", "hr.li"),
        ("status", "reviewing", "confirmed", "hr.li"),
        ("status", "confirmed", "escalated", "hr.li"),
    ]
    assert explanation.events[2].detail == {"note": "customers confirm the calls"}
    with w.uow() as u:
        actions = u.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
        assert actions.count("alert.triage") == 3
        assert verify_audit_chain(u.session).intact


def test_a_stale_revision_fails_clearly_and_changes_nothing(db_url: str) -> None:
    w = World(db_url)
    w.alerts.start_review(w.alert_id, 1)
    events = w.count(AlertEvent)
    with pytest.raises(StaleAlert, match=r"alert #\d+ was changed .* now at revision 2, you saw 1"):
        w.alerts.dismiss(w.alert_id, 1, "data_error", "duplicate import")
    after = w.alerts.get(w.alert_id)
    assert (after.status, after.revision, after.dismiss_reason) == ("reviewing", 2, None)
    assert w.count(AlertEvent) == events


def test_growing_evidence_makes_an_open_triage_stale(db_url: str) -> None:
    w = World(db_url)
    seen = w.alerts.start_review(w.alert_id, 1)
    _value(w.uow, w.emp, DAY + timedelta(days=1), CHURN, 0.40)  # churn now high
    assert w.evaluation.evaluate(DAY + timedelta(days=1), compute=False).updated == (w.alert_id,)
    with pytest.raises(StaleAlert):
        w.alerts.confirm(w.alert_id, seen.revision)
    fresh = w.alerts.get(w.alert_id)
    assert (fresh.severity, fresh.status) == (Severity.HIGH, "reviewing")
    assert w.alerts.confirm(w.alert_id, fresh.revision).status == "confirmed"


def test_two_people_triaging_at_once_one_wins_the_other_is_told(db_url: str) -> None:
    w = World(db_url)
    outcomes: list[str] = []

    def review() -> None:
        try:
            w.alerts.start_review(w.alert_id, 1)
            outcomes.append("ok")
        except StaleAlert:
            outcomes.append("stale")

    threads = [threading.Thread(target=review) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "stale"]
    assert w.alerts.get(w.alert_id).revision == 2
    assert w.count(AlertEvent) == 2  # raised + one status change


def test_refused_steps_raise_a_domain_error(db_url: str) -> None:
    w = World(db_url)
    with pytest.raises(TransitionRefused, match="is new: it can go to reviewing, not to dismissed"):
        w.alerts.dismiss(w.alert_id, 1, "data_error", "x")
    with pytest.raises(TransitionRefused, match="not to escalated"):
        w.alerts.escalate(w.alert_id, 1)
    rev = w.alerts.start_review(w.alert_id, 1).revision
    with pytest.raises(TransitionRefused, match="needs a reason"):
        w.alerts.dismiss(w.alert_id, rev, "because", "x")
    with pytest.raises(TransitionRefused, match="needs a note"):
        w.alerts.dismiss(w.alert_id, rev, "known_shared_location", "")
    dismissed = w.alerts.dismiss(w.alert_id, rev, "known_shared_location", " 同一写字楼 ")
    assert (dismissed.dismiss_reason, dismissed.dismiss_note) == (
        "known_shared_location",
        "同一写字楼",
    )
    with pytest.raises(TransitionRefused, match="can go to nowhere"):
        w.alerts.start_review(w.alert_id, dismissed.revision)
    with pytest.raises(AlertNotFound, match="no alert #999"):
        w.alerts.get(999)


def test_explain_gives_rules_trend_and_the_records_behind(db_url: str) -> None:
    w = World(db_url)
    for back in (1, 2):  # the days before
        _value(w.uow, w.emp, DAY - timedelta(days=back), CHURN, 0.1 * back)
    _value(w.uow, w.emp, DAY - timedelta(days=3), CHURN, None)
    _value(w.uow, w.emp, DAY - timedelta(days=40), CHURN, 0.9)  # before the trend's 30 days
    nxt = DAY + timedelta(days=1)
    _value(w.uow, w.emp, nxt, CHURN, 0.22, customer_events=[2, 7])
    _value(w.uow, w.emp, nxt, OVERLAP, 0.35, stops=[70, 71], field_stops=9)
    w.evaluation.evaluate(nxt, compute=False)

    why = w.alerts.explain(w.alert_id)
    assert why.alert.severity is Severity.HIGH and why.alert.last_evaluated_on == nxt
    assert [(f.rule, f.level, f.value, f.threshold) for f in why.rules] == [
        ("churn_with_overlap", Severity.HIGH, None, None),
        ("churn", Severity.MEDIUM, 0.25, 0.2),
        ("competitor_overlap", Severity.MEDIUM, 0.35, 0.3),
    ]
    assert why.rules[0].records == {"customer_events": (2, 7), "stops": (70, 71)}
    assert why.records == {"customer_events": (2, 4, 7), "stops": (70, 71)}
    churn_trend = [(p.day, p.value, p.status) for p in why.trend[CHURN]]
    assert churn_trend == [
        (DAY - timedelta(days=3), None, "insufficient"),
        (DAY - timedelta(days=2), 0.2, "ok"),
        (DAY - timedelta(days=1), 0.1, "ok"),
        (DAY, 0.25, "ok"),
        (nxt, 0.22, "ok"),
    ]
    assert [p.value for p in why.trend[OVERLAP]] == [0.35]
    assert [e.kind for e in why.events] == ["raised", "escalated_severity"]
    assert why.earlier == ()
    assert len(w.alerts.explain(w.alert_id, trend_days=2).trend[CHURN]) == 2


def test_lists_filter_by_status_and_put_the_most_severe_first(db_url: str) -> None:
    w = World(db_url)
    _value(w.uow, w.other, DAY, CHURN, 0.5)
    (high_id,) = w.evaluation.evaluate(DAY, compute=False).raised
    assert [a.id for a in w.alerts.list_alerts()] == [high_id, w.alert_id]
    w.alerts.start_review(high_id, 1)
    assert [a.id for a in w.alerts.list_alerts("new")] == [w.alert_id]
    assert [a.id for a in w.alerts.list_alerts("reviewing")] == [high_id]
    assert len(w.alerts.list_alerts(None)) == 2
    assert [a.id for a in w.alerts.list_alerts(employee_id=w.other)] == [high_id]
    row = w.alerts.get(w.alert_id).to_json_dict()
    assert {k: row[k] for k in ("employee_no", "employee_name", "severity", "status")} == {
        "employee_no": "S001",
        "employee_name": "王伟",
        "severity": "medium",
        "status": "new",
    }
    assert row["raised_on"] == "2026-10-30"
    (rule,) = row["rules"]
    assert (rule["indicator"], rule["value"], rule["threshold"], rule["level"]) == (
        CHURN,
        0.25,
        0.2,
        "medium",
    )
    assert "records" not in rule
    json.dumps(row)  # plain JSON all the way down
    with pytest.raises(ValueError):
        w.alerts.list_alerts("closed")


def test_history_remembers_dismissals_with_reason_and_note(db_url: str) -> None:
    w = World(db_url)
    rev = w.alerts.start_review(w.alert_id, 1).revision
    w.alerts.dismiss(w.alert_id, rev, "explained_business_reason", "trade fair week")
    _value(w.uow, w.emp, DAY + timedelta(days=1), CHURN, 0.5)  # grows: churn high
    (second,) = w.evaluation.evaluate(DAY + timedelta(days=1), compute=False).raised
    history = w.alerts.history(w.emp)
    assert [(h.id, h.status, h.dismiss_reason, h.dismiss_note) for h in history] == [
        (second, "new", None, None),
        (w.alert_id, "dismissed", "explained_business_reason", "trade fair week"),
    ]
    assert [e.id for e in w.alerts.explain(second).earlier] == [w.alert_id]
    assert w.alerts.history(w.other) == []


def test_nobody_sees_or_triages_the_alerts_about_themselves(db_url: str) -> None:
    w = World(db_url)
    w.acting.identity = Identity(7, "sm.wang", "王伟", Role.SALES_MANAGER, employee_id=w.emp)
    assert w.alerts.list_alerts() == [], "his own alert is not in his inbox"
    for read in (
        lambda: w.alerts.get(w.alert_id),
        lambda: w.alerts.explain(w.alert_id),
        lambda: w.alerts.history(w.emp),
    ):
        with pytest.raises(PermissionDenied, match="this alert is about you"):
            read()
    w.acting.identity = Identity(8, "hr.wang", "王伟", Role.HR_OFFICER, employee_id=w.emp)
    with pytest.raises(PermissionDenied, match="this alert is about you"):
        w.alerts.start_review(w.alert_id, revision=1)
    assert w.alerts.history(w.other) == []
    w.acting.identity = Identity(9, "hr.li", "李", Role.HR_OFFICER)
    assert [a.id for a in w.alerts.list_alerts()] == [w.alert_id]
    assert w.alerts.get(w.alert_id).revision == 1, "the refused triage changed nothing"
