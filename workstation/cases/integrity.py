"""Does the case as stored now hold what its signatures covered?

Every approval, rejection and decision signs the case's canonical state
(``repository.canonical_state``): its fields, parties, allegations and findings, notes (by
hash), evidence (the SHA-256 of each frozen record, its title, its file's SHA-256), documents
and the approvals before it. ``check_case`` recomputes that state from the store, with every
hash computed now from the stored content (never the stored hash column), and compares it with
what each signature covered, item by item.

What may change after a signature, and how (anything else is a failure):

- **Added after it** (information): allegations, notes, evidence, documents, parties and later
  approvals are added by workflow steps; the signature did not cover them.
- **Changed by a recorded step after it** (information): the case's ``state``,
  ``disposition``, ``disposition_reason`` and ``notice_served_at`` by a ``transition``;
  ``union_notified_at`` and ``union_notice_ref`` by ``union_notified`` (or cleared by a
  ``transition``); ``legal_hold`` by ``legal_hold``; an allegation's ``finding`` and
  ``finding_note`` by ``finding_recorded`` for that allegation. "After it" means a timeline
  entry later than the signature's own ``approval`` entry. ``revision`` changes with every
  change and is not compared.
- **The subject's name and employee number** belong to the employee records: a change is
  information when an employee import finished after the signature, else a failure.
- **Never**: the number, title, subject (the employee), alert, who opened the case and when;
  an allegation's text, customer and competitor; a note; an evidence item's kind, record,
  title, frozen record and file; a document's file; an earlier approval.

Besides the signatures, the store is checked against what it records of itself: each frozen
record against its stored hash and the hash its custody "added" entry recorded; each evidence
and document file re-hashed on disk (``EvidenceStore.verify``); the case's state against its
last transition; and every approval the timeline or the audit log records (``approval``,
``case.approval``) against the approval rows, so that deleting the last approval (which no
later signature covers) is caught too; and every item the timeline records as added (evidence,
note, document, allegation, party) against the case.

Who this protects against: anyone who edits the database or the evidence folder without the
signers' keys. An administrator holding the CA key can issue a key and re-sign a forged case.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workstation.cases.integrity_text import difference_line, refusal_line
from workstation.cases.ports import Signer
from workstation.cases.repository import canonical_state, check_approval_row, file_hashes
from workstation.cases.snapshots import sha256_hex
from workstation.cases.views import (
    ApprovalCheck,
    CaseIntegrity,
    Difference,
    SignatureReport,
)
from workstation.i18n import Translator
from workstation.store.evidence import EvidenceStore
from workstation.store.models import (
    AuditEntry,
    Case,
    CaseApproval,
    CaseDocument,
    CaseEvent,
    CaseEvidence,
    CustodyEvent,
    ImportBatch,
)

#: Case fields a recorded step may change after a signature, and the steps (timeline kinds).
WORKFLOW_FIELDS: dict[str, frozenset[str]] = {
    "state": frozenset({"transition"}),
    "disposition": frozenset({"transition"}),
    "disposition_reason": frozenset({"transition"}),
    "notice_served_at": frozenset({"transition"}),
    "union_notified_at": frozenset({"union_notified", "transition"}),
    "union_notice_ref": frozenset({"union_notified", "transition"}),
    "legal_hold": frozenset({"legal_hold"}),
}
#: Case fields no step changes once the case is opened.
FIXED_FIELDS = ("number", "title", "alert_id", "opened_by", "created_at")
#: An allegation's parts a ``finding_recorded`` step changes; the others never change.
FINDING_PARTS = ("finding", "finding_note")
ALLEGATION_PARTS = ("text", "customer_id", "competitor_id")
APPROVAL_PARTS = ("step", "decision", "acting_role", "user_id", "payload_sha256")
#: What the timeline's entries name by id (detail key → the canonical state's list and the
#: item's word): each must still be in the case.
RECORDED_ITEMS = {
    "evidence_id": ("evidence", "evidence"),
    "note_id": ("notes", "note"),
    "document_id": ("documents", "document"),
    "allegation_id": ("allegations", "allegation"),
    "party_id": ("parties", "party"),
}
#: A signature whose payload holds no case state (the reason, in the catalog).
NO_STATE = "no case state signed"
#: Import kinds that change the employee records.
EMPLOYEE_IMPORTS = frozenset({"employees"})


class CaseDoesNotVerify(Exception):
    """A document is not made from a case that does not verify (says what differs)."""

    def __init__(self, integrity: CaseIntegrity) -> None:
        self.integrity = integrity
        super().__init__(refusal_line(integrity, Translator("en")))

    def render(self, tr: Translator) -> str:
        return refusal_line(self.integrity, tr)


@dataclass(frozen=True)
class _Event:
    id: int
    kind: str
    to_state: str | None
    detail: dict[str, Any]


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def signed_state(approval: CaseApproval) -> dict[str, Any] | None:
    """The case state the approval's payload signed (inside the signer's envelope), or None."""
    try:
        payload = json.loads(approval.payload_json)
    except ValueError:
        return None
    if isinstance(payload, dict) and isinstance(payload.get("content"), dict):
        payload = payload["content"]
    state = payload.get("state") if isinstance(payload, dict) else None
    return state if isinstance(state, dict) else None


class _Compare:
    """How the case now differs from what one signature covered."""

    def __init__(
        self,
        signature: int,
        signed: dict[str, Any],
        now: dict[str, Any],
        later: Sequence[_Event],
        employee_import_after: bool,
    ) -> None:
        self.signature, self.signed, self.now = signature, signed, now
        self.later_kinds = {e.kind for e in later}
        self.found_later = {
            e.detail.get("allegation_id") for e in later if e.kind == "finding_recorded"
        }
        self.employee_import_after = employee_import_after
        self.found: list[Difference] = []

    def add(self, item: str, kind: str, **parts: Any) -> None:
        self.found.append(Difference(self.signature, item, kind, **parts))

    def run(self) -> list[Difference]:
        self._case()
        self._parties()
        self._allegations()
        self._by_id("note", "notes", ("sha256",))
        self._evidence()
        self._by_id("document", "documents", ("kind", "file_sha256"))
        self._by_id("approval", "approvals", APPROVAL_PARTS, report_added=False)
        return self.found

    def _case(self) -> None:
        was: dict[str, Any] = self.signed.get("case") or {}
        now: dict[str, Any] = self.now["case"]
        for name in FIXED_FIELDS:
            if name in was and was[name] != now.get(name):
                self.add(name, "changed", signed=_text(was[name]), now=_text(now.get(name)))
        self._subject(was.get("subject") or {}, now["subject"])
        for name, steps in WORKFLOW_FIELDS.items():
            if name in was and was[name] != now.get(name):
                kind = "changed_by_step" if steps & self.later_kinds else "changed"
                self.add(name, kind, signed=_text(was[name]), now=_text(now.get(name)))

    def _subject(self, was: Mapping[str, Any], now: Mapping[str, Any]) -> None:
        if "id" in was and was["id"] != now.get("id"):
            self.add(
                "subject",
                "changed",
                part="employee",
                signed=f"{was.get('employee_no')} {was.get('name')} (#{was['id']})",
                now=f"{now.get('employee_no')} {now.get('name')} (#{now.get('id')})",
            )
            return
        kind = "changed_by_step" if self.employee_import_after else "changed"
        for part in ("employee_no", "name"):
            if part in was and was[part] != now.get(part):
                self.add("subject", kind, part=part, signed=_text(was[part]), now=now.get(part))

    def _parties(self) -> None:
        was: list[dict[str, Any]] = self.signed.get("parties") or []
        now: list[dict[str, Any]] = self.now["parties"]

        def key(p: Mapping[str, Any]) -> tuple[Any, ...]:
            return (p.get("role"), p.get("employee_id"), p.get("user_id"))

        if was and all("id" in p for p in was):
            self._by_id("party", "parties", ("role", "employee_id", "user_id"))
            return
        remaining = [key(p) for p in now]
        for p in was:  # a version-1 payload: parties without ids, matched by what they are
            if key(p) in remaining:
                remaining.remove(key(p))
            else:
                self.add(f"party {p.get('role')}", "missing", signed=_text(key(p)))

    def _allegations(self) -> None:
        def judge(item: str, ident: Any, part: str) -> str:
            if part in FINDING_PARTS and ident in self.found_later:
                return "changed_by_step"
            return "changed"

        self._by_id("allegation", "allegations", ALLEGATION_PARTS + FINDING_PARTS, judge)

    def _evidence(self) -> None:
        now = {e["id"]: e for e in self.now["evidence"]}
        for e in self.signed.get("evidence") or []:
            item, current = f"evidence #{e.get('id')}", now.get(e.get("id"))
            label = (current or e).get("title") or f"{e.get('kind')} {e.get('key')}"
            if current is None:
                self.add(item, "missing", label=label, signed=_text(e.get("sha256")))
                continue
            for part, name in (
                ("record", "kind"),
                ("record", "key"),
                ("title", "title"),
                ("frozen record", "sha256"),
                ("file", "file_sha256"),
            ):
                if name in e and e[name] != current.get(name):
                    self.add(
                        item,
                        "changed",
                        part=part,
                        label=label,
                        signed=_text(e[name]),
                        now=_text(current.get(name)),
                    )
        signed_ids = {e.get("id") for e in self.signed.get("evidence") or []}
        for ident, current in now.items():
            if ident not in signed_ids:
                self.add(f"evidence #{ident}", "added", label=current.get("title"))

    def _by_id(
        self,
        what: str,
        key: str,
        parts: Iterable[str],
        judge: Callable[[str, Any, str], str] | None = None,
        *,
        report_added: bool = True,
    ) -> None:
        if key not in self.signed:
            return
        now = {x["id"]: x for x in self.now[key]}
        was = {x.get("id"): x for x in self.signed.get(key) or []}
        for ident, signed in was.items():
            item, current = f"{what} #{ident}", now.get(ident)
            if current is None:
                self.add(item, "missing", signed=_text(signed.get("sha256") or signed.get("kind")))
                continue
            for part in parts:
                if part in signed and signed[part] != current.get(part):
                    kind = judge(item, ident, part) if judge else "changed"
                    shown = part.replace("_", " ")
                    self.add(
                        item,
                        kind,
                        part=shown,
                        signed=_text(signed[part]),
                        now=_text(current.get(part)),
                    )
        if report_added:
            for ident in now.keys() - was.keys():
                self.add(f"{what} #{ident}", "added")


def _events(session: Session, case_id: int) -> list[_Event]:
    rows = session.execute(
        select(CaseEvent.id, CaseEvent.kind, CaseEvent.to_state, CaseEvent.detail_json)
        .where(CaseEvent.case_id == case_id)
        .order_by(CaseEvent.id)
    ).all()
    found = []
    for ident, kind, to_state, detail in rows:
        try:
            parsed = json.loads(detail) if detail else {}
        except ValueError:
            parsed = {}
        found.append(_Event(ident, kind, to_state, parsed if isinstance(parsed, dict) else {}))
    return found


def _employee_imports(session: Session) -> list[datetime]:
    return [
        at
        for at in session.scalars(
            select(ImportBatch.finished_at).where(
                ImportBatch.kind.in_(sorted(EMPLOYEE_IMPORTS)), ImportBatch.status == "committed"
            )
        )
        if at is not None
    ]


def _store_checks(session: Session, case: Case, events: Sequence[_Event]) -> list[Difference]:
    """The store against what it records of itself (no signature needed)."""
    found: list[Difference] = []
    evidence = session.scalars(
        select(CaseEvidence).where(CaseEvidence.case_id == case.id).order_by(CaseEvidence.id)
    ).all()
    added = {
        evidence_id: detail
        for evidence_id, detail in session.execute(
            select(CustodyEvent.evidence_id, CustodyEvent.detail_json).where(
                CustodyEvent.evidence_id.in_([e.id for e in evidence]),
                CustodyEvent.action == "added",
            )
        )
    }
    for e in evidence:
        computed = sha256_hex(e.snapshot_json)
        if computed != e.snapshot_sha256:
            found.append(
                Difference(
                    None,
                    f"evidence #{e.id}",
                    "hash_mismatch",
                    signed=e.snapshot_sha256,
                    now=computed,
                    part="frozen record",
                    label=e.title,
                )
            )
            continue
        try:
            recorded = json.loads(added.get(e.id) or "{}").get("sha256")
        except ValueError:
            recorded = None
        if recorded and recorded != computed:
            found.append(
                Difference(
                    None,
                    f"evidence #{e.id}",
                    "changed",
                    signed=recorded,
                    now=computed,
                    part="frozen record since linked",
                    label=e.title,
                )
            )
    transitions = [e for e in events if e.kind == "transition" and e.to_state]
    if transitions and transitions[-1].to_state != case.state:
        found.append(
            Difference(None, "state", "changed", signed=transitions[-1].to_state, now=case.state)
        )
    return found


def _recorded_items(events: Sequence[_Event], now: Mapping[str, Any]) -> list[Difference]:
    """Items the timeline says were added (evidence, notes, documents, allegations, parties)
    that are no longer in the case (an item added after the last signature and deleted)."""
    held = {key: {x["id"] for x in now[key]} for key, _ in RECORDED_ITEMS.values()}
    named: dict[str, None] = {}
    for e in events:
        details = [e.detail, *(x for x in e.detail.get("linked") or [] if isinstance(x, dict))]
        for detail in details:
            for field, (key, word) in RECORDED_ITEMS.items():
                ident = detail.get(field)
                if isinstance(ident, int) and ident not in held[key]:
                    named[f"{word} #{ident}"] = None
    return [Difference(None, item, "missing", part="timeline") for item in named]


def _recorded_approvals(session: Session, case: Case, events: Sequence[_Event]) -> dict[int, str]:
    """Approvals the timeline and the audit log record for the case: id → payload SHA-256."""
    recorded: dict[int, str] = {}
    for e in events:
        if e.kind == "approval" and isinstance(e.detail.get("approval_id"), int):
            recorded[e.detail["approval_id"]] = str(e.detail.get("payload_sha256"))
    for details in session.scalars(
        select(AuditEntry.details_json).where(
            AuditEntry.action == "case.approval",
            AuditEntry.entity == "case",
            AuditEntry.entity_id == case.number,
        )
    ):
        try:
            parsed = json.loads(details)
        except ValueError:
            continue
        if isinstance(parsed, dict) and isinstance(parsed.get("approval_id"), int):
            recorded.setdefault(parsed["approval_id"], str(parsed.get("payload_sha256")))
    return recorded


def _files(session: Session, case: Case, store: EvidenceStore) -> tuple[list[Difference], int]:
    """Re-hash every evidence and document file of the case where it lies."""
    items: list[tuple[str, str, int]] = [
        (f"evidence #{i}", title, file_id or 0)
        for i, title, file_id in session.execute(
            select(CaseEvidence.id, CaseEvidence.title, CaseEvidence.evidence_file_id)
            .where(CaseEvidence.case_id == case.id, CaseEvidence.evidence_file_id.is_not(None))
            .order_by(CaseEvidence.id)
        )
    ]
    items += [
        (f"document #{i}", kind, file_id)
        for i, kind, file_id in session.execute(
            select(CaseDocument.id, CaseDocument.kind, CaseDocument.evidence_file_id)
            .where(CaseDocument.case_id == case.id)
            .order_by(CaseDocument.id)
        )
    ]
    hashes = file_hashes(session, {file_id for _, _, file_id in items})
    found: list[Difference] = []
    checked: dict[str, bool] = {}
    base = store.root.parent
    for item, label, file_id in items:
        sha = hashes.get(file_id)
        if sha is None:
            found.append(Difference(None, item, "file_missing", part="file", label=label))
            continue
        if sha not in checked:
            checked[sha] = store.verify(sha)
        if checked[sha]:
            continue
        path = store.path_for(sha)
        where = str(path.relative_to(base)) if path.is_relative_to(base) else str(path)
        kind = "file_changed" if path.exists() else "file_missing"
        found.append(Difference(None, item, kind, signed=sha, now=where, part="file", label=label))
    return found, len(checked)


def check_case(
    session: Session,
    case: Case,
    signer: Signer,
    store: EvidenceStore,
    usernames: Mapping[int, str],
) -> CaseIntegrity:
    """Every signature of the case compared with the case as stored now, and the store
    checked against itself (files on disk included)."""
    approvals = session.scalars(
        select(CaseApproval).where(CaseApproval.case_id == case.id).order_by(CaseApproval.id)
    ).all()
    now = canonical_state(session, case)
    events = _events(session, case.id)
    approval_event = {e.detail.get("approval_id"): e.id for e in events if e.kind == "approval"}
    imports = _employee_imports(session)
    reports = []
    for a in approvals:
        check = check_approval_row(signer, case, a, usernames.get(a.user_id, "?"))
        differences: list[Difference] = []
        if not check.valid:
            differences.append(
                Difference(a.id, f"approval #{a.id}", "signature", reason=check.reason)
            )
        state = signed_state(a)
        if state is None:
            differences.append(Difference(a.id, f"approval #{a.id}", "signature", reason=NO_STATE))
        else:
            after = approval_event.get(a.id, 0)
            later = [e for e in events if e.id > after]
            imported = any(at >= a.signed_at for at in imports)
            differences.extend(_Compare(a.id, state, now, later, imported).run())
        reports.append(SignatureReport(check, tuple(differences)))
    found = _store_checks(session, case, events)
    reported = {d.item for r in reports for d in r.differences if d.kind == "missing"}
    found += [d for d in _recorded_items(events, now) if d.item not in reported]
    held = {a.id for a in approvals}
    for approval_id, payload_sha in sorted(_recorded_approvals(session, case, events).items()):
        item = f"approval #{approval_id}"
        if approval_id not in held and item not in reported:
            found.append(Difference(None, item, "missing", signed=payload_sha, part="recorded"))
    files, checked = _files(session, case, store)
    return CaseIntegrity(case.number, tuple(reports), tuple(found + files), checked)


def judged_checks(integrity: CaseIntegrity, tr: Translator | None = None) -> list[ApprovalCheck]:
    """Each signature's check, invalid when the case differs from what it covered (what
    differs in ``tr``'s language; English by default)."""
    tr = tr or Translator("en")
    found = []
    for report in integrity.signatures:
        failures = [d for d in report.differences if d.failure and d.kind != "signature"]
        if not failures:
            found.append(report.check)
            continue
        said = "; ".join(difference_line(d, tr) for d in failures)
        reason = said if report.check.valid else f"{report.check.reason}; {said}"
        found.append(replace(report.check, valid=False, reason=reason))
    return found
