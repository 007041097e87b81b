"""What may change after a signature and what may not (``cases.integrity``), on a small case
built through the service (``case_world``, HMAC test signer) in a real SQLite file; and a
signature over the version-1 state (before titles, file hashes, documents and party ids were
signed) still verifies over what it holds."""

from __future__ import annotations

from typing import Any

import pytest
from case_world import CaseWorld
from sqlalchemy import text

from workstation.app import App
from workstation.cases import workflow
from workstation.cases.repository import canonical_state
from workstation.cases.views import CaseIntegrity
from workstation.domain.cases import CaseState as S


@pytest.fixture
def w(app: App) -> CaseWorld:
    return CaseWorld(app.uow, app.evidence)


def _approved(w: CaseWorld) -> tuple[str, int]:
    """A case with an allegation and an order, investigation approved by both (signed)."""
    cs, hr = w.cases, w.me("hr.li")
    case = cs.open_case(hr, w.emp["zhang"], "跑单")
    number = case.number
    rev = cs.add_allegation(hr, number, "华东机电转给对手公司", case.revision).case.revision
    rev = cs.link_record(hr, number, "order", str(w.rec["order"]), rev).case.revision
    rev = cs.transition(hr, number, S.INVESTIGATION_REQUESTED, rev).revision
    rev = cs.approve(w.me("mgr.wang"), number, "investigation", "approved", rev).revision
    rev = cs.approve(w.me("legal.zhao"), number, "investigation", "approved", rev).revision
    return number, rev


def _sql(w: CaseWorld, statement: str, **params: Any) -> None:
    with w.uow() as u:
        u.session.execute(text(statement), params)
        u.commit()


def _kinds(integrity: CaseIntegrity) -> set[tuple[str, str, bool]]:
    return {
        (d.item, d.kind, d.signature is None) for r in integrity.signatures for d in r.differences
    } | {(d.item, d.kind, True) for d in integrity.differences}


def test_recorded_steps_after_a_signature_are_information(w: CaseWorld) -> None:
    cs, hr = w.cases, w.me("hr.li")
    number, rev = _approved(w)
    rev = cs.transition(hr, number, S.UNDER_INVESTIGATION, rev).revision
    allegation = cs.get(hr, number).allegations[0].id
    rev = cs.record_finding(hr, number, allegation, "substantiated", rev).revision
    cs.add_note(hr, number, "约谈记录", rev)
    integrity = cs.integrity(hr, number)
    assert integrity.valid, integrity.failures
    first = integrity.signatures[0].differences
    assert {(d.item, d.kind, d.part) for d in first} >= {
        ("state", "changed_by_step", None),
        (f"allegation #{allegation}", "changed_by_step", "finding"),
        ("note #1", "added", None),
    }
    assert all(not d.failure for d in first)
    # The same finding written in the database, with no step after the signature: a failure.
    _sql(w, "DELETE FROM case_events WHERE kind = 'finding_recorded'")
    failed = cs.integrity(hr, number).failures
    assert {(d.item, d.part, d.kind) for d in failed} == {
        (f"allegation #{allegation}", "finding", "changed")
    }


def test_a_state_written_in_the_database_disagrees_with_the_timeline(w: CaseWorld) -> None:
    cs, hr = w.cases, w.me("hr.li")
    number, rev = _approved(w)
    cs.transition(hr, number, S.UNDER_INVESTIGATION, rev)
    _sql(w, "UPDATE cases SET state = 'closed' WHERE number = :n", n=number)
    integrity = cs.integrity(hr, number)
    [failure] = integrity.failures
    assert (failure.item, failure.kind, failure.signed, failure.now) == (
        "state",
        "changed",
        "under_investigation",
        "closed",
    )
    assert [c.valid for c in cs.verify(hr, number)] == [True, True]


def test_an_evidence_title_is_covered(w: CaseWorld) -> None:
    cs, hr = w.cases, w.me("hr.li")
    number, _ = _approved(w)
    _sql(w, "UPDATE case_evidence SET title = 'Order 1 92350.00'")
    assert ("evidence #1", "changed", False) in _kinds(cs.integrity(hr, number))
    failed = cs.integrity(hr, number).failures
    assert {(d.item, d.part, d.now) for d in failed} == {
        ("evidence #1", "title", "Order 1 92350.00")
    }
    assert [c.valid for c in cs.verify(hr, number)] == [False, False]


def _version_1(session: Any, case: Any) -> dict[str, Any]:
    """The state as approvals signed it before version 2."""
    state = canonical_state(session, case)
    state["schema"] = "casework.case-state/1"
    state.pop("documents")
    for e in state["evidence"]:
        e.pop("title"), e.pop("file_sha256")
    for p in state["parties"]:
        p.pop("id")
    return state


def test_a_version_1_signature_still_verifies_over_what_it_holds(
    w: CaseWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workflow, "canonical_state", _version_1)
    number, _ = _approved(w)
    monkeypatch.undo()
    hr = w.me("hr.li")
    integrity = w.cases.integrity(hr, number)
    assert integrity.valid, integrity.failures
    # A title is not in a version-1 signature; the frozen record is.
    _sql(w, "UPDATE case_evidence SET title = 'changed'")
    assert w.cases.integrity(hr, number).valid
    _sql(w, "UPDATE case_allegations SET text = '无'")
    failed = w.cases.integrity(hr, number).failures
    assert {(d.signature, d.item, d.part) for d in failed} == {
        (1, "allegation #1", "text"),
        (2, "allegation #1", "text"),
    }


def test_an_item_added_after_the_last_signature_and_deleted_is_missed(w: CaseWorld) -> None:
    """No signature covers it; the timeline still records it."""
    cs, hr = w.cases, w.me("hr.li")
    number, rev = _approved(w)
    rev = cs.transition(hr, number, S.UNDER_INVESTIGATION, rev).revision
    note = cs.add_note(hr, number, "客户确认函已归档", rev).id
    assert cs.integrity(hr, number).valid
    _sql(w, "DELETE FROM case_notes WHERE id = :id", id=note)
    [failure] = cs.integrity(hr, number).failures
    assert (failure.signature, failure.item, failure.kind) == (None, f"note #{note}", "missing")
