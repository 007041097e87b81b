"""The case state machine and approval rules, on plain facts: every transition allowed and
refused, the union notification rule, both approvals required, conflict of interest and the
routing of the manager approval."""

from __future__ import annotations

from dataclasses import replace

import pytest

from workstation.domain.case_approvals import (
    ApprovalRefused,
    Person,
    RouteKind,
    check_approval,
    route_manager_approval,
)
from workstation.domain.cases import (
    ENDED_STATES,
    PENDING_STEP,
    TRANSITIONS,
    ApprovalDecision,
    ApprovalSlot,
    ApprovalStep,
    CaseFacts,
    CaseRefused,
    CaseState,
    ConflictOfInterest,
    Disposition,
    GivenApproval,
    TransitionRefused,
    check_active,
    check_allegation_allowed,
    check_finding_allowed,
    check_transition,
    check_union_notification,
    find_transition,
    transitions_from,
)
from workstation.domain.enums import Role
from workstation.domain.identity import Identity

S = CaseState
INV, DISP = ApprovalStep.INVESTIGATION, ApprovalStep.DISPOSITION
MANAGER, LEGAL = ApprovalSlot.MANAGER, ApprovalSlot.LEGAL
OK, NO = ApprovalDecision.APPROVED, ApprovalDecision.REJECTED

SUBJECT = 10
HR = Identity(1, "hr.li", "李 HR", Role.HR_OFFICER, employee_id=1)
BOSS = Identity(2, "mgr.wang", "王经理", Role.SALES_MANAGER, employee_id=2)
LAWYER = Identity(3, "legal.zhao", "赵律师", Role.LEGAL, employee_id=3)
ADMIN = Identity(4, "admin", "Admin", Role.ADMINISTRATOR)
AUDITOR = Identity(5, "audit", "Audit", Role.AUDITOR)
BIG_BOSS = Identity(6, "mgr.chen", "陈总", Role.SALES_MANAGER, employee_id=6)
ALTERNATE = Identity(7, "mgr.alt", "Alt", Role.SALES_MANAGER, employee_id=7)
SUBJECT_USER = Identity(8, "sales.zhang", "张", Role.SALES_MANAGER, employee_id=SUBJECT)

#: The facts of a case where everything holds: each allegation found, one substantiated,
#: termination proposed with a reason, union notified, both approvals of both steps.
GOOD = CaseFacts(
    subject_employee_id=SUBJECT,
    allegations=2,
    allegations_without_finding=0,
    substantiated_allegations=1,
    disposition=Disposition.TERMINATION,
    disposition_reason="moved three customers to a competitor",
    union_notified=True,
    open_tasks=0,
    approvals=(
        GivenApproval(INV, MANAGER, OK, 2),
        GivenApproval(INV, LEGAL, OK, 3),
        GivenApproval(DISP, MANAGER, OK, 2),
        GivenApproval(DISP, LEGAL, OK, 3),
    ),
    reason="because",
)
REJECTED_BOTH = replace(
    GOOD,
    approvals=(GivenApproval(INV, LEGAL, NO, 3), GivenApproval(DISP, MANAGER, NO, 2)),
)

#: (source, target, who may make it, the facts under which it is allowed)
ALLOWED = [
    (S.DRAFT, S.INVESTIGATION_REQUESTED, HR, GOOD),
    (S.INVESTIGATION_REQUESTED, S.UNDER_INVESTIGATION, HR, GOOD),
    (S.INVESTIGATION_REQUESTED, S.REJECTED, LAWYER, REJECTED_BOTH),
    (S.INVESTIGATION_REQUESTED, S.REJECTED, BOSS, REJECTED_BOTH),
    (S.UNDER_INVESTIGATION, S.FINDINGS_RECORDED, HR, GOOD),
    (S.FINDINGS_RECORDED, S.UNDER_INVESTIGATION, HR, GOOD),
    (S.FINDINGS_RECORDED, S.DISPOSITION_PROPOSED, HR, GOOD),
    (S.DISPOSITION_PROPOSED, S.FINDINGS_RECORDED, BOSS, REJECTED_BOTH),
    (S.DISPOSITION_PROPOSED, S.DECIDED, HR, GOOD),
    (S.DECIDED, S.NOTICE_SERVED, HR, GOOD),
    (S.DECIDED, S.CLOSED, HR, replace(GOOD, disposition=Disposition.NO_ACTION)),
    (S.NOTICE_SERVED, S.CLOSED, HR, GOOD),
    (S.REOPENED, S.INVESTIGATION_REQUESTED, HR, GOOD),
    *[(s, S.WITHDRAWN, HR, GOOD) for s in (S.DRAFT, S.INVESTIGATION_REQUESTED)],
    *[(s, S.WITHDRAWN, HR, GOOD) for s in (S.UNDER_INVESTIGATION, S.FINDINGS_RECORDED)],
    *[(s, S.WITHDRAWN, HR, GOOD) for s in (S.DISPOSITION_PROPOSED, S.REOPENED)],
    *[(s, S.REOPENED, HR, GOOD) for s in (S.CLOSED, S.REJECTED, S.WITHDRAWN)],
]


