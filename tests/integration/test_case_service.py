"""The case workflow on real databases (a SQLite file, and PostgreSQL when available): a
whole case from alert to closed, conflict of interest, where the manager approval goes,
racing writers, frozen evidence, and signatures that catch tampering."""

from __future__ import annotations

import json
import re
import threading
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from case_world import CaseWorld
from sqlalchemy import func, select, text, update
from stores import store_at

from workstation.app import App
from workstation.cases.base import CaseNotFound, StaleCase
from workstation.cases.holds import held_items
from workstation.cases.service import CaseService
from workstation.cases.snapshots import RecordNotFound, sha256_hex
from workstation.domain.case_approvals import ApprovalRefused
from workstation.domain.cases import (
    CaseRefused,
    CaseState,
    ConflictOfInterest,
    TransitionRefused,
)
from workstation.domain.clock import Clock
from workstation.risk.alert_service import StaleAlert
from workstation.security.permissions import PermissionDenied
from workstation.security.seal import fingerprint_of, signature_holds
from workstation.store.audit import verify_audit_chain
from workstation.store.evidence import EvidenceStore
from workstation.store.models import (
    Alert,
    AlertEvent,
    AuditEntry,
    CaseApproval,
    CaseEvidence,
    CaseNote,
    ImportBatch,
    Lead,
    Order,
    TrackPoint,
)

S = CaseState


@pytest.fixture
def world(db_url: str, tmp_path: Path) -> CaseWorld:
    return CaseWorld(store_at(db_url), EvidenceStore(tmp_path / "evidence"))


@pytest.fixture
def lite(app: App) -> CaseWorld:
    """The same world in the app's SQLite store (for the tests that need no PostgreSQL)."""
    return CaseWorld(app.uow, app.evidence)


