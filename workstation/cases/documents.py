"""Generate a case's documents from the case itself, sign them, and keep them with it.

Five kinds: the four notices laid out from the editable templates (investigation request,
approval sheet, union notification, termination notice; ``reports.pdf_documents``) and the
evidence dossier for arbitration or legal review (``reports.pdf_dossier``). Each is rendered
from the case as the generating user may see it, PAdES-signed with that user's own
certificate (``reports.pdf_signing``) and attached to the case (``CaseService.attach_document``),
which stores the *signed* PDF as an evidence file. The dossier also records an "exported"
custody event on every piece of evidence it lists, and an audit entry.

What a case cannot know (the employer's particulars, the rule breached, the statement of facts,
the effective date) comes from the company source (``company.json``) or the caller. When a
document lacks something it must state, ``DocumentDataError`` names it, and nothing is stored.

A case that does not verify (``CaseService.integrity``: a signature no longer covers what
the case holds, a file changed on disk) makes no document: ``CaseDoesNotVerify`` says what
differs.

Permissions: generating needs ``case.generate_documents``; listing and opening stored documents
``case.view``. Conflict of interest applies to both: ``CaseService.get`` answers "no such case"
to the subject and anyone involved.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from workstation.cases import document_sources as sources
from workstation.cases.base import CaseNotFound, StaleCase
from workstation.cases.document_defaults import DocumentDefaults, document_defaults
from workstation.cases.document_views import GeneratedDocument, StoredDocument, signature_facts
from workstation.cases.integrity import CaseDoesNotVerify
from workstation.cases.service import CaseService
from workstation.cases.views import CaseDetail, DocumentView
from workstation.domain.clock import Clock
from workstation.domain.identity import Identity
from workstation.reports.company_file import CompanyParticulars, CompanySource, FixedCompany
from workstation.reports.document_context import Labels
from workstation.reports.document_data import (
    DOCUMENT_KINDS,
    DOSSIER,
    LOCALES,
    CaseDocumentData,
    CompanyInfo,
    DocumentDataError,
    DocumentKind,
    PersonInfo,
    RecipientInfo,
    RuleInfo,
    check_ready,
)
from workstation.reports.dossier_data import DossierData
from workstation.reports.templates import default_templates_dir
from workstation.security.permissions import Permission, require
from workstation.security.signing import SigningService
from workstation.store.audit import append_audit, canonical_json, chain_head
from workstation.store.evidence import EvidenceCorrupted, EvidenceStore
from workstation.store.models import CustodyEvent
from workstation.store.sealed_checkpoint import checkpoint_for_export
from workstation.store.uow import UnitOfWorkFactory

#: The notices whose statement of facts defaults to what the case established.
_FACT_NOTICES = frozenset({DocumentKind.UNION_NOTIFICATION, DocumentKind.TERMINATION_NOTICE})


class CaseDocuments:
    def __init__(
        self,
        cases: CaseService,
        uow: UnitOfWorkFactory,
        evidence: EvidenceStore,
        signing: SigningService,
        company: CompanyInfo | CompanySource,
        clock: Clock,
        *,
        templates_dir: Path | None = None,
    ) -> None:
        self._cases = cases
        self._uow = uow
        self._evidence = evidence
        self._signing = signing
        self.company = FixedCompany(company) if isinstance(company, CompanyInfo) else company
        self._clock = clock
        self._templates = templates_dir or default_templates_dir()

    # -- generating ---------------------------------------------------------------------------

    def document_data(
        self,
        identity: Identity,
        number: str,
        kind: DocumentKind | str,
        locale: str,
        *,
        rules: Sequence[RuleInfo] | None = None,
        facts: str | None = None,
        effective_date: date | None = None,
        issued_on: date | None = None,
    ) -> CaseDocumentData:
        """What notice ``kind`` in ``locale`` prints for case ``number``, as ``identity`` (the
        issuing HR officer) sees it. Raises ``DocumentDataError`` when incomplete."""
        detail = self._cases.get(identity, number)
        return self._notice_data(
            detail, identity, DocumentKind(kind), locale, rules, facts, effective_date, issued_on
        )

    def dossier_data(self, identity: Identity, number: str, locale: str) -> DossierData:
        """What the evidence dossier prints for case ``number`` as ``identity`` sees it."""
        return self._dossier_data(self._cases.get(identity, number), identity, locale)

    def generate(
        self,
        identity: Identity,
        number: str,
        kind: DocumentKind | str,
        locale: str,
        revision: int | None = None,
        *,
        rules: Sequence[RuleInfo] | None = None,
        facts: str | None = None,
        effective_date: date | None = None,
        issued_on: date | None = None,
    ) -> GeneratedDocument:
        """Render document ``kind`` (one of ``DOCUMENT_KINDS``) in ``locale``, sign it as
        ``identity`` and keep it with the case. ``revision``: the case revision the caller saw
        (default: the one the document was rendered from); ``StaleCase`` if it moved on.

        Only the notices use ``rules`` (default: the company rules the case is about),
        ``facts`` (default for the union notification and the termination notice: the
        substantiated allegations), ``effective_date`` and ``issued_on``."""
        require(identity, Permission.CASE_GENERATE_DOCUMENTS)
        kind = str(kind)
        if kind not in DOCUMENT_KINDS:
            raise ValueError(f"document kind is one of {', '.join(DOCUMENT_KINDS)}, not {kind!r}")
        if locale not in LOCALES:
            raise ValueError(f"document language is one of {', '.join(LOCALES)}, not {locale!r}")
        detail = self._cases.get(identity, number)
        if revision is not None and revision != detail.case.revision:
            # attach_document would refuse it: refuse before rendering and signing
            raise StaleCase(detail.case.number, detail.case.revision, revision)
        self._check_evidence_files(detail)
        self._check_verifies(identity, detail.case.number)
        if kind == DOSSIER:
            return self._generate_dossier(identity, detail, locale, revision)
        data = self._notice_data(
            detail, identity, DocumentKind(kind), locale, rules, facts, effective_date, issued_on
        )
        from workstation.reports.pdf_documents import render_document  # reportlab: here only

        pdf = render_document(data, self._templates)
        return self._keep(identity, detail, kind, locale, pdf, revision)

    def _check_verifies(self, identity: Identity, number: str) -> None:
        """Refuse (``CaseDoesNotVerify``, saying what differs) a case whose signatures do not
        cover what it holds now, or whose files changed on disk."""
        integrity = self._cases.integrity(identity, number)
        if not integrity.valid:
            raise CaseDoesNotVerify(integrity)

    def _generate_dossier(
        self, identity: Identity, detail: CaseDetail, locale: str, revision: int | None
    ) -> GeneratedDocument:
        data = self._dossier_data(detail, identity, locale, seal=True)
        from workstation.reports.pdf_dossier import render_dossier  # reportlab: here only

        pdf = render_dossier(data, self._templates)
        kept = self._keep(identity, detail, DOSSIER, locale, pdf, revision)
        number = detail.case.number
        with self._uow() as uow:
            for item in data.evidence:
                uow.session.add(
                    CustodyEvent(
                        evidence_id=item.number,
                        action="exported",
                        at=data.generated_at,
                        actor=identity.actor,
                        detail_json=canonical_json(
                            {"document": DOSSIER, "document_id": kept.document_id}
                            | {"sha256": item.sha256}
                        ),
                    )
                )
            facts = {
                "document_id": kept.document_id,
                "locale": locale,
                "pdf_sha256": kept.sha256,
                "evidence": [item.number for item in data.evidence],
                "evidence_list_sha256": data.evidence_list_sha256,
                "approvals_valid": data.approvals_valid,
            }
            append_audit(
                uow.session, identity.actor, "case.dossier_generated", "case", number, facts
            )
            uow.commit()
        return kept

    def _keep(
        self,
        identity: Identity,
        detail: CaseDetail,
        kind: str,
        locale: str,
        pdf: bytes,
        revision: int | None,
    ) -> GeneratedDocument:
        """Sign ``pdf`` as ``identity`` and attach it to the case."""
        number = detail.case.number
        labels = Labels.load(self._templates, locale, self._clock.zone)
        title = labels.word("documents", kind)
        reason = labels.text("dossier", "sign_reason", document=title, case_number=number)
        location = self._particulars(kind, number).company.address
        from workstation.reports.pdf_signing import sign_pdf, verify_pdf  # pyHanko: here only

        at = self._clock.now()
        signed = sign_pdf(pdf, self._signing, identity.user_id, reason, location, at=at)
        name = f"{number}-{kind}-{locale}.pdf"
        seen = detail.case.revision if revision is None else revision
        added = self._cases.attach_document(identity, number, kind, locale, signed, name, seen)
        checks = verify_pdf(signed, self._signing.trust_roots_pem(), at=at)
        signer, signed_at, valid, _ = signature_facts(checks)
        return GeneratedDocument(
            case=added.case,
            document_id=added.id,
            kind=kind,
            locale=locale,
            title=title,
            file_name=name,
            sha256=hashlib.sha256(signed).hexdigest(),
            size_bytes=len(signed),
            signer=signer,
            signed_at=signed_at,
            signature_valid=valid,
            pdf=signed,
        )

    # -- stored documents -----------------------------------------------------------------------

    def stored(self, identity: Identity, number: str) -> list[StoredDocument]:
        """The documents kept with the case, oldest first, each with its PAdES signature
        checked (against this installation's CA) and its stored bytes against their hash."""
        from workstation.reports.pdf_signing import verify_pdf  # pyHanko: here only

        detail = self._cases.get(identity, number)
        roots = self._signing.trust_roots_pem()
        with self._uow() as uow:
            files = sources.file_hashes(uow.session, [d.evidence_file_id for d in detail.documents])
        out = []
        for doc in detail.documents:
            file = files.get(doc.evidence_file_id)
            data = self._raw(file.sha256) if file else None
            checks = verify_pdf(data, roots, at=self._clock.now()) if data is not None else []
            signer, signed_at, valid, problem = signature_facts(checks)
            if data is None:
                problem = "the stored file is missing or no longer matches its SHA-256"
            out.append(
                StoredDocument(
                    id=doc.id,
                    kind=doc.kind,
                    locale=doc.locale,
                    title=self._title(doc),
                    file_name=file.original_name if file else "",
                    created_at=doc.created_at,
                    created_by=doc.created_by,
                    sha256=file.sha256 if file else "",
                    size_bytes=file.size_bytes if file else 0,
                    signed=bool(checks),
                    signature_valid=valid and data is not None,
                    signer=signer,
                    signed_at=signed_at,
                    problem=problem,
                )
            )
        return out

    def defaults(self, identity: Identity, number: str, locale: str) -> DocumentDefaults:
        """What the notices of case ``number`` cite and state unless told otherwise: the
        company rules its alert is about, and the facts it established."""
        detail = self._cases.get(identity, number)
        found = self.company.particulars()
        return document_defaults(detail, found.rules if found else (), locale)

    def document_bytes(self, identity: Identity, number: str, document_id: int) -> bytes:
        """The stored PDF of one document (checked against its hash). The read is audited
        (``evidence.read`` and ``case.document_viewed``)."""
        number, doc = self._document(identity, number, document_id)
        return self._read(identity, number, doc)

    def _read(self, identity: Identity, number: str, doc: DocumentView) -> bytes:
        with self._uow() as uow:
            file = sources.file_hashes(uow.session, [doc.evidence_file_id])[doc.evidence_file_id]
            data = self._evidence.read(uow.session, file.sha256, identity.actor)
            details = {"document_id": doc.id, "kind": doc.kind, "sha256": file.sha256}
            append_audit(
                uow.session, identity.actor, "case.document_viewed", "case", number, details
            )
            uow.commit()
        return data

    def save_copy(self, identity: Identity, number: str, document_id: int, path: Path) -> Path:
        """Write a copy of one stored document to ``path`` (a folder: under its stored name,
        e.g. ``CW-2026-0001-dossier-zh_CN.pdf``); audited. Returns the file written."""
        number, doc = self._document(identity, number, document_id)
        data = self._read(identity, number, doc)  # the case was looked up (and checked) once
        target = path / f"{number}-{doc.kind}-{doc.locale}.pdf" if path.is_dir() else path
        target.write_bytes(data)
        with self._uow() as uow:
            details = {"document_id": doc.id, "kind": doc.kind, "path": str(target)}
            details["sha256"] = hashlib.sha256(data).hexdigest()
            append_audit(
                uow.session, identity.actor, "case.document_copied", "case", number, details
            )
            uow.commit()
        return target

    # -- inside -------------------------------------------------------------------------------

    def _document(
        self, identity: Identity, number: str, document_id: int
    ) -> tuple[str, DocumentView]:
        """The case's number as stored, and its document ``document_id``."""
        detail = self._cases.get(identity, number)
        for doc in detail.documents:
            if doc.id == document_id:
                return detail.case.number, doc
        raise CaseNotFound(f"case {detail.case.number} has no document #{document_id}")

    def _check_evidence_files(self, detail: CaseDetail) -> None:
        """Nothing is made from a case whose evidence files changed on disk: each is re-hashed
        (``EvidenceCorrupted`` names the first that is missing or changed)."""
        ids = [e.evidence_file_id for e in detail.evidence if e.evidence_file_id is not None]
        with self._uow() as uow:
            files = sources.file_hashes(uow.session, ids)
        for file_id in ids:
            facts = files[file_id]
            self._evidence.require_intact(facts.sha256, facts.original_name)

    def _raw(self, sha256: str) -> bytes | None:
        """The stored bytes for a check (not shown to anyone: no audit entry), or None when
        the file is missing or altered."""
        try:
            return self._evidence.checked_bytes(sha256)
        except (EvidenceCorrupted, OSError):
            return None

    def _title(self, doc: DocumentView) -> str:
        try:
            return Labels.load(self._templates, doc.locale, self._clock.zone).word(
                "documents", doc.kind
            )
        except ValueError:
            return doc.kind

    def _particulars(self, kind: str, number: str) -> CompanyParticulars:
        found = self.company.particulars()
        if found is None:
            missing = [
                "the employer's particulars (name, address, legal representative, trade union): "
                + self.company.describe()
            ]
            raise DocumentDataError(kind, number, missing)
        return found

    def _notice_data(
        self,
        detail: CaseDetail,
        identity: Identity,
        kind: DocumentKind,
        locale: str,
        rules: Sequence[RuleInfo] | None,
        facts: str | None,
        effective_date: date | None,
        issued_on: date | None,
    ) -> CaseDocumentData:
        particulars = self._particulars(kind.value, detail.case.number)
        defaults = document_defaults(detail, particulars.rules, locale)
        data = sources.document_data(
            detail,
            identity,
            kind,
            locale,
            subject=self._subject(detail),
            company=particulars.company,
            generated_at=self._clock.now(),
            zone=self._clock.zone,
            rules=tuple(rules if rules is not None else defaults.rules),
            facts=(facts or "").strip() or (defaults.facts if kind in _FACT_NOTICES else None),
            effective_date=effective_date,
            issued_on=issued_on,
            approvers=self._approvers(detail.case.number),
        )
        check_ready(data)
        return data

    def _dossier_data(
        self, detail: CaseDetail, identity: Identity, locale: str, *, seal: bool = False
    ) -> DossierData:
        """``seal``: the audit log is sealed now (a checkpoint, for the dossier to carry);
        else the dossier shows the newest checkpoint (a preview)."""
        particulars = self._particulars(DOSSIER, detail.case.number)
        checks = self._cases.verify(identity, detail.case.number)
        with self._uow() as uow:
            files = sources.file_hashes(uow.session, [d.evidence_file_id for d in detail.documents])
            subject = sources.subject_person(uow.session, detail)
            head = chain_head(uow.session)
            data = sources.dossier_data(
                detail,
                checks,
                identity,
                locale,
                subject=subject,
                company=particulars.company,
                generated_at=self._clock.now(),
                zone=self._clock.zone,
                files=files,
            )
            checkpoint = checkpoint_for_export(uow.session, "case.dossier", make=seal)
            if seal:
                uow.commit()
            if seal and checkpoint is not None:  # the head it sealed
                head = (checkpoint.entry_id, checkpoint.chain_hash)
            return replace(
                data,
                audit_anchor=None if head is None else f"{head[0]}:{head[1]}",
                audit_checkpoint=checkpoint,
            )

    def _subject(self, detail: CaseDetail) -> PersonInfo:
        with self._uow() as uow:
            return sources.subject_person(uow.session, detail)

    def _approvers(self, number: str) -> tuple[RecipientInfo, ...]:
        with self._uow() as uow:
            return sources.approvers(uow.session, number)


__all__ = ["DOCUMENT_KINDS", "DOSSIER", "CaseDocuments", "GeneratedDocument", "StoredDocument"]
