"""The case archive in the employee file: ended and decided cases with their decision and
documents, conflict of interest, and opening a document (audited, with its custody event)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from archive_cases import NOTICE_PDF, ArchiveCases, build_archive_cases
from case_world import CaseWorld
from sqlalchemy import select

from workstation.app import App
from workstation.cases.archive import CaseArchive, DocumentSource
from workstation.cases.base import CaseNotFound
from workstation.domain.cases import CaseState, Disposition
from workstation.domain.identity import Identity
from workstation.security.access import ActingAs
from workstation.security.permissions import PermissionDenied
from workstation.store.audit import verify_audit_chain
from workstation.store.models import AuditEntry, CustodyEvent

S = CaseState


@pytest.fixture
def world(app: App) -> CaseWorld:
    return CaseWorld(app.uow, app.evidence)


@pytest.fixture
def built(world: CaseWorld, tmp_path: Path) -> ArchiveCases:
    return build_archive_cases(world, tmp_path)


def _archive(app: App, identity: Identity | None, tmp_path: Path) -> CaseArchive:
    return CaseArchive(app.uow, ActingAs(identity), app.evidence, tmp_path / "cache", app.clock)


@dataclass(frozen=True)
class Entry:
    action: str
    actor: str
    entity_id: str | None
    details: dict[str, Any]


def _audit(w: CaseWorld) -> list[Entry]:
    with w.uow() as u:
        return [
            Entry(e.action, e.actor, e.entity_id, json.loads(e.details_json))
            for e in u.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]


def test_ended_and_decided_cases_with_their_decision_and_documents(
    app: App, world: CaseWorld, built: ArchiveCases, tmp_path: Path
) -> None:
    archive = _archive(app, world.me("hr.zhou"), tmp_path)
    before = len(_audit(world))
    cases = archive.for_employee(world.emp["zhang"])
    # Newest first; the case under investigation is not in the archive.
    assert [c.number for c in cases] == [
        built.decided,
        built.withdrawn,
        built.rejected,
        built.closed,
    ]
    by_number = {c.number: c for c in cases}

    closed = by_number[built.closed]
    assert (closed.state, closed.ended, closed.disposition) == (
        S.CLOSED,
        True,
        Disposition.TERMINATION,
    )
    assert closed.decided and closed.decided_by == "hr.li" and closed.decided_at is not None
    assert closed.closed_at is not None and closed.notice_served_at is not None
    assert closed.state_since == closed.closed_at and closed.state_by == "hr.li"
    assert closed.disposition_reason == "严重违纪"
    assert [(d.source, d.kind, d.title) for d in closed.documents] == [
        (DocumentSource.EVIDENCE, "file", "情况说明"),
        (DocumentSource.GENERATED, "termination_notice", "解除通知书.pdf"),
    ]
    notice = closed.documents[1]
    assert (notice.id, notice.locale, notice.created_by) == (built.notice_id, "zh_CN", "hr.li")
    assert notice.evidence_file_id and len(notice.sha256) == 64
    assert closed.documents[0].id == built.file_evidence_id

    decided = by_number[built.decided]
    assert (decided.state, decided.ended, decided.disposition) == (
        S.DECIDED,
        False,
        Disposition.TERMINATION,
    )
    assert decided.decided and decided.closed_at is None and decided.documents == ()

    rejected = by_number[built.rejected]
    assert (rejected.state, rejected.ended, rejected.decided) == (S.REJECTED, True, False)
    assert (rejected.state_by, rejected.state_reason) == ("legal.zhao", "证据不足")
    assert rejected.disposition is None and rejected.state_since is not None

    withdrawn = by_number[built.withdrawn]
    assert (withdrawn.state, withdrawn.state_reason, withdrawn.decided) == (
        S.WITHDRAWN,
        "误报",
        False,
    )
    # Listing reads no evidence: nothing is written to the audit log.
    assert len(_audit(world)) == before
    assert archive.for_employee(world.emp["sun"]) == []


def test_the_subject_and_the_involved_never_see_the_archive(
    app: App, world: CaseWorld, built: ArchiveCases, tmp_path: Path
) -> None:
    zhang = world.emp["zhang"]
    # The subject (a user linked to 张伟) sees none of his own cases.
    assert _archive(app, world.me("sales.zhang"), tmp_path).for_employee(zhang) == []
    with pytest.raises(CaseNotFound):
        _archive(app, world.me("sales.zhang"), tmp_path).open_document(
            built.closed, DocumentSource.GENERATED, built.notice_id
        )
    # Legal 赵 marked involved in the closed case (as an employee): only that case disappears.
    cs, hr = world.cases, world.me("hr.li")
    cs.transition(hr, built.closed, S.REOPENED, cs.view(hr, built.closed).revision, reason="复核")
    reopened = cs.view(hr, built.closed)
    cs.add_party(hr, built.closed, "involved", reopened.revision, employee_id=world.emp["zhao"])
    zhao = _archive(app, world.me("legal.zhao"), tmp_path)
    seen = [c.number for c in zhao.for_employee(zhang)]
    assert built.closed not in seen and built.rejected in seen
    # The reopened case is active again: not in anybody's archive until it ends again.
    assert built.closed not in [
        c.number for c in _archive(app, world.me("audit"), tmp_path).for_employee(zhang)
    ]
    with pytest.raises(CaseNotFound):
        zhao.open_document(built.closed, DocumentSource.GENERATED, built.notice_id)


def test_nobody_signed_in_is_refused_and_every_role_may_look(
    app: App, world: CaseWorld, built: ArchiveCases, tmp_path: Path
) -> None:
    with pytest.raises(PermissionDenied):
        _archive(app, None, tmp_path).for_employee(world.emp["zhang"])
    with pytest.raises(PermissionDenied):
        _archive(app, None, tmp_path).open_document(
            built.closed, DocumentSource.GENERATED, built.notice_id
        )
    # Every role may view cases (CASE_VIEW): a sales manager, legal, the auditor.
    for username in ("mgr.liu", "legal.qian", "audit", "admin"):
        cases = _archive(app, world.me(username), tmp_path).for_employee(world.emp["zhang"])
        assert len(cases) == 4


def test_opening_a_document_is_audited_and_a_linked_file_gets_its_custody_event(
    app: App, world: CaseWorld, built: ArchiveCases, tmp_path: Path
) -> None:
    archive = _archive(app, world.me("legal.qian"), tmp_path)
    before = len(_audit(world))
    opened = archive.open_document(built.closed, DocumentSource.GENERATED, built.notice_id)
    assert opened.path.read_bytes() == NOTICE_PDF and opened.name == "解除通知书.pdf"
    assert opened.path.parent == tmp_path / "cache" and opened.media_type == "application/pdf"
    entries = _audit(world)[before:]
    assert [(e.action, e.actor) for e in entries] == [
        ("evidence.read", "legal.qian"),
        ("case.document_viewed", "legal.qian"),
    ]
    viewed = entries[1].details
    assert entries[1].entity_id == built.closed
    assert (viewed["kind"], viewed["document_id"]) == ("termination_notice", built.notice_id)

    statement = archive.open_document(built.closed, DocumentSource.EVIDENCE, built.file_evidence_id)
    assert "承认" in statement.path.read_text(encoding="utf-8")
    actions = [e.action for e in _audit(world)[before + 2 :]]
    assert actions == ["case.evidence_viewed", "evidence.read", "case.document_viewed"]
    with world.uow() as u:
        custody = list(
            u.session.scalars(
                select(CustodyEvent.action)
                .where(CustodyEvent.evidence_id == built.file_evidence_id)
                .order_by(CustodyEvent.id)
            )
        )
        assert verify_audit_chain(u.session).intact
    assert custody == ["added", "viewed"]

    # A document of another case, or one that does not exist, is not found.
    with pytest.raises(CaseNotFound):
        archive.open_document(built.rejected, DocumentSource.GENERATED, built.notice_id)
    with pytest.raises(CaseNotFound):
        archive.open_document(built.closed, DocumentSource.EVIDENCE, 999)
    with pytest.raises(CaseNotFound):
        archive.open_document("CW-1999-0001", DocumentSource.GENERATED, built.notice_id)


def test_reading_writes_no_file_and_a_saved_copy_is_audited(
    app: App, world: CaseWorld, built: ArchiveCases, tmp_path: Path
) -> None:
    archive = _archive(app, world.me("legal.qian"), tmp_path)
    read = archive.read_document(built.closed, DocumentSource.GENERATED, built.notice_id)
    assert read.data == NOTICE_PDF and read.name == "解除通知书.pdf"
    assert not (tmp_path / "cache").exists()  # the reader's copy is the GUI's to write
    before = len(_audit(world))
    folder = tmp_path / "out"
    folder.mkdir()
    written = archive.save_copy(built.closed, "generated", built.notice_id, folder)
    assert written == folder / "解除通知书.pdf" and written.read_bytes() == NOTICE_PDF
    entries = _audit(world)[before:]
    assert [e.action for e in entries] == [
        "evidence.read",
        "case.document_viewed",
        "case.document_copied",
    ]
    assert entries[-1].details["path"] == str(written)
    assert entries[-1].actor == "legal.qian"
    with pytest.raises(PermissionDenied):
        _archive(app, None, tmp_path).save_copy(
            built.closed, "generated", built.notice_id, tmp_path / "x.pdf"
        )
    assert not (tmp_path / "x.pdf").exists()
