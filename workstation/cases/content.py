"""What a case holds besides its state: notes (append-only), allegations and their findings,
parties, the alternate approver, tasks and generated documents."""

from __future__ import annotations

from datetime import date

from workstation.cases.base import CaseServiceBase
from workstation.cases.repository import involved
from workstation.cases.views import Added, CaseView
from workstation.domain.cases import (
    CaseFacts,
    CaseRefused,
    ConflictOfInterest,
    Finding,
    PartyRole,
    check_active,
    check_allegation_allowed,
    check_finding_allowed,
)
from workstation.domain.enums import Role
from workstation.domain.identity import Identity
from workstation.store.models import (
    CaseAllegation,
    CaseDocument,
    CaseNote,
    CaseParty,
    CaseTask,
    Competitor,
    Customer,
    Employee,
    User,
)

DOCUMENT_KINDS = (
    "investigation_request",
    "approval_sheet",
    "union_notification",
    "termination_notice",
    "dossier",
)


def _text(value: str, what: str, limit: int | None = None) -> str:
    text = (value or "").strip()
    if not text:
        raise CaseRefused(f"the {what} is empty")
    if limit is not None and len(text) > limit:
        raise CaseRefused(f"the {what} is longer than {limit} characters")
    return text


class CaseContent(CaseServiceBase):
    def add_note(self, identity: Identity, number: str, text: str, revision: int) -> Added:
        """Append a note (notes are never edited or deleted)."""
        body = _text(text, "note")
        with self._writing(identity, number, revision, "case.edit") as w:
            check_active(w.state, "add a note")
            note = CaseNote(
                case_id=w.case.id, text=body, created_at=w.now, created_by=w.identity.actor
            )
            w.session.add(note)
            w.session.flush()
            w.event("note_added", {"note_id": note.id, "text": body})
            return Added(w.view(), note.id)

    def add_allegation(
        self,
        identity: Identity,
        number: str,
        text: str,
        revision: int,
        *,
        customer_id: int | None = None,
        competitor_id: int | None = None,
    ) -> Added:
        """An allegation, e.g. "customer X moved to competitor Y", to be found on later."""
        body = _text(text, "allegation")
        with self._writing(identity, number, revision, "case.edit") as w:
            check_allegation_allowed(w.state)
            if customer_id is not None and w.session.get(Customer, customer_id) is None:
                raise CaseRefused(f"no customer #{customer_id}")
            if competitor_id is not None and w.session.get(Competitor, competitor_id) is None:
                raise CaseRefused(f"no competitor #{competitor_id}")
            row = CaseAllegation(
                case_id=w.case.id,
                text=body,
                customer_id=customer_id,
                competitor_id=competitor_id,
                created_at=w.now,
                created_by=w.identity.actor,
            )
            w.session.add(row)
            w.session.flush()
            w.event(
                "allegation_added",
                {
                    "allegation_id": row.id,
                    "text": body,
                    "customer_id": customer_id,
                    "competitor_id": competitor_id,
                },
            )
            return Added(w.view(), row.id)

    def record_finding(
        self,
        identity: Identity,
        number: str,
        allegation_id: int,
        finding: Finding | str,
        revision: int,
        note: str | None = None,
    ) -> CaseView:
        """The finding on one allegation (substantiated, unsubstantiated, inconclusive)."""
        found = Finding(finding)
        with self._writing(identity, number, revision, "case.edit") as w:
            check_finding_allowed(w.state)
            row = w.session.get(CaseAllegation, allegation_id)
            if row is None or row.case_id != w.case.id:
                raise CaseRefused(f"case {w.case.number} has no allegation #{allegation_id}")
            before = row.finding
            row.finding, row.finding_note = found.value, (note or "").strip() or None
            row.found_at, row.found_by = w.now, w.identity.actor
            w.event(
                "finding_recorded",
                {
                    "allegation_id": row.id,
                    "finding": found.value,
                    "previous": before,
                    "note": row.finding_note,
                },
            )
            return w.view()

    def add_party(
        self,
        identity: Identity,
        number: str,
        role: PartyRole | str,
        revision: int,
        *,
        employee_id: int | None = None,
        user_id: int | None = None,
        note: str | None = None,
    ) -> Added:
        """Mark an employee (or a user) as involved in the case, or as a witness. Involved
        people can no longer see or approve the case."""
        party_role = PartyRole(role)
        if party_role is PartyRole.ALTERNATE_APPROVER:
            raise CaseRefused("an administrator chooses the alternate approver")
        if (employee_id is None) == (user_id is None):
            raise CaseRefused("name either an employee or a user")
        with self._writing(identity, number, revision, "case.edit") as w:
            check_active(w.state, "add a party")
            if employee_id is not None:
                if w.session.get(Employee, employee_id) is None:
                    raise CaseRefused(f"no employee #{employee_id}")
                if employee_id == w.case.subject_employee_id:
                    raise CaseRefused("the subject of the case is not also a party")
            if user_id is not None and w.session.get(User, user_id) is None:
                raise CaseRefused(f"no user #{user_id}")
            party = CaseParty(
                case_id=w.case.id,
                employee_id=employee_id,
                user_id=user_id,
                role=party_role.value,
                note=(note or "").strip() or None,
                added_at=w.now,
                added_by=w.identity.actor,
            )
            w.session.add(party)
            w.session.flush()
            w.event(
                "party_added",
                {
                    "party_id": party.id,
                    "role": party_role.value,
                    "employee_id": employee_id,
                    "user_id": user_id,
                },
            )
            return Added(w.view(), party.id)

    def choose_alternate_approver(
        self, identity: Identity, number: str, user_id: int, revision: int, note: str | None = None
    ) -> Added:
        """(Administrator) Give the manager approval of the case to ``user_id``, a sales
        manager who is not involved, instead of the subject's management chain."""
        with self._writing(identity, number, revision, "case.choose_alternate") as w:
            check_active(w.state, "choose an alternate approver")
            user = w.session.get(User, user_id)
            if user is None or not user.active:
                raise CaseRefused(f"no active user #{user_id}")
            if user.role != Role.SALES_MANAGER.value:
                raise CaseRefused(
                    f"the alternate approver gives the manager approval: choose a sales manager "
                    f"({user.username} is {user.role})"
                )
            employees, users = involved(w.session, w.case.id)
            facts = CaseFacts(w.case.subject_employee_id, employees, users)
            chosen = Identity(
                user.id, user.username, user.display_name, Role(user.role), user.employee_id
            )
            if facts.conflicted(chosen):
                raise ConflictOfInterest(
                    f"{user.username} is the subject of the case or involved in it"
                )
            party = CaseParty(
                case_id=w.case.id,
                user_id=user.id,
                role=PartyRole.ALTERNATE_APPROVER.value,
                note=(note or "").strip() or None,
                added_at=w.now,
                added_by=w.identity.actor,
            )
            w.session.add(party)
            w.session.flush()
            w.event(
                "alternate_chosen",
                {"party_id": party.id, "user_id": user.id, "username": user.username},
            )
            return Added(w.view(), party.id)

    def add_task(
        self,
        identity: Identity,
        number: str,
        title: str,
        revision: int,
        *,
        assignee_user_id: int | None = None,
        due_date: date | None = None,
    ) -> Added:
        body = _text(title, "task", 300)
        with self._writing(identity, number, revision, "case.edit") as w:
            check_active(w.state, "add a task")
            if assignee_user_id is not None and w.session.get(User, assignee_user_id) is None:
                raise CaseRefused(f"no user #{assignee_user_id}")
            task = CaseTask(
                case_id=w.case.id,
                title=body,
                assignee_user_id=assignee_user_id,
                due_date=due_date,
                created_at=w.now,
                created_by=w.identity.actor,
            )
            w.session.add(task)
            w.session.flush()
            w.event(
                "task_added",
                {
                    "task_id": task.id,
                    "title": body,
                    "assignee_user_id": assignee_user_id,
                    "due_date": due_date.isoformat() if due_date else None,
                },
            )
            return Added(w.view(), task.id)

    def complete_task(
        self, identity: Identity, number: str, task_id: int, revision: int
    ) -> CaseView:
        with self._writing(identity, number, revision, "case.edit") as w:
            check_active(w.state, "complete a task")
            task = w.session.get(CaseTask, task_id)
            if task is None or task.case_id != w.case.id:
                raise CaseRefused(f"case {w.case.number} has no task #{task_id}")
            if task.done_at is not None:
                raise CaseRefused(f"task #{task_id} is already done")
            task.done_at = w.now
            w.event("task_completed", {"task_id": task.id, "title": task.title})
            return w.view()

    def attach_document(
        self,
        identity: Identity,
        number: str,
        kind: str,
        locale: str,
        data: bytes,
        name: str,
        revision: int,
    ) -> Added:
        """Keep a generated document (a PDF) with the case, stored as an evidence file."""
        if kind not in DOCUMENT_KINDS:
            raise CaseRefused(f"document kind is one of {', '.join(DOCUMENT_KINDS)}")
        with self._writing(identity, number, revision, "case.generate_documents") as w:
            stored = self._evidence.add_bytes(w.session, data, name, w.identity.actor)
            doc = CaseDocument(
                case_id=w.case.id,
                kind=kind,
                locale=locale,
                evidence_file_id=stored.id,
                created_at=w.now,
                created_by=w.identity.actor,
            )
            w.session.add(doc)
            w.session.flush()
            w.event(
                "document_added",
                {"document_id": doc.id, "kind": kind, "locale": locale, "sha256": stored.sha256},
            )
            return Added(w.view(), doc.id)
