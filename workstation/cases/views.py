"""What the case service hands out: plain, frozen dataclasses (no ORM objects)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from workstation.cases.ports import SignatureCheckLike
from workstation.domain.cases import CaseState, Disposition
from workstation.domain.enums import Role
from workstation.security.capabilities import Capability


def _json(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    return value


@dataclass(frozen=True)
class CaseView:
    id: int
    number: str
    title: str
    subject_employee_id: int
    subject_employee_no: str
    subject_name: str
    state: CaseState
    disposition: Disposition | None
    disposition_reason: str | None
    legal_hold: bool
    alert_id: int | None
    union_notified_at: datetime | None
    union_notice_ref: str | None
    notice_served_at: datetime | None
    #: Pass this back with the next change (optimistic lock).
    revision: int
    opened_by: str
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None

    def to_json_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = _json(asdict(self))
        data["state"] = self.state.value
        data["disposition"] = self.disposition.value if self.disposition else None
        return data


@dataclass(frozen=True)
class PartyView:
    id: int
    role: str
    employee_id: int | None
    user_id: int | None
    name: str
    note: str | None
    added_at: datetime
    added_by: str


@dataclass(frozen=True)
class AllegationView:
    id: int
    text: str
    customer_id: int | None
    customer_name: str | None
    competitor_id: int | None
    competitor_name: str | None
    finding: str | None
    finding_note: str | None
    created_at: datetime
    created_by: str
    found_at: datetime | None
    found_by: str | None


@dataclass(frozen=True)
class NoteView:
    id: int
    text: str
    created_at: datetime
    created_by: str


@dataclass(frozen=True)
class CustodyView:
    action: str  # added | viewed | exported
    at: datetime
    actor: str
    detail: dict[str, Any]


@dataclass(frozen=True)
class EvidenceView:
    id: int
    kind: str
    key: str
    title: str
    snapshot_sha256: str
    evidence_file_id: int | None
    linked_at: datetime
    linked_by: str
    #: The stored snapshot still hashes to its recorded SHA-256.
    snapshot_intact: bool
    custody: tuple[CustodyView, ...] = ()


@dataclass(frozen=True)
class EvidenceContent:
    """One piece of evidence as read (a custody "viewed" event was logged)."""

    evidence: EvidenceView
    snapshot: dict[str, Any]
    snapshot_json: str
    #: The file's bytes, for a linked file (checked against its hash).
    file_bytes: bytes | None = None


@dataclass(frozen=True)
class TaskView:
    id: int
    title: str
    assignee_user_id: int | None
    due_date: date | None
    done_at: datetime | None
    created_at: datetime
    created_by: str
    #: The assignee's display name.
    assignee_name: str | None = None


@dataclass(frozen=True)
class DocumentView:
    id: int
    kind: str
    locale: str
    evidence_file_id: int
    created_at: datetime
    created_by: str


@dataclass(frozen=True)
class ApprovalCheck:
    """The verification of one signed approval, rejection or decision."""

    approval_id: int
    step: str
    decision: str
    acting_role: str
    username: str
    signed_at: datetime
    valid: bool
    reason: str
    #: What the signer said about the signature alone.
    signature: SignatureCheckLike

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "approval_id": self.approval_id,
            "step": self.step,
            "decision": self.decision,
            "acting_role": self.acting_role,
            "username": self.username,
            "signed_at": self.signed_at.isoformat(),
            "valid": self.valid,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Difference:
    """One thing that differs between what a signature covered and the case now, or between
    the store and what it records of itself (a file on disk, a hash, the timeline).

    ``kind``: ``changed``, ``missing`` (failures); ``added``, ``changed_by_step`` (information:
    added after the signature, or changed by a recorded workflow step after it); ``file_changed``,
    ``file_missing``, ``hash_mismatch``, ``signature`` (failures not tied to one covered item)."""

    #: The approval id whose signed state this compares, or None.
    signature: int | None
    #: What differs, stable: ``title``, ``subject``, ``state``, ``disposition``,
    #: ``allegation #2``, ``evidence #13``, ``note #4``, ``party #1``, ``document #3``,
    #: ``approval #2``.
    item: str
    kind: str
    #: The signed (or recorded) value, and the value now (None: absent).
    signed: str | None = None
    now: str | None = None
    #: Which part of the item: ``text``, ``finding``, ``frozen record``, ``file``, ``title``...
    part: str | None = None
    #: What a person recognises the item by (the evidence's title, the file's path...).
    label: str | None = None
    #: A signature's own problem (``kind == "signature"``), in the service's words.
    reason: str | None = None

    @property
    def failure(self) -> bool:
        return self.kind not in INFORMATION

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "signature": self.signature,
            "item": self.item,
            "kind": self.kind,
            "signed": self.signed,
            "now": self.now,
            "part": self.part,
            "label": self.label,
            "reason": self.reason,
            "failure": self.failure,
        }


#: Kinds of ``Difference`` that are information, not failures.
INFORMATION = frozenset({"added", "changed_by_step"})


@dataclass(frozen=True)
class SignatureReport:
    """One signature: its own check, and how the case differs from what it covered."""

    check: ApprovalCheck
    differences: tuple[Difference, ...] = ()

    @property
    def valid(self) -> bool:
        return self.check.valid and not any(d.failure for d in self.differences)


@dataclass(frozen=True)
class CaseIntegrity:
    """Whether the case as stored now is what its signatures covered (``cases.integrity``)."""

    number: str
    signatures: tuple[SignatureReport, ...]
    #: Differences tied to no single signature: files on disk, stored hashes, approvals the
    #: timeline or the audit log records but no row holds.
    differences: tuple[Difference, ...] = ()
    #: Evidence and document files re-hashed on disk.
    files_checked: int = 0

    @property
    def failures(self) -> tuple[Difference, ...]:
        """What fails, the signatures' first (oldest first), then the store's own checks."""
        found = [d for report in self.signatures for d in report.differences if d.failure]
        return tuple(found + [d for d in self.differences if d.failure])

    @property
    def valid(self) -> bool:
        return not self.failures

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "valid": self.valid,
            "files_checked": self.files_checked,
            "signatures": [
                {
                    **r.check.to_json_dict(),
                    "signature": r.check.approval_id,
                    "valid": r.valid,
                    "differences": [d.to_json_dict() for d in r.differences],
                }
                for r in self.signatures
            ],
            "differences": [d.to_json_dict() for d in self.differences],
        }


@dataclass(frozen=True)
class ApprovalView:
    id: int
    step: str
    decision: str
    acting_role: str
    user_id: int
    username: str
    note: str | None
    payload_sha256: str
    signed_at: datetime
    check: ApprovalCheck


@dataclass(frozen=True)
class EventView:
    at: datetime
    actor: str
    kind: str
    from_state: str | None
    to_state: str | None
    detail: dict[str, Any]


@dataclass(frozen=True)
class TransitionOption:
    """A transition out of the case's state, and whether the reader may make it now."""

    target: str
    allowed: bool
    #: Why not (empty when allowed).
    reason: str
    #: Made by an approver's rejection, not asked for directly.
    by_rejection: bool = False
    #: Whether to offer it to the reader (their role makes it, and asks for it directly).
    shown: bool = True