def test_the_table_is_exactly_the_allowed_list() -> None:
    listed = {(src, dst) for src, dst, _, _ in ALLOWED}
    assert listed == {(t.source, t.target) for t in TRANSITIONS}
    assert len(TRANSITIONS) == len(listed)  # no duplicates


@pytest.mark.parametrize(("source", "target", "who", "facts"), ALLOWED)
def test_every_transition_is_allowed_when_its_rules_hold(
    source: CaseState, target: CaseState, who: Identity, facts: CaseFacts
) -> None:
    assert check_transition(source, target, facts, who).target is target


@pytest.mark.parametrize(("source", "target", "who", "facts"), ALLOWED)
def test_every_transition_is_refused_to_the_other_roles(
    source: CaseState, target: CaseState, who: Identity, facts: CaseFacts
) -> None:
    transition = find_transition(source, target)
    assert transition is not None
    for other in (HR, BOSS, LAWYER, ADMIN, AUDITOR):
        if other.role in transition.roles:
            continue
        with pytest.raises(TransitionRefused, match=r"only .* may move a case"):
            check_transition(source, target, facts, other)


@pytest.mark.parametrize(("source", "target", "who", "facts"), ALLOWED)
def test_every_transition_is_refused_to_the_subject_and_the_involved(
    source: CaseState, target: CaseState, who: Identity, facts: CaseFacts
) -> None:
    as_subject = replace(who, employee_id=SUBJECT)
    with pytest.raises(ConflictOfInterest, match="conflict of interest"):
        check_transition(source, target, facts, as_subject)
    involved = replace(facts, involved_employee_ids=frozenset({who.employee_id or -1}))
    involved_user = replace(facts, involved_user_ids=frozenset({who.user_id}))
    for conflicted in (involved, involved_user):
        with pytest.raises(ConflictOfInterest):
            check_transition(source, target, conflicted, who)


def test_every_pair_not_in_the_table_is_refused_naming_where_it_can_go() -> None:
    for source in CaseState:
        for target in CaseState:
            if find_transition(source, target) is not None:
                continue
            with pytest.raises(TransitionRefused) as refused:
                check_transition(source, target, GOOD, HR)
            can = [t.target.value for t in transitions_from(source)]
            assert f"a case that is {source.value} can go to" in str(refused.value)
            assert all(name in str(refused.value) for name in can)
    with pytest.raises(TransitionRefused, match="draft can go to investigation_requested"):
        check_transition(S.DRAFT, S.DECIDED, GOOD, HR)


