"""Cases in every stage of their life on ``CaseWorld``'s subject 张伟, for the case archive
tests (the integration tests and the employee file's GUI tests import it as
``archive_cases``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from case_world import CaseWorld

from workstation.domain.cases import CaseState

S = CaseState
#: The bytes of the "generated" termination notice (a real PDF is not needed here).
NOTICE_PDF = b"%PDF-1.4\n% termination notice (test)\n%%EOF\n"


@dataclass(frozen=True)
class ArchiveCases:
    closed: str
    rejected: str
    withdrawn: str
    decided: str
    open: str
    #: The closed case's generated notice (case document id) and linked file (evidence id).
    notice_id: int
    file_evidence_id: int


def _requested(w: CaseWorld, title: str) -> tuple[str, int]:
    cs, hr = w.cases, w.me("hr.li")
    case = cs.open_case(hr, w.emp["zhang"], title)
    rev = cs.add_allegation(hr, case.number, "华东机电转给对手公司", case.revision).case.revision
    rev = cs.transition(hr, case.number, S.INVESTIGATION_REQUESTED, rev).revision
    return case.number, rev


def _decided(w: CaseWorld, title: str, tmp_path: Path | None = None) -> tuple[str, int, int]:
    """A case decided (termination), with a file linked as evidence when ``tmp_path``."""
    cs, hr = w.cases, w.me("hr.li")
    wang, zhao = w.me("mgr.wang"), w.me("legal.zhao")
    number, rev = _requested(w, title)
    rev = cs.approve(wang, number, "investigation", "approved", rev).revision
    rev = cs.approve(zhao, number, "investigation", "approved", rev).revision
    rev = cs.transition(hr, number, S.UNDER_INVESTIGATION, rev).revision
    evidence_id = 0
    if tmp_path is not None:
        statement = tmp_path / "情况说明.txt"
        statement.write_text("本人承认将华东机电的订单转给对手公司。", encoding="utf-8")
        linked = cs.link_file(hr, number, statement, rev, title="情况说明")
        rev, evidence_id = linked.case.revision, linked.id
    allegation = cs.get(hr, number).allegations[0].id
    rev = cs.record_finding(hr, number, allegation, "substantiated", rev).revision
    rev = cs.transition(hr, number, S.FINDINGS_RECORDED, rev).revision
    rev = cs.transition(
        hr, number, S.DISPOSITION_PROPOSED, rev, disposition="termination", reason="严重违纪"
    ).revision
    rev = cs.approve(zhao, number, "disposition", "approved", rev).revision
    rev = cs.approve(wang, number, "disposition", "approved", rev).revision
    rev = cs.transition(hr, number, S.DECIDED, rev, reason="解除劳动合同").revision
    return number, rev, evidence_id


def build_archive_cases(w: CaseWorld, tmp_path: Path) -> ArchiveCases:
    """One case of each kind the archive tells apart, oldest first: closed (with a notice and a
    linked file), rejected, withdrawn, decided (still open), and one under investigation."""
    cs, hr = w.cases, w.me("hr.li")
    closed, rev, evidence_id = _decided(w, "张伟 跑单（已结案）", tmp_path)
    rev = cs.record_union_notification(hr, closed, rev, reference="工会函〔2026〕12号").revision
    rev = cs.transition(hr, closed, S.NOTICE_SERVED, rev).revision
    notice = cs.attach_document(
        hr, closed, "termination_notice", "zh_CN", NOTICE_PDF, "解除通知书.pdf", rev
    )
    cs.transition(hr, closed, S.CLOSED, notice.case.revision)

    rejected, rev = _requested(w, "张伟 客户流失（驳回）")
    cs.approve(w.me("legal.zhao"), rejected, "investigation", "rejected", rev, note="证据不足")

    withdrawn, rev = _requested(w, "张伟 考勤异常（撤回）")
    cs.transition(hr, withdrawn, S.WITHDRAWN, rev, reason="误报")

    decided, _rev, _ = _decided(w, "张伟 第二次跑单（已决定）")
    still_open, _rev = _requested(w, "张伟 进行中的调查")
    return ArchiveCases(
        closed=closed,
        rejected=rejected,
        withdrawn=withdrawn,
        decided=decided,
        open=still_open,
        notice_id=notice.id,
        file_evidence_id=evidence_id,
    )