def _count(w: CaseWorld, model: Any, *where: Any) -> int:
    with w.uow() as u:
        return int(u.session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def _to_investigation(w: CaseWorld, number: str | None = None) -> str:
    """A case on 张伟 with one allegation, investigation requested (revision returned in
    the case's view)."""
    cs, hr = w.cases, w.me("hr.li")
    if number is None:
        number = cs.open_case(hr, w.emp["zhang"], "客户流失").number
    rev = cs.view(hr, number).revision
    rev = cs.add_allegation(hr, number, "华东机电转给对手公司", rev).case.revision
    cs.transition(hr, number, S.INVESTIGATION_REQUESTED, rev)
    return number


def _rev(w: CaseWorld, number: str) -> int:
    return w.cases.view(w.me("hr.li"), number).revision


def test_a_whole_case_from_alert_to_closed(world: CaseWorld, tmp_path: Path) -> None:
    w, cs = world, world.cases
    hr, wang, zhao = w.me("hr.li"), w.me("mgr.wang"), w.me("legal.zhao")

    case = cs.open_case(hr, None, "张伟 疑似跑单", alert_id=w.rec["alert"], alert_revision=3)
    assert re.fullmatch(r"CW-\d{4}-0001", case.number)
    assert (case.state, case.subject_employee_id, case.revision) == (S.DRAFT, w.emp["zhang"], 1)
    number = case.number
    with w.uow() as u:
        alert = u.session.get(Alert, w.rec["alert"])
        assert alert is not None
        assert (alert.status, alert.revision, alert.case_id) == ("escalated", 4, case.id)
        assert u.session.scalar(select(AlertEvent.to_status)) == "escalated"
    detail = cs.get(hr, number)
    assert [e.kind for e in detail.timeline] == ["opened", "alert_explanation", "evidence_linked"]
    explanation = detail.timeline[1].detail
    assert explanation["rules"][0]["rule"] == "churn" and explanation["severity"] == "medium"
    assert sorted(e.kind for e in detail.evidence) == [
        "alert",
        "checkin",
        "customer_event",
        "order",
        "stop",
    ]
    assert detail.timeline[2].detail["missing"] == ["checkin:999999"]
    assert all(e.snapshot_intact and e.custody[0].action == "added" for e in detail.evidence)

    rev = cs.add_allegation(
        hr,
        number,
        "华东机电转给对手公司",
        case.revision,
        customer_id=w.rec["customer"],
        competitor_id=w.rec["competitor"],
    ).case.revision
    allegation = cs.get(hr, number).allegations[0]
    assert (allegation.customer_name, allegation.competitor_name) == ("华东机电", "对手公司")
    rev = cs.transition(hr, number, S.INVESTIGATION_REQUESTED, rev).revision
    assert cs.get(hr, number).pending is not None
    rev = cs.approve(wang, number, "investigation", "approved", rev).revision
    with pytest.raises(TransitionRefused, match="approved by legal"):
        cs.transition(hr, number, S.UNDER_INVESTIGATION, rev)
    rev = cs.approve(zhao, number, "investigation", "approved", rev, note="同意").revision
    rev = cs.transition(hr, number, S.UNDER_INVESTIGATION, rev).revision

    key = f"{w.emp['zhang']}:{w.rec['track_start']}-{w.rec['track_end']}"
    rev = cs.link_record(hr, number, "track_segment", key, rev).case.revision
    rev = cs.link_record(
        hr, number, "communication", str(w.rec["communication"]), rev
    ).case.revision
    photo = tmp_path / "合同.txt"
    photo.write_text("contract signed with the competitor", encoding="utf-8")
    rev = cs.link_file(hr, number, photo, rev).case.revision
    rev = cs.add_note(hr, number, "约谈记录已存档", rev).case.revision

    with pytest.raises(TransitionRefused, match="every allegation has a finding"):
        cs.transition(hr, number, S.FINDINGS_RECORDED, rev)
    rev = cs.record_finding(
        hr, number, allegation.id, "substantiated", rev, note="聊天记录"
    ).revision
    rev = cs.transition(hr, number, S.FINDINGS_RECORDED, rev).revision
    rev = cs.transition(
        hr, number, S.DISPOSITION_PROPOSED, rev, disposition="termination", reason="严重违纪"
    ).revision
    rev = cs.approve(zhao, number, "disposition", "approved", rev).revision
    rev = cs.approve(wang, number, "disposition", "approved", rev).revision
    decided = cs.transition(hr, number, S.DECIDED, rev, reason="解除劳动合同")
    assert decided.state is S.DECIDED
    rev = decided.revision

    with pytest.raises(TransitionRefused, match=r"art\. 43") as refused:
        cs.transition(hr, number, S.NOTICE_SERVED, rev)
    assert refused.value.failed == ("union_notified",)
    rev = cs.record_union_notification(hr, number, rev, reference="工会函〔2026〕12号").revision
    served = cs.transition(hr, number, S.NOTICE_SERVED, rev)
    assert served.notice_served_at is not None
    added = cs.add_task(hr, number, "归档", served.revision)
    with pytest.raises(TransitionRefused, match="every task"):
        cs.transition(hr, number, S.CLOSED, added.case.revision)
    rev = cs.complete_task(hr, number, added.id, added.case.revision).revision
    closed = cs.transition(hr, number, S.CLOSED, rev)
    assert closed.state is S.CLOSED and closed.closed_at is not None

    checks = cs.verify(w.me("hr.li"), number)
    assert [(c.step, c.acting_role) for c in checks] == [
        ("investigation", "sales_manager"),
        ("investigation", "legal"),
        ("disposition", "legal"),
        ("disposition", "sales_manager"),
        ("decision", "hr_officer"),
    ]
    assert all(c.valid for c in checks), [c.reason for c in checks]
    detail = cs.get(w.me("audit"), number)
    assert all(a.check.valid for a in detail.approvals)
    transitions = [(e.from_state, e.to_state) for e in detail.timeline if e.kind == "transition"]
    assert transitions == [
        ("draft", "investigation_requested"),
        ("investigation_requested", "under_investigation"),
        ("under_investigation", "findings_recorded"),
        ("findings_recorded", "disposition_proposed"),
        ("disposition_proposed", "decided"),
        ("decided", "notice_served"),
        ("notice_served", "closed"),
    ]
    assert detail.case.revision == closed.revision
    assert [e.kind for e in detail.evidence].count("track_segment") == 1
    with w.uow() as u:
        report = verify_audit_chain(u.session)
        assert report.intact
        actions = set(u.session.scalars(select(AuditEntry.action)))
    assert {"case.opened", "case.transition", "case.approval", "alert.triage"} <= actions
    with pytest.raises(CaseRefused, match="the case is closed: reopen it"):
        cs.add_note(hr, number, "late", closed.revision)


def test_the_subject_and_the_involved_neither_see_nor_approve(lite: CaseWorld) -> None:
    w, cs, hr = lite, lite.cases, lite.me("hr.li")
    number = _to_investigation(w)
    assert [c.number for c in cs.list_cases(w.me("audit"))] == [number]
    subject = w.me("sales.zhang")  # the subject has a user account (sales manager role)
    assert cs.list_cases(subject) == []
    with pytest.raises(CaseNotFound, match=f"no case {number}"):
        cs.get(subject, number)
    with pytest.raises(CaseNotFound):
        cs.approve(subject, number, "investigation", "approved", _rev(w, number))
    with pytest.raises(ConflictOfInterest):
        cs.open_case(w.me("sales.sun"), w.emp["sun"], "myself")

    # Legal 赵 is marked involved (as an employee): the case disappears for her.
    rev = cs.add_party(
        hr, number, "involved", _rev(w, number), employee_id=w.emp["zhao"]
    ).case.revision
    zhao = w.me("legal.zhao")
    assert cs.list_cases(zhao) == []
    with pytest.raises(CaseNotFound):
        cs.approve(zhao, number, "investigation", "approved", rev)
    rev = cs.approve(w.me("legal.qian"), number, "investigation", "approved", rev).revision

    # An HR officer marked involved (as a user) can no longer change it.
    rev = cs.add_party(hr, number, "involved", rev, user_id=w.me("sales.sun").user_id).case.revision
    with pytest.raises(CaseNotFound):
        cs.add_note(w.me("sales.sun"), number, "hmm", rev)
    with pytest.raises(CaseNotFound):
        cs.view_evidence(zhao, number, 1)
    witness = cs.add_party(hr, number, "witness", rev, employee_id=w.emp["liu"])
    assert [c.number for c in cs.list_cases(w.me("mgr.liu"))] == [number]
    roles = [(p.role, p.name) for p in cs.get(hr, number).parties]
    assert roles == [("involved", "赵律师"), ("involved", "sales.sun"), ("witness", "刘经理")]
    assert witness.case.revision == rev + 1


def test_an_approver_later_found_involved_no_longer_counts(lite: CaseWorld) -> None:
    w, cs, hr = lite, lite.cases, lite.me("hr.li")
    number = _to_investigation(w)
    rev = cs.approve(
        w.me("legal.zhao"), number, "investigation", "approved", _rev(w, number)
    ).revision
    rev = cs.approve(w.me("mgr.wang"), number, "investigation", "approved", rev).revision
    rev = cs.add_party(hr, number, "involved", rev, employee_id=w.emp["zhao"]).case.revision
    pending = cs.get(hr, number).pending
    assert pending is not None and (pending.manager_given, pending.legal_given) == (True, False)
    with pytest.raises(TransitionRefused, match="approved by legal"):
        cs.transition(hr, number, S.UNDER_INVESTIGATION, rev)
    rev = cs.approve(w.me("legal.qian"), number, "investigation", "approved", rev).revision
    assert cs.transition(hr, number, S.UNDER_INVESTIGATION, rev).state is S.UNDER_INVESTIGATION


def test_manager_involved_goes_to_the_next_manager_up(lite: CaseWorld) -> None:
    w, cs, hr = lite, lite.cases, lite.me("hr.li")
    number = _to_investigation(w)
    assert "王经理 (the subject's manager)" in cs.get(hr, number).manager_approver
    rev = cs.add_party(
        hr, number, "involved", _rev(w, number), employee_id=w.emp["wang"]
    ).case.revision
    assert "陈总 (next manager up; 王经理 involved)" in cs.get(hr, number).manager_approver
    with pytest.raises(CaseNotFound):
        cs.approve(w.me("mgr.wang"), number, "investigation", "approved", rev)
    with pytest.raises(ApprovalRefused, match="goes to 陈总"):
        cs.approve(w.me("mgr.liu"), number, "investigation", "approved", rev)
    rev = cs.approve(w.me("mgr.chen"), number, "investigation", "approved", rev).revision
    rev = cs.approve(w.me("legal.zhao"), number, "investigation", "approved", rev).revision
    assert cs.transition(hr, number, S.UNDER_INVESTIGATION, rev).state is S.UNDER_INVESTIGATION
    with w.uow() as u:
        payload = u.session.scalars(select(CaseApproval.payload_json)).first()
        assert payload is not None and "next manager up" in payload


def test_an_administrator_chosen_alternate_gives_the_manager_approval(lite: CaseWorld) -> None:
    w, cs, hr, admin = lite, lite.cases, lite.me("hr.li"), lite.me("admin")
    number = _to_investigation(w)
    rev = _rev(w, number)
    with pytest.raises(PermissionDenied, match=r"may not do case\.choose_alternate"):
        cs.choose_alternate_approver(hr, number, w.me("mgr.liu").user_id, rev)
    with pytest.raises(CaseRefused, match="choose a sales manager"):
        cs.choose_alternate_approver(admin, number, w.me("legal.qian").user_id, rev)
    with pytest.raises(ConflictOfInterest):
        cs.choose_alternate_approver(admin, number, w.me("sales.zhang").user_id, rev)
    rev = cs.choose_alternate_approver(admin, number, w.me("mgr.liu").user_id, rev).case.revision
    assert "mgr.liu (alternate approver" in cs.get(hr, number).manager_approver
    with pytest.raises(ApprovalRefused, match=r"goes to mgr\.liu"):
        cs.approve(w.me("mgr.wang"), number, "investigation", "approved", rev)
    rev = cs.approve(w.me("mgr.liu"), number, "investigation", "approved", rev).revision
    with pytest.raises(ApprovalRefused, match="already given"):
        cs.approve(w.me("mgr.liu"), number, "investigation", "approved", rev)

    # Every manager up the chain involved and no alternate: nobody can approve yet.
    other = _to_investigation(w)
    rev = _rev(w, other)
    for name in ("wang", "chen"):
        rev = cs.add_party(hr, other, "involved", rev, employee_id=w.emp[name]).case.revision
    with pytest.raises(ApprovalRefused, match="administrator must choose an alternate"):
        cs.approve(w.me("mgr.liu"), other, "investigation", "approved", rev)


def test_rejections_end_the_request_or_send_the_disposition_back(lite: CaseWorld) -> None:
    w, cs, hr = lite, lite.cases, lite.me("hr.li")
    wang, zhao = w.me("mgr.wang"), w.me("legal.zhao")
    number = _to_investigation(w)
    rev = cs.approve(wang, number, "investigation", "approved", _rev(w, number)).revision
    with pytest.raises(ApprovalRefused, match="needs a note"):
        cs.approve(zhao, number, "investigation", "rejected", rev)
    rejected = cs.approve(zhao, number, "investigation", "rejected", rev, note="证据不足")
    assert rejected.state is S.REJECTED
    with pytest.raises(TransitionRefused, match="reason is given"):
        cs.transition(hr, number, S.REOPENED, rejected.revision)
    rev = cs.transition(hr, number, S.REOPENED, rejected.revision, reason="新证据").revision
    rev = cs.transition(hr, number, S.INVESTIGATION_REQUESTED, rev).revision
    # A new round: the earlier manager approval no longer counts.
    with pytest.raises(TransitionRefused) as refused:
        cs.transition(hr, number, S.UNDER_INVESTIGATION, rev)
    assert set(refused.value.failed) == {
        "investigation_approved_by_manager",
        "investigation_approved_by_legal",
    }
    rev = cs.approve(wang, number, "investigation", "approved", rev).revision
    rev = cs.approve(zhao, number, "investigation", "approved", rev).revision
    rev = cs.transition(hr, number, S.UNDER_INVESTIGATION, rev).revision
    allegation = cs.get(hr, number).allegations[0].id
    rev = cs.record_finding(hr, number, allegation, "inconclusive", rev).revision
    rev = cs.transition(hr, number, S.FINDINGS_RECORDED, rev).revision
    with pytest.raises(TransitionRefused, match="substantiated allegation"):
        cs.transition(hr, number, S.DISPOSITION_PROPOSED, rev, disposition="warning", reason="x")
    rev = cs.transition(
        hr, number, S.DISPOSITION_PROPOSED, rev, disposition="no_action", reason="证据不足"
    ).revision
    with pytest.raises(TransitionRefused, match="when the sales manager or legal rejects"):
        cs.transition(hr, number, S.FINDINGS_RECORDED, rev)
    back = cs.approve(wang, number, "disposition", "rejected", rev, note="应给予警告")
    assert (back.state, back.disposition, back.disposition_reason) == (
        S.FINDINGS_RECORDED,
        None,
        None,
    )
    assert [c.valid for c in cs.verify(w.me("hr.li"), number)] == [True] * 5


def test_racing_approvals_one_wins_the_other_is_told_and_nothing_is_lost(
    db_url: str, tmp_path: Path
) -> None:
    """Two processes' worth of store (two engines on one database), two approvers at once."""
    first = CaseWorld(store_at(db_url), EvidenceStore(tmp_path / "evidence"))
    number = _to_investigation(first)
    second = CaseService(
        store_at(db_url), first.evidence, first.cases._authorizer, first.signer, first.uow.clock
    )
    rev = _rev(first, number)
    barrier = threading.Barrier(2)
    outcomes: dict[str, Any] = {}

    def act(name: str, service: CaseService) -> None:
        barrier.wait()
        try:
            outcomes[name] = service.approve(
                first.me(name), number, "investigation", "approved", rev
            )
        except Exception as exc:
            outcomes[name] = exc

    threads = [
        threading.Thread(target=act, args=("mgr.wang", first.cases)),
        threading.Thread(target=act, args=("legal.zhao", second)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    stale = [n for n, o in outcomes.items() if isinstance(o, StaleCase)]
    won = [n for n, o in outcomes.items() if not isinstance(o, Exception)]
    assert len(stale) == 1 and len(won) == 1, outcomes
    message = str(outcomes[stale[0]])
    assert f"case {number} was changed by someone else" in message
    assert "nothing was saved" in message
    assert _count(first, CaseApproval) == 1
    assert _rev(first, number) == rev + 1
    # The loser reloads and tries again: both approvals stand.
    retry = first.cases.approve(first.me(stale[0]), number, "investigation", "approved", rev + 1)
    assert retry.revision == rev + 2
    assert _count(first, CaseApproval) == 2
    assert all(c.valid for c in first.cases.verify(first.me("hr.li"), number))
    hr = first.me("hr.li")
    assert first.cases.transition(hr, number, S.UNDER_INVESTIGATION, rev + 2).revision == rev + 3


def test_a_stale_write_changes_nothing(lite: CaseWorld) -> None:
    w, cs, hr = lite, lite.cases, lite.me("hr.li")
    number = cs.open_case(hr, w.emp["zhang"], "t").number
    cs.add_note(hr, number, "first", 1)
    audit_before = _count(w, AuditEntry)
    with pytest.raises(StaleCase, match="revision 2, you saw 1"):
        cs.add_note(w.me("hr.zhou"), number, "second", 1)
    assert _count(w, CaseNote) == 1 and _count(w, AuditEntry) == audit_before
    with pytest.raises(StaleCase):
        cs.approve(w.me("mgr.wang"), number, "investigation", "approved", 1)
    assert w.signer.signed == 0  # refused before anything was signed


def test_case_numbers_are_unique_when_opened_at_once(db_url: str, tmp_path: Path) -> None:
    first = CaseWorld(store_at(db_url), EvidenceStore(tmp_path / "evidence"))
    second = CaseService(
        store_at(db_url), first.evidence, first.cases._authorizer, first.signer, first.uow.clock
    )
    barrier = threading.Barrier(2)
    numbers: list[str] = []
    errors: list[BaseException] = []

    def open_some(service: CaseService) -> None:
        barrier.wait()
        try:
            for i in range(4):
                numbers.append(
                    service.open_case(first.me("hr.li"), first.emp["zhang"], f"#{i}").number
                )
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_some, args=(s,)) for s in (first.cases, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert len(set(numbers)) == 8
    assert sorted(int(n.rsplit("-", 1)[1]) for n in numbers) == list(range(1, 9))


def test_opening_from_an_alert_checks_its_state_and_revision(lite: CaseWorld) -> None:
    w, cs, hr = lite, lite.cases, lite.me("hr.li")
    with pytest.raises(StaleAlert, match="revision 3, you saw 2"):
        cs.open_case(hr, None, "t", alert_id=w.rec["alert"], alert_revision=2)
    with pytest.raises(CaseRefused, match="is about employee"):
        cs.open_case(hr, w.emp["sun"], "t", alert_id=w.rec["alert"])
    with pytest.raises(PermissionDenied):
        cs.open_case(w.me("mgr.wang"), None, "t", alert_id=w.rec["alert"])
    cs.open_case(hr, None, "t", alert_id=w.rec["alert"])
    with pytest.raises(ValueError, match="is escalated: it can go to nowhere"):
        cs.open_case(hr, None, "again", alert_id=w.rec["alert"])
    assert len(cs.list_cases(hr)) == 1


def test_snapshots_do_not_change_when_the_records_do(lite: CaseWorld) -> None:
    w, cs, hr = lite, lite.cases, lite.me("hr.li")
    number = cs.open_case(hr, w.emp["zhang"], "t").number
    order = cs.link_record(hr, number, "order", str(w.rec["order"]), 1)
    key = f"{w.emp['zhang']}:{w.rec['track_start']}-{w.rec['track_end']}"
    track = cs.link_record(hr, number, "track_segment", key, order.case.revision)
    before = {e.id: e.snapshot_sha256 for e in cs.get(hr, number).evidence}
    with w.uow() as u:
        u.session.execute(
            update(Order).where(Order.id == w.rec["order"]).values(amount=1, status="completed")
        )
        u.session.add(
            TrackPoint(employee_id=w.emp["zhang"], t_ms=w.rec["track_start"] + 1, lat=0, lon=0)
        )
        u.commit()
    after = cs.get(hr, number).evidence
    assert {e.id: e.snapshot_sha256 for e in after} == before
    seen = cs.view_evidence(w.me("legal.zhao"), number, order.id)
    record = seen.snapshot["record"]
    assert (record["amount"], record["status"]) == ("12000.50", "transferred")
    assert seen.snapshot["related"]["competitor"]["name"] == "对手公司"
    assert sha256_hex(seen.snapshot_json) == seen.evidence.snapshot_sha256
    points = cs.view_evidence(hr, number, track.id).snapshot["record"]["points"]
    assert len(points) == 10
    custody = [c.action for c in cs.get(hr, number).evidence[0].custody]
    assert custody == ["added", "viewed"]
    with pytest.raises(CaseRefused, match="already evidence"):
        cs.link_record(hr, number, "order", str(w.rec["order"]), track.case.revision)
    with pytest.raises(RecordNotFound, match="no order #424242"):
        cs.link_record(hr, number, "order", "424242", track.case.revision)
    with pytest.raises(RecordNotFound, match="evidence kind is one of"):
        cs.link_record(hr, number, "gossip", "1", track.case.revision)
    # Relinking the changed record elsewhere freezes its new state: a different hash.
    other = cs.open_case(hr, w.emp["zhang"], "t2").number
    relinked = cs.link_record(hr, other, "order", str(w.rec["order"]), 1)
    assert cs.get(hr, other).evidence[0].snapshot_sha256 != before[order.id]
    assert relinked.case.revision == 2


def test_export_and_view_are_custody_events_and_audited(lite: CaseWorld, tmp_path: Path) -> None:
    w, cs, hr = lite, lite.cases, lite.me("hr.li")
    number = cs.open_case(hr, w.emp["zhang"], "t").number
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8 not really a jpeg")
    linked = cs.link_file(hr, number, photo, 1)
    content = cs.view_evidence(hr, number, linked.id)
    assert content.file_bytes == photo.read_bytes()
    with pytest.raises(PermissionDenied):
        cs.export_evidence(w.me("audit"), number, linked.id, tmp_path / "out")
    paths = cs.export_evidence(w.me("legal.zhao"), number, linked.id, tmp_path / "out")
    assert [p.name for p in paths] == [
        f"{number}_evidence-{linked.id}_file.json",
        f"{number}_evidence-{linked.id}_file_photo.jpg",
        f"{number}_evidence-{linked.id}_file_audit-checkpoint.json",
    ]
    assert paths[1].read_bytes() == photo.read_bytes()
    # The export carries the audit checkpoint sealed with it: the log's newest entry (the
    # export's own), its hash and count, signed by the installation seal.
    sealed = json.loads(paths[2].read_text(encoding="utf-8"))
    with w.uow() as u:
        head = u.session.execute(
            select(AuditEntry.id, AuditEntry.entry_hash, AuditEntry.action)
            .order_by(AuditEntry.id.desc())
            .limit(1)
        ).one()
        count = u.session.scalar(select(func.count()).select_from(AuditEntry))
    assert head.action == "case.evidence_exported"
    assert (sealed["entry_id"], sealed["chain_hash"]) == (head.id, head.entry_hash)
    assert sealed["entry_count"] == count
    key = sealed["seal_public_key_pem"]
    assert fingerprint_of(key) == sealed["seal_fingerprint"]
    assert signature_holds(key, sealed["payload"].encode("utf-8"), sealed["signature"])
    evidence = cs.get(hr, number).evidence[0]
    assert [(c.action, c.actor) for c in evidence.custody] == [
        ("added", "hr.li"),
        ("viewed", "hr.li"),
        ("exported", "legal.zhao"),
    ]
    with w.uow() as u:
        actions = list(u.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert "case.evidence_viewed" in actions and "case.evidence_exported" in actions
    assert actions.count("evidence.read") == 2
    # An altered snapshot is flagged and not exported.
    with w.uow() as u:
        u.session.execute(
            update(CaseEvidence).values(snapshot_json=CaseEvidence.snapshot_json + " ")
        )
        u.commit()
    assert not cs.get(hr, number).evidence[0].snapshot_intact
    with pytest.raises(CaseRefused, match="no longer matches its SHA-256"):
        cs.export_evidence(hr, number, linked.id, tmp_path / "out2")


def test_tampering_with_a_stored_approval_fails_verification(world: CaseWorld) -> None:
    w, cs = world, world.cases
    number = _to_investigation(w)
    rev = cs.approve(
        w.me("mgr.wang"), number, "investigation", "approved", _rev(w, number)
    ).revision
    cs.approve(w.me("legal.zhao"), number, "investigation", "approved", rev)
    assert [c.valid for c in cs.verify(w.me("hr.li"), number)] == [True, True]
    signed = cs.canonical_state(w.me("hr.li"), number)
    assert signed["case"]["number"] == number and len(signed["approvals"]) == 2

    with w.uow() as u:
        first = u.session.scalars(select(CaseApproval).order_by(CaseApproval.id)).first()
        assert first is not None
        first.payload_json = first.payload_json.replace('"approved"', '"rejected"', 1)
        u.commit()
    checks = cs.verify(w.me("hr.li"), number)
    assert [c.valid for c in checks] == [False, True]
    assert "does not match its SHA-256" in checks[0].reason
    assert "signature invalid" in checks[0].reason
    assert not cs.get(w.me("hr.li"), number).approvals[0].check.valid

    with w.uow() as u:
        u.session.execute(
            text("UPDATE case_approvals SET decision = 'rejected' WHERE id = :id"),
            {"id": checks[1].approval_id},
        )
        u.commit()
    second = cs.verify(w.me("hr.li"), number)[1]
    assert not second.valid and "row's decision (rejected) differs" in second.reason


def test_roles_and_the_legal_hold(lite: CaseWorld) -> None:
    w, cs, hr = lite, lite.cases, lite.me("hr.li")
    number = cs.open_case(hr, w.emp["zhang"], "t").number
    rev = cs.link_record(hr, number, "communication", str(w.rec["communication"]), 1).case.revision
    audit = w.me("audit")
    assert cs.get(audit, number).case.number == number
    with pytest.raises(PermissionDenied, match=r"\(auditor\) may not do case\.edit"):
        cs.add_note(audit, number, "x", rev)
    with pytest.raises(PermissionDenied, match=r"may not do case\.transition"):
        cs.transition(w.me("legal.zhao"), number, S.WITHDRAWN, rev, reason="x")
    with pytest.raises(PermissionDenied, match=r"may not do case\.legal_hold"):
        cs.set_legal_hold(hr, number, True, rev)
    with w.uow() as u:
        assert held_items(u.session).case_ids == frozenset()
    held = cs.set_legal_hold(w.me("legal.zhao"), number, True, rev)
    assert held.legal_hold
    with pytest.raises(CaseRefused, match="already on legal hold"):
        cs.set_legal_hold(w.me("legal.zhao"), number, True, held.revision)
    with w.uow() as u:
        items = held_items(u.session)
    assert items.case_ids == {held.id}
    assert items.keeps_record("communication", w.rec["communication"])
    withdrawn = cs.transition(hr, number, S.WITHDRAWN, held.revision, reason="调岗")
    assert withdrawn.legal_hold and withdrawn.state is S.WITHDRAWN
    options = {o.target: o for o in cs.get(hr, number).transitions}
    assert options["reopened"].allowed
    assert not cs.get(audit, number).transitions[0].allowed


def test_detail_shows_what_may_happen_next(lite: CaseWorld) -> None:
    w, cs, hr = lite, lite.cases, lite.me("hr.li")
    number = cs.open_case(hr, w.emp["zhang"], "t").number
    options = {o.target: o for o in cs.get(hr, number).transitions}
    assert set(options) == {"investigation_requested", "withdrawn"}
    assert not options["investigation_requested"].allowed
    assert "at least one allegation" in options["investigation_requested"].reason
    assert options["withdrawn"].allowed
    json_dict = cs.get(hr, number).to_json_dict()
    assert json_dict["case"]["state"] == "draft" and json_dict["timeline"][0]["kind"] == "opened"


def _clock_at(at: datetime) -> Clock:
    return Clock.fixed(at)


def test_numbers_follow_the_local_year(app: App) -> None:
    w = CaseWorld(app.uow, app.evidence)
    late = CaseService(
        app.uow,
        app.evidence,
        w.cases._authorizer,
        w.signer,
        clock=_clock_at(datetime(2026, 12, 31, 16, 30, tzinfo=UTC)),  # 2027-01-01 00:30 local
    )
    assert late.open_case(w.me("hr.li"), w.emp["zhang"], "t").number == "CW-2027-0001"
    assert late.open_case(w.me("hr.li"), w.emp["zhang"], "t").number == "CW-2027-0002"


def test_imported_files_and_leads_are_frozen_with_their_source(lite: CaseWorld) -> None:
    w, cs, hr = lite, lite.cases, lite.me("hr.li")
    with w.uow() as u:
        stored = w.evidence.add_bytes(u.session, b"order_no,amount\nO-1,1\n", "orders.csv", "t")
        batch = ImportBatch(
            kind="orders",
            file_id=stored.id,
            file_name="orders.csv",
            started_at=datetime(2026, 10, 30, tzinfo=UTC),
            status="committed",
            rows_accepted=1,
        )
        u.session.add(batch)
        u.session.flush()
        lead = Lead(
            lead_no="L-1",
            employee_id=w.emp["zhang"],
            created_on=date(2026, 10, 1),
            batch_id=batch.id,
        )
        u.session.add(lead)
        u.commit()
        batch_id, lead_id = batch.id, lead.id
    number = cs.open_case(hr, w.emp["zhang"], "t").number
    imported = cs.link_record(hr, number, "import_file", str(batch_id), 1)
    linked = cs.link_record(hr, number, "lead", str(lead_id), imported.case.revision)
    content = cs.view_evidence(hr, number, imported.id)
    assert content.snapshot["related"]["file"]["sha256"] == stored.sha256
    assert content.file_bytes == b"order_no,amount\nO-1,1\n"
    source = cs.view_evidence(hr, number, linked.id).snapshot["related"]["source"]
    assert source == {"batch_id": batch_id, "file_name": "orders.csv", "file_sha256": stored.sha256}
    with pytest.raises(RecordNotFound, match="employee_id:start_ms-end_ms"):
        cs.link_record(hr, number, "track_segment", "yesterday", linked.case.revision)
    rev = cs.set_legal_hold(w.me("legal.zhao"), number, True, linked.case.revision).revision
    with w.uow() as u:
        assert held_items(u.session).keeps_file(stored.id)
    assert rev == linked.case.revision + 1