@pytest.mark.parametrize(
    ("source", "target", "facts", "failed"),
    [
        (S.DRAFT, S.INVESTIGATION_REQUESTED, replace(GOOD, allegations=0), ["has_allegation"]),
        (
            S.REOPENED,
            S.INVESTIGATION_REQUESTED,
            replace(GOOD, allegations=0),
            ["has_allegation"],
        ),
        (
            S.INVESTIGATION_REQUESTED,
            S.UNDER_INVESTIGATION,
            replace(GOOD, approvals=()),
            ["investigation_approved_by_manager", "investigation_approved_by_legal"],
        ),
        (
            S.INVESTIGATION_REQUESTED,
            S.UNDER_INVESTIGATION,
            replace(GOOD, approvals=(GivenApproval(INV, MANAGER, OK, 2),)),
            ["investigation_approved_by_legal"],
        ),
        (
            S.INVESTIGATION_REQUESTED,
            S.UNDER_INVESTIGATION,
            replace(GOOD, approvals=(GivenApproval(INV, LEGAL, OK, 3),)),
            ["investigation_approved_by_manager"],
        ),
        (
            S.INVESTIGATION_REQUESTED,
            S.UNDER_INVESTIGATION,
            # the disposition's approvals do not count for the investigation
            replace(
                GOOD,
                approvals=(GivenApproval(DISP, MANAGER, OK, 2), GivenApproval(DISP, LEGAL, OK, 3)),
            ),
            ["investigation_approved_by_manager", "investigation_approved_by_legal"],
        ),
        (
            S.INVESTIGATION_REQUESTED,
            S.UNDER_INVESTIGATION,
            replace(GOOD, approvals=(*GOOD.approvals, GivenApproval(INV, MANAGER, NO, 6))),
            ["investigation_approved_by_manager", "investigation_approved_by_legal"],
        ),
        (S.INVESTIGATION_REQUESTED, S.REJECTED, GOOD, ["investigation_rejected"]),
        (
            S.UNDER_INVESTIGATION,
            S.FINDINGS_RECORDED,
            replace(GOOD, allegations_without_finding=1),
            ["every_allegation_has_finding"],
        ),
        (
            S.UNDER_INVESTIGATION,
            S.FINDINGS_RECORDED,
            replace(GOOD, allegations=0),
            ["every_allegation_has_finding"],
        ),
        (S.FINDINGS_RECORDED, S.UNDER_INVESTIGATION, replace(GOOD, reason=" "), ["reason_given"]),
        (
            S.FINDINGS_RECORDED,
            S.DISPOSITION_PROPOSED,
            replace(GOOD, disposition=None, disposition_reason=None),
            ["disposition_chosen", "disposition_reason_given"],
        ),
        (
            S.FINDINGS_RECORDED,
            S.DISPOSITION_PROPOSED,
            replace(GOOD, substantiated_allegations=0),
            ["discipline_rests_on_substantiated_allegation"],
        ),
        (S.DISPOSITION_PROPOSED, S.FINDINGS_RECORDED, GOOD, ["disposition_rejected"]),
        (
            S.DISPOSITION_PROPOSED,
            S.DECIDED,
            replace(GOOD, approvals=GOOD.approvals[:3]),
            ["disposition_approved_by_legal"],
        ),
        (
            S.DISPOSITION_PROPOSED,
            S.DECIDED,
            replace(GOOD, approvals=(*GOOD.approvals[:2], GOOD.approvals[3])),
            ["disposition_approved_by_manager"],
        ),
        (
            S.DECIDED,
            S.NOTICE_SERVED,
            replace(GOOD, union_notified=False),
            ["union_notified"],
        ),
        (
            S.DECIDED,
            S.NOTICE_SERVED,
            replace(GOOD, disposition=Disposition.NO_ACTION),
            ["notice_due"],
        ),
        (S.DECIDED, S.CLOSED, GOOD, ["no_notice_due"]),
        (
            S.DECIDED,
            S.CLOSED,
            replace(GOOD, disposition=Disposition.NO_ACTION, open_tasks=1),
            ["tasks_done"],
        ),
        (S.NOTICE_SERVED, S.CLOSED, replace(GOOD, open_tasks=2), ["tasks_done"]),
        (S.DRAFT, S.WITHDRAWN, replace(GOOD, reason=None), ["reason_given"]),
        (S.CLOSED, S.REOPENED, replace(GOOD, reason=""), ["reason_given"]),
    ],
)
def test_refused_when_a_precondition_does_not_hold(
    source: CaseState, target: CaseState, facts: CaseFacts, failed: list[str]
) -> None:
    who = BOSS if find_transition(source, target).by_rejection else HR  # type: ignore[union-attr]
    with pytest.raises(TransitionRefused) as refused:
        check_transition(source, target, facts, who)
    assert list(refused.value.failed) == failed
    assert str(refused.value).startswith(
        f"cannot move the case from {source.value} to {target.value} until "
    )


