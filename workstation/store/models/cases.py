"""Cases: the subject and parties, allegations and findings, notes, frozen evidence with its
custody, tasks, documents, approvals (signed) and the timeline."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workstation.store.base import Base, UtcDateTime


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (UniqueConstraint("number"), Index("ix_cases_state", "state"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: e.g. ``CW-2026-0001``
    number: Mapped[str] = mapped_column(String(32))
    subject_employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    state: Mapped[str] = mapped_column(String(32))
    #: The alert the case was opened from, if any.
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("alerts.id"))
    #: no_action | warning | termination | referral (once proposed)
    disposition: Mapped[str | None] = mapped_column(String(16))
    disposition_reason: Mapped[str | None] = mapped_column(Text)
    legal_hold: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The labour union's notification of a termination (PRC Labour Contract Law, art. 43).
    union_notified_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    union_notice_ref: Mapped[str | None] = mapped_column(String(200))
    notice_served_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    #: Optimistic lock: bumped by every change of the case or anything in it.
    revision: Mapped[int] = mapped_column(Integer, default=1)
    opened_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class CaseParty(Base):
    """Someone in the case besides the subject: involved (conflict of interest: cannot see or
    approve it), witness, or the alternate approver chosen by an administrator."""

    __tablename__ = "case_parties"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    role: Mapped[str] = mapped_column(String(24))  # involved | witness | alternate_approver
    note: Mapped[str | None] = mapped_column(Text)
    added_at: Mapped[datetime] = mapped_column(UtcDateTime)
    added_by: Mapped[str] = mapped_column(String(64))


class CaseAllegation(Base):
    __tablename__ = "case_allegations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    competitor_id: Mapped[int | None] = mapped_column(ForeignKey("competitors.id"))
    #: substantiated | unsubstantiated | inconclusive (None until found)
    finding: Mapped[str | None] = mapped_column(String(16))
    finding_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(64))
    found_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    found_by: Mapped[str | None] = mapped_column(String(64))


class CaseNote(Base):
    """Append-only: a note is never edited or deleted."""

    __tablename__ = "case_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(64))


class CaseEvidence(Base):
    """A record (or file) linked to a case, frozen as canonical JSON with its SHA-256: later
    imports never change what the case saw."""

    __tablename__ = "case_evidence"
    __table_args__ = (UniqueConstraint("case_id", "record_kind", "record_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    #: checkin | stop | track_segment | order | customer_event | communication | import_file |
    #: alert | file
    record_kind: Mapped[str] = mapped_column(String(24))
    #: The record's id (or, for a track segment, ``employee:start_ms-end_ms``).
    record_key: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(300))
    snapshot_json: Mapped[str] = mapped_column(Text)
    snapshot_sha256: Mapped[str] = mapped_column(String(64))
    evidence_file_id: Mapped[int | None] = mapped_column(ForeignKey("evidence_files.id"))
    linked_at: Mapped[datetime] = mapped_column(UtcDateTime)
    linked_by: Mapped[str] = mapped_column(String(64))


class CustodyEvent(Base):
    """Chain of custody of one piece of evidence: added, viewed, exported."""

    __tablename__ = "custody_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("case_evidence.id"), index=True)
    action: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(64))
    detail_json: Mapped[str | None] = mapped_column(Text)


class CaseTask(Base):
    __tablename__ = "case_tasks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    assignee_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    due_date: Mapped[date | None] = mapped_column(Date)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(64))


class CaseDocument(Base):
    """A generated document (PDF) stored as an evidence file."""

    __tablename__ = "case_documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    #: investigation_request | approval_sheet | union_notification | termination_notice | dossier
    kind: Mapped[str] = mapped_column(String(32))
    locale: Mapped[str] = mapped_column(String(8))
    evidence_file_id: Mapped[int] = mapped_column(ForeignKey("evidence_files.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(64))


class CaseApproval(Base):
    """One signed approval, rejection or decision over the canonical case state it decides."""

    __tablename__ = "case_approvals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    #: investigation | disposition | decision
    step: Mapped[str] = mapped_column(String(16))
    #: approved | rejected
    decision: Mapped[str] = mapped_column(String(16))
    #: sales_manager | legal | hr_officer | administrator
    acting_role: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(Text)
    #: The canonical JSON of the case state signed, and its SHA-256.
    payload_json: Mapped[str] = mapped_column(Text)
    payload_sha256: Mapped[str] = mapped_column(String(64))
    #: Base64 signature over the payload, and the certificate that verifies it.
    signature: Mapped[str] = mapped_column(Text)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("signing_certificates.id"))
    signed_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CaseEvent(Base):
    """The case's timeline: every change, in order."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str | None] = mapped_column(String(32))
    to_state: Mapped[str | None] = mapped_column(String(32))
    detail_json: Mapped[str | None] = mapped_column(Text)
