"""Whom a case waits for: the pending approval names the manager approver's user id(s) (the
sales-manager user of the manager the approval goes to, or the alternate approver), legal
approvals are for any legal user, and nobody is asked twice."""

from __future__ import annotations

import dataclasses

import pytest
from case_world import CaseWorld

from workstation.app import App
from workstation.cases.views import PendingApproval
from workstation.domain.cases import CaseState
from workstation.domain.enums import Role


@pytest.fixture
def lite(app: App) -> CaseWorld:
    return CaseWorld(app.uow, app.evidence)


def _requested(w: CaseWorld) -> str:
    cs, hr = w.cases, w.me("hr.li")
    case = cs.open_case(hr, w.emp["zhang"], "客户流失")
    rev = cs.add_allegation(hr, case.number, "转单", case.revision).case.revision
    cs.transition(hr, case.number, CaseState.INVESTIGATION_REQUESTED, rev)
    return case.number


def _pending(w: CaseWorld, number: str) -> PendingApproval:
    pending = w.cases.get(w.me("hr.li"), number).pending
    assert pending is not None
    return pending


def test_the_manager_approval_names_the_managers_user(lite: CaseWorld) -> None:
    w = lite
    number = _requested(w)
    pending = _pending(w, number)
    wang, liu = w.me("mgr.wang"), w.me("mgr.liu")
    assert pending.manager_user_ids == (wang.user_id,)
    assert pending.awaits(wang.user_id, Role.SALES_MANAGER)
    assert not pending.awaits(liu.user_id, Role.SALES_MANAGER)
    # Legal: any legal user, whatever their name.
    for legal in ("legal.zhao", "legal.qian"):
        assert pending.awaits(w.me(legal).user_id, Role.LEGAL)
    assert not pending.awaits(w.me("hr.li").user_id, Role.HR_OFFICER)
    # A display name that is not the employee's name changes nothing (it used to).
    renamed = dataclasses.replace(wang, display_name="谢文秀（销售经理）")
    assert pending.awaits(renamed.user_id, renamed.role)


def test_given_slots_and_signers_are_no_longer_awaited(lite: CaseWorld) -> None:
    w, cs = lite, lite.cases
    number = _requested(w)
    rev = cs.view(w.me("hr.li"), number).revision
    cs.approve(w.me("legal.zhao"), number, "investigation", "approved", rev)
    pending = _pending(w, number)
    assert pending.signed_user_ids == (w.me("legal.zhao").user_id,)
    assert not pending.awaits(w.me("legal.qian").user_id, Role.LEGAL)
    assert pending.awaits(w.me("mgr.wang").user_id, Role.SALES_MANAGER)
    detail = cs.get(w.me("hr.li"), number).to_json_dict()
    assert detail["pending"]["manager_user_ids"] == [w.me("mgr.wang").user_id]


def test_the_alternate_approver_replaces_the_manager(lite: CaseWorld) -> None:
    w, cs = lite, lite.cases
    number = _requested(w)
    rev = cs.view(w.me("hr.li"), number).revision
    cs.choose_alternate_approver(w.me("admin"), number, w.me("mgr.liu").user_id, rev)
    pending = _pending(w, number)
    assert pending.manager_user_ids == (w.me("mgr.liu").user_id,)
    assert not pending.awaits(w.me("mgr.wang").user_id, Role.SALES_MANAGER)


def test_nobody_when_every_manager_is_involved(lite: CaseWorld) -> None:
    w, cs, hr = lite, lite.cases, lite.me("hr.li")
    number = _requested(w)
    rev = cs.view(hr, number).revision
    for name in ("wang", "chen"):
        rev = cs.add_party(hr, number, "involved", rev, employee_id=w.emp[name]).case.revision
    pending = _pending(w, number)
    assert pending.manager_user_ids == ()
    assert not pending.awaits(w.me("mgr.liu").user_id, Role.SALES_MANAGER)
