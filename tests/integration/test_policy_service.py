"""Policy versions on real databases: the default, saving, the version in force, preview,
health."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from acting import acting
from sqlalchemy import select
from stores import add_employees, store_at

from workstation.domain.enums import Role
from workstation.domain.indicators import Indicator
from workstation.domain.policy import (
    Policy,
    PolicyInvalid,
    PolicySettings,
    Rule,
    Severity,
    default_policy,
)
from workstation.domain.verdicts import evaluate
from workstation.risk.alert_service import dump_rules
from workstation.risk.policy_service import DEFAULT_EFFECTIVE_FROM, PolicyRefused, PolicyService
from workstation.store.audit import verify_audit_chain
from workstation.store.models import Alert, AuditEntry, IndicatorValue, PolicyVersion
from workstation.store.uow import UnitOfWorkFactory

CHURN = Indicator.CUSTOMER_CHURN_RATE.value
OVERLAP = Indicator.COMPETITOR_OVERLAP_RATE.value
END = date(2026, 10, 30)
NOW = datetime(2026, 10, 31, tzinfo=UTC)


def _values(uow: UnitOfWorkFactory, emp: int, day: date, **values: float | None) -> None:
    with uow() as u:
        for indicator, value in values.items():
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
                    records_json="{}",
                    computed_at=NOW,
                )
            )
        u.commit()


def test_the_default_policy_is_version_1_created_once(db_url: str) -> None:
    uow = store_at(db_url)
    service = PolicyService(uow, acting("hr.li", Role.HR_OFFICER), uow.clock)
    first = service.versions()
    again = service.versions()
    assert [v.version for v in first] == [1] and [v.version for v in again] == [1]
    v1 = first[0]
    assert v1.policy == default_policy()
    assert v1.effective_from == DEFAULT_EFFECTIVE_FROM and v1.created_by == "hr.li"
    assert service.in_force(END).version == 1
    with uow() as u:
        actions = u.session.scalars(select(AuditEntry.action)).all()
        assert actions == ["policy.save"]
        assert verify_audit_chain(u.session).intact


def test_a_change_is_a_new_version_and_the_old_one_stays_as_it_was(db_url: str) -> None:
    uow = store_at(db_url)
    service = PolicyService(uow, acting("hr.li", Role.HR_OFFICER), uow.clock)
    stricter = Policy(rules=(Rule("churn", CHURN, medium=0.15, high=0.3),))
    v2 = service.save(stricter, name="Q4 tuning", effective_from=date(2026, 10, 1), note="why")
    assert (v2.version, v2.name, v2.note, v2.policy) == (2, "Q4 tuning", "why", stricter)
    assert service.in_force(date(2026, 9, 30)).version == 1
    assert service.in_force(date(2026, 10, 1)).version == 2
    assert service.get(1).policy == default_policy()
    with uow() as u:
        stored = {v.version: v.definition_json for v in u.session.scalars(select(PolicyVersion))}
        assert stored[1] == default_policy().to_json()
        assert stored[2] == stricter.to_json()

    with pytest.raises(PolicyRefused, match="version 2 is in force from 2026-10-01"):
        service.save(stricter, name="backdated", effective_from=date(2026, 9, 1))
    with pytest.raises(PolicyInvalid, match="medium threshold is 15"):
        service.save(Policy(rules=(Rule("churn", CHURN, medium=15),)), name="x", effective_from=END)
    with pytest.raises(PolicyRefused, match="give the version a name"):
        service.save(stricter, name="  ", effective_from=END)
    same_day = service.save(
        default_policy(), name="back to default", effective_from=date(2026, 10, 1)
    )
    assert service.in_force(date(2026, 10, 1)).version == same_day.version == 3
    assert [v.version for v in service.versions()] == [1, 2, 3]


def test_preview_shows_what_a_draft_and_the_version_in_force_would_raise(db_url: str) -> None:
    uow = store_at(db_url)
    service = PolicyService(uow, acting("hr.li", Role.HR_OFFICER), uow.clock)
    emps = add_employees(uow, 10)
    day = END - timedelta(days=3)
    _values(uow, emps[0], day, **{CHURN: 0.25, OVERLAP: 0.35})  # high with both
    _values(uow, emps[1], END, **{CHURN: 0.12})  # low under the default
    _values(uow, emps[2], END, **{CHURN: 0.08})  # nothing under the default
    for emp in emps[3:]:
        _values(uow, emp, END, **{CHURN: 0.0, OVERLAP: None})
    _values(uow, emps[0], END - timedelta(days=40), **{CHURN: 0.9})  # outside the 30 days

    draft = Policy(rules=(Rule("churn", CHURN, medium=0.05),))
    preview = service.preview(draft, days=30)
    assert (preview.start, preview.end) == (END - timedelta(days=29), END)
    current = preview.in_force
    assert current.version == 1 and current.employees_evaluated == 10
    assert [(a.employee_no, a.severity) for a in current.alerts] == [
        ("S000", Severity.HIGH),
        ("S001", Severity.LOW),
    ]
    top = current.alerts[0]
    assert top.rules == ("churn", "churn_with_overlap", "competitor_overlap")
    assert (top.first_day, top.days_fired, top.employee_name) == (day, 1, "员工0")
    assert current.by_severity() == {"high": 1, "medium": 0, "low": 1}

    assert preview.draft.version is None
    assert [(a.employee_no, a.severity) for a in preview.draft.alerts] == [
        ("S000", Severity.MEDIUM),
        ("S001", Severity.MEDIUM),
        ("S002", Severity.MEDIUM),
    ]
    assert preview.only_draft() == ("S002",) and preview.only_in_force() == ()
    # 3 of 10 employees is over 15%: the draft's rule is flagged as noisy
    (rate,) = preview.draft.rule_rates
    assert (rate.rule, rate.employees, rate.share, rate.noisy) == ("churn", 3, 0.3, True)
    assert preview.draft.warnings() == (
        "rule 'churn' fires for 30% of employees (3 of 10), more than 15%: is its threshold "
        "too low?",
    )
    assert current.warnings() == (
        "rule 'churn' fires for 20% of employees (2 of 10), more than "
        "15%: is its threshold too low?",
    )
    assert preview.notes == ()

    wider = replace(draft, settings=PolicySettings(window_days=45))
    assert "stored values use 30" in service.preview(wider).notes[0]
    # preview saves nothing
    assert [v.version for v in service.versions()] == [1]


def test_preview_on_an_empty_store_says_to_run_an_evaluation(db_url: str) -> None:
    uow = store_at(db_url)
    service = PolicyService(uow, acting("hr.li", Role.HR_OFFICER), uow.clock)
    preview = service.preview(default_policy(), days=7, end=END)
    assert preview.draft.alerts == () and preview.in_force.alerts == ()
    assert preview.notes == (
        f"no indicator values stored from {END - timedelta(days=6)} to {END}: run an evaluation",
    )


def test_health_gives_each_rules_effectiveness_from_triage_outcomes(db_url: str) -> None:
    uow = store_at(db_url)
    service = PolicyService(uow, acting("hr.li", Role.HR_OFFICER), uow.clock)
    v1 = service.in_force(END)
    emps = add_employees(uow, 4)
    policy = default_policy()
    churn_only = evaluate(policy, {CHURN: 0.25})
    churn_overlap = evaluate(policy, {CHURN: 0.25, OVERLAP: 0.35})
    outcomes = [
        (emps[0], "confirmed", churn_overlap),
        (emps[1], "escalated", churn_only),
        (emps[2], "dismissed", churn_only),
        (emps[3], "new", churn_overlap),
    ]
    with uow() as u:
        for emp, status, fired in outcomes:
            u.session.add(
                Alert(
                    employee_id=emp,
                    status=status,
                    severity="high",
                    raised_on=END,
                    last_evaluated_on=END,
                    policy_version_id=v1.id,
                    rules_json=dump_rules(fired),
                    revision=1,
                    created_at=NOW,
                    updated_at=NOW,
                )
            )
        u.commit()
    for emp in emps:
        _values(uow, emp, END, **{CHURN: 0.05, OVERLAP: 0.35})  # overlap fires for everyone

    health = service.health(days=7)
    by_rule = {r.rule: r for r in health.effectiveness}
    churn = by_rule["churn"]
    assert (churn.confirmed, churn.dismissed, churn.open) == (2, 1, 1)
    assert churn.effectiveness == pytest.approx(2 / 3)
    overlap = by_rule["competitor_overlap"]
    assert (overlap.confirmed, overlap.dismissed, overlap.open) == (1, 0, 1)
    assert overlap.effectiveness == 1.0
    assert by_rule["order_transfer"].effectiveness is None
    assert health.version == 1 and health.employees_evaluated == 4
    assert health.warnings == (
        "rule 'competitor_overlap' fires for 100% of employees (4 of 4), more than 15%: is its "
        "threshold too low?",
    )
    assert json.loads(json.dumps([r.rule for r in health.rule_rates]))[0] == "churn"