@dataclass(frozen=True)
class PendingApproval:
    """The approvals the case waits for now (investigation or disposition step)."""

    step: str
    #: Where the manager approval goes, described for people (names, why).
    manager_approver: str
    manager_given: bool
    legal_given: bool
    #: The users who give the manager approval: the alternate approver chosen by an
    #: administrator, else the active sales-manager users of the manager it goes to (empty:
    #: nobody can yet). The legal approval is for any active legal user.
    manager_user_ids: tuple[int, ...] = ()
    #: Users who already approved or rejected in this round (nobody fills both slots).
    signed_user_ids: tuple[int, ...] = ()

    def awaits(self, user_id: int, role: Role | str) -> bool:
        """Whether the user ``user_id`` with ``role`` is one the case waits for now."""
        if user_id in self.signed_user_ids:
            return False
        if Role(role) is Role.LEGAL:
            return not self.legal_given
        if user_id in self.manager_user_ids:
            return not self.manager_given
        return False


@dataclass(frozen=True)
class CaseDetail:
    case: CaseView
    parties: tuple[PartyView, ...]
    allegations: tuple[AllegationView, ...]
    notes: tuple[NoteView, ...]
    evidence: tuple[EvidenceView, ...]
    tasks: tuple[TaskView, ...]
    documents: tuple[DocumentView, ...]
    approvals: tuple[ApprovalView, ...]
    timeline: tuple[EventView, ...]
    #: Where the manager approval goes now (also outside the approval states).
    manager_approver: str
    pending: PendingApproval | None = None
    transitions: tuple[TransitionOption, ...] = field(default_factory=tuple)
    #: What the reader may do with the case now, and why not (``cases.case_actions``; keys
    #: are ``CaseAction`` values).
    actions: dict[str, Capability] = field(default_factory=dict)

    def can(self, action: str) -> Capability:
        """The reader's ``action`` (a ``CaseAction``); one the service did not answer is
        neither allowed nor shown."""
        answer = self.actions.get(action)
        return answer if answer is not None else Capability(False, f"no action {action}", False)

    def to_json_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"case": self.case.to_json_dict()}
        for name in ("parties", "allegations", "notes", "tasks", "documents", "timeline"):
            data[name] = [_json(asdict(item)) for item in getattr(self, name)]
        data["evidence"] = [_json(asdict(e)) for e in self.evidence]
        data["approvals"] = [
            {**_json({k: v for k, v in asdict(a).items() if k != "check"}), "valid": a.check.valid}
            for a in self.approvals
        ]
        data["manager_approver"] = self.manager_approver
        data["pending"] = _json(asdict(self.pending)) if self.pending else None
        data["transitions"] = [asdict(t) for t in self.transitions]
        data["actions"] = {name: asdict(answer) for name, answer in self.actions.items()}
        return data


@dataclass(frozen=True)
class Added:
    """What a change that adds something returns: the case after it (with its new revision)
    and the id of what was added (note, allegation, party, task, evidence, document)."""

    case: CaseView
    id: int


__all__ = [
    "Added",
    "AllegationView",
    "ApprovalCheck",
    "ApprovalView",
    "CaseDetail",
    "CaseIntegrity",
    "CaseView",
    "CustodyView",
    "Difference",
    "DocumentView",
    "EventView",
    "EvidenceContent",
    "EvidenceView",
    "NoteView",
    "PartyView",
    "PendingApproval",
    "SignatureReport",
    "TaskView",
    "TransitionOption",
]
