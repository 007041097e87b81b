"""The diverter's case generates its own documents, signs them with the generating user's
certificate (PAdES) and keeps the signed PDFs with it as evidence files; the dossier also
records an "exported" custody event on every piece of evidence and an audit entry.

The walked demo is built once per session and copied for this module (``document_demo``).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from clocks import TEST_NOW
from document_demo import DEMO_END_DATE, walked_demo
from sqlalchemy import select

from workstation.app import App
from workstation.cases.base import CaseNotFound, StaleCase
from workstation.demo.case_walkthrough import HR, LEGAL, MANAGER, WalkedCase
from workstation.demo.company import DEMO_RULE
from workstation.reports.document_data import DocumentDataError, DocumentKind
from workstation.reports.pdf_signing import verify_pdf
from workstation.security.permissions import PermissionDenied
from workstation.store.audit import verify_audit_chain
from workstation.store.evidence import EvidenceCorrupted
from workstation.store.models import AuditEntry, EvidenceFile

FACTS = "经调查，该员工在职期间将公司客户及订单转给竞争对手，订单、轨迹与客户确认函相互印证。"
WALKED_KINDS = (
    "investigation_request",
    "approval_sheet",
    "union_notification",
    "termination_notice",
    "dossier",
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[App, WalkedCase]]:
    app, walked = walked_demo(tmp_path_factory)
    yield app, walked
    app.close()


def _text(pdf: bytes) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext is not installed (apt poppler-utils)")
    done = subprocess.run([tool, "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True)
    return re.sub(r"\s+", "", done.stdout.decode("utf-8"))


def _audit_details(app: App, action: str) -> list[dict[str, object]]:
    with app.uow() as uow:
        rows = uow.session.scalars(
            select(AuditEntry.details_json).where(AuditEntry.action == action)
        )
        return [json.loads(r) if r else {} for r in rows]


def _pdfsig(pdf: bytes, folder: Path) -> str:
    tool = shutil.which("pdfsig")
    if tool is None:
        pytest.skip("pdfsig is not installed (apt poppler-utils)")
    path = folder / "signed.pdf"
    path.write_bytes(pdf)
    return subprocess.run([tool, str(path)], capture_output=True, text=True, timeout=60).stdout


def test_the_walkthrough_leaves_each_document_signed_at_its_moment(
    demo: tuple[App, WalkedCase], tmp_path: Path
) -> None:
    app, walked = demo
    assert walked.state == "notice_served" and walked.documents == WALKED_KINDS
    hr = app.cases.identity_of(HR)
    stored = app.documents.stored(hr, walked.number)
    assert [d.kind for d in stored] == list(WALKED_KINDS)
    roots = app.signing.trust_roots_pem()
    for document in stored:
        assert document.signed and document.signature_valid, document
        assert document.signer == hr.display_name and document.problem is None
        pdf = app.documents.document_bytes(hr, walked.number, document.id)
        assert hashlib.sha256(pdf).hexdigest() == document.sha256
        assert b"/ETSI.CAdES.detached" in pdf
        [check] = verify_pdf(pdf, roots, at=TEST_NOW)
        assert check.ok and check.signer_username == HR and check.coverage == "ENTIRE_FILE"
        report = _pdfsig(pdf, tmp_path)
        assert f"Signer Certificate Common Name: {hr.display_name}" in report
        assert "Signature Validation: Signature is Valid." in report
        assert "Total document signed" in report and "ETSI.CAdES.detached" in report
    # each document was made when the case needed it: between these timeline entries
    moments = []
    for event in app.cases.get(hr, walked.number).timeline:
        if event.kind == "document_added":
            moments.append(event.detail["kind"])
        elif event.kind == "transition" or event.kind == "union_notified":
            moments.append(event.to_state or event.kind)
        elif event.kind == "approval" and event.detail["step"] == "disposition":
            moments.append(f"disposition-{event.detail['acting_role']}")
    assert moments == [
        "investigation_request",
        "investigation_requested",
        "under_investigation",
        "findings_recorded",
        "disposition_proposed",
        "disposition-sales_manager",
        "disposition-legal",
        "approval_sheet",
        "decided",
        "union_notified",
        "union_notification",
        "termination_notice",
        "notice_served",
        "dossier",
    ]


def test_the_dossier_exports_the_evidence_and_states_its_checksum(
    demo: tuple[App, WalkedCase],
) -> None:
    app, walked = demo
    hr = app.cases.identity_of(HR)
    detail = app.cases.get(hr, walked.number)
    [dossier] = [d for d in detail.documents if d.kind == "dossier"]
    assert len(detail.evidence) > 10
    for item in detail.evidence:
        exported = [c for c in item.custody if c.action == "exported"]
        assert [c.detail.get("document_id") for c in exported] == [dossier.id], item.title
        assert exported[0].actor == HR and exported[0].detail["sha256"] == item.snapshot_sha256
    listed = "".join(f"{e.snapshot_sha256}\n" for e in detail.evidence)
    checksum = hashlib.sha256(listed.encode("ascii")).hexdigest()
    [entry] = _audit_details(app, "case.dossier_generated")
    assert entry["evidence_list_sha256"] == checksum
    assert entry["evidence"] == [e.id for e in detail.evidence]
    assert entry["document_id"] == dossier.id and entry["approvals_valid"] is True
    with app.uow() as uow:
        assert verify_audit_chain(uow.session).intact
    text = _text(app.documents.document_bytes(hr, walked.number, dossier.id))
    for fact in (walked.number, detail.case.subject_name, checksum, "案件证据材料汇编"):
        assert fact in text
    for item in detail.evidence:
        assert item.snapshot_sha256 in text
    assert "transferred to" not in text, "evidence titles are in Chinese in a Chinese dossier"
    anchor = re.search(r"(\d+):([0-9a-f]{64})", text)
    assert anchor is not None, "the dossier prints the audit anchor"
    with app.uow() as uow:
        kept = uow.session.get(AuditEntry, int(anchor.group(1)))
        assert kept is not None and kept.entry_hash == anchor.group(2)
    pages = re.findall(r"第(\d+)页/共(\d+)页", text)
    assert [int(n) for n, _ in pages] == list(range(1, int(pages[0][1]) + 1))


def test_generate_returns_the_signed_document_and_a_stale_revision_stores_nothing(
    demo: tuple[App, WalkedCase], tmp_path: Path
) -> None:
    app, walked = demo
    hr = app.cases.identity_of(HR)
    before = app.cases.get(hr, walked.number)
    done = app.documents.generate(hr, walked.number, "approval_sheet", "en")
    assert (done.kind, done.locale, done.title) == ("approval_sheet", "en", "Case approval sheet")
    assert done.signature_valid and done.signer == hr.display_name
    assert done.sha256 == hashlib.sha256(done.pdf).hexdigest() and done.size_bytes == len(done.pdf)
    assert done.case.revision == before.case.revision + 1
    assert app.documents.document_bytes(hr, walked.number, done.document_id) == done.pdf
    copy = app.documents.save_copy(hr, walked.number, done.document_id, tmp_path)
    assert copy == tmp_path / f"{walked.number}-approval_sheet-en.pdf"
    assert copy.read_bytes() == done.pdf
    viewed = _audit_details(app, "case.document_viewed")
    assert {"document_id": done.document_id} | viewed[-1] == viewed[-1]

    signed = len(_audit_details(app, "signing.pdf_signed"))
    with pytest.raises(StaleCase):
        app.documents.generate(hr, walked.number, "dossier", "zh_CN", before.case.revision)
    after = app.cases.get(hr, walked.number)
    assert len(after.documents) == len(before.documents) + 1
    assert len(_audit_details(app, "signing.pdf_signed")) == signed  # nothing was signed


def test_who_may_generate_and_list(demo: tuple[App, WalkedCase]) -> None:
    from acting import identity_for

    from workstation.domain.enums import Role

    app, walked = demo
    cases, documents = app.cases, app.documents
    hr = cases.identity_of(HR)
    count = len(cases.get(hr, walked.number).documents)
    signed_before = len(_audit_details(app, "signing.pdf_signed"))
    manager = cases.identity_of(MANAGER)
    with pytest.raises(PermissionDenied, match=r"case\.generate_documents"):
        documents.generate(manager, walked.number, "dossier", "zh_CN")
    assert len(documents.stored(manager, walked.number)) == count  # they may read them
    legal = cases.identity_of(LEGAL)  # legal reviews: may generate a dossier and keep it
    app.session.sign_in(legal)  # signed with legal's own key, which opens only for legal
    by_legal = documents.generate(legal, walked.number, "dossier", "en")
    app.session.sign_in(hr)
    assert by_legal.signature_valid and by_legal.signer == legal.display_name
    count, signed_before = count + 1, signed_before + 1

    admin = identity_for(app, Role.ADMINISTRATOR)
    app.users.create_user(admin, "hr.other", "另一位人事", Role.HR_OFFICER, "casework-test-1")
    other = cases.identity_of("hr.other")
    rev = cases.view(hr, walked.number).revision
    cases.add_party(hr, walked.number, "involved", rev, user_id=other.user_id)
    with pytest.raises(CaseNotFound):
        documents.generate(other, walked.number, "dossier", "zh_CN")
    with pytest.raises(CaseNotFound):
        documents.stored(other, walked.number)
    assert len(cases.get(hr, walked.number).documents) == count
    assert len(_audit_details(app, "signing.pdf_signed")) == signed_before


def test_a_termination_notice_needs_a_termination_disposition(
    demo: tuple[App, WalkedCase],
) -> None:
    app, _ = demo
    cases = app.cases
    hr = cases.identity_of(HR)
    other = next(s for s in app.demo.scenarios() if s["kind"] == "territory_change")
    case = cases.open_case(hr, cases.employee_id_of(other["employee_no"]), "区域调整核实")
    with pytest.raises(DocumentDataError, match="disposition must be termination") as caught:
        app.documents.generate(
            hr,
            case.number,
            DocumentKind.TERMINATION_NOTICE,
            "zh_CN",
            rules=[DEMO_RULE],
            facts=FACTS,
            effective_date=DEMO_END_DATE,
        )
    assert "the effective date" not in str(caught.value)  # it was given
    assert cases.get(hr, case.number).documents == ()
    # the investigation request needs an allegation first
    with pytest.raises(DocumentDataError, match="at least one allegation"):
        app.documents.generate(hr, case.number, "investigation_request", "zh_CN")
    # the dossier of a new case: an empty evidence list still has its checksum
    done = app.documents.generate(hr, case.number, "dossier", "en")
    text = _text(done.pdf)
    assert hashlib.sha256(b"").hexdigest() in text, text
    assert "Thecasehasnoevidence." in text


def test_without_the_company_particulars_nothing_is_generated(
    demo: tuple[App, WalkedCase],
) -> None:
    app, walked = demo
    hr = app.cases.identity_of(HR)
    company = app.settings.data_dir / "company.json"
    saved = company.read_bytes()
    company.unlink()
    try:
        with pytest.raises(DocumentDataError, match=r"employer's particulars.*company\.json"):
            app.documents.generate(hr, walked.number, "dossier", "zh_CN")
    finally:
        company.write_bytes(saved)


def test_a_stored_document_changed_on_disk_is_reported(demo: tuple[App, WalkedCase]) -> None:
    app, walked = demo
    hr = app.cases.identity_of(HR)
    first = app.documents.stored(hr, walked.number)[0]
    path = app.evidence.path_for(first.sha256)
    original = path.read_bytes()
    path.chmod(0o600)
    changed = bytearray(original)
    changed[len(changed) // 3] ^= 0x01
    path.write_bytes(bytes(changed))
    try:
        again = app.documents.stored(hr, walked.number)[0]
        assert not again.signature_valid and "no longer matches" in (again.problem or "")
        assert all(d.signature_valid for d in app.documents.stored(hr, walked.number)[1:])
    finally:
        path.write_bytes(original)
    assert app.documents.stored(hr, walked.number)[0].signature_valid


def test_each_demo_key_opens_with_its_owners_documented_passphrase_only(
    demo: tuple[App, WalkedCase],
) -> None:
    from workstation.demo.people import DEMO_PASSWORD
    from workstation.demo.signing_keys import DEMO_CA_PASSPHRASE, DEMO_KEY_PASSPHRASES
    from workstation.security import ca as ca_
    from workstation.store.models import SigningCertificate, User

    app, _walked = demo
    installation = app.secrets.installation_id
    with app.uow() as work:
        names = {u.id: u.username for u in work.session.scalars(select(User))}
        keys = [
            (names[r.user_id] if r.user_id else ca_.CA_OWNER, r.private_key_pem, r.serial)
            for r in work.session.scalars(select(SigningCertificate))
        ]
    passphrases = {ca_.CA_OWNER: DEMO_CA_PASSPHRASE, **DEMO_KEY_PASSPHRASES}
    assert sorted(owner for owner, _, _ in keys) == sorted(passphrases)
    assert len(set(passphrases.values())) == len(passphrases)  # all different
    for owner, pem, serial in keys:
        salt = ca_.key_salt(installation, owner, serial)
        ca_.decrypt_key(pem, passphrases[owner], salt)
        for other in [DEMO_PASSWORD, *(p for o, p in passphrases.items() if o != owner)]:
            with pytest.raises(ca_.WrongPassphrase):
                ca_.decrypt_key(pem, other, salt, serial)


def test_nothing_is_generated_from_a_case_whose_evidence_file_changed_on_disk(
    demo: tuple[App, WalkedCase], tmp_path: Path
) -> None:
    app, walked = demo
    hr = app.cases.identity_of(HR)
    subject = app.cases.get(hr, walked.number).case.subject_employee_id
    case = app.cases.open_case(hr, subject, "合同扫描件")
    scan = tmp_path / "合同扫描件.pdf"
    scan.write_bytes(b"%PDF-1.4 the contract signed with the competitor")
    app.cases.link_file(hr, case.number, scan, case.revision)
    detail = app.cases.get(hr, case.number)
    [item] = [e for e in detail.evidence if e.evidence_file_id is not None]
    with app.uow() as uow:
        sha = uow.session.get(EvidenceFile, item.evidence_file_id).sha256  # type: ignore[union-attr]
    path = app.evidence.path_for(sha)
    original = path.read_bytes()
    path.chmod(0o600)
    path.write_bytes(original.replace(b"competitor", b"COMPETITOR"))
    documents_before = len(detail.documents)
    try:
        with pytest.raises(EvidenceCorrupted, match=r"'合同扫描件\.pdf'") as refused:
            app.documents.generate(hr, case.number, "dossier", "zh_CN")
        assert refused.value.sha256 == sha and not refused.value.missing
        assert len(app.cases.get(hr, case.number).documents) == documents_before
        path.unlink()
        with pytest.raises(EvidenceCorrupted, match="is missing from the evidence folder"):
            app.documents.generate(hr, case.number, "dossier", "zh_CN")
    finally:
        path.write_bytes(original)
    made = app.documents.generate(hr, case.number, "dossier", "zh_CN")
    assert made.document_id > 0, "the restored file lets the dossier be made again"