def test_union_notification_rule_applies_to_terminations_only() -> None:
    unnotified = replace(GOOD, union_notified=False)
    with pytest.raises(TransitionRefused, match=r"Labour Contract Law, art\. 43") as refused:
        check_transition(S.DECIDED, S.NOTICE_SERVED, unnotified, HR)
    assert refused.value.failed == ("union_notified",)
    for disposition in (Disposition.WARNING, Disposition.REFERRAL):
        facts = replace(unnotified, disposition=disposition)
        assert check_transition(S.DECIDED, S.NOTICE_SERVED, facts, HR).target is S.NOTICE_SERVED

    with pytest.raises(CaseRefused, match="termination only"):
        check_union_notification(S.DECIDED, Disposition.WARNING)
    with pytest.raises(CaseRefused, match="once a termination is proposed"):
        check_union_notification(S.NOTICE_SERVED, Disposition.TERMINATION)
    for state in (S.DISPOSITION_PROPOSED, S.DECIDED):
        check_union_notification(state, Disposition.TERMINATION)


def test_no_action_needs_no_substantiated_allegation_and_closes_without_notice() -> None:
    facts = replace(GOOD, disposition=Disposition.NO_ACTION, substantiated_allegations=0)
    check_transition(S.FINDINGS_RECORDED, S.DISPOSITION_PROPOSED, facts, HR)
    check_transition(S.DECIDED, S.CLOSED, facts, HR)


def test_decision_is_signed_and_rejections_are_made_by_approvers() -> None:
    assert [t.target for t in TRANSITIONS if t.signed] == [S.DECIDED]
    by_rejection = {(t.source, t.target) for t in TRANSITIONS if t.by_rejection}
    assert by_rejection == {
        (S.INVESTIGATION_REQUESTED, S.REJECTED),
        (S.DISPOSITION_PROPOSED, S.FINDINGS_RECORDED),
    }


def test_ended_states_refuse_changes_until_reopened() -> None:
    for state in ENDED_STATES:
        with pytest.raises(CaseRefused, match=f"the case is {state.value}: reopen it"):
            check_active(state, "add a note")
    check_active(S.DRAFT, "add a note")
    for state in CaseState:
        if state in (S.DRAFT, S.UNDER_INVESTIGATION, S.REOPENED):
            check_allegation_allowed(state)
        else:
            with pytest.raises(CaseRefused):
                check_allegation_allowed(state)
        if state is S.UNDER_INVESTIGATION:
            check_finding_allowed(state)
        else:
            with pytest.raises(CaseRefused, match="findings are recorded under investigation"):
                check_finding_allowed(state)


# --- approvals ---------------------------------------------------------------------------

CHAIN = [Person(2, "王经理"), Person(6, "陈总")]
ROUTE = route_manager_approval(CHAIN, set())
WAITING = replace(GOOD, approvals=())


def test_manager_route_goes_up_past_involved_managers_or_to_the_alternate() -> None:
    assert (ROUTE.kind, ROUTE.manager) == (RouteKind.MANAGER, Person(2, "王经理"))
    up = route_manager_approval(CHAIN, {2})
    assert (up.kind, up.manager, up.passed_over) == (
        RouteKind.NEXT_MANAGER_UP,
        Person(6, "陈总"),
        (Person(2, "王经理"),),
    )
    assert "next manager up; 王经理 involved" in up.describe()
    nobody = route_manager_approval(CHAIN, {2, 6})
    assert nobody.kind is RouteKind.NONE and "administrator must choose" in nobody.describe()
    assert route_manager_approval([], set()).kind is RouteKind.NONE
    alternate = route_manager_approval(CHAIN, set(), Person(7, "Alt"))
    assert (alternate.kind, alternate.alternate) == (RouteKind.ALTERNATE, Person(7, "Alt"))


def test_both_approvals_are_needed_and_each_slot_is_filled_once() -> None:
    state = S.INVESTIGATION_REQUESTED
    assert check_approval(state, INV, OK, WAITING, BOSS, ROUTE) is MANAGER
    assert check_approval(state, INV, OK, WAITING, LAWYER, ROUTE) is LEGAL
    manager_given = replace(WAITING, approvals=(GivenApproval(INV, MANAGER, OK, 2),))
    with pytest.raises(ApprovalRefused, match="manager investigation approval was already"):
        check_approval(state, INV, OK, manager_given, BOSS, ROUTE)
    assert check_approval(state, INV, OK, manager_given, LAWYER, ROUTE) is LEGAL
    with pytest.raises(TransitionRefused, match="approved by legal"):
        check_transition(state, S.UNDER_INVESTIGATION, manager_given, HR)


