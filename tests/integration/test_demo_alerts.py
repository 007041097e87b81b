"""The issue's acceptance: on the demo company, built only from its files through the importers,
the default policy alerts the planted diverter and the fake-field-work case with the expected
severities, and none of the innocent look-alikes (nor anyone else), from the first evaluation
on: the days `workstation demo` evaluates at go-live."""

from __future__ import annotations

from datetime import date, timedelta

from acting import sign_in_as

from workstation.app import App
from workstation.cli import DEMO_EVALUATED_DAYS
from workstation.domain.enums import Role
from workstation.domain.policy import Severity

#: The demo fixture's last day (tests/conftest.py builds the demo to this date).
DEMO_END_DATE = date(2026, 10, 30)


def test_the_default_policy_alerts_the_culprits_and_no_look_alike(demo_app: App) -> None:
    first = DEMO_END_DATE - timedelta(days=DEMO_EVALUATED_DAYS - 1)
    summary = demo_app.evaluation.evaluate(first, DEMO_END_DATE)
    assert summary.days == DEMO_EVALUATED_DAYS and summary.employees_evaluated >= 40
    scenarios = {s["kind"]: s for s in demo_app.demo.scenarios()}
    alerted = {a.employee_no: a for a in demo_app.alerts.list_alerts()}
    culprits = {scenarios["diverter"]["employee_no"], scenarios["fake_fieldwork"]["employee_no"]}
    assert set(alerted) == culprits
    diverter = alerted[scenarios["diverter"]["employee_no"]]
    assert diverter.severity is Severity.HIGH
    fired = {r.rule for r in diverter.rules}
    assert {"churn", "competitor_overlap", "order_transfer"} <= fired
    fake = alerted[scenarios["fake_fieldwork"]["employee_no"]]
    assert fake.severity is Severity.HIGH
    assert {r.rule for r in fake.rules} == {"fake_fieldwork"}
    for kind in ("territory_change", "commute_passes_competitor"):
        assert scenarios[kind]["employee_no"] not in alerted, kind

    again = demo_app.evaluation.evaluate(DEMO_END_DATE)
    assert again.raised == () or list(again.raised) == []
    assert list(again.updated) == []


def test_the_diverters_case_walks_to_a_served_notice_with_valid_signatures(
    demo_app: App,
) -> None:
    from sqlalchemy import update

    from workstation.demo.case_walkthrough import walk_diverter_case
    from workstation.store.models import CaseApproval

    if not demo_app.alerts.list_alerts():
        demo_app.evaluation.evaluate(DEMO_END_DATE - timedelta(days=4), DEMO_END_DATE)
    diverter = next(s for s in demo_app.demo.scenarios() if s["kind"] == "diverter")
    walked = walk_diverter_case(demo_app, diverter["employee_no"])
    assert (walked.state, walked.approvals, walked.signatures_valid) == ("notice_served", 5, True)
    sign_in_as(demo_app, Role.AUDITOR)
    try:
        assert demo_app.audit.verify().intact
    finally:
        sign_in_as(demo_app, Role.HR_OFFICER)
    # Change what one approval says it decided: verification names it.
    with demo_app.uow() as uow:
        uow.session.execute(
            update(CaseApproval)
            .where(CaseApproval.step == "disposition", CaseApproval.acting_role == "legal")
            .values(payload_json=CaseApproval.payload_json + " ")
        )
        uow.commit()
    checks = demo_app.cases.verify(demo_app.cases.identity_of("hr.zhou"), walked.number)
    assert [c.valid for c in checks].count(False) == 1