def test_approval_only_of_the_pending_step() -> None:
    with pytest.raises(ApprovalRefused, match="waits for the investigation approvals"):
        check_approval(S.INVESTIGATION_REQUESTED, DISP, OK, WAITING, BOSS, ROUTE)
    with pytest.raises(ApprovalRefused, match="waits for no approval"):
        check_approval(S.UNDER_INVESTIGATION, INV, OK, WAITING, BOSS, ROUTE)
    with pytest.raises(ApprovalRefused, match="the decision is not approved"):
        check_approval(S.DISPOSITION_PROPOSED, ApprovalStep.DECISION, OK, WAITING, BOSS, ROUTE)
    assert PENDING_STEP == {S.INVESTIGATION_REQUESTED: INV, S.DISPOSITION_PROPOSED: DISP}
    assert check_approval(S.DISPOSITION_PROPOSED, DISP, OK, WAITING, LAWYER, ROUTE) is LEGAL


def test_manager_approval_goes_to_the_routed_manager_only() -> None:
    state = S.INVESTIGATION_REQUESTED
    with pytest.raises(ApprovalRefused, match=r"goes to 陈总 \(next manager up"):
        check_approval(state, INV, OK, WAITING, BOSS, route_manager_approval(CHAIN, {2}))
    with pytest.raises(ApprovalRefused, match=r"goes to 王经理 \(the subject's manager"):
        check_approval(state, INV, OK, WAITING, BIG_BOSS, ROUTE)
    up = route_manager_approval(CHAIN, {2})
    assert check_approval(state, INV, OK, WAITING, BIG_BOSS, up) is MANAGER
    alternate = route_manager_approval(CHAIN, set(), Person(ALTERNATE.user_id, "Alt"))
    assert check_approval(state, INV, OK, WAITING, ALTERNATE, alternate) is MANAGER
    with pytest.raises(ApprovalRefused, match=r"goes to Alt \(alternate approver"):
        check_approval(state, INV, OK, WAITING, BOSS, alternate)
    with pytest.raises(ApprovalRefused, match="administrator must choose an alternate"):
        check_approval(state, INV, OK, WAITING, BOSS, route_manager_approval(CHAIN, {2, 6}))
    for other in (HR, ADMIN, AUDITOR):
        with pytest.raises(ApprovalRefused, match="approved by the sales manager and legal"):
            check_approval(state, INV, OK, WAITING, other, ROUTE)


def test_conflict_of_interest_refuses_subject_and_involved_approvers() -> None:
    state = S.INVESTIGATION_REQUESTED
    with pytest.raises(ConflictOfInterest):
        check_approval(state, INV, OK, WAITING, SUBJECT_USER, ROUTE)
    involved = replace(WAITING, involved_employee_ids=frozenset({3}))
    with pytest.raises(ConflictOfInterest):
        check_approval(state, INV, OK, involved, LAWYER, ROUTE)
    involved_user = replace(WAITING, involved_user_ids=frozenset({2}))
    with pytest.raises(ConflictOfInterest):
        check_approval(state, INV, OK, involved_user, BOSS, ROUTE)


def test_rejection_needs_a_note_and_two_different_people_approve() -> None:
    state = S.INVESTIGATION_REQUESTED
    with pytest.raises(ApprovalRefused, match="rejection needs a note"):
        check_approval(state, INV, NO, WAITING, LAWYER, ROUTE, note="  ")
    assert check_approval(state, INV, NO, WAITING, LAWYER, ROUTE, note="no basis") is LEGAL
    # A legal user chosen (wrongly) as alternate cannot fill both slots.
    legal_alt = route_manager_approval(CHAIN, set(), Person(LAWYER.user_id, "赵律师"))
    legal_given = replace(WAITING, approvals=(GivenApproval(INV, LEGAL, OK, LAWYER.user_id),))
    with pytest.raises(ApprovalRefused, match="two different people"):
        check_approval(state, INV, OK, legal_given, LAWYER, legal_alt)
